-- Predicates: comparisons, IS [NOT] DISTINCT FROM, BETWEEN, IN, LIKE / ILIKE / SIMILAR TO / regexp,
-- AND / OR / NOT, EXISTS and quantified comparisons, over every type and its edge values.

-- Every type compared with itself and with every other row's value (NaN, infinities, -0.0, NULL).

-- @each c in conf.all_types
SELECT id, {c} = {c} AS eq, {c} <> {c} AS ne, {c} IS NOT DISTINCT FROM {c} AS nd FROM conf.all_types;

-- @each c in conf.all_types
SELECT a.id, b.id, a.{c} = b.{c}, a.{c} < b.{c}, a.{c} >= b.{c}, a.{c} IS DISTINCT FROM b.{c}
FROM conf.all_types a, conf.all_types b WHERE a.id < 8 AND b.id < 8;

-- @each c in conf.all_types
SELECT id FROM conf.all_types WHERE {c} IS NULL;

-- @each c in conf.all_types
SELECT id FROM conf.all_types WHERE {c} IS NOT DISTINCT FROM (SELECT {c} FROM conf.all_types WHERE id = 3);

-- @each c in conf.all_types
SELECT id FROM conf.all_types
WHERE {c} > (SELECT min({c}) FROM conf.all_types) AND {c} < (SELECT max({c}) FROM conf.all_types);

-- @each c in conf.all_types
SELECT id, {c} IN (SELECT {c} FROM conf.all_types WHERE id BETWEEN 3 AND 5) AS found FROM conf.all_types;

-- @each c in conf.all_types
SELECT id FROM conf.all_types
WHERE {c} BETWEEN (SELECT min({c}) FROM conf.all_types WHERE id > 100) AND (SELECT max({c}) FROM conf.all_types WHERE id < 120);

-- @each c in conf.all_types
SELECT a.id, b.id FROM conf.all_types a JOIN conf.all_types b ON a.{c} IS NOT DISTINCT FROM b.{c} AND a.id <> b.id;

-- Integer comparisons across widths and signedness.

SELECT id FROM conf.all_types WHERE i8 < 0 ORDER BY id;

SELECT id FROM conf.all_types WHERE i64 = -9223372036854775808;

SELECT id FROM conf.all_types WHERE i128 > 9223372036854775807;

SELECT id FROM conf.all_types WHERE u64 > 9223372036854775807;

SELECT id FROM conf.all_types WHERE u128 = 340282366920938463463374607431768211455;

SELECT id, i8 < u8, i16 = u16, i32 > u32, i64 <= u64, i128 >= u128 FROM conf.all_types;

SELECT id FROM conf.all_types WHERE i32 = 2147483647.0;

SELECT id FROM conf.all_types WHERE i64 > 1e18;

SELECT id FROM conf.all_types WHERE u8 = 255 OR u16 = 65535 OR u32 = 4294967295;

SELECT id FROM conf.all_types WHERE i32 <> 0 AND i32 IS NOT NULL AND i32 % 7 = 0;

SELECT id FROM conf.all_types WHERE -CAST(i16 AS INTEGER) > 100 ORDER BY id;

SELECT id, i32 FROM conf.all_types WHERE i32 BETWEEN -5000000 AND 5000000 ORDER BY i32, id;

SELECT id, i32 FROM conf.all_types WHERE i32 NOT BETWEEN -100 AND 100;

SELECT id FROM conf.all_types WHERE i8 BETWEEN 10 AND -10;

SELECT id FROM conf.all_types WHERE i64 BETWEEN i32 AND i128;

-- Floating point: NaN is larger than everything and equal to itself; -0.0 equals 0.0.

SELECT id FROM conf.all_types WHERE f64 = 'nan'::DOUBLE;

SELECT id FROM conf.all_types WHERE f32 = 'nan'::FLOAT;

SELECT id FROM conf.all_types WHERE f64 > 1e300;

SELECT id FROM conf.all_types WHERE f64 >= 'infinity'::DOUBLE;

SELECT id FROM conf.all_types WHERE f64 < '-infinity'::DOUBLE;

SELECT id FROM conf.all_types WHERE f64 = 0;

SELECT id FROM conf.all_types WHERE f64 = -0.0;

SELECT id FROM conf.all_types WHERE f32 = 0.0 AND f64 = 0.0;

SELECT id, f64 FROM conf.all_types WHERE f64 <> f64;

SELECT id FROM conf.all_types WHERE f64 IS DISTINCT FROM 'nan';

SELECT id FROM conf.all_types WHERE f32 > 'inf';

SELECT id FROM conf.all_types WHERE f32 BETWEEN -1 AND 1;

SELECT id FROM conf.all_types WHERE f64 BETWEEN '-inf' AND 'inf';

SELECT id FROM conf.all_types WHERE f64 BETWEEN 0 AND 'nan';

SELECT id, f32 = f64 FROM conf.all_types;

SELECT id FROM conf.all_types WHERE f64 >= 'nan'::DOUBLE;

SELECT id FROM conf.all_types WHERE f64 IS NOT DISTINCT FROM 'nan'::DOUBLE;

SELECT id FROM conf.all_types WHERE f64 <= 0;

SELECT id FROM conf.all_types WHERE f64 < 0;

SELECT id FROM conf.all_types WHERE f64 >= 0 AND f64 < 1;

SELECT id FROM conf.all_types WHERE f32 = 0;

SELECT id FROM conf.all_types WHERE f32 >= 'nan'::FLOAT;

SELECT id FROM conf.all_types WHERE f32 < 'nan'::FLOAT AND f32 > 1e30;

SELECT id FROM conf.all_types WHERE f64 = 'inf'::DOUBLE OR f64 = '-inf'::DOUBLE;

SELECT id, isnan(f64), isinf(f64), isfinite(f64) FROM conf.all_types;

SELECT id FROM conf.all_types WHERE f64 IN ('nan', 'inf', 0);

SELECT id FROM conf.all_types WHERE f64 NOT IN ('nan', 'inf');

SELECT id, f64 FROM conf.all_types WHERE f64 > 0 ORDER BY f64 DESC, id LIMIT 10;

SELECT id, f64 FROM conf.all_types ORDER BY f64 NULLS FIRST, id;

SELECT id, f32 FROM conf.all_types ORDER BY f32 DESC NULLS LAST, id;

-- Decimals against decimals of other scales, integers and doubles.

SELECT id FROM conf.all_types WHERE d4 = 1.5;

SELECT id FROM conf.all_types WHERE d9 = 2.25 OR d18 = 3.125 OR d38 = 4.0625;

SELECT id FROM conf.all_types WHERE d4 = d9;

SELECT id, d4 < d18, d9 > d38, d18 = d38 FROM conf.all_types;

SELECT id FROM conf.all_types WHERE d38 > 1e27;

SELECT id FROM conf.all_types WHERE d38 < -9999999999999999999999999999;

SELECT id FROM conf.all_types WHERE d18 BETWEEN -30 AND 30;

SELECT id FROM conf.all_types WHERE d9 = 0.0 AND d4 = 0;

SELECT id FROM conf.all_types WHERE d4 IN (-2.5, -2.4, 0.0, 2.4);

SELECT id FROM conf.all_types WHERE d9::DOUBLE = d9;

SELECT id, d4 FROM conf.all_types WHERE d4 > 0 ORDER BY d4, id;

-- Strings: byte order, unicode, the empty string, trailing spaces.

SELECT id FROM conf.all_types WHERE s = '';

SELECT id FROM conf.all_types WHERE s = ' ';

SELECT id FROM conf.all_types WHERE s < 'B';

SELECT id FROM conf.all_types WHERE s > 'z';

SELECT id, s FROM conf.all_types WHERE s >= 'a' AND s < 'b';

SELECT id FROM conf.all_types WHERE s = 'a' OR s = 'A';

SELECT id FROM conf.all_types WHERE s COLLATE nocase = 'a';

SELECT id FROM conf.all_types WHERE lower(s) = 'beta1';

SELECT id FROM conf.all_types WHERE s BETWEEN 'a' AND 'e';

SELECT id FROM conf.all_types WHERE s NOT BETWEEN 'B' AND 'z';

SELECT id FROM conf.all_types WHERE s IN ('a', 'A', 'b', '', 'dup');

SELECT id FROM conf.all_types WHERE s NOT IN ('a', 'A', 'b', '', 'dup');

SELECT id FROM conf.all_types WHERE s IN ('a', NULL);

SELECT id FROM conf.all_types WHERE s NOT IN ('a', NULL);

SELECT id, s FROM conf.all_types WHERE s > 'ü' ORDER BY s, id;

SELECT id, s FROM conf.all_types WHERE id < 200 ORDER BY s, id;

SELECT id, s FROM conf.all_types WHERE id < 200 ORDER BY s COLLATE nocase, id;

SELECT id, s FROM conf.all_types WHERE id < 200 ORDER BY s DESC, id;

-- LIKE, ILIKE, escapes, SIMILAR TO, GLOB and regular expressions.

SELECT id, s FROM conf.all_types WHERE s LIKE 'a%';

SELECT id, s FROM conf.all_types WHERE s LIKE '%a';

SELECT id, s FROM conf.all_types WHERE s LIKE '_';

SELECT id, s FROM conf.all_types WHERE s LIKE '%';

SELECT id, s FROM conf.all_types WHERE s LIKE '';

SELECT id, s FROM conf.all_types WHERE s NOT LIKE '%a%';

SELECT id, s FROM conf.all_types WHERE s ILIKE 'BETA%';

SELECT id, s FROM conf.all_types WHERE s ILIKE '%ÉPSILON%';

SELECT id, s FROM conf.all_types WHERE s NOT ILIKE '%a%';

SELECT id, s FROM conf.all_types WHERE s LIKE '%\%%' ESCAPE '\';

SELECT id, s FROM conf.all_types WHERE s LIKE '%!_%' ESCAPE '!';

SELECT id, s FROM conf.all_types WHERE s LIKE 'eta_%';

SELECT id, s FROM conf.all_types WHERE s LIKE '%日本%';

SELECT id, s FROM conf.all_types WHERE s LIKE '%🦆';

SELECT id, s FROM conf.all_types WHERE s LIKE '_nïcödé%';

SELECT id, s FROM conf.all_types WHERE s ~~ 'zeta%';

SELECT id, s FROM conf.all_types WHERE s !~~ 'zeta%';

SELECT id, s FROM conf.all_types WHERE s ~~* 'DELTA%';

SELECT id, s FROM conf.all_types WHERE s SIMILAR TO '(alpha|gamma)[0-9]+';

SELECT id, s FROM conf.all_types WHERE s NOT SIMILAR TO '[a-z]+[0-9]*';

SELECT id, s FROM conf.all_types WHERE s SIMILAR TO '.*[0-9]';

SELECT id, s FROM conf.all_types WHERE s GLOB 'g*';

SELECT id, s FROM conf.all_types WHERE s GLOB '[A-Z]*';

SELECT id, s FROM conf.all_types WHERE s GLOB '?';

SELECT id, s FROM conf.all_types WHERE regexp_matches(s, '^[a-z]+[0-5]$');

SELECT id, s FROM conf.all_types WHERE regexp_matches(s, 'A', 'i');

SELECT id, s FROM conf.all_types WHERE regexp_full_match(s, '[a-z]+');

SELECT id, s FROM conf.all_types WHERE s ~ '^(?:zeta )+zeta';

SELECT id, s FROM conf.all_types WHERE regexp_matches(s, '\p{Han}');

SELECT id, s FROM conf.all_types WHERE regexp_matches(s, '^\s+$');

SELECT id, s FROM conf.all_types WHERE contains(s, 'ta');

SELECT id, s FROM conf.all_types WHERE starts_with(s, 'ga');

SELECT id, s FROM conf.all_types WHERE ends_with(s, '5');

SELECT id, s FROM conf.all_types WHERE s ^@ 'D';

SELECT id, s LIKE 'a%', s ILIKE 'a%', s SIMILAR TO 'a.*', s GLOB 'a*' FROM conf.all_types;

SELECT 'x' LIKE NULL, NULL LIKE 'a', 'abc' LIKE 'a_c', 'abc' LIKE 'A_C', 'abc' ILIKE 'A_C';

SELECT 'a%c' LIKE 'a\%c' ESCAPE '\', 'abc' LIKE 'a\%c' ESCAPE '\', '%' LIKE '%%', '' LIKE '%' FROM (VALUES (1)) t(s);

SELECT id, note FROM conf.orders WHERE note LIKE 'note 1%';

SELECT id FROM conf.orders WHERE note NOT LIKE 'note%';

SELECT id FROM conf.orders WHERE note = '';

SELECT count(*) FROM conf.orders WHERE note LIKE '%' ;

SELECT count(*) FROM conf.orders WHERE note IS NULL;

-- Dates, times and timestamps, infinities included.

SELECT id FROM conf.all_types WHERE dt = DATE '2024-02-29';

SELECT id FROM conf.all_types WHERE dt < DATE '1970-01-01';

SELECT id FROM conf.all_types WHERE dt > DATE '9999-12-31';

SELECT id FROM conf.all_types WHERE dt = 'infinity';

SELECT id FROM conf.all_types WHERE dt = '-infinity'::DATE;

SELECT id FROM conf.all_types WHERE isfinite(dt);

SELECT id FROM conf.all_types WHERE isinf(ts);

SELECT id FROM conf.all_types WHERE dt BETWEEN DATE '2026-01-01' AND DATE '2026-03-01';

SELECT id FROM conf.all_types WHERE ts >= TIMESTAMP '2026-01-02' AND ts < TIMESTAMP '2026-01-03';

SELECT id FROM conf.all_types WHERE ts = dt;

SELECT id, ts = tss, ts = tsm, ts = tsn, tss < tsn FROM conf.all_types;

SELECT id FROM conf.all_types WHERE tsn > TIMESTAMP_NS '2026-01-01 00:00:00.000000100';

SELECT id FROM conf.all_types WHERE tsn = TIMESTAMP_NS '2024-02-29 10:30:00.123456789';

SELECT id FROM conf.all_types WHERE tstz = TIMESTAMPTZ '2024-02-29 05:00:00+00';

SELECT id FROM conf.all_types WHERE tstz > TIMESTAMPTZ '2026-01-02 00:00:00+01';

SELECT id FROM conf.all_types WHERE tstz = ts;

SELECT id FROM conf.all_types WHERE tm = TIME '24:00:00';

SELECT id FROM conf.all_types WHERE tm > TIME '23:00:00';

SELECT id FROM conf.all_types WHERE tm BETWEEN TIME '10:00' AND TIME '12:00';

SELECT id FROM conf.all_types WHERE ttz = TIMETZ '12:00:00+00';

SELECT id FROM conf.all_types WHERE ttz > TIMETZ '12:00:00+00';

SELECT id, ttz FROM conf.all_types WHERE ttz IS NOT NULL ORDER BY ttz, id;

SELECT id FROM conf.all_types WHERE iv > INTERVAL '1 month';

SELECT id FROM conf.all_types WHERE iv = INTERVAL '30 days';

SELECT id FROM conf.all_types WHERE iv < INTERVAL '0 seconds';

SELECT INTERVAL '1 month' = INTERVAL '30 days', INTERVAL '1 day' = INTERVAL '24 hours', INTERVAL '1 year' > INTERVAL '364 days';

SELECT id, iv FROM conf.all_types WHERE iv IS NOT NULL ORDER BY iv, id;

-- Booleans, BLOBs, UUIDs, JSON.

SELECT id FROM conf.all_types WHERE b;

SELECT id FROM conf.all_types WHERE NOT b;

SELECT id FROM conf.all_types WHERE b IS TRUE;

SELECT id FROM conf.all_types WHERE b IS NOT TRUE;

SELECT id FROM conf.all_types WHERE b IS FALSE;

SELECT id FROM conf.all_types WHERE b IS NOT FALSE;

SELECT id FROM conf.all_types WHERE b IS UNKNOWN;

SELECT id FROM conf.all_types WHERE b = (id % 2 = 0);

SELECT id, b AND id > 100, b OR id > 100, NOT b, b AND NULL, b OR NULL FROM conf.all_types;

SELECT id FROM conf.all_types WHERE b > false;

SELECT id FROM conf.all_types WHERE bl = 'abc'::BLOB;

SELECT id FROM conf.all_types WHERE bl > 'ABC'::BLOB;

SELECT id FROM conf.all_types WHERE bl = '\x00'::BLOB;

SELECT id FROM conf.all_types WHERE bl::VARCHAR LIKE 'blob1%';

SELECT id FROM conf.all_types WHERE bl < '\x01'::BLOB;

SELECT id FROM conf.all_types WHERE bl = '\xFF\x00\x80'::BLOB;

SELECT id FROM conf.all_types WHERE bl >= '\x80'::BLOB;

SELECT id FROM conf.all_types WHERE bl < 'b'::BLOB;

SELECT id FROM conf.all_types WHERE bl IN ('abc'::BLOB, 'blob7'::BLOB, ''::BLOB);

SELECT id FROM conf.all_types WHERE bl BETWEEN 'blob1'::BLOB AND 'blob2'::BLOB;

SELECT id, bl = 'abc'::BLOB, bl > 'ABC'::BLOB FROM conf.all_types;

SELECT id FROM conf.all_types WHERE u = '123e4567-e89b-12d3-a456-426614174000';

SELECT id FROM conf.all_types WHERE u > '7fffffff-ffff-ffff-ffff-ffffffffffff';

SELECT id FROM conf.all_types WHERE u < '00000000-0000-0000-0000-000000000002';

SELECT id, u FROM conf.all_types WHERE u IS NOT NULL ORDER BY u, id;

SELECT id FROM conf.all_types WHERE j = '[]';

SELECT id FROM conf.all_types WHERE j::VARCHAR LIKE '%"even": true%';

SELECT id FROM conf.all_types WHERE j->>'n' = '7';

SELECT id FROM conf.all_types WHERE (j->>'$.n')::INTEGER BETWEEN 10 AND 12;

-- Lists, structs and maps in predicates.

SELECT id FROM conf.all_types WHERE li = [1, 2, 3];

SELECT id FROM conf.all_types WHERE li = [];

SELECT id FROM conf.all_types WHERE li < [1];

SELECT id FROM conf.all_types WHERE li > [2147483647];

SELECT id FROM conf.all_types WHERE li = [NULL];

SELECT id FROM conf.all_types WHERE li IS NOT DISTINCT FROM [NULL]::INTEGER[];

SELECT id FROM conf.all_types WHERE len(li) = 2;

SELECT id FROM conf.all_types WHERE ls = ['b', 'a'];

SELECT id FROM conf.all_types WHERE st = {'a': 1, 'b': 'one'};

SELECT id FROM conf.all_types WHERE st.a > 5;

SELECT id FROM conf.all_types WHERE st.b LIKE 'v%' AND st.a = 0;

SELECT id FROM conf.all_types WHERE st < {'a': 0, 'b': ''};

SELECT id FROM conf.all_types WHERE m = MAP {'a': 1, 'b': 2};

SELECT id FROM conf.all_types WHERE m['k1'] IS NOT NULL;

SELECT id FROM conf.all_types WHERE cardinality(m) = 0;

SELECT id FROM conf.all_types WHERE nested = [];

SELECT id FROM conf.all_types WHERE nested[1].k = 'x';

-- IN lists of many shapes, NULL in the list, subqueries, tuples.

SELECT id FROM conf.all_types WHERE id IN (1, 3, 5, 7, 9, 101, 203);

SELECT id FROM conf.all_types WHERE id NOT IN (1, 3, 5, 7, 9, 101, 203) AND id < 110;

SELECT id FROM conf.all_types WHERE i8 IN (-128, 127, 0);

SELECT id FROM conf.all_types WHERE i8 NOT IN (-128, 127, NULL);

SELECT id FROM conf.all_types WHERE i8 IN (NULL);

SELECT id, i8 IN (1, NULL), i8 NOT IN (1, NULL) FROM conf.all_types;

SELECT id FROM conf.all_types WHERE i32 IN (SELECT qty FROM conf.orders);

SELECT id FROM conf.all_types WHERE i32 NOT IN (SELECT qty FROM conf.orders) AND id < 10;

SELECT id FROM conf.all_types WHERE i8 NOT IN (SELECT i8 FROM conf.all_types WHERE id > 200);

SELECT id FROM conf.all_types WHERE i8 NOT IN (SELECT i8 FROM conf.all_types WHERE id > 200 AND i8 IS NOT NULL);

SELECT id FROM conf.all_types WHERE dt IN (DATE '2024-02-29', DATE '2000-01-01', 'infinity');

SELECT id FROM conf.all_types WHERE u IN ('00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff');

SELECT id FROM conf.all_types WHERE (i8, i16) IN ((1, 2), (-1, -2), (0, 0));

SELECT id FROM conf.all_types WHERE (id, s) IN (SELECT id, s FROM conf.all_types WHERE id % 2 = 0 AND id < 110);

SELECT id FROM conf.all_types WHERE d4 IN (SELECT d4 FROM conf.all_types WHERE id < 8);

SELECT id FROM conf.all_types WHERE s IN (SELECT name FROM conf.customers);

SELECT id FROM conf.all_types WHERE s = ANY (SELECT s FROM conf.all_types WHERE id > 200);

SELECT id FROM conf.all_types WHERE i8 > ALL (SELECT i8 FROM conf.all_types WHERE id BETWEEN 100 AND 110);

SELECT id FROM conf.all_types WHERE i8 > ALL (SELECT i8 FROM conf.all_types WHERE id > 200);

SELECT id FROM conf.all_types WHERE i8 < ANY (SELECT i8 FROM conf.all_types WHERE id > 200);

SELECT id FROM conf.all_types WHERE i8 = ANY ([1, 2, 3]);

SELECT id, i32 = ANY (li) FROM conf.all_types;

-- EXISTS, correlated predicates, boolean logic.

SELECT c.id FROM conf.customers c WHERE EXISTS (SELECT 1 FROM conf.orders o WHERE o.customer_id = c.id AND o.amount > 900);

SELECT c.id FROM conf.customers c WHERE NOT EXISTS (SELECT 1 FROM conf.orders o WHERE o.customer_id = c.id);

SELECT o.id FROM conf.orders o WHERE o.amount > (SELECT avg(amount) FROM conf.orders i WHERE i.status = o.status);

SELECT o.id FROM conf.orders o WHERE o.customer_id IN (SELECT id FROM conf.customers WHERE city = 'Oslo');

SELECT o.id FROM conf.orders o WHERE o.customer_id NOT IN (SELECT id FROM conf.customers WHERE city IS NULL);

SELECT id FROM conf.orders WHERE status = 'paid' AND (qty > 5 OR amount < 100);

SELECT id FROM conf.orders WHERE NOT (status = 'paid' OR status = 'new');

SELECT id FROM conf.orders WHERE status IN ('paid', 'new') IS NOT TRUE;

SELECT id FROM conf.orders WHERE (note = 'note 3') IS NULL;

SELECT id FROM conf.orders WHERE coalesce(note, 'x') <> 'x' AND note <> '';

SELECT id FROM conf.orders WHERE ordered_at BETWEEN TIMESTAMP '2026-02-01' AND TIMESTAMP '2026-02-15';

SELECT id FROM conf.orders WHERE ordered_at::DATE = DATE '2026-03-01';

SELECT id FROM conf.orders WHERE amount BETWEEN 100 AND 200 AND qty NOT BETWEEN 3 AND 7;

SELECT status, count(*) FROM conf.orders WHERE amount > 500 GROUP BY status;

SELECT status, count(*) FILTER (WHERE qty > 5), count(*) FILTER (WHERE note IS NULL) FROM conf.orders GROUP BY status;

SELECT id FROM conf.customers WHERE city = 'Paris' AND tier <> 'gold' OR credit > 900;

SELECT id FROM conf.customers WHERE city IS DISTINCT FROM 'Paris';

SELECT id FROM conf.customers WHERE city IS NOT DISTINCT FROM NULL;

SELECT id FROM conf.customers WHERE signup > DATE '2022-01-01' AND signup <= DATE '2023-06-30';

SELECT id FROM conf.customers WHERE name LIKE 'A%' OR name LIKE 'E%';

SELECT id FROM conf.customers WHERE credit BETWEEN 0 AND 100.5;

SELECT sku FROM conf.items WHERE list_contains(tags, 'sale') GROUP BY sku;

SELECT order_id, line FROM conf.items WHERE tags = [] OR tags IS NULL;

SELECT order_id, line FROM conf.items WHERE 'new' = ANY (tags) AND price > 90;

SELECT id, label FROM conf.tree WHERE parent IN (SELECT id FROM conf.tree WHERE parent = 1);

SELECT region, quarter, year FROM conf.sales WHERE amount > 400 AND units BETWEEN 5 AND 7;

SELECT id FROM conf.evolving WHERE small > 1000;

SELECT id FROM conf.evolving WHERE new_name LIKE 'w%' AND small IS NOT NULL;

SELECT * FROM conf.empty WHERE a > 0;

SELECT * FROM conf.empty WHERE b IN ('x', NULL);

-- Predicates on literals: constant folding must agree.

SELECT 1 = 1.0, 1 < 2, 'a' < 'b', 'a' < 'B', 'B' < 'a', NULL = NULL, NULL IS NOT DISTINCT FROM NULL;

SELECT 2 BETWEEN 1 AND 3, 2 BETWEEN 3 AND 1, NULL BETWEEN 1 AND 3, 2 BETWEEN NULL AND 3, 2 BETWEEN 3 AND NULL;

SELECT 'nan'::DOUBLE > 'inf'::DOUBLE, 'nan'::DOUBLE = 'nan'::DOUBLE, -0.0::DOUBLE = 0.0::DOUBLE, 'inf'::DOUBLE > 1e308;

SELECT [1, 2] < [1, 2, 3], [1, NULL] = [1, NULL], [1, NULL] < [1, 2], {'a': 1} = {'a': 1}, [] < [NULL];

SELECT DATE '2024-02-29' < TIMESTAMP '2024-02-29 00:00:01', TIME '24:00:00' > TIME '23:59:59.999999';

SELECT 1 IN (1, NULL), 2 IN (1, NULL), 2 NOT IN (1, NULL), NULL IN (1, 2), 'a' IN ('a');

SELECT true AND NULL, false AND NULL, true OR NULL, false OR NULL, NOT NULL::BOOLEAN, NULL::BOOLEAN IS UNKNOWN;

SELECT 9223372036854775807 = 9223372036854775807::DOUBLE, 18446744073709551615::UBIGINT > -1;

SELECT x, x > 0.1 + 0.2, x = 0.3 FROM (VALUES (0.3), (0.30000000000000004::DOUBLE)) t(x);

SELECT i FROM range(0, 100) t(i) WHERE i % 7 = 3 OR i BETWEEN 90 AND 95;

SELECT i FROM generate_series(-5, 5) t(i) WHERE i * i > 9;

SELECT * FROM range(0, 10) t(i) WHERE i NOT IN (SELECT i8 FROM conf.all_types WHERE i8 IS NOT NULL);

-- Column references qualified by table and by schema and table.

SELECT customers.id, customers.name FROM conf.customers WHERE customers.city = 'Oslo';

SELECT conf.customers.id FROM conf.customers WHERE conf.customers.city = 'Oslo';

SELECT c.id FROM conf.customers AS c WHERE c.city = 'Oslo';

SELECT orders.id FROM conf.orders JOIN conf.customers ON orders.customer_id = customers.id WHERE customers.tier = 'gold' AND orders.qty > 7;
