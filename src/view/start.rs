//! The start screen: every way to open data, the demo, and recent files.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::load::{self, recent};
use crate::state::use_app_state;
use crate::view::connect::ConnectForm;

#[component]
pub fn StartScreen() -> impl IntoView {
    let state = use_app_state();
    let url = RwSignal::new(String::new());
    let recent = RwSignal::new(recent::list());
    let recent_view = move || {
        let entries = recent.get();
        if entries.is_empty() {
            return None;
        }
        let items = entries
            .into_iter()
            .map(|entry| {
                let summary = format!(
                    "{} · {} · {}",
                    entry.format,
                    spanloupe_core::format::count(entry.spans, "span", "spans"),
                    spanloupe_core::format::bytes(entry.bytes)
                );
                let reopen = recent::kept(&entry.name).map(|bytes| {
                    let name = entry.name.clone();
                    view! {
                        <button class="sl-link" on:click=move |_| load::open_bytes(state, &name, bytes.to_vec())>
                            "Open again"
                        </button>
                    }
                });
                view! {
                    <li class="sl-recent__item">
                        <span class="sl-recent__name">{entry.name.clone()}</span>
                        <span class="sl-recent__summary">{summary}</span>
                        {reopen}
                    </li>
                }
            })
            .collect_view();
        Some(view! {
            <section class="sl-start__recent">
                <h2>"Opened recently in this tab"</h2>
                <ul class="sl-recent">{items}</ul>
                <p class="sl-muted">
                    "Only names and sizes are stored; the data stays in this page's memory. "
                    <button class="sl-link" data-testid="forget-recent" on:click=move |_| {
                        recent::forget();
                        recent.set(Vec::new());
                    }>"Forget recent files"</button>
                </p>
            </section>
        })
    };
    view! {
        <div class="sl-start" data-testid="start-screen">
            <section class="sl-start__drop">
                <h1>"Open trace data"</h1>
                <p>
                    "Drop files anywhere on this page (a traces file and its logs file together, if you have both), "
                    "paste OTLP JSON with Ctrl+V, or choose files:"
                </p>
                <OpenFilesButton />
                <p class="sl-start__formats">
                    "OTLP JSON, OTLP JSON Lines (collector or SDK file exporter), OTLP protobuf, Jaeger and Zipkin JSON, "
                    "console exporter output in a CI log, and gzip of any of them. "
                    "Nothing leaves your browser."
                </p>
                <form
                    class="sl-start__url"
                    on:submit=move |ev| {
                        ev.prevent_default();
                        let target = url.get_untracked();
                        if !target.trim().is_empty() {
                            load::open_url(state, target.trim().to_owned());
                        }
                    }
                >
                    <label for="sl-url">"Or fetch a URL"</label>
                    <input
                        id="sl-url"
                        type="url"
                        placeholder="https://…/trace.json"
                        prop:value=move || url.get()
                        on:input=move |ev| url.set(event_target_value(&ev))
                    />
                    <button type="submit">"Fetch"</button>
                </form>
                <ConnectForm />
                <p class="sl-start__hint">
                    "Links can open data directly: " <code>"?url=https://host/trace.json"</code>
                    " (the server must allow cross-origin requests)."
                </p>
                <button class="sl-button" data-testid="open-demo" on:click=move |_| load::open_demo(state)>
                    "Open the demo trace"
                </button>
            </section>
            {recent_view}
        </div>
    }
}

/// A button that opens the file picker (a hidden `<input type=file multiple>`).
#[component]
pub fn OpenFilesButton() -> impl IntoView {
    let state = use_app_state();
    let input: NodeRef<leptos::html::Input> = NodeRef::new();
    view! {
        <button class="sl-button sl-button--primary" on:click=move |_| {
            if let Some(input) = input.get() {
                input.click();
            }
        }>"Open files…"</button>
        <input
            node_ref=input
            class="sl-visually-hidden"
            type="file"
            multiple=true
            // The button above opens it; the input itself is not a stop.
            aria-label="Open trace files"
            tabindex="-1"
            data-testid="file-input"
            accept=".json,.jsonl,.ndjson,.pb,.bin,.protobuf,.gz,.txt,.log,application/json,application/x-protobuf,text/plain"
            on:change=move |ev| {
                let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else {
                    return;
                };
                let files = input.files().map(|list| file_list(&list)).unwrap_or_default();
                // Clear, so choosing the same file again fires `change`.
                input.set_value("");
                if !files.is_empty() {
                    load::open_files(state, files);
                }
            }
        />
    }
}

/// The files of a `FileList`, in order.
pub fn file_list(list: &web_sys::FileList) -> Vec<web_sys::File> {
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}
