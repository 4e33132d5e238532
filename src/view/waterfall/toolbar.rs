//! The waterfall's toolbar: search with a match count and next/previous,
//! "only matches", next/previous error, expand/collapse all, depth.

use std::sync::Arc;

use leptos::prelude::*;
use spanloupe_core::layout::SpanSet;
use spanloupe_core::layout::rows::{collapse_all, collapse_from_depth};
use spanloupe_core::layout::search::{errors, step};
use spanloupe_core::model::SpanIdx;

use super::Derived;
use crate::state::{Dataset, use_app_state};

/// The id of the search box, for the `/` shortcut.
pub const SEARCH_INPUT_ID: &str = "sl-search";

#[component]
pub fn Toolbar(data: Arc<Dataset>, index: usize, derived: Derived) -> impl IntoView {
    let state = use_app_state();
    let Some(trace) = data.set.traces.get(index).cloned() else {
        return ().into_any();
    };
    let has_errors = trace.error_count > 0;
    // The logical view is for traces with an agent's steps to keep.
    let has_genai = derived.genai.with_value(|g| g.has_steps());
    // Listed on the first step through them, not when the trace opens (a
    // million spans take a while to look at); stored, so the closures that
    // step through errors are `Copy`.
    let error_spans = StoredValue::new(None::<Vec<SpanIdx>>);
    let error_source = StoredValue::new((data.clone(), trace.clone()));
    let list_errors = move || {
        if error_spans.with_value(Option::is_none) {
            let spans = error_source.with_value(|(data, trace)| errors(&data.set, trace));
            error_spans.set_value(Some(spans));
        }
    };
    let max_depth = trace.max_depth;
    let matches = derived.matches;

    let go_to_match = move |forward: bool| {
        let next = matches.with(|m| step(m, state.selected.get_untracked(), forward));
        if next.is_some() {
            state.select(next);
        }
    };
    let go_to_error = move |forward: bool| {
        list_errors();
        let next = error_spans.with_value(|spans| {
            step(
                spans.as_deref().unwrap_or_default(),
                state.selected.get_untracked(),
                forward,
            )
        });
        if next.is_some() {
            state.select(next);
        }
    };
    let count = move || {
        let query_blank = state.query.with(|q| q.trim().is_empty());
        if query_blank {
            return String::new();
        }
        matches.with(|m| {
            let current = state.selected.get().and_then(|s| m.binary_search(&s).ok());
            match (current, m.len()) {
                (_, 0) => "no matches".to_owned(),
                (Some(at), total) => format!("{} of {total}", at + 1),
                (None, total) => spanloupe_core::format::count(total, "match", "matches"),
            }
        })
    };
    let data_for_collapse = data.clone();
    let trace_for_collapse = trace.clone();
    let data_for_depth = data.clone();
    let trace_for_depth = trace.clone();
    let depth_options = (1..=max_depth + 1)
        .map(|depth| view! { <option value=depth.to_string()>{format!("Depth {depth}")}</option> })
        .collect_view();

    view! {
        <div class="sl-toolbar" role="toolbar" aria-label="Waterfall tools">
            <div class="sl-search">
                <input
                    id=SEARCH_INPUT_ID
                    class="sl-input sl-search__input"
                    type="search"
                    placeholder="Search spans: name, service, attribute or key=value  ( / )"
                    aria-label="Search spans"
                    data-testid="search"
                    prop:value=move || state.query.get()
                    on:input=move |ev| state.query.set(event_target_value(&ev))
                    on:keydown=move |ev| match ev.key().as_str() {
                        "Enter" => {
                            ev.prevent_default();
                            go_to_match(!ev.shift_key());
                        }
                        "Escape" => state.query.set(String::new()),
                        _ => {}
                    }
                />
                <span class="sl-search__count" data-testid="match-count" aria-live="polite">{count}</span>
                <button class="sl-icon-button" title="Previous match (Shift+Enter)" aria-label="Previous match" on:click=move |_| go_to_match(false)>"↑"</button>
                <button class="sl-icon-button" title="Next match (Enter)" aria-label="Next match" data-testid="next-match" on:click=move |_| go_to_match(true)>"↓"</button>
                {check(state.only_matches, "Only matches", "only-matches", "Show only the matches and their ancestors")}
            </div>
            <div class="sl-toolbar__group">
                <button class="sl-button" disabled=!has_errors data-testid="next-error" title="Next error span" on:click=move |_| go_to_error(true)>
                    "Next error"
                </button>
                <button class="sl-icon-button" disabled=!has_errors title="Previous error span" aria-label="Previous error" on:click=move |_| go_to_error(false)>"↑"</button>
            </div>
            {has_genai.then(|| check(
                state.logical,
                "Logical view",
                "logical-view",
                "Hide the infrastructure spans (HTTP, database, framework) under the agent's steps",
            ))}
            {check(state.critical, "Critical path", "critical-path", "The chain of spans that decided how long the trace took")}
            <div class="sl-toolbar__group">
                <button class="sl-button" data-testid="expand-all" on:click=move |_| state.collapsed.update(SpanSet::clear)>"Expand all"</button>
                <button class="sl-button" data-testid="collapse-all" on:click=move |_| {
                    state.collapsed.set(collapse_all(&data_for_collapse.set, &trace_for_collapse));
                }>"Collapse all"</button>
                <select
                    class="sl-select"
                    aria-label="Collapse to depth"
                    on:change=move |ev| {
                        if let Ok(depth) = event_target_value(&ev).parse::<u32>() {
                            state.collapsed.set(collapse_from_depth(&data_for_depth.set, &trace_for_depth, depth));
                        }
                    }
                >
                    <option value="" selected=true disabled=true>"Collapse to…"</option>
                    {depth_options}
                </select>
            </div>
        </div>
    }
    .into_any()
}

/// A checkbox that is a switch of the state.
fn check(
    on: RwSignal<bool>,
    label: &'static str,
    testid: &'static str,
    title: &'static str,
) -> impl IntoView + use<> {
    view! {
        <label class="sl-check" title=title>
            <input
                type="checkbox"
                data-testid=testid
                prop:checked=move || on.get()
                on:change=move |ev| on.set(event_target_checked(&ev))
            />
            {label}
        </label>
    }
}
