#include "cli/profile.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <toml++/toml.h>

namespace ducklake::cli {
namespace {

std::string Env(const char *name) {
  const char *value = std::getenv(name);
  return value ? value : "";
}

std::string TrimmedLine(const std::string &text) {
  auto end = text.find_first_of("\r\n");
  auto line = text.substr(0, end);
  auto first = line.find_first_not_of(" \t");
  auto last = line.find_last_not_of(" \t");
  return first == std::string::npos ? "" : line.substr(first, last - first + 1);
}

std::string NormalisedUrl(std::string url, const std::string &where) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) {
    throw UsageError(fmt::format("{}: the server URL must start with http:// or https://, not '{}'", where, url));
  }
  return url;
}

std::string TokenOf(const Profile &profile) {
  if (!profile.token_file.empty()) return ReadTokenFile(profile.token_file);
  if (!profile.token_env.empty()) {
    auto token = Env(profile.token_env.c_str());
    if (token.empty()) {
      throw UsageError(fmt::format("profile '{}' reads its token from ${}, which is not set", profile.name,
                                   profile.token_env));
    }
    return token;
  }
  return "";
}

std::string ProfileNameOf(const ConnectionFlags &flags, const ProfileFile &file) {
  if (!flags.profile.empty()) return flags.profile;
  if (!Env("DUCKLAKE_PROFILE").empty()) return Env("DUCKLAKE_PROFILE");
  if (!flags.url.empty() || !Env("DUCKLAKE_URL").empty()) return "";
  if (!file.default_profile.empty()) return file.default_profile;
  return file.Find("default") ? "default" : "";
}

}  // namespace

std::string ExpandHome(const std::string &path) {
  if (path == "~" || path.rfind("~/", 0) == 0) return Env("HOME") + path.substr(1);
  return path;
}

std::string ConfigDir() {
  auto base = Env("XDG_CONFIG_HOME");
  if (base.empty()) base = Env("HOME") + "/.config";
  return base + "/ducklake";
}

std::string ConfigPath() { return ConfigDir() + "/config.toml"; }

const Profile *ProfileFile::Find(const std::string &name) const {
  for (const auto &profile : profiles) {
    if (profile.name == name) return &profile;
  }
  return nullptr;
}

ProfileFile LoadProfiles() {
  ProfileFile file;
  auto path = ConfigPath();
  if (!std::filesystem::exists(path)) return file;
  toml::table table;
  try {
    table = toml::parse_file(path);
  } catch (const toml::parse_error &error) {
    throw UsageError(fmt::format("{}:{}: {}", path, error.source().begin.line, error.description()));
  }
  auto text = [&](toml::node_view<toml::node> node, const std::string &what) -> std::string {
    if (!node) return "";
    if (!node.is_string()) throw UsageError(fmt::format("{}: {} must be a string", path, what));
    return node.value<std::string>().value_or("");
  };
  file.default_profile = text(table["default_profile"], "default_profile");
  if (auto *profiles = table["profiles"].as_table()) {
    for (auto &[name, node] : *profiles) {
      auto *entry = node.as_table();
      if (!entry) throw UsageError(fmt::format("{}: profiles.{} must be a table", path, name.str()));
      Profile profile;
      profile.name = std::string(name.str());
      auto view = toml::node_view<toml::node>(node);
      auto where = "profiles." + profile.name;
      profile.url = text(view["url"], where + ".url");
      profile.token_file = ExpandHome(text(view["token_file"], where + ".token_file"));
      profile.token_env = text(view["token_env"], where + ".token_env");
      profile.ca_bundle = ExpandHome(text(view["ca_bundle"], where + ".ca_bundle"));
      file.profiles.push_back(std::move(profile));
    }
  } else if (table.contains("profiles")) {
    throw UsageError(fmt::format("{}: profiles must be a table", path));
  }
  return file;
}

void SaveProfiles(const ProfileFile &file) {
  toml::table table;
  if (!file.default_profile.empty()) table.insert("default_profile", file.default_profile);
  toml::table profiles;
  for (const auto &profile : file.profiles) {
    toml::table entry;
    if (!profile.url.empty()) entry.insert("url", profile.url);
    if (!profile.token_file.empty()) entry.insert("token_file", profile.token_file);
    if (!profile.token_env.empty()) entry.insert("token_env", profile.token_env);
    if (!profile.ca_bundle.empty()) entry.insert("ca_bundle", profile.ca_bundle);
    profiles.insert(profile.name, std::move(entry));
  }
  table.insert("profiles", std::move(profiles));
  std::filesystem::create_directories(ConfigDir());
  std::ostringstream text;
  text << "# DuckLake client profiles (ducklake login writes this file)\n" << table << "\n";
  // Written beside and renamed over, so a failed write never leaves half a file.
  auto path = ConfigPath();
  auto temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << text.str();
    if (!out.flush()) throw UsageError("cannot write " + temporary);
  }
  std::filesystem::rename(temporary, path);
}

std::string ReadTokenFile(const std::string &path) {
  std::ifstream in(ExpandHome(path));
  if (!in) throw UsageError(fmt::format("cannot read the token file {}", path));
  std::string first;
  std::getline(in, first);
  auto token = TrimmedLine(first);
  if (token.empty()) throw UsageError(fmt::format("the token file {} is empty", path));
  return token;
}

std::string ResolvedProfileName(const ConnectionFlags &flags) { return ProfileNameOf(flags, LoadProfiles()); }

Endpoint ResolveEndpoint(const ConnectionFlags &flags) {
  auto file = LoadProfiles();
  auto name = ProfileNameOf(flags, file);
  Endpoint endpoint;
  endpoint.verbose = flags.verbose;
  if (!name.empty()) {
    const auto *profile = file.Find(name);
    if (!profile) {
      throw UsageError(fmt::format("no profile '{}' in {} (ducklake login --profile {} makes one)", name, ConfigPath(),
                                   name));
    }
    bool explicit_profile = !flags.profile.empty() || !Env("DUCKLAKE_PROFILE").empty();
    endpoint.url = NormalisedUrl(profile->url.empty() ? kDefaultUrl : profile->url, "profile " + name);
    endpoint.ca_bundle = profile->ca_bundle;
    // A default profile yields to the environment; one named on purpose does not.
    std::string token = !explicit_profile ? Env("DUCKLAKE_TOKEN") : "";
    if (!flags.token_file.empty()) token = ReadTokenFile(flags.token_file);
    if (token.empty()) token = TokenOf(*profile);
    if (!token.empty()) endpoint.token = token;
    if (!flags.url.empty()) endpoint.url = NormalisedUrl(flags.url, "--url");
    return endpoint;
  }
  endpoint.url = NormalisedUrl(!flags.url.empty() ? flags.url : !Env("DUCKLAKE_URL").empty() ? Env("DUCKLAKE_URL") : kDefaultUrl,
                               !flags.url.empty() ? "--url" : "DUCKLAKE_URL");
  std::string token = !flags.token_file.empty() ? ReadTokenFile(flags.token_file) : Env("DUCKLAKE_TOKEN");
  if (!token.empty()) endpoint.token = token;
  return endpoint;
}

}  // namespace ducklake::cli
