//! The backends connected to recently, for the Connect form to offer
//! again: base URL and API only. A secret never goes in the list, not even
//! one written into the URL (`https://user:password@host`).

use serde::{Deserialize, Serialize};

use super::Api;

/// How many endpoints the list keeps.
pub const KEPT: usize = 8;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecentEndpoint {
    pub base: String,
    /// The API's link name (`jaeger-v3`, `jaeger-v1`, `tempo`).
    pub api: String,
}

/// Puts `base` first in `list` (once), with its API, and keeps the newest
/// [`KEPT`].
pub fn remember(list: &mut Vec<RecentEndpoint>, base: &str, api: Api) {
    let base = without_credentials(base.trim().trim_end_matches('/'));
    list.retain(|entry| entry.base != base);
    list.insert(
        0,
        RecentEndpoint {
            base,
            api: api.name().to_owned(),
        },
    );
    list.truncate(KEPT);
}

/// A URL without the `user:password@` some write into it.
pub fn without_credentials(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    let host = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    format!("{scheme}://{host}{path}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newest_first_once_without_secrets() {
        let mut list = Vec::new();
        remember(&mut list, "http://jaeger:16686/", Api::JaegerV3);
        remember(
            &mut list,
            "https://alice:s3cret@tempo.example/tempo",
            Api::Tempo,
        );
        remember(&mut list, "http://jaeger:16686", Api::JaegerV1);
        assert_eq!(
            list,
            [
                RecentEndpoint {
                    base: "http://jaeger:16686".to_owned(),
                    api: "jaeger-v1".to_owned()
                },
                RecentEndpoint {
                    base: "https://tempo.example/tempo".to_owned(),
                    api: "tempo".to_owned()
                },
            ]
        );
        for i in 0..20 {
            remember(&mut list, &format!("http://host-{i}"), Api::Tempo);
        }
        assert_eq!(list.len(), KEPT);
        assert_eq!(list[0].base, "http://host-19");
    }

    #[test]
    fn credentials_leave_the_url() {
        assert_eq!(
            without_credentials("https://u:p@host:3200/a@b"),
            "https://host:3200/a@b"
        );
        assert_eq!(without_credentials("http://host"), "http://host");
        assert_eq!(
            without_credentials("/api/spanloupe/proxy/tempo"),
            "/api/spanloupe/proxy/tempo"
        );
    }
}
