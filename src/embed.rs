//! The viewer inside another page (`?embed=1`): the theme it was given,
//! and the postMessage protocol with the page that embeds it. The options
//! and the protocol's names and rules are `spanloupe_core::embed`'s.

use std::cell::Cell;
use std::rc::Rc;

use js_sys::{Array, Object, Reflect};
use leptos::prelude::*;
use spanloupe_core::embed::{
    EmbedOptions, LoadedSummary, PROTOCOL_VERSION, Theme, find_selection, message,
};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use crate::load;
use crate::state::{AppState, LoadStatus};

/// The options of the page's address; what is wrong in them is said in the
/// console (a host's developer looks there), and otherwise ignored.
pub fn options_from_address() -> EmbedOptions {
    let search = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    let options = EmbedOptions::from_query(&search);
    for problem in &options.problems {
        web_sys::console::warn_1(&JsValue::from_str(&format!("Spanloupe: {problem}")));
    }
    options
}

/// Keeps `<html data-theme>` on the chosen theme (the stylesheet's colours
/// follow it; without it they follow the system).
pub fn apply_theme(state: AppState) {
    Effect::new(move |_| {
        let theme = state.theme.get();
        let Some(root) = document().document_element() else {
            return;
        };
        // Setting an attribute on the page's own root element cannot fail.
        let _set = match theme {
            Some(theme) => root.set_attribute("data-theme", theme.name()),
            None => root.remove_attribute("data-theme"),
        };
    });
}

/// The page that embeds the viewer, and where replies to it may go.
#[derive(Clone)]
struct Host {
    parent: web_sys::Window,
    /// `origin=`'s origins, else any (`"*"`).
    targets: Rc<Vec<String>>,
}

impl Host {
    fn post(&self, message: &Object) {
        for target in self.targets.iter() {
            // A host of another origin than `target` does not get it: the
            // browser drops it, which is the point of naming the origin.
            let _posted = self.parent.post_message(message, target);
        }
    }
}

/// Starts the conversation with the host page, when the viewer is embedded
/// (`?embed=1`) in a frame: says `spanloupe:ready`, takes the host's
/// messages (from the parent window only, and from `origin=`'s origins
/// when given), and tells it what loaded, what failed, what is selected
/// and, with `autoheight=1`, how tall the content is.
pub fn talk_to_host(state: AppState) {
    let options = state.embed.get_value();
    if !options.embedded {
        return;
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(parent) = window.parent().ok().flatten() else {
        return;
    };
    if Object::is(&parent, &window) {
        return; // Not in a frame: nobody to talk to.
    }
    let host = Host {
        parent,
        targets: Rc::new(
            options
                .origins
                .clone()
                .unwrap_or_else(|| vec!["*".to_owned()]),
        ),
    };

    let listener = {
        let host = host.clone();
        let options = options.clone();
        window_event_listener(leptos::ev::message, move |ev: web_sys::MessageEvent| {
            let from_parent = ev
                .source()
                .is_some_and(|source| Object::is(&source, &host.parent));
            if from_parent && options.accepts(&ev.origin()) {
                take(state, &host, &ev.data());
            }
        })
    };
    on_cleanup(move || listener.remove());

    report_loaded(state, host.clone());
    report_selection(state, host.clone());
    if options.autoheight {
        // Once the app's element is on the page (effects run after).
        let host = host.clone();
        Effect::new(move |_| report_height(host.clone()));
    }
    host.post(&ready());
}

fn ready() -> Object {
    let version = f64::from(PROTOCOL_VERSION);
    object(message::READY, &[("version", version.into())])
}

/// One message of the host's; unknown ones are ignored (a newer host may
/// send what this viewer does not know).
fn take(state: AppState, host: &Host, data: &JsValue) {
    let kind = field(data, "type").as_string().unwrap_or_default();
    match kind.as_str() {
        message::PING => host.post(&ready()),
        message::OPEN => match files_of(data) {
            Ok(files) if files.is_empty() => {
                post_error(host, "spanloupe:open: files is an empty list");
            }
            Ok(files) => load::open_files(state, files),
            Err(problem) => post_error(host, &problem),
        },
        message::SELECT => {
            let trace = field(data, "trace").as_string();
            let span = field(data, "span").as_string();
            let found = state.data.with_untracked(|data| match data {
                Some(data) => find_selection(&data.set, trace.as_deref(), span.as_deref()),
                None => Err("spanloupe:select: nothing is open yet".to_owned()),
            });
            match found {
                Ok((trace, span)) => {
                    state.open_trace(Some(trace));
                    state.select(span);
                }
                Err(problem) => post_error(host, &problem),
            }
        }
        message::THEME => {
            let name = field(data, "theme").as_string().unwrap_or_default();
            match Theme::from_name(&name) {
                Some(theme) => state.theme.set(Some(theme)),
                None => post_error(
                    host,
                    &format!("spanloupe:theme: theme must be light or dark, found {name:?}"),
                ),
            }
        }
        _ => {}
    }
}

/// The files of `spanloupe:open`: `data` (and `name`), or `files`, a list
/// of such `{data, name}` objects or of bare data.
fn files_of(message: &JsValue) -> Result<Vec<web_sys::File>, String> {
    let files = field(message, "files");
    if let Some(list) = files.dyn_ref::<Array>() {
        return list
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let fallback = format!("file {}", i + 1);
                if item.is_object() && !field(&item, "data").is_undefined() {
                    file_of(&field(&item, "data"), &name_or(&item, &fallback))
                } else {
                    file_of(&item, &fallback)
                }
            })
            .collect();
    }
    Ok(vec![file_of(
        &field(message, "data"),
        &name_or(message, "embedded data"),
    )?])
}

fn name_or(object: &JsValue, fallback: &str) -> String {
    field(object, "name")
        .as_string()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| fallback.to_owned())
}

/// A string, an ArrayBuffer (or a view of one) or a Blob as a File, which
/// is what the loader reads (large ones in the worker, unread here).
fn file_of(data: &JsValue, name: &str) -> Result<web_sys::File, String> {
    if let Some(file) = data.dyn_ref::<web_sys::File>() {
        return Ok(file.clone());
    }
    let parts = if data.is_string()
        || data.is_instance_of::<js_sys::ArrayBuffer>()
        || js_sys::ArrayBuffer::is_view(data)
        || data.is_instance_of::<web_sys::Blob>()
    {
        Array::of1(data)
    } else {
        return Err(format!(
            "spanloupe:open: the data of {name:?} must be an ArrayBuffer, a string or a Blob"
        ));
    };
    web_sys::File::new_with_blob_sequence(&parts, name)
        .map_err(|_| format!("spanloupe:open: {name:?} could not be made into a file"))
}

fn post_error(host: &Host, text: &str) {
    host.post(&object(message::ERROR, &[("message", text.into())]));
}

/// `spanloupe:loaded` for each dataset shown, `spanloupe:error` for each
/// load that failed.
fn report_loaded(state: AppState, host: Host) {
    let host_for_errors = host.clone();
    Effect::new(move |_| {
        let summary = state
            .data
            .with(|data| data.as_ref().map(|d| LoadedSummary::of(&d.set)));
        if let Some(summary) = summary {
            #[allow(clippy::cast_precision_loss)] // counts far below 2^53
            let number = |n: usize| JsValue::from_f64(n as f64);
            host.post(&object(
                message::LOADED,
                &[
                    ("traces", number(summary.traces)),
                    ("spans", number(summary.spans)),
                    ("errors", number(summary.errors)),
                    ("warnings", number(summary.warnings)),
                ],
            ));
        }
    });
    Effect::new(move |_| {
        if let LoadStatus::Failed { errors } = state.load.get() {
            let text = errors
                .iter()
                .map(|e| format!("{}: {}", e.name, e.message))
                .collect::<Vec<_>>()
                .join("\n");
            post_error(&host_for_errors, &text);
        }
    });
}

/// `spanloupe:selected` whenever the selection changes (nulls when none).
fn report_selection(state: AppState, host: Host) {
    Effect::new(move |previous: Option<Option<(String, String)>>| {
        let selected = state.selected.get();
        let ids = state.data.with_untracked(|data| {
            let set = &data.as_ref()?.set;
            let span = set.span(selected?)?;
            Some((
                span.trace_id.to_string(),
                span.span_id.to_string(),
                set.str(span.name).to_owned(),
            ))
        });
        let key = ids.as_ref().map(|(t, s, _)| (t.clone(), s.clone()));
        // Only a change is news (the effect also runs when data reloads;
        // at first, nothing is selected).
        if previous.flatten() == key {
            return key;
        }
        let (trace, span, name) = match ids {
            Some((trace, span, name)) => (trace.into(), span.into(), name.into()),
            None => (JsValue::NULL, JsValue::NULL, JsValue::NULL),
        };
        host.post(&object(
            message::SELECTED,
            &[("trace", trace), ("span", span), ("name", name)],
        ));
        key
    });
}

/// `spanloupe:height` whenever the app's content height changes.
fn report_height(host: Host) {
    let Some(app) = document().query_selector(".sl-app").ok().flatten() else {
        return;
    };
    let last = Rc::new(Cell::new(0_i32));
    let app_for_measure = app.clone();
    let on_resize = Closure::<dyn FnMut()>::new(move || {
        #[allow(clippy::cast_possible_truncation)] // a page's height in px
        let height = app_for_measure.get_bounding_client_rect().height().ceil() as i32;
        if height != last.get() {
            last.set(height);
            host.post(&object(message::HEIGHT, &[("height", height.into())]));
        }
    });
    if let Ok(observer) = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()) {
        observer.observe(&app);
        // Both live as long as the page.
        on_resize.forget();
        std::mem::forget(observer);
    }
}

/// `{type, ...fields}`.
fn object(kind: &str, fields: &[(&str, JsValue)]) -> Object {
    let object = Object::new();
    // Setting a property of a plain new object cannot fail.
    let _set = Reflect::set(&object, &"type".into(), &kind.into());
    for (name, value) in fields {
        let _set = Reflect::set(&object, &(*name).into(), value);
    }
    object
}

/// `value[name]`, undefined when there is none.
fn field(value: &JsValue, name: &str) -> JsValue {
    if !value.is_object() {
        return JsValue::UNDEFINED;
    }
    Reflect::get(value, &name.into()).unwrap_or(JsValue::UNDEFINED)
}
