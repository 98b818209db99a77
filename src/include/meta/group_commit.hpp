#pragma once
// GroupCommit: writes that threads hand in at about the same time run in one metadata transaction,
// so many small writes share one commit (and, on PostgreSQL, one wait for the write lock). Run
// returns once the transaction that ran the write has committed, and throws its error if it did
// not: a failing write fails every write of its batch, none of which is kept. Thread-safe.

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>

#include "meta/meta_store.hpp"

namespace ducklake {

class GroupCommit {
 public:
  GroupCommit(MetaStore &meta, TransactionMode mode) : meta_(meta), mode_(mode) {}

  void Run(std::function<void(MetaTransaction &)> write);

 private:
  struct Batch;

  MetaStore &meta_;
  TransactionMode mode_;
  std::mutex mutex_;
  std::condition_variable done_;
  std::shared_ptr<Batch> open_;  // writes waiting for the next commit
  bool committing_ = false;
};

}  // namespace ducklake
