//! The answers of OTLP/HTTP, in the request's encoding as the specification
//! asks: an `Export…ServiceResponse` (with `partial_success` when spans were
//! refused) or a `google.rpc.Status`.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use opentelemetry_proto::tonic::collector::logs::v1::{
    ExportLogsPartialSuccess, ExportLogsServiceResponse,
};
use opentelemetry_proto::tonic::collector::trace::v1::{
    ExportTracePartialSuccess, ExportTraceServiceResponse,
};
use prost::Message as _;

use super::decode::Encoding;
use super::{Accepted, Refusal};
use crate::store::Signal;

/// `google.rpc.Status` without details.
#[derive(Clone, PartialEq, prost::Message)]
struct RpcStatus {
    #[prost(int32, tag = "1")]
    code: i32,
    #[prost(string, tag = "2")]
    message: String,
}

/// gRPC codes the answers use.
const INVALID_ARGUMENT: i32 = 3;
const RESOURCE_EXHAUSTED: i32 = 8;
const UNAVAILABLE: i32 = 14;

/// Seconds a client should wait before sending again.
pub const RETRY_BUSY_SECONDS: u32 = 1;
pub const RETRY_UNAVAILABLE_SECONDS: u32 = 5;

pub fn accepted(signal: Signal, encoding: Encoding, accepted: &Accepted) -> Response {
    let rejected = i64::try_from(accepted.rejected).unwrap_or(i64::MAX);
    let body = match encoding {
        Encoding::Protobuf => match signal {
            Signal::Traces => ExportTraceServiceResponse {
                partial_success: (rejected > 0).then(|| ExportTracePartialSuccess {
                    rejected_spans: rejected,
                    error_message: accepted.message.clone(),
                }),
            }
            .encode_to_vec(),
            Signal::Logs => ExportLogsServiceResponse {
                partial_success: (rejected > 0).then(|| ExportLogsPartialSuccess {
                    rejected_log_records: rejected,
                    error_message: accepted.message.clone(),
                }),
            }
            .encode_to_vec(),
        },
        Encoding::Json => {
            let count_key = match signal {
                Signal::Traces => "rejectedSpans",
                Signal::Logs => "rejectedLogRecords",
            };
            let json = if rejected > 0 {
                serde_json::json!({ "partialSuccess": {
                    count_key: rejected.to_string(),
                    "errorMessage": accepted.message,
                }})
            } else {
                serde_json::json!({})
            };
            json.to_string().into_bytes()
        }
    };
    with_type(StatusCode::OK, encoding, body)
}

/// `/v1/metrics` is counted, not stored: an empty response is a full success.
pub fn metrics_accepted(encoding: Encoding) -> Response {
    let body = match encoding {
        Encoding::Protobuf => Vec::new(),
        Encoding::Json => b"{}".to_vec(),
    };
    with_type(StatusCode::OK, encoding, body)
}

pub fn refused(encoding: Encoding, refusal: &Refusal) -> Response {
    let (status, code, retry) = match refusal {
        Refusal::Malformed(_) => (StatusCode::BAD_REQUEST, INVALID_ARGUMENT, None),
        Refusal::TooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, RESOURCE_EXHAUSTED, None),
        Refusal::Busy(_) => (
            StatusCode::TOO_MANY_REQUESTS,
            RESOURCE_EXHAUSTED,
            Some(RETRY_BUSY_SECONDS),
        ),
        Refusal::Unavailable(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            UNAVAILABLE,
            Some(RETRY_UNAVAILABLE_SECONDS),
        ),
    };
    let message = refusal.message().to_owned();
    let body = match encoding {
        Encoding::Protobuf => RpcStatus { code, message }.encode_to_vec(),
        Encoding::Json => serde_json::json!({ "code": code, "message": message })
            .to_string()
            .into_bytes(),
    };
    let mut response = with_type(status, encoding, body);
    if let Some(seconds) = retry {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    response
}

/// 415: the body's encoding is unknown, so the answer is plain text.
pub fn unsupported_type(what: &str) -> Response {
    (StatusCode::UNSUPPORTED_MEDIA_TYPE, what.to_owned()).into_response()
}

fn with_type(status: StatusCode, encoding: Encoding, body: Vec<u8>) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, encoding.content_type())],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn retry_after(response: &Response) -> Option<&str> {
        response
            .headers()
            .get(header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
    }

    #[test]
    fn retryable_refusals_say_when_to_retry() {
        let busy = refused(Encoding::Protobuf, &Refusal::Busy("busy".into()));
        assert_eq!(busy.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(retry_after(&busy), Some("1"));
        let full = refused(Encoding::Json, &Refusal::Unavailable("full".into()));
        assert_eq!(full.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(retry_after(&full), Some("5"));
    }

    #[test]
    fn final_refusals_do_not() {
        for refusal in [
            Refusal::Malformed("bad".into()),
            Refusal::TooLarge("big".into()),
        ] {
            let response = refused(Encoding::Json, &refusal);
            assert!(response.status().is_client_error());
            assert_eq!(retry_after(&response), None);
        }
    }
}
