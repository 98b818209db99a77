-- Dates, times, timestamps (all precisions, with time zone) and intervals: truncation, parts,
-- formatting and parsing, arithmetic, differences, series, time zones; infinities included.

-- Every date and timestamp column through the same functions.

SELECT id, date_trunc('year', dt), date_trunc('quarter', dt), date_trunc('month', dt), date_trunc('week', dt), date_trunc('day', dt), date_trunc('hour', dt), date_trunc('minute', dt) FROM conf.all_types;

SELECT id, year(dt), month(dt), day(dt), dayofweek(dt), isodow(dt), dayofyear(dt), week(dt), isoyear(dt), quarter(dt), yearweek(dt), era(dt) FROM conf.all_types;

SELECT id, extract(epoch FROM dt), epoch_ms(dt), extract(hour FROM dt), minute(dt), second(dt), millisecond(dt), microsecond(dt), date_part('decade', dt), date_part('century', dt), date_part('millennium', dt) FROM conf.all_types;

SELECT id, strftime(dt, '%Y-%m-%d %H:%M:%S.%f|%j|%a %A|%b %B|%U %W %u %w|%y %G %V|%p %I|%%'), dayname(dt), monthname(dt), last_day(dt) FROM conf.all_types;

SELECT id, TRY(dt + INTERVAL 1 MONTH), TRY(dt - INTERVAL '1 day 1 hour'), TRY(dt + INTERVAL '1 year 2 months 3 days 04:05:06.789'), TRY(dt - INTERVAL 400 YEAR) FROM conf.all_types;

SELECT id, date_diff('day', dt, TIMESTAMP '2026-01-01'), date_diff('month', dt, DATE '2026-01-01'), date_sub('hour', dt, TIMESTAMP '2026-01-01'), age(TIMESTAMP '2026-06-01', dt::TIMESTAMP), datediff('year', dt, DATE '2000-06-15') FROM conf.all_types WHERE isfinite(dt);

SELECT id, date_trunc('year', ts), date_trunc('quarter', ts), date_trunc('month', ts), date_trunc('week', ts), date_trunc('day', ts), date_trunc('hour', ts), date_trunc('minute', ts) FROM conf.all_types;

SELECT id, year(ts), month(ts), day(ts), dayofweek(ts), isodow(ts), dayofyear(ts), week(ts), isoyear(ts), quarter(ts), yearweek(ts), era(ts) FROM conf.all_types;

SELECT id, extract(epoch FROM ts), epoch_ms(ts), extract(hour FROM ts), minute(ts), second(ts), millisecond(ts), microsecond(ts), date_part('decade', ts), date_part('century', ts), date_part('millennium', ts) FROM conf.all_types;

SELECT id, strftime(ts, '%Y-%m-%d %H:%M:%S.%f|%j|%a %A|%b %B|%U %W %u %w|%y %G %V|%p %I|%%'), dayname(ts), monthname(ts), last_day(ts) FROM conf.all_types;

SELECT id, TRY(ts + INTERVAL 1 MONTH), TRY(ts - INTERVAL '1 day 1 hour'), TRY(ts + INTERVAL '1 year 2 months 3 days 04:05:06.789'), TRY(ts - INTERVAL 400 YEAR) FROM conf.all_types;

SELECT id, date_diff('day', ts, TIMESTAMP '2026-01-01'), date_diff('month', ts, DATE '2026-01-01'), date_sub('hour', ts, TIMESTAMP '2026-01-01'), age(TIMESTAMP '2026-06-01', ts::TIMESTAMP), datediff('year', ts, DATE '2000-06-15') FROM conf.all_types WHERE isfinite(ts);

SELECT id, date_trunc('year', tss), date_trunc('quarter', tss), date_trunc('month', tss), date_trunc('week', tss), date_trunc('day', tss), date_trunc('hour', tss), date_trunc('minute', tss) FROM conf.all_types;

SELECT id, year(tss), month(tss), day(tss), dayofweek(tss), isodow(tss), dayofyear(tss), week(tss), isoyear(tss), quarter(tss), yearweek(tss), era(tss) FROM conf.all_types;

SELECT id, extract(epoch FROM tss), epoch_ms(tss), extract(hour FROM tss), minute(tss), second(tss), millisecond(tss), microsecond(tss), date_part('decade', tss), date_part('century', tss), date_part('millennium', tss) FROM conf.all_types;

SELECT id, strftime(tss, '%Y-%m-%d %H:%M:%S.%f|%j|%a %A|%b %B|%U %W %u %w|%y %G %V|%p %I|%%'), dayname(tss), monthname(tss), last_day(tss) FROM conf.all_types;

SELECT id, TRY(tss + INTERVAL 1 MONTH), TRY(tss - INTERVAL '1 day 1 hour'), TRY(tss + INTERVAL '1 year 2 months 3 days 04:05:06.789'), TRY(tss - INTERVAL 400 YEAR) FROM conf.all_types;

SELECT id, date_diff('day', tss, TIMESTAMP '2026-01-01'), date_diff('month', tss, DATE '2026-01-01'), date_sub('hour', tss, TIMESTAMP '2026-01-01'), age(TIMESTAMP '2026-06-01', tss::TIMESTAMP), datediff('year', tss, DATE '2000-06-15') FROM conf.all_types WHERE isfinite(tss);

SELECT id, date_trunc('year', tsm), date_trunc('quarter', tsm), date_trunc('month', tsm), date_trunc('week', tsm), date_trunc('day', tsm), date_trunc('hour', tsm), date_trunc('minute', tsm) FROM conf.all_types;

SELECT id, year(tsm), month(tsm), day(tsm), dayofweek(tsm), isodow(tsm), dayofyear(tsm), week(tsm), isoyear(tsm), quarter(tsm), yearweek(tsm), era(tsm) FROM conf.all_types;

SELECT id, extract(epoch FROM tsm), epoch_ms(tsm), extract(hour FROM tsm), minute(tsm), second(tsm), millisecond(tsm), microsecond(tsm), date_part('decade', tsm), date_part('century', tsm), date_part('millennium', tsm) FROM conf.all_types;

SELECT id, strftime(tsm, '%Y-%m-%d %H:%M:%S.%f|%j|%a %A|%b %B|%U %W %u %w|%y %G %V|%p %I|%%'), dayname(tsm), monthname(tsm), last_day(tsm) FROM conf.all_types;

SELECT id, TRY(tsm + INTERVAL 1 MONTH), TRY(tsm - INTERVAL '1 day 1 hour'), TRY(tsm + INTERVAL '1 year 2 months 3 days 04:05:06.789'), TRY(tsm - INTERVAL 400 YEAR) FROM conf.all_types;

SELECT id, date_diff('day', tsm, TIMESTAMP '2026-01-01'), date_diff('month', tsm, DATE '2026-01-01'), date_sub('hour', tsm, TIMESTAMP '2026-01-01'), age(TIMESTAMP '2026-06-01', tsm::TIMESTAMP), datediff('year', tsm, DATE '2000-06-15') FROM conf.all_types WHERE isfinite(tsm);

SELECT id, date_trunc('year', tsn), date_trunc('quarter', tsn), date_trunc('month', tsn), date_trunc('week', tsn), date_trunc('day', tsn), date_trunc('hour', tsn), date_trunc('minute', tsn) FROM conf.all_types;

SELECT id, year(tsn), month(tsn), day(tsn), dayofweek(tsn), isodow(tsn), dayofyear(tsn), week(tsn), isoyear(tsn), quarter(tsn), yearweek(tsn), era(tsn) FROM conf.all_types;

SELECT id, extract(epoch FROM tsn), epoch_ms(tsn), extract(hour FROM tsn), minute(tsn), second(tsn), millisecond(tsn), microsecond(tsn), date_part('decade', tsn), date_part('century', tsn), date_part('millennium', tsn) FROM conf.all_types;

SELECT id, strftime(tsn, '%Y-%m-%d %H:%M:%S.%f|%j|%a %A|%b %B|%U %W %u %w|%y %G %V|%p %I|%%'), dayname(tsn), monthname(tsn), last_day(tsn) FROM conf.all_types;

SELECT id, TRY(tsn + INTERVAL 1 MONTH), TRY(tsn - INTERVAL '1 day 1 hour'), TRY(tsn + INTERVAL '1 year 2 months 3 days 04:05:06.789'), TRY(tsn - INTERVAL 400 YEAR) FROM conf.all_types;

SELECT id, date_diff('day', tsn, TIMESTAMP '2026-01-01'), date_diff('month', tsn, DATE '2026-01-01'), date_sub('hour', tsn, TIMESTAMP '2026-01-01'), age(TIMESTAMP '2026-06-01', tsn::TIMESTAMP), datediff('year', tsn, DATE '2000-06-15') FROM conf.all_types WHERE isfinite(tsn);

SELECT id, date_trunc('year', tstz), date_trunc('quarter', tstz), date_trunc('month', tstz), date_trunc('week', tstz), date_trunc('day', tstz), date_trunc('hour', tstz), date_trunc('minute', tstz) FROM conf.all_types;

SELECT id, year(tstz), month(tstz), day(tstz), dayofweek(tstz), isodow(tstz), dayofyear(tstz), week(tstz), isoyear(tstz), quarter(tstz), yearweek(tstz), era(tstz) FROM conf.all_types;

SELECT id, extract(epoch FROM tstz), epoch_ms(tstz), extract(hour FROM tstz), minute(tstz), second(tstz), millisecond(tstz), microsecond(tstz), date_part('decade', tstz), date_part('century', tstz), date_part('millennium', tstz) FROM conf.all_types;

SELECT id, strftime(tstz, '%Y-%m-%d %H:%M:%S.%f|%j|%a %A|%b %B|%U %W %u %w|%y %G %V|%p %I|%%'), dayname(tstz), monthname(tstz), last_day(tstz) FROM conf.all_types;

SELECT id, TRY(tstz + INTERVAL 1 MONTH), TRY(tstz - INTERVAL '1 day 1 hour'), TRY(tstz + INTERVAL '1 year 2 months 3 days 04:05:06.789'), TRY(tstz - INTERVAL 400 YEAR) FROM conf.all_types;

SELECT id, date_diff('day', tstz, TIMESTAMP '2026-01-01'), date_diff('month', tstz, DATE '2026-01-01'), date_sub('hour', tstz, TIMESTAMP '2026-01-01'), age(TIMESTAMP '2026-06-01', tstz::TIMESTAMP), datediff('year', tstz, DATE '2000-06-15') FROM conf.all_types WHERE isfinite(tstz);
-- Truncation and parts of literals, every unit.

SELECT date_trunc('millennium', TIMESTAMP '2024-02-29 10:30:45.123456'), date_trunc('century', TIMESTAMP '2024-02-29 10:30:45.123456'), date_trunc('decade', TIMESTAMP '2024-02-29 10:30:45.123456');

SELECT date_trunc('second', TIMESTAMP '2024-02-29 10:30:45.123456'), date_trunc('milliseconds', TIMESTAMP '2024-02-29 10:30:45.123456'), date_trunc('microseconds', TIMESTAMP '2024-02-29 10:30:45.123456');

SELECT date_trunc('week', DATE '2024-01-01'), date_trunc('week', DATE '2023-12-31'), date_trunc('quarter', DATE '2024-11-30'), date_trunc('isoyear', DATE '2021-01-02'), date_trunc('yearweek', DATE '2024-12-31');

SELECT date_trunc('month', DATE 'infinity'), date_trunc('day', TIMESTAMP '-infinity'), date_trunc('hour', TIMESTAMPTZ 'infinity');

SELECT date_trunc('fortnight', DATE '2024-01-01');

SELECT datetrunc('month', DATE '2024-02-29'), date_trunc('MONTH', TIMESTAMP_NS '2024-02-29 10:30:00.123456789'), date_trunc('second', TIMESTAMP_NS '2024-02-29 10:30:00.123456789');

SELECT extract(year FROM DATE '2024-02-29'), extract(month FROM DATE '2024-02-29'), extract(dow FROM DATE '2024-02-29'), extract(isodow FROM DATE '2024-03-03'), extract(doy FROM DATE '2024-12-31'), extract(week FROM DATE '2024-12-30');

SELECT extract(epoch FROM TIMESTAMP '1970-01-02'), extract(epoch FROM DATE '1969-12-31'), extract(epoch FROM INTERVAL '1 day 1 second'), extract(epoch FROM TIME '01:00:00'), extract(epoch FROM TIMESTAMPTZ '1970-01-01 01:00:00+01');

SELECT extract(julian FROM DATE '2000-01-01'), julian(DATE '1970-01-01'), extract(isoyear FROM DATE '2021-01-01'), extract(yearweek FROM DATE '2021-01-01'), extract(era FROM DATE '0001-01-01 (BC)');

SELECT date_part('second', TIMESTAMP '2024-02-29 10:30:45.987654'), date_part('millisecond', TIMESTAMP '2024-02-29 10:30:45.987654'), date_part('microsecond', TIMESTAMP '2024-02-29 10:30:45.987654'), nanosecond(TIMESTAMP_NS '2024-02-29 10:30:45.987654321');

SELECT date_part('year', INTERVAL '3 years 14 months'), date_part('month', INTERVAL '14 months'), date_part('day', INTERVAL '40 days'), date_part('hour', INTERVAL '50 hours'), date_part('minute', INTERVAL '90 minutes'), date_part('epoch', INTERVAL '1 month');

SELECT date_part(['year', 'month', 'day', 'hour'], TIMESTAMP '2024-02-29 10:30:00'), date_part(['dow', 'doy'], DATE '2024-02-29');

SELECT year(DATE 'infinity'), month(TIMESTAMP '-infinity'), extract(epoch FROM TIMESTAMP 'infinity'), dayname(DATE 'infinity'), isinf(DATE '-infinity');

SELECT id, date_part('timezone', tstz), date_part('timezone_hour', tstz), date_part('timezone_minute', tstz), extract(hour FROM tstz), epoch(tstz) FROM conf.all_types;

SELECT id, hour(tm), minute(tm), second(tm), microsecond(tm), extract(epoch FROM tm), date_part('millisecond', tm) FROM conf.all_types;

SELECT id, hour(ttz), minute(ttz), date_part('timezone', ttz), date_part('timezone_hour', ttz), date_part('timezone_minute', ttz), extract(epoch FROM ttz) FROM conf.all_types;

SELECT id, date_part('year', iv), date_part('month', iv), date_part('day', iv), date_part('hour', iv), extract(epoch FROM iv), to_days(10) FROM conf.all_types;

SELECT id, dayname(dt), monthname(dt), last_day(dt), dt - date_trunc('month', dt) FROM conf.all_types WHERE isfinite(dt);

SELECT id, weekday(ts), dayofmonth(ts), weekofyear(ts), nanosecond(tsn), epoch_ns(tsn), epoch_us(ts) FROM conf.all_types;

-- Formatting and parsing.

SELECT strftime(DATE '2024-02-29', '%d/%m/%Y'), strftime(TIMESTAMP '2024-02-29 13:05:09.123456', '%I:%M %p, %A %-d %B %Y'), strftime(TIMESTAMP '2024-02-29 13:05:09.123456', '%H%M%S%g %n %f');

SELECT strftime(TIMESTAMP '2024-02-29 13:05:09', '%c'), strftime(TIMESTAMP '2024-02-29 13:05:09', '%x %X'), strftime(TIMESTAMP '2024-02-29 13:05:09', '%-m/%-d/%y %-H:%-M:%-S'), strftime(TIMESTAMP '2024-02-29 13:05:09', '%j %U %W %V %G %u %w');

SELECT strftime(TIMESTAMPTZ '2024-02-29 13:05:09+02', '%Y-%m-%d %H:%M:%S %z %Z'), strftime(TIMESTAMP_NS '2024-02-29 13:05:09.123456789', '%n'), strftime(DATE '0044-03-15 (BC)', '%Y-%m-%d');

SELECT strftime(TIMESTAMP '2024-02-29 13:05:09', '');

SELECT strftime(TIMESTAMP '2024-02-29 13:05:09', '%Q');

SELECT strptime('2024-02-29 13:05:09', '%Y-%m-%d %H:%M:%S'), strptime('29/02/2024', '%d/%m/%Y'), strptime('Feb 29 2024 1:05 PM', '%b %d %Y %I:%M %p'), strptime('2024-02-29T13:05:09.123456', '%Y-%m-%dT%H:%M:%S.%f');

SELECT strptime('2024-02-29 13:05:09 +0530', '%Y-%m-%d %H:%M:%S %z'), strptime('2024-060', '%Y-%j'), strptime('24-2-9', '%y-%-m-%-d');

SELECT strptime('2024-02-29', ['%d/%m/%Y', '%Y-%m-%d']), try_strptime('2024-02-30', '%Y-%m-%d'), try_strptime('garbage', '%Y'), try_strptime('2024-13-01', '%Y-%m-%d');

SELECT strptime('2024-02-30', '%Y-%m-%d');

SELECT id, s, try_strptime(s, '%Y-%m-%d'), try_strptime(s || '-01-01', '%Y-%m-%d') FROM conf.all_types;

SELECT id, strftime(ordered_at, '%Y-%m'), strftime(ordered_at, '%a %H:%M') FROM conf.orders WHERE id < 50;

SELECT id, ts::VARCHAR, tsn::VARCHAR, tss::VARCHAR, tsm::VARCHAR, tstz::VARCHAR, dt::VARCHAR FROM conf.all_types;

-- Constructors and conversions from numbers.

SELECT make_date(2024, 2, 29), make_date(-44, 3, 15), make_time(13, 5, 9.5), make_timestamp(2024, 2, 29, 13, 5, 9.123456), make_timestamp(1709211909123456), make_timestamptz(2024, 2, 29, 13, 5, 9.5, 'Asia/Kolkata');

SELECT make_date(2023, 2, 29);

SELECT make_time(24, 0, 0);

SELECT make_date({'year': 2024, 'month': 1, 'day': 31}), make_timestamp_ns(1709211909123456789);

SELECT to_timestamp(0), to_timestamp(1709211909.5), to_timestamp(-1), epoch_ms(1709211909123), to_timestamp(1e11);

SELECT epoch_ms(TIMESTAMP '2024-02-29 13:05:09.123'), epoch(TIMESTAMP '2024-02-29 13:05:09'), epoch_us(TIMESTAMP '1969-12-31 23:59:59.999999'), epoch_ns(TIMESTAMP_NS '1970-01-01 00:00:00.000000001');

SELECT to_years(2), to_months(14), to_weeks(3), to_days(45), to_hours(36), to_minutes(90), to_seconds(3.5), to_milliseconds(1500), to_microseconds(1), to_centuries(1), to_decades(2), to_millennia(1);

SELECT to_days(2147483647);

-- Date and interval arithmetic: month ends, leap years, negative intervals, infinities.

SELECT DATE '2024-01-31' + INTERVAL 1 MONTH, DATE '2024-03-31' - INTERVAL 1 MONTH, DATE '2023-01-31' + INTERVAL 1 MONTH, DATE '2024-02-29' + INTERVAL 1 YEAR, DATE '2024-02-29' - INTERVAL 4 YEAR;

SELECT DATE '2024-02-29' + 1, DATE '2024-03-01' - 1, DATE '2024-03-01' - DATE '2024-02-01', DATE '2024-01-01' - DATE '2025-01-01', DATE '2024-02-29' + INTERVAL '36 hours';

SELECT TIMESTAMP '2024-02-29 23:59:59.999999' + INTERVAL 1 MICROSECOND, TIMESTAMP '2024-02-29 00:00:00' - INTERVAL '0.5 seconds', TIMESTAMP '2024-01-31 12:00' + INTERVAL '1 month 1 day';

SELECT TIMESTAMP '2024-03-01' - TIMESTAMP '2024-02-01', TIMESTAMP '2024-02-29 10:00' - TIMESTAMP '2024-02-29 12:30:30', TIMESTAMPTZ '2024-03-01 00:00:00+00' - TIMESTAMPTZ '2024-02-29 00:00:00+05';

SELECT TIME '23:00' + INTERVAL '2 hours', TIME '01:00' - INTERVAL '2 hours', TIME '10:00' + INTERVAL '1 day', DATE '2024-02-29' + TIME '10:30';

SELECT INTERVAL '1 month' * 3, INTERVAL '1 day' * 1.5, INTERVAL '1 hour' / 4, INTERVAL '3 months' / 2, -INTERVAL '1 day 2 hours', INTERVAL '1 month' + INTERVAL '40 days', INTERVAL '1 year' - INTERVAL '1 day';

SELECT INTERVAL '1 day' / 0;

SELECT DATE 'infinity' + 1, DATE '-infinity' - INTERVAL 1 DAY, TIMESTAMP 'infinity' + INTERVAL 1 YEAR;

SELECT DATE '5877642-06-25' + 1;

SELECT TIMESTAMP '294247-01-10 04:00:54.775806' + INTERVAL 1 DAY;

SELECT TIMESTAMP_NS '2262-04-11 23:47:16' + INTERVAL 1 DAY;

SELECT id, dt + 1, dt - 1, dt + INTERVAL 1 DAY, dt - DATE '2000-01-01', dt + i8 FROM conf.all_types WHERE isfinite(dt);

SELECT id, dt + iv, ts + iv, TRY(tsn + iv), tstz + iv, tm + iv FROM conf.all_types WHERE id > 100;

SELECT id, ts - tss, TRY(tsn - ts::TIMESTAMP_NS), tstz - ts::TIMESTAMPTZ, ts - dt FROM conf.all_types WHERE isfinite(ts) AND isfinite(dt);

SELECT id, iv * 2, iv / 2, -iv, iv + INTERVAL '1 month', iv > INTERVAL '1 month' FROM conf.all_types WHERE id > 2;

SELECT iv * 2 FROM conf.all_types WHERE id = 2;

SELECT id, ordered_at + INTERVAL 30 DAY, ordered_at - INTERVAL '1 month', (ordered_at + INTERVAL 1 YEAR)::DATE FROM conf.orders WHERE id < 40;

SELECT id, signup, signup + INTERVAL (id) MONTH, date_diff('month', signup, DATE '2026-01-01'), age(DATE '2026-01-01', signup) FROM conf.customers;

-- Differences and ages.

SELECT date_diff('day', DATE '2024-01-01', DATE '2024-12-31'), date_diff('week', DATE '2024-01-01', DATE '2024-12-31'), date_diff('month', DATE '2024-01-31', DATE '2024-02-01'), date_diff('year', DATE '2024-12-31', DATE '2025-01-01');

SELECT date_diff('hour', TIMESTAMP '2024-02-29 10:59', TIMESTAMP '2024-02-29 11:00'), date_sub('hour', TIMESTAMP '2024-02-29 10:59', TIMESTAMP '2024-02-29 11:00'), date_sub('month', DATE '2024-01-31', DATE '2024-02-29'), date_sub('year', DATE '2020-02-29', DATE '2024-02-28');

SELECT date_diff('quarter', DATE '2024-03-31', DATE '2024-04-01'), date_diff('decade', DATE '2019-12-31', DATE '2020-01-01'), date_diff('millisecond', TIMESTAMP '2024-01-01', TIMESTAMP '2024-01-01 00:00:01.5'), date_diff('microseconds', TIME '10:00', TIME '09:00');

SELECT date_diff('day', DATE '2024-12-31', DATE '2024-01-01'), datediff('minute', TIMESTAMPTZ '2024-01-01 00:00:00+00', TIMESTAMPTZ '2024-01-01 00:00:00+01'), datesub('day', TIMESTAMP '2024-01-01 12:00', TIMESTAMP '2024-01-02 11:59');

SELECT age(TIMESTAMP '2024-02-29', TIMESTAMP '2023-01-31'), age(TIMESTAMP '2023-01-31', TIMESTAMP '2024-02-29'), age(DATE '2024-03-01', DATE '2024-02-29'), age(TIMESTAMP '2024-02-29 10:00', TIMESTAMP '2024-02-28 11:30');

-- Series of dates and timestamps.

SELECT * FROM generate_series(DATE '2024-01-31', DATE '2024-12-31', INTERVAL 1 MONTH) t(d);

SELECT * FROM range(TIMESTAMP '2024-03-30 00:00', TIMESTAMP '2024-04-01 00:00', INTERVAL '7 hours') t(x);

SELECT * FROM generate_series(TIMESTAMP '2024-02-29', TIMESTAMP '2024-02-28', INTERVAL '-6 hours') t(x);

SELECT * FROM generate_series(TIMESTAMPTZ '2024-03-09 00:00:00+00', TIMESTAMPTZ '2024-03-12 00:00:00+00', INTERVAL 1 DAY) t(x);

SELECT count(*), min(x), max(x) FROM generate_series(TIMESTAMP '2020-01-01', TIMESTAMP '2030-01-01', INTERVAL '1 day 1 hour') t(x);

SELECT d, dayname(d), strftime(d, '%V'), isodow(d) FROM generate_series(DATE '2020-12-25', DATE '2021-01-10', INTERVAL 1 DAY) t(d);

SELECT * FROM generate_series(DATE '2024-01-01', DATE '2024-01-05', INTERVAL 0 DAY) t(d);

-- Time buckets and grouping by time.

SELECT time_bucket(INTERVAL '15 minutes', TIMESTAMP '2024-02-29 10:37:12'), time_bucket(INTERVAL '1 week', DATE '2024-02-29'), time_bucket(INTERVAL '1 month', TIMESTAMP '2024-02-29 10:37'), time_bucket(INTERVAL '2 days', DATE '2024-02-29', DATE '2024-02-28');

SELECT time_bucket(INTERVAL '1 hour', TIMESTAMP '2024-02-29 10:37', INTERVAL '30 minutes'), time_bucket(INTERVAL '3 hours', TIMESTAMPTZ '2024-02-29 10:37:00+00'), time_bucket(INTERVAL '1 day', TIMESTAMPTZ '2024-02-29 10:37:00+00', 'Asia/Tokyo');

SELECT date_trunc('month', ordered_at) AS month, count(*), sum(amount) FROM conf.orders GROUP BY month ORDER BY month;

SELECT time_bucket(INTERVAL '10 days', ordered_at) AS bucket, count(*) FROM conf.orders GROUP BY bucket ORDER BY bucket;

SELECT dayname(ordered_at) AS day, isodow(ordered_at) AS n, count(*) FROM conf.orders GROUP BY ALL ORDER BY n;

SELECT extract(hour FROM ordered_at) AS h, count(*), min(ordered_at), max(ordered_at) FROM conf.orders GROUP BY h ORDER BY h;

SELECT year(signup) AS y, quarter(signup) AS q, count(*), min(signup), max(signup) FROM conf.customers GROUP BY ALL ORDER BY y, q;

SELECT min(ts), max(ts), min(tstz), max(tstz), min(tsn), max(tsn), min(iv), max(iv), min(tm), max(tm), min(ttz), max(ttz) FROM conf.all_types;

SELECT min(ts), max(ts), min(dt), max(dt) FROM conf.all_types WHERE isfinite(ts) AND isfinite(dt);

SELECT avg(ts::DATE - DATE '2026-01-01'), avg(epoch(ts)), max(iv) - min(iv) FROM conf.all_types WHERE id > 100;

SELECT min(ordered_at), max(ordered_at), max(ordered_at) - min(ordered_at), date_diff('day', min(ordered_at), max(ordered_at)) FROM conf.orders;

-- Time zones: AT TIME ZONE, timezone(), offsets, daylight saving transitions.

SELECT TIMESTAMP '2024-02-29 12:00' AT TIME ZONE 'UTC', TIMESTAMP '2024-02-29 12:00' AT TIME ZONE 'America/New_York', TIMESTAMP '2024-07-01 12:00' AT TIME ZONE 'Europe/Lisbon';

SELECT TIMESTAMPTZ '2024-02-29 12:00:00+00' AT TIME ZONE 'Asia/Kolkata', TIMESTAMPTZ '2024-02-29 12:00:00+00' AT TIME ZONE 'Pacific/Chatham', TIMESTAMPTZ '2024-02-29 12:00:00+00' AT TIME ZONE 'Etc/GMT+5';

SELECT timezone('America/Los_Angeles', TIMESTAMP '2024-03-10 02:30'), timezone('America/Los_Angeles', TIMESTAMP '2024-11-03 01:30'), timezone('Europe/Berlin', TIMESTAMPTZ '2024-03-31 01:30:00+00');

SELECT TIMESTAMP '2024-02-29 12:00' AT TIME ZONE 'Mars/Olympus';

SELECT TIMESTAMPTZ '2024-03-31 00:30:00+00' + INTERVAL '1 hour', TIMESTAMPTZ '2024-03-31 00:30:00+00' + INTERVAL '1 day', (TIMESTAMPTZ '2024-03-31 00:30:00+00' AT TIME ZONE 'Europe/Lisbon');

SELECT id, tstz AT TIME ZONE 'America/Sao_Paulo', tstz AT TIME ZONE 'Asia/Tokyo', ts AT TIME ZONE 'Europe/Paris' FROM conf.all_types WHERE isfinite(tstz) AND isfinite(ts);

SELECT id, timezone('Australia/Adelaide', tstz), date_trunc('day', tstz AT TIME ZONE 'Asia/Kathmandu') FROM conf.all_types WHERE isfinite(tstz);

SELECT id, (ordered_at AT TIME ZONE 'America/Chicago') AT TIME ZONE 'Asia/Tokyo' FROM conf.orders WHERE id < 30;

SELECT TIMETZ '10:30:00+05:30' AT TIME ZONE 'UTC', timezone('Europe/Berlin', TIMETZ '10:30:00+00');

SELECT id, ttz, ttz::TIME, ttz + INTERVAL '1 hour', ttz > TIMETZ '00:00:00+00' FROM conf.all_types WHERE ttz IS NOT NULL;

SELECT make_timestamptz(2024, 3, 10, 2, 30, 0, 'America/New_York'), make_timestamptz(2024, 11, 3, 1, 30, 0, 'America/New_York');

SELECT date_trunc('day', TIMESTAMPTZ '2024-02-29 23:30:00-05'), date_part('day', TIMESTAMPTZ '2024-02-29 23:30:00-05'), TIMESTAMPTZ '2024-02-29 23:30:00-05'::DATE, strftime(TIMESTAMPTZ '2024-02-29 23:30:00-05', '%Y-%m-%d %H:%M');
