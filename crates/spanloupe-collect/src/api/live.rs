//! What Jaeger's API does not have and the live viewer needs, under
//! `/api/spanloupe/`: the store's status, the live trace list, a stream of
//! changes (Server-Sent Events), an export of everything as OTLP JSON Lines,
//! and clearing the store.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use spanloupe_core::export::otlp_data::Logs;
use tokio_stream::wrappers::errors::BroadcastStreamRecvError;
use tokio_stream::wrappers::{BroadcastStream, ReceiverStream, WatchStream};
use tokio_stream::{Stream, StreamExt as _};

use super::documents::{load_bodies, traces_document};
use super::v3::error;
use crate::app::App;
use crate::duration;
use crate::store::read::{self, ExportFilter, ListQuery, hex};
use crate::store::{Change, Signal, StoreError};

/// The live list shows at most this many traces unless asked for more.
const DEFAULT_LIST: usize = 200;
const MAX_LIST: usize = 5000;

pub async fn status(State(app): State<Arc<App>>) -> Response {
    let bounds = app.store.bounds();
    match app.store.read(move |conn| read::status(conn, bounds)).await {
        Ok(status) => {
            let mut body = serde_json::to_value(status).unwrap_or_else(|_| json!({}));
            if let Some(body) = body.as_object_mut() {
                body.insert("collector".into(), json!("spanloupe-collect"));
                body.insert("version".into(), json!(env!("CARGO_PKG_VERSION")));
                body.insert(
                    "metricsRequests".into(),
                    json!(app.metrics_requests.load(Ordering::Relaxed)),
                );
                let proxies: Vec<&str> = app.proxies.iter().map(|p| p.name.as_str()).collect();
                body.insert("proxies".into(), json!(proxies));
            }
            Json(body).into_response()
        }
        Err(err) => error(StatusCode::SERVICE_UNAVAILABLE, err.to_string()),
    }
}

/// `GET /api/spanloupe/traces?service=…&q=…&limit=…`: summaries, newest first.
pub async fn list(
    State(app): State<Arc<App>>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let limit = match params.get("limit").map(|l| l.parse::<usize>()) {
        None => DEFAULT_LIST,
        Some(Ok(limit)) => limit.min(MAX_LIST),
        Some(Err(_)) => return error(StatusCode::BAD_REQUEST, "limit is a number of traces"),
    };
    let query = ListQuery {
        service: params.get("service").filter(|s| !s.is_empty()).cloned(),
        text: params.get("q").filter(|s| !s.is_empty()).cloned(),
        limit,
    };
    match app.store.read(move |conn| read::list(conn, &query)).await {
        Ok(traces) => Json(json!({ "traces": traces })).into_response(),
        Err(err) => error(StatusCode::SERVICE_UNAVAILABLE, err.to_string()),
    }
}

/// `POST /api/spanloupe/clear`: empties the store.
pub async fn clear(State(app): State<Arc<App>>) -> Response {
    match app.store.clear().await {
        Ok(()) => Json(json!({ "cleared": true })).into_response(),
        Err(err) => error(StatusCode::SERVICE_UNAVAILABLE, err.to_string()),
    }
}

/// `GET /api/spanloupe/events`: `trace` events (`{"traceId","added","spans"}`)
/// as spans arrive, `logs`, `evicted` and `cleared`; `lagged` when this
/// listener fell behind and should reload the list.
pub async fn events(
    State(app): State<Arc<App>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let hello = tokio_stream::once(Some(Event::default().event("ready").data("{}")));
    let changes = BroadcastStream::new(app.store.changes()).map(|change| {
        Some(match change {
            Ok(change) => change_event(&change),
            Err(BroadcastStreamRecvError::Lagged(missed)) => Event::default()
                .event("lagged")
                .data(json!({ "missed": missed }).to_string()),
        })
    });
    // The stream ends when the collector stops (a `None` ends it), so the
    // graceful stop does not wait for listeners; they reconnect.
    let stopping = WatchStream::new(app.stopping.clone())
        .filter(|stopping| *stopping)
        .map(|_| None);
    let events = hello
        .chain(changes.merge(stopping))
        .take_while(Option::is_some)
        .filter_map(|event| event.map(Ok));
    Sse::new(events).keep_alive(KeepAlive::default())
}

fn change_event(change: &Change) -> Event {
    let (name, data) = match change {
        Change::Trace {
            trace_id,
            added,
            spans,
        } => (
            "trace",
            json!({ "traceId": hex(trace_id), "added": added, "spans": spans }),
        ),
        Change::Logs { trace_ids, added } => (
            "logs",
            json!({ "traceIds": trace_ids.iter().map(|t| hex(t)).collect::<Vec<_>>(), "added": added }),
        ),
        Change::Evicted { traces, spans } => {
            ("evicted", json!({ "traces": traces, "spans": spans }))
        }
        Change::Cleared => ("cleared", json!({})),
    };
    Event::default().event(name).data(data.to_string())
}

/// Requests read per turn of the export.
const EXPORT_PAGE: usize = 64;

/// `GET /api/spanloupe/export[?service=…&since=1h|&start=…&end=…]`: the
/// store as OTLP JSON Lines, one document per stored request (only what the
/// store still keeps and the filter passes), streamed as it is read.
pub async fn export(
    State(app): State<Arc<App>>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let filter = match export_filter(&params) {
        Ok(filter) => filter,
        Err(message) => return error(StatusCode::BAD_REQUEST, message),
    };
    let (lines, receiver) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(8);
    let store = app.store.clone();
    tokio::task::spawn_blocking(move || {
        let mut after = 0;
        loop {
            let page = store.read_blocking(|conn| {
                let requests = read::requests_after(conn, after, EXPORT_PAGE)?;
                let mut out = Vec::with_capacity(requests.len());
                for request in requests {
                    let traces = read::traces_of_request(conn, &request, &filter)?;
                    out.push((request, traces));
                }
                Ok::<_, StoreError>(out)
            });
            let page = match page {
                Ok(page) if !page.is_empty() => page,
                Ok(_) => return,
                Err(err) => {
                    let _ = lines.blocking_send(Err(std::io::Error::other(err.to_string())));
                    return;
                }
            };
            for (request, traces) in page {
                after = request.id;
                if let Some(line) = export_line(&request.body, request.signal, traces, &filter)
                    && lines.blocking_send(Ok(Bytes::from(line))).is_err()
                {
                    // The client went away.
                    return;
                }
            }
        }
    });
    (
        [
            (header::CONTENT_TYPE, "application/x-ndjson"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"spanloupe-export.jsonl\"",
            ),
        ],
        Body::from_stream(ReceiverStream::new(receiver)),
    )
        .into_response()
}

/// One request's line: the traces still kept, and its log records (all of
/// them when nothing is filtered, else those of the traces kept).
fn export_line(
    body: &[u8],
    signal: Signal,
    mut traces: Vec<[u8; 16]>,
    filter: &ExportFilter,
) -> Option<Vec<u8>> {
    let set = load_bodies([body])?;
    let logs = if signal == Signal::Logs && filter.is_everything() {
        traces.extend(
            set.logs
                .iter()
                .filter(|l| !l.trace_id.is_zero())
                .map(|l| l.trace_id.0),
        );
        Logs::OfTheTracesAndUncorrelated
    } else {
        Logs::OfTheTraces
    };
    if traces.is_empty() && logs == Logs::OfTheTraces {
        return None;
    }
    let document = traces_document(&set, &traces, logs);
    if document.as_object().is_none_or(serde_json::Map::is_empty) {
        return None;
    }
    let mut line = serde_json::to_vec(&document).ok()?;
    line.push(b'\n');
    Some(line)
}

fn export_filter(params: &HashMap<String, String>) -> Result<ExportFilter, String> {
    let mut filter = ExportFilter {
        service: params.get("service").filter(|s| !s.is_empty()).cloned(),
        ..ExportFilter::default()
    };
    if let Some(since) = params.get("since") {
        let age = duration::parse(since)?;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(duration::nanos)
            .unwrap_or(0);
        filter.start_min = Some(now.saturating_sub(duration::nanos(age)));
    }
    for (key, slot) in [
        ("start", &mut filter.start_min),
        ("end", &mut filter.start_max),
    ] {
        if let Some(value) = params.get(key) {
            *slot = Some(value.parse::<u64>().map_err(|_| {
                format!("{key} is nanoseconds since 1970, e.g. 1733392800000000000")
            })?);
        }
    }
    Ok(filter)
}
