//! Attribute values, stored flat: nested arrays and key-value lists point into
//! the trace set's arenas by [`Slice`] instead of owning their elements, so a
//! value is 16 bytes, `Copy`, and a span's attributes are one contiguous run.

use std::ops::Range;

use super::strings::StrId;

/// A run of `len` elements from `start` in one of the trace set's arenas.
#[derive(serde::Serialize, serde::Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Slice {
    pub start: u32,
    pub len: u32,
}

impl Slice {
    pub fn range(self) -> Range<usize> {
        let start = self.start as usize;
        start..start + self.len as usize
    }

    pub fn is_empty(self) -> bool {
        self.len == 0
    }

    /// The slice from `start` to the end of an arena that now has `end` items.
    pub(crate) fn between(start: usize, end: usize) -> Slice {
        Slice {
            start: to_u32(start),
            len: to_u32(end.saturating_sub(start)),
        }
    }
}

/// Arena indices are `u32` to halve their size; no browser tab holds 4
/// billion attributes, so saturating instead of failing is safe.
pub(crate) fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// An OTLP `AnyValue`, with its type kept.
#[derive(serde::Serialize, serde::Deserialize, Clone, Copy, Debug, PartialEq, Default)]
pub enum Value {
    #[default]
    Empty,
    Str(StrId),
    Bool(bool),
    Int(i64),
    Double(f64),
    /// Raw bytes, in `TraceSet::bytes`.
    Bytes(Slice),
    /// Elements, in `TraceSet::values`.
    Array(Slice),
    /// Key-value pairs, in `TraceSet::attributes`.
    KvList(Slice),
}

/// One key-value pair: a span, resource, scope, event, link or log attribute,
/// or a member of a key-value list.
#[derive(serde::Serialize, serde::Deserialize, Clone, Copy, Debug, PartialEq)]
pub struct Attribute {
    pub key: StrId,
    pub value: Value,
}
