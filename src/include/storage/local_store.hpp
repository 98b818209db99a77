#pragma once
// LocalStore: an ObjectStore on a local directory. Writes go to a temporary file in
// <root>/.tmp and are renamed into place on Commit (atomic on POSIX); the ETag is derived from
// size, modification time and inode, so any rewrite changes it.

#include <string>

#include "storage/object_store.hpp"

namespace ducklake {

class LocalStore : public ObjectStore {
 public:
  // Creates `root` if it does not exist.
  explicit LocalStore(std::string root);

  std::unique_ptr<ObjectWriter> Put(const std::string &key) override;
  ObjectInfo Get(const std::string &key, std::optional<ByteRange> range, const ByteSink &sink) override;
  ObjectInfo Head(const std::string &key) override;
  ListPage List(const std::string &prefix, const std::string &delimiter, const std::string &cursor,
                size_t limit) override;
  void Delete(const std::string &key) override;
  void DeleteMany(const std::vector<std::string> &keys) override;
  ObjectInfo Copy(const std::string &from_key, const std::string &to_key) override;
  void Ping() override;

 private:
  std::string PathOf(const std::string &key) const;

  std::string root_;  // absolute, without trailing '/'
};

}  // namespace ducklake
