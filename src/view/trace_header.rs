//! The header of a trace: name, id, start, duration, counts and services.

use std::sync::Arc;

use leptos::prelude::*;
use spanloupe_core::format;

use spanloupe_core::genai::ModelTokens;

use super::chat::GenAiIndex;
use super::copy::CopyButton;
use super::export_menu::ExportMenu;
use super::service_colors::service_color;
use super::waterfall::Derived;
use crate::state::{Dataset, TraceView, use_app_state};

#[component]
pub fn TraceHeader(data: Arc<Dataset>, index: usize, derived: Derived) -> impl IntoView {
    let state = use_app_state();
    let set = &data.set;
    let Some(trace) = set.traces.get(index) else {
        return ().into_any();
    };
    let name = trace
        .root()
        .map(|root| set.span_name(root).to_owned())
        .unwrap_or_default();
    let services = trace
        .services
        .iter()
        .enumerate()
        .map(|(i, service)| {
            let color = service_color(i).to_string();
            view! { <li class="sl-service" style=("--service-color", color)>{set.str(*service).to_owned()}</li> }
        })
        .collect_view();
    let errors = (trace.error_count > 0).then(|| {
        view! {
            <span class="sl-stat sl-stat--error" data-testid="error-count">
                {format::count(trace.error_count, "error", "errors")}
            </span>
        }
    });
    let orphans = (trace.missing_parent_count > 0).then(|| {
        let text = format!(
            "{} whose parent is not in the data, shown as extra roots",
            format::count(trace.missing_parent_count, "span", "spans")
        );
        view! { <span class="sl-stat sl-stat--note" data-testid="orphan-note">{text}</span> }
    });
    let live = state.live.get_untracked();
    let from_live = live.is_some_and(|live| live.holds(&data));
    let from_search = state
        .connected
        .get_untracked()
        .is_some_and(|connected| connected.holds(&data));
    let back = (set.traces.len() > 1 || from_live || from_search).then(|| {
        let label = if from_live {
            "← Live traces".to_owned()
        } else if from_search {
            "← Search results".to_owned()
        } else {
            format!("← All {} traces", set.traces.len())
        };
        view! { <button class="sl-link" data-testid="back-to-list" on:click=move |_| state.open_trace(None)>{label}</button> }
    });
    let genai = use_context::<GenAiIndex>().map(|g| g.0);
    let models = genai
        .as_ref()
        .map(|g| g.tokens_by_model(set))
        .unwrap_or_default();
    let tokens = tokens_by_model(&models);
    let priced_models: Vec<String> = models
        .iter()
        .filter(|m| m.cost_usd > 0.0 || m.unpriced > 0)
        .map(|m| m.model.clone())
        .collect();
    let prices = (!priced_models.is_empty())
        .then(|| view! { <super::prices::PriceEditor models=priced_models /> });
    // Every trace has its waterfall and statistics; traces with model calls
    // or tool runs read as a conversation too.
    let has_conversation = genai.as_ref().is_some_and(|g| g.has_steps());
    let current = move || state.view.get();
    let button = move |view: TraceView, label: &'static str, testid: &'static str| {
        view! {
            <button
                class="sl-segment"
                data-testid=testid
                aria-pressed=move || (current() == view && state.compare_with.get().is_none()).to_string()
                on:click=move |_| state.show_view(view)
            >
                {label}
            </button>
        }
    };
    let view_switch = view! {
        <div class="sl-segmented" role="group" aria-label="Show the trace as">
            {button(TraceView::Waterfall, "Waterfall", "view-waterfall")}
            {has_conversation.then(|| button(TraceView::Conversation, "Conversation", "view-conversation"))}
            {button(TraceView::Statistics, "Statistics", "view-statistics")}
            {button(TraceView::FlameGraph, "Flame graph", "view-flame")}
            {has_conversation.then(|| button(TraceView::AgentGraph, "Agent graph", "view-agents"))}
        </div>
    };
    let compare = compare_picker(&data, index);
    let trace_id = trace.trace_id.to_string();
    let start = trace.start_unix_nanos;
    view! {
        <section class="sl-trace-header" aria-label="Trace">
            {back}
            <h1 class="sl-trace-header__name" data-testid="trace-name">{name}</h1>
            <div class="sl-trace-header__facts">
                <code class="sl-trace-id" title="Trace id" data-testid="trace-id">{trace_id.clone()}</code>
                <CopyButton text=trace_id />
                <span class="sl-stat" data-testid="trace-start">{move || crate::preferences::timestamp(state.clock.get(), start)}</span>
                <span class="sl-stat" data-testid="trace-duration">{format::duration(trace.duration_nanos())}</span>
                <span class="sl-stat" data-testid="span-count">{format::count(trace.span_count(), "span", "spans")}</span>
                {errors}
                {orphans}
                <CopyLink />
                <ExportMenu data=data.clone() index=index derived=derived />
                {view_switch}
                {compare}
            </div>
            {tokens}
            {prices}
            <ul class="sl-services">{services}</ul>
        </section>
    }
    .into_any()
}

/// "gpt-4o-mini: 2 calls · 443 in · 99 out · 542 tokens", one per model.
fn tokens_by_model(models: &[ModelTokens]) -> Option<impl IntoView + use<>> {
    if models.is_empty() {
        return None;
    }
    let items = models
        .iter()
        .map(|m| {
            let detail = m.summary();
            let cost = m.cost_summary().map(|cost| {
                let title = format!(
                    "Estimated from each call's tokens and genai-prices of {} (a cost the instrumentation recorded counts as it is); a model the table does not know is unpriced",
                    spanloupe_core::genai::cost::TABLE_DATE
                );
                view! { <span class="sl-cost" data-testid="model-cost" title=title>{cost}</span> }
            });
            view! {
                <li class="sl-model-tokens" data-testid="model-tokens">
                    <span class="sl-mono">{m.model.clone()}</span>
                    <span class="sl-muted">{detail}</span>
                    {cost}
                </li>
            }
        })
        .collect_view();
    Some(view! { <ul class="sl-token-totals" aria-label="Tokens by model">{items}</ul> })
}

/// Copies the page's address, which names the trace, span, tab, search and
/// zoom on screen (never trace data or secrets), for pasting into a chat or
/// an issue.
#[component]
fn CopyLink() -> impl IntoView {
    let copied = RwSignal::new(false);
    view! {
        <button
            class="sl-link"
            data-testid="copy-link"
            title="Copy a link to this view"
            on:click=move |_| {
                let Some(window) = web_sys::window() else { return };
                let Ok(href) = window.location().href() else { return };
                // A refused clipboard (no permission) leaves the address bar.
                let _promise = window.navigator().clipboard().write_text(&href);
                copied.set(true);
                leptos::task::spawn_local(async move {
                    gloo_timers::future::TimeoutFuture::new(2_000).await;
                    copied.set(false);
                });
            }
        >
            {move || if copied.get() { "Link copied" } else { "Copy link" }}
        </button>
    }
}

/// The most traces the Compare picker lists (the data's first ones).
const COMPARE_CHOICES: usize = 1000;

/// "Compare with …": the other traces of the data, by root name, start and
/// duration; choosing one shows Compare (this trace A, that one B).
fn compare_picker(data: &Dataset, index: usize) -> Option<impl IntoView + use<>> {
    let state = use_app_state();
    let set = &data.set;
    if set.traces.len() < 2 {
        return None;
    }
    let clock = state.clock.get_untracked();
    let options = set
        .traces
        .iter()
        .enumerate()
        .filter(|(other, _)| *other != index)
        .take(COMPARE_CHOICES)
        .map(|(other, trace)| {
            let name = trace
                .root()
                .map(|root| set.span_name(root).to_owned())
                .unwrap_or_default();
            let label = format!(
                "{name} · {} · {}",
                crate::preferences::timestamp(clock, trace.start_unix_nanos),
                format::duration(trace.duration_nanos())
            );
            view! { <option value=other.to_string()>{label}</option> }
        })
        .collect_view();
    Some(view! {
        <label class="sl-compare-pick">
            "Compare with "
            <select
                class="sl-input"
                data-testid="compare-with"
                prop:value=move || state.compare_with.get().map(|other| other.to_string()).unwrap_or_default()
                on:change=move |ev| state.compare_with_trace(event_target_value(&ev).parse().ok())
            >
                <option value="">"—"</option>
                {options}
            </select>
        </label>
    })
}
