#pragma once
// Whether the client of a request is still connected (api-private). httplib does not hand a
// handler its socket, so the socket is found once, by its two addresses, among the process's open
// descriptors; every later answer checks those addresses again, since a descriptor's number is
// reused once its connection closes. Thread-safe: a query's watchdog asks from its own thread
// while the connection's thread serves the request.

#include <httplib.h>

#include <mutex>
#include <string>

namespace ducklake {

class ClientConnection {
 public:
  explicit ClientConnection(const httplib::Request &request);

  // True once the client has closed or reset its side of the connection (or the connection is
  // gone). A half-close (shutdown(SHUT_WR) after sending the request) counts as gone too: the
  // socket cannot tell it from a close, and HTTP clients do not half-close while they still want
  // the answer. A socket that cannot be found counts as connected: never a false "gone".
  bool Gone();

 private:
  bool Matches(int fd) const;

  const std::string remote_addr_;
  const int remote_port_;
  const std::string local_addr_;
  const int local_port_;
  std::mutex mutex_;
  int fd_ = -1;
  bool searched_ = false;
};

}  // namespace ducklake
