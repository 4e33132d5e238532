//! [`TraceSetBuilder`]: takes decoded OTLP messages, from any number of inputs,
//! and stores them in the flat arrays of the model. The tree is built once, at
//! [`TraceSetBuilder::finish`] (see `tree.rs`), when every span is known:
//! spans of one trace may arrive in any order, across lines and files.

use super::ids::{SpanId, TraceId};
use super::span::{Event, Link, Problems, Span, SpanIdx, SpanKind, StatusCode};
use super::strings::StrId;
use super::trace::{LogRecord, Resource, Scope, TraceSet};
use super::value::{Attribute, Slice, Value, to_u32};
use super::warning::{WarningKind, Warnings};
use crate::wire;

/// Collects spans and log records; [`finish`](Self::finish) indexes them.
#[derive(Default)]
pub struct TraceSetBuilder {
    pub(crate) set: TraceSet,
}

/// The sizes of the builder's arrays at one moment, to undo a failed input.
#[derive(Clone, Debug)]
pub struct Checkpoint {
    spans: usize,
    attributes: usize,
    values: usize,
    bytes: usize,
    events: usize,
    links: usize,
    resources: usize,
    scopes: usize,
    logs: usize,
    /// Warnings are capped per kind, so a copy is small.
    warnings: Warnings,
}

impl TraceSetBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Spans added so far.
    pub fn span_count(&self) -> usize {
        self.set.spans.len()
    }

    /// Log records added so far.
    pub fn log_count(&self) -> usize {
        self.set.logs.len()
    }

    pub fn warn(&mut self, kind: WarningKind, message: impl Into<String>) {
        self.set.warnings.push(kind, message);
    }

    /// Notes the current sizes, so that an input that fails half-way can be
    /// taken out again with [`rollback`](Self::rollback).
    pub fn checkpoint(&self) -> Checkpoint {
        let set = &self.set;
        Checkpoint {
            spans: set.spans.len(),
            attributes: set.attributes.len(),
            values: set.values.len(),
            bytes: set.bytes.len(),
            events: set.events.len(),
            links: set.links.len(),
            resources: set.resources.len(),
            scopes: set.scopes.len(),
            logs: set.logs.len(),
            warnings: set.warnings.clone(),
        }
    }

    /// Removes everything added since `checkpoint`, warnings included.
    /// Interned strings stay: unreferenced, they are harmless.
    pub fn rollback(&mut self, checkpoint: Checkpoint) {
        let set = &mut self.set;
        set.spans.truncate(checkpoint.spans);
        set.attributes.truncate(checkpoint.attributes);
        set.values.truncate(checkpoint.values);
        set.bytes.truncate(checkpoint.bytes);
        set.events.truncate(checkpoint.events);
        set.links.truncate(checkpoint.links);
        set.resources.truncate(checkpoint.resources);
        set.scopes.truncate(checkpoint.scopes);
        set.logs.truncate(checkpoint.logs);
        set.warnings = checkpoint.warnings;
    }

    /// Adds the spans of one traces request (one file, or one line of JSONL).
    pub fn add_resource_spans(&mut self, batches: Vec<wire::ResourceSpans>) {
        for batch in batches {
            let resource = self.add_resource(batch.resource, &batch.schema_url);
            let scopes = batch
                .scope_spans
                .into_iter()
                .chain(batch.instrumentation_library_spans);
            for scope_spans in scopes {
                let scope = self.add_scope(scope_spans.scope, &scope_spans.schema_url);
                for span in scope_spans.spans {
                    self.add_span(span, resource, scope);
                }
            }
        }
    }

    /// Adds the records of one logs request.
    pub fn add_resource_logs(&mut self, batches: Vec<wire::ResourceLogs>) {
        for batch in batches {
            let resource = self.add_resource(batch.resource, &batch.schema_url);
            for scope_logs in batch.scope_logs {
                let scope = self.add_scope(scope_logs.scope, &scope_logs.schema_url);
                for record in scope_logs.log_records {
                    self.add_log(record, resource, scope);
                }
            }
        }
    }

    fn add_resource(&mut self, resource: Option<wire::Resource>, schema_url: &str) -> u32 {
        let resource = resource.unwrap_or_default();
        let attributes = self.add_attributes(resource.attributes);
        let service_key = self.set.strings.intern("service.name");
        let service_name = self
            .set
            .attributes(attributes)
            .iter()
            .find(|a| a.key == service_key)
            .and_then(|a| match a.value {
                Value::Str(id) => Some(id),
                _ => None,
            })
            .unwrap_or(StrId::EMPTY);
        let schema_url = self.set.strings.intern(schema_url);
        self.set.resources.push(Resource {
            attributes,
            dropped_attributes_count: resource.dropped_attributes_count,
            service_name,
            schema_url,
        });
        to_u32(self.set.resources.len() - 1)
    }

    fn add_scope(&mut self, scope: Option<wire::InstrumentationScope>, schema_url: &str) -> u32 {
        let scope = scope.unwrap_or_default();
        let attributes = self.add_attributes(scope.attributes);
        let name = self.set.strings.intern(&scope.name);
        let version = self.set.strings.intern(&scope.version);
        let schema_url = self.set.strings.intern(schema_url);
        self.set.scopes.push(Scope {
            name,
            version,
            attributes,
            dropped_attributes_count: scope.dropped_attributes_count,
            schema_url,
        });
        to_u32(self.set.scopes.len() - 1)
    }

    fn add_span(&mut self, span: wire::Span, resource: u32, scope: u32) {
        let mut problems = Problems::default();
        let name = self.set.strings.intern(&span.name);
        let trace_id = match TraceId::from_wire(&span.trace_id) {
            Some(id) if !id.is_zero() => id,
            _ => {
                problems.insert(Problems::NO_TRACE_ID);
                self.warn(
                    WarningKind::BadTraceId,
                    format!(
                        "span {:?} has {}; it is grouped with other such spans",
                        span.name,
                        describe_bad_id(&span.trace_id)
                    ),
                );
                TraceId::default()
            }
        };
        let span_id = match SpanId::from_wire(&span.span_id) {
            Some(id) if !id.is_zero() => id,
            _ => {
                problems.insert(Problems::NO_SPAN_ID);
                self.warn(
                    WarningKind::BadSpanId,
                    format!(
                        "span {:?} has {} as span id; no span can be its child",
                        span.name,
                        describe_bad_id(&span.span_id)
                    ),
                );
                SpanId::default()
            }
        };
        let parent_span_id = if span.parent_span_id.is_empty() {
            SpanId::default()
        } else if let Some(id) = SpanId::from_wire(&span.parent_span_id) {
            id
        } else {
            self.warn(
                WarningKind::BadSpanId,
                format!(
                    "span {:?} has a parent span id of {} bytes instead of 8; it is shown as a root",
                    span.name,
                    span.parent_span_id.len()
                ),
            );
            SpanId::default()
        };
        let start = span.start_time_unix_nano;
        let mut end = span.end_time_unix_nano;
        if end < start {
            problems.insert(Problems::END_BEFORE_START);
            self.warn(
                WarningKind::EndBeforeStart,
                format!(
                    "span {:?} ({span_id}) ends {} ns before it starts; its duration is shown as 0",
                    span.name,
                    start - end
                ),
            );
            end = start;
        }
        let (status_code, status_message) = match span.status {
            Some(status) => (
                StatusCode::from_wire(status.code),
                self.set.strings.intern(&status.message),
            ),
            None => (StatusCode::Unset, StrId::EMPTY),
        };
        let attributes = self.add_attributes(span.attributes);
        let events = self.add_events(span.events);
        let links = self.add_links(span.links);
        let trace_state = self.set.strings.intern(&span.trace_state);
        let own_index = SpanIdx(to_u32(self.set.spans.len()));
        self.set.spans.push(Span {
            trace_id,
            span_id,
            parent_span_id,
            name,
            kind: SpanKind::from_wire(span.kind),
            status_code,
            status_message,
            start_unix_nanos: start,
            end_unix_nanos: end,
            resource,
            scope,
            attributes,
            events,
            links,
            trace_state,
            flags: span.flags,
            dropped_attributes_count: span.dropped_attributes_count,
            dropped_events_count: span.dropped_events_count,
            dropped_links_count: span.dropped_links_count,
            parent: None,
            depth: 0,
            subtree_end: own_index,
            problems,
        });
    }

    fn add_events(&mut self, events: Vec<wire::Event>) -> Slice {
        // Events are added one level at a time, like attributes: their own
        // attributes go to another arena, so the events stay contiguous.
        let start = self.set.events.len();
        for event in events {
            let attributes = self.add_attributes(event.attributes);
            let name = self.set.strings.intern(&event.name);
            self.set.events.push(Event {
                time_unix_nanos: event.time_unix_nano,
                name,
                attributes,
                dropped_attributes_count: event.dropped_attributes_count,
            });
        }
        Slice::between(start, self.set.events.len())
    }

    fn add_links(&mut self, links: Vec<wire::Link>) -> Slice {
        let start = self.set.links.len();
        for link in links {
            let attributes = self.add_attributes(link.attributes);
            let trace_state = self.set.strings.intern(&link.trace_state);
            let trace_id = TraceId::from_wire(&link.trace_id).unwrap_or_default();
            let span_id = SpanId::from_wire(&link.span_id).unwrap_or_default();
            if trace_id.is_zero() || span_id.is_zero() {
                self.warn(
                    WarningKind::BadSpanId,
                    "a span link has no usable trace or span id; it is shown without a target",
                );
            }
            self.set.links.push(Link {
                trace_id,
                span_id,
                trace_state,
                attributes,
                dropped_attributes_count: link.dropped_attributes_count,
                flags: link.flags,
            });
        }
        Slice::between(start, self.set.links.len())
    }

    fn add_log(&mut self, record: wire::LogRecord, resource: u32, scope: u32) {
        let attributes = self.add_attributes(record.attributes);
        let body = self.add_value(record.body);
        let severity_text = self.set.strings.intern(&record.severity_text);
        let event_name = self.set.strings.intern(&record.event_name);
        self.set.logs.push(LogRecord {
            time_unix_nanos: record.time_unix_nano,
            observed_time_unix_nanos: record.observed_time_unix_nano,
            severity_number: record.severity_number,
            severity_text,
            body,
            attributes,
            dropped_attributes_count: record.dropped_attributes_count,
            flags: record.flags,
            trace_id: TraceId::from_wire(&record.trace_id).unwrap_or_default(),
            span_id: SpanId::from_wire(&record.span_id).unwrap_or_default(),
            event_name,
            resource,
            scope,
            span: None,
        });
    }

    /// Stores a list of key-values contiguously: the slots of this level are
    /// reserved first, so nested lists land after them.
    fn add_attributes(&mut self, pairs: Vec<wire::KeyValue>) -> Slice {
        let start = self.set.attributes.len();
        let len = pairs.len();
        let placeholder = Attribute {
            key: StrId::EMPTY,
            value: Value::Empty,
        };
        self.set.attributes.resize(start + pairs.len(), placeholder);
        for (offset, pair) in pairs.into_iter().enumerate() {
            let key = self.set.strings.intern(&pair.key);
            let value = self.add_value(pair.value);
            if let Some(slot) = self.set.attributes.get_mut(start + offset) {
                *slot = Attribute { key, value };
            }
        }
        Slice::between(start, start + len)
    }

    fn add_value(&mut self, value: Option<wire::AnyValue>) -> Value {
        use wire::common::any_value::Value as Wire;
        let Some(wire) = value.and_then(|v| v.value) else {
            return Value::Empty;
        };
        match wire {
            Wire::StringValue(s) => Value::Str(self.set.strings.intern(&s)),
            Wire::BoolValue(b) => Value::Bool(b),
            Wire::IntValue(i) => Value::Int(i),
            Wire::DoubleValue(d) => Value::Double(d),
            Wire::BytesValue(bytes) => {
                let start = self.set.bytes.len();
                self.set.bytes.extend_from_slice(&bytes);
                Value::Bytes(Slice::between(start, self.set.bytes.len()))
            }
            Wire::ArrayValue(array) => {
                let start = self.set.values.len();
                let len = array.values.len();
                self.set.values.resize(start + len, Value::Empty);
                for (offset, element) in array.values.into_iter().enumerate() {
                    let element = self.add_value(Some(element));
                    if let Some(slot) = self.set.values.get_mut(start + offset) {
                        *slot = element;
                    }
                }
                Value::Array(Slice::between(start, start + len))
            }
            Wire::KvlistValue(list) => Value::KvList(self.add_attributes(list.values)),
        }
    }

    /// Indexes everything added: groups spans into traces, links parents,
    /// orders each trace, correlates logs.
    pub fn finish(self) -> TraceSet {
        super::tree::index(self.set)
    }
}

/// "no trace id" or "an id of 5 bytes", for warnings.
fn describe_bad_id(bytes: &[u8]) -> String {
    if bytes.is_empty() {
        "no id".to_owned()
    } else if bytes.iter().all(|b| *b == 0) {
        "an all-zero id".to_owned()
    } else {
        format!("an id of {} bytes", bytes.len())
    }
}
