//! `--proxy NAME=URL`: the viewer reaches a Jaeger or Tempo through the
//! collector at `/proxy/NAME/…` (also `/api/spanloupe/proxy/NAME/…`), for
//! backends that send no CORS headers. GET only: the read APIs are all the viewer needs.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

use crate::app::App;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proxy {
    pub name: String,
    /// The backend's base URL, without a trailing slash.
    pub base: String,
    /// Headers added to every request to it (`--proxy-header`): a
    /// backend's credentials can stay with the collector, out of the page.
    pub headers: Vec<(HeaderName, HeaderValue)>,
}

/// One `--proxy-header NAME:HEADER=VALUE`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProxyHeader {
    pub proxy: String,
    pub name: HeaderName,
    pub value: HeaderValue,
}

/// Parses `NAME:HEADER=VALUE`.
pub fn parse_header(text: &str) -> Result<ProxyHeader, String> {
    let wrong = || {
        format!(
            "--proxy-header {:?}: write it as NAME:HEADER=VALUE, e.g. tempo:X-Scope-OrgID=team-a",
            redacted(text)
        )
    };
    let (proxy, header) = text.split_once(':').ok_or_else(wrong)?;
    let (name, value) = header.split_once('=').ok_or_else(wrong)?;
    let name = HeaderName::from_bytes(name.trim().as_bytes()).map_err(|_| wrong())?;
    let value = HeaderValue::from_str(value.trim()).map_err(|_| wrong())?;
    Ok(ProxyHeader {
        proxy: proxy.trim().to_owned(),
        name,
        value,
    })
}

/// The part of a `--proxy-header` an error message may show: not its value.
fn redacted(text: &str) -> String {
    match text.split_once('=') {
        Some((head, _)) => format!("{head}=…"),
        None => text.to_owned(),
    }
}

/// Gives each proxy its configured headers; a header for no `--proxy` is
/// an error.
pub fn attach_headers(proxies: &mut [Proxy], headers: &[ProxyHeader]) -> Result<(), String> {
    for header in headers {
        let proxy = proxies
            .iter_mut()
            .find(|p| p.name == header.proxy)
            .ok_or_else(|| {
                format!(
                    "--proxy-header for {:?}: there is no --proxy {}=URL",
                    header.proxy, header.proxy
                )
            })?;
        proxy
            .headers
            .push((header.name.clone(), header.value.clone()));
    }
    Ok(())
}

/// Parses `NAME=URL`.
pub fn parse(text: &str) -> Result<Proxy, String> {
    let (name, url) = text.split_once('=').ok_or_else(|| {
        format!("--proxy {text:?}: write it as NAME=URL, e.g. jaeger=http://127.0.0.1:16686")
    })?;
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(format!(
            "--proxy {text:?}: the name must be letters, digits, '-' or '_'"
        ));
    }
    if !url.starts_with("http://") {
        return Err(format!(
            "--proxy {text:?}: only http:// backends can be proxied; connect the viewer to an https:// backend directly"
        ));
    }
    let base = url.trim_end_matches('/').to_owned();
    base.parse::<axum::http::Uri>()
        .map_err(|err| format!("--proxy {text:?}: {err}"))?;
    Ok(Proxy {
        name: name.to_owned(),
        base,
        headers: Vec::new(),
    })
}

/// The request headers passed on. The collector's own `Authorization` is
/// its token; a backend's goes in `X-Backend-Authorization`.
const PASSED: [&str; 2] = ["accept", "x-scope-orgid"];
const BACKEND_AUTHORIZATION: &str = "x-backend-authorization";

pub async fn forward(
    State(app): State<Arc<App>>,
    Path((name, path)): Path<(String, String)>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let Some(proxy) = app.proxies.iter().find(|p| p.name == name) else {
        return (
            StatusCode::NOT_FOUND,
            format!("no backend named {name:?}: start the collector with --proxy {name}=URL"),
        )
            .into_response();
    };
    let mut url = format!("{}/{}", proxy.base, path.trim_start_matches('/'));
    if let Some(query) = query {
        url.push('?');
        url.push_str(&query);
    }
    let mut request = Request::get(&url);
    for name in PASSED {
        if let Some(value) = headers.get(name) {
            request = request.header(name, value);
        }
    }
    let authorization = headers.get(BACKEND_AUTHORIZATION).or_else(|| {
        headers
            .get(header::AUTHORIZATION)
            .filter(|_| app.token.is_none())
    });
    if let Some(value) = authorization {
        request = request.header(header::AUTHORIZATION, value);
    }
    // The configured ones win over the page's.
    if let Some(sent) = request.headers_mut() {
        for (name, value) in &proxy.headers {
            sent.insert(name.clone(), value.clone());
        }
    }
    let Ok(request) = request.body(Body::empty()) else {
        return (StatusCode::BAD_REQUEST, format!("{url:?} is not a URL")).into_response();
    };
    let client: Client<HttpConnector, Body> = Client::builder(TokioExecutor::new()).build_http();
    match client.request(request).await {
        Ok(response) => {
            let (parts, body) = response.into_parts();
            let mut out = Response::new(Body::new(body));
            *out.status_mut() = parts.status;
            for name in [
                header::CONTENT_TYPE,
                header::CONTENT_ENCODING,
                HeaderName::from_static("grpc-status"),
            ] {
                if let Some(value) = parts.headers.get(&name) {
                    out.headers_mut().insert(name, value.clone());
                }
            }
            out
        }
        Err(err) => (
            StatusCode::BAD_GATEWAY,
            format!(
                "the backend {name:?} at {} did not answer: {err}",
                proxy.base
            ),
        )
            .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_urls() {
        let proxy = parse("jaeger=http://127.0.0.1:16686/").expect("valid");
        assert_eq!(proxy.name, "jaeger");
        assert_eq!(proxy.base, "http://127.0.0.1:16686");
        assert!(parse("jaeger").unwrap_err().contains("NAME=URL"));
        assert!(parse("a b=http://x").unwrap_err().contains("name"));
        assert!(
            parse("tempo=https://tempo.example")
                .unwrap_err()
                .contains("https")
        );
    }

    #[test]
    fn configured_headers() {
        let mut proxies = vec![parse("tempo=http://127.0.0.1:3200").expect("valid")];
        let org = parse_header("tempo:X-Scope-OrgID=team-a").expect("valid");
        let auth = parse_header("tempo:Authorization=Bearer s3cret").expect("valid");
        attach_headers(&mut proxies, &[org, auth]).expect("attached");
        assert_eq!(proxies[0].headers.len(), 2);
        assert_eq!(proxies[0].headers[1].1, "Bearer s3cret");
        let stray = parse_header("jaeger:X-A=1").expect("valid");
        assert!(
            attach_headers(&mut proxies, &[stray])
                .unwrap_err()
                .contains("no --proxy jaeger=URL")
        );
        let wrong = parse_header("tempo:Authorization").unwrap_err();
        assert!(wrong.contains("NAME:HEADER=VALUE"), "{wrong}");
        // The value of a malformed header is never echoed.
        let bad = parse_header("tempo:Bad Name=s3cret").unwrap_err();
        assert!(!bad.contains("s3cret"), "{bad}");
    }
}
