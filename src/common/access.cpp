#include "common/access.hpp"

namespace ducklake {

const char *RoleName(Role role) {
  switch (role) {
    case Role::kReader: return "reader";
    case Role::kWriter: return "writer";
    case Role::kAdmin: return "admin";
  }
  return "reader";
}

}  // namespace ducklake
