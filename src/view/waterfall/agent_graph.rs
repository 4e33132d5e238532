//! The Agent graph view (`spanloupe_core::genai::agent_graph`): the agent
//! run as SVG, agents, models and tools in layers left to right, an arrow
//! from each step to the next (loops curve back below), repeated steps as
//! one node with their count unless "Every step" is ticked. A click on a
//! node selects its first span.

use std::sync::Arc;

use leptos::prelude::*;
use spanloupe_core::format;
use spanloupe_core::genai::agent_graph::{AgentGraph, Edge, Node, NodeKind, agent_graph};

use super::Derived;
use crate::state::{Dataset, use_app_state};

const NODE_W: f64 = 210.0;
/// Longer labels are cut (the whole one is the node's tooltip).
const LABEL_CHARS: usize = 26;
const NODE_H: f64 = 44.0;
const GAP_X: f64 = 70.0;
const GAP_Y: f64 = 34.0;
const MARGIN: f64 = 16.0;
/// Room below the nodes for loops curving back.
const LOOP_ROOM: f64 = 40.0;

#[component]
pub fn AgentGraphView(data: Arc<Dataset>, derived: Derived) -> impl IntoView {
    let state = use_app_state();
    let expanded = RwSignal::new(false);
    let graph = {
        let data = data.clone();
        Memo::new(move |_| {
            let every_step = expanded.get();
            derived
                .genai
                .with_value(|genai| Arc::new(agent_graph(&data.set, genai, every_step)))
        })
    };
    let picture = move || {
        let graph = graph.get();
        #[allow(clippy::cast_precision_loss)] // a few dozen layers
        let (layers, rows) = (graph.layers() as f64, graph.rows() as f64);
        let width = MARGIN * 2.0 + layers * NODE_W + (layers - 1.0).max(0.0) * GAP_X;
        let height = MARGIN * 2.0 + rows * NODE_H + (rows - 1.0).max(0.0) * GAP_Y + LOOP_ROOM;
        let edges = graph
            .edges
            .iter()
            .map(|edge| edge_view(&graph, edge))
            .collect_view();
        let nodes = graph
            .nodes
            .iter()
            .map(|node| node_view(state, node))
            .collect_view();
        view! {
            <svg
                class="sl-agent-graph__svg"
                width=width.to_string()
                height=height.to_string()
                viewBox=format!("0 0 {width} {height}")
                role="group"
                aria-label="The agent run: agents, models and tools, with an arrow from each step to the next"
            >
                <defs>
                    <marker id="sl-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                        <path d="M0 0 L10 5 L0 10 z" class="sl-agent-graph__arrow"></path>
                    </marker>
                </defs>
                {edges}
                {nodes}
            </svg>
        }
    };
    let summary = move || {
        let graph = graph.get();
        let count = |kind: NodeKind| graph.nodes.iter().filter(|n| n.kind == kind).count();
        format!(
            "{} · {} · {}",
            format::count(count(NodeKind::Agent), "agent", "agents"),
            format::count(count(NodeKind::Model), "model", "models"),
            format::count(count(NodeKind::Tool), "tool", "tools")
        )
    };
    view! {
        <section class="sl-agent-graph" data-testid="agent-graph">
            <div class="sl-toolbar">
                <span class="sl-muted" data-testid="agent-graph-summary">{summary}</span>
                <label class="sl-check">
                    <input
                        type="checkbox"
                        data-testid="agent-graph-expand"
                        prop:checked=move || expanded.get()
                        on:change=move |ev| expanded.set(event_target_checked(&ev))
                    />
                    "Every step"
                </label>
            </div>
            <div class="sl-agent-graph__scroll">{picture}</div>
        </section>
    }
}

fn position(node: &Node) -> (f64, f64) {
    #[allow(clippy::cast_precision_loss)] // a few dozen layers and rows
    (
        MARGIN + node.layer as f64 * (NODE_W + GAP_X),
        MARGIN + node.row as f64 * (NODE_H + GAP_Y),
    )
}

fn node_view(state: crate::state::AppState, node: &Node) -> impl IntoView + use<> {
    let (x, y) = position(node);
    let first = node.spans.first().copied();
    let times = node.spans.len();
    let full = if times > 1 {
        format!("{} ×{times}", node.label)
    } else {
        node.label.clone()
    };
    let name = format!("{} {full}: select its span", node.kind.label());
    let label = if node.label.chars().count() > LABEL_CHARS {
        let cut: String = node.label.chars().take(LABEL_CHARS - 1).collect();
        let times = if times > 1 {
            format!(" ×{times}")
        } else {
            String::new()
        };
        format!("{cut}…{times}")
    } else {
        full.clone()
    };
    let class = format!("sl-agent-node sl-agent-node--{}", node.kind.label());
    let select = move || state.select(first);
    view! {
        <g class=class role="button" tabindex="0" aria-label=name data-testid="agent-node"
            on:click=move |_| select()
            on:keydown=move |ev| if ev.key() == "Enter" { select() }>
            <title>{full}</title>
            <rect x=x.to_string() y=y.to_string() width=NODE_W.to_string() height=NODE_H.to_string() rx="8"></rect>
            <text x=(x + 10.0).to_string() y=(y + 16.0).to_string() class="sl-agent-node__kind">{node.kind.label()}</text>
            <text x=(x + 10.0).to_string() y=(y + 34.0).to_string() class="sl-agent-node__label">{label}</text>
        </g>
    }
}

fn edge_view(graph: &AgentGraph, edge: &Edge) -> impl IntoView + use<> {
    let (Some(from), Some(to)) = (graph.nodes.get(edge.from), graph.nodes.get(edge.to)) else {
        return ().into_any();
    };
    let ((fx, fy), (tx, ty)) = (position(from), position(to));
    let path = if edge.back {
        // A loop: from the bottom of the later node, curving below, to the
        // bottom of the earlier one.
        let (x1, y1) = (fx + NODE_W / 2.0, fy + NODE_H);
        let (x2, y2) = (tx + NODE_W / 2.0 + 12.0, ty + NODE_H);
        let dip = y1.max(y2) + LOOP_ROOM - 6.0;
        format!("M{x1} {y1} C{x1} {dip} {x2} {dip} {x2} {y2}")
    } else {
        let (x1, y1) = (fx + NODE_W, fy + NODE_H / 2.0);
        let (x2, y2) = (tx, ty + NODE_H / 2.0);
        let middle = (x1 + x2) / 2.0;
        format!("M{x1} {y1} C{middle} {y1} {middle} {y2} {x2} {y2}")
    };
    let count = (edge.count > 1).then(|| {
        let (lx, ly) = if edge.back {
            ((fx + tx + NODE_W) / 2.0, fy.max(ty) + NODE_H + LOOP_ROOM - 10.0)
        } else {
            ((fx + NODE_W + tx) / 2.0, (fy + ty + NODE_H) / 2.0 - 6.0)
        };
        view! { <text x=lx.to_string() y=ly.to_string() class="sl-agent-graph__count">{format!("×{}", edge.count)}</text> }
    });
    view! {
        <path d=path class="sl-agent-graph__edge" marker-end="url(#sl-arrow)"></path>
        {count}
    }
    .into_any()
}
