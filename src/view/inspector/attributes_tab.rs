//! The Attributes tab: what the span is and when (facts and ids), then its
//! attributes, links, resource and scope, with one key filter over all.

use std::sync::Arc;

use leptos::prelude::*;
use spanloupe_core::format;
use spanloupe_core::layout::attributes::{matching_keys, rows_shown};
use spanloupe_core::layout::self_time::self_time_nanos;
use spanloupe_core::model::{Slice, SpanIdx, StatusCode, TraceSet};
use spanloupe_core::preferences::Clock;

use super::value::ValueView;
use crate::state::{Dataset, use_app_state};
use crate::view::copy::CopyButton;
use crate::view::show_all::ShowMoreButton;

#[component]
pub fn AttributesTab(data: Arc<Dataset>, span: SpanIdx) -> impl IntoView {
    let set = &data.set;
    let (Some(record), Some(trace)) = (set.span(span).cloned(), set.trace_of(span)) else {
        return ().into_any();
    };
    let filter = RwSignal::new(String::new());
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
    let parent_id = (!record.parent_span_id.is_zero()).then(|| record.parent_span_id.to_string());
    let facts = [
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
        (
            "Start (local)",
            crate::preferences::timestamp(Clock::Local, record.start_unix_nanos),
        ),
    ]
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
    let attributes = record.attributes;
    let attribute_count = set.attributes(attributes).len();
    let links_view = links_section(&data, span);
    let resource_view = set.resource(record.resource).copied().map(|r| {
        let attrs = r.attributes;
        let count = set.attributes(attrs).len();
        view! {
            <details class="sl-section" open=true>
                <summary>{format!("Resource ({count})")}</summary>
                <AttributeTable data=data.clone() attributes=attrs filter=filter />
            </details>
        }
    });
    let scope_view = set.scope(record.scope).copied().map(|s| {
        let attrs = s.attributes;
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
        {links_view}
        {resource_view}
        {scope_view}
    }
    .into_any()
}

/// A key-value table of the attributes whose key contains `filter`; the
/// first page of them is drawn, and more on request.
#[component]
pub fn AttributeTable(
    data: Arc<Dataset>,
    attributes: Slice,
    filter: RwSignal<String>,
) -> impl IntoView {
    let count = data.set.attributes(attributes).len();
    if count == 0 {
        return view! { <p class="sl-muted sl-empty-note">"None"</p> }.into_any();
    }
    let pages = RwSignal::new(1);
    // Positions of the attributes the filter keeps; `None`: all of them.
    let matching = {
        let data = data.clone();
        Memo::new(move |_| matching_keys(&data.set, data.set.attributes(attributes), &filter.get()))
    };
    let total = Signal::derive(move || matching.with(|m| m.as_ref().map_or(count, Vec::len)));
    let shown = Signal::derive(move || rows_shown(total.get(), pages.get()));
    let rows = move || {
        let all = data.set.attributes(attributes);
        let positions: Vec<usize> = matching.with(|m| match m {
            Some(found) => found.get(..shown.get()).unwrap_or(found).to_vec(),
            None => (0..shown.get()).collect(),
        });
        positions
            .into_iter()
            .filter_map(|at| all.get(at).copied())
            .map(|attribute| {
                let key = data.set.str(attribute.key).to_owned();
                let lower = key.to_lowercase();
                // Stack traces and queries read best as code.
                let code = lower.ends_with("stacktrace")
                    || lower.ends_with(".statement")
                    || lower.ends_with("query.text");
                view! {
                    <tr>
                        <th class="sl-mono" scope="row" title=key.clone()>{key.clone()}</th>
                        <td><ValueView data=data.clone() value=attribute.value depth=0 code=code /></td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <table class="sl-attributes" data-testid="attributes"><tbody>{rows}</tbody></table>
        <ShowMoreButton pages=pages shown=shown total=total />
    }
    .into_any()
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
            let attrs = link.attributes;
            let ids = format!("{} / {}", link.trace_id, link.span_id);
            let jump = target.map(|target| {
                let label = format!("Go to {}", set.span_name(target));
                view! {
                    <button class="sl-link" on:click=move |_| state.select(Some(target))>{label}</button>
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
