//! "Export" on a trace: the trace, the search's matches or the selected
//! subtree as OTLP JSON; the conversation or the selected call as Markdown;
//! the waterfall as SVG. Built here from the model (the core writes them)
//! and downloaded.

use std::sync::Arc;

use leptos::prelude::*;
use spanloupe_core::export::otlp_data::{
    Logs, document, matches_with_ancestors, spans_document, subtree,
};
use spanloupe_core::export::{markdown, svg};
use spanloupe_core::genai::llm_call;
use wasm_bindgen::JsCast;

use super::waterfall::Derived;
use crate::state::{Dataset, TraceView, use_app_state};

#[component]
pub fn ExportMenu(data: Arc<Dataset>, index: usize, derived: Derived) -> impl IntoView {
    let state = use_app_state();
    let Some(trace) = data.set.traces.get(index).cloned() else {
        return ().into_any();
    };
    let id = trace.trace_id.to_string();
    let menu: NodeRef<leptos::html::Details> = NodeRef::new();
    let close = move || {
        if let Some(menu) = menu.get_untracked() {
            menu.set_open(false);
        }
    };
    // A click anywhere else closes the menu, as menus do.
    let outside = window_event_listener(leptos::ev::click, move |ev| {
        let inside = menu.get_untracked().is_some_and(|menu| {
            ev.target()
                .and_then(|t| t.dyn_into::<web_sys::Node>().ok())
                .is_some_and(|target| menu.contains(Some(&target)))
        });
        if !inside {
            close();
        }
    });
    on_cleanup(move || outside.remove());
    let has_conversation = derived.genai.with_value(|g| g.has_steps());
    let selected_call = {
        let data = data.clone();
        Memo::new(move |_| {
            state
                .selected
                .get()
                .filter(|&idx| derived.genai.with_value(|g| g.get(idx).is_some()))
                .filter(|&idx| llm_call(&data.set, idx).is_some())
        })
    };

    let item = move |label: &'static str,
                     testid: &'static str,
                     enabled: Signal<bool>,
                     run: Arc<dyn Fn() + Send + Sync>| {
        view! {
            <button
                class="sl-menu__item"
                role="menuitem"
                data-testid=testid
                disabled=move || !enabled.get()
                on:click=move |_| {
                    run();
                    close();
                }
            >
                {label}
            </button>
        }
    };

    let trace_id = trace.trace_id;
    let trace_json: Arc<dyn Fn() + Send + Sync> = {
        let (data, id) = (data.clone(), id.clone());
        Arc::new(move || {
            let json = document(&data.set, &[trace_id], Logs::OfTheTraces);
            download_json(&format!("trace-{id}.json"), &json);
        })
    };
    let matches_json: Arc<dyn Fn() + Send + Sync> = {
        let (data, id, trace) = (data.clone(), id.clone(), trace.clone());
        Arc::new(move || {
            let spans = derived
                .matches
                .with_untracked(|m| matches_with_ancestors(&data.set, &trace, m));
            let json = spans_document(&data.set, &spans);
            download_json(&format!("trace-{id}-matches.json"), &json);
        })
    };
    let subtree_json: Arc<dyn Fn() + Send + Sync> = {
        let (data, id) = (data.clone(), id.clone());
        Arc::new(move || {
            let Some(selected) = state.selected.get_untracked() else {
                return;
            };
            let span_id = span_id_of(&data, selected);
            let json = spans_document(&data.set, &subtree(&data.set, selected));
            download_json(&format!("trace-{id}-span-{span_id}.json"), &json);
        })
    };
    let conversation_md: Arc<dyn Fn() + Send + Sync> = {
        let (data, id, trace) = (data.clone(), id.clone(), trace.clone());
        Arc::new(move || {
            let text = derived
                .genai
                .with_value(|genai| markdown::conversation(&data.set, &trace, genai));
            download(&format!("conversation-{id}.md"), "text/markdown", &text);
        })
    };
    let call_md: Arc<dyn Fn() + Send + Sync> = {
        let data = data.clone();
        Arc::new(move || {
            let Some(selected) = selected_call.get_untracked() else {
                return;
            };
            let span_id = span_id_of(&data, selected);
            if let Some(text) = markdown::call(&data.set, selected) {
                download(&format!("call-{span_id}.md"), "text/markdown", &text);
            }
        })
    };
    let waterfall_svg: Arc<dyn Fn() + Send + Sync> = {
        let (data, id, trace) = (data.clone(), id.clone(), trace.clone());
        Arc::new(move || {
            let window = state
                .window
                .get_untracked()
                .unwrap_or((trace.start_unix_nanos, trace.end_unix_nanos));
            let picture = derived
                .rows
                .with_untracked(|rows| svg::waterfall(&data.set, &trace, rows, window));
            download(&format!("waterfall-{id}.svg"), "image/svg+xml", &picture);
        })
    };

    let always = Signal::derive(|| true);
    let has_matches = Signal::derive(move || {
        !state.query.with(|q| q.trim().is_empty()) && derived.matches.with(|m| !m.is_empty())
    });
    let has_selection = Signal::derive(move || state.selected.get().is_some());
    let has_call = Signal::derive(move || selected_call.get().is_some());
    let on_waterfall = Signal::derive(move || state.view.get() == TraceView::Waterfall);
    view! {
        <details class="sl-menu" node_ref=menu data-testid="export-menu">
            <summary class="sl-link" title="Download this trace, part of it, its conversation or a picture">"Export"</summary>
            <div class="sl-menu__items" role="menu" aria-label="Export">
                {item("Trace as OTLP JSON", "export-trace", always, trace_json)}
                {item("Search matches as OTLP JSON", "export-matches", has_matches, matches_json)}
                {item("Selected span and its children as OTLP JSON", "export-subtree", has_selection, subtree_json)}
                {has_conversation.then(|| item("Conversation as Markdown", "export-conversation", always, conversation_md))}
                {has_conversation.then(|| item("Selected model call as Markdown", "export-call", has_call, call_md))}
                {item("Waterfall as SVG", "export-svg", on_waterfall, waterfall_svg)}
            </div>
        </details>
    }
    .into_any()
}

fn span_id_of(data: &Dataset, span: spanloupe_core::model::SpanIdx) -> String {
    data.set
        .span(span)
        .map(|s| s.span_id.to_string())
        .unwrap_or_default()
}

fn download_json(name: &str, json: &serde_json::Value) {
    download(name, "application/json", &json.to_string());
}

/// Saves `text` as a file named `name` (the browser's download).
fn download(name: &str, mime_type: &str, text: &str) {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime_type);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(address) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    let link = leptos::prelude::document()
        .create_element("a")
        .ok()
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok());
    if let Some(link) = link {
        link.set_href(&address);
        link.set_download(name);
        link.click();
    }
    // Given up once the download has surely read it.
    leptos::task::spawn_local(async move {
        gloo_timers::future::TimeoutFuture::new(60_000).await;
        let _ = web_sys::Url::revoke_object_url(&address);
    });
}
