//! The critical path of a trace: the chain of spans that determined its
//! end-to-end duration. From the root's end, backwards: the child that
//! finished last (before the point reached) is on the path, and the parent's
//! own time after it; then that child is followed the same way; back in the
//! parent, the next child that finished before the previous one started, and
//! so on to the parent's start. Children are first trimmed to their parent's
//! time (clock skew, and async work that outlives its parent, count only
//! where the parent was waiting); children entirely outside it are not on
//! the path. Iterative, so a trace 10,000 levels deep is no deeper a stack.

use std::collections::HashMap;

use crate::model::{SpanIdx, Trace, TraceSet};

/// A stretch of time that one span's own work held the path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Section {
    pub span: SpanIdx,
    pub start_unix_nanos: u64,
    pub end_unix_nanos: u64,
}

/// A span on the path and how much of the trace's duration it accounts for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OnPath {
    pub span: SpanIdx,
    pub nanos: u64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CriticalPath {
    /// In time order.
    pub sections: Vec<Section>,
}

impl CriticalPath {
    /// Each span on the path once, in the order it first holds the path,
    /// with the sum of its sections.
    pub fn spans(&self) -> Vec<OnPath> {
        let mut order: Vec<OnPath> = Vec::new();
        let mut at: HashMap<SpanIdx, usize> = HashMap::new();
        for section in &self.sections {
            let nanos = section.end_unix_nanos - section.start_unix_nanos;
            match at.get(&section.span) {
                Some(&i) => order[i].nanos += nanos,
                None => {
                    at.insert(section.span, order.len());
                    order.push(OnPath {
                        span: section.span,
                        nanos,
                    });
                }
            }
        }
        order
    }

    /// The sections by span, for drawing them on the rows on screen.
    pub fn by_span(&self) -> SectionsBySpan {
        let mut sections: Vec<(SpanIdx, u64, u64)> = self
            .sections
            .iter()
            .map(|s| (s.span, s.start_unix_nanos, s.end_unix_nanos))
            .collect();
        sections.sort_unstable();
        SectionsBySpan { sections }
    }
}

/// The path's sections, found by span.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SectionsBySpan {
    /// Sorted by span, then start.
    sections: Vec<(SpanIdx, u64, u64)>,
}

impl SectionsBySpan {
    /// The (start, end) of each section `span` holds the path for.
    pub fn of(&self, span: SpanIdx) -> impl Iterator<Item = (u64, u64)> + '_ {
        let from = self.sections.partition_point(|(s, _, _)| *s < span);
        self.sections[from..]
            .iter()
            .take_while(move |(s, _, _)| *s == span)
            .map(|&(_, start, end)| (start, end))
    }

    pub fn contains(&self, span: SpanIdx) -> bool {
        self.of(span).next().is_some()
    }
}

/// A child's time, trimmed to its parent's.
#[derive(Clone, Copy)]
struct Child {
    span: SpanIdx,
    start: u64,
    end: u64,
}

/// A span being walked back from `cursor`, its children latest-ending
/// first, `next` the first not yet looked at.
struct Frame {
    span: SpanIdx,
    start: u64,
    cursor: u64,
    children: Vec<Child>,
    next: usize,
}

/// The critical path of `trace`, from its root that ends last (a trace
/// with several roots: the one that decided its end).
pub fn critical_path(set: &TraceSet, trace: &Trace) -> CriticalPath {
    let root = trace
        .roots
        .iter()
        .copied()
        .filter_map(|r| {
            set.span(r)
                .map(|s| (r, s.end_unix_nanos.max(s.start_unix_nanos)))
        })
        .max_by_key(|&(r, end)| (end, std::cmp::Reverse(r)));
    let Some((root, root_end)) = root else {
        return CriticalPath::default();
    };
    let root_start = set.span(root).map_or(0, |s| s.start_unix_nanos);
    let mut stack = vec![frame(set, root, root_start, root_end)];
    let mut sections: Vec<Section> = Vec::new();
    while let Some(top) = stack.last_mut() {
        // The latest-ending child that ended before the point reached.
        let found = top.children[top.next..]
            .iter()
            .position(|child| child.end <= top.cursor)
            .map(|offset| top.next + offset);
        match found {
            Some(at) => {
                let child = top.children[at];
                push(&mut sections, top.span, child.end, top.cursor);
                top.cursor = child.start;
                top.next = at + 1;
                stack.push(frame(set, child.span, child.start, child.end));
            }
            None => {
                push(&mut sections, top.span, top.start, top.cursor);
                stack.pop();
            }
        }
    }
    sections.reverse();
    CriticalPath { sections }
}

fn push(sections: &mut Vec<Section>, span: SpanIdx, start: u64, end: u64) {
    if end > start {
        sections.push(Section {
            span,
            start_unix_nanos: start,
            end_unix_nanos: end,
        });
    }
}

/// A frame for `span` walked back from `end`, its children trimmed to
/// `start..end` (its own time, itself trimmed to its parent's).
fn frame(set: &TraceSet, span: SpanIdx, start: u64, end: u64) -> Frame {
    let mut children: Vec<Child> = set
        .children(span)
        .filter_map(|child| {
            let record = set.span(child)?;
            let (child_start, child_end) = (
                record.start_unix_nanos.max(start),
                record.end_unix_nanos.max(record.start_unix_nanos).min(end),
            );
            (child_start < child_end).then_some(Child {
                span: child,
                start: child_start,
                end: child_end,
            })
        })
        .collect();
    // Latest end first; of equal ends, the later start (the shorter child
    // is what the parent waited for last).
    children.sort_by(|a, b| b.end.cmp(&a.end).then(b.start.cmp(&a.start)));
    Frame {
        span,
        start,
        cursor: end,
        children,
        next: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A trace from `(id, parent, start ms, end ms)`; spans are named by id.
    fn trace(spans: &[(&str, &str, u64, u64)]) -> TraceSet {
        let named: Vec<(&str, &str, &str, u64, u64)> = spans
            .iter()
            .map(|&(id, parent, start, end)| (id, parent, id, start, end))
            .collect();
        crate::layout::test_trace::trace(&named)
    }

    /// The path as (span name, start ms, end ms).
    fn path(set: &TraceSet) -> Vec<(String, u64, u64)> {
        critical_path(set, &set.traces[0])
            .sections
            .iter()
            .map(|s| {
                (
                    set.str(set.span(s.span).expect("span").name).to_owned(),
                    s.start_unix_nanos / 1_000_000,
                    s.end_unix_nanos / 1_000_000,
                )
            })
            .collect()
    }

    fn owned(sections: &[(&str, u64, u64)]) -> Vec<(String, u64, u64)> {
        sections
            .iter()
            .map(|(n, s, e)| ((*n).to_owned(), *s, *e))
            .collect()
    }

    #[test]
    fn sequential_children_and_the_gaps_between_them() {
        let set = trace(&[("1", "", 0, 100), ("a", "1", 10, 40), ("b", "1", 50, 90)]);
        assert_eq!(
            path(&set),
            owned(&[
                ("1", 0, 10),
                ("a", 10, 40),
                ("1", 40, 50),
                ("b", 50, 90),
                ("1", 90, 100)
            ])
        );
        let spans = critical_path(&set, &set.traces[0]).spans();
        let nanos: Vec<u64> = spans.iter().map(|s| s.nanos / 1_000_000).collect();
        assert_eq!(nanos, [30, 30, 40]);
        let by_span = critical_path(&set, &set.traces[0]).by_span();
        let root = set.traces[0].root().expect("root");
        let ms: Vec<(u64, u64)> = by_span
            .of(root)
            .map(|(s, e)| (s / 1_000_000, e / 1_000_000))
            .collect();
        assert_eq!(ms, [(0, 10), (40, 50), (90, 100)]);
        assert!(spans.iter().all(|s| by_span.contains(s.span)));
    }

    #[test]
    fn of_parallel_children_the_last_to_finish_is_on_the_path() {
        let set = trace(&[("1", "", 0, 100), ("a", "1", 10, 80), ("b", "1", 20, 60)]);
        assert_eq!(
            path(&set),
            owned(&[("1", 0, 10), ("a", 10, 80), ("1", 80, 100)])
        );
    }

    #[test]
    fn a_child_that_outlives_its_parent_counts_only_while_the_parent_ran() {
        let set = trace(&[("1", "", 0, 100), ("b", "1", 10, 50), ("c", "b", 20, 90)]);
        assert_eq!(
            path(&set),
            owned(&[("1", 0, 10), ("b", 10, 20), ("c", 20, 50), ("1", 50, 100)])
        );
    }

    #[test]
    fn clock_skew_is_trimmed_and_children_outside_their_parent_are_not_on_it() {
        let set = trace(&[
            ("1", "", 100, 200),
            ("a", "1", 50, 150),
            ("b", "1", 250, 300),
        ]);
        assert_eq!(path(&set), owned(&[("a", 100, 150), ("1", 150, 200)]));
    }

    #[test]
    fn the_path_is_the_whole_duration_without_overlaps() {
        let set = trace(&[
            ("1", "", 0, 1000),
            ("a", "1", 0, 300),
            ("b", "1", 200, 700),
            ("c", "b", 250, 400),
            ("d", "b", 350, 690),
            ("e", "d", 360, 680),
            ("f", "1", 650, 990),
        ]);
        let sections = critical_path(&set, &set.traces[0]).sections;
        let total: u64 = sections
            .iter()
            .map(|s| s.end_unix_nanos - s.start_unix_nanos)
            .sum();
        assert_eq!(total, 1000 * 1_000_000);
        for pair in sections.windows(2) {
            assert_eq!(pair[0].end_unix_nanos, pair[1].start_unix_nanos);
        }
    }

    #[test]
    fn a_trace_ten_thousand_deep_is_walked_without_recursion() {
        let ids: Vec<String> = (1..=10_000).map(|i| format!("{i:x}")).collect();
        let spans: Vec<(&str, &str, u64, u64)> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| {
                let parent = if i == 0 { "" } else { ids[i - 1].as_str() };
                (id.as_str(), parent, i as u64, 20_000 - i as u64)
            })
            .collect();
        let set = trace(&spans);
        let found = critical_path(&set, &set.traces[0]);
        assert_eq!(found.spans().len(), 10_000);
    }
}
