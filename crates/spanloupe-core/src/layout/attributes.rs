//! The inspector's attribute tables: which attributes a key filter keeps,
//! and how many rows are shown at first. A span may hold a million
//! attributes, an array a million values: only the first page is drawn,
//! and more on request.

use super::search::contains_ignoring_case;
use crate::model::{Attribute, TraceSet};

/// Rows of an attribute table, or items of an array or map, drawn at first
/// and added per click.
pub const PAGE_ROWS: usize = 200;

/// The positions in `attributes` whose key contains `filter`, ignoring
/// case; `None` for an empty filter, which keeps all of them (a list of a
/// million positions would be built for nothing).
pub fn matching_keys(set: &TraceSet, attributes: &[Attribute], filter: &str) -> Option<Vec<usize>> {
    let needle = filter.trim().to_lowercase();
    if needle.is_empty() {
        return None;
    }
    let found = attributes
        .iter()
        .enumerate()
        .filter(|(_, attribute)| contains_ignoring_case(set.str(attribute.key), &needle))
        .map(|(at, _)| at)
        .collect();
    Some(found)
}

/// How many of `total` rows `pages` pages show.
pub fn rows_shown(total: usize, pages: usize) -> usize {
    total.min(pages.saturating_mul(PAGE_ROWS))
}
