//! Helpers shared by the integration tests.
#![allow(dead_code)] // each test file uses a different subset
#![allow(clippy::panic)] // a helper that cannot find its fixture fails the test

use std::path::PathBuf;

use spanloupe_core::ingest::{IngestError, Loaded, Source};
use spanloupe_core::model::{SpanIdx, TraceSet, Value};

/// The public corpus, in the repository (`tests/fixtures/corpus`, each
/// file's source and license in its SOURCES.md).
pub fn corpus_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/corpus");
    assert!(
        dir.is_dir(),
        "the public corpus is missing: expected it at {}",
        dir.display()
    );
    dir
}

pub fn corpus_bytes(name: &str) -> Vec<u8> {
    let path = corpus_dir().join(name);
    std::fs::read(&path).unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()))
}

pub fn load_corpus(name: &str) -> Loaded {
    try_load_corpus(name).unwrap_or_else(|err| panic!("{name} failed to load: {err}"))
}

pub fn try_load_corpus(name: &str) -> Result<Loaded, IngestError> {
    spanloupe_core::load(
        &corpus_bytes(name),
        Source {
            name: Some(name),
            content_type: None,
        },
    )
}

pub fn load_str(text: &str) -> Result<Loaded, IngestError> {
    spanloupe_core::load(text.as_bytes(), Source::default())
}

/// The demo trace the app bundles.
pub fn load_demo() -> Loaded {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo/trip-planner-agent.json");
    let bytes =
        std::fs::read(&path).unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()));
    spanloupe_core::load(&bytes, Source::default())
        .unwrap_or_else(|err| panic!("the demo fails to load: {err}"))
}

/// The first span with this name.
pub fn span_named(set: &TraceSet, name: &str) -> SpanIdx {
    (0..set.spans.len())
        .map(SpanIdx::at)
        .find(|&idx| set.span_name(idx) == name)
        .unwrap_or_else(|| panic!("no span named {name:?}"))
}

/// A string attribute of a span.
pub fn attr_str<'a>(set: &'a TraceSet, idx: SpanIdx, key: &str) -> Option<&'a str> {
    match set.span_attribute(idx, key)? {
        Value::Str(id) => Some(set.str(id)),
        _ => None,
    }
}

/// Everything a set holds, as text, in its own order: each span whole (as
/// the Raw tab exports it) with its resource and scope, each log record,
/// each warning. Two loads of the same data give the same text, whatever
/// their strings' ids.
pub fn describe_set(set: &TraceSet) -> Vec<String> {
    use spanloupe_core::export::otlp_json as export;
    let mut lines: Vec<String> = set.traces.iter().map(|t| set.outline(t)).collect();
    lines.extend(set.spans.iter().enumerate().map(|(i, span)| {
        let resource = &set.resources[span.resource as usize];
        let scope = &set.scopes[span.scope as usize];
        format!(
            "{} resource {} {} scope {} {} {}",
            export::span_json(set, SpanIdx::at(i)),
            set.str(resource.service_name),
            export::attributes_json(set, set.attributes(resource.attributes)),
            set.str(scope.name),
            set.str(scope.version),
            export::attributes_json(set, set.attributes(scope.attributes)),
        )
    }));
    lines.extend(set.logs.iter().map(|log| {
        format!(
            "log {} {} {} {:?} {} {}",
            log.time_unix_nanos,
            set.str(log.severity_text),
            export::any_value_json(set, log.body),
            log.span,
            export::attributes_json(set, set.attributes(log.attributes)),
            set.str(log.event_name),
        )
    }));
    lines.extend(set.warnings.iter().map(|w| format!("warning {w}")));
    lines.push(format!("{} warnings", set.warnings.total()));
    lines
}
