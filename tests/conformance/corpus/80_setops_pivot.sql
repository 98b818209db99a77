-- Set operations (UNION, UNION ALL, INTERSECT, EXCEPT, their ALL forms, UNION BY NAME), PIVOT and
-- UNPIVOT in their statement and FROM forms, VALUES lists and FROM-first syntax.

-- Every type: UNION of two halves, and INTERSECT / EXCEPT of overlapping parts. (INTERSECT ALL and
-- EXCEPT ALL are not run over every type: DuckDB 1.4.4 returns corrupt TIMETZ values from them,
-- on both sides; they run below over the other types.)

-- @each c in conf.all_types
SELECT {c} FROM conf.all_types WHERE id < 100 UNION SELECT {c} FROM conf.all_types WHERE id >= 100;

-- @each c in conf.all_types
(SELECT {c} FROM conf.all_types INTERSECT SELECT {c} FROM conf.all_types WHERE id % 2 = 0)
UNION ALL
(SELECT {c} FROM conf.all_types EXCEPT SELECT {c} FROM conf.all_types WHERE id % 3 = 0);

SELECT b, i8, i16, i32, i64, i128, u8, u16, u32, u64, u128, f32, f64, d4, d9, d18, d38 FROM conf.all_types
INTERSECT ALL SELECT b, i8, i16, i32, i64, i128, u8, u16, u32, u64, u128, f32, f64, d4, d9, d18, d38 FROM conf.all_types WHERE id % 2 = 0;

SELECT b, i8, i16, i32, i64, i128, u8, u16, u32, u64, u128, f32, f64, d4, d9, d18, d38 FROM conf.all_types
EXCEPT ALL SELECT b, i8, i16, i32, i64, i128, u8, u16, u32, u64, u128, f32, f64, d4, d9, d18, d38 FROM conf.all_types WHERE id % 3 = 0;

SELECT s, bl, dt, tm, ts, tss, tsm, tsn, tstz, iv, u, j FROM conf.all_types
INTERSECT ALL SELECT s, bl, dt, tm, ts, tss, tsm, tsn, tstz, iv, u, j FROM conf.all_types WHERE id % 2 = 1;

SELECT s, bl, dt, tm, ts, tss, tsm, tsn, tstz, iv, u, j FROM conf.all_types
EXCEPT ALL SELECT s, bl, dt, tm, ts, tss, tsm, tsn, tstz, iv, u, j FROM conf.all_types WHERE id % 3 = 1;

SELECT li, ls, st, m, nested FROM conf.all_types INTERSECT ALL SELECT li, ls, st, m, nested FROM conf.all_types WHERE id > 150;

SELECT li, ls, st, m, nested FROM conf.all_types EXCEPT ALL SELECT li, ls, st, m, nested FROM conf.all_types WHERE id > 150;

SELECT i32, f64, s FROM conf.all_types WHERE id >= 200 INTERSECT ALL SELECT i32, f64, s FROM conf.all_types WHERE id >= 204;

-- UNION and UNION ALL.

SELECT status FROM conf.orders UNION SELECT tier FROM conf.customers;

SELECT status FROM conf.orders UNION ALL SELECT tier FROM conf.customers;

SELECT status FROM conf.orders UNION SELECT tier FROM conf.customers ORDER BY 1;

SELECT customer_id FROM conf.orders UNION SELECT id FROM conf.customers;

SELECT customer_id FROM conf.orders UNION SELECT id FROM conf.customers ORDER BY 1 NULLS FIRST;

SELECT id, 'order' AS kind FROM conf.orders WHERE id < 20 UNION ALL SELECT id, 'customer' FROM conf.customers WHERE id < 10 ORDER BY id, kind;

SELECT id FROM conf.orders WHERE qty = 1 UNION SELECT id FROM conf.orders WHERE qty = 2 UNION SELECT id FROM conf.orders WHERE amount > 900;

SELECT note FROM conf.orders UNION SELECT NULL;

SELECT note FROM conf.orders UNION ALL SELECT NULL;

SELECT NULL UNION SELECT NULL;

SELECT NULL UNION ALL SELECT NULL;

SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 1;

SELECT 1 AS x UNION SELECT 2 UNION SELECT 1 ORDER BY x DESC;

SELECT city FROM conf.customers UNION SELECT region FROM conf.sales;

SELECT sku FROM conf.items UNION SELECT sku FROM conf.prices ORDER BY sku;

SELECT qty FROM conf.orders UNION SELECT line FROM conf.items;

SELECT qty::BIGINT FROM conf.orders UNION ALL SELECT small FROM conf.evolving;

SELECT amount FROM conf.orders WHERE id < 10 UNION ALL SELECT price FROM conf.items WHERE order_id < 5;

SELECT amount FROM conf.orders WHERE id < 10 UNION SELECT credit FROM conf.customers WHERE id < 10;

SELECT ordered_at FROM conf.orders WHERE id < 10 UNION SELECT signup FROM conf.customers WHERE id < 10;

SELECT ordered_at::DATE FROM conf.orders UNION SELECT signup FROM conf.customers ORDER BY 1 LIMIT 10;

SELECT tags FROM conf.items UNION SELECT ['x', NULL];

SELECT tags FROM conf.items UNION SELECT [];

SELECT li FROM conf.all_types UNION SELECT [1, 2, 3];

SELECT st FROM conf.all_types UNION ALL SELECT {'a': 1, 'b': 'one'};

SELECT m FROM conf.all_types UNION SELECT MAP {'k0': 3};

SELECT a, b FROM conf.empty UNION SELECT a, b FROM conf.empty;

SELECT a, b FROM conf.empty UNION ALL SELECT 1, 'x';

SELECT id, new_name FROM conf.evolving UNION SELECT id, label FROM conf.tree;

SELECT * FROM conf.tree UNION ALL SELECT * FROM conf.tree;

SELECT * FROM conf.tree UNION SELECT * FROM conf.tree;

SELECT count(*) FROM (SELECT * FROM conf.orders UNION ALL SELECT * FROM conf.orders);

SELECT count(*) FROM (SELECT * FROM conf.orders UNION SELECT * FROM conf.orders);

SELECT status, count(*) FROM (SELECT status FROM conf.orders WHERE qty < 3 UNION ALL SELECT status FROM conf.orders WHERE qty > 7) GROUP BY status;

SELECT x FROM range(5) t(x) UNION SELECT x FROM range(3, 8) t(x);

SELECT x FROM range(5) t(x) UNION ALL SELECT x FROM range(3, 8) t(x) ORDER BY x;

-- INTERSECT and EXCEPT, with and without ALL.

SELECT customer_id FROM conf.orders WHERE status = 'paid' INTERSECT SELECT customer_id FROM conf.orders WHERE status = 'returned';

SELECT customer_id FROM conf.orders WHERE status = 'paid' INTERSECT ALL SELECT customer_id FROM conf.orders WHERE status = 'returned';

SELECT customer_id FROM conf.orders WHERE status = 'paid' EXCEPT SELECT customer_id FROM conf.orders WHERE status = 'returned';

SELECT customer_id FROM conf.orders WHERE status = 'paid' EXCEPT ALL SELECT customer_id FROM conf.orders WHERE status = 'returned';

SELECT customer_id FROM conf.orders EXCEPT SELECT id FROM conf.customers;

SELECT id FROM conf.customers EXCEPT SELECT customer_id FROM conf.orders;

SELECT id FROM conf.customers INTERSECT SELECT customer_id FROM conf.orders ORDER BY id;

SELECT qty FROM conf.orders INTERSECT ALL SELECT line FROM conf.items;

SELECT qty FROM conf.orders EXCEPT ALL SELECT line FROM conf.items;

SELECT status, qty FROM conf.orders INTERSECT SELECT status, qty FROM conf.orders WHERE amount > 500;

SELECT status, qty FROM conf.orders EXCEPT SELECT status, qty FROM conf.orders WHERE amount > 500;

SELECT status, qty FROM conf.orders EXCEPT ALL SELECT status, qty FROM conf.orders WHERE amount > 500;

SELECT note FROM conf.orders INTERSECT SELECT note FROM conf.orders WHERE id > 300;

SELECT note FROM conf.orders EXCEPT SELECT note FROM conf.orders WHERE id < 100;

SELECT NULL INTERSECT SELECT NULL;

SELECT NULL EXCEPT SELECT NULL;

SELECT parent FROM conf.tree INTERSECT ALL SELECT parent FROM conf.tree WHERE id % 2 = 0;

SELECT parent FROM conf.tree EXCEPT ALL SELECT parent FROM conf.tree WHERE id % 2 = 0;

SELECT id FROM conf.tree EXCEPT SELECT parent FROM conf.tree ORDER BY id;

SELECT sku FROM conf.items INTERSECT SELECT sku FROM conf.prices WHERE price > 50;

SELECT sku, price FROM conf.items INTERSECT SELECT sku, price FROM conf.prices;

SELECT s FROM conf.all_types INTERSECT SELECT s FROM conf.all_types WHERE id >= 200;

SELECT s FROM conf.all_types EXCEPT ALL SELECT s FROM conf.all_types WHERE id >= 205;

SELECT f64 FROM conf.all_types INTERSECT ALL SELECT f64 FROM conf.all_types WHERE id >= 200;

SELECT li FROM conf.all_types EXCEPT SELECT li FROM conf.all_types WHERE id > 100;

SELECT a FROM conf.empty INTERSECT SELECT id FROM conf.evolving;

SELECT id FROM conf.evolving EXCEPT SELECT a FROM conf.empty;

SELECT small FROM conf.evolving INTERSECT SELECT id FROM conf.tree;

SELECT id, new_name FROM conf.evolving EXCEPT ALL SELECT id, 'v' || id FROM conf.tree;

SELECT x FROM range(10) t(x) EXCEPT SELECT x FROM range(0, 10, 3) t(x) ORDER BY x;

SELECT unnest([1, 1, 2, 2, 3]) INTERSECT ALL SELECT unnest([1, 2, 2, 2]);

SELECT unnest([1, 1, 2, 2, 3]) EXCEPT ALL SELECT unnest([1, 2, 4]);

-- Precedence and nesting: INTERSECT binds tighter than UNION and EXCEPT.

SELECT qty FROM conf.orders WHERE qty < 4 UNION SELECT qty FROM conf.orders WHERE qty > 6 INTERSECT SELECT qty FROM conf.orders WHERE qty % 2 = 0;

(SELECT qty FROM conf.orders WHERE qty < 4 UNION SELECT qty FROM conf.orders WHERE qty > 6) INTERSECT SELECT qty FROM conf.orders WHERE qty % 2 = 0;

SELECT qty FROM conf.orders EXCEPT SELECT qty FROM conf.orders WHERE qty < 3 EXCEPT SELECT qty FROM conf.orders WHERE qty > 7;

SELECT qty FROM conf.orders EXCEPT (SELECT qty FROM conf.orders WHERE qty < 3 EXCEPT SELECT qty FROM conf.orders WHERE qty < 2);

SELECT id FROM conf.tree WHERE id < 10 UNION ALL SELECT id FROM conf.tree WHERE id < 5 EXCEPT ALL SELECT id FROM conf.tree WHERE id < 3;

(SELECT id FROM conf.orders ORDER BY amount DESC, id LIMIT 5) UNION ALL (SELECT id FROM conf.orders ORDER BY amount, id LIMIT 5);

(SELECT id FROM conf.orders ORDER BY amount DESC, id LIMIT 5) UNION (SELECT id FROM conf.orders ORDER BY ordered_at, id LIMIT 5) ORDER BY id;

SELECT * FROM (SELECT id FROM conf.orders UNION SELECT id FROM conf.customers) t WHERE id > 395;

SELECT count(*) FROM (SELECT customer_id FROM conf.orders INTERSECT SELECT id FROM conf.customers);

WITH a AS (SELECT status FROM conf.orders WHERE qty = 1), b AS (SELECT status FROM conf.orders WHERE qty = 9)
SELECT * FROM a INTERSECT ALL SELECT * FROM b;

SELECT o.id FROM conf.orders o WHERE o.customer_id IN (SELECT id FROM conf.customers WHERE tier = 'gold' UNION SELECT id FROM conf.customers WHERE city = 'Oslo');

SELECT c.id, (SELECT count(*) FROM (SELECT status FROM conf.orders o WHERE o.customer_id = c.id EXCEPT SELECT 'new')) FROM conf.customers c;

SELECT status, count(*) FROM conf.orders GROUP BY status UNION ALL SELECT 'total', count(*) FROM conf.orders;

SELECT status, sum(amount) FROM conf.orders GROUP BY status UNION ALL SELECT NULL, sum(amount) FROM conf.orders ORDER BY 1 NULLS LAST;

SELECT id, row_number() OVER (ORDER BY id) FROM conf.tree WHERE id < 5 UNION ALL SELECT id, -1 FROM conf.tree WHERE id > 28;

-- UNION BY NAME.

SELECT id, name FROM conf.customers UNION BY NAME SELECT name, id FROM conf.customers;

SELECT id, name FROM conf.customers WHERE id < 5 UNION ALL BY NAME SELECT id, status FROM conf.orders WHERE id < 5;

SELECT id, name AS label FROM conf.customers WHERE id < 5 UNION BY NAME SELECT id, label, parent FROM conf.tree WHERE id < 8;

SELECT * FROM conf.evolving UNION ALL BY NAME SELECT * FROM conf.tree;

SELECT * FROM conf.empty UNION ALL BY NAME SELECT id AS a FROM conf.tree WHERE id < 4;

SELECT region, amount FROM conf.sales WHERE year = 2024 UNION BY NAME SELECT amount, region FROM conf.sales WHERE year = 2025;

SELECT 1 AS a, 2 AS b UNION ALL BY NAME SELECT 3 AS b, 4 AS c UNION ALL BY NAME SELECT 5 AS c;

SELECT * FROM conf.orders WHERE id < 10 UNION ALL BY NAME SELECT * FROM conf.customers WHERE id < 10;

SELECT id, status FROM conf.orders WHERE id < 20 UNION BY NAME SELECT id, status FROM conf.orders WHERE id BETWEEN 10 AND 30 ORDER BY id;

SELECT id, s FROM conf.all_types WHERE id < 5 UNION ALL BY NAME SELECT li, id FROM conf.all_types WHERE id < 5;

-- VALUES lists.

VALUES (1, 'one'), (2, 'two'), (3, NULL);

VALUES (1), (NULL), (3) ORDER BY 1 NULLS FIRST;

SELECT * FROM (VALUES (1, 'a'), (2, 'b')) t(num, letter);

SELECT * FROM (VALUES (1, 2.5), (2, NULL), (NULL, 0.5)) t(k, v) WHERE v IS NOT NULL;

SELECT col0, col1 FROM (VALUES ('x', [1, 2]), ('y', []), ('z', NULL));

SELECT * FROM (VALUES ({'a': 1}), ({'a': NULL}), (NULL)) t(s);

SELECT * FROM (VALUES (DATE '2026-01-01', TIMESTAMP '2026-01-01 10:00:00'), (DATE '2026-12-31', NULL)) t(d, ts);

SELECT v.k, count(o.id) FROM (VALUES ('new'), ('paid'), ('gone')) v(k) LEFT JOIN conf.orders o ON o.status = v.k GROUP BY v.k;

SELECT * FROM conf.tree WHERE (id, parent) IN (VALUES (2, 1), (3, 1), (9, 4), (9, 5));

SELECT * FROM (VALUES (1), (2)) a(x), (VALUES ('a'), ('b')) b(y) ORDER BY x, y;

VALUES (1, 'a') UNION ALL VALUES (2, 'b') EXCEPT VALUES (1, 'a');

SELECT * FROM (VALUES (1, 1), (1, 1), (2, 2)) t(a, b) INTERSECT ALL SELECT * FROM (VALUES (1, 1), (2, 2), (2, 2)) t(a, b);

-- FROM-first syntax.

FROM conf.tree;

FROM conf.tree WHERE parent = 2;

FROM conf.tree SELECT id, label WHERE id > 25 ORDER BY id DESC;

FROM conf.orders SELECT status, count(*) GROUP BY status;

FROM conf.orders SELECT count(*), sum(amount) WHERE qty > 4;

FROM conf.orders o JOIN conf.customers c ON o.customer_id = c.id SELECT o.id, c.name WHERE c.tier = 'bronze';

FROM conf.customers SELECT * EXCLUDE (signup, credit) WHERE city = 'Paris';

FROM conf.customers SELECT * REPLACE (upper(name) AS name) ORDER BY id LIMIT 5;

FROM conf.orders SELECT customer_id, max(amount) GROUP BY ALL HAVING count(*) > 11 ORDER BY ALL;

FROM conf.sales SELECT region, sum(amount) GROUP BY region ORDER BY region;

FROM conf.empty;

FROM conf.evolving SELECT new_name WHERE small > 1000;

FROM range(5);

FROM range(3) t(x) SELECT x * 10;

FROM (FROM conf.tree SELECT id WHERE id < 6) SELECT sum(id);

FROM conf.orders SELECT id ORDER BY amount DESC, id LIMIT 3;

FROM conf.items SELECT DISTINCT sku;

FROM conf.tree SELECT id UNION FROM conf.evolving SELECT id;

WITH t AS (FROM conf.orders WHERE status = 'cancelled') FROM t SELECT id, amount;

-- PIVOT, FROM form (values listed).

SELECT * FROM conf.sales PIVOT (sum(amount) FOR quarter IN ('Q1', 'Q2', 'Q3', 'Q4') GROUP BY region);

SELECT * FROM conf.sales PIVOT (sum(amount) FOR quarter IN ('Q1', 'Q2', 'Q3', 'Q4') GROUP BY region) ORDER BY region;

SELECT * FROM conf.sales PIVOT (sum(units) FOR year IN (2024, 2025, 2026) GROUP BY region, quarter);

SELECT * FROM conf.sales PIVOT (sum(amount) AS total, max(units) AS top FOR quarter IN ('Q1', 'Q4') GROUP BY region);

SELECT * FROM conf.sales PIVOT (count(*) FOR region IN ('north', 'east', 'nowhere') GROUP BY year);

SELECT * FROM conf.sales PIVOT (sum(amount) FOR quarter IN ('Q1' AS first, 'Q2' AS second) GROUP BY region, year);

SELECT * FROM conf.sales PIVOT (sum(amount) FOR (region, quarter) IN (('north', 'Q1'), ('south', 'Q4')) GROUP BY year);

SELECT * FROM conf.sales PIVOT (sum(amount) FOR quarter IN ('Q1', 'Q2') year IN (2024, 2026) GROUP BY region);

SELECT * FROM (SELECT region, quarter, amount FROM conf.sales) PIVOT (avg(amount) FOR quarter IN ('Q1', 'Q2', 'Q3', 'Q4'));

SELECT * FROM (SELECT status, qty FROM conf.orders) PIVOT (count(*) FOR status IN ('new', 'paid', 'shipped', 'returned', 'cancelled') GROUP BY qty) ORDER BY qty;

SELECT * FROM (SELECT c.tier, o.status, o.amount FROM conf.orders o JOIN conf.customers c ON c.id = o.customer_id)
PIVOT (sum(amount) FOR status IN ('new', 'paid') GROUP BY tier);

SELECT * FROM conf.empty PIVOT (count(*) FOR b IN ('x', 'y') GROUP BY a);

SELECT region, Q1 + Q2 AS h1 FROM conf.sales PIVOT (sum(amount) FOR quarter IN ('Q1', 'Q2', 'Q3', 'Q4') GROUP BY region) ORDER BY region;

-- PIVOT statements.

PIVOT conf.sales ON quarter IN ('Q1', 'Q2', 'Q3', 'Q4') USING sum(amount) GROUP BY region;

PIVOT conf.sales ON year IN (2024, 2025) USING sum(units) GROUP BY region ORDER BY region;

PIVOT conf.sales ON quarter IN ('Q1', 'Q3') USING sum(amount) AS s, count(*) AS n GROUP BY year;

PIVOT conf.sales ON region IN ('north', 'south') USING max(amount);

PIVOT (SELECT status, customer_id FROM conf.orders WHERE customer_id < 5) ON status IN ('new', 'paid') USING count(*) GROUP BY customer_id;

PIVOT conf.sales ON quarter USING sum(amount) GROUP BY region;

PIVOT conf.sales ON region, quarter USING sum(units) GROUP BY year;

PIVOT conf.customers ON tier USING count(*) GROUP BY city;

-- UNPIVOT, FROM form and statement.

SELECT * FROM (SELECT region, year, quarter, amount, units::DOUBLE AS units FROM conf.sales) UNPIVOT (val FOR metric IN (amount, units));

SELECT * FROM conf.sales UNPIVOT (val FOR metric IN (amount, units)) WHERE year = 2024 AND region = 'west';

SELECT * FROM (SELECT 1 AS id, 10 AS a, NULL::INTEGER AS b, 30 AS c) UNPIVOT (v FOR k IN (a, b, c));

SELECT * FROM (SELECT 1 AS id, 10 AS a, NULL::INTEGER AS b, 30 AS c) UNPIVOT INCLUDE NULLS (v FOR k IN (a, b, c));

SELECT * FROM (PIVOT conf.sales ON quarter IN ('Q1', 'Q2', 'Q3', 'Q4') USING sum(amount) GROUP BY region)
UNPIVOT (amount FOR quarter IN (Q1, Q2, Q3, Q4));

UNPIVOT conf.sales ON amount, units INTO NAME metric VALUE val;

UNPIVOT (SELECT region, year, quarter, amount, units FROM conf.sales WHERE year = 2025) ON amount, units INTO NAME metric VALUE val ORDER BY ALL;

UNPIVOT (SELECT id, i8, i16, i32 FROM conf.all_types) ON COLUMNS(* EXCLUDE (id)) INTO NAME col VALUE v;

UNPIVOT (SELECT id, i8, i16, i32 FROM conf.all_types) ON i8, i16, i32;

UNPIVOT (SELECT id, s, CAST(u AS VARCHAR) AS u FROM conf.all_types) ON s, u INTO NAME col VALUE v;

UNPIVOT (PIVOT conf.sales ON quarter IN ('Q1', 'Q2') USING sum(amount) GROUP BY region) ON Q1, Q2 INTO NAME quarter VALUE total;

UNPIVOT conf.customers ON name, city, tier INTO NAME field VALUE text;

SELECT metric, sum(val) FROM (UNPIVOT conf.sales ON amount, units INTO NAME metric VALUE val) GROUP BY metric;

UNPIVOT conf.sales ON (amount, units) AS pair INTO NAME k VALUE amount_v, units_v;

-- Mistakes both sides refuse.

SELECT id, name FROM conf.customers UNION SELECT id FROM conf.orders;

SELECT * FROM conf.sales PIVOT (sum(amount) FOR nosuch IN ('a') GROUP BY region);

UNPIVOT conf.sales ON nosuch INTO NAME k VALUE v;
