//! Files opened recently in this tab, kept in `sessionStorage`: their names
//! and sizes, and, for text up to 2 MB, their content, so that one click
//! opens them again.

use serde::{Deserialize, Serialize};

use crate::state::SourceInfo;

const KEY: &str = "spanloupe.recent";
const MAX_ENTRIES: usize = 8;
pub const MAX_KEPT_BYTES: usize = 2 * 1024 * 1024;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecentEntry {
    pub name: String,
    pub bytes: usize,
    pub format: String,
    pub spans: usize,
    pub traces: usize,
    /// The text, when small enough to keep.
    pub content: Option<String>,
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

/// The entries, newest first.
pub fn list() -> Vec<RecentEntry> {
    storage()
        .and_then(|s| s.get_item(KEY).ok()?)
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

/// Records an opened input (the demo is not recorded: it is always offered).
pub fn remember(info: &SourceInfo, traces: usize, bytes: Option<&[u8]>) {
    if info.name == crate::demo::DEMO_NAME {
        return;
    }
    let content = bytes
        .filter(|bytes| bytes.len() <= MAX_KEPT_BYTES)
        .and_then(|bytes| std::str::from_utf8(bytes).ok().map(str::to_owned));
    let entry = RecentEntry {
        name: info.name.clone(),
        bytes: info.bytes,
        format: info.format.clone(),
        spans: info.spans,
        traces,
        content,
    };
    let mut entries = list();
    entries.retain(|e| e.name != entry.name);
    entries.insert(0, entry);
    entries.truncate(MAX_ENTRIES);
    let Some(storage) = storage() else { return };
    if let Ok(text) = serde_json::to_string(&entries) {
        // Over quota: keep the list without contents rather than nothing.
        if storage.set_item(KEY, &text).is_err() {
            entries.iter_mut().for_each(|e| e.content = None);
            if let Ok(text) = serde_json::to_string(&entries) {
                // Still refused: the list is a convenience, so go without it.
                let _refused = storage.set_item(KEY, &text);
            }
        }
    }
}
