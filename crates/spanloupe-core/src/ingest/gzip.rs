//! gzip-compressed inputs (`.gz`, or a server's compressed response saved to
//! disk). Detected by the magic bytes, not the file name.

use std::io::Read;

use flate2::read::MultiGzDecoder;

use super::IngestError;
use super::limits::{self, Measured};

/// The two bytes every gzip member starts with (RFC 1952).
const MAGIC: [u8; 2] = [0x1f, 0x8b];

pub fn is_gzip(bytes: &[u8]) -> bool {
    bytes.starts_with(&MAGIC)
}

/// Decompresses all members (concatenated gzip files are one stream), up
/// to the input limit: a few megabytes of gzip can hold gigabytes of zeros.
pub fn decompress(bytes: &[u8]) -> Result<Vec<u8>, IngestError> {
    decompress_at_most(bytes, limits::MAX_INPUT_BYTES)
}

/// [`decompress`], with the limit given (for tests).
pub fn decompress_at_most(bytes: &[u8], limit: u64) -> Result<Vec<u8>, IngestError> {
    const CHUNK: usize = 1 << 20;
    let mut decoder = MultiGzDecoder::new(bytes);
    let mut out = Vec::new();
    limits::try_reserve(&mut out, bytes.len().saturating_mul(4).min(CHUNK * 64))?;
    loop {
        if out.len() as u64 > limit {
            return Err(IngestError::TooLarge {
                what: Measured::Decompressed,
                size: out.len() as u64,
                over: true,
            });
        }
        if out.capacity() - out.len() < CHUNK {
            let more = out.len().max(CHUNK);
            limits::try_reserve(&mut out, more)?;
        }
        let at = out.len();
        let room = (out.capacity() - at).min(CHUNK);
        out.resize(at + room, 0);
        let read = decoder.read(out.get_mut(at..).unwrap_or_default());
        match read {
            Ok(0) => {
                out.truncate(at);
                return Ok(out);
            }
            Ok(n) => out.truncate(at + n),
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => out.truncate(at),
            Err(err) => return Err(IngestError::Gzip(err.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use flate2::Compression;
    use flate2::write::GzEncoder;

    use super::*;

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
        encoder.write_all(bytes).unwrap();
        encoder.finish().unwrap()
    }

    #[test]
    fn decompresses_every_member() {
        let mut two = gzip(b"hello, ");
        two.extend(gzip(b"world"));
        assert_eq!(decompress(&two).unwrap(), b"hello, world");
    }

    #[test]
    fn a_bomb_stops_at_the_limit_with_a_reason() {
        // 64 MB of zeros is 64 kB of gzip: past a limit of 10 MB it stops.
        let bomb = gzip(&vec![0; 64 << 20]);
        assert!(bomb.len() < 100_000);
        let error = decompress_at_most(&bomb, 10_000_000).unwrap_err();
        assert!(
            matches!(error, IngestError::TooLarge { what: Measured::Decompressed, size, over: true } if size > 10_000_000 && size < 12_000_000),
            "{error:?}"
        );
        assert_eq!(decompress_at_most(&bomb, 64 << 20).unwrap().len(), 64 << 20);
    }
}
