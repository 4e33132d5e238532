//! One colour per service, stable within a trace: the n-th service of the
//! trace gets the n-th colour of a palette chosen to stay distinct on light
//! and dark backgrounds. The waterfall, the minimap and the SVG export use
//! the same.

use crate::model::{SpanIdx, TraceSet};

const PALETTE: [&str; 10] = [
    "#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2", "#edc948", "#ff9da7", "#9c755f",
    "#e15759", "#bab0ac",
];

/// The CSS colour of the service at `index` in the trace's service list.
pub fn service_color(index: usize) -> &'static str {
    PALETTE
        .get(index % PALETTE.len())
        .copied()
        .unwrap_or("#888888")
}

/// The colour of a span: its service's, in its trace.
pub fn span_color(set: &TraceSet, idx: SpanIdx) -> &'static str {
    let service = set
        .span(idx)
        .and_then(|span| set.resource(span.resource))
        .map(|r| r.service_name);
    let index = set
        .trace_of(idx)
        .and_then(|t| t.services.iter().position(|s| Some(*s) == service))
        .unwrap_or(0);
    service_color(index)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn services_take_the_palette_in_turn() {
        assert_eq!(service_color(0), "#4e79a7");
        assert_eq!(service_color(1), "#f28e2b");
        assert_eq!(service_color(10), service_color(0));
    }
}
