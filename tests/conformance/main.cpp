// ducklake-conformance: DuckLake's answers compared with in-process DuckDB's, statement by statement.
// See tests/conformance/README.md. Exit code 0 when nothing failed and nothing answered 5xx.

#include <CLI/CLI.hpp>

#include <chrono>
#include <iostream>

#include "checker.hpp"
#include "corpus.hpp"
#include "ingest_suite.hpp"
#include "lake_reader.hpp"
#include "lake_reader_suite.hpp"
#include "random_suite.hpp"

int main(int argc, char **argv) {
  using namespace ducklake::conformance;
  CLI::App app("Compares DuckLake's answers with in-process DuckDB's");
  std::string url = "http://127.0.0.1:8080", corpus, scratch = "/tmp";
  RandomSuiteOptions random;
  bool ingest = false;
  size_t max_failures = 50;
  bool verbose = false;
  LakeReaderOptions lake_reader;
  app.add_option("--url", url, "the DuckLake server");
  app.add_option("--corpus", corpus, "run the curated corpus in this directory");
  app.add_option("--seed", random.seed, "seed of the random schemas, data, queries and writes");
  app.add_option("--queries", random.queries, "random queries to compare (0: none)");
  app.add_option("--dml", random.dml_sequences, "random sequences of writes to compare (0: none)");
  app.add_option("--dml-steps", random.dml_steps, "writes in each sequence");
  app.add_flag("--ingest", ingest, "ingest the CSV and JSON edge-case files and compare with read_csv/read_json");
  app.add_option("--scratch", scratch, "a directory for the files the ingest suite makes");
  app.add_option("--max-failures", max_failures, "failures printed at most");
  app.add_option("--lake-reader", lake_reader.extension,
                 "compare with the official DuckLake extension at this path ('auto': ../shared/ducklake-extension)");
  app.add_option("--catalog", lake_reader.catalog_url, "the server's metadata database, for --lake-reader");
  app.add_option("--data-path", lake_reader.data_path, "the directory of the server's lake data, for --lake-reader");
  app.add_flag("--verbose", verbose, "print every statement judged and its verdict");
  CLI11_PARSE(app, argc, argv);

  auto started = std::chrono::steady_clock::now();
  try {
    ApiClient api(url);
    Reference reference;
    Checker checker(api, reference);
    Report report;
    if (verbose) report.set_verbose(&std::cout);
    if (!corpus.empty()) RunCorpus(checker, corpus, report);
    if (random.queries > 0 || random.dml_sequences > 0) RunRandomSuite(checker, random, report);
    if (ingest) RunIngestSuite(checker, scratch, random.seed, report);
    if (lake_reader.extension == "auto") lake_reader.extension = LakeReader::DefaultExtensionPath().value_or("");
    if (lake_reader.extension.empty() && app.count("--lake-reader")) {
      std::cout << "lake reader: the official DuckLake extension is not in ../shared/ducklake-extension (nor named "
                   "by DUCKLAKE_REFERENCE_EXTENSION), so the catalog was not compared with its reader"
                << std::endl;
    } else if (!lake_reader.extension.empty()) {
      lake_reader.scratch = scratch;
      RunLakeReaderSuite(api, lake_reader, report);
    }
    report.PrintFailures(std::cout, max_failures);
    auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::cout << "conformance: " << report.Summary() << " (seed " << random.seed << ", " << static_cast<int>(seconds)
              << " s)" << std::endl;
    return report.Passed() ? 0 : 1;
  } catch (const std::exception &error) {
    std::cout << "conformance: stopped: " << error.what() << std::endl;
    return 2;
  }
}
