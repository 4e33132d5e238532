//! Loading in a Web Worker, so a 100 MB file never freezes the page. Both
//! sides are here, since they share the message's shape:
//!
//! - the page ([`load`]) starts `ingest_worker_loader.js` (the loader Trunk
//!   emits for `src/bin/ingest_worker.rs`), posts the inputs' bytes
//!   (transferred, not copied), and awaits one reply;
//! - the worker ([`serve`]) loads them with `spanloupe_core` and replies
//!   with the encoded model (`ingest::transfer`), also transferred.
//!
//! A worker serves one load and is ended: its memory (the parse's peak) is
//! returned to the browser at once.

use js_sys::{Array, Object, Reflect, Uint8Array};
use spanloupe_core::ingest::transfer::{self, LoadReply};
use spanloupe_core::ingest::{Input, Source};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::RawInput;

/// Relative to the page's base URL (`<base data-trunk-public-url>`).
const WORKER_URL: &str = "./ingest_worker_loader.js";

/// Loads `inputs` in a new worker. An error means the worker could not do
/// it (it failed to start, or crashed): the caller loads on its own thread.
pub async fn load(inputs: &[RawInput]) -> Result<LoadReply, String> {
    let worker = web_sys::Worker::new(WORKER_URL).map_err(|err| describe(&err))?;
    // Messages posted before the worker's module has started are lost: it
    // says when it listens.
    let ready = JsFuture::from(next_message(&worker)).await;
    if let Err(err) = ready {
        worker.terminate();
        return Err(describe(&err));
    }
    let reply = JsFuture::from(next_message(&worker));
    let request = Array::new();
    let transfer = Array::new();
    for raw in inputs {
        let bytes = Uint8Array::from(raw.bytes.as_slice());
        transfer.push(&bytes.buffer());
        let input = Object::new();
        set(&input, "name", &JsValue::from_str(&raw.name));
        set(
            &input,
            "contentType",
            &raw.content_type
                .as_deref()
                .map_or(JsValue::NULL, JsValue::from_str),
        );
        set(&input, "bytes", &bytes);
        request.push(&input);
    }
    let posted = worker.post_message_with_transfer(&request, &transfer);
    let answer = match posted {
        Ok(()) => reply.await,
        Err(err) => Err(err),
    };
    worker.terminate();
    let answer = answer.map_err(|err| describe(&err))?;
    if let Some(message) = get(&answer, "error").as_string() {
        return Err(message);
    }
    let encoded: Uint8Array = get(&answer, "reply")
        .dyn_into()
        .map_err(|_| "the worker's reply has no data".to_owned())?;
    transfer::decode(&encoded.to_vec())
}

/// A promise of the worker's next message; rejected when it fails to load
/// or crashes.
fn next_message(worker: &web_sys::Worker) -> js_sys::Promise {
    js_sys::Promise::new(&mut |resolve, reject| {
        let on_message = Closure::once_into_js(move |event: web_sys::MessageEvent| {
            let _ = resolve.call1(&JsValue::NULL, &event.data());
        });
        let on_error = Closure::once_into_js(move |event: web_sys::ErrorEvent| {
            let message = match event.message() {
                message if message.is_empty() => "the worker failed to start".to_owned(),
                message => message,
            };
            let _ = reject.call1(&JsValue::NULL, &JsValue::from_str(&message));
        });
        worker.set_onmessage(Some(on_message.unchecked_ref()));
        worker.set_onerror(Some(on_error.unchecked_ref()));
    })
}

/// The worker's side: answers each request with the loaded, encoded model.
pub fn serve() {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let on_message =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(|event: web_sys::MessageEvent| {
            let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
            let answer = Object::new();
            let transfer = Array::new();
            match answer_request(&event.data()) {
                Ok(encoded) => {
                    let bytes = Uint8Array::from(encoded.as_slice());
                    transfer.push(&bytes.buffer());
                    set(&answer, "reply", &bytes);
                }
                Err(message) => set(&answer, "error", &JsValue::from_str(&message)),
            }
            if let Err(err) = scope.post_message_with_transfer(&answer, &transfer) {
                web_sys::console::error_1(&err);
            }
        });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    let ready = Object::new();
    set(&ready, "ready", &JsValue::TRUE);
    if let Err(err) = scope.post_message(&ready) {
        web_sys::console::error_1(&err);
    }
}

fn answer_request(request: &JsValue) -> Result<Vec<u8>, String> {
    let request: Array = request
        .clone()
        .dyn_into()
        .map_err(|_| "the request is not a list of inputs".to_owned())?;
    let raws: Vec<RawInput> = request
        .iter()
        .map(|input| RawInput {
            name: get(&input, "name").as_string().unwrap_or_default(),
            content_type: get(&input, "contentType").as_string(),
            bytes: get(&input, "bytes")
                .dyn_into::<Uint8Array>()
                .map(|bytes| bytes.to_vec())
                .unwrap_or_default(),
        })
        .collect();
    let inputs: Vec<Input> = raws
        .iter()
        .map(|raw| Input {
            bytes: &raw.bytes,
            source: Source {
                name: Some(&raw.name),
                content_type: raw.content_type.as_deref(),
            },
        })
        .collect();
    let reply = transfer::load_reply(&inputs);
    drop(inputs);
    drop(raws);
    transfer::encode(&reply)
}

fn get(object: &JsValue, key: &str) -> JsValue {
    Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn set(object: &Object, key: &str, value: &JsValue) {
    // Setting a property on a fresh plain object cannot fail.
    let _ = Reflect::set(object, &JsValue::from_str(key), value);
}

fn describe(err: &JsValue) -> String {
    err.as_string()
        .or_else(|| {
            err.dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
        })
        .unwrap_or_else(|| format!("{err:?}"))
}
