//! The virtualized waterfall: a sticky time ruler and one fixed-height row
//! per visible span. Only the rows on screen, plus an overscan, are in the
//! DOM, so 100,000 spans scroll like 100.

use std::sync::Arc;

use leptos::prelude::*;
use spanloupe_core::layout::zoom::{Window, pan, zoom};
use spanloupe_core::layout::{Rows, Slots, TimeScale, tick_spacing_percent};
use spanloupe_core::model::{SpanIdx, TraceSet};
use wasm_bindgen::JsCast;

use super::Derived;
use super::minimap::Overview;
use super::row_pool::{Frame, ROW_HEIGHT_PX, RowClick, RowPool, clicked_row};
use crate::state::{AppState, Dataset, use_app_state};

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

/// Where the rows are scrolled to and how tall their screen is, kept from
/// the scroll and resize events: showing a selected row reads these, not
/// the element, whose `scrollTop` forced the layout of the inspector just
/// built, only for the frame to lay it out again.
#[derive(Clone, Copy)]
pub struct Viewport {
    scroll_top: RwSignal<f64>,
    height: RwSignal<f64>,
}

impl Viewport {
    pub fn new() -> Self {
        Self {
            scroll_top: RwSignal::new(0.0),
            height: RwSignal::new(600.0),
        }
    }

    /// Scrolls `body` so that the row at `position` is visible.
    pub fn scroll_into_view(self, body: NodeRef<leptos::html::Div>, position: usize) {
        let Some(element) = body.get_untracked() else {
            return;
        };
        #[allow(clippy::cast_precision_loss)] // row positions are far below 2^52
        let top = position as f64 * ROW_HEIGHT_PX;
        let scroll_top = self.scroll_top.get_untracked();
        let visible = self.height.get_untracked();
        let wanted = if top < scroll_top {
            top
        } else if top + ROW_HEIGHT_PX > scroll_top + visible {
            (top + ROW_HEIGHT_PX - visible).ceil()
        } else {
            return;
        };
        #[allow(clippy::cast_possible_truncation)] // a scroll offset in CSS pixels
        element.set_scroll_top(wanted as i32);
        self.scroll_top.set(wanted);
    }
}

#[component]
pub fn Waterfall(
    data: Arc<Dataset>,
    index: usize,
    derived: Derived,
    body: NodeRef<leptos::html::Div>,
    viewport: Viewport,
) -> impl IntoView {
    let state = use_app_state();
    let Some(trace) = data.set.traces.get(index).cloned() else {
        return ().into_any();
    };
    let rows = derived.rows;
    let Viewport {
        scroll_top,
        height: viewport,
    } = viewport;

    // The viewport: measured on mount (a waterfall shown again, after the
    // conversation, starts at its top) and when the window resizes.
    let time_axis: NodeRef<leptos::html::Div> = NodeRef::new();
    // The ruler's width in pixels, for how many ticks fit.
    let axis_width = RwSignal::new(0.0);
    let measure = move || {
        if let Some(element) = body.get_untracked() {
            viewport.set(f64::from(element.client_height()) - head_height(&element));
            scroll_top.set(f64::from(element.scroll_top()));
        }
        if let Some(axis) = time_axis.get_untracked() {
            axis_width.set(f64::from(axis.client_width()));
        }
    };
    Effect::new(move |_| {
        if let Some(element) = body.get() {
            // A live trace read again keeps its place.
            if let Some(top) = state.take_scroll_to_restore() {
                #[allow(clippy::cast_possible_truncation)] // a scroll offset in CSS pixels
                element.set_scroll_top(top as i32);
            }
            measure();
            crate::perf::mark_after_paint(crate::perf::WATERFALL_PAINTED);
        }
    });
    let resize = window_event_listener(leptos::ev::resize, move |_| measure());
    on_cleanup(move || resize.remove());

    let scale = Memo::new(move |_| {
        let (start, end) = state
            .window
            .get()
            .unwrap_or((trace.start_unix_nanos, trace.end_unix_nanos));
        TimeScale::new(start, end, 100.0)
    });
    let trace_start = trace.start_unix_nanos;
    let ticks = move || {
        scale
            .get()
            .ticks(trace_start, tick_spacing_percent(axis_width.get()))
            .into_iter()
            .map(|tick| {
                let left = format!("{:.3}%", tick.x_px);
                view! { <span class="sl-ruler__tick" style=("left", left)>{tick.label}</span> }
            })
            .collect_view()
    };

    // The rows kept in the DOM: the screen and an overscan, each in its
    // slot.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // row counts, clamped at 0
    let slots = Memo::new(move |_| {
        let first = (scroll_top.get() / ROW_HEIGHT_PX).floor().max(0.0) as usize;
        let on_screen = (viewport.get() / ROW_HEIGHT_PX).ceil().max(0.0) as usize + 1;
        Slots::new(rows.with(Rows::len), first, on_screen, OVERSCAN_ROWS)
    });
    let rows_box: NodeRef<leptos::html::Div> = NodeRef::new();
    {
        let data = data.clone();
        Effect::new(move |pool: Option<Option<RowPool>>| {
            let mut pool = pool
                .flatten()
                .or_else(|| RowPool::new(rows_box.get()?.into()))?;
            let (slots, scale, selected) = (slots.get(), scale.get(), state.selected.get());
            let critical = derived.critical.get();
            let logical = derived.logical.get();
            derived.genai.with_value(|genai| {
                rows.with(|rows| {
                    derived.matches.with(|matches| {
                        pool.show(&Frame {
                            set: &data.set,
                            genai,
                            rows,
                            slots,
                            scale,
                            selected,
                            matches,
                            critical: critical.as_ref().map(|c| &c.by_span),
                            logical: logical.as_deref(),
                        });
                    });
                });
            });
            Some(pool)
        });
    }
    let toggle = move |span: SpanIdx| {
        state.collapsed.update(|c| {
            c.toggle(span);
        });
    };
    #[allow(clippy::cast_precision_loss)] // row counts are far below 2^52
    let total_height = move || format!("{}px", rows.with(Rows::len) as f64 * ROW_HEIGHT_PX);
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
            None => handle_key(&ev, &data_for_keys.set, rows, state),
        };
        if handled {
            ev.prevent_default();
        }
    };
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
    view! {
        <div
            class="sl-waterfall"
            class:sl-waterfall--critical=move || state.critical.get()
            node_ref=body
            tabindex="0"
            role="region"
            aria-label="Waterfall: arrow keys move between spans"
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
            // The tree of rows (the overview and ruler above are not rows).
            <div
                class="sl-waterfall__rows"
                role="treegrid"
                aria-label="Spans"
                aria-rowcount=row_count
                style=("height", total_height)
                node_ref=rows_box
                on:click=move |ev| match clicked_row(&ev) {
                    Some(RowClick::Toggle(span)) => toggle(span),
                    Some(RowClick::Select(span)) => state.select(Some(span)),
                    Some(RowClick::ShowHidden(span)) => {
                        state.logical_expanded.update(|expanded| expanded.insert(span));
                    }
                    None => {}
                }
                on:dblclick=move |ev| {
                    if let Some(RowClick::Select(span)) = clicked_row(&ev) {
                        toggle(span);
                    }
                }
            ></div>
        </div>
    }
    .into_any()
}

/// Arrow keys move and fold, Home/End jump; returns whether the key was used.
fn handle_key(
    ev: &web_sys::KeyboardEvent,
    set: &TraceSet,
    rows: Memo<Rows>,
    state: AppState,
) -> bool {
    let collapsed = state.collapsed;
    let current = state.selected.get_untracked();
    rows.with_untracked(|rows| {
        let position = current.and_then(|s| rows.position(s));
        let select = |i: usize| {
            if let Some(row) = rows.get(set, i) {
                state.select(Some(row.span));
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
            ("Escape", _) => state.select(None),
            _ => return false,
        }
        true
    })
}
