//! Indexing: turns the spans as they arrived into traces of spans in
//! pre-order, with parents, depths and subtree ends computed once.
//!
//! No hash map per span: spans are grouped by sorting, parents are found by
//! binary search in a sorted (span id, position) list, children are counted
//! into one flat array (CSR), and the tree is walked with an explicit stack,
//! so a 100,000-deep chain cannot overflow it.
//!
//! Positions (`u32`) index the spans as they arrived; they come from
//! `0..spans.len()`, so indexing with them cannot go out of bounds.

use super::ids::SpanId;
use super::span::{Problems, Span, SpanIdx};
use super::strings::{Interner, StrId};
use super::trace::{Trace, TraceSet};
use super::value::{Slice, to_u32};
use super::warning::{WarningKind, Warnings};

pub(super) fn index(mut set: TraceSet) -> TraceSet {
    let spans = std::mem::take(&mut set.spans);
    let mut warnings = std::mem::take(&mut set.warnings);
    let n = spans.len();

    // Sort positions by (trace id, start, span id): groups traces together,
    // and orders each trace's spans by start, which root order relies on.
    // The keys are gathered first, as integers: the sort then compares
    // numbers in one array instead of byte arrays in spans all over memory.
    let mut keys: Vec<(u128, u64, u64, u32)> = spans
        .iter()
        .enumerate()
        .map(|(i, span)| {
            (
                span.trace_id.sort_key(),
                span.start_unix_nanos,
                span.span_id.sort_key(),
                to_u32(i),
            )
        })
        .collect();
    keys.sort_unstable();
    let by_trace: Vec<u32> = keys.iter().map(|key| key.3).collect();
    drop(keys);

    let mut linker = Linker {
        strings: &set.strings,
        spans: &spans,
        parents: vec![None; n],
        problems: spans.iter().map(|span| span.problems).collect(),
        warnings: &mut warnings,
    };
    let mut groups: Vec<(u64, Vec<u32>)> = Vec::new();
    for members in
        by_trace.chunk_by(|&a, &b| spans[a as usize].trace_id == spans[b as usize].trace_id)
    {
        linker.link_parents(members);
        let order = linker.pre_order(members);
        let start = members
            .first()
            .map_or(0, |&first| spans[first as usize].start_unix_nanos);
        groups.push((start, order));
    }
    let Linker {
        parents, problems, ..
    } = linker;
    // Traces by start time; equal starts keep the trace id order of the sort.
    groups.sort_by_key(|(start, _)| *start);

    let mut new_position = vec![0u32; n];
    for (position, &old) in groups.iter().flat_map(|(_, order)| order).enumerate() {
        new_position[old as usize] = to_u32(position);
    }
    let mut slots: Vec<Option<Span>> = spans.into_iter().map(Some).collect();
    let mut ordered = Vec::with_capacity(n);
    for &old in groups.iter().flat_map(|(_, order)| order) {
        if let Some(mut span) = slots[old as usize].take() {
            span.parent = parents[old as usize].map(|p| SpanIdx(new_position[p as usize]));
            span.problems = problems[old as usize];
            ordered.push(span);
        }
    }
    drop(slots);
    set.spans = ordered;
    set_depths_and_subtree_ends(&mut set.spans);

    let mut offset = 0u32;
    let mut traces = Vec::with_capacity(groups.len());
    for (_, order) in &groups {
        let len = to_u32(order.len());
        traces.push(summarize(&set, Slice { start: offset, len }));
        offset += len;
    }
    set.traces = traces;

    set.span_lookup = set
        .spans
        .iter()
        .enumerate()
        .map(|(i, span)| (span.trace_id, span.span_id, SpanIdx(to_u32(i))))
        .collect();
    set.span_lookup
        .sort_unstable_by_key(|(trace, span, idx)| (trace.sort_key(), span.sort_key(), *idx));
    correlate_logs(&mut set);
    set.warnings = warnings;
    set
}

/// The state of parent linking across the traces of one set.
struct Linker<'a> {
    strings: &'a Interner,
    spans: &'a [Span],
    /// Parent position of each span.
    parents: Vec<Option<u32>>,
    problems: Vec<Problems>,
    warnings: &'a mut Warnings,
}

impl Linker<'_> {
    fn name(&self, position: u32) -> &str {
        self.strings.get(self.spans[position as usize].name)
    }

    /// Finds each span's parent among `members` (one trace's positions, by
    /// start), and flags duplicate ids and missing parents.
    fn link_parents(&mut self, members: &[u32]) {
        let spans = self.spans;
        let mut by_id: Vec<(SpanId, u32)> = members
            .iter()
            .map(|&i| (spans[i as usize].span_id, i))
            .collect();
        // Among duplicates the earliest-starting span comes first, and it is
        // the one their children attach to. Ties are broken by what the span
        // holds before where it was in the input, so the same spans written
        // in another order (the model exported and read again) link alike.
        by_id.sort_by_key(|(id, _)| id.sort_key());
        for run in by_id.chunk_by_mut(|a, b| a.0 == b.0) {
            if run.len() > 1 {
                run.sort_by_key(|&(_, i)| {
                    let span = &spans[i as usize];
                    let parent = span.parent_span_id.sort_key();
                    (span.start_unix_nanos, span.end_unix_nanos, parent, i)
                });
            }
        }
        for run in by_id.chunk_by(|a, b| a.0 == b.0) {
            let [(id, first), ..] = run else { continue };
            if run.len() < 2 || id.is_zero() {
                continue;
            }
            for &(_, i) in run {
                self.problems[i as usize].insert(Problems::DUPLICATE_ID);
            }
            let message = format!(
                "{} spans of trace {} share the span id {id}; their children are attached to the first, {:?}",
                run.len(),
                spans[*first as usize].trace_id,
                self.name(*first)
            );
            self.warnings.push(WarningKind::DuplicateSpanId, message);
        }

        let mut missing = 0usize;
        let mut example = None;
        for &i in members {
            let span = &spans[i as usize];
            if span.parent_span_id.is_zero() {
                continue;
            }
            let parent_key = span.parent_span_id.sort_key();
            let at = by_id.partition_point(|(id, _)| id.sort_key() < parent_key);
            match by_id.get(at) {
                Some(&(id, parent)) if id == span.parent_span_id && parent != i => {
                    self.parents[i as usize] = Some(parent);
                }
                Some(&(id, _)) if id == span.parent_span_id => {
                    self.problems[i as usize].insert(Problems::CYCLE_BROKEN);
                    let message = format!(
                        "span {:?} ({}) is its own parent; it is shown as a root",
                        self.name(i),
                        span.span_id
                    );
                    self.warnings.push(WarningKind::ParentCycle, message);
                }
                _ => {
                    self.problems[i as usize].insert(Problems::MISSING_PARENT);
                    missing += 1;
                    example.get_or_insert(i);
                }
            }
        }
        if let Some(i) = example {
            let span = &spans[i as usize];
            let what = if missing == 1 {
                "span has a parent that is"
            } else {
                "spans have parents that are"
            };
            let message = format!(
                "trace {}: {missing} {what} not in the data (e.g. {:?} points at {}); shown as roots",
                span.trace_id,
                self.name(i),
                span.parent_span_id
            );
            self.warnings.push(WarningKind::MissingParent, message);
        }
    }

    /// The pre-order of one trace: roots by start, then depth first, children
    /// by start. Spans not reached from a root sit on a parent cycle; the
    /// earliest of them is cut from its parent and becomes a root, until every
    /// span is placed.
    fn pre_order(&mut self, members: &[u32]) -> Vec<u32> {
        let spans = self.spans;
        // Local index of each member; members are by start, so CSR child
        // lists filled in member order are already by start.
        let local_of =
            |position: u32| members.binary_search_by_key(&key(spans, position), |&m| key(spans, m));
        let count = members.len();
        let mut child_count = vec![0u32; count + 1];
        let mut parent_local = vec![None; count];
        for (local, &position) in members.iter().enumerate() {
            if let Some(parent) = self.parents[position as usize]
                && let Ok(parent) = local_of(parent)
            {
                parent_local[local] = Some(parent);
                child_count[parent + 1] += 1;
            }
        }
        for i in 1..=count {
            child_count[i] += child_count[i - 1];
        }
        let offsets = child_count;
        let mut fill = offsets.clone();
        let mut children = vec![0u32; count];
        for (local, parent) in parent_local.iter().enumerate() {
            if let Some(parent) = *parent {
                children[fill[parent] as usize] = to_u32(local);
                fill[parent] += 1;
            }
        }

        let mut visited = vec![false; count];
        let mut order = Vec::with_capacity(count);
        let mut stack: Vec<u32> = Vec::new();
        let mut walk = |root: usize, visited: &mut Vec<bool>, order: &mut Vec<u32>| {
            stack.push(to_u32(root));
            while let Some(local) = stack.pop() {
                let local = local as usize;
                if std::mem::replace(&mut visited[local], true) {
                    continue;
                }
                order.push(members[local]);
                let kids = &children[offsets[local] as usize..offsets[local + 1] as usize];
                stack.extend(kids.iter().rev().filter(|&&kid| !visited[kid as usize]));
            }
        };
        for (local, parent) in parent_local.iter().enumerate() {
            if parent.is_none() {
                walk(local, &mut visited, &mut order);
            }
        }
        // Each loop costs the length of the path to it: a file of 50,000
        // two-span loops in one trace must not cost 50,000 scans of it.
        let mut next_unplaced = 0;
        let mut on_path = vec![false; count];
        while order.len() < count {
            while visited.get(next_unplaced) == Some(&true) {
                next_unplaced += 1;
            }
            if next_unplaced >= count {
                break;
            }
            let cut = earliest_on_cycle(next_unplaced, &parent_local, &mut on_path);
            let position = members[cut];
            self.parents[position as usize] = None;
            self.problems[position as usize].insert(Problems::CYCLE_BROKEN);
            let message = format!(
                "the parents of span {:?} ({}) loop back to it; the loop is cut there and it is shown as a root",
                self.name(position),
                spans[position as usize].span_id
            );
            self.warnings.push(WarningKind::ParentCycle, message);
            walk(cut, &mut visited, &mut order);
        }
        order
    }
}

/// A span that is not reached from any root has an unplaced parent, and so
/// on: following parents from it must loop. Returns the earliest-starting span
/// of that loop (locals are by start), so that cutting there keeps the spans
/// hanging below the loop under it. `on_path` is all `false`, and is left so:
/// only the path walked is marked and cleared.
fn earliest_on_cycle(from: usize, parent_local: &[Option<usize>], on_path: &mut [bool]) -> usize {
    let mut node = from;
    let cut = loop {
        let Some(flag) = on_path.get_mut(node) else {
            break from;
        };
        if std::mem::replace(flag, true) {
            // `node` is on the loop: walk it once to find its earliest span.
            let mut earliest = node;
            let mut step = parent_local.get(node).copied().flatten();
            while let Some(next) = step.filter(|&next| next != node) {
                earliest = earliest.min(next);
                step = parent_local.get(next).copied().flatten();
            }
            break earliest;
        }
        match parent_local.get(node).copied().flatten() {
            Some(parent) => node = parent,
            // Unreachable for an unplaced span; cutting here is still safe.
            None => break node,
        }
    };
    // Clear the marks along the same path: it ends where it first looped.
    let mut node = from;
    while let Some(flag) = on_path.get_mut(node) {
        if !std::mem::replace(flag, false) {
            break;
        }
        match parent_local.get(node).copied().flatten() {
            Some(parent) => node = parent,
            None => break,
        }
    }
    cut
}

/// The sort key of spans within a trace, as in [`index`].
fn key(spans: &[Span], position: u32) -> (u64, u64, u32) {
    let span = &spans[position as usize];
    (span.start_unix_nanos, span.span_id.sort_key(), position)
}

/// Fills `depth` and `subtree_end` from the parents of spans in pre-order:
/// a span's subtree ends where the next span not deeper than it starts.
fn set_depths_and_subtree_ends(spans: &mut [Span]) {
    for i in 0..spans.len() {
        let depth = match spans[i].parent {
            Some(parent) => spans.get(parent.index()).map_or(0, |p| p.depth + 1),
            None => 0,
        };
        spans[i].depth = depth;
    }
    // Walk backwards keeping a stack of open subtrees' ends by depth.
    let mut open: Vec<(u32, u32)> = Vec::new(); // (depth, position)
    let len = to_u32(spans.len());
    for i in 0..spans.len() {
        let depth = spans[i].depth;
        // Every open span at this depth or deeper ends here. Root spans of
        // different traces close all.
        let trace_changed = i > 0 && spans[i].trace_id != spans[i - 1].trace_id;
        while let Some(&(open_depth, position)) = open.last() {
            if open_depth >= depth || trace_changed {
                spans[position as usize].subtree_end = SpanIdx(to_u32(i));
                open.pop();
            } else {
                break;
            }
        }
        open.push((depth, to_u32(i)));
    }
    for (_, position) in open {
        spans[position as usize].subtree_end = SpanIdx(len);
    }
}

/// The summary of the trace of spans `range`.
fn summarize(set: &TraceSet, range: Slice) -> Trace {
    let spans = set.spans.get(range.range()).unwrap_or(&[]);
    let trace_id = spans.first().map(|span| span.trace_id).unwrap_or_default();
    let mut roots = Vec::new();
    let mut services: Vec<StrId> = Vec::new();
    let mut service_ids: Vec<StrId> = Vec::new();
    let (mut start, mut end) = (u64::MAX, 0);
    let (mut error_count, mut missing_parent_count) = (0, 0);
    let mut max_depth = 0;
    for (offset, span) in spans.iter().enumerate() {
        if span.parent.is_none() {
            roots.push(SpanIdx(range.start + to_u32(offset)));
        }
        start = start.min(span.start_unix_nanos);
        end = end.max(span.end_unix_nanos);
        error_count += usize::from(span.is_error());
        max_depth = max_depth.max(span.depth);
        missing_parent_count += usize::from(span.problems.contains(Problems::MISSING_PARENT));
        let service = set
            .resource(span.resource)
            .map_or(StrId::EMPTY, |r| r.service_name);
        // Sorted side list keeps the first-appearance list free of repeats
        // in O(log services) per span.
        if let Err(at) = service_ids.binary_search(&service) {
            service_ids.insert(at, service);
            if !service.is_empty() {
                services.push(service);
            }
        }
    }
    roots.sort_by_key(|idx| {
        set.span(*idx)
            .map(|span| (span.start_unix_nanos, span.span_id))
    });
    Trace {
        trace_id,
        spans: range,
        roots,
        error_count,
        missing_parent_count,
        max_depth,
        services,
        start_unix_nanos: if spans.is_empty() { 0 } else { start },
        end_unix_nanos: end,
    }
}

/// Points each log record at its span and orders the logs so that
/// [`TraceSet::logs_of_span`] is a binary search.
fn correlate_logs(set: &mut TraceSet) {
    let mut logs = std::mem::take(&mut set.logs);
    for log in &mut logs {
        if !log.span_id.is_zero() {
            log.span = set.find_span(log.trace_id, log.span_id);
        }
    }
    // Stable: records of one span at the same time keep their arrival order.
    logs.sort_by_key(|log| (log.span.is_none(), log.span, log.time_unix_nanos));
    set.logs = logs;
}
