//! String interning: every name, key and string value of a trace set is stored
//! once, and spans refer to it by a 4-byte [`StrId`]. Attribute keys and many
//! values (`http.method = GET`) repeat on every span, so this is the largest
//! memory saving of the model.

use std::hash::BuildHasher;

use hashbrown::{DefaultHashBuilder, HashTable};

/// A handle to an interned string; `StrId::EMPTY` is `""`.
#[derive(
    serde::Serialize,
    serde::Deserialize,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Debug,
    Default,
)]
pub struct StrId(u32);

impl StrId {
    pub const EMPTY: StrId = StrId(0);

    pub fn is_empty(self) -> bool {
        self == Self::EMPTY
    }

    /// Its position among the interner's strings (`0..Interner::len()`), for
    /// tables indexed by string.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// All strings in one buffer, with a hash table of ids for deduplication.
#[derive(Clone)]
pub struct Interner {
    text: String,
    /// `ends[i]` is where string `i` ends in `text`; it starts at `ends[i - 1]`.
    ends: Vec<usize>,
    table: HashTable<u32>,
    hasher: DefaultHashBuilder,
}

impl Default for Interner {
    fn default() -> Self {
        Self::new()
    }
}

impl Interner {
    pub fn new() -> Self {
        let mut interner = Self {
            text: String::new(),
            ends: Vec::new(),
            table: HashTable::new(),
            hasher: DefaultHashBuilder::default(),
        };
        interner.intern("");
        interner
    }

    /// The id of `s`, adding it if it is new.
    pub fn intern(&mut self, s: &str) -> StrId {
        let hash = self.hasher.hash_one(s);
        let Self {
            text,
            ends,
            table,
            hasher,
        } = self;
        if let Some(&id) = table.find(hash, |&id| slice(text, ends, id) == s) {
            return StrId(id);
        }
        let id = to_id(ends.len());
        text.push_str(s);
        ends.push(text.len());
        table.insert_unique(hash, id, |&id| hasher.hash_one(slice(text, ends, id)));
        StrId(id)
    }

    /// The text of an id; `""` for an id from another interner.
    pub fn get(&self, id: StrId) -> &str {
        slice(&self.text, &self.ends, id.0)
    }

    /// The id of `s` if it was interned.
    pub fn lookup(&self, s: &str) -> Option<StrId> {
        let hash = self.hasher.hash_one(s);
        self.table
            .find(hash, |&id| slice(&self.text, &self.ends, id) == s)
            .map(|&id| StrId(id))
    }

    /// Every string, in id order (the first is `""`).
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.ends.len()).map(|id| slice(&self.text, &self.ends, to_id(id)))
    }

    /// How many distinct strings are stored.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.len() <= 1
    }

    /// Bytes of string text held.
    pub fn text_bytes(&self) -> usize {
        self.text.len()
    }
}

impl std::fmt::Debug for Interner {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "Interner({} strings)", self.len())
    }
}

/// The id of the string at `index`. More than 4 billion distinct strings
/// cannot be addressed; they would not fit in a browser tab either: saturate
/// rather than panic.
fn to_id(index: usize) -> u32 {
    u32::try_from(index).unwrap_or(u32::MAX)
}

/// String `index` of the buffer: it starts where string `index - 1` ends.
fn slice<'a>(text: &'a str, ends: &[usize], index: u32) -> &'a str {
    let index = index as usize;
    let start = match index.checked_sub(1) {
        Some(previous) => ends.get(previous).copied().unwrap_or(0),
        None => 0,
    };
    let end = ends.get(index).copied().unwrap_or(start);
    text.get(start..end).unwrap_or("")
}

/// Sent as its text and string ends only: the hash table is rebuilt on
/// arrival (hashing every string once), which is smaller on the wire than
/// the table and independent of the hasher's seed. The worker's reply sends
/// the same two in pieces instead ([`InternerArrival`]).
impl serde::Serialize for Interner {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serde::Serialize::serialize(&(&self.text, &self.ends), serializer)
    }
}

impl<'de> serde::Deserialize<'de> for Interner {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let (text, ends): (String, Vec<usize>) = serde::Deserialize::deserialize(deserializer)?;
        let mut arrival = InternerArrival::new(ends.len(), text.len());
        arrival.add_ends(&ends);
        arrival
            .add_text(&text)
            .and_then(|()| arrival.finish())
            .map_err(serde::de::Error::custom)
    }
}

impl Interner {
    /// The text of every string, one after the other, and where each ends:
    /// what [`InternerArrival`] is given, in pieces.
    pub(crate) fn text_and_ends(&self) -> (&str, &[usize]) {
        (&self.text, &self.ends)
    }
}

/// An interner arriving in pieces, as the worker sends it to the page: the
/// string ends, then the text in chunks. Each string is hashed into the
/// table as soon as its text is in, so the work of a piece is in
/// proportion to its size: a 20 MB string table costs ten 2 MB steps, not
/// one long task.
pub(crate) struct InternerArrival {
    text: String,
    ends: Vec<usize>,
    /// How many strings are in the table: those whose text is all in.
    hashed: usize,
    table: HashTable<u32>,
    hasher: DefaultHashBuilder,
}

const OUT_OF_ORDER: &str = "string ends out of order";

impl InternerArrival {
    /// Room for `strings` strings of `text_bytes` bytes in all, as far as
    /// it can be had: the counts come from the sender, and a damaged count
    /// fails later, on the pieces, instead of reserving more than can be held.
    pub(crate) fn new(strings: usize, text_bytes: usize) -> Self {
        let mut text = String::new();
        let mut ends = Vec::new();
        let _ = text.try_reserve_exact(text_bytes);
        let _ = ends.try_reserve_exact(strings);
        Self {
            text,
            ends,
            hashed: 0,
            table: HashTable::with_capacity(strings.min(1 << 24)),
            hasher: DefaultHashBuilder::default(),
        }
    }

    pub(crate) fn add_ends(&mut self, ends: &[usize]) {
        self.ends.extend_from_slice(ends);
    }

    /// Appends text, and hashes the strings it completes.
    pub(crate) fn add_text(&mut self, chunk: &str) -> Result<(), &'static str> {
        self.text.push_str(chunk);
        self.hash_complete()
    }

    /// Hashes the strings whose text is all in, in id order.
    fn hash_complete(&mut self) -> Result<(), &'static str> {
        let Self {
            text,
            ends,
            hashed,
            table,
            hasher,
        } = self;
        while let Some(&end) = ends.get(*hashed) {
            if end > text.len() {
                break;
            }
            let start = match hashed.checked_sub(1) {
                Some(previous) => ends.get(previous).copied().unwrap_or(0),
                None => 0,
            };
            if end < start || !text.is_char_boundary(end) {
                return Err(OUT_OF_ORDER);
            }
            let id = to_id(*hashed);
            let hash = hasher.hash_one(slice(text, ends, id));
            table.insert_unique(hash, id, |&id| hasher.hash_one(slice(text, ends, id)));
            *hashed += 1;
        }
        Ok(())
    }

    /// The interner, once every string's text is in and nothing is left over.
    pub(crate) fn finish(mut self) -> Result<Interner, &'static str> {
        // Strings of no text (the empty string) need no text piece.
        self.hash_complete()?;
        let complete = self.hashed == self.ends.len()
            && self.ends.last().copied().unwrap_or(0) == self.text.len();
        if !complete {
            return Err("the string table arrived incomplete");
        }
        Ok(Interner {
            text: self.text,
            ends: self.ends,
            table: self.table,
            hasher: self.hasher,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_string_gets_the_same_id() {
        let mut strings = Interner::new();
        let a = strings.intern("http.method");
        let b = strings.intern("GET");
        assert_eq!(strings.intern("http.method"), a);
        assert_ne!(a, b);
        assert_eq!(strings.get(a), "http.method");
        assert_eq!(strings.get(b), "GET");
        assert_eq!(strings.intern(""), StrId::EMPTY);
        assert_eq!(strings.lookup("GET"), Some(b));
        assert_eq!(strings.lookup("POST"), None);
    }

    #[test]
    fn many_strings_survive_table_growth() {
        let mut strings = Interner::new();
        let ids: Vec<_> = (0..10_000)
            .map(|i| strings.intern(&format!("key-{i}")))
            .collect();
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(strings.get(*id), format!("key-{i}"));
            assert_eq!(strings.intern(&format!("key-{i}")), *id);
        }
        assert_eq!(strings.len(), 10_001);
    }
}
