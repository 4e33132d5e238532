//! This module loaded into the page instead of a worker, when the page
//! cannot start one (a host that forbids workers): it offers the page one
//! function that reads a request as a worker would and resolves to the reply
//! packed in one buffer (`protocol::on_page`). The page then carries no
//! parser of its own, and loads this one only when it needs it.

use js_sys::{Reflect, Uint8Array};
use spanloupe_core::transfer;
use spanloupe_worker::protocol::on_page::READ_ON_PAGE;
use spanloupe_worker::protocol::{ProtocolError, Timings, ToWorker, WorkerError};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

/// Offers the page [`READ_ON_PAGE`].
pub fn offer() {
    let read = Closure::<dyn FnMut(JsValue) -> js_sys::Promise>::new(|request: JsValue| {
        wasm_bindgen_futures::future_to_promise(async move {
            read(&request)
                .await
                .map(|packed| Uint8Array::from(packed.as_slice()).into())
                .map_err(|error| JsValue::from_str(&error.to_json()))
        })
    });
    let global = js_sys::global();
    if Reflect::set(&global, &READ_ON_PAGE.into(), read.as_ref().unchecked_ref()).is_err() {
        web_sys::console::error_1(&"the reader could not offer itself to the page".into());
    }
    // The page may read any number of times.
    read.forget();
}

async fn read(request: &JsValue) -> Result<Vec<u8>, WorkerError> {
    let ToWorker::Request(request) = ToWorker::decode(request)? else {
        return Err(ProtocolError::missing("page's", "request").into());
    };
    let loaded = crate::load_whole(request.inputs, &mut Timings::default()).await?;
    Ok(transfer::pack(&transfer::encode(&loaded)?)?)
}
