//! [`TraceSetBuilder::absorb`]: adds the arrays of another builder's
//! unindexed set, as if its input had been read by this builder. Parts of one
//! large file are read by several workers at once (`ingest::split`); the
//! first joins the others' parts to its own, in file order, then indexes.

use super::build::TraceSetBuilder;
use super::span::{Event, Link, Span, SpanIdx};
use super::strings::StrId;
use super::trace::{LogRecord, Resource, Scope, TraceSet};
use super::value::{Attribute, Slice, Value, to_u32};

impl TraceSetBuilder {
    /// Appends everything `part` holds (it must not be indexed yet: its
    /// traces are ignored), renumbering its strings into this builder's
    /// interner and moving its slices and indexes past what is already here.
    pub fn absorb(&mut self, part: TraceSet) {
        let set = &mut self.set;
        let strings: Vec<StrId> = part.strings.iter().map(|s| set.strings.intern(s)).collect();
        let shift = Shift {
            strings: &strings,
            attributes: set.attributes.len(),
            values: set.values.len(),
            bytes: set.bytes.len(),
            events: set.events.len(),
            links: set.links.len(),
            resources: set.resources.len(),
            scopes: set.scopes.len(),
        };
        set.bytes.extend_from_slice(&part.bytes);
        set.values
            .extend(part.values.into_iter().map(|v| shift.value(v)));
        set.attributes
            .extend(part.attributes.into_iter().map(|a| shift.attribute(a)));
        set.events
            .extend(part.events.into_iter().map(|e| shift.event(e)));
        set.links
            .extend(part.links.into_iter().map(|l| shift.link(l)));
        set.resources
            .extend(part.resources.into_iter().map(|r| shift.resource(r)));
        set.scopes
            .extend(part.scopes.into_iter().map(|s| shift.scope(s)));
        let first_span = set.spans.len();
        set.spans.extend(
            part.spans
                .into_iter()
                .enumerate()
                .map(|(i, span)| shift.span(span, SpanIdx(to_u32(first_span + i)))),
        );
        set.logs.extend(part.logs.into_iter().map(|l| shift.log(l)));
        set.warnings.merge(part.warnings);
    }
}

/// Where a part's references land in the builder: its strings' new ids,
/// and the builder's array lengths before the part.
struct Shift<'a> {
    strings: &'a [StrId],
    attributes: usize,
    values: usize,
    bytes: usize,
    events: usize,
    links: usize,
    resources: usize,
    scopes: usize,
}

impl Shift<'_> {
    fn string(&self, id: StrId) -> StrId {
        self.strings
            .get(id.index())
            .copied()
            .unwrap_or(StrId::EMPTY)
    }

    fn index(base: usize, index: u32) -> u32 {
        to_u32(base + index as usize)
    }

    fn slice(base: usize, slice: Slice) -> Slice {
        Slice {
            start: Self::index(base, slice.start),
            len: slice.len,
        }
    }

    fn value(&self, value: Value) -> Value {
        match value {
            Value::Str(id) => Value::Str(self.string(id)),
            Value::Bytes(slice) => Value::Bytes(Self::slice(self.bytes, slice)),
            Value::Array(slice) => Value::Array(Self::slice(self.values, slice)),
            Value::KvList(slice) => Value::KvList(Self::slice(self.attributes, slice)),
            Value::Empty | Value::Bool(_) | Value::Int(_) | Value::Double(_) => value,
        }
    }

    fn attribute(&self, attribute: Attribute) -> Attribute {
        Attribute {
            key: self.string(attribute.key),
            value: self.value(attribute.value),
        }
    }

    fn attributes(&self, slice: Slice) -> Slice {
        Self::slice(self.attributes, slice)
    }

    fn event(&self, event: Event) -> Event {
        Event {
            name: self.string(event.name),
            attributes: self.attributes(event.attributes),
            ..event
        }
    }

    fn link(&self, link: Link) -> Link {
        Link {
            trace_state: self.string(link.trace_state),
            attributes: self.attributes(link.attributes),
            ..link
        }
    }

    fn resource(&self, resource: Resource) -> Resource {
        Resource {
            attributes: self.attributes(resource.attributes),
            service_name: self.string(resource.service_name),
            schema_url: self.string(resource.schema_url),
            ..resource
        }
    }

    fn scope(&self, scope: Scope) -> Scope {
        Scope {
            name: self.string(scope.name),
            version: self.string(scope.version),
            attributes: self.attributes(scope.attributes),
            schema_url: self.string(scope.schema_url),
            ..scope
        }
    }

    /// A span as read (its tree fields are filled in when indexing), now at
    /// position `own` of the builder.
    fn span(&self, span: Span, own: SpanIdx) -> Span {
        Span {
            name: self.string(span.name),
            status_message: self.string(span.status_message),
            trace_state: self.string(span.trace_state),
            resource: Self::index(self.resources, span.resource),
            scope: Self::index(self.scopes, span.scope),
            attributes: self.attributes(span.attributes),
            events: Self::slice(self.events, span.events),
            links: Self::slice(self.links, span.links),
            parent: None,
            depth: 0,
            subtree_end: own,
            ..span
        }
    }

    fn log(&self, log: LogRecord) -> LogRecord {
        LogRecord {
            severity_text: self.string(log.severity_text),
            body: self.value(log.body),
            attributes: self.attributes(log.attributes),
            event_name: self.string(log.event_name),
            resource: Self::index(self.resources, log.resource),
            scope: Self::index(self.scopes, log.scope),
            span: None,
            ..log
        }
    }
}
