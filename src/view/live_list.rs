//! The live trace list of a collector, like the AI Toolkit's: newest first,
//! new arrivals marked, filters by service and text, the connection's state,
//! Clear and Download. One click opens a trace, which then follows the spans
//! still arriving.

use leptos::prelude::*;
use spanloupe_core::format;

use crate::live::{Connection, Live};
use crate::state::use_app_state;

#[component]
pub fn LiveList(live: Live) -> impl IntoView {
    move || {
        if live.needs_token.get() {
            view! { <TokenForm live=live /> }.into_any()
        } else {
            view! { <LiveTable live=live /> }.into_any()
        }
    }
}

/// Asks for the token of a collector started with `--token`.
#[component]
fn TokenForm(live: Live) -> impl IntoView {
    let state = use_app_state();
    let token = RwSignal::new(String::new());
    let remember = RwSignal::new(false);
    view! {
        <section class="sl-start sl-live" data-testid="live-token">
            <form
                class="sl-start__drop"
                on:submit=move |ev| {
                    ev.prevent_default();
                    let given = token.get_untracked();
                    if !given.trim().is_empty() {
                        live.use_token(state, given.trim().to_owned(), remember.get_untracked());
                    }
                }
            >
                <h1>"This collector needs its token"</h1>
                <p>"It was started with " <code>"--token"</code> ". The token stays in this page's memory, or in this tab's session storage if you tick the box; never in the address or the recent files."</p>
                <input
                    class="sl-input"
                    type="password"
                    autocomplete="off"
                    aria-label="Token"
                    data-testid="live-token-input"
                    prop:value=move || token.get()
                    on:input=move |ev| token.set(event_target_value(&ev))
                />
                <label>
                    <input type="checkbox" prop:checked=move || remember.get() on:change=move |ev| remember.set(event_target_checked(&ev)) />
                    " Remember for this tab"
                </label>
                <button class="sl-button sl-button--primary" type="submit" data-testid="live-token-submit">"Connect"</button>
                {move || live.error.get().map(|message| view! { <p class="sl-error-text" role="alert">{message}</p> })}
            </form>
        </section>
    }
}

#[component]
fn LiveTable(live: Live) -> impl IntoView {
    let state = use_app_state();
    let offset_minutes = {
        #[allow(clippy::cast_possible_truncation)] // minutes from UTC, at most 14 hours
        let offset = -(js_sys::Date::new_0().get_timezone_offset() as i32);
        offset
    };
    let connection = move || match live.connection.get() {
        Connection::Connecting => ("sl-live__pill", "Connecting…"),
        Connection::Connected => ("sl-live__pill sl-live__pill--on", "Live"),
        Connection::Lost => (
            "sl-live__pill sl-live__pill--lost",
            "Connection lost: reconnecting…",
        ),
    };
    let updated = move || {
        live.updated_ms.get().map(|ms| {
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            // a time in ms since 1970
            let nanos = (ms as u64).saturating_mul(1_000_000);
            let stamp = format::local_timestamp(nanos, offset_minutes);
            format!("updated {}", stamp.split(' ').nth(1).unwrap_or(&stamp))
        })
    };
    let summary = move || live.status.get().map(|s| s.summary()).unwrap_or_default();
    let services = move || {
        live.services
            .get()
            .into_iter()
            .map(|service| {
                let value = service.clone();
                view! { <option value=value>{service}</option> }
            })
            .collect_view()
    };
    let rows = move || {
        let traces = live.traces.get();
        if traces.is_empty() {
            let waiting = "No traces yet. Point an app at this collector (OTEL_EXPORTER_OTLP_ENDPOINT=\
                           http://127.0.0.1:4318) and its traces appear here as they arrive.";
            return view! { <tr><td colspan="8" class="sl-muted" data-testid="live-empty">{waiting}</td></tr> }
                .into_any();
        }
        let arrivals = live.arrivals.get();
        traces
            .into_iter()
            .map(|trace| {
                let id = trace.trace_id.clone();
                let is_new = arrivals.is_new(&id);
                let errors = trace.errors;
                let stamp = format::local_timestamp(trace.start_unix_nano, offset_minutes);
                let time = stamp.split(' ').nth(1).unwrap_or(&stamp).to_owned();
                let name = trace.name();
                let tokens = trace.tokens().unwrap_or_default();
                let model = trace.model.clone().unwrap_or_default();
                let open_id = id.clone();
                view! {
                    <tr
                        class="sl-trace-row"
                        class:sl-live__row--new=is_new
                        data-testid="live-trace"
                        data-trace-id=id
                        on:click=move |_| live.open(state, &open_id)
                    >
                        <td class="sl-muted sl-mono" title=stamp.clone()>{time}</td>
                        <td>{trace.root_service.clone()}</td>
                        <td>
                            <button class="sl-link sl-trace-row__name">{name}</button>
                            {is_new.then(|| view! { <span class="sl-live__new" data-testid="live-new">"new"</span> })}
                        </td>
                        <td class="sl-num">{trace.spans}</td>
                        <td class="sl-num" class:sl-error-text=errors.gt(&0)>{errors}</td>
                        <td class="sl-muted">{model}</td>
                        <td class="sl-muted sl-num">{tokens}</td>
                        <td class="sl-num">{format::duration(trace.duration_nanos())}</td>
                    </tr>
                }
            })
            .collect_view()
            .into_any()
    };
    view! {
        <section class="sl-trace-list sl-live" aria-label="Live traces" data-testid="live-list">
            <header class="sl-trace-list__header">
                <h1>
                    {move || {
                        let (class, label) = connection();
                        view! { <span class=class data-testid="live-connection">{label}</span> }
                    }}
                    " "
                    <span data-testid="live-status">{summary}</span>
                </h1>
                <span class="sl-muted" data-testid="live-updated">{updated}</span>
                <select
                    class="sl-input"
                    aria-label="Service"
                    data-testid="live-service"
                    on:change=move |ev| {
                        live.service.set(event_target_value(&ev));
                        live.refresh_list();
                    }
                >
                    <option value="">"All services"</option>
                    {services}
                </select>
                <input
                    class="sl-input"
                    type="search"
                    placeholder="Filter by name, service, model or trace id"
                    aria-label="Filter traces"
                    data-testid="live-filter"
                    prop:value=move || live.text.get()
                    on:input=move |ev| {
                        live.text.set(event_target_value(&ev));
                        live.refresh_list();
                    }
                />
                <button class="sl-button" data-testid="live-refresh" on:click=move |_| live.refresh_list()>"Refresh"</button>
                <a class="sl-button" data-testid="live-download" href=live.export_url() download="spanloupe-export.jsonl">"Download"</a>
                <button class="sl-button" data-testid="live-clear" on:click=move |_| live.clear()>"Clear"</button>
            </header>
            {move || live.error.get().map(|message| view! { <p class="sl-error-text" role="alert">{message}</p> })}
            <div class="sl-trace-list__rows">
                <table class="sl-table">
                    <thead>
                        <tr>
                            <th>"Start"</th>
                            <th>"Service"</th>
                            <th>"Root span"</th>
                            <th class="sl-num">"Spans"</th>
                            <th class="sl-num">"Errors"</th>
                            <th>"Model"</th>
                            <th class="sl-num">"Tokens"</th>
                            <th class="sl-num">"Duration"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}
