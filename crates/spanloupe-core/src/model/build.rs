//! [`TraceSetBuilder`]: takes decoded OTLP messages, from any number of inputs,
//! and stores them in the flat arrays of the model. The tree is built once, at
//! [`TraceSetBuilder::finish`] (see `tree.rs`), when every span is known:
//! spans of one trace may arrive in any order, across lines and files.

use super::ids::{SpanId, TraceId};
use super::span::{Event, Link, Problems, Span, SpanIdx, SpanKind, StatusCode};
use super::strings::{Interner, StrId};
use super::trace::{LogRecord, Resource, Scope, TraceSet};
use super::value::{Attribute, Slice, Value, to_u32};
use super::warning::{WarningKind, Warnings};

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

    /// Reserves `len` attribute slots, to be filled with
    /// [`set_attribute`](Self::set_attribute): a level's slots come first,
    /// so its nested lists land after them.
    pub(crate) fn reserve_attributes(&mut self, len: usize) -> Slice {
        let start = self.set.attributes.len();
        let placeholder = Attribute {
            key: StrId::EMPTY,
            value: Value::Empty,
        };
        self.set.attributes.resize(start + len, placeholder);
        Slice::between(start, start + len)
    }

    pub(crate) fn set_attribute(&mut self, index: usize, attribute: Attribute) {
        if let Some(slot) = self.set.attributes.get_mut(index) {
            *slot = attribute;
        }
    }

    /// Reserves `len` slots of array elements, as [`reserve_attributes`](Self::reserve_attributes).
    pub(crate) fn reserve_values(&mut self, len: usize) -> Slice {
        let start = self.set.values.len();
        self.set.values.resize(start + len, Value::Empty);
        Slice::between(start, start + len)
    }

    pub(crate) fn set_value(&mut self, index: usize, value: Value) {
        if let Some(slot) = self.set.values.get_mut(index) {
            *slot = value;
        }
    }

    /// Adds an event. A span's events are added one after the other (their
    /// attributes may be stored in between: another array), from
    /// [`event_count`](Self::event_count) on.
    pub(crate) fn push_event(&mut self, event: Event) {
        self.set.events.push(event);
    }

    pub(crate) fn event_count(&self) -> usize {
        self.set.events.len()
    }

    /// Adds a link, as [`push_event`](Self::push_event) an event.
    pub(crate) fn push_link(&mut self, link: Link) {
        self.set.links.push(link);
    }

    pub(crate) fn link_count(&self) -> usize {
        self.set.links.len()
    }

    // The record-level API, shared by the protobuf reader (which first
    // decodes owned messages, `ingest::otlp_proto`) and the JSON reader
    // (`ingest::otlp_json`, which streams straight into it): the validation
    // and warnings live here once.

    /// The interner, for readers that intern as they parse.
    pub(crate) fn strings(&mut self) -> &mut Interner {
        &mut self.set.strings
    }

    /// Adds an empty resource and returns its index; its fields are filled
    /// in as they are read ([`set_resource_attributes`](Self::set_resource_attributes),
    /// [`resource_mut`](Self::resource_mut)), since in JSON they may come
    /// after the spans that refer to it.
    pub(crate) fn begin_resource(&mut self) -> u32 {
        self.set.resources.push(Resource {
            attributes: Slice::default(),
            dropped_attributes_count: 0,
            service_name: StrId::EMPTY,
            schema_url: StrId::EMPTY,
        });
        to_u32(self.set.resources.len() - 1)
    }

    pub(crate) fn resource_mut(&mut self, index: u32) -> Option<&mut Resource> {
        self.set.resources.get_mut(index as usize)
    }

    /// Sets a resource's attributes, and its service name from them.
    pub(crate) fn set_resource_attributes(&mut self, index: u32, attributes: Slice, dropped: u32) {
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
        if let Some(resource) = self.resource_mut(index) {
            resource.attributes = attributes;
            resource.dropped_attributes_count = dropped;
            resource.service_name = service_name;
        }
    }

    /// Adds an empty scope, to be filled in like a resource.
    pub(crate) fn begin_scope(&mut self) -> u32 {
        self.set.scopes.push(Scope {
            name: StrId::EMPTY,
            version: StrId::EMPTY,
            attributes: Slice::default(),
            dropped_attributes_count: 0,
            schema_url: StrId::EMPTY,
        });
        to_u32(self.set.scopes.len() - 1)
    }

    pub(crate) fn scope_mut(&mut self, index: u32) -> Option<&mut Scope> {
        self.set.scopes.get_mut(index as usize)
    }

    /// Stores one level of key-values contiguously. Nested lists must have
    /// been stored before (their slices are in the values).
    pub(crate) fn append_attributes(&mut self, attributes: &[Attribute]) -> Slice {
        let start = self.set.attributes.len();
        self.set.attributes.extend_from_slice(attributes);
        Slice::between(start, self.set.attributes.len())
    }

    /// Stores the elements of an array value contiguously.
    pub(crate) fn append_values(&mut self, values: &[Value]) -> Slice {
        let start = self.set.values.len();
        self.set.values.extend_from_slice(values);
        Slice::between(start, self.set.values.len())
    }

    pub(crate) fn append_bytes(&mut self, bytes: &[u8]) -> Value {
        let start = self.set.bytes.len();
        self.set.bytes.extend_from_slice(bytes);
        Value::Bytes(Slice::between(start, self.set.bytes.len()))
    }

    pub(crate) fn append_events(&mut self, events: &[Event]) -> Slice {
        let start = self.set.events.len();
        self.set.events.extend_from_slice(events);
        Slice::between(start, self.set.events.len())
    }

    pub(crate) fn append_links(&mut self, links: &[Link]) -> Slice {
        let start = self.set.links.len();
        self.set.links.extend_from_slice(links);
        Slice::between(start, self.set.links.len())
    }

    /// A span link, with a warning when it has no usable target.
    pub(crate) fn link(&mut self, link: LinkRecord) -> Link {
        let trace_id = TraceId::from_bytes(link.trace_id).unwrap_or_default();
        let span_id = SpanId::from_bytes(link.span_id).unwrap_or_default();
        if trace_id.is_zero() || span_id.is_zero() {
            self.warn(
                WarningKind::BadSpanId,
                "a span link has no usable trace or span id; it is shown without a target",
            );
        }
        Link {
            trace_id,
            span_id,
            trace_state: link.trace_state,
            attributes: link.attributes,
            dropped_attributes_count: link.dropped_attributes_count,
            flags: link.flags,
        }
    }

    pub(crate) fn push_log(&mut self, record: LogRecord) {
        self.set.logs.push(record);
    }

    /// Adds a span, checking its ids and times: a span with a bad id or an
    /// end before its start is kept, marked, and warned about.
    pub(crate) fn push_span(&mut self, span: SpanRecord, resource: u32, scope: u32) {
        let mut problems = Problems::default();
        let trace_id = match TraceId::from_bytes(span.trace_id) {
            Some(id) if !id.is_zero() => id,
            _ => {
                problems.insert(Problems::NO_TRACE_ID);
                let message = format!(
                    "span {:?} has {}; it is grouped with other such spans",
                    self.set.strings.get(span.name),
                    describe_bad_id(span.trace_id)
                );
                self.warn(WarningKind::BadTraceId, message);
                TraceId::default()
            }
        };
        let span_id = match SpanId::from_bytes(span.span_id) {
            Some(id) if !id.is_zero() => id,
            _ => {
                problems.insert(Problems::NO_SPAN_ID);
                let message = format!(
                    "span {:?} has {} as span id; no span can be its child",
                    self.set.strings.get(span.name),
                    describe_bad_id(span.span_id)
                );
                self.warn(WarningKind::BadSpanId, message);
                SpanId::default()
            }
        };
        let parent_span_id = if span.parent_span_id.is_empty() {
            SpanId::default()
        } else if let Some(id) = SpanId::from_bytes(span.parent_span_id) {
            id
        } else {
            let message = format!(
                "span {:?} has a parent span id of {} bytes instead of 8; it is shown as a root",
                self.set.strings.get(span.name),
                span.parent_span_id.len()
            );
            self.warn(WarningKind::BadSpanId, message);
            SpanId::default()
        };
        let start = span.start_unix_nanos;
        let mut end = span.end_unix_nanos;
        if end < start {
            problems.insert(Problems::END_BEFORE_START);
            let message = format!(
                "span {:?} ({span_id}) ends {} ns before it starts; its duration is shown as 0",
                self.set.strings.get(span.name),
                start - end
            );
            self.warn(WarningKind::EndBeforeStart, message);
            end = start;
        }
        let own_index = SpanIdx(to_u32(self.set.spans.len()));
        self.set.spans.push(Span {
            trace_id,
            span_id,
            parent_span_id,
            name: span.name,
            kind: SpanKind::from_number(span.kind),
            status_code: StatusCode::from_number(span.status_code),
            status_message: span.status_message,
            start_unix_nanos: start,
            end_unix_nanos: end,
            resource,
            scope,
            attributes: span.attributes,
            events: span.events,
            links: span.links,
            trace_state: span.trace_state,
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

    /// What was added, not indexed: for joining to another builder's with
    /// [`absorb`](Self::absorb) (parts of one file read by several workers).
    pub fn into_unindexed(self) -> TraceSet {
        self.set
    }

    /// A builder holding an unindexed set, as [`into_unindexed`](Self::into_unindexed) gave it.
    pub fn from_unindexed(set: TraceSet) -> Self {
        Self { set }
    }

    /// Indexes everything added: groups spans into traces, links parents,
    /// orders each trace, correlates logs.
    pub fn finish(self) -> TraceSet {
        super::tree::index(self.set)
    }
}

/// A span as read, before its ids are checked: ids are raw bytes (16 or 8
/// for a trace id, 8 for span ids, empty when absent), strings interned,
/// lists already stored.
pub(crate) struct SpanRecord<'a> {
    pub trace_id: &'a [u8],
    pub span_id: &'a [u8],
    pub parent_span_id: &'a [u8],
    pub name: StrId,
    pub kind: i32,
    pub start_unix_nanos: u64,
    pub end_unix_nanos: u64,
    pub status_code: i32,
    pub status_message: StrId,
    pub attributes: Slice,
    pub events: Slice,
    pub links: Slice,
    pub trace_state: StrId,
    pub flags: u32,
    pub dropped_attributes_count: u32,
    pub dropped_events_count: u32,
    pub dropped_links_count: u32,
}

/// A span link as read; see [`SpanRecord`].
pub(crate) struct LinkRecord<'a> {
    pub trace_id: &'a [u8],
    pub span_id: &'a [u8],
    pub trace_state: StrId,
    pub attributes: Slice,
    pub dropped_attributes_count: u32,
    pub flags: u32,
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
