//! The link that is the view: `?connect=<base URL>&api=jaeger-v3` and the
//! search (`&service=…&operation=…&q=…&since=1h`), so a link in a chat or
//! a runbook reruns the same search on the same backend. Secrets never go
//! in it.

use super::request::encode;
use super::{Api, Backend, SearchQuery, TimeRange};
use crate::format::rfc3339;
use crate::ingest::time::{duration_nanos, rfc3339_nanos};

/// A backend and a search, as a link carries them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectLink {
    /// The base URL as given.
    pub base: String,
    /// `None`: probe the APIs in turn.
    pub api: Option<Api>,
    pub search: SearchQuery,
}

impl ConnectLink {
    /// Reads a page's query string (`?…`, as `location.search` has it);
    /// `None` when it has no `connect=`, an error a user can act on when a
    /// parameter is wrong.
    pub fn from_query(query: &str) -> Option<Result<ConnectLink, String>> {
        let params = crate::query_string::pairs(query);
        let base = params
            .iter()
            .find(|(name, _)| name == "connect")
            .map(|(_, value)| value.trim().to_owned())?;
        Some(Self::from_params(base, &params))
    }

    fn from_params(base: String, params: &[(String, String)]) -> Result<ConnectLink, String> {
        if !(base.starts_with("http://") || base.starts_with("https://") || base.starts_with('/')) {
            return Err(format!(
                "connect= must be an http(s) URL or a path of this site, found {}",
                crate::format::quoted(&base)
            ));
        }
        let mut link = ConnectLink {
            base,
            api: None,
            search: SearchQuery::default(),
        };
        for (name, value) in params {
            let search = &mut link.search;
            match name.as_str() {
                "api" => {
                    link.api = Some(Api::from_name(value).ok_or_else(|| {
                        format!(
                            "api= must be jaeger-v3, jaeger-v1 or tempo, found {}",
                            crate::format::quoted(value)
                        )
                    })?);
                }
                "service" => search.service.clone_from(value),
                "operation" => search.operation.clone_from(value),
                "q" => search.traceql.clone_from(value),
                "attr" => {
                    let (key, value) = value.split_once('=').ok_or_else(|| {
                        format!(
                            "attr= must be key=value, found {}",
                            crate::format::quoted(value)
                        )
                    })?;
                    search
                        .attributes
                        .push((key.trim().to_owned(), value.trim().to_owned()));
                }
                "since" => {
                    search.range = TimeRange::since(value).ok_or_else(|| {
                        format!(
                            "since= must be a duration such as 15m, 1h or 7d, found {}",
                            crate::format::quoted(value)
                        )
                    })?;
                }
                "start" | "end" => {
                    let nanos = rfc3339_nanos(value).ok_or_else(|| {
                        format!(
                            "{name}= must be an RFC 3339 time such as 2026-12-05T10:00:00Z, found {}",
                            crate::format::quoted(value)
                        )
                    })?;
                    let (start, end) = match search.range {
                        TimeRange::Between { start, end } => (start, end),
                        TimeRange::Last(_) => (0, 0),
                    };
                    search.range = if name == "start" {
                        TimeRange::Between { start: nanos, end }
                    } else {
                        TimeRange::Between { start, end: nanos }
                    };
                }
                "minDuration" | "maxDuration" => {
                    let nanos = duration_nanos(value).ok_or_else(|| {
                        format!(
                            "{name}= must be a duration such as 150ms, found {}",
                            crate::format::quoted(value)
                        )
                    })?;
                    if name == "minDuration" {
                        search.min_duration_nanos = Some(nanos);
                    } else {
                        search.max_duration_nanos = Some(nanos);
                    }
                }
                "limit" => {
                    search.limit = value.parse().ok().filter(|&n| n > 0).ok_or_else(|| {
                        format!(
                            "limit= must be a positive number, found {}",
                            crate::format::quoted(value)
                        )
                    })?;
                }
                _ => {}
            }
        }
        Ok(link)
    }

    /// The backend to talk to, once its API is known.
    pub fn backend(&self, api: Api) -> Backend {
        Backend::new(&self.base, api)
    }

    /// The query string that reopens this search (`connect=…&api=…`): the
    /// search's fields that differ from a default search's, and the range
    /// when it is relative to now.
    pub fn to_query(&self) -> String {
        let defaults = SearchQuery::default();
        let search = &self.search;
        let mut params = vec![("connect", self.base.clone())];
        if let Some(api) = self.api {
            params.push(("api", api.name().to_owned()));
        }
        params.push(("service", search.service.clone()));
        params.push(("operation", search.operation.clone()));
        params.push(("q", search.traceql.clone()));
        for (key, value) in &search.attributes {
            params.push(("attr", format!("{key}={value}")));
        }
        match search.range {
            TimeRange::Between { start, end } => {
                params.push(("start", rfc3339(start)));
                params.push(("end", rfc3339(end)));
            }
            range if range != defaults.range => {
                if let Some(since) = range.since_text() {
                    params.push(("since", since));
                }
            }
            TimeRange::Last(_) => {}
        }
        if let Some(nanos) = search.min_duration_nanos {
            params.push(("minDuration", format!("{nanos}ns")));
        }
        if let Some(nanos) = search.max_duration_nanos {
            params.push(("maxDuration", format!("{nanos}ns")));
        }
        if search.limit != defaults.limit {
            params.push(("limit", search.limit.to_string()));
        }
        let parts: Vec<String> = params
            .into_iter()
            .filter(|(_, value)| !value.is_empty())
            .map(|(name, value)| format!("{name}={}", encode(&value)))
            .collect();
        format!("?{}", parts.join("&"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_reopens_its_search() {
        let link = ConnectLink::from_query(
            "?connect=http%3A%2F%2F127.0.0.1%3A16686%2Fjaeger&api=jaeger-v3&service=shop+api\
             &operation=GET%20%2Fcart&since=15m&attr=http.status_code%3D500&minDuration=150ms&limit=5",
        )
        .expect("a connect link")
        .expect("valid");
        assert_eq!(link.base, "http://127.0.0.1:16686/jaeger");
        assert_eq!(link.api, Some(Api::JaegerV3));
        assert_eq!(link.search.service, "shop api");
        assert_eq!(link.search.operation, "GET /cart");
        assert_eq!(link.search.range, TimeRange::Last(15 * 60_000_000_000));
        assert_eq!(
            link.search.attributes,
            [("http.status_code".to_owned(), "500".to_owned())]
        );
        assert_eq!(link.search.min_duration_nanos, Some(150_000_000));
        assert_eq!(link.search.limit, 5);
        // Written back, it reads as the same link.
        let again = ConnectLink::from_query(&link.to_query()).unwrap().unwrap();
        assert_eq!(again, link);
        assert_eq!(
            link.to_query(),
            "?connect=http%3A%2F%2F127.0.0.1%3A16686%2Fjaeger&api=jaeger-v3&service=shop%20api\
             &operation=GET%20%2Fcart&attr=http.status_code%3D500&since=15m\
             &minDuration=150000000ns&limit=5"
        );
    }

    #[test]
    fn a_fixed_range_is_written_as_start_and_end() {
        let link = ConnectLink::from_query(
            "?connect=http://j&start=2026-12-05T10:00:00Z&end=2026-12-05T11:30:00.5Z",
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            link.search.range,
            TimeRange::Between {
                start: 1_796_464_800_000_000_000,
                end: 1_796_470_200_500_000_000
            }
        );
        assert_eq!(
            link.to_query(),
            "?connect=http%3A%2F%2Fj&start=2026-12-05T10%3A00%3A00.000000000Z&end=2026-12-05T11%3A30%3A00.500000000Z"
        );
        assert_eq!(
            ConnectLink::from_query(&link.to_query()).unwrap().unwrap(),
            link
        );
        let wrong = ConnectLink::from_query("?connect=http://j&start=yesterday")
            .unwrap()
            .unwrap_err();
        assert!(
            wrong.starts_with("start= must be an RFC 3339 time"),
            "{wrong}"
        );
    }

    #[test]
    fn a_tempo_link_with_traceql_and_no_api() {
        let link = ConnectLink::from_query(
            "connect=https://tempo.example&q=%7Bspan.gen_ai.request.model%3D%22gpt-4o%22%7D",
        )
        .unwrap()
        .unwrap();
        assert_eq!(link.api, None, "probed");
        assert_eq!(
            link.search.traceql,
            r#"{span.gen_ai.request.model="gpt-4o"}"#
        );
        assert_eq!(link.backend(Api::Tempo).base(), "https://tempo.example");
    }

    #[test]
    fn wrong_parameters_are_named() {
        assert!(ConnectLink::from_query("?url=trace.json").is_none());
        let err = |query: &str| ConnectLink::from_query(query).unwrap().unwrap_err();
        assert_eq!(
            err("?connect=http://j&api=zipkin"),
            "api= must be jaeger-v3, jaeger-v1 or tempo, found \"zipkin\""
        );
        assert!(err("?connect=http://j&since=yesterday").starts_with("since= must be a duration"));
        assert!(err("?connect=http://j&limit=0").starts_with("limit= must be a positive number"));
        assert!(err("?connect=http://j&attr=novalue").starts_with("attr= must be key=value"));
        assert!(err("?connect=javascript:alert(1)").starts_with("connect= must be an http(s) URL"));
    }
}
