//! One colour per service, stable within a trace: the n-th service of the
//! trace gets the n-th colour of a palette chosen to stay distinct on light
//! and dark backgrounds.

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
