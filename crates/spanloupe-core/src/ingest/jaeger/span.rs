//! One Jaeger span, read straight into the builder: its tags become
//! attributes as they are read (those that stand for OTLP fields set the
//! fields instead), its logs events, its references the parent and links.
//! Nothing of a span is gathered in a list of its own first; the buffers it
//! needs are [`Scratch`]'s, reused for every span of the input.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, Visitor};

use super::{
    ERROR, Out, Process, SCOPE_NAMES, SCOPE_VERSIONS, SPAN_KIND, STATUS_CODE, STATUS_DESCRIPTION,
    Scratch, TRACE_STATE, Tag, TraceState, attribute, duration_nanos, time_nanos,
};
use crate::ingest::foreign::{Text, id, null_as_default, push_link, status_code as status_code_of};
use crate::model::ids::IdKind;
use crate::model::{
    Attribute, Event, Slice, SpanKind, SpanRecord, StrId, TraceSetBuilder, Value, WarningKind,
};

/// Reads one span object and adds it to the builder.
pub(super) struct SpanSeed<'b, 'o, 't> {
    pub out: &'o mut Out<'b>,
    pub trace: &'t mut TraceState,
}

#[derive(Deserialize)]
#[serde(field_identifier)]
enum Field {
    #[serde(rename = "traceID", alias = "traceId")]
    TraceId,
    #[serde(rename = "spanID", alias = "spanId")]
    SpanId,
    #[serde(rename = "flags")]
    Flags,
    #[serde(rename = "operationName")]
    OperationName,
    #[serde(rename = "references")]
    References,
    /// Microseconds since 1970, or RFC 3339 (api_v2).
    #[serde(rename = "startTime")]
    StartTime,
    /// Microseconds, or a duration with its unit (api_v2).
    #[serde(rename = "duration")]
    Duration,
    #[serde(rename = "tags")]
    Tags,
    #[serde(rename = "logs")]
    Logs,
    #[serde(rename = "processID", alias = "processId")]
    ProcessId,
    /// api_v2 has the process inline in each span.
    #[serde(rename = "process")]
    Process,
    #[serde(rename = "warnings")]
    Warnings,
    #[serde(other)]
    Other,
}

/// What a span's fields and OTLP tags say, until the span ends.
#[derive(Default)]
pub(super) struct Fields<'de> {
    pub span_id: [u8; 16],
    pub span_len: usize,
    pub parent_id: [u8; 16],
    pub parent_len: usize,
    pub flags: u32,
    pub name: StrId,
    pub start_nanos: u64,
    pub duration_nanos: u64,
    pub process_id: Option<Text<'de>>,
    pub process: Option<Process<'de>>,
    pub warnings: Vec<String>,
    pub otlp: OtlpTags,
}

/// The tags Jaeger's OTLP translator wrote for OTLP fields.
#[derive(Default)]
pub(super) struct OtlpTags {
    kind: i32,
    status_code: i32,
    status_message: StrId,
    error: bool,
    scope_name: StrId,
    scope_version: StrId,
    trace_state: StrId,
}

impl OtlpTags {
    /// Takes the tag when it stands for an OTLP field; false when it is an
    /// attribute.
    pub fn take(&mut self, builder: &mut TraceSetBuilder, tag: &Tag) -> bool {
        // Most tags are attributes: their first letter says so at once.
        if !matches!(tag.key.as_bytes().first(), Some(b's' | b'o' | b'e' | b'w')) {
            return false;
        }
        let text = tag.text();
        match tag.key.as_ref() {
            SPAN_KIND => self.kind = SpanKind::from_label(text) as i32,
            STATUS_CODE => self.status_code = status_code_of(text),
            STATUS_DESCRIPTION => self.status_message = builder.strings().intern(text),
            ERROR => self.error = tag.is_true(),
            key if SCOPE_NAMES.contains(&key) => self.scope_name = builder.strings().intern(text),
            key if SCOPE_VERSIONS.contains(&key) => {
                self.scope_version = builder.strings().intern(text);
            }
            TRACE_STATE => self.trace_state = builder.strings().intern(text),
            _ => return false,
        }
        true
    }

    fn status_code(&self) -> i32 {
        if self.status_code == 0 && self.error {
            2
        } else {
            self.status_code
        }
    }
}

impl<'de> DeserializeSeed<'de> for SpanSeed<'_, '_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for SpanSeed<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a span like {\"traceID\", \"spanID\", \"operationName\", \"startTime\"}")
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Out { builder, scratch } = self.out;
        let builder = &mut **builder;
        let events_start = builder.event_count();
        let links_start = builder.link_count();
        scratch.tags.clear();
        let mut fields = Fields::default();
        let mut trace_text: Option<Text<'de>> = None;
        let mut span_text: Option<Text<'de>> = None;
        while let Some(field) = map.next_key::<Field>()? {
            match field {
                Field::TraceId => trace_text = Some(map.next_value()?),
                Field::SpanId => span_text = Some(map.next_value()?),
                Field::Flags => fields.flags = map.next_value::<Option<u32>>()?.unwrap_or(0),
                Field::OperationName => {
                    let Text(name) = map.next_value::<Option<Text<'de>>>()?.unwrap_or_default();
                    fields.name = builder.strings().intern(&name);
                }
                Field::References => map.next_value_seed(ReferencesSeed {
                    builder: &mut *builder,
                    parent: (&mut fields.parent_id, &mut fields.parent_len),
                })?,
                Field::StartTime => fields.start_nanos = map.next_value::<StartTime>()?.0,
                Field::Duration => fields.duration_nanos = map.next_value::<Duration>()?.0,
                Field::Tags => map.next_value_seed(TagsSeed {
                    builder: &mut *builder,
                    into: &mut scratch.tags,
                    otlp: &mut fields.otlp,
                })?,
                Field::Logs => map.next_value_seed(LogsSeed {
                    builder: &mut *builder,
                    fields: &mut scratch.fields,
                })?,
                Field::ProcessId => fields.process_id = map.next_value()?,
                Field::Process => fields.process = map.next_value()?,
                Field::Warnings => fields.warnings = map.next_value::<NullAsEmpty<String>>()?.0,
                Field::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let trace_text = trace_text.map(|Text(text)| text).unwrap_or_default();
        let span_text = span_text.map(|Text(text)| text);
        push_span(
            SpanEnd {
                trace_text: &trace_text,
                span_text: span_text.as_deref(),
                events_start,
                links_start,
            },
            fields,
            self.out,
            self.trace,
        );
        Ok(())
    }
}

/// Where a span's text ids and its events and links are, once its fields
/// are read.
pub(super) struct SpanEnd<'t> {
    pub trace_text: &'t str,
    pub span_text: Option<&'t str>,
    pub events_start: usize,
    pub links_start: usize,
}

/// Adds a span whose fields are read (its tags in the scratch, its events
/// and links already pushed) to the builder.
pub(super) fn push_span(end: SpanEnd, mut fields: Fields, out: &mut Out, trace: &mut TraceState) {
    let Out { builder, scratch } = out;
    let builder = &mut **builder;
    let SpanEnd {
        trace_text,
        span_text,
        events_start,
        links_start,
    } = end;
    if let Some(text) = span_text {
        fields.span_len = id(builder, "Jaeger", text, IdKind::Span, &mut fields.span_id);
    }
    scratch_trace_id(scratch, builder, trace_text);
    let process_id = fields
        .process_id
        .as_ref()
        .map_or("", |Text(id)| id.as_ref());
    let resource = trace.resource_of(builder, fields.process.as_ref(), process_id);
    let otlp = &fields.otlp;
    let scope = trace
        .scopes
        .get_interned(builder, otlp.scope_name, otlp.scope_version);
    for warning in &fields.warnings {
        let name = builder.strings().get(fields.name).to_owned();
        builder.warn(
            WarningKind::FromSource,
            format!("Jaeger's warning on span {name:?}: {warning}"),
        );
    }
    let attributes = builder.append_attributes(&scratch.tags);
    let start = fields.start_nanos;
    builder.push_span(
        SpanRecord {
            trace_id: scratch
                .trace_id
                .get(..scratch.trace_len)
                .unwrap_or_default(),
            span_id: fields.span_id.get(..fields.span_len).unwrap_or_default(),
            parent_span_id: fields
                .parent_id
                .get(..fields.parent_len)
                .unwrap_or_default(),
            name: fields.name,
            kind: otlp.kind,
            start_unix_nanos: start,
            end_unix_nanos: start.saturating_add(fields.duration_nanos),
            status_code: otlp.status_code(),
            status_message: otlp.status_message,
            attributes,
            events: Slice::between(events_start, builder.event_count()),
            links: Slice::between(links_start, builder.link_count()),
            trace_state: otlp.trace_state,
            flags: fields.flags,
            dropped_attributes_count: 0,
            dropped_events_count: 0,
            dropped_links_count: 0,
        },
        resource,
        scope,
    );
}

/// Decodes the span's trace id into the scratch, unless it is the one the
/// span before had.
fn scratch_trace_id(scratch: &mut Scratch, builder: &mut TraceSetBuilder, text: &str) {
    if scratch.trace_text == text && !text.is_empty() {
        return;
    }
    scratch.trace_len = id(
        builder,
        "Jaeger",
        text,
        IdKind::Trace,
        &mut scratch.trace_id,
    );
    scratch.trace_text.clear();
    if scratch.trace_len > 0 {
        scratch.trace_text.push_str(text);
    }
}

/// `startTime`, as nanoseconds.
#[derive(Deserialize)]
struct StartTime(#[serde(deserialize_with = "time_nanos")] u64);

/// `duration`, as nanoseconds.
#[derive(Deserialize)]
struct Duration(#[serde(deserialize_with = "duration_nanos")] u64);

/// `tags`: each one an attribute, or an OTLP field.
struct TagsSeed<'b, 'a, 'f> {
    builder: &'b mut TraceSetBuilder,
    into: &'a mut Vec<Attribute>,
    otlp: &'f mut OtlpTags,
}

impl<'de> DeserializeSeed<'de> for TagsSeed<'_, '_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for TagsSeed<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of tags")
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(tag) = seq.next_element::<Tag<'de>>()? {
            if !self.otlp.take(self.builder, &tag) {
                let attribute = attribute(self.builder, &tag);
                self.into.push(attribute);
            }
        }
        Ok(())
    }
}

/// `logs`, as events: the `event` field names the event, the other fields
/// are its attributes.
struct LogsSeed<'b, 'a> {
    builder: &'b mut TraceSetBuilder,
    fields: &'a mut Vec<Attribute>,
}

impl<'de> DeserializeSeed<'de> for LogsSeed<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for LogsSeed<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of logs like {\"timestamp\", \"fields\"}")
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq
            .next_element_seed(LogSeed {
                builder: &mut *self.builder,
                fields: &mut *self.fields,
            })?
            .is_some()
        {}
        Ok(())
    }
}

struct LogSeed<'b, 'a> {
    builder: &'b mut TraceSetBuilder,
    fields: &'a mut Vec<Attribute>,
}

impl<'de> DeserializeSeed<'de> for LogSeed<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for LogSeed<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a log like {\"timestamp\", \"fields\"}")
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut time_unix_nanos = 0;
        let mut fields = Vec::new();
        while let Some(Text(key)) = map.next_key::<Text<'de>>()? {
            match key.as_ref() {
                "timestamp" => time_unix_nanos = map.next_value::<StartTime>()?.0,
                "fields" => fields = map.next_value::<NullAsEmpty<Tag<'de>>>()?.0,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        push_log(self.builder, self.fields, time_unix_nanos, &fields);
        Ok(())
    }
}

/// A log as an event: its `event` field names it, the others are its
/// attributes (`scratch` holds them on the way).
pub(super) fn push_log(
    builder: &mut TraceSetBuilder,
    scratch: &mut Vec<Attribute>,
    time_unix_nanos: u64,
    fields: &[Tag],
) {
    scratch.clear();
    let mut name = StrId::EMPTY;
    for field in fields {
        if field.key == "event" && name.is_empty() && !field.text().is_empty() {
            name = builder.strings().intern(field.text());
        } else {
            let attribute = attribute(builder, field);
            scratch.push(attribute);
        }
    }
    if name.is_empty() {
        name = builder.strings().intern("log");
    }
    let attributes = builder.append_attributes(scratch);
    builder.push_event(Event {
        time_unix_nanos,
        name,
        attributes,
        dropped_attributes_count: 0,
    });
}

/// A list that may be written `null`.
#[derive(Deserialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
struct NullAsEmpty<T>(#[serde(deserialize_with = "null_as_default")] Vec<T>);

/// `references`: the first CHILD_OF is the parent; the others become links
/// that say what they were (`opentracing.ref_type`: `follows_from` or
/// `child_of`).
struct ReferencesSeed<'b, 'p> {
    builder: &'b mut TraceSetBuilder,
    parent: (&'p mut [u8; 16], &'p mut usize),
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Reference<'a> {
    #[serde(borrow, default)]
    ref_type: Text<'a>,
    #[serde(borrow, rename = "traceID", alias = "traceId", default)]
    trace_id: Text<'a>,
    #[serde(borrow, rename = "spanID", alias = "spanId", default)]
    span_id: Text<'a>,
}

impl<'de> DeserializeSeed<'de> for ReferencesSeed<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ReferencesSeed<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of references like {\"refType\", \"traceID\", \"spanID\"}")
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut parent = Parent {
            id: self.parent.0,
            len: self.parent.1,
            found: false,
        };
        while let Some(reference) = seq.next_element::<Reference<'de>>()? {
            parent.reference(
                self.builder,
                &reference.ref_type.0,
                &reference.trace_id.0,
                &reference.span_id.0,
            );
        }
        Ok(())
    }
}

/// The parent a span's references name: the first CHILD_OF.
pub(super) struct Parent<'p> {
    pub id: &'p mut [u8; 16],
    pub len: &'p mut usize,
    pub found: bool,
}

impl Parent<'_> {
    /// Takes one reference: the parent, or a link.
    pub fn reference(
        &mut self,
        builder: &mut TraceSetBuilder,
        ref_type: &str,
        trace_id: &str,
        span_id: &str,
    ) {
        if !self.found && ref_type.eq_ignore_ascii_case("CHILD_OF") {
            self.found = true;
            *self.len = id(builder, "Jaeger", span_id, IdKind::ParentSpan, self.id);
        } else {
            add_link(builder, ref_type, trace_id, span_id);
        }
    }
}

fn add_link(builder: &mut TraceSetBuilder, ref_type: &str, trace_text: &str, span_text: &str) {
    let mut trace_id = [0u8; 16];
    let mut span_id = [0u8; 16];
    let trace_len = id(builder, "Jaeger", trace_text, IdKind::Trace, &mut trace_id);
    let span_len = id(builder, "Jaeger", span_text, IdKind::Span, &mut span_id);
    let key = builder.strings().intern("opentracing.ref_type");
    let value = Value::Str(builder.strings().intern(&ref_type.to_ascii_lowercase()));
    let attributes = builder.append_attributes(&[Attribute { key, value }]);
    push_link(
        builder,
        trace_id.get(..trace_len).unwrap_or_default(),
        span_id.get(..span_len).unwrap_or_default(),
        attributes,
    );
}
