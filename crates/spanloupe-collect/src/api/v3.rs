//! The Jaeger query API v3 over HTTP/JSON, as Jaeger serves it, so that the
//! viewer's Jaeger client talks to this collector and to a real Jaeger alike:
//! `GET /api/v3/services`, `/api/v3/operations`, `/api/v3/traces`,
//! `/api/v3/traces/{trace_id}`. Traces come as OTLP JSON in `{"result": …}`;
//! errors as `{"error": {"httpCode": …, "message": …}}`.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use spanloupe_core::export::otlp_data::Logs;
use spanloupe_core::model::SpanKind;

use super::documents::{load_traces, parse_trace_id, trace_has_attribute, traces_document};
use crate::app::App;
use crate::duration;
use crate::store::StoreError;
use crate::store::read::{self, FindQuery};

/// The traces a search returns when it does not say.
const DEFAULT_LIMIT: usize = 20;
/// A search with attribute filters looks at this many candidates at most.
const ATTRIBUTE_CANDIDATES: usize = 1000;

pub fn error(status: StatusCode, message: impl Into<String>) -> Response {
    let body = json!({ "error": { "httpCode": status.as_u16(), "message": message.into() } });
    (status, Json(body)).into_response()
}

fn store_error(err: StoreError) -> Response {
    error(StatusCode::SERVICE_UNAVAILABLE, err.to_string())
}

pub async fn services(State(app): State<Arc<App>>) -> Response {
    match app.store.read(read::services).await {
        Ok(services) => Json(json!({ "services": services })).into_response(),
        Err(err) => store_error(err),
    }
}

pub async fn operations(
    State(app): State<Arc<App>>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let Some(service) = params.get("service").cloned() else {
        return error(StatusCode::BAD_REQUEST, "the parameter service is required");
    };
    let kind = match params.get("span_kind").map(|k| span_kind_number(k)) {
        None => None,
        Some(Some(kind)) => Some(kind),
        Some(None) => {
            return error(
                StatusCode::BAD_REQUEST,
                "span_kind is one of unspecified, internal, server, client, producer, consumer",
            );
        }
    };
    match app
        .store
        .read(move |conn| read::operations(conn, &service, kind))
        .await
    {
        Ok(operations) => {
            let operations: Vec<_> = operations
                .into_iter()
                .map(|(name, kind)| json!({ "name": name, "spanKind": span_kind_name(kind) }))
                .collect();
            Json(json!({ "operations": operations })).into_response()
        }
        Err(err) => store_error(err),
    }
}

/// `server` or `SPAN_KIND_SERVER`, any case; `None` for no kind's name.
fn span_kind_number(name: &str) -> Option<i64> {
    let bare = name
        .get(..10)
        .filter(|prefix| prefix.eq_ignore_ascii_case("span_kind_"))
        .and_then(|_| name.get(10..))
        .unwrap_or(name);
    let kind = SpanKind::from_label(bare);
    (kind != SpanKind::Unspecified || bare.eq_ignore_ascii_case("unspecified"))
        .then_some(kind as i64)
}

fn span_kind_name(number: i64) -> &'static str {
    SpanKind::from_number(i32::try_from(number).unwrap_or(0)).label()
}

pub async fn trace(State(app): State<Arc<App>>, Path(trace_id): Path<String>) -> Response {
    let id = match parse_trace_id(&trace_id) {
        Ok(id) => id,
        Err(message) => {
            return error(
                StatusCode::BAD_REQUEST,
                format!("malformed parameter trace_id: {message}"),
            );
        }
    };
    let found = app
        .store
        .read(move |conn| {
            if !read::has_trace(conn, id)? {
                return Ok(None);
            }
            let set = load_traces(conn, &[id])?;
            Ok(set.map(|set| traces_document(&set, &[id], Logs::OfTheTraces)))
        })
        .await;
    match found {
        Ok(Some(document)) => Json(json!({ "result": document })).into_response(),
        Ok(None) => error(StatusCode::NOT_FOUND, "trace not found"),
        Err(err) => store_error(err),
    }
}

pub async fn find(
    State(app): State<Arc<App>>,
    Query(params): Query<Vec<(String, String)>>,
) -> Response {
    let (query, attributes) = match find_query(&params) {
        Ok(parsed) => parsed,
        Err(message) => return error(StatusCode::BAD_REQUEST, message),
    };
    let found = app
        .store
        .read(move |conn| {
            let limit = query.limit;
            let mut search = query.clone();
            if !attributes.is_empty() {
                search.limit = ATTRIBUTE_CANDIDATES.max(limit);
            }
            let mut ids = read::find(conn, &search)?;
            if ids.is_empty() {
                return Ok(None);
            }
            let Some(set) = load_traces(conn, &ids)? else {
                return Ok(None);
            };
            ids.retain(|&id| {
                attributes
                    .iter()
                    .all(|(key, value)| trace_has_attribute(&set, id, key, value))
            });
            ids.truncate(limit);
            if ids.is_empty() {
                return Ok(None);
            }
            Ok(Some(traces_document(&set, &ids, Logs::OfTheTraces)))
        })
        .await;
    match found {
        Ok(Some(document)) => Json(json!({ "result": document })).into_response(),
        Ok(None) => error(StatusCode::NOT_FOUND, "No traces found"),
        Err(err) => store_error(err),
    }
}

/// Jaeger's parameters: `query.service_name`, `query.operation_name`,
/// `query.start_time_min`/`max` (RFC 3339), `query.duration_min`/`max` (Go
/// durations such as `150ms`), `query.num_traces` (also `query.search_depth`),
/// and attribute filters as `query.attributes[KEY]=VALUE` or
/// `query.attributes={"KEY":"VALUE"}`.
fn find_query(params: &[(String, String)]) -> Result<(FindQuery, Vec<(String, String)>), String> {
    let mut query = FindQuery {
        limit: DEFAULT_LIMIT,
        ..FindQuery::default()
    };
    let mut attributes = Vec::new();
    for (key, value) in params {
        let malformed = |why: String| format!("malformed parameter {key}: {why}");
        match key.as_str() {
            "query.service_name" if !value.is_empty() => query.service = Some(value.clone()),
            "query.operation_name" if !value.is_empty() => query.operation = Some(value.clone()),
            "query.start_time_min" => query.start_min = Some(time(value).map_err(malformed)?),
            "query.start_time_max" => query.start_max = Some(time(value).map_err(malformed)?),
            "query.duration_min" => {
                query.duration_min =
                    Some(duration::nanos(duration::parse(value).map_err(malformed)?));
            }
            "query.duration_max" => {
                query.duration_max =
                    Some(duration::nanos(duration::parse(value).map_err(malformed)?));
            }
            "query.num_traces" | "query.search_depth" => {
                query.limit = value
                    .parse()
                    .map_err(|_| malformed(format!("{value:?} is not a number")))?;
            }
            "query.attributes" => {
                let map: HashMap<String, String> = serde_json::from_str(value).map_err(|_| {
                    malformed(
                        "expected a JSON object of strings, like {\"http.method\":\"GET\"}".into(),
                    )
                })?;
                attributes.extend(map);
            }
            other => {
                if let Some(name) = other
                    .strip_prefix("query.attributes[")
                    .and_then(|rest| rest.strip_suffix(']'))
                {
                    attributes.push((name.to_owned(), value.clone()));
                }
            }
        }
    }
    Ok((query, attributes))
}

/// RFC 3339 (`2026-12-05T10:00:00Z`, fractions allowed), or nanoseconds
/// since 1970.
fn time(text: &str) -> Result<u64, String> {
    if let Ok(nanos) = text.parse::<u64>() {
        return Ok(nanos);
    }
    let at = humantime::parse_rfc3339_weak(text.trim_end_matches('Z'))
        .map_err(|err| format!("{text:?} is not an RFC 3339 time ({err})"))?;
    at.duration_since(std::time::UNIX_EPOCH)
        .map(duration::nanos)
        .map_err(|_| format!("{text:?} is before 1970"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jaegers_parameters() {
        let params: Vec<(String, String)> = [
            ("query.service_name", "shop"),
            ("query.operation_name", "GET /cart"),
            ("query.start_time_min", "2026-12-05T10:00:00Z"),
            ("query.start_time_max", "2026-12-05T10:00:01.5Z"),
            ("query.duration_min", "150ms"),
            ("query.num_traces", "7"),
            ("query.attributes[http.method]", "GET"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let (query, attributes) = find_query(&params).expect("valid");
        assert_eq!(query.service.as_deref(), Some("shop"));
        assert_eq!(query.operation.as_deref(), Some("GET /cart"));
        let min = query.start_min.expect("min");
        assert_eq!(query.start_max, Some(min + 1_500_000_000));
        assert_eq!(min % 1_000_000_000, 0);
        assert_eq!(query.duration_min, Some(150_000_000));
        assert_eq!(query.limit, 7);
        assert_eq!(
            attributes,
            vec![("http.method".to_owned(), "GET".to_owned())]
        );
    }

    #[test]
    fn span_kinds_by_either_name() {
        assert_eq!(span_kind_number("server"), Some(2));
        assert_eq!(span_kind_number("SPAN_KIND_CLIENT"), Some(3));
        assert_eq!(span_kind_number("unspecified"), Some(0));
        assert_eq!(span_kind_number("sideways"), None);
        assert_eq!(span_kind_name(5), "consumer");
    }

    #[test]
    fn a_bad_parameter_is_named() {
        let params = vec![("query.start_time_min".to_owned(), "yesterday".to_owned())];
        let err = find_query(&params).expect_err("malformed");
        assert!(
            err.starts_with("malformed parameter query.start_time_min"),
            "{err}"
        );
    }
}
