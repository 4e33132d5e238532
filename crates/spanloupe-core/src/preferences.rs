//! What a user chose for every trace, kept in `localStorage` (preferences
//! only, never trace data or secrets): the colours and the clock that
//! timestamps are shown in.

use crate::embed::Theme;

/// The storage keys.
pub const THEME_KEY: &str = "spanloupe.theme";
pub const CLOCK_KEY: &str = "spanloupe.clock";
/// The prices the user set for models (`genai::cost::Overrides` as JSON).
pub const PRICES_KEY: &str = "spanloupe.prices";

/// The clock timestamps are shown in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Clock {
    #[default]
    Utc,
    /// The browser's time zone.
    Local,
}

impl Clock {
    pub fn name(self) -> &'static str {
        match self {
            Clock::Utc => "utc",
            Clock::Local => "local",
        }
    }

    /// Unknown or missing: UTC, what traces from many machines agree on.
    pub fn from_name(name: Option<&str>) -> Clock {
        match name {
            Some("local") => Clock::Local,
            _ => Clock::Utc,
        }
    }

    pub fn toggled(self) -> Clock {
        match self {
            Clock::Utc => Clock::Local,
            Clock::Local => Clock::Utc,
        }
    }

    /// A timestamp in this clock; `offset_minutes` is the browser's zone's
    /// offset east of UTC at that instant (for `Local`).
    pub fn timestamp(self, unix_nanos: u64, offset_minutes: i32) -> String {
        match self {
            Clock::Utc => crate::format::utc_timestamp(unix_nanos),
            Clock::Local => crate::format::local_timestamp(unix_nanos, offset_minutes),
        }
    }
}

/// The stored theme: `None` follows the system.
pub fn theme_from_name(name: Option<&str>) -> Option<Theme> {
    name.and_then(Theme::from_name)
}

/// The theme a toggle goes to next: system → light → dark → system.
pub fn next_theme(current: Option<Theme>) -> Option<Theme> {
    match current {
        None => Some(Theme::Light),
        Some(Theme::Light) => Some(Theme::Dark),
        Some(Theme::Dark) => None,
    }
}

/// What the theme toggle says.
pub fn theme_label(theme: Option<Theme>) -> &'static str {
    match theme {
        None => "Theme: system",
        Some(Theme::Light) => "Theme: light",
        Some(Theme::Dark) => "Theme: dark",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_theme_cycles_through_system_light_and_dark() {
        let mut theme = None;
        let mut seen = Vec::new();
        for _ in 0..3 {
            theme = next_theme(theme);
            seen.push(theme_label(theme));
        }
        assert_eq!(seen, ["Theme: light", "Theme: dark", "Theme: system"]);
        assert_eq!(theme_from_name(Some("dark")), Some(Theme::Dark));
        assert_eq!(theme_from_name(Some("sepia")), None);
        assert_eq!(theme_from_name(None), None);
    }

    #[test]
    fn the_clock_is_utc_unless_local_was_chosen() {
        assert_eq!(Clock::from_name(None), Clock::Utc);
        assert_eq!(Clock::from_name(Some("garbage")), Clock::Utc);
        assert_eq!(Clock::from_name(Some(Clock::Local.name())), Clock::Local);
        let noon = 1_763_640_000_000_000_000; // 2025-11-20 12:00 UTC
        assert_eq!(
            Clock::Utc.timestamp(noon, 60),
            "2025-11-20 12:00:00.000 UTC"
        );
        assert_eq!(
            Clock::Local.timestamp(noon, 60),
            "2025-11-20 13:00:00.000 UTC+01:00"
        );
        assert_eq!(Clock::Utc.toggled(), Clock::Local);
    }
}
