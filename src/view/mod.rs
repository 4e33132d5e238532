//! Components. Each reads the model through `spanloupe-core` and keeps its
//! own logic thin: formatting and layout math live in the core crate.

pub mod load_error;
pub mod service_colors;
pub mod span_outline;
pub mod trace_header;
pub mod trace_view;
pub mod warnings;
