//! Jaeger's JSON, as Jaeger UI downloads it and its v1 query API
//! (`/api/traces`) answers: `{"data": [trace, …]}`, a bare trace object, a
//! list of traces, or JSON Lines of any of these. A trace holds `spans` and
//! the `processes` they point at; times are microseconds; tags are typed.
//! Also Jaeger's api_v2 JSON (its protobuf model through gRPC-gateway:
//! `{"spans": […]}` with base64 `traceId`/`spanId`, RFC 3339 `startTime`,
//! durations such as `"22938000ns"`, `vType`/`vStr`… tags, `process` inline).
//!
//! What Jaeger's OTLP translator turned into tags (`span.kind`,
//! `otel.status_code`, `otel.status_description`, `error`,
//! `otel.scope.name`/`version`, `w3c.tracestate`) goes back to the OTLP
//! fields it came from, so a span reads as it was sent.

mod fast;
mod lexer;
mod span;

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, Visitor};

use super::IngestError;
use super::foreign::{Scopes, Text, json_error, null_as_default};
use crate::model::{Attribute, TraceSetBuilder, Value, WarningKind};
use span::SpanSeed;

/// What one Jaeger input held.
#[derive(Debug, Default)]
pub struct JaegerSummary {
    pub documents: usize,
    pub traces: usize,
    /// Whether the last document's last key was its list of traces,
    /// `data`: a part of a file cut between traces and closed again must
    /// end in it (`ingest::split`).
    pub ends_in_data: bool,
    /// Whether the hand reader read it all (else serde did).
    pub by_hand: bool,
}

/// Reads every document of `bytes` (one, or JSON Lines) into `builder`.
/// Spans go into the builder as they are read, one at a time: the file is
/// never held as a second copy of itself.
pub fn read(bytes: &[u8], builder: &mut TraceSetBuilder) -> Result<JaegerSummary, IngestError> {
    read_as(bytes, builder, true)
}

/// Reads with serde alone: what the hand reader is checked against.
pub fn read_with_serde(
    bytes: &[u8],
    builder: &mut TraceSetBuilder,
) -> Result<JaegerSummary, IngestError> {
    read_as(bytes, builder, false)
}

fn read_as(
    bytes: &[u8],
    builder: &mut TraceSetBuilder,
    by_hand: bool,
) -> Result<JaegerSummary, IngestError> {
    let checkpoint = builder.checkpoint();
    let mut out = Out {
        builder,
        scratch: Scratch::default(),
    };
    // Natively, text validated as UTF-8 once reads faster than serde_json
    // checking each string of a byte slice; in WebAssembly (no SIMD) the
    // whole-text check is the slower one. Text that is not UTF-8 is read as
    // bytes, so the error says where.
    let text = if cfg!(target_arch = "wasm32") {
        None
    } else {
        std::str::from_utf8(bytes).ok()
    };
    if by_hand && let Some(summary) = fast::read(bytes, text, &mut out) {
        return Ok(JaegerSummary {
            by_hand: true,
            ..summary
        });
    }
    // What only serde reads, or an error serde is to say.
    out.builder.rollback(checkpoint);
    out.scratch = Scratch::default();
    match text {
        Some(text) => read_documents(&mut serde_json::Deserializer::from_str(text), &mut out),
        None => read_documents(&mut serde_json::Deserializer::from_slice(bytes), &mut out),
    }
}

fn read_documents<'de, R: serde_json::de::Read<'de>>(
    deserializer: &mut serde_json::Deserializer<R>,
    out: &mut Out,
) -> Result<JaegerSummary, IngestError> {
    let mut summary = JaegerSummary::default();
    loop {
        let (errors, ends_in_data) = DocumentSeed {
            out: &mut *out,
            traces: &mut summary.traces,
        }
        .deserialize(&mut *deserializer)
        .map_err(|err| json_error(&err, "Jaeger JSON"))?;
        summary.ends_in_data = ends_in_data;
        summary.documents += 1;
        for message in errors {
            out.builder.warn(
                WarningKind::FromSource,
                format!("Jaeger reported: {message}"),
            );
        }
        // Another document follows (JSON Lines), or only whitespace is left.
        if deserializer.end().is_ok() {
            return Ok(summary);
        }
    }
}

/// The builder, and buffers reused for every span of the input.
struct Out<'b> {
    builder: &'b mut TraceSetBuilder,
    scratch: Scratch,
}

#[derive(Default)]
struct Scratch {
    /// The tags of the span being read, as attributes.
    tags: Vec<Attribute>,
    /// The fields of the log being read.
    fields: Vec<Attribute>,
    /// The last trace id read, as text and decoded: a trace's spans all
    /// repeat it.
    trace_text: String,
    trace_id: [u8; 16],
    trace_len: usize,
}

/// One top-level JSON value: `{"data": [...]}`, a bare trace, or a list of
/// traces. Returns the errors the query API reported beside them, and
/// whether `data` was its last key.
struct DocumentSeed<'b, 'o, 'c> {
    out: &'o mut Out<'b>,
    traces: &'c mut usize,
}

impl<'de> DeserializeSeed<'de> for DocumentSeed<'_, '_, '_> {
    type Value = (Vec<String>, bool);

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for DocumentSeed<'_, '_, '_> {
    type Value = (Vec<String>, bool);

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("Jaeger JSON: {\"data\": [...]}, a trace {\"traceID\", \"spans\", \"processes\"}, or a list of traces")
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq
            .next_element_seed(TraceSeed {
                out: &mut *self.out,
            })?
            .is_some()
        {
            *self.traces += 1;
        }
        Ok((Vec::new(), false))
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        // The fields of `{"data": …}` and of a bare trace, whichever this is.
        let mut bare = TraceState::default();
        let mut errors = Vec::new();
        let mut ends_in_data = false;
        while let Some(Text(key)) = map.next_key::<Text<'de>>()? {
            ends_in_data = key == "data";
            match key.as_ref() {
                "data" => {
                    *self.traces += map.next_value_seed(TracesSeed {
                        out: &mut *self.out,
                    })?;
                }
                "errors" => {
                    let listed = map
                        .next_value::<Option<Vec<ApiError>>>()?
                        .unwrap_or_default();
                    errors.extend(listed.into_iter().map(|e| e.to_string()));
                }
                field => bare.field(field, &mut map, self.out)?,
            }
        }
        if bare.spans > 0 {
            *self.traces += 1;
        }
        bare.finish(self.out.builder);
        Ok((errors, ends_in_data))
    }
}

/// The list of `data`: returns how many traces it held.
struct TracesSeed<'b, 'o> {
    out: &'o mut Out<'b>,
}

impl<'de> DeserializeSeed<'de> for TracesSeed<'_, '_> {
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for TracesSeed<'_, '_> {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of traces")
    }

    fn visit_unit<E: de::Error>(self) -> Result<usize, E> {
        Ok(0)
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<usize, A::Error> {
        let mut traces = 0;
        while seq
            .next_element_seed(TraceSeed {
                out: &mut *self.out,
            })?
            .is_some()
        {
            traces += 1;
        }
        Ok(traces)
    }
}

/// One trace object, its spans added as they are read.
struct TraceSeed<'b, 'o> {
    out: &'o mut Out<'b>,
}

impl<'de> DeserializeSeed<'de> for TraceSeed<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for TraceSeed<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a trace like {\"traceID\", \"spans\", \"processes\"}")
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut trace = TraceState::default();
        while let Some(Text(key)) = map.next_key::<Text<'de>>()? {
            trace.field(&key, &mut map, self.out)?;
        }
        trace.finish(self.out.builder);
        Ok(())
    }
}

/// What reading a trace keeps until its end: the resource of each process
/// id (begun at the first span or process that names it: `processes` comes
/// after the spans), the scopes, its warnings.
#[derive(Default)]
struct TraceState {
    resources: HashMap<String, u32>,
    /// Spans with their `process` inline (api_v2), by service name.
    inline: HashMap<String, u32>,
    scopes: Scopes,
    warnings: Vec<String>,
    spans: usize,
}

impl TraceState {
    /// Reads one field of a trace object.
    fn field<'de, A: de::MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
        out: &mut Out,
    ) -> Result<(), A::Error> {
        match key {
            "spans" => map.next_value_seed(SpansSeed { out, trace: self }),
            "processes" => map.next_value_seed(ProcessesSeed {
                builder: &mut *out.builder,
                trace: self,
            }),
            "warnings" => {
                self.warnings
                    .extend(map.next_value::<Option<Vec<String>>>()?.unwrap_or_default());
                Ok(())
            }
            _ => map.next_value::<IgnoredAny>().map(|_| ()),
        }
    }

    /// The resource of process `id` (begun by a span that named it, or
    /// now) gets the process's service and tags.
    fn set_process(&mut self, builder: &mut TraceSetBuilder, id: Cow<str>, process: &Process) {
        let index = match self.resources.get(id.as_ref()) {
            Some(&index) => index,
            None => {
                let index = builder.begin_resource();
                self.resources.insert(id.into_owned(), index);
                index
            }
        };
        set_process(builder, index, process);
    }

    /// The resource of a span: its inline `process`, else its process id's.
    fn resource_of(
        &mut self,
        builder: &mut TraceSetBuilder,
        process: Option<&Process>,
        process_id: &str,
    ) -> u32 {
        if let Some(process) = process {
            if let Some(&index) = self.inline.get(process.service_name.as_ref()) {
                return index;
            }
            let index = builder.begin_resource();
            set_process(builder, index, process);
            self.inline.insert(process.service_name.to_string(), index);
            return index;
        }
        if let Some(&index) = self.resources.get(process_id) {
            return index;
        }
        let index = builder.begin_resource();
        self.resources.insert(process_id.to_owned(), index);
        index
    }

    fn finish(self, builder: &mut TraceSetBuilder) {
        for warning in self.warnings {
            builder.warn(
                WarningKind::FromSource,
                format!("Jaeger's warning on a trace: {warning}"),
            );
        }
    }
}

struct SpansSeed<'b, 'o, 't> {
    out: &'o mut Out<'b>,
    trace: &'t mut TraceState,
}

impl<'de> DeserializeSeed<'de> for SpansSeed<'_, '_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for SpansSeed<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of spans")
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq
            .next_element_seed(SpanSeed {
                out: &mut *self.out,
                trace: &mut *self.trace,
            })?
            .is_some()
        {
            self.trace.spans += 1;
        }
        Ok(())
    }
}

/// `processes`: each one's service name and tags become its resource.
struct ProcessesSeed<'b, 't> {
    builder: &'b mut TraceSetBuilder,
    trace: &'t mut TraceState,
}

impl<'de> DeserializeSeed<'de> for ProcessesSeed<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ProcessesSeed<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a map of processes")
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(Text(id)) = map.next_key::<Text<'de>>()? {
            let process: Process<'de> = map.next_value()?;
            self.trace.set_process(self.builder, id, &process);
        }
        Ok(())
    }
}

/// An entry of the query API's `errors`.
#[derive(Deserialize)]
struct ApiError {
    #[serde(default)]
    code: Option<i64>,
    #[serde(default)]
    msg: Option<String>,
    #[serde(default, rename = "traceID")]
    trace_id: Option<String>,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.msg.as_deref().unwrap_or("an error"))?;
        if let Some(code) = self.code {
            write!(f, " (code {code})")?;
        }
        if let Some(trace) = &self.trace_id {
            write!(f, " for trace {trace}")?;
        }
        Ok(())
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Process<'a> {
    #[serde(borrow, default)]
    service_name: Cow<'a, str>,
    #[serde(borrow, default, deserialize_with = "null_as_default")]
    tags: Vec<Tag<'a>>,
}

/// A tag: `{"key", "type", "value"}` (v1), or `{"key", "vType", "vStr"…}`
/// (api_v2), read into one compact form: a file holds millions of them.
struct Tag<'a> {
    key: Cow<'a, str>,
    declared: Declared,
    value: TagValue<'a>,
}

impl Tag<'_> {
    /// The tag's text, when it is a string.
    fn text(&self) -> &str {
        match &self.value {
            TagValue::Str(s) => s,
            _ => "",
        }
    }

    fn is_true(&self) -> bool {
        matches!(self.value, TagValue::Bool(true)) || self.text() == "true"
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Tag<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TagVisitor<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for TagVisitor<'a> {
            type Value = Tag<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a tag like {\"key\": …, \"type\": …, \"value\": …}")
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Tag<'a>, A::Error> {
                let mut tag = Tag {
                    key: Cow::Borrowed(""),
                    declared: Declared::Other,
                    value: TagValue::Null,
                };
                while let Some(Text(field)) = map.next_key::<Text<'de>>()? {
                    match field.as_ref() {
                        "key" => tag.key = map.next_value::<Text<'a>>()?.0,
                        "type" | "vType" => {
                            let Text(name) = map.next_value::<Text<'de>>()?;
                            tag.declared = Declared::of(&name);
                        }
                        // v1's `value`, or the one of api_v2's typed fields it has.
                        "value" | "vStr" | "vInt64" | "vBool" | "vFloat64" | "vBinary" => {
                            tag.value = map.next_value()?;
                        }
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(tag)
            }
        }
        deserializer.deserialize_map(TagVisitor(std::marker::PhantomData))
    }
}

fn time_nanos<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    match TagValue::deserialize(deserializer)? {
        TagValue::Int(micros) => Ok(u64::try_from(micros).unwrap_or(0).saturating_mul(1000)),
        TagValue::Unsigned(micros) => Ok(micros.saturating_mul(1000)),
        TagValue::Str(text) => super::time::rfc3339_nanos(&text)
            .ok_or_else(|| de::Error::custom(format!("{text:?} is not an RFC 3339 time"))),
        TagValue::Null => Ok(0),
        _ => Err(de::Error::custom("a time is microseconds or RFC 3339 text")),
    }
}

fn duration_nanos<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    match TagValue::deserialize(deserializer)? {
        TagValue::Int(micros) => Ok(u64::try_from(micros).unwrap_or(0).saturating_mul(1000)),
        TagValue::Unsigned(micros) => Ok(micros.saturating_mul(1000)),
        TagValue::Str(text) => super::time::duration_nanos(&text).ok_or_else(|| {
            de::Error::custom(format!("{text:?} is not a duration such as \"22938000ns\""))
        }),
        TagValue::Null => Ok(0),
        _ => Err(de::Error::custom(
            "a duration is microseconds or text with a unit",
        )),
    }
}

/// A tag's value as JSON has it; its `type` says what it means.
#[derive(Default)]
enum TagValue<'a> {
    #[default]
    Null,
    Str(Cow<'a, str>),
    Bool(bool),
    Int(i64),
    /// Past `i64`: kept as its text.
    Unsigned(u64),
    Float(f64),
    /// An array or object, which no Jaeger type is.
    Other,
}

// A tag is read for every attribute of every span: keep it small.
const _: () = assert!(std::mem::size_of::<TagValue>() <= 32);

impl<'de: 'a, 'a> Deserialize<'de> for TagValue<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ValueVisitor<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for ValueVisitor<'a> {
            type Value = TagValue<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a tag value")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<TagValue<'a>, E> {
                Ok(TagValue::Str(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<TagValue<'a>, E> {
                Ok(TagValue::Str(Cow::Owned(v.to_owned())))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<TagValue<'a>, E> {
                Ok(TagValue::Bool(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<TagValue<'a>, E> {
                Ok(TagValue::Int(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<TagValue<'a>, E> {
                Ok(i64::try_from(v).map_or(TagValue::Unsigned(v), TagValue::Int))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<TagValue<'a>, E> {
                Ok(TagValue::Float(v))
            }
            fn visit_unit<E: de::Error>(self) -> Result<TagValue<'a>, E> {
                Ok(TagValue::Null)
            }
            fn visit_seq<A: de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<TagValue<'a>, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(TagValue::Other)
            }
            fn visit_map<A: de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<TagValue<'a>, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(TagValue::Other)
            }
        }
        deserializer.deserialize_any(ValueVisitor(std::marker::PhantomData))
    }
}

/// Tags Jaeger's OTLP translator wrote for OTLP fields.
const SPAN_KIND: &str = "span.kind";
const STATUS_CODE: &str = "otel.status_code";
const STATUS_DESCRIPTION: &str = "otel.status_description";
const ERROR: &str = "error";
const SCOPE_NAMES: [&str; 2] = ["otel.scope.name", "otel.library.name"];
const SCOPE_VERSIONS: [&str; 2] = ["otel.scope.version", "otel.library.version"];
const TRACE_STATE: &str = "w3c.tracestate";

/// A process's service name and tags as the attributes of its resource.
fn set_process(builder: &mut TraceSetBuilder, index: u32, process: &Process) {
    let service = process.service_name.as_ref();
    let tags = &process.tags;
    let slots = builder.reserve_attributes(tags.len() + usize::from(!service.is_empty()));
    let mut at = slots.range();
    if !service.is_empty()
        && let Some(slot) = at.next()
    {
        let key = builder.strings().intern("service.name");
        let value = Value::Str(builder.strings().intern(service));
        builder.set_attribute(slot, Attribute { key, value });
    }
    for (slot, tag) in at.zip(tags) {
        let attribute = attribute(builder, tag);
        builder.set_attribute(slot, attribute);
    }
    builder.set_resource_attributes(index, slots, 0);
}

/// A tag's declared type, read without allocating (it is on every tag).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Declared {
    String,
    Bool,
    Int64,
    Float64,
    Binary,
    Other,
}

impl Declared {
    fn of(name: &str) -> Declared {
        // v1 writes them in lower case, on every tag: matched at once.
        match name {
            "string" => return Declared::String,
            "int64" => return Declared::Int64,
            "bool" => return Declared::Bool,
            "float64" => return Declared::Float64,
            _ => {}
        }
        [
            ("string", Declared::String),
            ("bool", Declared::Bool),
            ("int64", Declared::Int64),
            ("float64", Declared::Float64),
            ("binary", Declared::Binary),
        ]
        .iter()
        .find(|(known, _)| known.eq_ignore_ascii_case(name))
        .map_or(Declared::Other, |(_, declared)| *declared)
    }
}

fn attribute(builder: &mut TraceSetBuilder, tag: &Tag) -> Attribute {
    let key = builder.strings().intern(&tag.key);
    let value = tag_value(builder, tag);
    Attribute { key, value }
}

/// A tag's value by its declared type (`string`, `bool`, `int64`,
/// `float64`, `binary`: base64; api_v2 writes them in capitals, and 64-bit
/// integers as text), else by its JSON form.
fn tag_value(builder: &mut TraceSetBuilder, tag: &Tag) -> Value {
    match (tag.declared, &tag.value) {
        (Declared::Bool, TagValue::Str(s)) => Value::Bool(s.eq_ignore_ascii_case("true")),
        (Declared::Int64, TagValue::Str(s)) => match s.parse::<i64>() {
            Ok(n) => Value::Int(n),
            Err(_) => Value::Str(builder.strings().intern(s)),
        },
        (Declared::Float64, TagValue::Str(s)) => match s.parse::<f64>() {
            Ok(n) => Value::Double(n),
            Err(_) => Value::Str(builder.strings().intern(s)),
        },
        (Declared::Float64, TagValue::Int(n)) => {
            #[allow(clippy::cast_precision_loss)] // a float64 tag written without a fraction
            let n = *n as f64;
            Value::Double(n)
        }
        (Declared::Binary, TagValue::Str(s)) => {
            use base64::Engine as _;
            match base64::engine::general_purpose::STANDARD.decode(s.as_bytes()) {
                Ok(bytes) => builder.append_bytes(&bytes),
                Err(_) => Value::Str(builder.strings().intern(s)),
            }
        }
        (_, TagValue::Str(s)) => Value::Str(builder.strings().intern(s)),
        (_, TagValue::Bool(b)) => Value::Bool(*b),
        (_, TagValue::Int(n)) => Value::Int(*n),
        (_, TagValue::Unsigned(n)) => Value::Str(builder.strings().intern(&n.to_string())),
        (_, TagValue::Float(f)) => Value::Double(*f),
        (_, TagValue::Null | TagValue::Other) => Value::Empty,
    }
}
