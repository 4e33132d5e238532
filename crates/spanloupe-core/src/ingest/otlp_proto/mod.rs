//! OTLP protobuf: the binary body of an OTLP/HTTP request
//! (`ExportTraceServiceRequest` or `ExportLogsServiceRequest`), decoded by
//! prost into the same `wire` structs the JSON reader fills.

use prost::Message;
use prost::encoding::{WireType, decode_key, decode_varint};

mod to_model;

use super::IngestError;
use crate::model::TraceSetBuilder;
use crate::wire::{ExportLogsServiceRequest, ExportTraceServiceRequest, ResourceSpans};

/// Decodes a request whose kind is known (a collector knows it from the
/// path it came to): nothing is guessed, and a span with a malformed id is
/// kept for the model to flag rather than taken as a sign that the bytes are
/// something else, so that the collector can refuse that span alone.
pub fn read_request(
    bytes: &[u8],
    kind: ProtoKind,
    builder: &mut TraceSetBuilder,
) -> Result<(), IngestError> {
    let damaged =
        |err: prost::DecodeError| IngestError::Protobuf(format!("the request is damaged: {err}"));
    match kind {
        ProtoKind::Traces => {
            let request = ExportTraceServiceRequest::decode(bytes).map_err(damaged)?;
            to_model::add_resource_spans(builder, request.resource_spans);
        }
        ProtoKind::Logs => {
            let request = ExportLogsServiceRequest::decode(bytes).map_err(damaged)?;
            to_model::add_resource_logs(builder, request.resource_logs);
        }
    }
    Ok(())
}

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
    if bytes.is_empty() {
        return Err(IngestError::NoData(
            "the protobuf request is empty".to_owned(),
        ));
    }
    let traces_error = match read_traces(bytes, builder) {
        Ok(()) => return Ok(ProtoKind::Traces),
        Err(NotTraces::Before(reason)) => reason,
        // Spans were added: a traces request it is, damaged (the caller
        // rolls the builder back).
        Err(NotTraces::After(reason)) => {
            return Err(IngestError::Protobuf(format!(
                "the traces request is damaged: {reason}"
            )));
        }
    };
    match ExportLogsServiceRequest::decode(bytes) {
        Ok(request) if plausible_logs(&request) => {
            to_model::add_resource_logs(builder, request.resource_logs);
            Ok(ProtoKind::Logs)
        }
        _ => Err(IngestError::Protobuf(format!(
            "the data is binary but is neither an OTLP traces nor logs request (as a traces request: {traces_error})"
        ))),
    }
}

/// Why bytes were not read as traces: found before any span was added, or
/// after.
enum NotTraces {
    Before(String),
    After(String),
}

/// Reads a traces request one `ResourceSpans` at a time, each added to the
/// builder and dropped before the next is decoded: decoded whole, a large
/// request's owned messages would sit beside the file and the model, which
/// made memory, not parsing, the cost of a large file in the browser.
fn read_traces(bytes: &[u8], builder: &mut TraceSetBuilder) -> Result<(), NotTraces> {
    // Batches before the first span wait here: until a span's ids are seen
    // the bytes may still be a logs request.
    let mut waiting: Vec<ResourceSpans> = Vec::new();
    let mut seen_a_span = false;
    let mut buf = bytes;
    while !buf.is_empty() {
        let fail = |reason: String| {
            if seen_a_span {
                NotTraces::After(reason)
            } else {
                NotTraces::Before(reason)
            }
        };
        let (tag, wire_type) = decode_key(&mut buf).map_err(|e| fail(e.to_string()))?;
        if tag != 1 {
            skip(&mut buf, wire_type).map_err(fail)?;
            continue;
        }
        if wire_type != WireType::LengthDelimited {
            return Err(fail(format!(
                "its field 1 is a {wire_type:?} value, not a batch of spans"
            )));
        }
        let len = usize::try_from(decode_varint(&mut buf).map_err(|e| fail(e.to_string()))?)
            .unwrap_or(usize::MAX);
        let Some((message, rest)) = buf.split_at_checked(len) else {
            return Err(fail(
                "a batch of spans runs past the end of the data".to_owned(),
            ));
        };
        buf = rest;
        let batch = ResourceSpans::decode(message).map_err(|e| fail(e.to_string()))?;
        let mut spans = batch
            .scope_spans
            .iter()
            .chain(&batch.instrumentation_library_spans)
            .flat_map(|s| &s.spans)
            .peekable();
        let has_spans = spans.peek().is_some();
        if !spans.all(|span| span.span_id.len() == 8 && matches!(span.trace_id.len(), 8 | 16)) {
            return Err(fail(
                "it decodes as a traces request, but its span ids are not 8 bytes long".to_owned(),
            ));
        }
        if seen_a_span {
            to_model::add_resource_spans(builder, vec![batch]);
        } else {
            waiting.push(batch);
            if has_spans {
                seen_a_span = true;
                to_model::add_resource_spans(builder, std::mem::take(&mut waiting));
            }
        }
    }
    if seen_a_span {
        Ok(())
    } else {
        Err(NotTraces::Before("it holds no spans".to_owned()))
    }
}

/// Skips a field of another number than the list's (none is defined).
pub(super) fn skip(buf: &mut &[u8], wire_type: WireType) -> Result<(), String> {
    let len = match wire_type {
        WireType::Varint => return decode_varint(buf).map(|_| ()).map_err(|e| e.to_string()),
        WireType::SixtyFourBit => 8,
        WireType::ThirtyTwoBit => 4,
        WireType::LengthDelimited => {
            usize::try_from(decode_varint(buf).map_err(|e| e.to_string())?).unwrap_or(usize::MAX)
        }
        WireType::StartGroup | WireType::EndGroup => {
            return Err("it uses protobuf groups, which OTLP never does".to_owned());
        }
    };
    match buf.get(len..) {
        Some(rest) => {
            *buf = rest;
            Ok(())
        }
        None => Err("a field runs past the end of the data".to_owned()),
    }
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
