//! The HTTP side: OTLP receivers, the read APIs and the viewer's files on one
//! port, with the token check and CORS for pages on loopback origins.

mod documents;
mod live;
mod v3;

use std::path::Path;
use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::services::ServeDir;

use crate::app::App;
use crate::receive;

pub fn router(app: Arc<App>) -> Router {
    let guarded = Router::new()
        .route("/v1/traces", post(receive::http::traces))
        .route("/v1/logs", post(receive::http::logs))
        .route("/v1/metrics", post(receive::http::metrics))
        .route("/api/v3/services", get(v3::services))
        .route("/api/v3/operations", get(v3::operations))
        .route("/api/v3/traces", get(v3::find))
        .route("/api/v3/traces/{trace_id}", get(v3::trace))
        .route("/api/spanloupe/status", get(live::status))
        .route("/api/spanloupe/traces", get(live::list))
        .route("/api/spanloupe/events", get(live::events))
        .route("/api/spanloupe/export", get(live::export))
        .route("/api/spanloupe/clear", post(live::clear))
        .route(
            "/api/spanloupe/proxy/{name}/{*path}",
            get(crate::proxy::forward),
        )
        // The shorter name the Connect docs use.
        .route("/proxy/{name}/{*path}", get(crate::proxy::forward))
        .route_layer(middleware::from_fn_with_state(app.clone(), require_token));
    let ui = app.ui.clone();
    // The viewer's files are public: routes added after the token's layer.
    let router = guarded
        .route("/", get(viewer_page))
        .route("/index.html", get(viewer_page))
        .with_state(app);
    let router = match ui {
        Some(dir) => router.fallback_service(ServeDir::new(dir)),
        None => router.fallback(no_viewer),
    };
    // Larger bodies are refused by the receivers with a 413 they explain.
    router
        .layer(axum::extract::DefaultBodyLimit::disable())
        .layer(cors())
}

/// The viewer on another local port (`trunk serve`, a file server) may call
/// the read API and the receivers (a browser app exporting OTLP); pages of
/// other origins may not.
fn cors() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::predicate(|origin: &HeaderValue, _| {
            origin.to_str().is_ok_and(is_loopback_origin)
        }))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::CONTENT_ENCODING,
            header::ACCEPT,
            // What the proxy passes on to a backend.
            HeaderName::from_static("x-backend-authorization"),
            HeaderName::from_static("x-scope-orgid"),
        ])
}

/// `http://localhost:8080`, `http://127.0.0.1`, `http://[::1]:3000`.
pub fn is_loopback_origin(origin: &str) -> bool {
    let Some(rest) = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"))
    else {
        return false;
    };
    let host = if let Some(v6) = rest.strip_prefix('[') {
        v6.split(']').next().unwrap_or("")
    } else {
        rest.split(':').next().unwrap_or("")
    };
    host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// The token goes in `Authorization: Bearer T`, or, where a browser cannot
/// send a header (an `EventSource`, a download link), in `access_token=T`.
async fn require_token(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let header = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let query = request
        .uri()
        .query()
        .and_then(access_token)
        .map(|token| format!("Bearer {token}"));
    if app.token_matches(header.as_deref()) || query.is_some_and(|q| app.token_matches(Some(&q))) {
        next.run(request).await
    } else {
        (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            "this collector needs `Authorization: Bearer <token>` (--token)",
        )
            .into_response()
    }
}

/// The viewer's page, marked as served by a collector so that it opens on
/// the live list (a meta tag: the page's script hashes stay as built).
async fn viewer_page(State(app): State<Arc<App>>) -> Response {
    let Some(dir) = &app.ui else {
        return no_viewer().await;
    };
    match tokio::fs::read_to_string(dir.join("index.html")).await {
        Ok(page) => Html(mark_as_served_by_collector(&page)).into_response(),
        Err(_) => no_viewer().await,
    }
}

pub fn mark_as_served_by_collector(page: &str) -> String {
    const MARK: &str = "<meta name=\"spanloupe-collector\" content=\"\">";
    match page.find("<head>") {
        Some(at) => {
            let end = at + "<head>".len();
            format!("{}\n    {MARK}{}", &page[..end], &page[end..])
        }
        None => format!("{MARK}{page}"),
    }
}

/// `access_token` of a query string, percent-decoded.
fn access_token(query: &str) -> Option<String> {
    query.split('&').find_map(|pair| {
        let value = pair.strip_prefix("access_token=")?;
        Some(percent_decode(value))
    })
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        let escaped = text
            .get(i + 1..i + 3)
            .filter(|hex| byte == b'%' && hex.bytes().all(|b| b.is_ascii_hexdigit()))
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(decoded) => {
                out.push(decoded);
                i += 3;
            }
            None => {
                out.push(if byte == b'+' { b' ' } else { byte });
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

async fn no_viewer() -> Response {
    (
        StatusCode::NOT_FOUND,
        Html(
            "<!doctype html><title>spanloupe-collect</title><p>The collector is running, \
             but it has no viewer to serve: build it with <code>trunk build --release</code> \
             and start the collector with <code>--ui dist</code> (or run <code>scripts/collect.sh</code>).",
        ),
    )
        .into_response()
}

/// `--ui`, else `./dist` when it holds a built viewer.
pub fn ui_dir(given: Option<&Path>) -> Option<std::path::PathBuf> {
    match given {
        Some(dir) => Some(dir.to_path_buf()),
        None => {
            let dist = Path::new("dist");
            dist.join("index.html")
                .is_file()
                .then(|| dist.to_path_buf())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_loopback_origin;

    #[test]
    fn the_served_page_is_marked() {
        let page = "<!doctype html><html><head><title>Spanloupe</title></head></html>";
        let marked = super::mark_as_served_by_collector(page);
        assert_eq!(
            marked,
            "<!doctype html><html><head>\n    <meta name=\"spanloupe-collector\" content=\"\"><title>Spanloupe</title></head></html>"
        );
    }

    #[test]
    fn the_token_in_a_query() {
        assert_eq!(
            super::access_token("a=1&access_token=s3cr%2Bt&b=2").as_deref(),
            Some("s3cr+t")
        );
        assert_eq!(
            super::access_token("access_token=a%20b").as_deref(),
            Some("a b")
        );
        assert_eq!(super::access_token("token=x"), None);
        assert_eq!(
            super::access_token("access_token=100%"),
            Some("100%".to_owned())
        );
    }

    #[test]
    fn loopback_origins() {
        assert!(is_loopback_origin("http://localhost:8080"));
        assert!(is_loopback_origin("http://127.0.0.1"));
        assert!(is_loopback_origin("http://127.0.0.2:99"));
        assert!(is_loopback_origin("http://[::1]:3000"));
        assert!(!is_loopback_origin("http://example.com"));
        assert!(!is_loopback_origin("http://localhost.example.com"));
        assert!(!is_loopback_origin("null"));
    }
}
