#pragma once
// LocalStore: an ObjectStore on a local directory. Writes go to a temporary file in
// <root>/.tmp and are renamed into place on Commit (atomic on POSIX); the ETag is derived from
// size, modification time and inode, so any rewrite changes it. A multipart upload is the folder
// <root>/.uploads/<id> (id: 32 lower-case hex digits) holding a `key` file naming the key it
// belongs to and one file per part, written like objects; part ETags are made like object ETags.
// Completion joins the parts into a temporary file and renames it into place. Uploads that are
// never completed or aborted stay until they are. Neither folder is ever listed, and keys under
// them are rejected. There are no presigned URLs.

#include <string>

#include "storage/object_store.hpp"

namespace ducklake {

class LocalStore : public ObjectStore {
 public:
  // Creates `root` if it does not exist.
  explicit LocalStore(std::string root);

  std::unique_ptr<ObjectWriter> Put(const std::string &key) override;
  ObjectInfo Get(const std::string &key, std::optional<ByteRange> range, const ByteSink &sink) override;
  // Reads the file itself, on the caller's thread.
  std::unique_ptr<ObjectReader> Open(const std::string &key, std::optional<ByteRange> range) override;
  ObjectInfo Head(const std::string &key) override;
  ListPage List(const std::string &prefix, const std::string &delimiter, const std::string &cursor,
                size_t limit) override;
  void Delete(const std::string &key) override;
  void DeleteMany(const std::vector<std::string> &keys) override;
  ObjectInfo Copy(const std::string &from_key, const std::string &to_key) override;
  void Ping() override;

  std::string CreateMultipart(const std::string &key) override;
  std::unique_ptr<ObjectWriter> PutPart(const std::string &key, const std::string &upload_id, int part_number,
                                        uint64_t size) override;
  std::vector<PartInfo> ListParts(const std::string &key, const std::string &upload_id) override;
  ObjectInfo CompleteMultipart(const std::string &key, const std::string &upload_id,
                               const std::vector<PartInfo> &parts) override;
  void AbortMultipart(const std::string &key, const std::string &upload_id) override;

  // Always nullopt: a directory has no URLs of its own.
  std::optional<std::string> PresignUrl(const std::string &method, const std::string &key,
                                        std::chrono::seconds expires_in, const PresignOptions &options) override;
  ObjectLocation Location(const std::string &key) const override { return {"file", PathOf(key)}; }

 private:
  std::string PathOf(const std::string &key) const;
  // PathOf for a key an object can be written to.
  std::string WritablePathOf(const std::string &key) const;
  std::string NewTempPath() const;
  // The folder of upload `upload_id` of `key`; kNotFound unless it exists and belongs to `key`.
  std::string UploadFolder(const std::string &key, const std::string &upload_id) const;

  std::string root_;  // absolute, without trailing '/'
};

}  // namespace ducklake
