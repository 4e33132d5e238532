//! Progress while reading and indexing.

use leptos::prelude::*;

use crate::state::{LoadStatus, use_app_state};

#[component]
pub fn LoadingIndicator() -> impl IntoView {
    let state = use_app_state();
    move || {
        let (label, fraction) = match state.load.get() {
            LoadStatus::Reading { name, done, total } if total > 0 => {
                #[allow(clippy::cast_precision_loss)] // a progress bar
                let fraction = done as f64 / total as f64;
                (
                    format!(
                        "Reading {name}: {} of {}",
                        spanloupe_core::format::bytes(done),
                        spanloupe_core::format::bytes(total)
                    ),
                    Some(fraction),
                )
            }
            LoadStatus::Reading { name, done, .. } => (
                format!("Reading {name}: {}", spanloupe_core::format::bytes(done)),
                None,
            ),
            LoadStatus::Indexing { name } => (format!("Indexing {name}…"), None),
            LoadStatus::Idle | LoadStatus::Failed { .. } => return ().into_any(),
        };
        let bar = fraction.map(|f| {
            let width = format!("{:.1}%", f * 100.0);
            view! { <div class="sl-progress__bar" style=("width", width)></div> }
        });
        view! {
            <div class="sl-progress" role="status" data-testid="loading">
                <span>{label}</span>
                <div class="sl-progress__track">{bar}</div>
            </div>
        }
        .into_any()
    }
}
