//! Decoded OTLP messages (`wire`, owned structs prost filled) into the
//! model, through the builder's record-level API: the ids, times and
//! warnings are checked there, once for every format.

use crate::model::LogRecord;
use crate::model::{
    Attribute, Event, LinkRecord, Scope, Slice, SpanId, SpanRecord, StrId, TraceId,
    TraceSetBuilder, Value,
};
use crate::wire;

/// Adds the spans of one traces request.
pub fn add_resource_spans(builder: &mut TraceSetBuilder, batches: Vec<wire::ResourceSpans>) {
    for batch in batches {
        let resource = add_resource(builder, batch.resource, &batch.schema_url);
        let scopes = batch
            .scope_spans
            .into_iter()
            .chain(batch.instrumentation_library_spans);
        for scope_spans in scopes {
            let scope = add_scope(builder, scope_spans.scope, &scope_spans.schema_url);
            for span in scope_spans.spans {
                add_span(builder, span, resource, scope);
            }
        }
    }
}

/// Adds the records of one logs request.
pub fn add_resource_logs(builder: &mut TraceSetBuilder, batches: Vec<wire::ResourceLogs>) {
    for batch in batches {
        let resource = add_resource(builder, batch.resource, &batch.schema_url);
        for scope_logs in batch.scope_logs {
            let scope = add_scope(builder, scope_logs.scope, &scope_logs.schema_url);
            for record in scope_logs.log_records {
                add_log(builder, record, resource, scope);
            }
        }
    }
}

fn add_resource(
    builder: &mut TraceSetBuilder,
    resource: Option<wire::Resource>,
    schema_url: &str,
) -> u32 {
    let resource = resource.unwrap_or_default();
    let index = builder.begin_resource();
    let attributes = add_attributes(builder, resource.attributes);
    builder.set_resource_attributes(index, attributes, resource.dropped_attributes_count);
    let schema_url = builder.strings().intern(schema_url);
    if let Some(resource) = builder.resource_mut(index) {
        resource.schema_url = schema_url;
    }
    index
}

fn add_scope(
    builder: &mut TraceSetBuilder,
    scope: Option<wire::InstrumentationScope>,
    schema_url: &str,
) -> u32 {
    let scope = scope.unwrap_or_default();
    let index = builder.begin_scope();
    let attributes = add_attributes(builder, scope.attributes);
    let strings = builder.strings();
    let name = strings.intern(&scope.name);
    let version = strings.intern(&scope.version);
    let schema_url = strings.intern(schema_url);
    if let Some(slot) = builder.scope_mut(index) {
        *slot = Scope {
            name,
            version,
            attributes,
            dropped_attributes_count: scope.dropped_attributes_count,
            schema_url,
        };
    }
    index
}

fn add_span(builder: &mut TraceSetBuilder, span: wire::Span, resource: u32, scope: u32) {
    let name = builder.strings().intern(&span.name);
    let (status_code, status_message) = match span.status {
        Some(status) => (status.code, builder.strings().intern(&status.message)),
        None => (0, StrId::EMPTY),
    };
    let attributes = add_attributes(builder, span.attributes);
    let events = add_events(builder, span.events);
    let links = add_links(builder, span.links);
    let trace_state = builder.strings().intern(&span.trace_state);
    builder.push_span(
        SpanRecord {
            trace_id: &span.trace_id,
            span_id: &span.span_id,
            parent_span_id: &span.parent_span_id,
            name,
            kind: span.kind,
            start_unix_nanos: span.start_time_unix_nano,
            end_unix_nanos: span.end_time_unix_nano,
            status_code,
            status_message,
            attributes,
            events,
            links,
            trace_state,
            flags: span.flags,
            dropped_attributes_count: span.dropped_attributes_count,
            dropped_events_count: span.dropped_events_count,
            dropped_links_count: span.dropped_links_count,
        },
        resource,
        scope,
    );
}

fn add_events(builder: &mut TraceSetBuilder, events: Vec<wire::Event>) -> Slice {
    let start = builder.event_count();
    for event in events {
        let attributes = add_attributes(builder, event.attributes);
        let name = builder.strings().intern(&event.name);
        builder.push_event(Event {
            time_unix_nanos: event.time_unix_nano,
            name,
            attributes,
            dropped_attributes_count: event.dropped_attributes_count,
        });
    }
    Slice::between(start, builder.event_count())
}

fn add_links(builder: &mut TraceSetBuilder, links: Vec<wire::Link>) -> Slice {
    let start = builder.link_count();
    for link in links {
        let attributes = add_attributes(builder, link.attributes);
        let trace_state = builder.strings().intern(&link.trace_state);
        let link = builder.link(LinkRecord {
            trace_id: &link.trace_id,
            span_id: &link.span_id,
            trace_state,
            attributes,
            dropped_attributes_count: link.dropped_attributes_count,
            flags: link.flags,
        });
        builder.push_link(link);
    }
    Slice::between(start, builder.link_count())
}

fn add_log(builder: &mut TraceSetBuilder, record: wire::LogRecord, resource: u32, scope: u32) {
    let attributes = add_attributes(builder, record.attributes);
    let body = add_value(builder, record.body);
    let strings = builder.strings();
    let severity_text = strings.intern(&record.severity_text);
    let event_name = strings.intern(&record.event_name);
    builder.push_log(LogRecord {
        time_unix_nanos: record.time_unix_nano,
        observed_time_unix_nanos: record.observed_time_unix_nano,
        severity_number: record.severity_number,
        severity_text,
        body,
        attributes,
        dropped_attributes_count: record.dropped_attributes_count,
        flags: record.flags,
        trace_id: TraceId::from_bytes(&record.trace_id).unwrap_or_default(),
        span_id: SpanId::from_bytes(&record.span_id).unwrap_or_default(),
        event_name,
        resource,
        scope,
        span: None,
    });
}

/// Stores a list of key-values contiguously: the slots of this level are
/// reserved first, so nested lists land after them.
fn add_attributes(builder: &mut TraceSetBuilder, pairs: Vec<wire::KeyValue>) -> Slice {
    let slots = builder.reserve_attributes(pairs.len());
    for (index, pair) in slots.range().zip(pairs) {
        let key = builder.strings().intern(&pair.key);
        let value = add_value(builder, pair.value);
        builder.set_attribute(index, Attribute { key, value });
    }
    slots
}

fn add_value(builder: &mut TraceSetBuilder, value: Option<wire::AnyValue>) -> Value {
    use wire::common::any_value::Value as Wire;
    let Some(wire) = value.and_then(|v| v.value) else {
        return Value::Empty;
    };
    match wire {
        Wire::StringValue(s) => Value::Str(builder.strings().intern(&s)),
        Wire::BoolValue(b) => Value::Bool(b),
        Wire::IntValue(i) => Value::Int(i),
        Wire::DoubleValue(d) => Value::Double(d),
        Wire::BytesValue(bytes) => builder.append_bytes(&bytes),
        Wire::ArrayValue(array) => {
            let slots = builder.reserve_values(array.values.len());
            for (index, element) in slots.range().zip(array.values) {
                let element = add_value(builder, Some(element));
                builder.set_value(index, element);
            }
            Value::Array(slots)
        }
        Wire::KvlistValue(list) => Value::KvList(add_attributes(builder, list.values)),
    }
}
