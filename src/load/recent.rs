//! Files opened recently in this tab. The list (names, sizes, what they
//! held: `layout::recent`) is kept in `sessionStorage`, so it survives a
//! reload; the data of a file read on the page is kept only in this page's
//! memory, so one click opens it again while the page lives and nothing of
//! it is ever written to storage.

use std::cell::RefCell;
use std::rc::Rc;

use spanloupe_core::layout::recent::{RecentEntry, name_to_keep, with_entry};

use crate::state::SourceInfo;

const KEY: &str = "spanloupe.recent";
/// Files up to this size are read on the page and kept for "Open again".
pub const MAX_KEPT_BYTES: usize = 2 * 1024 * 1024;

thread_local! {
    /// The bytes of recent files read on the page, with their kept names
    /// (a few: those of the list).
    static KEPT: RefCell<Vec<(String, Rc<Vec<u8>>)>> = const { RefCell::new(Vec::new()) };
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

/// The entries, newest first. A list an older version stored with the
/// files' data in it is stored again without.
pub fn list() -> Vec<RecentEntry> {
    let Some(text) = storage().and_then(|s| s.get_item(KEY).ok()?) else {
        return Vec::new();
    };
    let entries: Vec<RecentEntry> = serde_json::from_str(&text).unwrap_or_default();
    if text.contains("\"content\"") {
        store(&entries);
    }
    entries
}

/// The data kept of a recent file, when this page read it.
pub fn kept(name: &str) -> Option<Rc<Vec<u8>>> {
    KEPT.with(|kept| {
        kept.borrow()
            .iter()
            .find(|(kept_name, _)| kept_name == name)
            .map(|(_, bytes)| bytes.clone())
    })
}

/// Records an opened input (the demo is not recorded: it is always
/// offered), and keeps its bytes in memory when the page read them.
pub fn remember(info: &SourceInfo, traces: usize, bytes: Option<&[u8]>) {
    if info.name == crate::demo::DEMO_NAME {
        return;
    }
    let entry = RecentEntry::new(&info.name, info.bytes, &info.format, info.spans, traces);
    let entries = with_entry(list(), entry);
    KEPT.with(|kept| {
        let mut kept = kept.borrow_mut();
        if let Some(bytes) = bytes.filter(|bytes| bytes.len() <= MAX_KEPT_BYTES) {
            let name = name_to_keep(&info.name);
            kept.retain(|(kept_name, _)| kept_name != name);
            kept.push((name.to_owned(), Rc::new(bytes.to_vec())));
        }
        kept.retain(|(name, _)| entries.iter().any(|e| &e.name == name));
    });
    store(&entries);
}

/// Forgets every recent file: the stored list and the data kept in memory.
pub fn forget() {
    KEPT.with(|kept| kept.borrow_mut().clear());
    if let Some(storage) = storage() {
        let _ = storage.remove_item(KEY);
    }
}

fn store(entries: &[RecentEntry]) {
    let Some(storage) = storage() else { return };
    if let Ok(text) = serde_json::to_string(entries) {
        // Refused (storage off or full): the list is a convenience, so go
        // without it.
        let _refused = storage.set_item(KEY, &text);
    }
}
