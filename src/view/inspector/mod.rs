//! The side panel of the selected span, in tabs: Messages (GenAI calls, and
//! the tab they open on), Attributes, Events and Raw.

mod attributes_tab;
mod events_tab;
pub mod messages;
mod raw_tab;
mod value;

use std::sync::Arc;

use leptos::prelude::*;
// The inspector's tabs, named as the link names them.
use spanloupe_core::layout::hash::InspectorTab as Tab;
use spanloupe_core::model::{Problems, SpanIdx};

use crate::state::{Dataset, use_app_state};
use attributes_tab::AttributesTab;
use events_tab::{EventsTab, event_count};
use messages::{MessagesTab, token_summary};
use raw_tab::RawTab;

fn testid(tab: Tab) -> &'static str {
    match tab {
        Tab::Messages => "tab-messages",
        Tab::Attributes => "tab-attributes",
        Tab::Events => "tab-events",
        Tab::Raw => "tab-raw",
    }
}

/// The panel's element id, for moving the focus to it (Enter in the waterfall).
pub const INSPECTOR_ID: &str = "sl-inspector";

#[component]
pub fn Inspector(data: Arc<Dataset>, span: SpanIdx) -> impl IntoView {
    let state = use_app_state();
    let set = &data.set;
    let (Some(record), Some(trace)) = (set.span(span).cloned(), set.trace_of(span)) else {
        return ().into_any();
    };
    let trace_start = trace.start_unix_nanos;
    // A call recorded twice by two instrumentations: the poorer record
    // shows its twin's messages, saying so.
    let twin = use_context::<crate::view::chat::GenAiIndex>().and_then(|g| g.0.twin_of(set, span));
    let call = spanloupe_core::genai::llm_call(set, span).map(|call| {
        match twin.as_ref().filter(|t| t.this_is_duplicate) {
            Some(twin) if call.content != spanloupe_core::genai::ContentState::Captured => {
                spanloupe_core::genai::llm_call(set, twin.span).unwrap_or(call)
            }
            _ => call,
        }
    });
    // The tab chosen last, when this span has it.
    let chosen = state
        .inspector_tab
        .get_untracked()
        .filter(|tab| *tab != Tab::Messages || call.is_some());
    let tab = RwSignal::new(chosen.unwrap_or(if call.is_some() {
        Tab::Messages
    } else {
        Tab::Attributes
    }));
    // A choice is remembered (and goes in the link).
    Effect::new(move |previous: Option<Tab>| {
        let now = tab.get();
        if previous.is_some_and(|previous| previous != now) {
            state.inspector_tab.set(Some(now));
        }
        now
    });
    // A tab other than the first shown is built the first time it is
    // shown, then kept: a span opened on its messages does not build its
    // attributes, nor anything its raw JSON.
    let opened = move |which: Tab| {
        Memo::new(move |before: Option<&bool>| {
            before.copied().unwrap_or(false) || tab.get() == which
        })
    };
    let (attributes_opened, events_opened, raw_opened) = (
        opened(Tab::Attributes),
        opened(Tab::Events),
        opened(Tab::Raw),
    );

    let mut tabs: Vec<(Tab, String)> = Vec::new();
    if let Some(call) = &call {
        let label = match token_summary(call) {
            Some(tokens) => format!("Messages · {tokens}"),
            None => "Messages".to_owned(),
        };
        tabs.push((Tab::Messages, label));
    }
    let attribute_count = set.attributes(record.attributes).len();
    tabs.push((Tab::Attributes, format!("Attributes ({attribute_count})")));
    tabs.push((
        Tab::Events,
        format!("Events ({})", event_count(&data, span)),
    ));
    tabs.push((Tab::Raw, "Raw".to_owned()));
    let order: Vec<Tab> = tabs.iter().map(|(t, _)| *t).collect();
    let tab_bar = tab_bar(tabs, tab, order);

    let messages_panel = call.map(|call| {
        view! {
            <div role="tabpanel" class:sl-hidden=move || tab.get() != Tab::Messages>
                <MessagesTab data=data.clone() span=span call=call twin=twin.clone() />
            </div>
        }
    });
    let (attributes_data, events_data, raw_data) = (data.clone(), data.clone(), data.clone());
    let name = set.str(record.name).to_owned();
    let problems = problem_notes(record.problems);
    view! {
        <aside class="sl-inspector" id=INSPECTOR_ID tabindex="-1" aria-label="Span details" data-testid="inspector">
            <header class="sl-inspector__header">
                <h2 data-testid="inspector-name" title=name.clone()>{name.clone()}</h2>
                <button class="sl-icon-button" aria-label="Close details" title="Close (Esc)" on:click=move |_| state.select(None)>"×"</button>
            </header>
            {problems.map(|notes| view! { <ul class="sl-problems">{notes.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul> })}
            {tab_bar}
            {messages_panel}
            <div role="tabpanel" class:sl-hidden=move || tab.get() != Tab::Attributes>
                {move || attributes_opened.get().then(|| view! { <AttributesTab data=attributes_data.clone() span=span /> })}
            </div>
            <div role="tabpanel" class:sl-hidden=move || tab.get() != Tab::Events>
                {move || events_opened.get().then(|| view! { <EventsTab data=events_data.clone() span=span trace_start=trace_start /> })}
            </div>
            <div role="tabpanel" class:sl-hidden=move || tab.get() != Tab::Raw>
                {move || raw_opened.get().then(|| view! { <RawTab data=raw_data.clone() span=span /> })}
            </div>
        </aside>
    }
    .into_any()
}

/// The tab buttons, with the ARIA tabs keyboard pattern: ←/→ (and Home/End)
/// move between tabs, and only the selected tab is in the Tab order.
fn tab_bar(tabs: Vec<(Tab, String)>, tab: RwSignal<Tab>, order: Vec<Tab>) -> impl IntoView {
    let buttons = tabs
        .into_iter()
        .map(|(which, label)| {
            view! {
                <button
                    role="tab"
                    class="sl-tab"
                    data-testid=testid(which)
                    aria-selected=move || (tab.get() == which).to_string()
                    tabindex=move || if tab.get() == which { "0" } else { "-1" }
                    on:click=move |_| tab.set(which)
                >
                    {label}
                </button>
            }
        })
        .collect_view();
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let current = order
            .iter()
            .position(|t| *t == tab.get_untracked())
            .unwrap_or(0);
        let last = order.len().saturating_sub(1);
        let next = match ev.key().as_str() {
            "ArrowRight" => (current + 1).min(last),
            "ArrowLeft" => current.saturating_sub(1),
            "Home" => 0,
            "End" => last,
            _ => return,
        };
        ev.prevent_default();
        ev.stop_propagation();
        if let Some(&which) = order.get(next) {
            tab.set(which);
            focus_tab(which);
        }
    };
    view! { <div class="sl-tabs" role="tablist" aria-label="Span details" on:keydown=on_key>{buttons}</div> }
}

fn focus_tab(which: Tab) {
    let selector = format!("[data-testid={}]", testid(which));
    let element = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector(&selector).ok().flatten())
        .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok());
    if let Some(element) = element {
        let _ = element.focus();
    }
}

/// Notes for the data problems the model repaired on this span.
fn problem_notes(problems: Problems) -> Option<Vec<&'static str>> {
    let notes: Vec<&str> = [
        (
            Problems::MISSING_PARENT,
            "Its parent span is not in the loaded data; it is shown as a root.",
        ),
        (
            Problems::DUPLICATE_ID,
            "Another span of this trace has the same span id.",
        ),
        (
            Problems::CYCLE_BROKEN,
            "Its parents looped back to it; the loop was cut here.",
        ),
        (
            Problems::END_BEFORE_START,
            "It ended before it started; its duration is shown as 0.",
        ),
        (Problems::NO_TRACE_ID, "It has no valid trace id."),
        (Problems::NO_SPAN_ID, "It has no valid span id."),
    ]
    .into_iter()
    .filter(|(flag, _)| problems.contains(*flag))
    .map(|(_, note)| note)
    .collect();
    (!notes.is_empty()).then_some(notes)
}
