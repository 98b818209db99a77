-- Writes: each must succeed or fail on both sides alike, change as many rows, and leave the table
-- equal on both sides (the suite compares it after every write).

CREATE SCHEMA w;

CREATE TABLE w.t (id INTEGER, name VARCHAR, score DOUBLE, r REAL, big BIGINT DEFAULT 7, tag VARCHAR DEFAULT 'none',
                  at_time TIMESTAMP, amount DECIMAL(10,2));

-- VALUES cast value by value to the columns' types, as DuckDB's INSERT does.
INSERT INTO w.t VALUES (1, 'a', 1.5, 1.1, 10, 'x', '2026-01-01 10:00:00', 12.5),
                       ('  2 ', 'b', '2.5', 16777217.5, ' 20', 'y', '2026-01-02', '7.25'),
                       (3, NULL, NULL, 1e-45, NULL, NULL, NULL, NULL);

INSERT INTO w.t VALUES (4, 'd', 0.1, 3.4028235e38, DEFAULT, DEFAULT, '2026-01-04 00:00:00.123456', 0.005);

INSERT INTO w.t (id, name) VALUES (5, 'only two');

INSERT INTO w.t (name, id, r) VALUES ('reordered', 6, 123456.789);

INSERT INTO w.t (id, tag) SELECT i, 'from select ' || i FROM range(7, 12) t(i);

INSERT INTO w.t SELECT id + 100, upper(name), score * 2, r, big, tag, at_time, amount FROM w.t WHERE id <= 4;

INSERT INTO w.t SELECT * FROM w.t WHERE false;

INSERT INTO w.t DEFAULT VALUES;

INSERT INTO w.t VALUES (12, 'x', 'not a number', 1, 1, 'x', NULL, NULL);

INSERT INTO w.t VALUES (13, 'overflow', 1, 1, 99999999999999999999, 'x', NULL, NULL);

INSERT INTO w.t VALUES (14);

INSERT INTO w.t (id, nope) VALUES (15, 1);

INSERT INTO w.t (id, id) VALUES (16, 17);

UPDATE w.t SET score = score + 1, tag = 'bumped' WHERE id % 2 = 0;

UPDATE w.t SET big = DEFAULT, tag = DEFAULT WHERE id = 1;

UPDATE w.t SET name = name || '!' WHERE name IS NOT NULL AND id > 100;

UPDATE w.t SET amount = amount * 3 WHERE amount IS NOT NULL;

UPDATE w.t SET id = id WHERE false;

UPDATE w.t SET amount = 99999999999 WHERE id = 1;

UPDATE w.t SET missing = 1;

UPDATE w.t AS x SET score = -x.score WHERE x.id IN (SELECT id FROM w.t WHERE score > 2);

DELETE FROM w.t WHERE id = 3;

DELETE FROM w.t WHERE name LIKE '%!' OR id > 200;

DELETE FROM w.t WHERE false;

-- Other tables in UPDATE ... FROM and DELETE ... USING.
CREATE TABLE w.bonus (id INTEGER, extra DOUBLE);

INSERT INTO w.bonus VALUES (1, 100), (2, 200), (4, 400), (99, 9900);

UPDATE w.t SET score = coalesce(score, 0) + b.extra FROM w.bonus AS b WHERE w.t.id = b.id;

UPDATE w.t AS x SET tag = 'has bonus' FROM w.bonus b WHERE x.id = b.id AND b.extra > 150;

DELETE FROM w.t USING w.bonus WHERE w.t.id = w.bonus.id AND w.bonus.extra >= 400;

DELETE FROM w.t AS x USING w.bonus AS b, w.bonus AS c WHERE x.id + 1 = b.id AND c.id = b.id;

-- CREATE TABLE AS, and what it keeps of the query's types.
CREATE TABLE w.copy AS SELECT * FROM w.t WHERE id < 100;

CREATE TABLE w.shapes AS SELECT id, [id, id * 2] AS pair, {'n': name, 's': score} AS info, MAP {'k': id} AS m,
  CAST(id AS HUGEINT) * 1000000000000000000000 AS huge, INTERVAL (id) DAY - INTERVAL 1 MONTH AS span,
  TIMETZ '10:00:00+05:30' AS ttz, CAST(at_time AS TIMESTAMP_S) AS secs, '{"a": 1}'::JSON AS doc
FROM w.t;

CREATE TABLE w.empty_copy AS SELECT * FROM w.t WHERE false;

CREATE TABLE w.copy AS SELECT 1 AS a;

-- Schema changes, and writes after them (older files are then read by field id).
ALTER TABLE w.copy ADD COLUMN note VARCHAR DEFAULT 'added';

INSERT INTO w.copy (id, note) VALUES (500, 'after add');

ALTER TABLE w.copy RENAME COLUMN name TO label;

UPDATE w.copy SET label = 'renamed ' || id WHERE id < 5;

ALTER TABLE w.copy ALTER COLUMN id TYPE BIGINT;

INSERT INTO w.copy (id, label) VALUES (5000000000, 'wide id');

ALTER TABLE w.copy DROP COLUMN score;

DELETE FROM w.copy WHERE id = 500;

ALTER TABLE w.copy ADD COLUMN IF NOT EXISTS note VARCHAR;

ALTER TABLE w.copy DROP COLUMN IF EXISTS nothing;

ALTER TABLE w.copy RENAME TO copied;

SELECT * FROM w.copied;

-- JSON columns, read by field id after a schema change.
CREATE TABLE w.docs (id INTEGER, doc JSON, docs JSON[]);

INSERT INTO w.docs VALUES (1, '{"a": 1}', ['[1]', 'null']), (2, '[true]', NULL), (3, NULL, []);

ALTER TABLE w.docs ADD COLUMN extra INTEGER;

DELETE FROM w.docs WHERE id = 2;

SELECT id, doc->>'a', docs, extra FROM w.docs;

DROP TABLE w.empty_copy;

DROP TABLE IF EXISTS w.never_was;

DROP TABLE w.never_was;

SELECT * FROM w.empty_copy;
