//! The user's preferences, kept in `localStorage` (preferences only, never
//! trace data or secrets): the theme, the clock of timestamps, and the
//! prices the user set for models.

use spanloupe_core::embed::Theme;
use spanloupe_core::genai::cost::Overrides;
use spanloupe_core::preferences::{CLOCK_KEY, Clock, PRICES_KEY, THEME_KEY, theme_from_name};

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn stored(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

/// Keeps `value` under `key`, or forgets it with `None`. Storage refused
/// (private windows, sandboxed frames) only loses the preference.
fn store(key: &str, value: Option<&str>) {
    if let Some(storage) = storage() {
        let _ = match value {
            Some(value) => storage.set_item(key, value),
            None => storage.remove_item(key),
        };
    }
}

pub fn stored_theme() -> Option<Theme> {
    theme_from_name(stored(THEME_KEY).as_deref())
}

pub fn stored_clock() -> Clock {
    Clock::from_name(stored(CLOCK_KEY).as_deref())
}

pub fn store_theme(theme: Option<Theme>) {
    store(THEME_KEY, theme.map(Theme::name));
}

pub fn store_clock(clock: Clock) {
    store(CLOCK_KEY, Some(clock.name()));
}

pub fn stored_prices() -> Overrides {
    stored(PRICES_KEY).map_or_else(Overrides::default, |text| Overrides::from_json(&text))
}

pub fn store_prices(prices: &Overrides) {
    let text = prices.to_json();
    store(PRICES_KEY, (!prices.0.is_empty()).then_some(text.as_str()));
}

/// The browser's time zone's offset east of UTC at that instant, in minutes.
pub fn offset_minutes_at(unix_nanos: u64) -> i32 {
    #[allow(clippy::cast_precision_loss)] // milliseconds, well inside f64
    let millis = (unix_nanos / 1_000_000) as f64;
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(millis));
    // Minutes behind UTC, a whole number (at most a day) in every zone.
    #[allow(clippy::cast_possible_truncation)]
    let offset = -(date.get_timezone_offset() as i32);
    offset
}

/// A timestamp in `clock`.
pub fn timestamp(clock: Clock, unix_nanos: u64) -> String {
    clock.timestamp(unix_nanos, offset_minutes_at(unix_nanos))
}
