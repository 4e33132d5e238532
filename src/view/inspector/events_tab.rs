//! The Events tab: the span's events and the log records that point at it
//! (GenAI instrumentations often send message content as logs), in time order.

use std::sync::Arc;

use leptos::prelude::*;
use spanloupe_core::format;
use spanloupe_core::layout::attributes::rows_shown;
use spanloupe_core::model::{LogRecord, Slice, SpanIdx, Value};

use super::attributes_tab::AttributeTable;
use super::value::ValueView;
use crate::state::Dataset;
use crate::view::show_all::ShowMoreButton;

/// One row of the tab: a span event or a correlated log record.
#[derive(Clone)]
struct Entry {
    time_unix_nanos: u64,
    name: String,
    /// The log's severity, e.g. "INFO"; `None` for span events.
    severity: Option<String>,
    body: Value,
    attributes: Slice,
    is_log: bool,
}

/// How many events and correlated log records the span has, for the tab label.
pub fn event_count(data: &Dataset, span: SpanIdx) -> usize {
    let set = &data.set;
    set.span(span).map_or(0, |s| set.events(s.events).len()) + set.logs_of_span(span).len()
}

#[component]
pub fn EventsTab(data: Arc<Dataset>, span: SpanIdx, trace_start: u64) -> impl IntoView {
    let set = &data.set;
    let mut entries: Vec<Entry> = set
        .span(span)
        .map(|record| {
            set.events(record.events)
                .iter()
                .map(|event| Entry {
                    time_unix_nanos: event.time_unix_nanos,
                    name: set.str(event.name).to_owned(),
                    severity: None,
                    body: Value::Empty,
                    attributes: event.attributes,
                    is_log: false,
                })
                .collect()
        })
        .unwrap_or_default();
    entries.extend(
        set.logs_of_span(span)
            .iter()
            .map(|log| log_entry(&data, log)),
    );
    // Stable: events and logs at the same instant keep their order.
    entries.sort_by_key(|entry| entry.time_unix_nanos);
    if entries.is_empty() {
        return view! { <p class="sl-muted sl-empty-note">"No events or log records."</p> }
            .into_any();
    }
    // The first page of them is drawn, and more on request: a span may
    // carry a million events.
    let total = entries.len();
    let pages = RwSignal::new(1);
    let shown = Signal::derive(move || rows_shown(total, pages.get()));
    let entries = Arc::new(entries);
    let items = move || {
        let count = shown.get();
        entries
        .iter()
        .take(count)
        .cloned()
        .map(|entry| {
            let offset = format!(
                "+{}",
                format::duration(entry.time_unix_nanos.saturating_sub(trace_start))
            );
            let is_exception = entry.name == "exception";
            let name = if entry.name.is_empty() {
                if entry.is_log { "(log record)" } else { "(unnamed event)" }.to_owned()
            } else {
                entry.name
            };
            let kind = entry.is_log.then(|| view! { <span class="sl-badge" title="A log record correlated with this span">"log"</span> });
            let severity = entry.severity.map(|s| view! { <span class="sl-badge">{s}</span> });
            let body = (!matches!(entry.body, Value::Empty)).then(|| {
                view! {
                    <div class="sl-event-item__body">
                        <span class="sl-muted">"body"</span>
                        <ValueView data=data.clone() value=entry.body depth=0 />
                    </div>
                }
            });
            view! {
                <li class="sl-event-item" class:sl-event-item--exception=is_exception data-testid="event-item">
                    <div class="sl-event-item__head">
                        <span class="sl-mono sl-muted">{offset}</span>
                        <strong>{name}</strong>
                        {kind}
                        {severity}
                    </div>
                    {body}
                    <AttributeTable data=data.clone() attributes=entry.attributes filter=RwSignal::new(String::new()) />
                </li>
            }
        })
        .collect_view()
    };
    view! {
        <ol class="sl-events">{items}</ol>
        <ShowMoreButton pages=pages shown=shown total=Signal::derive(move || total) />
    }
    .into_any()
}

fn log_entry(data: &Dataset, log: &LogRecord) -> Entry {
    let set = &data.set;
    let severity = match set.str(log.severity_text) {
        "" if log.severity_number > 0 => Some(format!("severity {}", log.severity_number)),
        "" => None,
        text => Some(text.to_owned()),
    };
    // The event name is a field since OTLP 1.3; older senders put it in `event.name`.
    let name = match set.str(log.event_name) {
        "" => set
            .attributes(log.attributes)
            .iter()
            .find(|a| set.str(a.key) == "event.name")
            .and_then(|a| set.value_str(a.value))
            .unwrap_or("")
            .to_owned(),
        name => name.to_owned(),
    };
    let time = if log.time_unix_nanos > 0 {
        log.time_unix_nanos
    } else {
        log.observed_time_unix_nanos
    };
    Entry {
        time_unix_nanos: time,
        name,
        severity,
        body: log.body,
        attributes: log.attributes,
        is_log: true,
    }
}
