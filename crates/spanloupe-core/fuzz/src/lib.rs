//! What each fuzz target checks (`checks.rs`): shared with the core's
//! tests, which replay the inputs fuzzing found (`regressions/`).

pub mod checks;
