//! Searching and opening traces where teams keep them: Jaeger (its query
//! API v3, which `spanloupe-collect` also answers, and its v1 API) and
//! Grafana Tempo. What to ask each ([`request`]), how to read what it
//! answers ([`response`]), what its failures mean to the user
//! ([`failure`]), and the link that reopens a search ([`link`]). The page
//! sends the requests; nothing here knows the browser.

pub mod failure;
pub mod link;
pub mod query;
pub mod recent;
pub mod request;
pub mod response;

pub use failure::Failure;
pub use link::ConnectLink;
pub use query::{SearchQuery, TimeRange};
pub use request::Request;

/// A backend's query API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Api {
    /// Jaeger's query API v3 (`/api/v3/…`): OTLP JSON in `{"result": …}`.
    JaegerV3,
    /// Jaeger's query API v1 (`/api/services`, `/api/traces`): Jaeger JSON.
    JaegerV1,
    /// Grafana Tempo (`/api/search`, `/api/v2/traces/{id}`).
    Tempo,
}

impl Api {
    /// The order in which a base URL is probed when the user did not pick.
    pub const ALL: [Api; 3] = [Api::JaegerV3, Api::JaegerV1, Api::Tempo];

    /// Its name in links (`&api=`).
    pub fn name(self) -> &'static str {
        match self {
            Api::JaegerV3 => "jaeger-v3",
            Api::JaegerV1 => "jaeger-v1",
            Api::Tempo => "tempo",
        }
    }

    pub fn from_name(name: &str) -> Option<Api> {
        Api::ALL.into_iter().find(|api| api.name() == name)
    }

    /// Its name for people.
    pub fn label(self) -> &'static str {
        match self {
            Api::JaegerV3 => "Jaeger query API v3",
            Api::JaegerV1 => "Jaeger query API v1",
            Api::Tempo => "Grafana Tempo",
        }
    }
}

/// A backend: its base URL (with any path prefix, such as a reverse
/// proxy's `/jaeger`) and its API.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Backend {
    base: String,
    pub api: Api,
}

impl Backend {
    /// The base URL as the user typed it, without the slashes that end it.
    pub fn new(base: &str, api: Api) -> Backend {
        Backend {
            base: base.trim().trim_end_matches('/').to_owned(),
            api,
        }
    }

    pub fn base(&self) -> &str {
        &self.base
    }
}

/// The headers to send to `base`. Through a Spanloupe collector's
/// `--proxy` (`…/proxy/NAME`), `Authorization` would be taken for the
/// collector's own token: the backend's travels as
/// `X-Backend-Authorization`, which the proxy passes on as `Authorization`.
pub fn headers_for(base: &str, headers: Vec<(String, String)>) -> Vec<(String, String)> {
    if !base.contains("/proxy/") {
        return headers;
    }
    headers
        .into_iter()
        .map(|(name, value)| {
            if name.eq_ignore_ascii_case("authorization") {
                ("X-Backend-Authorization".to_owned(), value)
            } else {
                (name, value)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apis_by_name() {
        for api in Api::ALL {
            assert_eq!(Api::from_name(api.name()), Some(api));
        }
        assert_eq!(Api::from_name("zipkin"), None);
    }

    #[test]
    fn credentials_through_a_collectors_proxy_are_the_backends() {
        let headers = vec![
            ("Authorization".to_owned(), "Bearer t".to_owned()),
            ("X-Scope-OrgID".to_owned(), "team-a".to_owned()),
        ];
        assert_eq!(headers_for("http://tempo:3200", headers.clone()), headers);
        assert_eq!(
            headers_for("http://127.0.0.1:4318/proxy/tempo", headers),
            [
                ("X-Backend-Authorization".to_owned(), "Bearer t".to_owned()),
                ("X-Scope-OrgID".to_owned(), "team-a".to_owned()),
            ]
        );
    }

    #[test]
    fn a_base_url_loses_its_final_slashes() {
        let backend = Backend::new(" http://127.0.0.1:16686/jaeger// ", Api::JaegerV3);
        assert_eq!(backend.base(), "http://127.0.0.1:16686/jaeger");
    }
}
