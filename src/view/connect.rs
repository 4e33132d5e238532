//! Connect: the start screen's form for a Jaeger or Tempo base URL, and the
//! search screen of a connected backend (services, span names, filters,
//! TraceQL for Tempo, a time range), its results one click from a trace.

use leptos::prelude::*;
use spanloupe_core::connect::{Api, TimeRange};
use spanloupe_core::format;

use crate::connect::{Connected, connect};
use crate::state::use_app_state;
use crate::view::trace_list::TraceList;

/// The start screen's Connect entry. Credentials stay in this page's
/// memory: never in the address or the recent list.
#[component]
pub fn ConnectForm() -> impl IntoView {
    let state = use_app_state();
    // After a refusal for want of credentials, the form asks for them.
    let retry = state.connect_retry.get_untracked();
    let base = RwSignal::new(retry.as_ref().map(|r| r.base.clone()).unwrap_or_default());
    let api = RwSignal::new(
        retry
            .as_ref()
            .and_then(|r| r.api)
            .map(|api| api.name().to_owned())
            .unwrap_or_default(),
    );
    let authorization = RwSignal::new(String::new());
    let org_id = RwSignal::new(String::new());
    let remember = RwSignal::new(false);
    let needs_credentials = retry.is_some();
    let api_options = Api::ALL
        .into_iter()
        .map(|option| {
            let selected = api.get_untracked() == option.name();
            view! { <option value=option.name() selected=selected>{option.label()}</option> }
        })
        .collect_view();
    let recent = crate::connect::storage::recent_endpoints()
        .into_iter()
        .map(|entry| view! { <option value=entry.base.clone()>{entry.api.clone()}</option> })
        .collect_view();
    view! {
        <form
            class="sl-start__url sl-connect-form"
            data-testid="connect-form"
            on:submit=move |ev| {
                ev.prevent_default();
                let target = base.get_untracked().trim().to_owned();
                if target.is_empty() {
                    return;
                }
                let mut headers = Vec::new();
                let auth = authorization.get_untracked().trim().to_owned();
                if !auth.is_empty() {
                    headers.push(("Authorization".to_owned(), auth));
                }
                let org = org_id.get_untracked().trim().to_owned();
                if !org.is_empty() {
                    headers.push(("X-Scope-OrgID".to_owned(), org));
                }
                // The refused link's search runs once it is let in.
                let search = state
                    .connect_retry
                    .get_untracked()
                    .filter(|retry| retry.base == target)
                    .map(|retry| retry.search);
                connect(
                    state,
                    target,
                    Api::from_name(&api.get_untracked()),
                    headers,
                    search,
                    remember.get_untracked(),
                );
            }
        >
            <label for="sl-connect-url">"Or connect to Jaeger or Grafana Tempo"</label>
            <input
                id="sl-connect-url"
                type="url"
                list="sl-connect-recent"
                placeholder="http://localhost:16686"
                data-testid="connect-url"
                prop:value=move || base.get()
                on:input=move |ev| base.set(event_target_value(&ev))
            />
            <datalist id="sl-connect-recent">{recent}</datalist>
            <select aria-label="API" data-testid="connect-api" on:change=move |ev| api.set(event_target_value(&ev))>
                <option value="">"Find the API"</option>
                {api_options}
            </select>
            <button type="submit" data-testid="connect-submit">"Connect"</button>
            <details class="sl-connect-form__headers" open=needs_credentials>
                <summary>{if needs_credentials { "Credentials: this backend needs them" } else { "Credentials" }}</summary>
                <input
                    type="password"
                    autocomplete="off"
                    placeholder="Authorization: Bearer … or Basic …"
                    aria-label="Authorization header"
                    data-testid="connect-authorization"
                    prop:value=move || authorization.get()
                    on:input=move |ev| authorization.set(event_target_value(&ev))
                />
                <input
                    type="text"
                    autocomplete="off"
                    placeholder="X-Scope-OrgID (multi-tenant Tempo)"
                    aria-label="X-Scope-OrgID header"
                    data-testid="connect-org-id"
                    prop:value=move || org_id.get()
                    on:input=move |ev| org_id.set(event_target_value(&ev))
                />
                <label>
                    <input type="checkbox" data-testid="connect-remember" prop:checked=move || remember.get() on:change=move |ev| remember.set(event_target_checked(&ev)) />
                    " Remember for this tab"
                </label>
                <p class="sl-muted">"Sent with each request; kept in this page's memory, or in this tab's session storage if you tick the box. Never in the address or the recent list."</p>
            </details>
        </form>
    }
}

/// The search of a connected backend, with its results.
#[component]
pub fn ConnectScreen(connected: Connected) -> impl IntoView {
    let state = use_app_state();
    let tempo = connected.api() == Api::Tempo;
    let services = move || {
        connected
            .services
            .get()
            .into_iter()
            .map(|name| view! { <option value=name.clone()>{name.clone()}</option> })
            .collect_view()
    };
    let operations = move || {
        connected
            .operations
            .get()
            .into_iter()
            .map(|name| view! { <option value=name.clone()>{name.clone()}</option> })
            .collect_view()
    };
    let since_options = TimeRange::PRESETS
        .into_iter()
        .map(|(text, _)| view! { <option value=text>{format!("Last {text}")}</option> })
        .collect_view();
    let traceql = tempo.then(|| {
        view! {
            <input
                class="sl-connect__traceql"
                type="text"
                placeholder="TraceQL, e.g. { span.gen_ai.request.model = \"gpt-4o\" }"
                aria-label="TraceQL"
                data-testid="connect-traceql"
                prop:value=move || connected.traceql.get()
                on:input=move |ev| connected.traceql.set(event_target_value(&ev))
            />
        }
    });
    let updated = move || {
        connected.updated_ms.get().map(|ms| {
            let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms));
            format!(
                "updated {:02}:{:02}:{:02}",
                date.get_hours(),
                date.get_minutes(),
                date.get_seconds()
            )
        })
    };
    let results = move || {
        if connected.none_found.get() {
            return Some(
                view! { <p class="sl-empty" data-testid="found-none">"No traces found in this range."</p> }
                    .into_any(),
            );
        }
        if tempo {
            return connected
                .found
                .get()
                .map(|found| view! { <FoundList connected=connected found=found /> }.into_any());
        }
        let has_data = state
            .data
            .with(|data| data.as_ref().is_some_and(|d| connected.holds(d)));
        has_data.then(|| view! { <TraceList /> }.into_any())
    };
    view! {
        <section class="sl-connect" data-testid="connect-screen">
            <header class="sl-connect__head">
                <span class="sl-connect__api" data-testid="connect-api-label">{connected.api().label()}</span>
                <span class="sl-connect__base">{connected.base()}</span>
            </header>
            <form
                class="sl-connect__search"
                on:submit=move |ev| {
                    ev.prevent_default();
                    connected.search(state);
                }
            >
                <select
                    aria-label="Service"
                    data-testid="connect-service"
                    prop:value=move || connected.service.get()
                    on:change=move |ev| {
                        connected.service.set(event_target_value(&ev));
                        connected.operation.set(String::new());
                        connected.load_operations();
                    }
                >
                    <option value="">"All services"</option>
                    {services}
                </select>
                <select
                    aria-label="Operation"
                    data-testid="connect-operation"
                    prop:value=move || connected.operation.get()
                    on:change=move |ev| connected.operation.set(event_target_value(&ev))
                >
                    <option value="">"All operations"</option>
                    {operations}
                </select>
                <input
                    type="text"
                    placeholder="key=value filters"
                    aria-label="Attribute filters"
                    list="sl-connect-tags"
                    data-testid="connect-attributes"
                    prop:value=move || connected.attributes.get()
                    on:input=move |ev| {
                        connected.attributes.set(event_target_value(&ev));
                        connected.suggest_values();
                    }
                />
                <datalist id="sl-connect-tags" data-testid="connect-tags">
                    {move || {
                        // Whole field values: the filters typed before, then
                        // an attribute's name, or a value of the one being typed.
                        let text = connected.attributes.get();
                        let (before, key) = spanloupe_core::connect::query::filter_being_typed(&text);
                        let values = connected.tag_values.get().filter(|(name, _)| Some(name.as_str()) == key);
                        let suggestions: Vec<String> = match values {
                            Some((name, values)) => values.iter().map(|value| format!("{before}{name}={value}")).collect(),
                            None => connected.tag_names.get().iter().map(|name| format!("{before}{name}=")).collect(),
                        };
                        suggestions.into_iter().map(|suggestion| view! { <option value=suggestion></option> }).collect_view()
                    }}
                </datalist>
                {traceql}
                <select
                    aria-label="Time range"
                    data-testid="connect-since"
                    prop:value=move || connected.since.get()
                    on:change=move |ev| connected.since.set(event_target_value(&ev))
                >
                    {since_options}
                    <option value=crate::connect::CUSTOM>"Custom range"</option>
                </select>
                {move || (connected.since.get() == crate::connect::CUSTOM).then(|| view! {
                    <input
                        type="datetime-local"
                        step="1"
                        aria-label="From"
                        data-testid="connect-start"
                        prop:value=move || connected.start.get()
                        on:input=move |ev| connected.start.set(event_target_value(&ev))
                    />
                    <input
                        type="datetime-local"
                        step="1"
                        aria-label="To"
                        data-testid="connect-end"
                        prop:value=move || connected.end.get()
                        on:input=move |ev| connected.end.set(event_target_value(&ev))
                    />
                })}
                <input
                    class="sl-connect__duration"
                    type="text"
                    placeholder="min duration"
                    aria-label="Minimum duration"
                    data-testid="connect-min-duration"
                    prop:value=move || connected.min_duration.get()
                    on:input=move |ev| connected.min_duration.set(event_target_value(&ev))
                />
                <input
                    class="sl-connect__duration"
                    type="text"
                    placeholder="max duration"
                    aria-label="Maximum duration"
                    data-testid="connect-max-duration"
                    prop:value=move || connected.max_duration.get()
                    on:input=move |ev| connected.max_duration.set(event_target_value(&ev))
                />
                <input
                    type="number"
                    min="1"
                    max=crate::connect::MAX_LIMIT
                    aria-label="Limit"
                    data-testid="connect-limit"
                    prop:value=move || connected.limit.get().to_string()
                    on:input=move |ev| connected.limit.set(event_target_value(&ev).parse().unwrap_or(20))
                />
                <button type="submit" class="sl-button sl-button--primary" data-testid="connect-search">
                    {move || if connected.searching.get() { "Searching…" } else { "Search" }}
                </button>
                {move || connected.searching.get().then(|| view! {
                    <button type="button" class="sl-button" data-testid="connect-cancel" on:click=move |_| connected.cancel()>
                        "Cancel"
                    </button>
                })}
                <button type="button" class="sl-button" data-testid="connect-refresh" on:click=move |_| connected.search(state)>
                    "Refresh"
                </button>
                <select
                    aria-label="Auto-refresh"
                    data-testid="connect-auto-refresh"
                    prop:value=move || connected.auto_refresh.get().to_string()
                    on:change=move |ev| connected.set_auto_refresh(state, event_target_value(&ev).parse().unwrap_or(0))
                >
                    <option value="0">"Auto-refresh off"</option>
                    <option value="10">"Every 10 s"</option>
                    <option value="30">"Every 30 s"</option>
                    <option value="60">"Every minute"</option>
                    <option value="300">"Every 5 minutes"</option>
                </select>
                <span class="sl-muted" data-testid="connect-updated">{updated}</span>
            </form>
            {move || connected.error.get().map(|message| view! {
                <p class="sl-error-text" role="alert" data-testid="connect-error">{message}</p>
            })}
            {move || connected.partial.get().then(|| view! {
                <p class="sl-muted">"Tempo stopped before it had searched everything: there may be more traces."</p>
            })}
            {results}
            {move || {
                let limit = usize::try_from(connected.limit.get()).unwrap_or(usize::MAX);
                let shown = if tempo {
                    connected.found.with(|found| found.as_ref().map_or(0, Vec::len))
                } else {
                    state.data.with(|data| {
                        data.as_ref()
                            .filter(|d| connected.holds(d))
                            .map_or(0, |d| d.set.traces.len())
                    })
                };
                (shown >= limit && connected.limit.get() < crate::connect::MAX_LIMIT).then(|| view! {
                    <p class="sl-connect__more">
                        <button class="sl-button" data-testid="connect-load-more" on:click=move |_| connected.load_more(state)>
                            "Load more"
                        </button>
                    </p>
                })
            }}
        </section>
    }
}

/// The traces Tempo found: root, start, duration, matched spans.
#[component]
fn FoundList(
    connected: Connected,
    found: Vec<spanloupe_core::connect::response::FoundTrace>,
) -> impl IntoView {
    let state = use_app_state();
    if found.is_empty() {
        return view! { <p class="sl-empty" data-testid="found-none">"No traces found in this range."</p> }.into_any();
    }
    let summary = format::count(found.len(), "trace", "traces");
    let rows = found
        .into_iter()
        .map(|trace| {
            let id = trace.trace_id.clone();
            let start = trace.start_unix_nanos;
            let name = if trace.root_name.is_empty() {
                trace.trace_id.clone()
            } else {
                trace.root_name.clone()
            };
            let matched = format::count(usize::try_from(trace.matched_spans).unwrap_or(usize::MAX), "span matched", "spans matched");
            view! {
                <li class="sl-trace-row" data-testid="found-row">
                    <button class="sl-trace-row__open" on:click=move |_| connected.open(state, &id)>
                        <span class="sl-trace-row__name">{name}</span>
                        <span class="sl-trace-row__service">{trace.root_service.clone()}</span>
                        <span class="sl-muted">{move || crate::preferences::timestamp(state.clock.get(), start)}</span>
                        <span>{format::duration(trace.duration_nanos)}</span>
                        <span class="sl-muted">{matched}</span>
                    </button>
                </li>
            }
        })
        .collect_view();
    view! {
        <p class="sl-muted" data-testid="found-summary">{summary}</p>
        <ul class="sl-trace-list sl-found">{rows}</ul>
    }
    .into_any()
}
