//! `resourceSpans` down to each span, its events and links, read straight
//! into the builder (see `common.rs` for how).

use std::fmt;

use serde::Deserializer;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};

use super::common::{Attributes, Id, IdBytes, Interned, List, Message, Resource, Scope, Sink};
use super::lenient::{Lenient, SpanKind, StatusCode};
use crate::model::ids::IdKind;
use crate::model::{Event, Link, LinkRecord, Slice, SpanRecord, StrId};

/// The elements of a `resourceSpans` list.
pub(super) struct ResourceSpans<'s, 'b>(pub &'s mut Sink<'b>);

#[derive(serde::Deserialize)]
#[serde(field_identifier, rename_all = "camelCase")]
enum ResourceSpansField {
    Resource,
    #[serde(
        alias = "scope_spans",
        // Collectors before OTLP 0.15 wrote the old name; the layout is the same.
        alias = "instrumentationLibrarySpans",
        alias = "instrumentation_library_spans"
    )]
    ScopeSpans,
    #[serde(alias = "schema_url")]
    SchemaUrl,
    #[serde(other)]
    Other,
}

impl<'de> Message<'de> for ResourceSpans<'_, '_> {
    fn read<D: Deserializer<'de>>(&mut self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(ResourceSpansVisitor(self.0))
    }
}

struct ResourceSpansVisitor<'s, 'b>(&'s mut Sink<'b>);

impl<'de> Visitor<'de> for ResourceSpansVisitor<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a resourceSpans object like {\"resource\": {...}, \"scopeSpans\": [...]}")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let sink = self.0;
        // Begun before its fields are read: in JSON the resource may come
        // after the spans that belong to it.
        let resource = sink.builder.begin_resource();
        while let Some(field) = map.next_key::<ResourceSpansField>()? {
            match field {
                ResourceSpansField::Resource => map.next_value_seed(Resource {
                    sink: &mut *sink,
                    index: resource,
                })?,
                ResourceSpansField::ScopeSpans => map.next_value_seed(List(&mut ScopeSpans {
                    sink: &mut *sink,
                    resource,
                }))?,
                ResourceSpansField::SchemaUrl => {
                    let url = map.next_value_seed(Interned(sink))?;
                    if let Some(resource) = sink.builder.resource_mut(resource) {
                        resource.schema_url = url;
                    }
                }
                ResourceSpansField::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// The elements of a `scopeSpans` list.
struct ScopeSpans<'s, 'b> {
    sink: &'s mut Sink<'b>,
    resource: u32,
}

#[derive(serde::Deserialize)]
#[serde(field_identifier, rename_all = "camelCase")]
enum ScopeSpansField {
    #[serde(alias = "instrumentationLibrary", alias = "instrumentation_library")]
    Scope,
    Spans,
    #[serde(alias = "schema_url")]
    SchemaUrl,
    #[serde(other)]
    Other,
}

impl<'de> Message<'de> for ScopeSpans<'_, '_> {
    fn read<D: Deserializer<'de>>(&mut self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(ScopeSpansVisitor(self))
    }
}

struct ScopeSpansVisitor<'v, 's, 'b>(&'v mut ScopeSpans<'s, 'b>);

impl<'de> Visitor<'de> for ScopeSpansVisitor<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a scopeSpans object like {\"scope\": {...}, \"spans\": [...]}")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let resource = self.0.resource;
        let sink = &mut *self.0.sink;
        let scope = sink.builder.begin_scope();
        while let Some(field) = map.next_key::<ScopeSpansField>()? {
            match field {
                ScopeSpansField::Scope => map.next_value_seed(Scope {
                    sink: &mut *sink,
                    index: scope,
                })?,
                ScopeSpansField::Spans => map.next_value_seed(List(&mut Spans {
                    sink: &mut *sink,
                    resource,
                    scope,
                    events: Vec::new(),
                    links: Vec::new(),
                }))?,
                ScopeSpansField::SchemaUrl => {
                    let url = map.next_value_seed(Interned(sink))?;
                    if let Some(scope) = sink.builder.scope_mut(scope) {
                        scope.schema_url = url;
                    }
                }
                ScopeSpansField::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// The elements of a `spans` list, with buffers for each span's events and
/// links (stored in one piece when the span's list ends).
struct Spans<'s, 'b> {
    sink: &'s mut Sink<'b>,
    resource: u32,
    scope: u32,
    events: Vec<Event>,
    links: Vec<Link>,
}

#[derive(serde::Deserialize)]
#[serde(field_identifier, rename_all = "camelCase")]
enum SpanField {
    #[serde(alias = "trace_id")]
    TraceId,
    #[serde(alias = "span_id")]
    SpanId,
    #[serde(alias = "trace_state")]
    TraceState,
    #[serde(alias = "parent_span_id")]
    ParentSpanId,
    Flags,
    Name,
    Kind,
    #[serde(alias = "start_time_unix_nano")]
    StartTimeUnixNano,
    #[serde(alias = "end_time_unix_nano")]
    EndTimeUnixNano,
    Attributes,
    #[serde(alias = "dropped_attributes_count")]
    DroppedAttributesCount,
    Events,
    #[serde(alias = "dropped_events_count")]
    DroppedEventsCount,
    Links,
    #[serde(alias = "dropped_links_count")]
    DroppedLinksCount,
    Status,
    #[serde(other)]
    Other,
}

impl<'de> Message<'de> for Spans<'_, '_> {
    fn read<D: Deserializer<'de>>(&mut self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(SpanVisitor(self))
    }
}

struct SpanVisitor<'v, 's, 'b>(&'v mut Spans<'s, 'b>);

impl<'de> Visitor<'de> for SpanVisitor<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(
            "a span object like {\"traceId\": \"...\", \"spanId\": \"...\", \"name\": \"...\"}",
        )
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let spans = self.0;
        let mut trace_id = IdBytes::default();
        let mut span_id = IdBytes::default();
        let mut parent_span_id = IdBytes::default();
        let mut span = SpanRecord {
            trace_id: &[],
            span_id: &[],
            parent_span_id: &[],
            name: StrId::EMPTY,
            kind: 0,
            start_unix_nanos: 0,
            end_unix_nanos: 0,
            status_code: 0,
            status_message: StrId::EMPTY,
            attributes: Slice::default(),
            events: Slice::default(),
            links: Slice::default(),
            trace_state: StrId::EMPTY,
            flags: 0,
            dropped_attributes_count: 0,
            dropped_events_count: 0,
            dropped_links_count: 0,
        };
        while let Some(field) = map.next_key::<SpanField>()? {
            let sink = &mut *spans.sink;
            match field {
                SpanField::TraceId => trace_id = map.next_value_seed(Id(IdKind::Trace))?,
                SpanField::SpanId => span_id = map.next_value_seed(Id(IdKind::Span))?,
                SpanField::ParentSpanId => {
                    parent_span_id = map.next_value_seed(Id(IdKind::ParentSpan))?;
                }
                SpanField::TraceState => span.trace_state = map.next_value_seed(Interned(sink))?,
                SpanField::Flags => span.flags = map.next_value::<Lenient<u32>>()?.0,
                SpanField::Name => span.name = map.next_value_seed(Interned(sink))?,
                SpanField::Kind => span.kind = map.next_value::<SpanKind>()?.0,
                SpanField::StartTimeUnixNano => {
                    span.start_unix_nanos = map.next_value::<Lenient<u64>>()?.0;
                }
                SpanField::EndTimeUnixNano => {
                    span.end_unix_nanos = map.next_value::<Lenient<u64>>()?.0;
                }
                SpanField::Attributes => span.attributes = map.next_value_seed(Attributes(sink))?,
                SpanField::DroppedAttributesCount => {
                    span.dropped_attributes_count = map.next_value::<Lenient<u32>>()?.0;
                }
                SpanField::Events => {
                    let mut events = Events {
                        sink,
                        events: std::mem::take(&mut spans.events),
                    };
                    let read = map.next_value_seed(List(&mut events));
                    let Events { sink, mut events } = events;
                    span.events = sink.builder.append_events(&events);
                    events.clear();
                    spans.events = events;
                    read?;
                }
                SpanField::DroppedEventsCount => {
                    span.dropped_events_count = map.next_value::<Lenient<u32>>()?.0;
                }
                SpanField::Links => {
                    let mut links = Links {
                        sink,
                        links: std::mem::take(&mut spans.links),
                    };
                    let read = map.next_value_seed(List(&mut links));
                    let Links { sink, mut links } = links;
                    span.links = sink.builder.append_links(&links);
                    links.clear();
                    spans.links = links;
                    read?;
                }
                SpanField::DroppedLinksCount => {
                    span.dropped_links_count = map.next_value::<Lenient<u32>>()?.0;
                }
                SpanField::Status => {
                    (span.status_code, span.status_message) = map.next_value_seed(Status(sink))?;
                }
                SpanField::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        span.trace_id = trace_id.as_slice();
        span.span_id = span_id.as_slice();
        span.parent_span_id = parent_span_id.as_slice();
        spans
            .sink
            .builder
            .push_span(span, spans.resource, spans.scope);
        Ok(())
    }
}

/// The elements of a span's `events` list.
struct Events<'s, 'b> {
    sink: &'s mut Sink<'b>,
    events: Vec<Event>,
}

#[derive(serde::Deserialize)]
#[serde(field_identifier, rename_all = "camelCase")]
enum EventField {
    #[serde(alias = "time_unix_nano")]
    TimeUnixNano,
    Name,
    Attributes,
    #[serde(alias = "dropped_attributes_count")]
    DroppedAttributesCount,
    #[serde(other)]
    Other,
}

impl<'de> Message<'de> for Events<'_, '_> {
    fn read<D: Deserializer<'de>>(&mut self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(EventVisitor(self))
    }
}

struct EventVisitor<'v, 's, 'b>(&'v mut Events<'s, 'b>);

impl<'de> Visitor<'de> for EventVisitor<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a span event object like {\"timeUnixNano\": \"...\", \"name\": \"...\"}")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let sink = &mut *self.0.sink;
        let mut event = Event {
            time_unix_nanos: 0,
            name: StrId::EMPTY,
            attributes: Slice::default(),
            dropped_attributes_count: 0,
        };
        while let Some(field) = map.next_key::<EventField>()? {
            match field {
                EventField::TimeUnixNano => {
                    event.time_unix_nanos = map.next_value::<Lenient<u64>>()?.0;
                }
                EventField::Name => event.name = map.next_value_seed(Interned(sink))?,
                EventField::Attributes => {
                    event.attributes = map.next_value_seed(Attributes(sink))?
                }
                EventField::DroppedAttributesCount => {
                    event.dropped_attributes_count = map.next_value::<Lenient<u32>>()?.0;
                }
                EventField::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        self.0.events.push(event);
        Ok(())
    }
}

/// The elements of a span's `links` list.
struct Links<'s, 'b> {
    sink: &'s mut Sink<'b>,
    links: Vec<Link>,
}

#[derive(serde::Deserialize)]
#[serde(field_identifier, rename_all = "camelCase")]
enum LinkField {
    #[serde(alias = "trace_id")]
    TraceId,
    #[serde(alias = "span_id")]
    SpanId,
    #[serde(alias = "trace_state")]
    TraceState,
    Attributes,
    #[serde(alias = "dropped_attributes_count")]
    DroppedAttributesCount,
    Flags,
    #[serde(other)]
    Other,
}

impl<'de> Message<'de> for Links<'_, '_> {
    fn read<D: Deserializer<'de>>(&mut self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(LinkVisitor(self))
    }
}

struct LinkVisitor<'v, 's, 'b>(&'v mut Links<'s, 'b>);

impl<'de> Visitor<'de> for LinkVisitor<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a span link object like {\"traceId\": \"...\", \"spanId\": \"...\"}")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let sink = &mut *self.0.sink;
        let mut trace_id = IdBytes::default();
        let mut span_id = IdBytes::default();
        let (mut trace_state, mut attributes) = (StrId::EMPTY, Slice::default());
        let (mut dropped, mut flags) = (0, 0);
        while let Some(field) = map.next_key::<LinkField>()? {
            match field {
                LinkField::TraceId => trace_id = map.next_value_seed(Id(IdKind::Trace))?,
                LinkField::SpanId => span_id = map.next_value_seed(Id(IdKind::Span))?,
                LinkField::TraceState => trace_state = map.next_value_seed(Interned(sink))?,
                LinkField::Attributes => attributes = map.next_value_seed(Attributes(sink))?,
                LinkField::DroppedAttributesCount => {
                    dropped = map.next_value::<Lenient<u32>>()?.0;
                }
                LinkField::Flags => flags = map.next_value::<Lenient<u32>>()?.0,
                LinkField::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let link = sink.builder.link(LinkRecord {
            trace_id: trace_id.as_slice(),
            span_id: span_id.as_slice(),
            trace_state,
            attributes,
            dropped_attributes_count: dropped,
            flags,
        });
        self.0.links.push(link);
        Ok(())
    }
}

/// A span's `status`: its code and message.
struct Status<'s, 'b>(&'s mut Sink<'b>);

#[derive(serde::Deserialize)]
#[serde(field_identifier, rename_all = "camelCase")]
enum StatusField {
    Code,
    Message,
    #[serde(other)]
    Other,
}

impl<'de> DeserializeSeed<'de> for Status<'_, '_> {
    type Value = (i32, StrId);

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Status<'_, '_> {
    type Value = (i32, StrId);

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a status object like {\"code\": 2, \"message\": \"...\"}")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok((0, StrId::EMPTY))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (mut code, mut message) = (0, StrId::EMPTY);
        while let Some(field) = map.next_key::<StatusField>()? {
            match field {
                StatusField::Code => code = map.next_value::<StatusCode>()?.0,
                StatusField::Message => message = map.next_value_seed(Interned(&mut *self.0))?,
                StatusField::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok((code, message))
    }
}
