//! The virtualized waterfall: a sticky time ruler and one fixed-height row
//! per visible span. Only the rows on screen, plus an overscan, are in the
//! DOM, so 100,000 spans scroll like 100.

use std::sync::Arc;

use leptos::prelude::*;
use spanloupe_core::format;
use spanloupe_core::genai::{GenAiKind, GenAiSpan};
use spanloupe_core::layout::zoom::{Window, pan, zoom};
use spanloupe_core::layout::{Row, Rows, TimeScale};
use spanloupe_core::model::{SpanIdx, TraceSet};
use wasm_bindgen::JsCast;

use super::Derived;
use super::minimap::Overview;
use crate::state::{Dataset, use_app_state};
use crate::view::service_colors::service_color;

const ROW_HEIGHT_PX: f64 = 24.0;
const OVERSCAN_ROWS: usize = 12;
/// Zoom steps of the keyboard and the wheel.
const ZOOM_IN: f64 = 0.8;
const ZOOM_OUT: f64 = 1.25;
const PAN_STEP: f64 = 0.2;

/// The height of the sticky head (overview and ruler) above the rows: it sits
/// inside the scroll container, so rows scroll under it and it keeps the
/// rows' width, scrollbar included.
fn head_height(body: &web_sys::HtmlElement) -> f64 {
    body.query_selector(".sl-waterfall__head")
        .ok()
        .flatten()
        .and_then(|head| head.dyn_into::<web_sys::HtmlElement>().ok())
        .map_or(0.0, |head| f64::from(head.offset_height()))
}

/// Scrolls `body` so that the row at `position` is visible.
pub fn scroll_into_view(body: NodeRef<leptos::html::Div>, position: usize) {
    let Some(element) = body.get_untracked() else {
        return;
    };
    #[allow(clippy::cast_precision_loss)] // row positions are far below 2^52
    let top = position as f64 * ROW_HEIGHT_PX;
    let scroll_top = f64::from(element.scroll_top());
    let visible = f64::from(element.client_height()) - head_height(&element);
    if top < scroll_top {
        element.set_scroll_top(top as i32);
    } else if top + ROW_HEIGHT_PX > scroll_top + visible {
        element.set_scroll_top((top + ROW_HEIGHT_PX - visible).ceil() as i32);
    }
}

#[component]
pub fn Waterfall(
    data: Arc<Dataset>,
    index: usize,
    derived: Derived,
    body: NodeRef<leptos::html::Div>,
) -> impl IntoView {
    let state = use_app_state();
    let Some(trace) = data.set.traces.get(index).cloned() else {
        return ().into_any();
    };
    let rows = derived.rows;
    let scroll_top = RwSignal::new(0.0f64);
    let viewport = RwSignal::new(600.0f64);

    // The viewport height: measured on mount and when the window resizes.
    let measure = move || {
        if let Some(element) = body.get_untracked() {
            viewport.set(f64::from(element.client_height()) - head_height(&element));
        }
    };
    Effect::new(move |_| {
        if body.get().is_some() {
            measure();
            crate::perf::mark_after_paint(crate::perf::WATERFALL_PAINTED);
        }
    });
    let resize = window_event_listener(leptos::ev::resize, move |_| measure());
    on_cleanup(move || resize.remove());

    let scale = move || {
        let (start, end) = state
            .window
            .get()
            .unwrap_or((trace.start_unix_nanos, trace.end_unix_nanos));
        TimeScale::new(start, end, 100.0)
    };
    let trace_start = trace.start_unix_nanos;
    let ticks = move || {
        scale()
            .ticks(trace_start, 10.0)
            .into_iter()
            .map(|tick| {
                let left = format!("left: {:.3}%", tick.x_px);
                view! { <span class="sl-ruler__tick" style=left>{tick.label}</span> }
            })
            .collect_view()
    };

    // The rows in the scrolled window, with their positions.
    let window = {
        let data = data.clone();
        Memo::new(move |_| {
            let first = (scroll_top.get() / ROW_HEIGHT_PX).floor().max(0.0) as usize;
            let count = (viewport.get() / ROW_HEIGHT_PX).ceil() as usize + 1;
            rows.with(|rows| {
                let start = first.saturating_sub(OVERSCAN_ROWS).min(rows.len());
                let end = (first + count + OVERSCAN_ROWS).min(rows.len());
                (start..end)
                    .filter_map(|position| Some((position, rows.get(&data.set, position)?)))
                    .collect::<Vec<_>>()
            })
        })
    };
    let total_height = move || format!("height: {}px", rows.with(Rows::len) as f64 * ROW_HEIGHT_PX);
    let row_count = move || rows.with(Rows::len).to_string();

    let bounds: Window = (
        trace.start_unix_nanos,
        trace.end_unix_nanos.max(trace.start_unix_nanos + 1),
    );
    // Sets the window, or none when it shows the whole trace.
    let set_window = move |window: Window| state.window.set((window != bounds).then_some(window));
    let current_window = move || state.window.get_untracked().unwrap_or(bounds);
    let data_for_keys = data.clone();
    let on_keydown = move |ev: web_sys::KeyboardEvent| {
        if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        let zoomed = match ev.key().as_str() {
            "w" | "+" | "=" => Some(zoom(current_window(), bounds, 0.5, ZOOM_IN)),
            "s" | "-" => Some(zoom(current_window(), bounds, 0.5, ZOOM_OUT)),
            "a" => Some(pan(current_window(), bounds, -PAN_STEP)),
            "d" => Some(pan(current_window(), bounds, PAN_STEP)),
            "0" => Some(bounds),
            _ => None,
        };
        let handled = match zoomed {
            Some(window) => {
                set_window(window);
                true
            }
            None => handle_key(
                &ev,
                &data_for_keys.set,
                rows,
                state.selected,
                state.collapsed,
            ),
        };
        if handled {
            ev.prevent_default();
        }
    };
    let time_axis: NodeRef<leptos::html::Div> = NodeRef::new();
    // Ctrl (or ⌘) + wheel zooms around the pointer, Shift + wheel pans.
    let on_wheel = move |ev: web_sys::WheelEvent| {
        let delta = if ev.delta_y() != 0.0 {
            ev.delta_y()
        } else {
            ev.delta_x()
        };
        if delta == 0.0 {
            return;
        }
        if ev.ctrl_key() || ev.meta_key() {
            ev.prevent_default();
            let anchor = time_axis.get_untracked().map_or(0.5, |axis| {
                let rect = axis.get_bounding_client_rect();
                if rect.width() > 0.0 {
                    (f64::from(ev.client_x()) - rect.left()) / rect.width()
                } else {
                    0.5
                }
            });
            set_window(zoom(
                current_window(),
                bounds,
                anchor,
                if delta > 0.0 { ZOOM_OUT } else { ZOOM_IN },
            ));
        } else if ev.shift_key() {
            ev.prevent_default();
            set_window(pan(
                current_window(),
                bounds,
                delta.signum() * PAN_STEP / 2.0,
            ));
        }
    };
    let data_for_rows = data.clone();
    view! {
        <div
            class="sl-waterfall"
            node_ref=body
            tabindex="0"
            role="treegrid"
            aria-label="Spans"
            aria-rowcount=row_count
            data-testid="waterfall"
            on:scroll=move |_| {
                if let Some(element) = body.get_untracked() {
                    scroll_top.set(f64::from(element.scroll_top()));
                }
            }
            on:keydown=on_keydown
            on:wheel=on_wheel
        >
            <div class="sl-waterfall__head">
                <Overview data=data.clone() index=index />
                <div class="sl-ruler" aria-hidden="true">
                    <div class="sl-ruler__name">"Span"</div>
                    <div class="sl-ruler__time" node_ref=time_axis>{ticks}</div>
                </div>
            </div>
            <div class="sl-waterfall__rows" style=total_height>
                <For
                    each=move || window.get()
                    key=|(position, row)| (*position, row.span, row.collapsed)
                    children=move |(position, row)| {
                        view! { <SpanRow data=data_for_rows.clone() position=position row=row scale=Signal::derive(scale) derived=derived /> }
                    }
                />
            </div>
        </div>
    }
    .into_any()
}

/// One row: name column (indent, toggle, service swatch, name) and timeline
/// column (bar, events, duration).
#[component]
fn SpanRow(
    data: Arc<Dataset>,
    position: usize,
    row: Row,
    scale: Signal<TimeScale>,
    derived: Derived,
) -> impl IntoView {
    let state = use_app_state();
    let set = &data.set;
    let Some(span) = set.span(row.span).cloned() else {
        return ().into_any();
    };
    let idx = row.span;
    let trace = set.trace_of(idx);
    let service = set.resource(span.resource).map(|r| r.service_name);
    let service_index = trace
        .and_then(|t| t.services.iter().position(|s| Some(*s) == service))
        .unwrap_or(0);
    let color = service_color(service_index);
    let name = set.str(span.name).to_owned();
    let service_name = set.service_name(idx).to_owned();
    let duration = format::duration(span.duration_nanos());
    let is_error = span.is_error();
    let missing_parent = span
        .problems
        .contains(spanloupe_core::model::Problems::MISSING_PARENT);
    let (start, end) = (span.start_unix_nanos, span.end_unix_nanos);
    let (genai_icon, genai_facts) = derived
        .genai
        .with_value(|g| g.get(idx).cloned())
        .map(|genai| genai_badge(set, genai))
        .map_or((None, None), |(icon, facts)| (Some(icon), facts));
    let event_times: Vec<(u64, String)> = set
        .events(span.events)
        .iter()
        .map(|e| (e.time_unix_nanos, set.str(e.name).to_owned()))
        .collect();

    let top = format!(
        "top: {}px; --depth: {}; --service-color: {color}",
        position as f64 * ROW_HEIGHT_PX,
        row.depth
    );
    // Bars and labels are clipped to the window: when zoomed, a span may
    // start before it or end after it.
    let clipped = move || {
        let scale = scale.get();
        (
            scale.x_px(start).clamp(0.0, 100.0),
            scale.x_px(end).clamp(0.0, 100.0),
        )
    };
    let outside = move || {
        let scale = scale.get();
        scale.x_px(end) < 0.0 || scale.x_px(start) > 100.0
    };
    let bar_style = move || {
        let (left, right) = clipped();
        format!("left: {left:.4}%; width: {:.4}%", right - left)
    };
    let label_style = move || {
        let (left, right) = clipped();
        // Right of the bar when there is room, else left of it, else inside.
        if right <= 82.0 {
            format!("left: {right:.4}%")
        } else if left >= 18.0 {
            format!("right: {:.4}%", 100.0 - left)
        } else {
            format!("right: {:.4}%; color: #fff", 100.0 - right)
        }
    };
    let events = event_times
        .into_iter()
        .map(|(time, event_name)| {
            let style = move || {
                let x = scale.get().x_px(time);
                if (0.0..=100.0).contains(&x) {
                    format!("left: {x:.4}%")
                } else {
                    "display: none".to_owned()
                }
            };
            let class = if event_name == "exception" {
                "sl-event sl-event--exception"
            } else {
                "sl-event"
            };
            view! { <span class=class style=style title=event_name></span> }
        })
        .collect_view();
    let toggle = row.has_children.then(|| {
        let label = if row.collapsed { "Expand" } else { "Collapse" };
        view! {
            <button
                class="sl-row__toggle"
                aria-label=label
                tabindex="-1"
                on:click=move |ev| {
                    ev.stop_propagation();
                    state.collapsed.update(|c| {
                        c.toggle(idx);
                    });
                }
            >
                {if row.collapsed { "▸" } else { "▾" }}
            </button>
        }
    });
    let is_match = move || derived.matches.with(|m| m.binary_search(&idx).is_ok());
    let level = (row.depth + 1).to_string();
    let expanded = row.has_children.then(|| (!row.collapsed).to_string());
    view! {
        <div
            class="sl-row"
            class:sl-row--selected=move || state.selected.get() == Some(idx)
            class:sl-row--match=is_match
            class:sl-row--error=is_error
            role="row"
            aria-rowindex=(position + 1).to_string()
            aria-expanded=expanded
            aria-selected=move || (state.selected.get() == Some(idx)).to_string()
            style=top
            data-span=idx.0.to_string()
            on:click=move |_| state.selected.set(Some(idx))
            on:dblclick=move |_| {
                state.collapsed.update(|c| {
                    c.toggle(idx);
                })
            }
        >
            <div class="sl-row__name" role="gridcell">
                <span class="sl-row__indent"></span>
                {toggle}
                <span class="sl-row__swatch"></span>
                {genai_icon}
                <span class="sl-row__label" title=name.clone()>{name.clone()}</span>
                {genai_facts}
                {is_error.then(|| view! { <span class="sl-row__error" title="Error status">"!"</span> })}
                {missing_parent.then(|| view! { <span class="sl-row__orphan" title="Its parent span is not in the data">"orphan"</span> })}
                <span class="sl-row__service">{service_name}</span>
            </div>
            <div class="sl-row__timeline" class:sl-row__timeline--outside=outside role="gridcell">
                <div class="sl-row__bar" style=bar_style></div>
                {events}
                <span class="sl-row__duration" style=label_style>{duration}</span>
            </div>
        </div>
    }
    .attr("aria-level", level)
    .into_any()
}

/// Arrow keys move and fold, Home/End jump; returns whether the key was used.
fn handle_key(
    ev: &web_sys::KeyboardEvent,
    set: &TraceSet,
    rows: Memo<Rows>,
    selected: RwSignal<Option<SpanIdx>>,
    collapsed: RwSignal<spanloupe_core::layout::SpanSet>,
) -> bool {
    let current = selected.get_untracked();
    rows.with_untracked(|rows| {
        let position = current.and_then(|s| rows.position(s));
        let select = |i: usize| {
            if let Some(row) = rows.get(set, i) {
                selected.set(Some(row.span));
            }
        };
        match (ev.key().as_str(), position) {
            ("ArrowDown", Some(p)) => select((p + 1).min(rows.len().saturating_sub(1))),
            ("ArrowUp", Some(p)) => select(p.saturating_sub(1)),
            ("ArrowDown" | "ArrowUp" | "Home", None) | ("Home", Some(_)) => select(0),
            ("End", _) => select(rows.len().saturating_sub(1)),
            ("PageDown", Some(p)) => select((p + 20).min(rows.len().saturating_sub(1))),
            ("PageUp", Some(p)) => select(p.saturating_sub(20)),
            ("ArrowLeft", Some(p)) => {
                let Some(row) = rows.get(set, p) else {
                    return false;
                };
                if row.has_children && !row.collapsed {
                    collapsed.update(|c| c.insert(row.span));
                } else if let Some(parent) = set
                    .span(row.span)
                    .and_then(|span| span.parent)
                    .and_then(|parent| rows.position(parent))
                {
                    // Ancestors of a shown row are shown.
                    select(parent);
                }
            }
            ("ArrowRight", Some(p)) => {
                let Some(row) = rows.get(set, p) else {
                    return false;
                };
                if row.collapsed {
                    collapsed.update(|c| c.remove(row.span));
                } else if row.has_children {
                    select(p + 1);
                }
            }
            ("Enter", Some(_)) => {
                // Details are open for the selection; Enter takes the focus there.
                if let Some(inspector) = leptos::prelude::document()
                    .get_element_by_id(crate::view::inspector::INSPECTOR_ID)
                    .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
                {
                    // Focus fails only for a detached element.
                    let _focused = inspector.focus();
                }
            }
            ("Escape", _) => selected.set(None),
            _ => return false,
        }
        true
    })
}

/// The icon of a GenAI span, and for model calls the model and tokens.
fn genai_badge(set: &TraceSet, span: GenAiSpan) -> (AnyView, Option<AnyView>) {
    let kind = span.kind;
    let icon = view! {
        <span class="sl-genai-icon" data-kind=kind_name(kind) title=kind.label() aria-label=kind.label()>
            {kind_icon(kind)}
        </span>
    }
    .into_any();
    let tokens = span.usage.total_or_sum().map(|total| {
        #[allow(clippy::cast_possible_truncation)] // token counts fit in usize
        let text = format::count(total as usize, "tok", "tok");
        text
    });
    let facts = (kind.is_model_call() && (span.model.is_some() || tokens.is_some())).then(|| {
        // Tokens first: a narrow row cuts the model name, not the count.
        let model = span.model.map(|id| set.str(id).to_owned());
        let text = [tokens, model]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" · ");
        let title = if span.counted {
            "Model and tokens of this call"
        } else {
            "Includes the tokens of the calls inside it"
        };
        view! { <span class="sl-row__genai" title=title>{text}</span> }.into_any()
    });
    (icon, facts)
}

fn kind_name(kind: GenAiKind) -> &'static str {
    match kind {
        GenAiKind::Inference => "inference",
        GenAiKind::Embeddings => "embeddings",
        GenAiKind::Tool => "tool",
        GenAiKind::Agent => "agent",
        GenAiKind::Other => "other",
    }
}

/// Small line icons, drawn inline so they need no font or file.
fn kind_icon(kind: GenAiKind) -> impl IntoView {
    let path = match kind {
        // A speech bubble.
        GenAiKind::Inference => "M2 3h12v8H7l-3 3v-3H2z",
        // Stacked vectors.
        GenAiKind::Embeddings => "M3 4h10M3 8h10M3 12h10M5 2v12M11 2v12",
        // A wrench.
        GenAiKind::Tool => {
            "M10 2a4 4 0 0 0-3.6 5.6L2 12l2 2 4.4-4.4A4 4 0 0 0 14 6l-2.5 2.5-2-2L12 4a4 4 0 0 0-2-2z"
        }
        // A robot head.
        GenAiKind::Agent => "M3 5h10v8H3zM8 2v3M6 9h.01M10 9h.01",
        // A spark.
        GenAiKind::Other => "M8 2v4M8 10v4M2 8h4M10 8h4",
    };
    view! {
        <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
            <path d=path fill="none" stroke="currentColor" stroke-width="1.5" stroke-linejoin="round" stroke-linecap="round" />
        </svg>
    }
}
