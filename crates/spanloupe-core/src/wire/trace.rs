//! `opentelemetry/proto/trace/v1/trace.proto` and the trace service request.

use serde::Deserialize;

use super::json;
use super::{InstrumentationScope, KeyValue, Resource};

/// The body of an OTLP/HTTP traces request, and one line of the file exporter.
#[derive(Clone, PartialEq, prost::Message, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ExportTraceServiceRequest {
    #[prost(message, repeated, tag = "1")]
    #[serde(alias = "resource_spans", deserialize_with = "json::null_as_default")]
    pub resource_spans: Vec<ResourceSpans>,
}

/// The spans of one resource.
#[derive(Clone, PartialEq, prost::Message, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ResourceSpans {
    #[prost(message, optional, tag = "1")]
    pub resource: Option<Resource>,
    #[prost(message, repeated, tag = "2")]
    #[serde(
        alias = "scope_spans",
        // Collectors before OTLP 0.15 wrote the old name; the layout is the same.
        alias = "instrumentationLibrarySpans",
        alias = "instrumentation_library_spans",
        deserialize_with = "json::null_as_default"
    )]
    pub scope_spans: Vec<ScopeSpans>,
    #[prost(string, tag = "3")]
    #[serde(alias = "schema_url", deserialize_with = "json::null_as_default")]
    pub schema_url: String,
    /// The deprecated `instrumentation_library_spans` (field 1000), which has
    /// the same layout as `scope_spans`.
    #[prost(message, repeated, tag = "1000")]
    #[serde(skip)]
    pub instrumentation_library_spans: Vec<ScopeSpans>,
}

/// The spans of one instrumentation scope.
#[derive(Clone, PartialEq, prost::Message, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ScopeSpans {
    #[prost(message, optional, tag = "1")]
    #[serde(alias = "instrumentationLibrary", alias = "instrumentation_library")]
    pub scope: Option<InstrumentationScope>,
    #[prost(message, repeated, tag = "2")]
    #[serde(deserialize_with = "json::null_as_default")]
    pub spans: Vec<Span>,
    #[prost(string, tag = "3")]
    #[serde(alias = "schema_url", deserialize_with = "json::null_as_default")]
    pub schema_url: String,
}

/// One span.
#[derive(Clone, PartialEq, prost::Message, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Span {
    #[prost(bytes = "vec", tag = "1")]
    #[serde(alias = "trace_id", deserialize_with = "json::trace_id")]
    pub trace_id: Vec<u8>,
    #[prost(bytes = "vec", tag = "2")]
    #[serde(alias = "span_id", deserialize_with = "json::span_id")]
    pub span_id: Vec<u8>,
    #[prost(string, tag = "3")]
    #[serde(alias = "trace_state", deserialize_with = "json::null_as_default")]
    pub trace_state: String,
    #[prost(bytes = "vec", tag = "4")]
    #[serde(alias = "parent_span_id", deserialize_with = "json::parent_span_id")]
    pub parent_span_id: Vec<u8>,
    #[prost(fixed32, tag = "16")]
    #[serde(deserialize_with = "json::u32_lenient")]
    pub flags: u32,
    #[prost(string, tag = "5")]
    #[serde(deserialize_with = "json::null_as_default")]
    pub name: String,
    #[prost(int32, tag = "6")]
    #[serde(deserialize_with = "json::span_kind")]
    pub kind: i32,
    #[prost(fixed64, tag = "7")]
    #[serde(alias = "start_time_unix_nano", deserialize_with = "json::u64_lenient")]
    pub start_time_unix_nano: u64,
    #[prost(fixed64, tag = "8")]
    #[serde(alias = "end_time_unix_nano", deserialize_with = "json::u64_lenient")]
    pub end_time_unix_nano: u64,
    #[prost(message, repeated, tag = "9")]
    #[serde(deserialize_with = "json::null_as_default")]
    pub attributes: Vec<KeyValue>,
    #[prost(uint32, tag = "10")]
    #[serde(
        alias = "dropped_attributes_count",
        deserialize_with = "json::u32_lenient"
    )]
    pub dropped_attributes_count: u32,
    #[prost(message, repeated, tag = "11")]
    #[serde(deserialize_with = "json::null_as_default")]
    pub events: Vec<Event>,
    #[prost(uint32, tag = "12")]
    #[serde(alias = "dropped_events_count", deserialize_with = "json::u32_lenient")]
    pub dropped_events_count: u32,
    #[prost(message, repeated, tag = "13")]
    #[serde(deserialize_with = "json::null_as_default")]
    pub links: Vec<Link>,
    #[prost(uint32, tag = "14")]
    #[serde(alias = "dropped_links_count", deserialize_with = "json::u32_lenient")]
    pub dropped_links_count: u32,
    #[prost(message, optional, tag = "15")]
    pub status: Option<Status>,
}

/// A timestamped annotation of a span.
#[derive(Clone, PartialEq, prost::Message, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Event {
    #[prost(fixed64, tag = "1")]
    #[serde(alias = "time_unix_nano", deserialize_with = "json::u64_lenient")]
    pub time_unix_nano: u64,
    #[prost(string, tag = "2")]
    #[serde(deserialize_with = "json::null_as_default")]
    pub name: String,
    #[prost(message, repeated, tag = "3")]
    #[serde(deserialize_with = "json::null_as_default")]
    pub attributes: Vec<KeyValue>,
    #[prost(uint32, tag = "4")]
    #[serde(
        alias = "dropped_attributes_count",
        deserialize_with = "json::u32_lenient"
    )]
    pub dropped_attributes_count: u32,
}

/// A pointer from a span to a span of this or another trace.
#[derive(Clone, PartialEq, prost::Message, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Link {
    #[prost(bytes = "vec", tag = "1")]
    #[serde(alias = "trace_id", deserialize_with = "json::trace_id")]
    pub trace_id: Vec<u8>,
    #[prost(bytes = "vec", tag = "2")]
    #[serde(alias = "span_id", deserialize_with = "json::span_id")]
    pub span_id: Vec<u8>,
    #[prost(string, tag = "3")]
    #[serde(alias = "trace_state", deserialize_with = "json::null_as_default")]
    pub trace_state: String,
    #[prost(message, repeated, tag = "4")]
    #[serde(deserialize_with = "json::null_as_default")]
    pub attributes: Vec<KeyValue>,
    #[prost(uint32, tag = "5")]
    #[serde(
        alias = "dropped_attributes_count",
        deserialize_with = "json::u32_lenient"
    )]
    pub dropped_attributes_count: u32,
    #[prost(fixed32, tag = "6")]
    #[serde(deserialize_with = "json::u32_lenient")]
    pub flags: u32,
}

/// The outcome of a span. Field 1 is reserved (the old `deprecated_code`).
#[derive(Clone, PartialEq, prost::Message, Deserialize)]
#[serde(default)]
pub struct Status {
    #[prost(string, tag = "2")]
    #[serde(deserialize_with = "json::null_as_default")]
    pub message: String,
    #[prost(int32, tag = "3")]
    #[serde(deserialize_with = "json::status_code")]
    pub code: i32,
}
