//! The ingest worker's library side: the small JS helpers that both ends of
//! the page ↔ worker messages use (the page in `src/load/worker.rs`, the
//! worker in `main.rs`). The message keys are in
//! `spanloupe_core::ingest::transfer::message`.

pub mod js {
    use js_sys::{Object, Reflect};
    use wasm_bindgen::{JsCast, JsValue};

    /// A property of a message; `undefined` when missing.
    pub fn get(object: &JsValue, key: &str) -> JsValue {
        Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
    }

    /// Sets a property of a message being built.
    pub fn set(object: &Object, key: &str, value: &JsValue) {
        // Setting a property on a fresh plain object cannot fail.
        let _ = Reflect::set(object, &JsValue::from_str(key), value);
    }

    /// A JS error's message, for the page to show.
    pub fn describe(err: &JsValue) -> String {
        err.as_string()
            .or_else(|| {
                err.dyn_ref::<js_sys::Error>()
                    .map(|e| String::from(e.message()))
            })
            .unwrap_or_else(|| format!("{err:?}"))
    }
}
