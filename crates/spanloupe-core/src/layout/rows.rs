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

/// The visible rows of a trace, as runs of consecutive spans: a run is cut
/// only where spans are hidden, so the rows of a million-span trace with
/// nothing collapsed are one run, built at once, and a row (or the row of a
/// span) is found by a binary search over the runs. The views only ever
/// look at the rows on screen.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rows {
    runs: Vec<Run>,
    len: usize,
    /// The collapse state the rows were made for, for [`Row::collapsed`].
    collapsed: SpanSet,
    /// One past the trace's last span: subtrees are clamped to it.
    end: u32,
}

/// Rows `row..` (up to the next run's) are spans `span..`, one after the
/// other.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Run {
    span: u32,
    row: u32,
}

impl Rows {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The row at `position`.
    pub fn get(&self, set: &TraceSet, position: usize) -> Option<Row> {
        if position >= self.len {
            return None;
        }
        let position = u32::try_from(position).ok()?;
        let run = self.runs.partition_point(|run| run.row <= position);
        let run = self.runs.get(run.checked_sub(1)?)?;
        let idx = SpanIdx(run.span + (position - run.row));
        let span = set.span(idx)?;
        let subtree_end = span.subtree_end.0.clamp(idx.0 + 1, self.end.max(idx.0 + 1));
        Some(Row {
            span: idx,
            depth: span.depth,
            has_children: subtree_end > idx.0 + 1,
            collapsed: self.collapsed.contains(idx),
        })
    }

    /// The position of `span`'s row; `None` when it is hidden.
    pub fn position(&self, span: SpanIdx) -> Option<usize> {
        let run = self.runs.partition_point(|run| run.span <= span.0);
        let index = run.checked_sub(1)?;
        let run = self.runs.get(index)?;
        let next_row = self
            .runs
            .get(index + 1)
            .map_or(self.len, |next| next.row as usize);
        let position = run.row as usize + (span.0 - run.span) as usize;
        (position < next_row).then_some(position)
    }

    /// The rows, in order (tests, and small traces).
    pub fn iter<'a>(&'a self, set: &'a TraceSet) -> impl Iterator<Item = Row> + 'a {
        (0..self.len).filter_map(move |position| self.get(set, position))
    }

    /// Adds `count` rows of the spans from `span` on.
    fn push(&mut self, span: u32, count: u32) {
        if count == 0 {
            return;
        }
        let contiguous = self
            .runs
            .last()
            .is_some_and(|run| run.span as usize + (self.len - run.row as usize) == span as usize);
        if !contiguous {
            self.runs.push(Run {
                span,
                row: u32::try_from(self.len).unwrap_or(u32::MAX),
            });
        }
        self.len += count as usize;
    }
}

/// The visible rows of `trace`. `keep`, when given, is the set of spans a
/// filter shows: matches and their ancestors (see [`keep_matches`]).
///
/// Without a filter, the spans between two collapsed ones are all visible:
/// they are added as a block, so the cost is the number of collapsed spans
/// shown, not of rows. With one, each kept span is looked at.
pub fn visible_rows(
    set: &TraceSet,
    trace: &Trace,
    collapsed: &SpanSet,
    keep: Option<&SpanSet>,
) -> Rows {
    let range = trace.spans.range();
    let end = u32::try_from(range.end).unwrap_or(u32::MAX);
    let mut rows = Rows {
        runs: Vec::new(),
        len: 0,
        collapsed: collapsed.clone(),
        end,
    };
    let mut index = u32::try_from(range.start).unwrap_or(u32::MAX);
    while index < end {
        let idx = SpanIdx(index);
        let Some(span) = set.span(idx) else { break };
        let subtree_end = span.subtree_end.0.clamp(index + 1, end);
        if keep.is_some_and(|keep| !keep.contains(idx)) {
            // Nothing below matches either: a match would have kept its ancestors.
            index = subtree_end;
            continue;
        }
        if collapsed.contains(idx) {
            rows.push(index, 1);
            index = subtree_end;
        } else if keep.is_some() {
            rows.push(index, 1);
            index += 1;
        } else {
            // Every span up to the next collapsed one is shown.
            let next = collapsed
                .next_from(SpanIdx(index + 1))
                .map_or(end, |next| next.0.min(end));
            rows.push(index, next - index);
            index = next;
        }
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
        let idx = SpanIdx::at(index);
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
