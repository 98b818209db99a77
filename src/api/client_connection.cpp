#include "api/client_connection.hpp"

#include <arpa/inet.h>
#include <dirent.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <cstdlib>

namespace ducklake {
namespace {

// "address", port of a socket address; false for a family that is neither IPv4 nor IPv6.
bool Describe(const sockaddr_storage &address, std::string &text, int &port) {
  char buffer[INET6_ADDRSTRLEN] = {};
  if (address.ss_family == AF_INET) {
    const auto &v4 = reinterpret_cast<const sockaddr_in &>(address);
    if (!inet_ntop(AF_INET, &v4.sin_addr, buffer, sizeof(buffer))) return false;
    port = ntohs(v4.sin_port);
  } else if (address.ss_family == AF_INET6) {
    const auto &v6 = reinterpret_cast<const sockaddr_in6 &>(address);
    if (!inet_ntop(AF_INET6, &v6.sin6_addr, buffer, sizeof(buffer))) return false;
    port = ntohs(v6.sin6_port);
  } else {
    return false;
  }
  text = buffer;
  return true;
}

}  // namespace

ClientConnection::ClientConnection(const httplib::Request &request)
    : remote_addr_(request.remote_addr),
      remote_port_(request.remote_port),
      local_addr_(request.local_addr),
      local_port_(request.local_port) {}

bool ClientConnection::Matches(int fd) const {
  sockaddr_storage peer{}, self{};
  socklen_t peer_size = sizeof(peer), self_size = sizeof(self);
  if (getpeername(fd, reinterpret_cast<sockaddr *>(&peer), &peer_size) != 0) return false;
  if (getsockname(fd, reinterpret_cast<sockaddr *>(&self), &self_size) != 0) return false;
  std::string peer_addr, self_addr;
  int peer_port = -1, self_port = -1;
  return Describe(peer, peer_addr, peer_port) && Describe(self, self_addr, self_port) && peer_port == remote_port_ &&
         self_port == local_port_ && peer_addr == remote_addr_ && self_addr == local_addr_;
}

bool ClientConnection::Gone() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!searched_) {
    searched_ = true;
    if (remote_port_ < 0 || local_port_ < 0) return false;
    if (DIR *fds = opendir("/proc/self/fd")) {
      while (dirent *entry = readdir(fds)) {
        int fd = std::atoi(entry->d_name);
        struct stat info {};
        if (entry->d_name[0] == '.' || fstat(fd, &info) != 0 || !S_ISSOCK(info.st_mode)) continue;
        if (Matches(fd)) {
          fd_ = fd;
          break;
        }
      }
      closedir(fds);
    }
  }
  if (fd_ < 0) return false;
  if (!Matches(fd_)) return true;  // closed, and the number given to another connection
  // POLLRDHUP: the client shut its side, whatever unread bytes (a pipelined request, a TLS alert)
  // wait before the end.
  pollfd watch{fd_, POLLRDHUP, 0};
  if (poll(&watch, 1, 0) < 0) return false;
  return (watch.revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL)) != 0;
}

}  // namespace ducklake
