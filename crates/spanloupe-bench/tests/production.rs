//! The production-like export loads as what it claims to be: as many
//! traces as asked, each of 2-20 spans and one tree, with values that
//! differ from request to request.

#![allow(clippy::cast_precision_loss)] // ratios of counts
#![allow(clippy::unwrap_used)] // in the tests' helpers too: a failure to load fails the test

use std::collections::{HashMap, HashSet};

use prost::Message;
use spanloupe_bench::json::to_otlp_json;
use spanloupe_bench::production::{Spec, generate};
use spanloupe_core::TraceSet;
use spanloupe_core::ingest::Source;
use spanloupe_core::model::Value;

const TRACES: usize = 400;

fn load(bytes: &[u8]) -> TraceSet {
    spanloupe_core::load(bytes, Source::default()).unwrap().set
}

/// The string values of `key` on every span.
fn values<'a>(set: &'a TraceSet, key: &str) -> Vec<&'a str> {
    set.spans
        .iter()
        .flat_map(|span| set.attributes(span.attributes))
        .filter(|a| set.str(a.key) == key)
        .filter_map(|a| match a.value {
            Value::Str(id) => Some(set.str(id)),
            _ => None,
        })
        .collect()
}

/// The string values of `key` on each trace's root.
fn root_values<'a>(set: &'a TraceSet, key: &str) -> Vec<&'a str> {
    set.traces
        .iter()
        .filter_map(|t| t.root())
        .flat_map(|root| set.span(root).map(|s| set.attributes(s.attributes)))
        .flatten()
        .filter(|a| set.str(a.key) == key)
        .filter_map(|a| match a.value {
            Value::Str(id) => Some(set.str(id)),
            _ => None,
        })
        .collect()
}

fn distinct(values: &[&str]) -> usize {
    values.iter().collect::<HashSet<_>>().len()
}

#[test]
fn production_export_loads_with_the_traces_and_values_asked_for() {
    let request = generate(Spec {
        traces: TRACES,
        seed: 3,
    });
    let set = load(to_otlp_json(&request).as_bytes());
    assert_eq!(set.traces.len(), TRACES);
    assert!(
        set.warnings.is_empty(),
        "{:?}",
        set.warnings.iter().collect::<Vec<_>>()
    );
    let mut sizes: HashMap<usize, usize> = HashMap::new();
    for trace in &set.traces {
        assert!(
            (2..=20).contains(&trace.span_count()),
            "{} spans",
            trace.span_count()
        );
        assert_eq!(trace.roots.len(), 1, "every trace is one tree");
        assert_eq!(trace.missing_parent_count, 0);
        *sizes.entry(trace.span_count()).or_default() += 1;
    }
    // Mostly small, some large.
    let mean = set.span_count() as f64 / TRACES as f64;
    assert!((4.0..8.0).contains(&mean), "mean {mean} spans a trace");
    assert!(sizes.keys().any(|&n| n >= 12), "{sizes:?}");

    // Every request its own id, on its root and the servers it called.
    let request_ids = values(&set, "app.request.id");
    assert!(request_ids.len() > TRACES, "{}", request_ids.len());
    assert_eq!(distinct(&request_ids), TRACES);
    let roots = root_values(&set, "app.request.id");
    assert_eq!(roots.len(), TRACES);
    assert_eq!(distinct(&roots), TRACES);
    // Users come back now and then, but most are seen once.
    let users = root_values(&set, "enduser.id");
    assert!(distinct(&users) * 10 > users.len() * 9, "users");
    // URLs, statements and timestamps: nearly all different.
    for key in ["http.url", "http.target", "app.request.received_at"] {
        let all = values(&set, key);
        assert!(
            all.len() > 100 && distinct(&all) * 10 > all.len() * 9,
            "{key}: {} of {}",
            distinct(&all),
            all.len()
        );
    }
    let statements = [values(&set, "db.query.text"), values(&set, "db.statement")].concat();
    assert!(
        distinct(&statements) * 10 > statements.len() * 8,
        "SQL: {} of {}",
        distinct(&statements),
        statements.len()
    );
    // Of all string values, most occur once.
    let strings: Vec<&str> = set
        .attributes
        .iter()
        .filter_map(|a| match a.value {
            Value::Str(id) => Some(set.str(id)),
            _ => None,
        })
        .collect();
    assert!(
        distinct(&strings) * 4 > strings.len(),
        "{} distinct of {}",
        distinct(&strings),
        strings.len()
    );

    // Model calls with 1-10 KB of messages, in both conventions.
    let messages = values(&set, "gen_ai.input.messages");
    assert!(!messages.is_empty());
    for text in &messages {
        assert!((1_000..=12_000).contains(&text.len()), "{}", text.len());
        assert!(serde_json::from_str::<serde_json::Value>(text).is_ok());
    }
    assert!(!values(&set, "gen_ai.prompt.1.content").is_empty());

    // About 1% of spans failed, each with its exception.
    let errors: usize = set.traces.iter().map(|t| t.error_count).sum();
    let share = errors as f64 / set.span_count() as f64;
    assert!((0.002..0.03).contains(&share), "{errors} errors");
    assert!(
        set.resources.len() >= 15,
        "{} resources",
        set.resources.len()
    );

    // The protobuf of the same request loads the same.
    let proto = load(&request.encode_to_vec());
    assert_eq!(proto.span_count(), set.span_count());
    assert_eq!(proto.strings.len(), set.strings.len());
}

#[test]
fn production_export_is_the_same_for_the_same_seed() {
    let spec = Spec {
        traces: 50,
        seed: 9,
    };
    assert_eq!(to_otlp_json(&generate(spec)), to_otlp_json(&generate(spec)));
    assert_ne!(
        to_otlp_json(&generate(spec)),
        to_otlp_json(&generate(Spec { seed: 10, ..spec }))
    );
}

#[test]
fn production_model_calls_are_read_as_calls_with_their_messages() {
    use spanloupe_core::genai::{ContentState, GenAiKind, TraceGenAi, llm_call};
    let request = generate(Spec {
        traces: TRACES,
        seed: 5,
    });
    let set = load(to_otlp_json(&request).as_bytes());
    let found = TraceGenAi::of_each(&set);
    let calls: Vec<_> = found
        .iter()
        .flat_map(TraceGenAi::spans)
        .filter(|span| span.kind == GenAiKind::Inference)
        .map(|span| llm_call(&set, span.span).unwrap())
        .collect();
    assert!(calls.len() > TRACES / 20, "{} model calls", calls.len());
    // Both forms the generator writes (OTel messages, OpenLLMetry's indexed
    // prompts) are read, with content, tokens and the model.
    for call in &calls {
        assert_eq!(call.content, ContentState::Captured, "{:?}", call.source);
        assert!(!call.input.is_empty() && !call.output.is_empty());
        assert!(call.usage.input.unwrap_or(0) > 0);
        assert!(call.request_model.is_some());
    }
    let conventions: HashSet<_> = calls.iter().map(|c| format!("{:?}", c.source)).collect();
    assert!(conventions.len() >= 2, "{conventions:?}");
}
