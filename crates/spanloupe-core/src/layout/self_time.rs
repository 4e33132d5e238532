//! Self time: the part of a span's duration not covered by any of its
//! children (the union of their intervals, clipped to the span), as Jaeger
//! and Perfetto show it. Children that overlap count once.

use crate::model::{SpanIdx, TraceSet};

pub fn self_time_nanos(set: &TraceSet, idx: SpanIdx) -> u64 {
    let Some(span) = set.span(idx) else { return 0 };
    let (start, end) = (span.start_unix_nanos, span.end_unix_nanos);
    // Children come by start time (the model's sibling order).
    let mut covered = 0u64;
    let mut reach = start;
    for child in set.children(idx) {
        let Some(child) = set.span(child) else {
            continue;
        };
        let child_start = child.start_unix_nanos.clamp(start, end).max(reach);
        let child_end = child.end_unix_nanos.clamp(start, end);
        if child_end > child_start {
            covered += child_end - child_start;
            reach = child_end;
        }
    }
    (end - start).saturating_sub(covered)
}
