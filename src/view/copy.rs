//! A small "copy" button that puts text on the clipboard.

use std::sync::Arc;

use leptos::prelude::*;

/// What a copy button copies: a string, or a function that makes it when
/// clicked, so a 10 MB attribute costs nothing until someone copies it.
#[derive(Clone)]
pub struct CopyText(Arc<dyn Fn() -> String + Send + Sync>);

impl CopyText {
    pub fn lazy(make: impl Fn() -> String + Send + Sync + 'static) -> Self {
        CopyText(Arc::new(make))
    }
}

impl From<String> for CopyText {
    fn from(text: String) -> Self {
        CopyText::lazy(move || text.clone())
    }
}

#[component]
pub fn CopyButton(
    #[prop(into)] text: CopyText,
    #[prop(default = "Copy")] label: &'static str,
) -> impl IntoView {
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
                    let _promise = window.navigator().clipboard().write_text(&(text.0)());
                    copied.set(true);
                }
            }
        >
            {move || if copied.get() { "Copied" } else { label }}
        </button>
    }
}
