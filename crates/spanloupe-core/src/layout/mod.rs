//! What the views compute from the model, as plain functions with native
//! tests: which rows are visible, where a time falls on screen, which spans
//! match a search, a span's self time, the URL hash. Components call these
//! and only draw.

pub mod align;
pub mod attributes;
pub mod carry_over;
pub mod collapsed_link;
pub mod compare;
pub mod critical_path;
pub mod flame;
pub mod hash;
pub mod logical;
pub mod minimap;
pub mod palette;
pub mod recent;
pub mod rows;
pub mod search;
pub mod self_time;
pub mod sessions;
mod slots;
mod span_set;
pub mod statistics;
#[cfg(test)]
mod test_trace;
mod time_scale;
pub mod trace_list;
pub mod zoom;

pub use rows::{Row, Rows, visible_rows};
pub use slots::Slots;
pub use span_set::SpanSet;
pub use time_scale::{Tick, TimeScale, tick_spacing_percent};
