//! The side panel of the selected span: what it is, when, its ids, then its
//! attributes, events, links, resource, scope and raw JSON.

mod messages;
mod value;

use std::sync::Arc;

use leptos::prelude::*;
use spanloupe_core::export::otlp_json::span_json;
use spanloupe_core::format;
use spanloupe_core::layout::self_time::self_time_nanos;
use spanloupe_core::model::{Attribute, Problems, SpanIdx, StatusCode, TraceSet};

use crate::state::{Dataset, use_app_state};
use crate::view::copy::CopyButton;
use messages::{MessagesTab, token_summary};
use value::ValueView;

/// The inspector's tabs: GenAI spans open on their messages.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tab {
    Messages,
    Details,
}

/// The panel's element id, for moving the focus to it (Enter in the waterfall).
pub const INSPECTOR_ID: &str = "sl-inspector";

#[component]
pub fn Inspector(data: Arc<Dataset>, span: SpanIdx) -> impl IntoView {
    let state = use_app_state();
    let set = &data.set;
    let Some(record) = set.span(span).cloned() else {
        return ().into_any();
    };
    let Some(trace) = set.trace_of(span) else {
        return ().into_any();
    };
    let filter = RwSignal::new(String::new());
    let call = spanloupe_core::genai::llm_call(set, span);
    let tab = RwSignal::new(if call.is_some() {
        Tab::Messages
    } else {
        Tab::Details
    });
    let tabs = call.as_ref().map(|call| {
        let messages_label = match token_summary(call) {
            Some(tokens) => format!("Messages · {tokens}"),
            None => "Messages".to_owned(),
        };
        let button = move |which: Tab, label: String, testid: &'static str| {
            view! {
                <button
                    role="tab"
                    class="sl-tab"
                    data-testid=testid
                    aria-selected=move || (tab.get() == which).to_string()
                    on:click=move |_| tab.set(which)
                >
                    {label}
                </button>
            }
        };
        view! {
            <div class="sl-tabs" role="tablist">
                {button(Tab::Messages, messages_label, "tab-messages")}
                {button(Tab::Details, "Details".to_owned(), "tab-details")}
            </div>
        }
    });
    let messages_panel = call.map(|call| {
        view! {
            <div role="tabpanel" class:sl-hidden=move || tab.get() != Tab::Messages>
                <MessagesTab call=call />
            </div>
        }
    });

    let name = set.str(record.name).to_owned();
    let status = match record.status_code {
        StatusCode::Error => {
            let message = set.str(record.status_message);
            if message.is_empty() {
                "error".to_owned()
            } else {
                format!("error: {message}")
            }
        }
        code => code.label().to_owned(),
    };
    let offset = record
        .start_unix_nanos
        .saturating_sub(trace.start_unix_nanos);
    let local_start = local_time(record.start_unix_nanos);
    let parent_id = (!record.parent_span_id.is_zero()).then(|| record.parent_span_id.to_string());
    let problems = problem_notes(record.problems);
    let resource = set.resource(record.resource).copied();
    let scope = set.scope(record.scope).copied();

    let facts = vec![
        ("Kind", record.kind.label().to_owned()),
        ("Status", status),
        ("Service", set.service_name(span).to_owned()),
        ("Duration", format::duration(record.duration_nanos())),
        ("Self time", format::duration(self_time_nanos(set, span))),
        (
            "Start",
            format!("+{} from trace start", format::duration(offset)),
        ),
        (
            "Start (UTC)",
            format::utc_timestamp(record.start_unix_nanos),
        ),
        ("Start (local)", local_start),
    ];
    let facts = facts
        .into_iter()
        .map(|(label, value)| view! { <dt>{label}</dt><dd data-fact=label>{value}</dd> })
        .collect_view();
    let ids = view! {
        <dt>"Trace id"</dt>
        <dd class="sl-mono">{record.trace_id.to_string()}<CopyButton text=record.trace_id.to_string() /></dd>
        <dt>"Span id"</dt>
        <dd class="sl-mono" data-testid="inspector-span-id">{record.span_id.to_string()}<CopyButton text=record.span_id.to_string() /></dd>
        {parent_id.map(|id| view! {
            <dt>"Parent id"</dt>
            <dd class="sl-mono">{id.clone()}<CopyButton text=id /></dd>
        })}
    };

    let attributes = set.attributes(record.attributes).to_vec();
    let attribute_count = attributes.len();
    let events_view = events_section(&data, span, trace.start_unix_nanos);
    let links_view = links_section(&data, span);
    let resource_view = resource.map(|r| {
        let attrs = set.attributes(r.attributes).to_vec();
        let count = attrs.len();
        view! {
            <details class="sl-section" open=true>
                <summary>{format!("Resource ({count})")}</summary>
                <AttributeTable data=data.clone() attributes=attrs filter=filter />
            </details>
        }
    });
    let scope_view = scope.map(|s| {
        let attrs = set.attributes(s.attributes).to_vec();
        let title = match (set.str(s.name), set.str(s.version)) {
            ("", _) => "(unnamed scope)".to_owned(),
            (name, "") => name.to_owned(),
            (name, version) => format!("{name} {version}"),
        };
        view! {
            <details class="sl-section">
                <summary>"Scope"</summary>
                <p class="sl-mono sl-scope-name">{title}</p>
                <AttributeTable data=data.clone() attributes=attrs filter=filter />
            </details>
        }
    });

    view! {
        <aside class="sl-inspector" id=INSPECTOR_ID tabindex="-1" aria-label="Span details" data-testid="inspector">
            <header class="sl-inspector__header">
                <h2 data-testid="inspector-name" title=name.clone()>{name.clone()}</h2>
                <button class="sl-icon-button" aria-label="Close details" title="Close (Esc)" on:click=move |_| state.selected.set(None)>"×"</button>
            </header>
            {problems.map(|notes| view! { <ul class="sl-problems">{notes.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul> })}
            {tabs}
            {messages_panel}
            <div role="tabpanel" class:sl-hidden=move || tab.get() != Tab::Details>
            <dl class="sl-facts">{facts}{ids}</dl>
            <input
                class="sl-input sl-inspector__filter"
                type="search"
                placeholder="Filter keys"
                aria-label="Filter attribute keys"
                prop:value=move || filter.get()
                on:input=move |ev| filter.set(event_target_value(&ev))
            />
            <details class="sl-section" open=true>
                <summary>{format!("Attributes ({attribute_count})")}</summary>
                <AttributeTable data=data.clone() attributes=attributes filter=filter />
            </details>
            {events_view}
            {links_view}
            {resource_view}
            {scope_view}
            <RawJson data=data.clone() span=span />
            </div>
        </aside>
    }
    .into_any()
}

/// The span as OTLP JSON, built only when the section is opened: a span
/// with a 10 MB prompt must not cost anything until asked for.
#[component]
fn RawJson(data: Arc<Dataset>, span: SpanIdx) -> impl IntoView {
    /// Characters shown; "Copy JSON" copies everything.
    const MAX_SHOWN_CHARS: usize = 200_000;
    let open = RwSignal::new(false);
    let body = move || {
        open.get().then(|| {
            let json = serde_json::to_string_pretty(&span_json(&data.set, span)).unwrap_or_default();
            let shown: String = json.chars().take(MAX_SHOWN_CHARS).collect();
            let cut = (shown.len() < json.len())
                .then(|| view! { <p class="sl-muted">{format!("First {MAX_SHOWN_CHARS} characters shown; copy for all.")}</p> });
            view! {
                <div class="sl-raw">
                    <CopyButton text=json label="Copy JSON" />
                    {cut}
                    <pre class="sl-mono" data-testid="raw-json">{shown}</pre>
                </div>
            }
        })
    };
    view! {
        <details class="sl-section" on:toggle=move |ev| {
            let opened = ev
                .target()
                .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlDetailsElement>(t).ok())
                .is_some_and(|details| details.open());
            open.set(opened);
        }>
            <summary>"Raw JSON"</summary>
            {body}
        </details>
    }
}

/// A key-value table; keys not containing `filter` are hidden.
#[component]
fn AttributeTable(
    data: Arc<Dataset>,
    attributes: Vec<Attribute>,
    filter: RwSignal<String>,
) -> impl IntoView {
    if attributes.is_empty() {
        return view! { <p class="sl-muted sl-empty-note">"None"</p> }.into_any();
    }
    let rows = attributes
        .into_iter()
        .map(|attribute| {
            let key = data.set.str(attribute.key).to_owned();
            let lower = key.to_lowercase();
            // Stack traces and queries read best as code.
            let code = lower.ends_with("stacktrace")
                || lower.ends_with(".statement")
                || lower.ends_with("query.text");
            let hidden = move || {
                let needle = filter.get().trim().to_lowercase();
                !needle.is_empty() && !lower.contains(&needle)
            };
            view! {
                <tr class:sl-hidden=hidden>
                    <th class="sl-mono" scope="row" title=key.clone()>{key.clone()}</th>
                    <td><ValueView data=data.clone() value=attribute.value depth=0 code=code /></td>
                </tr>
            }
        })
        .collect_view();
    view! { <table class="sl-attributes" data-testid="attributes"><tbody>{rows}</tbody></table> }
        .into_any()
}

fn events_section(
    data: &Arc<Dataset>,
    span: SpanIdx,
    trace_start: u64,
) -> Option<impl IntoView + use<>> {
    let set: &TraceSet = &data.set;
    let record = set.span(span)?;
    let events = set.events(record.events).to_vec();
    if events.is_empty() {
        return None;
    }
    let count = events.len();
    let items = events
        .into_iter()
        .map(|event| {
            let name = set.str(event.name).to_owned();
            let attrs = set.attributes(event.attributes).to_vec();
            let offset = format!("+{}", format::duration(event.time_unix_nanos.saturating_sub(trace_start)));
            let is_exception = name == "exception";
            view! {
                <li class="sl-event-item" class:sl-event-item--exception=is_exception>
                    <div class="sl-event-item__head">
                        <span class="sl-mono sl-muted">{offset}</span>
                        <strong>{if name.is_empty() { "(unnamed event)".to_owned() } else { name }}</strong>
                    </div>
                    <AttributeTable data=data.clone() attributes=attrs filter=RwSignal::new(String::new()) />
                </li>
            }
        })
        .collect_view();
    Some(view! {
        <details class="sl-section" open=true>
            <summary>{format!("Events ({count})")}</summary>
            <ol class="sl-events">{items}</ol>
        </details>
    })
}

fn links_section(data: &Arc<Dataset>, span: SpanIdx) -> Option<impl IntoView + use<>> {
    let state = use_app_state();
    let set: &TraceSet = &data.set;
    let record = set.span(span)?;
    let links = set.links(record.links).to_vec();
    if links.is_empty() {
        return None;
    }
    let count = links.len();
    let items = links
        .into_iter()
        .map(|link| {
            let target = set.find_span(link.trace_id, link.span_id);
            let attrs = set.attributes(link.attributes).to_vec();
            let ids = format!("{} / {}", link.trace_id, link.span_id);
            let jump = target.map(|target| {
                let label = format!("Go to {}", set.span_name(target));
                let trace_index = set.traces.iter().position(|t| t.spans.range().contains(&target.index()));
                view! {
                    <button class="sl-link" on:click=move |_| {
                        if trace_index != state.trace.get_untracked() {
                            state.open_trace(trace_index);
                        }
                        state.selected.set(Some(target));
                    }>{label}</button>
                }
            });
            let missing = target.is_none().then(|| view! { <span class="sl-muted">"(not loaded)"</span> });
            view! {
                <li class="sl-link-item">
                    <div class="sl-mono">{ids}</div>
                    {jump}
                    {missing}
                    <AttributeTable data=data.clone() attributes=attrs filter=RwSignal::new(String::new()) />
                </li>
            }
        })
        .collect_view();
    Some(view! {
        <details class="sl-section" open=true>
            <summary>{format!("Links ({count})")}</summary>
            <ul class="sl-links">{items}</ul>
        </details>
    })
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

/// The time in the browser's time zone, e.g. "20/11/2026, 11:00:00".
fn local_time(unix_nanos: u64) -> String {
    #[allow(clippy::cast_precision_loss)] // milliseconds, well inside f64
    let millis = (unix_nanos / 1_000_000) as f64;
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(millis));
    let text: String = date
        .to_locale_string("default", &wasm_bindgen::JsValue::UNDEFINED)
        .into();
    format!("{text}.{:03}", (unix_nanos / 1_000_000) % 1000)
}
