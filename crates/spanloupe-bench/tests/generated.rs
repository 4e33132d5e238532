//! Generated traces load as what was asked for, identically from JSON and
//! protobuf.

#![allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)] // ratios of durations; span positions of small traces

use prost::Message;
use spanloupe_bench::{Spec, generate, json::to_otlp_json};
use spanloupe_core::export::otlp_json as export;
use spanloupe_core::ingest::load_many;
use spanloupe_core::ingest::split::load_in_parts;
use spanloupe_core::ingest::{Input, Source};
use spanloupe_core::model::SpanIdx;

#[test]
fn generated_json_and_protobuf_load_to_the_same_model() {
    let request = generate(Spec {
        spans: 3_000,
        traces: 3,
        seed: 7,
    });
    let json = spanloupe_core::load(to_otlp_json(&request).as_bytes(), Source::default())
        .unwrap()
        .set;
    let proto = spanloupe_core::load(&request.encode_to_vec(), Source::default())
        .unwrap()
        .set;
    assert_eq!(json.span_count(), 3_000);
    assert_eq!(json.traces.len(), 3);
    assert!(
        json.warnings.is_empty(),
        "{:?}",
        json.warnings.iter().collect::<Vec<_>>()
    );
    for trace in &json.traces {
        assert_eq!(trace.roots.len(), 1, "every generated trace is one tree");
    }
    let depth = json.spans.iter().map(|s| s.depth).max().unwrap();
    assert!((4..=12).contains(&depth), "depth {depth}");
    // Deep spans stay wide enough to see: as in real traces, not 1 ns slivers.
    for trace in &json.traces {
        let root = json.span(trace.root().unwrap()).unwrap().duration_nanos() as f64;
        let mut deep: Vec<f64> = json.spans[trace.spans.range()]
            .iter()
            .filter(|s| s.depth >= 8)
            .map(|s| s.duration_nanos() as f64 / root)
            .collect();
        deep.sort_by(f64::total_cmp);
        if let Some(median) = deep.get(deep.len() / 2) {
            assert!(*median > 0.0002, "deep spans last {median} of the root");
        }
    }
    let errors: usize = json.traces.iter().map(|t| t.error_count).sum();
    assert!((5..=90).contains(&errors), "about 1% errors, got {errors}");
    let outline = |set: &spanloupe_core::TraceSet| {
        set.traces
            .iter()
            .map(|t| set.outline(t))
            .collect::<Vec<_>>()
    };
    assert_eq!(outline(&json), outline(&proto));
    // Every span whole: the JSON reader and the protobuf path must build
    // the same model.
    let (from_json, from_proto) = (every_span(&json), every_span(&proto));
    assert_eq!(from_json.len(), from_proto.len());
    for (a, b) in from_json.iter().zip(&from_proto) {
        assert_eq!(a, b);
    }
    assert!(
        from_json.iter().any(|s| s.contains("\"events\":[{")),
        "some spans have events"
    );
    assert!(
        from_json.iter().any(|s| s.contains("\"links\":[{")),
        "some spans have links"
    );
}

/// Every span whole (ids, times, status, attributes with nested values,
/// events, links, resource and scope), as the Raw tab shows it.
fn every_span(set: &spanloupe_core::TraceSet) -> Vec<String> {
    set.spans
        .iter()
        .enumerate()
        .map(|(i, span)| {
            let resource = &set.resources[span.resource as usize];
            let scope = &set.scopes[span.scope as usize];
            format!(
                "{} resource {} {} scope {} {} {}",
                export::span_json(set, SpanIdx(i as u32)),
                set.str(resource.service_name),
                export::attributes_json(set, set.attributes(resource.attributes)),
                set.str(scope.name),
                set.str(scope.version),
                export::attributes_json(set, set.attributes(scope.attributes)),
            )
        })
        .collect()
}

#[test]
fn generated_json_loads_the_same_in_parts() {
    let request = generate(Spec {
        spans: 6_000,
        traces: 3,
        seed: 11,
    });
    let json = to_otlp_json(&request);
    let input = Input {
        bytes: json.as_bytes(),
        source: Source::default(),
    };
    let whole = load_many(&[input]).set.unwrap();
    for workers in [2, 3, 4] {
        let (reply, parts) = load_in_parts(input, workers);
        assert_eq!(parts, workers, "the file is cut in {workers}");
        let set = reply.set.unwrap();
        assert_eq!(set.span_count(), 6_000);
        for (trace, expected) in set.traces.iter().zip(&whole.traces) {
            assert_eq!(set.outline(trace), whole.outline(expected));
            assert_eq!(trace.services.len(), expected.services.len());
        }
        assert_eq!(every_span(&set), every_span(&whole), "in {workers} parts");
        assert_eq!(
            set.strings.len(),
            whole.strings.len(),
            "strings stored once"
        );
    }
}

#[test]
fn the_same_seed_gives_the_same_bytes() {
    let a = generate(Spec {
        spans: 500,
        traces: 1,
        seed: 1,
    })
    .encode_to_vec();
    let b = generate(Spec {
        spans: 500,
        traces: 1,
        seed: 1,
    })
    .encode_to_vec();
    assert_eq!(a, b);
}

/// The rows of a trace as the views see them ([`visible_rows`], kept as runs
/// of spans) are the rows a plain walk of the tree gives, whatever is
/// collapsed or filtered, and every shown span is found at its row.
#[test]
fn visible_rows_are_the_rows_of_a_walk_of_the_tree() {
    use spanloupe_bench::Rng;
    use spanloupe_core::layout::rows::keep_matches;
    use spanloupe_core::layout::{Row, SpanSet, visible_rows};
    let request = generate(Spec {
        spans: 3_000,
        traces: 1,
        seed: 5,
    });
    let set = spanloupe_core::load(&request.encode_to_vec(), Source::default())
        .unwrap()
        .set;
    let trace = &set.traces[0];
    // Depth first, skipping what collapsed spans and the filter hide.
    let walk = |collapsed: &SpanSet, keep: Option<&SpanSet>| {
        let mut rows = Vec::new();
        let range = trace.spans.range();
        let mut index = range.start;
        while index < range.end {
            let idx = SpanIdx(index as u32);
            let span = set.span(idx).unwrap();
            let end = span.subtree_end.index().clamp(index + 1, range.end);
            if keep.is_some_and(|keep| !keep.contains(idx)) {
                index = end;
                continue;
            }
            rows.push(Row {
                span: idx,
                depth: span.depth,
                has_children: end > index + 1,
                collapsed: collapsed.contains(idx),
            });
            index = if collapsed.contains(idx) {
                end
            } else {
                index + 1
            };
        }
        rows
    };
    let mut rng = Rng::new(9);
    for round in 0..40 {
        let mut collapsed = SpanSet::for_trace(trace);
        // From nothing collapsed to about half of the spans.
        for index in trace.spans.range() {
            if rng.below(40) < round {
                collapsed.insert(SpanIdx(index as u32));
            }
        }
        let matches: Vec<SpanIdx> = trace
            .spans
            .range()
            .filter(|_| rng.below(100) < 2)
            .map(|i| SpanIdx(i as u32))
            .collect();
        let keep = keep_matches(&set, trace, &matches);
        for keep in [None, Some(&keep)] {
            let rows = visible_rows(&set, trace, &collapsed, keep);
            let expected = walk(&collapsed, keep);
            assert_eq!(rows.len(), expected.len(), "round {round}");
            assert_eq!(
                rows.iter(&set).collect::<Vec<_>>(),
                expected,
                "round {round}"
            );
            for (position, row) in expected.iter().enumerate() {
                assert_eq!(rows.position(row.span), Some(position));
            }
            let shown: std::collections::HashSet<_> = expected.iter().map(|r| r.span).collect();
            for index in trace.spans.range() {
                let idx = SpanIdx(index as u32);
                if !shown.contains(&idx) {
                    assert_eq!(rows.position(idx), None, "hidden span {index}");
                }
            }
            assert_eq!(rows.get(&set, expected.len()), None);
        }
    }
    // Nothing collapsed: every span is a row.
    let all = visible_rows(&set, trace, &SpanSet::for_trace(trace), None);
    assert_eq!(all.len(), 3_000);
}
