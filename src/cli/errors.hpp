#pragma once
// Failures of the client commands that are not the server's (those are ApiError): each maps to an
// exit code in ClientCommands::Run.

#include <stdexcept>

namespace ducklake::cli {

// Bad flags, arguments, input or configuration: exit code 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A local file or directory that is not there: exit code 3.
class NotFoundError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// stdout was closed by its reader (`ducklake cat … | head`): the command stops quietly.
class StdoutClosed : public std::runtime_error {
 public:
  StdoutClosed() : std::runtime_error("stdout closed") {}
};

}  // namespace ducklake::cli
