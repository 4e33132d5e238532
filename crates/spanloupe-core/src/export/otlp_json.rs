//! The model as OTLP JSON, following the OTLP/JSON rules: lowerCamelCase keys,
//! hex ids, 64-bit integers as decimal strings, enums as numbers.

use serde_json::{Map, Value as Json, json};

use crate::model::{Attribute, SpanIdx, TraceSet, Value};

/// One span as an OTLP JSON object, with its events, links and status, as it
/// would appear in `resourceSpans[].scopeSpans[].spans[]`.
pub fn span_json(set: &TraceSet, idx: SpanIdx) -> Json {
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
        attributes_json(set, set.attributes(span.attributes)),
    );
    if span.dropped_attributes_count > 0 {
        out.insert(
            "droppedAttributesCount".into(),
            json!(span.dropped_attributes_count),
        );
    }
    let events: Vec<Json> = set
        .events(span.events)
        .iter()
        .map(|event| {
            json!({
                "timeUnixNano": event.time_unix_nanos.to_string(),
                "name": set.str(event.name),
                "attributes": attributes_json(set, set.attributes(event.attributes)),
            })
        })
        .collect();
    if !events.is_empty() {
        out.insert("events".into(), Json::Array(events));
    }
    if span.dropped_events_count > 0 {
        out.insert(
            "droppedEventsCount".into(),
            json!(span.dropped_events_count),
        );
    }
    let links: Vec<Json> = set
        .links(span.links)
        .iter()
        .map(|link| {
            json!({
                "traceId": link.trace_id.to_string(),
                "spanId": link.span_id.to_string(),
                "attributes": attributes_json(set, set.attributes(link.attributes)),
            })
        })
        .collect();
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
    Json::Array(
        attributes
            .iter()
            .map(|a| json!({ "key": set.str(a.key), "value": any_value_json(set, a.value) }))
            .collect(),
    )
}

/// A value as an OTLP JSON `AnyValue` object.
pub fn any_value_json(set: &TraceSet, value: Value) -> Json {
    match value {
        Value::Empty => json!({}),
        Value::Str(id) => json!({ "stringValue": set.str(id) }),
        Value::Bool(b) => json!({ "boolValue": b }),
        Value::Int(i) => json!({ "intValue": i.to_string() }),
        Value::Double(d) if d.is_finite() => json!({ "doubleValue": d }),
        Value::Double(d) => {
            json!({ "doubleValue": if d.is_nan() { "NaN" } else if d > 0.0 { "Infinity" } else { "-Infinity" } })
        }
        Value::Bytes(slice) => {
            use base64::Engine as _;
            json!({ "bytesValue": base64::engine::general_purpose::STANDARD.encode(set.bytes(slice)) })
        }
        Value::Array(slice) => {
            let values: Vec<Json> = set
                .values(slice)
                .iter()
                .map(|v| any_value_json(set, *v))
                .collect();
            json!({ "arrayValue": { "values": values } })
        }
        Value::KvList(slice) => {
            json!({ "kvlistValue": { "values": attributes_json(set, set.attributes(slice)) } })
        }
    }
}

/// A value as plain JSON, the way a user reads it: strings, numbers,
/// booleans, arrays and objects (bytes as hex). For "copy value".
pub fn plain_value_json(set: &TraceSet, value: Value) -> Json {
    match value {
        Value::Empty => Json::Null,
        Value::Str(id) => json!(set.str(id)),
        Value::Bool(b) => json!(b),
        Value::Int(i) => json!(i),
        Value::Double(d) => {
            serde_json::Number::from_f64(d).map_or_else(|| json!(d.to_string()), Json::Number)
        }
        Value::Bytes(slice) => json!(
            set.bytes(slice)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
        ),
        Value::Array(slice) => Json::Array(
            set.values(slice)
                .iter()
                .map(|v| plain_value_json(set, *v))
                .collect(),
        ),
        Value::KvList(slice) => Json::Object(
            set.attributes(slice)
                .iter()
                .map(|a| (set.str(a.key).to_owned(), plain_value_json(set, a.value)))
                .collect(),
        ),
    }
}
