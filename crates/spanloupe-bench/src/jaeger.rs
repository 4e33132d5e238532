//! Writes wire messages as Jaeger JSON, as Jaeger UI downloads a trace
//! (`{"data": [{"traceID", "spans", "processes"}]}`): the same generated
//! traces in both formats, so that their loads compare per span.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use spanloupe_core::wire::common::any_value::Value as WireValue;
use spanloupe_core::wire::{ExportTraceServiceRequest, KeyValue, Span};

use crate::json::{comma, hex, quote};

/// The whole request as one Jaeger document, a trace per trace id.
pub fn to_jaeger_json(request: &ExportTraceServiceRequest) -> String {
    // Per trace: its spans with the index of their process (resource).
    let mut traces: BTreeMap<&[u8], Vec<(&Span, usize, &str)>> = BTreeMap::new();
    let mut processes: Vec<&[KeyValue]> = Vec::new();
    for batch in &request.resource_spans {
        let process = processes.len();
        processes.push(batch.resource.as_ref().map_or(&[][..], |r| &r.attributes));
        for scope_spans in &batch.scope_spans {
            let scope = scope_spans.scope.as_ref().map_or("", |s| s.name.as_str());
            for span in &scope_spans.spans {
                traces
                    .entry(&span.trace_id)
                    .or_default()
                    .push((span, process, scope));
            }
        }
    }
    let mut out = String::with_capacity(1 << 20);
    out.push_str("{\"data\":[");
    for (i, (trace_id, spans)) in traces.iter().enumerate() {
        comma(&mut out, i);
        let _ = write!(out, "{{\"traceID\":\"{}\",\"spans\":[", hex(trace_id));
        for (j, (span, process, scope)) in spans.iter().enumerate() {
            comma(&mut out, j);
            write_span(&mut out, span, *process, scope);
        }
        out.push_str("],\"processes\":{");
        let used: std::collections::BTreeSet<usize> = spans.iter().map(|(_, p, _)| *p).collect();
        for (j, process) in used.into_iter().enumerate() {
            comma(&mut out, j);
            let attributes = processes.get(process).copied().unwrap_or_default();
            let service = attributes
                .iter()
                .find(|kv| kv.key == "service.name")
                .and_then(
                    |kv| match kv.value.as_ref().and_then(|v| v.value.as_ref()) {
                        Some(WireValue::StringValue(s)) => Some(s.as_str()),
                        _ => None,
                    },
                )
                .unwrap_or("");
            let _ = write!(
                out,
                "\"p{process}\":{{\"serviceName\":{},\"tags\":",
                quote(service)
            );
            let others: Vec<&KeyValue> = attributes
                .iter()
                .filter(|kv| kv.key != "service.name")
                .collect();
            tags(&mut out, &others);
            out.push('}');
        }
        out.push_str("},\"warnings\":null}");
    }
    out.push_str("],\"total\":0,\"limit\":0,\"offset\":0,\"errors\":null}");
    out
}

fn write_span(out: &mut String, span: &Span, process: usize, scope: &str) {
    let _ = write!(
        out,
        "{{\"traceID\":\"{}\",\"spanID\":\"{}\",\"flags\":1,\"operationName\":{},\"references\":[",
        hex(&span.trace_id),
        hex(&span.span_id),
        quote(&span.name)
    );
    if !span.parent_span_id.is_empty() {
        let _ = write!(
            out,
            "{{\"refType\":\"CHILD_OF\",\"traceID\":\"{}\",\"spanID\":\"{}\"}}",
            hex(&span.trace_id),
            hex(&span.parent_span_id)
        );
    }
    let _ = write!(
        out,
        "],\"startTime\":{},\"duration\":{},\"tags\":",
        span.start_time_unix_nano / 1000,
        span.end_time_unix_nano
            .saturating_sub(span.start_time_unix_nano)
            / 1000
    );
    let mut all: Vec<KeyValue> = span.attributes.clone();
    let kind = spanloupe_core::model::SpanKind::from_number(span.kind).label();
    all.push(crate::kv_str("otel.scope.name", scope));
    all.push(crate::kv_str("span.kind", kind));
    if let Some(status) = &span.status
        && status.code == 2
    {
        all.push(crate::kv_str("otel.status_code", "ERROR"));
        all.push(crate::kv("error", WireValue::BoolValue(true)));
    }
    let refs: Vec<&KeyValue> = all.iter().collect();
    tags(out, &refs);
    out.push_str(",\"logs\":[");
    for (i, event) in span.events.iter().enumerate() {
        comma(out, i);
        let _ = write!(
            out,
            "{{\"timestamp\":{},\"fields\":",
            event.time_unix_nano / 1000
        );
        let mut fields: Vec<KeyValue> = vec![crate::kv_str("event", &event.name)];
        fields.extend(event.attributes.iter().cloned());
        let refs: Vec<&KeyValue> = fields.iter().collect();
        tags(out, &refs);
        out.push('}');
    }
    let _ = write!(out, "],\"processID\":\"p{process}\",\"warnings\":null}}");
}

fn tags(out: &mut String, pairs: &[&KeyValue]) {
    out.push('[');
    for (i, pair) in pairs.iter().enumerate() {
        comma(out, i);
        let _ = write!(out, "{{\"key\":{},", quote(&pair.key));
        let _ = match pair.value.as_ref().and_then(|v| v.value.as_ref()) {
            Some(WireValue::StringValue(s)) => {
                write!(out, "\"type\":\"string\",\"value\":{}}}", quote(s))
            }
            Some(WireValue::BoolValue(b)) => write!(out, "\"type\":\"bool\",\"value\":{b}}}"),
            Some(WireValue::IntValue(n)) => write!(out, "\"type\":\"int64\",\"value\":{n}}}"),
            Some(WireValue::DoubleValue(d)) => write!(out, "\"type\":\"float64\",\"value\":{d}}}"),
            // Jaeger writes what it has no type for as a string.
            _ => write!(out, "\"type\":\"string\",\"value\":\"\"}}"),
        };
    }
    out.push(']');
}
