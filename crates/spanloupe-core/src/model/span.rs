//! One span of the model, and the small enums it carries.

use super::ids::{SpanId, TraceId};
use super::strings::StrId;
use super::value::Slice;

/// The position of a span in [`TraceSet::spans`](super::TraceSet::spans).
#[derive(
    serde::Serialize, serde::Deserialize, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug,
)]
pub struct SpanIdx(pub u32);

impl SpanIdx {
    /// The span at `index` of `TraceSet::spans`. The builder numbers spans
    /// in `u32`, so every index of a set fits; past it, the last id.
    pub fn at(index: usize) -> SpanIdx {
        SpanIdx(u32::try_from(index).unwrap_or(u32::MAX))
    }

    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// What the span represents in a call (OTLP `SpanKind`).
#[derive(serde::Serialize, serde::Deserialize, Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum SpanKind {
    /// The discriminants are the numbers OTLP gives them.
    #[default]
    Unspecified = 0,
    Internal = 1,
    Server = 2,
    Client = 3,
    Producer = 4,
    Consumer = 5,
}

impl SpanKind {
    /// From its OTLP number; numbers this version does not know read as unspecified.
    pub fn from_number(number: i32) -> Self {
        match number {
            1 => Self::Internal,
            2 => Self::Server,
            3 => Self::Client,
            4 => Self::Producer,
            5 => Self::Consumer,
            _ => Self::Unspecified,
        }
    }

    /// From its label (`server`, any case); other text reads as unspecified.
    pub fn from_label(text: &str) -> Self {
        (0..=5)
            .map(Self::from_number)
            .find(|kind| kind.label().eq_ignore_ascii_case(text))
            .unwrap_or_default()
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Unspecified => "unspecified",
            Self::Internal => "internal",
            Self::Server => "server",
            Self::Client => "client",
            Self::Producer => "producer",
            Self::Consumer => "consumer",
        }
    }
}

/// The span's outcome (OTLP `Status.code`).
#[derive(serde::Serialize, serde::Deserialize, Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum StatusCode {
    /// The discriminants are the numbers OTLP gives them.
    #[default]
    Unset = 0,
    Ok = 1,
    Error = 2,
}

impl StatusCode {
    pub fn from_number(number: i32) -> Self {
        match number {
            1 => Self::Ok,
            2 => Self::Error,
            _ => Self::Unset,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Unset => "unset",
            Self::Ok => "ok",
            Self::Error => "error",
        }
    }
}

/// What was wrong with a span's data. The span is kept and shown; these say
/// why it may look odd. Each also produced a warning.
#[derive(serde::Serialize, serde::Deserialize, Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct Problems(u8);

impl Problems {
    /// Its parent span id is set, but no span of the trace has that id. It is
    /// shown as a root.
    pub const MISSING_PARENT: Problems = Problems(1);
    /// Another span of the trace has the same span id.
    pub const DUPLICATE_ID: Problems = Problems(1 << 1);
    /// Its ancestors loop back to it; the loop was cut here, making it a root.
    pub const CYCLE_BROKEN: Problems = Problems(1 << 2);
    /// It ended before it started; its end was moved to its start.
    pub const END_BEFORE_START: Problems = Problems(1 << 3);
    /// It has no (or an unreadable) trace id.
    pub const NO_TRACE_ID: Problems = Problems(1 << 4);
    /// It has no (or an unreadable) span id.
    pub const NO_SPAN_ID: Problems = Problems(1 << 5);

    pub fn contains(self, other: Problems) -> bool {
        self.0 & other.0 == other.0
    }

    pub fn insert(&mut self, other: Problems) {
        self.0 |= other.0;
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}

/// One span. Spans of a trace are stored contiguously in pre-order (a parent
/// before its children, siblings by start time), so a subtree is the range
/// `idx..subtree_end`.
#[derive(serde::Serialize, serde::Deserialize, Clone, Debug)]
pub struct Span {
    pub trace_id: TraceId,
    pub span_id: SpanId,
    /// Zero when the span has no parent id.
    pub parent_span_id: SpanId,
    pub name: StrId,
    pub kind: SpanKind,
    pub status_code: StatusCode,
    pub status_message: StrId,
    pub start_unix_nanos: u64,
    pub end_unix_nanos: u64,
    pub resource: u32,
    pub scope: u32,
    /// In `TraceSet::attributes`.
    pub attributes: Slice,
    /// In `TraceSet::events`.
    pub events: Slice,
    /// In `TraceSet::links`.
    pub links: Slice,
    pub trace_state: StrId,
    pub flags: u32,
    pub dropped_attributes_count: u32,
    pub dropped_events_count: u32,
    pub dropped_links_count: u32,
    /// The parent span, when its id was found in the same trace.
    pub parent: Option<SpanIdx>,
    /// 0 for roots.
    pub depth: u32,
    /// One past the last span of this span's subtree.
    pub subtree_end: SpanIdx,
    pub problems: Problems,
}

impl Span {
    pub fn duration_nanos(&self) -> u64 {
        self.end_unix_nanos.saturating_sub(self.start_unix_nanos)
    }

    pub fn is_error(&self) -> bool {
        self.status_code == StatusCode::Error
    }
}

/// A timestamped annotation of a span (`exception`, `gen_ai.choice`, ...).
#[derive(serde::Serialize, serde::Deserialize, Clone, Copy, Debug)]
pub struct Event {
    pub time_unix_nanos: u64,
    pub name: StrId,
    pub attributes: Slice,
    pub dropped_attributes_count: u32,
}

/// A pointer from a span to another span, maybe of another trace.
#[derive(serde::Serialize, serde::Deserialize, Clone, Copy, Debug)]
pub struct Link {
    pub trace_id: TraceId,
    pub span_id: SpanId,
    pub trace_state: StrId,
    pub attributes: Slice,
    pub dropped_attributes_count: u32,
    pub flags: u32,
}
