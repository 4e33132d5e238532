//! Compare: the open trace (A) beside another of the same data (B). A
//! summary of both, then one row per span in tree order, paired by
//! `spanloupe_core::layout::compare` (a span only one trace has is marked
//! so), each pair's durations and how they changed; a row's details list
//! the attributes that differ and, for model calls, the messages diffed
//! line by line.

use std::sync::Arc;

use leptos::prelude::*;
use spanloupe_core::format;
use spanloupe_core::genai::cost::Cost;
use spanloupe_core::genai::{GenAiSpan, TraceGenAi};
use spanloupe_core::layout::attributes::PAGE_ROWS;
use spanloupe_core::layout::compare::{
    Change, Comparison, Line, Presence, Row, Side, Totals, attribute_changes, call_diff, compare,
};
use spanloupe_core::model::SpanIdx;

use super::show_all::ShowMoreButton;
use crate::state::{Dataset, use_app_state};

#[component]
pub fn CompareView(data: Arc<Dataset>, a: usize, b: usize) -> impl IntoView {
    let set = &data.set;
    let (Some(trace_a), Some(trace_b)) = (set.traces.get(a), set.traces.get(b)) else {
        return ().into_any();
    };
    let state = use_app_state();
    let (genai_a, genai_b) = (state.genai_of(&data, a), state.genai_of(&data, b));
    let comparison = Arc::new(compare(
        &Side {
            set,
            trace: trace_a,
            genai: &genai_a,
        },
        &Side {
            set,
            trace: trace_b,
            genai: &genai_b,
        },
    ));
    let name = |trace: &spanloupe_core::model::Trace| {
        trace
            .root()
            .map(|root| set.span_name(root).to_owned())
            .unwrap_or_default()
    };
    let (name_a, name_b) = (name(trace_a), name(trace_b));
    let selected = RwSignal::new(None::<usize>);
    // The first thousand rows; "Show 200 more" adds a page at a time.
    let pages = RwSignal::new(5_usize);
    let total = comparison.rows.len();
    let shown = Signal::derive(move || (pages.get() * PAGE_ROWS).min(total));
    let rows = {
        let data = data.clone();
        let comparison = comparison.clone();
        move || {
            let end = shown.get();
            comparison.rows[..end]
                .iter()
                .enumerate()
                .map(|(position, row)| row_view(&data, *row, position, selected))
                .collect_view()
        }
    };
    let details = {
        let data = data.clone();
        let comparison = comparison.clone();
        let genai = (genai_a.clone(), genai_b.clone());
        move || {
            let row = comparison.rows.get(selected.get()?)?;
            Some(details(&data, *row, (&genai.0, &genai.1)))
        }
    };
    view! {
        <section class="sl-compare" data-testid="compare" aria-label="Compare two traces">
            {summary(&comparison, &name_a, &name_b)}
            <div class="sl-compare__body">
                <div class="sl-compare__scroll">
                    <table class="sl-table sl-compare__table">
                        <thead><tr>
                            <th scope="col">"Span"</th>
                            <th scope="col" class="sl-num">"A"</th>
                            <th scope="col" class="sl-num">"B"</th>
                            <th scope="col" class="sl-num">"B − A"</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                    <ShowMoreButton pages=pages shown=shown total=Signal::derive(move || total) />
                </div>
                {details}
            </div>
        </section>
    }
    .into_any()
}

/// One figure of the summary: its label, A's and B's values, B − A.
struct Figure {
    label: &'static str,
    a: String,
    b: String,
    delta: String,
    change: Change,
}

/// A → B for the trace's figures (a column each), and how the spans paired.
fn summary(comparison: &Comparison, name_a: &str, name_b: &str) -> impl IntoView + use<> {
    let figures = figures(&comparison.a, &comparison.b);
    let head = figures
        .iter()
        .map(|f| view! { <th scope="col" class="sl-num">{f.label}</th> })
        .collect_view();
    let row = |side: &'static str, label: &'static str, value: fn(&Figure) -> (String, Change)| {
        let cells = figures
            .iter()
            .map(|f| {
                let (text, change) = value(f);
                view! {
                    <td class=format!("sl-num {}", change_class(change)) data-testid="compare-figure"
                        data-figure=f.label data-side=side>{text}</td>
                }
            })
            .collect_view();
        view! { <tr><th scope="row">{label}</th>{cells}</tr> }
    };
    let pairing = format!(
        "{} paired · {} only in A · {} only in B",
        format::thousands(wide(comparison.matched)),
        format::thousands(wide(comparison.only_a)),
        format::thousands(wide(comparison.only_b))
    );
    view! {
        <div class="sl-compare__summary" data-testid="compare-summary">
            <p class="sl-compare__names">
                <span class="sl-compare__tag">"A"</span>" "<span data-testid="compare-name-a">{name_a.to_owned()}</span>
                " → "
                <span class="sl-compare__tag">"B"</span>" "<span data-testid="compare-name-b">{name_b.to_owned()}</span>
                " "<span class="sl-muted sl-compare__pairing" data-testid="compare-pairing">{pairing}</span>
            </p>
            <table class="sl-table sl-compare__figures">
                <thead><tr><th></th>{head}</tr></thead>
                <tbody>
                    {row("a", "A", |f| (f.a.clone(), Change::Same))}
                    {row("b", "B", |f| (f.b.clone(), Change::Same))}
                    {row("delta", "B − A", |f| (f.delta.clone(), f.change))}
                </tbody>
            </table>
        </div>
    }
}

/// Duration, spans, errors, and for traces with model calls their calls,
/// tokens and cost.
fn figures(a: &Totals, b: &Totals) -> Vec<Figure> {
    let number = |label, x: u64, y: u64, as_duration: bool| {
        let show = |n: u64| {
            if as_duration {
                format::duration(n)
            } else {
                format::thousands(n)
            }
        };
        Figure {
            label,
            a: show(x),
            b: show(y),
            delta: difference(x, y, as_duration),
            change: if as_duration {
                Change::of(x, y)
            } else {
                count_change(x, y)
            },
        }
    };
    let mut figures = vec![
        number("Duration", a.duration_nanos, b.duration_nanos, true),
        number("Spans", wide(a.spans), wide(b.spans), false),
        number("Errors", wide(a.errors), wide(b.errors), false),
    ];
    if a.calls + b.calls > 0 {
        figures.push(number("Model calls", wide(a.calls), wide(b.calls), false));
        figures.push(number(
            "Input tokens",
            a.input_tokens,
            b.input_tokens,
            false,
        ));
        figures.push(number(
            "Output tokens",
            a.output_tokens,
            b.output_tokens,
            false,
        ));
        figures.push(cost_figure(a, b));
    }
    figures
}

/// The cost: dollars A → B, and how many calls of each had no price.
fn cost_figure(a: &Totals, b: &Totals) -> Figure {
    let show = |t: &Totals| match (t.cost_usd > 0.0, t.unpriced) {
        (_, 0) => format::usd(t.cost_usd),
        (false, _) => "unpriced".to_owned(),
        (true, n) => format!("{} + {n} unpriced", format::usd(t.cost_usd)),
    };
    let (change, delta) = dollars_difference(a.cost_usd, b.cost_usd);
    Figure {
        label: "Cost",
        a: show(a),
        b: show(b),
        delta,
        change,
    }
}

/// B's dollars against A's: "+$0.0000078" (more is worse), "−…", "=".
fn dollars_difference(a: f64, b: f64) -> (Change, String) {
    let delta = b - a;
    if delta.abs() < 1e-12 {
        (Change::Same, "=".to_owned())
    } else if delta > 0.0 {
        (Change::Slower, format!("+{}", format::usd(delta)))
    } else {
        (Change::Faster, format!("−{}", format::usd(-delta)))
    }
}

/// Two paired model calls' tokens and cost, A → B.
fn call_figures(a: &GenAiSpan, b: &GenAiSpan) -> impl IntoView + use<> {
    let tokens = |label, x: Option<u64>, y: Option<u64>| {
        let (x, y) = (x.unwrap_or(0), y.unwrap_or(0));
        Figure {
            label,
            a: format::thousands(x),
            b: format::thousands(y),
            delta: difference(x, y, false),
            change: count_change(x, y),
        }
    };
    let usd = |span: &GenAiSpan| match span.cost.as_ref() {
        Some(cost) => match cost.usd() {
            Some(usd) => format::usd(usd),
            None => "unpriced".to_owned(),
        },
        None => String::new(),
    };
    let cost_of = |span: &GenAiSpan| span.cost.as_ref().and_then(Cost::usd);
    let cost = match (cost_of(a), cost_of(b)) {
        (Some(x), Some(y)) => {
            let (change, delta) = dollars_difference(x, y);
            Figure {
                label: "Cost",
                a: usd(a),
                b: usd(b),
                delta,
                change,
            }
        }
        _ => Figure {
            label: "Cost",
            a: usd(a),
            b: usd(b),
            delta: String::new(),
            change: Change::Same,
        },
    };
    let figures = [
        tokens("Input tokens", a.usage.input, b.usage.input),
        tokens("Output tokens", a.usage.output, b.usage.output),
        cost,
    ];
    let rows = figures
        .into_iter()
        .map(|f| {
            view! {
                <tr data-testid="compare-call-figure" data-figure=f.label>
                    <th scope="row">{f.label}</th>
                    <td class="sl-num">{f.a}</td>
                    <td class="sl-num">{f.b}</td>
                    <td class=format!("sl-num {}", change_class(f.change))>{f.delta}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="sl-table sl-compare__call">
            <thead><tr><th></th><th class="sl-num">"A"</th><th class="sl-num">"B"</th><th class="sl-num">"B − A"</th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

/// A value as the attribute table shows it: "—" for none, a long one cut
/// (a model call's messages are diffed in full below it).
fn shortened(value: Option<String>) -> String {
    let Some(value) = value else {
        return "—".to_owned();
    };
    let head = format::head(&value, 240, 6);
    if head.len() < value.len() {
        format!("{head}…")
    } else {
        value
    }
}

fn wide(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

/// More of a count is worse (errors, spans, tokens): shown as "slower".
fn count_change(a: u64, b: u64) -> Change {
    match b.cmp(&a) {
        std::cmp::Ordering::Greater => Change::Slower,
        std::cmp::Ordering::Less => Change::Faster,
        std::cmp::Ordering::Equal => Change::Same,
    }
}

fn change_class(change: Change) -> &'static str {
    match change {
        Change::Slower => "sl-compare--worse",
        Change::Faster => "sl-compare--better",
        Change::Same => "",
    }
}

/// "+12.5ms", "−3", "=" (no difference).
fn difference(a: u64, b: u64, as_duration: bool) -> String {
    if a == b {
        return "=".to_owned();
    }
    let sign = if b > a { "+" } else { "−" };
    let amount = a.abs_diff(b);
    let amount = if as_duration {
        format::duration(amount)
    } else {
        format::thousands(amount)
    };
    format!("{sign}{amount}")
}

fn row_view(
    data: &Dataset,
    row: Row,
    position: usize,
    selected: RwSignal<Option<usize>>,
) -> impl IntoView + use<> {
    let set = &data.set;
    let span = row.a.or(row.b).unwrap_or(SpanIdx::at(0));
    let name = set.span_name(span).to_owned();
    let service = set.service_name(span).to_owned();
    let duration = |idx: Option<SpanIdx>| idx.and_then(|i| set.span(i)).map(|s| s.duration_nanos());
    let (a, b) = (duration(row.a), duration(row.b));
    let (mark, label, class) = match row.presence() {
        Presence::Both => ("", "", ""),
        Presence::OnlyA => ("−", "only in A", "sl-compare-row--only-a"),
        Presence::OnlyB => ("+", "only in B", "sl-compare-row--only-b"),
    };
    let (change, delta) = match (a, b) {
        (Some(x), Some(y)) => (Change::of(x, y), difference(x, y, true)),
        _ => (Change::Same, label.to_owned()),
    };
    let indent = format!("{}px", 8 + 14 * row.depth.min(60));
    view! {
        <tr
            class=format!("sl-trace-row sl-compare-row {class}")
            data-testid="compare-row"
            data-presence=label
            aria-selected=move || (selected.get() == Some(position)).to_string()
            on:click=move |_| selected.set(Some(position))
        >
            <td class="sl-compare-row__name" style=("padding-left", indent)>
                <span class="sl-compare-row__mark" aria-hidden="true">{mark}</span>
                <span data-testid="compare-row-name">{name}</span>
                " "<span class="sl-muted">{service}</span>
            </td>
            <td class="sl-num">{a.map(format::duration)}</td>
            <td class="sl-num">{b.map(format::duration)}</td>
            <td class=format!("sl-num {}", change_class(change)) data-testid="compare-row-change">{delta}</td>
        </tr>
    }
}

/// The selected row: its spans, what differs, and the way to open each.
fn details(data: &Dataset, row: Row, genai: (&TraceGenAi, &TraceGenAi)) -> impl IntoView + use<> {
    let state = use_app_state();
    let set = &data.set;
    let call_figures = row
        .a
        .zip(row.b)
        .and_then(|(a, b)| Some((genai.0.get(a)?, genai.1.get(b)?)))
        .filter(|(a, b)| a.kind.is_model_call() && b.kind.is_model_call())
        .map(|(a, b)| call_figures(a, b));
    let open = move |idx: Option<SpanIdx>, label: &'static str, testid: &'static str| {
        idx.map(|idx| {
            view! { <button class="sl-button" data-testid=testid on:click=move |_| state.select(Some(idx))>{label}</button> }
        })
    };
    let changes = match (row.a, row.b) {
        (Some(a), Some(b)) => {
            let changes = attribute_changes((set, a), (set, b));
            let body = if changes.is_empty() {
                view! { <p class="sl-muted">"Same status, kind and attributes."</p> }.into_any()
            } else {
                let rows = changes
                    .into_iter()
                    .map(|change| {
                        view! {
                            <tr data-testid="compare-attribute">
                                <th scope="row" class="sl-mono">{change.key}</th>
                                <td class="sl-compare--removed">{shortened(change.a)}</td>
                                <td class="sl-compare--added">{shortened(change.b)}</td>
                            </tr>
                        }
                    })
                    .collect_view();
                view! {
                    <table class="sl-table sl-compare__attributes" data-testid="compare-attributes">
                        <thead><tr><th>"Attribute"</th><th>"A"</th><th>"B"</th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                }
                .into_any()
            };
            let calls = call_diff((set, a), (set, b)).map(|lines| {
                let changed = lines.iter().filter(|l| !matches!(l, Line::Same(_))).count();
                let lines = lines
                    .into_iter()
                    .map(|line| {
                        let (class, mark, text) = match line {
                            Line::Same(text) => ("", " ", text),
                            Line::Removed(text) => ("sl-compare--removed", "−", text),
                            Line::Added(text) => ("sl-compare--added", "+", text),
                        };
                        view! { <div class=format!("sl-diff-line {class}")><span aria-hidden="true">{mark}</span>{text}</div> }
                    })
                    .collect_view();
                view! {
                    <h3>"Messages"</h3>
                    <p class="sl-muted">{format::count(changed, "line differs", "lines differ")}</p>
                    <div class="sl-diff" data-testid="compare-call-diff">{lines}</div>
                }
            });
            Some(view! { {body} {calls} })
        }
        _ => None,
    };
    let title = set
        .span_name(row.a.or(row.b).unwrap_or(SpanIdx::at(0)))
        .to_owned();
    view! {
        <aside class="sl-compare__details" data-testid="compare-details" aria-label="The selected row">
            <h2>{title}</h2>
            <div class="sl-compare__open">
                {open(row.a, "Open in A", "compare-open-a")}
                {open(row.b, "Open in B", "compare-open-b")}
            </div>
            {call_figures}
            {changes}
        </aside>
    }
}
