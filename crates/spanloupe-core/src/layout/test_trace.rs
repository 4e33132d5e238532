//! Small traces for the layout's tests, written as spans of one trace:
//! `(id, parent id or "", name, start ms, end ms)`; ids are hex, padded.

use crate::model::TraceSet;

pub(crate) fn trace(spans: &[(&str, &str, &str, u64, u64)]) -> TraceSet {
    let spans: Vec<String> = spans
        .iter()
        .map(|(id, parent, name, start, end)| {
            format!(
                r#"{{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"{id:0>16}","parentSpanId":"{}","name":"{name}","startTimeUnixNano":"{}","endTimeUnixNano":"{}"}}"#,
                if parent.is_empty() { String::new() } else { format!("{parent:0>16}") },
                start * 1_000_000,
                end * 1_000_000
            )
        })
        .collect();
    let text = format!(
        r#"{{"resourceSpans":[{{"scopeSpans":[{{"spans":[{}]}}]}}]}}"#,
        spans.join(",")
    );
    crate::load(text.as_bytes(), crate::Source::default())
        .expect("the trace loads")
        .set
}
