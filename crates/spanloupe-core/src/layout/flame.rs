//! The flame graph (an icicle, roots on top) of a trace by self time: spans
//! with the same path of service and name from the root are one node, its
//! width the self time of all of them and of everything under them, so a
//! wide node with narrow children is where the time went. Children sit left
//! to right in the order they first ran.

use std::collections::HashMap;

use super::self_time::self_time_nanos;
use crate::model::{SpanIdx, StrId, Trace, TraceSet};

/// One node: the spans of one path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlameNode {
    pub name: StrId,
    pub service: StrId,
    /// 0 for the trace's roots.
    pub depth: u32,
    /// The node's parent (`None` for roots).
    pub parent: Option<usize>,
    /// Where the node starts along the width, in nanoseconds of value.
    pub offset: u64,
    /// Self time of its spans and of all below them.
    pub value: u64,
    /// Self time of its spans alone.
    pub self_nanos: u64,
    /// How many spans it merges, and the first of them (its colour, and
    /// what a click selects).
    pub count: usize,
    pub first: SpanIdx,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Flame {
    /// Parents before children.
    pub nodes: Vec<FlameNode>,
    /// The width of the whole graph (the roots' values).
    pub total: u64,
    pub max_depth: u32,
}

impl Flame {
    /// The node under a point of a graph zoomed on `focus` (the whole graph
    /// for `None`): `fraction` across its width (0..1) and `depth` rows down
    /// from the top (the focus's own depth is row 0).
    pub fn node_at(&self, focus: Option<usize>, fraction: f64, row: u32) -> Option<usize> {
        let (start, width, top) = self.window(focus);
        #[allow(
            clippy::cast_precision_loss,
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss
        )]
        let at = start + (fraction.clamp(0.0, 1.0) * width as f64) as u64;
        self.nodes.iter().position(|node| {
            node.depth == top + row
                && node.offset <= at
                && at < node.offset + node.value.max(1)
                && self.within(focus, node)
        })
    }

    /// The value range and top depth shown when zoomed on `focus`.
    pub fn window(&self, focus: Option<usize>) -> (u64, u64, u32) {
        match focus.and_then(|f| self.nodes.get(f)) {
            Some(node) => (node.offset, node.value.max(1), node.depth),
            None => (0, self.total.max(1), 0),
        }
    }

    /// Whether `node` is the focus or below it (everything, without one).
    pub fn within(&self, focus: Option<usize>, node: &FlameNode) -> bool {
        let Some(focus) = focus else {
            return true;
        };
        let mut current = Some(node);
        while let Some(n) = current {
            if self.nodes.get(focus) == Some(n) {
                return true;
            }
            current = n.parent.and_then(|p| self.nodes.get(p));
        }
        false
    }
}

/// The flame graph of `trace`.
pub fn flame(set: &TraceSet, trace: &Trace) -> Flame {
    let mut nodes: Vec<FlameNode> = Vec::new();
    let mut children: HashMap<(Option<usize>, StrId, StrId), usize> = HashMap::new();
    // The node of each span, by its offset in the trace (pre-order: a
    // parent's node is known before its children's).
    let mut node_of: Vec<usize> = Vec::with_capacity(trace.span_count());
    for index in trace.spans.range() {
        let idx = SpanIdx::at(index);
        let Some(span) = set.span(idx) else {
            node_of.push(0);
            continue;
        };
        let parent = span.parent.and_then(|p| {
            node_of
                .get(p.index().checked_sub(trace.spans.start as usize)?)
                .copied()
        });
        let service = set
            .resource(span.resource)
            .map(|r| r.service_name)
            .unwrap_or_default();
        let key = (parent, service, span.name);
        let node = *children.entry(key).or_insert_with(|| {
            nodes.push(FlameNode {
                name: span.name,
                service,
                depth: parent.map_or(0, |p| nodes[p].depth + 1),
                parent,
                offset: 0,
                value: 0,
                self_nanos: 0,
                count: 0,
                first: idx,
            });
            nodes.len() - 1
        });
        nodes[node].count += 1;
        nodes[node].self_nanos += self_time_nanos(set, idx);
        node_of.push(node);
    }
    // Values, children before parents (they were made after them).
    for i in (0..nodes.len()).rev() {
        nodes[i].value += nodes[i].self_nanos;
        if let Some(parent) = nodes[i].parent {
            let value = nodes[i].value;
            nodes[parent].value += value;
        }
    }
    // Offsets: each node after its earlier siblings, at its parent's start.
    let mut next_child_at: Vec<u64> = vec![0; nodes.len()];
    let mut next_root_at = 0;
    for i in 0..nodes.len() {
        let offset = match nodes[i].parent {
            Some(parent) => {
                let at = nodes[parent].offset + next_child_at[parent];
                next_child_at[parent] += nodes[i].value;
                at
            }
            None => {
                let at = next_root_at;
                next_root_at += nodes[i].value;
                at
            }
        };
        nodes[i].offset = offset;
    }
    let max_depth = nodes.iter().map(|n| n.depth).max().unwrap_or(0);
    Flame {
        nodes,
        total: next_root_at,
        max_depth,
    }
}

/// A node's label cut to `available` pixels: whole when it fits, else its
/// start and "…" (a squeezed label is unreadable), `None` when not even a
/// letter and "…" fit. `measure` is the canvas's width of a text.
pub fn fit_label(name: &str, available: f64, measure: impl Fn(&str) -> f64) -> Option<String> {
    if measure(name) <= available {
        return Some(name.to_owned());
    }
    let ends: Vec<usize> = name.char_indices().map(|(at, _)| at).skip(1).collect();
    // The longest start that fits with "…": widths grow with length, so a
    // binary search over where to cut.
    let fits = |cut: usize| measure(&format!("{}…", &name[..cut])) <= available;
    let count = ends.partition_point(|&cut| fits(cut));
    let cut = *ends.get(count.checked_sub(1)?)?;
    Some(format!("{}…", &name[..cut]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_cut_not_squeezed() {
        // Seven pixels a character.
        let measure =
            |text: &str| f64::from(u32::try_from(text.chars().count()).unwrap_or(u32::MAX)) * 7.0;
        assert_eq!(
            fit_label("GET /cart", 100.0, measure).as_deref(),
            Some("GET /cart")
        );
        // 10 characters fit: 9 of the name and "…".
        assert_eq!(
            fit_label("SELECT * FROM orders", 70.0, measure).as_deref(),
            Some("SELECT * …")
        );
        assert_eq!(fit_label("résumé-ü", 21.0, measure).as_deref(), Some("ré…"));
        assert_eq!(fit_label("GET /cart", 10.0, measure), None);
    }

    use crate::layout::test_trace::trace;

    #[test]
    fn spans_of_one_path_are_one_node_as_wide_as_their_self_time() {
        // GET /cart → 3 × SELECT (10 ms each) and render (20 ms, with a
        // 5 ms SELECT inside: another path).
        let set = trace(&[
            ("1", "", "GET /cart", 0, 100),
            ("2", "1", "SELECT", 0, 10),
            ("3", "1", "SELECT", 10, 20),
            ("4", "1", "render", 20, 40),
            ("5", "4", "SELECT", 25, 30),
            ("6", "1", "SELECT", 40, 50),
        ]);
        let graph = flame(&set, &set.traces[0]);
        let ms = |n: u64| n / 1_000_000;
        let facts: Vec<(String, u32, u64, u64, u64, usize)> = graph
            .nodes
            .iter()
            .map(|n| {
                (
                    set.str(n.name).to_owned(),
                    n.depth,
                    ms(n.offset),
                    ms(n.value),
                    ms(n.self_nanos),
                    n.count,
                )
            })
            .collect();
        assert_eq!(
            facts,
            [
                ("GET /cart".to_owned(), 0, 0, 100, 50, 1),
                ("SELECT".to_owned(), 1, 0, 30, 30, 3),
                ("render".to_owned(), 1, 30, 20, 15, 1),
                ("SELECT".to_owned(), 2, 30, 5, 5, 1),
            ]
        );
        assert_eq!((ms(graph.total), graph.max_depth), (100, 2));

        // Hit testing, whole and zoomed on render.
        assert_eq!(graph.node_at(None, 0.1, 1), Some(1));
        assert_eq!(graph.node_at(None, 0.32, 2), Some(3));
        assert_eq!(graph.node_at(None, 0.9, 1), None);
        assert_eq!(graph.node_at(Some(2), 0.5, 0), Some(2));
        assert_eq!(graph.node_at(Some(2), 0.1, 1), Some(3));
        assert_eq!(graph.window(Some(2)), (30_000_000, 20_000_000, 1));
    }
}
