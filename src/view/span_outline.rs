//! The spans of a trace in tree order with their durations: a first look at
//! the tree, before the virtualized waterfall (issue 3) takes its place.

use std::sync::Arc;

use leptos::prelude::*;
use spanloupe_core::TraceSet;
use spanloupe_core::format;
use spanloupe_core::model::SpanIdx;

use super::service_colors::service_color;

#[component]
pub fn SpanOutline(set: Arc<TraceSet>, trace_index: usize) -> impl IntoView {
    let Some(trace) = set.traces.get(trace_index) else {
        return ().into_any();
    };
    let rows = trace
        .spans
        .range()
        .filter_map(|index| {
            let idx = SpanIdx(u32::try_from(index).ok()?);
            let span = set.span(idx)?;
            let service = set.resource(span.resource).map(|r| r.service_name);
            let service_index = trace.services.iter().position(|s| Some(*s) == service).unwrap_or(0);
            let style = format!("--depth: {}; --service-color: {}", span.depth, service_color(service_index));
            let level = (span.depth + 1).to_string();
            let class = if span.is_error() { "sl-outline__row sl-outline__row--error" } else { "sl-outline__row" };
            Some(view! {
                <li class=class style=style role="treeitem">
                    <span class="sl-outline__name">{set.str(span.name).to_owned()}</span>
                    <span class="sl-outline__service">{set.service_name(idx).to_owned()}</span>
                    <span class="sl-outline__duration">{format::duration(span.duration_nanos())}</span>
                </li>
            }
            // Leptos has no `aria-level` attribute method: set it by name.
            .attr("aria-level", level))
        })
        .collect_view();
    view! { <ol class="sl-outline" role="tree" aria-label="Spans">{rows}</ol> }.into_any()
}
