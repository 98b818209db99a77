#pragma once
// Threads kept for reuse, for work that needs a thread of its own for a while (a streamed
// response's producer). Starting a thread per request cost more than a small query itself: a
// thread's creation, its first allocations and its end showed as a fifth of a small commit's CPU.
//
// A task starts at once: on an idle thread when there is one, else on a new thread, so the number
// of threads follows the number of tasks running together (bound them where the tasks come from);
// a thread idle for `idle_timeout` ends. Thread-safe.

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <mutex>

namespace ducklake {

class WorkerPool {
 public:
  explicit WorkerPool(std::chrono::milliseconds idle_timeout = std::chrono::seconds(30));
  // Waits until every task submitted has ended (a task that never ends blocks it).
  ~WorkerPool();
  WorkerPool(const WorkerPool &) = delete;
  WorkerPool &operator=(const WorkerPool &) = delete;

  // Runs `task` on a pool thread. The future is ready once it ended, and holds what it threw.
  std::future<void> Run(std::function<void()> task);

  // Threads alive at this moment, running a task or idle.
  size_t Threads();

 private:
  void Work();

  const std::chrono::milliseconds idle_timeout_;
  std::mutex mutex_;
  std::condition_variable queued_;   // a task was queued, or the pool stops
  std::condition_variable ended_;    // a thread ended
  std::deque<std::packaged_task<void()>> tasks_;
  size_t threads_ = 0;
  size_t idle_ = 0;  // threads waiting for a task
  bool stopping_ = false;
};

}  // namespace ducklake
