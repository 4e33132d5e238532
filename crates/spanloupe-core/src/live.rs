//! The live trace list of a Spanloupe collector (`spanloupe-collect`): the
//! summaries its `/api/spanloupe/traces` answers and the changes its event
//! stream (`/api/spanloupe/events`) sends, read into what the list shows.

use std::collections::HashSet;

use serde::Deserialize;

/// One trace as the collector summarises it.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LiveTrace {
    pub trace_id: String,
    pub root_service: String,
    pub root_name: String,
    /// Whether the root span has arrived; until then the name is that of
    /// the earliest span received.
    pub has_root: bool,
    #[serde(default)]
    pub services: Vec<String>,
    pub spans: u64,
    pub errors: u64,
    #[serde(default)]
    pub model: Option<String>,
    #[serde(default)]
    pub input_tokens: u64,
    #[serde(default)]
    pub output_tokens: u64,
    #[serde(deserialize_with = "nanos")]
    pub start_unix_nano: u64,
    #[serde(deserialize_with = "nanos")]
    pub end_unix_nano: u64,
    #[serde(deserialize_with = "nanos")]
    pub last_received_unix_nano: u64,
}

/// Nanoseconds as the collector writes them: decimal strings (JSON numbers
/// lose them), or numbers. A visitor rather than an untagged enum, whose
/// buffering would weigh on the page.
fn nanos<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    struct Nanos;
    impl serde::de::Visitor<'_> for Nanos {
        type Value = u64;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("nanoseconds as a decimal string or a number")
        }

        fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<u64, E> {
            Ok(n)
        }

        fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<u64, E> {
            text.parse().map_err(E::custom)
        }
    }
    deserializer.deserialize_any(Nanos)
}

impl LiveTrace {
    pub fn duration_nanos(&self) -> u64 {
        self.end_unix_nano.saturating_sub(self.start_unix_nano)
    }

    /// The root span's name, or the earliest span's while the root is on
    /// its way (it ends last, so it is exported last).
    pub fn name(&self) -> String {
        if self.has_root {
            self.root_name.clone()
        } else {
            format!("{} (root span not received yet)", self.root_name)
        }
    }

    /// "192 in · 49 out", when the trace used tokens.
    pub fn tokens(&self) -> Option<String> {
        let count = |n: u64, unit| {
            crate::format::count(usize::try_from(n).unwrap_or(usize::MAX), unit, unit)
        };
        (self.input_tokens > 0 || self.output_tokens > 0).then(|| {
            format!(
                "{} · {}",
                count(self.input_tokens, "in"),
                count(self.output_tokens, "out")
            )
        })
    }
}

#[derive(Deserialize)]
struct TraceListReply {
    traces: Vec<LiveTrace>,
}

/// The traces of a `/api/spanloupe/traces` answer, newest first.
pub fn parse_trace_list(text: &str) -> Result<Vec<LiveTrace>, String> {
    serde_json::from_str::<TraceListReply>(text)
        .map(|reply| reply.traces)
        .map_err(|err| format!("the collector's trace list is not what Spanloupe expects: {err}"))
}

/// What the collector holds (`/api/spanloupe/status`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CollectorStatus {
    pub collector: String,
    pub spans: u64,
    pub traces: u64,
    #[serde(default)]
    pub log_records: u64,
    #[serde(default)]
    pub evicted_spans: u64,
    #[serde(default)]
    pub evicted_traces: u64,
    pub max_spans: u64,
}

impl CollectorStatus {
    /// "12 traces · 340 spans · 2 traces dropped to stay under 1,000,000 spans".
    pub fn summary(&self) -> String {
        let count = |n: u64, one, many| {
            crate::format::count(usize::try_from(n).unwrap_or(usize::MAX), one, many)
        };
        let mut out = format!(
            "{} · {}",
            count(self.traces, "trace", "traces"),
            count(self.spans, "span", "spans")
        );
        if self.evicted_traces > 0 {
            out.push_str(&format!(
                " · {} dropped to stay under {}",
                count(self.evicted_traces, "older trace", "older traces"),
                count(self.max_spans, "span", "spans")
            ));
        }
        out
    }
}

/// Whether a `/api/spanloupe/status` answer is a Spanloupe collector's.
pub fn parse_status(text: &str) -> Option<CollectorStatus> {
    serde_json::from_str::<CollectorStatus>(text)
        .ok()
        .filter(|status| status.collector == "spanloupe-collect")
}

/// One event of the collector's stream.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// The stream is open.
    Ready,
    /// Spans arrived for a trace.
    Trace {
        trace_id: String,
        added: u64,
        spans: u64,
    },
    /// Log records arrived, for these traces when they name one.
    Logs { trace_ids: Vec<String> },
    /// Old traces were dropped to keep the store within its bounds.
    Evicted,
    /// The store was emptied.
    Cleared,
    /// This listener missed events: the list must be read again.
    Lagged,
}

/// Reads an event by its name and data; `None` for events this version does
/// not know (a newer collector may send more).
pub fn parse_change(event: &str, data: &str) -> Option<Change> {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct TraceData {
        trace_id: String,
        added: u64,
        spans: u64,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct LogsData {
        trace_ids: Vec<String>,
    }
    match event {
        "ready" => Some(Change::Ready),
        "trace" => {
            let data: TraceData = serde_json::from_str(data).ok()?;
            Some(Change::Trace {
                trace_id: data.trace_id,
                added: data.added,
                spans: data.spans,
            })
        }
        "logs" => {
            let data: LogsData = serde_json::from_str(data).ok()?;
            Some(Change::Logs {
                trace_ids: data.trace_ids,
            })
        }
        "evicted" => Some(Change::Evicted),
        "cleared" => Some(Change::Cleared),
        "lagged" => Some(Change::Lagged),
        _ => None,
    }
}

impl Change {
    /// Whether the open trace `trace_id` (hex) must be read again.
    pub fn touches(&self, trace_id: &str) -> bool {
        match self {
            Change::Trace { trace_id: id, .. } => id.eq_ignore_ascii_case(trace_id),
            Change::Logs { trace_ids } => {
                trace_ids.iter().any(|id| id.eq_ignore_ascii_case(trace_id))
            }
            Change::Ready | Change::Evicted | Change::Cleared | Change::Lagged => false,
        }
    }
}

/// Which traces arrived while the list was on screen, to mark them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Arrivals {
    /// Every trace id listed so far; `None` before the first list.
    seen: Option<HashSet<String>>,
    new: HashSet<String>,
}

impl Arrivals {
    /// Takes a fresh list: traces not seen before are new, except in the
    /// first list (what was there when the page opened is not news).
    pub fn update(&mut self, list: &[LiveTrace]) {
        match &mut self.seen {
            None => self.seen = Some(list.iter().map(|t| t.trace_id.clone()).collect()),
            Some(seen) => {
                for trace in list {
                    if seen.insert(trace.trace_id.clone()) {
                        self.new.insert(trace.trace_id.clone());
                    }
                }
            }
        }
    }

    pub fn is_new(&self, trace_id: &str) -> bool {
        self.new.contains(trace_id)
    }

    /// The user looked at it: no longer new.
    pub fn acknowledge(&mut self, trace_id: &str) {
        self.new.remove(trace_id);
    }

    /// After a clear everything that comes is new.
    pub fn clear(&mut self) {
        self.seen = Some(HashSet::new());
        self.new.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIST: &str = r#"{"traces":[{"traceId":"e193c57f2951a09a685da01f6e065fe8","rootService":"recipe-assistant",
        "rootName":"recipe_question","hasRoot":true,"services":["recipe-assistant"],"spans":4,"errors":1,
        "model":"gpt-4o-mini","inputTokens":1192,"outputTokens":49,"startUnixNano":"1795303325347152630",
        "endUnixNano":"1795303325457754439","lastReceivedUnixNano":"1796511615605803675"}]}"#;

    #[test]
    fn the_collectors_list_reads() {
        let list = parse_trace_list(LIST).expect("reads");
        let trace = &list[0];
        assert_eq!(trace.name(), "recipe_question");
        assert_eq!(trace.duration_nanos(), 110_601_809);
        assert_eq!(trace.tokens().as_deref(), Some("1,192 in · 49 out"));
        assert!(
            parse_trace_list("{\"traces\": 3}")
                .unwrap_err()
                .contains("trace list")
        );
    }

    #[test]
    fn a_trace_without_its_root_says_so() {
        let mut trace = parse_trace_list(LIST).expect("reads").remove(0);
        trace.has_root = false;
        trace.root_name = "chat gpt-4o-mini".into();
        assert_eq!(
            trace.name(),
            "chat gpt-4o-mini (root span not received yet)"
        );
        trace.input_tokens = 0;
        trace.output_tokens = 0;
        assert_eq!(trace.tokens(), None);
    }

    #[test]
    fn events_and_what_they_touch() {
        let change =
            parse_change("trace", r#"{"traceId":"AB12","added":2,"spans":9}"#).expect("event");
        assert_eq!(
            change,
            Change::Trace {
                trace_id: "AB12".into(),
                added: 2,
                spans: 9
            }
        );
        assert!(change.touches("ab12"));
        assert!(!change.touches("cd34"));
        let logs = parse_change("logs", r#"{"traceIds":["cd34"],"added":2}"#).expect("event");
        assert!(logs.touches("cd34"));
        assert_eq!(parse_change("cleared", "{}"), Some(Change::Cleared));
        assert_eq!(parse_change("something-newer", "{}"), None);
        assert_eq!(parse_change("trace", "not json"), None);
    }

    #[test]
    fn arrivals_are_what_came_after_the_first_list() {
        let first = parse_trace_list(LIST).expect("reads");
        let mut arrivals = Arrivals::default();
        arrivals.update(&first);
        assert!(!arrivals.is_new(&first[0].trace_id));
        let mut later = first.clone();
        later.insert(
            0,
            LiveTrace {
                trace_id: "ff".into(),
                ..first[0].clone()
            },
        );
        arrivals.update(&later);
        assert!(arrivals.is_new("ff"));
        assert!(!arrivals.is_new(&first[0].trace_id));
        arrivals.acknowledge("ff");
        assert!(!arrivals.is_new("ff"));
        arrivals.clear();
        arrivals.update(&first);
        assert!(arrivals.is_new(&first[0].trace_id));
    }

    #[test]
    fn status_of_a_collector_only() {
        let status = parse_status(
            r#"{"collector":"spanloupe-collect","spans":340,"traces":12,"evictedTraces":2,"evictedSpans":20,"maxSpans":1000000}"#,
        )
        .expect("a collector");
        assert_eq!(
            status.summary(),
            "12 traces · 340 spans · 2 older traces dropped to stay under 1,000,000 spans"
        );
        assert_eq!(parse_status(r#"{"status":"ok"}"#), None);
        assert_eq!(parse_status("<html>"), None);
    }
}
