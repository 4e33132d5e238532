//! A protobuf request of a known kind: malformed ids flag their span only.

use prost::Message as _;
use spanloupe_core::ingest::otlp_proto::{ProtoKind, read_request};
use spanloupe_core::model::{Problems, TraceSetBuilder};
use spanloupe_core::wire::{ExportTraceServiceRequest, ResourceSpans, ScopeSpans, Span};

fn span(trace_id: Vec<u8>, span_id: Vec<u8>, name: &str) -> Span {
    Span {
        trace_id,
        span_id,
        name: name.to_owned(),
        start_time_unix_nano: 1,
        end_time_unix_nano: 2,
        ..Span::default()
    }
}

#[test]
fn a_span_without_a_trace_id_is_flagged_and_the_others_read() {
    let request = ExportTraceServiceRequest {
        resource_spans: vec![ResourceSpans {
            scope_spans: vec![ScopeSpans {
                spans: vec![
                    span(vec![1; 16], vec![2; 8], "kept"),
                    span(Vec::new(), vec![3; 8], "no trace id"),
                    span(vec![1; 16], vec![4; 3], "short span id"),
                ],
                ..ScopeSpans::default()
            }],
            ..ResourceSpans::default()
        }],
    };
    let mut builder = TraceSetBuilder::new();
    read_request(&request.encode_to_vec(), ProtoKind::Traces, &mut builder).expect("reads");
    let set = builder.finish();
    assert_eq!(set.span_count(), 3);
    let flagged = |name: &str, problem: Problems| {
        set.spans
            .iter()
            .find(|s| set.str(s.name) == name)
            .is_some_and(|s| s.problems.contains(problem))
    };
    assert!(flagged("no trace id", Problems::NO_TRACE_ID));
    assert!(flagged("short span id", Problems::NO_SPAN_ID));
    assert!(!flagged("kept", Problems::NO_TRACE_ID));
}

#[test]
fn damaged_bytes_are_an_error_not_a_guess() {
    let mut builder = TraceSetBuilder::new();
    let err =
        read_request(&[0x0a, 0xff, 0x01], ProtoKind::Traces, &mut builder).expect_err("damaged");
    assert!(err.to_string().contains("damaged"), "{err}");
}
