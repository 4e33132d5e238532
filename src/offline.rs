//! After the first visit the hosted app works offline: it registers the
//! service worker each build carries (`sw.js`, written by
//! `scripts/offline.py`), which keeps the build's files.

use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

/// The worker's file, beside the page (relative to its base URL).
const SERVICE_WORKER: &str = "./sw.js";

/// Registers the service worker where it makes sense: a page served over
/// HTTP(S) (a `file://` page or the single-file build has nothing to keep,
/// and cannot register one).
pub fn register() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let protocol = window.location().protocol().unwrap_or_default();
    let single_file = js_sys::Reflect::has(&window, &"spanloupeAssets".into()).unwrap_or(false);
    if !matches!(protocol.as_str(), "http:" | "https:") || single_file {
        return;
    }
    // Absent where the page is not a secure context (http:// of another
    // host than localhost): it then works online only.
    let container = window.navigator().service_worker();
    if JsValue::from(container.clone()).is_undefined() {
        return;
    }
    let options = web_sys::RegistrationOptions::new();
    // sw.js itself never from the HTTP cache: a new build is seen at once.
    options.set_update_via_cache(web_sys::ServiceWorkerUpdateViaCache::None);
    let registering = container.register_with_options(SERVICE_WORKER, &options);
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(err) = JsFuture::from(registering).await {
            web_sys::console::warn_1(&JsValue::from_str(&format!(
                "Spanloupe will not work offline: its service worker did not register ({})",
                spanloupe_worker::js::describe(&err)
            )));
        }
    });
}
