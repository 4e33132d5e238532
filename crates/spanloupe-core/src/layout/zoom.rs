//! Zooming and panning the waterfall's time window, kept inside the trace.

/// The narrowest window: below this, bars are wider than their nanoseconds.
pub const MIN_WINDOW_NANOS: u64 = 100;

/// A time window `[start, end)` in absolute Unix nanoseconds.
pub type Window = (u64, u64);

/// Zooms `window` by `factor` (< 1 zooms in) around the point at `anchor`
/// (0 = left edge, 1 = right edge), clamped to `bounds`.
#[allow(
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss
)]
pub fn zoom(window: Window, bounds: Window, anchor: f64, factor: f64) -> Window {
    let anchor = anchor.clamp(0.0, 1.0);
    let width = window.1.saturating_sub(window.0) as f64;
    let bounds_width = bounds.1.saturating_sub(bounds.0).max(1);
    let new_width = (width * factor).round().clamp(
        MIN_WINDOW_NANOS.min(bounds_width) as f64,
        bounds_width as f64,
    ) as u64;
    let pivot = window.0 as f64 + width * anchor;
    let start = (pivot - new_width as f64 * anchor).round().max(0.0) as u64;
    clamp((start, start + new_width), bounds)
}

/// Moves `window` by `fraction` of its width (negative: earlier).
#[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)]
pub fn pan(window: Window, bounds: Window, fraction: f64) -> Window {
    let width = window.1.saturating_sub(window.0);
    let shift = (width as f64 * fraction).round() as i128;
    let start =
        u64::try_from(i128::from(window.0) + shift).unwrap_or(if shift < 0 { 0 } else { u64::MAX });
    clamp((start, start.saturating_add(width)), bounds)
}

/// The window between two fractions of `bounds` (a range dragged on the
/// overview), in either order.
#[allow(
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss
)]
pub fn select(bounds: Window, from: f64, to: f64) -> Window {
    let (a, b) = (from.min(to).clamp(0.0, 1.0), from.max(to).clamp(0.0, 1.0));
    let width = bounds.1.saturating_sub(bounds.0) as f64;
    let start = bounds.0 + (a * width).round() as u64;
    let end = bounds.0 + (b * width).round() as u64;
    let end = end
        .max(start + MIN_WINDOW_NANOS)
        .min(bounds.1.max(start + 1));
    clamp((start, end), bounds)
}

/// Shifts `window` inside `bounds`, keeping its width when it fits.
fn clamp(window: Window, bounds: Window) -> Window {
    let width = window
        .1
        .saturating_sub(window.0)
        .min(bounds.1.saturating_sub(bounds.0));
    let start = window.0.clamp(bounds.0, bounds.1.saturating_sub(width));
    (start, start + width)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRACE: Window = (1_000, 11_000);

    #[test]
    fn zooming_in_keeps_the_anchor_in_place() {
        assert_eq!(zoom(TRACE, TRACE, 0.5, 0.5), (3_500, 8_500));
        assert_eq!(zoom(TRACE, TRACE, 0.0, 0.5), (1_000, 6_000));
        assert_eq!(zoom(TRACE, TRACE, 1.0, 0.5), (6_000, 11_000));
    }

    #[test]
    fn zooming_out_stops_at_the_trace() {
        assert_eq!(zoom((3_500, 8_500), TRACE, 0.5, 10.0), TRACE);
        assert_eq!(zoom((9_000, 11_000), TRACE, 0.9, 2.0), (7_000, 11_000));
    }

    #[test]
    fn zoom_has_a_floor() {
        assert_eq!(zoom(TRACE, TRACE, 0.5, 0.000_001), (5_950, 6_050));
    }

    #[test]
    fn panning_stays_inside_the_trace() {
        assert_eq!(pan((3_000, 5_000), TRACE, 0.5), (4_000, 6_000));
        assert_eq!(pan((3_000, 5_000), TRACE, -5.0), (1_000, 3_000));
        assert_eq!(pan((3_000, 5_000), TRACE, 50.0), (9_000, 11_000));
    }

    #[test]
    fn a_dragged_range_becomes_the_window() {
        assert_eq!(select(TRACE, 0.8, 0.2), (3_000, 9_000));
        assert_eq!(select(TRACE, 0.5, 0.5), (6_000, 6_100));
    }
}
