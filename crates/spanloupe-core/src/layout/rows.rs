//! The rows of the waterfall: the spans of a trace in pre-order, without the
//! descendants of collapsed spans, and, when filtering, without the spans
//! that neither match nor lead to a match.
//!
//! Spans are stored in pre-order with `subtree_end`, so skipping a collapsed
//! subtree is one jump: the cost is the number of visible rows, not spans.

use super::span_set::SpanSet;
use crate::model::{SpanIdx, Trace, TraceSet};

/// One visible row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Row {
    pub span: SpanIdx,
    pub depth: u32,
    /// The span has children (visible or not).
    pub has_children: bool,
    /// The span's children are hidden by the user.
    pub collapsed: bool,
}

/// The visible rows of `trace`. `keep`, when given, is the set of spans a
/// filter shows: matches and their ancestors (see [`keep_matches`]).
pub fn visible_rows(
    set: &TraceSet,
    trace: &Trace,
    collapsed: &SpanSet,
    keep: Option<&SpanSet>,
) -> Vec<Row> {
    let range = trace.spans.range();
    let mut rows = Vec::new();
    let mut index = range.start;
    while index < range.end {
        let idx = SpanIdx(index as u32);
        let Some(span) = set.span(idx) else { break };
        let subtree_end = span.subtree_end.index().clamp(index + 1, range.end);
        if keep.is_some_and(|keep| !keep.contains(idx)) {
            // Nothing below matches either: a match would have kept its ancestors.
            index = subtree_end;
            continue;
        }
        let is_collapsed = collapsed.contains(idx);
        rows.push(Row {
            span: idx,
            depth: span.depth,
            has_children: subtree_end > index + 1,
            collapsed: is_collapsed,
        });
        index = if is_collapsed { subtree_end } else { index + 1 };
    }
    rows
}

/// The spans to keep when showing only `matches`: each match and all its
/// ancestors, so the tree stays readable.
pub fn keep_matches(set: &TraceSet, trace: &Trace, matches: &[SpanIdx]) -> SpanSet {
    let mut keep = SpanSet::for_trace(trace);
    for &idx in matches {
        let mut current = Some(idx);
        while let Some(span_idx) = current {
            if keep.contains(span_idx) {
                break; // its ancestors are already in
            }
            keep.insert(span_idx);
            current = set.span(span_idx).and_then(|span| span.parent);
        }
    }
    keep
}

/// Collapse state for "collapse all": every span with children.
pub fn collapse_all(set: &TraceSet, trace: &Trace) -> SpanSet {
    collapse_from_depth(set, trace, 0)
}

/// Collapse state that shows `depth` levels: spans at depth `depth - 1` and
/// deeper are collapsed (depth 1 shows only the roots).
pub fn collapse_from_depth(set: &TraceSet, trace: &Trace, depth: u32) -> SpanSet {
    let mut collapsed = SpanSet::for_trace(trace);
    let range = trace.spans.range();
    for index in range.clone() {
        let idx = SpanIdx(index as u32);
        if let Some(span) = set.span(idx)
            && span.depth + 1 >= depth
            && span.subtree_end.index() > index + 1
        {
            collapsed.insert(idx);
        }
    }
    collapsed
}

/// Expands the ancestors of `idx`, so that it is visible; returns whether
/// anything changed.
pub fn reveal(set: &TraceSet, collapsed: &mut SpanSet, idx: SpanIdx) -> bool {
    let mut changed = false;
    let mut current = set.span(idx).and_then(|span| span.parent);
    while let Some(ancestor) = current {
        if collapsed.contains(ancestor) {
            collapsed.remove(ancestor);
            changed = true;
        }
        current = set.span(ancestor).and_then(|span| span.parent);
    }
    changed
}
