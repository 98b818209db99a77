// Versioned schema migrations of the metadata database. Each migration runs once, in its own
// write transaction, and is recorded in dl_schema_migrations; a migration is never edited after
// release, only followed by a new one.

#include <algorithm>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "common/time.hpp"
#include "meta/meta_store.hpp"

namespace ducklake {
namespace {

struct Migration {
  int64_t version;
  std::vector<std::string> statements;
  // Runs after the statements, in the same transaction: what SQL cannot say alike in both dialects.
  void (*repair)(MetaTransaction &txn, const std::string &dialect) = nullptr;
};

std::vector<std::string> SplitList(const std::string &list) {
  std::vector<std::string> items;
  for (size_t start = 0; start <= list.size();) {
    size_t comma = list.find(',', start);
    if (comma == std::string::npos) comma = list.size();
    if (comma > start) items.push_back(list.substr(start, comma - start));
    start = comma + 1;
  }
  return items;
}

// Values DuckLake wrote before it wrote them as the official extension does (migration 7).
void RepairFormatValues(MetaTransaction &txn, const std::string &dialect) {
  // Times in text columns (SQLite): the extension's text of a TIMESTAMPTZ, not RFC 3339.
  if (dialect == "sqlite") {
    for (const auto &row : txn.Query("SELECT snapshot_id, snapshot_time FROM ducklake_snapshot")) {
      txn.Execute("UPDATE ducklake_snapshot SET snapshot_time = ? WHERE snapshot_id = ?",
                  {FormatCatalogTime(ParseCatalogTime(row.String(1))), row.Int(0)});
    }
    for (const auto &row : txn.Query("SELECT DISTINCT schedule_start FROM ducklake_files_scheduled_for_deletion")) {
      txn.Execute("UPDATE ducklake_files_scheduled_for_deletion SET schedule_start = ? WHERE schedule_start = ?",
                  {FormatCatalogTime(ParseCatalogTime(row.String(0))), row.String(0)});
    }
  }
  // commit_extra_info is the committer's; which snapshots were UPDATEs is DuckLake's own record.
  for (const auto &row : txn.Query("SELECT snapshot_id, commit_extra_info FROM ducklake_snapshot_changes WHERE "
                                   "commit_extra_info LIKE 'updated_table:%'")) {
    for (const auto &item : SplitList(row.String(1))) {
      txn.Execute("INSERT INTO dl_snapshot_update VALUES (?, ?)",
                  {row.Int(0), std::stoll(item.substr(std::string("updated_table:").size()))});
    }
    txn.Execute("UPDATE ducklake_snapshot_changes SET commit_extra_info = NULL WHERE snapshot_id = ?", {row.Int(0)});
  }
  // A table's inserts before its deletes in changes_made.
  for (const auto &row : txn.Query("SELECT snapshot_id, changes_made FROM ducklake_snapshot_changes WHERE "
                                   "changes_made LIKE '%deleted_from_table:%inserted_into_table:%'")) {
    auto changes = SplitList(row.String(1));
    std::stable_sort(changes.begin(), changes.end(), [](const std::string &a, const std::string &b) {
      return a.rfind("inserted_into_table:", 0) == 0 && b.rfind("deleted_from_table:", 0) == 0;
    });
    std::string text;
    for (const auto &change : changes) text += (text.empty() ? "" : ",") + change;
    txn.Execute("UPDATE ducklake_snapshot_changes SET changes_made = ? WHERE snapshot_id = ?", {text, row.Int(0)});
  }
}

// The DuckLake table format catalog (specification 0.3), plus DuckLake-server bookkeeping.
// `{TIMESTAMPTZ}`, `{UUID}` and `{KEY}` (text in byte order) are the only dialect-specific types.
const std::vector<Migration> &Migrations() {
  static const std::vector<Migration> migrations = {
      {1,
       {
           "CREATE TABLE ducklake_metadata (key VARCHAR NOT NULL, value VARCHAR NOT NULL, scope VARCHAR, "
           "scope_id BIGINT)",
           "CREATE TABLE ducklake_snapshot (snapshot_id BIGINT PRIMARY KEY, snapshot_time {TIMESTAMPTZ}, "
           "schema_version BIGINT, next_catalog_id BIGINT, next_file_id BIGINT)",
           "CREATE TABLE ducklake_snapshot_changes (snapshot_id BIGINT PRIMARY KEY, changes_made VARCHAR, "
           "author VARCHAR, commit_message VARCHAR, commit_extra_info VARCHAR)",
           "CREATE TABLE ducklake_schema (schema_id BIGINT PRIMARY KEY, schema_uuid {UUID}, begin_snapshot BIGINT, "
           "end_snapshot BIGINT, schema_name VARCHAR, path VARCHAR, path_is_relative BOOLEAN)",
           "CREATE TABLE ducklake_table (table_id BIGINT, table_uuid {UUID}, begin_snapshot BIGINT, "
           "end_snapshot BIGINT, schema_id BIGINT, table_name VARCHAR, path VARCHAR, path_is_relative BOOLEAN)",
           "CREATE TABLE ducklake_view (view_id BIGINT, view_uuid {UUID}, begin_snapshot BIGINT, end_snapshot "
           "BIGINT, schema_id BIGINT, view_name VARCHAR, dialect VARCHAR, sql VARCHAR, column_aliases VARCHAR)",
           "CREATE TABLE ducklake_tag (object_id BIGINT, begin_snapshot BIGINT, end_snapshot BIGINT, key VARCHAR, "
           "value VARCHAR)",
           "CREATE TABLE ducklake_column_tag (table_id BIGINT, column_id BIGINT, begin_snapshot BIGINT, "
           "end_snapshot BIGINT, key VARCHAR, value VARCHAR)",
           "CREATE TABLE ducklake_data_file (data_file_id BIGINT PRIMARY KEY, table_id BIGINT, begin_snapshot "
           "BIGINT, end_snapshot BIGINT, file_order BIGINT, path VARCHAR, path_is_relative BOOLEAN, file_format "
           "VARCHAR, record_count BIGINT, file_size_bytes BIGINT, footer_size BIGINT, row_id_start BIGINT, "
           "partition_id BIGINT, encryption_key VARCHAR, partial_file_info VARCHAR, mapping_id BIGINT)",
           "CREATE TABLE ducklake_file_column_stats (data_file_id BIGINT, table_id BIGINT, column_id BIGINT, "
           "column_size_bytes BIGINT, value_count BIGINT, null_count BIGINT, min_value VARCHAR, max_value "
           "VARCHAR, contains_nan BOOLEAN, extra_stats VARCHAR)",
           "CREATE TABLE ducklake_delete_file (delete_file_id BIGINT PRIMARY KEY, table_id BIGINT, "
           "begin_snapshot BIGINT, end_snapshot BIGINT, data_file_id BIGINT, path VARCHAR, path_is_relative "
           "BOOLEAN, format VARCHAR, delete_count BIGINT, file_size_bytes BIGINT, footer_size BIGINT, "
           "encryption_key VARCHAR)",
           "CREATE TABLE ducklake_column (column_id BIGINT, begin_snapshot BIGINT, end_snapshot BIGINT, table_id "
           "BIGINT, column_order BIGINT, column_name VARCHAR, column_type VARCHAR, initial_default VARCHAR, "
           "default_value VARCHAR, nulls_allowed BOOLEAN, parent_column BIGINT)",
           "CREATE TABLE ducklake_table_stats (table_id BIGINT, record_count BIGINT, next_row_id BIGINT, "
           "file_size_bytes BIGINT)",
           "CREATE TABLE ducklake_table_column_stats (table_id BIGINT, column_id BIGINT, contains_null BOOLEAN, "
           "contains_nan BOOLEAN, min_value VARCHAR, max_value VARCHAR, extra_stats VARCHAR)",
           "CREATE TABLE ducklake_partition_info (partition_id BIGINT, table_id BIGINT, begin_snapshot BIGINT, "
           "end_snapshot BIGINT)",
           "CREATE TABLE ducklake_partition_column (partition_id BIGINT, table_id BIGINT, partition_key_index "
           "BIGINT, column_id BIGINT, transform VARCHAR)",
           "CREATE TABLE ducklake_file_partition_value (data_file_id BIGINT, table_id BIGINT, partition_key_index "
           "BIGINT, partition_value VARCHAR)",
           "CREATE TABLE ducklake_files_scheduled_for_deletion (data_file_id BIGINT, path VARCHAR, "
           "path_is_relative BOOLEAN, schedule_start {TIMESTAMPTZ})",
           "CREATE TABLE ducklake_inlined_data_tables (table_id BIGINT, table_name VARCHAR, schema_version BIGINT)",
           "CREATE TABLE ducklake_column_mapping (mapping_id BIGINT, table_id BIGINT, type VARCHAR)",
           "CREATE TABLE ducklake_name_mapping (mapping_id BIGINT, column_id BIGINT, source_name VARCHAR, "
           "target_field_id BIGINT, parent_column BIGINT, is_partition BOOLEAN)",
           "CREATE TABLE ducklake_schema_versions (begin_snapshot BIGINT, schema_version BIGINT)",
           // Lookups the server does on every request.
           "CREATE INDEX ducklake_table_by_schema ON ducklake_table (schema_id, table_name)",
           "CREATE INDEX ducklake_column_by_table ON ducklake_column (table_id)",
           "CREATE INDEX ducklake_data_file_by_table ON ducklake_data_file (table_id)",
           "CREATE INDEX ducklake_file_column_stats_by_file ON ducklake_file_column_stats (data_file_id)",
           "CREATE UNIQUE INDEX ducklake_table_stats_by_table ON ducklake_table_stats (table_id)",
           "CREATE UNIQUE INDEX ducklake_table_column_stats_by_column ON ducklake_table_column_stats "
           "(table_id, column_id)",
           // The first snapshot: an empty lake at schema version 0.
           "INSERT INTO ducklake_metadata (key, value) VALUES ('version', '0.3'), ('created_by', 'DuckLake "
           "server'), ('data_path', 'warehouse/'), ('encrypted', 'false')",
           "INSERT INTO ducklake_snapshot VALUES (0, {NOW}, 0, 1, 0)",
           "INSERT INTO ducklake_snapshot_changes VALUES (0, 'created_schema:\"main\"', NULL, NULL, NULL)",
           "INSERT INTO ducklake_schema VALUES (0, '00000000-0000-4000-8000-000000000000', 0, NULL, 'main', "
           "'main/', TRUE)",
           "INSERT INTO ducklake_schema_versions VALUES (0, 0)",
       }},
      {2,
       {
           // Deletes, the change feed and maintenance look delete files up by data file and table.
           "CREATE INDEX ducklake_delete_file_by_data_file ON ducklake_delete_file (data_file_id)",
           "CREATE INDEX ducklake_delete_file_by_table ON ducklake_delete_file (table_id)",
           // DuckLake's own: data files whose Parquet columns are older than their snapshot's schema
           // (written before an ALTER TABLE of the same transaction); they are read by field id.
           "CREATE TABLE dl_data_file_old_columns (data_file_id BIGINT PRIMARY KEY)",
       }},
      {3,
       {
           // Volumes of files and the index of their objects. Keys compare byte-wise ({KEY}), so
           // listings page in the same order on every backend. Times are Unix milliseconds.
           "CREATE TABLE dl_volume (volume_id BIGINT PRIMARY KEY, name VARCHAR NOT NULL UNIQUE, "
           "bucket VARCHAR NOT NULL, location VARCHAR NOT NULL, description VARCHAR NOT NULL, owner VARCHAR NOT NULL, tags VARCHAR NOT NULL, "
           "created_by VARCHAR NOT NULL, created_ms BIGINT NOT NULL, updated_ms BIGINT NOT NULL)",
           "CREATE TABLE dl_object (volume_id BIGINT NOT NULL, key {KEY} NOT NULL, size BIGINT NOT NULL, "
           "etag VARCHAR NOT NULL, content_type VARCHAR NOT NULL, metadata VARCHAR NOT NULL, "
           "sha256 VARCHAR, created_by VARCHAR NOT NULL, created_ms BIGINT NOT NULL, modified_ms BIGINT NOT NULL, "
           "source VARCHAR, PRIMARY KEY (volume_id, key))",
           "CREATE TABLE dl_object_tag (volume_id BIGINT NOT NULL, key {KEY} NOT NULL, name VARCHAR NOT NULL, "
           "value VARCHAR NOT NULL, PRIMARY KEY (volume_id, key, name))",
           "CREATE INDEX dl_object_tag_by_name ON dl_object_tag (name, value)",
           // A key reserved by a create-only upload (If-None-Match: *) while its bytes arrive.
           "CREATE TABLE dl_object_reservation (volume_id BIGINT NOT NULL, key {KEY} NOT NULL, "
           "token VARCHAR NOT NULL, expires_ms BIGINT NOT NULL, PRIMARY KEY (volume_id, key))",
           "CREATE TABLE dl_upload (upload_id VARCHAR PRIMARY KEY, volume_id BIGINT NOT NULL, key {KEY} NOT NULL, "
           "store_upload_id VARCHAR NOT NULL, content_type VARCHAR NOT NULL, metadata VARCHAR NOT NULL, "
           "created_by VARCHAR NOT NULL, created_ms BIGINT NOT NULL)",
           // Server-wide secrets and settings shared by every replica (e.g. the presigning key).
           "CREATE TABLE dl_setting (name VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)",
       }},
      {4,
       {
           // Lineage: every OpenLineage event kept as received (DuckLake's own and other tools'), in
           // commit order, which makes the log of DuckLake's own events the outbox; how far each
           // delivery sink has taken it (and which server drains it); and the graph the events build,
           // in Marquez's terms (namespaces, jobs, runs, datasets and their versions, which job reads
           // and writes which dataset, which column derives from which). Times: Unix ms.
           "CREATE TABLE dl_lineage_event (event_id BIGINT PRIMARY KEY, kind VARCHAR NOT NULL, "
           "event_type VARCHAR, run_id VARCHAR, job_namespace VARCHAR, job_name VARCHAR, event_ms BIGINT NOT NULL, "
           "received_ms BIGINT NOT NULL, origin VARCHAR NOT NULL, payload VARCHAR NOT NULL)",
           "CREATE INDEX dl_lineage_event_by_run ON dl_lineage_event (run_id)",
           "CREATE INDEX dl_lineage_event_by_origin ON dl_lineage_event (origin, event_id)",
           "CREATE TABLE dl_lineage_cursor (sink VARCHAR PRIMARY KEY, delivered_through BIGINT NOT NULL, "
           "attempts BIGINT NOT NULL, next_attempt_ms BIGINT NOT NULL, last_error VARCHAR, holder VARCHAR, "
           "lease_expires_ms BIGINT NOT NULL)",
           "CREATE TABLE dl_lineage_namespace (name {KEY} PRIMARY KEY, created_ms BIGINT NOT NULL, "
           "updated_ms BIGINT NOT NULL)",
           "CREATE TABLE dl_lineage_job (job_id BIGINT PRIMARY KEY, namespace {KEY} NOT NULL, name {KEY} NOT NULL, "
           "facets VARCHAR NOT NULL, created_ms BIGINT NOT NULL, updated_ms BIGINT NOT NULL, latest_run_id VARCHAR, "
           "edges_run_id VARCHAR, UNIQUE (namespace, name))",
           "CREATE TABLE dl_lineage_dataset (dataset_id BIGINT PRIMARY KEY, namespace {KEY} NOT NULL, "
           "name {KEY} NOT NULL, facets VARCHAR NOT NULL, current_version VARCHAR, lifecycle_state VARCHAR, "
           "created_ms BIGINT NOT NULL, updated_ms BIGINT NOT NULL, last_modified_ms BIGINT, UNIQUE (namespace, name))",
           "CREATE TABLE dl_lineage_io (job_id BIGINT NOT NULL, dataset_id BIGINT NOT NULL, direction VARCHAR NOT NULL, "
           "PRIMARY KEY (job_id, dataset_id, direction))",
           "CREATE INDEX dl_lineage_io_by_dataset ON dl_lineage_io (dataset_id, direction)",
           "CREATE TABLE dl_lineage_run (run_id VARCHAR PRIMARY KEY, job_id BIGINT NOT NULL, state VARCHAR NOT NULL, "
           "created_ms BIGINT NOT NULL, updated_ms BIGINT NOT NULL, started_ms BIGINT, ended_ms BIGINT, "
           "nominal_start VARCHAR, nominal_end VARCHAR, facets VARCHAR NOT NULL, inputs VARCHAR NOT NULL, "
           "outputs VARCHAR NOT NULL)",
           "CREATE INDEX dl_lineage_run_by_job ON dl_lineage_run (job_id, created_ms)",
           "CREATE TABLE dl_lineage_dataset_version (dataset_id BIGINT NOT NULL, version VARCHAR NOT NULL, "
           "run_id VARCHAR, created_ms BIGINT NOT NULL, facets VARCHAR NOT NULL, lifecycle_state VARCHAR, "
           "PRIMARY KEY (dataset_id, version))",
           "CREATE TABLE dl_lineage_column (dataset_id BIGINT NOT NULL, field VARCHAR NOT NULL, "
           "input_dataset_id BIGINT NOT NULL, input_field VARCHAR NOT NULL, transformations VARCHAR NOT NULL, "
           "PRIMARY KEY (dataset_id, field, input_dataset_id, input_field))",
           "CREATE INDEX dl_lineage_column_by_input ON dl_lineage_column (input_dataset_id, input_field)",
       }},
      {5,
       {
           // Security: bearer tokens (only their SHA-256 is kept), roles granted to users and groups on
           // the lake, a namespace or a volume, group members, and the audit log, each row holding
           // the hash of the one before it (a changed or removed row breaks the chain).
           "CREATE TABLE dl_token (token_id VARCHAR PRIMARY KEY, user_name VARCHAR NOT NULL, "
           "token_hash VARCHAR NOT NULL UNIQUE, description VARCHAR NOT NULL, created_by VARCHAR NOT NULL, "
           "created_ms BIGINT NOT NULL, expires_ms BIGINT, revoked_ms BIGINT, last_used_ms BIGINT)",
           "CREATE INDEX dl_token_by_user ON dl_token (user_name)",
           "CREATE TABLE dl_grant (grant_id VARCHAR PRIMARY KEY, principal VARCHAR NOT NULL, role VARCHAR NOT NULL, "
           "scope_kind VARCHAR NOT NULL, scope_name VARCHAR NOT NULL, created_by VARCHAR NOT NULL, "
           "created_ms BIGINT NOT NULL, UNIQUE (principal, scope_kind, scope_name))",
           "CREATE TABLE dl_group_member (group_name VARCHAR NOT NULL, user_name VARCHAR NOT NULL, "
           "added_by VARCHAR NOT NULL, added_ms BIGINT NOT NULL, PRIMARY KEY (group_name, user_name))",
           "CREATE INDEX dl_group_member_by_user ON dl_group_member (user_name)",
           "CREATE TABLE dl_audit (audit_id BIGINT PRIMARY KEY, at_ms BIGINT NOT NULL, principal VARCHAR NOT NULL, "
           "token_id VARCHAR, remote VARCHAR NOT NULL, method VARCHAR NOT NULL, path VARCHAR NOT NULL, "
           "action VARCHAR NOT NULL, target VARCHAR NOT NULL, allowed BIGINT NOT NULL, status BIGINT NOT NULL, "
           "detail VARCHAR NOT NULL, previous_hash VARCHAR NOT NULL, hash VARCHAR NOT NULL)",
       }},
      {6,
       {
           // A volume's own cap on the size of its objects (NULL or 0: the server's).
           "ALTER TABLE dl_volume ADD COLUMN max_object_bytes BIGINT",
       }},
      {7,
       {
           // The catalog's values as the official extension (DuckDB 1.4, format 0.3) writes them,
           // so that it reads a DuckLake lake as its own. DuckLake's record of which snapshots were
           // UPDATEs moves out of commit_extra_info, which belongs to the committer.
           "CREATE TABLE dl_snapshot_update (snapshot_id BIGINT NOT NULL, table_id BIGINT NOT NULL, "
           "PRIMARY KEY (snapshot_id, table_id))",
           // File order is not part of a table's contents; the extension leaves it NULL.
           "UPDATE ducklake_data_file SET file_order = NULL WHERE file_order IS NOT NULL",
           // contains_nan says something of floating-point columns only.
           "UPDATE ducklake_file_column_stats SET contains_nan = NULL WHERE contains_nan IS NOT NULL AND NOT EXISTS "
           "(SELECT 1 FROM ducklake_column c WHERE c.table_id = ducklake_file_column_stats.table_id AND "
           "c.column_id = ducklake_file_column_stats.column_id AND c.column_type IN ('float32', 'float64'))",
           "UPDATE ducklake_table_column_stats SET contains_nan = NULL WHERE contains_nan IS NOT NULL AND NOT EXISTS "
           "(SELECT 1 FROM ducklake_column c WHERE c.table_id = ducklake_table_column_stats.table_id AND "
           "c.column_id = ducklake_table_column_stats.column_id AND c.column_type IN ('float32', 'float64'))",
           // A table's bounds end once it held NaN, which has no place in their order.
           "UPDATE ducklake_table_column_stats SET min_value = NULL, max_value = NULL WHERE contains_nan",
           // A table gets its statistics with its first data (the extension fails on a row without them).
           "DELETE FROM ducklake_table_stats WHERE NOT EXISTS (SELECT 1 FROM ducklake_table_column_stats c WHERE "
           "c.table_id = ducklake_table_stats.table_id)",
       },
       RepairFormatValues},
      {8,
       {
           // How many rows of a file a flush wrote from the catalog's inlined data each snapshot had
           // inserted (the file's rows carry it too, in _ducklake_internal_snapshot_id), and 0 for
           // the flush's own snapshot: the lake's history counts them without reading the file.
           "CREATE TABLE dl_flushed_rows (data_file_id BIGINT NOT NULL, snapshot_id BIGINT NOT NULL, "
           "row_count BIGINT NOT NULL, PRIMARY KEY (data_file_id, snapshot_id))",
       }},
  };
  return migrations;
}

std::string ForDialect(std::string sql, const std::string &dialect) {
  auto replace = [&sql](const std::string &from, const std::string &to) {
    for (size_t pos = sql.find(from); pos != std::string::npos; pos = sql.find(from, pos + to.size())) {
      sql.replace(pos, from.size(), to);
    }
  };
  bool postgres = dialect == "postgresql";
  replace("{TIMESTAMPTZ}", postgres ? "TIMESTAMPTZ" : "VARCHAR");
  replace("{UUID}", postgres ? "UUID" : "VARCHAR");
  replace("{KEY}", postgres ? "VARCHAR COLLATE \"C\"" : "VARCHAR");
  replace("{NOW}", postgres ? "now()" : "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')");
  return sql;
}

}  // namespace

void MigrateMetaStore(MetaStore &store) {
  {
    auto txn = store.Begin(TransactionMode::kWrite);
    txn->Execute(
        "CREATE TABLE IF NOT EXISTS dl_schema_migrations (version BIGINT PRIMARY KEY, applied_at VARCHAR NOT "
        "NULL)");
    txn->Commit();
  }
  for (const auto &migration : Migrations()) {
    auto txn = store.Begin(TransactionMode::kWrite);
    // Checked inside the write transaction so two servers starting together apply it once.
    auto applied = txn->Query("SELECT 1 FROM dl_schema_migrations WHERE version = ?", {migration.version});
    if (!applied.empty()) continue;
    for (const auto &statement : migration.statements) txn->Execute(ForDialect(statement, store.Dialect()));
    if (migration.repair) migration.repair(*txn, store.Dialect());
    txn->Execute(ForDialect("INSERT INTO dl_schema_migrations VALUES (?, {NOW})", store.Dialect()),
                 {migration.version});
    txn->Commit();
  }
}

}  // namespace ducklake
