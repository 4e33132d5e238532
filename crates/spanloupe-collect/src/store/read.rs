//! The read side: each query an index lookup, so that the read API stays
//! quick while apps keep exporting.

use rusqlite::{Connection, OptionalExtension, params, params_from_iter};

use super::rows::{Signal, nanos_from_sql, nanos_sql};
use super::schema::{self, counter};
use super::{Bounds, StoreError};

/// What the store holds.
#[derive(Clone, Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Status {
    pub spans: u64,
    pub traces: u64,
    pub log_records: u64,
    pub requests: u64,
    pub evicted_spans: u64,
    pub evicted_traces: u64,
    pub rejected_spans: u64,
    pub max_spans: u64,
    pub max_age_seconds: Option<u64>,
}

pub fn status(conn: &Connection, bounds: Bounds) -> Result<Status, StoreError> {
    let count = |sql: &str| -> Result<u64, StoreError> {
        let n: i64 = conn.query_row(sql, [], |row| row.get(0))?;
        Ok(nanos_from_sql(n))
    };
    Ok(Status {
        spans: count("SELECT COALESCE(SUM(span_count), 0) FROM traces")?,
        traces: count("SELECT COUNT(*) FROM traces")?,
        log_records: count("SELECT COUNT(*) FROM logs")?,
        requests: count("SELECT COUNT(*) FROM requests")?,
        evicted_spans: schema::read_counter(conn, counter::EVICTED_SPANS)?,
        evicted_traces: schema::read_counter(conn, counter::EVICTED_TRACES)?,
        rejected_spans: schema::read_counter(conn, counter::REJECTED_SPANS)?,
        max_spans: bounds.max_spans,
        max_age_seconds: bounds.max_age.map(|age| age.as_secs()),
    })
}

/// The services that sent spans, by name.
pub fn services(conn: &Connection) -> Result<Vec<String>, StoreError> {
    let mut query = conn.prepare_cached("SELECT DISTINCT service FROM spans ORDER BY service")?;
    let rows = query.query_map([], |row| row.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The span names of a service with their kinds (OTLP numbers), by name;
/// `kind` keeps one kind.
pub fn operations(
    conn: &Connection,
    service: &str,
    kind: Option<i64>,
) -> Result<Vec<(String, i64)>, StoreError> {
    let mut query = conn.prepare_cached(
        "SELECT DISTINCT name, kind FROM spans WHERE service = ?1 AND (?2 IS NULL OR kind = ?2)
         ORDER BY name, kind",
    )?;
    let rows = query.query_map(params![service, kind], |row| Ok((row.get(0)?, row.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A search for traces: a trace matches when one of its spans matches every
/// span condition given.
#[derive(Clone, Debug, Default)]
pub struct FindQuery {
    pub service: Option<String>,
    pub operation: Option<String>,
    pub start_min: Option<u64>,
    pub start_max: Option<u64>,
    pub duration_min: Option<u64>,
    pub duration_max: Option<u64>,
    pub limit: usize,
}

/// The ids of the matching traces, newest first.
pub fn find(conn: &Connection, q: &FindQuery) -> Result<Vec<[u8; 16]>, StoreError> {
    let mut query = conn.prepare_cached(
        "SELECT t.trace_id FROM traces t
         WHERE t.start_unix_nanos >= ?1 AND t.start_unix_nanos <= ?2
           AND EXISTS (SELECT 1 FROM spans s WHERE s.trace_id = t.trace_id
               AND (?3 IS NULL OR s.service = ?3)
               AND (?4 IS NULL OR s.name = ?4)
               AND (?5 IS NULL OR s.end_unix_nanos - s.start_unix_nanos >= ?5)
               AND (?6 IS NULL OR s.end_unix_nanos - s.start_unix_nanos <= ?6))
         ORDER BY t.start_unix_nanos DESC LIMIT ?7",
    )?;
    let rows = query.query_map(
        params![
            nanos_sql(q.start_min.unwrap_or(0)),
            nanos_sql(q.start_max.unwrap_or(u64::MAX)),
            q.service,
            q.operation,
            q.duration_min.map(nanos_sql),
            q.duration_max.map(nanos_sql),
            i64::try_from(q.limit).unwrap_or(i64::MAX),
        ],
        |row| row.get::<_, Vec<u8>>(0),
    )?;
    ids(rows)
}

fn ids(
    rows: impl Iterator<Item = Result<Vec<u8>, rusqlite::Error>>,
) -> Result<Vec<[u8; 16]>, StoreError> {
    let mut out = Vec::new();
    for row in rows {
        if let Ok(id) = <[u8; 16]>::try_from(row?.as_slice()) {
            out.push(id);
        }
    }
    Ok(out)
}

/// Whether the store has the trace.
pub fn has_trace(conn: &Connection, trace_id: [u8; 16]) -> Result<bool, StoreError> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM traces WHERE trace_id = ?1")?
        .query_row([&trace_id[..]], |_| Ok(()))
        .optional()?
        .is_some())
}

/// The bodies of the requests holding spans or log records of these traces,
/// in the order they arrived.
pub fn bodies_of(conn: &Connection, trace_ids: &[[u8; 16]]) -> Result<Vec<Vec<u8>>, StoreError> {
    let mut requests = std::collections::BTreeSet::new();
    let mut of_trace = conn.prepare_cached(
        "SELECT DISTINCT request_id FROM spans WHERE trace_id = ?1
         UNION SELECT DISTINCT request_id FROM logs WHERE trace_id = ?1",
    )?;
    for trace_id in trace_ids {
        for request in of_trace.query_map([&trace_id[..]], |row| row.get::<_, i64>(0))? {
            requests.insert(request?);
        }
    }
    let mut body = conn.prepare_cached("SELECT body FROM requests WHERE id = ?1")?;
    let mut out = Vec::with_capacity(requests.len());
    for id in requests {
        if let Some(bytes) = body.query_row([id], |row| row.get(0)).optional()? {
            out.push(bytes);
        }
    }
    Ok(out)
}

/// The live list's filters.
#[derive(Clone, Debug, Default)]
pub struct ListQuery {
    pub service: Option<String>,
    /// Part of the root's name or service, of a service's name, or of the model.
    pub text: Option<String>,
    pub limit: usize,
}

/// A trace as the live list shows it.
#[derive(Clone, Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TraceSummary {
    pub trace_id: String,
    pub root_service: String,
    pub root_name: String,
    /// Whether its root span has arrived (else the name is its earliest span's).
    pub has_root: bool,
    pub services: Vec<String>,
    pub spans: u64,
    pub errors: u64,
    pub model: Option<String>,
    pub input_tokens: u64,
    pub output_tokens: u64,
    /// Nanoseconds since 1970, as decimal strings (JSON numbers lose them).
    pub start_unix_nano: String,
    pub end_unix_nano: String,
    pub last_received_unix_nano: String,
}

/// Traces newest first (by start).
pub fn list(conn: &Connection, q: &ListQuery) -> Result<Vec<TraceSummary>, StoreError> {
    let text = q.text.as_ref().map(|t| format!("%{}%", escape_like(t)));
    let mut query = conn.prepare_cached(
        "SELECT trace_id, root_service, root_name, has_root, services, span_count, error_count,
                model, input_tokens, output_tokens, start_unix_nanos, end_unix_nanos, last_received
         FROM traces t
         WHERE (?1 IS NULL OR EXISTS (SELECT 1 FROM spans s WHERE s.trace_id = t.trace_id AND s.service = ?1))
           AND (?2 IS NULL OR root_name LIKE ?2 ESCAPE '\\' OR services LIKE ?2 ESCAPE '\\'
                OR model LIKE ?2 ESCAPE '\\' OR hex(trace_id) LIKE upper(?2) ESCAPE '\\')
         ORDER BY start_unix_nanos DESC LIMIT ?3",
    )?;
    let rows = query.query_map(
        params![q.service, text, i64::try_from(q.limit).unwrap_or(i64::MAX)],
        |row| {
            let id: Vec<u8> = row.get(0)?;
            let services: String = row.get(4)?;
            Ok(TraceSummary {
                trace_id: hex(&id),
                root_service: row.get(1)?,
                root_name: row.get(2)?,
                has_root: row.get(3)?,
                services: serde_json::from_str(&services).unwrap_or_default(),
                spans: nanos_from_sql(row.get(5)?),
                errors: nanos_from_sql(row.get(6)?),
                model: row.get(7)?,
                input_tokens: nanos_from_sql(row.get(8)?),
                output_tokens: nanos_from_sql(row.get(9)?),
                start_unix_nano: nanos_from_sql(row.get(10)?).to_string(),
                end_unix_nano: nanos_from_sql(row.get(11)?).to_string(),
                last_received_unix_nano: nanos_from_sql(row.get(12)?).to_string(),
            })
        },
    )?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut out, b| {
            let _ = write!(out, "{b:02x}");
            out
        })
}

/// One stored request, for the export.
pub struct StoredRequest {
    pub id: i64,
    pub signal: Signal,
    pub body: Vec<u8>,
}

/// Up to `n` requests after `after`, in the order they arrived.
pub fn requests_after(
    conn: &Connection,
    after: i64,
    n: usize,
) -> Result<Vec<StoredRequest>, StoreError> {
    let mut query = conn.prepare_cached(
        "SELECT id, signal, body FROM requests WHERE id > ?1 ORDER BY id LIMIT ?2",
    )?;
    let rows = query.query_map(
        params![after, i64::try_from(n).unwrap_or(i64::MAX)],
        |row| {
            Ok(StoredRequest {
                id: row.get(0)?,
                signal: Signal::from_number(row.get(1)?),
                body: row.get(2)?,
            })
        },
    )?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// What the export keeps.
#[derive(Clone, Debug, Default)]
pub struct ExportFilter {
    pub service: Option<String>,
    pub start_min: Option<u64>,
    pub start_max: Option<u64>,
}

impl ExportFilter {
    pub fn is_everything(&self) -> bool {
        self.service.is_none() && self.start_min.is_none() && self.start_max.is_none()
    }
}

/// The stored traces a request holds spans or log records of that pass the
/// filter (the store may have dropped some since).
pub fn traces_of_request(
    conn: &Connection,
    request: &StoredRequest,
    filter: &ExportFilter,
) -> Result<Vec<[u8; 16]>, StoreError> {
    let table = match request.signal {
        Signal::Traces => "spans",
        Signal::Logs => "logs",
    };
    let sql = format!(
        "SELECT DISTINCT r.trace_id FROM {table} r JOIN traces t ON t.trace_id = r.trace_id
         WHERE r.request_id = ?1 AND t.start_unix_nanos >= ?2 AND t.start_unix_nanos <= ?3
           AND (?4 IS NULL OR EXISTS (SELECT 1 FROM spans s WHERE s.trace_id = t.trace_id AND s.service = ?4))"
    );
    let mut query = conn.prepare_cached(&sql)?;
    let rows = query.query_map(
        params_from_iter([
            rusqlite::types::Value::Integer(request.id),
            rusqlite::types::Value::Integer(nanos_sql(filter.start_min.unwrap_or(0))),
            rusqlite::types::Value::Integer(nanos_sql(filter.start_max.unwrap_or(u64::MAX))),
            filter
                .service
                .clone()
                .map_or(rusqlite::types::Value::Null, rusqlite::types::Value::Text),
        ]),
        |row| row.get::<_, Vec<u8>>(0),
    )?;
    ids(rows)
}
