//! The Statistics view of a trace: its spans grouped by service and name
//! (optionally also by an attribute's value), one sortable row per group
//! (`spanloupe_core::layout::statistics`); a click on a row searches those
//! spans in the waterfall.

use std::sync::Arc;

use leptos::prelude::*;
use spanloupe_core::format;
use spanloupe_core::layout::statistics::{Group, SortBy, sort, statistics};

use super::Derived;
use crate::state::{Dataset, TraceView, use_app_state};

/// The columns: header, what sorts them, and whether they are numbers.
const COLUMNS: [(&str, SortBy); 11] = [
    ("Service · name", SortBy::Name),
    ("Count", SortBy::Count),
    ("Total", SortBy::Total),
    ("Self", SortBy::SelfTime),
    ("Avg", SortBy::Average),
    ("p50", SortBy::Median),
    ("p95", SortBy::P95),
    ("Max", SortBy::Max),
    ("Errors", SortBy::Errors),
    ("Tokens", SortBy::Tokens),
    ("Cost", SortBy::Cost),
];

#[component]
pub fn Statistics(data: Arc<Dataset>, index: usize, derived: Derived) -> impl IntoView {
    let state = use_app_state();
    let sort_by = RwSignal::new((SortBy::Total, true));
    let group_key = RwSignal::new(String::new());
    let groups = {
        let data = data.clone();
        Memo::new(move |_| {
            let Some(trace) = data.set.traces.get(index) else {
                return Vec::new();
            };
            let key = group_key.get();
            let key = key.trim();
            let mut groups = derived.genai.with_value(|genai| {
                statistics(&data.set, trace, genai, (!key.is_empty()).then_some(key))
            });
            let (by, descending) = sort_by.get();
            sort(&mut groups, by, descending);
            groups
        })
    };
    let header = COLUMNS
        .iter()
        .map(|&(label, by)| {
            let sorted = move || match sort_by.get() {
                (current, true) if current == by => "descending",
                (current, false) if current == by => "ascending",
                _ => "none",
            };
            view! {
                <th scope="col" aria-sort=sorted class:sl-num=by != SortBy::Name>
                    <button class="sl-th-button" on:click=move |_| {
                        sort_by.update(|(current, descending)| {
                            if *current == by {
                                *descending = !*descending;
                            } else {
                                *current = by;
                                *descending = by != SortBy::Name;
                            }
                        });
                    }>{label}</button>
                </th>
            }
        })
        .collect_view();
    let rows =
        move || groups.with(|groups| groups.iter().map(|group| row(state, group)).collect_view());
    let summary = move || groups.with(|g| format::count(g.len(), "group", "groups"));
    view! {
        <section class="sl-statistics" data-testid="statistics">
            <div class="sl-toolbar">
                <span class="sl-muted" data-testid="statistics-summary">{summary}</span>
                <label class="sl-check">
                    "Also group by attribute "
                    <input
                        class="sl-input"
                        type="text"
                        placeholder="e.g. http.route"
                        aria-label="Also group by this attribute key"
                        data-testid="statistics-group-by"
                        prop:value=move || group_key.get()
                        on:change=move |ev| group_key.set(event_target_value(&ev))
                    />
                </label>
            </div>
            <div class="sl-statistics__scroll">
                <table class="sl-table sl-statistics__table">
                    <thead><tr>{header}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}

/// One group's row; a click shows its spans as search matches.
fn row(state: crate::state::AppState, group: &Group) -> impl IntoView + use<> {
    let name = group.name.clone();
    let label = match &group.value {
        Some(value) if !value.is_empty() => format!("{} · {} · {value}", group.service, group.name),
        Some(_) => format!("{} · {} · (none)", group.service, group.name),
        None => format!("{} · {}", group.service, group.name),
    };
    let tokens = group.input_tokens + group.output_tokens;
    let tokens = if tokens == 0 {
        String::new()
    } else {
        format!(
            "{} in · {} out",
            format::thousands(group.input_tokens),
            format::thousands(group.output_tokens)
        )
    };
    let cost = match (group.cost_usd > 0.0, group.unpriced) {
        (false, 0) => String::new(),
        (false, _) => "unpriced".to_owned(),
        (true, 0) => format::usd(group.cost_usd),
        (true, _) => format!("{} + unpriced", format::usd(group.cost_usd)),
    };
    let errors = group.errors;
    let has_errors = errors > 0;
    view! {
        <tr class="sl-trace-row" data-testid="statistics-row" title="Show these spans in the waterfall"
            on:click=move |_| {
                state.query.set(name.clone());
                state.only_matches.set(false);
                state.show_view(TraceView::Waterfall);
            }>
            <td>{label}</td>
            <td class="sl-num">{group.count}</td>
            <td class="sl-num">{format::duration(group.total_nanos)}</td>
            <td class="sl-num">{format::duration(group.self_nanos)}</td>
            <td class="sl-num">{format::duration(group.average_nanos)}</td>
            <td class="sl-num">{format::duration(group.median_nanos)}</td>
            <td class="sl-num">{format::duration(group.p95_nanos)}</td>
            <td class="sl-num">{format::duration(group.max_nanos)}</td>
            <td class="sl-num" class:sl-error-text=has_errors>{errors}</td>
            <td class="sl-num">{tokens}</td>
            <td class="sl-num">{cost}</td>
        </tr>
    }
}
