//! Maps times to pixels for the waterfall and its ruler. Times stay `u64`
//! nanoseconds; they become `f64` only as an offset from the window start,
//! so a 2026 timestamp keeps its nanoseconds.

/// The time window shown, and the width it is drawn in.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TimeScale {
    /// Absolute start of the window, Unix nanoseconds.
    pub start_unix_nanos: u64,
    /// Absolute end of the window; at least one nanosecond after the start.
    pub end_unix_nanos: u64,
    pub width_px: f64,
}

/// A labelled mark on the ruler.
#[derive(Clone, Debug, PartialEq)]
pub struct Tick {
    pub x_px: f64,
    /// Offset from the trace start, e.g. `1.5 ms`.
    pub label: String,
}

impl TimeScale {
    pub fn new(start_unix_nanos: u64, end_unix_nanos: u64, width_px: f64) -> Self {
        Self {
            start_unix_nanos,
            end_unix_nanos: end_unix_nanos.max(start_unix_nanos + 1),
            width_px,
        }
    }

    pub fn duration_nanos(&self) -> u64 {
        self.end_unix_nanos - self.start_unix_nanos
    }

    /// The x position of an absolute time; outside `0..width_px` when the
    /// time is outside the window.
    #[allow(clippy::cast_precision_loss)] // pixels need no more than f64's 52 bits
    pub fn x_px(&self, unix_nanos: u64) -> f64 {
        let offset = unix_nanos as i128 - self.start_unix_nanos as i128;
        offset as f64 * self.width_px / self.duration_nanos() as f64
    }

    /// The absolute time at an x position, clamped to the window.
    #[allow(
        clippy::cast_precision_loss,
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss
    )]
    pub fn time_at(&self, x_px: f64) -> u64 {
        let fraction = if self.width_px > 0.0 {
            (x_px / self.width_px).clamp(0.0, 1.0)
        } else {
            0.0
        };
        self.start_unix_nanos + (fraction * self.duration_nanos() as f64).round() as u64
    }

    /// Ruler ticks at "nice" steps (1, 2 or 5 times a power of ten
    /// nanoseconds), at least `min_spacing_px` apart, labelled with their
    /// offset from `trace_start_unix_nanos`.
    pub fn ticks(&self, trace_start_unix_nanos: u64, min_spacing_px: f64) -> Vec<Tick> {
        if self.width_px <= 0.0 {
            return Vec::new();
        }
        let step = nice_step(self.duration_nanos(), self.width_px, min_spacing_px);
        // The first multiple of `step` (from the trace start) in the window.
        let window_offset = self.start_unix_nanos.saturating_sub(trace_start_unix_nanos);
        let mut offset = window_offset.div_ceil(step) * step;
        let mut ticks = Vec::new();
        while trace_start_unix_nanos + offset <= self.end_unix_nanos && ticks.len() < 1000 {
            ticks.push(Tick {
                x_px: self.x_px(trace_start_unix_nanos + offset),
                label: offset_label(offset, step),
            });
            offset += step;
        }
        ticks
    }
}

/// The smallest 1/2/5 × 10^k nanoseconds that keeps ticks `min_spacing_px` apart.
#[allow(
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss
)]
fn nice_step(duration_nanos: u64, width_px: f64, min_spacing_px: f64) -> u64 {
    let raw = (duration_nanos as f64 * min_spacing_px / width_px).max(1.0);
    let mut power = 1u64;
    loop {
        for factor in [1, 2, 5] {
            let step = power.saturating_mul(factor);
            if step as f64 >= raw {
                return step;
            }
        }
        if power > u64::MAX / 10 {
            return u64::MAX;
        }
        power *= 10;
    }
}

/// `offset` in the unit that suits `step`, with just the decimals the step
/// needs: steps of 0.5 s give "1.5 s", steps of 0.2 ms give "1.4 ms", steps
/// of 10 µs give "1210 µs". The unit is the largest in which the step is at
/// least 0.1.
pub fn offset_label(offset_nanos: u64, step_nanos: u64) -> String {
    if offset_nanos == 0 {
        return "0".to_owned();
    }
    let (scale, unit): (u64, &str) = match step_nanos {
        0..100 => (1, "ns"),
        100..100_000 => (1_000, "µs"),
        100_000..100_000_000 => (1_000_000, "ms"),
        _ => (1_000_000_000, "s"),
    };
    // Decimals needed to write the step exactly in this unit.
    let mut decimals = 0usize;
    let mut denominator = scale;
    while !step_nanos.is_multiple_of(denominator) && decimals < 9 {
        denominator /= 10;
        decimals += 1;
    }
    #[allow(clippy::cast_precision_loss)] // display only
    let value = offset_nanos as f64 / scale as f64;
    format!("{value:.decimals$} {unit}")
}

/// A ruler label ("100 ms") needs about this much room.
const TICK_LABEL_PX: f64 = 64.0;

/// The least spacing of ruler ticks on a scale of width 100 (percent) drawn
/// on an axis `axis_width_px` wide: labels never overlap, and a wide axis
/// has at most ten ticks. Unmeasured (0), ten ticks.
pub fn tick_spacing_percent(axis_width_px: f64) -> f64 {
    if axis_width_px <= 0.0 {
        return 10.0;
    }
    (100.0 * TICK_LABEL_PX / axis_width_px).max(10.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: u64 = 1_795_168_800_000_000_000;

    #[test]
    fn times_map_to_pixels_and_back() {
        let scale = TimeScale::new(T0, T0 + 4_000_000_000, 800.0);
        assert_eq!(scale.x_px(T0), 0.0);
        assert_eq!(scale.x_px(T0 + 1_000_000_000), 200.0);
        assert_eq!(scale.x_px(T0 + 4_000_000_000), 800.0);
        assert!(scale.x_px(T0 - 1_000_000_000) < 0.0);
        assert_eq!(scale.time_at(400.0), T0 + 2_000_000_000);
        assert_eq!(scale.time_at(-5.0), T0);
    }

    #[test]
    fn nanosecond_precision_survives_large_timestamps() {
        let scale = TimeScale::new(T0, T0 + 10, 1000.0);
        assert_eq!(scale.x_px(T0 + 3), 300.0);
    }

    #[test]
    fn ticks_use_nice_steps_and_readable_labels() {
        let scale = TimeScale::new(T0, T0 + 4_180_000_000, 1000.0);
        let ticks = scale.ticks(T0, 80.0);
        let labels: Vec<&str> = ticks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "0", "0.5 s", "1.0 s", "1.5 s", "2.0 s", "2.5 s", "3.0 s", "3.5 s", "4.0 s"
            ]
        );
        assert!(ticks.windows(2).all(|w| w[1].x_px - w[0].x_px >= 80.0));
    }

    #[test]
    fn zoomed_ticks_are_offsets_from_the_trace_start() {
        // A window from 1.2 ms to 1.3 ms into the trace.
        let scale = TimeScale::new(T0 + 1_200_000, T0 + 1_300_000, 500.0);
        let ticks = scale.ticks(T0, 50.0);
        let labels: Vec<&str> = ticks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "1200 µs", "1210 µs", "1220 µs", "1230 µs", "1240 µs", "1250 µs", "1260 µs",
                "1270 µs", "1280 µs", "1290 µs", "1300 µs"
            ]
        );
        assert_eq!(ticks[0].x_px, 0.0);
    }

    #[test]
    fn labels_carry_the_decimals_of_their_step() {
        assert_eq!(offset_label(1_400_000, 200_000), "1.4 ms");
        assert_eq!(offset_label(15_000_000, 5_000_000), "15 ms");
        assert_eq!(offset_label(2_500, 500), "2.5 µs");
        assert_eq!(offset_label(1_210_000, 10_000), "1210 µs");
        assert_eq!(offset_label(120, 20), "120 ns");
        assert_eq!(offset_label(3_000_000_000, 1_000_000_000), "3 s");
    }

    #[test]
    fn a_narrow_axis_gets_fewer_ticks_so_labels_do_not_overlap() {
        assert_eq!(tick_spacing_percent(0.0), 10.0);
        assert_eq!(tick_spacing_percent(1600.0), 10.0);
        let narrow = tick_spacing_percent(320.0);
        assert_eq!(narrow, 20.0);
        // 100 ms on 320 px: steps of 20 ms at most five ticks, 64 px apart.
        let scale = TimeScale::new(0, 100_000_000, 100.0);
        let ticks = scale.ticks(0, narrow);
        assert!(ticks.len() <= 6, "{ticks:?}");
        for pair in ticks.windows(2) {
            assert!((pair[1].x_px - pair[0].x_px) * 3.2 >= TICK_LABEL_PX);
        }
    }
}
