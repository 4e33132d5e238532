//! Where the ingest worker's files are: beside the page, as Trunk writes
//! them, or, in the single-file build (`scripts/single-file.sh`), at the
//! Blob URLs its loader made of the files inlined in the page, listed in
//! `window.spanloupeAssets` by the same names.

use js_sys::Reflect;
use wasm_bindgen::JsValue;

/// The worker's loader (Trunk's shim: its script, then its module).
pub const WORKER_LOADER: &str = "ingest_worker_loader.js";
/// The worker's script and module, as Trunk names them.
pub const WORKER_SCRIPT: &str = "ingest_worker.js";
pub const WORKER_WASM: &str = "ingest_worker_bg.wasm";

/// The global the single-file build's loader sets.
const INLINED: &str = "spanloupeAssets";

/// The URL of the worker's file `name`: the inlined one when the page
/// carries it, else the file beside the page (relative to its base URL).
pub fn url(name: &str) -> String {
    inlined(name).unwrap_or_else(|| format!("./{name}"))
}

fn inlined(name: &str) -> Option<String> {
    let window: JsValue = web_sys::window()?.into();
    let assets = Reflect::get(&window, &INLINED.into()).ok()?;
    if !assets.is_object() {
        return None;
    }
    Reflect::get(&assets, &name.into()).ok()?.as_string()
}
