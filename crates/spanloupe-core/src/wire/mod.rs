//! The OTLP messages Spanloupe reads, written by hand from the OTLP
//! specification (`opentelemetry/proto/{common,resource,trace,logs}/v1`).
//!
//! One set of structs serves both encodings: `prost` derives the protobuf
//! decoding from the field tags, and `serde` derives the JSON reading with the
//! lenient helpers of [`json`]. We do not use the `opentelemetry-proto` crate:
//! it pulls an SDK into wasm and its JSON reading rejects files real exporters
//! write (enum names, snake_case keys, numbers for int64).
//!
//! Only what a viewer needs is declared; prost skips unknown fields and serde
//! ignores unknown keys, as the specification requires.

pub mod common;
pub mod json;
pub mod logs;
pub mod trace;

pub use common::{AnyValue, ArrayValue, InstrumentationScope, KeyValue, KeyValueList, Resource};
pub use logs::{ExportLogsServiceRequest, LogRecord, ResourceLogs, ScopeLogs};
pub use trace::{Event, ExportTraceServiceRequest, Link, ResourceSpans, ScopeSpans, Span, Status};
