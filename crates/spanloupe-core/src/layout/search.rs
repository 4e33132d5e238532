//! Search within a trace: by span name, service, attribute key or value.
//!
//! The query is matched case-insensitively as a substring. `key=value`
//! matches spans having an attribute whose key contains `key` and whose value
//! contains `value`. Strings are interned, so each distinct string is tested
//! once and the per-span work is table lookups: a 100,000-span trace is
//! searched in a few milliseconds.

use crate::model::{Attribute, SpanIdx, StrId, Trace, TraceSet, Value};

/// A parsed query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Query {
    /// Matches a span's name, service, or any attribute key or value.
    Text(String),
    /// Matches an attribute by key and value.
    KeyValue { key: String, value: String },
}

impl Query {
    /// `None` for a blank query.
    pub fn parse(text: &str) -> Option<Query> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        match text.split_once('=') {
            Some((key, value)) if !key.trim().is_empty() => Some(Query::KeyValue {
                key: key.trim().to_lowercase(),
                value: value.trim().to_lowercase(),
            }),
            _ => Some(Query::Text(text.to_lowercase())),
        }
    }
}

/// Remembers, for each interned string, whether it contains the needle.
struct StringMatches<'a> {
    set: &'a TraceSet,
    needle: &'a str,
    /// 0: not tested yet, 1: no, 2: yes.
    memo: Vec<u8>,
    /// Numbers are formatted here, not into a new string each.
    scratch: String,
    /// Whether the needle could be part of a formatted number at all: most
    /// searches are words, and formatting every number of a trace to find
    /// out costs more than the rest of the search.
    numeric: bool,
}

impl<'a> StringMatches<'a> {
    fn new(set: &'a TraceSet, needle: &'a str) -> Self {
        Self {
            set,
            needle,
            memo: vec![0; set.strings.len()],
            scratch: String::new(),
            numeric: needle
                .bytes()
                .all(|b| b.is_ascii_digit() || b"-+.einfa".contains(&b)),
        }
    }

    fn matches(&mut self, id: StrId) -> bool {
        if self.needle.is_empty() {
            return true;
        }
        let slot = id.index();
        match self.memo.get(slot) {
            Some(1) => false,
            Some(2) => true,
            _ => {
                let hit = contains_ignoring_case(self.set.str(id), self.needle);
                if let Some(memo) = self.memo.get_mut(slot) {
                    *memo = if hit { 2 } else { 1 };
                }
                hit
            }
        }
    }

    /// Whether a value's text contains the needle. Strings use the memo;
    /// other scalars are formatted; arrays and lists match on any element.
    fn value_matches(&mut self, value: Value, depth: u8) -> bool {
        if self.needle.is_empty() {
            return true;
        }
        match value {
            Value::Str(id) => self.matches(id),
            Value::Bool(b) => contains_ignoring_case(if b { "true" } else { "false" }, self.needle),
            Value::Int(i) => self.formatted_matches(i),
            Value::Double(d) => self.formatted_matches(d),
            Value::Empty | Value::Bytes(_) => false,
            Value::Array(slice) if depth < 4 => {
                let values = self.set.values(slice);
                values.iter().any(|v| self.value_matches(*v, depth + 1))
            }
            Value::KvList(slice) if depth < 4 => {
                let pairs = self.set.attributes(slice);
                pairs
                    .iter()
                    .any(|a| self.matches(a.key) || self.value_matches(a.value, depth + 1))
            }
            Value::Array(_) | Value::KvList(_) => false,
        }
    }
}

impl StringMatches<'_> {
    fn formatted_matches(&mut self, number: impl std::fmt::Display) -> bool {
        use std::fmt::Write;
        if !self.numeric {
            return false;
        }
        self.scratch.clear();
        // Writing to a String cannot fail.
        let _ = write!(self.scratch, "{number}");
        contains_ignoring_case(&self.scratch, self.needle)
    }
}

/// Case-insensitive substring test; `needle` is already lower-case.
///
/// Every distinct string of the trace is tested once per search, prompts of
/// many kilobytes included, so this is the search's hot loop: `memchr` finds
/// the candidates for the needle's first byte (either case) at memory speed,
/// and only those are compared.
pub(crate) fn contains_ignoring_case(haystack: &str, needle: &str) -> bool {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    let Some(&first) = n.first() else {
        return true;
    };
    if !(haystack.is_ascii() && needle.is_ascii()) {
        return haystack.to_lowercase().contains(needle);
    }
    let Some(last_start) = h.len().checked_sub(n.len()) else {
        return false;
    };
    let candidates = &h[..=last_start];
    let (lower, upper) = (first.to_ascii_lowercase(), first.to_ascii_uppercase());
    memchr::memchr2_iter(lower, upper, candidates).any(|at| {
        h.get(at..at + n.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(n))
    })
}

/// The spans of `trace` matching `query`, in tree (pre-)order.
pub fn search(set: &TraceSet, trace: &Trace, query: &Query) -> Vec<SpanIdx> {
    let mut matches = Vec::new();
    match query {
        Query::Text(needle) => {
            let mut strings = StringMatches::new(set, needle);
            for index in trace.spans.range() {
                let idx = SpanIdx::at(index);
                let Some(span) = set.span(idx) else { continue };
                let service = set.resource(span.resource).map(|r| r.service_name);
                let hit = strings.matches(span.name)
                    || service.is_some_and(|s| strings.matches(s))
                    || set
                        .attributes(span.attributes)
                        .iter()
                        .any(|a| attribute_matches(&mut strings, a));
                if hit {
                    matches.push(idx);
                }
            }
        }
        Query::KeyValue { key, value } => {
            let mut keys = StringMatches::new(set, key);
            let mut values = StringMatches::new(set, value);
            for index in trace.spans.range() {
                let idx = SpanIdx::at(index);
                let Some(span) = set.span(idx) else { continue };
                let hit = set
                    .attributes(span.attributes)
                    .iter()
                    .any(|a| keys.matches(a.key) && values.value_matches(a.value, 0));
                if hit {
                    matches.push(idx);
                }
            }
        }
    }
    matches
}

fn attribute_matches(strings: &mut StringMatches, attribute: &Attribute) -> bool {
    strings.matches(attribute.key) || strings.value_matches(attribute.value, 0)
}

/// The error spans of `trace`, in tree order, for "next error".
pub fn errors(set: &TraceSet, trace: &Trace) -> Vec<SpanIdx> {
    trace
        .spans
        .range()
        .map(SpanIdx::at)
        .filter(|&idx| set.span(idx).is_some_and(|span| span.is_error()))
        .collect()
}

/// The next (or previous) entry of `list` after (before) `current` in tree
/// order, wrapping around. With no current span, the first (last).
pub fn step(list: &[SpanIdx], current: Option<SpanIdx>, forward: bool) -> Option<SpanIdx> {
    let (first, last) = (list.first().copied()?, list.last().copied()?);
    let Some(current) = current else {
        return Some(if forward { first } else { last });
    };
    if forward {
        let at = list.partition_point(|&idx| idx <= current);
        Some(list.get(at).copied().unwrap_or(first))
    } else {
        let at = list.partition_point(|&idx| idx < current);
        Some(
            at.checked_sub(1)
                .and_then(|i| list.get(i).copied())
                .unwrap_or(last),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::contains_ignoring_case;

    #[test]
    fn substring_tests_ignore_case_at_every_position() {
        assert!(
            contains_ignoring_case("GET /Checkout", "checkout"),
            "at the end"
        );
        assert!(
            contains_ignoring_case("CheckoutService", "checkout"),
            "at the start"
        );
        assert!(
            contains_ignoring_case("a-cHeCk-b", "check"),
            "in the middle"
        );
        assert!(
            !contains_ignoring_case("chec", "check"),
            "longer than the text"
        );
        assert!(
            !contains_ignoring_case("c c c chex", "check"),
            "candidates that fail"
        );
        assert!(contains_ignoring_case("anything", ""), "the empty needle");
        assert!(
            contains_ignoring_case("/v1/forecast?x=1", "=1"),
            "punctuation"
        );
        assert!(
            contains_ignoring_case("Résumé Über", "über"),
            "non-ASCII text"
        );
        assert!(!contains_ignoring_case("Résumé", "uber"));
    }
}
