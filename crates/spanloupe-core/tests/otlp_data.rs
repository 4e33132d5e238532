//! Whole traces written back as OTLP JSON read again to the same data.
#![allow(clippy::expect_used)] // a helper that cannot load fails the test

mod common;

use spanloupe_core::export::otlp_data::{Logs, document};
use spanloupe_core::ingest::{Input, Source, load_many};
use spanloupe_core::model::{SpanIdx, TraceId, TraceSet};

fn load_pair(traces: &str, logs: &str) -> TraceSet {
    let (a, b) = (common::corpus_bytes(traces), common::corpus_bytes(logs));
    load_together(&[(&a, Some(traces)), (&b, Some(logs))])
}

/// Inputs loaded as one set, as dropped together.
fn load_together(inputs: &[(&[u8], Option<&str>)]) -> TraceSet {
    let inputs: Vec<Input> = inputs
        .iter()
        .map(|&(bytes, name)| Input {
            bytes,
            source: Source {
                name,
                content_type: None,
            },
        })
        .collect();
    let loaded = load_many(&inputs);
    assert!(
        loaded.outcomes.iter().all(Result::is_ok),
        "{:?}",
        loaded.outcomes
    );
    loaded.set.expect("loaded")
}

fn reload(json: &serde_json::Value) -> TraceSet {
    let text = serde_json::to_vec(json).expect("json");
    spanloupe_core::load(&text, Source::default())
        .expect("the export reads again")
        .set
}

/// What a span must keep through the export.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct SpanFacts {
    ids: [String; 3],
    name: String,
    service: String,
    times: (u64, u64),
    attributes: usize,
    events: usize,
}

fn spans_of(set: &TraceSet) -> Vec<SpanFacts> {
    let mut out: Vec<_> = (0..set.span_count())
        .map(|i| {
            let idx = SpanIdx::at(i);
            let span = set.span(idx).expect("span");
            SpanFacts {
                ids: [
                    span.trace_id.to_string(),
                    span.span_id.to_string(),
                    span.parent_span_id.to_string(),
                ],
                name: set.str(span.name).to_owned(),
                service: set.service_name(idx).to_owned(),
                times: (span.start_unix_nanos, span.end_unix_nanos),
                attributes: set.attributes(span.attributes).len(),
                events: set.events(span.events).len(),
            }
        })
        .collect();
    out.sort();
    out
}

#[test]
fn a_trace_and_its_logs_read_back_the_same() {
    let set = load_pair(
        "generated-openai-v2-latest.traces.json",
        "generated-openai-v2-latest.logs.json",
    );
    assert!(!set.logs.is_empty());
    let all: Vec<_> = set.traces.iter().map(|t| t.trace_id).collect();
    let again = reload(&document(&set, &all, Logs::OfTheTracesAndUncorrelated));
    assert_eq!(spans_of(&again), spans_of(&set));
    assert_eq!(again.logs.len(), set.logs.len());
    let correlated = |s: &TraceSet| s.logs.iter().filter(|l| l.span.is_some()).count();
    assert_eq!(correlated(&again), correlated(&set));
    let bodies = |s: &TraceSet| {
        let mut b: Vec<String> = s
            .logs
            .iter()
            .map(|l| spanloupe_core::export::otlp_json::any_value_json(s, l.body).to_string())
            .collect();
        b.sort();
        b
    };
    assert_eq!(bodies(&again), bodies(&set));
}

#[test]
fn one_trace_is_only_its_spans_and_logs() {
    let set = common::load_corpus("otelproto-trace.json").set;
    let first = &set.traces[0];
    let doc = document(&set, &[first.trace_id], Logs::OfTheTraces);
    assert!(doc.get("resourceLogs").is_none());
    let again = reload(&doc);
    assert_eq!(again.traces.len(), 1);
    assert_eq!(again.traces[0].trace_id, first.trace_id);
    assert_eq!(again.span_count(), first.span_count());
    // Resources and scopes come back with their attributes.
    let idx = again.traces[0].root().expect("root");
    assert_eq!(
        again.service_name(idx),
        set.service_name(first.root().expect("root"))
    );
}

#[test]
fn unknown_ids_give_an_empty_document() {
    let set = common::load_corpus("otelproto-trace.json").set;
    let unknown = TraceId::from_bytes(&[7; 16]).expect("id");
    assert_eq!(
        document(&set, &[unknown], Logs::OfTheTraces),
        serde_json::json!({})
    );
}

#[test]
fn logs_alone_follow_the_trace_ids_they_name() {
    let set = common::load_corpus("generated-openai-v2-latest.logs.json").set;
    assert!(set.traces.is_empty());
    let named: Vec<TraceId> = set
        .logs
        .iter()
        .map(|l| l.trace_id)
        .filter(|t| !t.is_zero())
        .collect();
    let doc = document(&set, &named[..1], Logs::OfTheTraces);
    let again = reload(&doc);
    let expected = set.logs.iter().filter(|l| l.trace_id == named[0]).count();
    assert!(expected > 0);
    assert_eq!(again.logs.len(), expected);
    assert!(doc.get("resourceSpans").is_none());
}

#[test]
fn traces_come_in_the_order_asked_each_once() {
    let set = common::load_corpus("oteltui-demo-fileexporter.jsonl").set;
    let (a, b) = (set.traces[0].trace_id, set.traces[1].trace_id);
    let doc = document(&set, &[b, a, b], Logs::OfTheTraces);
    let again: Vec<String> = doc["resourceSpans"]
        .as_array()
        .expect("spans")
        .iter()
        .flat_map(|r| r["scopeSpans"].as_array().into_iter().flatten())
        .flat_map(|s| s["spans"].as_array().into_iter().flatten())
        .map(|s| s["traceId"].as_str().unwrap_or_default().to_owned())
        .collect();
    let first_a = again.iter().position(|t| *t == a.to_string()).expect("a");
    let last_b = again.iter().rposition(|t| *t == b.to_string()).expect("b");
    assert!(last_b < first_a, "{again:?}");
    let count = set.traces[0].span_count() + set.traces[1].span_count();
    assert_eq!(again.len(), count);
}

/// root → a → (b, c), and d beside a; a log record on b and one on root.
fn nested_with_logs() -> TraceSet {
    let trace = "5b8efff798038103d269b633813fc60c";
    let span = |id: &str, parent: &str, name: &str| {
        format!(
            r#"{{"traceId":"{trace}","spanId":"{id}","parentSpanId":"{parent}","name":"{name}","startTimeUnixNano":"1000","endTimeUnixNano":"2000","attributes":[{{"key":"k","value":{{"stringValue":"{name}"}}}}]}}"#
        )
    };
    let spans = [
        span("0000000000000001", "", "root"),
        span("0000000000000002", "0000000000000001", "a"),
        span("0000000000000003", "0000000000000002", "b"),
        span("0000000000000004", "0000000000000002", "c"),
        span("0000000000000005", "0000000000000001", "d"),
    ]
    .join(",");
    let traces = format!(
        r#"{{"resourceSpans":[{{"resource":{{"attributes":[{{"key":"service.name","value":{{"stringValue":"shop"}}}}]}},"scopeSpans":[{{"spans":[{spans}]}}]}}]}}"#
    );
    let log = |span: &str, body: &str| {
        format!(
            r#"{{"timeUnixNano":"1500","traceId":"{trace}","spanId":"{span}","body":{{"stringValue":"{body}"}}}}"#
        )
    };
    let logs = format!(
        r#"{{"resourceLogs":[{{"scopeLogs":[{{"logRecords":[{},{}]}}]}}]}}"#,
        log("0000000000000003", "on b"),
        log("0000000000000001", "on root")
    );
    load_together(&[(traces.as_bytes(), None), (logs.as_bytes(), None)])
}

#[test]
fn a_subtree_reads_back_as_those_spans_with_their_logs() {
    let set = nested_with_logs();
    let a = (0..set.span_count())
        .map(SpanIdx::at)
        .find(|&idx| set.str(set.span(idx).expect("span").name) == "a")
        .expect("span a");
    // Its descendants follow it in the model's pre-order.
    let end = set.span(a).expect("span").subtree_end.index();
    let subtree: Vec<SpanIdx> = (a.index()..end).map(SpanIdx::at).collect();
    let again = reload(&spanloupe_core::export::otlp_data::spans_document(
        &set, &subtree,
    ));
    let names = |s: &TraceSet| {
        let mut names: Vec<String> = (0..s.span_count())
            .map(|i| s.str(s.span(SpanIdx::at(i)).expect("span").name).to_owned())
            .collect();
        names.sort();
        names
    };
    assert_eq!(names(&again), ["a", "b", "c"]);
    let kept: Vec<SpanFacts> = spans_of(&set)
        .into_iter()
        .filter(|facts| ["a", "b", "c"].contains(&facts.name.as_str()))
        .collect();
    assert_eq!(spans_of(&again), kept);
    // The log record on b came along; the one on root did not.
    assert_eq!(again.logs.len(), 1);
    assert_eq!(
        spanloupe_core::export::otlp_json::any_value_json(&again, again.logs[0].body),
        serde_json::json!({"stringValue": "on b"})
    );
}

#[test]
fn a_subtree_and_matches_with_ancestors_are_the_spans_asked_for() {
    use spanloupe_core::export::otlp_data::{matches_with_ancestors, subtree};
    let set = nested_with_logs();
    let named = |name: &str| {
        (0..set.span_count())
            .map(SpanIdx::at)
            .find(|&idx| set.str(set.span(idx).expect("span").name) == name)
            .expect("span")
    };
    let names = |spans: Vec<SpanIdx>| -> Vec<String> {
        spans
            .into_iter()
            .map(|idx| set.str(set.span(idx).expect("span").name).to_owned())
            .collect()
    };
    assert_eq!(names(subtree(&set, named("a"))), ["a", "b", "c"]);
    assert_eq!(names(subtree(&set, named("d"))), ["d"]);
    let trace = &set.traces[0];
    assert_eq!(
        names(matches_with_ancestors(&set, trace, &[named("c")])),
        ["root", "a", "c"]
    );
}
