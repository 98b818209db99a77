-- GROUP BY, GROUP BY ALL, HAVING, GROUPING SETS / ROLLUP / CUBE and GROUPING(), FILTER on
-- aggregates, DISTINCT aggregates, statistical aggregates, quantiles, median and mode. Aggregates
-- whose answer depends on the order of their input order inside (list(x ORDER BY ...)); mode is
-- used only where one value is the most frequent.

-- Every type: groups with HAVING, distinct counts and FILTER, CUBE with GROUPING(), quantiles.

-- @each c in conf.all_types
SELECT {c}, count(*), min(id), max(id) FROM conf.all_types GROUP BY {c} HAVING count(*) > 1 OR min(id) < 5;

-- @each c in conf.all_types
SELECT count(DISTINCT {c}), count({c}), count(*) FILTER (WHERE {c} IS NULL), count(DISTINCT {c}) FILTER (WHERE id > 100) FROM conf.all_types;

-- @each c in conf.all_types
SELECT GROUPING(b, {c}) AS g, b, {c}, count(*), sum(id) FROM conf.all_types WHERE id < 110 GROUP BY CUBE (b, {c});

-- @each c in conf.all_types
SELECT median({c}), quantile_disc({c}, [0.1, 0.5, 0.9]), min({c}), max({c}) FROM conf.all_types;

-- @each c in conf.all_types
SELECT id // 100 AS bucket, list({c} ORDER BY id) FROM conf.all_types GROUP BY ALL;

-- GROUP BY and GROUP BY ALL.

SELECT status, count(*) FROM conf.orders GROUP BY status;

SELECT status, count(*), sum(amount), avg(amount), min(amount), max(amount) FROM conf.orders GROUP BY status ORDER BY status;

SELECT status, qty, count(*) FROM conf.orders GROUP BY status, qty;

SELECT status, qty, count(*) FROM conf.orders GROUP BY ALL ORDER BY ALL;

SELECT customer_id, count(*), sum(qty) FROM conf.orders GROUP BY customer_id;

SELECT customer_id, count(*) FROM conf.orders GROUP BY 1 ORDER BY 1 NULLS FIRST;

SELECT customer_id IS NULL AS anonymous, count(*) FROM conf.orders GROUP BY ALL;

SELECT note, count(*) FROM conf.orders GROUP BY note;

SELECT date_trunc('month', ordered_at) AS month, count(*), sum(amount) FROM conf.orders GROUP BY month ORDER BY month;

SELECT year(ordered_at), week(ordered_at), count(*) FROM conf.orders GROUP BY ALL ORDER BY ALL;

SELECT dayofweek(ordered_at) AS dow, status, count(*) FROM conf.orders GROUP BY ALL;

SELECT extract(hour FROM ordered_at) // 6 AS part, count(*), min(ordered_at), max(ordered_at) FROM conf.orders GROUP BY part;

SELECT qty % 3, qty % 2, count(*) FROM conf.orders GROUP BY qty % 3, qty % 2;

SELECT CASE WHEN amount < 250 THEN 'small' WHEN amount < 750 THEN 'medium' ELSE 'large' END AS size, count(*), sum(amount)
FROM conf.orders GROUP BY size;

SELECT floor(amount / 100) * 100 AS band, count(*) FROM conf.orders GROUP BY band ORDER BY band;

SELECT status, count(*) AS n FROM conf.orders GROUP BY status ORDER BY n DESC;

SELECT city, tier, count(*), min(signup), max(credit) FROM conf.customers GROUP BY city, tier;

SELECT city, count(*) FROM conf.customers GROUP BY city;

SELECT tier, avg(credit), sum(credit) FROM conf.customers GROUP BY tier ORDER BY tier;

SELECT year(signup), count(*) FROM conf.customers GROUP BY ALL ORDER BY 1;

SELECT left(name, 2), count(*) FROM conf.customers GROUP BY ALL;

SELECT sku, count(*), round(sum(price), 2), min(price), max(price) FROM conf.items GROUP BY sku;

SELECT line, count(*), count(tags), sum(len(tags)) FROM conf.items GROUP BY line;

SELECT tags, count(*) FROM conf.items GROUP BY tags;

SELECT order_id, count(*) FROM conf.items GROUP BY order_id HAVING count(*) = 1 ORDER BY order_id;

SELECT region, year, sum(amount), sum(units) FROM conf.sales GROUP BY region, year;

SELECT quarter, avg(amount), max(units) FROM conf.sales GROUP BY quarter ORDER BY quarter;

SELECT parent, count(*), list(id ORDER BY id) FROM conf.tree GROUP BY parent;

SELECT sku, count(*), min(valid_from), max(price) FROM conf.prices GROUP BY sku ORDER BY sku;

SELECT new_name LIKE 'w%', count(*), sum(small) FROM conf.evolving GROUP BY 1;

SELECT small > 20, count(*), min(new_name), max(new_name), avg(small) FROM conf.evolving GROUP BY ALL;

SELECT id % 4, sum(small), list(new_name ORDER BY id) FROM conf.evolving GROUP BY ROLLUP (id % 4);

SELECT a, count(*) FROM conf.empty GROUP BY a;

SELECT count(*), sum(a), min(b) FROM conf.empty;

SELECT b, count(*) FROM conf.empty GROUP BY ALL;

SELECT 1 AS one, count(*) FROM conf.orders GROUP BY one;

SELECT count(*) FROM conf.orders GROUP BY ();

SELECT count(*) FROM conf.empty GROUP BY ();

SELECT o.status, c.tier, count(*), sum(o.amount) FROM conf.orders o JOIN conf.customers c ON o.customer_id = c.id GROUP BY ALL;

SELECT c.city, count(DISTINCT o.customer_id), count(o.id) FROM conf.customers c LEFT JOIN conf.orders o ON o.customer_id = c.id GROUP BY c.city;

SELECT b, i8 % 4, count(*) FROM conf.all_types GROUP BY ALL;

SELECT st.a, count(*) FROM conf.all_types GROUP BY st.a;

SELECT len(li), count(*), sum(id) FROM conf.all_types GROUP BY len(li);

SELECT m['k0'], count(*) FROM conf.all_types GROUP BY ALL;

SELECT j->>'even', count(*) FROM conf.all_types GROUP BY ALL;

SELECT s, count(*) FROM conf.all_types WHERE id >= 200 GROUP BY s;

SELECT f64, count(*) FROM conf.all_types WHERE id >= 200 GROUP BY f64;

SELECT f32, f64, count(*) FROM conf.all_types WHERE id < 10 OR id >= 200 GROUP BY ALL;

SELECT x % 10 AS k, count(*), sum(x) FROM range(1000) t(x) GROUP BY k ORDER BY k;

SELECT g % 4, list(g ORDER BY g DESC) FROM generate_series(1, 20) t(g) GROUP BY ALL;

-- HAVING.

SELECT status, count(*) FROM conf.orders GROUP BY status HAVING count(*) > 85;

SELECT status FROM conf.orders GROUP BY status HAVING sum(amount) > 40000;

SELECT customer_id, count(*) FROM conf.orders GROUP BY customer_id HAVING count(*) >= 12 ORDER BY customer_id;

SELECT customer_id, max(amount) FROM conf.orders GROUP BY customer_id HAVING max(amount) > 990 OR min(amount) < 10;

SELECT customer_id FROM conf.orders GROUP BY customer_id HAVING bool_and(qty > 1);

SELECT customer_id FROM conf.orders GROUP BY customer_id HAVING count(DISTINCT status) = 5 ORDER BY 1;

SELECT customer_id, count(*) FILTER (WHERE status = 'new') AS n FROM conf.orders GROUP BY customer_id HAVING n = 0;

SELECT qty, avg(amount) FROM conf.orders GROUP BY qty HAVING avg(amount) > 480;

SELECT city FROM conf.customers GROUP BY city HAVING count(*) = 8;

SELECT city, tier FROM conf.customers GROUP BY city, tier HAVING min(credit) > 200;

SELECT sku FROM conf.items GROUP BY sku HAVING avg(price) > 50 ORDER BY sku;

SELECT order_id FROM conf.items GROUP BY order_id HAVING sum(price) > 250 ORDER BY order_id;

SELECT count(*) FROM conf.orders HAVING count(*) > 0;

SELECT count(*) FROM conf.orders HAVING count(*) > 1000;

SELECT sum(amount) FROM conf.orders HAVING min(qty) = 1;

SELECT region FROM conf.sales GROUP BY region HAVING sum(amount) FILTER (WHERE year = 2026) > 1500;

SELECT parent FROM conf.tree GROUP BY parent HAVING count(*) = 1;

-- GROUPING SETS, ROLLUP, CUBE and GROUPING().

SELECT status, qty, count(*) FROM conf.orders GROUP BY GROUPING SETS ((status), (qty), ());

SELECT status, qty, count(*), sum(amount) FROM conf.orders GROUP BY GROUPING SETS ((status, qty), (status));

SELECT status, qty, count(*) FROM conf.orders GROUP BY ROLLUP (status, qty);

SELECT status, qty, count(*) FROM conf.orders GROUP BY ROLLUP (status, qty) ORDER BY status NULLS LAST, qty NULLS LAST;

SELECT status, qty, count(*) FROM conf.orders GROUP BY CUBE (status, qty);

SELECT status, qty, GROUPING(status), GROUPING(qty), GROUPING(status, qty), count(*) FROM conf.orders GROUP BY CUBE (status, qty);

SELECT GROUPING(status, qty) AS g, count(*) FROM (SELECT * FROM conf.orders) GROUP BY CUBE (status, qty) HAVING GROUPING(status, qty) = 3;

SELECT status, customer_id, count(*) FROM conf.orders WHERE customer_id < 5 GROUP BY CUBE (status, customer_id);

SELECT status, customer_id, GROUPING(customer_id), count(*) FROM conf.orders WHERE customer_id IS NULL OR customer_id = 3
GROUP BY ROLLUP (status, customer_id);

SELECT city, tier, count(*) FROM conf.customers GROUP BY CUBE (city, tier);

SELECT city, tier, GROUPING(city, tier), count(*), sum(credit) FROM conf.customers GROUP BY ROLLUP (city, tier)
ORDER BY GROUPING(city, tier), city NULLS FIRST, tier NULLS FIRST;

SELECT city, tier, count(*) FROM conf.customers GROUP BY GROUPING SETS ((city), (tier), (city, tier), ());

SELECT region, quarter, year, sum(amount) FROM conf.sales GROUP BY ROLLUP (region, quarter, year);

SELECT region, quarter, year, sum(amount) FROM conf.sales GROUP BY CUBE (region, quarter, year);

SELECT region, quarter, year, GROUPING(region, quarter, year), sum(units) FROM conf.sales GROUP BY CUBE (region, quarter, year)
ORDER BY 4, 1 NULLS FIRST, 2 NULLS FIRST, 3 NULLS FIRST;

SELECT region, year, sum(amount) FROM conf.sales GROUP BY GROUPING SETS ((region, year), (region), (year)) HAVING sum(amount) > 1000;

SELECT region, quarter, sum(amount) FROM conf.sales GROUP BY region, ROLLUP (quarter);

SELECT region, quarter, year, sum(amount) FROM conf.sales GROUP BY region, CUBE (quarter, year);

SELECT region, quarter, year, count(*) FROM conf.sales GROUP BY GROUPING SETS (region, quarter), year;

SELECT region, year, sum(amount) FROM conf.sales GROUP BY ROLLUP (region), ROLLUP (year);

SELECT region, quarter, sum(amount) FROM conf.sales GROUP BY ROLLUP ((region, quarter));

SELECT sku, line, count(*), round(sum(price), 2) FROM conf.items GROUP BY ROLLUP (sku, line);

SELECT parent % 2, id % 2, count(*) FROM conf.tree GROUP BY CUBE (parent % 2, id % 2);

SELECT a, b, count(*) FROM conf.empty GROUP BY CUBE (a, b);

SELECT a, count(*) FROM conf.empty GROUP BY ROLLUP (a);

SELECT b, i8 > 0, count(*) FROM conf.all_types GROUP BY CUBE (b, i8 > 0);

SELECT o.status, c.city, GROUPING(o.status, c.city), count(*) FROM conf.orders o JOIN conf.customers c ON c.id = o.customer_id
GROUP BY GROUPING SETS ((o.status), (c.city));

SELECT status, qty, count(*), list(id ORDER BY id) FILTER (WHERE id < 20) FROM conf.orders GROUP BY ROLLUP (status, qty);

-- FILTER (WHERE ...) on aggregates.

SELECT count(*) FILTER (WHERE status = 'paid'), count(*) FILTER (WHERE status = 'new'), count(*) FROM conf.orders;

SELECT sum(amount) FILTER (WHERE qty > 5), avg(amount) FILTER (WHERE qty <= 5), max(ordered_at) FILTER (WHERE status = 'returned') FROM conf.orders;

SELECT status, count(*) FILTER (WHERE qty = 1) AS singles, sum(qty) FILTER (WHERE amount > 500) FROM conf.orders GROUP BY status;

SELECT customer_id, count(*) FILTER (WHERE note IS NULL), count(note) FILTER (WHERE note <> '') FROM conf.orders GROUP BY customer_id;

SELECT count(DISTINCT customer_id) FILTER (WHERE status = 'shipped'), count(DISTINCT qty) FILTER (WHERE amount < 100) FROM conf.orders;

SELECT list(id ORDER BY id) FILTER (WHERE amount > 980), string_agg(status, ',' ORDER BY id) FILTER (WHERE id < 12) FROM conf.orders;

SELECT min(amount) FILTER (WHERE false), count(*) FILTER (WHERE false), sum(qty) FILTER (WHERE NULL) FROM conf.orders;

SELECT tier, count(*) FILTER (WHERE city IS NULL), count(*) FILTER (WHERE city = 'Oslo') FROM conf.customers GROUP BY tier;

SELECT region, sum(amount) FILTER (WHERE quarter = 'Q1') AS q1, sum(amount) FILTER (WHERE quarter = 'Q4') AS q4 FROM conf.sales GROUP BY region;

SELECT year, sum(units) FILTER (WHERE region IN ('north', 'south')), sum(units) FILTER (WHERE region NOT IN ('north', 'south')) FROM conf.sales GROUP BY year ORDER BY year;

SELECT count(*) FILTER (WHERE b), count(*) FILTER (WHERE NOT b), count(*) FILTER (WHERE b IS NULL) FROM conf.all_types;

SELECT sum(i32) FILTER (WHERE id BETWEEN 100 AND 199), sum(d38) FILTER (WHERE id > 100), avg(f64) FILTER (WHERE id BETWEEN 100 AND 199) FROM conf.all_types;

SELECT sku, quantile_cont(price, 0.5) FILTER (WHERE line = 1), median(price) FILTER (WHERE line = 2) FROM conf.items GROUP BY sku;

SELECT count(*) FILTER (WHERE x % 2 = 0), sum(x) FILTER (WHERE x % 3 = 0) FROM range(100) t(x);

-- DISTINCT aggregates.

SELECT count(DISTINCT status), count(DISTINCT customer_id), count(DISTINCT qty), count(DISTINCT note) FROM conf.orders;

SELECT sum(DISTINCT qty), avg(DISTINCT qty), min(DISTINCT qty), max(DISTINCT qty) FROM conf.orders;

SELECT status, count(DISTINCT customer_id), sum(DISTINCT qty) FROM conf.orders GROUP BY status;

SELECT customer_id, count(DISTINCT status), list(DISTINCT status ORDER BY status) FROM conf.orders GROUP BY customer_id;

SELECT string_agg(DISTINCT status, '|' ORDER BY status) FROM conf.orders;

SELECT count(DISTINCT (status, qty)) FROM conf.orders;

SELECT count(DISTINCT city), count(city), count(*) FROM conf.customers;

SELECT tier, count(DISTINCT city) FROM conf.customers GROUP BY tier;

SELECT count(DISTINCT sku), count(DISTINCT tags), count(DISTINCT price) FROM conf.items;

SELECT line, count(DISTINCT sku), round(sum(DISTINCT price), 2) FROM conf.items GROUP BY line;

SELECT count(DISTINCT region), count(DISTINCT quarter), sum(DISTINCT units) FROM conf.sales;

SELECT count(DISTINCT s), count(DISTINCT f64), count(DISTINCT li), count(DISTINCT st) FROM conf.all_types;

SELECT count(DISTINCT x % 7) FROM range(1000) t(x);

-- Order-sensitive aggregates, ordered inside.

SELECT status, list(id ORDER BY id) FROM conf.orders GROUP BY status;

SELECT status, list(id ORDER BY amount DESC) FROM conf.orders WHERE qty = 9 GROUP BY status;

SELECT customer_id, string_agg(CAST(id AS VARCHAR), ',' ORDER BY ordered_at) FROM conf.orders GROUP BY customer_id;

SELECT customer_id, first(id ORDER BY ordered_at), last(id ORDER BY ordered_at) FROM conf.orders GROUP BY customer_id;

SELECT status, arg_min(id, amount), arg_max(id, amount), arg_min(id, ordered_at), arg_max(customer_id, ordered_at) FROM conf.orders GROUP BY status;

SELECT arg_max(id, amount, 3), arg_min(id, amount, 2), max(amount, 3), min(amount, 4) FROM conf.orders;

SELECT status, max(amount, 2), min(ordered_at, 2) FROM conf.orders GROUP BY status;

SELECT sku, list(order_id ORDER BY price DESC, order_id, line)[1:3] FROM conf.items GROUP BY sku;

SELECT tier, string_agg(name, '; ' ORDER BY name) FROM conf.customers GROUP BY tier;

SELECT city, list(name ORDER BY credit DESC) FROM conf.customers GROUP BY city;

SELECT region, list(amount ORDER BY year, quarter) FROM conf.sales GROUP BY region;

SELECT list(label ORDER BY id DESC) FROM conf.tree WHERE parent = 1 OR parent IS NULL;

SELECT array_agg(id ORDER BY id) FROM conf.tree WHERE id % 5 = 0;

SELECT list(s ORDER BY s NULLS FIRST, id) FROM conf.all_types;

SELECT list(f64 ORDER BY id) FROM conf.all_types WHERE id < 10;

SELECT list(st ORDER BY id), list(m ORDER BY id) FROM conf.all_types WHERE id < 10;

SELECT first(s ORDER BY id), last(s ORDER BY id), first(s ORDER BY id DESC) FROM conf.all_types;

-- Statistical aggregates.

SELECT stddev_samp(amount), stddev_pop(amount), var_samp(amount), var_pop(amount) FROM conf.orders;

SELECT status, stddev(amount), variance(amount) FROM conf.orders GROUP BY status;

SELECT corr(amount, qty), covar_pop(amount, qty), covar_samp(amount, qty) FROM conf.orders;

SELECT regr_slope(amount, qty), regr_intercept(amount, qty), regr_r2(amount, qty), regr_count(amount, qty) FROM conf.orders;

SELECT regr_avgx(amount, qty), regr_avgy(amount, qty), regr_sxx(amount, qty), regr_syy(amount, qty), regr_sxy(amount, qty) FROM conf.orders;

SELECT customer_id, corr(amount, epoch(ordered_at)) FROM conf.orders GROUP BY customer_id HAVING count(*) > 5;

SELECT skewness(amount), kurtosis(amount), kurtosis_pop(amount) FROM conf.orders;

SELECT status, skewness(qty), kurtosis(qty) FROM conf.orders GROUP BY status;

SELECT entropy(status), entropy(qty), entropy(customer_id) FROM conf.orders;

SELECT mad(amount), mad(qty) FROM conf.orders;

SELECT avg(amount), favg(amount), sum(amount), fsum(amount), sumkahan(amount) FROM conf.orders;

SELECT product(qty) FROM conf.orders WHERE id < 40;

SELECT geomean(amount), geometric_mean(qty) FROM conf.orders WHERE amount > 0;

SELECT bit_and(qty), bit_or(qty), bit_xor(qty), bit_xor(id) FROM conf.orders;

SELECT status, bit_or(qty), bit_and(id) FROM conf.orders GROUP BY status;

SELECT bool_and(amount > 0), bool_or(amount > 999), bool_and(qty < 10), bool_or(note IS NULL) FROM conf.orders;

SELECT count_if(qty > 5), count_if(note = ''), count_if(NULL) FROM conf.orders;

SELECT approx_count_distinct(customer_id), approx_count_distinct(status) FROM conf.orders;

SELECT stddev_samp(price), var_pop(price), corr(price, line), skewness(price) FROM conf.items;

SELECT sku, stddev_pop(price), regr_slope(price, line) FROM conf.items GROUP BY sku;

SELECT corr(amount, units), regr_slope(amount, units), covar_pop(amount, year) FROM conf.sales;

SELECT region, stddev(amount), var_samp(units), corr(amount, units) FROM conf.sales GROUP BY region;

SELECT stddev_samp(credit), var_pop(credit) FROM conf.customers;

SELECT stddev_pop(i32), var_samp(i64), stddev_samp(d9), avg(d18), avg(i128) FILTER (WHERE id > 100) FROM conf.all_types;

SELECT sum(i8), sum(i16), sum(i32), sum(i64), sum(u8), sum(u16), sum(u32), sum(u64) FROM conf.all_types;

SELECT sum(d4), sum(d9), sum(d18), sum(d38), avg(d4), avg(d9) FROM conf.all_types;

SELECT avg(i8), avg(i16), avg(i32), avg(i64), avg(u32), avg(u64) FROM conf.all_types;

SELECT sum(f32), avg(f32), sum(f64), avg(f64) FROM conf.all_types WHERE id BETWEEN 100 AND 199;

SELECT sum(f64), min(f64), max(f64) FROM conf.all_types;

SELECT stddev_samp(x), var_pop(x), skewness(x), kurtosis(x) FROM range(1, 101) t(x);

SELECT stddev_samp(a), var_samp(a), corr(a, a) FROM conf.empty;

SELECT stddev_samp(x), var_samp(x), corr(x, x) FROM (VALUES (1.0)) t(x);

-- Quantiles, median and mode.

SELECT median(amount), quantile_cont(amount, 0.25), quantile_cont(amount, 0.75), quantile_disc(amount, 0.9) FROM conf.orders;

SELECT quantile_cont(amount, [0.1, 0.5, 0.9]), quantile_disc(qty, [0.0, 0.5, 1.0]) FROM conf.orders;

SELECT status, median(amount), quantile_disc(ordered_at, 0.5) FROM conf.orders GROUP BY status;

SELECT customer_id, median(qty), quantile_cont(qty, 0.3) FROM conf.orders GROUP BY customer_id;

SELECT median(ordered_at), quantile_cont(ordered_at, 0.1), quantile_disc(note, 0.5) FROM conf.orders;

SELECT mode(qty), mode(status) FROM conf.orders;

SELECT mode(tier) FROM conf.customers;

SELECT mode(sku) FROM conf.items;

SELECT mode(x) FROM (VALUES (1), (2), (2), (3), (3), (3), (NULL), (NULL), (NULL), (NULL)) t(x);

SELECT k, mode(v) FROM (VALUES (1, 'a'), (1, 'a'), (1, 'b'), (2, 'c'), (2, 'd'), (2, 'd')) t(k, v) GROUP BY k;

SELECT median(price), quantile_cont(price, [0.05, 0.95]), mad(price) FROM conf.items;

SELECT line, median(price), quantile_disc(price, 0.5) FROM conf.items GROUP BY line ORDER BY line;

SELECT region, median(amount), quantile_cont(units, 0.5) FROM conf.sales GROUP BY region;

SELECT median(credit), quantile_cont(credit, 0.5), quantile_disc(signup, 0.5) FROM conf.customers;

SELECT tier, median(signup), quantile_disc(name, 0.5) FROM conf.customers GROUP BY tier;

SELECT median(x), quantile_cont(x, 0.333), quantile_disc(x, 0.333) FROM range(1, 1000) t(x);

SELECT median(a), quantile_disc(b, 0.5) FROM conf.empty;

SELECT median(small), quantile_cont(small, 0.9) FROM conf.evolving;

SELECT median(f64), median(f32), quantile_cont(i128, 0.5), quantile_cont(d38, 0.5) FROM conf.all_types;

SELECT median(dt), median(ts), median(tm), median(iv) FROM conf.all_types;

-- Aggregates of expressions and nested aggregates.

SELECT sum(amount * qty), avg(amount * qty), max(amount * qty) - min(amount * qty) FROM conf.orders;

SELECT sum(CASE WHEN status = 'paid' THEN amount ELSE 0 END) / sum(amount) FROM conf.orders;

SELECT status, round(100.0 * count(*) / sum(count(*)) OVER (), 4) FROM conf.orders GROUP BY status;

SELECT max(n), min(n), avg(n) FROM (SELECT customer_id, count(*) AS n FROM conf.orders GROUP BY customer_id);

SELECT count(*) FROM (SELECT status, qty FROM conf.orders GROUP BY status, qty);

SELECT list_sort(list(DISTINCT qty)), list_sort(list(DISTINCT status)) FROM conf.orders;

SELECT histogram(status), histogram(qty) FROM conf.orders;

SELECT histogram(tier), histogram(city) FROM conf.customers;

SELECT {'n': count(*), 'total': sum(amount)} FROM conf.orders;

SELECT status, [count(*), sum(qty)] FROM conf.orders GROUP BY status;

SELECT sum(len(tags)), list(tags ORDER BY order_id, line)[1:5] FROM conf.items;

SELECT count(*), count(customer_id), count(note), count(DISTINCT note), count(*) - count(note) FROM conf.orders;

-- Mistakes both sides refuse.

SELECT status, qty, count(*) FROM conf.orders GROUP BY status;

SELECT status FROM conf.orders GROUP BY status HAVING amount > 5;

SELECT sum(status) FROM conf.orders;
