//! The overview of a whole trace: every span as a line at its time, one
//! pixel row per slice of the pre-order, rasterised to a small grid so the
//! canvas draws one image however many spans there are.

use crate::model::{SpanIdx, StrId, Trace, TraceSet};

/// A grid of `width × height` cells, row by row: 0 for empty, `ERROR` for an
/// error span, else 1 + the index of the span's service in `trace.services`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Minimap {
    pub width: usize,
    pub height: usize,
    pub cells: Vec<u8>,
}

impl Minimap {
    pub const ERROR: u8 = u8::MAX;
}

pub fn minimap(set: &TraceSet, trace: &Trace, width: usize, height: usize) -> Minimap {
    let mut cells = vec![0u8; width * height];
    let count = trace.span_count();
    let duration = trace.duration_nanos().max(1);
    if width == 0 || height == 0 || count == 0 {
        return Minimap {
            width,
            height,
            cells,
        };
    }
    let services: &[StrId] = &trace.services;
    // Small traces get a band per span (with a gap), big ones a pixel row
    // per slice of spans.
    let band = (height / count).max(1);
    let thickness = if band > 2 { band - 1 } else { band };
    for (offset, index) in trace.spans.range().enumerate() {
        let Some(span) = set.span(SpanIdx::at(index)) else {
            continue;
        };
        let row = offset * height / count;
        let x = |t: u64| -> usize {
            let offset = t.saturating_sub(trace.start_unix_nanos).min(duration);
            ((u128::from(offset) * width as u128) / u128::from(duration)) as usize
        };
        // At least one cell wide; a span at the very end still gets the last cell.
        let x0 = x(span.start_unix_nanos).min(width - 1);
        let x1 = x(span.end_unix_nanos).max(x0 + 1).min(width);
        let value = if span.is_error() {
            Minimap::ERROR
        } else {
            let service = set.resource(span.resource).map(|r| r.service_name);
            let position = services
                .iter()
                .position(|s| Some(*s) == service)
                .unwrap_or(0);
            u8::try_from(position % 250 + 1).unwrap_or(1)
        };
        for y in row..(row + thickness).min(height) {
            if let Some(line) = cells.get_mut(y * width + x0..y * width + x1) {
                for cell in line {
                    // Errors stay visible under later spans.
                    if *cell != Minimap::ERROR {
                        *cell = value;
                    }
                }
            }
        }
    }
    Minimap {
        width,
        height,
        cells,
    }
}
