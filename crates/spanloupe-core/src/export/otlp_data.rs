//! Whole traces and their log records as one OTLP JSON document, grouped by
//! resource and scope the way an exporter sends them: what the collector's
//! read API answers and what its export writes, one document per line.

use std::collections::HashMap;

use serde_json::{Map, Value as Json, json};

use super::otlp_json::{any_value_json, attributes_json, span_json};
use crate::model::{LogRecord, SpanIdx, Trace, TraceId, TraceSet};

/// Which log records go with the traces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Logs {
    /// Those whose trace id is one of the traces'.
    OfTheTraces,
    /// Those, and the records that name no trace.
    OfTheTracesAndUncorrelated,
}

/// `{"resourceSpans": [...], "resourceLogs": [...]}` of the traces with
/// these ids: their spans in `set`, and the log records that name them (the
/// set may hold only logs). Ids the set does not hold are skipped. Each list
/// is left out when empty, so a document of spans alone is exactly an OTLP
/// `TracesData`.
pub fn document(set: &TraceSet, trace_ids: &[TraceId], logs: Logs) -> Json {
    let mut spans = Grouped::default();
    // Traces in the order given (a search's, newest first), each once.
    let mut sorted = trace_ids.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut written = vec![false; sorted.len()];
    for &id in trace_ids {
        match sorted.binary_search(&id) {
            Ok(at) if !written[at] => written[at] = true,
            _ => continue,
        }
        let Some(trace) = set.trace_position(id).and_then(|p| set.traces.get(p)) else {
            continue;
        };
        for index in trace.spans.range() {
            let idx = SpanIdx::at(index);
            if let Some(span) = set.span(idx) {
                spans.push(span.resource, span.scope, span_json(set, idx));
            }
        }
    }
    let mut records = Grouped::default();
    for log in &set.logs {
        let wanted = if log.trace_id.is_zero() {
            logs == Logs::OfTheTracesAndUncorrelated
        } else {
            sorted.binary_search(&log.trace_id).is_ok()
        };
        if wanted {
            records.push(log.resource, log.scope, log_json(set, log));
        }
    }
    finish(set, spans, records)
}

/// The OTLP JSON of some spans (a search's matches with their ancestors, a
/// subtree), in the order given, with the log records that point at them:
/// what the viewer exports of part of a trace. Spans the set does not hold
/// are skipped.
pub fn spans_document(set: &TraceSet, spans: &[SpanIdx]) -> Json {
    let mut grouped = Grouped::default();
    for &idx in spans {
        if let Some(span) = set.span(idx) {
            grouped.push(span.resource, span.scope, span_json(set, idx));
        }
    }
    let mut records = Grouped::default();
    let mut wanted: Vec<SpanIdx> = spans.to_vec();
    wanted.sort_unstable();
    for log in set.logs.iter() {
        if log
            .span
            .is_some_and(|span| wanted.binary_search(&span).is_ok())
        {
            records.push(log.resource, log.scope, log_json(set, log));
        }
    }
    finish(set, grouped, records)
}

/// The document of grouped spans and log records; each list is left out
/// when empty, so a document of spans alone is exactly an OTLP `TracesData`.
fn finish(set: &TraceSet, spans: Grouped, records: Grouped) -> Json {
    let mut out = Map::new();
    if !spans.is_empty() {
        out.insert(
            "resourceSpans".into(),
            spans.into_json(set, "scopeSpans", "spans"),
        );
    }
    if !records.is_empty() {
        out.insert(
            "resourceLogs".into(),
            records.into_json(set, "scopeLogs", "logRecords"),
        );
    }
    Json::Object(out)
}

/// A span and its descendants, in tree order (what "the selected subtree"
/// exports).
pub fn subtree(set: &TraceSet, idx: SpanIdx) -> Vec<SpanIdx> {
    let end = set
        .span(idx)
        .map_or(idx.index(), |span| span.subtree_end.index());
    (idx.index()..end.max(idx.index() + 1))
        .map(SpanIdx::at)
        .collect()
}

/// A search's matches with their ancestors (what "only matches" shows), in
/// tree order.
pub fn matches_with_ancestors(set: &TraceSet, trace: &Trace, matches: &[SpanIdx]) -> Vec<SpanIdx> {
    let keep = crate::layout::rows::keep_matches(set, trace, matches);
    trace
        .spans
        .range()
        .map(SpanIdx::at)
        .filter(|&idx| keep.contains(idx))
        .collect()
}

/// One log record as OTLP JSON, as in `resourceLogs[].scopeLogs[].logRecords[]`.
pub fn log_json(set: &TraceSet, log: &LogRecord) -> Json {
    let mut out = Map::new();
    if log.time_unix_nanos != 0 {
        out.insert(
            "timeUnixNano".into(),
            json!(log.time_unix_nanos.to_string()),
        );
    }
    if log.observed_time_unix_nanos != 0 {
        out.insert(
            "observedTimeUnixNano".into(),
            json!(log.observed_time_unix_nanos.to_string()),
        );
    }
    if log.severity_number != 0 {
        out.insert("severityNumber".into(), json!(log.severity_number));
    }
    if !log.severity_text.is_empty() {
        out.insert("severityText".into(), json!(set.str(log.severity_text)));
    }
    if !log.event_name.is_empty() {
        out.insert("eventName".into(), json!(set.str(log.event_name)));
    }
    out.insert("body".into(), any_value_json(set, log.body));
    out.insert(
        "attributes".into(),
        attributes_json(set, set.attributes(log.attributes)),
    );
    if log.dropped_attributes_count > 0 {
        out.insert(
            "droppedAttributesCount".into(),
            json!(log.dropped_attributes_count),
        );
    }
    if log.flags != 0 {
        out.insert("flags".into(), json!(log.flags));
    }
    if !log.trace_id.is_zero() {
        out.insert("traceId".into(), json!(log.trace_id.to_string()));
    }
    if !log.span_id.is_zero() {
        out.insert("spanId".into(), json!(log.span_id.to_string()));
    }
    Json::Object(out)
}

/// Items by resource, then by scope, each in order of first appearance.
#[derive(Default)]
struct Grouped {
    resources: Vec<(u32, Vec<ScopeItems>)>,
    /// (resource, scope) → (position in `resources`, position in its scopes).
    at: HashMap<(u32, u32), (usize, usize)>,
}

impl Grouped {
    fn push(&mut self, resource: u32, scope: u32, item: Json) {
        let (r, s) = match self.at.get(&(resource, scope)) {
            Some(&found) => found,
            None => {
                let r = match self.resources.iter().position(|(id, _)| *id == resource) {
                    Some(r) => r,
                    None => {
                        self.resources.push((resource, Vec::new()));
                        self.resources.len() - 1
                    }
                };
                let scopes = &mut self.resources[r].1;
                scopes.push((scope, Vec::new()));
                let found = (r, scopes.len() - 1);
                self.at.insert((resource, scope), found);
                found
            }
        };
        self.resources[r].1[s].1.push(item);
    }

    fn is_empty(&self) -> bool {
        self.resources.is_empty()
    }

    fn into_json(self, set: &TraceSet, scopes_key: &str, items_key: &str) -> Json {
        let resources = self.resources.into_iter().map(|(resource, scopes)| {
            let scopes: Vec<Json> = scopes
                .into_iter()
                .map(|(scope, items)| {
                    let mut out = scope_json(set, scope);
                    out.insert(items_key.to_owned(), Json::Array(items));
                    Json::Object(out)
                })
                .collect();
            let mut out = resource_json(set, resource);
            out.insert(scopes_key.to_owned(), Json::Array(scopes));
            Json::Object(out)
        });
        Json::Array(resources.collect())
    }
}

/// A scope's index in the set and its items.
type ScopeItems = (u32, Vec<Json>);

/// `{"resource": {...}, "schemaUrl": …}` of a `ResourceSpans`/`ResourceLogs`.
fn resource_json(set: &TraceSet, index: u32) -> Map<String, Json> {
    let mut out = Map::new();
    if let Some(resource) = set.resource(index) {
        let mut inner = Map::new();
        inner.insert(
            "attributes".into(),
            attributes_json(set, set.attributes(resource.attributes)),
        );
        if resource.dropped_attributes_count > 0 {
            inner.insert(
                "droppedAttributesCount".into(),
                json!(resource.dropped_attributes_count),
            );
        }
        out.insert("resource".into(), Json::Object(inner));
        if !resource.schema_url.is_empty() {
            out.insert("schemaUrl".into(), json!(set.str(resource.schema_url)));
        }
    }
    out
}

/// `{"scope": {...}, "schemaUrl": …}` of a `ScopeSpans`/`ScopeLogs`.
fn scope_json(set: &TraceSet, index: u32) -> Map<String, Json> {
    let mut out = Map::new();
    if let Some(scope) = set.scope(index) {
        let mut inner = Map::new();
        inner.insert("name".into(), json!(set.str(scope.name)));
        if !scope.version.is_empty() {
            inner.insert("version".into(), json!(set.str(scope.version)));
        }
        if scope.attributes.len > 0 {
            inner.insert(
                "attributes".into(),
                attributes_json(set, set.attributes(scope.attributes)),
            );
        }
        if scope.dropped_attributes_count > 0 {
            inner.insert(
                "droppedAttributesCount".into(),
                json!(scope.dropped_attributes_count),
            );
        }
        out.insert("scope".into(), Json::Object(inner));
        if !scope.schema_url.is_empty() {
            out.insert("schemaUrl".into(), json!(set.str(scope.schema_url)));
        }
    }
    out
}
