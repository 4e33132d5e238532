//! The agent run as a graph: its agents, the models it called and the tools
//! it ran, with an edge from each step to the next in the order they ran.
//! Aggregated, a step that repeats is one node (`search_docs ×3`) and the
//! loop between a model and its tools shows as edges both ways; expanded,
//! every step is its own node. Laid out in layers (a small Sugiyama-style
//! layering): edges that go back to an earlier node are set aside, each
//! node takes the layer after the furthest node that leads to it, and a
//! layer's nodes keep the order they first ran in.

use std::collections::HashMap;

use super::span_kind::GenAiKind;
use super::trace_summary::TraceGenAi;
use crate::model::{SpanIdx, StrId, TraceSet};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NodeKind {
    Agent,
    Model,
    Tool,
}

impl NodeKind {
    pub fn label(self) -> &'static str {
        match self {
            NodeKind::Agent => "agent",
            NodeKind::Model => "model",
            NodeKind::Tool => "tool",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    pub kind: NodeKind,
    pub label: String,
    /// The spans of the step, in the order they ran.
    pub spans: Vec<SpanIdx>,
    /// Column (left to right) and row within it.
    pub layer: usize,
    pub row: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    /// How many times the run went this way.
    pub count: usize,
    /// It goes back to an earlier layer (a loop).
    pub back: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AgentGraph {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

impl AgentGraph {
    pub fn layers(&self) -> usize {
        self.nodes.iter().map(|n| n.layer + 1).max().unwrap_or(0)
    }

    pub fn rows(&self) -> usize {
        self.nodes.iter().map(|n| n.row + 1).max().unwrap_or(0)
    }
}

/// The graph of a trace's agents, model calls and tool runs; `expanded`
/// gives every step a node of its own.
pub fn agent_graph(set: &TraceSet, genai: &TraceGenAi, expanded: bool) -> AgentGraph {
    let keys = Keys::new(set);
    // The steps in the order they started (wrappers and second records of
    // a call are not steps).
    let mut steps: Vec<(u64, SpanIdx, NodeKind)> = genai
        .spans()
        .iter()
        .filter_map(|s| {
            let kind = match s.kind {
                GenAiKind::Agent => NodeKind::Agent,
                // Not a wrapper of other calls (uncounted, no twin), nor
                // the second record of one.
                GenAiKind::Inference | GenAiKind::Embeddings
                    if !s.duplicate && (s.counted || s.twin.is_some()) =>
                {
                    NodeKind::Model
                }
                GenAiKind::Tool => NodeKind::Tool,
                _ => return None,
            };
            let start = set.span(s.span)?.start_unix_nanos;
            Some((start, s.span, kind))
        })
        .collect();
    steps.sort_by_key(|&(start, span, _)| (start, span));

    let mut graph = AgentGraph::default();
    let mut by_key: HashMap<(NodeKind, String), usize> = HashMap::new();
    let mut edges: HashMap<(usize, usize), usize> = HashMap::new();
    let mut edge_order: Vec<(usize, usize)> = Vec::new();
    let mut previous: Option<usize> = None;
    for (_, span, kind) in steps {
        let label = keys.label(set, genai, span, kind);
        let node = if expanded {
            None
        } else {
            by_key.get(&(kind, label.clone())).copied()
        };
        let node = match node {
            Some(node) => node,
            None => {
                graph.nodes.push(Node {
                    kind,
                    label: label.clone(),
                    spans: Vec::new(),
                    layer: 0,
                    row: 0,
                });
                let node = graph.nodes.len() - 1;
                by_key.insert((kind, label), node);
                node
            }
        };
        graph.nodes[node].spans.push(span);
        if let Some(from) = previous.filter(|&from| from != node) {
            let count = edges.entry((from, node)).or_insert(0);
            if *count == 0 {
                edge_order.push((from, node));
            }
            *count += 1;
        }
        previous = Some(node);
    }
    // Layers: nodes come in the order they first ran, so an edge to an
    // earlier node goes back; the others form a DAG in that order.
    let mut layer = vec![0_usize; graph.nodes.len()];
    for &(from, to) in &edge_order {
        if from < to {
            layer[to] = layer[to].max(layer[from] + 1);
        }
    }
    // Edges were recorded in run order, not node order: settle the layers.
    for _ in 0..graph.nodes.len() {
        let mut changed = false;
        for &(from, to) in &edge_order {
            if from < to && layer[to] < layer[from] + 1 {
                layer[to] = layer[from] + 1;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let mut rows_used: Vec<usize> = Vec::new();
    for (node, &at) in graph.nodes.iter_mut().zip(&layer) {
        if rows_used.len() <= at {
            rows_used.resize(at + 1, 0);
        }
        node.layer = at;
        node.row = rows_used[at];
        rows_used[at] += 1;
    }
    graph.edges = edge_order
        .into_iter()
        .map(|(from, to)| Edge {
            from,
            to,
            count: edges.get(&(from, to)).copied().unwrap_or(0),
            back: graph.nodes[to].layer <= graph.nodes[from].layer,
        })
        .collect();
    graph
}

/// The attribute keys that name a step.
struct Keys {
    agent_name: Option<StrId>,
    tool_name: Option<StrId>,
}

impl Keys {
    fn new(set: &TraceSet) -> Self {
        Keys {
            agent_name: set.strings.lookup("gen_ai.agent.name"),
            tool_name: set.strings.lookup("gen_ai.tool.name"),
        }
    }

    /// An agent by its name, a model call by its model, a tool by its
    /// name; else the span's name.
    fn label(&self, set: &TraceSet, genai: &TraceGenAi, span: SpanIdx, kind: NodeKind) -> String {
        let attribute = |key: Option<StrId>| {
            let key = key?;
            let record = set.span(span)?;
            set.attributes(record.attributes)
                .iter()
                .find(|a| a.key == key)
                .and_then(|a| set.value_str(a.value))
                .map(str::to_owned)
        };
        let named = match kind {
            NodeKind::Agent => attribute(self.agent_name),
            NodeKind::Model => genai
                .get(span)
                .and_then(|g| g.model)
                .map(|m| set.str(m).to_owned()),
            NodeKind::Tool => attribute(self.tool_name),
        };
        named.filter(|n| !n.trim().is_empty()).unwrap_or_else(|| {
            set.span(span)
                .map(|s| set.str(s.name).to_owned())
                .unwrap_or_default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo() -> TraceSet {
        let text = include_str!("../../../../assets/demo/trip-planner-agent.json");
        crate::load(text.as_bytes(), crate::Source::default())
            .expect("the demo loads")
            .set
    }

    fn nodes(graph: &AgentGraph) -> Vec<(NodeKind, String, usize, usize, usize)> {
        graph
            .nodes
            .iter()
            .map(|n| (n.kind, n.label.clone(), n.spans.len(), n.layer, n.row))
            .collect()
    }

    fn edges(graph: &AgentGraph) -> Vec<(usize, usize, usize, bool)> {
        graph
            .edges
            .iter()
            .map(|e| (e.from, e.to, e.count, e.back))
            .collect()
    }

    #[test]
    fn the_demo_agent_calls_its_model_which_asks_for_a_tool() {
        let set = demo();
        let genai = TraceGenAi::of(&set, &set.traces[0]);
        let graph = agent_graph(&set, &genai, false);
        assert_eq!(
            nodes(&graph),
            [
                (NodeKind::Agent, "trip_planner".to_owned(), 1, 0, 0),
                (
                    NodeKind::Model,
                    "gpt-4o-mini-2024-07-18".to_owned(),
                    2,
                    1,
                    0
                ),
                (NodeKind::Tool, "get_weather".to_owned(), 1, 2, 0),
            ]
        );
        // Agent → model, model → tool, and back: the loop.
        assert_eq!(
            edges(&graph),
            [(0, 1, 1, false), (1, 2, 1, false), (2, 1, 1, true)]
        );

        // Expanded: each step its own node, in a line.
        let graph = agent_graph(&set, &genai, true);
        let layers: Vec<usize> = graph.nodes.iter().map(|n| n.layer).collect();
        assert_eq!(layers, [0, 1, 2, 3]);
        assert!(graph.edges.iter().all(|e| !e.back && e.count == 1));
        assert_eq!((graph.layers(), graph.rows()), (4, 1));
    }
}
