//! Reading bytes in the browser: a `ReadableStream` (a file's or a response's
//! body) chunk by chunk with progress, and HTTP fetches with errors a user
//! can act on.

use js_sys::{Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{ReadableStream, ReadableStreamDefaultReader};

use spanloupe_core::IngestError;
use spanloupe_core::ingest::limits::{self, Measured};

use super::Content;

/// Reads a stream to its end; `progress` gets the bytes read so far after
/// each chunk. `expected` sizes the buffer (0 when unknown).
pub async fn read_stream(
    stream: ReadableStream,
    expected: usize,
    progress: impl Fn(usize),
) -> Result<Vec<u8>, String> {
    let reader: ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
    let mut bytes = Vec::new();
    limits::try_reserve(&mut bytes, expected).map_err(|err| err.to_string())?;
    while let Some(chunk) = next_chunk(&reader).await? {
        let start = bytes.len();
        limits::try_reserve(&mut bytes, chunk.length() as usize).map_err(|err| err.to_string())?;
        bytes.resize(start + chunk.length() as usize, 0);
        if let Some(target) = bytes.get_mut(start..) {
            chunk.copy_to(target);
        }
        progress(bytes.len());
    }
    Ok(bytes)
}

/// The next chunk of a stream, `None` at its end.
async fn next_chunk(reader: &ReadableStreamDefaultReader) -> Result<Option<Uint8Array>, String> {
    let chunk = JsFuture::from(reader.read())
        .await
        .map_err(|err| format!("reading failed: {}", js_message(&err)))?;
    let done = Reflect::get(&chunk, &JsValue::from_str("done"))
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(true);
    if done {
        return Ok(None);
    }
    let value =
        Reflect::get(&chunk, &JsValue::from_str("value")).map_err(|err| js_message(&err))?;
    Ok(Some(Uint8Array::new(&value)))
}

/// GETs `url` and returns its body and content type. A body of up to
/// `max_bytes` comes as bytes; a larger one as a `File` made of the chunks
/// as they arrived, which the ingest workers read (and cut into parts) as a
/// dropped file: copied into the page's memory, which never shrinks, a
/// 100 MB body would stay there for the page's life. The errors say what
/// went wrong: the network or CORS, an HTTP status, or an empty body.
pub async fn fetch(
    url: &str,
    headers: &[(String, String)],
    max_bytes: usize,
    progress: impl Fn(usize, usize),
) -> Result<(Content, Option<String>), String> {
    let mut request = gloo_net::http::Request::get(url);
    for (name, value) in headers {
        request = request.header(name, value);
    }
    let response = request.send().await.map_err(|err| {
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
    limits::check(Measured::File, total as u64).map_err(|err| format!("{url}: {err}"))?;
    let Some(body) = response.body() else {
        let bytes = response
            .binary()
            .await
            .map_err(|err| format!("reading {url} failed: {err}"))?;
        return Ok((Content::Bytes(bytes), content_type));
    };
    let reader: ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    let chunks = js_sys::Array::new();
    let mut read = 0;
    while let Some(chunk) = next_chunk(&reader)
        .await
        .map_err(|err| format!("{url}: {err}"))?
    {
        read += chunk.length() as usize;
        if read as u64 > limits::MAX_INPUT_BYTES {
            // A body that does not end, or whose length was not said.
            let _ = reader.cancel();
            let error = IngestError::TooLarge {
                what: Measured::File,
                size: read as u64,
                over: true,
            };
            return Err(format!("{url}: {error}"));
        }
        chunks.push(&chunk);
        progress(read, total);
    }
    if read > max_bytes {
        let file = web_sys::File::new_with_u8_array_sequence(&chunks, url)
            .map_err(|err| format!("keeping what {url} sent failed: {}", js_message(&err)))?;
        return Ok((Content::File(file), content_type));
    }
    let mut bytes = vec![0; read];
    let mut at = 0;
    for chunk in chunks.iter() {
        let chunk = Uint8Array::new(&chunk);
        let end = at + chunk.length() as usize;
        if let Some(target) = bytes.get_mut(at..end) {
            chunk.copy_to(target);
        }
        at = end;
    }
    Ok((Content::Bytes(bytes), content_type))
}

fn js_message(value: &JsValue) -> String {
    value
        .dyn_ref::<js_sys::Error>()
        .map(|err| String::from(err.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| format!("{value:?}"))
}
