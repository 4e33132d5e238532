//! The service colours of the waterfall, the trace header and the minimap:
//! the core's palette (the SVG export uses it too).

pub use spanloupe_core::layout::palette::{service_color, span_color};
