#include "common/worker_pool.hpp"

#include <thread>

namespace ducklake {

WorkerPool::WorkerPool(std::chrono::milliseconds idle_timeout) : idle_timeout_(idle_timeout) {}

WorkerPool::~WorkerPool() {
  std::unique_lock<std::mutex> lock(mutex_);
  stopping_ = true;
  queued_.notify_all();
  ended_.wait(lock, [this] { return threads_ == 0; });
}

std::future<void> WorkerPool::Run(std::function<void()> task) {
  std::packaged_task<void()> packaged(std::move(task));
  auto done = packaged.get_future();
  std::lock_guard<std::mutex> lock(mutex_);
  // Every idle thread takes one queued task: a new thread only when they are fewer than the tasks.
  if (tasks_.size() + 1 > idle_) {
    std::thread([this] { Work(); }).detach();  // if it cannot start, it throws and nothing changed
    threads_++;
  } else {
    queued_.notify_one();
  }
  tasks_.push_back(std::move(packaged));
  return done;
}

size_t WorkerPool::Threads() {
  std::lock_guard<std::mutex> lock(mutex_);
  return threads_;
}

void WorkerPool::Work() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    if (!tasks_.empty()) {
      auto task = std::move(tasks_.front());
      tasks_.pop_front();
      lock.unlock();
      task();
      lock.lock();
      continue;
    }
    if (stopping_) break;
    idle_++;
    bool woken = queued_.wait_for(lock, idle_timeout_, [this] { return !tasks_.empty() || stopping_; });
    idle_--;
    if (!woken) break;
  }
  threads_--;
  // Notified under the lock: the destructor may return, and the pool go, as soon as it sees 0.
  ended_.notify_all();
}

}  // namespace ducklake
