//! A small "copy" button that puts text on the clipboard.

use leptos::prelude::*;

#[component]
pub fn CopyButton(text: String, #[prop(default = "Copy")] label: &'static str) -> impl IntoView {
    let copied = RwSignal::new(false);
    view! {
        <button
            class="sl-copy"
            title="Copy to clipboard"
            on:click=move |ev| {
                ev.stop_propagation();
                if let Some(window) = web_sys::window() {
                    // The promise's outcome is not awaited: copying is best effort,
                    // and browsers refuse it without a user gesture anyway.
                    let _promise = window.navigator().clipboard().write_text(&text);
                    copied.set(true);
                }
            }
        >
            {move || if copied.get() { "Copied" } else { label }}
        </button>
    }
}
