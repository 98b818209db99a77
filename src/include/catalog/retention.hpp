#pragma once
// Retention: how long the table format keeps what it no longer needs. Expiring snapshots ends
// time travel to them and schedules the files only they read; the schedule and the set of keys the
// catalog refers to are what cleanup deletes by and spares. Stateless over the MetaStore;
// thread-safe. Errors are ducklake::Error: kInvalidInput for bad limits, kUnavailable.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "meta/meta_store.hpp"

namespace ducklake {

// What expiring snapshots did (or, in a dry run, would do).
struct ExpireResult {
  std::vector<int64_t> expired_snapshots;
  std::vector<std::string> scheduled_files;  // keys no kept snapshot reads any more
};

class Retention {
 public:
  explicit Retention(MetaStore &meta) : meta_(meta) {}

  // Forgets snapshots older than `older_than_unix_ms` (when given) except the newest `keep_last`
  // (at least 1), and schedules the files only they read for deletion. Time travel to them ends.
  ExpireResult ExpireSnapshots(std::optional<int64_t> older_than_unix_ms, int64_t keep_last, bool dry_run);

  // Keys of files scheduled for deletion at least `min_age_ms` ago; ForgetScheduledFiles drops
  // them from the schedule once they are gone from the store.
  std::vector<std::string> ScheduledFiles(int64_t min_age_ms);
  void ForgetScheduledFiles(const std::vector<std::string> &keys);

  // Every object key the catalog refers to (data, delete and scheduled files).
  std::vector<std::string> ReferencedKeys();

 private:
  MetaStore &meta_;
};

}  // namespace ducklake
