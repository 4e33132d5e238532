//! The OTLP protobuf messages Spanloupe reads, written by hand from the OTLP
//! specification (`opentelemetry/proto/{common,resource,trace,logs}/v1`):
//! `prost` derives their decoding from the field tags. We do not use the
//! `opentelemetry-proto` crate: it pulls an SDK into wasm.
//!
//! JSON does not go through these structs: `ingest::otlp_json` reads it
//! straight into the model, with the leniency real files need.
//!
//! Only what a viewer needs is declared; prost skips unknown fields, as the
//! specification requires.

pub mod common;
pub mod logs;
pub mod trace;

pub use common::{AnyValue, ArrayValue, InstrumentationScope, KeyValue, KeyValueList, Resource};
pub use logs::{ExportLogsServiceRequest, LogRecord, ResourceLogs, ScopeLogs};
pub use trace::{Event, ExportTraceServiceRequest, Link, ResourceSpans, ScopeSpans, Span, Status};
