-- The corpus's tables, made the same way on both sides. Data comes from range() and hash(), which
-- the server's DuckDB and the reference compute alike; tables are written in several statements, so
-- they have many data files, and rows are deleted and updated, so they have delete files.

CREATE SCHEMA conf;

-- Every type a lake table can hold, with the edge values of each.
CREATE TABLE conf.all_types (
  id BIGINT, b BOOLEAN, i8 TINYINT, i16 SMALLINT, i32 INTEGER, i64 BIGINT, i128 HUGEINT,
  u8 UTINYINT, u16 USMALLINT, u32 UINTEGER, u64 UBIGINT, u128 UHUGEINT,
  f32 FLOAT, f64 DOUBLE, d4 DECIMAL(4,1), d9 DECIMAL(9,3), d18 DECIMAL(18,6), d38 DECIMAL(38,10),
  s VARCHAR, bl BLOB, dt DATE, tm TIME, ttz TIMETZ, ts TIMESTAMP, tss TIMESTAMP_S, tsm TIMESTAMP_MS,
  tsn TIMESTAMP_NS, tstz TIMESTAMPTZ, iv INTERVAL, u UUID, j JSON,
  li INTEGER[], ls VARCHAR[], st STRUCT(a INTEGER, b VARCHAR), m MAP(VARCHAR, INTEGER),
  nested STRUCT(k VARCHAR, v DOUBLE[])[]);

INSERT INTO conf.all_types VALUES
  (1, false, -128, -32768, -2147483648, -9223372036854775808, -170141183460469231731687303715884105728,
   0, 0, 0, 0, 0,
   '-3.4028235e38', '-1.7976931348623157e308', -999.9, -999999.999, -999999999999.999999,
   -9999999999999999999999999999.9999999999,
   '', ''::BLOB, '-infinity', '00:00:00', '00:00:00+15:59', '-infinity', '1677-09-22 00:00:00', '1677-09-22 00:00:00',
   '1677-09-22 00:12:44', '-infinity', '-178000000 years', '00000000-0000-0000-0000-000000000000', '[]',
   [], [], {'a': -2147483648, 'b': ''}, MAP {}, []),
  (2, true, 127, 32767, 2147483647, 9223372036854775807, 170141183460469231731687303715884105727,
   255, 65535, 4294967295, 18446744073709551615, 340282366920938463463374607431768211455,
   '3.4028235e38', '1.7976931348623157e308', 999.9, 999999.999, 999999999999.999999,
   9999999999999999999999999999.9999999999,
   'Ünïcödé 日本語 🦆', '\xFF\x00\x80'::BLOB, 'infinity', '24:00:00', '23:59:59.999999-15:59', 'infinity',
   '2262-04-11 23:47:16', '2262-04-11 23:47:16.854', '2262-04-11 23:47:16.854775', 'infinity',
   '178000000 years', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '{"a": [1, 2, {"b": null}]}',
   [2147483647, NULL, -2147483648], ['ü', NULL, ''], {'a': 2147483647, 'b': '🦆'}, MAP {'k': 1, 'ü': NULL},
   [{'k': 'x', 'v': [1.5, NULL]}, NULL, {'k': NULL, 'v': []}]),
  (3, NULL, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, '-0.0', '-0.0', 0, 0, 0, 0,
   ' ', '\x00'::BLOB, '1970-01-01', '12:00:00', '12:00:00+00', '1970-01-01 00:00:00', '1970-01-01 00:00:00',
   '1970-01-01 00:00:00', '1970-01-01 00:00:00', '1970-01-01 00:00:00+00', '0 seconds',
   '80000000-0000-0000-0000-000000000000', 'null', [NULL], [NULL], {'a': NULL, 'b': NULL}, MAP {'': 0}, [NULL]),
  (4, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
   NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  (5, true, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 'nan', 'nan', 1.5, 2.25, 3.125, 4.0625,
   'a', 'abc'::BLOB, '2024-02-29', '10:30:00.5', '10:30:00+05:30', '2024-02-29 10:30:00.123456',
   '2024-02-29 10:30:00', '2024-02-29 10:30:00.123', '2024-02-29 10:30:00.123456789', '2024-02-29 10:30:00+05:30',
   '1 year 2 months 3 days 04:05:06.789', '123e4567-e89b-12d3-a456-426614174000', '"text"',
   [1, 2, 3], ['a', 'b'], {'a': 1, 'b': 'one'}, MAP {'a': 1, 'b': 2}, [{'k': 'a', 'v': [0.5]}]),
  (6, false, -1, -2, -3, -4, -5, 1, 2, 3, 4, 5, 'inf', 'inf', -1.5, -2.25, -3.125, -4.0625,
   'A', 'ABC'::BLOB, '1900-03-01', '23:59:59', '23:59:59-08', '1900-03-01 00:00:00.000001',
   '1900-03-01 00:00:00', '1900-03-01 00:00:00.001', '1900-03-01 00:00:00.000000001', '1900-03-01 00:00:00-08',
   '-1 month', '7fffffff-ffff-ffff-ffff-ffffffffffff', '[true, false]',
   [-1], ['Ü'], {'a': -1, 'b': 'minus'}, MAP {'z': -1}, []),
  (7, true, 10, 100, 1000, 10000, 100000, 10, 100, 1000, 10000, 100000, '-inf', '-inf', 10.0, 100.5, 1000.25,
   10000.125, 'b', '\x01\x02'::BLOB, '2000-01-01', '00:00:00.000001', '00:00:00.000001+00', '2000-01-01 00:00:00',
   '2000-01-01 00:00:00', '2000-01-01 00:00:00', '2000-01-01 00:00:00', '2000-01-01 00:00:00+00', '-00:00:00.000001',
   '00000000-0000-0000-0000-000000000001', '{"b": 1, "a": 2}', [3, 2, 1], ['b', 'a'], {'a': 10, 'b': 'ten'},
   MAP {'x': 10}, [{'k': 'b', 'v': [1, 2]}]);

INSERT INTO conf.all_types
SELECT 100 + i, i % 3 = 0, (i % 100) - 50, i * 7 - 500, i * 1000003 - 5000000, i * 100000000007 - 4000000000000,
       CAST(i AS HUGEINT) * 1000000000000000000000 - 30000000000000000000000,
       i % 256, i * 13, i * 4000000, CAST(i AS UBIGINT) * 100000000000000, CAST(i AS UHUGEINT) * 100000000000000000000,
       CAST(i AS FLOAT) / 7, CAST(i AS DOUBLE) / 3 - 10, (i % 50) / 10 - 2.5, i * 1.125 - 20, i * 1.000001 - 30,
       i * 1.0000000001 - 40,
       ['alpha', 'Beta', 'gamma', 'DELTA', 'épsilon', '', 'zeta zeta', 'eta_1', 'θ', 'iota%'][i % 10 + 1] || (i // 10),
       CAST('blob' || i AS BLOB), DATE '2026-01-01' + CAST(i * 3 AS INTEGER), TIME '00:00:00' + INTERVAL (i * 137) MINUTE,
       CAST(CAST(TIME '00:00:00' + INTERVAL (i * 91) MINUTE AS VARCHAR) || '+0' || (i % 9) AS TIMETZ),
       TIMESTAMP '2026-01-01' + INTERVAL (i * 7919) SECOND, TIMESTAMP '2026-01-01' + INTERVAL (i * 86400) SECOND,
       TIMESTAMP '2026-01-01' + INTERVAL (i * 1001) MILLISECOND, TIMESTAMP '2026-01-01' + INTERVAL (i * 3) MICROSECOND,
       TIMESTAMPTZ '2026-01-01 00:00:00+00' + INTERVAL (i * 3601) SECOND, INTERVAL (i) DAY + INTERVAL (i % 5) MONTH,
       CAST(printf('%08x-0000-4000-8000-%012x', i * 2654435761 % 4294967296, i) AS UUID),
       CAST('{"n": ' || i || ', "even": ' || (i % 2 = 0) || '}' AS JSON),
       [i, i % 3, NULL][1:(i % 4)], CASE WHEN i % 5 = 0 THEN NULL ELSE ['x' || i, 'y'] END,
       {'a': i % 7, 'b': 'v' || (i % 4)}, MAP {'k' || (i % 3): i}, [{'k': 'n' || i, 'v': [i / 2, i / 4]}]
FROM range(1, 61) t(i);

INSERT INTO conf.all_types
SELECT 200 + i, NULL, CASE WHEN i % 2 = 0 THEN i END, NULL, i, NULL, i, NULL, i, NULL, i, NULL,
       CASE WHEN i % 3 = 0 THEN 'nan' END, CASE WHEN i % 3 = 1 THEN '-0.0' END, NULL, i, NULL, i,
       CASE WHEN i % 2 = 0 THEN 'dup' END, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
       NULL, NULL, NULL, NULL, NULL
FROM range(1, 11) t(i);

-- A business schema for joins, groups and windows.
CREATE TABLE conf.customers (id INTEGER, name VARCHAR, city VARCHAR, tier VARCHAR, signup DATE, credit DECIMAL(10,2));

INSERT INTO conf.customers
SELECT i, ['Ada', 'Bob', 'Cy', 'Dee', 'Eve', 'Fay', 'Gus', 'Hal'][i % 8 + 1] || ' ' || i,
       ['Berlin', 'Lisbon', 'Oslo', 'Paris', NULL][i % 5 + 1], ['gold', 'silver', 'bronze'][i % 3 + 1],
       DATE '2020-01-01' + CAST(i * 37 AS INTEGER), CAST((hash(i) % 100000) / 100.0 AS DECIMAL(10,2))
FROM range(1, 41) t(i);

CREATE TABLE conf.orders (id INTEGER, customer_id INTEGER, amount DECIMAL(10,2), qty INTEGER, status VARCHAR,
                          ordered_at TIMESTAMP, note VARCHAR);

INSERT INTO conf.orders
SELECT i, CASE WHEN i % 17 = 0 THEN NULL ELSE (hash(i) % 45)::INTEGER + 1 END,
       CAST((hash(i * 3) % 100000) / 100.0 AS DECIMAL(10,2)), (hash(i * 5) % 9)::INTEGER + 1,
       ['new', 'paid', 'shipped', 'returned'][(hash(i * 7) % 4)::INTEGER + 1],
       TIMESTAMP '2026-01-01' + INTERVAL ((hash(i * 11) % 8000000)::INTEGER) SECOND,
       CASE WHEN i % 9 = 0 THEN NULL WHEN i % 9 = 1 THEN '' ELSE 'note ' || (i % 13) END
FROM range(1, 151) t(i);

INSERT INTO conf.orders
SELECT i, CASE WHEN i % 17 = 0 THEN NULL ELSE (hash(i) % 45)::INTEGER + 1 END,
       CAST((hash(i * 3) % 100000) / 100.0 AS DECIMAL(10,2)), (hash(i * 5) % 9)::INTEGER + 1,
       ['new', 'paid', 'shipped', 'returned'][(hash(i * 7) % 4)::INTEGER + 1],
       TIMESTAMP '2026-01-01' + INTERVAL ((hash(i * 11) % 8000000)::INTEGER) SECOND,
       CASE WHEN i % 9 = 0 THEN NULL WHEN i % 9 = 1 THEN '' ELSE 'note ' || (i % 13) END
FROM range(151, 301) t(i);

INSERT INTO conf.orders
SELECT i, (hash(i) % 45)::INTEGER + 1, CAST((hash(i * 3) % 100000) / 100.0 AS DECIMAL(10,2)),
       (hash(i * 5) % 9)::INTEGER + 1, ['new', 'paid', 'shipped', 'returned'][(hash(i * 7) % 4)::INTEGER + 1],
       TIMESTAMP '2026-01-01' + INTERVAL ((hash(i * 11) % 8000000)::INTEGER) SECOND, 'late ' || i
FROM range(301, 401) t(i);

DELETE FROM conf.orders WHERE id % 23 = 0;

UPDATE conf.orders SET status = 'cancelled', amount = amount / 2 WHERE id % 19 = 0;

CREATE TABLE conf.items (order_id INTEGER, line INTEGER, sku VARCHAR, price DOUBLE, tags VARCHAR[]);

INSERT INTO conf.items
SELECT o, l, 'sku-' || ((hash(o * 31 + l) % 12)::INTEGER), round((hash(o * 13 + l) % 10000) / 100.0, 2),
       CASE WHEN l = 1 THEN ['new'] WHEN l = 2 THEN ['sale', 'new'] WHEN l = 3 THEN [] END
FROM range(1, 401) a(o), range(1, 4) b(l)
WHERE (hash(o + l) % 3) <> 0;

-- Prices by time, for ASOF joins.
CREATE TABLE conf.prices (sku VARCHAR, valid_from TIMESTAMP, price DOUBLE);

INSERT INTO conf.prices
SELECT 'sku-' || s, TIMESTAMP '2026-01-01' + INTERVAL (d * 10) DAY, s * 10 + d
FROM range(0, 12) a(s), range(0, 10) b(d);

-- A tree, for recursive CTEs.
CREATE TABLE conf.tree (id INTEGER, parent INTEGER, label VARCHAR);

INSERT INTO conf.tree
SELECT i, CASE WHEN i = 1 THEN NULL ELSE i // 2 END, 'node ' || i FROM range(1, 32) t(i);

-- Sales by region and quarter, for PIVOT and UNPIVOT.
CREATE TABLE conf.sales (region VARCHAR, quarter VARCHAR, year INTEGER, amount DOUBLE, units INTEGER);

INSERT INTO conf.sales
SELECT ['north', 'south', 'east', 'west'][r + 1], 'Q' || (q + 1), 2024 + y, (r + 1) * 100 + q * 10 + y, r + q + y
FROM range(0, 4) a(r), range(0, 4) b(q), range(0, 3) c(y);

-- An empty table, and a table whose columns changed after it had rows.
CREATE TABLE conf.empty (a INTEGER, b VARCHAR);

CREATE TABLE conf.evolving (id INTEGER, old_name VARCHAR, small SMALLINT);

INSERT INTO conf.evolving SELECT i, 'v' || i, i FROM range(1, 21) t(i);

ALTER TABLE conf.evolving ADD COLUMN added DOUBLE DEFAULT 2.5;

ALTER TABLE conf.evolving RENAME COLUMN old_name TO new_name;

ALTER TABLE conf.evolving ALTER COLUMN small TYPE BIGINT;

INSERT INTO conf.evolving SELECT i, 'w' || i, i * 1000000000, i / 4 FROM range(21, 31) t(i);

ALTER TABLE conf.evolving DROP COLUMN added;
