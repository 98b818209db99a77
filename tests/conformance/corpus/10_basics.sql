-- Projections, ORDER BY / LIMIT / OFFSET and top-N over every type.

-- @each c in conf.all_types
SELECT id, {c} FROM conf.all_types ORDER BY id;

-- @each c in conf.all_types
SELECT {c}, count(*) FROM conf.all_types GROUP BY ALL;

-- @each c in conf.all_types
SELECT id, {c} FROM conf.all_types ORDER BY {c} NULLS FIRST, id LIMIT 5;

-- @each c in conf.all_types
SELECT id, {c} FROM conf.all_types ORDER BY {c} DESC NULLS LAST, id LIMIT 3 OFFSET 2;

-- @each c in conf.all_types
SELECT min({c}), max({c}), count({c}) FROM conf.all_types;

SELECT * FROM conf.all_types ORDER BY id;

SELECT * FROM conf.all_types ORDER BY id LIMIT 3 OFFSET 1;

SELECT id, s FROM conf.all_types ORDER BY id LIMIT 3;

SELECT count(*), count(1);

SELECT sum(i32 + 2), sum(i32) FROM conf.all_types;

SELECT * FROM conf.orders ORDER BY id LIMIT 10;

SELECT customer_id, amount FROM conf.orders ORDER BY amount DESC, id LIMIT 7;

-- @rows-only
SELECT * FROM conf.orders LIMIT 5;

SELECT * FROM conf.empty;

SELECT count(*), sum(a) FROM conf.empty;

SELECT * FROM conf.evolving ORDER BY id;
