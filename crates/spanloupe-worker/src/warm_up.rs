//! A worker's first load runs slower than its next: the browser compiles
//! WASM functions for speed only once they have run for a while, and the
//! first large file is read into memory never touched before. A started
//! worker therefore loads a small generated trace before it says it is
//! ready, while it is still a spare.

use std::fmt::Write as _;

use spanloupe_core::ingest::split::{self, Assembly};
use spanloupe_core::ingest::{Input, Source, load_many};
use spanloupe_core::transfer;

/// Spans in the warm-up trace: about 2 MB of JSON, some milliseconds.
const SPANS: usize = 3_000;

/// Loads the warm-up trace whole and in two parts, and encodes the reply:
/// the paths a real load takes.
pub fn warm_up() {
    let text = trace(SPANS);
    let input = Input {
        bytes: text.as_bytes(),
        source: Source::default(),
    };
    let reply = load_many(&[input]);
    let _ = transfer::encode(&reply);
    if let Some((layout, parts)) = split::plan(text.as_bytes(), 2) {
        let mut assembly = Assembly::new();
        for (index, part) in parts.iter().enumerate() {
            let range = usize::try_from(part.range.start).unwrap_or(usize::MAX)
                ..usize::try_from(part.range.end).unwrap_or(usize::MAX);
            let bytes = text.as_bytes().get(range).unwrap_or_default();
            assembly.add(split::load_part(
                &layout.text(part, bytes),
                part,
                index == 0,
            ));
        }
        let _ = assembly.finish(Source::default());
    }
}

/// OTLP JSON of one trace of `spans` spans in batches of 100, shaped like
/// real ones: attributes of every type, an event on some spans.
fn trace(spans: usize) -> String {
    let mut out = String::with_capacity(spans * 700);
    out.push_str(r#"{"resourceSpans":["#);
    for batch in 0..spans.div_ceil(100) {
        if batch > 0 {
            out.push(',');
        }
        let _ = write!(
            out,
            r#"{{"resource":{{"attributes":[{{"key":"service.name","value":{{"stringValue":"service-{}"}}}}]}},"scopeSpans":[{{"scope":{{"name":"warm-up","version":"1"}},"spans":["#,
            batch % 4
        );
        for i in batch * 100..((batch + 1) * 100).min(spans) {
            if i % 100 > 0 {
                out.push(',');
            }
            let parent = if i == 0 {
                String::new()
            } else {
                format!("{:016x}", i / 2 + 1)
            };
            let _ = write!(
                out,
                r#"{{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"{:016x}","parentSpanId":"{parent}","name":"operation {}","kind":{},"startTimeUnixNano":"{}","endTimeUnixNano":"{}","attributes":[{{"key":"http.method","value":{{"stringValue":"GET"}}}},{{"key":"http.route","value":{{"stringValue":"/items/{}"}}}},{{"key":"http.status_code","value":{{"intValue":"200"}}}},{{"key":"sampled","value":{{"boolValue":true}}}},{{"key":"ratio","value":{{"doubleValue":0.25}}}},{{"key":"tags","value":{{"arrayValue":{{"values":[{{"stringValue":"a"}},{{"stringValue":"b{}"}}]}}}}}}],"status":{{"code":{}}}"#,
                i + 1,
                i % 17,
                i % 5,
                1_700_000_000_000_000_000u64 + i as u64 * 1_000,
                1_700_000_000_000_500_000u64 + i as u64 * 1_000,
                i % 50,
                i % 7,
                if i % 31 == 0 { 2 } else { 0 }
            );
            if i % 10 == 0 {
                let _ = write!(
                    out,
                    r#","events":[{{"timeUnixNano":"{}","name":"exception","attributes":[{{"key":"exception.message","value":{{"stringValue":"failed {i}"}}}}]}}]"#,
                    1_700_000_000_000_100_000u64 + i as u64 * 1_000
                );
            }
            out.push('}');
        }
        out.push_str("]}]}");
    }
    out.push_str("]}");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_warm_up_trace_loads_whole_and_in_parts() {
        let text = trace(SPANS);
        let input = Input {
            bytes: text.as_bytes(),
            source: Source::default(),
        };
        let whole = load_many(&[input]);
        let set = whole.set.expect("the warm-up trace loads");
        assert_eq!(set.span_count(), SPANS);
        assert_eq!(set.traces.len(), 1);
        assert!(
            set.warnings.is_empty(),
            "{:?}",
            set.warnings.iter().collect::<Vec<_>>()
        );
        assert_eq!(
            split::load_in_parts(input, 2).1,
            2,
            "it is read in two parts"
        );
    }
}
