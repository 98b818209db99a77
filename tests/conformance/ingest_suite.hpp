#pragma once
// The ingest part of the conformance suite: CSV, JSON and NDJSON files the suite builds itself
// (quoting, embedded newlines, ragged rows, BOM, CR/LF and mixed line endings, comments, title
// lines, null strings, date formats, no header, header only, wide files, very long fields, bytes
// that are not UTF-8, files large enough to stream, and seeded random dialects), each uploaded to
// DuckLake as a new table and read by the reference with read_csv/read_json: the same columns and
// types, the same rows, or the same refusal (a 4xx). The dry run is compared too: the dialect with
// sniff_csv, the columns with DESCRIBE, the first rows with LIMIT. Files are written under
// `scratch` and removed afterwards.

#include <cstdint>
#include <string>

#include "checker.hpp"

namespace ducklake::conformance {

void RunIngestSuite(Checker &checker, const std::string &scratch, uint64_t seed, Report &report);

}  // namespace ducklake::conformance
