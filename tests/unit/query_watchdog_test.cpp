// QueryWatchdog: one thread interrupts every query at its deadline or once it is abandoned, and
// never after its Deadline ended.
#include "engine/query_watchdog.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>

namespace ducklake {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

TEST(QueryWatchdogTest, InterruptsEachQueryOnceAtItsOwnTimeout) {
  QueryWatchdog watchdog;
  constexpr int kQueries = 40;
  std::vector<std::atomic<int>> calls(kQueries);
  std::vector<std::atomic<Clock::rep>> called(kQueries);  // when, in ticks since `start`
  const auto start = Clock::now();
  std::vector<std::unique_ptr<QueryWatchdog::Deadline>> deadlines;
  for (int i = 0; i < kQueries; i++) {
    // Timeouts from 20 to 410 ms, registered out of order.
    int timeout_ms = 20 + ((i * 7) % kQueries) * 10;
    deadlines.push_back(std::make_unique<QueryWatchdog::Deadline>(watchdog, timeout_ms, nullptr, [&, i] {
      calls[i]++;
      called[i] = (Clock::now() - start).count();
    }));
  }
  std::this_thread::sleep_for(600ms);
  for (int i = 0; i < kQueries; i++) {
    int timeout_ms = 20 + ((i * 7) % kQueries) * 10;
    EXPECT_EQ(calls[i].load(), 1) << i;
    EXPECT_TRUE(deadlines[i]->Expired()) << i;
    EXPECT_FALSE(deadlines[i]->Abandoned()) << i;
    EXPECT_GE(Clock::duration(called[i].load()), std::chrono::milliseconds(timeout_ms)) << i;
  }
}

TEST(QueryWatchdogTest, AQueryThatEndsInTimeIsNeverInterrupted) {
  QueryWatchdog watchdog;
  std::atomic<int> calls{0};
  {
    QueryWatchdog::Deadline deadline(watchdog, 100, [] { return false; }, [&] { calls++; });
  }
  QueryWatchdog::Deadline unwatched(watchdog, 0, nullptr, [&] { calls++; });  // nothing to watch
  std::this_thread::sleep_for(400ms);
  EXPECT_EQ(calls.load(), 0);
  EXPECT_FALSE(unwatched.Expired());
}

TEST(QueryWatchdogTest, AnAbandonedQueryIsInterruptedAtTheNextPoll) {
  QueryWatchdog watchdog;
  std::atomic<bool> gone{false};
  std::atomic<int> asked{0};
  std::atomic<int> calls{0};
  QueryWatchdog::Deadline deadline(watchdog, 0, [&] {
    asked++;
    return gone.load();
  }, [&] { calls++; });
  std::this_thread::sleep_for(QueryWatchdog::kAbandonPoll * 2 + 50ms);
  EXPECT_GE(asked.load(), 2);
  EXPECT_EQ(calls.load(), 0);
  gone = true;
  std::this_thread::sleep_for(QueryWatchdog::kAbandonPoll + 100ms);
  EXPECT_EQ(calls.load(), 1);
  EXPECT_TRUE(deadline.Abandoned());
  EXPECT_FALSE(deadline.Expired());
}

TEST(QueryWatchdogTest, TheDeadlineWaitsForAPollInProgress) {
  QueryWatchdog watchdog;
  std::atomic<bool> polling{false};
  std::atomic<bool> poll_done{false};
  {
    QueryWatchdog::Deadline deadline(watchdog, 0, [&] {
      polling = true;
      std::this_thread::sleep_for(200ms);
      poll_done = true;
      return true;
    }, [] {});
    while (!polling) std::this_thread::sleep_for(5ms);
  }
  // What the poll referred to may go once the deadline ended: the poll had to be over.
  EXPECT_TRUE(poll_done.load());
}

TEST(QueryWatchdogTest, APollThatThrowsCountsAsStillWaiting) {
  QueryWatchdog watchdog;
  std::atomic<int> asked{0};
  std::atomic<int> calls{0};
  QueryWatchdog::Deadline deadline(watchdog, 0, [&]() -> bool {
    asked++;
    throw std::runtime_error("socket check failed");
  }, [&] { calls++; });
  std::this_thread::sleep_for(QueryWatchdog::kAbandonPoll * 2 + 50ms);
  EXPECT_GE(asked.load(), 2);
  EXPECT_EQ(calls.load(), 0);
}

}  // namespace
}  // namespace ducklake
