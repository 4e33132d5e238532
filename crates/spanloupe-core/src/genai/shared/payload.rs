//! Attribute values as plain JSON. GenAI payloads arrive as JSON strings, as
//! structured `arrayValue`/`kvlistValue`, or double-encoded (a JSON string
//! whose content is JSON text); all become the same `serde_json::Value`.

use serde_json::Value as Json;

use crate::genai::model::Part;
use crate::model::plain_json;
use crate::model::{TraceSet, Value};

/// The value as JSON: strings that hold JSON (once or twice encoded) are
/// parsed; other strings stay strings. A string is parsed where it is kept,
/// not copied first: a 10 MB message list was copied once for nothing.
pub fn json_of(set: &TraceSet, value: Value) -> Json {
    match value {
        Value::Str(id) => {
            let text = set.str(id);
            parse_embedded(text).unwrap_or_else(|| Json::String(text.to_owned()))
        }
        other => plain_json(set, other),
    }
}

/// JSON text inside a string, unwrapping a second level of encoding (a
/// third is left a string). Text nested deeper than `serde_json`'s 128
/// levels stays text: nothing recurses further over it.
pub fn parse_embedded(text: &str) -> Option<Json> {
    match parse_json_text(text)? {
        Json::String(inner) => Some(match parse_json_text(&inner) {
            Some(Json::String(_)) | None => Json::String(inner),
            Some(parsed) => parsed,
        }),
        parsed => Some(parsed),
    }
}

/// A string's text as JSON, when it looks like a JSON list, object or string.
fn parse_json_text(text: &str) -> Option<Json> {
    let trimmed = text.trim();
    if !(trimmed.starts_with('[') || trimmed.starts_with('{') || trimmed.starts_with('"')) {
        return None;
    }
    serde_json::from_str::<Json>(trimmed).ok()
}

/// Whether `text` is JSON cut off before its end: it opens a list or an
/// object and stops inside it, as a backend that shortens long attribute
/// values leaves it (Tempo keeps the first 2 KB by default).
pub fn is_cut_off_json(text: &str) -> bool {
    let trimmed = text.trim();
    (trimmed.starts_with('[') || trimmed.starts_with('{'))
        && serde_json::from_str::<serde::de::IgnoredAny>(trimmed).is_err_and(|err| err.is_eof())
}

/// A string field of a JSON object.
pub fn str_field<'a>(object: &'a Json, key: &str) -> Option<&'a str> {
    object.get(key)?.as_str()
}

/// Text content in any of the shapes conventions use: a string, a list of
/// `{type: "text", text|content}` blocks, or `{text}`.
pub fn text_of(content: &Json) -> Option<String> {
    match content {
        Json::String(text) => Some(text.clone()),
        Json::Array(blocks) => {
            let texts: Vec<String> = blocks.iter().filter_map(text_of).collect();
            (!texts.is_empty()).then(|| texts.join("\n"))
        }
        Json::Object(map) => map
            .get("text")
            .or_else(|| map.get("content"))
            .and_then(|t| {
                if t.is_object() {
                    t.get("value")
                } else {
                    Some(t)
                }
            })
            .and_then(Json::as_str)
            .map(str::to_owned),
        _ => None,
    }
}

/// A payload no parser understood, kept for the user to read: text as
/// text, anything else as raw JSON.
pub fn raw_part(value: &Json) -> Part {
    match value {
        Json::String(text) => Part::Text(text.clone()),
        other => Part::Unknown(other.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_cut_off_is_told_from_whole_json_and_text() {
        assert!(is_cut_off_json(
            r#"[{"role": "user", "parts": [{"type": "text", "content": "Hel"#
        ));
        assert!(is_cut_off_json(" {\"a\": "));
        assert!(!is_cut_off_json(r#"[{"role": "user"}]"#));
        assert!(!is_cut_off_json("[not json"), "malformed, not cut off");
        assert!(!is_cut_off_json("Hello"));
        assert!(!is_cut_off_json("[1, 2] trailing"));
    }

    #[test]
    fn json_nested_100000_levels_deep_stays_text() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(parse_embedded(&deep), None);
        let encoded = serde_json::to_string(&deep).unwrap();
        assert_eq!(parse_embedded(&encoded), Some(Json::String(deep)));
    }

    #[test]
    fn embedded_json_is_parsed_once_or_twice() {
        assert_eq!(
            parse_embedded(r#"[{"a":1}]"#),
            Some(serde_json::json!([{"a": 1}]))
        );
        assert_eq!(
            parse_embedded(r#""[{\"a\":1}]""#),
            Some(serde_json::json!([{"a": 1}]))
        );
        assert_eq!(parse_embedded("plain text"), None);
        assert_eq!(parse_embedded("[not json"), None);
    }

    #[test]
    fn text_comes_out_of_every_content_shape() {
        assert_eq!(text_of(&serde_json::json!("hi")), Some("hi".into()));
        assert_eq!(
            text_of(&serde_json::json!([{"type": "text", "text": "a"}, {"text": "b"}])),
            Some("a\nb".into())
        );
        assert_eq!(
            text_of(&serde_json::json!({"text": {"value": "agents"}})),
            Some("agents".into())
        );
    }
}
