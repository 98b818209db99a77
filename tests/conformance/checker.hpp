#pragma once
// Runs a statement on DuckLake (through its API) and on the reference, and judges the pair:
//   agreeing            both answered the same, or both refused (the API with a 4xx; counted
//                       apart too, since a generator that makes mostly errors tests little);
//   refused as documented  a statement the suite expects DuckLake to refuse (the sandbox, the
//                       format's limits), refused with a 4xx;
//   failing             anything else: different answers, a refusal one side only, a refusal the
//                       suite did not expect;
//   5xx                 the API answered 5xx (a bug whatever the statement).
// Every judgement goes to the Report, which prints the failures and the one-line summary. Not
// thread-safe.

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "api_client.hpp"
#include "compare.hpp"
#include "reference.hpp"

namespace ducklake::conformance {

enum class Verdict { kAgree, kBothRefused, kDocumentedRefusal, kFail, kServerError };

class Report {
 public:
  void Add(Verdict verdict, const std::string &source, const std::string &sql, const std::string &why);
  // "N statements compared, N agreeing (N refused by both), N refused as documented, N failing, N 5xx"
  std::string Summary() const;
  // Prints every statement judged, with its verdict (--verbose).
  void set_verbose(std::ostream *out) { verbose_ = out; }
  void PrintFailures(std::ostream &out, size_t max) const;
  bool Passed() const { return failing_ == 0 && server_errors_ == 0; }
  size_t compared() const { return compared_; }
  size_t failures() const { return failures_.size(); }

 private:
  struct Failure {
    std::string source, sql, why;
    bool server_error;
  };
  size_t compared_ = 0, agreeing_ = 0, both_refused_ = 0, documented_ = 0, failing_ = 0, server_errors_ = 0;
  std::ostream *verbose_ = nullptr;
  std::vector<Failure> failures_;
};

// What the suite expects of one statement.
struct Expectation {
  std::optional<std::string> refused;  // a documented refusal (why): the API must answer 4xx
  std::optional<bool> ordered;         // default: whether the statement has a top-level ORDER BY
  bool rows_only = false;              // compare only columns and row count (SAMPLE, ...)
  std::optional<int64_t> snapshot;     // read the lake as of this snapshot (the query's "snapshot")
};

struct Judgement {
  Judgement() = default;
  Judgement(Verdict verdict, std::string why) : verdict(verdict), why(std::move(why)) {}

  Verdict verdict = Verdict::kAgree;
  std::string why;
  std::optional<int64_t> snapshot_id;  // a write both sides made: the snapshot it committed
};

class Checker {
 public:
  Checker(ApiClient &api, Reference &reference) : api_(api), reference_(reference) {}

  // A query, judged without reporting (the query generator minimises failures first).
  Judgement JudgeQuery(const std::string &sql, const Expectation &expect = {});
  // A write or DDL statement, or several as one transaction: both sides run it; they must agree
  // on whether it works and on how many rows it changed. The caller compares the tables after.
  Judgement JudgeWrite(const std::vector<std::string> &statements, const Expectation &expect = {});

  ApiClient &api() { return api_; }
  Reference &reference() { return reference_; }

 private:
  ApiClient &api_;
  Reference &reference_;
};

}  // namespace ducklake::conformance
