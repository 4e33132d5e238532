//! The writer thread: takes every write waiting, stores them in one
//! transaction, keeps the store within its bounds, commits, and only then
//! answers each request and tells the live views.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use tokio::sync::{broadcast, mpsc, oneshot};

use super::rows::{Batch, SpanRow, nanos_from_sql, nanos_sql};
use super::schema::{self, counter};
use super::{Bounds, Change, Command, StoreError, lock};

/// At most this many requests go in one transaction, so that answers do not
/// wait behind an unbounded group.
const GROUP: usize = 128;

pub struct Writer {
    conn: Arc<Mutex<Connection>>,
    bounds: Bounds,
    changes: broadcast::Sender<Change>,
    /// Spans in the store (the sum of `traces.span_count`).
    stored_spans: u64,
}

type Reply = oneshot::Sender<Result<(), StoreError>>;

impl Writer {
    pub fn new(
        conn: Arc<Mutex<Connection>>,
        bounds: Bounds,
        changes: broadcast::Sender<Change>,
    ) -> Result<Writer, StoreError> {
        let stored: i64 = lock(&conn).query_row(
            "SELECT COALESCE(SUM(span_count), 0) FROM traces",
            [],
            |row| row.get(0),
        )?;
        Ok(Writer {
            conn,
            bounds,
            changes,
            stored_spans: nanos_from_sql(stored),
        })
    }

    pub fn run(mut self, mut commands: mpsc::Receiver<Command>) {
        while let Some(first) = commands.blocking_recv() {
            let mut group = vec![first];
            while group.len() < GROUP {
                match commands.try_recv() {
                    Ok(next) => group.push(next),
                    Err(_) => break,
                }
            }
            self.apply(group);
        }
    }

    fn apply(&mut self, group: Vec<Command>) {
        let mut replies: Vec<Reply> = Vec::new();
        let mut batches = Vec::new();
        let mut clear = false;
        for command in group {
            match command {
                Command::Add(batch, reply) => {
                    batches.push(batch);
                    replies.push(reply);
                }
                Command::Clear(reply) => {
                    clear = true;
                    replies.push(reply);
                }
                Command::Expire => {}
            }
        }
        let stored_before = self.stored_spans;
        let outcome = {
            let conn = self.conn.clone();
            let mut conn = lock(&conn);
            self.write(&mut conn, &batches, clear)
        };
        match outcome {
            Ok(changes) => {
                for reply in replies {
                    let _ = reply.send(Ok(()));
                }
                for change in changes {
                    // Nobody listening is fine.
                    let _ = self.changes.send(change);
                }
            }
            Err(err) => {
                self.stored_spans = stored_before;
                eprintln!("spanloupe-collect: {err}");
                for reply in replies {
                    let _ = reply.send(Err(StoreError::Write(err.to_string())));
                }
            }
        }
    }

    /// One transaction: the clear (it comes first: a clear and writes in the
    /// same group keep the writes), the batches, then the bounds.
    fn write(
        &mut self,
        conn: &mut Connection,
        batches: &[Batch],
        clear: bool,
    ) -> Result<Vec<Change>, StoreError> {
        let tx = conn.transaction()?;
        let mut changes = Vec::new();
        if clear {
            tx.execute_batch(
                "DELETE FROM spans; DELETE FROM logs; DELETE FROM traces; DELETE FROM requests;",
            )?;
            self.stored_spans = 0;
            changes.push(Change::Cleared);
        }
        let now = now_unix_nanos();
        // Per trace: spans this group added, and its span count now.
        let mut touched: HashMap<[u8; 16], (u64, u64)> = HashMap::new();
        for batch in batches {
            let request_id = insert_request(&tx, batch, now)?;
            insert_spans(&tx, &batch.spans, request_id)?;
            insert_logs(&tx, batch, request_id)?;
            schema::add_to_counter(&tx, counter::REJECTED_SPANS, batch.rejected_spans)?;
            for (trace_id, delta) in deltas(&batch.spans) {
                let spans = merge_trace(&tx, trace_id, &delta, now)?;
                let entry = touched.entry(trace_id).or_default();
                *entry = (entry.0 + delta.spans, spans);
                self.stored_spans += delta.spans;
            }
            if !batch.logs.is_empty() {
                let mut trace_ids: Vec<[u8; 16]> =
                    batch.logs.iter().filter_map(|log| log.trace_id).collect();
                trace_ids.sort_unstable();
                trace_ids.dedup();
                changes.push(Change::Logs {
                    trace_ids,
                    added: batch.logs.len() as u64,
                });
            }
        }
        for (trace_id, (added, spans)) in touched {
            changes.push(Change::Trace {
                trace_id,
                added,
                spans,
            });
        }
        let (traces, spans) = self.keep_within_bounds(&tx, now)?;
        if traces > 0 {
            changes.push(Change::Evicted { traces, spans });
        }
        tx.commit()?;
        Ok(changes)
    }

    /// Drops traces past `--max-age`, then the oldest traces until the store
    /// holds at most `--max-spans`. Returns the traces and spans dropped.
    fn keep_within_bounds(&mut self, tx: &Transaction, now: u64) -> Result<(u64, u64), StoreError> {
        let mut dropped = (0, 0);
        if let Some(age) = self.bounds.max_age {
            let cutoff = now.saturating_sub(u64::try_from(age.as_nanos()).unwrap_or(u64::MAX));
            loop {
                let old = oldest_traces(tx, Some(cutoff))?;
                if old.is_empty() {
                    break;
                }
                let (t, s) = delete_traces(tx, &old)?;
                dropped = (dropped.0 + t, dropped.1 + s);
            }
            // Log records that name no trace go by age alone.
            let requests: Vec<i64> = tx
                .prepare("SELECT id FROM requests WHERE signal = 1 AND received_unix_nanos < ?1")?
                .query_map([nanos_sql(cutoff)], |row| row.get(0))?
                .collect::<Result<_, _>>()?;
            for id in requests {
                tx.execute("DELETE FROM logs WHERE request_id = ?1", [id])?;
                tx.execute("DELETE FROM requests WHERE id = ?1", [id])?;
            }
        }
        while self.stored_spans.saturating_sub(dropped.1) > self.bounds.max_spans {
            let old = oldest_traces(tx, None)?;
            if old.is_empty() {
                break;
            }
            let over = self.stored_spans - dropped.1 - self.bounds.max_spans;
            let mut chosen = Vec::new();
            let mut freed = 0;
            for (trace_id, spans) in old {
                if freed >= over {
                    break;
                }
                freed += spans;
                chosen.push((trace_id, spans));
            }
            let (t, s) = delete_traces(tx, &chosen)?;
            dropped = (dropped.0 + t, dropped.1 + s);
        }
        self.stored_spans = self.stored_spans.saturating_sub(dropped.1);
        schema::add_to_counter(tx, counter::EVICTED_TRACES, dropped.0)?;
        schema::add_to_counter(tx, counter::EVICTED_SPANS, dropped.1)?;
        Ok(dropped)
    }
}

fn now_unix_nanos() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

fn insert_request(tx: &Transaction, batch: &Batch, now: u64) -> Result<i64, StoreError> {
    tx.prepare_cached(
        "INSERT INTO requests(signal, received_unix_nanos, body) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![batch.signal.number(), nanos_sql(now), batch.body])?;
    Ok(tx.last_insert_rowid())
}

fn insert_spans(tx: &Transaction, spans: &[SpanRow], request_id: i64) -> Result<(), StoreError> {
    let mut insert = tx.prepare_cached(
        "INSERT INTO spans(trace_id, span_id, parent_span_id, service, name, kind,
             start_unix_nanos, end_unix_nanos, status, model, input_tokens, output_tokens, request_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?;
    for span in spans {
        insert.execute(params![
            &span.trace_id[..],
            &span.span_id[..],
            span.parent_span_id.as_ref().map(|p| &p[..]),
            span.service,
            span.name,
            span.kind,
            nanos_sql(span.start_unix_nanos),
            nanos_sql(span.end_unix_nanos),
            span.status,
            span.model,
            span.input_tokens.map(nanos_sql),
            span.output_tokens.map(nanos_sql),
            request_id,
        ])?;
    }
    Ok(())
}

fn insert_logs(tx: &Transaction, batch: &Batch, request_id: i64) -> Result<(), StoreError> {
    let mut insert = tx.prepare_cached(
        "INSERT INTO logs(trace_id, span_id, time_unix_nanos, request_id) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for log in &batch.logs {
        insert.execute(params![
            log.trace_id.as_ref().map(|t| &t[..]),
            log.span_id.as_ref().map(|s| &s[..]),
            nanos_sql(log.time_unix_nanos),
            request_id,
        ])?;
    }
    Ok(())
}

/// What one request adds to one trace's summary.
#[derive(Default)]
struct TraceDelta {
    spans: u64,
    errors: u64,
    start: u64,
    end: u64,
    /// (service, name) of a span without a parent.
    root: Option<(String, String)>,
    /// (start, service, name) of the earliest span, named until a root comes.
    earliest: Option<(u64, String, String)>,
    services: BTreeSet<String>,
    model: Option<String>,
    input_tokens: u64,
    output_tokens: u64,
}

fn deltas(spans: &[SpanRow]) -> HashMap<[u8; 16], TraceDelta> {
    let mut out: HashMap<[u8; 16], TraceDelta> = HashMap::new();
    for span in spans {
        let delta = out.entry(span.trace_id).or_insert_with(|| TraceDelta {
            start: u64::MAX,
            ..TraceDelta::default()
        });
        delta.spans += 1;
        delta.errors += u64::from(span.is_error());
        delta.start = delta.start.min(span.start_unix_nanos);
        delta.end = delta.end.max(span.end_unix_nanos);
        if span.parent_span_id.is_none() && delta.root.is_none() {
            delta.root = Some((span.service.clone(), span.name.clone()));
        }
        if delta
            .earliest
            .as_ref()
            .is_none_or(|(start, _, _)| span.start_unix_nanos < *start)
        {
            delta.earliest = Some((
                span.start_unix_nanos,
                span.service.clone(),
                span.name.clone(),
            ));
        }
        if !delta.services.contains(&span.service) {
            delta.services.insert(span.service.clone());
        }
        if delta.model.is_none() {
            delta.model.clone_from(&span.model);
        }
        if span.counted {
            delta.input_tokens += span.input_tokens.unwrap_or(0);
            delta.output_tokens += span.output_tokens.unwrap_or(0);
        }
    }
    out
}

/// A trace's summary as stored.
struct Summary {
    first_received: i64,
    start: u64,
    end: u64,
    spans: u64,
    errors: u64,
    root_service: String,
    root_name: String,
    has_root: bool,
    services: BTreeSet<String>,
    model: Option<String>,
    input_tokens: u64,
    output_tokens: u64,
}

/// Adds a request's spans to the trace's summary; returns its span count.
fn merge_trace(
    tx: &Transaction,
    trace_id: [u8; 16],
    delta: &TraceDelta,
    now: u64,
) -> Result<u64, StoreError> {
    let existing = tx
        .prepare_cached(
            "SELECT first_received, start_unix_nanos, end_unix_nanos, span_count, error_count,
                    root_service, root_name, has_root, services, model, input_tokens, output_tokens
             FROM traces WHERE trace_id = ?1",
        )?
        .query_row([&trace_id[..]], |row| {
            let services: String = row.get(8)?;
            Ok(Summary {
                first_received: row.get(0)?,
                start: nanos_from_sql(row.get(1)?),
                end: nanos_from_sql(row.get(2)?),
                spans: nanos_from_sql(row.get(3)?),
                errors: nanos_from_sql(row.get(4)?),
                root_service: row.get(5)?,
                root_name: row.get(6)?,
                has_root: row.get(7)?,
                services: serde_json::from_str(&services).unwrap_or_default(),
                model: row.get(9)?,
                input_tokens: nanos_from_sql(row.get(10)?),
                output_tokens: nanos_from_sql(row.get(11)?),
            })
        })
        .optional()?;
    let (earliest_start, earliest_service, earliest_name) =
        delta.earliest.clone().unwrap_or_default();
    let mut summary = existing.unwrap_or_else(|| Summary {
        first_received: nanos_sql(now),
        start: u64::MAX,
        end: 0,
        spans: 0,
        errors: 0,
        root_service: earliest_service.clone(),
        root_name: earliest_name.clone(),
        has_root: false,
        services: BTreeSet::new(),
        model: None,
        input_tokens: 0,
        output_tokens: 0,
    });
    if let Some((service, name)) = &delta.root {
        if !summary.has_root {
            summary.root_service.clone_from(service);
            summary.root_name.clone_from(name);
            summary.has_root = true;
        }
    } else if !summary.has_root && earliest_start < summary.start {
        summary.root_service = earliest_service;
        summary.root_name = earliest_name;
    }
    summary.start = summary.start.min(delta.start);
    summary.end = summary.end.max(delta.end);
    summary.spans += delta.spans;
    summary.errors += delta.errors;
    summary.services.extend(delta.services.iter().cloned());
    if summary.model.is_none() {
        summary.model.clone_from(&delta.model);
    }
    summary.input_tokens += delta.input_tokens;
    summary.output_tokens += delta.output_tokens;
    tx.prepare_cached(
        "INSERT OR REPLACE INTO traces(trace_id, first_received, last_received, start_unix_nanos,
             end_unix_nanos, span_count, error_count, root_service, root_name, has_root, services,
             model, input_tokens, output_tokens)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?
    .execute(params![
        &trace_id[..],
        summary.first_received,
        nanos_sql(now),
        nanos_sql(summary.start),
        nanos_sql(summary.end),
        nanos_sql(summary.spans),
        nanos_sql(summary.errors),
        summary.root_service,
        summary.root_name,
        summary.has_root,
        serde_json::to_string(&summary.services).unwrap_or_else(|_| "[]".into()),
        summary.model,
        nanos_sql(summary.input_tokens),
        nanos_sql(summary.output_tokens),
    ])?;
    Ok(summary.spans)
}

/// Up to 512 of the traces least recently written to (older than `cutoff`
/// when given), with their span counts.
fn oldest_traces(
    tx: &Transaction,
    cutoff: Option<u64>,
) -> Result<Vec<([u8; 16], u64)>, StoreError> {
    let mut query = tx.prepare_cached(
        "SELECT trace_id, span_count FROM traces WHERE last_received < ?1
         ORDER BY last_received, trace_id LIMIT 512",
    )?;
    let rows = query.query_map([nanos_sql(cutoff.unwrap_or(u64::MAX))], |row| {
        let id: Vec<u8> = row.get(0)?;
        let spans: i64 = row.get(1)?;
        Ok((id, nanos_from_sql(spans)))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, spans) = row?;
        if let Ok(id) = <[u8; 16]>::try_from(id.as_slice()) {
            out.push((id, spans));
        }
    }
    Ok(out)
}

/// Deletes traces with their index rows, and the requests nothing points
/// at any more. Returns the traces and spans deleted.
fn delete_traces(tx: &Transaction, traces: &[([u8; 16], u64)]) -> Result<(u64, u64), StoreError> {
    let mut requests = BTreeSet::new();
    let mut spans = 0;
    for (trace_id, count) in traces {
        let id = &trace_id[..];
        let mut of_trace = tx.prepare_cached(
            "SELECT DISTINCT request_id FROM spans WHERE trace_id = ?1
             UNION SELECT DISTINCT request_id FROM logs WHERE trace_id = ?1",
        )?;
        for request in of_trace.query_map([id], |row| row.get::<_, i64>(0))? {
            requests.insert(request?);
        }
        tx.prepare_cached("DELETE FROM spans WHERE trace_id = ?1")?
            .execute([id])?;
        tx.prepare_cached("DELETE FROM logs WHERE trace_id = ?1")?
            .execute([id])?;
        tx.prepare_cached("DELETE FROM traces WHERE trace_id = ?1")?
            .execute([id])?;
        spans += count;
    }
    let mut orphan = tx.prepare_cached(
        "DELETE FROM requests WHERE id = ?1
           AND NOT EXISTS (SELECT 1 FROM spans WHERE request_id = ?1)
           AND NOT EXISTS (SELECT 1 FROM logs WHERE request_id = ?1)",
    )?;
    for request in requests {
        orphan.execute([request])?;
    }
    Ok((traces.len() as u64, spans))
}
