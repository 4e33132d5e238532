//! `opentelemetry/proto/logs/v1/logs.proto` and the logs service request.
//! GenAI instrumentations send message content as log records, so they are
//! read with the same care as spans.

use serde::Deserialize;

use super::json;
use super::{AnyValue, InstrumentationScope, KeyValue, Resource};

/// The body of an OTLP/HTTP logs request, and one line of the file exporter.
#[derive(Clone, PartialEq, prost::Message, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ExportLogsServiceRequest {
    #[prost(message, repeated, tag = "1")]
    #[serde(alias = "resource_logs", deserialize_with = "json::null_as_default")]
    pub resource_logs: Vec<ResourceLogs>,
}

/// The log records of one resource.
#[derive(Clone, PartialEq, prost::Message, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ResourceLogs {
    #[prost(message, optional, tag = "1")]
    pub resource: Option<Resource>,
    #[prost(message, repeated, tag = "2")]
    #[serde(
        alias = "scope_logs",
        alias = "instrumentationLibraryLogs",
        alias = "instrumentation_library_logs",
        deserialize_with = "json::null_as_default"
    )]
    pub scope_logs: Vec<ScopeLogs>,
    #[prost(string, tag = "3")]
    #[serde(alias = "schema_url", deserialize_with = "json::null_as_default")]
    pub schema_url: String,
}

/// The log records of one instrumentation scope.
#[derive(Clone, PartialEq, prost::Message, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ScopeLogs {
    #[prost(message, optional, tag = "1")]
    #[serde(alias = "instrumentationLibrary", alias = "instrumentation_library")]
    pub scope: Option<InstrumentationScope>,
    #[prost(message, repeated, tag = "2")]
    #[serde(
        alias = "log_records",
        alias = "logs",
        deserialize_with = "json::null_as_default"
    )]
    pub log_records: Vec<LogRecord>,
    #[prost(string, tag = "3")]
    #[serde(alias = "schema_url", deserialize_with = "json::null_as_default")]
    pub schema_url: String,
}

/// One log record (an "event" when `event_name` is set).
#[derive(Clone, PartialEq, prost::Message, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct LogRecord {
    #[prost(fixed64, tag = "1")]
    #[serde(alias = "time_unix_nano", deserialize_with = "json::u64_lenient")]
    pub time_unix_nano: u64,
    #[prost(fixed64, tag = "11")]
    #[serde(
        alias = "observed_time_unix_nano",
        deserialize_with = "json::u64_lenient"
    )]
    pub observed_time_unix_nano: u64,
    #[prost(int32, tag = "2")]
    #[serde(alias = "severity_number", deserialize_with = "json::severity_number")]
    pub severity_number: i32,
    #[prost(string, tag = "3")]
    #[serde(alias = "severity_text", deserialize_with = "json::null_as_default")]
    pub severity_text: String,
    #[prost(message, optional, tag = "5")]
    pub body: Option<AnyValue>,
    #[prost(message, repeated, tag = "6")]
    #[serde(deserialize_with = "json::null_as_default")]
    pub attributes: Vec<KeyValue>,
    #[prost(uint32, tag = "7")]
    #[serde(
        alias = "dropped_attributes_count",
        deserialize_with = "json::u32_lenient"
    )]
    pub dropped_attributes_count: u32,
    #[prost(fixed32, tag = "8")]
    #[serde(deserialize_with = "json::u32_lenient")]
    pub flags: u32,
    #[prost(bytes = "vec", tag = "9")]
    #[serde(alias = "trace_id", deserialize_with = "json::trace_id")]
    pub trace_id: Vec<u8>,
    #[prost(bytes = "vec", tag = "10")]
    #[serde(alias = "span_id", deserialize_with = "json::span_id")]
    pub span_id: Vec<u8>,
    #[prost(string, tag = "12")]
    #[serde(alias = "event_name", deserialize_with = "json::null_as_default")]
    pub event_name: String,
}
