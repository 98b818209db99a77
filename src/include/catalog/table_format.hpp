#pragma once
// TableFormat: the DuckLake table format over one metadata database, in the four parts a caller
// uses: what a snapshot holds (catalog), the snapshots and what each did (history), new snapshots
// (commits), and what old ones keep (retention). Each part is stateless over the MetaStore, which
// must outlive them; all are thread-safe.

#include "catalog/catalog.hpp"
#include "catalog/commits.hpp"
#include "catalog/history.hpp"
#include "catalog/retention.hpp"
#include "meta/meta_store.hpp"

namespace ducklake {

struct TableFormat {
  explicit TableFormat(MetaStore &meta) : catalog(meta), history(meta), commits(meta), retention(meta) {}

  Catalog catalog;
  History history;
  Commits commits;
  Retention retention;
};

}  // namespace ducklake
