//! Where a load's time went, in milliseconds, for the benchmark
//! (`scripts/bench_browser.py` reads them from the `spanloupe:reply-decoded`
//! mark's detail, by the JS names below).

use js_sys::{Array, Object};
use wasm_bindgen::{JsCast, JsValue};

use crate::js::{get, set};

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Timings {
    /// Reading the files into memory.
    pub read_ms: Option<f64>,
    /// Parsing and indexing (for a part: parsing it).
    pub load_ms: Option<f64>,
    /// Encoding and posting the reply's parts.
    pub encode_ms: Option<f64>,
    /// Finding the GenAI spans and posting them.
    pub genai_ms: Option<f64>,
    /// A file read in parts, at the worker that joins them: waiting for the
    /// other parts, decoding and joining them, indexing the whole.
    pub wait_ms: Option<f64>,
    pub join_ms: Option<f64>,
    pub index_ms: Option<f64>,
    /// How many parts were joined (1 when the file had to be read whole).
    pub file_parts: Option<f64>,
    /// Reading the file whole after a part could not be used.
    pub whole_ms: Option<f64>,
    /// Added by the page: its decoding of the reply, all parts together.
    pub page_decode_ms: Option<f64>,
    /// Added by the page: the timings of the workers of the other parts.
    pub other_workers: Vec<Timings>,
}

const OTHER_WORKERS: &str = "otherWorkers";

impl Timings {
    /// Every timing with its JS name: one list for encoding and decoding.
    fn fields(&mut self) -> [(&'static str, &mut Option<f64>); 10] {
        [
            ("readMs", &mut self.read_ms),
            ("loadMs", &mut self.load_ms),
            ("encodeMs", &mut self.encode_ms),
            ("genaiMs", &mut self.genai_ms),
            ("waitMs", &mut self.wait_ms),
            ("joinMs", &mut self.join_ms),
            ("indexMs", &mut self.index_ms),
            ("fileParts", &mut self.file_parts),
            ("wholeMs", &mut self.whole_ms),
            ("pageDecodeMs", &mut self.page_decode_ms),
        ]
    }

    /// A plain object of the timings there are.
    pub fn encode(&self) -> JsValue {
        let object = Object::new();
        for (name, value) in self.clone().fields() {
            if let Some(value) = value {
                set(&object, name, &JsValue::from_f64(*value));
            }
        }
        if !self.other_workers.is_empty() {
            let others: Array = self.other_workers.iter().map(Timings::encode).collect();
            set(&object, OTHER_WORKERS, &others);
        }
        object.into()
    }

    /// The timings an object holds; those missing stay `None`.
    pub fn decode(value: &JsValue) -> Timings {
        let mut timings = Timings::default();
        for (name, slot) in timings.fields() {
            *slot = get(value, name).as_f64();
        }
        if let Some(others) = get(value, OTHER_WORKERS).dyn_ref::<Array>() {
            timings.other_workers = others.iter().map(|t| Timings::decode(&t)).collect();
        }
        timings
    }
}

/// Milliseconds between laps (`Date.now()`: whole milliseconds are enough
/// for steps of tens to thousands of them).
pub struct Clock(f64);

impl Clock {
    pub fn start() -> Self {
        Self(js_sys::Date::now())
    }

    /// Milliseconds since the start or the last lap.
    pub fn lap(&mut self) -> f64 {
        let now = js_sys::Date::now();
        let lap = now - self.0;
        self.0 = now;
        lap
    }
}
