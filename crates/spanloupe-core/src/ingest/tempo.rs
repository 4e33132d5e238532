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

/// Whether `bytes` are shaped as a `TraceByIDResponse`: only its four
/// fields, with their wire types, the trace once, and the trace's own first
/// field a list of batches.
pub fn looks_like_trace_by_id(bytes: &[u8]) -> bool {
    let mut buf = bytes;
    let mut traces = 0;
    while !buf.is_empty() {
        let Ok((tag, wire_type)) = decode_key(&mut buf) else {
            return false;
        };
        match (tag, wire_type) {
            (1, WireType::LengthDelimited) => {
                traces += 1;
                let Some(trace) = length_delimited(&mut buf) else {
                    return false;
                };
                let mut inner = trace;
                let first_is_batch = inner.is_empty()
                    || matches!(decode_key(&mut inner), Ok((1, WireType::LengthDelimited)));
                if !first_is_batch {
                    return false;
                }
            }
            (2 | 4, WireType::LengthDelimited) => {
                if length_delimited(&mut buf).is_none() {
                    return false;
                }
            }
            (3, WireType::Varint) => {
                if decode_varint(&mut buf).is_err() {
                    return false;
                }
            }
            _ => return false,
        }
    }
    traces == 1
}

/// A length-delimited field's bytes, after its key.
fn length_delimited<'a>(buf: &mut &'a [u8]) -> Option<&'a [u8]> {
    let len = usize::try_from(decode_varint(buf).ok()?).ok()?;
    let (field, rest) = buf.split_at_checked(len)?;
    *buf = rest;
    Some(field)
}

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
