#include "checker.hpp"

#include <fmt/format.h>

#include <ostream>

namespace ducklake::conformance {
namespace {

std::string OneLine(std::string text, size_t max = 400) {
  for (auto &c : text) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return text.size() > max ? text.substr(0, max) + "…" : text;
}

// Judges the API's refusal or failure before any comparison; nullopt when both answered.
std::optional<Judgement> JudgeRefusals(const ApiAnswer &api, const ReferenceResult &reference,
                                       const Expectation &expect) {
  if (api.status >= 500) return Judgement{Verdict::kServerError, fmt::format("HTTP {}: {}", api.status, api.Detail())};
  if (expect.refused) {
    if (!api.ok()) return Judgement{Verdict::kDocumentedRefusal, ""};
    return Judgement{Verdict::kFail, "the API should have refused it (" + *expect.refused + "), and answered"};
  }
  if (reference.error) {
    if (!api.ok()) return Judgement{Verdict::kBothRefused, ""};
    return Judgement{Verdict::kFail, "the API answered where DuckDB refused: " + OneLine(*reference.error)};
  }
  if (!api.ok()) {
    return Judgement{Verdict::kFail, fmt::format("the API refused (HTTP {}: {}) what DuckDB answers", api.status,
                                                 OneLine(api.Detail()))};
  }
  return std::nullopt;
}

}  // namespace

void Report::Add(Verdict verdict, const std::string &source, const std::string &sql, const std::string &why) {
  compared_++;
  if (verbose_) {
    static const char *kNames[] = {"agree", "both refused", "documented refusal", "FAIL", "5XX"};
    *verbose_ << kNames[static_cast<int>(verdict)] << "  " << source << ": " << OneLine(sql, 1000) << "\n";
  }
  switch (verdict) {
    case Verdict::kAgree:
      agreeing_++;
      return;
    case Verdict::kBothRefused:
      agreeing_++;
      both_refused_++;
      return;
    case Verdict::kDocumentedRefusal:
      documented_++;
      return;
    case Verdict::kFail:
      failing_++;
      break;
    case Verdict::kServerError:
      server_errors_++;
      break;
  }
  failures_.push_back({source, sql, why, verdict == Verdict::kServerError});
}

std::string Report::Summary() const {
  return fmt::format("{} statements compared, {} agreeing ({} refused by both), {} refused as documented, {} failing, "
                     "{} 5xx",
                     compared_, agreeing_, both_refused_, documented_, failing_, server_errors_);
}

void Report::PrintFailures(std::ostream &out, size_t max) const {
  for (size_t i = 0; i < failures_.size() && i < max; i++) {
    const auto &failure = failures_[i];
    out << (failure.server_error ? "5XX  " : "FAIL ") << failure.source << "\n  " << OneLine(failure.sql, 2000)
        << "\n  " << OneLine(failure.why, 1000) << "\n";
  }
  if (failures_.size() > max) out << "… and " << failures_.size() - max << " more\n";
}

Judgement Checker::JudgeQuery(const std::string &sql, const Expectation &expect) {
  auto api = api_.Query(sql, expect.snapshot);
  bool travels = expect.snapshot || sql.find(" AT ") != std::string::npos || sql.find(" at ") != std::string::npos;
  auto reference = reference_.Run(travels ? reference_.AtVersions(sql, expect.snapshot) : sql);
  if (auto judged = JudgeRefusals(api, reference, expect)) return *judged;
  CompareOptions options;
  options.ordered = expect.ordered.value_or(Reference::IsOrdered(sql));
  options.rows_only = expect.rows_only;
  if (auto difference = Difference(reference, api.json, options)) return {Verdict::kFail, *difference};
  return {};
}

Judgement Checker::JudgeWrite(const std::vector<std::string> &statements, const Expectation &expect) {
  auto api = statements.size() == 1 ? api_.Query(statements[0]) : api_.Statements(statements);
  // The reference runs them as one transaction too: all or nothing.
  std::vector<ReferenceResult> results;
  ReferenceResult failed;
  if (statements.size() > 1) reference_.Run("BEGIN TRANSACTION");
  for (const auto &statement : statements) {
    results.push_back(reference_.Run(statement));
    if (results.back().error) {
      failed = results.back();
      break;
    }
  }
  if (statements.size() > 1) {
    auto ended = reference_.Run(failed.error ? "ROLLBACK" : "COMMIT");
    if (ended.error && !failed.error) failed = ended;  // DuckDB can refuse the commit itself
  }
  if (auto judged = JudgeRefusals(api, failed.error ? failed : results.back(), expect)) return *judged;
  // Rows changed, as each side counts them: DuckDB's "Count", the API's rows_written/_deleted/_updated.
  std::vector<int64_t> api_counts;
  Judgement judgement;
  if (statements.size() == 1) {
    const auto &rows = api.json["rows"];
    if (!rows.is_array() || rows.size() != 1 || rows[0].size() != 2) {
      return {Verdict::kFail, "a write's answer is not {count, snapshot_id}: " + api.body.substr(0, 300)};
    }
    api_counts.push_back(rows[0][0].get<int64_t>());
    judgement.snapshot_id = rows[0][1].get<int64_t>();
  } else {
    for (const auto &outcome : api.json["statements"]) api_counts.push_back(outcome.begin().value().get<int64_t>());
    judgement.snapshot_id = api.json["snapshot_id"].get<int64_t>();
  }
  for (size_t i = 0; i < results.size() && i < api_counts.size(); i++) {
    const auto &result = results[i];
    if (result.names.size() == 1 && result.names[0] == "Count" && result.rows.size() == 1) {
      auto expected = result.rows[0][0].GetValue<int64_t>();
      if (expected != api_counts[i]) {
        return {Verdict::kFail, fmt::format("statement {}: {} rows changed expected, the API says {}", i + 1, expected,
                                            api_counts[i])};
      }
    }
  }
  return judgement;
}

}  // namespace ducklake::conformance
