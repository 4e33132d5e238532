//! Writes wire messages as OTLP JSON, as the collector's exporters do:
//! lowerCamelCase keys, hex ids, 64-bit integers as strings, enums as numbers.

use std::fmt::Write as _;

use spanloupe_core::wire::common::any_value::Value as WireValue;
use spanloupe_core::wire::{AnyValue, ExportTraceServiceRequest, KeyValue, Span};

/// The whole request as one JSON document.
pub fn to_otlp_json(request: &ExportTraceServiceRequest) -> String {
    let mut out = String::with_capacity(1 << 20);
    out.push_str("{\"resourceSpans\":[");
    for (i, batch) in request.resource_spans.iter().enumerate() {
        comma(&mut out, i);
        out.push_str("{\"resource\":{\"attributes\":");
        attributes(
            &mut out,
            batch.resource.as_ref().map_or(&[][..], |r| &r.attributes),
        );
        out.push_str("},\"scopeSpans\":[");
        for (j, scope_spans) in batch.scope_spans.iter().enumerate() {
            comma(&mut out, j);
            out.push_str("{\"scope\":{");
            if let Some(scope) = &scope_spans.scope {
                let _ = write!(
                    out,
                    "\"name\":{},\"version\":{}",
                    quote(&scope.name),
                    quote(&scope.version)
                );
            }
            out.push_str("},\"spans\":[");
            for (k, span) in scope_spans.spans.iter().enumerate() {
                comma(&mut out, k);
                write_span(&mut out, span);
            }
            out.push_str("]}");
        }
        let _ = write!(out, "],\"schemaUrl\":{}}}", quote(&batch.schema_url));
    }
    out.push_str("]}");
    out
}

fn write_span(out: &mut String, span: &Span) {
    let _ = write!(
        out,
        "{{\"traceId\":\"{}\",\"spanId\":\"{}\",\"parentSpanId\":\"{}\",\"flags\":{},\"name\":{},\"kind\":{},\"startTimeUnixNano\":\"{}\",\"endTimeUnixNano\":\"{}\",\"attributes\":",
        hex(&span.trace_id),
        hex(&span.span_id),
        hex(&span.parent_span_id),
        span.flags,
        quote(&span.name),
        span.kind,
        span.start_time_unix_nano,
        span.end_time_unix_nano
    );
    attributes(out, &span.attributes);
    out.push_str(",\"events\":[");
    for (i, event) in span.events.iter().enumerate() {
        comma(out, i);
        let _ = write!(
            out,
            "{{\"timeUnixNano\":\"{}\",\"name\":{},\"attributes\":",
            event.time_unix_nano,
            quote(&event.name)
        );
        attributes(out, &event.attributes);
        out.push('}');
    }
    out.push_str("],\"links\":[");
    for (i, link) in span.links.iter().enumerate() {
        comma(out, i);
        let _ = write!(
            out,
            "{{\"traceId\":\"{}\",\"spanId\":\"{}\",\"attributes\":",
            hex(&link.trace_id),
            hex(&link.span_id)
        );
        attributes(out, &link.attributes);
        out.push('}');
    }
    out.push_str("],\"status\":{");
    if let Some(status) = &span.status {
        let _ = write!(
            out,
            "\"code\":{},\"message\":{}",
            status.code,
            quote(&status.message)
        );
    }
    out.push_str("}}");
}

fn attributes(out: &mut String, pairs: &[KeyValue]) {
    out.push('[');
    for (i, pair) in pairs.iter().enumerate() {
        comma(out, i);
        let _ = write!(out, "{{\"key\":{},\"value\":", quote(&pair.key));
        any_value(out, pair.value.as_ref());
        out.push('}');
    }
    out.push(']');
}

fn any_value(out: &mut String, value: Option<&AnyValue>) {
    let Some(value) = value.and_then(|v| v.value.as_ref()) else {
        out.push_str("{}");
        return;
    };
    let _ = match value {
        WireValue::StringValue(s) => write!(out, "{{\"stringValue\":{}}}", quote(s)),
        WireValue::BoolValue(b) => write!(out, "{{\"boolValue\":{b}}}"),
        WireValue::IntValue(i) => write!(out, "{{\"intValue\":\"{i}\"}}"),
        WireValue::DoubleValue(d) => write!(out, "{{\"doubleValue\":{d}}}"),
        WireValue::BytesValue(_) => write!(out, "{{\"bytesValue\":\"\"}}"),
        WireValue::ArrayValue(array) => {
            out.push_str("{\"arrayValue\":{\"values\":[");
            for (i, element) in array.values.iter().enumerate() {
                comma(out, i);
                any_value(out, Some(element));
            }
            write!(out, "]}}}}")
        }
        WireValue::KvlistValue(list) => {
            out.push_str("{\"kvlistValue\":{\"values\":");
            attributes(out, &list.values);
            write!(out, "}}}}")
        }
    };
}

pub(crate) fn comma(out: &mut String, index: usize) {
    if index > 0 {
        out.push(',');
    }
}

pub(crate) fn quote(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_owned())
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
