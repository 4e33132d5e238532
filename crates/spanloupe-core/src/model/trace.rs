//! The loaded data: [`TraceSet`] owns every span, log record and string, in
//! flat arrays addressed by index. [`Trace`] is a summary and a range of it.

use super::ids::{SpanId, TraceId};
use super::span::{Event, Link, Span, SpanIdx};
use super::strings::{Interner, StrId};
use super::value::{Attribute, Slice, Value};
use super::warning::Warnings;

/// The entity that produced spans or logs.
#[derive(serde::Serialize, serde::Deserialize, Clone, Copy, Debug)]
pub struct Resource {
    pub attributes: Slice,
    pub dropped_attributes_count: u32,
    /// `service.name`, or empty when the resource has none.
    pub service_name: StrId,
    pub schema_url: StrId,
}

/// The instrumentation library that produced spans or logs.
#[derive(serde::Serialize, serde::Deserialize, Clone, Copy, Debug)]
pub struct Scope {
    pub name: StrId,
    pub version: StrId,
    pub attributes: Slice,
    pub dropped_attributes_count: u32,
    pub schema_url: StrId,
}

/// One OTLP log record. GenAI instrumentations put message content in log
/// records that point at their span by trace and span id.
#[derive(serde::Serialize, serde::Deserialize, Clone, Copy, Debug)]
pub struct LogRecord {
    pub time_unix_nanos: u64,
    pub observed_time_unix_nanos: u64,
    pub severity_number: i32,
    pub severity_text: StrId,
    pub body: Value,
    pub attributes: Slice,
    pub dropped_attributes_count: u32,
    pub flags: u32,
    /// Zero when the record is not correlated with a trace.
    pub trace_id: TraceId,
    /// Zero when the record is not correlated with a span.
    pub span_id: SpanId,
    pub event_name: StrId,
    pub resource: u32,
    pub scope: u32,
    /// The span with the record's trace and span id, when it is loaded.
    pub span: Option<SpanIdx>,
}

/// One trace: its spans are `TraceSet::spans[spans.range()]`, in pre-order.
#[derive(serde::Serialize, serde::Deserialize, Clone, Debug)]
pub struct Trace {
    pub trace_id: TraceId,
    pub spans: Slice,
    /// The spans without a parent in the data, by start time. More than one
    /// when parents are missing.
    pub roots: Vec<SpanIdx>,
    pub error_count: usize,
    /// Spans whose parent id points at a span that is not in the data.
    pub missing_parent_count: usize,
    /// The depth of the deepest span (a root is 0), kept so that a view
    /// offering "expand to depth N" need not look at every span.
    pub max_depth: u32,
    /// Distinct `service.name`s, in order of first appearance in pre-order.
    pub services: Vec<StrId>,
    pub start_unix_nanos: u64,
    pub end_unix_nanos: u64,
}

impl Trace {
    pub fn span_count(&self) -> usize {
        self.spans.len as usize
    }

    pub fn duration_nanos(&self) -> u64 {
        self.end_unix_nanos.saturating_sub(self.start_unix_nanos)
    }

    /// The first root: the span a user thinks of as "the trace".
    pub fn root(&self) -> Option<SpanIdx> {
        self.roots.first().copied()
    }
}

/// Everything loaded from one or more inputs.
#[derive(Clone, Debug, Default)]
pub struct TraceSet {
    pub strings: Interner,
    /// All spans, grouped by trace (in `traces` order), each group in pre-order.
    pub spans: Vec<Span>,
    /// Traces by start time.
    pub traces: Vec<Trace>,
    /// Every attribute of every span, event, link, resource, scope and log,
    /// and the members of key-value lists.
    pub attributes: Vec<Attribute>,
    /// Elements of array values.
    pub values: Vec<Value>,
    /// Contents of bytes values.
    pub bytes: Vec<u8>,
    pub events: Vec<Event>,
    pub links: Vec<Link>,
    pub resources: Vec<Resource>,
    pub scopes: Vec<Scope>,
    /// Log records: those correlated with a loaded span first, grouped by
    /// span in span order and by time within a span; then the others by time.
    pub logs: Vec<LogRecord>,
    pub warnings: Warnings,
    /// (trace id, span id, span) sorted, to find a span by its ids.
    pub(crate) span_lookup: Vec<(TraceId, SpanId, SpanIdx)>,
}

impl TraceSet {
    pub fn str(&self, id: StrId) -> &str {
        self.strings.get(id)
    }

    pub fn span(&self, idx: SpanIdx) -> Option<&Span> {
        self.spans.get(idx.index())
    }

    pub fn span_name(&self, idx: SpanIdx) -> &str {
        self.span(idx).map_or("", |span| self.str(span.name))
    }

    pub fn attributes(&self, slice: Slice) -> &[Attribute] {
        self.attributes.get(slice.range()).unwrap_or(&[])
    }

    pub fn values(&self, slice: Slice) -> &[Value] {
        self.values.get(slice.range()).unwrap_or(&[])
    }

    pub fn bytes(&self, slice: Slice) -> &[u8] {
        self.bytes.get(slice.range()).unwrap_or(&[])
    }

    pub fn events(&self, slice: Slice) -> &[Event] {
        self.events.get(slice.range()).unwrap_or(&[])
    }

    pub fn links(&self, slice: Slice) -> &[Link] {
        self.links.get(slice.range()).unwrap_or(&[])
    }

    pub fn resource(&self, index: u32) -> Option<&Resource> {
        self.resources.get(index as usize)
    }

    pub fn scope(&self, index: u32) -> Option<&Scope> {
        self.scopes.get(index as usize)
    }

    /// The span's `service.name`, or "" when its resource has none.
    pub fn service_name(&self, idx: SpanIdx) -> &str {
        self.span(idx)
            .and_then(|span| self.resource(span.resource))
            .map_or("", |resource| self.str(resource.service_name))
    }

    /// The value of a span attribute, by key.
    pub fn span_attribute(&self, idx: SpanIdx, key: &str) -> Option<Value> {
        let span = self.span(idx)?;
        let key = self.strings.lookup(key)?;
        self.attributes(span.attributes)
            .iter()
            .find(|a| a.key == key)
            .map(|a| a.value)
    }

    /// The value as a string, for string values.
    pub fn value_str(&self, value: Value) -> Option<&str> {
        match value {
            Value::Str(id) => Some(self.str(id)),
            _ => None,
        }
    }

    /// The direct children of a span, by start time.
    pub fn children(&self, idx: SpanIdx) -> Children<'_> {
        let end = self.span(idx).map_or(idx, |span| span.subtree_end);
        Children {
            set: self,
            next: SpanIdx(idx.0.saturating_add(1)),
            end,
        }
    }

    /// The trace a span belongs to.
    pub fn trace_of(&self, idx: SpanIdx) -> Option<&Trace> {
        self.traces.get(self.trace_position_of(idx)?)
    }

    /// The position in `traces` of the trace a span belongs to.
    pub fn trace_position_of(&self, idx: SpanIdx) -> Option<usize> {
        let position = self
            .traces
            .partition_point(|trace| trace.spans.start <= idx.0)
            .checked_sub(1)?;
        let trace = self.traces.get(position)?;
        trace
            .spans
            .range()
            .contains(&idx.index())
            .then_some(position)
    }

    /// The span with these ids, when it is loaded (the first of duplicates).
    pub fn find_span(&self, trace_id: TraceId, span_id: SpanId) -> Option<SpanIdx> {
        let at = self
            .span_lookup
            .partition_point(|(t, s, _)| (*t, *s) < (trace_id, span_id));
        match self.span_lookup.get(at) {
            Some((t, s, idx)) if *t == trace_id && *s == span_id => Some(*idx),
            _ => None,
        }
    }

    /// The position in `traces` of the trace with this id.
    pub fn trace_position(&self, trace_id: TraceId) -> Option<usize> {
        self.traces
            .iter()
            .position(|trace| trace.trace_id == trace_id)
    }

    /// The log records correlated with a span, by time.
    pub fn logs_of_span(&self, idx: SpanIdx) -> &[LogRecord] {
        let start = self
            .logs
            .partition_point(|log| log.span.is_some_and(|s| s < idx));
        let end = self
            .logs
            .partition_point(|log| log.span.is_some_and(|s| s <= idx));
        self.logs.get(start..end).unwrap_or(&[])
    }

    pub fn span_count(&self) -> usize {
        self.spans.len()
    }

    /// An indented outline of a trace, one span a line: for tests and
    /// debugging ("├─" style art is left to the views).
    pub fn outline(&self, trace: &Trace) -> String {
        let mut out = String::new();
        for index in trace.spans.range() {
            let Some(span) = self.spans.get(index) else {
                continue;
            };
            for _ in 0..span.depth {
                out.push_str("  ");
            }
            out.push_str(self.str(span.name));
            if span.is_error() {
                out.push_str(" [error]");
            }
            if span
                .problems
                .contains(super::span::Problems::MISSING_PARENT)
            {
                out.push_str(" [missing parent]");
            }
            out.push('\n');
        }
        out
    }
}

/// Iterator over the direct children of a span: in pre-order, the next child
/// starts where the previous child's subtree ends.
pub struct Children<'a> {
    set: &'a TraceSet,
    next: SpanIdx,
    end: SpanIdx,
}

impl Iterator for Children<'_> {
    type Item = SpanIdx;

    fn next(&mut self) -> Option<SpanIdx> {
        if self.next >= self.end {
            return None;
        }
        let child = self.next;
        self.next = self.set.span(child)?.subtree_end;
        Some(child)
    }
}
