//! What to ask each API: the URL of every call, and the type of body wanted.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::{Api, Backend, SearchQuery};
use crate::format::rfc3339;

/// One GET to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    pub url: String,
    /// The `Accept` header.
    pub accept: &'static str,
}

const JSON: &str = "application/json";
/// Tempo answers a trace as protobuf when asked: smaller, and read as the
/// collector's requests are.
const PROTOBUF: &str = "application/protobuf";

/// What a query parameter or a path segment may hold unescaped (RFC 3986's
/// unreserved characters).
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

pub(super) fn encode(text: &str) -> String {
    utf8_percent_encode(text, COMPONENT).to_string()
}

/// A query string of the parameters that have a value.
fn query(params: &[(&str, String)]) -> String {
    let parts: Vec<String> = params
        .iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(name, value)| format!("{}={}", encode(name), encode(value)))
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

/// A duration as Go's `time.ParseDuration` reads it (Jaeger), and Tempo.
fn go_duration(nanos: Option<u64>) -> String {
    nanos.map(|n| format!("{n}ns")).unwrap_or_default()
}

/// Attribute filters as a JSON object (Jaeger's `query.attributes`, v1's
/// `tags`); empty when there are none.
fn attributes_json(attributes: &[(String, String)]) -> String {
    if attributes.is_empty() {
        return String::new();
    }
    let map: serde_json::Map<String, serde_json::Value> = attributes
        .iter()
        .map(|(key, value)| (key.clone(), serde_json::Value::String(value.clone())))
        .collect();
    serde_json::Value::Object(map).to_string()
}

/// A TraceQL string literal.
fn traceql_string(text: &str) -> String {
    serde_json::Value::String(text.to_owned()).to_string()
}

impl Backend {
    fn get(&self, path_and_query: &str, accept: &'static str) -> Request {
        Request {
            url: format!("{}{path_and_query}", self.base()),
            accept,
        }
    }

    /// The call that tells whether this API answers at the base URL.
    pub fn probe(&self) -> Request {
        match self.api {
            Api::JaegerV3 | Api::JaegerV1 => self.services(),
            Api::Tempo => self.get("/api/echo", "text/plain"),
        }
    }

    /// The names of the services.
    pub fn services(&self) -> Request {
        match self.api {
            Api::JaegerV3 => self.get("/api/v3/services", JSON),
            Api::JaegerV1 => self.get("/api/services", JSON),
            Api::Tempo => self.get("/api/v2/search/tag/resource.service.name/values", JSON),
        }
    }

    /// The span names of a service.
    pub fn operations(&self, service: &str) -> Request {
        match self.api {
            Api::JaegerV3 => self.get(
                &format!(
                    "/api/v3/operations{}",
                    query(&[("service", service.to_owned())])
                ),
                JSON,
            ),
            Api::JaegerV1 => self.get(
                &format!("/api/services/{}/operations", encode(service)),
                JSON,
            ),
            Api::Tempo => {
                let scope = format!("{{resource.service.name={}}}", traceql_string(service));
                self.get(
                    &format!("/api/v2/search/tag/name/values{}", query(&[("q", scope)])),
                    JSON,
                )
            }
        }
    }

    /// The attribute names Tempo can filter on (the others have none to
    /// offer).
    pub fn tag_names(&self) -> Option<Request> {
        (self.api == Api::Tempo).then(|| self.get("/api/v2/search/tags", JSON))
    }

    /// The values Tempo knows for an attribute, such as `span.http.route`.
    pub fn tag_values(&self, tag: &str) -> Option<Request> {
        (self.api == Api::Tempo)
            .then(|| self.get(&format!("/api/v2/search/tag/{}/values", encode(tag)), JSON))
    }

    /// A search for traces that started in the query's range, `now` being
    /// the current time. Jaeger's v1 API searches a service only: without
    /// one, the reason to give the user.
    pub fn search(&self, search: &SearchQuery, now_unix_nanos: u64) -> Result<Request, String> {
        let (start, end) = search.range.resolve(now_unix_nanos);
        let limit = search.limit.max(1).to_string();
        let path = match self.api {
            Api::JaegerV3 => format!(
                "/api/v3/traces{}",
                query(&[
                    ("query.service_name", search.service.clone()),
                    ("query.operation_name", search.operation.clone()),
                    ("query.attributes", attributes_json(&search.attributes)),
                    ("query.start_time_min", rfc3339(start)),
                    ("query.start_time_max", rfc3339(end)),
                    ("query.duration_min", go_duration(search.min_duration_nanos)),
                    ("query.duration_max", go_duration(search.max_duration_nanos)),
                    // Jaeger's later name for `num_traces`; each version
                    // ignores the other's.
                    ("query.search_depth", limit.clone()),
                    ("query.num_traces", limit),
                ])
            ),
            Api::JaegerV1 => {
                if search.service.is_empty() {
                    return Err(
                        "Jaeger's v1 API searches one service at a time: choose a service"
                            .to_owned(),
                    );
                }
                format!(
                    "/api/traces{}",
                    query(&[
                        ("service", search.service.clone()),
                        ("operation", search.operation.clone()),
                        ("tags", attributes_json(&search.attributes)),
                        ("start", (start / 1000).to_string()),
                        ("end", (end / 1000).to_string()),
                        ("minDuration", go_duration(search.min_duration_nanos)),
                        ("maxDuration", go_duration(search.max_duration_nanos)),
                        ("limit", limit),
                    ])
                )
            }
            Api::Tempo => format!(
                "/api/search{}",
                query(&[
                    ("q", tempo_traceql(search)),
                    ("start", (start / 1_000_000_000).to_string()),
                    ("end", end.div_ceil(1_000_000_000).to_string()),
                    ("minDuration", go_duration(search.min_duration_nanos)),
                    ("maxDuration", go_duration(search.max_duration_nanos)),
                    ("limit", limit),
                    // Spans shown for each trace found.
                    ("spss", "3".to_owned()),
                ])
            ),
        };
        Ok(self.get(&path, JSON))
    }

    /// The calls that fetch one trace, to try in order: Tempo's v2 path
    /// first (as protobuf), then its first one.
    pub fn trace(&self, trace_id: &str) -> Vec<Request> {
        let id = encode(trace_id.trim());
        match self.api {
            Api::JaegerV3 => vec![self.get(&format!("/api/v3/traces/{id}"), JSON)],
            Api::JaegerV1 => vec![self.get(&format!("/api/traces/{id}"), JSON)],
            Api::Tempo => vec![
                self.get(&format!("/api/v2/traces/{id}"), PROTOBUF),
                self.get(&format!("/api/traces/{id}"), JSON),
            ],
        }
    }
}

/// The TraceQL of a search: the user's own, or one made of the service,
/// operation and attribute filters (`{}`: every trace).
fn tempo_traceql(search: &SearchQuery) -> String {
    let own = search.traceql.trim();
    if !own.is_empty() {
        return own.to_owned();
    }
    let mut conditions = Vec::new();
    if !search.service.is_empty() {
        conditions.push(format!(
            "resource.service.name={}",
            traceql_string(&search.service)
        ));
    }
    if !search.operation.is_empty() {
        conditions.push(format!("name={}", traceql_string(&search.operation)));
    }
    for (key, value) in &search.attributes {
        // An attribute of the span or of its resource, as Tempo's `.key`.
        let key = if key.starts_with("span.") || key.starts_with("resource.") {
            key.clone()
        } else {
            format!(".{key}")
        };
        conditions.push(format!("{key}={}", traceql_string(value)));
    }
    format!("{{{}}}", conditions.join(" && "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connect::TimeRange;

    const NOW: u64 = 1_765_000_000_123_456_789; // 2025-12-06T05:46:40.123456789Z

    fn search() -> SearchQuery {
        SearchQuery {
            service: "shop api".to_owned(),
            operation: "GET /cart".to_owned(),
            attributes: vec![("http.status_code".to_owned(), "500".to_owned())],
            range: TimeRange::Last(3_600_000_000_000),
            min_duration_nanos: Some(150_000_000),
            limit: 7,
            ..SearchQuery::default()
        }
    }

    #[test]
    fn jaeger_v3_calls() {
        let backend = Backend::new("http://127.0.0.1:16686/jaeger/", Api::JaegerV3);
        assert_eq!(
            backend.services().url,
            "http://127.0.0.1:16686/jaeger/api/v3/services"
        );
        assert_eq!(
            backend.operations("shop api").url,
            "http://127.0.0.1:16686/jaeger/api/v3/operations?service=shop%20api"
        );
        assert_eq!(
            backend.search(&search(), NOW).unwrap().url,
            "http://127.0.0.1:16686/jaeger/api/v3/traces?query.service_name=shop%20api\
             &query.operation_name=GET%20%2Fcart\
             &query.attributes=%7B%22http.status_code%22%3A%22500%22%7D\
             &query.start_time_min=2025-12-06T04%3A46%3A40.123456789Z\
             &query.start_time_max=2025-12-06T05%3A46%3A40.123456789Z\
             &query.duration_min=150000000ns&query.search_depth=7&query.num_traces=7"
        );
        assert_eq!(
            backend.trace("0af7651916cd43dd8448eb211c80319c"),
            [Request {
                url: "http://127.0.0.1:16686/jaeger/api/v3/traces/0af7651916cd43dd8448eb211c80319c"
                    .to_owned(),
                accept: JSON
            }]
        );
    }

    #[test]
    fn jaeger_v1_calls() {
        let backend = Backend::new("http://jaeger:16686", Api::JaegerV1);
        assert_eq!(backend.services().url, "http://jaeger:16686/api/services");
        assert_eq!(
            backend.operations("shop/api").url,
            "http://jaeger:16686/api/services/shop%2Fapi/operations"
        );
        assert_eq!(
            backend.search(&search(), NOW).unwrap().url,
            "http://jaeger:16686/api/traces?service=shop%20api&operation=GET%20%2Fcart\
             &tags=%7B%22http.status_code%22%3A%22500%22%7D\
             &start=1764996400123456&end=1765000000123456&minDuration=150000000ns&limit=7"
        );
        let anywhere = SearchQuery::default();
        let refused = backend.search(&anywhere, NOW).unwrap_err();
        assert!(refused.contains("choose a service"), "{refused}");
        assert_eq!(
            backend.trace(" abc ")[0].url,
            "http://jaeger:16686/api/traces/abc"
        );
    }

    #[test]
    fn tempo_calls() {
        let backend = Backend::new("https://tempo.example/", Api::Tempo);
        assert_eq!(backend.probe().url, "https://tempo.example/api/echo");
        assert_eq!(
            backend.services().url,
            "https://tempo.example/api/v2/search/tag/resource.service.name/values"
        );
        assert_eq!(
            backend.operations("shop").url,
            "https://tempo.example/api/v2/search/tag/name/values?q=%7Bresource.service.name%3D%22shop%22%7D"
        );
        assert_eq!(
            backend.tag_values("span.http.route").unwrap().url,
            "https://tempo.example/api/v2/search/tag/span.http.route/values"
        );
        // The filters as TraceQL; start and end in whole seconds around
        // the range.
        assert_eq!(
            backend.search(&search(), NOW).unwrap().url,
            "https://tempo.example/api/search?q=%7Bresource.service.name%3D%22shop%20api%22\
             %20%26%26%20name%3D%22GET%20%2Fcart%22%20%26%26%20.http.status_code%3D%22500%22%7D\
             &start=1764996400&end=1765000001&minDuration=150000000ns&limit=7&spss=3"
        );
        let own = SearchQuery {
            traceql: r#"{ span.gen_ai.request.model = "gpt-4o" }"#.to_owned(),
            ..SearchQuery::default()
        };
        let url = backend.search(&own, NOW).unwrap().url;
        assert!(
            url.contains("q=%7B%20span.gen_ai.request.model%20%3D%20%22gpt-4o%22%20%7D&"),
            "{url}"
        );
        let everything = backend.search(&SearchQuery::default(), NOW).unwrap().url;
        assert!(everything.contains("?q=%7B%7D&"), "{everything}");
        let tries = backend.trace("0af7651916cd43dd8448eb211c80319c");
        assert_eq!(tries.len(), 2);
        assert_eq!(tries[0].accept, PROTOBUF);
        assert!(
            tries[0]
                .url
                .ends_with("/api/v2/traces/0af7651916cd43dd8448eb211c80319c")
        );
        assert!(
            tries[1]
                .url
                .ends_with("/api/traces/0af7651916cd43dd8448eb211c80319c")
        );
        assert!(
            Backend::new("http://j", Api::JaegerV3)
                .tag_names()
                .is_none()
        );
    }
}
