-- Lists, structs, maps and JSON: construction, access, slicing, lambdas, sorting, aggregation in
-- order, unnest, and JSON extraction.

-- Every type inside lists, structs, maps and JSON, aggregated into lists in order, and unnested.

-- @each c in conf.all_types
SELECT id, [{c}, {c}] AS pair, {'v': {c}, 'n': id} AS wrapped, MAP {'k': {c}} AS keyed FROM conf.all_types;

-- @each c in conf.all_types
SELECT id, to_json({c}), json_object('v', {c}), json_array({c}, NULL) FROM conf.all_types;

-- @each c in conf.all_types
SELECT list({c} ORDER BY id), list({c} ORDER BY id DESC) FILTER (WHERE id < 10), count(*) FROM conf.all_types;

-- @each c in conf.all_types
SELECT id, unnest([{c}, NULL, {c}]) AS x FROM conf.all_types;

-- @each c in conf.all_types
SELECT id, list_contains([{c}], {c}), list_position([NULL, {c}], {c}), len([{c}, {c}]), [{c}][1] IS NOT DISTINCT FROM {c} FROM conf.all_types;

-- List access and slicing: 1-based, negative indexes, out of range, steps.

SELECT id, li, li[1], li[-1], li[0], li[5], li[2:3], li[:2], li[2:], li[-2:], li[3:2] FROM conf.all_types;

SELECT id, ls, ls[1], ls[-1], ls[1:1], list_slice(ls, 2, 10), array_slice(ls, -1, -1), list_extract(ls, 2), list_element(ls, 1) FROM conf.all_types;

SELECT [1, 2, 3, 4, 5][2:4], [1, 2, 3, 4, 5][-3:-2], [1, 2, 3, 4, 5][:-2], list_slice([1, 2, 3, 4, 5, 6], 1, 6, 2), list_slice([1, 2, 3, 4, 5, 6], -1, 1, -2);

SELECT [1, 2, 3][10], [1, 2, 3][-10], [][1], [1, 2, 3][NULL], ([1, 2, 3])[1:NULL], [[1, 2], [3]][1][2], [[1, 2], [3]][2:][1];

SELECT [1, 2, 3][0:1], [1, 2, 3][2:100], [1, 2, 3][-100:2], 'abc'[1:2], [1, 2, 3][2::UTINYINT];

-- Lengths and membership.

SELECT id, len(li), length(li), array_length(li), list_count(li), cardinality(m), len(nested), len(ls) FROM conf.all_types;

SELECT id, list_contains(li, 1), list_has(li, NULL), array_contains(ls, 'a'), list_position(li, 2), list_indexof(ls, 'b'), list_has_any(li, [1, 3]), list_has_all(li, [1, 2]) FROM conf.all_types;

SELECT list_contains([1, NULL], NULL), list_position([NULL, 1], NULL), list_has_any([], [1]), list_has_all([1], []), list_contains(NULL::INTEGER[], 1), [1, 2] && [2, 3], [1, 2, 3] @> [1, 3], [1] <@ [1, 2];

SELECT id, 2 IN (SELECT unnest(li)), list_contains(li, i32) FROM conf.all_types;

-- Sorting, reversing, distinct, dedup; NULLs first or last.

SELECT id, list_sort(li), list_sort(li, 'DESC'), list_sort(li, 'ASC', 'NULLS FIRST'), list_reverse_sort(li), array_sort(ls), list_reverse(li) FROM conf.all_types;

SELECT list_sort([3, NULL, 1, 2]), list_sort([3, NULL, 1, 2], 'DESC', 'NULLS LAST'), list_sort(['b', 'B', 'a', 'ä']), list_sort([[2], [1, 2], [1], []]), list_sort([{'a': 2}, {'a': 1}]);

SELECT list_sort(['nan'::DOUBLE, 'inf', -0.0, 0.0, '-inf', 1]), list_sort([DATE 'infinity', DATE '2024-01-01', DATE '-infinity']), list_reverse_sort([1.5, NULL, -1]);

SELECT id, list_sort(list_distinct(li)), list_unique([li[1], li[1], li[2]]), list_distinct([1, 1, NULL, NULL]), list_unique([1, 1, NULL, 2]) FROM conf.all_types;

SELECT list_sort(list_distinct(['a', 'b', 'a', 'c', 'b'])), list_sort(array_distinct([3, 1, 3, 2, 1])), list_sort(list_intersect([1, 2, 3, 4], [4, 2, 5])), list_grade_up([30, 10, 20]), list_grade_up([3, 1, 2], 'DESC');

-- Lambdas: transform, filter, reduce, apply with index, comprehensions.

SELECT id, list_transform(li, x -> x::BIGINT + 1), list_transform(li, x -> x::BIGINT * 2), list_filter(li, x -> x > 0), list_filter(li, x -> x IS NULL) FROM conf.all_types;

SELECT id, list_transform(ls, lambda s: upper(s)), list_filter(ls, lambda s: s <> ''), list_reduce(ls, lambda a, b: a || b) FROM conf.all_types WHERE len(ls) > 0;

SELECT id, list_reduce(li, (a, b) -> a + b), list_reduce(li, (a, b) -> greatest(a, b), -1), list_transform(li, (x, i) -> x * i) FROM conf.all_types WHERE len(li) > 0 AND NOT list_contains(li, 2147483647);

SELECT list_reduce([], (a, b) -> a + b);

SELECT list_reduce([]::INTEGER[], (a, b) -> a + b, 0), list_reduce([1, 2, 3], (a, b) -> a * 10 + b), list_reduce(['a', 'b', 'c'], (a, b, i) -> a || i || b);

SELECT [x * 2 FOR x IN [1, 2, 3]], [x FOR x IN [1, 2, 3, 4] IF x % 2 = 0], [upper(s) FOR s IN ['a', 'b'] IF s <> 'b'], [x + i FOR x, i IN [10, 20, 30]];

SELECT id, [x.k FOR x IN nested], list_transform(nested, n -> len(n.v)), list_filter(nested, n -> n.k IS NOT NULL) FROM conf.all_types;

SELECT id, list_apply(li, x -> coalesce(x, 0)), array_transform(li, x -> x % 2 = 0), array_filter(ls, x -> x LIKE 'x%') FROM conf.all_types WHERE id > 100;

SELECT list_transform([1, 2, 3], x -> list_transform([10, 20], y -> x * y)), list_filter([[1, 2], [], [3]], l -> len(l) > 0), list_transform([1, 2], x -> {'x': x, 'sq': x * x});

SELECT id, list_any_value(li), list_first(li), list_last(li), list_select(li, [3, 1]), list_where(li, [true, false, true]) FROM conf.all_types;

SELECT list_transform([1, 2, 3], x -> x / 0), list_transform([1, 2, 3], x -> x // 0), list_filter([1, NULL, 3], x -> x > 1);

-- Aggregating lists: list functions, list_aggregate and statistics.

SELECT id, list_sum(li), list_min(li), list_max(li), list_avg(li), list_product([li[1], 2]), list_bool_or([li[1] > 0]), list_string_agg(ls) FROM conf.all_types;

SELECT list_sum([1, 2, NULL]), list_avg([]::INTEGER[]), list_median([1, 2, 3, 4]), list_mode([1, 2, 2, 3]), list_stddev_samp([1, 2, 3]), list_entropy([1, 1, 2]), list_count([1, NULL, 3]);

SELECT list_aggregate([1, 2, 3], 'sum'), list_aggregate(['b', 'a'], 'string_agg', '-'), list_aggregate([3, 1, 2], 'list'), list_aggr([1.5, 2.5], 'avg'), array_aggregate([true, false], 'bool_and');

SELECT list_aggregate([1, 2], 'no_such_function');

SELECT list_sum(li) FROM conf.all_types WHERE id = 2;

-- Building lists: concat, append, prepend, flatten, zip, repeat, ranges.

SELECT id, list_concat(li, [0]), li || [9], list_append(li, 7), list_prepend(7, li), array_push_back(ls, 'z'), array_push_front(ls, 'a') FROM conf.all_types;

SELECT flatten([[1, 2], [], [3], NULL]), flatten([]::INTEGER[][]), flatten([[[1], [2]], [[3]]]), flatten([[NULL]]), flatten(NULL::INTEGER[][]);

SELECT id, flatten([li, li]), flatten(list_transform(nested, n -> n.v)) FROM conf.all_types;

SELECT list_zip([1, 2, 3], ['a', 'b']), list_zip([1, 2], ['a', 'b'], true), list_zip([], []), array_zip([1], [2], [3]);

SELECT list_value(1, 2, NULL), list_pack('a'), list_resize([1, 2], 4), list_resize([1, 2, 3], 1), list_resize([1], 3, 0), array_resize(['y'], 2, 'x');

SELECT range(5), range(2, 10, 3), range(5, 0, -2), generate_series(1, 3), generate_series(3, 1, -1), range(DATE '2024-01-30', DATE '2024-04-01', INTERVAL 1 MONTH);

SELECT repeat([1, 2], 3), list_concat([1], NULL), list_concat(NULL, NULL::INTEGER[]), [1, 2] || NULL, array_to_string([1, NULL, 3], '-'), array_to_string([], ',');

SELECT list_cosine_similarity([1.0, 2.0], [2.0, 4.0]), list_distance([0.0, 0.0], [3.0, 4.0]), list_inner_product([1, 2, 3], [4, 5, 6]), list_negative_inner_product([1.0], [2.0]), list_dot_product([1.0, 0.0], [0.0, 1.0]);

SELECT [1, 2, 3]::INTEGER[3] AS a, array_value(1, 2), array_cosine_similarity([1.0, 2.0]::DOUBLE[2], [2.0, 1.0]::DOUBLE[2]), array_inner_product([1, 2]::FLOAT[2], [3, 4]::FLOAT[2]), array_length([1, 2, 3]::INTEGER[3]);

-- Aggregates that build lists, in order.

SELECT list(name ORDER BY name) FROM conf.customers;

SELECT city, list(id ORDER BY id), list(DISTINCT tier ORDER BY tier), array_agg(signup ORDER BY signup DESC, id) FROM conf.customers GROUP BY city;

SELECT status, list(amount ORDER BY amount DESC, id)[1:3], list(qty ORDER BY id) FILTER (WHERE qty > 7) FROM conf.orders GROUP BY status;

SELECT order_id, list(sku ORDER BY line), list(tags ORDER BY line), flatten(list(tags ORDER BY line)) FROM conf.items WHERE order_id < 30 GROUP BY order_id;

SELECT list(i ORDER BY i DESC) FROM range(0, 10) t(i);

SELECT list(x ORDER BY x NULLS FIRST), list(x ORDER BY x DESC NULLS LAST) FROM (VALUES (2), (NULL), (1)) t(x);

SELECT list(a ORDER BY a) FROM conf.empty;

SELECT parent, list(id ORDER BY id), list(label ORDER BY id) FROM conf.tree GROUP BY parent;

SELECT region, list({'q': quarter, 'y': year, 'amt': amount} ORDER BY year, quarter) FROM conf.sales GROUP BY region;

SELECT histogram(status), histogram(qty) FROM conf.orders;

SELECT min(li), max(li), min(ls), max(ls), min(st), max(st), min(nested), max(nested) FROM conf.all_types;

SELECT li, count(*) FROM conf.all_types GROUP BY li;

SELECT st, count(*) FROM conf.all_types GROUP BY st;

SELECT m, count(*) FROM conf.all_types GROUP BY m;

SELECT DISTINCT tags FROM conf.items;

-- unnest: in SELECT, in FROM, recursive, of structs, with NULL and empty lists, with ordinality.

SELECT id, unnest(li) AS x FROM conf.all_types;

SELECT id, unnest(ls) AS s, unnest(li) AS i FROM conf.all_types WHERE id < 10;

SELECT id, unnest(nested, recursive := true) FROM conf.all_types WHERE id < 10;

SELECT id, unnest(nested) AS n FROM conf.all_types;

SELECT id, unnest(st) FROM conf.all_types;

SELECT id, unnest(flatten(list_transform(nested, n -> n.v))) AS v FROM conf.all_types;

SELECT unnest([[1, 2], [3]]) AS l, unnest([[1, 2], [3]], max_depth := 2) AS x;

SELECT unnest([]), unnest(NULL::INTEGER[]), 1 AS one;

SELECT unnest([1, 2, 3]) AS x, unnest(['a', 'b']) AS y;

SELECT * FROM unnest([10, 20, 30]) t(x);

SELECT * FROM unnest([10, 20, 30]) WITH ORDINALITY t(x, n);

SELECT * FROM unnest([{'a': 1, 'b': 'x'}, {'a': 2, 'b': 'y'}]);

SELECT x, count(*) FROM (SELECT unnest(li) AS x FROM conf.all_types) GROUP BY x;

SELECT t.x, o.id FROM unnest([1, 2, 3]) t(x) JOIN conf.orders o ON o.id = t.x * 10;

SELECT o.order_id, t.tag FROM conf.items o, unnest(o.tags) t(tag) WHERE o.order_id < 20;

SELECT tag, count(*) FROM (SELECT unnest(tags) AS tag FROM conf.items) GROUP BY tag;

SELECT a.id, u.x FROM conf.all_types a, LATERAL (SELECT unnest(a.li) AS x) u WHERE a.id < 10;

SELECT id, generate_subscripts(li, 1) AS i, unnest(li) AS v FROM conf.all_types WHERE id < 10;

-- Structs: construction, access, dot and bracket, star expansion, insert, comparisons.

SELECT id, st, st.a, st.b, st['a'], struct_extract(st, 'b'), struct_extract_at(st, 1), st.a IS NULL FROM conf.all_types;

SELECT id, st.* FROM conf.all_types;

SELECT id, struct_insert(st, c := id), struct_pack(x := st.a, y := upper(st.b)), {'outer': st, 'list': li} FROM conf.all_types;

SELECT {'a': 1, 'b': 'x'}, {'a': NULL}, {'nested': {'deep': [1, 2]}}, struct_pack(k := 1), row(1, 'a', NULL), (1, 2);

SELECT {'a': 1}.a, ({'a': {'b': 2}}).a.b, {'a': [1, 2]}.a[2], struct_extract({'x': 1, 'y': 2}, 'y'), {'a': 1, 'b': 2}['b'];

SELECT {'a': 1, 'b': 2} = {'a': 1, 'b': 2}, {'a': 1, 'b': 2} < {'a': 1, 'b': 3}, {'a': NULL} = {'a': NULL}, {'a': NULL} IS NOT DISTINCT FROM {'a': NULL}, row(1, 2) < row(1, 3);

SELECT struct_concat({'a': 1}, {'b': 'x'}), struct_insert({'a': 1}, b := [1]), row(1, 'a');

SELECT id, nested[1], nested[1].k, nested[1].v[1], nested[-1].v, [n.k FOR n IN nested] FROM conf.all_types;

SELECT st.b, count(*), sum(st.a) FROM conf.all_types GROUP BY st.b;

SELECT id, {'id': id, 'name': name, 'city': city} AS c FROM conf.customers WHERE id < 10;

SELECT c FROM (SELECT {'id': id, 'tier': tier} AS c FROM conf.customers) WHERE c.tier = 'gold';

SELECT {'x': 1}.y;

-- Maps: access, keys, values, entries, containment, construction.

SELECT id, m, m['a'], m['k1'], m['ü'], map_extract(m, 'z'), element_at(m, 'x'), map_extract_value(m, 'a') FROM conf.all_types;

SELECT id, map_keys(m), map_values(m), map_entries(m), cardinality(m), map_contains(m, 'a'), map_contains(m, ''), list_contains(map_values(m), 1) FROM conf.all_types;

SELECT MAP {'a': 1, 'b': 2}, MAP {}, MAP {1: 'x', 2: NULL}, map(['k1', 'k2'], [10, 20]), map_from_entries([('a', 1), ('b', 2)]), map_from_entries([{'k': 1, 'v': 'z'}]);

SELECT MAP {'a': 1, 'a': 2};

SELECT map(['a', 'b'], [1]);

SELECT MAP {NULL: 1};

SELECT map_concat(MAP {'a': 1, 'b': 2}, MAP {'b': 3, 'c': 4}), map_concat(MAP {}, MAP {'x': 1}), MAP {'a': 1}['missing'], MAP {[1, 2]: 'list key'}[[1, 2]], MAP {{'s': 1}: 'struct key'};

SELECT id, map_concat(m, MAP {'extra': id::INTEGER}), map_from_entries(map_entries(m)) = m, map_keys(m) = list_transform(map_entries(m), e -> e.key) FROM conf.all_types;

SELECT id, unnest(map_keys(m)) AS k, unnest(map_values(m)) AS v FROM conf.all_types;

SELECT id, map_from_entries(list_filter(map_entries(m), e -> e.value > 0)), map_from_entries(list_filter(map_entries(m), e -> e.key <> 'a')) FROM conf.all_types;

SELECT map_from_entries(list({'key': status, 'value': cnt} ORDER BY status)) FROM (SELECT status, count(*) AS cnt FROM conf.orders GROUP BY status);

SELECT map_entries(MAP {'b': 1, 'a': 2}), map_keys(MAP {'x': [1], 'y': NULL}), map_values(MAP {'x': [1], 'y': NULL}), cardinality(MAP {});

-- JSON: extraction with -> and ->>, paths, types, keys, structure, construction, aggregation.

SELECT id, j, j -> '$.a', j ->> '$.a', j -> 'a', j ->> 'n', j -> 0, j ->> 1, j -> '$[0]', j -> '$.a[2].b' FROM conf.all_types;

SELECT id, json_extract(j, '$.n'), json_extract_string(j, '$.even'), json_extract(j, ['$.n', '$.even']), json_value(j, '$.n'), json_exists(j, '$.a') FROM conf.all_types;

SELECT id, json_type(j), json_array_length(j), json_keys(j), json_valid(j), json_structure(j), json_contains(j, '1') FROM conf.all_types;

SELECT id, (j ->> '$.n')::INTEGER * 2 AS n2, (j -> '$.even')::BOOLEAN AS even FROM conf.all_types WHERE j ->> '$.n' IS NOT NULL;

SELECT '{"a": {"b": [1, 2, {"c": "x"}]}}'::JSON -> '$.a.b[2].c', '{"a": {"b": [1, 2, {"c": "x"}]}}'::JSON ->> '$.a.b[2].c', '{"a": {"b": [1, 2]}}'::JSON -> 'a' -> 'b' -> 1, '[1, 2, 3]'::JSON -> '$[#-1]';

SELECT '{"a": 1}'::JSON -> '$.missing', '{"a": null}'::JSON -> '$.a', '{"a": null}'::JSON ->> '$.a', '[]'::JSON -> 0, '"str"'::JSON ->> '$', '{"a b": 1}'::JSON -> '$."a b"';

SELECT json_extract('{"a": 1, "b": [true, null, 1.5e3]}', '$.b'), json_extract_string('{"a": "x\"y"}', '$.a'), json_extract('{"a": 1}', '$.a')::INTEGER, json_extract('{"a": {"b": 2}}', '/a/b');

SELECT json_extract('{"a": 1}', '$.a..b');

SELECT json_extract('not json', '$.a');

SELECT json_type('{}'), json_type('[]'), json_type('1'), json_type('1.5'), json_type('"s"'), json_type('null'), json_type('true'), json_type('{"a": [1]}', '$.a');

SELECT json_array_length('[1, [2, 3], null]'), json_array_length('{"a": 1}'), json_keys('{"b": 1, "a": 2}'), json_keys('[1]'), json_valid('{"a":'), json_valid(''), json_valid('  [ ] ');

SELECT json_object('a', 1, 'b', [1, 2], 'c', NULL), json_array(1, 'two', 3.0, true, NULL), json_quote('he said "hi"'), to_json([1, NULL]), to_json({'k': MAP {'x': 1}}), to_json('text');

SELECT json_merge_patch('{"a": 1, "b": 2}', '{"b": null, "c": 3}'), json_pretty('{"a":[1,2]}'), json_structure('[{"a": 1}, {"b": "x"}]'), json_contains('{"a": [1, 2]}', '{"a": [2]}');

SELECT json_transform('{"a": 1, "b": "x", "c": [1, 2]}', '{"a": "INTEGER", "c": "DOUBLE[]"}'), from_json('[1, 2, 3]', '["BIGINT"]'), json_transform_strict('{"a": 1}', '{"a": "VARCHAR"}');

SELECT json_transform_strict('{"a": "x"}', '{"a": "INTEGER"}');

SELECT to_json(list(name ORDER BY id)), json_group_structure(j) FROM conf.customers, (SELECT '{"a": 1}'::JSON AS j) WHERE id < 6;

SELECT status, to_json(list(id ORDER BY id) FILTER (WHERE id < 50)) FROM conf.orders GROUP BY status;

SELECT id, json_group_array(name), json_group_object(city, tier) FROM conf.customers GROUP BY id;

SELECT id, to_json(st), to_json(m), to_json(li), to_json(nested), to_json(bl), to_json(iv) FROM conf.all_types;

SELECT id, to_json(f64), to_json(f32), to_json(d38), to_json(i128), to_json(u128), to_json(ts), to_json(tstz), to_json(u) FROM conf.all_types;

SELECT id, j::VARCHAR, json(j::VARCHAR), json_serialize_sql('SELECT 1') IS NOT NULL FROM conf.all_types;

SELECT j ->> '$.n' AS n, count(*) FROM conf.all_types WHERE j ->> '$.even' = 'true' GROUP BY n;

SELECT id, row_to_json(c) FROM (SELECT id, name, city FROM conf.customers WHERE id < 8) c;

SELECT to_json(c) FROM conf.customers c WHERE id < 5;

SELECT id, unnest(from_json(j, '["JSON"]')) FROM conf.all_types WHERE json_type(j) = 'ARRAY';

SELECT unnest(json_keys('{"x": 1, "y": {"z": 2}}')) AS k;

SELECT json_extract(to_json({'a': [1, 2, 3]}), '$.a[1]'), (to_json(MAP {'k': 42}) ->> 'k')::INTEGER;

-- Nested types from the business tables.

SELECT c.id, list(o.id ORDER BY o.id) AS order_ids, len(list(o.id ORDER BY o.id)) FROM conf.customers c LEFT JOIN conf.orders o ON o.customer_id = c.id GROUP BY c.id;

SELECT c.id, {'name': c.name, 'orders': count(o.id), 'total': sum(o.amount)} FROM conf.customers c LEFT JOIN conf.orders o ON o.customer_id = c.id GROUP BY c.id, c.name;

SELECT order_id, list_sort(list_distinct(flatten(list(tags ORDER BY line)))) FROM conf.items GROUP BY order_id HAVING len(list(tags ORDER BY line)) > 1;

SELECT sku, map_from_entries(list({'k': line, 'v': order_id} ORDER BY line, order_id) FILTER (WHERE order_id = 5)) FROM conf.items GROUP BY sku;

SELECT region, list(amount ORDER BY year, quarter), list_sum(list(amount ORDER BY year, quarter)) FROM conf.sales GROUP BY region;
