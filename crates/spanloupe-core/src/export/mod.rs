//! Writing the model back out: the OTLP JSON of a span (the inspector's Raw
//! view, copy as JSON) and, later, of a whole trace.

pub mod otlp_json;
