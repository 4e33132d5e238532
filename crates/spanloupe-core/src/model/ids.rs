//! Trace and span ids, and the text forms they arrive in.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};

/// A 16-byte trace id. All zeros means "no trace id" (invalid per W3C).
#[derive(
    serde::Serialize, serde::Deserialize, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default,
)]
pub struct TraceId(pub [u8; 16]);

/// An 8-byte span id. All zeros means "no span id".
#[derive(
    serde::Serialize, serde::Deserialize, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default,
)]
pub struct SpanId(pub [u8; 8]);

impl TraceId {
    /// The id from its bytes: 16 bytes as they are, 8 bytes (a 64-bit
    /// Zipkin/Jaeger id) left-padded with zeros; anything else is `None`.
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let mut id = [0u8; 16];
        match bytes.len() {
            16 => id.copy_from_slice(bytes),
            8 => id[8..].copy_from_slice(bytes),
            _ => return None,
        }
        Some(Self(id))
    }

    pub fn is_zero(&self) -> bool {
        self.0 == [0; 16]
    }

    /// The id as a number that sorts as the id does: sorting by it compares
    /// integers instead of byte arrays (much faster, in WASM above all).
    pub fn sort_key(self) -> u128 {
        u128::from_be_bytes(self.0)
    }

    /// A trace id from text (hex or base64, as in OTLP JSON); `None` when
    /// empty or malformed.
    pub fn parse(text: &str) -> Option<Self> {
        let mut bytes = [0; 16];
        let len = decode_id_text_into(text, IdKind::Trace, &mut bytes).ok()?;
        Self::from_bytes(bytes.get(..len)?)
    }
}

impl SpanId {
    /// The id from its bytes: exactly 8 bytes, otherwise `None`.
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        <[u8; 8]>::try_from(bytes).ok().map(Self)
    }

    pub fn is_zero(&self) -> bool {
        self.0 == [0; 8]
    }

    /// The id as a number that sorts as the id does (see [`TraceId::sort_key`]).
    pub fn sort_key(self) -> u64 {
        u64::from_be_bytes(self.0)
    }

    /// A span id from text, like [`TraceId::parse`].
    pub fn parse(text: &str) -> Option<Self> {
        let mut bytes = [0; 16];
        let len = decode_id_text_into(text, IdKind::Span, &mut bytes).ok()?;
        Self::from_bytes(bytes.get(..len)?)
    }
}

fn write_hex(f: &mut fmt::Formatter, bytes: &[u8]) -> fmt::Result {
    for byte in bytes {
        write!(f, "{byte:02x}")?;
    }
    Ok(())
}

/// Lowercase hex, as OTLP JSON and the W3C `traceparent` write it.
impl fmt::Display for TraceId {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write_hex(f, &self.0)
    }
}

impl fmt::Debug for TraceId {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "TraceId({self})")
    }
}

impl fmt::Display for SpanId {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write_hex(f, &self.0)
    }
}

impl fmt::Debug for SpanId {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "SpanId({self})")
    }
}

/// Which id a text is, for its expected length and the wording of errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdKind {
    Trace,
    Span,
    /// A span id where empty means "none" (parent span ids, log span ids).
    ParentSpan,
}

impl IdKind {
    pub fn label(self) -> &'static str {
        match self {
            IdKind::Trace => "trace id",
            IdKind::Span => "span id",
            IdKind::ParentSpan => "parent span id",
        }
    }

    fn byte_len(self) -> usize {
        match self {
            IdKind::Trace => 16,
            IdKind::Span | IdKind::ParentSpan => 8,
        }
    }
}

/// Decodes an id from OTLP JSON text: hex of any case (the OTLP rule), or
/// base64 (the generic protobuf JSON mapping). Hex is tried first because a
/// 32-character hex string is also valid base64 (of 24 bytes). Trace ids of
/// 16 hex characters (64-bit ids from Zipkin or Jaeger) are accepted.
/// The empty string is "no id" and gives empty bytes.
///
/// The bytes go to `out` (no allocation: this runs three times per span);
/// the result is how many were written.
pub fn decode_id_text_into(text: &str, kind: IdKind, out: &mut [u8; 16]) -> Result<usize, String> {
    if text.is_empty() {
        return Ok(0);
    }
    let want = kind.byte_len();
    let hex_ok = text.len() == want * 2 || (kind == IdKind::Trace && text.len() == 16);
    if hex_ok
        && let Some(slot) = out.get_mut(..text.len() / 2)
        && decode_hex_into(text.as_bytes(), slot)
    {
        return Ok(slot.len());
    }
    if let Some(bytes) = decode_base64(text)
        && bytes.len() == want
        && let Some(slot) = out.get_mut(..want)
    {
        slot.copy_from_slice(&bytes);
        return Ok(want);
    }
    Err(format!(
        "{} must be {} hex characters (or base64 of {} bytes), found {} ({} characters)",
        kind.label(),
        want * 2,
        want,
        crate::format::quoted(text),
        text.chars().count()
    ))
}

/// Decodes hex into `out`, which is half its length; false for a non-hex
/// character.
fn decode_hex_into(hex: &[u8], out: &mut [u8]) -> bool {
    fn nibble(b: u8) -> Option<u8> {
        match b {
            b'0'..=b'9' => Some(b - b'0'),
            b'a'..=b'f' => Some(b - b'a' + 10),
            b'A'..=b'F' => Some(b - b'A' + 10),
            _ => None,
        }
    }
    for (byte, pair) in out.iter_mut().zip(hex.chunks_exact(2)) {
        match pair {
            [high, low] => match (nibble(*high), nibble(*low)) {
                (Some(high), Some(low)) => *byte = high << 4 | low,
                _ => return false,
            },
            _ => return false,
        }
    }
    true
}

/// Base64 in any of its common alphabets, padded or not.
pub fn decode_base64(text: &str) -> Option<Vec<u8>> {
    [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD]
        .iter()
        .find_map(|engine| engine.decode(text).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_id_text(text: &str, kind: IdKind) -> Result<Vec<u8>, String> {
        let mut out = [0; 16];
        let len = decode_id_text_into(text, kind, &mut out)?;
        Ok(out[..len].to_vec())
    }

    #[test]
    fn hex_ids_of_any_case_decode_alike() {
        let lower = decode_id_text("5b8efff798038103d269b633813fc60c", IdKind::Trace).unwrap();
        let upper = decode_id_text("5B8EFFF798038103D269B633813FC60C", IdKind::Trace).unwrap();
        assert_eq!(lower, upper);
        assert_eq!(lower.len(), 16);
        assert_eq!(lower[0], 0x5b);
    }

    #[test]
    fn base64_ids_decode_to_the_same_bytes_as_hex() {
        let from_b64 = decode_id_text("My09kI7UyY0=", IdKind::Span).unwrap();
        let from_hex = decode_id_text("332d3d908ed4c98d", IdKind::Span).unwrap();
        assert_eq!(from_b64, from_hex);
    }

    #[test]
    fn a_32_character_hex_trace_id_is_read_as_hex_not_base64() {
        let id = decode_id_text("00000000000000000000000000000001", IdKind::Trace).unwrap();
        assert_eq!(id, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    }

    #[test]
    fn a_64_bit_trace_id_is_left_padded() {
        let bytes = decode_id_text("463ac35c9f6413ad", IdKind::Trace).unwrap();
        let id = TraceId::from_bytes(&bytes).unwrap();
        assert_eq!(id.to_string(), "0000000000000000463ac35c9f6413ad");
    }

    #[test]
    fn a_short_id_is_an_error_that_names_the_id_and_its_length() {
        let err = decode_id_text("abc", IdKind::Span).unwrap_err();
        assert_eq!(
            err,
            "span id must be 16 hex characters (or base64 of 8 bytes), found \"abc\" (3 characters)"
        );
    }

    #[test]
    fn empty_text_is_no_id() {
        assert!(decode_id_text("", IdKind::ParentSpan).unwrap().is_empty());
    }
}
