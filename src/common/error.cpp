#include "common/error.hpp"

namespace ducklake {

const char *ErrorKindName(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kInvalidInput: return "invalid-input";
    case ErrorKind::kNotFound: return "not-found";
    case ErrorKind::kConflict: return "conflict";
    case ErrorKind::kUnauthenticated: return "unauthenticated";
    case ErrorKind::kForbidden: return "forbidden";
    case ErrorKind::kTooLarge: return "too-large";
    case ErrorKind::kPrecondition: return "precondition-failed";
    case ErrorKind::kTimeout: return "timeout";
    case ErrorKind::kUnavailable: return "unavailable";
    case ErrorKind::kRateLimited: return "rate-limited";
    case ErrorKind::kInternal: return "internal";
  }
  return "internal";
}

}  // namespace ducklake
