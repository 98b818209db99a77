#pragma once
// Access: what the caller of a request may do, as the modules below the API check it (the auth
// module implements it from tokens and grants). Where a call takes `const Access *`, null means the
// lake's own work (maintenance, bookkeeping): everything is allowed. Thread-safe.

#include <string>

namespace ducklake {

// Roles, each including the ones before it.
enum class Role { kReader = 1, kWriter = 2, kAdmin = 3 };

const char *RoleName(Role role);

class Access {
 public:
  virtual ~Access() = default;
  // Throw kForbidden (naming what was refused) unless the caller holds `role` there.
  virtual void RequireNamespace(const std::string &namespace_name, Role role) const = 0;
  virtual void RequireVolume(const std::string &volume, Role role) const = 0;
  virtual void RequireLake(Role role) const = 0;
  // The same, answered instead of thrown (for filtering listings).
  virtual bool HasNamespace(const std::string &namespace_name, Role role) const = 0;
  virtual bool HasVolume(const std::string &volume, Role role) const = 0;
  virtual bool HasLake(Role role) const = 0;
};

// Throws through `access` unless it is null.
inline void RequireNamespace(const Access *access, const std::string &namespace_name, Role role) {
  if (access) access->RequireNamespace(namespace_name, role);
}

}  // namespace ducklake
