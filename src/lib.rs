//! Spanloupe's browser app (Leptos, built by Trunk). It reads the model of
//! `spanloupe-core` and never parses: ingest happens in the core crate.

pub mod app;
pub mod connect;
pub mod demo;
pub mod embed;
pub mod live;
pub mod load;
pub mod offline;
pub mod perf;
pub mod preferences;
pub mod schedule;
pub mod state;
pub mod view;

pub use app::App;
