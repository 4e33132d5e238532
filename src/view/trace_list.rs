//! The table of traces, when the input holds more than one: sortable,
//! filterable, with a duration bar; one click opens a trace. Only the rows
//! on screen are drawn (`layout::trace_list::rows_on_screen`), between two
//! spacers that give the table its whole height.

use leptos::prelude::*;
use spanloupe_core::format;
use spanloupe_core::layout::trace_list::{
    Column, ROW_HEIGHT_PX, rows_on_screen, trace_name, trace_rows,
};
use wasm_bindgen::JsCast;

use std::sync::Arc;

use spanloupe_core::layout::sessions::sessions;

use crate::state::use_app_state;
use crate::view::sessions::SessionList;

#[component]
pub fn TraceList() -> impl IntoView {
    let state = use_app_state();
    let filter = RwSignal::new(String::new());
    let sort = RwSignal::new((Column::Start, false));
    let rows = Memo::new(move |_| {
        let (column, descending) = sort.get();
        let needle = filter.get();
        state.data.with(|data| {
            data.as_ref()
                .map(|d| trace_rows(&d.set, &needle, column, descending))
                .unwrap_or_default()
        })
    });
    // Where the rows' box is scrolled to, and how high it is (the window's
    // height until the first scroll says).
    let scroll = RwSignal::new((
        0.0,
        web_sys::window()
            .and_then(|w| w.inner_height().ok()?.as_f64())
            .unwrap_or(1_000.0),
    ));
    let on_screen = Memo::new(move |_| {
        let (top, height) = scroll.get();
        rows.with(|rows| rows_on_screen(rows.len(), top, height))
    });
    #[allow(clippy::cast_precision_loss)] // a height in pixels
    let spacer = |rows: usize| format!("{}px", rows as f64 * ROW_HEIGHT_PX);
    let above = move || spacer(on_screen.get().start);
    let below = move || spacer(rows.with(Vec::len) - on_screen.get().end);
    crate::perf::mark_after_paint(crate::perf::TRACE_LIST_PAINTED);
    // Traces that share a session id: a tab of their own, when there are.
    let sessions = Memo::new(move |_| {
        state.data.with(|data| {
            data.as_ref()
                .map(|d| Arc::new(sessions(&d.set, &d.genai)))
                .unwrap_or_default()
        })
    });
    let showing_sessions = RwSignal::new(false);
    let tabs = move || {
        let count = sessions.with(|s| s.len());
        (count > 0).then(|| {
            view! {
                <div class="sl-segmented" role="group" aria-label="List">
                    <button class="sl-segment" data-testid="list-traces"
                        aria-pressed=move || (!showing_sessions.get()).to_string()
                        on:click=move |_| showing_sessions.set(false)>"Traces"</button>
                    <button class="sl-segment" data-testid="list-sessions"
                        aria-pressed=move || showing_sessions.get().to_string()
                        on:click=move |_| showing_sessions.set(true)>{format!("Sessions ({count})")}</button>
                </div>
            }
        })
    };
    let summary = move || {
        state.data.with(|data| {
            let Some(data) = data.as_ref() else {
                return String::new();
            };
            format!(
                "{} · {}",
                format::count(data.set.traces.len(), "trace", "traces"),
                format::count(data.set.span_count(), "span", "spans")
            )
        })
    };
    let header = move |column: Column, label: &'static str, class: &'static str| {
        let arrow = move || match sort.get() {
            (c, true) if c == column => " ▾",
            (c, false) if c == column => " ▴",
            _ => "",
        };
        let aria = move || match sort.get() {
            (c, true) if c == column => "descending",
            (c, false) if c == column => "ascending",
            _ => "none",
        };
        view! {
            <th class=class aria-sort=aria>
                <button class="sl-th-button" on:click=move |_| sort.update(|(c, d)| {
                    if *c == column { *d = !*d } else { *c = column; *d = matches!(column, Column::Spans | Column::Errors | Column::Duration) }
                })>{label}{arrow}</button>
            </th>
        }
    };
    view! {
        <section class="sl-trace-list" aria-label="Traces">
            <header class="sl-trace-list__header">
                <h1 data-testid="trace-list-summary">{summary}</h1>
                {tabs}
                <input
                    class="sl-input"
                    type="search"
                    placeholder="Filter by name, service or trace id"
                    aria-label="Filter traces"
                    prop:value=move || filter.get()
                    on:input=move |ev| filter.set(event_target_value(&ev))
                />
            </header>
            {move || showing_sessions.get().then(|| view! { <SessionList sessions=sessions.get() /> })}
            <div
                class="sl-trace-list__rows"
                class:sl-hidden=move || showing_sessions.get()
                data-testid="trace-list-rows"
                on:scroll=move |ev| {
                    if let Some(rows) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
                        scroll.set((f64::from(rows.scroll_top()), f64::from(rows.client_height())));
                    }
                }
            >
            <table class="sl-table">
                <thead>
                    <tr>
                        {header(Column::Name, "Root span", "")}
                        {header(Column::Services, "Services", "")}
                        {header(Column::Spans, "Spans", "sl-num")}
                        {header(Column::Errors, "Errors", "sl-num")}
                        {header(Column::Start, "Start", "")}
                        {header(Column::Duration, "Duration", "sl-duration-col")}
                    </tr>
                </thead>
                <tbody>
                    <tr class="sl-trace-list__spacer" aria-hidden="true" style=("height", above)><td colspan="6"></td></tr>
                    {move || {
                        state.data.with(|data| {
                            let Some(data) = data.as_ref() else { return Vec::new() };
                            let set = &data.set;
                            let longest = set.traces.iter().map(|t| t.duration_nanos()).max().unwrap_or(1).max(1);
                            let range = on_screen.get();
                            rows.with(|rows| rows.get(range).unwrap_or_default().to_vec())
                                .into_iter()
                                .filter_map(|index| {
                                    let trace = set.traces.get(index)?;
                                    let services = trace.services.iter().map(|s| set.str(*s)).collect::<Vec<_>>().join(", ");
                                    #[allow(clippy::cast_precision_loss)] // a bar width
                                    let share = trace.duration_nanos() as f64 / longest as f64 * 100.0;
                                    let bar = format!("{share:.1}%");
                                    let errors = trace.error_count;
                                    let has_errors = errors > 0;
                                    Some(view! {
                                        <tr class="sl-trace-row" data-testid="trace-row" on:click=move |_| state.open_trace(Some(index))>
                                            <td>
                                                <button class="sl-link sl-trace-row__name">{trace_name(set, trace).to_owned()}</button>
                                            </td>
                                            <td class="sl-muted">{services}</td>
                                            <td class="sl-num">{trace.span_count()}</td>
                                            <td class="sl-num" class:sl-error-text=has_errors>{errors}</td>
                                            <td class="sl-muted sl-mono">{crate::preferences::timestamp(state.clock.get(), trace.start_unix_nanos)}</td>
                                            <td class="sl-duration-col">
                                                <div class="sl-duration-cell">
                                                    <div class="sl-duration-bar" style=("width", bar)></div>
                                                    <span>{format::duration(trace.duration_nanos())}</span>
                                                </div>
                                            </td>
                                        </tr>
                                    })
                                })
                                .collect::<Vec<_>>()
                        })
                    }}
                    <tr class="sl-trace-list__spacer" aria-hidden="true" style=("height", below)><td colspan="6"></td></tr>
                </tbody>
            </table>
            </div>
        </section>
    }
}
