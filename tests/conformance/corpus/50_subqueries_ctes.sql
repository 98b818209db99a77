-- Subqueries (correlated and not, in SELECT, FROM, WHERE and HAVING), EXISTS / IN / NOT IN with
-- NULLs, ANY / ALL, and common table expressions: plain, MATERIALIZED, RECURSIVE over conf.tree,
-- and RECURSIVE ... USING KEY.

-- Every type: IN a correlated subquery, a scalar correlated subquery, comparison with a scalar
-- aggregate subquery, and a materialized CTE.

-- @each c in conf.all_types
SELECT id FROM conf.all_types a WHERE {c} IN (SELECT {c} FROM conf.all_types b WHERE b.id <> a.id);

-- @each c in conf.all_types
SELECT id, (SELECT count(*) FROM conf.all_types b WHERE b.{c} = a.{c}) AS same FROM conf.all_types a;

-- @each c in conf.all_types
SELECT id, {c} FROM conf.all_types WHERE {c} = (SELECT max({c}) FROM conf.all_types) OR {c} = (SELECT min({c}) FROM conf.all_types);

-- @each c in conf.all_types
WITH t AS MATERIALIZED (SELECT id, {c} AS v FROM conf.all_types) SELECT a.id, b.id FROM t a JOIN t b ON a.v = b.v AND a.id < b.id;

-- @each c in conf.all_types
SELECT id FROM conf.all_types a WHERE NOT EXISTS (SELECT 1 FROM conf.all_types b WHERE b.{c} > a.{c});

-- Uncorrelated scalar subqueries.

SELECT (SELECT count(*) FROM conf.orders);

SELECT (SELECT max(amount) FROM conf.orders), (SELECT min(signup) FROM conf.customers);

SELECT id, amount - (SELECT avg(amount) FROM conf.orders) AS diff FROM conf.orders;

SELECT id, amount FROM conf.orders WHERE amount > (SELECT avg(amount) FROM conf.orders) ORDER BY id;

SELECT id FROM conf.orders WHERE amount = (SELECT max(amount) FROM conf.orders);

SELECT id FROM conf.orders WHERE ordered_at = (SELECT min(ordered_at) FROM conf.orders WHERE status = 'paid');

SELECT id FROM conf.orders WHERE customer_id = (SELECT id FROM conf.customers WHERE name = 'Cy 2');

SELECT id FROM conf.orders WHERE customer_id = (SELECT id FROM conf.customers WHERE name = 'nobody');

SELECT (SELECT id FROM conf.customers WHERE id > 100);

SELECT (SELECT name FROM conf.customers ORDER BY credit DESC LIMIT 1);

SELECT (SELECT list(id ORDER BY id) FROM conf.tree WHERE parent = 3);

SELECT (SELECT sum(amount) FROM conf.orders WHERE status = 'new') / (SELECT count(*) FROM conf.orders WHERE status = 'new');

SELECT * FROM conf.orders WHERE id < (SELECT min(id) + 5 FROM conf.orders) ORDER BY id;

SELECT id FROM conf.customers WHERE credit BETWEEN (SELECT min(amount) FROM conf.orders) AND (SELECT avg(amount) FROM conf.orders);

SELECT status, count(*) FROM conf.orders GROUP BY status HAVING count(*) > (SELECT count(*) / 5 FROM conf.orders);

SELECT status, sum(amount) FROM conf.orders GROUP BY status HAVING sum(amount) > (SELECT sum(amount) / 5 FROM conf.orders) ORDER BY status;

SELECT (SELECT count(*) FROM conf.empty), (SELECT max(a) FROM conf.empty), (SELECT b FROM conf.empty);

SELECT (SELECT 1 WHERE false) IS NULL;

-- More than one row from a scalar subquery: both sides refuse.
SELECT (SELECT id FROM conf.customers);

-- Correlated scalar subqueries.

SELECT c.id, (SELECT count(*) FROM conf.orders o WHERE o.customer_id = c.id) AS n FROM conf.customers c;

SELECT c.id, (SELECT sum(amount) FROM conf.orders o WHERE o.customer_id = c.id AND o.status = 'paid') FROM conf.customers c ORDER BY c.id;

SELECT c.id, (SELECT max(ordered_at) FROM conf.orders o WHERE o.customer_id = c.id) FROM conf.customers c;

SELECT c.id, (SELECT o.id FROM conf.orders o WHERE o.customer_id = c.id ORDER BY o.amount DESC LIMIT 1) AS top FROM conf.customers c;

SELECT c.id, (SELECT list(o.id ORDER BY o.id) FROM conf.orders o WHERE o.customer_id = c.id AND o.qty > 7) FROM conf.customers c;

SELECT c.id, (SELECT string_agg(DISTINCT o.status, ',' ORDER BY o.status) FROM conf.orders o WHERE o.customer_id = c.id) FROM conf.customers c;

SELECT o.id, (SELECT name FROM conf.customers c WHERE c.id = o.customer_id) FROM conf.orders o;

SELECT o.id, (SELECT count(*) FROM conf.items i WHERE i.order_id = o.id) AS lines FROM conf.orders o ORDER BY lines DESC, o.id LIMIT 30;

SELECT o.id, (SELECT round(sum(price), 2) FROM conf.items i WHERE i.order_id = o.id) FROM conf.orders o WHERE o.id < 100;

SELECT o.id, o.amount, (SELECT count(*) FROM conf.orders x WHERE x.amount < o.amount) AS rank_below FROM conf.orders o;

SELECT o.id, (SELECT count(*) FROM conf.orders x WHERE x.customer_id = o.customer_id AND x.ordered_at < o.ordered_at) FROM conf.orders o;

SELECT o.id, (SELECT x.id FROM conf.orders x WHERE x.customer_id = o.customer_id AND x.ordered_at > o.ordered_at ORDER BY x.ordered_at LIMIT 1) AS next_id
FROM conf.orders o;

SELECT t.id, (SELECT p.label FROM conf.tree p WHERE p.id = t.parent) FROM conf.tree t;

SELECT t.id, (SELECT count(*) FROM conf.tree c WHERE c.parent = t.id) AS children FROM conf.tree t ORDER BY t.id;

SELECT t.id, (SELECT g.id FROM conf.tree p JOIN conf.tree g ON p.parent = g.id WHERE p.id = t.parent) AS grandparent FROM conf.tree t;

SELECT s.region, s.year, s.quarter, s.amount - (SELECT avg(x.amount) FROM conf.sales x WHERE x.region = s.region) FROM conf.sales s;

SELECT s.*, (SELECT max(amount) FROM conf.sales x WHERE x.year = s.year AND x.quarter = s.quarter) = s.amount AS best FROM conf.sales s;

SELECT a.id, (SELECT count(*) FROM conf.all_types b WHERE b.s = a.s) FROM conf.all_types a;

SELECT a.id, (SELECT max(b.id) FROM conf.all_types b WHERE b.i32 < a.i32) FROM conf.all_types a;

SELECT e.id, (SELECT count(*) FROM conf.empty m WHERE m.a = e.id) FROM conf.evolving e;

SELECT e.id, (SELECT t.label FROM conf.tree t WHERE t.id = e.small) FROM conf.evolving e;

SELECT id FROM conf.evolving WHERE small IN (SELECT id FROM conf.tree);

SELECT id FROM conf.evolving WHERE small > (SELECT avg(small) FROM conf.evolving);

SELECT id FROM conf.evolving WHERE small = (SELECT max(small) FROM conf.evolving WHERE new_name LIKE 'v%');

SELECT id FROM conf.evolving e WHERE NOT EXISTS (SELECT 1 FROM conf.tree t WHERE t.id = e.small);

SELECT c.id, coalesce((SELECT sum(o.qty) FROM conf.orders o WHERE o.customer_id = c.id AND o.amount > 990), -1) FROM conf.customers c;

SELECT c.tier, (SELECT count(*) FROM conf.customers x WHERE x.tier = c.tier) FROM conf.customers c GROUP BY c.tier;

SELECT c.tier, count(*), (SELECT count(*) FROM conf.orders o JOIN conf.customers y ON o.customer_id = y.id WHERE y.tier = c.tier) FROM conf.customers c GROUP BY c.tier;

-- Correlated subqueries in WHERE and HAVING.

SELECT c.id FROM conf.customers c WHERE (SELECT count(*) FROM conf.orders o WHERE o.customer_id = c.id) > 10 ORDER BY c.id;

SELECT c.id FROM conf.customers c WHERE c.credit > (SELECT avg(o.amount) FROM conf.orders o WHERE o.customer_id = c.id);

SELECT o.id FROM conf.orders o WHERE o.amount > (SELECT avg(x.amount) FROM conf.orders x WHERE x.status = o.status) ORDER BY o.id;

SELECT o.id FROM conf.orders o WHERE o.amount = (SELECT max(x.amount) FROM conf.orders x WHERE x.customer_id = o.customer_id);

SELECT o.id FROM conf.orders o WHERE o.ordered_at = (SELECT min(x.ordered_at) FROM conf.orders x WHERE x.customer_id IS NOT DISTINCT FROM o.customer_id);

SELECT o.id FROM conf.orders o WHERE (SELECT count(*) FROM conf.items i WHERE i.order_id = o.id) = 0;

SELECT o.id FROM conf.orders o WHERE (SELECT min(price) FROM conf.items i WHERE i.order_id = o.id) > 50;

SELECT i.order_id, i.line FROM conf.items i WHERE i.price = (SELECT max(price) FROM conf.items x WHERE x.sku = i.sku);

SELECT t.id FROM conf.tree t WHERE (SELECT count(*) FROM conf.tree c WHERE c.parent = t.id) = 2 ORDER BY t.id;

SELECT customer_id, count(*) FROM conf.orders o GROUP BY customer_id
HAVING count(*) > (SELECT count(*) / 45 FROM conf.orders);

SELECT customer_id, sum(amount) FROM conf.orders o GROUP BY customer_id
HAVING sum(amount) > (SELECT c.credit * 5 FROM conf.customers c WHERE c.id = o.customer_id);

SELECT c.city, count(*) FROM conf.customers c GROUP BY c.city
HAVING EXISTS (SELECT 1 FROM conf.customers x WHERE x.city IS NOT DISTINCT FROM c.city AND x.tier = 'gold');

SELECT status FROM conf.orders o GROUP BY status HAVING max(amount) > ALL (SELECT amount FROM conf.orders WHERE status = 'cancelled');

-- EXISTS and NOT EXISTS.

SELECT c.id FROM conf.customers c WHERE EXISTS (SELECT 1 FROM conf.orders o WHERE o.customer_id = c.id AND o.status = 'cancelled');

SELECT c.id FROM conf.customers c WHERE NOT EXISTS (SELECT 1 FROM conf.orders o WHERE o.customer_id = c.id AND o.status = 'cancelled') ORDER BY c.id;

SELECT c.id FROM conf.customers c WHERE EXISTS (SELECT * FROM conf.orders o WHERE o.customer_id = c.id AND o.amount > 990);

SELECT c.id FROM conf.customers c WHERE NOT EXISTS (SELECT * FROM conf.orders o WHERE o.customer_id = c.id AND o.qty = 1);

SELECT o.id FROM conf.orders o WHERE NOT EXISTS (SELECT 1 FROM conf.items i WHERE i.order_id = o.id);

SELECT o.id FROM conf.orders o WHERE EXISTS (SELECT 1 FROM conf.items i WHERE i.order_id = o.id AND 'sale' = ANY (i.tags));

SELECT o.id FROM conf.orders o WHERE EXISTS (SELECT 1 FROM conf.customers c WHERE c.id = o.customer_id) AND NOT EXISTS (SELECT 1 FROM conf.items i WHERE i.order_id = o.id AND i.line = 1);

SELECT o.id FROM conf.orders o WHERE NOT EXISTS (SELECT 1 FROM conf.customers c WHERE c.id = o.customer_id);

SELECT t.id FROM conf.tree t WHERE NOT EXISTS (SELECT 1 FROM conf.tree c WHERE c.parent = t.id);

SELECT t.id FROM conf.tree t WHERE EXISTS (SELECT 1 FROM conf.tree c WHERE c.parent = t.id AND c.id % 2 = 1);

SELECT EXISTS (SELECT 1 FROM conf.empty), NOT EXISTS (SELECT 1 FROM conf.empty), EXISTS (SELECT 1 FROM conf.orders);

SELECT id FROM conf.orders WHERE EXISTS (SELECT 1 FROM conf.empty) ORDER BY id;

SELECT id FROM conf.tree WHERE EXISTS (SELECT NULL) ORDER BY id;

SELECT id FROM conf.tree WHERE EXISTS (SELECT 1 WHERE false);

SELECT o.id, EXISTS (SELECT 1 FROM conf.orders x WHERE x.customer_id = o.customer_id AND x.id <> o.id) FROM conf.orders o;

SELECT s.region, s.year FROM conf.sales s WHERE NOT EXISTS (SELECT 1 FROM conf.sales x WHERE x.region = s.region AND x.year = s.year AND x.amount > s.amount);

SELECT a.id FROM conf.all_types a WHERE EXISTS (SELECT 1 FROM conf.all_types b WHERE b.id <> a.id AND b.s = a.s);

SELECT a.id FROM conf.all_types a WHERE NOT EXISTS (SELECT 1 FROM conf.all_types b WHERE b.i64 < a.i64);

SELECT c.id FROM conf.customers c WHERE EXISTS (SELECT 1 FROM conf.orders o WHERE o.customer_id = c.id AND EXISTS (SELECT 1 FROM conf.items i WHERE i.order_id = o.id AND i.price > 99));

-- IN and NOT IN, with NULLs on either side.

SELECT id FROM conf.customers WHERE id IN (SELECT customer_id FROM conf.orders WHERE status = 'cancelled');

SELECT id FROM conf.customers WHERE id NOT IN (SELECT customer_id FROM conf.orders WHERE status = 'cancelled');

SELECT id FROM conf.customers WHERE id NOT IN (SELECT customer_id FROM conf.orders WHERE status = 'cancelled' AND customer_id IS NOT NULL) ORDER BY id;

SELECT id FROM conf.customers WHERE id NOT IN (SELECT customer_id FROM conf.orders);

SELECT id FROM conf.customers WHERE id NOT IN (SELECT customer_id FROM conf.orders WHERE customer_id IS NOT NULL);

SELECT id FROM conf.orders WHERE customer_id IN (SELECT id FROM conf.customers WHERE city IS NULL) ORDER BY id;

SELECT id FROM conf.orders WHERE customer_id NOT IN (SELECT id FROM conf.customers WHERE city IS NULL) ORDER BY id;

SELECT id, customer_id IN (SELECT id FROM conf.customers WHERE tier = 'gold') AS gold FROM conf.orders;

SELECT id, customer_id NOT IN (SELECT id FROM conf.customers WHERE tier = 'gold') AS not_gold FROM conf.orders;

SELECT id, customer_id IN (SELECT NULL::INTEGER UNION ALL SELECT 3) FROM conf.orders WHERE id < 30;

SELECT id, customer_id NOT IN (SELECT NULL::INTEGER UNION ALL SELECT 3) FROM conf.orders WHERE id < 30;

SELECT id, customer_id IN (SELECT a FROM conf.empty), customer_id NOT IN (SELECT a FROM conf.empty) FROM conf.orders WHERE id < 40;

SELECT id FROM conf.orders WHERE (customer_id, qty) IN (SELECT customer_id, max(qty) FROM conf.orders GROUP BY customer_id);

SELECT id FROM conf.orders WHERE (status, qty) NOT IN (SELECT status, qty FROM conf.orders WHERE id < 100);

SELECT id FROM conf.orders WHERE id IN (SELECT order_id FROM conf.items WHERE sku = 'sku-5') AND id NOT IN (SELECT order_id FROM conf.items WHERE sku = 'sku-6');

SELECT note IN (SELECT note FROM conf.orders WHERE id < 10), count(*) FROM conf.orders GROUP BY ALL;

SELECT c.city IN (SELECT city FROM conf.customers WHERE tier = 'bronze'), count(*) FROM conf.customers c GROUP BY ALL;

SELECT id FROM conf.tree WHERE parent IN (SELECT id FROM conf.tree WHERE parent IN (SELECT id FROM conf.tree WHERE parent = 1)) ORDER BY id;

SELECT id FROM conf.tree WHERE id NOT IN (SELECT parent FROM conf.tree);

SELECT id FROM conf.tree WHERE id NOT IN (SELECT parent FROM conf.tree WHERE parent IS NOT NULL) ORDER BY id;

SELECT id FROM conf.tree t WHERE id IN (SELECT c.parent FROM conf.tree c WHERE c.id > t.id * 2);

SELECT o.id FROM conf.orders o WHERE o.qty IN (SELECT x.qty FROM conf.orders x WHERE x.customer_id = o.customer_id AND x.id <> o.id);

SELECT id, s FROM conf.all_types WHERE s IN (SELECT s FROM conf.all_types WHERE id >= 200);

SELECT id, s FROM conf.all_types WHERE s NOT IN (SELECT s FROM conf.all_types WHERE id >= 200);

SELECT id, f64 FROM conf.all_types WHERE f64 IN (SELECT f64 FROM conf.all_types WHERE id >= 200);

SELECT id, f64 FROM conf.all_types WHERE f64 NOT IN (SELECT f64 FROM conf.all_types WHERE id BETWEEN 200 AND 202);

SELECT id FROM conf.all_types WHERE li IN (SELECT li FROM conf.all_types WHERE id < 10);

SELECT id FROM conf.all_types WHERE st NOT IN (SELECT st FROM conf.all_types WHERE id < 100 AND st IS NOT NULL);

SELECT id FROM conf.orders WHERE customer_id IN (1, 2, NULL);

SELECT id FROM conf.orders WHERE customer_id NOT IN (1, 2, NULL);

SELECT id FROM conf.orders WHERE customer_id NOT IN (1, 2, 3) ORDER BY id;

-- ANY, SOME and ALL.

SELECT id FROM conf.orders WHERE amount > ALL (SELECT amount FROM conf.orders WHERE status = 'cancelled') ORDER BY id;

SELECT id FROM conf.orders WHERE amount < ANY (SELECT amount FROM conf.orders WHERE status = 'cancelled');

SELECT id FROM conf.orders WHERE amount >= ALL (SELECT amount FROM conf.orders);

SELECT id FROM conf.orders WHERE amount <= SOME (SELECT amount FROM conf.orders WHERE qty = 9) AND qty = 9;

SELECT id FROM conf.orders WHERE customer_id = ANY (SELECT id FROM conf.customers WHERE city = 'Berlin');

SELECT id FROM conf.orders WHERE customer_id <> ALL (SELECT id FROM conf.customers WHERE city = 'Berlin');

SELECT id FROM conf.orders WHERE customer_id <> ALL (SELECT customer_id FROM conf.orders WHERE id < 40);

SELECT id FROM conf.orders WHERE customer_id > ALL (SELECT a FROM conf.empty) ORDER BY id;

SELECT id FROM conf.orders WHERE customer_id = ANY (SELECT a FROM conf.empty);

SELECT id, customer_id > ALL (SELECT NULL::INTEGER UNION ALL SELECT 3) AS x, customer_id > ANY (SELECT NULL::INTEGER UNION ALL SELECT 3) AS y FROM conf.orders WHERE id < 40;

SELECT o.id FROM conf.orders o WHERE o.amount > ALL (SELECT x.amount FROM conf.orders x WHERE x.customer_id = o.customer_id AND x.id <> o.id);

SELECT o.id FROM conf.orders o WHERE o.ordered_at < ANY (SELECT x.ordered_at FROM conf.orders x WHERE x.customer_id = o.customer_id AND x.status = 'new');

SELECT c.id FROM conf.customers c WHERE c.credit > ALL (SELECT o.amount FROM conf.orders o WHERE o.customer_id = c.id);

SELECT t.id FROM conf.tree t WHERE t.id < ALL (SELECT c.id FROM conf.tree c WHERE c.parent = t.id);

SELECT s.region, s.amount FROM conf.sales s WHERE s.amount >= ALL (SELECT amount FROM conf.sales x WHERE x.region = s.region);

SELECT a.id FROM conf.all_types a WHERE a.i32 > ALL (SELECT i32 FROM conf.all_types WHERE id < 3);

SELECT a.id FROM conf.all_types a WHERE a.s = ANY (SELECT s FROM conf.all_types WHERE id >= 200);

-- Subqueries in FROM.

SELECT * FROM (SELECT status, count(*) AS n FROM conf.orders GROUP BY status) t WHERE n > 50;

SELECT t.status, t.n, c.total FROM (SELECT status, count(*) AS n FROM conf.orders GROUP BY status) t
JOIN (SELECT status, sum(amount) AS total FROM conf.orders GROUP BY status) c USING (status);

SELECT avg(n), max(n) FROM (SELECT customer_id, count(*) AS n FROM conf.orders GROUP BY customer_id);

SELECT m FROM (SELECT max(amount) AS m FROM conf.orders GROUP BY status) ORDER BY m;

SELECT count(*) FROM (SELECT DISTINCT sku FROM (SELECT sku FROM conf.items WHERE price > 50));

SELECT * FROM (SELECT * FROM (SELECT * FROM conf.tree WHERE id > 10) WHERE id < 20) WHERE id % 2 = 0;

SELECT x.id, x.total FROM (SELECT o.id, sum(i.price) AS total FROM conf.orders o JOIN conf.items i ON i.order_id = o.id GROUP BY o.id) x
WHERE x.total > 200;

SELECT * FROM (SELECT 1 AS a, 'x' AS b) t;

SELECT * FROM (SELECT * FROM conf.empty) t;

-- Common table expressions.

WITH paid AS (SELECT * FROM conf.orders WHERE status = 'paid') SELECT count(*), sum(amount) FROM paid;

WITH paid AS (SELECT * FROM conf.orders WHERE status = 'paid') SELECT customer_id, count(*) FROM paid GROUP BY customer_id;

WITH a AS (SELECT id FROM conf.orders WHERE qty > 5), b AS (SELECT id FROM conf.orders WHERE amount > 500)
SELECT count(*) FROM a JOIN b USING (id);

WITH a AS (SELECT id, customer_id FROM conf.orders), b AS (SELECT customer_id, count(*) AS n FROM a GROUP BY customer_id)
SELECT a.id, b.n FROM a JOIN b USING (customer_id) WHERE b.n > 12;

WITH t(x, y) AS (SELECT id, amount FROM conf.orders) SELECT x, y FROM t WHERE y > 950;

WITH t AS (SELECT 1 AS k UNION ALL SELECT 2) SELECT * FROM t a, t b;

WITH t AS (SELECT status, count(*) AS n FROM conf.orders GROUP BY status) SELECT * FROM t WHERE n = (SELECT max(n) FROM t);

WITH c AS (SELECT * FROM conf.customers WHERE tier = 'gold') SELECT c.id, (SELECT count(*) FROM conf.orders o WHERE o.customer_id = c.id) FROM c;

WITH c AS MATERIALIZED (SELECT * FROM conf.customers WHERE tier = 'gold') SELECT count(*) FROM c a, c b WHERE a.id < b.id;

WITH c AS NOT MATERIALIZED (SELECT * FROM conf.customers WHERE tier = 'gold') SELECT count(*) FROM c a, c b WHERE a.id < b.id;

WITH s AS MATERIALIZED (SELECT region, sum(amount) AS total FROM conf.sales GROUP BY region)
SELECT region, total, total / (SELECT sum(total) FROM s) AS share FROM s;

WITH x AS MATERIALIZED (SELECT id, amount FROM conf.orders WHERE qty = 1), y AS MATERIALIZED (SELECT * FROM x WHERE amount > 100)
SELECT (SELECT count(*) FROM x), (SELECT count(*) FROM y), (SELECT sum(amount) FROM y);

WITH e AS (SELECT * FROM conf.empty) SELECT count(*), max(a) FROM e;

WITH t AS (SELECT * FROM conf.evolving) SELECT new_name, small FROM t WHERE id > 18 ORDER BY id;

WITH outer_cte AS (WITH inner_cte AS (SELECT * FROM conf.tree WHERE parent = 1) SELECT * FROM inner_cte) SELECT * FROM outer_cte;

WITH t AS (SELECT * FROM conf.orders) SELECT * FROM t ORDER BY amount DESC, id LIMIT 5;

WITH RECURSIVE t AS (SELECT * FROM conf.tree WHERE id = 5) SELECT * FROM t;

SELECT * FROM (WITH t AS (SELECT id FROM conf.tree WHERE id < 4) SELECT * FROM t) ORDER BY id;

WITH t AS (SELECT id, label FROM conf.tree) SELECT t1.label, t2.label FROM t t1 JOIN t t2 ON t2.id = t1.id * 2 + 1;

WITH orders_by_tier AS (SELECT c.tier, o.* FROM conf.orders o JOIN conf.customers c ON c.id = o.customer_id)
SELECT tier, status, count(*) FROM orders_by_tier GROUP BY ALL ORDER BY ALL;

WITH nums AS (SELECT unnest(range(1, 6)) AS n) SELECT n, n * n FROM nums;

WITH v(a, b) AS (VALUES (1, 'one'), (2, 'two')) SELECT * FROM v ORDER BY a;

-- Recursive CTEs over conf.tree: depth, paths, ancestors, subtree sizes.

WITH RECURSIVE walk(id, depth) AS (
  SELECT id, 0 FROM conf.tree WHERE parent IS NULL
  UNION ALL
  SELECT t.id, w.depth + 1 FROM conf.tree t JOIN walk w ON t.parent = w.id)
SELECT * FROM walk ORDER BY id;

WITH RECURSIVE walk(id, depth) AS (
  SELECT id, 0 FROM conf.tree WHERE parent IS NULL
  UNION ALL
  SELECT t.id, w.depth + 1 FROM conf.tree t JOIN walk w ON t.parent = w.id)
SELECT depth, count(*), list(id ORDER BY id) FROM walk GROUP BY depth ORDER BY depth;

WITH RECURSIVE walk(id, path) AS (
  SELECT id, [id] FROM conf.tree WHERE id = 1
  UNION ALL
  SELECT t.id, list_append(w.path, t.id) FROM conf.tree t JOIN walk w ON t.parent = w.id)
SELECT id, path FROM walk;

WITH RECURSIVE walk(id, path) AS (
  SELECT id, label FROM conf.tree WHERE id = 1
  UNION ALL
  SELECT t.id, w.path || ' > ' || t.label FROM conf.tree t JOIN walk w ON t.parent = w.id)
SELECT id, path FROM walk WHERE id > 20 ORDER BY id;

WITH RECURSIVE up(id, parent, steps) AS (
  SELECT id, parent, 0 FROM conf.tree WHERE id = 27
  UNION ALL
  SELECT t.id, t.parent, u.steps + 1 FROM conf.tree t JOIN up u ON t.id = u.parent)
SELECT * FROM up ORDER BY steps;

WITH RECURSIVE up(start, id) AS (
  SELECT id, id FROM conf.tree
  UNION ALL
  SELECT u.start, t.parent FROM up u JOIN conf.tree t ON t.id = u.id WHERE t.parent IS NOT NULL)
SELECT start, count(*) - 1 AS ancestors, min(id) AS root FROM up GROUP BY start;

WITH RECURSIVE down(root, id) AS (
  SELECT id, id FROM conf.tree
  UNION ALL
  SELECT d.root, t.id FROM down d JOIN conf.tree t ON t.parent = d.id)
SELECT root, count(*) AS subtree FROM down GROUP BY root ORDER BY root;

WITH RECURSIVE down(id) AS (
  SELECT 2
  UNION
  SELECT t.id FROM conf.tree t JOIN down d ON t.parent = d.id)
SELECT list(id ORDER BY id) FROM down;

WITH RECURSIVE down(id, lvl) AS (
  SELECT 3, 0
  UNION ALL
  SELECT t.id, d.lvl + 1 FROM conf.tree t JOIN down d ON t.parent = d.id WHERE d.lvl < 2)
SELECT * FROM down;

WITH RECURSIVE pairs(a, b) AS (
  SELECT id, parent FROM conf.tree WHERE parent IS NOT NULL
  UNION
  SELECT p.a, t.parent FROM pairs p JOIN conf.tree t ON t.id = p.b WHERE t.parent IS NOT NULL)
SELECT count(*), sum(a), sum(b) FROM pairs;

WITH RECURSIVE walk(id, depth) AS (
  SELECT id, 0 FROM conf.tree WHERE parent IS NULL
  UNION ALL
  SELECT t.id, w.depth + 1 FROM conf.tree t JOIN walk w ON t.parent = w.id)
SELECT t.label, w.depth FROM walk w JOIN conf.tree t USING (id) WHERE w.depth = 3;

WITH RECURSIVE walk(id, depth) AS (
  SELECT id, 0 FROM conf.tree WHERE parent IS NULL
  UNION ALL
  SELECT t.id, w.depth + 1 FROM conf.tree t JOIN walk w ON t.parent = w.id)
SELECT c.id, c.name, w.depth FROM conf.customers c JOIN walk w ON w.id = c.id ORDER BY c.id;

WITH RECURSIVE leaves AS (
  SELECT id FROM conf.tree t WHERE NOT EXISTS (SELECT 1 FROM conf.tree c WHERE c.parent = t.id)),
  anc(leaf, id) AS (SELECT id, id FROM leaves UNION ALL SELECT a.leaf, t.parent FROM anc a JOIN conf.tree t ON t.id = a.id WHERE t.parent IS NOT NULL)
SELECT id, count(*) AS leaves_below FROM anc GROUP BY id ORDER BY id;

-- Recursive CTEs that generate rows.

WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 100) SELECT sum(x), count(*) FROM n;

WITH RECURSIVE fib(i, a, b) AS (SELECT 1, 0::BIGINT, 1::BIGINT UNION ALL SELECT i + 1, b, a + b FROM fib WHERE i < 60)
SELECT i, a FROM fib ORDER BY i;

WITH RECURSIVE d(day) AS (SELECT DATE '2026-01-01' UNION ALL SELECT day + 7 FROM d WHERE day < DATE '2026-04-01')
SELECT d.day, count(o.id) FROM d LEFT JOIN conf.orders o ON o.ordered_at >= d.day AND o.ordered_at < d.day + 7 GROUP BY d.day ORDER BY d.day;

WITH RECURSIVE c(x) AS (SELECT 1 UNION SELECT (x * 3) % 31 FROM c) SELECT list(x ORDER BY x), count(*) FROM c;

WITH RECURSIVE s(n, str) AS (SELECT 1, 'a' UNION ALL SELECT n + 1, str || chr(97 + n) FROM s WHERE n < 10) SELECT * FROM s;

WITH RECURSIVE chain(id, total) AS (
  SELECT min(id), 0::DECIMAL(18,2) FROM conf.orders
  UNION ALL
  SELECT (SELECT min(o.id) FROM conf.orders o WHERE o.id > c.id), c.total + (SELECT amount FROM conf.orders o WHERE o.id = c.id)
  FROM chain c WHERE c.id IS NOT NULL AND c.id < 50)
SELECT * FROM chain ORDER BY total;

-- RECURSIVE ... USING KEY: the recursion keeps one row per key.

WITH RECURSIVE walk(id, depth) USING KEY (id) AS (
  SELECT id, 0 FROM conf.tree WHERE parent IS NULL
  UNION
  SELECT t.id, w.depth + 1 FROM conf.tree t JOIN walk w ON t.parent = w.id)
SELECT * FROM walk ORDER BY id;

WITH RECURSIVE best(id, dist) USING KEY (id) AS (
  SELECT 1, 0
  UNION
  SELECT t.id, b.dist + 1 FROM best b JOIN conf.tree t ON t.parent = b.id OR t.id = b.id // 2 WHERE b.dist < 6)
SELECT id, dist FROM best ORDER BY id;

WITH RECURSIVE cnt(k, n) USING KEY (k) AS (
  SELECT id % 3, 1 FROM conf.tree WHERE id <= 3
  UNION
  SELECT k, n + 1 FROM cnt WHERE n < 5)
SELECT * FROM cnt ORDER BY k;

-- Subqueries with set operations, aggregates of subqueries, nested correlation.

SELECT c.id FROM conf.customers c WHERE c.id IN (SELECT customer_id FROM conf.orders WHERE qty = 9 INTERSECT SELECT customer_id FROM conf.orders WHERE qty = 1);

SELECT c.id FROM conf.customers c WHERE c.id IN (SELECT customer_id FROM conf.orders WHERE qty = 9 EXCEPT SELECT customer_id FROM conf.orders WHERE qty = 1);

SELECT c.id, (SELECT count(*) FROM (SELECT o.status FROM conf.orders o WHERE o.customer_id = c.id UNION SELECT 'x')) FROM conf.customers c;

SELECT c.id FROM conf.customers c WHERE (SELECT count(DISTINCT o.status) FROM conf.orders o WHERE o.customer_id = c.id) = 4;

SELECT c.id, (SELECT max(i.price) FROM conf.orders o JOIN conf.items i ON i.order_id = o.id WHERE o.customer_id = c.id) FROM conf.customers c;

SELECT c.id FROM conf.customers c
WHERE EXISTS (SELECT 1 FROM conf.orders o WHERE o.customer_id = c.id AND o.amount > (SELECT avg(x.amount) FROM conf.orders x WHERE x.customer_id = c.id) * 2);

SELECT o.id FROM conf.orders o
WHERE o.amount > (SELECT avg(x.amount) FROM conf.orders x WHERE x.status = o.status AND x.customer_id IN (SELECT id FROM conf.customers WHERE tier = 'gold'));

SELECT sum((SELECT count(*) FROM conf.items i WHERE i.order_id = o.id)) FROM conf.orders o;

SELECT status, avg((SELECT count(*) FROM conf.items i WHERE i.order_id = o.id)) FROM conf.orders o GROUP BY status;

SELECT (SELECT count(*) FROM conf.orders WHERE customer_id = c.id) AS n, count(*) FROM conf.customers c GROUP BY n;

SELECT id, CASE WHEN EXISTS (SELECT 1 FROM conf.tree c WHERE c.parent = t.id) THEN 'inner' ELSE 'leaf' END FROM conf.tree t;

SELECT id, (SELECT [x.id, x.parent] FROM conf.tree x WHERE x.id = t.id + 1) FROM conf.tree t;

SELECT id, (SELECT {'n': count(*), 's': sum(c.id)} FROM conf.tree c WHERE c.parent = t.id) FROM conf.tree t;

SELECT ARRAY(SELECT id FROM conf.tree WHERE parent = 2 ORDER BY id);

SELECT t.id, ARRAY(SELECT c.id FROM conf.tree c WHERE c.parent = t.id ORDER BY c.id DESC) FROM conf.tree t;

SELECT (SELECT unnest([1, 2, 3]) ORDER BY 1 DESC LIMIT 1);

SELECT u, (SELECT count(*) FROM conf.orders WHERE qty = u) FROM unnest([1, 5, 9, 10]) t(u);

SELECT x, (SELECT count(*) FROM conf.tree WHERE id <= x) FROM range(0, 40, 5) r(x);

-- Mistakes both sides refuse.

SELECT id FROM conf.orders WHERE customer_id IN (SELECT id, name FROM conf.customers);

WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT y FROM r) SELECT * FROM r;
