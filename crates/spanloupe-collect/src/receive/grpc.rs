//! OTLP/gRPC: `TraceService/Export`, `LogsService/Export` (and the metrics
//! service, counted), with the generated service types of
//! `opentelemetry-proto`. Each request is encoded back to protobuf and goes
//! through the same intake as OTLP/HTTP, so both store the same bytes.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use opentelemetry_proto::tonic::collector::logs::v1::logs_service_server::{
    LogsService, LogsServiceServer,
};
use opentelemetry_proto::tonic::collector::logs::v1::{
    ExportLogsPartialSuccess, ExportLogsServiceRequest, ExportLogsServiceResponse,
};
use opentelemetry_proto::tonic::collector::metrics::v1::metrics_service_server::{
    MetricsService, MetricsServiceServer,
};
use opentelemetry_proto::tonic::collector::metrics::v1::{
    ExportMetricsServiceRequest, ExportMetricsServiceResponse,
};
use opentelemetry_proto::tonic::collector::trace::v1::trace_service_server::{
    TraceService, TraceServiceServer,
};
use opentelemetry_proto::tonic::collector::trace::v1::{
    ExportTracePartialSuccess, ExportTraceServiceRequest, ExportTraceServiceResponse,
};
use prost::Message as _;
use tonic::codec::CompressionEncoding;
use tonic::service::interceptor::InterceptedService;
use tonic::{Request, Response, Status};

use super::decode::Encoding;
use super::{Accepted, Refusal, intake};
use crate::app::App;
use crate::store::Signal;

#[derive(Clone)]
pub struct Receiver {
    app: Arc<App>,
}

impl Receiver {
    async fn take(&self, signal: Signal, body: Vec<u8>) -> Result<Accepted, Status> {
        intake(&self.app, signal, body, false, Encoding::Protobuf)
            .await
            .map_err(|refusal| status_of(&refusal))
    }
}

fn status_of(refusal: &Refusal) -> Status {
    let message = refusal.message().to_owned();
    match refusal {
        Refusal::Malformed(_) => Status::invalid_argument(message),
        Refusal::TooLarge(_) | Refusal::Busy(_) => Status::resource_exhausted(message),
        Refusal::Unavailable(_) => Status::unavailable(message),
    }
}

#[tonic::async_trait]
impl TraceService for Receiver {
    async fn export(
        &self,
        request: Request<ExportTraceServiceRequest>,
    ) -> Result<Response<ExportTraceServiceResponse>, Status> {
        let accepted = self
            .take(Signal::Traces, request.into_inner().encode_to_vec())
            .await?;
        let rejected = i64::try_from(accepted.rejected).unwrap_or(i64::MAX);
        Ok(Response::new(ExportTraceServiceResponse {
            partial_success: (rejected > 0).then_some(ExportTracePartialSuccess {
                rejected_spans: rejected,
                error_message: accepted.message,
            }),
        }))
    }
}

#[tonic::async_trait]
impl LogsService for Receiver {
    async fn export(
        &self,
        request: Request<ExportLogsServiceRequest>,
    ) -> Result<Response<ExportLogsServiceResponse>, Status> {
        let accepted = self
            .take(Signal::Logs, request.into_inner().encode_to_vec())
            .await?;
        let rejected = i64::try_from(accepted.rejected).unwrap_or(i64::MAX);
        Ok(Response::new(ExportLogsServiceResponse {
            partial_success: (rejected > 0).then_some(ExportLogsPartialSuccess {
                rejected_log_records: rejected,
                error_message: accepted.message,
            }),
        }))
    }
}

#[tonic::async_trait]
impl MetricsService for Receiver {
    async fn export(
        &self,
        _request: Request<ExportMetricsServiceRequest>,
    ) -> Result<Response<ExportMetricsServiceResponse>, Status> {
        self.app.metrics_requests.fetch_add(1, Ordering::Relaxed);
        Ok(Response::new(ExportMetricsServiceResponse {
            partial_success: None,
        }))
    }
}

/// Checks `authorization: Bearer <token>` when the collector has a token.
#[derive(Clone)]
pub struct TokenCheck {
    app: Arc<App>,
}

impl tonic::service::Interceptor for TokenCheck {
    fn call(&mut self, request: Request<()>) -> Result<Request<()>, Status> {
        let given = request
            .metadata()
            .get("authorization")
            .and_then(|v| v.to_str().ok());
        if self.app.token_matches(given) {
            Ok(request)
        } else {
            Err(Status::unauthenticated(
                "this collector needs `authorization: Bearer <token>` (--token)",
            ))
        }
    }
}

/// The gRPC services, accepting gzip and bounded to the body limit (which
/// tonic applies to the decompressed message).
pub fn router(app: Arc<App>) -> tonic::service::Routes {
    let receiver = Receiver { app: app.clone() };
    let check = TokenCheck { app: app.clone() };
    let limit = app.limits.max_body;
    let traces = TraceServiceServer::new(receiver.clone())
        .accept_compressed(CompressionEncoding::Gzip)
        .send_compressed(CompressionEncoding::Gzip)
        .max_decoding_message_size(limit);
    let logs = LogsServiceServer::new(receiver.clone())
        .accept_compressed(CompressionEncoding::Gzip)
        .send_compressed(CompressionEncoding::Gzip)
        .max_decoding_message_size(limit);
    let metrics = MetricsServiceServer::new(receiver)
        .accept_compressed(CompressionEncoding::Gzip)
        .max_decoding_message_size(limit);
    tonic::service::Routes::new(InterceptedService::new(traces, check.clone()))
        .add_service(InterceptedService::new(logs, check.clone()))
        .add_service(InterceptedService::new(metrics, check))
}
