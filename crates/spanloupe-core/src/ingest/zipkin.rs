//! Zipkin's v2 JSON: a list of spans (what its API's `/api/v2/trace/{id}`
//! answers and its UI downloads), one span object, or a list of traces
//! (`/api/v2/traces`). Times are microseconds; `localEndpoint` is the
//! service; tags are strings; annotations are events.
//!
//! A span whose server half reuses its client's id (`"shared": true`, as
//! Zipkin's B3 propagation does) is kept as two spans: the server half gets
//! an id of its own and becomes the client half's child, and its service's
//! children follow it.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

use super::IngestError;
use super::foreign::{Scopes, Text, id, null_as_default, status_code as status_code_of};
use crate::model::ids::IdKind;
use crate::model::{Attribute, Event, Slice, SpanRecord, StrId, TraceSetBuilder, Value};

/// What one Zipkin input held.
#[derive(Debug, Default)]
pub struct ZipkinSummary {
    pub spans: usize,
}

/// The spans of a document: a span, a list of spans, or a list of traces
/// (lists of spans).
struct Document<'a>(Vec<Span<'a>>);

impl<'de: 'a, 'a> Deserialize<'de> for Document<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DocumentVisitor<'a>(PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for DocumentVisitor<'a> {
            type Value = Document<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("Zipkin v2 JSON: a list of spans, a span, or a list of traces")
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Document<'a>, A::Error> {
                let span = Span::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(Document(vec![span]))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Document<'a>, A::Error> {
                let mut spans = Vec::new();
                while let Some(element) = seq.next_element::<Document<'a>>()? {
                    spans.extend(element.0);
                }
                Ok(Document(spans))
            }
        }
        deserializer.deserialize_any(DocumentVisitor(PhantomData))
    }
}

/// Tags: a JSON object of strings, kept in order (numbers and booleans,
/// which some tracers write, as their text).
#[derive(Default)]
struct Tags<'a>(Vec<(Cow<'a, str>, Cow<'a, str>)>);

impl<'de: 'a, 'a> Deserialize<'de> for Tags<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TagsVisitor<'a>(PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for TagsVisitor<'a> {
            type Value = Tags<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("tags as an object of strings")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Tags<'a>, E> {
                Ok(Tags::default())
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Tags<'a>, A::Error> {
                let mut tags = Vec::new();
                while let Some(key) = map.next_key::<Text<'a>>()? {
                    let value = match map.next_value::<serde_json::Value>()? {
                        serde_json::Value::String(s) => Cow::Owned(s),
                        serde_json::Value::Null => Cow::Borrowed(""),
                        other => Cow::Owned(other.to_string()),
                    };
                    tags.push((key.0, value));
                }
                Ok(Tags(tags))
            }
        }
        deserializer.deserialize_any(TagsVisitor(PhantomData))
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Span<'a> {
    #[serde(borrow)]
    trace_id: Cow<'a, str>,
    #[serde(borrow)]
    id: Cow<'a, str>,
    #[serde(borrow, default)]
    parent_id: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    name: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    kind: Option<Cow<'a, str>>,
    #[serde(default)]
    timestamp: Option<u64>,
    #[serde(default)]
    duration: Option<u64>,
    #[serde(default)]
    shared: bool,
    #[serde(borrow, default)]
    local_endpoint: Option<Endpoint<'a>>,
    #[serde(borrow, default)]
    remote_endpoint: Option<Endpoint<'a>>,
    #[serde(borrow, default, deserialize_with = "null_as_default")]
    annotations: Vec<Annotation<'a>>,
    #[serde(borrow, default)]
    tags: Tags<'a>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Endpoint<'a> {
    #[serde(borrow, default)]
    service_name: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    ipv4: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    ipv6: Option<Cow<'a, str>>,
    #[serde(default)]
    port: Option<u16>,
}

#[derive(Deserialize)]
struct Annotation<'a> {
    #[serde(default)]
    timestamp: u64,
    #[serde(borrow, default)]
    value: Cow<'a, str>,
}

/// Reads a Zipkin v2 document into `builder`.
pub fn read(bytes: &[u8], builder: &mut TraceSetBuilder) -> Result<ZipkinSummary, IngestError> {
    let document: Document = serde_json::from_slice(bytes)
        .map_err(|err| super::foreign::json_error(&err, "Zipkin v2 JSON"))?;
    let Document(spans) = document;
    let summary = ZipkinSummary { spans: spans.len() };
    add_spans(builder, &spans);
    Ok(summary)
}

/// Tags OpenTelemetry's Zipkin exporter makes of OTLP fields.
const STATUS_CODE: &str = "otel.status_code";
const STATUS_DESCRIPTION: &str = "otel.status_description";
const ERROR: &str = "error";
const SCOPE_NAMES: [&str; 2] = ["otel.scope.name", "otel.library.name"];
const SCOPE_VERSIONS: [&str; 2] = ["otel.scope.version", "otel.library.version"];

fn add_spans(builder: &mut TraceSetBuilder, spans: &[Span]) {
    let ids = Ids::of(builder, spans);
    let mut resources: HashMap<&str, u32> = HashMap::new();
    let mut scopes = Scopes::default();
    for (position, span) in spans.iter().enumerate() {
        let service = span
            .local_endpoint
            .as_ref()
            .and_then(|e| e.service_name.as_deref())
            .unwrap_or("");
        let resource = *resources.entry(service).or_insert_with(|| {
            let index = builder.begin_resource();
            let slots = builder.reserve_attributes(usize::from(!service.is_empty()));
            if let Some(slot) = slots.range().next() {
                let key = builder.strings().intern("service.name");
                let value = Value::Str(builder.strings().intern(service));
                builder.set_attribute(slot, Attribute { key, value });
            }
            builder.set_resource_attributes(index, slots, 0);
            index
        });
        add_span(builder, span, &ids, position, resource, &mut scopes);
    }
}

/// The ids each span gets: its own, or a new one for the server half of a
/// shared span; and the parent of each, following that split.
struct Ids {
    spans: Vec<SpanIds>,
}

/// One span's ids as bytes, each with its length (0: none, or unreadable).
struct SpanIds {
    trace: [u8; 16],
    trace_len: usize,
    own: [u8; 8],
    own_len: usize,
    parent: [u8; 8],
    parent_len: usize,
}

/// A server half's new id, and its client half's service (empty when the
/// same as the server's).
type Moved = ([u8; 8], String);

impl Ids {
    fn of(builder: &mut TraceSetBuilder, spans: &[Span]) -> Ids {
        let mut out = Vec::with_capacity(spans.len());
        for span in spans {
            let mut trace = [0u8; 16];
            let trace_len = id(builder, "Zipkin", &span.trace_id, IdKind::Trace, &mut trace);
            let mut own = [0u8; 16];
            let own_len = id(builder, "Zipkin", &span.id, IdKind::Span, &mut own);
            let mut parent = [0u8; 16];
            let parent_len = span.parent_id.as_deref().map_or(0, |p| {
                id(builder, "Zipkin", p, IdKind::ParentSpan, &mut parent)
            });
            out.push(SpanIds {
                trace,
                trace_len,
                own: eight(&own),
                own_len,
                parent: eight(&parent),
                parent_len,
            });
        }
        // The server halves of shared spans: a new id, the client half as
        // parent. Per (trace, shared id): the server half's new id and the
        // client half's service.
        let service_of = |span: &Span<'_>| -> String {
            span.local_endpoint
                .as_ref()
                .and_then(|e| e.service_name.as_deref())
                .unwrap_or("")
                .to_owned()
        };
        let taken: HashSet<([u8; 16], [u8; 8])> = out.iter().map(|s| (s.trace, s.own)).collect();
        let mut moved: HashMap<([u8; 16], [u8; 8]), Moved> = HashMap::new();
        // The first span that is not a server half, by (trace, id).
        let mut unshared: HashMap<([u8; 16], [u8; 8]), usize> = HashMap::new();
        for (position, (span, ids)) in spans.iter().zip(&out).enumerate() {
            if !span.shared {
                unshared.entry((ids.trace, ids.own)).or_insert(position);
            }
        }
        for (position, span) in spans.iter().enumerate() {
            if !span.shared {
                continue;
            }
            let key = out.get(position).map(|ids| (ids.trace, ids.own));
            let Some(client) = key
                .and_then(|key| unshared.get(&key))
                .and_then(|&other| spans.get(other))
            else {
                continue;
            };
            let Some(entry) = out.get_mut(position) else {
                continue;
            };
            let shared_id = entry.own;
            let mut new_id = derived_id(shared_id);
            while taken.contains(&(entry.trace, new_id)) {
                new_id = derived_id(new_id);
            }
            entry.parent = shared_id;
            entry.parent_len = 8;
            entry.own = new_id;
            let client_service = service_of(client);
            let client_service = if client_service == service_of(span) {
                String::new()
            } else {
                client_service
            };
            moved.insert((entry.trace, shared_id), (new_id, client_service));
        }
        // Children of a shared id were made on the server's side, unless
        // they are of the client's own service.
        for (position, span) in spans.iter().enumerate() {
            if let Some(entry) = out.get_mut(position)
                && !span.shared
                && entry.parent_len == 8
                && let Some((new_parent, client_service)) = moved.get(&(entry.trace, entry.parent))
                && (client_service.is_empty() || *client_service != service_of(span))
            {
                entry.parent = *new_parent;
            }
        }
        Ids { spans: out }
    }
}

fn eight(bytes: &[u8; 16]) -> [u8; 8] {
    let mut out = [0u8; 8];
    if let Some(head) = bytes.get(..8) {
        out.copy_from_slice(head);
    }
    out
}

/// Another id made from an id: bytes rotated and mixed, never zero.
fn derived_id(id: [u8; 8]) -> [u8; 8] {
    let n = u64::from_be_bytes(id).rotate_left(17) ^ 0x5a5a_0000_a5a5_0001;
    let n = if n == 0 { 1 } else { n };
    n.to_be_bytes()
}

fn add_span(
    builder: &mut TraceSetBuilder,
    span: &Span,
    ids: &Ids,
    position: usize,
    resource: u32,
    scopes: &mut Scopes,
) {
    let mut status_code = 0;
    let mut status_message = "";
    let mut scope_name = "";
    let mut scope_version = "";
    let mut kept: Vec<(&str, &str)> = Vec::with_capacity(span.tags.0.len() + 4);
    for (key, value) in &span.tags.0 {
        match key.as_ref() {
            STATUS_CODE => {
                let named = status_code_of(value);
                if named != 0 {
                    status_code = named;
                }
            }
            STATUS_DESCRIPTION => status_message = value,
            ERROR => {
                status_code = 2;
                // Zipkin's `error` tag holds the message (or is empty).
                if !value.is_empty() && value.as_ref() != "true" && status_message.is_empty() {
                    status_message = value;
                }
            }
            key if SCOPE_NAMES.contains(&key) => scope_name = value,
            key if SCOPE_VERSIONS.contains(&key) => scope_version = value,
            key => kept.push((key, value)),
        }
    }
    let remote = span.remote_endpoint.as_ref();
    let remote_service = remote.and_then(|e| e.service_name.as_deref());
    let remote_address = remote.and_then(|e| e.ipv4.as_deref().or(e.ipv6.as_deref()));
    let remote_port = remote.and_then(|e| e.port).map(|p| p.to_string());
    if let Some(service) = remote_service {
        kept.push(("peer.service", service));
    }
    if let Some(address) = remote_address {
        kept.push(("network.peer.address", address));
        kept.push(("server.address", address));
    }
    let port_text;
    if let Some(port) = remote_port {
        port_text = port;
        kept.push(("network.peer.port", &port_text));
    }
    let kind = match span.kind.as_deref().map(str::to_ascii_uppercase).as_deref() {
        Some("SERVER") => 2,
        Some("CLIENT") => 3,
        Some("PRODUCER") => 4,
        Some("CONSUMER") => 5,
        // OpenTelemetry reads a Zipkin span without a kind as internal.
        _ => 1,
    };
    let slots = builder.reserve_attributes(kept.len());
    for (slot, (key, value)) in slots.range().zip(&kept) {
        let key = builder.strings().intern(key);
        // The network port is a number in OpenTelemetry's conventions.
        let value = if builder.strings().get(key) == "network.peer.port" {
            value.parse().map_or(Value::Empty, Value::Int)
        } else {
            Value::Str(builder.strings().intern(value))
        };
        builder.set_attribute(slot, Attribute { key, value });
    }
    let events = events(builder, &span.annotations);
    let scope = scopes.get(builder, scope_name, scope_version);
    let strings = builder.strings();
    let name = strings.intern(span.name.as_deref().unwrap_or(""));
    let status_message = strings.intern(status_message);
    let start = span.timestamp.unwrap_or(0).saturating_mul(1000);
    let end = start.saturating_add(span.duration.unwrap_or(0).saturating_mul(1000));
    let Some(ids) = ids.spans.get(position) else {
        return;
    };
    builder.push_span(
        SpanRecord {
            trace_id: ids.trace.get(..ids.trace_len).unwrap_or_default(),
            span_id: ids.own.get(..ids.own_len).unwrap_or_default(),
            parent_span_id: ids.parent.get(..ids.parent_len).unwrap_or_default(),
            name,
            kind,
            start_unix_nanos: start,
            end_unix_nanos: end,
            status_code,
            status_message,
            attributes: slots,
            events,
            links: Slice::default(),
            trace_state: StrId::EMPTY,
            flags: 0,
            dropped_attributes_count: 0,
            dropped_events_count: 0,
            dropped_links_count: 0,
        },
        resource,
        scope,
    );
}

/// Annotations as events. OpenTelemetry's Zipkin exporter writes an event
/// with attributes as a JSON object in the value (`{"name": {attributes}}`):
/// it is unpacked.
fn events(builder: &mut TraceSetBuilder, annotations: &[Annotation]) -> Slice {
    let start = builder.event_count();
    for annotation in annotations {
        let unpacked = unpack_event(&annotation.value);
        let (name, attributes) = match &unpacked {
            Some((name, attributes)) => (name.as_str(), attributes.as_slice()),
            None => (annotation.value.as_ref(), &[][..]),
        };
        let slots = builder.reserve_attributes(attributes.len());
        for (slot, (key, value)) in slots.range().zip(attributes) {
            let key = builder.strings().intern(key);
            let value = match value {
                serde_json::Value::String(s) => Value::Str(builder.strings().intern(s)),
                serde_json::Value::Bool(b) => Value::Bool(*b),
                serde_json::Value::Number(n) => n
                    .as_i64()
                    .map(Value::Int)
                    .or_else(|| n.as_f64().map(Value::Double))
                    .unwrap_or(Value::Empty),
                other => Value::Str(builder.strings().intern(&other.to_string())),
            };
            builder.set_attribute(slot, Attribute { key, value });
        }
        let name = builder.strings().intern(name);
        builder.push_event(Event {
            time_unix_nanos: annotation.timestamp.saturating_mul(1000),
            name,
            attributes: slots,
            dropped_attributes_count: 0,
        });
    }
    Slice::between(start, builder.event_count())
}

/// `{"name": {"key": value, …}}` as the event's name and attributes.
fn unpack_event(value: &str) -> Option<(String, Vec<(String, serde_json::Value)>)> {
    if !value.trim_start().starts_with('{') {
        return None;
    }
    let serde_json::Value::Object(outer) = serde_json::from_str(value).ok()? else {
        return None;
    };
    let mut entries = outer.into_iter();
    let (name, inner) = entries.next()?;
    if entries.next().is_some() {
        return None;
    }
    let serde_json::Value::Object(attributes) = inner else {
        return None;
    };
    Some((name, attributes.into_iter().collect()))
}
