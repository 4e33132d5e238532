//! Times and durations as text, in the forms trace formats write them:
//! RFC 3339 (`2017-01-26T16:46:31.639875-05:00`, Jaeger's api_v2, the
//! console exporter) and durations with a unit (`22938000ns`, `0.001s`).

/// Nanoseconds since 1970 of an RFC 3339 time; `None` when it is not one
/// or is before 1970.
pub fn rfc3339_nanos(text: &str) -> Option<u64> {
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = text.get(range)?;
        part.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let year = digits(0..4)?;
    let month = digits(5..7)?;
    let day = digits(8..10)?;
    let hour = digits(11..13)?;
    let minute = digits(14..16)?;
    let second = digits(17..19)?;
    let separators_ok = bytes.get(4) == Some(&b'-')
        && bytes.get(7) == Some(&b'-')
        && matches!(bytes.get(10), Some(b'T' | b't' | b' '))
        && bytes.get(13) == Some(&b':')
        && bytes.get(16) == Some(&b':');
    if !separators_ok
        || !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut rest = text.get(19..)?;
    let mut fraction_nanos = 0i64;
    if let Some(fraction) = rest.strip_prefix('.') {
        let len = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if len == 0 {
            return None;
        }
        let kept = fraction.get(..len.min(9))?;
        fraction_nanos = kept.parse::<i64>().ok()? * 10i64.pow(9 - u32::try_from(kept.len()).ok()?);
        rest = fraction.get(len..)?;
    }
    let offset_seconds = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let hours: i64 = rest.get(1..3)?.parse().ok()?;
            let minutes: i64 = rest.get(4..6)?.parse().ok()?;
            if rest.len() != 6 || rest.as_bytes().get(3) != Some(&b':') {
                return None;
            }
            sign * (hours * 3600 + minutes * 60)
        }
    };
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset_seconds;
    let nanos = i128::from(seconds) * 1_000_000_000 + i128::from(fraction_nanos);
    u64::try_from(nanos).ok()
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// Nanoseconds of a duration with a unit: `22938000ns`, `1.5ms`, `0.001s`,
/// `12us`, `15m`, `1h`; `None` for anything else.
pub fn duration_nanos(text: &str) -> Option<u64> {
    let text = text.trim();
    let split = text.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
    let (number, unit) = text.split_at(split);
    let nanos_per: f64 = match unit {
        "ns" => 1.0,
        "us" | "µs" => 1e3,
        "ms" => 1e6,
        "s" => 1e9,
        "m" => 60e9,
        "h" => 3600e9,
        _ => return None,
    };
    if unit == "ns" && !number.contains('.') {
        return number.parse().ok();
    }
    let value: f64 = number.parse().ok()?;
    let nanos = (value * nanos_per).round();
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // checked to be in range
    (0.0..1.8e19).contains(&nanos).then_some(nanos as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_times() {
        assert_eq!(rfc3339_nanos("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(
            rfc3339_nanos("2017-01-26T16:46:31.639875-05:00"),
            Some(1_485_467_191_639_875_000)
        );
        assert_eq!(
            rfc3339_nanos("2024-02-29T12:00:00.123456789Z"),
            Some(1_709_208_000_123_456_789)
        );
        assert_eq!(
            rfc3339_nanos("2024-02-29T12:00:00+01:00"),
            Some(1_709_204_400_000_000_000)
        );
        assert_eq!(rfc3339_nanos("2024-13-01T00:00:00Z"), None);
        assert_eq!(rfc3339_nanos("yesterday"), None);
        assert_eq!(rfc3339_nanos("1969-12-31T23:59:59Z"), None);
        assert_eq!(rfc3339_nanos("2024-02-29T12:00:00"), None);
    }

    #[test]
    fn durations() {
        assert_eq!(duration_nanos("22938000ns"), Some(22_938_000));
        assert_eq!(duration_nanos("0.001s"), Some(1_000_000));
        assert_eq!(duration_nanos("1.5ms"), Some(1_500_000));
        assert_eq!(duration_nanos("12us"), Some(12_000));
        assert_eq!(duration_nanos("12"), None);
        assert_eq!(duration_nanos("-1s"), None);
    }
}
