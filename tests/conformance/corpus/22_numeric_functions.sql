-- Arithmetic, overflow, division by zero, rounding, math functions and numeric aggregates.

-- Every numeric column: arithmetic (TRY where it may overflow), rounding, aggregates, statistics.

SELECT id, i8, TRY(-i8), TRY(i8 + 1), TRY(i8 - 1), TRY(i8 * 2), i8 / 3, TRY(i8 // 3), TRY(i8 % 3) FROM conf.all_types;

SELECT id, round(i8), round(i8, 1), round(i8, -1), ceil(i8), floor(i8), trunc(i8), TRY(abs(i8)), sign(i8) FROM conf.all_types;

SELECT sum(i8), avg(i8), min(i8), max(i8), count(i8), count(DISTINCT i8) FROM conf.all_types WHERE id > 100;

SELECT i8 > 0 AS positive, count(*), sum(i8), avg(i8) FROM conf.all_types WHERE id > 100 GROUP BY positive;

SELECT stddev_samp(i8), var_pop(i8), median(i8), quantile_cont(i8, 0.25), quantile_disc(i8, 0.9), sum(TRY(i8 * i8)) FROM conf.all_types WHERE id BETWEEN 100 AND 199;

SELECT id, sqrt(abs(i8::DOUBLE)), cbrt(i8), ln(abs(i8::DOUBLE) + 1), log10(abs(i8::DOUBLE) + 1), exp(TRY_CAST(i8 AS DOUBLE) / 1e6) FROM conf.all_types;

SELECT id, i16, TRY(-i16), TRY(i16 + 1), TRY(i16 - 1), TRY(i16 * 2), i16 / 3, TRY(i16 // 3), TRY(i16 % 3) FROM conf.all_types;

SELECT id, round(i16), round(i16, 1), round(i16, -1), ceil(i16), floor(i16), trunc(i16), TRY(abs(i16)), sign(i16) FROM conf.all_types;

SELECT sum(i16), avg(i16), min(i16), max(i16), count(i16), count(DISTINCT i16) FROM conf.all_types WHERE id > 100;

SELECT i16 > 0 AS positive, count(*), sum(i16), avg(i16) FROM conf.all_types WHERE id > 100 GROUP BY positive;

SELECT stddev_samp(i16), var_pop(i16), median(i16), quantile_cont(i16, 0.25), quantile_disc(i16, 0.9), sum(TRY(i16 * i16)) FROM conf.all_types WHERE id BETWEEN 100 AND 199;

SELECT id, sqrt(abs(i16::DOUBLE)), cbrt(i16), ln(abs(i16::DOUBLE) + 1), log10(abs(i16::DOUBLE) + 1), exp(TRY_CAST(i16 AS DOUBLE) / 1e6) FROM conf.all_types;

SELECT id, i32, TRY(-i32), TRY(i32 + 1), TRY(i32 - 1), TRY(i32 * 2), i32 / 3, TRY(i32 // 3), TRY(i32 % 3) FROM conf.all_types;

SELECT id, round(i32), round(i32, 1), round(i32, -1), ceil(i32), floor(i32), trunc(i32), TRY(abs(i32)), sign(i32) FROM conf.all_types;

SELECT sum(i32), avg(i32), min(i32), max(i32), count(i32), count(DISTINCT i32) FROM conf.all_types WHERE id > 100;

SELECT i32 > 0 AS positive, count(*), sum(i32), avg(i32) FROM conf.all_types WHERE id > 100 GROUP BY positive;

SELECT stddev_samp(i32), var_pop(i32), median(i32), quantile_cont(i32, 0.25), quantile_disc(i32, 0.9), sum(TRY(i32 * i32)) FROM conf.all_types WHERE id BETWEEN 100 AND 199;

SELECT id, sqrt(abs(i32::DOUBLE)), cbrt(i32), ln(abs(i32::DOUBLE) + 1), log10(abs(i32::DOUBLE) + 1), exp(TRY_CAST(i32 AS DOUBLE) / 1e6) FROM conf.all_types;

SELECT id, i64, TRY(-i64), TRY(i64 + 1), TRY(i64 - 1), TRY(i64 * 2), i64 / 3, TRY(i64 // 3), TRY(i64 % 3) FROM conf.all_types;

SELECT id, round(i64), round(i64, 1), round(i64, -1), ceil(i64), floor(i64), trunc(i64), TRY(abs(i64)), sign(i64) FROM conf.all_types;

SELECT sum(i64), avg(i64), min(i64), max(i64), count(i64), count(DISTINCT i64) FROM conf.all_types WHERE id > 100;

SELECT i64 > 0 AS positive, count(*), sum(i64), avg(i64) FROM conf.all_types WHERE id > 100 GROUP BY positive;

SELECT stddev_samp(i64), var_pop(i64), median(i64), quantile_cont(i64, 0.25), quantile_disc(i64, 0.9), sum(TRY(i64 * i64)) FROM conf.all_types WHERE id BETWEEN 100 AND 199;

SELECT id, sqrt(abs(i64::DOUBLE)), cbrt(i64), ln(abs(i64::DOUBLE) + 1), log10(abs(i64::DOUBLE) + 1), exp(TRY_CAST(i64 AS DOUBLE) / 1e6) FROM conf.all_types;

SELECT id, i128, TRY(-i128), TRY(i128 + 1), TRY(i128 - 1), TRY(i128 * 2), i128 / 3, TRY(i128 // 3), TRY(i128 % 3) FROM conf.all_types;

SELECT id, round(i128), round(i128, 1), round(i128, -1), ceil(i128), floor(i128), trunc(i128), TRY(abs(i128)), sign(i128) FROM conf.all_types;

SELECT sum(i128), avg(i128), min(i128), max(i128), count(i128), count(DISTINCT i128) FROM conf.all_types WHERE id > 100;

SELECT i128 > 0 AS positive, count(*), sum(i128), avg(i128) FROM conf.all_types WHERE id > 100 GROUP BY positive;

SELECT stddev_samp(i128), var_pop(i128), median(i128), quantile_cont(i128, 0.25), quantile_disc(i128, 0.9), sum(TRY(i128 * i128)) FROM conf.all_types WHERE id BETWEEN 100 AND 199;

SELECT id, sqrt(abs(i128::DOUBLE)), cbrt(i128), ln(abs(i128::DOUBLE) + 1), log10(abs(i128::DOUBLE) + 1), exp(TRY_CAST(i128 AS DOUBLE) / 1e6) FROM conf.all_types;

SELECT id, u8, TRY(-u8), TRY(u8 + 1), TRY(u8 - 1), TRY(u8 * 2), u8 / 3, TRY(u8 // 3), TRY(u8 % 3) FROM conf.all_types;

SELECT id, round(u8), round(u8, 1), round(u8, -1), ceil(u8), floor(u8), trunc(u8), TRY(abs(u8)), sign(u8) FROM conf.all_types;

SELECT sum(u8), avg(u8), min(u8), max(u8), count(u8), count(DISTINCT u8) FROM conf.all_types WHERE id > 100;

SELECT u8 > 0 AS positive, count(*), sum(u8), avg(u8) FROM conf.all_types WHERE id > 100 GROUP BY positive;

SELECT stddev_samp(u8), var_pop(u8), median(u8), quantile_cont(u8, 0.25), quantile_disc(u8, 0.9), sum(TRY(u8 * u8)) FROM conf.all_types WHERE id BETWEEN 100 AND 199;

SELECT id, sqrt(abs(u8::DOUBLE)), cbrt(u8), ln(abs(u8::DOUBLE) + 1), log10(abs(u8::DOUBLE) + 1), exp(TRY_CAST(u8 AS DOUBLE) / 1e6) FROM conf.all_types;

SELECT id, u16, TRY(-u16), TRY(u16 + 1), TRY(u16 - 1), TRY(u16 * 2), u16 / 3, TRY(u16 // 3), TRY(u16 % 3) FROM conf.all_types;

SELECT id, round(u16), round(u16, 1), round(u16, -1), ceil(u16), floor(u16), trunc(u16), TRY(abs(u16)), sign(u16) FROM conf.all_types;

SELECT sum(u16), avg(u16), min(u16), max(u16), count(u16), count(DISTINCT u16) FROM conf.all_types WHERE id > 100;

SELECT u16 > 0 AS positive, count(*), sum(u16), avg(u16) FROM conf.all_types WHERE id > 100 GROUP BY positive;

SELECT stddev_samp(u16), var_pop(u16), median(u16), quantile_cont(u16, 0.25), quantile_disc(u16, 0.9), sum(TRY(u16 * u16)) FROM conf.all_types WHERE id BETWEEN 100 AND 199;

SELECT id, sqrt(abs(u16::DOUBLE)), cbrt(u16), ln(abs(u16::DOUBLE) + 1), log10(abs(u16::DOUBLE) + 1), exp(TRY_CAST(u16 AS DOUBLE) / 1e6) FROM conf.all_types;

SELECT id, u32, TRY(-u32), TRY(u32 + 1), TRY(u32 - 1), TRY(u32 * 2), u32 / 3, TRY(u32 // 3), TRY(u32 % 3) FROM conf.all_types;

SELECT id, round(u32), round(u32, 1), round(u32, -1), ceil(u32), floor(u32), trunc(u32), TRY(abs(u32)), sign(u32) FROM conf.all_types;

SELECT sum(u32), avg(u32), min(u32), max(u32), count(u32), count(DISTINCT u32) FROM conf.all_types WHERE id > 100;

SELECT u32 > 0 AS positive, count(*), sum(u32), avg(u32) FROM conf.all_types WHERE id > 100 GROUP BY positive;

SELECT stddev_samp(u32), var_pop(u32), median(u32), quantile_cont(u32, 0.25), quantile_disc(u32, 0.9), sum(TRY(u32 * u32)) FROM conf.all_types WHERE id BETWEEN 100 AND 199;

SELECT id, sqrt(abs(u32::DOUBLE)), cbrt(u32), ln(abs(u32::DOUBLE) + 1), log10(abs(u32::DOUBLE) + 1), exp(TRY_CAST(u32 AS DOUBLE) / 1e6) FROM conf.all_types;

SELECT id, u64, TRY(-u64), TRY(u64 + 1), TRY(u64 - 1), TRY(u64 * 2), u64 / 3, TRY(u64 // 3), TRY(u64 % 3) FROM conf.all_types;

SELECT id, round(u64), round(u64, 1), round(u64, -1), ceil(u64), floor(u64), trunc(u64), TRY(abs(u64)), sign(u64) FROM conf.all_types;

SELECT sum(u64), avg(u64), min(u64), max(u64), count(u64), count(DISTINCT u64) FROM conf.all_types WHERE id > 100;

SELECT u64 > 0 AS positive, count(*), sum(u64), avg(u64) FROM conf.all_types WHERE id > 100 GROUP BY positive;

SELECT stddev_samp(u64), var_pop(u64), median(u64), quantile_cont(u64, 0.25), quantile_disc(u64, 0.9), sum(TRY(u64 * u64)) FROM conf.all_types WHERE id BETWEEN 100 AND 199;

SELECT id, sqrt(abs(u64::DOUBLE)), cbrt(u64), ln(abs(u64::DOUBLE) + 1), log10(abs(u64::DOUBLE) + 1), exp(TRY_CAST(u64 AS DOUBLE) / 1e6) FROM conf.all_types;

SELECT id, u128, TRY(-u128), TRY(u128 + 1), TRY(u128 - 1), TRY(u128 * 2), u128 / 3, TRY(u128 // 3), TRY(u128 % 3) FROM conf.all_types;

SELECT id, round(u128), round(u128, 1), round(u128, -1), ceil(u128), floor(u128), trunc(u128), TRY(abs(u128)), sign(u128) FROM conf.all_types;

SELECT sum(u128), avg(u128), min(u128), max(u128), count(u128), count(DISTINCT u128) FROM conf.all_types WHERE id > 100;

SELECT u128 > 0 AS positive, count(*), sum(u128), avg(u128) FROM conf.all_types WHERE id > 100 GROUP BY positive;

SELECT stddev_samp(u128), var_pop(u128), median(u128), quantile_cont(u128, 0.25), quantile_disc(u128, 0.9), sum(TRY(u128 * u128)) FROM conf.all_types WHERE id BETWEEN 100 AND 199;

SELECT id, sqrt(abs(u128::DOUBLE)), cbrt(u128), ln(abs(u128::DOUBLE) + 1), log10(abs(u128::DOUBLE) + 1), exp(TRY_CAST(u128 AS DOUBLE) / 1e6) FROM conf.all_types;

SELECT id, f32, TRY(-f32), TRY(f32 + 1), TRY(f32 - 1), TRY(f32 * 2), f32 / 3, TRY(f32 // 3), TRY(f32 % 3) FROM conf.all_types;

SELECT id, round(f32), round(f32, 1), round(f32, -1), ceil(f32), floor(f32), trunc(f32), TRY(abs(f32)), sign(f32) FROM conf.all_types;

SELECT sum(f32), avg(f32), min(f32), max(f32), count(f32), count(DISTINCT f32) FROM conf.all_types WHERE id > 100;

SELECT f32 > 0 AS positive, count(*), sum(f32), avg(f32) FROM conf.all_types WHERE id > 100 GROUP BY positive;

SELECT stddev_samp(f32), var_pop(f32), median(f32), quantile_cont(f32, 0.25), quantile_disc(f32, 0.9), sum(TRY(f32 * f32)) FROM conf.all_types WHERE id BETWEEN 100 AND 199;

SELECT id, sqrt(abs(f32::DOUBLE)), cbrt(f32), ln(abs(f32::DOUBLE) + 1), log10(abs(f32::DOUBLE) + 1), exp(TRY_CAST(f32 AS DOUBLE) / 1e6) FROM conf.all_types;

SELECT id, f64, TRY(-f64), TRY(f64 + 1), TRY(f64 - 1), TRY(f64 * 2), f64 / 3, TRY(f64 // 3), TRY(f64 % 3) FROM conf.all_types;

SELECT id, round(f64), round(f64, 1), round(f64, -1), ceil(f64), floor(f64), trunc(f64), TRY(abs(f64)), sign(f64) FROM conf.all_types;

SELECT sum(f64), avg(f64), min(f64), max(f64), count(f64), count(DISTINCT f64) FROM conf.all_types WHERE id > 100;

SELECT f64 > 0 AS positive, count(*), sum(f64), avg(f64) FROM conf.all_types WHERE id > 100 GROUP BY positive;

SELECT stddev_samp(f64), var_pop(f64), median(f64), quantile_cont(f64, 0.25), quantile_disc(f64, 0.9), sum(TRY(f64 * f64)) FROM conf.all_types WHERE id BETWEEN 100 AND 199;

SELECT id, sqrt(abs(f64::DOUBLE)), cbrt(f64), ln(abs(f64::DOUBLE) + 1), log10(abs(f64::DOUBLE) + 1), exp(TRY_CAST(f64 AS DOUBLE) / 1e6) FROM conf.all_types;

SELECT id, d4, TRY(-d4), TRY(d4 + 1), TRY(d4 - 1), TRY(d4 * 2), d4 / 3, TRY(d4 // 3), TRY(d4 % 3) FROM conf.all_types;

SELECT id, round(d4), round(d4, 1), round(d4, -1), ceil(d4), floor(d4), trunc(d4), TRY(abs(d4)), sign(d4) FROM conf.all_types;

SELECT sum(d4), avg(d4), min(d4), max(d4), count(d4), count(DISTINCT d4) FROM conf.all_types WHERE id > 100;

SELECT d4 > 0 AS positive, count(*), sum(d4), avg(d4) FROM conf.all_types WHERE id > 100 GROUP BY positive;

SELECT stddev_samp(d4), var_pop(d4), median(d4), quantile_cont(d4, 0.25), quantile_disc(d4, 0.9), sum(TRY(d4 * d4)) FROM conf.all_types WHERE id BETWEEN 100 AND 199;

SELECT id, sqrt(abs(d4::DOUBLE)), cbrt(d4), ln(abs(d4::DOUBLE) + 1), log10(abs(d4::DOUBLE) + 1), exp(TRY_CAST(d4 AS DOUBLE) / 1e6) FROM conf.all_types;

SELECT id, d9, TRY(-d9), TRY(d9 + 1), TRY(d9 - 1), TRY(d9 * 2), d9 / 3, TRY(d9 // 3), TRY(d9 % 3) FROM conf.all_types;

SELECT id, round(d9), round(d9, 1), round(d9, -1), ceil(d9), floor(d9), trunc(d9), TRY(abs(d9)), sign(d9) FROM conf.all_types;

SELECT sum(d9), avg(d9), min(d9), max(d9), count(d9), count(DISTINCT d9) FROM conf.all_types WHERE id > 100;

SELECT d9 > 0 AS positive, count(*), sum(d9), avg(d9) FROM conf.all_types WHERE id > 100 GROUP BY positive;

SELECT stddev_samp(d9), var_pop(d9), median(d9), quantile_cont(d9, 0.25), quantile_disc(d9, 0.9), sum(TRY(d9 * d9)) FROM conf.all_types WHERE id BETWEEN 100 AND 199;

SELECT id, sqrt(abs(d9::DOUBLE)), cbrt(d9), ln(abs(d9::DOUBLE) + 1), log10(abs(d9::DOUBLE) + 1), exp(TRY_CAST(d9 AS DOUBLE) / 1e6) FROM conf.all_types;

SELECT id, d18, TRY(-d18), TRY(d18 + 1), TRY(d18 - 1), TRY(d18 * 2), d18 / 3, TRY(d18 // 3), TRY(d18 % 3) FROM conf.all_types;

SELECT id, round(d18), round(d18, 1), round(d18, -1), ceil(d18), floor(d18), trunc(d18), TRY(abs(d18)), sign(d18) FROM conf.all_types;

SELECT sum(d18), avg(d18), min(d18), max(d18), count(d18), count(DISTINCT d18) FROM conf.all_types WHERE id > 100;

SELECT d18 > 0 AS positive, count(*), sum(d18), avg(d18) FROM conf.all_types WHERE id > 100 GROUP BY positive;

SELECT stddev_samp(d18), var_pop(d18), median(d18), quantile_cont(d18, 0.25), quantile_disc(d18, 0.9), sum(TRY(d18 * d18)) FROM conf.all_types WHERE id BETWEEN 100 AND 199;

SELECT id, sqrt(abs(d18::DOUBLE)), cbrt(d18), ln(abs(d18::DOUBLE) + 1), log10(abs(d18::DOUBLE) + 1), exp(TRY_CAST(d18 AS DOUBLE) / 1e6) FROM conf.all_types;

SELECT id, d38, TRY(-d38), TRY(d38 + 1), TRY(d38 - 1), TRY(d38 * 2), d38 / 3, TRY(d38 // 3), TRY(d38 % 3) FROM conf.all_types;

SELECT id, round(d38), round(d38, 1), round(d38, -1), ceil(d38), floor(d38), trunc(d38), TRY(abs(d38)), sign(d38) FROM conf.all_types;

SELECT sum(d38), avg(d38), min(d38), max(d38), count(d38), count(DISTINCT d38) FROM conf.all_types WHERE id > 100;

SELECT d38 > 0 AS positive, count(*), sum(d38), avg(d38) FROM conf.all_types WHERE id > 100 GROUP BY positive;

SELECT stddev_samp(d38), var_pop(d38), median(d38), quantile_cont(d38, 0.25), quantile_disc(d38, 0.9), sum(TRY(d38 * d38)) FROM conf.all_types WHERE id BETWEEN 100 AND 199;

SELECT id, sqrt(abs(d38::DOUBLE)), cbrt(d38), ln(abs(d38::DOUBLE) + 1), log10(abs(d38::DOUBLE) + 1), exp(TRY_CAST(d38 AS DOUBLE) / 1e6) FROM conf.all_types;

-- Integer overflow fails; the result type of + - * on integers is the wider operand's.

SELECT id, i8 + 1 FROM conf.all_types WHERE id = 2;

SELECT id, i64 * 2 FROM conf.all_types WHERE id = 2;

SELECT id, i64 - 1 FROM conf.all_types WHERE id = 1;

SELECT id, u64 + 1 FROM conf.all_types WHERE id = 2;

SELECT id, u8 - 1 FROM conf.all_types WHERE id = 1;

SELECT 2147483647 + 1, 9223372036854775807 + 1, -9223372036854775808 - 1;

SELECT 9223372036854775807::BIGINT + 1::BIGINT;

SELECT id, i8 + i8, i8 * i8, i16 * i16, i32 * i32 FROM conf.all_types WHERE id BETWEEN 5 AND 7;

SELECT id, i32::BIGINT * i32, i64::HUGEINT * 2, u64::UHUGEINT * 3, i8::INTEGER * 1000 FROM conf.all_types;

SELECT id, TRY(i128 * 2), TRY(u128 + 1), TRY(i128 - 1), TRY(u128 - 1) FROM conf.all_types;

SELECT sum(i64), sum(u64), sum(i128), avg(i64), avg(u64) FROM conf.all_types;

SELECT sum(u128) FROM conf.all_types;

SELECT sum(i128) FROM conf.all_types WHERE id < 3;

SELECT sum(i8), sum(i16), sum(i32), typeof(sum(i8)), typeof(sum(i32)), typeof(sum(i64)), typeof(sum(u64)) FROM conf.all_types;

SELECT avg(i8), avg(i128), avg(u128), avg(d38), avg(d4) FROM conf.all_types;

SELECT product(i8), product(d4), product(f64) FROM conf.all_types WHERE id BETWEEN 101 AND 110;

SELECT -(-9223372036854775807 - 1);

SELECT abs(-9223372036854775807), abs((-128)::TINYINT + 1), @(-5), @(-5.5);

-- Division, integer division, modulo; by zero.

SELECT 7 / 2, 7 // 2, 7 % 2, -7 / 2, -7 // 2, -7 % 2, 7 % -2, -7 // -2, 7.5 // 2, 7.5 % 2;

SELECT 1 / 0, 1 // 0, 1 % 0, 0 / 0, -1 / 0, 1.5 / 0, 1.5 // 0, 1.5 % 0;

SELECT 1::DOUBLE / 0, -1::DOUBLE / 0, 0::DOUBLE / 0, 1 / 0.0, 1::FLOAT / 0, 5::DOUBLE % 0, 'inf'::DOUBLE / 'inf'::DOUBLE;

SELECT id, i32 / 0, i32 // 0, i32 % 0, f64 / 0, d9 / 0 FROM conf.all_types;

SELECT id, 100 / i8, 100 // i8, 100 % i8, 1000000 / nullif(i32, 0) FROM conf.all_types;

SELECT id, i64 // -1 FROM conf.all_types WHERE id = 1;

SELECT id, TRY(i64 % -1), TRY(i64 // -1), i32 // 7, i32 % 7, i32 % -7 FROM conf.all_types;

SELECT id, f64 % 3, fmod(f64, 3), f64 // 3, fdiv(f64, 3) FROM conf.all_types;

SELECT id, d9 / d4, d9 // d4, d9 % d4, d18 / 7, d38 / 3 FROM conf.all_types WHERE d4 <> 0;

SELECT 10 / 4, typeof(10 / 4), 10 // 4, typeof(10 // 4), 10::DECIMAL(4,1) / 4, typeof(10::DECIMAL(4,1) / 4), 10 / 4::DOUBLE;

SELECT divide(7, 2), mod(-7, 2), mod(7.5, 2), fmod(-7.5, 2), 2 ^ 10, 2 ** 0.5;

-- Decimal arithmetic: exact, with widened precision and scale; overflow fails.

SELECT 0.1 + 0.2 = 0.3, 0.1::DOUBLE + 0.2::DOUBLE = 0.3, 1.10 * 1.10, 1.234 * 10.5, 12345.6789 - 0.0001, 1.5 * 1.5 * 1.5;

SELECT typeof(1.10 * 1.10), typeof(12345.6789 - 0.0001), typeof(d4 + d9), typeof(d4 * d9), typeof(d38 * d38), typeof(d18 * d18) FROM conf.all_types WHERE id = 5;

SELECT id, d4 + d9, d4 - d18, d9 * d4, TRY(d18 * d4), d4 * d4 * d4 FROM conf.all_types;

SELECT id, d38 + d38 FROM conf.all_types WHERE id = 2;

SELECT id, d38 * 10 FROM conf.all_types WHERE id = 2;

SELECT id, TRY(d38 + d38), TRY(d38 * d4), d38 * 1.0, d38 / 10 FROM conf.all_types;

SELECT id, d9 + i32, d4 * i8, d18 + f64, d9 + 0.001, d4 - 1 FROM conf.all_types;

SELECT sum(d4), sum(d9), sum(d18), sum(d38), avg(d9), min(d38), max(d18) FROM conf.all_types;

SELECT sum(amount), avg(amount), min(amount), max(amount), sum(amount * qty), sum(amount) / count(*) FROM conf.orders;

SELECT status, sum(amount), avg(amount), round(avg(amount), 2), stddev_pop(amount) FROM conf.orders GROUP BY status;

SELECT customer_id, sum(amount * qty) AS total FROM conf.orders GROUP BY customer_id ORDER BY total DESC, customer_id NULLS FIRST LIMIT 10;

SELECT tier, sum(credit), avg(credit), max(credit) - min(credit) FROM conf.customers GROUP BY tier;

-- Rounding in all its forms.

SELECT round(2.5), round(3.5), round(-2.5), round(-0.5), round(0.5), round(1.45, 1), round(1.55, 1), round(-1.45, 1);

SELECT round(2.5::DOUBLE), round(3.5::DOUBLE), round(-2.5::DOUBLE), round(0.5::FLOAT), round(1.005::DOUBLE, 2), round(2.675::DOUBLE, 2);

SELECT round_even(2.5, 0), round_even(3.5, 0), round_even(-2.5, 0), round_even(0.125, 2), roundbankers(4.5, 0), roundbankers(5.5, 0);

SELECT round(1234.5678, -2), round(1234.5678, 2), round(1234.5678::DOUBLE, -2), round(15, -1), round(-15, -1), round(149, -2), round(150, -2);

SELECT round(123.456, 10), round(123.456::DOUBLE, 20), round(1e300::DOUBLE, -299), round('nan'::DOUBLE), round('-inf'::DOUBLE, 2);

SELECT ceil(1.1), ceil(-1.1), ceil(1.0), floor(1.9), floor(-1.9), trunc(1.9), trunc(-1.9), ceiling(2.000001), trunc(123.456, 1), trunc(-123.456, -1);

SELECT ceil(1.1::DOUBLE), floor(-1.1::DOUBLE), trunc(-1.9::FLOAT), ceil(-0.5::DOUBLE), floor('inf'::DOUBLE), ceil('nan'::DOUBLE);

SELECT id, round(f64, 2), round(f32, 2), ceil(f64), floor(f32), trunc(f64), round_even(f64, 1) FROM conf.all_types;

SELECT id, round(d18, 2), round(d38, 5), round(d9, -2), ceil(d18), floor(d38), trunc(d9, 1) FROM conf.all_types;

SELECT id, even(f64), even(d9), even(i32) FROM conf.all_types WHERE id > 100;

-- Math functions, domains and special values.

SELECT sqrt(2), sqrt(0), sqrt('inf'::DOUBLE), sqrt('nan'::DOUBLE), cbrt(-27), cbrt(2), sqrt(1e308);

SELECT sqrt(-1);

SELECT ln(-1);

SELECT ln(0);

SELECT log10(0);

SELECT ln(1), ln(exp(1)), log10(1000), log2(1024), log(100), log(2, 8), log(10, 1e-5), ln('inf'::DOUBLE);

SELECT exp(0), exp(1), exp(709), exp(710), exp(-1000), exp('-inf'::DOUBLE), exp('nan'::DOUBLE);

SELECT pow(2, 10), power(2, -1), pow(-8, 1.0 / 3), pow(0, 0), pow(0, -1), pow(10, 308), pow(10, 309), pow(-1, 0.5), pow(2::DOUBLE, 1024);

SELECT 2 ^ 62, 2::BIGINT ^ 63, 10 ^ -2, (-2) ^ 3, -2 ^ 2;

SELECT pi(), sin(pi() / 6), cos(pi()), tan(pi() / 4), asin(1), acos(0), atan(1), atan2(1, -1), atan2(0, -0.0), cot(1);

SELECT asin(2);

SELECT acos(-1.5);

SELECT sin('inf'::DOUBLE);

SELECT sinh(1), cosh(1), tanh(100), asinh(1), acosh(1), atanh(0.5), degrees(pi()), radians(180);

SELECT factorial(0), factorial(5), factorial(20), factorial(25), 5!;

SELECT gamma(5), gamma(0.5), lgamma(100), lgamma(1), gamma(-1.5);

SELECT gcd(12, 18), gcd(-12, 18), gcd(0, 0), lcm(4, 6), lcm(0, 5), gcd(9223372036854775807, 3), lcm(-4, 6);

SELECT sign(-5), sign(0), sign(5), sign(-0.0), sign('nan'::DOUBLE), sign('-inf'::DOUBLE), signbit(-0.0::DOUBLE), signbit(0.0::DOUBLE), signbit(-1);

SELECT isnan('nan'::DOUBLE), isinf('-inf'::FLOAT), isfinite(1e308), isnan(1), isinf(1), isfinite('nan'::DOUBLE), nextafter(1::DOUBLE, 2::DOUBLE), nextafter(0::FLOAT, 1::FLOAT);

SELECT id, isnan(f32), isinf(f32), isfinite(f32), signbit(f64), sign(f64), abs(f64), -f64 FROM conf.all_types;

SELECT id, sqrt(f64), exp(f32), ln(f64), cbrt(f64), sin(f64), atan(f64) FROM conf.all_types WHERE f64 > 0 AND isfinite(f64);

SELECT id, pow(f64, 2), pow(2, f64), f64 * f64, f64 + f32, f64 - f64, f64 * 0 FROM conf.all_types;

SELECT id, f32 * 2, f32 / 3, f32 + 1e30, TRY(f32 * 1e30), f32::DOUBLE * 1e30 FROM conf.all_types;

SELECT 3.4028235e38::FLOAT * 2;

SELECT 1.7976931348623157e308 * 10, -1.7976931348623157e308 * 10, 1e308 + 1e308;

SELECT 'inf'::DOUBLE - 'inf'::DOUBLE, 'inf'::DOUBLE * 0, 'nan'::DOUBLE + 1, 'nan'::DOUBLE * 0, -'nan'::DOUBLE, 0.0 * -1, (-0.0)::DOUBLE * 1;

SELECT 1e-308::DOUBLE / 1e10, 5e-324::DOUBLE, 5e-324::DOUBLE / 2, 1.4e-45::FLOAT, 2.2250738585072014e-308::DOUBLE;

SELECT 0.1::FLOAT + 0.2::FLOAT, 0.1::FLOAT * 3, 1::FLOAT / 3, 16777216::FLOAT + 1, 123456789::FLOAT;

-- Bits.

SELECT 12 & 10, 12 | 10, xor(12, 10), ~12, 1 << 10, 1024 >> 3, -1 >> 1, 1::BIGINT << 62, bit_count(255), bit_count(-1);

SELECT 1::BIGINT << 31, 1::INTEGER << 30, 255::UTINYINT >> 1, (-128)::TINYINT >> 7;

SELECT 1::BIGINT << 64;

SELECT id, i32 & 255, i32 | 1, xor(i32, -1), ~i32, bit_count(i64), u8 << 1, u8 >> 4 FROM conf.all_types WHERE id BETWEEN 3 AND 7 OR id > 100;

SELECT bit_and(i32), bit_or(i32), bit_xor(i32), bit_and(u64), bit_or(u8) FROM conf.all_types WHERE id > 100;

SELECT bit_or(qty), bit_and(qty), bit_xor(customer_id) FROM conf.orders;

-- Numeric aggregates and statistics.

SELECT count(*), count(f64), sum(f64), avg(f64), min(f64), max(f64) FROM conf.all_types;

SELECT count(*), sum(f64), avg(f64), min(f64), max(f64) FROM conf.all_types WHERE isfinite(f64) AND abs(f64) < 1e300;

SELECT sum(f32), avg(f32), min(f32), max(f32), fsum(f64), sumkahan(f64) FROM conf.all_types WHERE id > 100;

SELECT median(amount), quantile_cont(amount, 0.5), quantile_disc(amount, 0.5), quantile_cont(amount, [0.1, 0.5, 0.9]), quantile_disc(qty, [0.25, 0.75]) FROM conf.orders;

SELECT mad(amount), stddev_samp(amount), stddev_pop(amount), var_samp(amount), var_pop(amount), kurtosis(amount), skewness(amount) FROM conf.orders;

SELECT corr(amount, qty), covar_pop(amount, qty), covar_samp(amount, qty), regr_slope(amount, qty), regr_intercept(amount, qty), regr_r2(amount, qty), regr_count(amount, qty) FROM conf.orders;

SELECT status, median(qty), quantile_disc(amount, 0.9), avg(qty), mode(status) FROM conf.orders GROUP BY status;

SELECT entropy(qty), approx_count_distinct(customer_id), count(DISTINCT customer_id), histogram(qty) FROM conf.orders;

SELECT sum(price), avg(price), max(price), count(*) FROM conf.items;

SELECT sku, round(sum(price), 2), round(avg(price), 4), min(price), max(price) FROM conf.items GROUP BY sku;

SELECT order_id, sum(price) AS total FROM conf.items GROUP BY order_id HAVING sum(price) > 250;

SELECT bool_and(qty > 0), bool_or(qty > 8), bool_and(amount > 500), count_if(qty = 9), sum(qty) FILTER (WHERE status = 'paid') FROM conf.orders;

SELECT region, sum(amount), avg(units), sum(amount) / sum(units) FROM conf.sales GROUP BY region;

SELECT year, quarter, sum(amount) AS total FROM conf.sales GROUP BY year, quarter ORDER BY year, quarter;

SELECT avg(small), sum(small), typeof(sum(small)) FROM conf.evolving;

SELECT sum(a), avg(a), min(a), stddev_samp(a), median(a) FROM conf.empty;

SELECT sum(i), avg(i), sum(i * i), stddev_pop(i), var_samp(i), median(i) FROM range(1, 1001) t(i);

SELECT sum(i::DOUBLE / 7), sum(1.0 / i), sum(i::DECIMAL(10,2) / 3) FROM range(1, 10001) t(i);

SELECT i, i / 3, i // 3, i % 3, -i // 3, -i % 3 FROM generate_series(-6, 6) t(i);

SELECT i, 2 ^ i, 2::BIGINT << i FROM range(0, 62) t(i);

SELECT sum(i) FROM range(0, 100000) t(i);

SELECT sum(i::HUGEINT * 1000000000000) FROM range(0, 100000) t(i);

-- Windows over numbers, ordered totally.

SELECT id, amount, sum(amount) OVER (ORDER BY id) AS running, avg(amount) OVER (ORDER BY id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) FROM conf.orders ORDER BY id;

SELECT id, status, amount, rank() OVER (PARTITION BY status ORDER BY amount DESC, id), round(amount / sum(amount) OVER (PARTITION BY status), 6) FROM conf.orders ORDER BY id;

SELECT id, f64, row_number() OVER (ORDER BY f64 NULLS FIRST, id), lag(f64) OVER (ORDER BY id) FROM conf.all_types ORDER BY id;

SELECT id, i32, i32 - lag(i32) OVER (ORDER BY id), ntile(4) OVER (ORDER BY id), percent_rank() OVER (ORDER BY id), cume_dist() OVER (ORDER BY id) FROM conf.all_types WHERE id BETWEEN 100 AND 199 ORDER BY id;
