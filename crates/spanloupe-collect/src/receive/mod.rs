//! The receivers: OTLP/HTTP and OTLP/gRPC bodies go through the same intake
//! (decompress within limits, decode with the core, store, then answer).

pub mod decode;
pub mod grpc;
pub mod http;
mod response;

use crate::app::App;
use crate::store::{Signal, StoreError};
use decode::{Encoding, Refused};

/// Why a request was not stored, and so what the client is told.
#[derive(Debug)]
pub enum Refusal {
    /// 400 / INVALID_ARGUMENT: do not retry.
    Malformed(String),
    /// 413 / RESOURCE_EXHAUSTED.
    TooLarge(String),
    /// 429 / RESOURCE_EXHAUSTED with a retry delay: the writer is behind.
    Busy(String),
    /// 503 / UNAVAILABLE with a retry delay: the store cannot take it now.
    Unavailable(String),
}

impl Refusal {
    pub fn message(&self) -> &str {
        match self {
            Refusal::Malformed(m)
            | Refusal::TooLarge(m)
            | Refusal::Busy(m)
            | Refusal::Unavailable(m) => m,
        }
    }
}

impl From<Refused> for Refusal {
    fn from(refused: Refused) -> Self {
        match refused {
            Refused::Malformed(m) => Refusal::Malformed(m),
            Refused::TooLarge(m) => Refusal::TooLarge(m),
        }
    }
}

impl From<StoreError> for Refusal {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::Busy => Refusal::Busy(err.to_string()),
            other => Refusal::Unavailable(other.to_string()),
        }
    }
}

/// What was stored: how many items of the request were refused (partial
/// success), and why.
#[derive(Debug, Default)]
pub struct Accepted {
    pub rejected: u64,
    pub message: String,
}

/// Takes one request body (still compressed when `gzipped`), stores it, and
/// returns once it is committed.
pub async fn intake(
    app: &App,
    signal: Signal,
    body: Vec<u8>,
    gzipped: bool,
    encoding: Encoding,
) -> Result<Accepted, Refusal> {
    let limit = app.limits.max_decompressed;
    let batch = tokio::task::spawn_blocking(move || {
        let body = if gzipped {
            decode::gunzip(&body, limit)?
        } else {
            body
        };
        decode::decode(signal, body, encoding)
    })
    .await
    .map_err(|_| Refusal::Unavailable("the collector failed to read the request".into()))??;
    let rejected = batch.rejected_spans;
    if batch.spans.is_empty() && batch.logs.is_empty() {
        return Ok(Accepted {
            rejected,
            message: rejected_message(rejected),
        });
    }
    app.store.add(batch).await?;
    Ok(Accepted {
        rejected,
        message: rejected_message(rejected),
    })
}

fn rejected_message(rejected: u64) -> String {
    if rejected == 0 {
        String::new()
    } else {
        format!("{rejected} spans have no valid trace id or span id and were not stored")
    }
}
