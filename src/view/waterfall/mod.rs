//! The trace page: header, toolbar (search, errors, expand/collapse), the
//! virtualized waterfall, and the inspector of the selected span.

mod agent_graph;
mod critical;
mod flame;
mod minimap;
mod row_pool;
mod rows;
mod statistics;
mod toolbar;

use std::sync::Arc;

use leptos::prelude::*;
use spanloupe_core::genai::TraceGenAi;
use spanloupe_core::layout::critical_path::{CriticalPath, SectionsBySpan, critical_path};
use spanloupe_core::layout::logical::{Logical, logical};
use spanloupe_core::layout::rows::keep_matches;
use spanloupe_core::layout::search::{Query, search};
use spanloupe_core::layout::{Rows, visible_rows};
use spanloupe_core::model::SpanIdx;

use crate::state::{Dataset, TraceView, use_app_state};
use crate::view::chat::GenAiIndex;
use crate::view::conversation::Conversation;
use crate::view::inspector::Inspector;
use crate::view::trace_header::TraceHeader;

pub use toolbar::SEARCH_INPUT_ID;

/// What the waterfall's parts share, computed once per change.
#[derive(Clone, Copy)]
pub struct Derived {
    /// Matches of the search, in tree order.
    pub matches: Memo<Vec<SpanIdx>>,
    /// The visible rows.
    pub rows: Memo<Rows>,
    /// The trace's GenAI spans: icons, models and tokens on rows.
    pub genai: StoredValue<Arc<TraceGenAi>>,
    /// The critical path, while it is shown.
    pub critical: Memo<Option<Arc<CriticalView>>>,
    /// The logical view, while it is on.
    pub logical: Memo<Option<Arc<Logical>>>,
}

/// The critical path and its sections by span.
#[derive(Debug, PartialEq)]
pub struct CriticalView {
    pub path: CriticalPath,
    pub by_span: SectionsBySpan,
}

#[component]
pub fn TracePage(data: Arc<Dataset>, index: usize) -> impl IntoView {
    let state = use_app_state();
    let matches = {
        let data = data.clone();
        Memo::new(move |_| {
            let Some(trace) = data.set.traces.get(index) else {
                return Vec::new();
            };
            match Query::parse(&state.query.get()) {
                Some(query) => search(&data.set, trace, &query),
                None => Vec::new(),
            }
        })
    };
    let genai: Arc<TraceGenAi> = state.genai_of(&data, index);
    let logical = {
        let (data, genai) = (data.clone(), genai.clone());
        Memo::new(move |_| {
            if !state.logical.get() {
                return None;
            }
            let trace = data.set.traces.get(index)?;
            state
                .logical_expanded
                .with(|expanded| Some(Arc::new(logical(&data.set, trace, &genai, expanded))))
        })
    };
    let rows = {
        let data = data.clone();
        Memo::new(move |_| {
            let Some(trace) = data.set.traces.get(index) else {
                return Rows::default();
            };
            let filtering = state.only_matches.get() && !state.query.with(|q| q.trim().is_empty());
            let logical = logical.get();
            state.collapsed.with(|collapsed| {
                // Only matches (with their ancestors), and in the logical
                // view only what it shows: both when both are on.
                let keep = match (filtering, logical) {
                    (false, None) => None,
                    (false, Some(logical)) => Some(logical.keep.clone()),
                    (true, logical) => {
                        let mut keep = matches.with(|m| keep_matches(&data.set, trace, m));
                        if let Some(logical) = logical {
                            for index in trace.spans.range() {
                                let idx = SpanIdx::at(index);
                                if !logical.keep.contains(idx) {
                                    keep.remove(idx);
                                }
                            }
                        }
                        Some(keep)
                    }
                };
                visible_rows(&data.set, trace, collapsed, keep.as_ref())
            })
        })
    };
    provide_context(GenAiIndex(genai.clone()));
    let critical = {
        let data = data.clone();
        Memo::new(move |_| {
            if !state.critical.get() {
                return None;
            }
            let path = critical_path(&data.set, data.set.traces.get(index)?);
            let by_span = path.by_span();
            Some(Arc::new(CriticalView { path, by_span }))
        })
    };
    let derived = Derived {
        matches,
        rows,
        genai: StoredValue::new(genai),
        critical,
        logical,
    };
    let body: NodeRef<leptos::html::Div> = NodeRef::new();
    let viewport = rows::Viewport::new();

    // A selected span (`AppState::select` expanded its ancestors) is
    // scrolled into view.
    Effect::new(move |_| {
        let Some(selected) = state.selected.get() else {
            return;
        };
        // Untracked: collapsing or scrolling later must not scroll back.
        if let Some(position) = rows.with_untracked(|rows| rows.position(selected)) {
            viewport.scroll_into_view(body, position);
        }
    });

    let inspector = {
        let data = data.clone();
        move || {
            // `hide=inspector`: a host page shows the selection itself.
            let hidden = state.embed.with_value(|embed| embed.hidden.inspector);
            state
                .selected
                .get()
                .filter(|_| !hidden)
                .map(|idx| view! { <Inspector data=data.clone() span=idx /> })
        }
    };
    let main_view = {
        let data = data.clone();
        move || {
            if let Some(other) = state.compare_with.get() {
                return view! { <super::compare::CompareView data=data.clone() a=index b=other /> }
                    .into_any();
            }
            match state.view.get() {
                TraceView::Conversation => {
                    let genai = derived.genai.get_value();
                    view! { <div class="sl-conversation-scroll"><Conversation data=data.clone() genai=genai index=index /></div> }.into_any()
                }
                TraceView::Statistics => {
                    view! { <statistics::Statistics data=data.clone() index=index derived=derived /> }.into_any()
                }
                TraceView::FlameGraph => view! { <flame::FlameGraph data=data.clone() index=index /> }.into_any(),
                TraceView::AgentGraph => {
                    view! { <agent_graph::AgentGraphView data=data.clone() derived=derived /> }.into_any()
                }
                TraceView::Waterfall => view! {
                    <toolbar::Toolbar data=data.clone() index=index derived=derived />
                    <critical::CriticalList data=data.clone() index=index derived=derived />
                    <rows::Waterfall data=data.clone() index=index derived=derived body=body viewport=viewport />
                }
                .into_any(),
            }
        }
    };
    view! {
        <div class="sl-trace-page">
            <div class="sl-trace-page__main">
                <TraceHeader data=data.clone() index=index derived=derived />
                {main_view}
            </div>
            {inspector}
        </div>
    }
}
