//! Inputs written to hurt: nesting 100,000 levels deep, in every place a
//! reader could recurse over it. Each gives an error with a position, or
//! loads with the deep part cut; none overflows the stack (a crash of the
//! worker, or of the page).

use spanloupe_core::ingest::{IngestError, Source};

const LEVELS: usize = 100_000;

fn load(bytes: &[u8]) -> Result<spanloupe_core::Loaded, IngestError> {
    spanloupe_core::load(bytes, Source::default())
}

/// A one-span document whose attribute `deep` holds `value`.
fn with_attribute_value(value: &str) -> String {
    format!(
        r#"{{"resourceSpans":[{{"scopeSpans":[{{"spans":[{{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"x","attributes":[{{"key":"deep","value":{value}}}]}}]}}]}}]}}"#
    )
}

#[test]
fn json_values_nested_100000_levels_deep_are_refused_with_their_position() {
    let kvlists = format!(
        "{}{{\"stringValue\":\"x\"}}{}",
        r#"{"kvlistValue":{"values":[{"key":"k","value":"#.repeat(LEVELS),
        "}]}}".repeat(LEVELS)
    );
    let arrays = format!(
        "{}{{\"stringValue\":\"x\"}}{}",
        r#"{"arrayValue":{"values":["#.repeat(LEVELS),
        "]}}".repeat(LEVELS)
    );
    for value in [kvlists, arrays] {
        let error = load(with_attribute_value(&value).as_bytes()).unwrap_err();
        let IngestError::Json {
            line: 1, message, ..
        } = &error
        else {
            panic!("{error}");
        };
        assert!(message.contains("recursion limit exceeded"), "{error}");
    }
    // JSON Lines: the same, on the line it is on.
    let line = with_attribute_value(&format!(
        "{}{{\"stringValue\":\"x\"}}{}",
        r#"{"arrayValue":{"values":["#.repeat(LEVELS),
        "]}}".repeat(LEVELS)
    ));
    let good = with_attribute_value(r#"{"stringValue":"fine"}"#);
    let error = load(format!("{good}\n{line}\n").as_bytes()).unwrap_err();
    assert!(error.to_string().starts_with("line 2, column "), "{error}");
}

#[test]
fn json_nested_as_deep_as_allowed_loads() {
    // 25 levels of kvlists (four JSON levels each, in a document of nine)
    // is within the limit of 128.
    let value = format!(
        "{}{{\"stringValue\":\"x\"}}{}",
        r#"{"kvlistValue":{"values":[{"key":"k","value":"#.repeat(25),
        "}]}}".repeat(25)
    );
    let loaded = load(with_attribute_value(&value).as_bytes()).unwrap();
    assert_eq!(loaded.set.span_count(), 1);
}

/// Appends `value` as a protobuf varint.
fn varint(out: &mut Vec<u8>, mut value: usize) {
    while value >= 0x80 {
        out.push(value.to_le_bytes()[0] | 0x80);
        value >>= 7;
    }
    out.push(value.to_le_bytes()[0]);
}

fn varint_len(value: usize) -> usize {
    let mut out = Vec::new();
    varint(&mut out, value);
    out.len()
}

/// Appends a length-delimited field of `body` bytes.
fn field(out: &mut Vec<u8>, number: u8, body: &[u8]) {
    out.push((number << 3) | 2);
    varint(out, body.len());
    out.extend_from_slice(body);
}

/// An OTLP `AnyValue` that is a kvlist of one entry whose value is a kvlist
/// of one entry … `levels` deep, then a string. Written outside in, with
/// the lengths worked out inside out: wrapping each level in turn would copy
/// the whole value 100,000 times.
fn nested_any_value(levels: usize) -> Vec<u8> {
    let inner = [0x0a, 0x01, b'x']; // string_value = "x"
    // (kvlist length, key-value length) of each level, innermost first.
    let mut lengths = Vec::with_capacity(levels);
    let mut value_len = inner.len();
    for _ in 0..levels {
        let key_value = 3 + 1 + varint_len(value_len) + value_len;
        let kvlist = 1 + varint_len(key_value) + key_value;
        lengths.push((kvlist, key_value, value_len));
        value_len = 1 + varint_len(kvlist) + kvlist;
    }
    let mut out = Vec::with_capacity(value_len);
    for &(kvlist, key_value, value_len) in lengths.iter().rev() {
        out.push((6 << 3) | 2); // AnyValue.kvlist_value
        varint(&mut out, kvlist);
        out.push((1 << 3) | 2); // KeyValueList.values
        varint(&mut out, key_value);
        out.extend_from_slice(&[0x0a, 0x01, b'k']); // KeyValue.key = "k"
        out.push((2 << 3) | 2); // KeyValue.value
        varint(&mut out, value_len);
    }
    out.extend_from_slice(&inner);
    out
}

/// An `ExportTraceServiceRequest` of one span with the attribute `deep`.
fn protobuf_request(value: &[u8]) -> Vec<u8> {
    let mut attribute = Vec::new();
    field(&mut attribute, 1, b"deep");
    field(&mut attribute, 2, value);
    let mut span = Vec::new();
    field(&mut span, 1, &[0x5b; 16]);
    field(&mut span, 2, &[0xee; 8]);
    field(&mut span, 5, b"x");
    span.push((7 << 3) | 1);
    span.extend_from_slice(&1u64.to_le_bytes());
    span.push((8 << 3) | 1);
    span.extend_from_slice(&2u64.to_le_bytes());
    field(&mut span, 9, &attribute);
    let mut scope_spans = Vec::new();
    field(&mut scope_spans, 2, &span);
    let mut resource_spans = Vec::new();
    field(&mut resource_spans, 2, &scope_spans);
    let mut request = Vec::new();
    field(&mut request, 1, &resource_spans);
    request
}

#[test]
fn protobuf_values_nested_100000_levels_deep_are_refused() {
    let shallow = load(&protobuf_request(&nested_any_value(3))).unwrap();
    assert_eq!(shallow.set.span_count(), 1);
    let error = load(&protobuf_request(&nested_any_value(LEVELS))).unwrap_err();
    assert!(
        matches!(&error, IngestError::Protobuf(message) if message.contains("recursion limit")),
        "{error}"
    );
}

#[test]
fn gzip_inside_gzip_is_refused_not_unwrapped_again_and_again() {
    use std::io::Write;
    let mut bytes = with_attribute_value(r#"{"stringValue":"x"}"#).into_bytes();
    for _ in 0..3 {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(&bytes).unwrap();
        bytes = encoder.finish().unwrap();
    }
    let error = load(&bytes).unwrap_err();
    assert_eq!(
        error.to_string(),
        "the input is gzip-compressed but could not be decompressed: it is compressed twice"
    );
}
