#include "corpus.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <stdexcept>

namespace ducklake::conformance {
namespace {

struct CorpusStatement {
  std::string sql;
  int line = 0;  // where it starts in its file
  std::map<std::string, std::string> directives;  // name -> argument
};

std::string Trim(const std::string &text) {
  auto begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  auto end = text.find_last_not_of(" \t\r\n");
  return text.substr(begin, end - begin + 1);
}

std::vector<CorpusStatement> ReadStatements(const std::filesystem::path &path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::vector<CorpusStatement> statements;
  CorpusStatement current;
  std::string line;
  for (int number = 1; std::getline(in, line); number++) {
    auto trimmed = Trim(line);
    if (current.sql.empty()) {
      if (trimmed.rfind("-- @", 0) == 0) {
        auto directive = trimmed.substr(4);
        auto space = directive.find(' ');
        current.directives[directive.substr(0, space)] =
            space == std::string::npos ? "" : Trim(directive.substr(space + 1));
        continue;
      }
      if (trimmed.empty() || trimmed.rfind("--", 0) == 0) {
        if (trimmed.empty()) current.directives.clear();  // directives belong to the next statement only
        continue;
      }
      current.line = number;
    }
    current.sql += line + "\n";
    if (!trimmed.empty() && trimmed.back() == ';') {
      current.sql = Trim(current.sql);
      current.sql.pop_back();  // the terminating semicolon
      statements.push_back(std::move(current));
      current = {};
    }
  }
  if (!Trim(current.sql).empty()) throw std::runtime_error(path.string() + ": the last statement has no ';'");
  return statements;
}

std::string Replace(std::string text, const std::string &from, const std::string &to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

std::string QuoteName(const std::string &name) {
  std::string quoted = "\"";
  for (char c : name) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

}  // namespace

Judgement CompareWrittenTable(Checker &checker, const std::string &schema, const std::string &table,
                              int64_t snapshot_id) {
  checker.reference().KeepVersion(schema, snapshot_id);
  Expectation expect;
  expect.ordered = false;
  return checker.JudgeQuery(fmt::format("SELECT * FROM {}.{}", QuoteName(schema), QuoteName(table)), expect);
}

void RunCorpus(Checker &checker, const std::string &directory, Report &report) {
  std::vector<std::filesystem::path> files;
  for (const auto &entry : std::filesystem::directory_iterator(directory)) {
    if (entry.path().extension() == ".sql") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::map<std::string, int64_t> remembered;  // label -> snapshot id
  for (const auto &file : files) {
    for (const auto &statement : ReadStatements(file)) {
      auto source = fmt::format("{}:{}", file.filename().string(), statement.line);
      const auto &directives = statement.directives;
      auto has = [&](const char *name) { return directives.count(name) > 0; };
      std::string sql = statement.sql;
      for (const auto &[label, id] : remembered) sql = Replace(sql, "{" + label + "}", std::to_string(id));

      Expectation expect;
      if (has("refused")) expect.refused = directives.at("refused");
      if (has("ordered")) expect.ordered = true;
      if (has("unordered")) expect.ordered = false;
      expect.rows_only = has("rows-only");
      if (has("snapshot")) {
        auto label = directives.at("snapshot");
        if (!remembered.count(label)) throw std::runtime_error(source + ": no snapshot remembered as " + label);
        expect.snapshot = remembered.at(label);
      }

      // One statement, or one per column of a table.
      std::vector<std::string> expanded = {sql};
      if (has("each")) {
        static const std::regex kEach(R"((\w+) in (\w+)\.(\w+))");
        std::smatch match;
        const auto &each = directives.at("each");
        if (!std::regex_match(each, match, kEach)) throw std::runtime_error(source + ": @each <name> in <schema>.<table>");
        auto columns = checker.reference().Columns(match[2], match[3]);
        if (columns.empty()) throw std::runtime_error(source + ": no table " + match[2].str() + "." + match[3].str());
        expanded.clear();
        for (const auto &column : columns) expanded.push_back(Replace(sql, "{" + match[1].str() + "}", QuoteName(column.first)));
      }

      for (const auto &one : expanded) {
        if (Reference::IsQuery(one)) {
          auto judged = checker.JudgeQuery(one, expect);
          report.Add(judged.verdict, source, one, judged.why);
          continue;
        }
        static const std::regex kCreateSchema(R"(^\s*CREATE\s+SCHEMA\s+(\w+)\s*$)", std::regex::icase);
        std::smatch match;
        if (std::regex_match(one, match, kCreateSchema)) {
          auto made = checker.api().CreateNamespace(match[1]);
          auto reference = checker.reference().Run(one);
          bool ok = made.ok() && !reference.error;
          report.Add(ok ? Verdict::kAgree : Verdict::kFail, source, one,
                     ok ? "" : fmt::format("API: HTTP {} {}; DuckDB: {}", made.status, made.Detail(),
                                           reference.error.value_or("ok")));
          continue;
        }
        auto judged = checker.JudgeWrite({one}, expect);
        report.Add(judged.verdict, source, one, judged.why);
        if (judged.verdict != Verdict::kAgree || !judged.snapshot_id) continue;
        if (has("remember")) remembered[directives.at("remember")] = *judged.snapshot_id;
        if (auto target = Reference::WriteTarget(one); target && !target->first.empty()) {
          auto compared = CompareWrittenTable(checker, target->first, target->second, *judged.snapshot_id);
          report.Add(compared.verdict, source + " (the table after it)", one, compared.why);
        }
      }
    }
  }
}

}  // namespace ducklake::conformance
