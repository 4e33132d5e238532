//! The warnings of a load: what was repaired or skipped, never silently.

use std::sync::Arc;

use leptos::prelude::*;
use spanloupe_core::TraceSet;

#[component]
pub fn WarningList(set: Arc<TraceSet>) -> impl IntoView {
    if set.warnings.is_empty() {
        return ().into_any();
    }
    let items = set
        .warnings
        .iter()
        .map(|w| view! { <li>{w.message.clone()}</li> })
        .collect_view();
    let more = set
        .warnings
        .overflow()
        .map(|(kind, n)| view! { <li class="sl-warnings__more">{format!("… and {n} more like these ({kind:?})")}</li> })
        .collect_view();
    let summary = spanloupe_core::format::count(set.warnings.total(), "warning", "warnings");
    view! {
        <details class="sl-warnings">
            <summary>{summary}</summary>
            <ul>{items}{more}</ul>
        </details>
    }
    .into_any()
}
