//! The "show all (N characters)" / "show less" toggle of collapsed long texts.

use leptos::prelude::*;
use spanloupe_core::format;
use spanloupe_core::layout::attributes::PAGE_ROWS;

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

/// "Show 200 more (of 1,000,000)": adds a page to a long list, whose first
/// page alone is drawn (`layout::attributes::PAGE_ROWS`).
#[component]
pub fn ShowMoreButton(
    pages: RwSignal<usize>,
    shown: Signal<usize>,
    total: Signal<usize>,
) -> impl IntoView {
    let more = move || {
        let left = total.get().saturating_sub(shown.get());
        (left > 0).then(|| {
            let next = left.min(PAGE_ROWS);
            let label = format!(
                "Show {} more (of {})",
                format::count(next, "", "").trim_end(),
                format::count(total.get(), "", "").trim_end()
            );
            view! {
                <button class="sl-link sl-show-more" data-testid="show-more" on:click=move |_| pages.update(|p| *p += 1)>{label}</button>
            }
        })
    };
    view! { {more} }
}
