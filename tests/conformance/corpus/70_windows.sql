-- Window functions: ranking, lag / lead, first / last / nth_value, ROWS / RANGE / GROUPS frames,
-- EXCLUDE, QUALIFY and named windows. A window's ORDER BY either makes each row's place unique
-- (orders.id, amount and ordered_at are unique) or the function is blind to ties (rank, RANGE
-- and GROUPS aggregates, which take all peers).

-- Every type: rank and dense_rank by the value, lag and a ROWS frame ordered by id, and frame
-- aggregates in a named window.

-- @each c in conf.all_types
SELECT id, {c}, rank() OVER (ORDER BY {c}) AS r, dense_rank() OVER (ORDER BY {c} DESC NULLS LAST) AS dr,
       lag({c}) OVER (ORDER BY id) AS prev, first_value({c}) OVER (ORDER BY id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS fv
FROM conf.all_types;

-- @each c in conf.all_types
SELECT id, count({c}) OVER w, min({c}) OVER w, max({c}) OVER w, last_value({c} IGNORE NULLS) OVER w
FROM conf.all_types WINDOW w AS (PARTITION BY id // 100 ORDER BY id ROWS BETWEEN 3 PRECEDING AND 1 FOLLOWING);

-- Ranking.

SELECT id, status, amount, row_number() OVER (PARTITION BY status ORDER BY amount DESC) AS rn FROM conf.orders;

SELECT id, row_number() OVER (ORDER BY ordered_at) FROM conf.orders ORDER BY id;

SELECT id, qty, rank() OVER (ORDER BY qty), dense_rank() OVER (ORDER BY qty), percent_rank() OVER (ORDER BY qty), cume_dist() OVER (ORDER BY qty)
FROM conf.orders;

SELECT id, status, qty, rank() OVER (PARTITION BY status ORDER BY qty DESC), dense_rank() OVER (PARTITION BY status ORDER BY qty DESC)
FROM conf.orders;

SELECT id, customer_id, rank() OVER (ORDER BY customer_id NULLS FIRST), rank() OVER (ORDER BY customer_id DESC NULLS LAST) FROM conf.orders;

SELECT id, ntile(4) OVER (ORDER BY amount), ntile(7) OVER (PARTITION BY status ORDER BY ordered_at) FROM conf.orders;

SELECT id, ntile(1000) OVER (ORDER BY id) FROM conf.orders WHERE id < 20;

SELECT id, row_number() OVER (), count(*) OVER () FROM conf.orders WHERE false;

SELECT count(*) OVER () AS n, rank() OVER (ORDER BY status) FROM conf.orders;

SELECT id, row_number() OVER (PARTITION BY customer_id ORDER BY ordered_at) AS nth FROM conf.orders ORDER BY customer_id NULLS FIRST, nth;

SELECT id, percent_rank() OVER (PARTITION BY customer_id ORDER BY amount), cume_dist() OVER (PARTITION BY customer_id ORDER BY amount) FROM conf.orders;

SELECT name, city, credit, rank() OVER (PARTITION BY city ORDER BY credit DESC) FROM conf.customers;

SELECT name, tier, row_number() OVER (PARTITION BY tier ORDER BY signup) FROM conf.customers;

SELECT name, ntile(3) OVER (ORDER BY credit), percent_rank() OVER (ORDER BY tier) FROM conf.customers;

SELECT sku, order_id, line, price, rank() OVER (PARTITION BY sku ORDER BY price DESC) FROM conf.items;

SELECT sku, order_id, line, dense_rank() OVER (ORDER BY sku), row_number() OVER (PARTITION BY sku ORDER BY order_id, line) FROM conf.items;

SELECT region, quarter, year, amount, rank() OVER (PARTITION BY year ORDER BY amount DESC) FROM conf.sales;

SELECT region, quarter, year, units, dense_rank() OVER (PARTITION BY region ORDER BY units), cume_dist() OVER (ORDER BY units) FROM conf.sales;

SELECT id, parent, row_number() OVER (PARTITION BY parent ORDER BY id DESC) FROM conf.tree;

SELECT id, small, rank() OVER (ORDER BY small DESC) FROM conf.evolving;

SELECT id, new_name, small, sum(small) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING), lag(new_name) OVER (ORDER BY small) FROM conf.evolving;

SELECT id, small FROM conf.evolving QUALIFY row_number() OVER (PARTITION BY small > 100 ORDER BY small DESC) <= 2;

SELECT a, rank() OVER (ORDER BY a) FROM conf.empty;

SELECT x, row_number() OVER (ORDER BY x DESC), ntile(3) OVER (ORDER BY x) FROM range(10) t(x);

-- lag and lead.

SELECT id, amount, lag(amount) OVER (ORDER BY id), lead(amount) OVER (ORDER BY id) FROM conf.orders;

SELECT id, lag(amount, 2) OVER (ORDER BY id), lead(amount, 3, 0) OVER (ORDER BY id) FROM conf.orders;

SELECT id, lag(id, 1, -1) OVER (PARTITION BY customer_id ORDER BY ordered_at), lead(id) OVER (PARTITION BY customer_id ORDER BY ordered_at) FROM conf.orders;

SELECT id, ordered_at - lag(ordered_at) OVER (PARTITION BY customer_id ORDER BY ordered_at) AS gap FROM conf.orders;

SELECT id, amount - lag(amount) OVER (PARTITION BY status ORDER BY ordered_at) FROM conf.orders ORDER BY id;

SELECT id, lag(note) OVER (ORDER BY id), lag(note IGNORE NULLS) OVER (ORDER BY id), lead(note IGNORE NULLS) OVER (ORDER BY id) FROM conf.orders;

SELECT id, lag(customer_id, 2 IGNORE NULLS) OVER (ORDER BY id) FROM conf.orders WHERE id < 120;

SELECT id, lag(status, 0) OVER (ORDER BY id), lead(status, 10) OVER (ORDER BY id) FROM conf.orders;

SELECT id, lead(qty, -1) OVER (ORDER BY id), lag(qty, -1) OVER (ORDER BY id) FROM conf.orders WHERE id < 50;

SELECT name, lag(name) OVER (PARTITION BY tier ORDER BY credit), lead(credit) OVER (PARTITION BY tier ORDER BY credit) FROM conf.customers;

SELECT region, year, quarter, amount, amount - lag(amount) OVER (PARTITION BY region, quarter ORDER BY year) AS yoy FROM conf.sales;

SELECT region, year, quarter, lead(units, 1, -1) OVER (PARTITION BY region ORDER BY year, quarter) FROM conf.sales;

SELECT sku, valid_from, price, lead(valid_from) OVER (PARTITION BY sku ORDER BY valid_from) AS valid_to FROM conf.prices;

SELECT id, lag(label) OVER (PARTITION BY parent ORDER BY id) FROM conf.tree;

SELECT id, lag(li) OVER (ORDER BY id), lead(st) OVER (ORDER BY id), lag(m, 2) OVER (ORDER BY id) FROM conf.all_types;

-- first_value, last_value, nth_value.

SELECT id, first_value(id) OVER (PARTITION BY status ORDER BY amount), last_value(id) OVER (PARTITION BY status ORDER BY amount) FROM conf.orders;

SELECT id, last_value(id) OVER (PARTITION BY status ORDER BY amount ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) FROM conf.orders;

SELECT id, nth_value(id, 2) OVER (PARTITION BY status ORDER BY ordered_at ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) FROM conf.orders;

SELECT id, nth_value(amount, 3) OVER (ORDER BY id), nth_value(amount, 1) OVER (ORDER BY id ROWS 2 PRECEDING) FROM conf.orders;

SELECT id, first_value(note IGNORE NULLS) OVER (ORDER BY id ROWS BETWEEN 1 FOLLOWING AND 5 FOLLOWING) FROM conf.orders;

SELECT id, last_value(customer_id IGNORE NULLS) OVER (ORDER BY id) FROM conf.orders;

SELECT id, first_value(customer_id) OVER (PARTITION BY customer_id ORDER BY id), last_value(customer_id) OVER (ORDER BY customer_id RANGE BETWEEN CURRENT ROW AND CURRENT ROW) FROM conf.orders;

SELECT id, qty, first_value(qty) OVER (ORDER BY qty), last_value(qty) OVER (ORDER BY qty RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM conf.orders;

SELECT name, first_value(name) OVER (PARTITION BY city ORDER BY credit DESC), nth_value(name, 2) OVER (PARTITION BY city ORDER BY credit DESC) FROM conf.customers;

SELECT region, year, quarter, first_value(amount) OVER w, last_value(amount) OVER w FROM conf.sales
WINDOW w AS (PARTITION BY region ORDER BY year, quarter ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING);

SELECT id, first_value(label) OVER (ORDER BY id DESC), nth_value(label, 5) OVER (ORDER BY id GROUPS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) FROM conf.tree;

-- ROWS frames.

SELECT id, sum(amount) OVER (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running FROM conf.orders;

SELECT id, sum(amount) OVER (ORDER BY ordered_at ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING), avg(amount) OVER (ORDER BY ordered_at ROWS 6 PRECEDING) FROM conf.orders;

SELECT id, count(*) OVER (ORDER BY id ROWS BETWEEN 5 PRECEDING AND 1 PRECEDING), sum(qty) OVER (ORDER BY id ROWS BETWEEN 1 FOLLOWING AND 3 FOLLOWING) FROM conf.orders;

SELECT id, min(amount) OVER (PARTITION BY customer_id ORDER BY ordered_at ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
       max(amount) OVER (PARTITION BY customer_id ORDER BY ordered_at ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) FROM conf.orders;

SELECT id, sum(qty) OVER (PARTITION BY status ORDER BY amount ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) FROM conf.orders;

SELECT id, list(id) OVER (ORDER BY id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) FROM conf.orders WHERE id < 40;

SELECT id, string_agg(status, ',') OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM conf.orders WHERE id < 40;

SELECT id, median(amount) OVER (ORDER BY id ROWS BETWEEN 3 PRECEDING AND 3 FOLLOWING), quantile_cont(amount, 0.25) OVER (ORDER BY id ROWS 4 PRECEDING) FROM conf.orders;

SELECT id, mode(status) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM conf.orders WHERE id < 0;

SELECT id, stddev_samp(amount) OVER (ORDER BY id ROWS BETWEEN 9 PRECEDING AND CURRENT ROW), var_pop(qty) OVER (ORDER BY id ROWS 4 PRECEDING) FROM conf.orders;

SELECT id, bool_and(qty > 2) OVER (ORDER BY id ROWS 3 PRECEDING), bit_or(qty) OVER (ORDER BY id ROWS 3 PRECEDING) FROM conf.orders;

SELECT id, count(note) OVER (ORDER BY id ROWS BETWEEN 10 PRECEDING AND 10 FOLLOWING), count(*) FILTER (WHERE note = '') OVER (ORDER BY id ROWS BETWEEN 10 PRECEDING AND 10 FOLLOWING)
FROM conf.orders;

SELECT id, sum(amount) OVER (ORDER BY id ROWS BETWEEN 5 FOLLOWING AND 2 FOLLOWING) FROM conf.orders WHERE id < 30;

SELECT id, sum(amount) OVER (ORDER BY id ROWS BETWEEN CURRENT ROW AND CURRENT ROW) FROM conf.orders WHERE id < 30;

SELECT sku, order_id, line, sum(price) OVER (PARTITION BY sku ORDER BY order_id, line ROWS UNBOUNDED PRECEDING) FROM conf.items;

SELECT region, year, quarter, avg(amount) OVER (PARTITION BY region ORDER BY year, quarter ROWS BETWEEN 3 PRECEDING AND CURRENT ROW) FROM conf.sales;

SELECT id, sum(id) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM conf.tree;

SELECT id, sum(small) OVER (ORDER BY id ROWS 2 PRECEDING) FROM conf.evolving;

SELECT x, sum(x) OVER (ORDER BY x ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING) FROM range(20) t(x);

-- RANGE frames, on numbers, dates, timestamps and intervals.

SELECT id, qty, sum(amount) OVER (ORDER BY qty) AS cumulative FROM conf.orders;

SELECT id, qty, count(*) OVER (ORDER BY qty RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM conf.orders;

SELECT id, qty, sum(amount) OVER (PARTITION BY status ORDER BY qty RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) FROM conf.orders;

SELECT id, amount, count(*) OVER (ORDER BY amount RANGE BETWEEN 50 PRECEDING AND 50 FOLLOWING) FROM conf.orders;

SELECT id, ordered_at, count(*) OVER (ORDER BY ordered_at RANGE BETWEEN INTERVAL 1 DAY PRECEDING AND CURRENT ROW) FROM conf.orders;

SELECT id, ordered_at, sum(amount) OVER (PARTITION BY customer_id ORDER BY ordered_at RANGE BETWEEN INTERVAL 30 DAY PRECEDING AND INTERVAL 1 SECOND PRECEDING)
FROM conf.orders;

SELECT id, ordered_at, max(amount) OVER (ORDER BY ordered_at RANGE BETWEEN INTERVAL 12 HOUR PRECEDING AND INTERVAL 12 HOUR FOLLOWING) FROM conf.orders;

SELECT name, signup, count(*) OVER (ORDER BY signup RANGE BETWEEN INTERVAL 100 DAY PRECEDING AND CURRENT ROW) FROM conf.customers;

SELECT name, credit, avg(credit) OVER (ORDER BY credit RANGE BETWEEN 100 PRECEDING AND 100 FOLLOWING) FROM conf.customers;

SELECT name, tier, count(*) OVER (ORDER BY tier) FROM conf.customers;

SELECT sku, price, count(*) OVER (PARTITION BY sku ORDER BY price RANGE BETWEEN 10 PRECEDING AND 10 FOLLOWING) FROM conf.items;

SELECT sku, valid_from, avg(price) OVER (PARTITION BY sku ORDER BY valid_from RANGE BETWEEN INTERVAL 20 DAY PRECEDING AND CURRENT ROW) FROM conf.prices;

SELECT region, year, sum(amount) OVER (PARTITION BY region ORDER BY year RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) FROM conf.sales;

SELECT id, parent, sum(id) OVER (ORDER BY parent RANGE BETWEEN 2 PRECEDING AND 2 FOLLOWING) FROM conf.tree;

SELECT id, i32, count(*) OVER (ORDER BY i32 RANGE BETWEEN 1000 PRECEDING AND 1000 FOLLOWING) FROM conf.all_types WHERE id BETWEEN 100 AND 199;

SELECT id, dt, count(*) OVER (ORDER BY dt RANGE BETWEEN INTERVAL 7 DAY PRECEDING AND CURRENT ROW) FROM conf.all_types WHERE id BETWEEN 100 AND 199;

SELECT id, d9, sum(d9) OVER (ORDER BY d9 RANGE BETWEEN 5 PRECEDING AND 5 FOLLOWING) FROM conf.all_types WHERE id BETWEEN 100 AND 199;

SELECT id, f64, count(*) OVER (ORDER BY f64 RANGE BETWEEN 1.5 PRECEDING AND 0.5 FOLLOWING) FROM conf.all_types WHERE id BETWEEN 100 AND 199;

SELECT x, sum(x) OVER (ORDER BY x RANGE BETWEEN 3 PRECEDING AND 1 FOLLOWING) FROM range(20) t(x);

-- GROUPS frames and EXCLUDE.

SELECT id, qty, sum(amount) OVER (ORDER BY qty GROUPS BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM conf.orders;

SELECT id, qty, count(*) OVER (ORDER BY qty GROUPS BETWEEN CURRENT ROW AND 2 FOLLOWING) FROM conf.orders;

SELECT id, status, count(*) OVER (ORDER BY status GROUPS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) FROM conf.orders;

SELECT id, tier, count(*) OVER (ORDER BY tier GROUPS 1 PRECEDING) FROM conf.customers;

SELECT id, qty, sum(qty) OVER (ORDER BY qty RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE CURRENT ROW) FROM conf.orders;

SELECT id, qty, count(*) OVER (ORDER BY qty RANGE BETWEEN CURRENT ROW AND CURRENT ROW EXCLUDE CURRENT ROW) FROM conf.orders;

SELECT id, qty, count(*) OVER (ORDER BY qty GROUPS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE GROUP) FROM conf.orders;

SELECT id, qty, sum(amount) OVER (ORDER BY qty GROUPS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE TIES) - amount FROM conf.orders;

SELECT id, qty, count(*) OVER (ORDER BY qty RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE NO OTHERS) FROM conf.orders;

SELECT id, sum(amount) OVER (ORDER BY id ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING EXCLUDE CURRENT ROW) FROM conf.orders;

SELECT id, list(id) OVER (ORDER BY id ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING EXCLUDE CURRENT ROW) FROM conf.orders WHERE id < 30;

SELECT id, status, count(*) OVER (PARTITION BY customer_id ORDER BY status GROUPS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE GROUP) FROM conf.orders;

SELECT id, parent, count(*) OVER (ORDER BY parent RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE TIES) FROM conf.tree;

SELECT region, year, sum(amount) OVER (PARTITION BY region ORDER BY year GROUPS BETWEEN 1 PRECEDING AND CURRENT ROW EXCLUDE GROUP) FROM conf.sales;

SELECT x, sum(x) OVER (ORDER BY x // 3 GROUPS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE CURRENT ROW) FROM range(15) t(x);

-- Whole-partition and unordered windows.

SELECT id, status, count(*) OVER (PARTITION BY status), sum(amount) OVER (PARTITION BY status) FROM conf.orders;

SELECT id, amount / sum(amount) OVER () AS share FROM conf.orders;

SELECT id, amount, amount - avg(amount) OVER (PARTITION BY customer_id) FROM conf.orders;

SELECT id, max(ordered_at) OVER (PARTITION BY customer_id) = ordered_at AS latest FROM conf.orders;

SELECT id, count(DISTINCT status) OVER (PARTITION BY customer_id) FROM conf.orders;

SELECT id, list(id ORDER BY id) OVER (PARTITION BY customer_id) FROM conf.orders WHERE customer_id < 4;

SELECT id, string_agg(status, '/' ORDER BY id) OVER (PARTITION BY customer_id) FROM conf.orders WHERE customer_id < 4;

SELECT name, credit, credit / max(credit) OVER (PARTITION BY tier) FROM conf.customers;

SELECT region, quarter, year, amount, sum(amount) OVER (PARTITION BY year), sum(amount) OVER (PARTITION BY region, year) FROM conf.sales;

SELECT id, median(amount) OVER (PARTITION BY status), quantile_disc(qty, 0.5) OVER (PARTITION BY status) FROM conf.orders;

SELECT id, count(*) OVER (PARTITION BY parent), min(id) OVER (PARTITION BY parent) FROM conf.tree;

-- Windows with FILTER and DISTINCT, over joins and aggregates.

SELECT id, count(*) FILTER (WHERE status = 'paid') OVER (ORDER BY id ROWS BETWEEN 10 PRECEDING AND CURRENT ROW) FROM conf.orders;

SELECT id, sum(amount) FILTER (WHERE qty > 5) OVER (PARTITION BY customer_id) FROM conf.orders;

SELECT id, count(DISTINCT qty) OVER (ORDER BY id ROWS BETWEEN 5 PRECEDING AND CURRENT ROW) FROM conf.orders;

SELECT status, count(*) AS n, rank() OVER (ORDER BY count(*) DESC) FROM conf.orders GROUP BY status;

SELECT status, sum(amount) AS total, sum(sum(amount)) OVER () AS grand, sum(amount) / sum(sum(amount)) OVER () AS share FROM conf.orders GROUP BY status;

SELECT customer_id, count(*) AS n, dense_rank() OVER (ORDER BY count(*) DESC) FROM conf.orders GROUP BY customer_id;

SELECT date_trunc('month', ordered_at) AS month, sum(amount) AS total,
       sum(sum(amount)) OVER (ORDER BY date_trunc('month', ordered_at)) AS running FROM conf.orders GROUP BY month ORDER BY month;

SELECT c.tier, o.id, rank() OVER (PARTITION BY c.tier ORDER BY o.amount DESC) FROM conf.orders o JOIN conf.customers c ON c.id = o.customer_id;

SELECT c.name, o.id, row_number() OVER (PARTITION BY c.id ORDER BY o.ordered_at DESC) FROM conf.customers c JOIN conf.orders o ON o.customer_id = c.id;

SELECT i.sku, o.id, i.line, sum(i.price) OVER (PARTITION BY o.status ORDER BY o.id, i.line) FROM conf.orders o JOIN conf.items i ON i.order_id = o.id;

SELECT id, rank() OVER (ORDER BY id) + dense_rank() OVER (ORDER BY qty) * 1000 FROM conf.orders;

SELECT id, CASE WHEN row_number() OVER (PARTITION BY status ORDER BY amount) <= 3 THEN 'cheap' ELSE 'other' END FROM conf.orders;

SELECT * FROM (SELECT id, status, row_number() OVER (PARTITION BY status ORDER BY amount DESC) AS rn FROM conf.orders) WHERE rn <= 2;

SELECT status, max(rn) FROM (SELECT status, row_number() OVER (PARTITION BY status ORDER BY id) AS rn FROM conf.orders) GROUP BY status;

-- QUALIFY.

SELECT id, status, amount FROM conf.orders QUALIFY row_number() OVER (PARTITION BY status ORDER BY amount DESC) <= 3;

SELECT id, status, amount FROM conf.orders QUALIFY row_number() OVER (PARTITION BY status ORDER BY amount DESC) = 1 ORDER BY status;

SELECT id, customer_id FROM conf.orders QUALIFY rank() OVER (PARTITION BY customer_id ORDER BY ordered_at DESC) = 1;

SELECT id, qty FROM conf.orders QUALIFY dense_rank() OVER (ORDER BY qty DESC) <= 2 ORDER BY id;

SELECT id, amount FROM conf.orders QUALIFY amount > avg(amount) OVER (PARTITION BY status) * 1.8;

SELECT id, ordered_at FROM conf.orders QUALIFY lag(ordered_at) OVER (PARTITION BY customer_id ORDER BY ordered_at) > ordered_at - INTERVAL 3 DAY;

SELECT id, count(*) OVER (PARTITION BY customer_id) AS n FROM conf.orders QUALIFY n = 1;

SELECT customer_id, count(*) AS n FROM conf.orders GROUP BY customer_id QUALIFY rank() OVER (ORDER BY count(*) DESC) <= 3;

SELECT name, city FROM conf.customers QUALIFY row_number() OVER (PARTITION BY city ORDER BY credit) = 1;

SELECT name, tier FROM conf.customers WHERE city IS NOT NULL QUALIFY ntile(2) OVER (PARTITION BY tier ORDER BY signup) = 2;

SELECT sku, order_id, line FROM conf.items QUALIFY row_number() OVER (PARTITION BY sku ORDER BY price DESC, order_id, line) <= 2;

SELECT region, year, quarter FROM conf.sales QUALIFY amount = max(amount) OVER (PARTITION BY year);

SELECT id FROM conf.tree QUALIFY count(*) OVER (PARTITION BY parent) = 2 AND row_number() OVER (PARTITION BY parent ORDER BY id) = 2;

SELECT a FROM conf.empty QUALIFY row_number() OVER () = 1;

SELECT x FROM range(30) t(x) QUALIFY x % 7 = 0 AND lead(x) OVER (ORDER BY x) IS NOT NULL;

-- Named windows.

SELECT id, sum(amount) OVER w, count(*) OVER w, rank() OVER w FROM conf.orders WINDOW w AS (PARTITION BY status ORDER BY ordered_at);

SELECT id, sum(amount) OVER w2 FROM conf.orders WINDOW w1 AS (PARTITION BY customer_id), w2 AS (w1 ORDER BY id ROWS 1 PRECEDING);

SELECT id, first_value(id) OVER w, last_value(id) OVER w, nth_value(id, 2) OVER w FROM conf.orders
WINDOW w AS (ORDER BY amount ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING);

SELECT id, lag(id) OVER w, lead(id) OVER w, row_number() OVER w FROM conf.orders WINDOW w AS (PARTITION BY qty ORDER BY id);

SELECT id, avg(amount) OVER (w ROWS BETWEEN 3 PRECEDING AND CURRENT ROW), max(amount) OVER (w RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
FROM conf.orders WINDOW w AS (PARTITION BY status ORDER BY id);

SELECT name, rank() OVER by_credit, percent_rank() OVER by_credit FROM conf.customers WINDOW by_credit AS (PARTITION BY tier ORDER BY credit);

SELECT region, year, quarter, sum(amount) OVER w, avg(units) OVER w FROM conf.sales WINDOW w AS (PARTITION BY region ORDER BY year, quarter);

SELECT id, count(*) OVER w FROM conf.tree WINDOW w AS (ORDER BY parent GROUPS BETWEEN 1 PRECEDING AND CURRENT ROW) QUALIFY count(*) OVER w > 3;

-- Mistakes both sides refuse.

SELECT id, sum(amount) OVER (ORDER BY id ROWS BETWEEN UNBOUNDED FOLLOWING AND CURRENT ROW) FROM conf.orders;

SELECT id FROM conf.orders WHERE row_number() OVER (ORDER BY id) = 1;

SELECT id, sum(amount) OVER nosuch FROM conf.orders;
