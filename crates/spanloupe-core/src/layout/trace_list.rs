//! The table of traces when an input holds more than one: which traces a
//! filter keeps, in which order a column sorts them, and which rows are on
//! screen (a collector's export holds tens of thousands of traces, too many
//! elements to draw whole).

use std::ops::Range;

use crate::model::{Trace, TraceSet};

/// The height of a row of the table, in CSS pixels (`.sl-trace-row`).
pub const ROW_HEIGHT_PX: f64 = 30.0;

/// Rows drawn past each edge of the screen, so a scroll of a few rows shows
/// rows already drawn.
const OVERSCAN: usize = 10;

/// The rows to draw of a table of `total` rows, scrolled `scroll_px` down
/// in a viewport `viewport_px` high.
pub fn rows_on_screen(total: usize, scroll_px: f64, viewport_px: f64) -> Range<usize> {
    let row = |px: f64| {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // clamped to ≥ 0
        let row = (px.max(0.0) / ROW_HEIGHT_PX) as usize;
        row
    };
    let first = row(scroll_px).saturating_sub(OVERSCAN).min(total);
    let last = row(scroll_px + viewport_px)
        .saturating_add(1 + OVERSCAN)
        .min(total);
    first..last.max(first)
}

/// The sortable columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    Name,
    Services,
    Spans,
    Errors,
    Start,
    Duration,
}

/// The root name of a trace: what users call it.
pub fn trace_name<'a>(set: &'a TraceSet, trace: &Trace) -> &'a str {
    trace.root().map_or("", |root| set.span_name(root))
}

/// The indices into `set.traces` to show: those whose root name, services or
/// id contain `filter` (case-insensitively), sorted by `column`.
pub fn trace_rows(set: &TraceSet, filter: &str, column: Column, descending: bool) -> Vec<usize> {
    let needle = filter.trim().to_lowercase();
    let mut rows: Vec<usize> = (0..set.traces.len())
        .filter(|&i| {
            let Some(trace) = set.traces.get(i) else {
                return false;
            };
            needle.is_empty()
                || trace_name(set, trace).to_lowercase().contains(&needle)
                || trace
                    .services
                    .iter()
                    .any(|s| set.str(*s).to_lowercase().contains(&needle))
                || trace.trace_id.to_string().contains(&needle)
        })
        .collect();
    let traces = &set.traces;
    let key = |i: &usize| traces.get(*i);
    rows.sort_by(|a, b| {
        let (Some(x), Some(y)) = (key(a), key(b)) else {
            return std::cmp::Ordering::Equal;
        };
        let order = match column {
            Column::Name => trace_name(set, x).cmp(trace_name(set, y)),
            Column::Services => {
                let first = |t: &Trace| t.services.first().map_or("", |s| set.str(*s));
                first(x).cmp(first(y))
            }
            Column::Spans => x.span_count().cmp(&y.span_count()),
            Column::Errors => x.error_count.cmp(&y.error_count),
            Column::Start => x.start_unix_nanos.cmp(&y.start_unix_nanos),
            Column::Duration => x.duration_nanos().cmp(&y.duration_nanos()),
        };
        // Ties by start time keep the order stable and meaningful.
        let order = order.then(x.start_unix_nanos.cmp(&y.start_unix_nanos));
        if descending { order.reverse() } else { order }
    });
    rows
}
