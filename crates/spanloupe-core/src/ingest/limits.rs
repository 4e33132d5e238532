//! How much a page can hold. A WebAssembly module has at most 4 GB of
//! memory, and the ingest worker holds an input, the model it builds and
//! the encoded reply at once: past the limit here, an input would end its
//! worker (and, before workers, the tab) instead of being refused with a
//! reason. Every size a user can reach is checked against it before the
//! memory is asked for: a file's size, a decompressed size, a download.

use crate::format;

/// The most bytes one input may have, compressed or not. A 1M-span OTLP
/// JSON file is 1.1 GB.
pub const MAX_INPUT_BYTES: u64 = 1_500_000_000;

/// What was measured against the limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Measured {
    /// A file, or a response's body.
    File,
    /// A gzip input once decompressed.
    Decompressed,
}

/// `Ok` when `size` bytes of `what` are within the limit.
pub fn check(what: Measured, size: u64) -> Result<(), super::IngestError> {
    if size <= MAX_INPUT_BYTES {
        Ok(())
    } else {
        Err(super::IngestError::TooLarge {
            what,
            size,
            over: false,
        })
    }
}

/// "this file is 2.1 GB; the limit in this browser is 1.5 GB (…)"
pub fn too_large_message(what: Measured, size: u64, over: bool) -> String {
    let size = format::bytes(usize::try_from(size).unwrap_or(usize::MAX));
    let is = if over { "is over" } else { "is" };
    let subject = match what {
        Measured::File => format!("this file {is} {size}"),
        Measured::Decompressed => format!("decompressed, this file {is} {size}"),
    };
    format!(
        "{subject}; the limit in this browser is {} (a page's WebAssembly memory is 4 GB at most, for the file and the model read from it)",
        format::bytes(usize::try_from(MAX_INPUT_BYTES).unwrap_or(usize::MAX))
    )
}

/// Makes room for `additional` more bytes in `bytes`, or says why not: an
/// infallible reservation that fails ends the program, which in a browser
/// is the worker or the page.
pub fn try_reserve(bytes: &mut Vec<u8>, additional: usize) -> Result<(), super::IngestError> {
    bytes.try_reserve(additional).map_err(|_| {
        super::IngestError::OutOfMemory(format!(
            "the browser gave no memory for {} more (holding {} already)",
            format::bytes(additional),
            format::bytes(bytes.len())
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_over_the_limit_says_its_size_and_the_limit() {
        assert!(check(Measured::File, MAX_INPUT_BYTES).is_ok());
        let error = check(Measured::File, 2_100_000_000).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("this file is 2.1 GB; the limit in this browser is 1.5 GB ("),
            "{error}"
        );
        let cut = super::super::IngestError::TooLarge {
            what: Measured::Decompressed,
            size: MAX_INPUT_BYTES + 1,
            over: true,
        };
        assert!(
            cut.to_string()
                .starts_with("decompressed, this file is over 1.5 GB; the limit"),
            "{cut}"
        );
    }

    #[test]
    fn a_reservation_the_allocator_refuses_is_an_error() {
        let mut bytes = vec![1u8; 3];
        assert!(try_reserve(&mut bytes, 10).is_ok());
        let error = try_reserve(&mut bytes, usize::MAX).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("the browser gave no memory for "),
            "{error}"
        );
    }
}
