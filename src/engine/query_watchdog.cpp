#include "engine/query_watchdog.hpp"

#include <algorithm>

namespace ducklake {

using Clock = std::chrono::steady_clock;

// Fields other than `abandoned` and `interrupt` are guarded by the watchdog's mutex.
struct QueryWatchdog::WatchedQuery {
  Clock::time_point end;  // time_point::max() without a timeout
  std::function<bool()> abandoned;
  std::function<void()> interrupt;
  Clock::time_point next_poll;
  bool interrupted = false;
  bool expired = false;
  bool was_abandoned = false;
  bool polling = false;  // `abandoned` runs, without the mutex
};

QueryWatchdog::QueryWatchdog() : thread_([this] { Run(); }) {}

QueryWatchdog::~QueryWatchdog() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

QueryWatchdog::Deadline::Deadline(QueryWatchdog &watchdog, int64_t timeout_ms, std::function<bool()> abandoned,
                                  std::function<void()> interrupt) {
  if (timeout_ms <= 0 && !abandoned) return;
  query_ = std::make_shared<WatchedQuery>();
  auto now = Clock::now();
  query_->end = timeout_ms > 0 ? now + std::chrono::milliseconds(timeout_ms) : Clock::time_point::max();
  query_->abandoned = std::move(abandoned);
  query_->interrupt = std::move(interrupt);
  query_->next_poll = now + kAbandonPoll;
  watchdog_ = &watchdog;
  {
    std::lock_guard<std::mutex> lock(watchdog.mutex_);
    watchdog.queries_.push_back(query_);
  }
  watchdog.changed_.notify_all();
}

QueryWatchdog::Deadline::~Deadline() {
  if (!watchdog_) return;
  std::unique_lock<std::mutex> lock(watchdog_->mutex_);
  auto &queries = watchdog_->queries_;
  queries.erase(std::find(queries.begin(), queries.end(), query_));
  // `abandoned` may refer to what the caller frees once this returns.
  watchdog_->polled_.wait(lock, [this] { return !query_->polling; });
}

bool QueryWatchdog::Deadline::Expired() const {
  if (!watchdog_) return false;
  std::lock_guard<std::mutex> lock(watchdog_->mutex_);
  return query_->expired;
}

bool QueryWatchdog::Deadline::Abandoned() const {
  if (!watchdog_) return false;
  std::lock_guard<std::mutex> lock(watchdog_->mutex_);
  return query_->was_abandoned;
}

void QueryWatchdog::Run() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    auto now = Clock::now();
    auto wake = Clock::time_point::max();
    std::vector<std::shared_ptr<WatchedQuery>> to_poll;
    for (const auto &query : queries_) {
      if (query->interrupted) continue;
      if (now >= query->end) {
        query->interrupted = query->expired = true;
        query->interrupt();
        continue;
      }
      if (query->abandoned && now >= query->next_poll) {
        query->polling = true;
        query->next_poll = now + kAbandonPoll;
        to_poll.push_back(query);
      }
      wake = std::min(wake, query->end);
      if (query->abandoned) wake = std::min(wake, query->next_poll);
    }
    if (!to_poll.empty()) {
      std::vector<bool> gone;
      lock.unlock();
      for (const auto &query : to_poll) {
        try {
          gone.push_back(query->abandoned());
        } catch (...) {
          gone.push_back(false);  // asked again at the next poll
        }
      }
      lock.lock();
      for (size_t i = 0; i < to_poll.size(); i++) {
        auto &query = *to_poll[i];
        query.polling = false;
        bool watched = std::find(queries_.begin(), queries_.end(), to_poll[i]) != queries_.end();
        if (gone[i] && watched && !query.interrupted) {
          query.interrupted = query.was_abandoned = true;
          query.interrupt();
        }
      }
      polled_.notify_all();
      continue;
    }
    if (wake == Clock::time_point::max()) {
      changed_.wait(lock);
    } else {
      changed_.wait_until(lock, wake);
    }
  }
}

}  // namespace ducklake
