-- String functions: lengths, case mapping (unicode), substrings, positions, padding, trimming,
-- splitting, regular expressions, concatenation, aggregation in order, hashes and similarity.

-- Every type's text through a few string functions, and aggregated in order.

-- @each c in conf.all_types
SELECT id, length({c}::VARCHAR), upper({c}::VARCHAR), reverse({c}::VARCHAR) FROM conf.all_types;

-- @each c in conf.all_types
SELECT id, md5({c}::VARCHAR), left({c}::VARCHAR, 3), right({c}::VARCHAR, 2), {c}::VARCHAR || '!' FROM conf.all_types;

-- @each c in conf.all_types
SELECT string_agg({c}::VARCHAR, ',' ORDER BY id), count(DISTINCT {c}::VARCHAR) FROM conf.all_types;

-- @each c in conf.all_types
SELECT {c}::VARCHAR AS t, count(*) FROM conf.all_types GROUP BY t ORDER BY t NULLS FIRST;

-- Lengths: characters, bytes, bits, graphemes.

SELECT id, s, length(s), char_length(s), strlen(s), octet_length(encode(s)), bit_length(s), length_grapheme(s) FROM conf.all_types WHERE id <> 2;

SELECT length('Ünïcödé 日本語 🦆'), strlen('Ünïcödé 日本語 🦆'), length_grapheme('🇵🇹👨‍👩‍👧'), length('🇵🇹👨‍👩‍👧'), length(''), length(NULL);

SELECT length(s), strlen(s), octet_length(encode(s)) FROM conf.all_types WHERE id = 2;

SELECT name, length(name), city, length(city) FROM conf.customers;

-- Case mapping, unicode included.

SELECT id, upper(s), lower(s), ucase(s), lcase(s) FROM conf.all_types;

SELECT upper('straße'), lower('STRASSE'), upper('ǆ'), lower('ΣΑΣ'), upper('i'), lower('İ'), upper('ﬁ'), upper('日本'), lower('Ü');

SELECT upper('ü') = 'Ü', lower('Ü') = 'ü', upper('é') < upper('f'), 'é' < 'f', 'É' < 'e';

SELECT id, s FROM conf.all_types WHERE upper(s) = upper('ümlaut') OR lower(s) LIKE '%épsilon%';

SELECT strip_accents('Ünïcödé façade'), strip_accents('日本語'), nfc_normalize('e' || chr(769)), length(nfc_normalize('e' || chr(769)));

-- Substrings, slicing, left / right.

SELECT id, s, substr(s, 2), substr(s, 2, 3), substr(s, -3), substr(s, -3, 2), substr(s, 0, 2), substr(s, 100) FROM conf.all_types;

SELECT substring('hello world' FROM 7), substring('hello world' FROM 1 FOR 5), substring('hello', 0), substring('hello', -10, 12), substring('hello', 3, 0), substring('hello', 2, -1);

SELECT substr('Ünïcödé 日本語 🦆', 9, 3), substr('Ünïcödé 日本語 🦆', -1), substr('🦆🦆🦆', 2, 1), substring_grapheme('🇵🇹🇩🇪', 2, 1);

SELECT 'hello'[1], 'hello'[2:3], 'hello'[-3:], 'hello'[:2], 'hello'[4:100], 'hello'[0], 'Ünï'[2], 'hello'[3:2];

SELECT id, s[1], s[2:4], s[-2:], s[:1] FROM conf.all_types;

SELECT left('hello', 2), left('hello', -2), left('hello', 0), left('hello', 10), right('hello', 2), right('hello', -2), right('日本語', 1), left('🦆x', 1);

SELECT left_grapheme('🇵🇹🇩🇪', 1), right_grapheme('👍🏽x👍🏽', 1);

SELECT id, name, left(name, strpos(name, ' ') - 1), right(name, length(name) - strpos(name, ' ')) FROM conf.customers;

-- Positions and containment.

SELECT id, s, position('a' IN s), strpos(s, 'a'), instr(s, 'ta'), contains(s, 'eta'), s ^@ 'ze' FROM conf.all_types;

SELECT position('' IN 'abc'), strpos('abc', ''), strpos('', 'a'), instr('日本語', '語'), position('🦆' IN 'Ünïcödé 日本語 🦆'), strpos('aaa', 'aa');

SELECT starts_with('hello', ''), starts_with('hello', 'he'), ends_with('hello', 'LO'), suffix('hello', 'lo'), prefix('hello', 'hex'), contains('hello', NULL::VARCHAR);

-- Replace, translate, repeat, reverse.

SELECT id, s, replace(s, 'a', 'A'), replace(s, '', 'x'), replace(s, 'zeta', ''), translate(s, 'aeiou', 'AEIOU'), translate(s, 'ab', 'x') FROM conf.all_types;

SELECT replace('aaaa', 'aa', 'b'), replace('abc', 'b', NULL), replace('日本語', '本', 'ほん'), translate('hello', 'lo', '01'), translate('🦆🦆', '🦆', 'd');

SELECT repeat('ab', 3), repeat('', 5), repeat('x', 0), repeat('x', -1), repeat('日', 4), reverse('abc'), reverse('日本語🦆'), reverse('');

SELECT id, repeat(s, 2), reverse(s), reverse(reverse(s)) = s FROM conf.all_types;

-- Padding and trimming.

SELECT lpad('abc', 6, '*'), lpad('abc', 2, '*'), lpad('abc', 7, 'xy'), rpad('abc', 6, '-'), rpad('abc', 1, '-'), lpad('', 3, '0'), rpad('日本', 5, '語'), lpad('7', 3, '🦆');

SELECT lpad('abc', 0, 'x'), rpad('abc', -1, 'x'), rpad('abc', 3, '');

SELECT lpad('abc', 5, '');

SELECT id, lpad(s, 8, '.'), rpad(s, 8, '.'), lpad(i32::VARCHAR, 12, '0'), rpad(coalesce(s, '?'), 3, '_') FROM conf.all_types;

SELECT trim('  x  '), ltrim('  x  '), rtrim('  x  '), trim('xxaxx', 'x'), ltrim('xyxaxy', 'xy'), rtrim('axyxy', 'yx'), trim(''), trim('   ');

SELECT trim(BOTH 'x' FROM 'xxaxx'), trim(LEADING 'x' FROM 'xxaxx'), trim(TRAILING 'x' FROM 'xxaxx'), trim('🦆a🦆', '🦆'), trim(E'\t\n x \n');

SELECT id, '[' || trim(s) || ']', '[' || ltrim(s, 'a') || ']', '[' || rtrim(s, '0123456789') || ']' FROM conf.all_types;

-- Splitting and parts.

SELECT split('a,b,,c', ','), string_split('a b c', ' '), str_split('abc', ''), string_split('', ','), string_split('a,b', ''), string_split(NULL, ',');

SELECT split_part('a,b,c', ',', 2), split_part('a,b,c', ',', -1), split_part('a,b,c', ',', 4), split_part('a,b,c', ',', 0), split_part('a,,c', ',', 2), split_part('abc', '', 1);

SELECT string_split_regex('a1b22c333d', '[0-9]+'), regexp_split_to_array('one  two   three', '\s+'), string_split_regex('abc', ''), str_split_regex('a.b', '\.');

SELECT id, s, string_split(s, ' '), split_part(s, '_', 1), split_part(s, 'a', 2), len(string_split(s, 'a')) FROM conf.all_types;

SELECT id, name, string_split(name, ' ')[1] AS first, string_split(name, ' ')[-1] AS last FROM conf.customers;

SELECT unnest(string_split('x,y,z', ',')) AS part;

SELECT id, unnest(string_split(note, ' ')) AS word FROM conf.orders WHERE id < 30;

-- Regular expressions.

SELECT regexp_extract('abc123def456', '[0-9]+'), regexp_extract('abc123def456', '([a-z]+)([0-9]+)', 2), regexp_extract('abc', '[0-9]+'), regexp_extract('abc', 'x?');

SELECT regexp_extract('2024-02-29', '(\d+)-(\d+)-(\d+)', ['y', 'm', 'd']), regexp_extract_all('a1b22c333', '[0-9]+'), regexp_extract_all('a1b22c333', '([a-z])([0-9]+)', 2);

SELECT regexp_replace('aaa', 'a', 'b'), regexp_replace('aaa', 'a', 'b', 'g'), regexp_replace('Hello World', '(\w+) (\w+)', '\2 \1'), regexp_replace('abc', 'B', 'x', 'i'), regexp_replace('a.b.c', '\.', '', 'g');

SELECT regexp_matches('abc', '^a'), regexp_matches('abc', '^b'), regexp_matches('ABC', 'b', 'i'), regexp_full_match('abc', 'a.c'), regexp_full_match('abcd', 'a.c'), regexp_matches('a\nb', 'a.b', 's');

SELECT regexp_matches('日本語', '^.{3}$'), regexp_replace('Ünïcödé', '[^a-zA-Z]', '_', 'g'), regexp_extract('🦆 duck', '(\S+) (\w+)', 2), regexp_escape('a.b*c');

SELECT id, s, regexp_extract(s, '([a-zA-Z]+)(\d*)', 1), regexp_extract(s, '([a-zA-Z]+)(\d*)', 2), regexp_replace(s, '[aeiou]', '*', 'g') FROM conf.all_types;

SELECT id, s, regexp_extract_all(s, '.'), regexp_matches(s, '^[[:upper:]]'), regexp_split_to_array(s, '[ _]') FROM conf.all_types;

SELECT id, note, regexp_extract(note, 'note (\d+)', 1)::INTEGER AS n FROM conf.orders WHERE regexp_matches(note, '^note \d+$');

SELECT regexp_extract('x', '(');

SELECT regexp_replace('abc', '(?P<first>a)', '[\1]'), regexp_extract('key=val', '(?P<k>\w+)=(?P<v>\w+)', 2), regexp_matches('aaa', 'a{2,}');

-- Concatenation: operators, concat, concat_ws, NULLs.

SELECT 'a' || 'b', 'a' || NULL, concat('a', NULL, 'b'), concat_ws(',', 'a', NULL, 'b'), concat_ws(NULL, 'a', 'b'), concat_ws(',', NULL, NULL), concat_ws('-', 'x');

SELECT id, concat_ws('|', s, i8, f64, dt), concat(s, '/', ls::VARCHAR), s || '/' || coalesce(ls[1], '-') FROM conf.all_types;

SELECT id, name || ' from ' || coalesce(city, 'nowhere') || ' (' || tier || ')' FROM conf.customers;

SELECT concat_ws(', ', city, tier, name) FROM conf.customers;

SELECT [1, 2] || [3], 'ab' || 1 || 2.5 || true, 'x'::BLOB || 'y'::BLOB;

-- string_agg / group_concat / listagg in order, with DISTINCT and FILTER.

SELECT string_agg(name, ', ' ORDER BY name) FROM conf.customers;

SELECT city, string_agg(name, ';' ORDER BY id DESC) FROM conf.customers GROUP BY city;

SELECT tier, string_agg(DISTINCT city, ',' ORDER BY city) FROM conf.customers GROUP BY tier;

SELECT string_agg(s, '' ORDER BY id) FILTER (WHERE id < 8) FROM conf.all_types;

SELECT string_agg(s, ' | ' ORDER BY s DESC NULLS FIRST, id) FROM conf.all_types WHERE id < 120;

SELECT group_concat(status, '-' ORDER BY id) FROM conf.orders WHERE id < 20;

SELECT listagg(sku, ',' ORDER BY line) FROM conf.items WHERE order_id = 7;

SELECT status, string_agg(DISTINCT note, ',' ORDER BY note NULLS LAST) FROM conf.orders GROUP BY status;

SELECT string_agg(x, ',' ORDER BY x) FROM (VALUES ('b'), (NULL), ('a'), ('')) t(x);

SELECT string_agg(b, ',') FROM conf.empty;

SELECT customer_id, string_agg(id::VARCHAR, ',' ORDER BY id) FROM conf.orders WHERE customer_id < 5 GROUP BY customer_id;

SELECT id, string_agg(label, '/' ORDER BY label) OVER (PARTITION BY parent) FROM conf.tree ORDER BY id;

-- Characters and code points.

SELECT ascii('A'), ascii(''), ascii('ü'), unicode('🦆'), unicode(''), ord('a'), chr(65), chr(252), chr(128029), chr(0) = '';

SELECT id, ascii(s), unicode(s), ord(s) FROM conf.all_types;

SELECT chr(-1);

SELECT to_base64('hello'::BLOB), from_base64('aGVsbG8='), from_base64(''), to_base64(''::BLOB), encode('日本'), decode('\xE6\x97\xA5'::BLOB);

SELECT hex('abc'), unhex('616263'), hex(255), hex(-1), bin(5), bin('a'), to_hex(255), unbin('101');

SELECT url_encode('a b&c=d/é'), url_decode('a%20b%26c'), url_decode('%E6%97%A5');

-- Formatting.

SELECT format('{} + {} = {}', 1, 2, 3), format('{:>8}|{:<8}|{:^8}', 'r', 'l', 'c'), format('{:.3f}', pi()), format('{:,}', 1234567890), format('{:08.2f}', -3.14159), format('{:x}', 255);

SELECT printf('%d %s %.2f %5s %-5s| %05d %x %o %e %c', 42, 'str', 3.14159, 'ab', 'cd', 42, 255, 8, 12345.678, 65);

SELECT printf('%s', NULL), printf('%%'), printf('%10.4f', 'inf'::DOUBLE), format('{}', [1, 2]), format('{}', {'a': 1});

SELECT id, format('{:>10}', s), printf('%-10s|', s), format('{:.2e}', f64) FROM conf.all_types WHERE id < 8 OR id > 200;

SELECT printf('%d', 'abc');

SELECT format('{} {}', 1);

-- Hashes and similarity.

SELECT md5('hello'), sha1('hello'), sha256('hello'), md5(''), md5_number('hello'), sha256(''::BLOB), md5('日本語');

SELECT hash('hello'), hash(1), hash(NULL), hash('hello') = hash('hello'), hash([1, 2]), hash({'a': 1});

SELECT id, md5(s), sha256(s), hash(s), hash(i64), hash(f64), hash(li) FROM conf.all_types;

SELECT levenshtein('kitten', 'sitting'), levenshtein('', 'abc'), damerau_levenshtein('ab', 'ba'), hamming('karolin', 'kathrin'), editdist3('abc', 'abd');

SELECT jaccard('duck', 'luck'), jaro_similarity('martha', 'marhta'), jaro_winkler_similarity('dixon', 'dicksonx'), mismatches('abc', 'abd');

SELECT hamming('abc', 'ab');

SELECT id, name, levenshtein(name, 'Ada 8'), jaro_winkler_similarity(name, 'Bob') FROM conf.customers;

-- Comparisons and ordering of strings, collations.

SELECT s, count(*) FROM conf.all_types GROUP BY s ORDER BY s NULLS LAST;

SELECT id, s FROM conf.all_types WHERE id < 120 ORDER BY lower(s), s, id;

SELECT id, s FROM conf.all_types WHERE id < 120 ORDER BY length(s) DESC, s, id;

SELECT min(s), max(s), min(s COLLATE nocase), max(lower(s)), min(name), max(name) FROM conf.all_types, conf.customers WHERE conf.all_types.id = conf.customers.id;

SELECT 'a' < 'b' COLLATE nocase, 'A' = 'a' COLLATE nocase, 'é' = 'e' COLLATE noaccent, 'É' = 'e' COLLATE nocase.noaccent;

SELECT city, count(*) FROM conf.customers GROUP BY city ORDER BY city NULLS FIRST;

SELECT DISTINCT lower(tier) FROM conf.customers;

-- Strings from the business tables.

SELECT id, upper(left(name, 1)) || lower(substr(name, 2)), length(name) - length(replace(name, 'a', '')) FROM conf.customers;

SELECT status, count(*), min(note), max(note), count(DISTINCT note) FROM conf.orders GROUP BY status;

SELECT sku, count(*), string_agg(order_id::VARCHAR, ',' ORDER BY order_id, line) FILTER (WHERE order_id < 40) FROM conf.items GROUP BY sku;

SELECT sku, replace(sku, 'sku-', '')::INTEGER AS n FROM conf.items GROUP BY sku ORDER BY n;

SELECT label, split_part(label, ' ', 2)::INTEGER % 2 = 0 AS even FROM conf.tree;

SELECT region || '/' || quarter AS k, sum(amount) FROM conf.sales GROUP BY k ORDER BY k;

SELECT new_name, upper(new_name), new_name[2:] FROM conf.evolving;

SELECT upper(b), length(b) FROM conf.empty;

SELECT i, repeat('ab', i), lpad(i::VARCHAR, 4, '0'), chr((65 + i)::INTEGER), format('{:03d}', i) FROM range(0, 26) t(i);

SELECT string_agg(chr((65 + i)::INTEGER), '' ORDER BY i DESC) FROM range(0, 26) t(i);
