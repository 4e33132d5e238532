//! The files opened recently in a tab, as the start screen lists them: what
//! is remembered of each is its name, size and what it held, never its
//! data. Trace data is often private, the list outlives the page in the
//! tab's storage, and an address may carry a signed token in its query: an
//! address is kept without its query and fragment.

use serde::{Deserialize, Serialize};

/// How many files the list keeps.
pub const MAX_ENTRIES: usize = 8;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecentEntry {
    /// The file name, or the address without its query and fragment.
    pub name: String,
    pub bytes: usize,
    pub format: String,
    pub spans: usize,
    pub traces: usize,
}

impl RecentEntry {
    pub fn new(name: &str, bytes: usize, format: &str, spans: usize, traces: usize) -> Self {
        RecentEntry {
            name: name_to_keep(name).to_owned(),
            bytes,
            format: format.to_owned(),
            spans,
            traces,
        }
    }
}

/// The list with `entry` first, an older entry of the same name dropped,
/// and no more than [`MAX_ENTRIES`].
pub fn with_entry(mut entries: Vec<RecentEntry>, entry: RecentEntry) -> Vec<RecentEntry> {
    entries.retain(|e| e.name != entry.name);
    entries.insert(0, entry);
    entries.truncate(MAX_ENTRIES);
    entries
}

/// A name as it may be kept: a web address without its query and fragment
/// (`https://host/t.json?sig=…` → `https://host/t.json`); a file name as it is.
pub fn name_to_keep(name: &str) -> &str {
    let lower = name.get(..8).unwrap_or(name).to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        name.split(['?', '#']).next().unwrap_or(name)
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_kept_without_query_or_fragment() {
        assert_eq!(
            name_to_keep("https://bucket.example/t.json?X-Amz-Signature=abc&token=s3cret#x"),
            "https://bucket.example/t.json"
        );
        assert_eq!(
            name_to_keep("HTTP://h.example/a#frag"),
            "HTTP://h.example/a"
        );
        assert_eq!(name_to_keep("what?.json"), "what?.json");
        let entry = RecentEntry::new(
            "https://h.example/t.json?token=s3cret",
            10,
            "OTLP JSON",
            3,
            1,
        );
        assert_eq!(entry.name, "https://h.example/t.json");
    }

    #[test]
    fn the_newest_comes_first_once_and_the_list_is_bounded() {
        let entry = |name: &str| RecentEntry::new(name, 1, "OTLP JSON", 1, 1);
        let mut list = Vec::new();
        for i in 0..10 {
            list = with_entry(list, entry(&format!("{i}.json")));
        }
        list = with_entry(list, entry("5.json"));
        let names: Vec<_> = list.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "5.json", "9.json", "8.json", "7.json", "6.json", "4.json", "3.json", "2.json"
            ]
        );
    }

    #[test]
    fn entries_stored_with_their_data_by_an_older_version_are_read_without_it() {
        let old = r#"[{"name":"a.json","bytes":5,"format":"OTLP JSON","spans":1,"traces":1,"content":"{\"secret\":1}"}]"#;
        let list: Vec<RecentEntry> = serde_json::from_str(old).unwrap();
        assert!(!serde_json::to_string(&list).unwrap().contains("secret"));
    }
}
