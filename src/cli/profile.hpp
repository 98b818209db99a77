#pragma once
// Where the client commands find their server: profiles in ~/.config/ducklake/config.toml
// ($XDG_CONFIG_HOME respected), the environment and the command line.
//
//   default_profile = "prod"
//   [profiles.prod]
//   url = "https://lake.example.com"
//   token_file = "~/.config/ducklake/tokens/prod"   # or: token_env = "PROD_LAKE_TOKEN"
//   ca_bundle = "/etc/ssl/lake-ca.pem"
//
// The token itself never sits in config.toml: a profile names a file (mode 0600, made by `ducklake
// login`) or an environment variable that holds it. Errors (a malformed file, an unknown profile,
// an unreadable token file) are thrown as UsageError with one readable line.

#include <optional>
#include <string>
#include <vector>

#include "cli/api_client.hpp"
#include "cli/errors.hpp"

namespace ducklake::cli {

constexpr const char *kDefaultUrl = "http://127.0.0.1:8080";

struct Profile {
  std::string name;
  std::string url;
  std::string token_file;
  std::string token_env;
  std::string ca_bundle;
};

// What the command line said; empty means "not given".
struct ConnectionFlags {
  std::string profile;
  std::string url;
  std::string token_file;
  bool verbose = false;
};

std::string ConfigDir();   // ~/.config/ducklake
std::string ConfigPath();  // ConfigDir()/config.toml

struct ProfileFile {
  std::string default_profile;
  std::vector<Profile> profiles;
  const Profile *Find(const std::string &name) const;
};
ProfileFile LoadProfiles();  // empty when the file does not exist
void SaveProfiles(const ProfileFile &file);

// Which server and token, in this order: an explicit --profile is used whole (its url and token);
// otherwise --url and --token-file, then DUCKLAKE_URL and DUCKLAKE_TOKEN (DUCKLAKE_PROFILE names a
// profile like --profile), then the default profile, then http://127.0.0.1:8080 without a token.
Endpoint ResolveEndpoint(const ConnectionFlags &flags);
// The name of the profile ResolveEndpoint would use ("" when none).
std::string ResolvedProfileName(const ConnectionFlags &flags);

// Reads a secret (a token) from a file: first line, surrounding whitespace removed.
std::string ReadTokenFile(const std::string &path);
// ~ at the start of a path is the home directory.
std::string ExpandHome(const std::string &path);

}  // namespace ducklake::cli
