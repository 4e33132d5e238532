//! Display formatting shared by the views: durations and timestamps as people
//! read them. Plain functions, so they are tested natively.

/// A duration in the largest unit that keeps it readable, with three
/// significant digits: `850 ns`, `12.3 µs`, `1.35 s`, `2 min 5 s`.
pub fn duration(nanos: u64) -> String {
    const UNITS: [(u64, &str); 3] = [(1_000_000_000, "s"), (1_000_000, "ms"), (1_000, "µs")];
    if nanos < 1_000 {
        return format!("{nanos} ns");
    }
    if nanos >= 60_000_000_000 {
        let seconds = nanos / 1_000_000_000;
        let (hours, minutes, seconds) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
        return if hours > 0 {
            format!("{hours} h {minutes} min")
        } else {
            format!("{minutes} min {seconds} s")
        };
    }
    for (scale, unit) in UNITS {
        if nanos >= scale {
            #[allow(clippy::cast_precision_loss)] // display only, three digits
            let value = nanos as f64 / scale as f64;
            return format!("{} {unit}", three_significant(value));
        }
    }
    format!("{nanos} ns")
}

/// `1.35`, `12.3`, `123`: three significant digits without trailing zeros.
fn three_significant(value: f64) -> String {
    let decimals = if value >= 100.0 {
        0
    } else if value >= 10.0 {
        1
    } else {
        2
    };
    let text = format!("{value:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    }
}

/// A UTC timestamp as `2026-11-20 10:00:00.040 UTC` (milliseconds).
pub fn utc_timestamp(unix_nanos: u64) -> String {
    format!("{} UTC", wall_clock(unix_nanos))
}

/// A timestamp in a time zone `offset_minutes` east of UTC, as
/// `2026-11-20 11:00:00.040 UTC+01:00`: the browser gives the offset
/// (`Date.getTimezoneOffset`), and this needs no `Intl` formatter, whose
/// first use loads the locale's data, in the middle of a selection.
pub fn local_timestamp(unix_nanos: u64, offset_minutes: i32) -> String {
    let shift = i128::from(offset_minutes) * 60_000_000_000;
    let local = (i128::from(unix_nanos) + shift).clamp(0, i128::from(u64::MAX));
    let local = u64::try_from(local).unwrap_or(0);
    let sign = if offset_minutes < 0 { '-' } else { '+' };
    let offset = offset_minutes.unsigned_abs();
    format!(
        "{} UTC{sign}{:02}:{:02}",
        wall_clock(local),
        offset / 60,
        offset % 60
    )
}

/// `2026-11-20 10:00:00.040` of nanoseconds since 1970-01-01 00:00.
fn wall_clock(unix_nanos: u64) -> String {
    let (date, time) = date_and_time(unix_nanos);
    format!("{date} {time}.{:03}", unix_nanos / 1_000_000 % 1000)
}

/// `2026-11-20` and `10:00:00` (UTC) of nanoseconds since 1970.
fn date_and_time(unix_nanos: u64) -> (String, String) {
    let seconds_total = unix_nanos / 1_000_000_000;
    let (days, day_seconds) = (seconds_total / 86_400, seconds_total % 86_400);
    let (year, month, day) = civil_from_days(days);
    (
        format!("{year:04}-{month:02}-{day:02}"),
        format!(
            "{:02}:{:02}:{:02}",
            day_seconds / 3600,
            day_seconds / 60 % 60,
            day_seconds % 60
        ),
    )
}

/// A time as RFC 3339 in UTC with nanoseconds, as query APIs take it:
/// `2026-11-20T10:00:00.040000000Z`.
pub fn rfc3339(unix_nanos: u64) -> String {
    let (date, time) = date_and_time(unix_nanos);
    format!("{date}T{time}.{:09}Z", unix_nanos % 1_000_000_000)
}

/// Days since 1970-01-01 to (year, month, day) in the proleptic Gregorian
/// calendar (Howard Hinnant's `civil_from_days`, for non-negative days).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

/// `1 span`, `9 spans`, `1,234 spans`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!(
        "{} {}",
        thousands(n as u64),
        if n == 1 { one } else { many }
    )
}

/// `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut grouped = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

/// Dollars: cents for a dollar or more (`$1.23`), else two significant
/// digits (`$0.0075`, `$0.00013`): a model call costs fractions of a cent.
pub fn usd(amount: f64) -> String {
    if !amount.is_finite() || amount <= 0.0 {
        return "$0".to_owned();
    }
    if amount >= 1.0 {
        return format!("${amount:.2}");
    }
    // Digits after the point for two significant ones.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // 1 to 300
    let decimals = (1.0 - amount.log10().floor()).clamp(2.0, 12.0) as usize;
    format!("${amount:.decimals$}")
}

/// A byte size in decimal units: `512 B`, `10.9 MB`.
pub fn bytes(n: usize) -> String {
    const UNITS: [(usize, &str); 3] = [(1_000_000_000, "GB"), (1_000_000, "MB"), (1_000, "kB")];
    for (scale, unit) in UNITS {
        if n >= scale {
            #[allow(clippy::cast_precision_loss)] // display only
            return format!("{} {unit}", three_significant(n as f64 / scale as f64));
        }
    }
    format!("{n} B")
}

/// `"text"` quoted for a message, cut to 40 characters so a huge value does
/// not flood the error.
pub fn quoted(text: &str) -> String {
    const MAX_CHARS: usize = 40;
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(MAX_CHARS).collect();
    if chars.next().is_some() {
        format!("{head:?}… ({} characters)", text.chars().count())
    } else {
        format!("{head:?}")
    }
}

/// The start of `text` that a collapsed view shows: its first `max_lines`
/// lines, at most `max_chars` characters, found without walking the rest
/// (a 10 MB prompt costs what its head does: its lines are looked for
/// only within the head's characters, as a prompt of one long line would
/// otherwise be searched to its end).
pub fn head(text: &str, max_chars: usize, max_lines: usize) -> &str {
    let by_chars = text
        .char_indices()
        .nth(max_chars)
        .map_or(text.len(), |(at, _)| at);
    let head = &text[..by_chars];
    let by_lines = match max_lines {
        0 => 0,
        n => head
            .match_indices('\n')
            .nth(n - 1)
            .map_or(head.len(), |(at, _)| at),
    };
    &head[..by_lines]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dollars_to_two_significant_digits_under_one() {
        assert_eq!(usd(0.0075), "$0.0075");
        assert_eq!(usd(0.000_126_45), "$0.00013");
        assert_eq!(usd(0.1), "$0.10");
        assert_eq!(usd(0.25), "$0.25");
        assert_eq!(usd(1.0), "$1.00");
        assert_eq!(usd(1234.567), "$1234.57");
        assert_eq!(usd(0.0), "$0");
        assert_eq!(usd(f64::NAN), "$0");
    }

    #[test]
    fn rfc3339_writes_nanoseconds() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00.000000000Z");
        assert_eq!(
            rfc3339(1_796_470_200_500_000_001),
            "2026-12-05T11:30:00.500000001Z"
        );
    }

    #[test]
    fn a_head_is_the_first_lines_up_to_a_number_of_characters() {
        assert_eq!(head("one\ntwo\nthree", 100, 2), "one\ntwo");
        assert_eq!(head("one\ntwo\nthree", 5, 2), "one\nt");
        assert_eq!(head("short", 100, 3), "short");
        assert_eq!(head("héllo wörld", 4, 1), "héll");
        assert_eq!(head("a\nb", 10, 0), "");
        assert_eq!(head("ab\ncd", 2, 1), "ab");
        assert_eq!(head("ab\ncd", 3, 1), "ab");
    }

    #[test]
    fn a_local_timestamp_is_shifted_by_its_offset_and_names_it() {
        let at = 1_795_168_800_040_000_000; // 2026-11-20 10:00:00.040 UTC
        assert_eq!(local_timestamp(at, 60), "2026-11-20 11:00:00.040 UTC+01:00");
        assert_eq!(
            local_timestamp(at, -330),
            "2026-11-20 04:30:00.040 UTC-05:30"
        );
        assert_eq!(local_timestamp(at, 0), "2026-11-20 10:00:00.040 UTC+00:00");
        assert_eq!(
            local_timestamp(at, 14 * 60),
            "2026-11-21 00:00:00.040 UTC+14:00"
        );
        // Before 1970 in a zone west of UTC: the epoch, not an overflow.
        assert_eq!(local_timestamp(0, -60), "1970-01-01 00:00:00.000 UTC-01:00");
    }

    #[test]
    fn durations_pick_a_readable_unit() {
        assert_eq!(duration(0), "0 ns");
        assert_eq!(duration(850), "850 ns");
        assert_eq!(duration(12_340), "12.3 µs");
        assert_eq!(duration(1_000_000), "1 ms");
        assert_eq!(duration(1_350_000_000), "1.35 s");
        assert_eq!(duration(4_180_000_000), "4.18 s");
        assert_eq!(duration(125_000_000_000), "2 min 5 s");
        assert_eq!(duration(7_500_000_000_000), "2 h 5 min");
    }

    #[test]
    fn timestamps_are_utc_with_milliseconds() {
        assert_eq!(utc_timestamp(0), "1970-01-01 00:00:00.000 UTC");
        assert_eq!(
            utc_timestamp(1_795_168_800_040_000_000),
            "2026-11-20 10:00:00.040 UTC"
        );
        assert_eq!(
            utc_timestamp(951_782_400_000_000_000),
            "2000-02-29 00:00:00.000 UTC"
        );
    }

    #[test]
    fn byte_sizes_use_decimal_units() {
        assert_eq!(bytes(512), "512 B");
        assert_eq!(bytes(19_039), "19 kB");
        assert_eq!(bytes(10_900_000), "10.9 MB");
        assert_eq!(bytes(1_464_686), "1.46 MB");
    }

    #[test]
    fn counts_are_grouped_and_pluralised() {
        assert_eq!(count(1, "span", "spans"), "1 span");
        assert_eq!(count(9, "span", "spans"), "9 spans");
        assert_eq!(count(1_234_567, "span", "spans"), "1,234,567 spans");
    }
}
