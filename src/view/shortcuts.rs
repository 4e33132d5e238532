//! The keyboard shortcuts, over the page: `?` (or the top bar's `?`) opens
//! it, Esc, the Close button or a click beside it closes it.

use leptos::prelude::*;

use crate::state::use_app_state;

/// Keys and what they do, as the README's table has them.
const SHORTCUTS: &[(&str, &str)] = &[
    ("?", "show these shortcuts"),
    ("/", "search spans"),
    (
        "Enter, Shift+Enter",
        "next / previous match (in the search box)",
    ),
    (
        "↑ ↓, PageUp PageDown, Home End",
        "move the selection (waterfall focused)",
    ),
    (
        "← →",
        "collapse / expand, or go to the parent / first child",
    ),
    ("W S, + −, Ctrl+wheel", "zoom in / out"),
    ("A D, Shift+wheel", "pan"),
    ("0", "the whole trace"),
    ("← → (inspector tabs)", "the previous / next tab"),
    (
        "Esc",
        "clear the selection (in the search box: the search); close this",
    ),
    ("Ctrl+V", "open pasted OTLP JSON (outside text fields)"),
];

#[component]
pub fn ShortcutsOverlay() -> impl IntoView {
    let state = use_app_state();
    let close_button: NodeRef<leptos::html::Button> = NodeRef::new();
    // Focus goes to the dialog when it opens, for Esc and Tab to work in it.
    Effect::new(move |_| {
        if state.shortcuts.get()
            && let Some(button) = close_button.get()
        {
            let _ = button.focus();
        }
    });
    let rows = SHORTCUTS
        .iter()
        .map(|(keys, does)| view! { <tr><th scope="row"><kbd>{*keys}</kbd></th><td>{*does}</td></tr> })
        .collect_view();
    view! {
        <div
            class="sl-overlay"
            class:sl-hidden=move || !state.shortcuts.get()
            on:click=move |_| state.shortcuts.set(false)
        >
            <div
                class="sl-dialog"
                role="dialog"
                aria-modal="true"
                aria-labelledby="sl-shortcuts-title"
                data-testid="shortcuts"
                on:click=|ev| ev.stop_propagation()
                on:keydown=move |ev| {
                    if ev.key() == "Escape" {
                        ev.stop_propagation();
                        state.shortcuts.set(false);
                    }
                }
            >
                <h2 id="sl-shortcuts-title" class="sl-dialog__title">"Keyboard shortcuts"</h2>
                <table class="sl-shortcuts">{rows}</table>
                <button class="sl-button" node_ref=close_button on:click=move |_| state.shortcuts.set(false)>"Close"</button>
            </div>
        </div>
    }
}
