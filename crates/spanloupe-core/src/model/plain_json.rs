//! A value as plain JSON, the way a user reads it: what "copy value" copies,
//! and what GenAI payloads that are not text are read as. Not an input or
//! output format: OTLP's own JSON of a value is `export::otlp_json`.

use serde_json::{Value as Json, json};

use super::{TraceSet, Value};

/// A value as plain JSON, the way a user reads it: strings, numbers,
/// booleans, arrays and objects (bytes as hex). For "copy value".
pub fn plain_json(set: &TraceSet, value: Value) -> Json {
    match value {
        Value::Empty => Json::Null,
        Value::Str(id) => json!(set.str(id)),
        Value::Bool(b) => json!(b),
        Value::Int(i) => json!(i),
        Value::Double(d) => {
            serde_json::Number::from_f64(d).map_or_else(|| json!(d.to_string()), Json::Number)
        }
        Value::Bytes(slice) => json!(
            set.bytes(slice)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
        ),
        Value::Array(slice) => Json::Array(
            set.values(slice)
                .iter()
                .map(|v| plain_json(set, *v))
                .collect(),
        ),
        Value::KvList(slice) => Json::Object(
            set.attributes(slice)
                .iter()
                .map(|a| (set.str(a.key).to_owned(), plain_json(set, a.value)))
                .collect(),
        ),
    }
}
