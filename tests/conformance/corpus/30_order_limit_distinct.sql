-- ORDER BY, LIMIT / OFFSET, top-N, DISTINCT, DISTINCT ON, ORDER BY ALL, NULLS FIRST / LAST and
-- SAMPLE. Every ORDER BY here is a total order (ties broken by a key or by every output column),
-- so the rows' order is part of the answer; a SAMPLE compares only columns and row count.

-- Every type: distinct values, orders both ways with NULLs placed, DISTINCT ON, ORDER BY ALL.

-- @each c in conf.all_types
SELECT DISTINCT {c} FROM conf.all_types;

-- @each c in conf.all_types
SELECT {c}, id FROM conf.all_types ORDER BY {c} ASC NULLS LAST, id DESC LIMIT 10 OFFSET 3;

-- @each c in conf.all_types
SELECT DISTINCT ON ({c}) {c}, id FROM conf.all_types ORDER BY {c} NULLS FIRST, id DESC;

-- @each c in conf.all_types
SELECT {c} FROM conf.all_types WHERE id < 150 ORDER BY ALL DESC NULLS FIRST;

-- A top-N on the value alone (equal values are equal rows), which lets the scan skip files.
-- @each c in conf.all_types
SELECT {c} FROM conf.all_types ORDER BY {c} DESC NULLS FIRST LIMIT 7;

-- Top-N of orders on many columns.

SELECT id, customer_id, amount FROM conf.orders ORDER BY amount DESC, id LIMIT 1;

SELECT id, customer_id, amount FROM conf.orders ORDER BY amount, id LIMIT 10;

SELECT id, customer_id, amount FROM conf.orders ORDER BY amount, id LIMIT 10 OFFSET 10;

SELECT id, customer_id, amount FROM conf.orders ORDER BY amount, id LIMIT 10 OFFSET 375;

SELECT id, customer_id, amount FROM conf.orders ORDER BY amount, id LIMIT 10 OFFSET 1000;

SELECT id FROM conf.orders ORDER BY id LIMIT 0;

SELECT id FROM conf.orders ORDER BY id OFFSET 370;

SELECT id, status, qty FROM conf.orders ORDER BY status, qty DESC, id LIMIT 25;

SELECT id, status, qty FROM conf.orders ORDER BY status DESC, qty, id DESC LIMIT 25 OFFSET 40;

SELECT customer_id, id FROM conf.orders ORDER BY customer_id NULLS FIRST, id LIMIT 30;

SELECT customer_id, id FROM conf.orders ORDER BY customer_id NULLS LAST, id LIMIT 30 OFFSET 360;

SELECT customer_id, id FROM conf.orders ORDER BY customer_id DESC NULLS FIRST, id DESC LIMIT 30;

SELECT customer_id, id FROM conf.orders ORDER BY customer_id DESC NULLS LAST, id LIMIT 20;

SELECT customer_id, id FROM conf.orders ORDER BY customer_id ASC, id;

SELECT customer_id, id FROM conf.orders ORDER BY customer_id DESC, id;

SELECT note, id FROM conf.orders ORDER BY note NULLS FIRST, id;

SELECT note, id FROM conf.orders ORDER BY note DESC NULLS LAST, id DESC;

SELECT note, id FROM conf.orders ORDER BY length(note) DESC NULLS LAST, note, id LIMIT 40;

SELECT id, ordered_at FROM conf.orders ORDER BY ordered_at DESC LIMIT 15;

SELECT id, ordered_at FROM conf.orders ORDER BY ordered_at LIMIT 15 OFFSET 100;

SELECT id, ordered_at FROM conf.orders ORDER BY date_trunc('day', ordered_at), id LIMIT 50;

SELECT id, ordered_at FROM conf.orders ORDER BY extract(hour FROM ordered_at), ordered_at LIMIT 50;

SELECT id, amount * qty AS total FROM conf.orders ORDER BY total DESC, id LIMIT 20;

SELECT id, amount * qty AS total FROM conf.orders ORDER BY 2 DESC, 1 LIMIT 20;

SELECT id, amount, qty FROM conf.orders ORDER BY qty * -1, amount DESC LIMIT 30;

SELECT id, amount FROM conf.orders ORDER BY amount % 10, id LIMIT 40;

SELECT id, amount FROM conf.orders ORDER BY CAST(amount AS INTEGER) % 7 DESC, amount, id LIMIT 40;

SELECT id, status FROM conf.orders
ORDER BY CASE status WHEN 'new' THEN 1 WHEN 'paid' THEN 2 WHEN 'shipped' THEN 3 ELSE 4 END, id LIMIT 60;

SELECT id, status FROM conf.orders ORDER BY status = 'paid' DESC, id LIMIT 30;

SELECT id, customer_id, qty, amount, status, ordered_at, note FROM conf.orders
ORDER BY qty, status, customer_id NULLS FIRST, amount DESC, id;

SELECT * FROM conf.orders ORDER BY customer_id, status, qty, amount, ordered_at, note, id LIMIT 100;

SELECT * FROM conf.orders ORDER BY ALL;

SELECT * FROM conf.orders ORDER BY ALL DESC;

SELECT * FROM conf.orders ORDER BY ALL LIMIT 7 OFFSET 13;

SELECT * FROM conf.orders ORDER BY ALL DESC NULLS LAST LIMIT 9;

SELECT status, qty FROM conf.orders ORDER BY ALL;

SELECT status, qty, customer_id FROM conf.orders ORDER BY ALL NULLS FIRST;

SELECT note FROM conf.orders ORDER BY ALL NULLS LAST;

SELECT * FROM conf.orders ORDER BY id DESC LIMIT 5;

SELECT * FROM conf.orders WHERE status = 'cancelled' ORDER BY id;

SELECT * FROM conf.orders WHERE customer_id IS NULL ORDER BY id;

SELECT * FROM conf.orders WHERE note = '' ORDER BY amount, id LIMIT 10;

SELECT id FROM conf.orders WHERE id BETWEEN 100 AND 200 ORDER BY id LIMIT 10 OFFSET 5;

SELECT id FROM conf.orders ORDER BY id LIMIT 10 OFFSET 0;

SELECT id FROM conf.orders ORDER BY id LIMIT 1 OFFSET 382;

SELECT id FROM conf.orders ORDER BY id LIMIT 1 OFFSET 383;

SELECT id FROM conf.orders ORDER BY id LIMIT (SELECT 3);

SELECT id FROM conf.orders ORDER BY id LIMIT 2 + 3 OFFSET 2 * 4;

SELECT id FROM conf.orders ORDER BY id LIMIT 1%;

SELECT id FROM conf.orders ORDER BY id LIMIT 10 PERCENT;

SELECT id FROM conf.orders ORDER BY id DESC LIMIT 2.5%;

SELECT id, amount FROM conf.orders ORDER BY amount DESC, id LIMIT 5 PERCENT;

-- Ordering by expressions on strings: collations, case, length, substrings.

SELECT name FROM conf.customers ORDER BY name;

SELECT name FROM conf.customers ORDER BY name DESC;

SELECT name FROM conf.customers ORDER BY lower(name), name;

SELECT name FROM conf.customers ORDER BY length(name), name;

SELECT name FROM conf.customers ORDER BY name COLLATE nocase, id;

SELECT name, id FROM conf.customers ORDER BY substring(name, 1, 1) DESC, id;

SELECT name, id FROM conf.customers ORDER BY reverse(name), id;

SELECT city, name FROM conf.customers ORDER BY city NULLS FIRST, name;

SELECT city, name FROM conf.customers ORDER BY city DESC NULLS FIRST, name DESC;

SELECT city, tier, name FROM conf.customers ORDER BY city, tier, name;

SELECT city, tier, credit FROM conf.customers ORDER BY tier DESC, credit DESC;

SELECT id, signup FROM conf.customers ORDER BY month(signup), id;

SELECT id, signup FROM conf.customers ORDER BY dayofweek(signup), signup DESC;

SELECT id, credit FROM conf.customers ORDER BY credit LIMIT 5;

SELECT id, credit FROM conf.customers ORDER BY credit DESC LIMIT 5 OFFSET 5;

SELECT * FROM conf.customers ORDER BY ALL;

SELECT * FROM conf.customers ORDER BY id DESC;

SELECT s, id FROM conf.all_types ORDER BY s COLLATE nocase NULLS FIRST, id;

SELECT s, id FROM conf.all_types ORDER BY s COLLATE noaccent NULLS LAST, id;

SELECT s, id FROM conf.all_types ORDER BY s COLLATE nocase.noaccent DESC NULLS LAST, id;

SELECT s, id FROM conf.all_types ORDER BY length(s) NULLS FIRST, s, id;

SELECT s, id FROM conf.all_types ORDER BY strlen(s) DESC NULLS LAST, s, id;

SELECT id, s FROM conf.all_types WHERE s IS NOT NULL ORDER BY s, id LIMIT 20;

SELECT id, s FROM conf.all_types ORDER BY s DESC, id LIMIT 20 OFFSET 10;

SELECT sku, order_id, line FROM conf.items ORDER BY sku, order_id, line LIMIT 50;

SELECT sku, order_id, line FROM conf.items ORDER BY sku DESC, order_id DESC, line DESC LIMIT 50 OFFSET 100;

SELECT order_id, line, price FROM conf.items ORDER BY price DESC, order_id, line LIMIT 25;

SELECT order_id, line, price FROM conf.items ORDER BY price, order_id, line LIMIT 25;

SELECT order_id, line, tags FROM conf.items ORDER BY tags NULLS FIRST, order_id, line LIMIT 40;

SELECT order_id, line, tags FROM conf.items ORDER BY tags DESC NULLS LAST, order_id, line LIMIT 40;

SELECT order_id, line, tags FROM conf.items ORDER BY len(tags) NULLS FIRST, order_id DESC, line LIMIT 40;

SELECT * FROM conf.items ORDER BY ALL LIMIT 100;

SELECT * FROM conf.items ORDER BY ALL DESC LIMIT 100;

SELECT * FROM conf.items ORDER BY sku, price, order_id, line;

-- Ordering by nested and special values.

SELECT id, li FROM conf.all_types ORDER BY li NULLS FIRST, id;

SELECT id, li FROM conf.all_types ORDER BY li DESC NULLS LAST, id;

SELECT id, ls FROM conf.all_types ORDER BY ls, id;

SELECT id, st FROM conf.all_types ORDER BY st, id;

SELECT id, st FROM conf.all_types ORDER BY st.b NULLS FIRST, st.a, id;

SELECT id, m FROM conf.all_types ORDER BY m DESC, id;

SELECT id, nested FROM conf.all_types ORDER BY nested, id;

SELECT id, f64 FROM conf.all_types ORDER BY f64, id;

SELECT id, f64 FROM conf.all_types ORDER BY f64 DESC NULLS LAST, id;

SELECT id, f32 FROM conf.all_types ORDER BY f32 NULLS FIRST, id;

SELECT id, f32, f64 FROM conf.all_types ORDER BY isnan(f64) NULLS FIRST, f32, id;

SELECT id, d38 FROM conf.all_types ORDER BY d38 DESC, id LIMIT 10;

SELECT id, i128 FROM conf.all_types ORDER BY i128, id LIMIT 10;

SELECT id, u128 FROM conf.all_types ORDER BY u128 DESC, id LIMIT 10;

SELECT id, u64 FROM conf.all_types ORDER BY u64 DESC NULLS LAST, id LIMIT 10;

SELECT id, ts FROM conf.all_types ORDER BY ts NULLS FIRST, id LIMIT 10;

SELECT id, tstz FROM conf.all_types ORDER BY tstz DESC, id LIMIT 10;

SELECT id, ttz FROM conf.all_types ORDER BY ttz, id LIMIT 15;

SELECT id, iv FROM conf.all_types ORDER BY iv, id LIMIT 15;

SELECT id, iv FROM conf.all_types ORDER BY iv DESC, id LIMIT 15;

SELECT id, u FROM conf.all_types ORDER BY u, id LIMIT 15;

SELECT id, bl FROM conf.all_types ORDER BY bl NULLS FIRST, id LIMIT 15;

SELECT id, j FROM conf.all_types ORDER BY j::VARCHAR, id LIMIT 15;

SELECT id, dt FROM conf.all_types ORDER BY dt DESC NULLS FIRST, id LIMIT 15;

SELECT id, b, i8 FROM conf.all_types ORDER BY b NULLS FIRST, i8 DESC NULLS LAST, id;

SELECT id, i8, i16, i32 FROM conf.all_types ORDER BY i8 % 3 NULLS LAST, i16, i32 DESC, id;

SELECT * FROM conf.all_types ORDER BY ALL;

SELECT * FROM conf.all_types ORDER BY ALL DESC LIMIT 20;

SELECT * FROM conf.all_types ORDER BY id DESC LIMIT 10 OFFSET 60;

SELECT * FROM conf.all_types ORDER BY s NULLS FIRST, id DESC LIMIT 30;

-- DISTINCT.

SELECT DISTINCT status FROM conf.orders;

SELECT DISTINCT status FROM conf.orders ORDER BY status;

SELECT DISTINCT status, qty FROM conf.orders;

SELECT DISTINCT status, qty FROM conf.orders ORDER BY ALL;

SELECT DISTINCT customer_id FROM conf.orders;

SELECT DISTINCT customer_id FROM conf.orders ORDER BY customer_id NULLS FIRST;

SELECT DISTINCT customer_id FROM conf.orders ORDER BY customer_id DESC NULLS LAST LIMIT 10;

SELECT DISTINCT note FROM conf.orders;

SELECT DISTINCT note FROM conf.orders ORDER BY note NULLS FIRST LIMIT 5 OFFSET 1;

SELECT DISTINCT qty % 3, status FROM conf.orders;

SELECT DISTINCT date_trunc('month', ordered_at) AS month FROM conf.orders ORDER BY month;

SELECT DISTINCT year(ordered_at), month(ordered_at) FROM conf.orders ORDER BY ALL;

SELECT DISTINCT customer_id IS NULL, note IS NULL FROM conf.orders;

SELECT DISTINCT * FROM conf.orders;

SELECT DISTINCT city FROM conf.customers;

SELECT DISTINCT city, tier FROM conf.customers ORDER BY city NULLS LAST, tier;

SELECT DISTINCT tier FROM conf.customers ORDER BY tier DESC;

SELECT DISTINCT sku FROM conf.items ORDER BY sku;

SELECT DISTINCT tags FROM conf.items;

SELECT DISTINCT tags FROM conf.items ORDER BY tags NULLS FIRST;

SELECT DISTINCT line, tags FROM conf.items;

SELECT DISTINCT unnest(tags) AS tag FROM conf.items ORDER BY tag;

SELECT DISTINCT price FROM conf.items WHERE price < 5 ORDER BY price;

SELECT DISTINCT round(price) FROM conf.items ORDER BY 1 LIMIT 20;

SELECT DISTINCT region FROM conf.sales;

SELECT DISTINCT region, year FROM conf.sales ORDER BY ALL;

SELECT DISTINCT parent FROM conf.tree ORDER BY parent NULLS FIRST;

SELECT DISTINCT parent % 3 FROM conf.tree;

SELECT DISTINCT s FROM conf.all_types WHERE id >= 200;

SELECT DISTINCT f32, f64 FROM conf.all_types WHERE id >= 200;

SELECT DISTINCT li, ls FROM conf.all_types;

SELECT DISTINCT st, m FROM conf.all_types;

SELECT DISTINCT b, i8 % 2 FROM conf.all_types;

SELECT DISTINCT * FROM conf.all_types;

SELECT DISTINCT * FROM conf.empty;

SELECT DISTINCT a FROM conf.empty ORDER BY a;

SELECT DISTINCT new_name, small FROM conf.evolving;

SELECT DISTINCT small > 100 FROM conf.evolving;

SELECT count(*) FROM (SELECT DISTINCT customer_id, status FROM conf.orders);

SELECT count(*) FROM (SELECT DISTINCT * FROM conf.items);

SELECT DISTINCT ON (status) status, id, amount FROM conf.orders ORDER BY status, amount DESC;

SELECT DISTINCT ON (status) status, id, amount FROM conf.orders ORDER BY status, amount;

SELECT DISTINCT ON (status) * FROM conf.orders ORDER BY status, ordered_at;

SELECT DISTINCT ON (customer_id) customer_id, id, ordered_at FROM conf.orders ORDER BY customer_id NULLS FIRST, ordered_at DESC;

SELECT DISTINCT ON (customer_id) customer_id, id, amount FROM conf.orders ORDER BY customer_id, id;

SELECT DISTINCT ON (customer_id, status) customer_id, status, id FROM conf.orders ORDER BY customer_id, status, id DESC;

SELECT DISTINCT ON (qty) qty, id, amount FROM conf.orders ORDER BY qty DESC, amount, id;

SELECT DISTINCT ON (qty % 3) qty % 3 AS r, id FROM conf.orders ORDER BY qty % 3, id;

SELECT DISTINCT ON (date_trunc('month', ordered_at)) date_trunc('month', ordered_at) AS month, id, ordered_at
FROM conf.orders ORDER BY month, ordered_at;

SELECT DISTINCT ON (city) city, name, credit FROM conf.customers ORDER BY city, credit DESC;

SELECT DISTINCT ON (tier) tier, name, signup FROM conf.customers ORDER BY tier, signup;

SELECT DISTINCT ON (city, tier) city, tier, id FROM conf.customers ORDER BY city NULLS FIRST, tier, id DESC;

SELECT DISTINCT ON (sku) sku, order_id, line, price FROM conf.items ORDER BY sku, price DESC, order_id, line;

SELECT DISTINCT ON (order_id) order_id, line, sku FROM conf.items ORDER BY order_id, line DESC LIMIT 50;

SELECT DISTINCT ON (len(tags)) len(tags) AS n, order_id, line FROM conf.items ORDER BY n NULLS FIRST, order_id, line;

SELECT DISTINCT ON (region) region, quarter, year, amount FROM conf.sales ORDER BY region, amount DESC;

SELECT DISTINCT ON (year, quarter) year, quarter, region, units FROM conf.sales ORDER BY year, quarter, units, region;

SELECT DISTINCT ON (parent) parent, id, label FROM conf.tree ORDER BY parent NULLS LAST, id DESC;

SELECT DISTINCT ON (b) b, id, s FROM conf.all_types ORDER BY b, id;

SELECT DISTINCT ON (i8 % 5) i8 % 5 AS k, id FROM conf.all_types ORDER BY k NULLS FIRST, id DESC;

-- DISTINCT ON under an outer query (the ORDER BY inside decides the winners).
SELECT * FROM (SELECT DISTINCT ON (status) status, id FROM conf.orders ORDER BY status, id DESC) t;

SELECT count(*), sum(id) FROM (SELECT DISTINCT ON (customer_id) customer_id, id FROM conf.orders ORDER BY customer_id, amount DESC, id);

-- ORDER BY in subqueries and with LIMIT inside.

SELECT * FROM (SELECT id, amount FROM conf.orders ORDER BY amount DESC, id LIMIT 10) t ORDER BY id;

SELECT count(*), sum(amount) FROM (SELECT amount FROM conf.orders ORDER BY amount DESC, id LIMIT 50);

SELECT * FROM (SELECT id FROM conf.orders ORDER BY id DESC LIMIT 20) ORDER BY id LIMIT 5;

SELECT sum(id) FROM (SELECT id FROM conf.orders ORDER BY id LIMIT 10 OFFSET 10);

SELECT max(amount), min(amount) FROM (SELECT amount FROM conf.orders ORDER BY amount, id LIMIT 100 OFFSET 100);

SELECT customer_id, count(*) AS n FROM conf.orders GROUP BY customer_id ORDER BY n DESC, customer_id NULLS FIRST LIMIT 10;

SELECT status, sum(amount) AS total FROM conf.orders GROUP BY status ORDER BY total DESC;

SELECT status, max(ordered_at) AS last FROM conf.orders GROUP BY ALL ORDER BY last;

SELECT city, count(*) FROM conf.customers GROUP BY city ORDER BY count(*) DESC, city NULLS FIRST;

SELECT sku, count(*), round(avg(price), 6) FROM conf.items GROUP BY sku ORDER BY 2 DESC, 1;

SELECT id, amount FROM conf.orders ORDER BY amount DESC, id LIMIT 3 OFFSET 0;

SELECT id, amount FROM conf.orders WHERE qty > 5 ORDER BY amount DESC, id LIMIT 3;

SELECT id FROM conf.orders WHERE false ORDER BY id LIMIT 3;

SELECT a, b FROM conf.empty ORDER BY a NULLS FIRST, b LIMIT 1;

SELECT id, new_name, small FROM conf.evolving ORDER BY small DESC LIMIT 5;

SELECT id, new_name, small FROM conf.evolving ORDER BY new_name LIMIT 5 OFFSET 5;

SELECT * FROM conf.evolving ORDER BY ALL DESC;

SELECT id, small FROM conf.evolving ORDER BY small LIMIT 3;

SELECT small FROM conf.evolving ORDER BY small DESC LIMIT 12;

SELECT id, new_name FROM conf.evolving ORDER BY new_name DESC LIMIT 4;

SELECT id, small FROM conf.evolving WHERE small > 15 ORDER BY small, id LIMIT 10;

SELECT DISTINCT ON (id % 3) id % 3 AS k, id, small FROM conf.evolving ORDER BY k, small DESC;

SELECT DISTINCT small // 1000000000 FROM conf.evolving;

SELECT id, label FROM conf.tree ORDER BY label;

SELECT id, label FROM conf.tree ORDER BY parent NULLS FIRST, id DESC;

SELECT * FROM conf.sales ORDER BY amount DESC, region LIMIT 10;

SELECT * FROM conf.sales ORDER BY ALL;

SELECT region, quarter, year FROM conf.sales ORDER BY year DESC, quarter, region DESC;

SELECT * FROM conf.prices ORDER BY valid_from DESC, sku LIMIT 20;

SELECT * FROM conf.prices ORDER BY price, sku LIMIT 20 OFFSET 50;

SELECT * FROM conf.prices ORDER BY ALL DESC LIMIT 30;

-- Ordering range / unnest / VALUES.

SELECT * FROM range(10) t(x) ORDER BY x DESC;

SELECT x FROM range(100) t(x) ORDER BY x % 7, x LIMIT 20;

SELECT x FROM generate_series(1, 50) t(x) ORDER BY x DESC LIMIT 5 OFFSET 5;

SELECT u FROM unnest([3, 1, NULL, 2]) t(u) ORDER BY u NULLS FIRST;

SELECT u FROM unnest(['b', 'a', NULL, 'C']) t(u) ORDER BY u DESC NULLS LAST;

SELECT * FROM (VALUES (2, 'b'), (1, 'a'), (NULL, 'n'), (3, NULL)) t(k, v) ORDER BY k NULLS LAST;

SELECT DISTINCT x % 4 FROM range(20) t(x) ORDER BY 1;

-- SAMPLE: only the row count and the columns are compared.

-- @rows-only
SELECT * FROM conf.orders USING SAMPLE 10 ROWS;

-- @rows-only
SELECT * FROM conf.orders USING SAMPLE reservoir(25 ROWS);

-- @rows-only
SELECT * FROM conf.orders USING SAMPLE reservoir(50%);

-- @rows-only
SELECT id, amount FROM conf.orders USING SAMPLE 100%;

-- @rows-only
SELECT id FROM conf.orders TABLESAMPLE reservoir(7 ROWS);

-- @rows-only
SELECT * FROM conf.all_types USING SAMPLE 5 ROWS;

-- @rows-only
SELECT * FROM conf.items USING SAMPLE reservoir(1000 ROWS);

-- @rows-only
SELECT * FROM conf.items USING SAMPLE reservoir(10%) REPEATABLE (42);

-- @rows-only
SELECT * FROM conf.customers USING SAMPLE reservoir(100%);

-- @rows-only
SELECT * FROM conf.empty USING SAMPLE 10 ROWS;

-- @rows-only
SELECT o.id, c.name FROM conf.orders o JOIN conf.customers c ON o.customer_id = c.id USING SAMPLE 5 ROWS;

-- @rows-only
SELECT * FROM (SELECT * FROM conf.orders WHERE status = 'paid') USING SAMPLE 3 ROWS;

-- @rows-only
SELECT * FROM conf.orders ORDER BY amount DESC LIMIT 5;

SELECT count(*) FROM (SELECT * FROM conf.orders USING SAMPLE 20 ROWS);

SELECT count(*) FROM (SELECT * FROM conf.orders USING SAMPLE reservoir(10%));

SELECT count(*) FROM (SELECT * FROM conf.sales USING SAMPLE 100% (system));

SELECT count(*) FROM (SELECT * FROM conf.tree USING SAMPLE 100 ROWS);

SELECT count(*) FROM conf.orders TABLESAMPLE 100 PERCENT (bernoulli);

-- Mistakes both sides refuse.

SELECT id FROM conf.orders ORDER BY 9;

SELECT DISTINCT ON (status) status FROM conf.orders ORDER BY nosuchcolumn;

SELECT id FROM conf.orders LIMIT -1;
