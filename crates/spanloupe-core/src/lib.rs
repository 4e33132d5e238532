//! Spanloupe's core: bytes in, a normalized and indexed trace model out.
//!
//! `ingest` detects the format and parses it, `wire` holds the OTLP messages
//! as decoded, `model` is what the views read. Plain Rust, no browser
//! dependency: everything here is tested natively with `cargo test`.

pub mod connect;
pub mod embed;
pub mod export;
pub mod format;
pub mod genai;
pub mod ingest;
pub mod layout;
pub mod live;
pub mod model;
pub mod preferences;
pub mod query_string;
pub mod transfer;
pub mod wire;

pub use ingest::{IngestError, Loaded, Source, load};
pub use model::TraceSet;
