//! The critical path's spans, under the toolbar while it is shown: each
//! with the time it held the path and its share of the trace, in the order
//! they held it; a click selects the span.

use std::sync::Arc;

use leptos::prelude::*;
use spanloupe_core::format;

use super::Derived;
use crate::state::{Dataset, use_app_state};

#[component]
pub fn CriticalList(data: Arc<Dataset>, index: usize, derived: Derived) -> impl IntoView {
    let state = use_app_state();
    let duration = data
        .set
        .traces
        .get(index)
        .map_or(1, |t| t.duration_nanos().max(1));
    move || {
        let view = derived.critical.get()?;
        let spans = view.path.spans();
        let summary = format!(
            "Critical path: {}",
            format::count(spans.len(), "span", "spans")
        );
        let items = spans
            .into_iter()
            .map(|on_path| {
                let name = data
                    .set
                    .span(on_path.span)
                    .map(|s| data.set.str(s.name).to_owned())
                    .unwrap_or_default();
                #[allow(clippy::cast_precision_loss)] // a share in percent
                let share = on_path.nanos as f64 / duration as f64 * 100.0;
                let facts = format!("{} · {share:.1}%", format::duration(on_path.nanos));
                let span = on_path.span;
                view! {
                    <li>
                        <button class="sl-link sl-critical__span" on:click=move |_| state.select(Some(span))>{name}</button>
                        <span class="sl-muted">{facts}</span>
                    </li>
                }
            })
            .collect_view();
        Some(view! {
            <details class="sl-critical" data-testid="critical-list" open=true>
                <summary>{summary}</summary>
                <ol class="sl-critical__spans">{items}</ol>
            </details>
        })
    }
}
