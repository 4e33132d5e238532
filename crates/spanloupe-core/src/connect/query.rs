//! What a search asks for, whichever backend answers it.

use crate::ingest::time::duration_nanos;

/// The traces a search looks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchQuery {
    /// A service name; empty for any (Jaeger v1 needs one).
    pub service: String,
    /// A span name; empty for any.
    pub operation: String,
    /// Attribute filters, `key=value`.
    pub attributes: Vec<(String, String)>,
    /// A TraceQL query (Tempo): when given, it replaces the filters above.
    pub traceql: String,
    pub range: TimeRange,
    pub min_duration_nanos: Option<u64>,
    pub max_duration_nanos: Option<u64>,
    /// How many traces at most.
    pub limit: u32,
}

impl Default for SearchQuery {
    fn default() -> Self {
        SearchQuery {
            service: String::new(),
            operation: String::new(),
            attributes: Vec::new(),
            traceql: String::new(),
            range: TimeRange::Last(HOUR),
            min_duration_nanos: None,
            max_duration_nanos: None,
            limit: 20,
        }
    }
}

const MINUTE: u64 = 60_000_000_000;
const HOUR: u64 = 60 * MINUTE;

/// When the traces started.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeRange {
    /// The last this many nanoseconds, up to now.
    Last(u64),
    /// From `start` to `end`, in nanoseconds since 1970.
    Between { start: u64, end: u64 },
}

impl TimeRange {
    /// The presets a search offers: last 15 minutes, hour, day.
    pub const PRESETS: [(&'static str, u64); 3] =
        [("15m", 15 * MINUTE), ("1h", HOUR), ("24h", 24 * HOUR)];

    /// `since=` of a link: a preset or any duration such as `90m`, `2h`,
    /// `7d`.
    pub fn since(text: &str) -> Option<TimeRange> {
        let text = text.trim();
        let nanos = match text.strip_suffix('d') {
            Some(days) => days.parse::<u64>().ok()?.checked_mul(24 * HOUR)?,
            None => duration_nanos(text)?,
        };
        (nanos > 0).then_some(TimeRange::Last(nanos))
    }

    /// How a link writes it (`1h`, `90m`); `None` for a fixed range.
    pub fn since_text(self) -> Option<String> {
        let TimeRange::Last(nanos) = self else {
            return None;
        };
        let day = 24 * HOUR;
        // Days from two on: a day reads as `24h`, as the preset says it.
        Some(if nanos % day == 0 && nanos > day {
            format!("{}d", nanos / day)
        } else if nanos % HOUR == 0 {
            format!("{}h", nanos / HOUR)
        } else if nanos % MINUTE == 0 {
            format!("{}m", nanos / MINUTE)
        } else {
            format!("{}s", nanos.div_ceil(1_000_000_000))
        })
    }

    /// The range as (start, end) nanoseconds, `now` being the current time.
    pub fn resolve(self, now_unix_nanos: u64) -> (u64, u64) {
        match self {
            TimeRange::Last(nanos) => (now_unix_nanos.saturating_sub(nanos), now_unix_nanos),
            TimeRange::Between { start, end } => (start.min(end), start.max(end)),
        }
    }
}

/// The filter being typed at the end of a `key=value key=value` field: the
/// text before it, and its key once its `=` is typed (whose values a
/// backend can suggest). Suggestions are whole field values: the text
/// before, then the suggested filter.
pub fn filter_being_typed(text: &str) -> (&str, Option<&str>) {
    let start = text.rfind(char::is_whitespace).map_or(0, |at| at + 1);
    let (before, last) = text.split_at(start);
    let key = last
        .split_once('=')
        .map(|(key, _)| key)
        .filter(|key| !key.is_empty());
    (before, key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_reads_presets_and_durations() {
        assert_eq!(TimeRange::since("15m"), Some(TimeRange::Last(15 * MINUTE)));
        assert_eq!(TimeRange::since("1h"), Some(TimeRange::Last(HOUR)));
        assert_eq!(TimeRange::since("7d"), Some(TimeRange::Last(7 * 24 * HOUR)));
        assert_eq!(
            TimeRange::since("90s"),
            Some(TimeRange::Last(90_000_000_000))
        );
        assert_eq!(TimeRange::since("soon"), None);
        assert_eq!(TimeRange::since("0m"), None);
        for (text, nanos) in TimeRange::PRESETS {
            assert_eq!(TimeRange::Last(nanos).since_text().as_deref(), Some(text));
        }
        assert_eq!(
            TimeRange::Last(90 * MINUTE).since_text().as_deref(),
            Some("90m")
        );
    }

    #[test]
    fn the_filter_being_typed() {
        assert_eq!(filter_being_typed(""), ("", None));
        assert_eq!(filter_being_typed("span.http"), ("", None));
        assert_eq!(
            filter_being_typed("span.http.route="),
            ("", Some("span.http.route"))
        );
        assert_eq!(
            filter_being_typed("a=1 span.http.route=/ca"),
            ("a=1 ", Some("span.http.route"))
        );
        assert_eq!(filter_being_typed("a=1 "), ("a=1 ", None));
        assert_eq!(filter_being_typed("=x"), ("", None));
    }

    #[test]
    fn a_range_resolves_against_now() {
        let now = 1_765_000_000_000_000_000;
        assert_eq!(TimeRange::Last(HOUR).resolve(now), (now - HOUR, now));
        assert_eq!(
            TimeRange::Between { start: 9, end: 3 }.resolve(now),
            (3, 9),
            "a range given backwards"
        );
    }
}
