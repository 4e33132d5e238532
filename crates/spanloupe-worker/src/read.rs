//! Reading files (or a range of one) into WASM memory, telling the page how
//! far it has got.

use std::cell::Cell;
use std::ops::Range;

use js_sys::Uint8Array;
use spanloupe_core::ingest::limits;
use spanloupe_worker::js::count;
use spanloupe_worker::protocol::FromWorker;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

/// Reads `range` of a file onto the end of `bytes` (which may already hold
/// a prefix), in slices, telling `progress` the bytes read so far after each.
///
/// Why slices, all requested at once: one `arrayBuffer()` of the whole file
/// gives no progress; reading slices one after the other waits for each
/// round trip, and so does `Blob.stream()`, whose chunks are 64 KB.
pub async fn read_into(
    file: &web_sys::Blob,
    range: Range<f64>,
    bytes: &mut Vec<u8>,
    progress: impl Fn(usize),
) -> Result<(), JsValue> {
    const SLICE: f64 = 8.0 * 1024.0 * 1024.0;
    let mut reads = Vec::new();
    let mut start = range.start;
    while start < range.end {
        let end = (start + SLICE).min(range.end);
        reads.push(JsFuture::from(
            file.slice_with_f64_and_f64(start, end)?.array_buffer(),
        ));
        start = end;
    }
    // A file the browser holds may be larger than this memory can take.
    limits::try_reserve(bytes, count(range.end - range.start))
        .map_err(|err| JsValue::from_str(&err.to_string()))?;
    let mut done = 0;
    for read in reads {
        let array = Uint8Array::new(&read.await?);
        let at = bytes.len();
        bytes.resize(at + array.length() as usize, 0);
        if let Some(target) = bytes.get_mut(at..) {
            array.copy_to(target);
        }
        done += array.length() as usize;
        progress(done);
    }
    Ok(())
}

/// A whole file's bytes.
pub async fn read_file(file: &web_sys::Blob, progress: impl Fn(usize)) -> Result<Vec<u8>, JsValue> {
    let mut bytes = Vec::new();
    read_into(file, 0.0..file.size(), &mut bytes, progress).await?;
    Ok(bytes)
}

/// Tells the page how much of what this worker reads has been read, in
/// about a hundred steps (a message per chunk read would be thousands).
pub struct ReadProgress {
    total: usize,
    /// Bytes of the files read before the current one.
    before: Cell<usize>,
    /// What the page was last told.
    told: Cell<usize>,
}

impl ReadProgress {
    /// For reading `total` bytes in all.
    pub fn new(total: usize) -> Self {
        Self {
            total,
            before: Cell::new(0),
            told: Cell::new(0),
        }
    }

    /// `done` bytes of the current file are read.
    pub fn report(&self, done: usize) {
        let read = self.before.get() + done;
        if read < self.told.get() + self.total / 100 && read < self.total {
            return;
        }
        self.told.set(read);
        // Progress is a nicety: a message that cannot be posted is skipped.
        let _ = crate::post(FromWorker::Progress {
            read,
            total: self.total,
        });
    }

    /// The current file, of `size` bytes, is read.
    pub fn finish_file(&self, size: usize) {
        self.before.set(self.before.get() + size);
    }
}
