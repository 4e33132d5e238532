//! `resourceLogs` down to each log record, read straight into the builder.
//! GenAI instrumentations send message content as log records, so they are
//! read with the same care as spans.

use std::fmt;

use serde::Deserializer;
use serde::de::{IgnoredAny, MapAccess, Visitor};

use super::common::{
    AnyValue, Attributes, Id, IdBytes, Interned, List, Message, Resource, Scope, Sink,
};
use super::lenient::{Lenient, SeverityNumber};
use crate::model::ids::IdKind;
use crate::model::{LogRecord, Slice, SpanId, StrId, TraceId, Value};

/// The elements of a `resourceLogs` list.
pub(super) struct ResourceLogs<'s, 'b>(pub &'s mut Sink<'b>);

#[derive(serde::Deserialize)]
#[serde(field_identifier, rename_all = "camelCase")]
enum ResourceLogsField {
    Resource,
    #[serde(
        alias = "scope_logs",
        alias = "instrumentationLibraryLogs",
        alias = "instrumentation_library_logs"
    )]
    ScopeLogs,
    #[serde(alias = "schema_url")]
    SchemaUrl,
    #[serde(other)]
    Other,
}

impl<'de> Message<'de> for ResourceLogs<'_, '_> {
    fn read<D: Deserializer<'de>>(&mut self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(ResourceLogsVisitor(self.0))
    }
}

struct ResourceLogsVisitor<'s, 'b>(&'s mut Sink<'b>);

impl<'de> Visitor<'de> for ResourceLogsVisitor<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a resourceLogs object like {\"resource\": {...}, \"scopeLogs\": [...]}")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let sink = self.0;
        let resource = sink.builder.begin_resource();
        while let Some(field) = map.next_key::<ResourceLogsField>()? {
            match field {
                ResourceLogsField::Resource => map.next_value_seed(Resource {
                    sink: &mut *sink,
                    index: resource,
                })?,
                ResourceLogsField::ScopeLogs => map.next_value_seed(List(&mut ScopeLogs {
                    sink: &mut *sink,
                    resource,
                }))?,
                ResourceLogsField::SchemaUrl => {
                    let url = map.next_value_seed(Interned(sink))?;
                    if let Some(resource) = sink.builder.resource_mut(resource) {
                        resource.schema_url = url;
                    }
                }
                ResourceLogsField::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// The elements of a `scopeLogs` list.
struct ScopeLogs<'s, 'b> {
    sink: &'s mut Sink<'b>,
    resource: u32,
}

#[derive(serde::Deserialize)]
#[serde(field_identifier, rename_all = "camelCase")]
enum ScopeLogsField {
    #[serde(alias = "instrumentationLibrary", alias = "instrumentation_library")]
    Scope,
    #[serde(alias = "log_records", alias = "logs")]
    LogRecords,
    #[serde(alias = "schema_url")]
    SchemaUrl,
    #[serde(other)]
    Other,
}

impl<'de> Message<'de> for ScopeLogs<'_, '_> {
    fn read<D: Deserializer<'de>>(&mut self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(ScopeLogsVisitor(self))
    }
}

struct ScopeLogsVisitor<'v, 's, 'b>(&'v mut ScopeLogs<'s, 'b>);

impl<'de> Visitor<'de> for ScopeLogsVisitor<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a scopeLogs object like {\"scope\": {...}, \"logRecords\": [...]}")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let resource = self.0.resource;
        let sink = &mut *self.0.sink;
        let scope = sink.builder.begin_scope();
        while let Some(field) = map.next_key::<ScopeLogsField>()? {
            match field {
                ScopeLogsField::Scope => map.next_value_seed(Scope {
                    sink: &mut *sink,
                    index: scope,
                })?,
                ScopeLogsField::LogRecords => map.next_value_seed(List(&mut LogRecords {
                    sink: &mut *sink,
                    resource,
                    scope,
                }))?,
                ScopeLogsField::SchemaUrl => {
                    let url = map.next_value_seed(Interned(sink))?;
                    if let Some(scope) = sink.builder.scope_mut(scope) {
                        scope.schema_url = url;
                    }
                }
                ScopeLogsField::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// The elements of a `logRecords` list.
struct LogRecords<'s, 'b> {
    sink: &'s mut Sink<'b>,
    resource: u32,
    scope: u32,
}

#[derive(serde::Deserialize)]
#[serde(field_identifier, rename_all = "camelCase")]
enum LogRecordField {
    #[serde(alias = "time_unix_nano")]
    TimeUnixNano,
    #[serde(alias = "observed_time_unix_nano")]
    ObservedTimeUnixNano,
    #[serde(alias = "severity_number")]
    SeverityNumber,
    #[serde(alias = "severity_text")]
    SeverityText,
    Body,
    Attributes,
    #[serde(alias = "dropped_attributes_count")]
    DroppedAttributesCount,
    Flags,
    #[serde(alias = "trace_id")]
    TraceId,
    #[serde(alias = "span_id")]
    SpanId,
    #[serde(alias = "event_name")]
    EventName,
    #[serde(other)]
    Other,
}

impl<'de> Message<'de> for LogRecords<'_, '_> {
    fn read<D: Deserializer<'de>>(&mut self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(LogRecordVisitor(self))
    }
}

struct LogRecordVisitor<'v, 's, 'b>(&'v mut LogRecords<'s, 'b>);

impl<'de> Visitor<'de> for LogRecordVisitor<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a log record object like {\"timeUnixNano\": \"...\", \"body\": {...}}")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let records = self.0;
        let sink = &mut *records.sink;
        let mut trace_id = IdBytes::default();
        let mut span_id = IdBytes::default();
        let mut record = LogRecord {
            time_unix_nanos: 0,
            observed_time_unix_nanos: 0,
            severity_number: 0,
            severity_text: StrId::EMPTY,
            body: Value::Empty,
            attributes: Slice::default(),
            dropped_attributes_count: 0,
            flags: 0,
            trace_id: TraceId::default(),
            span_id: SpanId::default(),
            event_name: StrId::EMPTY,
            resource: records.resource,
            scope: records.scope,
            span: None,
        };
        while let Some(field) = map.next_key::<LogRecordField>()? {
            match field {
                LogRecordField::TimeUnixNano => {
                    record.time_unix_nanos = map.next_value::<Lenient<u64>>()?.0;
                }
                LogRecordField::ObservedTimeUnixNano => {
                    record.observed_time_unix_nanos = map.next_value::<Lenient<u64>>()?.0;
                }
                LogRecordField::SeverityNumber => {
                    record.severity_number = map.next_value::<SeverityNumber>()?.0;
                }
                LogRecordField::SeverityText => {
                    record.severity_text = map.next_value_seed(Interned(sink))?;
                }
                LogRecordField::Body => record.body = map.next_value_seed(AnyValue(sink))?,
                LogRecordField::Attributes => {
                    record.attributes = map.next_value_seed(Attributes(sink))?;
                }
                LogRecordField::DroppedAttributesCount => {
                    record.dropped_attributes_count = map.next_value::<Lenient<u32>>()?.0;
                }
                LogRecordField::Flags => record.flags = map.next_value::<Lenient<u32>>()?.0,
                LogRecordField::TraceId => trace_id = map.next_value_seed(Id(IdKind::Trace))?,
                LogRecordField::SpanId => span_id = map.next_value_seed(Id(IdKind::Span))?,
                LogRecordField::EventName => {
                    record.event_name = map.next_value_seed(Interned(sink))?;
                }
                LogRecordField::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        record.trace_id = TraceId::from_bytes(trace_id.as_slice()).unwrap_or_default();
        record.span_id = SpanId::from_bytes(span_id.as_slice()).unwrap_or_default();
        sink.builder.push_log(record);
        Ok(())
    }
}
