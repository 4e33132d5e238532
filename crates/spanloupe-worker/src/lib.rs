//! The ingest worker's library side, which the page links too: the
//! messages between the page and the worker ([`protocol`]), and the small
//! JS helpers both ends use.

pub mod protocol;

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

    /// A count or a size as JS sends it (a number), saturated to `usize`:
    /// `as` clamps a float to the integer's range (NaN and below zero: 0).
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    pub fn count(number: f64) -> usize {
        number as usize
    }

    /// A byte offset as JS sends it, saturated to `u64` as [`count`] is.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    pub fn offset(number: f64) -> u64 {
        number as u64
    }

    /// A count, a size or an offset as a JS number: exact below 2^53,
    /// which no file or count comes near.
    #[allow(clippy::cast_precision_loss)]
    pub fn number(value: u64) -> f64 {
        value as f64
    }

    /// [`number`] of a `usize`.
    pub fn number_of(count: usize) -> f64 {
        number(u64::try_from(count).unwrap_or(u64::MAX))
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
