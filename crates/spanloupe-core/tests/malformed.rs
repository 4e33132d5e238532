//! Broken inputs give one clear error with a position, and never a panic
//! (a panic kills the whole app in WASM).

mod common;

use std::io::Write;

use common::{corpus_bytes, load_str};
use spanloupe_core::ingest::{IngestError, Source};

fn load_bytes(bytes: &[u8]) -> Result<spanloupe_core::Loaded, IngestError> {
    spanloupe_core::load(bytes, Source::default())
}

/// A one-span OTLP JSON document with `span` as the span's fields.
fn one_span(span: &str) -> String {
    format!(r#"{{"resourceSpans":[{{"scopeSpans":[{{"spans":[{{{span}}}]}}]}}]}}"#)
}

const GOOD_IDS: &str =
    r#""traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174""#;

#[test]
fn empty_and_blank_inputs() {
    assert_eq!(load_bytes(b"").unwrap_err(), IngestError::Empty);
    assert_eq!(load_bytes(b" \n\t ").unwrap_err(), IngestError::Empty);
    assert_eq!(load_bytes(b"\xEF\xBB\xBF").unwrap_err(), IngestError::Empty);
}

#[test]
fn a_bad_span_id_names_its_position_field_and_value() {
    let text =
        one_span(r#""traceId":"5b8efff798038103d269b633813fc60c","spanId":"abc","name":"x""#);
    let err = load_str(&text).unwrap_err();
    let column = text.find(r#""abc""#).unwrap() + r#""abc""#.len();
    assert_eq!(
        err.to_string(),
        format!(
            "line 1, column {column}: resourceSpans[0].scopeSpans[0].spans[0].spanId: \
             span id must be 16 hex characters (or base64 of 8 bytes), found \"abc\" (3 characters)"
        )
    );
}

#[test]
fn a_wrong_type_names_the_field() {
    let err = load_str(&one_span(&format!(r#"{GOOD_IDS},"name":5"#))).unwrap_err();
    let message = err.to_string();
    assert!(message.starts_with("line 1, column "), "{message}");
    assert!(
        message.contains("spans[0].name: invalid type: integer `5`, expected a string"),
        "{message}"
    );
}

#[test]
fn an_unknown_enum_name_says_what_is_accepted() {
    let err = load_str(&one_span(&format!(
        r#"{GOOD_IDS},"kind":"SPAN_KIND_SIDEWAYS""#
    )))
    .unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains(r#"span kind must be a number or a name like SPAN_KIND_INTERNAL, found "SPAN_KIND_SIDEWAYS""#),
        "{message}"
    );
}

#[test]
fn truncated_json_says_so_with_the_position() {
    let text = String::from_utf8(corpus_bytes("otelproto-trace.json")).unwrap();
    let cut = &text[..text.len() / 2];
    let err = load_str(cut).unwrap_err();
    assert!(matches!(err, IngestError::Truncated { .. }), "{err}");
    let lines = cut.lines().count();
    assert!(
        err.to_string()
            .starts_with(&format!("line {lines}, column ")),
        "{err}"
    );
    assert!(err.to_string().contains("truncated"));
}

#[test]
fn a_syntax_error_is_reported_as_invalid_json() {
    let err = load_str("{\"resourceSpans\": [}\n").unwrap_err();
    assert_eq!(
        err.to_string(),
        "line 1, column 20: invalid JSON: expected value"
    );
}

#[test]
fn a_bad_line_in_jsonl_is_reported_with_its_line_number() {
    let good = one_span(GOOD_IDS);
    let bad = one_span(r#""traceId":"xyz","spanId":"eee19b7ec3c1b174""#);
    let text = format!("{good}\n{good}\n{bad}\n{good}\n");
    let err = load_str(&text).unwrap_err();
    assert!(err.to_string().starts_with("line 3, column "), "{err}");
    assert!(
        err.to_string()
            .contains("spans[0].traceId: trace id must be 32 hex characters"),
        "{err}"
    );
}

#[test]
fn non_trace_inputs_say_what_they_look_like() {
    let cases: &[(&[u8], &str)] = &[
        (
            b"[1, 2, 3]",
            "not trace data: this looks like a JSON array that is not a list of spans",
        ),
        (
            b"{\"hello\": \"world\"}",
            "not trace data: this looks like a JSON object with the keys hello",
        ),
        (
            b"<!DOCTYPE html><html><body>Sign in</body></html>",
            "not trace data: this looks like an HTML page",
        ),
        (
            b"timestamp,level,message\n1,INFO,hi\n",
            "not trace data: this looks like plain text, starting with \"timestamp,level,message\"",
        ),
        (
            b"{\"resourceMetrics\": []}",
            "not trace data: this looks like OTLP metrics",
        ),
    ];
    for (input, expected) in cases {
        let err = load_bytes(input).unwrap_err();
        assert!(err.to_string().starts_with(expected), "{err}");
    }
}

#[test]
fn binary_junk_is_not_protobuf() {
    let junk: Vec<u8> = (0..200u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13).to_le_bytes()[0])
        .collect();
    let err = load_bytes(&junk).unwrap_err();
    assert!(matches!(err, IngestError::Protobuf(_)), "{err}");
    assert!(err.to_string().starts_with("not OTLP protobuf: "), "{err}");
}

#[test]
fn otlp_without_spans_or_logs_is_an_error() {
    let err = load_str(r#"{"resourceSpans": []}"#).unwrap_err();
    assert!(matches!(err, IngestError::NoData(_)), "{err}");
}

#[test]
fn gzip_of_a_file_loads_like_the_file_and_broken_gzip_is_an_error() {
    let plain = corpus_bytes("oteltui-demo-fileexporter.jsonl");
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(&plain).unwrap();
    let gz = encoder.finish().unwrap();
    let loaded = load_bytes(&gz).unwrap();
    assert!(loaded.summary.gzipped);
    assert_eq!(loaded.set.span_count(), 547);

    let proto = corpus_bytes("otelproto-trace.protobuf-bin");
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(&proto).unwrap();
    let loaded = load_bytes(&encoder.finish().unwrap()).unwrap();
    assert_eq!(loaded.set.span_count(), 1);

    let err = load_bytes(&gz[..gz.len() / 2]).unwrap_err();
    assert!(matches!(err, IngestError::Gzip(_)), "{err}");
}

#[test]
fn lenient_forms_load() {
    // snake_case keys, null lists, numbers for int64, enum names, NaN doubles,
    // the pre-1.0 instrumentationLibrarySpans, string booleans.
    let text = r#"{"resource_spans":[{"resource":{"attributes":null},
        "instrumentationLibrarySpans":[{"instrumentationLibrary":{"name":"old"},"spans":[{
          "trace_id":"5B8EFFF798038103D269B633813FC60C","span_id":"EEE19B7EC3C1B174","parent_span_id":"",
          "name":"s","kind":"SERVER","start_time_unix_nano":1000,"end_time_unix_nano":"3000",
          "status":{"code":"STATUS_CODE_ERROR","message":"boom"},"events":null,
          "attributes":[{"key":"n","value":{"intValue":42}},{"key":"d","value":{"doubleValue":"NaN"}},
                        {"key":"b","value":{"boolValue":"true"}},{"key":"e","value":{}},
                        {"key":"k","value":{"kvlistValue":{"values":[{"key":"x","value":{"arrayValue":{"values":[{"intValue":"1"}]}}}]}}}]
        }]}]}]}"#;
    let set = load_str(text).unwrap().set;
    use spanloupe_core::model::{SpanIdx, Value};
    let span = set.span(SpanIdx(0)).unwrap();
    assert_eq!(span.duration_nanos(), 2000);
    assert!(span.is_error());
    assert_eq!(set.str(set.scope(span.scope).unwrap().name), "old");
    assert_eq!(set.span_attribute(SpanIdx(0), "n"), Some(Value::Int(42)));
    assert!(matches!(set.span_attribute(SpanIdx(0), "d"), Some(Value::Double(d)) if d.is_nan()));
    assert_eq!(set.span_attribute(SpanIdx(0), "b"), Some(Value::Bool(true)));
    assert_eq!(set.span_attribute(SpanIdx(0), "e"), Some(Value::Empty));
    let Some(Value::KvList(members)) = set.span_attribute(SpanIdx(0), "k") else {
        panic!("k is not a kvlist")
    };
    let [member] = set.attributes(members) else {
        panic!("one member expected")
    };
    assert_eq!(set.str(member.key), "x");
    let Value::Array(elements) = member.value else {
        panic!("x is not an array")
    };
    assert_eq!(set.values(elements), [Value::Int(1)]);
}

/// Every prefix and many byte flips of real files: errors or data, never a panic.
#[test]
fn mangled_corpus_files_never_panic() {
    for name in [
        "otelproto-trace.json",
        "otelproto-trace.protobuf-bin",
        "jaegerui-otlp2jaeger-multi-in.jsonl",
        "jaeger-otel_traces_01.json",
    ] {
        let bytes = corpus_bytes(name);
        for cut in (0..bytes.len()).step_by(7) {
            let _ = load_bytes(&bytes[..cut]);
        }
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..400 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let mut mangled = bytes.clone();
            let at = usize::try_from(state % u64::try_from(bytes.len()).unwrap()).unwrap();
            mangled[at] = (state >> 32).to_le_bytes()[0];
            let _ = load_bytes(&mangled);
        }
    }
}

/// A traces request is read a batch at a time: batches before the first
/// span wait for it (the bytes could still be a logs request), a damaged
/// batch after spans were added is an error of the traces request, and a
/// logs request still reads as logs.
#[test]
fn protobuf_requests_are_read_a_batch_at_a_time() {
    use prost::Message;
    use spanloupe_core::wire::{
        ExportLogsServiceRequest, ExportTraceServiceRequest, LogRecord, Resource, ResourceLogs,
        ResourceSpans, ScopeLogs, ScopeSpans, Span,
    };
    let span = |id: u8| Span {
        trace_id: vec![7; 16],
        span_id: vec![id; 8],
        name: format!("span {id}"),
        start_time_unix_nano: 1000,
        end_time_unix_nano: 2000,
        ..Span::default()
    };
    let batch = |spans: Vec<Span>| ResourceSpans {
        resource: Some(Resource::default()),
        scope_spans: vec![ScopeSpans {
            spans,
            ..ScopeSpans::default()
        }],
        ..ResourceSpans::default()
    };
    let request = ExportTraceServiceRequest {
        resource_spans: vec![
            batch(vec![]),
            batch(vec![span(1), span(2)]),
            batch(vec![span(3)]),
        ],
    }
    .encode_to_vec();
    let loaded = load_bytes(&request).unwrap();
    assert_eq!(loaded.set.span_count(), 3);
    assert_eq!(
        loaded.set.resources.len(),
        3,
        "the batch without spans is kept"
    );

    // Cut inside the last batch: the first two were added, then it fails.
    let err = load_bytes(&request[..request.len() - 5]).unwrap_err();
    assert!(
        matches!(&err, IngestError::Protobuf(m) if m.contains("the traces request is damaged")),
        "{err}"
    );
    // A batch whose span ids are not 8 bytes, after a good one.
    let mut bad = span(4);
    bad.span_id = vec![4; 5];
    let request = ExportTraceServiceRequest {
        resource_spans: vec![batch(vec![span(1)]), batch(vec![bad])],
    }
    .encode_to_vec();
    let err = load_bytes(&request).unwrap_err();
    assert!(
        matches!(&err, IngestError::Protobuf(m) if m.contains("span ids are not 8 bytes")),
        "{err}"
    );

    let logs = ExportLogsServiceRequest {
        resource_logs: vec![ResourceLogs {
            scope_logs: vec![ScopeLogs {
                log_records: vec![LogRecord {
                    time_unix_nano: 1500,
                    trace_id: vec![7; 16],
                    span_id: vec![1; 8],
                    ..LogRecord::default()
                }],
                ..ScopeLogs::default()
            }],
            ..ResourceLogs::default()
        }],
    }
    .encode_to_vec();
    let loaded = load_bytes(&logs).unwrap();
    assert_eq!((loaded.set.span_count(), loaded.set.logs.len()), (0, 1));
}
