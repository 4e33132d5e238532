//! Stored requests back into OTLP JSON: the bodies holding the wanted traces
//! are read by the core into one model, and only those traces (with their log
//! records) are written out.

use spanloupe_core::export::otlp_data::{Logs, document};
use spanloupe_core::ingest::{Input, Source, load_many};
use spanloupe_core::model::{SpanIdx, TraceId, TraceSet, Value};

use crate::store::StoreError;
use crate::store::read::bodies_of;

/// The model of the requests holding these traces.
pub fn load_traces(
    conn: &rusqlite::Connection,
    trace_ids: &[[u8; 16]],
) -> Result<Option<TraceSet>, StoreError> {
    let bodies = bodies_of(conn, trace_ids)?;
    Ok(load_bodies(bodies.iter().map(Vec::as_slice)))
}

pub fn load_bodies<'a>(bodies: impl IntoIterator<Item = &'a [u8]>) -> Option<TraceSet> {
    let inputs: Vec<Input> = bodies
        .into_iter()
        .map(|bytes| Input {
            bytes,
            source: Source::default(),
        })
        .collect();
    load_many(&inputs).set
}

/// The traces as one OTLP JSON document (`resourceSpans` and, when they
/// have any, `resourceLogs`).
pub fn traces_document(set: &TraceSet, trace_ids: &[[u8; 16]], logs: Logs) -> serde_json::Value {
    let ids: Vec<TraceId> = trace_ids.iter().map(|id| TraceId(*id)).collect();
    document(set, &ids, logs)
}

/// Whether a span of the trace, or its resource, has the attribute with
/// this value (compared as text: `200`, `true`, `GET`).
pub fn trace_has_attribute(set: &TraceSet, trace_id: [u8; 16], key: &str, value: &str) -> bool {
    let Some(trace) = set
        .trace_position(TraceId(trace_id))
        .and_then(|p| set.traces.get(p))
    else {
        return false;
    };
    trace.spans.range().any(|index| {
        let idx = SpanIdx::at(index);
        let Some(span) = set.span(idx) else {
            return false;
        };
        let resource = set
            .resource(span.resource)
            .map(|r| set.attributes(r.attributes))
            .unwrap_or(&[]);
        set.attributes(span.attributes)
            .iter()
            .chain(resource)
            .any(|a| set.str(a.key) == key && value_text(set, a.value).as_deref() == Some(value))
    })
}

fn value_text(set: &TraceSet, value: Value) -> Option<String> {
    match value {
        Value::Str(id) => Some(set.str(id).to_owned()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Int(i) => Some(i.to_string()),
        Value::Double(d) => Some(d.to_string()),
        _ => None,
    }
}

/// A trace id from its hex form (32 characters, or 16 for a 64-bit id).
pub fn parse_trace_id(text: &str) -> Result<[u8; 16], String> {
    let valid_hex = text.chars().all(|c| c.is_ascii_hexdigit());
    match TraceId::parse(text) {
        Some(id) if valid_hex && (text.len() == 32 || text.len() == 16) && !id.is_zero() => {
            Ok(id.0)
        }
        _ => Err(format!(
            "{text:?} is not a trace id: expected 32 hex characters (or 16 for a 64-bit id)"
        )),
    }
}
