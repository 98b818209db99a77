-- Joins: inner, outer, cross, semi, anti, ASOF and LATERAL; self joins, USING and NATURAL, joins on
-- expressions and on NULL keys, and joins of many tables. Positional joins are left out: they pair
-- rows by their order, which a lake of Parquet files does not keep.

-- Every type joined with itself: equality, IS NOT DISTINCT FROM, USING and an inequality.

-- @each c in conf.all_types
SELECT a.id, b.id FROM conf.all_types a JOIN conf.all_types b ON a.{c} = b.{c} WHERE a.id <> b.id;

-- @each c in conf.all_types
SELECT count(*), count(a.{c}) FROM conf.all_types a JOIN conf.all_types b ON a.{c} IS NOT DISTINCT FROM b.{c};

-- @each c in conf.all_types
SELECT count(*), sum(a.id), sum(b.id) FROM conf.all_types a JOIN conf.all_types b USING ({c});

-- @each c in conf.all_types
SELECT count(*) FROM conf.all_types a JOIN conf.all_types b ON a.{c} < b.{c} AND a.id % 7 = b.id % 5;

-- @each c in conf.all_types
SELECT a.id, b.id FROM conf.all_types a LEFT JOIN conf.all_types b ON a.{c} = b.{c} AND a.id < b.id AND b.id < 10;

-- Inner joins.

SELECT o.id, c.name FROM conf.orders o JOIN conf.customers c ON o.customer_id = c.id;

SELECT o.id, c.name FROM conf.orders o INNER JOIN conf.customers c ON o.customer_id = c.id ORDER BY o.id;

SELECT o.id, c.name, c.city FROM conf.orders o, conf.customers c WHERE o.customer_id = c.id AND c.city = 'Oslo' ORDER BY o.id;

SELECT c.city, count(*), sum(o.amount) FROM conf.orders o JOIN conf.customers c ON o.customer_id = c.id GROUP BY c.city;

SELECT c.tier, o.status, count(*) FROM conf.orders o JOIN conf.customers c ON c.id = o.customer_id GROUP BY ALL ORDER BY ALL;

SELECT o.id, i.line, i.sku, i.price FROM conf.orders o JOIN conf.items i ON i.order_id = o.id WHERE o.id < 40 ORDER BY o.id, i.line;

SELECT o.status, count(*), round(sum(i.price), 2) FROM conf.orders o JOIN conf.items i ON i.order_id = o.id GROUP BY o.status;

SELECT o.id, count(i.line) FROM conf.orders o JOIN conf.items i ON i.order_id = o.id GROUP BY o.id HAVING count(*) = 3 ORDER BY o.id;

SELECT * FROM conf.orders o JOIN conf.customers c ON o.customer_id = c.id WHERE o.id % 10 = 3;

SELECT o.*, c.* FROM conf.orders o JOIN conf.customers c ON o.customer_id = c.id AND o.qty > 7;

SELECT o.id, c.id FROM conf.orders o JOIN conf.customers c ON o.customer_id = c.id AND c.tier = 'gold' AND o.status <> 'new';

SELECT o.id, c.id FROM conf.orders o JOIN conf.customers c ON o.customer_id = c.id OR o.qty = c.id % 10 WHERE o.id < 30;

SELECT o.id, c.id FROM conf.orders o JOIN conf.customers c ON o.customer_id + 1 = c.id * 1 WHERE o.id < 60;

SELECT o.id, c.id FROM conf.orders o JOIN conf.customers c ON o.customer_id % 10 = c.id % 10 AND o.id < 20 AND c.id < 20;

SELECT o.id, c.id FROM conf.orders o JOIN conf.customers c ON o.amount > c.credit AND o.customer_id = c.id;

SELECT o.id, c.id FROM conf.orders o JOIN conf.customers c ON o.amount BETWEEN c.credit - 5 AND c.credit + 5;

SELECT o.id, c.id FROM conf.orders o JOIN conf.customers c ON CAST(o.ordered_at AS DATE) > c.signup + INTERVAL 2000 DAY AND o.customer_id = c.id;

SELECT o.id, c.id FROM conf.orders o JOIN conf.customers c ON lower(c.name) LIKE '%' || o.qty || '%' WHERE o.id < 15;

SELECT o.id, c.id FROM conf.orders o JOIN conf.customers c ON o.note = 'note ' || (c.id % 13) WHERE c.id < 5 AND o.id < 80;

SELECT o.id, c.id FROM conf.orders o JOIN conf.customers c ON CASE WHEN o.qty > 5 THEN o.customer_id ELSE o.customer_id + 1 END = c.id WHERE o.id < 50;

SELECT o.id, c.id FROM conf.orders o JOIN conf.customers c ON o.customer_id IN (c.id, c.id + 1) WHERE o.id < 50;

SELECT o.id, c.id FROM conf.orders o JOIN conf.customers c ON (o.customer_id, o.qty) = (c.id, 3);

SELECT o.id, c.id FROM conf.orders o JOIN conf.customers c ON true WHERE o.id < 3 AND c.id < 4;

SELECT o.id, c.id FROM conf.orders o JOIN conf.customers c ON false;

SELECT count(*) FROM conf.orders o JOIN conf.items i ON o.id = i.order_id AND i.price > o.amount / 10;

SELECT count(*) FROM conf.items a JOIN conf.items b ON a.sku = b.sku AND a.price < b.price;

SELECT count(*) FROM conf.items a JOIN conf.items b ON a.sku = b.sku AND a.order_id = b.order_id AND a.line < b.line;

SELECT a.sku, count(*) FROM conf.items a JOIN conf.items b ON a.sku = b.sku GROUP BY a.sku ORDER BY a.sku;

SELECT count(*) FROM conf.orders a JOIN conf.orders b ON a.amount < b.amount AND a.qty > b.qty;

SELECT count(*) FROM conf.orders a JOIN conf.orders b ON a.ordered_at < b.ordered_at AND a.ordered_at + INTERVAL 1 HOUR > b.ordered_at;

SELECT a.id, b.id FROM conf.orders a JOIN conf.orders b ON a.ordered_at < b.ordered_at AND a.ordered_at + INTERVAL 2 HOUR > b.ordered_at ORDER BY a.id, b.id;

SELECT count(*) FROM conf.orders a JOIN conf.orders b ON a.amount BETWEEN b.amount - 1 AND b.amount + 1 AND a.id <> b.id;

-- Joins on NULL keys: NULL matches nothing with =, but matches NULL with IS NOT DISTINCT FROM.

SELECT count(*) FROM conf.orders a JOIN conf.orders b ON a.customer_id = b.customer_id;

SELECT count(*) FROM conf.orders a JOIN conf.orders b ON a.customer_id IS NOT DISTINCT FROM b.customer_id;

SELECT count(*) FROM conf.orders a JOIN conf.orders b ON a.note = b.note;

SELECT count(*) FROM conf.orders a JOIN conf.orders b ON a.note IS NOT DISTINCT FROM b.note;

SELECT a.id, b.id FROM conf.customers a JOIN conf.customers b ON a.city = b.city AND a.id < b.id ORDER BY a.id, b.id;

SELECT a.id, b.id FROM conf.customers a JOIN conf.customers b ON a.city IS NOT DISTINCT FROM b.city AND a.id < b.id ORDER BY a.id, b.id;

SELECT a.id, b.id FROM conf.customers a LEFT JOIN conf.customers b ON a.city = b.city AND a.id <> b.id AND b.tier = 'gold';

SELECT a.k, b.k FROM (VALUES (1), (NULL), (2)) a(k) JOIN (VALUES (NULL), (2), (3)) b(k) ON a.k = b.k;

SELECT a.k, b.k FROM (VALUES (1), (NULL), (2)) a(k) FULL JOIN (VALUES (NULL), (2), (3)) b(k) ON a.k = b.k;

SELECT a.k, b.k FROM (VALUES (1), (NULL), (2)) a(k) FULL JOIN (VALUES (NULL), (2), (3)) b(k) ON a.k IS NOT DISTINCT FROM b.k;

SELECT o.id, t.k FROM conf.orders o JOIN (VALUES (NULL::INTEGER), (3)) t(k) ON o.customer_id = t.k;

SELECT o.id, t.k FROM conf.orders o RIGHT JOIN (VALUES (NULL::INTEGER), (3), (999)) t(k) ON o.customer_id = t.k;

SELECT o.id FROM conf.orders o JOIN conf.customers c ON o.customer_id = c.id WHERE c.city IS NULL ORDER BY o.id;

SELECT a.id, b.id FROM conf.all_types a JOIN conf.all_types b ON a.s = b.s AND a.id < b.id;

SELECT a.id, b.id FROM conf.all_types a JOIN conf.all_types b ON a.f64 = b.f64 AND a.id < b.id;

SELECT a.id, b.id FROM conf.all_types a JOIN conf.all_types b ON a.li = b.li AND a.id < b.id;

SELECT a.id, b.id FROM conf.all_types a JOIN conf.all_types b ON a.st = b.st AND a.id <> b.id;

SELECT a.id, b.id FROM conf.all_types a JOIN conf.all_types b ON a.i8 = b.i16 AND a.id <> b.id;

SELECT a.id, b.id FROM conf.all_types a JOIN conf.all_types b ON a.i32 = b.i64;

SELECT a.id, b.id FROM conf.all_types a JOIN conf.all_types b ON a.u8 = b.i8;

SELECT a.id, b.id FROM conf.all_types a JOIN conf.all_types b ON a.d9 = b.d38;

SELECT a.id, b.id FROM conf.all_types a JOIN conf.all_types b ON a.dt = CAST(b.ts AS DATE);

SELECT a.id, b.id FROM conf.all_types a JOIN conf.all_types b ON a.ts = b.tss;

SELECT a.id, b.id FROM conf.all_types a JOIN conf.all_types b ON a.tsm = b.tsn;

SELECT a.id, b.id FROM conf.all_types a JOIN conf.all_types b ON a.f32 = b.f64;

SELECT a.id, b.id FROM conf.all_types a JOIN conf.all_types b ON a.i64 = b.u64;

SELECT a.id, b.id FROM conf.all_types a JOIN conf.all_types b ON a.i128 = b.u128;

-- Outer joins.

SELECT o.id, c.name FROM conf.orders o LEFT JOIN conf.customers c ON o.customer_id = c.id;

SELECT o.id, c.name FROM conf.orders o LEFT OUTER JOIN conf.customers c ON o.customer_id = c.id ORDER BY o.id;

SELECT o.id, c.name FROM conf.orders o LEFT JOIN conf.customers c ON o.customer_id = c.id WHERE c.id IS NULL ORDER BY o.id;

SELECT o.id, c.name FROM conf.orders o LEFT JOIN conf.customers c ON o.customer_id = c.id AND c.tier = 'gold';

SELECT o.id, c.name FROM conf.orders o LEFT JOIN conf.customers c ON o.customer_id = c.id AND o.status = 'paid';

SELECT o.id, c.name FROM conf.orders o LEFT JOIN conf.customers c ON o.customer_id = c.id WHERE c.tier = 'gold';

SELECT o.id, c.name FROM conf.orders o LEFT JOIN conf.customers c ON o.customer_id = c.id WHERE c.tier IS DISTINCT FROM 'gold';

SELECT c.id, count(o.id), coalesce(sum(o.amount), 0) FROM conf.customers c LEFT JOIN conf.orders o ON o.customer_id = c.id GROUP BY c.id;

SELECT c.id, count(o.id) FROM conf.customers c LEFT JOIN conf.orders o ON o.customer_id = c.id AND o.status = 'returned' GROUP BY c.id ORDER BY c.id;

SELECT c.id, count(o.id) FROM conf.customers c LEFT JOIN conf.orders o ON o.customer_id = c.id AND o.amount > 900 GROUP BY c.id HAVING count(o.id) = 0 ORDER BY c.id;

SELECT c.name, o.id FROM conf.orders o RIGHT JOIN conf.customers c ON o.customer_id = c.id;

SELECT c.name, o.id FROM conf.orders o RIGHT OUTER JOIN conf.customers c ON o.customer_id = c.id AND o.qty = 9;

SELECT c.name, o.id FROM conf.orders o RIGHT JOIN conf.customers c ON o.customer_id = c.id AND o.qty = 9 ORDER BY c.name, o.id NULLS FIRST;

SELECT o.id, c.id FROM conf.orders o FULL JOIN conf.customers c ON o.customer_id = c.id;

SELECT o.id, c.id FROM conf.orders o FULL OUTER JOIN conf.customers c ON o.customer_id = c.id AND o.qty = 1;

SELECT o.id, c.id FROM conf.orders o FULL JOIN conf.customers c ON o.customer_id = c.id AND o.qty = 1 WHERE o.id IS NULL OR c.id IS NULL;

SELECT count(*), count(o.id), count(c.id) FROM conf.orders o FULL JOIN conf.customers c ON o.customer_id = c.id + 5;

SELECT coalesce(a.region, b.region), a.amount, b.amount FROM (SELECT * FROM conf.sales WHERE year = 2024 AND quarter = 'Q1') a
FULL JOIN (SELECT * FROM conf.sales WHERE year = 2025 AND quarter = 'Q1' AND region <> 'east') b ON a.region = b.region;

SELECT i.order_id, i.line, o.id FROM conf.items i LEFT JOIN conf.orders o ON o.id = i.order_id WHERE o.id IS NULL;

SELECT count(*) FROM conf.items i LEFT JOIN conf.orders o ON o.id = i.order_id;

SELECT o.id, i.line FROM conf.orders o LEFT JOIN conf.items i ON i.order_id = o.id AND i.line = 2 WHERE o.id < 60;

SELECT o.id, count(i.line), list(i.sku ORDER BY i.line) FROM conf.orders o LEFT JOIN conf.items i ON i.order_id = o.id GROUP BY o.id;

SELECT t.id, p.id FROM conf.tree t LEFT JOIN conf.tree p ON t.parent = p.id ORDER BY t.id;

SELECT t.id, p.id FROM conf.tree t RIGHT JOIN conf.tree p ON t.parent = p.id ORDER BY p.id, t.id;

SELECT t.id, c.id FROM conf.tree t FULL JOIN conf.tree c ON c.parent = t.id AND c.id % 2 = 0;

SELECT e.id, em.a FROM conf.evolving e LEFT JOIN conf.empty em ON e.id = em.a;

SELECT e.id, em.a FROM conf.evolving e FULL JOIN conf.empty em ON e.id = em.a ORDER BY e.id;

SELECT em.a, e.id FROM conf.empty em RIGHT JOIN conf.evolving e ON e.id = em.a;

SELECT count(*) FROM conf.empty a JOIN conf.evolving b ON true;

SELECT count(*) FROM conf.empty a LEFT JOIN conf.evolving b ON true;

SELECT * FROM conf.empty a FULL JOIN conf.empty b ON a.a = b.a;

SELECT a.id, b.id FROM conf.all_types a LEFT JOIN conf.all_types b ON a.s = b.s AND a.id < b.id;

SELECT a.id, b.id FROM conf.all_types a FULL JOIN conf.all_types b ON a.i32 = b.i16::INTEGER + 1;

SELECT a.id, b.id FROM conf.all_types a RIGHT JOIN conf.all_types b ON a.ts = b.tstz::TIMESTAMP AND a.id <> b.id;

-- USING and NATURAL.

SELECT * FROM conf.orders JOIN conf.customers USING (id);

SELECT id, o.status, c.name FROM conf.orders o JOIN conf.customers c USING (id) ORDER BY id;

SELECT * FROM conf.orders NATURAL JOIN conf.customers;

SELECT * FROM conf.orders NATURAL LEFT JOIN conf.customers;

SELECT * FROM conf.customers NATURAL FULL JOIN conf.orders;

SELECT * FROM conf.items NATURAL JOIN conf.prices;

SELECT count(*) FROM conf.items JOIN conf.prices USING (sku);

SELECT sku, count(*) FROM conf.items JOIN conf.prices USING (sku) GROUP BY sku ORDER BY sku;

SELECT * FROM conf.items JOIN conf.prices USING (sku, price);

SELECT sku, i.order_id, p.valid_from FROM conf.items i LEFT JOIN conf.prices p USING (sku) WHERE i.order_id < 5;

SELECT * FROM (SELECT id, status FROM conf.orders) FULL JOIN (SELECT id, tier FROM conf.customers) USING (id);

SELECT id FROM (SELECT id FROM conf.orders WHERE id < 50) FULL JOIN (SELECT id FROM conf.customers) USING (id) ORDER BY id;

SELECT id, coalesce(a.x, 0), b.y FROM (SELECT id, 1 AS x FROM conf.tree) a LEFT JOIN (SELECT id, 2 AS y FROM conf.customers) b USING (id);

SELECT * FROM conf.evolving a JOIN conf.evolving b USING (id, new_name);

SELECT * FROM conf.evolving a NATURAL JOIN conf.evolving b;

SELECT * FROM conf.sales a JOIN conf.sales b USING (region, quarter) WHERE a.year = 2024 AND b.year = 2026;

SELECT * FROM conf.sales NATURAL JOIN (SELECT region, quarter, year FROM conf.sales WHERE units = 3);

SELECT * FROM conf.tree t1 JOIN conf.tree t2 USING (label);

SELECT k, a.v, b.v FROM (VALUES (1, 'a'), (2, 'b'), (NULL, 'n')) a(k, v) FULL JOIN (VALUES (2, 'B'), (3, 'C'), (NULL, 'N')) b(k, v) USING (k);

-- Cross joins.

SELECT count(*) FROM conf.orders CROSS JOIN conf.customers;

SELECT c.id, t.id FROM conf.customers c CROSS JOIN conf.tree t WHERE c.id < 4 AND t.id < 4;

SELECT c.id, r.x FROM conf.customers c, range(3) r(x) WHERE c.id < 5;

SELECT s.region, g.x FROM (SELECT DISTINCT region FROM conf.sales) s CROSS JOIN generate_series(1, 3) g(x) ORDER BY ALL;

SELECT count(*), sum(a.id * b.id) FROM conf.tree a, conf.tree b;

SELECT count(*) FROM conf.tree a, conf.tree b, conf.tree c WHERE a.id < b.id AND b.id < c.id;

SELECT count(*) FROM conf.empty CROSS JOIN conf.orders;

SELECT * FROM conf.evolving, (VALUES (1), (2)) v(x) WHERE id > 28;

-- Semi and anti joins, written as joins and as EXISTS.

SELECT * FROM conf.customers c SEMI JOIN conf.orders o ON o.customer_id = c.id AND o.status = 'cancelled';

SELECT c.id FROM conf.customers c SEMI JOIN conf.orders o ON o.customer_id = c.id AND o.amount > 950 ORDER BY c.id;

SELECT * FROM conf.customers c ANTI JOIN conf.orders o ON o.customer_id = c.id AND o.status = 'cancelled';

SELECT c.id FROM conf.customers c ANTI JOIN conf.orders o ON o.customer_id = c.id AND o.qty = 9 ORDER BY c.id;

SELECT o.id FROM conf.orders o SEMI JOIN conf.items i ON i.order_id = o.id AND i.sku = 'sku-3';

SELECT o.id FROM conf.orders o ANTI JOIN conf.items i ON i.order_id = o.id;

SELECT count(*) FROM conf.orders o ANTI JOIN conf.customers c ON o.customer_id = c.id;

SELECT count(*) FROM conf.orders o SEMI JOIN conf.customers c ON o.customer_id = c.id;

SELECT o.id FROM conf.orders o SEMI JOIN (VALUES (NULL::INTEGER), (5)) v(k) ON o.customer_id = v.k;

SELECT o.id FROM conf.orders o ANTI JOIN (VALUES (NULL::INTEGER), (5)) v(k) ON o.customer_id = v.k;

SELECT o.id FROM conf.orders o SEMI JOIN (VALUES (NULL::INTEGER), (5)) v(k) ON o.customer_id IS NOT DISTINCT FROM v.k;

SELECT t.id FROM conf.tree t SEMI JOIN conf.tree c ON c.parent = t.id;

SELECT t.id FROM conf.tree t ANTI JOIN conf.tree c ON c.parent = t.id ORDER BY t.id;

SELECT a.id FROM conf.all_types a SEMI JOIN conf.all_types b ON a.s = b.s AND a.id <> b.id;

SELECT a.id FROM conf.all_types a ANTI JOIN conf.all_types b ON a.f64 > b.f64;

SELECT * FROM conf.evolving e ANTI JOIN conf.empty m ON e.id = m.a;

SELECT * FROM conf.empty m SEMI JOIN conf.evolving e ON e.id = m.a;

-- ASOF joins: the price valid when each item's order was placed.

SELECT o.id, i.line, p.valid_from, p.price FROM conf.orders o JOIN conf.items i ON i.order_id = o.id
ASOF JOIN conf.prices p ON p.sku = i.sku AND o.ordered_at >= p.valid_from;

SELECT o.id, i.line, p.price FROM conf.orders o JOIN conf.items i ON i.order_id = o.id
ASOF LEFT JOIN conf.prices p ON p.sku = i.sku AND o.ordered_at >= p.valid_from ORDER BY o.id, i.line;

SELECT q.t, p.sku, p.price FROM (SELECT TIMESTAMP '2026-01-01' + INTERVAL (x * 7) DAY AS t FROM range(16) r(x)) q
ASOF JOIN conf.prices p ON p.sku = 'sku-4' AND q.t >= p.valid_from ORDER BY q.t;

SELECT q.t, p.valid_from, p.price FROM (SELECT TIMESTAMP '2025-12-25' + INTERVAL (x * 9) DAY AS t FROM range(14) r(x)) q
ASOF LEFT JOIN conf.prices p ON p.sku = 'sku-11' AND q.t >= p.valid_from ORDER BY q.t;

SELECT q.t, p.valid_from FROM (SELECT TIMESTAMP '2026-01-05' + INTERVAL (x * 5) DAY AS t FROM range(20) r(x)) q
ASOF JOIN conf.prices p ON p.sku = 'sku-0' AND q.t > p.valid_from ORDER BY q.t;

SELECT q.t, p.valid_from FROM (SELECT TIMESTAMP '2026-01-05' + INTERVAL (x * 5) DAY AS t FROM range(20) r(x)) q
ASOF JOIN conf.prices p ON p.sku = 'sku-0' AND q.t <= p.valid_from ORDER BY q.t;

SELECT q.t, p.valid_from FROM (SELECT TIMESTAMP '2026-01-05' + INTERVAL (x * 5) DAY AS t FROM range(20) r(x)) q
ASOF JOIN conf.prices p ON p.sku = 'sku-0' AND q.t < p.valid_from ORDER BY q.t;

SELECT i.sku, count(*), sum(p.price) FROM conf.orders o JOIN conf.items i ON i.order_id = o.id
ASOF JOIN conf.prices p ON p.sku = i.sku AND o.ordered_at >= p.valid_from GROUP BY i.sku ORDER BY i.sku;

SELECT o.id, p.sku, p.valid_from FROM conf.orders o ASOF JOIN conf.prices p ON o.ordered_at >= p.valid_from AND p.sku = 'sku-' || (o.id % 12)
WHERE o.id < 100 ORDER BY o.id;

SELECT o.id, p.valid_from FROM conf.orders o ASOF JOIN (SELECT DISTINCT valid_from FROM conf.prices) p ON o.ordered_at >= p.valid_from;

SELECT q.id, sku, p.price FROM (SELECT o.id, i.sku, o.ordered_at AS valid_from FROM conf.orders o JOIN conf.items i ON i.order_id = o.id) q
ASOF JOIN conf.prices p USING (sku, valid_from) WHERE q.id < 50;

SELECT s.t, p.price FROM (SELECT 'sku-' || x AS sku, TIMESTAMP '2026-02-15' AS t FROM range(14) r(x)) s
ASOF LEFT JOIN conf.prices p ON p.sku = s.sku AND s.t >= p.valid_from ORDER BY s.sku;

-- LATERAL.

SELECT c.id, l.id, l.amount FROM conf.customers c,
LATERAL (SELECT o.id, o.amount FROM conf.orders o WHERE o.customer_id = c.id ORDER BY o.amount DESC LIMIT 2) l;

SELECT c.id, l.id FROM conf.customers c
LEFT JOIN LATERAL (SELECT o.id FROM conf.orders o WHERE o.customer_id = c.id AND o.qty = 9 ORDER BY o.id LIMIT 1) l ON true
ORDER BY c.id;

SELECT c.id, l.n, l.total FROM conf.customers c,
LATERAL (SELECT count(*) AS n, sum(amount) AS total FROM conf.orders o WHERE o.customer_id = c.id) l;

SELECT c.id, l.status, l.n FROM conf.customers c,
LATERAL (SELECT status, count(*) AS n FROM conf.orders o WHERE o.customer_id = c.id GROUP BY status) l WHERE c.id < 10;

SELECT o.id, x FROM conf.orders o, LATERAL (SELECT o.qty * r AS x FROM range(3) t(r)) WHERE o.id < 20;

SELECT o.id, g FROM conf.orders o, LATERAL generate_series(1, o.qty) t(g) WHERE o.id < 30;

SELECT o.id, count(*) FROM conf.orders o, LATERAL range(o.qty) t(g) GROUP BY o.id;

SELECT i.order_id, i.line, t.tag FROM conf.items i, LATERAL unnest(i.tags) t(tag);

SELECT i.order_id, i.line, t.tag FROM conf.items i LEFT JOIN LATERAL unnest(i.tags) t(tag) ON true WHERE i.order_id < 30;

SELECT t.id, l.child FROM conf.tree t, LATERAL (SELECT list(c.id ORDER BY c.id) AS child FROM conf.tree c WHERE c.parent = t.id) l;

SELECT t.id, l.* FROM conf.tree t, LATERAL (SELECT c.id AS cid, c.label FROM conf.tree c WHERE c.parent = t.id ORDER BY c.id DESC LIMIT 1) l;

SELECT s.region, l.quarter, l.amount FROM (SELECT DISTINCT region FROM conf.sales) s,
LATERAL (SELECT quarter, amount FROM conf.sales x WHERE x.region = s.region AND x.year = 2025 ORDER BY amount DESC LIMIT 2) l;

SELECT c.id, l.prev_id FROM conf.customers c,
LATERAL (SELECT max(o.id) AS prev_id FROM conf.orders o WHERE o.customer_id = c.id AND o.ordered_at < TIMESTAMP '2026-02-01') l;

SELECT a.id, l.n FROM conf.all_types a, LATERAL (SELECT count(*) AS n FROM conf.all_types b WHERE b.i32 < a.i32) l;

SELECT a.id, u.v FROM conf.all_types a, LATERAL unnest(a.li) u(v);

SELECT a.id, u.v FROM conf.all_types a, LATERAL unnest(a.ls) u(v) WHERE u.v IS NOT NULL;

SELECT a.id, u.* FROM conf.all_types a, LATERAL unnest(a.nested) u;

SELECT a.id, x.* FROM conf.all_types a, LATERAL (SELECT unnest(map_keys(a.m)) AS k, unnest(map_values(a.m)) AS v) x;

-- Self joins.

SELECT c.id, p.id, g.id FROM conf.tree c JOIN conf.tree p ON c.parent = p.id JOIN conf.tree g ON p.parent = g.id;

SELECT p.id, count(c.id) FROM conf.tree p LEFT JOIN conf.tree c ON c.parent = p.id GROUP BY p.id ORDER BY p.id;

SELECT a.id, b.id FROM conf.tree a JOIN conf.tree b ON a.parent = b.parent AND a.id < b.id ORDER BY a.id;

SELECT a.id, b.id FROM conf.orders a JOIN conf.orders b ON a.customer_id = b.customer_id AND a.ordered_at < b.ordered_at
WHERE a.customer_id < 5;

SELECT a.customer_id, count(*) FROM conf.orders a JOIN conf.orders b ON a.customer_id = b.customer_id AND a.id < b.id GROUP BY ALL;

SELECT a.id, min(b.ordered_at) FROM conf.orders a JOIN conf.orders b ON a.customer_id = b.customer_id AND b.ordered_at > a.ordered_at GROUP BY a.id;

SELECT a.id, a.amount, b.id, b.amount FROM conf.orders a JOIN conf.orders b ON a.amount * 2 = b.amount;

SELECT a.region, a.year, a.amount, b.amount FROM conf.sales a JOIN conf.sales b
ON a.region = b.region AND a.quarter = b.quarter AND b.year = a.year + 1 WHERE a.quarter = 'Q2';

SELECT a.id, b.id FROM conf.customers a JOIN conf.customers b ON a.signup < b.signup AND b.signup < a.signup + INTERVAL 60 DAY;

SELECT a.id, b.id FROM conf.customers a JOIN conf.customers b ON a.tier = b.tier AND a.city = b.city AND a.id < b.id;

SELECT a.id, b.id FROM conf.evolving a JOIN conf.evolving b ON a.small = b.small // 1000000000 AND b.small > 100;

SELECT e.id, t.label FROM conf.evolving e JOIN conf.tree t ON t.id = e.small;

SELECT e.id, t.id FROM conf.evolving e FULL JOIN conf.tree t ON t.id::BIGINT * 1000000000 = e.small;

SELECT e.id FROM conf.evolving e SEMI JOIN conf.customers c ON c.id = e.small;

SELECT e.id FROM conf.evolving e ANTI JOIN conf.tree t ON t.id = e.small;

SELECT e.id, c.name FROM conf.evolving e LEFT JOIN conf.customers c ON c.name LIKE '% ' || e.id AND e.new_name LIKE 'w%';

-- Many tables.

SELECT o.id, c.name, i.line, i.sku FROM conf.orders o JOIN conf.customers c ON o.customer_id = c.id
JOIN conf.items i ON i.order_id = o.id WHERE c.tier = 'silver' AND o.id < 100;

SELECT c.city, i.sku, count(*) FROM conf.customers c JOIN conf.orders o ON o.customer_id = c.id
JOIN conf.items i ON i.order_id = o.id GROUP BY ALL;

SELECT c.tier, round(sum(i.price), 2), count(DISTINCT o.id) FROM conf.customers c JOIN conf.orders o ON o.customer_id = c.id
JOIN conf.items i ON i.order_id = o.id GROUP BY c.tier ORDER BY c.tier;

SELECT c.id, o.id, i.line, p.price FROM conf.customers c JOIN conf.orders o ON o.customer_id = c.id
JOIN conf.items i ON i.order_id = o.id ASOF JOIN conf.prices p ON p.sku = i.sku AND o.ordered_at >= p.valid_from WHERE c.id < 6;

SELECT c.id, o.id, i.line FROM conf.customers c LEFT JOIN conf.orders o ON o.customer_id = c.id AND o.qty > 8
LEFT JOIN conf.items i ON i.order_id = o.id AND i.line = 1;

SELECT o.id, c.id, i.line FROM conf.orders o LEFT JOIN conf.customers c ON o.customer_id = c.id
FULL JOIN conf.items i ON i.order_id = o.id AND i.line = 3 WHERE o.id IS NULL OR o.id < 30;

SELECT count(*) FROM conf.orders o JOIN conf.customers c ON o.customer_id = c.id JOIN conf.items i ON i.order_id = o.id
JOIN conf.prices p ON p.sku = i.sku AND p.valid_from <= o.ordered_at;

SELECT t1.id, t2.id, t3.id, t4.id FROM conf.tree t1 JOIN conf.tree t2 ON t2.parent = t1.id JOIN conf.tree t3 ON t3.parent = t2.id
JOIN conf.tree t4 ON t4.parent = t3.id ORDER BY t4.id;

SELECT c.id, o.id, i.line FROM conf.customers c, conf.orders o, conf.items i
WHERE o.customer_id = c.id AND i.order_id = o.id AND c.city = 'Paris' AND i.price > 90;

SELECT c.name, s.region FROM conf.customers c JOIN conf.sales s ON lower(c.city) = s.region;

SELECT c.name, t.label FROM conf.customers c JOIN conf.tree t ON t.id = c.id JOIN conf.evolving e ON e.id = t.id ORDER BY c.name;

SELECT x.id, y.id, z.id FROM conf.customers x JOIN conf.customers y ON y.id = x.id + 1 JOIN conf.customers z ON z.id = y.id + 1 ORDER BY x.id;

SELECT o.status, c.tier, count(*) FROM conf.orders o LEFT JOIN conf.customers c ON c.id = o.customer_id
GROUP BY CUBE (o.status, c.tier);

SELECT * FROM conf.orders o JOIN conf.customers c ON o.customer_id = c.id JOIN conf.items i ON i.order_id = o.id
ASOF JOIN conf.prices p ON p.sku = i.sku AND o.ordered_at >= p.valid_from ORDER BY o.id, i.line LIMIT 40;

-- Joins of subqueries, CTEs, unnest and VALUES.

WITH big AS (SELECT * FROM conf.orders WHERE amount > 500) SELECT b.id, c.name FROM big b JOIN conf.customers c ON b.customer_id = c.id;

WITH t AS (SELECT customer_id, sum(amount) AS s FROM conf.orders GROUP BY customer_id)
SELECT c.id, t.s FROM conf.customers c LEFT JOIN t ON t.customer_id = c.id ORDER BY c.id;

SELECT v.k, c.name FROM (VALUES (1), (2), (40), (41)) v(k) LEFT JOIN conf.customers c ON c.id = v.k;

SELECT u.k, count(o.id) FROM unnest([1, 2, 3, NULL]) u(k) LEFT JOIN conf.orders o ON o.customer_id = u.k GROUP BY u.k;

SELECT g.d, count(o.id) FROM generate_series(DATE '2026-01-01', DATE '2026-01-31', INTERVAL 1 DAY) g(d)
LEFT JOIN conf.orders o ON CAST(o.ordered_at AS DATE) = g.d GROUP BY g.d ORDER BY g.d;

SELECT r.x, t.id FROM range(1, 40, 3) r(x) JOIN conf.tree t ON t.id = r.x;

SELECT * FROM (SELECT id, parent FROM conf.tree WHERE id < 8) a JOIN (SELECT id, parent FROM conf.tree WHERE id > 4) b ON a.id = b.parent;

SELECT a.x, b.y FROM (SELECT unnest([1, 2, 3]) AS x) a JOIN (SELECT unnest([2, 3, 4]) AS y) b ON a.x <= b.y;

-- Mistakes both sides refuse.

SELECT id FROM conf.orders o JOIN conf.customers c ON o.customer_id = c.id;

SELECT * FROM conf.orders JOIN conf.customers USING (nosuch);

SELECT * FROM conf.orders o ASOF JOIN conf.prices p ON o.id = p.sku;
