//! The ingest worker. Trunk builds it as a Web Worker (`index.html`,
//! `data-type="worker"`, the `worker` profile); the page starts one for each
//! load (`src/load/worker.rs`), posts the inputs, and gets the model back.
//!
//! It answers each request with the loaded model, encoded in parts
//! (`spanloupe_core::ingest::transfer`), each posted as soon as it is
//! written and transferred, not copied. The message shapes are in
//! `transfer::message`.

use js_sys::{Array, Object, Uint8Array};
use spanloupe_core::ingest::OwnedInput;
use spanloupe_core::ingest::transfer::{self, LoadReply, message};
use spanloupe_worker::js::{describe, get, set};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

fn main() {
    console_error_panic_hook::set_once();
    serve();
}

/// Listens for requests, then tells the page it does: messages posted
/// before the module has started would be lost.
fn serve() {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let on_message =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(|event: web_sys::MessageEvent| {
            wasm_bindgen_futures::spawn_local(answer(event.data()));
        });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    let ready = Object::new();
    set(&ready, message::READY, &JsValue::TRUE);
    if let Err(err) = scope.post_message(&ready) {
        web_sys::console::error_1(&err);
    }
}

/// Loads a request's inputs and posts the encoded reply part by part, each
/// as soon as it is written, then `done` (or the error).
async fn answer(request: JsValue) {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let timings = Object::new();
    let last = Object::new();
    let outcome = match load_request(&request, &timings).await {
        Ok(reply) => {
            let mut clock = Clock::start();
            let sent = transfer::encode_each(reply, |part| post_part(&scope, &part));
            clock.lap(&timings, message::ENCODE_MS);
            sent
        }
        Err(text) => Err(text),
    };
    match outcome {
        Ok(()) => set(&last, message::DONE, &JsValue::TRUE),
        Err(text) => set(&last, message::ERROR, &JsValue::from_str(&text)),
    }
    set(&last, message::TIMINGS, &timings);
    if let Err(err) = scope.post_message(&last) {
        web_sys::console::error_1(&err);
    }
}

/// Posts one part of the reply, its buffer transferred, not copied.
fn post_part(scope: &web_sys::DedicatedWorkerGlobalScope, part: &[u8]) -> Result<(), String> {
    let bytes = Uint8Array::from(part);
    let message = Object::new();
    set(&message, message::PART, &bytes);
    scope
        .post_message_with_transfer(&message, &Array::of1(&bytes.buffer()))
        .map_err(|err| format!("cannot send the loaded data: {}", describe(&err)))
}

/// Reads and loads a request's inputs, noting in `timings` how long each
/// step took.
async fn load_request(request: &JsValue, timings: &Object) -> Result<LoadReply, String> {
    let mut clock = Clock::start();
    let request: Array = request
        .clone()
        .dyn_into()
        .map_err(|_| "the request is not a list of inputs".to_owned())?;
    let progress = ReadProgress::new(&request);
    let mut owned = Vec::new();
    for input in request.iter() {
        let name = get(&input, message::NAME).as_string().unwrap_or_default();
        let bytes = match get(&input, message::BYTES).dyn_into::<Uint8Array>() {
            Ok(bytes) => bytes.to_vec(),
            Err(_) => {
                let file: web_sys::Blob = get(&input, message::FILE)
                    .dyn_into()
                    .map_err(|_| format!("{name}: no bytes and no file"))?;
                let size = file.size() as usize;
                let bytes = read_blob(&file, |done| progress.report(done))
                    .await
                    .map_err(|err| format!("{name}: reading failed: {}", describe(&err)))?;
                progress.finish_file(size);
                bytes
            }
        };
        owned.push(OwnedInput {
            name,
            content_type: get(&input, message::CONTENT_TYPE).as_string(),
            bytes,
        });
    }
    clock.lap(timings, message::READ_MS);
    let inputs: Vec<_> = owned.iter().map(OwnedInput::as_input).collect();
    let reply = transfer::load_reply(&inputs);
    drop(inputs);
    drop(owned);
    clock.lap(timings, message::LOAD_MS);
    Ok(reply)
}

/// Reads a file into one buffer of its size, in slices, telling `progress`
/// the bytes read so far after each.
///
/// Why slices, all requested at once: one `arrayBuffer()` of the whole file
/// gives no progress; reading slices one after the other waits for each
/// round trip (a 100 MB file took 374-494 ms against about 280), and so does
/// `Blob.stream()`, whose chunks are 64 KB (410 ms).
async fn read_blob(file: &web_sys::Blob, progress: impl Fn(usize)) -> Result<Vec<u8>, JsValue> {
    const SLICE: f64 = 8.0 * 1024.0 * 1024.0;
    let size = file.size();
    let mut reads = Vec::new();
    let mut start = 0.0;
    while start < size {
        let end = (start + SLICE).min(size);
        reads.push(JsFuture::from(
            file.slice_with_f64_and_f64(start, end)?.array_buffer(),
        ));
        start = end;
    }
    let mut bytes = Vec::with_capacity(size as usize);
    for read in reads {
        let array = Uint8Array::new(&read.await?);
        let at = bytes.len();
        bytes.resize(at + array.length() as usize, 0);
        if let Some(target) = bytes.get_mut(at..) {
            array.copy_to(target);
        }
        progress(bytes.len());
    }
    Ok(bytes)
}

/// Tells the page how much of the request's files has been read, in about
/// a hundred steps (a message per chunk read would be thousands).
struct ReadProgress {
    total: usize,
    /// Bytes of the files read before the current one.
    before: std::cell::Cell<usize>,
    /// What the page was last told.
    told: std::cell::Cell<usize>,
}

impl ReadProgress {
    fn new(request: &Array) -> Self {
        let total = request
            .iter()
            .filter_map(|input| get(&input, message::FILE).dyn_into::<web_sys::Blob>().ok())
            .map(|file| file.size() as usize)
            .sum();
        Self {
            total,
            before: std::cell::Cell::new(0),
            told: std::cell::Cell::new(0),
        }
    }

    /// `done` bytes of the current file are read.
    fn report(&self, done: usize) {
        let read = self.before.get() + done;
        if read < self.told.get() + self.total / 100 && read < self.total {
            return;
        }
        self.told.set(read);
        let update = Object::new();
        set(&update, message::READ, &JsValue::from_f64(read as f64));
        set(
            &update,
            message::READ_TOTAL,
            &JsValue::from_f64(self.total as f64),
        );
        let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
        // Progress is a nicety: a message that cannot be posted is skipped.
        let _ = scope.post_message(&update);
    }

    /// The current file, of `size` bytes, is read.
    fn finish_file(&self, size: usize) {
        self.before.set(self.before.get() + size);
    }
}

/// Milliseconds between laps (`Date.now()`: whole milliseconds are enough
/// for steps of tens to thousands of them).
struct Clock(f64);

impl Clock {
    fn start() -> Self {
        Self(js_sys::Date::now())
    }

    fn lap(&mut self, timings: &Object, key: &str) {
        let now = js_sys::Date::now();
        set(timings, key, &JsValue::from_f64(now - self.0));
        self.0 = now;
    }
}
