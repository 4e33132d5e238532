//! Grafana Tempo's answer to a trace by id as protobuf
//! (`/api/v2/traces/{id}` with `Accept: application/protobuf`): a
//! `TraceByIDResponse` holding the trace (`tempopb.Trace`, whose list of
//! `ResourceSpans` is at field 1 as in an OTLP request), whether it is
//! complete, and Tempo's message. Its `/api/traces/{id}` answers the
//! `Trace` alone, which reads as an OTLP request.

use prost::encoding::{WireType, decode_key, decode_varint};

use super::IngestError;
use super::otlp_proto::{ProtoKind, read_request};
use crate::model::{TraceSetBuilder, WarningKind};

/// `TraceByIDResponse.status`: the trace may lack spans Tempo could not
/// read in time.
const PARTIAL: u64 = 1;

/// Reads a `TraceByIDResponse` into `builder`; a partial trace or Tempo's
/// message become warnings.
pub fn read_trace_by_id(bytes: &[u8], builder: &mut TraceSetBuilder) -> Result<(), IngestError> {
    let damaged = |why: String| IngestError::Protobuf(format!("Tempo's answer is damaged: {why}"));
    let mut buf = bytes;
    let mut trace: Option<&[u8]> = None;
    let mut partial = false;
    let mut message = String::new();
    while !buf.is_empty() {
        let (tag, wire_type) = decode_key(&mut buf).map_err(|e| damaged(e.to_string()))?;
        match (tag, wire_type) {
            (1 | 4, WireType::LengthDelimited) => {
                let len =
                    usize::try_from(decode_varint(&mut buf).map_err(|e| damaged(e.to_string()))?)
                        .unwrap_or(usize::MAX);
                let (field, rest) = buf
                    .split_at_checked(len)
                    .ok_or_else(|| damaged("a field runs past the end".to_owned()))?;
                if tag == 1 {
                    trace = Some(field);
                } else {
                    message = String::from_utf8_lossy(field).into_owned();
                }
                buf = rest;
            }
            (3, WireType::Varint) => {
                partial = decode_varint(&mut buf).map_err(|e| damaged(e.to_string()))? == PARTIAL;
            }
            _ => super::otlp_proto::skip(&mut buf, wire_type).map_err(damaged)?,
        }
    }
    let trace =
        trace.ok_or_else(|| IngestError::NoData("Tempo's answer holds no trace".to_owned()))?;
    read_request(trace, ProtoKind::Traces, builder)?;
    if partial {
        builder.warn(
            WarningKind::FromSource,
            "Tempo returned part of the trace: some of its spans could not be read in time",
        );
    }
    if !message.is_empty() {
        builder.warn(WarningKind::FromSource, format!("Tempo said: {message}"));
    }
    Ok(())
}
