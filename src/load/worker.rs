//! Loading in a Web Worker, so a 100 MB file never freezes the page. This is
//! the page's side ([`load`]): it starts `ingest_worker_loader.js` (the
//! loader Trunk emits for `crates/spanloupe-worker`), waits for it to listen,
//! posts the inputs (bytes transferred, not copied; large files by reference,
//! read in the worker), and decodes the encoded model (`ingest::transfer`)
//! part by part as the worker posts it, each part transferred too. The
//! message shapes are in `transfer::message`.
//!
//! A worker serves one load and is ended: its memory (the parse's peak) is
//! returned to the browser at once. A spare one is started ahead of time
//! (once the app has shown its first screen, and after each load), so a load
//! never waits for a worker to start.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Object, Uint8Array};
use spanloupe_core::ingest::transfer::{LoadReply, ReplyDecoder, message};
use spanloupe_worker::js::{describe, get, set};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::{Content, PendingInput};

/// Relative to the page's base URL (`<base data-trunk-public-url>`).
const WORKER_URL: &str = "./ingest_worker_loader.js";

/// A started worker, and the promise of its "ready" message.
struct Started {
    worker: web_sys::Worker,
    ready: js_sys::Promise,
}

thread_local! {
    /// A worker started ahead of time, so a load does not wait for one to
    /// fetch and compile its module (100-200 ms).
    static SPARE: std::cell::RefCell<Option<Started>> = const { std::cell::RefCell::new(None) };
}

fn start() -> Result<Started, String> {
    let worker = web_sys::Worker::new(WORKER_URL).map_err(|err| describe(&err))?;
    // Messages posted before the worker's module has started are lost: it
    // says when it listens. The handler is set now, before it can say so.
    let ready = next_message(&worker);
    Ok(Started { worker, ready })
}

/// Starts the spare worker, when there is none.
pub fn prepare() {
    SPARE.with(|spare| {
        let mut spare = spare.borrow_mut();
        if spare.is_none() {
            *spare = start().ok();
        }
    });
}

/// Loads `inputs` in a worker (the spare one when ready). An error means
/// the worker could not do it (it failed to start, or crashed): the caller
/// loads on its own thread. `on_read` gets (bytes read, bytes to read) while
/// the worker reads the files it was handed.
pub async fn load(
    inputs: &[PendingInput],
    on_read: impl Fn(usize, usize) + 'static,
) -> Result<LoadReply, String> {
    let started = match SPARE.with(|spare| spare.borrow_mut().take()) {
        Some(started) => started,
        None => start()?,
    };
    let worker = started.worker;
    if let Err(err) = JsFuture::from(started.ready).await {
        worker.terminate();
        return Err(describe(&err));
    }
    let arrival = Rc::new(RefCell::new(Arrival::default()));
    let answer = JsFuture::from(next_answer(&worker, on_read, arrival.clone()));
    let request = Array::new();
    let transfer = Array::new();
    for pending in inputs {
        let input = Object::new();
        set(&input, message::NAME, &JsValue::from_str(&pending.name));
        let content_type = pending
            .content_type
            .as_deref()
            .map_or(JsValue::NULL, JsValue::from_str);
        set(&input, message::CONTENT_TYPE, &content_type);
        match &pending.content {
            Content::Bytes(bytes) => {
                let bytes = Uint8Array::from(bytes.as_slice());
                transfer.push(&bytes.buffer());
                set(&input, message::BYTES, &bytes);
            }
            // A file is passed by reference: the worker reads it.
            Content::File(file) => set(&input, message::FILE, file),
        }
        request.push(&input);
    }
    let posted = worker.post_message_with_transfer(&request, &transfer);
    let answer = match posted {
        Ok(()) => answer.await,
        Err(err) => Err(err),
    };
    worker.terminate();
    // The next load gets a fresh worker, started while this one is shown.
    prepare();
    let answer = answer.map_err(|err| describe(&err))?;
    if let Some(message) = get(&answer, message::ERROR).as_string() {
        return Err(message);
    }
    let Arrival {
        decoder,
        failed,
        decode_ms,
        ..
    } = arrival.take();
    // The worker's timings, and the page's own share, for the benchmark.
    let timings = get(&answer, message::TIMINGS);
    if let Some(timings) = timings.dyn_ref::<Object>() {
        set(timings, PAGE_DECODE_MS, &JsValue::from_f64(decode_ms));
    }
    crate::perf::mark_with_detail(crate::perf::REPLY_DECODED, &timings);
    match failed {
        Some(error) => Err(error),
        None => decoder.finish(),
    }
}

/// The reply as it arrives: each part is decoded in the handler of its
/// message, a task of its own, so the page decodes while the worker still
/// encodes and stays responsive between parts.
#[derive(Default)]
struct Arrival {
    decoder: ReplyDecoder,
    /// The first part that could not be decoded; the parts after it are
    /// dropped.
    failed: Option<String>,
    /// Each part is copied into WASM memory before it is decoded: into the
    /// same buffer, so a 17 MB reply touches 2 MB of fresh memory, not 17.
    buffer: Vec<u8>,
    parts: usize,
    /// Milliseconds spent decoding, all parts together.
    decode_ms: f64,
}

/// The key of the page's decoding time among the timings the benchmark reads.
const PAGE_DECODE_MS: &str = "pageDecodeMs";

impl Arrival {
    fn take_part(&mut self, part: JsValue) {
        if self.parts == 0 {
            crate::perf::mark(crate::perf::REPLY_RECEIVED);
        }
        self.parts += 1;
        if self.failed.is_some() {
            return;
        }
        let start = crate::perf::now();
        let decoded = match part.dyn_into::<Uint8Array>() {
            Ok(bytes) => {
                self.buffer.resize(bytes.length() as usize, 0);
                bytes.copy_to(&mut self.buffer);
                self.decoder.push(&self.buffer)
            }
            Err(_) => Err("a part of the worker's reply is not bytes".to_owned()),
        };
        if let Err(error) = decoded {
            self.failed = Some(error);
        }
        self.decode_ms += crate::perf::now() - start;
    }
}

/// A promise of the worker's last message (`done` or its error), passing
/// the read progress it posts before to `on_read` and the parts of the
/// reply to `arrival`; rejected when the worker crashes.
fn next_answer(
    worker: &web_sys::Worker,
    on_read: impl Fn(usize, usize) + 'static,
    arrival: Rc<RefCell<Arrival>>,
) -> js_sys::Promise {
    // `Promise::new` calls its executor once, but through an `FnMut`.
    let mut handlers = Some((on_read, arrival));
    js_sys::Promise::new(&mut |resolve, reject| {
        let Some((on_read, arrival)) = handlers.take() else {
            return;
        };
        let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(
            move |event: web_sys::MessageEvent| {
                let data = event.data();
                if let Some(read) = get(&data, message::READ).as_f64() {
                    let total = get(&data, message::READ_TOTAL).as_f64().unwrap_or(0.0);
                    on_read(bytes(read), bytes(total));
                    return;
                }
                let part = get(&data, message::PART);
                if !part.is_undefined() {
                    arrival.borrow_mut().take_part(part);
                    return;
                }
                let _ = resolve.call1(&JsValue::NULL, &data);
            },
        );
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        // The handler lives as long as the worker (JS holds the only reference).
        let _ = on_message.into_js_value();
        worker.set_onerror(Some(on_error(reject).unchecked_ref()));
    })
}

/// A byte count as JS sends it (a number).
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // saturating casts
fn bytes(number: f64) -> usize {
    number as usize
}

/// An `onerror` handler that rejects with what went wrong.
fn on_error(reject: js_sys::Function) -> JsValue {
    Closure::once_into_js(move |event: web_sys::ErrorEvent| {
        let message = match event.message() {
            message if message.is_empty() => "the worker failed to start".to_owned(),
            message => message,
        };
        let _ = reject.call1(&JsValue::NULL, &JsValue::from_str(&message));
    })
}

/// A promise of the worker's next message; rejected when it fails to load
/// or crashes.
fn next_message(worker: &web_sys::Worker) -> js_sys::Promise {
    js_sys::Promise::new(&mut |resolve, reject| {
        let on_message = Closure::once_into_js(move |event: web_sys::MessageEvent| {
            let _ = resolve.call1(&JsValue::NULL, &event.data());
        });
        worker.set_onmessage(Some(on_message.unchecked_ref()));
        worker.set_onerror(Some(on_error(reject).unchecked_ref()));
    })
}
