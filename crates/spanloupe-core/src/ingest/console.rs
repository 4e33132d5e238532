//! What the OpenTelemetry Python SDK's `ConsoleSpanExporter` and
//! `ConsoleLogRecordExporter` print, as found in a CI log: pretty-printed
//! JSON objects (each opened by a `{` line and closed by a `}` line) among
//! the run's other output. Ids are `0x…` hex, times ISO 8601, the span kind
//! and status code are Python names (`SpanKind.CLIENT`, `ERROR`). Spans
//! print as they end, children before parents: the model orders them.
//!
//! Lines outside the objects are skipped and counted in one warning; an
//! object that is neither a span nor a log record is skipped with another.

use serde_json::{Map, Value as Json};

use super::IngestError;
use super::foreign::push_link;
use crate::model::{
    Attribute, Event, LogRecord, Slice, SpanId, SpanKind, SpanRecord, StrId, TraceId,
    TraceSetBuilder, Value, WarningKind,
};

/// What one console log held.
#[derive(Debug, Default)]
pub struct ConsoleSummary {
    pub spans: usize,
    pub logs: usize,
    pub skipped_lines: usize,
    pub skipped_objects: usize,
}

/// Whether text looks like console exporter output: the pretty-printed
/// `"trace_id": "0x` only the Python SDK's console exporters write.
pub fn looks_like_console(bytes: &[u8]) -> bool {
    memchr::memmem::find(bytes, b"\"trace_id\": \"0x").is_some()
}

pub fn read(bytes: &[u8], builder: &mut TraceSetBuilder) -> Result<ConsoleSummary, IngestError> {
    let text = String::from_utf8_lossy(bytes);
    let mut summary = ConsoleSummary::default();
    let mut inside = false;
    let mut resources: Vec<(Json, u32)> = Vec::new();
    // The exporters print no instrumentation scope.
    let scope = super::foreign::Scopes::default().get(builder, "", "");
    // The object being read, its lines without their CI prefixes.
    let mut chunk = String::new();
    for line in text.split_inclusive('\n') {
        let line = without_timestamp(line);
        let bare = line.trim_end();
        match inside {
            false if bare == "{" => {
                inside = true;
                chunk.clear();
                chunk.push_str(line);
            }
            false => summary.skipped_lines += usize::from(!bare.is_empty()),
            true if bare == "}" => {
                inside = false;
                chunk.push_str(line);
                match serde_json::from_str::<Map<String, Json>>(&chunk) {
                    Ok(map) if map.contains_key("context") && map.contains_key("name") => {
                        let resource = resource_of(builder, &mut resources, map.get("resource"));
                        add_span(builder, &map, resource, scope);
                        summary.spans += 1;
                    }
                    Ok(map) if map.contains_key("body") || map.contains_key("severity_number") => {
                        let resource = resource_of(builder, &mut resources, map.get("resource"));
                        add_log(builder, &map, resource, scope);
                        summary.logs += 1;
                    }
                    _ => summary.skipped_objects += 1,
                }
            }
            true => chunk.push_str(line),
        }
    }
    // An object cut off at the end of the log.
    if inside {
        summary.skipped_lines += chunk.lines().count();
    }
    if summary.spans == 0 && summary.logs == 0 {
        return Err(IngestError::NoData(
            "the text mentions console exporter ids but holds no span or log record object"
                .to_owned(),
        ));
    }
    super::foreign::warn_skipped_lines(builder, summary.skipped_lines);
    if summary.skipped_objects > 0 {
        builder.warn(
            WarningKind::SkippedText,
            format!(
                "{} that {} neither a span nor a log record skipped",
                crate::format::count(summary.skipped_objects, "JSON object", "JSON objects"),
                if summary.skipped_objects == 1 {
                    "is"
                } else {
                    "are"
                }
            ),
        );
    }
    Ok(summary)
}

/// A line without the timestamp a CI runner puts before each line of a
/// job's log (GitHub Actions: `2026-12-05T16:59:37.1234567Z `). A span
/// object's own lines never start with a digit, so this takes nothing else.
fn without_timestamp(line: &str) -> &str {
    let Some((token, rest)) = line.split_once(' ') else {
        return line;
    };
    let looks_like_time = token.len() >= 10
        && token.as_bytes().first().is_some_and(u8::is_ascii_digit)
        && token.contains('T')
        && token
            .bytes()
            .all(|b| b.is_ascii_digit() || b"-:.TZ+".contains(&b));
    if looks_like_time { rest } else { line }
}

/// Each distinct `resource` object once (every span repeats it).
fn resource_of(
    builder: &mut TraceSetBuilder,
    known: &mut Vec<(Json, u32)>,
    resource: Option<&Json>,
) -> u32 {
    let resource = resource.cloned().unwrap_or(Json::Null);
    if let Some((_, index)) = known.iter().find(|(seen, _)| *seen == resource) {
        return *index;
    }
    let index = builder.begin_resource();
    let attributes = attributes(builder, resource.get("attributes"));
    builder.set_resource_attributes(index, attributes, 0);
    let schema_url = resource
        .get("schema_url")
        .and_then(Json::as_str)
        .unwrap_or("");
    let schema_url = builder.strings().intern(schema_url);
    if let Some(slot) = builder.resource_mut(index) {
        slot.schema_url = schema_url;
    }
    known.push((resource, index));
    index
}

fn text<'a>(map: &'a Map<String, Json>, key: &str) -> &'a str {
    map.get(key).and_then(Json::as_str).unwrap_or("")
}

/// `0x…` hex into bytes; empty when absent or unreadable.
fn hex_id(text: &str, out: &mut [u8; 16]) -> usize {
    let hex = text.strip_prefix("0x").unwrap_or(text);
    let len = hex.len() / 2;
    if !hex.len().is_multiple_of(2) || len > 16 {
        return 0;
    }
    for (i, slot) in out.iter_mut().take(len).enumerate() {
        match hex
            .get(2 * i..2 * i + 2)
            .and_then(|pair| u8::from_str_radix(pair, 16).ok())
        {
            Some(byte) => *slot = byte,
            None => return 0,
        }
    }
    len
}

fn time(map: &Map<String, Json>, key: &str) -> u64 {
    super::time::rfc3339_nanos(text(map, key)).unwrap_or(0)
}

fn add_span(builder: &mut TraceSetBuilder, span: &Map<String, Json>, resource: u32, scope: u32) {
    let context = span.get("context").and_then(Json::as_object);
    let context_text = |key| context.map_or("", |c| text(c, key));
    let (mut trace_id, mut span_id, mut parent_id) = ([0u8; 16], [0u8; 16], [0u8; 16]);
    let trace_len = hex_id(context_text("trace_id"), &mut trace_id);
    let span_len = hex_id(context_text("span_id"), &mut span_id);
    let parent_len = hex_id(text(span, "parent_id"), &mut parent_id);
    let kind = SpanKind::from_label(text(span, "kind").trim_start_matches("SpanKind.")) as i32;
    let status = span.get("status").and_then(Json::as_object);
    let status_code = super::foreign::status_code(status.map_or("", |s| text(s, "status_code")));
    let attributes = attributes(builder, span.get("attributes"));
    let events = events(builder, span.get("events"));
    let links = links(builder, span.get("links"));
    let strings = builder.strings();
    let name = strings.intern(text(span, "name"));
    let status_message = strings.intern(status.map_or("", |s| text(s, "description")));
    // `trace_state` prints as a Python list (`"[]"`), not W3C text.
    builder.push_span(
        SpanRecord {
            trace_id: trace_id.get(..trace_len).unwrap_or_default(),
            span_id: span_id.get(..span_len).unwrap_or_default(),
            parent_span_id: parent_id.get(..parent_len).unwrap_or_default(),
            name,
            kind,
            start_unix_nanos: time(span, "start_time"),
            end_unix_nanos: time(span, "end_time"),
            status_code,
            status_message,
            attributes,
            events,
            links,
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

fn add_log(builder: &mut TraceSetBuilder, log: &Map<String, Json>, resource: u32, scope: u32) {
    let (mut trace_id, mut span_id) = ([0u8; 16], [0u8; 16]);
    let trace_len = hex_id(text(log, "trace_id"), &mut trace_id);
    let span_len = hex_id(text(log, "span_id"), &mut span_id);
    let severity_number = match log.get("severity_number") {
        Some(Json::Number(n)) => n.as_i64().and_then(|n| i32::try_from(n).ok()).unwrap_or(0),
        _ => 0,
    };
    let attributes = attributes(builder, log.get("attributes"));
    let body = log
        .get("body")
        .map_or(Value::Empty, |body| value(builder, body));
    let strings = builder.strings();
    let severity_text = strings.intern(text(log, "severity_text"));
    let event_name = strings.intern(text(log, "event_name"));
    let flags = log
        .get("trace_flags")
        .and_then(Json::as_u64)
        .and_then(|f| u32::try_from(f).ok())
        .unwrap_or(0);
    builder.push_log(LogRecord {
        time_unix_nanos: time(log, "timestamp"),
        observed_time_unix_nanos: time(log, "observed_timestamp"),
        severity_number,
        severity_text,
        body,
        attributes,
        dropped_attributes_count: 0,
        flags,
        trace_id: TraceId::from_bytes(trace_id.get(..trace_len).unwrap_or_default())
            .unwrap_or_default(),
        span_id: SpanId::from_bytes(span_id.get(..span_len).unwrap_or_default())
            .unwrap_or_default(),
        event_name,
        resource,
        scope,
        span: None,
    });
}

fn attributes(builder: &mut TraceSetBuilder, attributes: Option<&Json>) -> Slice {
    let Some(map) = attributes.and_then(Json::as_object) else {
        return Slice::default();
    };
    let slots = builder.reserve_attributes(map.len());
    for (slot, (key, json)) in slots.range().zip(map) {
        let key = builder.strings().intern(key);
        let value = value(builder, json);
        builder.set_attribute(slot, Attribute { key, value });
    }
    slots
}

/// A printed value: Python's `str`, `int`, `float`, `bool`, sequences; a
/// map (a log body) as a key-value list.
fn value(builder: &mut TraceSetBuilder, json: &Json) -> Value {
    match json {
        Json::Null => Value::Empty,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => n
            .as_i64()
            .map(Value::Int)
            .or_else(|| n.as_f64().map(Value::Double))
            .unwrap_or(Value::Empty),
        Json::String(s) => Value::Str(builder.strings().intern(s)),
        Json::Array(items) => {
            let slots = builder.reserve_values(items.len());
            for (slot, item) in slots.range().zip(items) {
                let item = value(builder, item);
                builder.set_value(slot, item);
            }
            Value::Array(slots)
        }
        Json::Object(_) => Value::KvList(attributes(builder, Some(json))),
    }
}

fn events(builder: &mut TraceSetBuilder, events: Option<&Json>) -> Slice {
    let start = builder.event_count();
    for event in events.and_then(Json::as_array).into_iter().flatten() {
        let Some(event) = event.as_object() else {
            continue;
        };
        let attributes = attributes(builder, event.get("attributes"));
        let name = builder.strings().intern(text(event, "name"));
        builder.push_event(Event {
            time_unix_nanos: time(event, "timestamp"),
            name,
            attributes,
            dropped_attributes_count: 0,
        });
    }
    Slice::between(start, builder.event_count())
}

fn links(builder: &mut TraceSetBuilder, links: Option<&Json>) -> Slice {
    let start = builder.link_count();
    for link in links.and_then(Json::as_array).into_iter().flatten() {
        let Some(link) = link.as_object() else {
            continue;
        };
        let context = link.get("context").and_then(Json::as_object);
        let context_text = |key| context.map_or("", |c| text(c, key));
        let (mut trace_id, mut span_id) = ([0u8; 16], [0u8; 16]);
        let trace_len = hex_id(context_text("trace_id"), &mut trace_id);
        let span_len = hex_id(context_text("span_id"), &mut span_id);
        let attributes = attributes(builder, link.get("attributes"));
        push_link(
            builder,
            trace_id.get(..trace_len).unwrap_or_default(),
            span_id.get(..span_len).unwrap_or_default(),
            attributes,
        );
    }
    Slice::between(start, builder.link_count())
}
