//! Generated traces load as what was asked for, identically from JSON and
//! protobuf.

use prost::Message;
use spanloupe_bench::{Spec, generate, json::to_otlp_json};
use spanloupe_core::export::otlp_json as export;
use spanloupe_core::ingest::split::load_in_parts;
use spanloupe_core::ingest::transfer::load_reply;
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
    let whole = load_reply(&[input]).set.unwrap();
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
