//! Writing the model back out: the OTLP JSON of a span (the inspector's Raw
//! view, copy as JSON), of whole traces with their logs (the collector's
//! read API and export) or of some spans (the viewer's export); a GenAI
//! conversation as Markdown; the waterfall as SVG.

pub mod markdown;
pub mod otlp_data;
pub mod otlp_json;
pub mod svg;
