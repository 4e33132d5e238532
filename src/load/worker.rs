//! Loading in a Web Worker, so a 100 MB file never freezes the page. This is
//! the page's side ([`load`]): it starts `ingest_worker_loader.js` (the
//! loader Trunk emits for `crates/spanloupe-worker`), waits for it to listen,
//! posts the inputs (bytes transferred, not copied; large files by reference,
//! read in the worker), and awaits one reply: the encoded model
//! (`ingest::transfer`), also transferred. The message shapes are in
//! `transfer::message`.
//!
//! A worker serves one load and is ended: its memory (the parse's peak) is
//! returned to the browser at once. A spare one is started ahead of time
//! (once the app has shown its first screen, and after each load), so a load
//! never waits for a worker to start.

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
    let reply = JsFuture::from(next_answer(&worker, on_read));
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
        Ok(()) => reply.await,
        Err(err) => Err(err),
    };
    worker.terminate();
    // The next load gets a fresh worker, started while this one is shown.
    prepare();
    let answer = answer.map_err(|err| describe(&err))?;
    if let Some(message) = get(&answer, message::ERROR).as_string() {
        return Err(message);
    }
    let parts: Array = get(&answer, message::REPLY)
        .dyn_into()
        .map_err(|_| "the worker's reply has no data".to_owned())?;
    crate::perf::mark_with_detail(crate::perf::REPLY_RECEIVED, &get(&answer, message::TIMINGS));
    let reply = decode_between_frames(&parts).await;
    crate::perf::mark(crate::perf::REPLY_DECODED);
    reply
}

/// Decodes the reply's parts a few at a time, giving the page back to the
/// browser every `SLICE_MS`: a 100k-span model takes a quarter of a second
/// to decode, which must not be one frozen frame.
async fn decode_between_frames(parts: &Array) -> Result<LoadReply, String> {
    const SLICE_MS: f64 = 30.0;
    let now = || {
        web_sys::window()
            .and_then(|w| w.performance())
            .map_or(0.0, |p| p.now())
    };
    let mut decoder = ReplyDecoder::new();
    // Each part is copied into WASM memory before it is decoded: into the
    // same buffer, so a 17 MB reply touches 2 MB of fresh memory, not 17.
    let mut buffer = Vec::new();
    let mut slice_start = now();
    for part in parts.iter() {
        let bytes: Uint8Array = part
            .dyn_into()
            .map_err(|_| "a part of the worker's reply is not bytes".to_owned())?;
        buffer.resize(bytes.length() as usize, 0);
        bytes.copy_to(&mut buffer);
        decoder.push(&buffer)?;
        if now() - slice_start > SLICE_MS {
            super::read::next_task().await;
            slice_start = now();
        }
    }
    decoder.finish()
}

/// A promise of the worker's answer (its reply or error), passing the read
/// progress it posts before to `on_read`; rejected when the worker crashes.
fn next_answer(
    worker: &web_sys::Worker,
    on_read: impl Fn(usize, usize) + 'static,
) -> js_sys::Promise {
    // `Promise::new` calls its executor once, but through an `FnMut`.
    let mut on_read = Some(on_read);
    js_sys::Promise::new(&mut |resolve, reject| {
        let on_read = on_read.take();
        let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(
            move |event: web_sys::MessageEvent| {
                let data = event.data();
                match get(&data, message::READ).as_f64() {
                    Some(read) => {
                        let total = get(&data, message::READ_TOTAL).as_f64().unwrap_or(0.0);
                        if let Some(on_read) = &on_read {
                            on_read(bytes(read), bytes(total));
                        }
                    }
                    None => {
                        let _ = resolve.call1(&JsValue::NULL, &data);
                    }
                }
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
