//! gzip-compressed inputs (`.gz`, or a server's compressed response saved to
//! disk). Detected by the magic bytes, not the file name.

use std::io::Read;

use flate2::read::MultiGzDecoder;

use super::IngestError;

/// The two bytes every gzip member starts with (RFC 1952).
const MAGIC: [u8; 2] = [0x1f, 0x8b];

pub fn is_gzip(bytes: &[u8]) -> bool {
    bytes.starts_with(&MAGIC)
}

/// Decompresses all members (concatenated gzip files are one stream).
pub fn decompress(bytes: &[u8]) -> Result<Vec<u8>, IngestError> {
    let mut out = Vec::with_capacity(bytes.len().saturating_mul(4));
    MultiGzDecoder::new(bytes)
        .read_to_end(&mut out)
        .map_err(|err| IngestError::Gzip(err.to_string()))?;
    Ok(out)
}
