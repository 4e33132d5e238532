//! What every request handler shares.

use std::path::PathBuf;
use std::sync::atomic::AtomicU64;

use crate::store::Store;

/// Sizes past which a request is refused with 413.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// A request body as sent (compressed or not).
    pub max_body: usize,
    /// A body once inflated: a gzip bomb stops here.
    pub max_decompressed: u64,
}

pub struct App {
    pub store: Store,
    pub limits: Limits,
    /// `--token`: the receivers and the read API want `Authorization: Bearer <token>`.
    pub token: Option<String>,
    /// The viewer's files (`dist/`), served at `/`.
    pub ui: Option<PathBuf>,
    /// `/v1/metrics` requests received (not stored).
    pub metrics_requests: AtomicU64,
    /// `--proxy NAME=URL`: backends the viewer may reach through the collector.
    pub proxies: Vec<crate::proxy::Proxy>,
    /// Turns true when the collector is stopping: open event streams end, so
    /// that the graceful stop does not wait for them.
    pub stopping: tokio::sync::watch::Receiver<bool>,
}

impl App {
    /// Whether an `Authorization` header value lets the request in.
    pub fn token_matches(&self, authorization: Option<&str>) -> bool {
        let Some(token) = &self.token else {
            return true;
        };
        let given = authorization
            .and_then(|value| value.strip_prefix("Bearer "))
            .unwrap_or("");
        constant_time_eq(given.as_bytes(), token.as_bytes())
    }
}

/// Compares without stopping at the first difference, so the time taken
/// does not tell how much of a guess was right.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
