//! The overview above the ruler: the whole trace drawn small, the current
//! window highlighted. Drag a range to zoom to it, click to move the window
//! there, double-click to see the whole trace again.

use std::sync::Arc;

use leptos::prelude::*;
use spanloupe_core::layout::minimap::{Minimap, minimap};
use spanloupe_core::layout::zoom::{Window, select};
use wasm_bindgen::{Clamped, JsCast};

use crate::state::{Dataset, use_app_state};
use crate::view::service_colors::service_color;

pub const MINIMAP_HEIGHT_PX: u32 = 40;
const ERROR_RGB: [u8; 3] = [0xd0, 0x39, 0x3e];

#[component]
pub fn Overview(data: Arc<Dataset>, index: usize) -> impl IntoView {
    let state = use_app_state();
    let Some(trace) = data.set.traces.get(index).cloned() else {
        return ().into_any();
    };
    let bounds: Window = (
        trace.start_unix_nanos,
        trace.end_unix_nanos.max(trace.start_unix_nanos + 1),
    );
    let canvas: NodeRef<leptos::html::Canvas> = NodeRef::new();
    let width = RwSignal::new(0u32);
    // While dragging: (from, to) as fractions of the trace.
    let drag = RwSignal::new(None::<(f64, f64)>);

    let measure = move || {
        if let Some(element) = canvas.get_untracked() {
            let css_width = u32::try_from(element.client_width()).unwrap_or(0);
            if css_width != width.get_untracked() {
                width.set(css_width);
            }
        }
    };
    Effect::new(move |_| {
        if canvas.get().is_some() {
            measure();
        }
    });
    let resize = window_event_listener(leptos::ev::resize, move |_| measure());
    on_cleanup(move || resize.remove());

    // Draw when the width is known or changes.
    {
        let data = data.clone();
        let trace = trace.clone();
        Effect::new(move |_| {
            let width = width.get();
            let Some(element) = canvas.get() else { return };
            if width == 0 {
                return;
            }
            // Drawn in a task of its own, after the trace's first frame: a
            // million spans take a while to draw, even small.
            let (data, trace) = (data.clone(), trace.clone());
            leptos::task::spawn_local(async move {
                crate::schedule::next_task().await;
                // Sized here, not by a reactive attribute: resizing a canvas
                // clears it, and must come before the drawing.
                element.set_width(width);
                element.set_height(MINIMAP_HEIGHT_PX);
                let map = minimap(
                    &data.set,
                    &trace,
                    width as usize,
                    MINIMAP_HEIGHT_PX as usize,
                );
                draw(&element, &map);
            });
        });
    }

    let fraction_at = move |ev: &web_sys::MouseEvent| -> f64 {
        let Some(element) = canvas.get_untracked() else {
            return 0.0;
        };
        let rect = element.get_bounding_client_rect();
        if rect.width() <= 0.0 {
            0.0
        } else {
            ((f64::from(ev.client_x()) - rect.left()) / rect.width()).clamp(0.0, 1.0)
        }
    };
    let mouse_move = window_event_listener(leptos::ev::mousemove, move |ev| {
        if let Some((from, _)) = drag.get_untracked() {
            drag.set(Some((from, fraction_at(&ev))));
        }
    });
    let mouse_up = window_event_listener(leptos::ev::mouseup, move |ev| {
        let Some((from, _)) = drag.get_untracked() else {
            return;
        };
        let to = fraction_at(&ev);
        drag.set(None);
        if (to - from).abs() > 0.005 {
            state.window.set(Some(select(bounds, from, to)));
        } else if let Some((start, end)) = state.window.get_untracked() {
            // A click: centre the current window there.
            let width = end - start;
            let center = select(bounds, to, to).0;
            let latest_start = bounds.1.saturating_sub(width).max(bounds.0);
            let start = center
                .saturating_sub(width / 2)
                .clamp(bounds.0, latest_start);
            state.window.set(Some((start, start + width)));
        }
    });
    on_cleanup(move || {
        mouse_move.remove();
        mouse_up.remove();
    });

    #[allow(clippy::cast_precision_loss)] // fractions for CSS
    let fraction =
        move |t: u64| (t.saturating_sub(bounds.0)) as f64 / (bounds.1 - bounds.0) as f64 * 100.0;
    // (left, width) in percent.
    let highlight = move || {
        if let Some((from, to)) = drag.get() {
            let (a, b) = (from.min(to) * 100.0, from.max(to) * 100.0);
            return (a, b - a);
        }
        let (start, end) = state.window.get().unwrap_or(bounds);
        (fraction(start), fraction(end) - fraction(start))
    };
    let zoomed = move || state.window.get().is_some() || drag.get().is_some();
    view! {
        <div class="sl-overview">
            <div class="sl-overview__label">
                <span>"Overview"</span>
                <button
                    class="sl-link"
                    data-testid="reset-zoom"
                    disabled=move || state.window.get().is_none()
                    title="Show the whole trace (0)"
                    on:click=move |_| state.window.set(None)
                >
                    "Reset zoom"
                </button>
            </div>
            <div class="sl-overview__map">
                <canvas
                    node_ref=canvas
                    class="sl-overview__canvas"
                    data-testid="minimap"
                    on:mousedown=move |ev| {
                        ev.prevent_default();
                        let at = fraction_at(&ev);
                        drag.set(Some((at, at)));
                    }
                    on:dblclick=move |_| state.window.set(None)
                ></canvas>
                <div class="sl-overview__window" class:sl-overview__window--zoomed=zoomed style=("left", move || format!("{:.3}%", highlight().0)) style=("width", move || format!("{:.3}%", highlight().1))></div>
            </div>
        </div>
    }
    .into_any()
}

/// Paints the grid as one image: a pixel per cell, coloured by service.
fn draw(canvas: &web_sys::HtmlCanvasElement, map: &Minimap) {
    let Ok(Some(context)) = canvas.get_context("2d") else {
        return;
    };
    let Ok(context) = context.dyn_into::<web_sys::CanvasRenderingContext2d>() else {
        return;
    };
    let palette: Vec<[u8; 3]> = (0..10).map(|i| rgb(service_color(i))).collect();
    let mut pixels = vec![0u8; map.cells.len() * 4];
    for (cell, pixel) in map.cells.iter().zip(pixels.chunks_exact_mut(4)) {
        let color = match *cell {
            0 => continue,
            Minimap::ERROR => ERROR_RGB,
            service => palette
                .get((service as usize - 1) % palette.len())
                .copied()
                .unwrap_or([128, 128, 128]),
        };
        pixel.copy_from_slice(&[color[0], color[1], color[2], 255]);
    }
    let Ok(image) = web_sys::ImageData::new_with_u8_clamped_array_and_sh(
        Clamped(&pixels),
        u32::try_from(map.width).unwrap_or(0),
        u32::try_from(map.height).unwrap_or(0),
    ) else {
        return;
    };
    // Drawing can only fail for a detached or tainted canvas; then there is nothing to show.
    let _drawn = context.put_image_data(&image, 0.0, 0.0);
}

/// `#rrggbb` to bytes.
fn rgb(hex: &str) -> [u8; 3] {
    let channel = |at: usize| {
        hex.get(at..at + 2)
            .and_then(|h| u8::from_str_radix(h, 16).ok())
            .unwrap_or(128)
    };
    [channel(1), channel(3), channel(5)]
}
