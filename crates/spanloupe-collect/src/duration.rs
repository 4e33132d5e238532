//! Durations as people and Jaeger write them: `30m`, `24h`, `7d`, `1.5s`,
//! `250ms`, `1h30m` (Go's form, which Jaeger's API uses, plus days).

use std::time::Duration;

/// Parses a duration; a bare number is seconds.
pub fn parse(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("a duration is empty: write it like 30m, 24h, 7d or 250ms".into());
    }
    if let Ok(seconds) = text.parse::<f64>() {
        return from_seconds(seconds, text);
    }
    let mut total = 0f64;
    let mut rest = text;
    while !rest.is_empty() {
        let number_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let (number, after) = rest.split_at(number_end);
        let unit_end = after
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(after.len());
        let (unit, next) = after.split_at(unit_end);
        let value: f64 = number.parse().map_err(|_| {
            format!("{text:?} is not a duration: write it like 30m, 24h, 7d or 250ms")
        })?;
        let seconds_per = match unit {
            "ns" => 1e-9,
            "us" | "µs" => 1e-6,
            "ms" => 1e-3,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            "d" => 86400.0,
            _ => {
                return Err(format!(
                    "{text:?} has the unit {unit:?}: use ns, us, ms, s, m, h or d"
                ));
            }
        };
        total += value * seconds_per;
        rest = next;
    }
    from_seconds(total, text)
}

fn from_seconds(seconds: f64, text: &str) -> Result<Duration, String> {
    Duration::try_from_secs_f64(seconds)
        .map_err(|_| format!("{text:?} is not a duration of zero or more"))
}

/// Nanoseconds of a duration, saturating.
pub fn nanos(duration: Duration) -> u64 {
    u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_forms_people_write() {
        assert_eq!(parse("30m"), Ok(Duration::from_secs(1800)));
        assert_eq!(parse("24h"), Ok(Duration::from_secs(86400)));
        assert_eq!(parse("7d"), Ok(Duration::from_secs(7 * 86400)));
        assert_eq!(parse("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse("1.5s"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse("90"), Ok(Duration::from_secs(90)));
    }

    #[test]
    fn mistakes_say_what_to_write() {
        assert!(parse("").is_err());
        assert!(parse("5 weeks").unwrap_err().contains("unit"));
        assert!(parse("-3s").is_err());
        assert!(parse("h").is_err());
    }
}
