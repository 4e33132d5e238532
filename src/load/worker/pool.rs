//! The workers: started ahead of time as spares, so a load never waits for
//! one to fetch and compile its module, and ended once their
//! load is shown, so their memory (the parse's peak) goes back at once.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use spanloupe_worker::js::{self, describe};
use spanloupe_worker::protocol::{FromWorker, WorkerError};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// A started worker, and the promise of its "ready" message.
struct Started {
    worker: web_sys::Worker,
    ready: js_sys::Promise,
}

thread_local! {
    /// Workers started ahead of time: as many as a large file is read in
    /// parts by ([`count`]).
    static SPARES: RefCell<Vec<Started>> = const { RefCell::new(Vec::new()) };
    /// When the user last scrolled, clicked or typed (`performance.now()`).
    static LAST_INPUT: Cell<f64> = const { Cell::new(f64::NEG_INFINITY) };
}

fn start() -> Result<Started, String> {
    let worker = web_sys::Worker::new(&super::assets::url(super::assets::WORKER_LOADER))
        .map_err(|err| describe(&err))?;
    // Messages posted before the worker's module has started are lost: it
    // says when it listens. The handler is set now, before it can say so.
    let ready = readiness(&worker);
    Ok(Started { worker, ready })
}

/// How long the user must leave the page alone before spare workers are
/// started after a load.
const QUIET_MS: f64 = 2_000.0;

/// Notes the user's input on the page, for [`prepare_when_quiet`].
pub fn watch_input() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let note = Closure::<dyn Fn()>::new(|| LAST_INPUT.with(|last| last.set(crate::perf::now())));
    for event in ["scroll", "wheel", "keydown", "pointerdown"] {
        // Captured: scroll events of the waterfall do not bubble.
        let _ = window.add_event_listener_with_callback_and_bool(
            event,
            note.as_ref().unchecked_ref(),
            true,
        );
    }
    // The listeners live as long as the page.
    note.forget();
}

/// Starts the spare workers once the user has left the page alone for a
/// while: starting one takes a core for a while (compiling it, warming it
/// up), which scrolling a trace just opened must not share on a two-core
/// machine.
pub fn prepare_when_quiet() {
    gloo_timers::callback::Timeout::new(1_000, || {
        let quiet = crate::perf::now() - LAST_INPUT.with(Cell::get);
        if quiet < QUIET_MS {
            prepare_when_quiet();
        } else {
            prepare();
        }
    })
    .forget();
}

/// How many workers read a large file at once: one per core the browser
/// reports, up to 4 (the first joins the others' parts, which costs more
/// with each), leaving nothing for the page: it only waits meanwhile.
pub fn count() -> usize {
    let cores = web_sys::window().map_or(1.0, |w| w.navigator().hardware_concurrency());
    js::count(cores).clamp(1, 4)
}

/// Starts spare workers, up to [`count`], and marks when they are all
/// ready (for the benchmark, which hands files over only then).
pub fn prepare() {
    let readiness = SPARES.with(|spares| {
        let mut spares = spares.borrow_mut();
        let had = spares.len();
        while spares.len() < count() {
            match start() {
                Ok(started) => spares.push(started),
                Err(_) => break,
            }
        }
        (spares.len() > had).then(|| spares.iter().map(|s| s.ready.clone()).collect::<Vec<_>>())
    });
    let Some(readiness) = readiness else {
        return;
    };
    wasm_bindgen_futures::spawn_local(async move {
        for ready in readiness {
            if JsFuture::from(ready).await.is_err() {
                return;
            }
        }
        crate::perf::mark(crate::perf::WORKERS_PREPARED);
    });
}

/// A spare worker once it listens, or a new one.
pub async fn take() -> Result<web_sys::Worker, String> {
    let started = match SPARES.with(|spares| spares.borrow_mut().pop()) {
        Some(started) => started,
        None => start()?,
    };
    match JsFuture::from(started.ready).await {
        Ok(_) => Ok(started.worker),
        Err(err) => {
            started.worker.terminate();
            Err(describe(&err))
        }
    }
}

/// Ends the workers of a finished load once the page has painted what they
/// loaded (or after a second, in a tab that does not paint). Ending a worker
/// frees its memory, gigabytes after a 1M-span file, and a garbage
/// collection of the page that starts meanwhile waits for that to finish:
/// ended at once, they made the first render of a large trace a long task
/// (the README gives the figures).
pub fn retire(workers: Vec<web_sys::Worker>) {
    let workers = Rc::new(RefCell::new(Some(workers)));
    let end = move || {
        if let Some(workers) = workers.borrow_mut().take() {
            workers.iter().for_each(web_sys::Worker::terminate);
        }
    };
    let Some(window) = web_sys::window() else {
        end();
        return;
    };
    gloo_timers::callback::Timeout::new(1_000, end.clone()).forget();
    // The trace is rendered in the task after this one, which may run before
    // the next frame or after it: a task queued from the frame after next
    // runs once it is painted.
    let second =
        Closure::once_into_js(move || gloo_timers::callback::Timeout::new(0, end).forget());
    let first = Closure::once_into_js(move || {
        if let Some(window) = web_sys::window() {
            let _ = window.request_animation_frame(second.unchecked_ref());
        }
    });
    let _ = window.request_animation_frame(first.unchecked_ref());
}

/// A promise resolved when the worker says it listens; rejected when it
/// fails to load, crashes, or says something else.
fn readiness(worker: &web_sys::Worker) -> js_sys::Promise {
    js_sys::Promise::new(&mut |resolve, reject| {
        let refuse = reject.clone();
        let on_message = Closure::once_into_js(move |event: web_sys::MessageEvent| {
            match FromWorker::decode(&event.data()) {
                Ok(FromWorker::Ready) => {
                    let _ = resolve.call0(&JsValue::NULL);
                }
                Ok(FromWorker::Done {
                    outcome: Err(error),
                    ..
                }) => {
                    let _ = refuse.call1(&JsValue::NULL, &error.to_string().into());
                }
                _ => {
                    let _ = refuse.call1(&JsValue::NULL, &"the worker did not start".into());
                }
            }
        });
        worker.set_onmessage(Some(on_message.unchecked_ref()));
        worker.set_onerror(Some(
            on_error(reject, "the worker failed to start").unchecked_ref(),
        ));
    })
}

/// An `onerror` handler that rejects with what went wrong, or `unsaid`
/// when the browser does not say.
pub fn on_error(reject: js_sys::Function, unsaid: &'static str) -> JsValue {
    Closure::once_into_js(move |event: web_sys::ErrorEvent| {
        let message = match event.message() {
            message if message.is_empty() => unsaid.to_owned(),
            message => message,
        };
        let _ = reject.call1(&JsValue::NULL, &JsValue::from_str(&message));
    })
}

/// What a rejection of [`on_error`]'s says.
pub fn crashed(reason: &JsValue) -> WorkerError {
    WorkerError::Crashed(describe(reason))
}
