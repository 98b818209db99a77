-- NULL, NaN, infinity and -0.0: three-valued logic, propagation, aggregates, grouping, DISTINCT,
-- set operations, joins, sorting and windows.

-- Every type: NULL tests, NULLIF, counts, grouping by NULL, DISTINCT, equality joins.

-- @each c in conf.all_types
SELECT id, {c} IS NULL, {c} IS NOT NULL, coalesce({c}, {c}) IS NULL, nullif({c}, {c}) IS NULL FROM conf.all_types;

-- @each c in conf.all_types
SELECT count({c}), count(DISTINCT {c}), count(*), count(*) - count({c}), count(*) FILTER (WHERE {c} IS NULL) FROM conf.all_types;

-- @each c in conf.all_types
SELECT {c} IS NULL AS missing, count(*), min(id), max(id) FROM conf.all_types GROUP BY missing;

-- @each c in conf.all_types
SELECT id FROM conf.all_types WHERE NOT ({c} IS DISTINCT FROM (SELECT {c} FROM conf.all_types WHERE id = 4));

-- @each c in conf.all_types
SELECT a.id, b.id FROM conf.all_types a JOIN conf.all_types b ON a.{c} = b.{c} WHERE a.id < 10 AND b.id < 10;

-- @each c in conf.all_types
SELECT DISTINCT {c} FROM conf.all_types;

-- Three-valued logic.

SELECT a, b, a AND b, a OR b, NOT a, a = b, a <> b, a IS DISTINCT FROM b, a IS NOT DISTINCT FROM b
FROM (VALUES (true), (false), (NULL)) x(a), (VALUES (true), (false), (NULL)) y(b);

SELECT NULL AND false, NULL AND true, NULL OR true, NULL OR false, NOT NULL, NULL = NULL, NULL <> NULL, NULL IS NULL, NULL IS NOT NULL;

SELECT NULL::BOOLEAN IS TRUE, NULL::BOOLEAN IS FALSE, NULL::BOOLEAN IS NOT TRUE, NULL::BOOLEAN IS UNKNOWN, (1 = NULL) IS NULL, (NULL < 1) IS NULL;

SELECT id, b, NOT b, b AND NULL, b OR NULL, b IS TRUE, b IS NOT FALSE, coalesce(b, false) FROM conf.all_types;

SELECT count(*) FROM conf.all_types WHERE b;

SELECT count(*) FROM conf.all_types WHERE NOT b;

SELECT count(*) FROM conf.all_types WHERE b IS NULL;

SELECT count(*) FROM conf.all_types WHERE b OR NOT b;

SELECT count(*) FROM conf.all_types WHERE (b OR NOT b) IS NULL;

-- Propagation through operators and functions.

SELECT NULL + 1, 1 - NULL, NULL * 0, NULL / 0, NULL // 0, NULL % 2, -NULL::INTEGER, abs(NULL), round(NULL, 2), sqrt(NULL);

SELECT 'a' || NULL, concat('a', NULL), concat_ws(',', NULL), upper(NULL), length(NULL), substr(NULL, 1), replace('abc', NULL, 'x'), lpad(NULL, 3, 'x'), NULL LIKE 'a%';

SELECT NULL::DATE + 1, DATE '2024-01-01' + NULL::INTEGER, date_trunc('day', NULL::TIMESTAMP), year(NULL::DATE), NULL::TIMESTAMP - TIMESTAMP '2024-01-01', strftime(NULL::DATE, '%Y');

SELECT [1, NULL, 3], [NULL], []::INTEGER[], NULL::INTEGER[], [1, NULL] = [1, NULL], [NULL] IS NULL, list_contains([NULL], NULL), len(NULL::INTEGER[]), len([NULL]);

SELECT {'a': NULL}, {'a': NULL} IS NULL, NULL::STRUCT(a INTEGER) IS NULL, {'a': NULL}.a, (NULL::STRUCT(a INTEGER)).a, MAP {'k': NULL}['k'], MAP {'k': 1}['absent'];

SELECT typeof(NULL), typeof(NULL + 1), typeof([NULL]), typeof(coalesce(NULL, NULL)), typeof(NULL::VARCHAR || NULL);

SELECT id, i32 + NULL, s || NULL, li || NULL, coalesce(i32, -1), coalesce(s, '<null>'), coalesce(li, []) FROM conf.all_types;

SELECT id, st, st IS NULL, st.a IS NULL, st.b IS NULL, st = {'a': NULL, 'b': NULL}, st IS NOT DISTINCT FROM {'a': NULL, 'b': NULL} FROM conf.all_types;

SELECT id, li, li IS NULL, li = [NULL], list_contains(li, NULL), list_position(li, NULL), li[1] IS NULL, len(li) FROM conf.all_types;

SELECT id, m, m IS NULL, cardinality(m), m['ü'] IS NULL, map_contains(m, 'ü'), map_values(m) FROM conf.all_types;

-- NULLIF, COALESCE, IFNULL, their types.

SELECT nullif(1, 1), nullif(1, 2), nullif(NULL, 1), nullif(1, NULL), nullif('', ''), nullif('nan'::DOUBLE, 'nan'::DOUBLE), nullif(-0.0::DOUBLE, 0.0::DOUBLE);

SELECT coalesce(NULL, NULL, 3, 4), coalesce(NULL::INTEGER, 2.5), ifnull(NULL, 'x'), ifnull('y', 'x'), coalesce(NULL, [1]), coalesce(NULL::DATE, '2024-01-01');

SELECT id, nullif(s, ''), nullif(i8, 0), nullif(f64, 'nan'::DOUBLE), nullif(dt, 'infinity'::DATE), nullif(li, []) FROM conf.all_types;

SELECT id, nullif(note, '') IS NULL, coalesce(nullif(note, ''), '(none)') FROM conf.orders;

SELECT id, coalesce(city, 'unknown') AS c, ifnull(city, tier) FROM conf.customers;

SELECT id, 100 / nullif(qty - 5, 0) FROM conf.orders WHERE id < 50;

-- Aggregates over NULLs, all-NULL groups and empty inputs.

SELECT count(x), count(*), sum(x), avg(x), min(x), max(x), list(x ORDER BY x NULLS FIRST), string_agg(x::VARCHAR, ',' ORDER BY x) FROM (VALUES (NULL::INTEGER), (NULL)) t(x);

SELECT count(x), sum(x), avg(x), min(x), bool_and(x > 0), bit_or(x), product(x), median(x), stddev_samp(x), first(x ORDER BY x) FROM (SELECT NULL::INTEGER AS x WHERE false) t;

SELECT count(*), count(a), sum(a), max(b), list(a ORDER BY a), string_agg(b, ','), bool_or(a > 0), avg(a), median(a) FROM conf.empty;

SELECT a, count(*) FROM conf.empty GROUP BY a;

SELECT count(*) FROM conf.empty HAVING count(*) = 0;

SELECT sum(x), count(x), avg(x), min(x), max(x) FROM (VALUES (1), (NULL), (3)) t(x);

SELECT count(DISTINCT x), count(x), count(*), list(DISTINCT x ORDER BY x NULLS LAST) FROM (VALUES (1), (NULL), (1), (NULL), (2)) t(x);

SELECT id, sum(i8) OVER (), count(i8) OVER (), count(*) OVER () FROM conf.all_types WHERE id < 10;

SELECT status, count(note), count(*), count(DISTINCT note), min(note), max(note) FROM conf.orders GROUP BY status;

SELECT city, count(*), count(city), sum(credit) FROM conf.customers GROUP BY city;

SELECT customer_id IS NULL AS orphan, count(*), sum(amount) FROM conf.orders GROUP BY orphan;

SELECT first(i8 ORDER BY id), last(i8 ORDER BY id), first(i8 ORDER BY id) FILTER (WHERE i8 IS NOT NULL), arg_min(id, i8), arg_max(id, i8) FROM conf.all_types WHERE id < 100;

SELECT list(i8 ORDER BY id), list(i8 ORDER BY id) FILTER (WHERE i8 IS NOT NULL), list(i8 ORDER BY i8 NULLS FIRST, id) FROM conf.all_types WHERE id > 200;

-- GROUP BY, DISTINCT and set operations treat NULLs as equal.

SELECT x, count(*) FROM (VALUES (NULL), (NULL), (1), (1), (2)) t(x) GROUP BY x;

SELECT DISTINCT x FROM (VALUES (NULL), (NULL), (1)) t(x);

SELECT DISTINCT x, y FROM (VALUES (NULL, 1), (NULL, 1), (NULL, NULL), (NULL, NULL)) t(x, y);

SELECT x FROM (VALUES (1), (NULL)) a(x) UNION SELECT x FROM (VALUES (NULL), (2)) b(x);

SELECT x FROM (VALUES (1), (NULL), (NULL)) a(x) UNION ALL SELECT x FROM (VALUES (NULL)) b(x);

SELECT x FROM (VALUES (1), (NULL)) a(x) INTERSECT SELECT x FROM (VALUES (NULL), (2)) b(x);

SELECT x FROM (VALUES (1), (NULL), (3)) a(x) EXCEPT SELECT x FROM (VALUES (NULL), (3)) b(x);

SELECT i8 FROM conf.all_types WHERE id > 200 INTERSECT SELECT i8 FROM conf.all_types WHERE id < 10;

SELECT i8 FROM conf.all_types WHERE id < 10 EXCEPT SELECT i8 FROM conf.all_types WHERE id > 200;

SELECT s FROM conf.all_types WHERE id > 200 UNION SELECT city FROM conf.customers;

SELECT city, tier, count(*) FROM conf.customers GROUP BY ROLLUP (city, tier);

SELECT city, tier, grouping(city), grouping(tier), count(*) FROM conf.customers GROUP BY GROUPING SETS ((city), (tier), ());

SELECT city, grouping(city) AS g, count(*) FROM conf.customers GROUP BY CUBE (city) ORDER BY g, city NULLS FIRST;

-- NOT IN and IN with NULLs; EXISTS and anti joins.

SELECT id FROM conf.customers WHERE id NOT IN (SELECT customer_id FROM conf.orders);

SELECT id FROM conf.customers WHERE id NOT IN (SELECT customer_id FROM conf.orders WHERE customer_id IS NOT NULL);

SELECT id FROM conf.customers c WHERE NOT EXISTS (SELECT 1 FROM conf.orders o WHERE o.customer_id = c.id);

SELECT c.id FROM conf.customers c ANTI JOIN conf.orders o ON o.customer_id = c.id;

SELECT c.id FROM conf.customers c SEMI JOIN conf.orders o ON o.customer_id = c.id;

SELECT id, id IN (SELECT customer_id FROM conf.orders) AS has_orders FROM conf.customers;

SELECT 1 IN (SELECT NULL), 1 NOT IN (SELECT NULL), 1 IN (SELECT 1 WHERE false), 1 NOT IN (SELECT 1 WHERE false), NULL IN (SELECT 1 WHERE false);

SELECT id, city IN ('Oslo', NULL), city NOT IN ('Oslo', NULL), city = ANY (['Oslo', NULL]) FROM conf.customers;

-- Joins: NULL keys never match with =, do with IS NOT DISTINCT FROM; outer joins make NULLs.

SELECT a.x, b.x FROM (VALUES (1), (NULL)) a(x) JOIN (VALUES (1), (NULL)) b(x) ON a.x = b.x;

SELECT a.x, b.x FROM (VALUES (1), (NULL)) a(x) JOIN (VALUES (1), (NULL)) b(x) ON a.x IS NOT DISTINCT FROM b.x;

SELECT a.x, b.x FROM (VALUES (1), (NULL)) a(x) FULL OUTER JOIN (VALUES (2), (NULL)) b(x) ON a.x = b.x;

SELECT o.id, c.id, c.name FROM conf.orders o LEFT JOIN conf.customers c ON c.id = o.customer_id WHERE c.id IS NULL;

SELECT c.id, count(o.id), sum(o.amount), coalesce(sum(o.amount), 0) FROM conf.customers c LEFT JOIN conf.orders o ON o.customer_id = c.id GROUP BY c.id;

SELECT c.city, o.status, count(*) FROM conf.customers c FULL JOIN conf.orders o ON o.customer_id = c.id GROUP BY c.city, o.status;

SELECT a.id, b.id FROM conf.all_types a JOIN conf.all_types b ON a.s IS NOT DISTINCT FROM b.s WHERE a.id > 200 AND b.id > 200;

SELECT a.id, b.id FROM conf.all_types a LEFT JOIN conf.all_types b ON a.i8 = b.i8 AND b.id > 200 WHERE a.id < 10;

SELECT t.id, e.a FROM conf.tree t LEFT JOIN conf.empty e ON e.a = t.id WHERE t.id < 5;

SELECT t.id, p.id AS parent_id, p.label FROM conf.tree t LEFT JOIN conf.tree p ON p.id = t.parent;

-- Sorting: NULLS FIRST / LAST, default placement, NaN and infinities.

SELECT id, i8 FROM conf.all_types ORDER BY i8, id;

SELECT id, i8 FROM conf.all_types ORDER BY i8 DESC, id;

SELECT id, i8 FROM conf.all_types ORDER BY i8 NULLS FIRST, id;

SELECT id, i8 FROM conf.all_types ORDER BY i8 DESC NULLS LAST, id;

SELECT id, f64 FROM conf.all_types ORDER BY f64, id;

SELECT id, f64 FROM conf.all_types ORDER BY f64 DESC, id;

SELECT id, f32 FROM conf.all_types ORDER BY f32 NULLS FIRST, id;

SELECT id, s FROM conf.all_types ORDER BY s DESC NULLS FIRST, id;

SELECT id, dt FROM conf.all_types ORDER BY dt NULLS FIRST, id;

SELECT id, li FROM conf.all_types ORDER BY li NULLS FIRST, id;

SELECT id, st FROM conf.all_types ORDER BY st DESC NULLS LAST, id;

SELECT id, city FROM conf.customers ORDER BY city NULLS FIRST, id;

SELECT id, note FROM conf.orders ORDER BY note DESC NULLS FIRST, id LIMIT 30;

SELECT x FROM (VALUES ('nan'::DOUBLE), ('inf'), ('-inf'), (0.0), (-0.0), (NULL), (1e308), (-1e308)) t(x) ORDER BY x NULLS FIRST;

SELECT x FROM (VALUES ('nan'::DOUBLE), ('inf'), ('-inf'), (1.0), (NULL)) t(x) ORDER BY x DESC NULLS LAST;

-- NaN: equal to itself, greater than infinity, one group; -0.0 equals 0.0.

SELECT 'nan'::DOUBLE = 'nan'::DOUBLE, 'nan'::DOUBLE <> 'nan'::DOUBLE, 'nan'::DOUBLE > 'inf'::DOUBLE, 'nan'::DOUBLE < 0, 'nan'::FLOAT = 'nan'::DOUBLE, greatest('nan'::DOUBLE, 1), least('nan'::DOUBLE, 1);

SELECT 'inf'::DOUBLE = 'inf'::DOUBLE, 'inf'::DOUBLE > 1e308, '-inf'::DOUBLE < -1e308, 'inf'::DOUBLE + 1 = 'inf'::DOUBLE, 'inf'::DOUBLE - 'inf'::DOUBLE, 0 * 'inf'::DOUBLE, 1 / 'inf'::DOUBLE;

SELECT -0.0::DOUBLE = 0.0::DOUBLE, -0.0::DOUBLE < 0.0::DOUBLE, 1 / -0.0::DOUBLE, 1 / 0.0::DOUBLE, sign(-0.0::DOUBLE), (-0.0)::DOUBLE::VARCHAR, 0.0::DOUBLE::VARCHAR;

SELECT f64, count(*) FROM conf.all_types GROUP BY f64;

SELECT f32, count(*) FROM conf.all_types GROUP BY f32;

SELECT f64 = 0 AS zero, count(*) FROM conf.all_types GROUP BY zero;

SELECT count(DISTINCT f64), count(DISTINCT f32), count(f64), count(f32) FROM conf.all_types;

SELECT min(f64), max(f64), min(f32), max(f32) FROM conf.all_types;

SELECT max(f64) FROM conf.all_types WHERE f64 <> 'nan';

SELECT min(f64), max(f64) FROM conf.all_types WHERE id > 200;

SELECT sum(f64), avg(f64) FROM conf.all_types WHERE id > 200;

SELECT sum(f64), sum(f32) FROM conf.all_types WHERE id IN (6, 7);

SELECT sum(f64), sum(f32) FROM conf.all_types WHERE id IN (2, 6);

SELECT a.id, b.id FROM conf.all_types a JOIN conf.all_types b ON a.f64 = b.f64 WHERE a.id < b.id;

SELECT a.id, b.id FROM conf.all_types a JOIN conf.all_types b ON a.f32 = b.f32 WHERE a.id < b.id AND (a.f32 <> a.f32 OR a.f32 = 0);

SELECT id FROM conf.all_types WHERE f64 IN (SELECT f64 FROM conf.all_types WHERE id = 5);

SELECT id FROM conf.all_types WHERE f64 IN (SELECT f64 FROM conf.all_types WHERE id = 3);

SELECT DISTINCT f64 FROM conf.all_types WHERE f64 = 0 OR f64 <> f64;

SELECT f64 FROM conf.all_types WHERE id > 200 UNION SELECT f64 FROM conf.all_types WHERE id < 10;

SELECT f64 FROM conf.all_types WHERE id < 10 EXCEPT SELECT 'nan'::DOUBLE;

SELECT x, count(*) FROM (VALUES ('nan'::DOUBLE), ('nan'), (-0.0), (0.0), ('inf'), (NULL)) t(x) GROUP BY x;

SELECT list_sort(list(f64)) FROM conf.all_types WHERE id < 10;

SELECT quantile_disc(f64, 0.5), median(f64) FROM conf.all_types WHERE id < 10;

-- Infinite dates and timestamps.

SELECT id, dt, dt > DATE '9999-12-31', dt < DATE '0001-01-01', isinf(dt), isfinite(ts), ts = 'infinity'::TIMESTAMP FROM conf.all_types;

SELECT max(dt), min(dt), max(ts), min(ts), max(tstz), min(tstz) FROM conf.all_types;

SELECT dt, count(*) FROM conf.all_types WHERE NOT isfinite(dt) OR dt IS NULL GROUP BY dt;

SELECT 'infinity'::DATE = 'infinity'::TIMESTAMP, 'infinity'::DATE > '-infinity'::DATE, '-infinity'::TIMESTAMP < TIMESTAMP '0001-01-01', 'infinity'::TIMESTAMPTZ::TIMESTAMP;

-- Windows over NULLs: IGNORE NULLS, defaults, frames.

SELECT id, i8, lag(i8) OVER (ORDER BY id), lead(i8, 1, -99) OVER (ORDER BY id), first_value(i8) OVER (ORDER BY id) FROM conf.all_types WHERE id > 200 ORDER BY id;

SELECT id, i8, last_value(i8 IGNORE NULLS) OVER (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), first_value(i8 IGNORE NULLS) OVER (ORDER BY id ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) FROM conf.all_types WHERE id > 200 ORDER BY id;

SELECT id, i8, count(i8) OVER (ORDER BY id), sum(i8) OVER (ORDER BY id ROWS 1 PRECEDING), avg(i8) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM conf.all_types WHERE id > 200 ORDER BY id;

SELECT id, city, rank() OVER (ORDER BY city NULLS FIRST), dense_rank() OVER (ORDER BY city NULLS LAST), row_number() OVER (PARTITION BY city ORDER BY id) FROM conf.customers ORDER BY id;

SELECT id, note, lag(note, 1, '<start>') OVER (PARTITION BY status ORDER BY id), nth_value(note, 2 IGNORE NULLS) OVER (PARTITION BY status ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) FROM conf.orders WHERE id < 60 ORDER BY id;

-- NULLs in the evolving table: rows written before a column existed, and values cast.

SELECT id, new_name, small FROM conf.evolving WHERE small IS NULL;

SELECT count(*), count(small), count(new_name), sum(small) FROM conf.evolving;

SELECT id, small IS NULL, coalesce(small, -1), nullif(small, 1) FROM conf.evolving;
