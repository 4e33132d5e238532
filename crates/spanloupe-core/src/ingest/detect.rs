//! Recognises what a file is from its content, to read it or to say what it
//! looks like instead. Used on the failure path only: the fast path parses
//! OTLP directly and calls this when the data turns out to be something else.

use serde_json::Value;

/// What a piece of JSON (or text) looks like, when it is not OTLP.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// A trace format we know of but do not read yet (Zipkin, Jaeger).
    UnsupportedTraceFormat(String),
    /// Something else entirely: metrics, an HTML page, unrelated JSON.
    Other(String),
}

/// How far into a file the format is sniffed.
const SNIFF_BYTES: usize = 64 * 1024;

/// Whether JSON is Jaeger's (`{"data": [trace…]}`, a trace, a list of
/// them): its spans have an `operationName` key, which OTLP and Zipkin never
/// use. Only a key counts (followed by `:`), not a value that reads the
/// same, and only in the first 64 KB: a span comes early in any Jaeger file.
pub fn looks_like_jaeger(bytes: &[u8]) -> bool {
    has_key(
        bytes.get(..SNIFF_BYTES).unwrap_or(bytes),
        b"\"operationName\"",
    )
}

/// Whether JSON is Zipkin's v2: its spans have `traceId` and `id` keys (OTLP
/// says `spanId`), and v1's `binaryAnnotations` is absent (v1 is not read).
pub fn looks_like_zipkin_v2(bytes: &[u8]) -> bool {
    let head = bytes.get(..SNIFF_BYTES).unwrap_or(bytes);
    has_key(head, b"\"traceId\"")
        && has_key(head, b"\"id\"")
        && !has_key(head, b"\"binaryAnnotations\"")
}

/// Whether `quoted` (a key with its quotes) appears as an object key.
fn has_key(bytes: &[u8], quoted: &[u8]) -> bool {
    memchr::memmem::find_iter(bytes, quoted).any(|at| {
        bytes
            .get(at + quoted.len()..)
            .and_then(|rest| rest.iter().find(|b| !b.is_ascii_whitespace()))
            == Some(&b':')
    })
}

/// Classifies a parsed JSON value.
pub fn classify_json(value: &Value) -> Verdict {
    match value {
        Value::Array(items) => classify_array(items),
        Value::Object(map) => classify_object(map),
        Value::Null => Verdict::Other("JSON null".to_owned()),
        Value::Bool(_) | Value::Number(_) | Value::String(_) => {
            Verdict::Other("a single JSON value, not an object".to_owned())
        }
    }
}

fn classify_array(items: &[Value]) -> Verdict {
    match items.first() {
        None => Verdict::Other("an empty JSON array".to_owned()),
        // Zipkin's query API returns a list of traces, each a list of spans.
        Some(Value::Array(inner)) => match classify_array(inner) {
            Verdict::UnsupportedTraceFormat(name) => {
                Verdict::UnsupportedTraceFormat(format!("{name} (a list of traces)"))
            }
            other => other,
        },
        Some(Value::Object(first)) if is_zipkin_span(first) => {
            let version =
                if first.contains_key("annotations") || first.contains_key("binaryAnnotations") {
                    "Zipkin v1 JSON"
                } else {
                    "Zipkin v2 JSON"
                };
            Verdict::UnsupportedTraceFormat(version.to_owned())
        }
        Some(_) => Verdict::Other("a JSON array that is not a list of spans".to_owned()),
    }
}

fn is_zipkin_span(span: &serde_json::Map<String, Value>) -> bool {
    span.contains_key("traceId")
        && span.contains_key("id")
        && [
            "localEndpoint",
            "remoteEndpoint",
            "timestamp",
            "annotations",
            "binaryAnnotations",
        ]
        .iter()
        .any(|key| span.contains_key(*key))
}

fn classify_object(map: &serde_json::Map<String, Value>) -> Verdict {
    let first_of = |key: &str| {
        map.get(key)
            .and_then(Value::as_array)
            .and_then(|a| a.first())
    };
    if first_of("data")
        .and_then(Value::as_object)
        .is_some_and(|t| t.contains_key("traceID"))
    {
        return Verdict::UnsupportedTraceFormat(
            "Jaeger UI JSON (the /api/traces format of Jaeger's query service)".to_owned(),
        );
    }
    if first_of("spans")
        .and_then(Value::as_object)
        .is_some_and(|s| s.contains_key("operationName"))
    {
        return Verdict::UnsupportedTraceFormat(
            "Jaeger api_v2 JSON (spans with operationName)".to_owned(),
        );
    }
    if is_zipkin_span(map) {
        return Verdict::UnsupportedTraceFormat("Zipkin v2 JSON (a single span)".to_owned());
    }
    if map
        .get("context")
        .and_then(Value::as_object)
        .is_some_and(|c| c.contains_key("trace_id"))
    {
        return Verdict::UnsupportedTraceFormat(
            "the OpenTelemetry Python SDK's console exporter output".to_owned(),
        );
    }
    if map.contains_key("resourceMetrics") || map.contains_key("resource_metrics") {
        return Verdict::Other("OTLP metrics; Spanloupe shows traces and logs".to_owned());
    }
    if map.contains_key("resourceProfiles") {
        return Verdict::Other("OTLP profiles; Spanloupe shows traces and logs".to_owned());
    }
    if first_of("traces")
        .and_then(Value::as_object)
        .is_some_and(|t| t.contains_key("traceID"))
    {
        return Verdict::Other(
            "a Tempo search result (trace summaries without spans); open one trace by its id instead".to_owned(),
        );
    }
    let mut keys: Vec<&str> = map.keys().map(String::as_str).take(6).collect();
    if keys.is_empty() {
        return Verdict::Other("an empty JSON object".to_owned());
    }
    if map.len() > keys.len() {
        keys.push("…");
    }
    Verdict::Other(format!("a JSON object with the keys {}", keys.join(", ")))
}

/// Classifies input that is not JSON, from its first bytes.
pub fn classify_text(bytes: &[u8]) -> Option<Verdict> {
    let head = bytes.get(..bytes.len().min(4096))?;
    let text = match std::str::from_utf8(head) {
        Ok(text) => text,
        // Cut in the middle of a character at the end: still text.
        Err(err) if err.error_len().is_none() => {
            std::str::from_utf8(head.get(..err.valid_up_to())?).ok()?
        }
        Err(_) => return None,
    };
    if text
        .chars()
        .take(512)
        .any(|c| c.is_control() && !c.is_whitespace())
    {
        return None;
    }
    let start = text.trim_start();
    let lower: String = start
        .chars()
        .take(64)
        .collect::<String>()
        .to_ascii_lowercase();
    if lower.starts_with("<!doctype html") || lower.starts_with("<html") {
        return Some(Verdict::Other(
            "an HTML page; if it came from a URL, the server answered with a web page (a login or error page?) instead of trace data".to_owned(),
        ));
    }
    if lower.starts_with('<') {
        return Some(Verdict::Other("XML or HTML".to_owned()));
    }
    let first_line: String = start
        .lines()
        .next()
        .unwrap_or("")
        .chars()
        .take(60)
        .collect();
    Some(Verdict::Other(format!(
        "plain text, starting with {first_line:?}"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdict(json: &str) -> Verdict {
        classify_json(&serde_json::from_str(json).unwrap())
    }

    #[test]
    fn zipkin_and_jaeger_shapes_are_named() {
        assert_eq!(
            verdict(r#"[{"traceId":"a","id":"b","timestamp":1}]"#),
            Verdict::UnsupportedTraceFormat("Zipkin v2 JSON".into())
        );
        assert!(
            matches!(verdict(r#"{"data":[{"traceID":"a","spans":[]}]}"#), Verdict::UnsupportedTraceFormat(s) if s.starts_with("Jaeger UI JSON"))
        );
    }

    #[test]
    fn unrelated_json_lists_its_keys() {
        assert_eq!(
            verdict(r#"{"a":1,"b":2}"#),
            Verdict::Other("a JSON object with the keys a, b".into())
        );
    }

    #[test]
    fn html_is_recognised() {
        let verdict = classify_text(b"<!DOCTYPE html><html>").unwrap();
        assert!(matches!(verdict, Verdict::Other(s) if s.starts_with("an HTML page")));
        assert!(classify_text(&[0x0a, 0x8f, 0x01, 0x00, 0xff]).is_none());
    }
}
