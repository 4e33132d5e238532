//! A worker's first load runs slower than its next: the browser compiles
//! WASM functions for speed only once they have run for a while, and the
//! first large file is read into memory never touched before. A started
//! worker therefore loads a small generated trace before it says it is
//! ready, while it is still a spare: as OTLP JSON and as Jaeger JSON, the
//! two formats large files come in (each has its own reader).

use std::fmt::Write as _;

use spanloupe_core::ingest::split::{self, Assembly};
use spanloupe_core::ingest::{Input, Source, load_many};
use spanloupe_core::transfer;

/// Spans in the warm-up trace: about 2 MB of JSON, some milliseconds.
const SPANS: usize = 3_000;

/// Spans in the Jaeger warm-up trace: about 1 MB.
const JAEGER_SPANS: usize = 1_500;

/// Loads the warm-up traces whole and in two parts, and encodes the reply:
/// the paths a real load takes.
pub fn warm_up() {
    load_whole_and_in_parts(&trace(SPANS));
    load_whole_and_in_parts(&jaeger_trace(JAEGER_SPANS));
}

fn load_whole_and_in_parts(text: &str) {
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

/// Jaeger JSON (as Jaeger UI downloads it) of one trace of `spans` spans:
/// typed tags, the tags OTLP fields become, a reference, logs on some.
fn jaeger_trace(spans: usize) -> String {
    const TRACE: &str = "5b8efff798038103d269b633813fc60c";
    let mut out = String::with_capacity(spans * 800);
    let _ = write!(out, r#"{{"data":[{{"traceID":"{TRACE}","spans":["#);
    for i in 0..spans {
        if i > 0 {
            out.push(',');
        }
        let references = if i == 0 {
            String::new()
        } else {
            format!(
                r#"{{"refType":"CHILD_OF","traceID":"{TRACE}","spanID":"{:016x}"}}"#,
                i / 2 + 1
            )
        };
        let logs = if i % 10 == 0 {
            format!(
                r#"{{"timestamp":{},"fields":[{{"key":"event","type":"string","value":"exception"}},{{"key":"exception.message","type":"string","value":"failed {i}"}}]}}"#,
                1_700_000_000_000_100u64 + i as u64
            )
        } else {
            String::new()
        };
        let _ = write!(
            out,
            r#"{{"traceID":"{TRACE}","spanID":"{:016x}","flags":1,"operationName":"operation {}","references":[{references}],"startTime":{},"duration":{},"tags":[{{"key":"http.method","type":"string","value":"GET"}},{{"key":"http.route","type":"string","value":"/items/{}"}},{{"key":"http.status_code","type":"int64","value":200}},{{"key":"sampled","type":"bool","value":true}},{{"key":"ratio","type":"float64","value":0.25}},{{"key":"otel.scope.name","type":"string","value":"warm-up"}},{{"key":"span.kind","type":"string","value":"server"}}],"logs":[{logs}],"processID":"p{}","warnings":null}}"#,
            i + 1,
            i % 17,
            1_700_000_000_000_000u64 + i as u64,
            500 + i % 50,
            i % 50,
            i % 4
        );
    }
    out.push_str(r#"],"processes":{"#);
    for p in 0..4 {
        if p > 0 {
            out.push(',');
        }
        let _ = write!(
            out,
            r#""p{p}":{{"serviceName":"service-{p}","tags":[{{"key":"host.name","type":"string","value":"host-{p}"}}]}}"#
        );
    }
    out.push_str(r#"},"warnings":null}],"total":0,"limit":0,"offset":0,"errors":null}"#);
    out
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

    #[test]
    fn the_jaeger_warm_up_trace_loads_by_hand_whole_and_in_parts() {
        let text = jaeger_trace(JAEGER_SPANS);
        let mut builder = spanloupe_core::model::TraceSetBuilder::new();
        let summary =
            spanloupe_core::ingest::jaeger::read(text.as_bytes(), &mut builder).expect("reads");
        assert!(summary.by_hand, "the hand reader is what is warmed up");
        let input = Input {
            bytes: text.as_bytes(),
            source: Source::default(),
        };
        let set = load_many(&[input]).set.expect("the warm-up trace loads");
        assert_eq!(set.span_count(), JAEGER_SPANS);
        assert_eq!(set.traces.len(), 1);
        assert!(
            set.warnings.is_empty(),
            "{:?}",
            set.warnings.iter().collect::<Vec<_>>()
        );
        assert_eq!(set.resources.len(), 4);
        assert_eq!(split::load_in_parts(input, 2).1, 2, "read in two parts");
    }
}
