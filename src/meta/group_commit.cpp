#include "meta/group_commit.hpp"

#include <vector>

namespace ducklake {

struct GroupCommit::Batch {
  std::vector<std::function<void(MetaTransaction &)>> writes;
  bool done = false;
  std::exception_ptr error;
};

void GroupCommit::Run(std::function<void(MetaTransaction &)> write) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (!open_) open_ = std::make_shared<Batch>();
  auto batch = open_;
  batch->writes.push_back(std::move(write));
  // One thread commits at a time; whoever is free when a batch is waiting takes all of it.
  while (!batch->done) {
    if (!committing_ && open_ == batch) {
      committing_ = true;
      open_.reset();
      lock.unlock();
      try {
        auto txn = meta_.Begin(mode_);
        for (const auto &pending : batch->writes) pending(*txn);
        txn->Commit();
      } catch (...) {
        batch->error = std::current_exception();
      }
      lock.lock();
      batch->done = true;
      committing_ = false;
      done_.notify_all();
      break;
    }
    done_.wait(lock);
  }
  if (batch->error) std::rethrow_exception(batch->error);
}

}  // namespace ducklake
