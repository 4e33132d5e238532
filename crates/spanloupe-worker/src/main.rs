//! The ingest worker. Trunk builds it as a Web Worker (`index.html`,
//! `data-type="worker"`, the `worker` profile); the page starts one for each
//! load (`src/load/worker.rs`), or several for a large file, each reading a
//! part of it (`parts.rs`), posts the request, and gets the model back.
//!
//! It answers each request with the loaded model, encoded in parts
//! (`spanloupe_core::ingest::transfer`), each posted as soon as it is
//! written and transferred, not copied. The message shapes are in
//! `transfer::message`.

mod inbox;
mod parts;
mod read;
mod warm_up;

use js_sys::{Array, Object, Uint8Array};
use spanloupe_core::TraceSet;
use spanloupe_core::genai::TraceGenAi;
use spanloupe_core::ingest::OwnedInput;
use spanloupe_core::ingest::limits::{self, Measured};
use spanloupe_core::ingest::split::PartSummary;
use spanloupe_core::ingest::transfer::{self, LoadReply, Reply, message};
use spanloupe_worker::js::{count, describe, get, offset, set};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use read::{ReadProgress, read_file};

fn main() {
    std::panic::set_hook(Box::new(tell_the_page_of_a_panic));
    serve();
}

/// Logs a panic and tells the page why this worker is about to stop: the
/// page's error event would only say "unreachable". The page shows the load
/// as failed and never reads the same input on its own thread.
fn tell_the_page_of_a_panic(info: &std::panic::PanicHookInfo<'_>) {
    console_error_panic_hook::hook(info);
    let last = Object::new();
    set(
        &last,
        message::ERROR,
        &JsValue::from_str(&format!("the reader stopped: {info}")),
    );
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let _ = scope.post_message(&last);
}

/// Warms up, listens for requests, then tells the page it does: messages
/// posted before the module has started would be lost.
fn serve() {
    warm_up::warm_up();
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let on_message =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(|event: web_sys::MessageEvent| {
            let data = event.data();
            if get(&data, message::INPUTS).is_undefined() {
                // Another part of the file, for the load under way.
                inbox::deliver(data);
            } else {
                wasm_bindgen_futures::spawn_local(answer(data));
            }
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

/// What a request is answered with: a load, or one part of a file for the
/// worker that joins the parts.
pub enum Answer {
    Load(LoadReply),
    Part(Reply<PartSummary>),
}

/// Loads a request's inputs and posts the encoded reply part by part, each
/// as soon as it is written, then `done` (or the error).
async fn answer(request: JsValue) {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let timings = Object::new();
    let last = Object::new();
    let outcome = match load_request(&request, &timings).await {
        Ok(answer) => {
            let mut clock = Clock::start();
            match answer {
                Answer::Load(reply) => {
                    let sent = transfer::encode_each(&reply, |p| post_part(&scope, &p));
                    clock.lap(&timings, message::ENCODE_MS);
                    // While the page decodes the parts.
                    let genai = sent.and_then(|()| post_genai(&scope, reply.set.as_ref()));
                    clock.lap(&timings, message::GENAI_MS);
                    genai
                }
                Answer::Part(reply) => {
                    let sent = transfer::encode_each(&reply, |p| post_part(&scope, &p));
                    clock.lap(&timings, message::ENCODE_MS);
                    sent
                }
            }
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

/// Finds the GenAI spans of every trace and posts them.
fn post_genai(
    scope: &web_sys::DedicatedWorkerGlobalScope,
    data: Option<&TraceSet>,
) -> Result<(), String> {
    let Some(data) = data else {
        return Ok(());
    };
    let bytes = Uint8Array::from(transfer::encode_genai(&TraceGenAi::of_each(data))?.as_slice());
    let message = Object::new();
    set(&message, message::GENAI, &bytes);
    scope
        .post_message_with_transfer(&message, &Array::of1(&bytes.buffer()))
        .map_err(|err| format!("cannot send the GenAI spans: {}", describe(&err)))
}

/// Reads and loads a request, noting in `timings` how long each step took:
/// its inputs whole, or the part of a file it names.
async fn load_request(request: &JsValue, timings: &Object) -> Result<Answer, String> {
    let inputs: Array = get(request, message::INPUTS)
        .dyn_into()
        .map_err(|_| "the request has no list of inputs".to_owned())?;
    let file_part = get(request, message::FILE_PART);
    if file_part.is_undefined() {
        return load_whole(&inputs, timings).await.map(Answer::Load);
    }
    let join = count(get(request, message::JOIN).as_f64().unwrap_or(0.0));
    parts::load(&inputs.get(0), &file_part, join, timings).await
}

/// Reads every input whole and loads them together.
async fn load_whole(inputs: &Array, timings: &Object) -> Result<LoadReply, String> {
    let mut clock = Clock::start();
    let total = inputs
        .iter()
        .filter_map(|input| get(&input, message::FILE).dyn_into::<web_sys::Blob>().ok())
        .map(|file| count(file.size()))
        .sum();
    let progress = ReadProgress::new(total);
    let mut owned = Vec::new();
    for input in inputs.iter() {
        let name = get(&input, message::NAME).as_string().unwrap_or_default();
        let bytes = match get(&input, message::BYTES).dyn_into::<Uint8Array>() {
            Ok(bytes) => bytes.to_vec(),
            Err(_) => {
                let file: web_sys::Blob = get(&input, message::FILE)
                    .dyn_into()
                    .map_err(|_| format!("{name}: no bytes and no file"))?;
                limits::check(Measured::File, offset(file.size()))
                    .map_err(|err| format!("{name}: {err}"))?;
                let bytes = read_file(&file, |done| progress.report(done))
                    .await
                    .map_err(|err| format!("{name}: reading failed: {}", describe(&err)))?;
                progress.finish_file(bytes.len());
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

/// Milliseconds between laps (`Date.now()`: whole milliseconds are enough
/// for steps of tens to thousands of them).
pub struct Clock(f64);

impl Clock {
    pub fn start() -> Self {
        Self(js_sys::Date::now())
    }

    pub fn lap(&mut self, timings: &Object, key: &str) {
        let now = js_sys::Date::now();
        set(timings, key, &JsValue::from_f64(now - self.0));
        self.0 = now;
    }
}
