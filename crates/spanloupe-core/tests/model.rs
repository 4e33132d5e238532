//! The model's repairs and indexes, on small hand-made traces.

mod common;

use common::{load_str, span_named};
use spanloupe_core::ingest::{Source, ingest_into};
use spanloupe_core::model::{Problems, SpanIdx, TraceSetBuilder, WarningKind};

/// A span as OTLP JSON: (trace, span id, parent id, name, start, end).
fn span(trace: &str, id: &str, parent: &str, name: &str, start: u64, end: u64) -> String {
    format!(
        r#"{{"traceId":"{trace}","spanId":"{id}","parentSpanId":"{parent}","name":"{name}","startTimeUnixNano":"{start}","endTimeUnixNano":"{end}"}}"#
    )
}

fn document(spans: &[String]) -> String {
    format!(
        r#"{{"resourceSpans":[{{"resource":{{"attributes":[{{"key":"service.name","value":{{"stringValue":"svc"}}}}]}},"scopeSpans":[{{"spans":[{}]}}]}}]}}"#,
        spans.join(",")
    )
}

const T1: &str = "00000000000000000000000000000001";
const T2: &str = "00000000000000000000000000000002";

fn id(n: u64) -> String {
    format!("{n:016x}")
}

#[test]
fn spans_are_in_pre_order_with_siblings_by_start() {
    let set = load_str(&document(&[
        span(T1, &id(3), &id(1), "late child", 30, 40),
        span(T1, &id(2), &id(1), "early child", 10, 20),
        span(T1, &id(4), &id(2), "grandchild", 11, 12),
        span(T1, &id(1), "", "root", 0, 50),
    ]))
    .unwrap()
    .set;
    let trace = &set.traces[0];
    assert_eq!(
        set.outline(trace),
        "root\n  early child\n    grandchild\n  late child\n"
    );
    let root = trace.root().unwrap();
    let children: Vec<&str> = set.children(root).map(|c| set.span_name(c)).collect();
    assert_eq!(children, ["early child", "late child"]);
    let early = span_named(&set, "early child");
    assert_eq!(
        set.span(early).unwrap().subtree_end,
        span_named(&set, "late child")
    );
    assert_eq!(set.span(early).unwrap().parent, Some(root));
    assert_eq!(set.span(span_named(&set, "grandchild")).unwrap().depth, 2);
    assert_eq!(trace.duration_nanos(), 50);
    assert!(set.warnings.is_empty());
}

#[test]
fn traces_are_ordered_by_start_and_spans_found_by_id() {
    let set = load_str(&document(&[
        span(T2, &id(1), "", "second", 100, 200),
        span(T1, &id(1), "", "first", 50, 60),
    ]))
    .unwrap()
    .set;
    let roots: Vec<&str> = set
        .traces
        .iter()
        .map(|t| set.span_name(t.root().unwrap()))
        .collect();
    assert_eq!(roots, ["first", "second"]);
    let trace_two = set.traces[1].trace_id;
    let found = set.find_span(trace_two, set.spans[1].span_id).unwrap();
    assert_eq!(set.span_name(found), "second");
    assert_eq!(set.trace_of(found).unwrap().trace_id, trace_two);
    let position = set.trace_position_of(found).unwrap();
    assert_eq!(set.traces[position].trace_id, trace_two);
    assert_eq!(set.trace_position(trace_two), Some(position));
}

#[test]
fn duplicate_span_ids_are_kept_and_warned() {
    let set = load_str(&document(&[
        span(T1, &id(1), "", "root", 0, 100),
        span(T1, &id(2), &id(1), "dup a", 10, 20),
        span(T1, &id(2), &id(1), "dup b", 30, 40),
        span(T1, &id(3), &id(2), "child of dup", 12, 13),
    ]))
    .unwrap()
    .set;
    assert_eq!(set.span_count(), 4);
    assert_eq!(set.warnings.count(WarningKind::DuplicateSpanId), 1);
    assert!(
        set.span(span_named(&set, "dup b"))
            .unwrap()
            .problems
            .contains(Problems::DUPLICATE_ID)
    );
    // The child attaches to the earlier duplicate.
    assert_eq!(
        set.outline(&set.traces[0]),
        "root\n  dup a\n    child of dup\n  dup b\n"
    );
}

#[test]
fn parent_cycles_are_cut_and_warned_and_nothing_is_dropped() {
    // a -> b -> c -> a loop, d hangs below b, plus a self-parented span.
    let set = load_str(&document(&[
        span(T1, &id(1), &id(3), "a", 10, 100),
        span(T1, &id(2), &id(1), "b", 20, 90),
        span(T1, &id(3), &id(2), "c", 30, 80),
        span(T1, &id(4), &id(2), "d", 5, 8),
        span(T1, &id(5), &id(5), "self", 1, 2),
    ]))
    .unwrap()
    .set;
    assert_eq!(set.span_count(), 5);
    assert_eq!(set.warnings.count(WarningKind::ParentCycle), 2);
    // The loop is cut at its earliest span, "a"; "d" (earlier, but not on the loop) stays under "b".
    assert_eq!(set.outline(&set.traces[0]), "self\na\n  b\n    d\n    c\n");
    assert!(
        set.span(span_named(&set, "a"))
            .unwrap()
            .problems
            .contains(Problems::CYCLE_BROKEN)
    );
    assert!(
        set.span(span_named(&set, "self"))
            .unwrap()
            .problems
            .contains(Problems::CYCLE_BROKEN)
    );
}

/// 2 × `loops` spans of one trace, each pair the other's parent.
pub fn two_span_loops(loops: u64) -> String {
    let spans: Vec<String> = (0..loops)
        .flat_map(|n| {
            let (a, b) = (2 * n + 1, 2 * n + 2);
            [
                span(T1, &id(a), &id(b), "a", 10 * n, 10 * n + 5),
                span(T1, &id(b), &id(a), "b", 10 * n + 1, 10 * n + 4),
            ]
        })
        .collect();
    document(&spans)
}

#[test]
fn fifty_thousand_two_span_loops_are_each_cut_once() {
    // Cutting each loop used to scan the whole trace (100,000 spans) for
    // the next span not placed: 50,000 scans. The benchmark's
    // `repairs` example times this file against one without loops.
    let set = load_str(&two_span_loops(50_000)).unwrap().set;
    assert_eq!(set.span_count(), 100_000);
    assert_eq!(set.warnings.count(WarningKind::ParentCycle), 50_000);
    let trace = &set.traces[0];
    let spans = &set.spans[trace.spans.range()];
    // Every loop is cut at its earlier span, which becomes a root with the
    // other as its only child: "a", "b", "a", "b", … in pre-order.
    for (i, span) in spans.iter().enumerate() {
        let name = set.str(span.name);
        if i % 2 == 0 {
            assert_eq!((name, span.depth), ("a", 0), "span {i}");
            assert!(span.problems.contains(Problems::CYCLE_BROKEN));
        } else {
            assert_eq!((name, span.depth), ("b", 1), "span {i}");
        }
    }
}

#[test]
fn end_before_start_is_clamped_and_warned() {
    let set = load_str(&document(&[span(T1, &id(1), "", "backwards", 100, 40)]))
        .unwrap()
        .set;
    let span = set.span(SpanIdx(0)).unwrap();
    assert_eq!(span.duration_nanos(), 0);
    assert!(span.problems.contains(Problems::END_BEFORE_START));
    assert_eq!(set.warnings.count(WarningKind::EndBeforeStart), 1);
}

#[test]
fn missing_ids_are_kept_and_warned() {
    let text = r#"{"resourceSpans":[{"scopeSpans":[{"spans":[{"name":"anonymous"}]}]}]}"#;
    let set = load_str(text).unwrap().set;
    assert_eq!(set.span_count(), 1);
    let span = set.span(SpanIdx(0)).unwrap();
    assert!(span.problems.contains(Problems::NO_TRACE_ID));
    assert!(span.problems.contains(Problems::NO_SPAN_ID));
    assert_eq!(set.warnings.count(WarningKind::BadTraceId), 1);
}

#[test]
fn one_trace_spread_over_files_becomes_one_tree() {
    let mut builder = TraceSetBuilder::new();
    let parts = [
        document(&[span(T1, &id(2), &id(1), "child", 10, 20)]),
        document(&[span(T1, &id(1), "", "root", 0, 30)]),
    ];
    for part in &parts {
        ingest_into(&mut builder, part.as_bytes(), Source::default()).unwrap();
    }
    let set = builder.finish();
    assert_eq!(set.traces.len(), 1);
    assert_eq!(set.outline(&set.traces[0]), "root\n  child\n");
    assert_eq!(set.resources.len(), 2);
}

#[test]
fn a_failed_input_leaves_nothing_behind() {
    let mut builder = TraceSetBuilder::new();
    let good = document(&[span(T1, &id(1), "", "kept", 0, 1)]);
    ingest_into(&mut builder, good.as_bytes(), Source::default()).unwrap();
    // Two good lines, then a bad one: the good lines of this input go too.
    let bad = format!(
        "{}\n{}\n{{\"resourceSpans\": 5}}\n",
        document(&[span(T2, &id(1), "", "gone", 0, 1)]),
        document(&[span(T2, &id(2), "", "gone too", 0, 1)])
    );
    assert!(ingest_into(&mut builder, bad.as_bytes(), Source::default()).is_err());
    let set = builder.finish();
    assert_eq!(set.span_count(), 1);
    assert_eq!(set.span_name(SpanIdx(0)), "kept");
}

#[test]
fn a_chain_100_000_deep_does_not_overflow_the_stack() {
    const DEPTH: u64 = 100_000;
    let spans: Vec<String> = (1..=DEPTH)
        .map(|n| {
            span(
                T1,
                &id(n),
                &if n == 1 { String::new() } else { id(n - 1) },
                "link",
                n,
                2 * DEPTH - n,
            )
        })
        .collect();
    let set = load_str(&document(&spans)).unwrap().set;
    let depth = u32::try_from(DEPTH).unwrap();
    let last = set.span(SpanIdx(depth - 1)).unwrap();
    assert_eq!(last.depth, depth - 1);
    assert_eq!(set.span(SpanIdx(0)).unwrap().subtree_end, SpanIdx(depth));
    assert_eq!(set.children(SpanIdx(0)).count(), 1);
}

/// The JSON reader streams into the model: a resource or scope written after
/// its spans, and lists nested in lists, must land where they belong.
#[test]
fn json_fields_in_any_order_and_nested_values_land_in_place() {
    let text = r#"{"resourceSpans": [
      {"scopeSpans": [
         {"spans": [
            {"name": "first", "attributes": [
               {"key": "outer", "value": {"kvlistValue": {"values": [
                  {"key": "list", "value": {"arrayValue": {"values": [
                     {"intValue": "1"},
                     {"kvlistValue": {"values": [{"key": "deep", "value": {"boolValue": true}}]}},
                     {"stringValue": "three"}
                  ]}}},
                  {"key": "after", "value": {"doubleValue": 2.5}}
               ]}}},
               {"key": "plain", "value": {"stringValue": "x"}}
             ],
             "events": [{"name": "e1", "attributes": [{"key": "k", "value": {"stringValue": "v"}}]},
                        {"name": "e2"}],
             "spanId": "0000000000000002", "traceId": "00000000000000000000000000000001",
             "startTimeUnixNano": "1", "endTimeUnixNano": "9"}
          ],
          "scope": {"name": "lib", "version": "1.0"}}
       ],
       "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "late"}}]}},
      {"resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "early"}}]},
       "scopeSpans": [{"scope": {"name": "lib2"}, "spans": [
          {"name": "second", "traceId": "00000000000000000000000000000001",
           "spanId": "0000000000000003", "parentSpanId": "0000000000000002",
           "startTimeUnixNano": 2, "endTimeUnixNano": 3, "events": [{"name": "e3"}]}]}]}
    ]}"#;
    let set = load_str(text).unwrap().set;
    let first = span_named(&set, "first");
    let second = span_named(&set, "second");
    let span = |idx| set.span(idx).unwrap();
    let service = |idx: SpanIdx| set.str(set.resources[span(idx).resource as usize].service_name);
    let scope = |idx: SpanIdx| set.str(set.scopes[span(idx).scope as usize].name);
    assert_eq!((service(first), scope(first)), ("late", "lib"));
    assert_eq!((service(second), scope(second)), ("early", "lib2"));
    let exported = spanloupe_core::export::otlp_json::span_json(&set, first).to_string();
    let attributes = r#""attributes":[{"key":"outer","value":{"kvlistValue":{"values":[{"key":"list","value":{"arrayValue":{"values":[{"intValue":"1"},{"kvlistValue":{"values":[{"key":"deep","value":{"boolValue":true}}]}},{"stringValue":"three"}]}}},{"key":"after","value":{"doubleValue":2.5}}]}}},{"key":"plain","value":{"stringValue":"x"}}]"#;
    assert!(exported.contains(attributes), "{exported}");
    let event_names = |idx: SpanIdx| {
        set.events(span(idx).events)
            .iter()
            .map(|e| set.str(e.name).to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(event_names(first), ["e1", "e2"]);
    assert_eq!(event_names(second), ["e3"]);
    assert_eq!(span(second).parent, Some(first));
}

#[test]
fn the_json_for_reading_cuts_long_values_and_says_how_long_they_are() {
    let long = "é".repeat(5_000);
    let text = format!(
        r#"{{"resourceSpans":[{{"scopeSpans":[{{"spans":[{{"traceId":"{}","spanId":"{}","name":"big","startTimeUnixNano":"1","endTimeUnixNano":"2",
        "attributes":[{{"key":"prompt","value":{{"stringValue":"{long}"}}}},{{"key":"short","value":{{"stringValue":"ok"}}}},
        {{"key":"list","value":{{"arrayValue":{{"values":[{{"stringValue":"{long}"}}]}}}}}},
        {{"key":"blob","value":{{"bytesValue":"{}"}}}}]}}]}}]}}]}}"#,
        "1".repeat(32),
        id(1),
        "AAAA".repeat(1_000)
    );
    let set = load_str(&text).unwrap().set;
    let idx = span_named(&set, "big");
    let whole = spanloupe_core::export::otlp_json::span_json(&set, idx).to_string();
    assert!(whole.contains(&long));
    let cut = spanloupe_core::export::otlp_json::span_json_cut(&set, idx, 100);
    let cut_text = cut.to_string();
    let prompt = format!("{}… (5000 characters in all)", "é".repeat(100));
    assert_eq!(
        cut["attributes"][0]["value"]["stringValue"],
        prompt.as_str()
    );
    assert_eq!(cut["attributes"][1]["value"]["stringValue"], "ok");
    assert_eq!(
        cut["attributes"][2]["value"]["arrayValue"]["values"][0]["stringValue"],
        prompt.as_str()
    );
    // 3000 bytes of zeros: the first 100 as base64, then the length.
    assert_eq!(
        cut["attributes"][3]["value"]["bytesValue"],
        format!("{}… (3000 bytes in all)", "AAAA".repeat(33) + "AA==")
    );
    assert!(cut_text.len() < 2_000, "{}", cut_text.len());
}

/// One span with `attributes` string attributes and an array of `values`.
pub fn wide_span(attributes: usize, values: usize) -> String {
    let mut list: Vec<String> = (0..attributes)
        .map(|i| format!(r#"{{"key":"k{i}","value":{{"stringValue":"v{i}"}}}}"#))
        .collect();
    let items: Vec<String> = (0..values)
        .map(|i| format!(r#"{{"intValue":"{i}"}}"#))
        .collect();
    list.push(format!(
        r#"{{"key":"array","value":{{"arrayValue":{{"values":[{}]}}}}}}"#,
        items.join(",")
    ));
    document(&[format!(
        r#"{{"traceId":"{T1}","spanId":"{}","name":"wide","startTimeUnixNano":"1","endTimeUnixNano":"2","attributes":[{}]}}"#,
        id(1),
        list.join(",")
    )])
}

#[test]
fn the_json_for_reading_cuts_long_lists_and_says_how_many_are_left_out() {
    use spanloupe_core::export::otlp_json::{MAX_CUT_ITEMS, span_json, span_json_cut};
    let set = load_str(&wide_span(100_000, 50_000)).unwrap().set;
    let idx = span_named(&set, "wide");
    let cut = span_json_cut(&set, idx, 100);
    let attributes = cut["attributes"].as_array().unwrap();
    assert_eq!(attributes.len(), MAX_CUT_ITEMS + 1);
    assert_eq!(
        attributes[MAX_CUT_ITEMS - 1]["key"],
        format!("k{}", MAX_CUT_ITEMS - 1)
    );
    assert_eq!(
        attributes[MAX_CUT_ITEMS]["value"]["stringValue"],
        format!(
            "… {} attributes left out: Copy JSON for all",
            spanloupe_core::format::count(100_001 - MAX_CUT_ITEMS, "", "").trim_end()
        )
    );
    // The whole JSON, for copying, has every one.
    let whole = span_json(&set, idx);
    assert_eq!(whole["attributes"].as_array().unwrap().len(), 100_001);
    let array = &whole["attributes"][100_000]["value"]["arrayValue"]["values"];
    assert_eq!(array.as_array().unwrap().len(), 50_000);
    // An array is cut the same way, wherever it is.
    let set = load_str(&wide_span(1, 50_000)).unwrap().set;
    let cut = span_json_cut(&set, span_named(&set, "wide"), 100);
    let values = cut["attributes"][1]["value"]["arrayValue"]["values"]
        .as_array()
        .unwrap();
    assert_eq!(values.len(), MAX_CUT_ITEMS + 1);
    assert_eq!(
        values[MAX_CUT_ITEMS]["stringValue"],
        format!(
            "… {} values left out: Copy JSON for all",
            spanloupe_core::format::count(50_000 - MAX_CUT_ITEMS, "", "").trim_end()
        )
    );
}
