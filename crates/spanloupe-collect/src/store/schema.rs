//! The tables. `requests` keeps bodies as received; `spans` and `logs` index
//! them; `traces` is a summary per trace kept up to date on every write, so
//! the live list is one indexed query.

use rusqlite::Connection;

use super::StoreError;

const TABLES: &str = "
CREATE TABLE IF NOT EXISTS requests (
    id INTEGER PRIMARY KEY,
    signal INTEGER NOT NULL,
    received_unix_nanos INTEGER NOT NULL,
    body BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS requests_received ON requests(received_unix_nanos);
CREATE TABLE IF NOT EXISTS spans (
    trace_id BLOB NOT NULL,
    span_id BLOB NOT NULL,
    parent_span_id BLOB,
    service TEXT NOT NULL,
    name TEXT NOT NULL,
    kind INTEGER NOT NULL,
    start_unix_nanos INTEGER NOT NULL,
    end_unix_nanos INTEGER NOT NULL,
    status INTEGER NOT NULL,
    model TEXT,
    input_tokens INTEGER,
    output_tokens INTEGER,
    request_id INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS spans_trace ON spans(trace_id);
CREATE INDEX IF NOT EXISTS spans_service ON spans(service, name);
CREATE INDEX IF NOT EXISTS spans_request ON spans(request_id);
CREATE TABLE IF NOT EXISTS logs (
    trace_id BLOB,
    span_id BLOB,
    time_unix_nanos INTEGER NOT NULL,
    request_id INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS logs_trace ON logs(trace_id);
CREATE INDEX IF NOT EXISTS logs_request ON logs(request_id);
CREATE TABLE IF NOT EXISTS traces (
    trace_id BLOB PRIMARY KEY,
    first_received INTEGER NOT NULL,
    last_received INTEGER NOT NULL,
    start_unix_nanos INTEGER NOT NULL,
    end_unix_nanos INTEGER NOT NULL,
    span_count INTEGER NOT NULL,
    error_count INTEGER NOT NULL,
    root_service TEXT NOT NULL,
    root_name TEXT NOT NULL,
    has_root INTEGER NOT NULL,
    services TEXT NOT NULL,
    model TEXT,
    input_tokens INTEGER NOT NULL,
    output_tokens INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS traces_start ON traces(start_unix_nanos);
CREATE INDEX IF NOT EXISTS traces_last_received ON traces(last_received);
CREATE TABLE IF NOT EXISTS counters (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) WITHOUT ROWID;
";

/// Sets the connection up and creates what is missing.
///
/// WAL lets the read API run beside the writer. `synchronous=NORMAL` in WAL
/// mode keeps every committed transaction through a crash of the process
/// (the test kills it during a load); only a crash of the machine can lose
/// the last ones.
pub fn prepare(conn: &Connection, in_memory: bool) -> Result<(), StoreError> {
    if !in_memory {
        conn.pragma_update(None, "journal_mode", "WAL")?;
    }
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    conn.execute_batch(TABLES)?;
    Ok(())
}

/// Counters kept across restarts.
pub mod counter {
    pub const EVICTED_SPANS: &str = "evicted_spans";
    pub const EVICTED_TRACES: &str = "evicted_traces";
    pub const REJECTED_SPANS: &str = "rejected_spans";
}

pub fn read_counter(conn: &Connection, name: &str) -> Result<u64, StoreError> {
    let value: Option<i64> = conn
        .query_row(
            "SELECT value FROM counters WHERE name = ?1",
            [name],
            |row| row.get(0),
        )
        .map(Some)
        .or_else(|err| match err {
            rusqlite::Error::QueryReturnedNoRows => Ok(None),
            other => Err(other),
        })?;
    Ok(value.and_then(|v| u64::try_from(v).ok()).unwrap_or(0))
}

pub fn add_to_counter(conn: &Connection, name: &str, by: u64) -> Result<(), StoreError> {
    if by == 0 {
        return Ok(());
    }
    conn.execute(
        "INSERT INTO counters(name, value) VALUES (?1, ?2)
         ON CONFLICT(name) DO UPDATE SET value = value + excluded.value",
        rusqlite::params![name, super::rows::nanos_sql(by)],
    )?;
    Ok(())
}
