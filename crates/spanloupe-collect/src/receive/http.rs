//! OTLP/HTTP: `POST /v1/traces`, `/v1/logs` and `/v1/metrics`.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::Response;

use super::decode::Encoding;
use super::response;
use super::{Refusal, intake};
use crate::app::App;
use crate::store::Signal;

pub async fn traces(State(app): State<Arc<App>>, headers: HeaderMap, body: Body) -> Response {
    receive(&app, Signal::Traces, &headers, body).await
}

pub async fn logs(State(app): State<Arc<App>>, headers: HeaderMap, body: Body) -> Response {
    receive(&app, Signal::Logs, &headers, body).await
}

/// Metrics are not what Spanloupe shows: counted, acknowledged, not kept.
pub async fn metrics(State(app): State<Arc<App>>, headers: HeaderMap, body: Body) -> Response {
    let encoding = match encoding_of(&headers) {
        Ok(encoding) => encoding,
        Err(why) => return response::unsupported_type(&why),
    };
    if let Err(refusal) = read_body(&app, &headers, body).await {
        return response::refused(encoding, &refusal);
    }
    app.metrics_requests.fetch_add(1, Ordering::Relaxed);
    response::metrics_accepted(encoding)
}

async fn receive(app: &App, signal: Signal, headers: &HeaderMap, body: Body) -> Response {
    let encoding = match encoding_of(headers) {
        Ok(encoding) => encoding,
        Err(why) => return response::unsupported_type(&why),
    };
    let gzipped = match content_encoding(headers) {
        Ok(gzipped) => gzipped,
        Err(why) => return response::unsupported_type(&why),
    };
    let bytes = match read_body(app, headers, body).await {
        Ok(bytes) => bytes,
        Err(refusal) => return response::refused(encoding, &refusal),
    };
    match intake(app, signal, bytes, gzipped, encoding).await {
        Ok(accepted) => response::accepted(signal, encoding, &accepted),
        Err(refusal) => response::refused(encoding, &refusal),
    }
}

/// The body's encoding, or why it is refused (415).
fn encoding_of(headers: &HeaderMap) -> Result<Encoding, String> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    Encoding::from_content_type(content_type).ok_or_else(|| {
        format!(
            "Content-Type {content_type:?} is not OTLP: send application/x-protobuf or application/json"
        )
    })
}

/// Whether the body is gzip-compressed; other encodings are refused (415).
fn content_encoding(headers: &HeaderMap) -> Result<bool, String> {
    let value = headers
        .get(header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("identity")
        .trim()
        .to_ascii_lowercase();
    match value.as_str() {
        "gzip" | "x-gzip" => Ok(true),
        "identity" | "" => Ok(false),
        other => Err(format!(
            "Content-Encoding {other:?} is not supported: send gzip or none"
        )),
    }
}

/// The body, refused without reading past the limit when it is larger.
async fn read_body(app: &App, headers: &HeaderMap, body: Body) -> Result<Vec<u8>, Refusal> {
    let limit = app.limits.max_body;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let too_large = || {
        Refusal::TooLarge(format!(
            "the body is larger than {limit} bytes, the collector's limit for a request (--max-body)"
        ))
    };
    if declared.is_some_and(|len| len > limit as u64) {
        return Err(too_large());
    }
    match axum::body::to_bytes(body, limit).await {
        Ok(bytes) => Ok(bytes.to_vec()),
        // The length limit, or a connection that broke mid-body.
        Err(_) if declared.is_none() => Err(too_large()),
        Err(err) => Err(Refusal::Malformed(format!(
            "the body could not be read: {err}"
        ))),
    }
}
