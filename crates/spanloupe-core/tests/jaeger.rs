//! Jaeger's JSON (v1, as Jaeger UI downloads it, and api_v2) read into the
//! same model as OTLP: the facts of the corpus files (SOURCES.md), to the
//! microsecond.

mod common;

use common::{attr_str, load_corpus, load_str};
use spanloupe_core::ingest::Format;
use spanloupe_core::model::{
    Problems, SpanIdx, SpanKind, StatusCode, TraceSet, Value, WarningKind,
};

fn spans(set: &TraceSet) -> Vec<SpanIdx> {
    (0..set.span_count()).map(SpanIdx::at).collect()
}

fn attr(set: &TraceSet, idx: SpanIdx, key: &str) -> Option<Value> {
    set.span_attribute(idx, key)
}

#[test]
fn jaeger_ui_json_with_a_duplicate_and_a_missing_parent() {
    let loaded = load_corpus("jaeger-otlp2jaeger-out.jaeger.json");
    assert_eq!(loaded.summary.format, Format::JaegerJson);
    let set = &loaded.set;
    assert_eq!(set.traces.len(), 1);
    assert_eq!(
        set.traces[0].trace_id.to_string(),
        "83a9efd15c1c98a977e0711cc93ee28b"
    );
    assert_eq!(set.span_count(), 2);
    for idx in spans(set) {
        let span = set.span(idx).expect("span");
        assert_eq!(set.str(span.name), "okey-dokey-0");
        assert_eq!(span.span_id.to_string(), "e127af99e3b3e074");
        assert_eq!(span.parent_span_id.to_string(), "909541b92cf05311");
        assert!(span.problems.contains(Problems::DUPLICATE_ID));
        assert_eq!(span.start_unix_nanos, 1_706_678_909_209_712_000);
        assert_eq!(span.end_unix_nanos - span.start_unix_nanos, 123_000);
        // Tags that stood for OTLP fields are those fields again.
        assert_eq!(span.kind, SpanKind::Server);
        assert_eq!(attr(set, idx, "span.kind"), None);
        let scope = set.scope(span.scope).expect("scope");
        assert_eq!(set.str(scope.name), "telemetrygen");
        assert_eq!(attr(set, idx, "otel.scope.name"), None);
        assert_eq!(attr_str(set, idx, "net.peer.ip"), Some("1.2.3.4"));
        assert_eq!(
            attr_str(set, idx, "peer.service"),
            Some("telemetrygen-client")
        );
        assert_eq!(set.service_name(idx), "telemetrygen");
    }
    assert_eq!(set.traces[0].missing_parent_count, 2);
    assert!(
        set.warnings
            .iter()
            .any(|w| w.kind == WarningKind::DuplicateSpanId)
    );
}

#[test]
fn jaeger_api_v2_json_with_base64_ids_and_rfc3339_times() {
    let loaded = load_corpus("jaeger-apiv2-domain_03.json");
    assert_eq!(loaded.summary.format, Format::JaegerJson);
    let set = &loaded.set;
    assert_eq!(set.span_count(), 2);
    assert_eq!(
        set.traces[0].trace_id.to_string(),
        "000000000000000052969a8955571a3f"
    );
    let first = spans(set)
        .into_iter()
        .find(|&i| {
            set.span(i)
                .is_some_and(|s| s.span_id.to_string() == "0000000000647d98")
        })
        .expect("the first span");
    let span = set.span(first).expect("span");
    assert_eq!(set.str(span.name), "get");
    assert_eq!(span.start_unix_nanos, 1_485_467_191_639_875_000);
    assert_eq!(span.end_unix_nanos - span.start_unix_nanos, 22_938_000);
    assert_eq!(span.kind, SpanKind::Server);
    assert_eq!(
        attr_str(set, first, "http.url"),
        Some("http://127.0.0.1:15598/client_transactions")
    );
    assert_eq!(attr(set, first, "peer.port"), Some(Value::Int(53931)));
    assert_eq!(attr(set, first, "someBool"), Some(Value::Bool(true)));
    assert_eq!(attr(set, first, "someDouble"), Some(Value::Double(129.8)));
    assert_eq!(
        attr(set, first, "peer.ipv4"),
        Some(Value::Int(3_224_716_605))
    );
    assert_eq!(set.service_name(first), "api");
    let resource = set.resource(span.resource).expect("resource");
    let hostname = set
        .attributes(resource.attributes)
        .iter()
        .find(|a| set.str(a.key) == "hostname")
        .map(|a| a.value);
    assert_eq!(hostname.and_then(|v| set.value_str(v)), Some("api246-sjc1"));
    let events = set.events(span.events);
    let names: Vec<&str> = events.iter().map(|e| set.str(e.name)).collect();
    assert_eq!(names, ["log", "nothing"]);
    assert_eq!(events[0].time_unix_nanos, 1_485_467_191_639_875_000);
    assert_eq!(set.attributes(events[0].attributes).len(), 2);

    let second = spans(set)
        .into_iter()
        .find(|&i| {
            set.span(i)
                .is_some_and(|s| s.span_id.to_string() == "000000000052947b")
        })
        .expect("the second span");
    // Its CHILD_OF names itself: the loop is cut.
    assert!(
        set.span(second)
            .is_some_and(|s| s.problems.contains(Problems::CYCLE_BROKEN))
    );
    match attr(set, second, "some.binary.data") {
        Some(Value::Bytes(slice)) => assert_eq!(set.bytes(slice), b"some-binary-data"),
        other => panic!("binary tag read as {other:?}"),
    }
    assert_eq!(
        attr(set, second, "someDouble"),
        Some(Value::Double(4_638_770_948_061_370_000.0))
    );
}

const UI_TRACE: &str = r#"{"data":[{"traceID":"0af7651916cd43dd8448eb211c80319c","spans":[
  {"traceID":"0af7651916cd43dd8448eb211c80319c","spanID":"00000000000000a1","operationName":"GET /checkout",
   "references":[],"startTime":1700000000000000,"duration":5000,"processID":"p1",
   "tags":[{"key":"span.kind","type":"string","value":"server"},{"key":"http.status_code","type":"int64","value":500},
           {"key":"error","type":"bool","value":true},{"key":"ratio","type":"float64","value":0.25},
           {"key":"w3c.tracestate","type":"string","value":"vendor=1"}],
   "logs":[{"timestamp":1700000000001000,"fields":[{"key":"event","type":"string","value":"exception"},
                                                  {"key":"exception.message","type":"string","value":"boom"}]}],
   "warnings":["clock skew adjusted"]},
  {"traceID":"0af7651916cd43dd8448eb211c80319c","spanID":"00000000000000b2","operationName":"charge",
   "references":[{"refType":"FOLLOWS_FROM","traceID":"0af7651916cd43dd8448eb211c80319c","spanID":"00000000000000c3"},
                 {"refType":"CHILD_OF","traceID":"0af7651916cd43dd8448eb211c80319c","spanID":"00000000000000a1"},
                 {"refType":"CHILD_OF","traceID":"1111111111111111","spanID":"00000000000000d4"}],
   "startTime":1700000000001000,"duration":2000,"processID":"p2",
   "tags":[{"key":"otel.status_code","type":"string","value":"OK"},{"key":"otel.scope.name","type":"string","value":"payments"},
           {"key":"otel.scope.version","type":"string","value":"2.1"}],
   "logs":null,"warnings":null}],
 "processes":{"p1":{"serviceName":"frontend","tags":[{"key":"host.name","type":"string","value":"web-1"}]},
              "p2":{"serviceName":"payments","tags":[]}},
 "warnings":["trace truncated by the query service"]}],
 "total":0,"limit":0,"offset":0,"errors":[{"code":404,"msg":"trace not found","traceID":"ffff"}]}"#;

#[test]
fn references_tags_logs_and_warnings() {
    let loaded = load_str(UI_TRACE).expect("reads");
    let set = &loaded.set;
    let root = common::span_named(set, "GET /checkout");
    let charge = common::span_named(set, "charge");
    let span = set.span(root).expect("root");
    assert_eq!(span.kind, SpanKind::Server);
    // `error=true` is the error status, not an attribute.
    assert_eq!(span.status_code, StatusCode::Error);
    assert_eq!(attr(set, root, "error"), None);
    assert_eq!(attr(set, root, "http.status_code"), Some(Value::Int(500)));
    assert_eq!(attr(set, root, "ratio"), Some(Value::Double(0.25)));
    assert_eq!(set.str(span.trace_state), "vendor=1");
    assert_eq!(set.service_name(root), "frontend");
    let event = &set.events(span.events)[0];
    assert_eq!(set.str(event.name), "exception");
    assert_eq!(event.time_unix_nanos, 1_700_000_000_001_000_000);
    assert_eq!(set.attributes(event.attributes).len(), 1);

    // The first CHILD_OF is the parent; FOLLOWS_FROM and the other CHILD_OF are links.
    let charged = set.span(charge).expect("charge");
    assert_eq!(charged.parent_span_id, span.span_id);
    assert_eq!(charged.status_code, StatusCode::Ok);
    let scope = set.scope(charged.scope).expect("scope");
    assert_eq!(
        (set.str(scope.name), set.str(scope.version)),
        ("payments", "2.1")
    );
    let links = set.links(charged.links);
    assert_eq!(links.len(), 2);
    assert_eq!(links[0].span_id.to_string(), "00000000000000c3");
    assert_eq!(
        links[1].trace_id.to_string(),
        "00000000000000001111111111111111"
    );
    let ref_type = |i: usize| {
        set.attributes(links[i].attributes)
            .iter()
            .find(|a| set.str(a.key) == "opentracing.ref_type")
            .and_then(|a| set.value_str(a.value))
    };
    assert_eq!(
        (ref_type(0), ref_type(1)),
        (Some("follows_from"), Some("child_of"))
    );

    // Jaeger's own warnings and errors are kept and shown.
    let from_source: Vec<String> = set
        .warnings
        .iter()
        .filter(|w| w.kind == WarningKind::FromSource)
        .map(|w| w.message.clone())
        .collect();
    assert_eq!(from_source.len(), 3, "{from_source:?}");
    assert!(
        from_source
            .iter()
            .any(|m| m.contains("trace truncated by the query service"))
    );
    assert!(
        from_source
            .iter()
            .any(|m| m.contains("clock skew adjusted") && m.contains("GET /checkout"))
    );
    assert!(
        from_source
            .iter()
            .any(|m| m.contains("trace not found (code 404) for trace ffff"))
    );
}

#[test]
fn a_bare_trace_a_list_and_json_lines() {
    let trace = r#"{"traceID":"0af7651916cd43dd8448eb211c80319c","spans":[{"traceID":"0af7651916cd43dd8448eb211c80319c","spanID":"00000000000000a1","operationName":"one","startTime":1,"duration":1,"processID":"p1"}],"processes":{"p1":{"serviceName":"solo"}}}"#;
    let bare = load_str(trace).expect("a bare trace");
    assert_eq!(bare.set.span_count(), 1);
    assert_eq!(bare.set.service_name(SpanIdx(0)), "solo");
    let list = load_str(&format!("[{trace}]")).expect("a list of traces");
    assert_eq!(list.set.span_count(), 1);
    let other = trace.replace(
        "0af7651916cd43dd8448eb211c80319c",
        "1af7651916cd43dd8448eb211c80319c",
    );
    let lines = load_str(&format!("{trace}\n{other}\n")).expect("JSON Lines");
    assert_eq!(lines.set.traces.len(), 2);
    assert_eq!(lines.summary.spans, 2);
}

#[test]
fn a_64_bit_trace_id_is_padded_and_a_bad_id_is_said() {
    let text = r#"{"data":[{"spans":[{"traceID":"52969a8955571a3f","spanID":"00000000000000a1","operationName":"a","startTime":1,"duration":1},
        {"traceID":"52969a8955571a3f","spanID":"xyz","operationName":"b","startTime":1,"duration":1}]}]}"#;
    let loaded = load_str(text).expect("reads");
    assert_eq!(
        loaded.set.traces[0].trace_id.to_string(),
        "000000000000000052969a8955571a3f"
    );
    assert!(
        loaded
            .set
            .warnings
            .iter()
            .any(|w| w.kind == WarningKind::BadSpanId)
    );
}

#[test]
fn malformed_jaeger_says_where() {
    let err = load_str(r#"{"data":[{"spans":[{"traceID":"52969a8955571a3f","operationName":"a","startTime":"soon"}]}]}"#)
        .expect_err("malformed");
    let text = err.to_string();
    assert!(text.starts_with("line 1, column"), "{text}");
    assert!(text.contains("Jaeger"), "{text}");
}

#[test]
fn jaeger_that_is_not_utf8_says_where() {
    // The reader validates the text once and then trusts it: bytes that are
    // not UTF-8 must still be found, on their line and column.
    let mut bytes = br#"{"data":[{"traceID":"52969a8955571a3f","spans":[
{"traceID":"52969a8955571a3f","spanID":"52969a8955571a3f","operationName":"a","startTime":1,"duration":1,
"tags":[{"key":"k","type":"string","value":"bad "#
        .to_vec();
    bytes.extend_from_slice(&[0xff, 0xfe]);
    bytes.extend_from_slice(br#""}]}]}]}"#);
    let err = spanloupe_core::load(&bytes, spanloupe_core::ingest::Source::default())
        .expect_err("not UTF-8");
    let text = err.to_string();
    assert!(text.starts_with("line 3, column"), "{text}");
    assert!(text.contains("invalid unicode"), "{text}");
}

#[test]
fn spans_of_two_traces_interleaved_keep_their_trace_ids() {
    // Each span's trace id is decoded only when it differs from the span
    // before's: alternating ids must not stick.
    let span = |trace: &str, id: &str| {
        format!(
            r#"{{"traceID":"{trace}","spanID":"{id}","operationName":"op-{id}","startTime":1,"duration":1,"processID":"p1"}}"#
        )
    };
    let a = "0000000000000000000000000000000a";
    let b = "0000000000000000000000000000000b";
    let list = [
        span(a, "1000000000000001"),
        span(b, "2000000000000002"),
        span(a, "1000000000000003"),
        span("", "4000000000000004"),
        span(b, "2000000000000005"),
    ]
    .join(",");
    let text = format!(
        r#"{{"data":[{{"traceID":"x","spans":[{list}],"processes":{{"p1":{{"serviceName":"s"}}}}}}]}}"#
    );
    let loaded = load_str(&text).expect("loads");
    let set = &loaded.set;
    let trace_of = |name: &str| {
        spans(set)
            .into_iter()
            .filter_map(|i| set.span(i))
            .find(|span| set.str(span.name) == name)
            .expect("span")
            .trace_id
            .to_string()
    };
    assert_eq!(trace_of("op-1000000000000001"), a);
    assert_eq!(trace_of("op-2000000000000002"), b);
    assert_eq!(trace_of("op-1000000000000003"), a);
    assert_eq!(trace_of("op-2000000000000005"), b);
    assert_eq!(set.traces.len(), 3, "a, b, and the span with no trace id");
}

#[test]
fn a_jaeger_file_and_an_otlp_file_load_into_one_view() {
    use spanloupe_core::ingest::{Input, Source, load_many};
    let jaeger = common::corpus_bytes("jaeger-otlp2jaeger-out.jaeger.json");
    let otlp = common::corpus_bytes("otelproto-trace.json");
    let input = |bytes| Input {
        bytes,
        source: Source::default(),
    };
    let loaded = load_many(&[input(&jaeger), input(&otlp)]);
    let formats: Vec<Format> = loaded
        .outcomes
        .iter()
        .map(|o| o.as_ref().expect("loads").format)
        .collect();
    assert_eq!(formats, [Format::JaegerJson, Format::OtlpJson]);
    let set = loaded.set.expect("one set");
    assert_eq!(set.traces.len(), 2);
    assert_eq!(set.span_count(), 3);
}
