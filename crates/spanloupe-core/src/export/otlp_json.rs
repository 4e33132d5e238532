//! The model as OTLP JSON, following the OTLP/JSON rules: lowerCamelCase keys,
//! hex ids, 64-bit integers as decimal strings, enums as numbers.

use serde_json::{Map, Value as Json, json};

use crate::model::{Attribute, SpanIdx, TraceSet, Value};

/// How string and bytes values are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Values {
    Whole,
    /// Strings beyond this many characters (bytes beyond this many bytes)
    /// are cut, and say how long they are: JSON for reading, not for use.
    CutAt(usize),
}

/// One span as an OTLP JSON object, with its events, links and status, as it
/// would appear in `resourceSpans[].scopeSpans[].spans[]`.
pub fn span_json(set: &TraceSet, idx: SpanIdx) -> Json {
    span_json_with(set, idx, Values::Whole)
}

/// `span_json` for reading on screen: a string longer than `max_chars` shows
/// its start and its length, so a span with a 10 MB prompt costs what a
/// small one does. Not valid OTLP for such values: copy `span_json`.
pub fn span_json_cut(set: &TraceSet, idx: SpanIdx, max_chars: usize) -> Json {
    span_json_with(set, idx, Values::CutAt(max_chars))
}

fn span_json_with(set: &TraceSet, idx: SpanIdx, values: Values) -> Json {
    let Some(span) = set.span(idx) else {
        return Json::Null;
    };
    let mut out = Map::new();
    out.insert("traceId".into(), json!(span.trace_id.to_string()));
    out.insert("spanId".into(), json!(span.span_id.to_string()));
    if !span.parent_span_id.is_zero() {
        out.insert(
            "parentSpanId".into(),
            json!(span.parent_span_id.to_string()),
        );
    }
    if !span.trace_state.is_empty() {
        out.insert("traceState".into(), json!(set.str(span.trace_state)));
    }
    if span.flags != 0 {
        out.insert("flags".into(), json!(span.flags));
    }
    out.insert("name".into(), json!(set.str(span.name)));
    out.insert("kind".into(), json!(span.kind as i32));
    out.insert(
        "startTimeUnixNano".into(),
        json!(span.start_unix_nanos.to_string()),
    );
    out.insert(
        "endTimeUnixNano".into(),
        json!(span.end_unix_nanos.to_string()),
    );
    out.insert(
        "attributes".into(),
        attributes_json_with(set, set.attributes(span.attributes), values),
    );
    if span.dropped_attributes_count > 0 {
        out.insert(
            "droppedAttributesCount".into(),
            json!(span.dropped_attributes_count),
        );
    }
    let (events, events_left_out) = shown(set.events(span.events), values);
    let mut events: Vec<Json> = events
        .iter()
        .map(|event| {
            json!({
                "timeUnixNano": event.time_unix_nanos.to_string(),
                "name": set.str(event.name),
                "attributes": attributes_json_with(set, set.attributes(event.attributes), values),
            })
        })
        .collect();
    if events_left_out > 0 {
        events.push(json!({ "name": more(events_left_out, "event", "events") }));
    }
    if !events.is_empty() {
        out.insert("events".into(), Json::Array(events));
    }
    if span.dropped_events_count > 0 {
        out.insert(
            "droppedEventsCount".into(),
            json!(span.dropped_events_count),
        );
    }
    let (links, links_left_out) = shown(set.links(span.links), values);
    let mut links: Vec<Json> = links
        .iter()
        .map(|link| {
            json!({
                "traceId": link.trace_id.to_string(),
                "spanId": link.span_id.to_string(),
                "attributes": attributes_json_with(set, set.attributes(link.attributes), values),
            })
        })
        .collect();
    if links_left_out > 0 {
        links.push(json!({ "traceId": more(links_left_out, "link", "links") }));
    }
    if !links.is_empty() {
        out.insert("links".into(), Json::Array(links));
    }
    if span.dropped_links_count > 0 {
        out.insert("droppedLinksCount".into(), json!(span.dropped_links_count));
    }
    let mut status = Map::new();
    if !span.status_message.is_empty() {
        status.insert("message".into(), json!(set.str(span.status_message)));
    }
    if span.status_code != crate::model::StatusCode::Unset {
        status.insert("code".into(), json!(span.status_code as i32));
    }
    out.insert("status".into(), Json::Object(status));
    Json::Object(out)
}

/// A list of key-values as OTLP JSON `[{"key": …, "value": {…}}]`.
pub fn attributes_json(set: &TraceSet, attributes: &[Attribute]) -> Json {
    attributes_json_with(set, attributes, Values::Whole)
}

/// Lists are cut at this many items when values are cut: a span with a
/// million attributes must not be a million lines to lay out.
pub const MAX_CUT_ITEMS: usize = 200;

/// The items of `list` to write: all of them, or the first
/// [`MAX_CUT_ITEMS`] when `values` cuts, and how many are left out.
fn shown<T>(list: &[T], values: Values) -> (&[T], usize) {
    match values {
        Values::CutAt(_) if list.len() > MAX_CUT_ITEMS => (
            list.get(..MAX_CUT_ITEMS).unwrap_or(list),
            list.len() - MAX_CUT_ITEMS,
        ),
        _ => (list, 0),
    }
}

/// What stands for the items of a list left out.
fn more(left_out: usize, one: &str, many: &str) -> String {
    format!(
        "… {} left out: Copy JSON for all",
        crate::format::count(left_out, one, many)
    )
}

fn attributes_json_with(set: &TraceSet, attributes: &[Attribute], values: Values) -> Json {
    let (attributes, left_out) = shown(attributes, values);
    let mut list: Vec<Json> = attributes
        .iter()
        .map(|a| json!({ "key": set.str(a.key), "value": any_value_json_with(set, a.value, values) }))
        .collect();
    if left_out > 0 {
        list.push(json!({ "key": "…", "value": { "stringValue": more(left_out, "attribute", "attributes") } }));
    }
    Json::Array(list)
}

/// A value as an OTLP JSON `AnyValue` object.
pub fn any_value_json(set: &TraceSet, value: Value) -> Json {
    any_value_json_with(set, value, Values::Whole)
}

fn any_value_json_with(set: &TraceSet, value: Value, values: Values) -> Json {
    match value {
        Value::Empty => json!({}),
        Value::Str(id) => json!({ "stringValue": cut_text(set.str(id), values) }),
        Value::Bool(b) => json!({ "boolValue": b }),
        Value::Int(i) => json!({ "intValue": i.to_string() }),
        Value::Double(d) if d.is_finite() => json!({ "doubleValue": d }),
        Value::Double(d) => {
            json!({ "doubleValue": if d.is_nan() { "NaN" } else if d > 0.0 { "Infinity" } else { "-Infinity" } })
        }
        Value::Bytes(slice) => {
            use base64::Engine as _;
            let bytes = set.bytes(slice);
            let shown = match values {
                Values::CutAt(max) if bytes.len() > max => bytes.get(..max).unwrap_or(bytes),
                _ => bytes,
            };
            let mut text = base64::engine::general_purpose::STANDARD.encode(shown);
            if shown.len() < bytes.len() {
                text.push_str(&format!("… ({} bytes in all)", bytes.len()));
            }
            json!({ "bytesValue": text })
        }
        Value::Array(slice) => {
            let (items, left_out) = shown(set.values(slice), values);
            let mut items: Vec<Json> = items
                .iter()
                .map(|v| any_value_json_with(set, *v, values))
                .collect();
            if left_out > 0 {
                items.push(json!({ "stringValue": more(left_out, "value", "values") }));
            }
            json!({ "arrayValue": { "values": items } })
        }
        Value::KvList(slice) => {
            json!({ "kvlistValue": { "values": attributes_json_with(set, set.attributes(slice), values) } })
        }
    }
}

/// `text`, or its first characters and its length when `values` cuts it.
fn cut_text(text: &str, values: Values) -> std::borrow::Cow<'_, str> {
    let Values::CutAt(max) = values else {
        return text.into();
    };
    // A string of `max` bytes or fewer has at most `max` characters.
    if text.len() <= max {
        return text.into();
    }
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!(
            "{}… ({} characters in all)",
            &text[..cut],
            text.chars().count()
        )
        .into(),
        None => text.into(),
    }
}
