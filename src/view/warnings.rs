//! The warnings of a load, and the inputs that failed beside those that
//! loaded: what was repaired or skipped, never silently.

use std::sync::Arc;

use leptos::prelude::*;

use crate::state::Dataset;

#[component]
pub fn WarningList(data: Arc<Dataset>) -> impl IntoView {
    let set = &data.set;
    if set.warnings.is_empty() && data.failed.is_empty() {
        return ().into_any();
    }
    let failed = data
        .failed
        .iter()
        .map(|f| view! { <li class="sl-warnings__failed">{format!("{} was not loaded: {}", f.name, f.message)}</li> })
        .collect_view();
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
    let total = set.warnings.total() + data.failed.len();
    let summary = spanloupe_core::format::count(total, "warning", "warnings");
    view! {
        <details class="sl-warnings" data-testid="warnings" open=!data.failed.is_empty()>
            <summary>{summary}</summary>
            <ul>{failed}{items}{more}</ul>
        </details>
    }
    .into_any()
}
