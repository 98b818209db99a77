-- What DuckLake refuses by design, each with a 4xx (docs/API.md, "Writes and schema evolution in
-- SQL" and "Security"): the sandbox (files, other databases, settings, extensions, objects that
-- would outlive the request) and what the DuckLake format cannot hold. DuckDB answers most of
-- these; the suite counts them apart.

-- @refused the sandbox: files are read through lake tables only
SELECT * FROM read_csv('/etc/passwd');

-- @refused the sandbox: files are read through lake tables only
SELECT * FROM read_parquet('/tmp/anything.parquet');

-- @refused the sandbox: files are read through lake tables only
SELECT * FROM glob('/etc/*');

-- @refused the sandbox: files are read through lake tables only
SELECT * FROM read_text('/etc/hostname');

-- @refused the sandbox: files are written through exports only
COPY (SELECT 1) TO '/tmp/out.csv';

-- @refused the sandbox: no other databases
ATTACH ':memory:' AS other;

-- @refused the sandbox: settings are the server's
SET threads = 1;

-- @refused the sandbox: settings are the server's
PRAGMA version;

-- @refused the sandbox: settings are the server's
SELECT * FROM duckdb_settings();

-- @refused the sandbox: no extensions
INSTALL httpfs;

-- @refused the sandbox: no extensions
LOAD httpfs;

-- @refused the sandbox: no objects outside lake namespaces
CREATE MACRO twice(x) AS x * 2;

-- @refused the sandbox: no objects outside lake namespaces
CREATE VIEW v AS SELECT 1;

-- @refused the sandbox: no objects outside lake namespaces
CREATE SEQUENCE s;

-- @refused the sandbox: no objects outside lake namespaces
CREATE TABLE local_table (a INTEGER);

-- @refused the format: lake columns have no collation
CREATE TABLE w.collated (s VARCHAR COLLATE NOCASE);

-- @refused the format: lake tables have no constraints
CREATE TABLE w.keyed (id INTEGER PRIMARY KEY);

-- @refused the format: lake tables have no generated columns
CREATE TABLE w.generated (a INTEGER, b INTEGER GENERATED ALWAYS AS (a * 2));

-- @refused lake tables have no rowid
SELECT rowid, id FROM conf.customers;

-- @refused writes answer counts, not rows
INSERT INTO w.t (id) VALUES (900) RETURNING id;

-- @refused lake tables have no keys to conflict on
INSERT INTO w.t (id) VALUES (901) ON CONFLICT DO NOTHING;
