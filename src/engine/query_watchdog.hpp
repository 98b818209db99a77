#pragma once
// QueryWatchdog: interrupts running queries at their timeout, or once nobody waits for their
// result any more, from one thread for every query of an engine. (A watching thread per query
// cost more than a small query itself.) Thread-safe.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "engine/queries.hpp"

namespace ducklake {

class QueryWatchdog {
  struct WatchedQuery;

 public:
  // How often a deadline's `abandoned` is asked.
  static constexpr std::chrono::milliseconds kAbandonPoll{QueryOptions::kAbandonPollMs};

  QueryWatchdog();
  // Every Deadline of this watchdog must have ended.
  ~QueryWatchdog();
  QueryWatchdog(const QueryWatchdog &) = delete;
  QueryWatchdog &operator=(const QueryWatchdog &) = delete;

  // One query watched, from construction to destruction. `interrupt` is called at most once, on the
  // watchdog's thread and never after the destructor returned: once `timeout_ms` passed (never
  // when it is <= 0), or once `abandoned` (asked every kAbandonPoll when given; it must be cheap
  // and thread-safe) answered true. The destructor waits for a call of `abandoned` in progress.
  class Deadline {
   public:
    Deadline(QueryWatchdog &watchdog, int64_t timeout_ms, std::function<bool()> abandoned,
             std::function<void()> interrupt);
    ~Deadline();
    Deadline(const Deadline &) = delete;
    Deadline &operator=(const Deadline &) = delete;

    bool Expired() const;    // interrupted at its timeout
    bool Abandoned() const;  // interrupted because nobody waits for it

   private:
    QueryWatchdog *watchdog_ = nullptr;  // null when there is nothing to watch
    std::shared_ptr<WatchedQuery> query_;
  };

 private:
  void Run();

  std::mutex mutex_;
  std::condition_variable changed_;  // a query came or went, or the watchdog stops
  std::condition_variable polled_;   // a call of `abandoned` ended
  std::vector<std::shared_ptr<WatchedQuery>> queries_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace ducklake
