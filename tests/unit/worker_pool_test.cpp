// WorkerPool: tasks start at once, threads are reused, idle ones end, the destructor waits.
#include "common/worker_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

namespace ducklake {
namespace {

using namespace std::chrono_literals;

// Blocks every task until Open(); counts the tasks waiting.
class Gate {
 public:
  void Wait() {
    std::unique_lock<std::mutex> lock(mutex_);
    waiting_++;
    changed_.notify_all();
    changed_.wait(lock, [this] { return open_; });
  }
  void AwaitWaiting(int count) {
    std::unique_lock<std::mutex> lock(mutex_);
    ASSERT_TRUE(changed_.wait_for(lock, 10s, [&] { return waiting_ == count; })) << waiting_ << " of " << count;
  }
  void Open() {
    std::lock_guard<std::mutex> lock(mutex_);
    open_ = true;
    changed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int waiting_ = 0;
  bool open_ = false;
};

TEST(WorkerPoolTest, TasksThatBlockEachGetAThread) {
  WorkerPool pool;
  Gate gate;
  std::vector<std::future<void>> done;
  // Each task waits for all the others: they only end if all 16 run at the same time.
  for (int i = 0; i < 16; i++) done.push_back(pool.Run([&gate] { gate.Wait(); }));
  gate.AwaitWaiting(16);
  EXPECT_EQ(pool.Threads(), 16u);
  gate.Open();
  for (auto &task : done) task.get();
}

TEST(WorkerPoolTest, ThreadsAreReusedOneTaskAfterTheOther) {
  WorkerPool pool;
  std::set<std::thread::id> threads;
  for (int i = 0; i < 200; i++) {
    std::thread::id id;
    pool.Run([&id] { id = std::this_thread::get_id(); }).get();
    threads.insert(id);
  }
  // A task's thread is idle again a moment after its future is ready; a thread the scheduler kept
  // from getting there before the next task came adds one. Far fewer threads than tasks, whatever
  // the machine's load.
  EXPECT_LE(threads.size(), 8u);
  EXPECT_LE(pool.Threads(), 8u);
}

TEST(WorkerPoolTest, IdleThreadsEnd) {
  WorkerPool pool(50ms);
  Gate gate;
  std::vector<std::future<void>> done;
  for (int i = 0; i < 4; i++) done.push_back(pool.Run([&gate] { gate.Wait(); }));
  gate.AwaitWaiting(4);
  gate.Open();
  for (auto &task : done) task.get();
  for (int i = 0; i < 200 && pool.Threads() > 0; i++) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(pool.Threads(), 0u);
  pool.Run([] {}).get();  // and a new one starts when needed
}

TEST(WorkerPoolTest, WhatATaskThrowsReachesItsFuture) {
  WorkerPool pool;
  auto failed = pool.Run([] { throw std::runtime_error("no"); });
  EXPECT_THROW(failed.get(), std::runtime_error);
  pool.Run([] {}).get();  // the thread survived it
}

TEST(WorkerPoolTest, TheDestructorWaitsForRunningTasks) {
  std::atomic<int> finished{0};
  {
    WorkerPool pool;
    for (int i = 0; i < 8; i++) {
      pool.Run([&finished] {
        std::this_thread::sleep_for(20ms);
        finished++;
      });
    }
  }
  EXPECT_EQ(finished.load(), 8);
}

}  // namespace
}  // namespace ducklake
