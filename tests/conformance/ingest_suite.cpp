#include "ingest_suite.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <random>

namespace ducklake::conformance {
namespace {

using Params = std::vector<std::pair<std::string, std::string>>;

struct IngestCase {
  std::string name;    // also the table's name
  std::string format;  // csv, json, ndjson
  std::string bytes;
  Params params = {};          // the ingest's reader options, as query parameters
  std::string append_to = "";  // empty: a new table; else an existing table this file is appended to
  bool append_by_position = false;
};

std::string Quoted(const std::string &text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

std::string UrlEncode(const std::string &text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

// The case's options as DuckDB's readers take them: ", name = value", ...
std::string ReaderOptions(const IngestCase &ingest) {
  std::string options;
  std::vector<std::string> null_strings;
  for (const auto &[name, value] : ingest.params) {
    if (name == "nullstr") {
      null_strings.push_back(Quoted(value));
    } else if (name == "header") {
      options += ", header = " + value;
    } else if (name == "skip") {
      options += ", skip = " + value;
    } else if (name == "columns") {
      auto columns = nlohmann::ordered_json::parse(value);
      std::string fields;
      for (const auto &[column, type] : columns.items()) {
        fields += (fields.empty() ? "" : ", ") + Quoted(column) + ": " + Quoted(type.get<std::string>());
      }
      options += ", columns = {" + fields + "}";
    } else {
      options += fmt::format(", {} = {}", name == "delimiter" ? "delim" : name, Quoted(value));
    }
  }
  if (!null_strings.empty()) {
    std::string list;
    for (const auto &text : null_strings) list += (list.empty() ? "" : ", ") + text;
    options += ", nullstr = [" + list + "]";
  }
  return options;
}

// The reader DuckDB users write for the file: read_csv/read_json with the case's options.
std::string ReaderSql(const std::string &path, const IngestCase &ingest) {
  auto options = ReaderOptions(ingest);
  if (ingest.format == "csv") return fmt::format("read_csv({}{})", Quoted(path), options);
  if (ingest.format == "ndjson") return fmt::format("read_json({}, format = 'newline_delimited'{})", Quoted(path), options);
  return fmt::format("read_json({}{})", Quoted(path), options);
}

std::string QueryString(const IngestCase &ingest) {
  std::string query = "format=" + ingest.format;
  for (const auto &[name, value] : ingest.params) query += "&" + name + "=" + UrlEncode(value);
  return query;
}

// --- the files -----------------------------------------------------------------------------------

std::string Repeat(const std::function<std::string(int)> &line, int count) {
  std::string text;
  for (int i = 0; i < count; i++) text += line(i);
  return text;
}

std::vector<IngestCase> CsvCases() {
  std::vector<IngestCase> cases = {
      {"plain", "csv", "id,name,amount\n1,ada,12.50\n2,bob,7.25\n", {}},
      {"no_header_pipes", "csv", "123|TEST4|text1\n345|TEST5|text2\n678|TEST6|text3\n", {}},
      {"no_header_numbers", "csv", "1,2\n3,4\n5,6\n", {}},
      {"header_only", "csv", "a,b,c\n", {}},
      {"header_only_no_newline", "csv", "a,b,c", {}},
      {"one_value", "csv", "42", {}},
      {"quoted", "csv", "id,txt\n1,\"a,b\"\n2,\"line1\nline2\"\n3,\"say \"\"hi\"\"\"\n4,\"\"\n", {}},
      {"backslash_escape", "csv", "id,txt\n1,\"a\\\"b\"\n2,\"c\\\\d\"\n", {}},
      {"semicolons", "csv", "a;b;c\n1;2;3\n4;5;6\n", {}},
      {"tabs", "csv", "a\tb\n1\tx y\n2\tz\n", {}},
      {"crlf", "csv", "id,name\r\n1,a\r\n2,b\r\n", {}},
      {"mixed_line_endings", "csv", "id,name\r\n1,a\n2,b\r\n3,c\n", {}},
      {"bom", "csv", "\xEF\xBB\xBFid,name\n1,a\n2,b\n", {}},
      {"comments", "csv", "# exported 2026-12-05\nid,v\n1,2\n# a note\n3,4\n", {}},
      {"title_lines", "csv", "Orders report\n\nid,v\n1,2\n3,4\n", {}},
      {"null_texts", "csv", "id,v\n1,NULL\n2,\n3,NA\n4,5\n", {}},
      {"dates_dmy", "csv", "d,v\n01/02/2024,1\n13/12/2024,2\n31/01/2025,3\n", {}},
      {"timestamps", "csv", "ts,v\n2024-01-02 03:04:05,1\n2024-12-13 00:00:00.5,2\n", {}},
      {"iso_times", "csv", "ts,t\n2024-01-02T03:04:05Z,10:00:00\n2024-01-03T00:00:00+02:00,23:59:59\n", {}},
      {"booleans", "csv", "a,b\ntrue,t\nfalse,f\nTRUE,T\n", {}},
      {"numbers", "csv", "i,f,e,d\n1,1.5,1e3,-0\n-2,0.25,2.5E-3,007\n", {}},
      {"big_integers", "csv", "a\n9223372036854775807\n9223372036854775808\n", {}},
      {"whitespace", "csv", "a,b\n 1 , x \n2,  y\n", {}},
      {"trailing_delimiter", "csv", "a,b,\n1,2,\n3,4,\n", {}},
      {"empty_lines", "csv", "a,b\n1,2\n\n3,4\n\n", {}},
      {"all_null_column", "csv", "a,b\n1,\n2,\n", {}},
      {"duplicate_names", "csv", "a,a,b\n1,2,3\n", {}},
      {"empty_names", "csv", ",b,\n1,2,3\n", {}},
      {"odd_names", "csv", "\"first name\",Größe,\"x\"\"y\",select\n1,2,3,4\n", {}},
      {"unicode", "csv", "name,city\nJosé,São Paulo\n日本,東京\n🦆,Ducktown\n", {}},
      {"ragged", "csv", "a,b,c\n1,2,3\n4,5\n6,7,8,9\n", {}},
      {"not_utf8", "csv", "a,b\n1,\xff\xfe\n2,x\n", {}},
      {"single_quotes", "csv", "id,txt\n1,'a,b'\n2,'c'\n", {}},
      {"long_field", "csv", "id,txt\n1," + std::string(1 << 20, 'x') + "\n2,short\n", {}},
      {"many_columns", "csv",
       Repeat([](int i) { return fmt::format("c{}{}", i, i == 499 ? "\n" : ","); }, 500) +
           Repeat([](int i) { return fmt::format("{}{}", i, i == 499 ? "\n" : ","); }, 500),
       {}},
      // Options that override the sniffer.
      {"option_header_false", "csv", "id,name\n1,a\n", {{"header", "false"}}},
      {"option_delimiter", "csv", "a;b\n1;2\n", {{"delimiter", ";"}}},
      {"option_columns", "csv", "1,x\n2,y\n", {{"columns", R"({"n":"INTEGER","s":"VARCHAR"})"}}},
      {"option_nullstr", "csv", "a,b\nNA,1\n-,2\n3,NA\n", {{"nullstr", "NA"}, {"nullstr", "-"}}},
      {"option_skip", "csv", "junk line\nmore junk\nid,v\n1,2\n", {{"skip", "2"}}},
      {"option_dateformat", "csv", "d\n05.11.2026\n31.12.2026\n", {{"dateformat", "%d.%m.%Y"}}},
      {"option_timestampformat", "csv", "t\n05.11.2026 10:30\n", {{"timestampformat", "%d.%m.%Y %H:%M"}}},
      {"option_comment", "csv", "id,v\n;skipped\n1,2\n", {{"comment", ";"}}},
      {"option_quote", "csv", "id,txt\n1,'a,b'\n", {{"quote", "'"}}},
      {"option_escape", "csv", "id,txt\n1,\"a\\\"b\"\n", {{"escape", "\\"}}},
      {"option_bad_type", "csv", "a\n1\n", {{"columns", R"({"a":"NOT_A_TYPE"})"}}},
      // Header-less files appended to a table fill its columns in order; with a header, by name.
      {"append_base", "csv", "id,name\n1,a\n", {}},
      {"append_no_header", "csv", "2|b\n3|c\n", {}, "append_base", true},
      {"append_by_name", "csv", "name,id\nd,4\n", {}, "append_base", false},
  };
  // Large enough to stream (past the 4 MiB staged at once).
  cases.push_back({"large", "csv",
                   "id,name,score,day\n" + Repeat([](int i) {
                     return fmt::format("{},name {},{},2024-01-{:02d}\n", i, i, i * 0.25, i % 28 + 1);
                   }, 160000),
                   {}});
  cases.push_back({"large_no_header", "csv",
                   Repeat([](int i) { return fmt::format("{}|{}|{}\n", i, i % 7 == 0 ? "" : "word", i * 3); }, 300000),
                   {}});
  cases.push_back({"large_quoted_newlines", "csv",
                   "id,txt\n" + Repeat([](int i) { return fmt::format("{},\"para {}\nline two, with comma\"\n", i, i); },
                                       150000),
                   {}});
  // The sniffer samples the start: a value past it that does not fit the sniffed type is an error.
  cases.push_back({"large_late_text", "csv",
                   "a,b\n" + Repeat([](int i) { return fmt::format("{},{}\n", i, i); }, 400000) + "x,1\n", {}});
  return cases;
}

std::vector<IngestCase> JsonCases() {
  std::vector<IngestCase> cases = {
      {"json_array", "json", R"([{"id":1,"name":"a"},{"id":2,"name":"b"}])", {}},
      {"json_nested", "json", R"([{"id":1,"p":{"x":1,"tags":["a","b"]}},{"id":2,"p":{"x":null,"tags":[]}}])", {}},
      {"json_mixed_numbers", "json", R"([{"v":1},{"v":2.5},{"v":-3}])", {}},
      {"json_mixed_kinds", "json", R"([{"v":1},{"v":"one"},{"v":true}])", {}},
      {"json_missing_keys", "json", R"([{"a":1},{"b":"x"},{"a":3,"b":"y"}])", {}},
      {"json_nulls", "json", R"([{"a":null},{"a":null}])", {}},
      {"json_unicode", "json", R"([{"名前":"ü","emoji":"🦆"}])", {}},
      {"json_empty_array", "json", "[]", {}},
      {"json_one_object", "json", R"({"a":1,"b":[1,2]})", {}},
      {"json_dates", "json", R"([{"d":"2024-01-02","ts":"2024-01-02 03:04:05"}])", {}},
      {"json_big_numbers", "json", R"([{"n":18446744073709551615},{"n":1}])", {}},
      {"json_broken", "json", R"([{"a":1},{"a":)", {}},
      {"json_option_columns", "json", R"([{"a":"1","b":"x"}])", {{"columns", R"({"a":"INTEGER","b":"VARCHAR"})"}}},
      {"ndjson_plain", "ndjson", "{\"id\":1,\"v\":\"a\"}\n{\"id\":2,\"v\":\"b\"}\n", {}},
      {"ndjson_crlf", "ndjson", "{\"id\":1}\r\n{\"id\":2}\r\n", {}},
      {"ndjson_blank_lines", "ndjson", "{\"id\":1}\n\n{\"id\":2}\n", {}},
      {"ndjson_scalars", "ndjson", "1\n2\n3\n", {}},
      {"ndjson_key_order", "ndjson", "{\"a\":1,\"b\":2}\n{\"b\":3,\"a\":4}\n", {}},
      {"ndjson_not_utf8", "ndjson", "{\"a\":\"\xff\"}\n", {}},
  };
  cases.push_back({"ndjson_large", "ndjson",
                   Repeat([](int i) {
                     return fmt::format("{{\"id\":{},\"name\":\"row {}\",\"tags\":[\"t{}\"],\"score\":{}}}\n", i, i, i % 5,
                                        i * 0.5);
                   }, 90000),
                   {}});
  return cases;
}

// CSV files of random dialects, columns and values.
std::vector<IngestCase> RandomCsvCases(uint64_t seed, size_t count) {
  std::mt19937_64 rng(seed);
  auto between = [&](int low, int high) { return std::uniform_int_distribution<int>(low, high)(rng); };
  static const std::vector<std::string> kWords = {"a", "b c", "Ünï", "x,y", "say \"hi\"", "", "NULL", "line\nbreak",
                                                  "🦆", "-", "007", "1e5", "true"};
  std::vector<IngestCase> cases;
  for (size_t n = 0; n < count; n++) {
    char delimiter = ",;|\t"[between(0, 3)];
    std::string newline = between(0, 3) == 0 ? "\r\n" : "\n";
    bool header = between(0, 3) != 0;
    int columns = between(1, 7), rows = between(0, 4) == 0 ? between(0, 3) : between(5, 300);
    std::vector<int> kinds;
    for (int c = 0; c < columns; c++) kinds.push_back(between(0, 6));
    auto field = [&](const std::string &text) {
      bool quote = text.find(delimiter) != std::string::npos || text.find('"') != std::string::npos ||
                   text.find('\n') != std::string::npos || text.find('\r') != std::string::npos;
      if (!quote) return text;
      std::string quoted = "\"";
      for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
      return quoted + "\"";
    };
    std::string bytes;
    if (header) {
      for (int c = 0; c < columns; c++) bytes += (c ? std::string(1, delimiter) : "") + field(fmt::format("col {}", c));
      bytes += newline;
    }
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < columns; c++) {
        std::string value;
        if (between(0, 9) == 0) {
          value = "";
        } else {
          switch (kinds[c]) {
            case 0: value = std::to_string(between(-1000, 1000)); break;
            case 1: value = fmt::format("{}", between(-1000, 1000) / 8.0); break;
            case 2: value = kWords[between(0, static_cast<int>(kWords.size()) - 1)]; break;
            case 3: value = fmt::format("2026-{:02d}-{:02d}", between(1, 12), between(1, 28)); break;
            case 4: value = between(0, 1) ? "true" : "false"; break;
            case 5: value = fmt::format("2026-01-{:02d} {:02d}:{:02d}:00", between(1, 28), between(0, 23), between(0, 59)); break;
            default: value = fmt::format("{}", between(0, 1) ? "x" : std::to_string(between(0, 9))); break;
          }
        }
        bytes += (c ? std::string(1, delimiter) : "") + field(value);
      }
      bytes += newline;
    }
    if (bytes.empty()) bytes = newline;  // never an empty upload: that is a different case
    cases.push_back({fmt::format("random_{}", n), "csv", bytes, {}});
  }
  return cases;
}

// --- judging -------------------------------------------------------------------------------------

std::string TableRef(const std::string &schema, const std::string &table) {
  return "\"" + schema + "\".\"" + table + "\"";
}

void CheckDryRun(Checker &checker, const std::string &schema, const IngestCase &ingest, const std::string &path,
                 const ReferenceResult &read, Report &report) {
  constexpr int kRows = 5;
  auto source = "ingest " + ingest.name + " (dry run)";
  auto dry_table = ingest.name + "_dry";
  auto answer = checker.api().Upload(schema, dry_table, ingest.bytes, QueryString(ingest) + "&dry_run=true&limit=5");
  if (answer.status >= 500) {
    report.Add(Verdict::kServerError, source, path, fmt::format("HTTP {}: {}", answer.status, answer.Detail()));
    return;
  }
  if (!answer.ok()) {
    report.Add(Verdict::kFail, source, path, "the dry run refused a file DuckDB reads: " + answer.Detail());
    return;
  }
  // Columns and first rows, as a query result would hold them.
  ReferenceResult first = read;
  if (first.rows.size() > kRows) first.rows.resize(kRows);
  nlohmann::json shown = {{"columns", answer.json["columns"]}, {"rows", answer.json["rows"]}};
  CompareOptions ordered;
  ordered.ordered = true;
  auto difference = Difference(first, shown, ordered);
  if (!difference && ingest.format == "csv") {
    auto sniffed = checker.reference().Run(fmt::format(
        "SELECT Delimiter, Quote, Escape, NewLineDelimiter, Comment, SkipRows, HasHeader FROM sniff_csv({}{}, "
        "force_match = false)",
        Quoted(path), ReaderOptions(ingest)));
    if (sniffed.error) {
      difference = "sniff_csv refused the file: " + *sniffed.error;
    } else {
      auto text = [&](size_t column) {
        auto value = sniffed.rows[0][column].ToString();
        return value == "(empty)" ? std::string() : value;
      };
      const auto &dialect = answer.json["dialect"];
      nlohmann::json expected = {{"delimiter", text(0)}, {"quote", text(1)},   {"escape", text(2)},
                                 {"newline", text(3)},   {"comment", text(4)}, {"skip", sniffed.rows[0][5].GetValue<int64_t>()},
                                 {"header", sniffed.rows[0][6].GetValue<bool>()}};
      for (const auto &[name, value] : expected.items()) {
        if (!dialect.contains(name) || dialect[name] != value) {
          difference = fmt::format("dialect: {} expected {}, got {}", name, value.dump(), dialect.value(name, nlohmann::json()).dump());
          break;
        }
      }
    }
  }
  // Nothing was written.
  if (!difference) {
    auto table = checker.api().Get("/api/v1/namespaces/" + schema + "/tables/" + dry_table);
    if (table.status != 404) difference = fmt::format("the dry run left a table (HTTP {})", table.status);
  }
  report.Add(difference ? Verdict::kFail : Verdict::kAgree, source, path, difference.value_or(""));
}

void CheckCase(Checker &checker, const std::string &schema, const std::string &dir, const IngestCase &ingest,
               Report &report) {
  auto path = dir + "/" + ingest.name + (ingest.format == "csv" ? ".csv" : ".json");
  {
    std::ofstream out(path, std::ios::binary);
    out.write(ingest.bytes.data(), static_cast<std::streamsize>(ingest.bytes.size()));
  }
  auto source = "ingest " + ingest.name;
  auto reader = ReaderSql(path, ingest);
  auto target = ingest.append_to.empty() ? ingest.name : ingest.append_to;
  auto read = checker.reference().Run("SELECT * FROM " + reader);
  auto stored = checker.reference().Run(
      ingest.append_to.empty()
          ? fmt::format("CREATE TABLE {} AS SELECT * FROM {}", TableRef(schema, target), reader)
          : fmt::format("INSERT INTO {} {}SELECT * FROM {}", TableRef(schema, target),
                        ingest.append_by_position ? "" : "BY NAME ", reader));
  auto answer = checker.api().Upload(schema, target, ingest.bytes, QueryString(ingest));
  if (answer.status >= 500) {
    report.Add(Verdict::kServerError, source, path, fmt::format("HTTP {}: {}", answer.status, answer.Detail()));
    return;
  }
  if (stored.error) {
    report.Add(answer.ok() ? Verdict::kFail : Verdict::kBothRefused, source, path,
               answer.ok() ? "the API ingested a file DuckDB refuses: " + *stored.error : "");
    return;
  }
  if (!answer.ok()) {
    report.Add(Verdict::kFail, source, path, fmt::format("the API refused (HTTP {}: {}) a file DuckDB reads",
                                                         answer.status, answer.Detail()));
    return;
  }
  auto written = answer.json.value("rows_written", int64_t{-1});
  if (written != static_cast<int64_t>(read.rows.size())) {
    report.Add(Verdict::kFail, source, path, fmt::format("{} rows read by DuckDB, the API wrote {}", read.rows.size(), written));
    return;
  }
  Expectation unordered;
  unordered.ordered = false;
  auto judged = checker.JudgeQuery("SELECT * FROM " + TableRef(schema, target), unordered);
  report.Add(judged.verdict, source, path, judged.why);
  if (ingest.append_to.empty()) CheckDryRun(checker, schema, ingest, path, read, report);
}

}  // namespace

void RunIngestSuite(Checker &checker, const std::string &scratch, uint64_t seed, Report &report) {
  auto schema = fmt::format("ingest_{}", seed);
  auto made = checker.api().CreateNamespace(schema);
  if (!made.ok()) throw std::runtime_error("cannot create namespace " + schema + ": " + made.Detail());
  checker.reference().Run("CREATE SCHEMA " + schema);
  auto dir = fmt::format("{}/ducklake-ingest-{}", scratch, seed);
  std::filesystem::create_directories(dir);
  std::vector<IngestCase> cases = CsvCases();
  for (auto &json : JsonCases()) cases.push_back(std::move(json));
  for (auto &random : RandomCsvCases(seed, 30)) cases.push_back(std::move(random));
  for (const auto &ingest : cases) CheckCase(checker, schema, dir, ingest, report);
  std::filesystem::remove_all(dir);
}

}  // namespace ducklake::conformance
