//! The page's side of reading one large file in several workers at once
//! (`spanloupe_core::ingest::split` says where a file can be cut and why it
//! is safe): it reads the file's head and a window after each place it
//! would like a part to start, and plans the parts. The workers read their
//! parts themselves (`worker::load`).

use js_sys::Uint8Array;
use spanloupe_core::ingest::split::{
    CutSearch, HEAD_BYTES, Layout, MIN_SPLIT_BYTES, Part, TAIL_BYTES, targets,
};
use spanloupe_worker::js::number;
use wasm_bindgen_futures::JsFuture;

/// The parts to read `file` in with `workers` workers; `None` when it is
/// small, not JSON, or has no place to cut: it is read in one piece.
pub async fn plan(file: &web_sys::File, workers: usize) -> Option<(Layout, Vec<Part>)> {
    let size = spanloupe_worker::js::offset(file.size());
    if workers < 2 || size < MIN_SPLIT_BYTES {
        return None;
    }
    let mut layout = Layout::of(&read(file, 0, HEAD_BYTES).await?)?;
    if layout.wants_tail() {
        layout.add_tail(&read(file, size.saturating_sub(TAIL_BYTES), TAIL_BYTES).await?);
    }
    let mut cuts = Vec::new();
    for target in targets(size, workers) {
        let mut search = CutSearch::new(target);
        while let Some((offset, len)) = search.window() {
            let window = read(file, offset, len).await?;
            if let Some(cut) = search.look(&layout, &window) {
                cuts.push(cut);
                break;
            }
        }
    }
    let parts = layout.parts(size, &cuts);
    (parts.len() > 1).then_some((layout, parts))
}

/// `len` bytes of the file from `offset` (fewer at its end).
async fn read(file: &web_sys::File, offset: u64, len: u64) -> Option<Vec<u8>> {
    let slice = file
        .slice_with_f64_and_f64(number(offset), number(offset + len))
        .ok()?;
    let buffer = JsFuture::from(slice.array_buffer()).await.ok()?;
    Some(Uint8Array::new(&buffer).to_vec())
}
