//! Reading bytes in the browser: a `ReadableStream` (a file's or a response's
//! body) chunk by chunk with progress, and HTTP fetches with errors a user
//! can act on.

use js_sys::{Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{ReadableStream, ReadableStreamDefaultReader};

/// Reads a stream to its end; `progress` gets the bytes read so far after
/// each chunk. `expected` sizes the buffer (0 when unknown).
pub async fn read_stream(
    stream: ReadableStream,
    expected: usize,
    progress: impl Fn(usize),
) -> Result<Vec<u8>, String> {
    let reader: ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
    let mut bytes = Vec::with_capacity(expected);
    loop {
        let chunk = JsFuture::from(reader.read())
            .await
            .map_err(|err| format!("reading failed: {}", js_message(&err)))?;
        let done = Reflect::get(&chunk, &JsValue::from_str("done"))
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(true);
        if done {
            break;
        }
        let value =
            Reflect::get(&chunk, &JsValue::from_str("value")).map_err(|err| js_message(&err))?;
        let array = Uint8Array::new(&value);
        let start = bytes.len();
        bytes.resize(start + array.length() as usize, 0);
        if let Some(target) = bytes.get_mut(start..) {
            array.copy_to(target);
        }
        progress(bytes.len());
    }
    Ok(bytes)
}

/// GETs `url` and returns its body and content type. The errors say what
/// went wrong: the network or CORS, an HTTP status, or an empty body.
pub async fn fetch(
    url: &str,
    progress: impl Fn(usize, usize),
) -> Result<(Vec<u8>, Option<String>), String> {
    let response = gloo_net::http::Request::get(url).send().await.map_err(|err| {
        format!(
            "could not fetch {url}: {err}. The server is unreachable, or it does not allow this page to read it: \
             a server on another origin must send an Access-Control-Allow-Origin header (CORS)"
        )
    })?;
    if !response.ok() {
        return Err(format!(
            "{url} answered HTTP {} {}",
            response.status(),
            response.status_text()
        ));
    }
    let content_type = response.headers().get("content-type");
    let total = response
        .headers()
        .get("content-length")
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let bytes = match response.body() {
        Some(body) => read_stream(body, total, |done| progress(done, total)).await?,
        None => response
            .binary()
            .await
            .map_err(|err| format!("reading {url} failed: {err}"))?,
    };
    Ok((bytes, content_type))
}

/// Resolves after the browser has had a chance to paint (a timer task, so
/// the progress shown before heavy work is on screen).
pub async fn next_frame() {
    gloo_timers::future::TimeoutFuture::new(16).await;
}

/// Gives the browser a turn (input, a frame if one is due) and resumes in
/// the next task, without waiting a frame when none is due.
pub async fn next_task() {
    gloo_timers::future::TimeoutFuture::new(0).await;
}

fn js_message(value: &JsValue) -> String {
    value
        .dyn_ref::<js_sys::Error>()
        .map(|err| String::from(err.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| format!("{value:?}"))
}
