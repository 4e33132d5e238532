//! One trace: header, warnings and its spans.

use std::sync::Arc;

use leptos::prelude::*;
use spanloupe_core::TraceSet;

use super::span_outline::SpanOutline;
use super::trace_header::TraceHeader;
use super::warnings::WarningList;

/// Shows the first trace of `set` (the trace list comes with several traces).
#[component]
pub fn TraceView(set: Arc<TraceSet>) -> impl IntoView {
    if set.traces.is_empty() {
        let logs = spanloupe_core::format::count(set.logs.len(), "log record", "log records");
        return view! { <p class="sl-empty">{format!("No spans; {logs} loaded.")}</p> }.into_any();
    }
    view! {
        <TraceHeader set=set.clone() trace_index=0 />
        <WarningList set=set.clone() />
        <SpanOutline set=set trace_index=0 />
    }
    .into_any()
}
