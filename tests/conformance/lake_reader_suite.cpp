#include "lake_reader_suite.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <iostream>
#include <stdexcept>

#include "lake_reader.hpp"
#include "meta/meta_store.hpp"

namespace ducklake::conformance {
namespace {

constexpr const char *kNamespace = "lr";
// The extension's name for the attached lake.
constexpr const char *kReaderCatalog = "lake";
constexpr const char *kSource = "lake-reader";

struct Snapshot {
  int64_t id;
  std::string time;  // RFC 3339, as the API gives it
};

class Session {
 public:
  Session(ApiClient &api, const LakeReaderOptions &options, Report &report)
      : api_(api), options_(options), report_(report), reader_(options.extension),
        catalog_(OpenMetaStore(options.catalog_url)) {}

  // A step of the scripted history through the API; it must succeed. Returns its snapshot.
  int64_t Write(const std::string &sql) {
    auto answer = api_.Query(sql);
    if (!answer.ok()) throw std::runtime_error(fmt::format("history step failed ({}): {}\n  in: {}", answer.status, answer.Detail(), sql));
    return answer.json["rows"][0].back().get<int64_t>();
  }
  void Post(const std::string &path, const nlohmann::json &body) {
    auto answer = api_.Post(path, body);
    if (!answer.ok()) throw std::runtime_error(fmt::format("POST {} failed ({}): {}", path, answer.status, answer.Detail()));
  }
  void Ingest(const std::string &table, const std::string &csv) {
    auto answer = api_.Upload(kNamespace, table, csv, "format=csv&mode=create");
    if (!answer.ok()) throw std::runtime_error(fmt::format("ingest failed ({}): {}", answer.status, answer.Detail()));
  }

  std::vector<Snapshot> Snapshots() {
    auto answer = api_.Get("/api/v1/snapshots?limit=1000");
    if (!answer.ok()) throw std::runtime_error("GET /api/v1/snapshots: " + answer.Detail());
    std::vector<Snapshot> snapshots;
    for (const auto &row : answer.json["snapshots"]) snapshots.push_back({row["snapshot_id"], row["time"]});
    std::reverse(snapshots.begin(), snapshots.end());
    return snapshots;
  }

  void Attach(const std::string &options = "") {
    reader_.CopyIn(*catalog_, options_.scratch + "/lake-reader.duckdb", kReaderCatalog, options_.data_path, options);
  }
  void CopyBack() { reader_.CopyOut(*catalog_); }

  // The extension runs a write; it must succeed.
  void ReaderWrite(const std::string &sql) {
    auto result = reader_.Run(sql);
    if (result.error) throw std::runtime_error("the extension refused a write: " + *result.error + "\n  in: " + sql);
  }

  // What the extension alone answers to `sql`, as text, must be `expected`.
  void ExpectFromReader(const std::string &sql, const std::string &expected, const std::string &stage) {
    auto result = reader_.Run(sql);
    std::string text;
    for (const auto &row : result.rows) {
      for (size_t i = 0; i < row.size(); i++) text += (i ? "|" : "") + row[i].ToString();
      text += ";";
    }
    auto source = std::string(kSource) + " (" + stage + ")";
    if (result.error) {
      report_.Add(Verdict::kFail, source, sql, "the extension refused it: " + *result.error);
    } else if (text != expected) {
      report_.Add(Verdict::kFail, source, sql, "the extension answered " + text + ", expected " + expected);
    } else {
      report_.Add(Verdict::kAgree, source, sql, "");
    }
  }

  // `sql` run by both, judged like a conformance query.
  void Compare(const std::string &sql, const std::string &stage) {
    auto api = api_.Query(sql);
    auto expected = reader_.Run(sql);
    auto source = std::string(kSource) + " (" + stage + ")";
    if (api.status >= 500) {
      report_.Add(Verdict::kServerError, source, sql, fmt::format("HTTP {}: {}", api.status, api.Detail()));
    } else if (!api.ok() && expected.error) {
      report_.Add(Verdict::kBothRefused, source, sql, "");
    } else if (!api.ok()) {
      report_.Add(Verdict::kFail, source, sql, "DuckLake refused what the extension answers: " + api.Detail());
    } else if (expected.error) {
      report_.Add(Verdict::kFail, source, sql, "the extension refused what DuckLake answers: " + *expected.error);
    } else if (auto difference = Difference(expected, api.json, {.ordered = true})) {
      report_.Add(Verdict::kFail, source, sql, *difference);
    } else {
      report_.Add(Verdict::kAgree, source, sql, "");
    }
  }

  // Every comparison of the lake as it is now, `tables` by name.
  void CompareAll(const std::vector<std::string> &tables, const std::string &stage) {
    auto snapshots = Snapshots();
    for (const auto &table : tables) {
      auto name = fmt::format("{}.{}", kNamespace, table);
      Compare(fmt::format("SELECT * FROM {} ORDER BY ALL", name), stage);
      for (size_t i = 0; i < snapshots.size(); i++) {
        const auto &snapshot = snapshots[i];
        Compare(fmt::format("SELECT * FROM {} AT (VERSION => {}) ORDER BY ALL", name, snapshot.id), stage);
        // Snapshot times are kept to the millisecond: a time two snapshots share names neither alone
        // (DuckLake takes the later, the extension either). Both are compared by version above.
        bool shared = (i > 0 && snapshots[i - 1].time == snapshot.time) ||
                      (i + 1 < snapshots.size() && snapshots[i + 1].time == snapshot.time);
        if (shared) continue;
        Compare(fmt::format("SELECT * FROM {} AT (TIMESTAMP => TIMESTAMPTZ '{}') ORDER BY ALL", name, snapshot.time),
                stage);
      }
    }
    // The change feed over the whole history, in ranges around the snapshots where the extension is
    // known to answer wrongly.
    auto snapshots_now = Snapshots();
    std::vector<std::pair<int64_t, int64_t>> ranges = {{snapshots_now.front().id, snapshots_now.back().id}};
    for (const auto &[wrong, why] : extension_wrong_changes_) {
      auto [first, last] = ranges.back();
      if (wrong < first || wrong > last) continue;
      ranges.pop_back();
      if (wrong > first) ranges.emplace_back(first, wrong - 1);
      if (wrong < last) ranges.emplace_back(wrong + 1, last);
      report_.Add(Verdict::kDocumentedRefusal, std::string(kSource) + " (" + stage + ")",
                  fmt::format("ducklake_table_changes(..., {0}, {0})", wrong), why);
    }
    for (const auto &table : tables) {
      for (const auto &[first, last] : ranges) {
        Compare(fmt::format("SELECT * FROM ducklake_table_changes('{}', '{}', '{}', {}, {}) ORDER BY ALL",
                            kReaderCatalog, kNamespace, table, first, last),
                stage);
      }
    }
    Compare(fmt::format("SELECT * FROM ducklake_snapshots('{}') ORDER BY snapshot_id", kReaderCatalog), stage);
    Compare(fmt::format("SELECT * FROM ducklake_table_info('{}') ORDER BY table_id", kReaderCatalog), stage);
  }

 private:
  ApiClient &api_;
  const LakeReaderOptions &options_;
  Report &report_;
  LakeReader reader_;
  std::unique_ptr<MetaStore> catalog_;

 public:
  // Snapshots whose changes the extension's ducklake_table_changes gets wrong (on lakes it wrote
  // itself too), with why: ranges holding them are not compared.
  std::vector<std::pair<int64_t, std::string>> extension_wrong_changes_;
  static constexpr const char *kDeleteOfFlushedRow =
      "the DuckDB 1.4 extension dates a delete of a flushed row by the row's insert (its own flush does the same)";
  static constexpr const char *kRowsOfMergedFile =
      "the DuckDB 1.4 extension finds the rows a merge of several snapshots' files holds only in ranges holding "
      "the merged file's first snapshot (on a lake it wrote and merged itself too)";
};

std::string OrdersCsv() {
  std::string csv = "id,customer,amount,placed\n";
  for (int i = 1; i <= 20; i++) {
    csv += fmt::format("{},{},{}.{},2026-0{}-{:02}\n", i, i % 3 ? "c" + std::to_string(i % 7) : "", i * 7 % 50,
                       i % 4 * 25, i % 9 + 1, i % 28 + 1);
  }
  return csv;
}

}  // namespace

void RunLakeReaderSuite(ApiClient &api, const LakeReaderOptions &options, Report &report) {
  Session session(api, options, report);
  auto created = api.CreateNamespace(kNamespace);
  if (!created.ok()) throw std::runtime_error("create namespace: " + created.Detail());

  // The history, through DuckLake.
  // Other tables first: the DuckDB 1.4 extension misreads rows a table keeps in the catalog under
  // an older schema version once another table's schema changed (on a lake it wrote itself too).
  session.Write(
      "CREATE TABLE lr.kinds AS SELECT i AS k, [i, i + 1] AS li, {'a': i, 'b': 'x' || i} AS st, "
      "(i * 1.25)::DECIMAL(9, 2) AS d, TIMESTAMP '2026-01-02 03:04:05' + INTERVAL (i) HOUR AS ts, "
      "TIMESTAMPTZ '2026-01-02 03:04:05+00' AS tz, i::TINYINT AS tiny, i % 2 = 0 AS flag, ('00000000-0000-4000-8000-00000000000' || i)::UUID AS u "
      "FROM range(1, 4) t(i)");
  session.Write("CREATE TABLE lr.empty (a INTEGER, b VARCHAR)");
  session.Write("CREATE TABLE lr.dropped AS SELECT 1 AS x");
  session.Write("DROP TABLE lr.dropped");
  // Rows kept in the catalog, then a rename and a drop of columns, then a flush: the file holds the
  // dropped column's values under its column id, for the snapshots before the drop.
  session.Write("CREATE TABLE lr.shapes (id INTEGER, a VARCHAR, c DOUBLE)");
  session.Write("INSERT INTO lr.shapes VALUES (1, 'x', 0.5), (2, NULL, -1)");
  session.Write("ALTER TABLE lr.shapes RENAME COLUMN a TO b");
  session.Write("ALTER TABLE lr.shapes DROP COLUMN c");
  session.Post("/api/v1/maintenance/flush", {{"namespace", kNamespace}, {"table", "shapes"}});
  session.Ingest("orders", OrdersCsv());
  session.Write("INSERT INTO lr.orders VALUES (21, 'c1', 10.5, DATE '2026-03-01'), (22, NULL, 0.0, NULL)");
  session.Write("DELETE FROM lr.orders WHERE id IN (2, 5)");
  auto update = session.Write("UPDATE lr.orders SET amount = amount * 10 WHERE id IN (3, 21)");
  session.Write("ALTER TABLE lr.orders ADD COLUMN note VARCHAR");
  session.Write("INSERT INTO lr.orders VALUES (23, 'c2', 'NaN', DATE '2026-04-01', 'nan'), (24, 'c3', 1.25, NULL, 'x')");
  session.Write("INSERT INTO lr.orders VALUES (25, 'c4', 2.5, NULL, 'gone')");
  session.Write("DELETE FROM lr.orders WHERE id = 25");  // every row of a write
  // The writes so far of a few rows each were kept in the catalog (data inlining): out to Parquet,
  // with their history; later ones stay in the catalog.
  session.Post("/api/v1/maintenance/flush", {{"namespace", kNamespace}, {"table", "orders"}});
  session.extension_wrong_changes_.emplace_back(
      session.Write("UPDATE lr.orders SET note = 'flushed' WHERE id IN (23, 24)"), Session::kDeleteOfFlushedRow);
  session.Post("/api/v1/maintenance/compact", {{"namespace", kNamespace}, {"table", "orders"}});
  // The flushed file's rows leave it.
  session.extension_wrong_changes_.emplace_back(session.Snapshots().back().id, Session::kDeleteOfFlushedRow);
  session.Write("INSERT INTO lr.orders VALUES (26, 'c5', 3.0, NULL, NULL)");
  auto snapshots = session.Snapshots();
  session.Post("/api/v1/maintenance/expire", {{"keep_last", static_cast<int64_t>(snapshots.size()) - 3}});

  const std::vector<std::string> tables = {"orders", "kinds", "empty", "shapes"};
  // The extension keeps its small writes in the catalog too.
  session.Attach(", DATA_INLINING_ROW_LIMIT 10");
  session.CompareAll(tables, "DuckLake wrote");
  // Updated rows kept their row ids: the extension sees an update, not a delete and an insert. (Over
  // a range from the first snapshot kept: the extension finds a flush's file only in ranges holding
  // its first snapshot.)
  session.ExpectFromReader(fmt::format("SELECT change_type, count(*) FROM ducklake_table_changes('{}', 'lr', 'orders', "
                                       "{}, {}) WHERE snapshot_id = {} GROUP BY ALL ORDER BY ALL",
                                       kReaderCatalog, session.Snapshots().front().id, update, update),
                           "update_postimage|2;update_preimage|2;", "DuckLake wrote");

  // The other direction: the extension writes, DuckLake reads. DuckLake's rows go to Parquet first
  // and the history before is forgotten: the DuckDB 1.4 extension reads a table whose rows are kept
  // in the catalog under more than one schema version with the wrong columns, also on a lake it
  // wrote itself (ALTER between inlined inserts, then SELECT ... AT (VERSION => ...)).
  session.CopyBack();
  session.Post("/api/v1/maintenance/flush", nlohmann::json::object());
  session.Post("/api/v1/maintenance/expire", {{"keep_last", 1}});
  session.extension_wrong_changes_.clear();
  session.Attach();
  const int64_t base = session.Snapshots().back().id;  // the extension numbers its snapshots on from it
  session.ReaderWrite("INSERT INTO lr.orders VALUES (30, 'e1', 4.5, DATE '2026-05-05', 'ext')");
  session.ReaderWrite("UPDATE lr.orders SET amount = -1 WHERE id IN (1, 30)");
  // Its new rows go into the merged file below, which begins before the snapshots compared.
  session.extension_wrong_changes_.emplace_back(base + 2, Session::kRowsOfMergedFile);
  session.ReaderWrite("DELETE FROM lr.orders WHERE id = 4");
  session.ReaderWrite("ALTER TABLE lr.orders ADD COLUMN extra INTEGER");
  session.ReaderWrite("INSERT INTO lr.orders SELECT 100 + i, 'bulk', i, NULL, NULL, i FROM range(5) t(i)");
  // The extension's compaction: one file of several snapshots' rows, each row with its snapshot.
  session.ReaderWrite("INSERT INTO lr.orders VALUES (200, 'm1', 1, NULL, NULL, 1)");
  session.ReaderWrite("INSERT INTO lr.orders VALUES (201, 'm2', 2, NULL, NULL, 2)");
  session.ReaderWrite(fmt::format("CALL ducklake_merge_adjacent_files('{}')", kReaderCatalog));
  session.CopyBack();
  session.Attach();
  session.CompareAll(tables, "the extension wrote");

  // The extension keeps a few rows in the catalog (one schema version), and DuckLake reads them.
  session.CopyBack();
  session.Attach(", DATA_INLINING_ROW_LIMIT 10");
  session.ReaderWrite("INSERT INTO lr.empty VALUES (1, 'one'), (2, 'two'), (3, 'three')");
  session.ReaderWrite("INSERT INTO lr.empty VALUES (4, NULL)");
  session.ReaderWrite("DELETE FROM lr.empty WHERE a = 2");
  session.ReaderWrite("UPDATE lr.empty SET b = 'uno' WHERE a = 1");
  session.CopyBack();
  session.Attach();
  session.CompareAll(tables, "the extension kept rows in the catalog");
  session.Write("INSERT INTO lr.empty VALUES (5, 'five')");
  session.Write("DELETE FROM lr.empty WHERE a = 3");
  session.Post("/api/v1/maintenance/flush", nlohmann::json::object());
  session.CopyBack();
  session.Attach();
  session.CompareAll(tables, "DuckLake flushed the extension's rows");
}

}  // namespace ducklake::conformance
