#pragma once
// Typed errors crossing module edges. Every module below `api` reports failures by throwing
// `ducklake::Error` with an ErrorKind; `api` maps the kind to an HTTP status and the CLI to an exit
// code. Messages are shown to users: they never contain secrets, stack traces or server paths.

#include <fmt/format.h>

#include <stdexcept>
#include <string>

namespace ducklake {

enum class ErrorKind {
  kInvalidInput,   // the caller sent something malformed or unsupported
  kNotFound,       // the named thing does not exist
  kConflict,       // the change contradicts the current state (exists, not empty, lost race)
  kUnauthenticated,  // the caller did not say who they are, or said it with a bad credential
  kForbidden,      // the request is well-formed but not permitted (sandbox, permissions)
  kTooLarge,       // a size limit was exceeded
  kPrecondition,   // a condition the caller set (If-None-Match, If-Match) does not hold
  kTimeout,        // the operation ran past its deadline and was interrupted
  kUnavailable,    // a backend (metadata database, object store) cannot be reached right now
  kRateLimited,    // the caller sent more than its share (requests per second, concurrent queries)
  kInternal,       // a bug or an unexpected backend answer
};

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, std::string message) : std::runtime_error(std::move(message)), kind_(kind) {}
  ErrorKind kind() const { return kind_; }

 private:
  ErrorKind kind_;
};

template <typename... Args>
Error MakeError(ErrorKind kind, fmt::format_string<Args...> format, Args &&...args) {
  return Error(kind, fmt::format(format, std::forward<Args>(args)...));
}

const char *ErrorKindName(ErrorKind kind);

// Exit codes of the `ducklake` binary, its server and client commands alike (docs/CLI.md).
enum ExitCode : int {
  kExitOk = 0,
  kExitFailure = 1,     // the server failed or could not be reached
  kExitUsage = 2,       // bad flags, arguments or input
  kExitNotFound = 3,    // no such namespace, table, volume, object, ...
  kExitConflict = 4,    // it exists already, is not empty, or changed meanwhile
  kExitAuth = 5,        // no token, a bad one, or not allowed
  kExitInterrupted = 130,  // Ctrl-C
};

}  // namespace ducklake
