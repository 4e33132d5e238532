//! Hooks for the browser benchmark (`scripts/bench.sh`): User Timing marks
//! at the moments it measures, and the size of the WASM memory. Marks cost a
//! few microseconds and are harmless outside the benchmark.

use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

/// The model of the loaded data is built and handed to the views.
pub const INDEXED: &str = "spanloupe:indexed";
/// Where a load was parsed: in the worker, or on the page when no worker
/// could start (by the worker's module, loaded into the page).
pub const PARSED_IN_WORKER: &str = "spanloupe:parsed-in-worker";
pub const PARSED_ON_PAGE: &str = "spanloupe:parsed-on-page";
/// The spare workers are started and ready for a load.
pub const WORKERS_PREPARED: &str = "spanloupe:workers-prepared";
/// A large file's parts were planned (`load::split`), and the workers to
/// read them were ready and asked to.
pub const PLANNED: &str = "spanloupe:planned";
pub const WORKERS_READY: &str = "spanloupe:workers-ready";
/// The first part of the worker's reply arrived, and the last one was
/// decoded into the model (its `detail` says where the worker's time went:
/// `spanloupe_worker::protocol::Timings`).
pub const REPLY_RECEIVED: &str = "spanloupe:reply-received";
pub const REPLY_DECODED: &str = "spanloupe:reply-decoded";
/// The waterfall of the opened trace has been painted once.
pub const WATERFALL_PAINTED: &str = "spanloupe:waterfall-painted";
/// The list of traces (an input of several) has been painted once.
pub const TRACE_LIST_PAINTED: &str = "spanloupe:trace-list-painted";

/// Milliseconds since the page started, for timing a step.
pub fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

pub fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        // Marking fails only for names reserved by the Navigation Timing API.
        let _ = performance.mark(name);
    }
}

#[wasm_bindgen]
extern "C" {
    /// `performance.mark(name, {detail})`; web-sys has it only among its
    /// unstable APIs.
    #[wasm_bindgen(js_namespace = performance, js_name = mark, catch)]
    fn mark_with_options(name: &str, options: &JsValue) -> Result<JsValue, JsValue>;
}

/// Marks `name` with a `detail` object the benchmark reads.
pub fn mark_with_detail(name: &str, detail: &JsValue) {
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &JsValue::from_str("detail"), detail);
    // As for `mark`; the detail is only structured-cloned, which a plain
    // object of numbers survives.
    let _ = mark_with_options(name, &options);
}

/// Marks `name` after the browser has painted the current changes: a
/// timeout queued from an animation frame callback runs after that frame.
pub fn mark_after_paint(name: &'static str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let after_frame = wasm_bindgen::closure::Closure::once_into_js(move || {
        let after_paint = wasm_bindgen::closure::Closure::once_into_js(move || mark(name));
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback(after_paint.unchecked_ref());
        }
    });
    let _ = window.request_animation_frame(after_frame.unchecked_ref());
}

/// The bytes of WASM linear memory: it only grows, so after a load it is the
/// peak the load needed. Read by the benchmark as
/// `window.wasmBindings.spanloupeMemoryBytes()`.
#[wasm_bindgen(js_name = spanloupeMemoryBytes)]
pub fn memory_bytes() -> f64 {
    wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .map(|memory| {
            f64::from(
                memory
                    .buffer()
                    .unchecked_into::<js_sys::ArrayBuffer>()
                    .byte_length(),
            )
        })
        .unwrap_or(0.0)
}
