//! Zipkin v2 JSON read into the same model as OTLP: the facts of the corpus
//! files (SOURCES.md), to the microsecond.

mod common;

use common::{attr_str, load_corpus, load_str, span_named};
use spanloupe_core::ingest::Format;
use spanloupe_core::model::{Problems, SpanIdx, SpanKind, StatusCode, TraceSet, Value};

fn spans(set: &TraceSet) -> impl Iterator<Item = SpanIdx> + '_ {
    (0..set.span_count()).map(SpanIdx::at)
}

#[test]
fn yelp_a_list_of_spans_with_64_bit_ids() {
    let loaded = load_corpus("zipkin-yelp.json");
    assert_eq!(loaded.summary.format, Format::ZipkinJson);
    let set = &loaded.set;
    assert_eq!((set.traces.len(), set.span_count()), (1, 16));
    assert_eq!(
        set.traces[0].trace_id.to_string(),
        "0000000000000000a03ee8fff1dcd9b9"
    );
    let root = set.traces[0].root().expect("root");
    let span = set.span(root).expect("span");
    assert_eq!(set.str(span.name), "post /location/update/v4");
    assert_eq!(span.span_id.to_string(), "2e8cfb154b59a41f");
    assert_eq!(span.start_unix_nanos, 1_571_896_375_237_354_000);
    assert_eq!(span.end_unix_nanos - span.start_unix_nanos, 131_848_000);
    assert_eq!(set.service_name(root), "routing");
    assert_eq!(set.traces[0].missing_parent_count, 0);

    let client = spans(set)
        .find(|&i| {
            set.span(i)
                .is_some_and(|s| s.span_id.to_string() == "15fc03927f0f68df")
        })
        .expect("the client span");
    let span = set.span(client).expect("span");
    assert_eq!(span.kind, SpanKind::Client);
    assert_eq!(set.service_name(client), "mobile_api");
    assert_eq!(attr_str(set, client, "peer.service"), Some("blt"));
    assert_eq!(
        set.span_attribute(client, "network.peer.port"),
        Some(Value::Int(31882))
    );
    assert_eq!(attr_str(set, client, "client_status_code"), Some("200"));

    // The shared span's server half: its own id now, under its client half,
    // and the parent of what its service did.
    let proxy = span_named(set, "post api proxy proxy");
    let proxy_span = set.span(proxy).expect("span");
    assert_eq!(proxy_span.parent_span_id.to_string(), "668ed78ad94b35a1");
    let txn = span_named(set, "txn: user_get_basic_and_scout_info");
    assert_eq!(
        set.span(txn).expect("txn").parent_span_id,
        proxy_span.span_id
    );
    let events = set.events(proxy_span.events);
    assert_eq!(events.len(), 1);
    assert_eq!(set.str(events[0].name), "py_zipkin.logging_end");
    assert_eq!(events[0].time_unix_nanos, 1_571_896_375_355_436_000);
}

#[test]
fn a_shared_span_is_two_spans_the_server_half_under_the_client_half() {
    let set = load_corpus("zipkin-skew.json").set;
    assert_eq!(set.span_count(), 4);
    assert!(spans(&set).all(|i| {
        set.span(i)
            .is_some_and(|s| !s.problems.contains(Problems::DUPLICATE_ID))
    }));
    let client = spans(&set)
        .find(|&i| set.span(i).is_some_and(|s| s.kind == SpanKind::Client))
        .expect("the client half");
    let server = spans(&set)
        .find(|&i| {
            set.span(i)
                .is_some_and(|s| s.kind == SpanKind::Server && set.str(s.name) == "post")
        })
        .expect("the server half");
    let (client_span, server_span) = (set.span(client).expect("c"), set.span(server).expect("s"));
    assert_eq!(client_span.span_id.to_string(), "74280ae0c10d8062");
    assert_eq!(server_span.parent_span_id, client_span.span_id);
    assert_ne!(server_span.span_id, client_span.span_id);
    assert_eq!(set.service_name(server), "serviceb");
    // serviceb's child of the shared id follows the server half.
    let child = span_named(&set, "async");
    assert_eq!(
        set.span(child).expect("async").parent_span_id,
        server_span.span_id
    );
    assert_eq!(client_span.parent_span_id.to_string(), "bf396325699c84bf");
    assert_eq!(set.traces[0].roots.len(), 1);
}

#[test]
fn kafka_messaging_kinds_and_error_tags() {
    let set = load_corpus("zipkin-messaging-kafka.json").set;
    assert_eq!(set.span_count(), 28);
    let kinds: Vec<SpanKind> = spans(&set)
        .filter_map(|i| set.span(i).map(|s| s.kind))
        .collect();
    assert!(kinds.contains(&SpanKind::Producer) && kinds.contains(&SpanKind::Consumer));
    // Spans without a kind read as internal, as OpenTelemetry reads them.
    assert!(kinds.contains(&SpanKind::Internal));
    let errors: Vec<SpanIdx> = spans(&set)
        .filter(|&i| {
            set.span(i)
                .is_some_and(|s| s.status_code == StatusCode::Error)
        })
        .collect();
    assert_eq!(errors.len(), 3);
    let messages: Vec<&str> = errors
        .iter()
        .filter_map(|&i| set.span(i).map(|s| set.str(s.status_message)))
        .collect();
    assert_eq!(messages.iter().filter(|m| **m == "some error").count(), 2);
    assert!(
        errors
            .iter()
            .all(|&i| set.span_attribute(i, "error").is_none())
    );
}

#[test]
fn a_single_span_in_chinese_with_ipv6_an_error_and_a_missing_parent() {
    let loaded = load_corpus("zipkin2-chinese-single.json");
    let set = &loaded.set;
    assert_eq!(set.span_count(), 1);
    let idx = SpanIdx(0);
    let span = set.span(idx).expect("span");
    assert_eq!(set.str(span.name), "个人信息查询");
    assert_eq!(set.service_name(idx), "订单维护服务");
    assert_eq!(span.status_code, StatusCode::Error);
    assert_eq!(set.str(span.status_message), "此用户没有操作权限");
    assert_eq!(attr_str(set, idx, "http.status_code"), Some("403"));
    assert_eq!(attr_str(set, idx, "peer.service"), Some("个人信息服务"));
    assert_eq!(attr_str(set, idx, "server.address"), Some("192.168.99.101"));
    assert_eq!(
        set.span_attribute(idx, "network.peer.port"),
        Some(Value::Int(9000))
    );
    assert!(span.problems.contains(Problems::MISSING_PARENT));
    assert_eq!(span.start_unix_nanos, 1_472_470_996_199_000_000);
}

#[test]
fn smartthings_a_large_trace() {
    let set = load_corpus("zipkin-smartthings-oauth-authorization.json").set;
    assert_eq!(set.span_count(), 175);
    let root = set.traces[0].root().expect("root");
    assert_eq!(set.span_name(root), "get /oauth/authorize");
    assert_eq!(set.traces[0].error_count, 2);
}

#[test]
fn an_opentelemetry_event_is_unpacked_from_the_annotation() {
    let text = r#"[{"traceId":"0af7651916cd43dd8448eb211c80319c","id":"00000000000000a1","name":"chat",
        "timestamp":1700000000000000,"duration":5,"localEndpoint":{"serviceName":"bot"},
        "tags":{"otel.status_code":"ERROR","otel.status_description":"rate limited","otel.scope.name":"openai.v2"},
        "annotations":[{"timestamp":1700000000000002,"value":"{\"gen_ai.choice\":{\"index\":0,\"finish_reason\":\"stop\"}}"},
                       {"timestamp":1700000000000003,"value":"plain"}]}]"#;
    let set = load_str(text).expect("reads").set;
    let span = set.span(SpanIdx(0)).expect("span");
    assert_eq!(span.status_code, StatusCode::Error);
    assert_eq!(set.str(span.status_message), "rate limited");
    assert_eq!(
        set.str(set.scope(span.scope).expect("scope").name),
        "openai.v2"
    );
    let events = set.events(span.events);
    assert_eq!(set.str(events[0].name), "gen_ai.choice");
    let attributes = set.attributes(events[0].attributes);
    assert_eq!(attributes.len(), 2);
    assert!(
        attributes
            .iter()
            .any(|a| set.str(a.key) == "index" && a.value == Value::Int(0))
    );
    assert_eq!(set.str(events[1].name), "plain");
}

#[test]
fn a_list_of_traces_and_a_malformed_span() {
    let one = r#"{"traceId":"0af7651916cd43dd8448eb211c80319c","id":"00000000000000a1","name":"a","timestamp":1,"duration":1}"#;
    let two = one.replace("0af7", "1af7");
    let set = load_str(&format!("[[{one}],[{two}]]"))
        .expect("a list of traces")
        .set;
    assert_eq!(set.traces.len(), 2);
    let err = load_str(r#"[{"traceId":"0af7651916cd43dd8448eb211c80319c","id":"00000000000000a1","timestamp":"soon"}]"#)
        .expect_err("malformed");
    assert!(err.to_string().contains("Zipkin"), "{err}");
}
