//! The app shell: top bar, the screen for the current state, and the ways to
//! open data that work anywhere on the page (drop, paste, `?url=`).

use leptos::prelude::*;
use spanloupe_core::layout::hash::Location;
use spanloupe_core::preferences::{Clock, theme_label};
use wasm_bindgen::JsCast;

use crate::load;
use crate::state::{AppState, LoadStatus, use_app_state};
use crate::view::connect::ConnectScreen;
use crate::view::live_list::LiveList;
use crate::view::load_error::LoadErrors;
use crate::view::loading::LoadingIndicator;
use crate::view::shortcuts::ShortcutsOverlay;
use crate::view::start::{OpenFilesButton, StartScreen, file_list};
use crate::view::trace_list::TraceList;
use crate::view::warnings::WarningList;
use crate::view::waterfall::TracePage;

#[component]
pub fn App() -> impl IntoView {
    let state = AppState::new(crate::embed::options_from_address());
    provide_context(state);
    let embed = state.embed.get_value();
    let dragging = RwSignal::new(false);

    // A link's `#trace=…&span=…` is followed once data holding that trace
    // is shown; read now, before the view writes its own.
    if let Some(hash) = web_sys::window().and_then(|w| w.location().hash().ok()) {
        state.follow_when_shown(Location::parse(&hash));
    }
    // What opens first: the traces a one-file report carries; `?url=` when
    // given; else a collector's live list (`?collector=URL`, or the page's
    // own server when it is one); else the demo trace, but not in a host's
    // page: that waits for the host's data.
    let baked = load::baked_files();
    match (url_parameter(), crate::live::collector_to_try()) {
        _ if !baked.is_empty() => load::open_files(state, baked),
        (Some(urls), _) => load::open_urls(state, urls),
        // `?connect=`: a search on a Jaeger or Tempo.
        (None, _) if crate::connect::connect_from_address(state) => {}
        (None, Some((base, given))) => {
            crate::live::connect(state, base, given, move || load::open_demo(state));
        }
        (None, None) if embed.embedded => {}
        (None, None) => load::open_demo(state),
    }
    // Once the first screen is up, start the ingest workers the next file
    // will need, so opening it does not wait for them to start.
    load::worker::watch_input();
    load::worker::prepare_when_quiet();
    crate::offline::register();

    // The screen depends on a failed load only: progress updates while a
    // file streams in must not rebuild the trace page on show.
    let load_errors = Memo::new(move |_| match state.load.get() {
        LoadStatus::Failed { errors } => Some(errors),
        _ => None,
    });

    install_global_keys(state);
    sync_location_hash(state);
    crate::embed::apply_theme(state);
    crate::embed::talk_to_host(state);

    view! {
        <div
            class="sl-app"
            class:sl-app--dragging=move || dragging.get()
            class:sl-app--embedded=embed.embedded
            class:sl-app--autoheight=embed.autoheight
            class:sl-app--hide-minimap=embed.hidden.minimap
            class:sl-app--hide-search=embed.hidden.search
            on:dragover=move |ev: web_sys::DragEvent| {
                ev.prevent_default();
                dragging.set(true);
                // A file is coming: its workers should be ready by the drop.
                load::worker::prepare();
            }
            on:dragleave=move |ev: web_sys::DragEvent| {
                // Leaving to a child element also fires dragleave; only the
                // page's edge (no related target) ends the drag.
                if ev.related_target().is_none() {
                    dragging.set(false);
                }
            }
            on:drop=move |ev: web_sys::DragEvent| {
                ev.prevent_default();
                dragging.set(false);
                let files = ev.data_transfer().and_then(|t| t.files()).map(|list| file_list(&list)).unwrap_or_default();
                if !files.is_empty() {
                    load::open_files(state, files);
                }
            }
        >
            {(!embed.embedded).then(|| view! { <TopBar /> })}
            <LoadingIndicator />
            <main class="sl-main">{move || screen(state, load_errors.get())}</main>
            <div class="sl-drop-overlay" aria-hidden="true">"Drop trace files to open them"</div>
            <ShortcutsOverlay />
        </div>
    }
}

/// The screen for the current state.
fn screen(state: AppState, load_errors: Option<Vec<crate::state::SourceError>>) -> AnyView {
    let embedded = state.embed.with_value(|embed| embed.embedded);
    if let Some(errors) = load_errors {
        if embedded && state.connected.get().is_none() {
            return view! { <LoadErrors errors=errors /> }.into_any();
        }
        // A failed search stays on its search screen.
        if let Some(connected) = state.connected.get() {
            return view! {
                <LoadErrors errors=errors />
                <ConnectScreen connected=connected />
            }
            .into_any();
        }
        return view! {
            <LoadErrors errors=errors />
            <StartScreen />
        }
        .into_any();
    }
    let live = state.live.get();
    let connected = state.connected.get();
    let Some(data) = state.data.get() else {
        return match (live, connected) {
            (Some(live), _) => view! { <LiveList live=live /> }.into_any(),
            (None, Some(connected)) => view! { <ConnectScreen connected=connected /> }.into_any(),
            (None, None) if embedded => view! {
                <p class="sl-empty" data-testid="embed-waiting">"Waiting for a trace from this page…"</p>
            }
            .into_any(),
            (None, None) => view! { <StartScreen /> }.into_any(),
        };
    };
    // The trace is drawn again with the user's prices when they change.
    state.prices.track();
    match state.trace.get() {
        Some(index) => view! {
            <WarningList data=data.clone() />
            <TracePage data=data index=index />
        }
        .into_any(),
        None if live.is_some_and(|live| live.holds(&data)) => match live {
            Some(live) => view! { <LiveList live=live /> }.into_any(),
            None => ().into_any(),
        },
        // A search's results, or the trace list of what it loaded.
        None if connected.is_some_and(|c| c.holds(&data)) => match connected {
            Some(connected) => view! {
                <WarningList data=data.clone() />
                <ConnectScreen connected=connected />
            }
            .into_any(),
            None => ().into_any(),
        },
        None if data.set.traces.is_empty() => {
            let logs =
                spanloupe_core::format::count(data.set.logs.len(), "log record", "log records");
            view! {
                <WarningList data=data.clone() />
                <p class="sl-empty">{format!("No spans in this data; {logs} loaded. Open its traces file together with it to see them on their spans.")}</p>
            }
            .into_any()
        }
        None => view! {
            <WarningList data=data.clone() />
            <TraceList />
        }
        .into_any(),
    }
}

#[component]
fn TopBar() -> impl IntoView {
    let state = use_app_state();
    let sources = move || {
        state.data.with(|data| {
            data.as_ref()
                .map(|d| {
                    d.sources
                        .iter()
                        .map(|s| s.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default()
        })
    };
    view! {
        <header class="sl-topbar">
            <button class="sl-logo" title="Start screen" on:click=move |_| {
                state.connected.set(None);
                state.connect_retry.set(None);
                state.data.set(None);
                state.load.set(LoadStatus::Idle);
                state.trace.set(None);
            }>"Spanloupe"</button>
            <span class="sl-topbar__source" data-testid="source-name">{sources}</span>
            <span class="sl-topbar__spacer"></span>
            <button
                class="sl-button sl-topbar__pref"
                data-testid="clock-toggle"
                title="Show timestamps in UTC or in this computer's time zone"
                on:click=move |_| state.toggle_clock()
            >
                {move || match state.clock.get() {
                    Clock::Utc => "Times: UTC",
                    Clock::Local => "Times: local",
                }}
            </button>
            <button
                class="sl-button sl-topbar__pref"
                data-testid="theme-toggle"
                title="Colours: the system's, light or dark"
                on:click=move |_| state.cycle_theme()
            >
                {move || theme_label(state.theme.get())}
            </button>
            <button
                class="sl-icon-button"
                data-testid="shortcuts-button"
                title="Keyboard shortcuts (?)"
                aria-label="Keyboard shortcuts"
                on:click=move |_| state.shortcuts.update(|open| *open = !*open)
            >"?"</button>
            <OpenFilesButton />
        </header>
    }
}

/// The `url` query parameter, if any.
/// The `?url=` addresses to open (several load into one view, as files
/// dropped together: two runs to compare, say).
fn url_parameter() -> Option<Vec<String>> {
    let search = web_sys::window()?.location().search().ok()?;
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok()?;
    let urls: Vec<String> = params
        .get_all("url")
        .iter()
        .filter_map(|url| url.as_string())
        .filter(|url| !url.trim().is_empty())
        .collect();
    (!urls.is_empty()).then_some(urls)
}

/// `/` focuses the search, Ctrl+V of text opens it (outside text fields).
fn install_global_keys(state: AppState) {
    let keys = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "?" && !typing_in_field(ev.target()) {
            ev.prevent_default();
            state.shortcuts.update(|open| *open = !*open);
            return;
        }
        if ev.key() == "Escape" && state.shortcuts.get_untracked() {
            state.shortcuts.set(false);
            return;
        }
        if ev.key() == "/"
            && !typing_in_field(ev.target())
            && let Some(input) = document()
                .get_element_by_id(crate::view::waterfall::SEARCH_INPUT_ID)
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            ev.prevent_default();
            // Focus fails only for a detached element; then there is nothing to focus.
            let _focused = input.focus();
        }
    });
    let paste = window_event_listener(leptos::ev::paste, move |ev| {
        if typing_in_field(ev.target()) {
            return;
        }
        let Some(text) = ev.clipboard_data().and_then(|d| d.get_data("text").ok()) else {
            return;
        };
        if !text.trim().is_empty() {
            ev.prevent_default();
            load::open_text(state, "pasted text", text);
        }
    });
    on_cleanup(move || {
        keys.remove();
        paste.remove();
    });
}

fn typing_in_field(target: Option<web_sys::EventTarget>) -> bool {
    target
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|element| {
            matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                || element.has_attribute("contenteditable")
        })
}

/// How long after the last collapse or expand the link writes the
/// collapsed rows.
const COLLAPSED_LINK_DELAY_MS: u32 = 150;

/// Keeps `#trace=…&span=…` in the address bar in step with the view, so a
/// link re-opens the same span (`AppState::show` follows the link the page
/// was opened with).
fn sync_location_hash(state: AppState) {
    // Write the hash when the view changes (replaceState: no history spam,
    // no scroll jump).
    // Collapsed rows take a pass over the trace to write (15 ms on a
    // million spans): only when they change, not on each selection, and
    // a moment after, so a click on "Collapse all" paints first.
    // With the trace it was written for: another trace's must not show.
    let collapsed_text = RwSignal::new(None::<(usize, String)>);
    let written = StoredValue::new(0_u64);
    Effect::new(move |_| {
        let trace = state.trace.get();
        state.collapsed.track();
        written.update_value(|n| *n += 1);
        let this = written.get_value();
        leptos::task::spawn_local(async move {
            gloo_timers::future::TimeoutFuture::new(COLLAPSED_LINK_DELAY_MS).await;
            // A later change wrote its own.
            if written.get_value() != this {
                return;
            }
            let text = trace.and_then(|trace| {
                state.collapsed.with_untracked(|collapsed| {
                    state.data.with_untracked(|data| {
                        let set = &data.as_ref()?.set;
                        spanloupe_core::layout::collapsed_link::encode(
                            set,
                            set.traces.get(trace)?,
                            collapsed,
                        )
                        .map(|text| (trace, text))
                    })
                })
            });
            collapsed_text.set(text);
        });
    });
    Effect::new(move |_| {
        let trace = state.trace.get();
        let selected = state.selected.get();
        let collapsed = collapsed_text
            .get()
            .filter(|(of, _)| Some(*of) == trace)
            .map(|(_, text)| text);
        let view = state.view.get();
        let compare_with = state.compare_with.get();
        let critical = state.critical.get();
        let logical = state.logical.get();
        let tab = state.inspector_tab.get();
        let query = state.query.get();
        let only_matches = state.only_matches.get();
        let window = state.window.get();
        let location = state.data.with_untracked(|data| {
            let set = &data.as_ref()?.set;
            let trace = set.traces.get(trace?)?;
            let span = selected.and_then(|s| set.span(s)).map(|s| s.span_id);
            Some(Location {
                trace: Some(trace.trace_id),
                span,
                view,
                tab: tab.filter(|_| span.is_some()),
                query: query.trim().to_owned(),
                only_matches,
                window,
                collapsed,
                critical,
                logical,
                compare: compare_with
                    .and_then(|other| set.traces.get(other))
                    .map(|other| other.trace_id),
            })
        });
        let hash = location.unwrap_or_default().to_hash();
        if let Some(window) = web_sys::window()
            && let Ok(history) = window.history()
        {
            let search = window.location().search().unwrap_or_default();
            let url = if hash.is_empty() {
                format!(
                    "{}{search}",
                    window.location().pathname().unwrap_or_default()
                )
            } else {
                format!("{search}{hash}")
            };
            let url = if url.is_empty() { "#".to_owned() } else { url };
            // A refused replaceState (sandboxed frames) only loses the shareable link.
            let _replaced =
                history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
        }
    });
}
