//! Reading on the page, for a browser that will not start workers (a host
//! that forbids them): the worker's own module is loaded into the page, only
//! now, and reads the request as a worker would
//! (`spanloupe_worker::protocol::on_page`). The page's own module carries no
//! parser.

use std::cell::RefCell;

use js_sys::{Function, Reflect, Uint8Array};
use spanloupe_core::ingest::LoadedInputs;
use spanloupe_core::transfer;
use spanloupe_worker::js::describe;
use spanloupe_worker::protocol::on_page::{LOAD_READER, READ_ON_PAGE};
use spanloupe_worker::protocol::{Request, ToWorker, WorkerError};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::{Failure, Loaded, assets, request_input};
use crate::load::PendingInput;

thread_local! {
    /// The reader's loading, started once.
    static READER: RefCell<Option<js_sys::Promise>> = const { RefCell::new(None) };
}

/// Loads `inputs` on the page, as one worker would.
pub async fn load(inputs: &[PendingInput]) -> Result<Loaded, Failure> {
    let unavailable = |err: JsValue| Failure::Unavailable(describe(&err));
    JsFuture::from(reader()?).await.map_err(unavailable)?;
    let window: JsValue = web_sys::window()
        .ok_or_else(|| Failure::Unavailable("no window".to_owned()))?
        .into();
    let read: Function = Reflect::get(&window, &READ_ON_PAGE.into())
        .ok()
        .and_then(|read| read.dyn_into().ok())
        .ok_or_else(|| Failure::Unavailable("the reader did not start".to_owned()))?;
    let request = ToWorker::Request(Request {
        inputs: inputs.iter().map(request_input).collect(),
        file_part: None,
        join: 0,
    })
    .encode();
    let promise: js_sys::Promise = read
        .call1(&JsValue::NULL, &request.message)
        .map_err(|err| Failure::Failed(super::pool::crashed(&err)))?
        .unchecked_into();
    let packed = JsFuture::from(promise).await.map_err(|err| {
        Failure::Failed(match err.as_string() {
            Some(json) => WorkerError::from_json(&json),
            // A panic traps the reader's module, not the page's.
            None => super::pool::crashed(&err),
        })
    })?;
    let packed = packed
        .dyn_into::<Uint8Array>()
        .map_err(|_| Failure::Failed(WorkerError::Crashed("the reader gave no data".to_owned())))?;
    transfer::unpack::<LoadedInputs>(&packed.to_vec())
        .map(|reply| (reply, None))
        .map_err(|error| Failure::Failed(error.into()))
}

/// The promise of the reader's module loaded into the page (`index.html`'s
/// `spanloupeLoadReader`).
fn reader() -> Result<js_sys::Promise, Failure> {
    if let Some(loading) = READER.with(|reader| reader.borrow().clone()) {
        return Ok(loading);
    }
    let window = web_sys::window().ok_or_else(|| Failure::Unavailable("no window".to_owned()))?;
    let base = window
        .document()
        .and_then(|document| document.base_uri().ok().flatten())
        .unwrap_or_default();
    let url = |path: &str| {
        web_sys::Url::new_with_base(path, &base)
            .map(|url| JsValue::from(url.href()))
            .unwrap_or_else(|_| path.into())
    };
    let load: Function = Reflect::get(&window, &LOAD_READER.into())
        .ok()
        .and_then(|load| load.dyn_into().ok())
        .ok_or_else(|| Failure::Unavailable(format!("the page has no {LOAD_READER}")))?;
    let loading: js_sys::Promise = load
        .call2(
            &JsValue::NULL,
            &url(&assets::url(assets::WORKER_SCRIPT)),
            &url(&assets::url(assets::WORKER_WASM)),
        )
        .map_err(|err| Failure::Unavailable(describe(&err)))?
        .unchecked_into();
    READER.with(|reader| *reader.borrow_mut() = Some(loading.clone()));
    Ok(loading)
}
