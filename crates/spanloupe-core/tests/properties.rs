//! The model's invariants on generated inputs, whatever they hold: parent
//! cycles, duplicate ids, missing parents, spans that end before they start,
//! times of 0 and `u64::MAX`, and (in their own tests) nesting 10,000 deep
//! and 100,000 children under one parent. Every span is placed once, under
//! exactly one root, in pre-order; and writing the model as OTLP JSON and
//! reading it back gives the same model.

#![cfg(not(target_arch = "wasm32"))]
// Helpers of the tests, and the tests inside `proptest!`, fail the test.
#![allow(clippy::panic, clippy::unwrap_used)]

use proptest::prelude::*;
use serde_json::json;
use spanloupe_core::export::otlp_json::span_json;
use spanloupe_core::ingest::Source;
use spanloupe_core::model::{SpanIdx, TraceSet};

/// A span as generated: small pools of traces and ids, so duplicates,
/// cycles and missing parents are common.
#[derive(Clone, Debug)]
struct GenSpan {
    trace: u8,
    id: u8,
    /// `None`: a root. An id that no span has: a missing parent.
    parent: Option<u8>,
    start: u64,
    end: u64,
    name: String,
}

fn time() -> impl Strategy<Value = u64> {
    prop_oneof![
        Just(0),
        Just(u64::MAX),
        Just(u64::MAX - 1),
        0u64..1_000,
        any::<u64>()
    ]
}

fn span() -> impl Strategy<Value = GenSpan> {
    (
        0u8..3,
        1u8..24,
        proptest::option::of(1u8..28),
        time(),
        time(),
        "[a-z]{0,6}",
    )
        .prop_map(|(trace, id, parent, start, end, name)| GenSpan {
            trace,
            id,
            parent,
            start,
            end,
            name,
        })
}

fn trace_id(trace: u8) -> String {
    format!("{:032x}", u128::from(trace) + 1)
}

fn document(spans: &[GenSpan]) -> String {
    let spans: Vec<_> = spans
        .iter()
        .map(|s| {
            json!({
                "traceId": trace_id(s.trace),
                "spanId": format!("{:016x}", s.id),
                "parentSpanId": s.parent.map(|p| format!("{p:016x}")).unwrap_or_default(),
                "name": s.name,
                "startTimeUnixNano": s.start.to_string(),
                "endTimeUnixNano": s.end.to_string(),
                "attributes": [{"key": "n", "value": {"intValue": s.id.to_string()}}],
            })
        })
        .collect();
    json!({"resourceSpans": [{"resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "svc"}}]},
        "scopeSpans": [{"scope": {"name": "gen"}, "spans": spans}]}]})
    .to_string()
}

fn load(text: &str) -> TraceSet {
    spanloupe_core::load(text.as_bytes(), Source::default())
        .map(|loaded| loaded.set)
        .unwrap_or_else(|err| panic!("a generated file failed to load: {err}"))
}

/// Every span is in exactly one trace's range, in pre-order: a span's
/// subtree is the range after it up to `subtree_end`, its parent comes
/// before it in the same trace and its depth is one more; a root has none.
fn check_invariants(set: &TraceSet, expected_spans: usize) {
    assert_eq!(set.span_count(), expected_spans);
    let mut covered = 0;
    for trace in &set.traces {
        let range = trace.spans.range();
        assert_eq!(range.start, covered, "traces tile the spans in order");
        covered = range.end;
        // Subtrees open and close like brackets: a stack of ends.
        let mut open: Vec<usize> = Vec::new();
        let mut roots = 0;
        for i in range.clone() {
            let span = &set.spans[i];
            assert_eq!(span.trace_id, trace.trace_id);
            while open.last().is_some_and(|&end| end <= i) {
                open.pop();
            }
            let end = span.subtree_end.index();
            assert!(end > i && end <= range.end, "subtree of {i} ends at {end}");
            match span.parent {
                None => {
                    roots += 1;
                    assert_eq!(span.depth, 0);
                    assert!(open.is_empty(), "a root inside another's subtree");
                }
                Some(parent) => {
                    let p = parent.index();
                    assert!(range.contains(&p) && p < i, "parent {p} of {i}");
                    assert_eq!(span.depth, set.spans[p].depth + 1);
                    assert!(
                        set.spans[p].subtree_end.index() >= end,
                        "nested in its parent"
                    );
                    assert_eq!(
                        open.len(),
                        span.depth as usize,
                        "depth is the open subtrees"
                    );
                }
            }
            open.push(end);
        }
        assert_eq!(roots, trace.roots.len());
        assert!(
            trace
                .roots
                .iter()
                .all(|r| set.spans[r.index()].parent.is_none())
        );
    }
    assert_eq!(covered, set.span_count(), "every span is in a trace");
}

/// The model as OTLP JSON again: every span with its resource and scope.
fn export(set: &TraceSet) -> String {
    let spans: Vec<_> = (0..set.span_count())
        .map(|i| span_json(set, SpanIdx::at(i)))
        .collect();
    json!({"resourceSpans": [{"resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "svc"}}]},
        "scopeSpans": [{"scope": {"name": "gen"}, "spans": spans}]}]})
    .to_string()
}

/// What the model keeps of each span, in order, as comparable text.
fn kept(set: &TraceSet) -> Vec<String> {
    (0..set.span_count())
        .map(|i| {
            let idx = SpanIdx::at(i);
            let span = &set.spans[i];
            // Problems are not compared: a span that ended before it
            // started is kept clamped, and read back it has no problem.
            format!(
                "{} parent={:?} depth={} end={} {}",
                span_json(set, idx),
                span.parent.map(SpanIdx::index),
                span.depth,
                span.subtree_end.index(),
                set.service_name(idx),
            )
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_spans_are_placed_once_in_pre_order(spans in proptest::collection::vec(span(), 1..60)) {
        let set = load(&document(&spans));
        check_invariants(&set, spans.len());
    }

    #[test]
    fn the_model_written_as_otlp_json_reads_back_the_same(spans in proptest::collection::vec(span(), 1..40)) {
        let set = load(&document(&spans));
        let again = load(&export(&set));
        check_invariants(&again, spans.len());
        prop_assert_eq!(kept(&set), kept(&again));
    }
}

#[test]
fn a_chain_10000_deep_is_placed_in_pre_order() {
    let spans: Vec<GenSpan> = (0..10_000u32)
        .map(|i| GenSpan {
            trace: 0,
            id: 0,
            parent: None,
            start: u64::from(i),
            end: 20_000 - u64::from(i),
            name: format!("s{i}"),
        })
        .collect();
    // Ids beyond the generator's pools: each span the child of the one before.
    let text = document(&spans);
    let mut value: serde_json::Value = serde_json::from_str(&text).unwrap();
    let list = value["resourceSpans"][0]["scopeSpans"][0]["spans"]
        .as_array_mut()
        .unwrap();
    for (i, span) in list.iter_mut().enumerate() {
        span["spanId"] = json!(format!("{:016x}", i + 1));
        span["parentSpanId"] = json!(if i == 0 {
            String::new()
        } else {
            format!("{i:016x}")
        });
    }
    let set = load(&value.to_string());
    check_invariants(&set, 10_000);
    assert_eq!(set.spans[9_999].depth, 9_999);
    assert_eq!(set.traces[0].max_depth, 9_999);
}

#[test]
fn a_hundred_thousand_children_of_one_parent_are_placed_by_start() {
    let mut spans = vec![
        json!({"traceId": trace_id(0), "spanId": format!("{:016x}", 1),
        "name": "parent", "startTimeUnixNano": "0", "endTimeUnixNano": "1000000000"}),
    ];
    for i in 0..100_000u64 {
        // Starts in a scrambled order.
        let start = (i * 7_919) % 100_000 + 1;
        spans.push(
            json!({"traceId": trace_id(0), "spanId": format!("{:016x}", i + 2),
            "parentSpanId": format!("{:016x}", 1), "name": "child",
            "startTimeUnixNano": start.to_string(), "endTimeUnixNano": (start + 1).to_string()}),
        );
    }
    let text = json!({"resourceSpans": [{"scopeSpans": [{"spans": spans}]}]}).to_string();
    let set = load(&text);
    check_invariants(&set, 100_001);
    let starts: Vec<u64> = set.spans[1..].iter().map(|s| s.start_unix_nanos).collect();
    assert!(starts.windows(2).all(|w| w[0] <= w[1]), "children by start");
    assert!(set.spans[1..].iter().all(|s| s.depth == 1));
}
