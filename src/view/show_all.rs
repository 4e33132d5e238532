//! The "show all (N characters)" / "show less" toggle of collapsed long texts.

use leptos::prelude::*;
use spanloupe_core::format;

#[component]
pub fn ShowAllButton(expanded: RwSignal<bool>, chars: usize) -> impl IntoView {
    let label = move || {
        if expanded.get() {
            "show less".to_owned()
        } else {
            format!(
                "show all ({})",
                format::count(chars, "character", "characters")
            )
        }
    };
    view! {
        <button class="sl-link sl-show-all" on:click=move |_| expanded.update(|e| *e = !*e)>{label}</button>
    }
}
