//! Reading what the APIs answer besides traces (which the readers of
//! `ingest` take as files): services, operations, Tempo's tags and its
//! search results.

use serde::Deserialize;

use super::Api;

/// Names listed by an API: services or operations, sorted, each once.
pub fn names(api: Api, body: &[u8]) -> Result<Vec<String>, String> {
    let mut names = match api {
        // `{"services": [...]}`, `{"operations": [{"name", "spanKind"}]}`
        Api::JaegerV3 => {
            #[derive(Deserialize)]
            struct V3 {
                #[serde(default)]
                services: Option<Vec<String>>,
                #[serde(default)]
                operations: Option<Vec<Named>>,
            }
            let v3: V3 = parse(body)?;
            match (v3.services, v3.operations) {
                (Some(services), _) => services,
                (None, Some(operations)) => operations.into_iter().map(|o| o.name).collect(),
                (None, None) => return Err("expected \"services\" or \"operations\"".to_owned()),
            }
        }
        // `{"data": [...], "total": N, "errors": null}`: names, or
        // operation objects from `/api/operations`.
        Api::JaegerV1 => {
            #[derive(Deserialize)]
            #[serde(untagged)]
            enum Entry {
                Name(String),
                Object(Named),
            }
            #[derive(Deserialize)]
            struct V1 {
                data: Option<Vec<Entry>>,
            }
            let v1: V1 = parse(body)?;
            v1.data
                .unwrap_or_default()
                .into_iter()
                .map(|entry| match entry {
                    Entry::Name(name) | Entry::Object(Named { name }) => name,
                })
                .collect()
        }
        // `{"tagValues": [{"type": "string", "value": ...}]}` (v2), or
        // `{"tagValues": ["..."]}` (v1).
        Api::Tempo => {
            #[derive(Deserialize)]
            #[serde(untagged)]
            enum Value {
                Text(String),
                Typed { value: String },
            }
            #[derive(Deserialize)]
            #[serde(rename_all = "camelCase")]
            struct Tempo {
                tag_values: Option<Vec<Value>>,
            }
            let tempo: Tempo = parse(body)?;
            tempo
                .tag_values
                .unwrap_or_default()
                .into_iter()
                .map(|value| match value {
                    Value::Text(value) | Value::Typed { value } => value,
                })
                .collect()
        }
    };
    names.sort();
    names.dedup();
    Ok(names)
}

#[derive(Deserialize)]
struct Named {
    name: String,
}

/// Tempo's attribute names by scope (`/api/v2/search/tags`), as TraceQL
/// writes them: `span.http.route`, `resource.k8s.pod.name`, and the
/// intrinsics (`name`, `status`) alone.
pub fn tempo_tag_names(body: &[u8]) -> Result<Vec<String>, String> {
    #[derive(Deserialize)]
    struct Scope {
        name: String,
        #[serde(default)]
        tags: Vec<String>,
    }
    #[derive(Deserialize)]
    struct Tags {
        #[serde(default)]
        scopes: Vec<Scope>,
    }
    let tags: Tags = parse(body)?;
    let mut names: Vec<String> = tags
        .scopes
        .into_iter()
        .flat_map(|scope| {
            let prefix = scope.name;
            scope.tags.into_iter().map(move |tag| {
                if prefix == "intrinsic" {
                    tag
                } else {
                    format!("{prefix}.{tag}")
                }
            })
        })
        .collect();
    names.sort();
    names.dedup();
    Ok(names)
}

/// A trace Tempo's search found: a summary, the trace itself fetched when
/// opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoundTrace {
    pub trace_id: String,
    pub root_service: String,
    pub root_name: String,
    pub start_unix_nanos: u64,
    pub duration_nanos: u64,
    /// Spans that matched the query (`spanSets[].matched`).
    pub matched_spans: u64,
}

/// Tempo's `/api/search` answer: the traces found, and whether the search
/// stopped before it had looked at everything.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TempoSearch {
    pub traces: Vec<FoundTrace>,
    /// `metrics.completedJobs` < `totalJobs`: a partial answer.
    pub partial: bool,
}

pub fn tempo_search(body: &[u8]) -> Result<TempoSearch, String> {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct SpanSet {
        #[serde(default)]
        matched: u64,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Trace {
        #[serde(rename = "traceID")]
        trace_id: String,
        #[serde(default)]
        root_service_name: Option<String>,
        #[serde(default)]
        root_trace_name: Option<String>,
        #[serde(default, deserialize_with = "lenient_u64")]
        start_time_unix_nano: u64,
        #[serde(default)]
        duration_ms: Option<u64>,
        /// Tempo before 2.2 had one span set.
        #[serde(default)]
        span_set: Option<SpanSet>,
        #[serde(default)]
        span_sets: Vec<SpanSet>,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Metrics {
        #[serde(default, deserialize_with = "lenient_u64")]
        completed_jobs: u64,
        #[serde(default, deserialize_with = "lenient_u64")]
        total_jobs: u64,
    }
    #[derive(Deserialize)]
    struct Search {
        #[serde(default)]
        traces: Vec<Trace>,
        #[serde(default)]
        metrics: Option<Metrics>,
    }
    let search: Search = parse(body)?;
    let traces = search
        .traces
        .into_iter()
        .map(|trace| FoundTrace {
            // Tempo drops leading zeros of trace ids.
            trace_id: format!("{:0>32}", trace.trace_id),
            root_service: trace
                .root_service_name
                .unwrap_or_else(|| "<root span not yet received>".to_owned()),
            root_name: trace.root_trace_name.unwrap_or_default(),
            start_unix_nanos: trace.start_time_unix_nano,
            duration_nanos: trace.duration_ms.unwrap_or(0).saturating_mul(1_000_000),
            matched_spans: trace
                .span_sets
                .iter()
                .chain(trace.span_set.as_ref())
                .map(|set| set.matched)
                .sum(),
        })
        .collect();
    let partial = search
        .metrics
        .is_some_and(|m| m.total_jobs > 0 && m.completed_jobs < m.total_jobs);
    Ok(TempoSearch { traces, partial })
}

/// A number Tempo writes as a string (64-bit values in proto JSON) or not.
fn lenient_u64<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Number {
        Text(String),
        Number(u64),
    }
    match Number::deserialize(deserializer)? {
        Number::Number(n) => Ok(n),
        Number::Text(text) => text.parse().map_err(serde::de::Error::custom),
    }
}

fn parse<'a, T: Deserialize<'a>>(body: &'a [u8]) -> Result<T, String> {
    serde_json::from_slice(body).map_err(|err| {
        format!(
            "an unexpected answer (line {}, column {}: {err})",
            err.line(),
            err.column()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_and_operation_names_of_each_api() {
        let v3 = br#"{"services":["shop","auth","shop"]}"#;
        assert_eq!(names(Api::JaegerV3, v3).unwrap(), ["auth", "shop"]);
        let ops = br#"{"operations":[{"name":"GET /cart","spanKind":"server"},{"name":"SELECT","spanKind":"client"}]}"#;
        assert_eq!(names(Api::JaegerV3, ops).unwrap(), ["GET /cart", "SELECT"]);
        let v1 = br#"{"data":["shop","auth"],"total":2,"limit":0,"offset":0,"errors":null}"#;
        assert_eq!(names(Api::JaegerV1, v1).unwrap(), ["auth", "shop"]);
        let v1_ops = br#"{"data":[{"name":"GET","spanKind":"server"}],"total":1}"#;
        assert_eq!(names(Api::JaegerV1, v1_ops).unwrap(), ["GET"]);
        let empty = br#"{"data":null,"total":0}"#;
        assert!(names(Api::JaegerV1, empty).unwrap().is_empty());
        let tempo_v2 = br#"{"tagValues":[{"type":"string","value":"shop"},{"type":"string","value":"auth"}],"metrics":{"inspectedBytes":"208"}}"#;
        assert_eq!(names(Api::Tempo, tempo_v2).unwrap(), ["auth", "shop"]);
        let tempo_v1 = br#"{"tagValues":["shop"]}"#;
        assert_eq!(names(Api::Tempo, tempo_v1).unwrap(), ["shop"]);
        let html = b"<html>Jaeger UI</html>";
        let err = names(Api::JaegerV3, html).unwrap_err();
        assert!(
            err.starts_with("an unexpected answer (line 1, column 1"),
            "{err}"
        );
        assert!(names(Api::JaegerV3, b"{}").is_err());
    }

    #[test]
    fn tempo_tag_names_by_scope() {
        let body = br#"{"scopes":[{"name":"span","tags":["http.route","gen_ai.request.model"]},{"name":"resource","tags":["service.name"]},{"name":"intrinsic","tags":["duration","name","status"]}]}"#;
        assert_eq!(
            tempo_tag_names(body).unwrap(),
            [
                "duration",
                "name",
                "resource.service.name",
                "span.gen_ai.request.model",
                "span.http.route",
                "status"
            ]
        );
    }

    #[test]
    fn tempo_search_results() {
        let body = br#"{
          "traces": [
            {"traceID": "2f3e0cee77ae5dc9c17ade3689eb2e54", "rootServiceName": "shop-backend",
             "rootTraceName": "update-billing", "startTimeUnixNano": "1684778327699392724",
             "durationMs": 557,
             "spanSets": [{"spans": [{"spanID": "563d623c76514f8e", "startTimeUnixNano": "1684778327735077898",
               "durationNanos": "446979497", "attributes": [{"key": "status", "value": {"stringValue": "error"}}]}],
               "matched": 1}]},
            {"traceID": "7a1d2dd4deaf177e0acf55b3c49032", "startTimeUnixNano": "1678972751297796608",
             "spanSet": {"spans": [], "matched": 3}}
          ],
          "metrics": {"inspectedBytes": "1032", "completedJobs": 1, "totalJobs": 2}
        }"#;
        let search = tempo_search(body).unwrap();
        assert!(search.partial);
        assert_eq!(
            search.traces[0],
            FoundTrace {
                trace_id: "2f3e0cee77ae5dc9c17ade3689eb2e54".to_owned(),
                root_service: "shop-backend".to_owned(),
                root_name: "update-billing".to_owned(),
                start_unix_nanos: 1_684_778_327_699_392_724,
                duration_nanos: 557_000_000,
                matched_spans: 1,
            }
        );
        let second = &search.traces[1];
        assert_eq!(second.trace_id, "007a1d2dd4deaf177e0acf55b3c49032");
        assert_eq!(second.root_service, "<root span not yet received>");
        assert_eq!(second.matched_spans, 3);
        let complete =
            tempo_search(br#"{"traces":[],"metrics":{"completedJobs":2,"totalJobs":2}}"#).unwrap();
        assert!(!complete.partial && complete.traces.is_empty());
    }
}
