//! OTLP protobuf: the binary body of an OTLP/HTTP request
//! (`ExportTraceServiceRequest` or `ExportLogsServiceRequest`), decoded by
//! prost into the same `wire` structs the JSON reader fills.

use prost::Message;

use super::IngestError;
use crate::model::TraceSetBuilder;
use crate::wire::{ExportLogsServiceRequest, ExportTraceServiceRequest};

/// Which request the bytes were.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProtoKind {
    Traces,
    Logs,
}

/// Decodes `bytes` as a traces request, or else as a logs request.
///
/// Both requests have their list at field 1, so the tag alone cannot tell
/// them apart; but a span starts with its trace id (bytes, field 1) where a
/// log record starts with its time (fixed64, field 1), so logs fail to decode
/// as traces. A traces decode is also checked for plausible ids, since a
/// short random input can decode as almost anything.
pub fn read(bytes: &[u8], builder: &mut TraceSetBuilder) -> Result<ProtoKind, IngestError> {
    let traces_error = match ExportTraceServiceRequest::decode(bytes) {
        Ok(request) if plausible_traces(&request) => {
            builder.add_resource_spans(request.resource_spans);
            return Ok(ProtoKind::Traces);
        }
        Ok(request) if request.resource_spans.is_empty() && bytes.is_empty() => {
            return Err(IngestError::NoData(
                "the protobuf request is empty".to_owned(),
            ));
        }
        Ok(_) => "it decodes as a traces request, but its span ids are not 8 bytes long".to_owned(),
        Err(err) => err.to_string(),
    };
    match ExportLogsServiceRequest::decode(bytes) {
        Ok(request) if plausible_logs(&request) => {
            builder.add_resource_logs(request.resource_logs);
            Ok(ProtoKind::Logs)
        }
        _ => Err(IngestError::Protobuf(format!(
            "the data is binary but is neither an OTLP traces nor logs request (as a traces request: {traces_error})"
        ))),
    }
}

fn plausible_traces(request: &ExportTraceServiceRequest) -> bool {
    let mut spans = request
        .resource_spans
        .iter()
        .flat_map(|r| r.scope_spans.iter().chain(&r.instrumentation_library_spans))
        .flat_map(|s| &s.spans)
        .peekable();
    spans.peek().is_some()
        && spans.all(|span| span.span_id.len() == 8 && matches!(span.trace_id.len(), 8 | 16))
}

fn plausible_logs(request: &ExportLogsServiceRequest) -> bool {
    let mut records = request
        .resource_logs
        .iter()
        .flat_map(|r| &r.scope_logs)
        .flat_map(|s| &s.log_records)
        .peekable();
    records.peek().is_some()
        && records.all(|record| {
            matches!(record.trace_id.len(), 0 | 16) && matches!(record.span_id.len(), 0 | 8)
        })
}
