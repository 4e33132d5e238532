//! The normalized, indexed trace model that every view reads.
//!
//! Built for a million spans: spans, attributes, events and links live in flat
//! arrays addressed by index, strings are interned once, there is no hash map
//! per span, and the tree (parents, pre-order, subtree ranges) is computed once.

mod build;
pub(crate) mod ids;
mod merge;
mod plain_json;
mod span;
mod strings;
mod trace;
mod tree;
pub(crate) mod value;
mod warning;

pub use build::{Checkpoint, TraceSetBuilder};
pub(crate) use build::{LinkRecord, SpanRecord};
pub use ids::{SpanId, TraceId};
pub use plain_json::plain_json;
pub use span::{Event, Link, Problems, Span, SpanIdx, SpanKind, StatusCode};
pub(crate) use strings::InternerArrival;
pub use strings::{Interner, StrId};
pub use trace::{LogRecord, Resource, Scope, Trace, TraceSet};
pub use value::{Attribute, Slice, Value};
pub use warning::{Warning, WarningKind, Warnings};
