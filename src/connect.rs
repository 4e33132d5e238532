//! Connected to a Jaeger or a Grafana Tempo: find which API answers at a
//! base URL, list its services, search, open a trace. What to ask and how
//! to read the answers is `spanloupe_core::connect`'s; this sends the
//! requests (with the user's headers, which stay in this page's memory) and
//! keeps the link in the address up to date.

use leptos::prelude::*;
use leptos::task::spawn_local;
use spanloupe_core::connect::response::{self, FoundTrace};
use spanloupe_core::connect::{
    Api, Backend, ConnectLink, Failure, Request, SearchQuery, TimeRange,
};
use spanloupe_core::ingest::time::duration_nanos;

use crate::load;
use crate::state::{AppState, Dataset, LoadStatus, SourceError};

/// The most traces a search asks for (Jaeger UI's own bound).
pub const MAX_LIMIT: u32 = 1500;

/// The time range select's value for a range of the user's own.
pub const CUSTOM: &str = "custom";

/// A backend the page is connected to, and its search.
#[derive(Clone, Copy)]
pub struct Connected {
    backend: StoredValue<Backend>,
    /// Headers sent with every call (`Authorization`, `X-Scope-OrgID`).
    headers: StoredValue<Vec<(String, String)>>,
    pub services: RwSignal<Vec<String>>,
    pub operations: RwSignal<Vec<String>>,
    /// Attribute names to filter on, as Tempo lists them.
    pub tag_names: RwSignal<Vec<String>>,
    /// The values Tempo knows for the attribute being typed: (name, values).
    pub tag_values: RwSignal<Option<(String, Vec<String>)>>,
    pub service: RwSignal<String>,
    pub operation: RwSignal<String>,
    /// `key=value` filters, separated by spaces.
    pub attributes: RwSignal<String>,
    pub traceql: RwSignal<String>,
    /// `since=`: `15m`, `1h`, `24h`; `custom` for `start` to `end`.
    pub since: RwSignal<String>,
    /// A custom range, as `<input type=datetime-local>` writes it (local time).
    pub start: RwSignal<String>,
    pub end: RwSignal<String>,
    /// Duration bounds as typed (`150ms`, `2s`).
    pub min_duration: RwSignal<String>,
    pub max_duration: RwSignal<String>,
    pub limit: RwSignal<u32>,
    /// What Tempo's search found (Jaeger's searches load the traces
    /// themselves, shown as the trace list).
    pub found: RwSignal<Option<Vec<FoundTrace>>>,
    pub partial: RwSignal<bool>,
    /// The last search found nothing (Jaeger answers that with a 404).
    pub none_found: RwSignal<bool>,
    pub searching: RwSignal<bool>,
    pub error: RwSignal<Option<String>>,
    /// When the last search answered (Unix ms).
    pub updated_ms: RwSignal<Option<f64>>,
    /// Counts searches: an answer to an older one is dropped.
    searches: StoredValue<u64>,
    /// Seconds between searches run by themselves; 0: off.
    pub auto_refresh: RwSignal<u32>,
    /// Counts the auto-refresh settings: a loop of an older one stops.
    refresh_loops: StoredValue<u64>,
    /// Aborts the search under way (Cancel).
    in_flight: StoredValue<Option<web_sys::AbortController>, LocalStorage>,
}

impl Connected {
    fn new(backend: Backend, headers: Vec<(String, String)>, search: &SearchQuery) -> Self {
        let attributes: Vec<String> = search
            .attributes
            .iter()
            .map(|(key, value)| format!("{key}={value}"))
            .collect();
        Self {
            backend: StoredValue::new(backend),
            headers: StoredValue::new(headers),
            services: RwSignal::new(Vec::new()),
            operations: RwSignal::new(Vec::new()),
            tag_names: RwSignal::new(Vec::new()),
            tag_values: RwSignal::new(None),
            service: RwSignal::new(search.service.clone()),
            operation: RwSignal::new(search.operation.clone()),
            attributes: RwSignal::new(attributes.join(" ")),
            traceql: RwSignal::new(search.traceql.clone()),
            since: RwSignal::new(match search.range {
                TimeRange::Between { .. } => CUSTOM.to_owned(),
                range => range.since_text().unwrap_or_else(|| "1h".to_owned()),
            }),
            start: RwSignal::new(match search.range {
                TimeRange::Between { start, .. } => local_input_value(start),
                TimeRange::Last(_) => String::new(),
            }),
            end: RwSignal::new(match search.range {
                TimeRange::Between { end, .. } => local_input_value(end),
                TimeRange::Last(_) => String::new(),
            }),
            min_duration: RwSignal::new(
                search
                    .min_duration_nanos
                    .map(spanloupe_core::format::duration)
                    .unwrap_or_default(),
            ),
            max_duration: RwSignal::new(
                search
                    .max_duration_nanos
                    .map(spanloupe_core::format::duration)
                    .unwrap_or_default(),
            ),
            limit: RwSignal::new(search.limit),
            found: RwSignal::new(None),
            partial: RwSignal::new(false),
            none_found: RwSignal::new(false),
            searching: RwSignal::new(false),
            error: RwSignal::new(None),
            updated_ms: RwSignal::new(None),
            searches: StoredValue::new(0),
            auto_refresh: RwSignal::new(0),
            refresh_loops: StoredValue::new(0),
            in_flight: StoredValue::new_local(None),
        }
    }

    /// Reads the attribute names Tempo can filter on.
    fn load_tag_names(self) {
        let Some(request) = self.backend.with_value(Backend::tag_names) else {
            return;
        };
        let headers = self.headers.get_value();
        spawn_local(async move {
            if let Ok(body) = get(&request, &headers).await
                && let Ok(names) = response::tempo_tag_names(&body)
            {
                self.tag_names.set(names);
            }
        });
    }

    /// Reads the values of the attribute whose filter is being typed, once
    /// its `=` is (Tempo only; each name read once in a row).
    pub fn suggest_values(self) {
        let text = self.attributes.get_untracked();
        let Some(key) = spanloupe_core::connect::query::filter_being_typed(&text).1 else {
            return;
        };
        let known = self
            .tag_names
            .with_untracked(|names| names.iter().any(|n| n == key));
        let read = self
            .tag_values
            .with_untracked(|values| values.as_ref().is_some_and(|(name, _)| name == key));
        let Some(request) = self
            .backend
            .with_value(|b| b.tag_values(key))
            .filter(|_| known && !read)
        else {
            return;
        };
        let key = key.to_owned();
        let headers = self.headers.get_value();
        spawn_local(async move {
            if let Ok(body) = get(&request, &headers).await
                && let Ok(values) = response::names(Api::Tempo, &body)
            {
                self.tag_values.set(Some((key, values)));
            }
        });
    }

    /// Searches again for twice as many traces.
    pub fn load_more(self, state: AppState) {
        self.limit
            .update(|limit| *limit = limit.saturating_mul(2).min(MAX_LIMIT));
        self.search(state);
    }

    /// Stops the search under way.
    pub fn cancel(self) {
        if let Some(controller) = self.in_flight.get_value() {
            controller.abort();
        }
    }

    /// Runs the search every `seconds` (0: never) while this backend's
    /// results are on screen; a trace open from them is left alone.
    pub fn set_auto_refresh(self, state: AppState, seconds: u32) {
        self.auto_refresh.set(seconds);
        let generation = self.refresh_loops.get_value() + 1;
        self.refresh_loops.set_value(generation);
        if seconds == 0 {
            return;
        }
        spawn_local(async move {
            loop {
                gloo_timers::future::TimeoutFuture::new(seconds.saturating_mul(1000)).await;
                let current = generation == self.refresh_loops.get_value()
                    && state
                        .connected
                        .with_untracked(|c| c.is_some_and(|c| c.searches == self.searches));
                if !current {
                    return;
                }
                let on_results = state.trace.get_untracked().is_none()
                    && matches!(state.load.get_untracked(), LoadStatus::Idle);
                if on_results {
                    self.search(state);
                }
            }
        });
    }

    pub fn api(&self) -> Api {
        self.backend.with_value(|b| b.api)
    }

    pub fn base(&self) -> String {
        self.backend.with_value(|b| b.base().to_owned())
    }

    /// The search the form describes, or what in it cannot be read.
    fn query(&self) -> Result<SearchQuery, String> {
        let attributes = self
            .attributes
            .get_untracked()
            .split_whitespace()
            .filter_map(|pair| pair.split_once('='))
            .map(|(key, value)| (key.to_owned(), value.to_owned()))
            .collect();
        let since = self.since.get_untracked();
        let range = if since == CUSTOM {
            let at = |text: String, what: &str| {
                input_value_nanos(&text)
                    .ok_or_else(|| format!("choose the {what} of the time range"))
            };
            TimeRange::Between {
                start: at(self.start.get_untracked(), "start")?,
                end: at(self.end.get_untracked(), "end")?,
            }
        } else {
            TimeRange::since(&since).unwrap_or(SearchQuery::default().range)
        };
        let duration = |text: String, what: &str| {
            let text = text.trim().to_owned();
            if text.is_empty() {
                return Ok(None);
            }
            duration_nanos(&text).map(Some).ok_or_else(|| {
                format!("the {what} duration must be like 150ms, 2s or 1m, not {text:?}")
            })
        };
        Ok(SearchQuery {
            service: self.service.get_untracked(),
            operation: self.operation.get_untracked(),
            attributes,
            traceql: self.traceql.get_untracked(),
            range,
            min_duration_nanos: duration(self.min_duration.get_untracked(), "minimum")?,
            max_duration_nanos: duration(self.max_duration.get_untracked(), "maximum")?,
            limit: self.limit.get_untracked().max(1),
        })
    }

    /// Whether `data` came from this backend (its list is the one to go
    /// back to).
    pub fn holds(&self, data: &Dataset) -> bool {
        let base = self.base();
        data.sources.iter().any(|s| s.name.starts_with(&base))
    }

    /// Runs the search: Jaeger's answer is loaded as data (the trace list),
    /// Tempo's is a list of traces to open one by one.
    pub fn search(self, state: AppState) {
        let query = match self.query() {
            Ok(query) => query,
            Err(message) => {
                self.error.set(Some(message));
                return;
            }
        };
        self.write_link(&query);
        let request = match self.backend.with_value(|b| b.search(&query, now_nanos())) {
            Ok(request) => request,
            Err(message) => {
                self.error.set(Some(message));
                return;
            }
        };
        self.error.set(None);
        let search = self.searches.get_value() + 1;
        self.searches.set_value(search);
        self.searching.set(true);
        let headers = self.headers.get_value();
        let base = self.base();
        let api = self.api();
        let controller = web_sys::AbortController::new().ok();
        if let Some(previous) = self.in_flight.get_value() {
            previous.abort();
        }
        self.in_flight.set_value(controller.clone());
        spawn_local(async move {
            let answer = get_with(&request, &headers, controller).await;
            if search != self.searches.get_value() {
                return;
            }
            self.searching.set(false);
            self.in_flight.set_value(None);
            let body = match answer {
                Ok(body) => body,
                // Jaeger's "No traces found" (and `trace not found`).
                Err(Failure::NotFound { .. }) if api != Api::Tempo => {
                    self.show_none_found(state);
                    return;
                }
                Err(failure) => {
                    self.error.set(Some(failure.message(&base)));
                    return;
                }
            };
            self.updated_ms.set(Some(js_sys::Date::now()));
            self.none_found.set(false);
            // Jaeger answers the traces themselves: loaded as data, they
            // are the trace list.
            if api != Api::Tempo {
                load::open_bytes(state, &request.url, body);
                return;
            }
            match response::tempo_search(&body) {
                Ok(found) => {
                    self.partial.set(found.partial);
                    self.found.set(Some(found.traces));
                }
                Err(detail) => self
                    .error
                    .set(Some(Failure::UnexpectedBody { detail }.message(&base))),
            }
        });
    }

    /// A search that found nothing: the results of an earlier one go.
    fn show_none_found(self, state: AppState) {
        self.updated_ms.set(Some(js_sys::Date::now()));
        self.none_found.set(true);
        self.found.set(Some(Vec::new()));
        let showing_ours = state
            .data
            .with_untracked(|data| data.as_ref().is_some_and(|d| self.holds(d)));
        if showing_ours {
            state.data.set(None);
            state.open_trace(None);
        }
    }

    /// Opens a trace by id: Jaeger's, or Tempo's v2 path as protobuf (read
    /// by `ingest::tempo`), else, on a Tempo without it, its first path.
    pub fn open(self, state: AppState, trace_id: &str) {
        let tries = self.backend.with_value(|b| b.trace(trace_id));
        let headers = self.headers.get_value();
        let base = self.base();
        self.error.set(None);
        spawn_local(async move {
            let mut failure = None;
            for request in &tries {
                match get(request, &headers).await {
                    Ok(body) => {
                        load::open_bytes(state, &request.url, body);
                        return;
                    }
                    Err(Failure::NotFound { .. }) => continue,
                    Err(other) => {
                        failure = Some(other);
                        break;
                    }
                }
            }
            let failure = failure.unwrap_or(Failure::NotFound {
                apis_tried: Vec::new(),
            });
            self.error.set(Some(failure.message(&base)));
        });
    }

    /// Reads the span names of the chosen service.
    pub fn load_operations(self) {
        let service = self.service.get_untracked();
        self.operations.set(Vec::new());
        if service.is_empty() {
            return;
        }
        let request = self.backend.with_value(|b| b.operations(&service));
        let headers = self.headers.get_value();
        let api = self.api();
        spawn_local(async move {
            if let Ok(body) = get(&request, &headers).await
                && let Ok(names) = response::names(api, &body)
            {
                self.operations.set(names);
            }
        });
    }

    /// Puts the search in the address (`?connect=…`), so that the link
    /// reopens it; never the headers.
    fn write_link(&self, query: &SearchQuery) {
        let link = ConnectLink {
            base: self.base(),
            api: Some(self.api()),
            search: query.clone(),
        };
        let Some(window) = web_sys::window() else {
            return;
        };
        let hash = window.location().hash().unwrap_or_default();
        if let Ok(history) = window.history() {
            // A refused history entry only loses the link.
            let _written = history.replace_state_with_url(
                &wasm_bindgen::JsValue::NULL,
                "",
                Some(&format!("{}{hash}", link.to_query())),
            );
        }
    }
}

/// Connects to `base`: with `api`, or the first API that answers there,
/// sending `headers` (else those remembered for this tab). On success the
/// search screen shows (and `search` runs, from a link), the endpoint joins
/// the recent ones, and the headers are kept for the tab when `remember`;
/// else the start screen says why, and asks for credentials when they are
/// what is missing.
pub fn connect(
    state: AppState,
    base: String,
    api: Option<Api>,
    headers: Vec<(String, String)>,
    search: Option<SearchQuery>,
    remember: bool,
) {
    let headers = if headers.is_empty() {
        storage::remembered_headers(&base)
    } else {
        headers
    };
    let headers = spanloupe_core::connect::headers_for(&base, headers);
    let label = base.clone();
    state.load.set(LoadStatus::Reading {
        name: label.clone(),
        done: 0,
        total: 0,
    });
    spawn_local(async move {
        let apis: Vec<Api> = api.map_or_else(|| Api::ALL.to_vec(), |api| vec![api]);
        let mut refusal = None;
        let mut tried = Vec::new();
        // An API's path that answered, but not with that API's data (a UI
        // that answers every path with its page, say).
        let mut unexpected = None;
        for api in apis {
            tried.push(api);
            let backend = Backend::new(&base, api);
            let answer = get(&backend.probe(), &headers).await;
            let body = match answer {
                Ok(body) => body,
                Err(Failure::NotFound { .. }) => continue,
                Err(failure) => {
                    refusal = Some(failure);
                    break;
                }
            };
            let services = match api {
                Api::Tempo if String::from_utf8_lossy(&body).trim() != "echo" => {
                    unexpected.get_or_insert(body);
                    continue;
                }
                Api::Tempo => match get(&backend.services(), &headers).await {
                    Ok(body) => response::names(api, &body).unwrap_or_default(),
                    Err(_) => Vec::new(),
                },
                _ => match response::names(api, &body) {
                    Ok(names) => names,
                    Err(_) => {
                        unexpected.get_or_insert(body);
                        continue;
                    }
                },
            };
            storage::remember_endpoint(&base, api);
            if remember {
                storage::remember_headers(&base, &headers);
            }
            state.connect_retry.set(None);
            let query = search.clone().unwrap_or_default();
            let connected = Connected::new(backend, headers, &query);
            connected.services.set(services);
            state.load.set(LoadStatus::Idle);
            state.go_connected(connected);
            if !connected.service.get_untracked().is_empty() {
                connected.load_operations();
            }
            connected.load_tag_names();
            // A link's `#trace=` opens that trace (its span selected once
            // it is shown); else the link's search runs again.
            match LINKED_TRACE.with(|linked| linked.borrow_mut().take()) {
                Some(trace) if search.is_some() => connected.open(state, &trace),
                _ if search.is_some() => connected.search(state),
                _ => {}
            }
            return;
        }
        let failure = refusal.unwrap_or_else(|| match unexpected {
            Some(body) => Failure::unexpected_body(&body),
            None => Failure::NotFound { apis_tried: tried },
        });
        let needs_credentials = matches!(failure, Failure::Unauthorized { .. });
        state
            .connect_retry
            .set(needs_credentials.then(|| ConnectLink {
                base: base.clone(),
                api,
                search: search.clone().unwrap_or_default(),
            }));
        state.load.set(LoadStatus::Failed {
            errors: vec![SourceError {
                name: label,
                message: failure.message(&base),
            }],
        });
    });
}

thread_local! {
    /// The trace of the `#trace=` the page was opened with beside a
    /// `?connect=`: read at the start, before the page writes its own hash,
    /// and opened by the first connection that succeeds (after credentials
    /// were asked for, say).
    static LINKED_TRACE: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// The `?connect=` link the page was opened with: connects and reruns its
/// search, or opens its `#trace=`. True when there was one.
pub fn connect_from_address(state: AppState) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let Ok(query) = window.location().search() else {
        return false;
    };
    let trace = window
        .location()
        .hash()
        .ok()
        .and_then(|hash| spanloupe_core::layout::hash::Location::parse(&hash).trace);
    LINKED_TRACE.with(|linked| *linked.borrow_mut() = trace.map(|id| id.to_string()));
    match ConnectLink::from_query(&query) {
        None => false,
        Some(Ok(link)) => {
            connect(
                state,
                link.base.clone(),
                link.api,
                Vec::new(),
                Some(link.search),
                false,
            );
            true
        }
        Some(Err(message)) => {
            state.load.set(LoadStatus::Failed {
                errors: vec![SourceError {
                    name: "the address".to_owned(),
                    message,
                }],
            });
            true
        }
    }
}

/// The body of a GET that succeeded, or why it did not.
async fn get(request: &Request, headers: &[(String, String)]) -> Result<Vec<u8>, Failure> {
    get_with(request, headers, web_sys::AbortController::new().ok()).await
}

/// A GET that `controller` can cancel, given up after
/// [`TIMEOUT_SECONDS`](spanloupe_core::connect::failure::TIMEOUT_SECONDS).
/// A request that got no answer is tried again without CORS, to tell a
/// server that answers without CORS headers from one that is not there.
async fn get_with(
    request: &Request,
    headers: &[(String, String)],
    controller: Option<web_sys::AbortController>,
) -> Result<Vec<u8>, Failure> {
    let timed_out = std::rc::Rc::new(std::cell::Cell::new(false));
    if let Some(controller) = controller.clone() {
        let timed_out = timed_out.clone();
        spawn_local(async move {
            let seconds = spanloupe_core::connect::failure::TIMEOUT_SECONDS;
            gloo_timers::future::TimeoutFuture::new(seconds * 1000).await;
            if !controller.signal().aborted() {
                timed_out.set(true);
                controller.abort();
            }
        });
    }
    let signal = controller.as_ref().map(web_sys::AbortController::signal);
    let stopped = || {
        if timed_out.get() {
            Some(Failure::Timeout)
        } else if signal.as_ref().is_some_and(web_sys::AbortSignal::aborted) {
            Some(Failure::Cancelled)
        } else {
            None
        }
    };
    let mut builder = gloo_net::http::Request::get(&request.url)
        .header("Accept", request.accept)
        .abort_signal(signal.as_ref());
    for (name, value) in headers {
        builder = builder.header(name, value);
    }
    let response = match builder.send().await {
        Ok(response) => response,
        Err(_) => {
            if let Some(failure) = stopped() {
                return Err(failure);
            }
            let reached = gloo_net::http::Request::get(&request.url)
                .mode(web_sys::RequestMode::NoCors)
                .send()
                .await
                .is_ok();
            return Err(Failure::from_network(reached));
        }
    };
    let status = response.status();
    let declared = response
        .headers()
        .get("content-length")
        .and_then(|length| length.parse::<u64>().ok());
    if let Some(too_large) = declared.and_then(Failure::if_too_large) {
        if let Some(controller) = &controller {
            controller.abort();
        }
        return Err(too_large);
    }
    let body = match response.binary().await {
        Ok(body) => body,
        Err(_) => return Err(stopped().unwrap_or(Failure::Unreachable)),
    };
    // Done: the timer has nothing left to stop.
    if let Some(controller) = &controller
        && !timed_out.get()
    {
        controller.abort();
    }
    if (200..300).contains(&status) {
        Ok(body)
    } else {
        Err(Failure::from_status(status, &body, &[]))
    }
}

/// A time as `<input type=datetime-local>` shows it, in the browser's zone.
fn local_input_value(unix_nanos: u64) -> String {
    #[allow(clippy::cast_precision_loss)] // milliseconds since 1970 fit an f64 exactly
    let millis = (unix_nanos / 1_000_000) as f64;
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(millis));
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        date.get_full_year(),
        date.get_month() + 1,
        date.get_date(),
        date.get_hours(),
        date.get_minutes(),
        date.get_seconds()
    )
}

/// What `<input type=datetime-local>` holds, as nanoseconds since 1970.
fn input_value_nanos(value: &str) -> Option<u64> {
    if value.trim().is_empty() {
        return None;
    }
    // Without a zone, the browser reads the value as local time.
    let millis = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(value)).get_time();
    if !millis.is_finite() || millis < 0.0 {
        return None;
    }
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    // checked: finite, not negative
    let nanos = (millis * 1e6) as u64;
    Some(nanos)
}

fn now_nanos() -> u64 {
    let millis = js_sys::Date::now();
    // Milliseconds since 1970 fit a u64 of nanoseconds for 500 years.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let nanos = (millis.max(0.0) * 1e6) as u64;
    nanos
}

/// What the page keeps of its connections: the recent endpoints (base URL
/// and API, never a secret) in `localStorage`; the headers only when the
/// user asks, for this tab (`sessionStorage`).
pub mod storage {
    use spanloupe_core::connect::Api;
    use spanloupe_core::connect::recent::{self, RecentEndpoint};

    const RECENT: &str = "spanloupe.connect.recent";
    const HEADERS: &str = "spanloupe.connect.headers:";

    fn local() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok()?
    }

    fn session() -> Option<web_sys::Storage> {
        web_sys::window()?.session_storage().ok()?
    }

    pub fn recent_endpoints() -> Vec<RecentEndpoint> {
        local()
            .and_then(|s| s.get_item(RECENT).ok()?)
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default()
    }

    pub fn remember_endpoint(base: &str, api: Api) {
        let mut list = recent_endpoints();
        recent::remember(&mut list, base, api);
        if let (Some(storage), Ok(text)) = (local(), serde_json::to_string(&list)) {
            // A full or refused storage only loses the convenience.
            let _stored = storage.set_item(RECENT, &text);
        }
    }

    pub fn remembered_headers(base: &str) -> Vec<(String, String)> {
        session()
            .and_then(|s| s.get_item(&format!("{HEADERS}{}", key(base))).ok()?)
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default()
    }

    pub fn remember_headers(base: &str, headers: &[(String, String)]) {
        let Some(storage) = session() else { return };
        let item = format!("{HEADERS}{}", key(base));
        let _stored = match serde_json::to_string(headers) {
            Ok(text) if !headers.is_empty() => storage.set_item(&item, &text),
            _ => storage.remove_item(&item),
        };
    }

    fn key(base: &str) -> String {
        base.trim().trim_end_matches('/').to_owned()
    }
}
