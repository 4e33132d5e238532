//! A set of spans of one trace, one bit per span: collapse state, search
//! matches, the spans a filter keeps. A trace of a million spans needs 125 KB.

use crate::model::{SpanIdx, Trace};

/// Spans of one trace, by their offset in the trace's range.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SpanSet {
    first: u32,
    len: u32,
    words: Vec<u64>,
}

impl SpanSet {
    /// The empty set for the spans of `trace`.
    pub fn for_trace(trace: &Trace) -> Self {
        let len = trace.spans.len;
        Self {
            first: trace.spans.start,
            len,
            words: vec![0; (len as usize).div_ceil(64)],
        }
    }

    fn slot(&self, idx: SpanIdx) -> Option<(usize, u64)> {
        let offset = idx.0.checked_sub(self.first).filter(|&o| o < self.len)?;
        Some(((offset / 64) as usize, 1u64 << (offset % 64)))
    }

    pub fn contains(&self, idx: SpanIdx) -> bool {
        self.slot(idx)
            .is_some_and(|(word, bit)| self.words.get(word).is_some_and(|w| w & bit != 0))
    }

    /// Adds `idx`; spans outside the trace are ignored.
    pub fn insert(&mut self, idx: SpanIdx) {
        if let Some((word, bit)) = self.slot(idx)
            && let Some(w) = self.words.get_mut(word)
        {
            *w |= bit;
        }
    }

    pub fn remove(&mut self, idx: SpanIdx) {
        if let Some((word, bit)) = self.slot(idx)
            && let Some(w) = self.words.get_mut(word)
        {
            *w &= !bit;
        }
    }

    /// Flips `idx`; returns whether it is now in the set.
    pub fn toggle(&mut self, idx: SpanIdx) -> bool {
        if self.contains(idx) {
            self.remove(idx);
            false
        } else {
            self.insert(idx);
            self.contains(idx)
        }
    }

    pub fn clear(&mut self) {
        self.words.iter_mut().for_each(|w| *w = 0);
    }

    pub fn count(&self) -> usize {
        self.words.iter().map(|w| w.count_ones() as usize).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.words.iter().all(|w| *w == 0)
    }

    /// The first member at or after `from`.
    pub fn next_from(&self, from: SpanIdx) -> Option<SpanIdx> {
        let offset = from.0.saturating_sub(self.first);
        if offset >= self.len {
            return None;
        }
        let (mut word_index, bit) = ((offset / 64) as usize, offset % 64);
        // The first word without the bits before `from`.
        let mut word = self.words.get(word_index)? & (u64::MAX << bit);
        loop {
            if word != 0 {
                let found =
                    u32::try_from(word_index).unwrap_or(u32::MAX / 64) * 64 + word.trailing_zeros();
                return (found < self.len).then_some(SpanIdx(self.first + found));
            }
            word_index += 1;
            word = *self.words.get(word_index)?;
        }
    }

    /// The members, in span order.
    pub fn iter(&self) -> impl Iterator<Item = SpanIdx> + '_ {
        self.words
            .iter()
            .enumerate()
            .flat_map(move |(word_index, &word)| {
                let base = self.first + u32::try_from(word_index).unwrap_or(u32::MAX / 64) * 64;
                (0..64u32)
                    .filter(move |bit| word & (1u64 << bit) != 0)
                    .map(move |bit| SpanIdx(base + bit))
            })
    }
}
