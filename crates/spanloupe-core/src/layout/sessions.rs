//! Sessions: traces that carry the same session or conversation id, as the
//! conventions write it (`session.id`, `gen_ai.conversation.id`,
//! `langfuse.session.id`, LangGraph's `thread_id`, the Vercel AI SDK's
//! `ai.telemetry.metadata.sessionId`, …): a chat of many turns, one trace a
//! turn. Each session with its traces in time order and its totals.

use std::collections::HashMap;

use crate::genai::TraceGenAi;
use crate::model::{StrId, TraceSet};

/// The keys that name a session, in the order they are trusted.
pub const SESSION_KEYS: [&str; 8] = [
    "session.id",
    "gen_ai.conversation.id",
    "langfuse.session.id",
    "ai.telemetry.metadata.sessionId",
    "thread_id",
    "langgraph.thread_id",
    "gen_ai.thread.id",
    "conversation.id",
];

#[derive(Clone, Debug, PartialEq)]
pub struct Session {
    pub id: String,
    /// Positions in `set.traces`, by start time.
    pub traces: Vec<usize>,
    pub start_unix_nanos: u64,
    pub end_unix_nanos: u64,
    pub spans: usize,
    pub errors: usize,
    pub input_tokens: u64,
    pub output_tokens: u64,
    /// The dollars of its priced model calls, and its calls without a price.
    pub cost_usd: f64,
    pub unpriced: usize,
}

/// The sessions of `set`, latest first; traces without a session id are in
/// none. `genai` is the traces' GenAI spans, in trace order.
pub fn sessions<G: AsRef<TraceGenAi>>(set: &TraceSet, genai: &[G]) -> Vec<Session> {
    let keys: Vec<StrId> = SESSION_KEYS
        .iter()
        .filter_map(|key| set.strings.lookup(key))
        .collect();
    if keys.is_empty() {
        return Vec::new();
    }
    let mut by_id: HashMap<String, Session> = HashMap::new();
    for (position, trace) in set.traces.iter().enumerate() {
        let Some(id) = session_id(set, trace, &keys) else {
            continue;
        };
        let session = by_id.entry(id.to_owned()).or_insert_with(|| Session {
            id: id.to_owned(),
            traces: Vec::new(),
            start_unix_nanos: u64::MAX,
            end_unix_nanos: 0,
            spans: 0,
            errors: 0,
            input_tokens: 0,
            output_tokens: 0,
            cost_usd: 0.0,
            unpriced: 0,
        });
        session.traces.push(position);
        session.start_unix_nanos = session.start_unix_nanos.min(trace.start_unix_nanos);
        session.end_unix_nanos = session.end_unix_nanos.max(trace.end_unix_nanos);
        session.spans += trace.span_count();
        session.errors += trace.error_count;
        if let Some(genai) = genai.get(position) {
            for call in genai.as_ref().spans().iter().filter(|s| s.counted) {
                session.input_tokens += call.usage.input.unwrap_or(0);
                session.output_tokens += call.usage.output.unwrap_or(0);
            }
            let (usd, unpriced) = genai.as_ref().cost();
            session.cost_usd += usd;
            session.unpriced += unpriced;
        }
    }
    let mut out: Vec<Session> = by_id.into_values().collect();
    for session in &mut out {
        session
            .traces
            .sort_by_key(|&t| set.traces.get(t).map_or(0, |t| t.start_unix_nanos));
    }
    out.sort_by(|a, b| {
        b.start_unix_nanos
            .cmp(&a.start_unix_nanos)
            .then_with(|| a.id.cmp(&b.id))
    });
    out
}

/// The first session key's value found on the trace's spans, root first
/// (pre-order), keys in the order they are trusted.
fn session_id<'s>(
    set: &'s TraceSet,
    trace: &crate::model::Trace,
    keys: &[StrId],
) -> Option<&'s str> {
    for index in trace.spans.range() {
        let span = set.span(crate::model::SpanIdx::at(index))?;
        let attributes = set.attributes(span.attributes);
        for key in keys {
            if let Some(value) = attributes
                .iter()
                .find(|a| a.key == *key)
                .and_then(|a| set.value_str(a.value))
                .map(str::trim)
                .filter(|v| !v.is_empty())
            {
                return Some(value);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(
        trace: &str,
        id: &str,
        start: u64,
        session: Option<(&str, &str)>,
        error: bool,
    ) -> String {
        let attributes = session
            .map(|(k, v)| format!(r#"{{"key":"{k}","value":{{"stringValue":"{v}"}}}}"#))
            .unwrap_or_default();
        format!(
            r#"{{"traceId":"{trace}","spanId":"{id}","name":"turn","startTimeUnixNano":"{start}","endTimeUnixNano":"{}","status":{{"code":{}}},"attributes":[{attributes}]}}"#,
            start + 10,
            if error { 2 } else { 0 }
        )
    }

    #[test]
    fn traces_of_one_session_id_are_one_session_in_time_order() {
        let spans = [
            span(
                "10000000000000000000000000000001",
                "0000000000000001",
                300,
                Some(("session.id", "chat-7")),
                false,
            ),
            span(
                "10000000000000000000000000000002",
                "0000000000000002",
                100,
                Some(("gen_ai.conversation.id", "chat-7")),
                true,
            ),
            span(
                "10000000000000000000000000000003",
                "0000000000000003",
                200,
                Some(("session.id", "chat-8")),
                false,
            ),
            span(
                "10000000000000000000000000000004",
                "0000000000000004",
                50,
                None,
                false,
            ),
        ]
        .join(",");
        let text = format!(r#"{{"resourceSpans":[{{"scopeSpans":[{{"spans":[{spans}]}}]}}]}}"#);
        let set = crate::load(text.as_bytes(), crate::Source::default())
            .expect("loads")
            .set;
        let genai = TraceGenAi::of_each(&set);
        let found = sessions(&set, &genai);
        let ids: Vec<&str> = found.iter().map(|s| s.id.as_str()).collect();
        // Latest first: chat-7 started at 100 but ran until 310.
        assert_eq!(ids, ["chat-8", "chat-7"]);
        let chat7 = &found[1];
        let starts: Vec<u64> = chat7
            .traces
            .iter()
            .map(|&t| set.traces[t].start_unix_nanos)
            .collect();
        assert_eq!(starts, [100, 300]);
        assert_eq!(
            (
                chat7.spans,
                chat7.errors,
                chat7.start_unix_nanos,
                chat7.end_unix_nanos
            ),
            (2, 1, 100, 310)
        );
    }

    #[test]
    fn data_without_session_ids_has_no_sessions() {
        let text = format!(
            r#"{{"resourceSpans":[{{"scopeSpans":[{{"spans":[{}]}}]}}]}}"#,
            span(
                "10000000000000000000000000000001",
                "0000000000000001",
                1,
                None,
                false
            )
        );
        let set = crate::load(text.as_bytes(), crate::Source::default())
            .expect("loads")
            .set;
        assert!(sessions(&set, &TraceGenAi::of_each(&set)).is_empty());
    }
}
