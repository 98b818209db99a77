-- Time travel: every write below is remembered, and later queries read the lake as it was then,
-- per table (AT (VERSION => ...)) and as a whole (the query's snapshot). The reference keeps a
-- copy of the schema at each remembered snapshot.

CREATE SCHEMA tt;

-- @remember created
CREATE TABLE tt.accounts (id INTEGER, owner VARCHAR, balance DECIMAL(12,2), opened DATE, tags VARCHAR[]);

-- @remember first_rows
INSERT INTO tt.accounts VALUES (1, 'ada', 100.00, '2026-01-01', ['a']), (2, 'bob', 50.50, '2026-01-02', []),
  (3, 'cy', 0, '2026-01-03', NULL), (4, 'dee', -20.25, NULL, ['x', 'y']);

-- @remember more_rows
INSERT INTO tt.accounts SELECT i, 'user ' || i, i * 1.5, DATE '2026-02-01' + CAST(i AS INTEGER), ['t' || (i % 3)]
FROM range(5, 60) t(i);

-- @remember after_update
UPDATE tt.accounts SET balance = balance + 10, tags = list_append(coalesce(tags, []), 'bonus') WHERE id % 4 = 0;

-- @remember after_delete
DELETE FROM tt.accounts WHERE balance < 10 OR owner LIKE '%7';

-- @remember added_column
ALTER TABLE tt.accounts ADD COLUMN status VARCHAR DEFAULT 'open';

-- @remember renamed_column
ALTER TABLE tt.accounts RENAME COLUMN owner TO holder;

-- @remember after_second_update
UPDATE tt.accounts SET status = 'vip' WHERE balance > 50;

-- @remember second_table
CREATE TABLE tt.events AS SELECT id AS account_id, 'opened' AS kind, opened AS at_date FROM tt.accounts;

-- @remember after_overwrite_like_delete
DELETE FROM tt.accounts WHERE id > 40;

SELECT * FROM tt.accounts AT (VERSION => {first_rows});

SELECT * FROM tt.accounts AT (VERSION => {more_rows});

SELECT * FROM tt.accounts AT (VERSION => {after_update});

SELECT * FROM tt.accounts AT (VERSION => {after_delete});

SELECT * FROM tt.accounts AT (VERSION => {added_column});

SELECT * FROM tt.accounts AT (VERSION => {renamed_column});

SELECT * FROM tt.accounts AT (VERSION => {after_second_update});

SELECT * FROM tt.accounts AT (VERSION => {created});

SELECT count(*), sum(balance), min(id), max(id) FROM tt.accounts AT (VERSION => {more_rows});

SELECT a.id, a.balance, b.balance AS earlier FROM tt.accounts AS a JOIN tt.accounts AS b AT (VERSION => {more_rows})
ON a.id = b.id WHERE a.balance <> b.balance ORDER BY a.id;

SELECT id FROM tt.accounts AT (VERSION => {more_rows}) EXCEPT SELECT id FROM tt.accounts;

SELECT count(*) FROM (SELECT * FROM tt.accounts AT (VERSION => {first_rows}) UNION ALL SELECT * FROM tt.accounts AT (VERSION => {after_update}));

WITH old AS (SELECT * FROM tt.accounts AT (VERSION => {after_update})) SELECT owner, balance FROM old WHERE id < 10 ORDER BY id;

SELECT id, (SELECT max(balance) FROM tt.accounts AT (VERSION => {more_rows})) AS top FROM tt.accounts ORDER BY id LIMIT 5;

-- The query's snapshot: every table as it was.
-- @snapshot first_rows
SELECT * FROM tt.accounts;

-- @snapshot more_rows
SELECT owner, balance FROM tt.accounts WHERE id BETWEEN 3 AND 8 ORDER BY id;

-- @snapshot after_delete
SELECT count(*), sum(balance) FROM tt.accounts;

-- @snapshot added_column
SELECT status, count(*) FROM tt.accounts GROUP BY status;

-- @snapshot second_table
SELECT e.kind, count(*) FROM tt.events AS e JOIN tt.accounts AS a ON e.account_id = a.id GROUP BY e.kind;

-- @snapshot renamed_column
SELECT holder FROM tt.accounts WHERE id = 1;

-- Before the table existed, and a snapshot that never was: both refuse.
-- @snapshot created
SELECT * FROM tt.events;

SELECT * FROM tt.accounts AT (VERSION => 999999);

SELECT * FROM tt.accounts AT (VERSION => {created}) WHERE id = 1;

SELECT * FROM conf.orders AT (VERSION => NULL);
