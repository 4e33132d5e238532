//! The Flame graph view of a trace (`spanloupe_core::layout::flame`): an
//! icicle by self time on a canvas, in the waterfall's service colours.
//! Hovering names a node; a click selects its first span and zooms to it;
//! "Whole trace" zooms back out.

use std::sync::Arc;

use leptos::prelude::*;
use spanloupe_core::format;
use spanloupe_core::layout::flame::{Flame, fit_label, flame};
use spanloupe_core::layout::palette::span_color;
use wasm_bindgen::JsCast;

use crate::state::{Dataset, use_app_state};

const ROW_PX: f64 = 20.0;
/// Narrower nodes are not drawn (sub-pixel slivers only cost time).
const MIN_NODE_PX: f64 = 0.5;
/// A label needs this much room to be worth writing.
const MIN_LABEL_PX: f64 = 36.0;

#[component]
pub fn FlameGraph(data: Arc<Dataset>, index: usize) -> impl IntoView {
    let state = use_app_state();
    let Some(trace) = data.set.traces.get(index) else {
        return ().into_any();
    };
    let graph = Arc::new(flame(&data.set, trace));
    let focus = RwSignal::new(None::<usize>);
    let hovered = RwSignal::new(None::<usize>);
    let canvas: NodeRef<leptos::html::Canvas> = NodeRef::new();
    let width = RwSignal::new(0.0_f64);
    // Also called by the resize observer, which may fire once more as the
    // view goes: nothing here may insist the view is still there.
    let measure = move || {
        if let Some(canvas) = canvas.try_get_untracked().flatten() {
            let parent = canvas.parent_element().map_or(0, |p| p.client_width());
            let _ = width.try_set(f64::from(parent));
        }
    };
    // The graph is as wide as its box, which an opening inspector narrows
    // as much as the window does.
    let observer = StoredValue::new_local(None::<web_sys::ResizeObserver>);
    {
        Effect::new(move |_| {
            let Some(parent) = canvas.get().and_then(|c| c.parent_element()) else {
                return;
            };
            let on_resize = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(measure);
            if let Ok(watching) = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()) {
                watching.observe(&parent);
                observer.update_value(|current| {
                    if let Some(old) = current.replace(watching) {
                        old.disconnect();
                    }
                });
                // A few bytes per opening of the view: dropped, it could be
                // called after the view went.
                on_resize.forget();
            }
        });
    }
    on_cleanup(move || {
        observer.try_update_value(|current| {
            if let Some(watching) = current.take() {
                watching.disconnect();
            }
        });
    });
    {
        let (data, graph) = (data.clone(), graph.clone());
        Effect::new(move |_| {
            if canvas.get().is_some() && width.get_untracked() == 0.0 {
                measure();
            }
            let (focus, hovered, width) = (focus.get(), hovered.get(), width.get());
            if let Some(canvas) = canvas.get() {
                draw(&canvas, &data, &graph, focus, hovered, width);
            }
        });
    }
    let node_at = {
        let graph = graph.clone();
        move |ev: &web_sys::MouseEvent| -> Option<usize> {
            let canvas = canvas.get_untracked()?;
            let rect = canvas.get_bounding_client_rect();
            let fraction = (f64::from(ev.client_x()) - rect.left()) / rect.width().max(1.0);
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let row = ((f64::from(ev.client_y()) - rect.top()) / ROW_PX).max(0.0) as u32;
            graph.node_at(focus.get_untracked(), fraction, row)
        }
    };
    let title = {
        let (data, graph) = (data.clone(), graph.clone());
        move || {
            let node = graph.nodes.get(hovered.get()?)?;
            let total = graph.total.max(1);
            #[allow(clippy::cast_precision_loss)] // a share in percent
            let share = node.value as f64 / total as f64 * 100.0;
            Some(format!(
                "{} · {}: {} ({share:.1}%), self {}, {}",
                data.set.str(node.service),
                data.set.str(node.name),
                format::duration(node.value),
                format::duration(node.self_nanos),
                format::count(node.count, "span", "spans")
            ))
        }
    };
    let summary = {
        let (data, graph) = (data.clone(), graph.clone());
        move || match focus.get().and_then(|f| graph.nodes.get(f)) {
            Some(node) => format!("Zoomed on {}", data.set.str(node.name)),
            None => format!(
                "{} by self time",
                format::count(graph.nodes.len(), "path", "paths")
            ),
        }
    };
    #[allow(clippy::cast_precision_loss)] // a few hundred rows at most
    let height = (f64::from(graph.max_depth) + 1.0) * ROW_PX;
    let on_move = {
        let node_at = node_at.clone();
        move |ev: web_sys::MouseEvent| hovered.set(node_at(&ev))
    };
    let on_click = {
        let graph = graph.clone();
        move |ev: web_sys::MouseEvent| {
            if let Some(node) = node_at(&ev) {
                focus.set(Some(node));
                state.select(graph.nodes.get(node).map(|n| n.first));
            }
        }
    };
    view! {
        <section class="sl-flame" data-testid="flame-graph">
            <div class="sl-toolbar">
                <span class="sl-muted" data-testid="flame-summary">{summary}</span>
                <button class="sl-button" data-testid="flame-reset" disabled=move || focus.get().is_none()
                    on:click=move |_| focus.set(None)>"Whole trace"</button>
                <span class="sl-flame__hover" data-testid="flame-hover" aria-live="polite">{title.clone()}</span>
            </div>
            <div class="sl-flame__scroll">
                <canvas
                    class="sl-flame__canvas"
                    node_ref=canvas
                    height=height.to_string()
                    role="img"
                    aria-label="Flame graph of the trace by self time; click a node to zoom to it and select its span"
                    on:mousemove=on_move
                    on:mouseleave=move |_| hovered.set(None)
                    on:click=on_click
                ></canvas>
            </div>
        </section>
    }
    .into_any()
}

/// Draws the nodes under the focus at `width` CSS pixels.
fn draw(
    canvas: &web_sys::HtmlCanvasElement,
    data: &Dataset,
    graph: &Flame,
    focus: Option<usize>,
    hovered: Option<usize>,
    width: f64,
) {
    if width <= 0.0 {
        return;
    }
    let ratio = web_sys::window()
        .map_or(1.0, |w| w.device_pixel_ratio())
        .max(1.0);
    #[allow(clippy::cast_precision_loss)] // a few hundred rows at most
    let height = (f64::from(graph.max_depth) + 1.0) * ROW_PX;
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    {
        canvas.set_width((width * ratio) as u32);
        canvas.set_height((height * ratio) as u32);
    }
    if let Some(element) = canvas.dyn_ref::<web_sys::HtmlElement>() {
        element
            .style()
            .set_css_text(&format!("width: {width}px; height: {height}px"));
    }
    let Ok(Some(context)) = canvas.get_context("2d") else {
        return;
    };
    let Ok(context) = context.dyn_into::<web_sys::CanvasRenderingContext2d>() else {
        return;
    };
    let _scaled = context.scale(ratio, ratio);
    context.set_font("12px system-ui, sans-serif");
    context.set_text_baseline("middle");
    let (start, span, top) = graph.window(focus);
    #[allow(clippy::cast_precision_loss)] // pixels need no more than f64's 52 bits
    let x_of = |value: u64| (value.saturating_sub(start)) as f64 / span as f64 * width;
    for (i, node) in graph.nodes.iter().enumerate() {
        if node.depth < top || !graph.within(focus, node) {
            continue;
        }
        let x = x_of(node.offset);
        #[allow(clippy::cast_precision_loss)]
        let w = node.value as f64 / span as f64 * width;
        if w < MIN_NODE_PX {
            continue;
        }
        let y = f64::from(node.depth - top) * ROW_PX;
        context.set_fill_style_str(span_color(&data.set, node.first));
        context.fill_rect(x, y + 1.0, (w - 1.0).max(0.5), ROW_PX - 2.0);
        if Some(i) == hovered {
            context.set_stroke_style_str("#1d2430");
            context.stroke_rect(x + 0.5, y + 1.5, (w - 2.0).max(0.5), ROW_PX - 3.0);
        }
        if w >= MIN_LABEL_PX {
            let name = data.set.str(node.name);
            let measure = |text: &str| context.measure_text(text).map_or(f64::MAX, |m| m.width());
            if let Some(label) = fit_label(name, w - 8.0, measure) {
                context.set_fill_style_str("#ffffff");
                let _written = context.fill_text(&label, x + 4.0, y + ROW_PX / 2.0);
            }
        }
    }
}
