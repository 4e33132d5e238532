//! Deterministic trace generator for benchmarks.
