//! Live mode: a page served by a Spanloupe collector (it answers
//! `api/spanloupe/status`), or pointed at one with `?collector=URL`, lists
//! the collector's traces as they arrive and keeps an open trace up to date.
//! What the collector sends is read by `spanloupe_core::live`.

use leptos::prelude::*;
use leptos::task::spawn_local;
use spanloupe_core::live::{
    Arrivals, Change, CollectorStatus, LiveTrace, parse_change, parse_status, parse_trace_list,
};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;

use crate::load::{self, Purpose, UrlRequest};
use crate::state::{AppState, Dataset, LoadStatus, SourceError};

/// The live list asks for at most this many traces.
const LIST_LIMIT: usize = 1000;
/// Changes arriving within this many milliseconds are read in one go.
const SETTLE_MS: u32 = 250;
/// How long to wait before opening a stream the browser gave up on.
const RECONNECT_MS: u32 = 3_000;

/// The stream of changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Connection {
    Connecting,
    Connected,
    /// The stream broke; the browser is trying again.
    Lost,
}

#[derive(Clone, Copy)]
pub struct Live {
    /// The collector's address with a trailing `/`; empty for the page's own.
    base: StoredValue<String>,
    pub traces: RwSignal<Vec<LiveTrace>>,
    pub status: RwSignal<Option<CollectorStatus>>,
    pub connection: RwSignal<Connection>,
    pub arrivals: RwSignal<Arrivals>,
    pub services: RwSignal<Vec<String>>,
    /// The filters: one service (empty: all) and text.
    pub service: RwSignal<String>,
    pub text: RwSignal<String>,
    /// When the list was last read (Unix ms), for "updated 12:03:04".
    pub updated_ms: RwSignal<Option<f64>>,
    pub error: RwSignal<Option<String>>,
    /// The trace opened from the list (hex id), kept up to date while open.
    open: StoredValue<Option<String>>,
    /// The collector's `--token`, when it has one: sent as a header, or as
    /// `access_token=` where the browser cannot send one (the event stream,
    /// the download link).
    token: StoredValue<Option<String>>,
    /// The collector refused the page for want of a token (or the right one).
    pub needs_token: RwSignal<bool>,
    list_pending: StoredValue<bool>,
    trace_pending: StoredValue<bool>,
    /// Counts the list's reads: an answer older than the last one asked
    /// for (typing a filter asks quickly) is dropped.
    list_reads: StoredValue<u64>,
}

impl Live {
    fn new(base: String) -> Self {
        Self {
            base: StoredValue::new(base),
            traces: RwSignal::new(Vec::new()),
            status: RwSignal::new(None),
            connection: RwSignal::new(Connection::Connecting),
            arrivals: RwSignal::new(Arrivals::default()),
            services: RwSignal::new(Vec::new()),
            service: RwSignal::new(String::new()),
            text: RwSignal::new(String::new()),
            updated_ms: RwSignal::new(None),
            error: RwSignal::new(None),
            open: StoredValue::new(None),
            token: StoredValue::new(None),
            needs_token: RwSignal::new(false),
            list_pending: StoredValue::new(false),
            trace_pending: StoredValue::new(false),
            list_reads: StoredValue::new(0),
        }
    }

    /// A path of the collector's API.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base.get_value())
    }

    /// A path of the collector's API for a request that cannot carry a
    /// header: the token goes in the query.
    fn url_with_token(&self, path: &str) -> String {
        let url = self.url(path);
        match self.token.get_value() {
            Some(token) => format!("{url}?access_token={}", encode(&token)),
            None => url,
        }
    }

    fn authorization(&self) -> Option<String> {
        self.token
            .get_value()
            .map(|token| format!("Bearer {token}"))
    }

    /// Everything the collector keeps, as OTLP JSON Lines (the file opens
    /// in any Spanloupe).
    pub fn export_url(&self) -> String {
        self.url_with_token("api/spanloupe/export")
    }

    fn trace_request(&self, trace_id: &str) -> UrlRequest {
        UrlRequest {
            url: self.trace_url(trace_id),
            headers: self
                .authorization()
                .map(|auth| ("Authorization".to_owned(), auth))
                .into_iter()
                .collect(),
        }
    }

    fn trace_url(&self, trace_id: &str) -> String {
        self.url(&format!("api/v3/traces/{trace_id}"))
    }

    /// Whether `data` is a trace this collector sent (its list is then the
    /// list to go back to).
    pub fn holds(&self, data: &Dataset) -> bool {
        let prefix = self.url("api/v3/traces/");
        data.sources.iter().any(|s| s.name.starts_with(&prefix))
    }

    /// Opens a trace of the list.
    pub fn open(self, state: AppState, trace_id: &str) {
        self.arrivals.update(|a| a.acknowledge(trace_id));
        self.open.set_value(Some(trace_id.to_owned()));
        load::load_url(state, self.trace_request(trace_id), Purpose::Open);
    }

    /// Reads the list again (with the filters) and the store's status.
    pub fn refresh_list(self) {
        let mut query = format!("api/spanloupe/traces?limit={LIST_LIMIT}");
        let service = self.service.get_untracked();
        if !service.is_empty() {
            query.push_str(&format!("&service={}", encode(&service)));
        }
        let text = self.text.get_untracked();
        if !text.trim().is_empty() {
            query.push_str(&format!("&q={}", encode(text.trim())));
        }
        let list_url = self.url(&query);
        let status_url = self.url("api/spanloupe/status");
        let services_url = self.url("api/v3/services");
        let auth = self.authorization();
        let read = self.list_reads.get_value() + 1;
        self.list_reads.set_value(read);
        spawn_local(async move {
            let auth = auth.as_deref();
            let answer = get_text(&list_url, auth)
                .await
                .and_then(|text| parse_trace_list(&text));
            if read != self.list_reads.get_value() {
                return;
            }
            match answer {
                Ok(traces) => {
                    self.arrivals.update(|a| a.update(&traces));
                    self.traces.set(traces);
                    self.updated_ms.set(Some(js_sys::Date::now()));
                    self.error.set(None);
                }
                Err(message) => self.error.set(Some(message)),
            }
            if let Ok(status) = get_text(&status_url, auth).await {
                self.status.set(parse_status(&status));
            }
            if let Ok(text) = get_text(&services_url, auth).await
                && let Ok(reply) = serde_json::from_str::<ServicesReply>(&text)
            {
                self.services.set(reply.services);
            }
        });
    }

    /// Reads the list again once the changes arriving now have settled.
    fn refresh_list_soon(self) {
        if self.list_pending.get_value() {
            return;
        }
        self.list_pending.set_value(true);
        spawn_local(async move {
            gloo_timers::future::TimeoutFuture::new(SETTLE_MS).await;
            self.list_pending.set_value(false);
            self.refresh_list();
        });
    }

    /// Reads the open trace again once its changes have settled, keeping
    /// the view where it is.
    fn refresh_open_trace_soon(self, state: AppState) {
        if self.trace_pending.get_value() {
            return;
        }
        self.trace_pending.set_value(true);
        spawn_local(async move {
            gloo_timers::future::TimeoutFuture::new(SETTLE_MS).await;
            self.trace_pending.set_value(false);
            let Some(trace_id) = self.open.get_value() else {
                return;
            };
            let showing = state.trace.get_untracked().is_some()
                && state
                    .data
                    .with_untracked(|data| data.as_ref().is_some_and(|d| self.holds(d)));
            if showing {
                let scroll_top = waterfall_scroll_top();
                load::load_url(
                    state,
                    self.trace_request(&trace_id),
                    Purpose::Refresh { scroll_top },
                );
            }
        });
    }

    fn on_change(self, state: AppState, change: &Change) {
        if let Some(open) = self.open.get_value()
            && change.touches(&open)
        {
            self.refresh_open_trace_soon(state);
        }
        if *change == Change::Cleared {
            self.arrivals.update(Arrivals::clear);
        }
        self.refresh_list_soon();
    }

    /// Empties the collector's store, after the user confirmed.
    pub fn clear(self) {
        let confirmed = web_sys::window()
            .and_then(|w| {
                w.confirm_with_message(
                    "Delete every trace this collector keeps? This cannot be undone.",
                )
                .ok()
            })
            .unwrap_or(false);
        if !confirmed {
            return;
        }
        let url = self.url("api/spanloupe/clear");
        let auth = self.authorization();
        spawn_local(async move {
            let mut request = gloo_net::http::Request::post(&url);
            if let Some(auth) = &auth {
                request = request.header("Authorization", auth);
            }
            let answer = request.send().await;
            match answer {
                Ok(response) if response.ok() => self.refresh_list(),
                Ok(response) => self.error.set(Some(format!(
                    "the collector refused to clear: HTTP {}",
                    response.status()
                ))),
                Err(err) => self.error.set(Some(format!("clearing failed: {err}"))),
            }
        });
    }
}

#[derive(serde::Deserialize)]
struct ServicesReply {
    services: Vec<String>,
}

/// Connects to the collector at `base` ("" for the page's own server). When
/// none answers there, `otherwise` runs (the demo opens), or, for an address
/// the user gave, the start screen says why. A collector that wants a token
/// shows the live list asking for it.
pub fn connect(state: AppState, base: String, given: bool, otherwise: impl FnOnce() + 'static) {
    spawn_local(async move {
        let live = Live::new(base.clone());
        live.token.set_value(token_store::remembered(&base));
        let status_url = live.url("api/spanloupe/status");
        match get(&status_url, live.authorization().as_deref()).await {
            Ok((200, text)) if parse_status(&text).is_some() => {
                live.status.set(parse_status(&text));
                state.go_live(live);
                live.start(state);
            }
            Ok((401, _)) => {
                live.needs_token.set(true);
                state.go_live(live);
            }
            answer if given => state.load.set(LoadStatus::Failed {
                errors: vec![SourceError {
                    name: base.clone(),
                    message: match answer {
                        Err(message) => message,
                        Ok((200, _)) => {
                            format!("{status_url} is not a Spanloupe collector's status")
                        }
                        Ok((status, _)) => format!("{status_url} answered HTTP {status}"),
                    },
                }],
            }),
            _ => otherwise(),
        }
    });
}

impl Live {
    fn start(self, state: AppState) {
        self.refresh_list();
        listen(state, self);
    }

    /// Tries a token the user gave; `remember` keeps it for this tab
    /// (sessionStorage), else it lives in this page's memory only.
    pub fn use_token(self, state: AppState, token: String, remember: bool) {
        let base = self.base.get_value();
        self.token.set_value(Some(token.clone()));
        let status_url = self.url("api/spanloupe/status");
        let auth = self.authorization();
        spawn_local(async move {
            match get(&status_url, auth.as_deref()).await {
                Ok((200, text)) if parse_status(&text).is_some() => {
                    token_store::set(&base, remember.then_some(token.as_str()));
                    self.status.set(parse_status(&text));
                    self.needs_token.set(false);
                    self.error.set(None);
                    self.start(state);
                }
                Ok((401, _)) => {
                    self.token.set_value(None);
                    self.error
                        .set(Some("The collector refused this token.".to_owned()));
                }
                Ok((status, _)) => self
                    .error
                    .set(Some(format!("{status_url} answered HTTP {status}"))),
                Err(message) => self.error.set(Some(message)),
            }
        });
    }
}

/// A collector's token kept for the tab when the user asks: sessionStorage,
/// never localStorage, the address or the recent list.
mod token_store {
    const KEY: &str = "spanloupe.collectorToken:";

    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.session_storage().ok()?
    }

    pub fn remembered(base: &str) -> Option<String> {
        storage()?.get_item(&format!("{KEY}{base}")).ok()?
    }

    pub fn set(base: &str, token: Option<&str>) {
        let Some(storage) = storage() else { return };
        let key = format!("{KEY}{base}");
        // A full or refused storage only loses the convenience.
        let _stored = match token {
            Some(token) => storage.set_item(&key, token),
            None => storage.remove_item(&key),
        };
    }
}

/// Follows the collector's change stream (Server-Sent Events). The browser
/// reconnects a broken stream by itself; once it is back the list is read
/// again, for what was missed.
fn listen(state: AppState, live: Live) {
    let Ok(source) = web_sys::EventSource::new(&live.url_with_token("api/spanloupe/events")) else {
        live.connection.set(Connection::Lost);
        return;
    };
    let on_open = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
        live.connection.set(Connection::Connected);
        live.refresh_list();
    });
    source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    on_open.forget();
    let stream = source.clone();
    let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
        live.connection.set(Connection::Lost);
        // The browser retries a dropped stream by itself, but gives up on
        // one refused outright (the collector restarting, an HTTP error):
        // then a new one is opened a little later.
        if stream.ready_state() == web_sys::EventSource::CLOSED {
            spawn_local(async move {
                gloo_timers::future::TimeoutFuture::new(RECONNECT_MS).await;
                listen(state, live);
            });
        }
    });
    source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    on_error.forget();
    for name in ["trace", "logs", "evicted", "cleared", "lagged"] {
        let on_event = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(
            move |event: web_sys::MessageEvent| {
                let data = event.data().as_string().unwrap_or_default();
                if let Some(change) = parse_change(name, &data) {
                    live.on_change(state, &change);
                }
            },
        );
        // Adding a listener to a live EventSource does not fail.
        let _added =
            source.add_event_listener_with_callback(name, on_event.as_ref().unchecked_ref());
        on_event.forget();
    }
}

/// The status and body of a GET, or why there is none.
async fn get(url: &str, authorization: Option<&str>) -> Result<(u16, String), String> {
    let mut request = gloo_net::http::Request::get(url);
    if let Some(authorization) = authorization {
        request = request.header("Authorization", authorization);
    }
    let response = request
        .send()
        .await
        .map_err(|err| format!("{url} cannot be reached: {err}"))?;
    let text = response
        .text()
        .await
        .map_err(|err| format!("reading {url} failed: {err}"))?;
    Ok((response.status(), text))
}

/// The body of a successful GET, or why there is none.
async fn get_text(url: &str, authorization: Option<&str>) -> Result<String, String> {
    match get(url, authorization).await? {
        (200..=299, text) => Ok(text),
        (status, _) => Err(format!("{url} answered HTTP {status}")),
    }
}

fn encode(text: &str) -> String {
    js_sys::encode_uri_component(text).into()
}

/// Where the open waterfall is scrolled to.
fn waterfall_scroll_top() -> Option<f64> {
    let element = document()
        .query_selector("[data-testid=waterfall]")
        .ok()??;
    Some(f64::from(element.scroll_top()))
}

/// Where to look for a collector when the page starts: `?collector=URL`,
/// else the page's own server when it is a collector (which marks the page
/// it serves with `<meta name="spanloupe-collector">`), else nowhere.
pub fn collector_to_try() -> Option<(String, bool)> {
    let window = web_sys::window()?;
    let search = window.location().search().ok()?;
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok()?;
    if let Some(url) = params.get("collector").filter(|u| !u.trim().is_empty()) {
        let url = url.trim().to_owned();
        let base = if url.ends_with('/') {
            url
        } else {
            format!("{url}/")
        };
        return Some((base, true));
    }
    let marked = document()
        .query_selector("meta[name=spanloupe-collector]")
        .ok()
        .flatten()
        .is_some();
    marked.then(|| (String::new(), false))
}
