//! Writing the model back out: the OTLP JSON of a span (the inspector's Raw
//! view, copy as JSON), and of whole traces with their logs (the collector's
//! read API and export).

pub mod otlp_data;
pub mod otlp_json;
