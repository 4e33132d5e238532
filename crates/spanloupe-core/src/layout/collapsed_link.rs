//! Collapsed spans as a link writes them (`&collapsed=`), compactly: `all`
//! for "collapse all", `d3` for "show 3 levels", else the collapsed spans'
//! offsets in their trace in base 36 (`a.1f.2k`), up to [`MAX_LISTED`]. A
//! link of the same data gives the same spans back.

use super::SpanSet;
use super::rows::{collapse_all, collapse_from_depth};
use crate::model::{SpanIdx, Trace, TraceSet};

/// More collapsed spans than this are left out of a link (it would grow
/// past what chats and address bars take).
pub const MAX_LISTED: usize = 200;
/// The depths `d<N>` stands for.
const DEPTHS: std::ops::RangeInclusive<u32> = 1..=9;

/// The link's text for `collapsed`; `None` when nothing is collapsed, or
/// too many spans to list.
pub fn encode(set: &TraceSet, trace: &Trace, collapsed: &SpanSet) -> Option<String> {
    if collapsed.is_empty() {
        return None;
    }
    match shown_levels(set, trace, collapsed) {
        Some(None) => return Some("all".to_owned()),
        Some(Some(depth)) if DEPTHS.contains(&depth) => return Some(format!("d{depth}")),
        _ => {}
    }
    if collapsed.count() > MAX_LISTED {
        return None;
    }
    let offsets: Vec<String> = collapsed
        .iter()
        .map(|idx| base36(idx.0.saturating_sub(trace.spans.start)))
        .collect();
    Some(offsets.join("."))
}

/// Whether `collapsed` is "collapse all" (`Some(None)`) or "show N levels"
/// (`Some(Some(N))`), in one pass without building either to compare (this
/// runs on each collapse, on traces of a million spans): every collapsed
/// span has children, and those left open are all shallower than those
/// collapsed.
fn shown_levels(set: &TraceSet, trace: &Trace, collapsed: &SpanSet) -> Option<Option<u32>> {
    let mut deepest_open: Option<u32> = None;
    let mut shallowest_collapsed = u32::MAX;
    for index in trace.spans.range() {
        let idx = SpanIdx::at(index);
        let span = set.span(idx)?;
        let has_children = span.subtree_end.index() > index + 1;
        match (collapsed.contains(idx), has_children) {
            (true, false) => return None,
            (true, true) => shallowest_collapsed = shallowest_collapsed.min(span.depth),
            (false, true) => deepest_open = deepest_open.max(Some(span.depth)),
            (false, false) => {}
        }
    }
    match deepest_open {
        None => Some(None),
        // Showing `open + 2` levels collapses what is deeper than `open`.
        Some(open) if open < shallowest_collapsed => Some(Some(open + 2)),
        Some(_) => None,
    }
}

/// The collapsed spans a link's text names in `trace`; unknown parts are
/// skipped, so a link of other data collapses what it can.
pub fn decode(set: &TraceSet, trace: &Trace, text: &str) -> SpanSet {
    if text == "all" {
        return collapse_all(set, trace);
    }
    if let Some(depth) = text
        .strip_prefix('d')
        .and_then(|d| d.parse::<u32>().ok())
        .filter(|d| DEPTHS.contains(d))
    {
        return collapse_from_depth(set, trace, depth);
    }
    let mut collapsed = SpanSet::for_trace(trace);
    for part in text.split('.') {
        if let Ok(offset) = u32::from_str_radix(part, 36)
            && offset < trace.spans.len
        {
            collapsed.insert(SpanIdx(trace.spans.start + offset));
        }
    }
    collapsed
}

fn base36(mut n: u32) -> String {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = Vec::new();
    loop {
        out.push(DIGITS.get((n % 36) as usize).copied().unwrap_or(b'0'));
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::Source;

    /// A trace of a root, two children, and a grandchild under each.
    fn trace_set() -> TraceSet {
        let span = |id: u8, parent: Option<u8>| {
            let parent = parent
                .map(|p| format!(r#","parentSpanId":"{p:016x}""#))
                .unwrap_or_default();
            format!(
                r#"{{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"{id:016x}"{parent},"name":"s{id}","startTimeUnixNano":"{id}","endTimeUnixNano":"100"}}"#
            )
        };
        let spans = [
            span(1, None),
            span(2, Some(1)),
            span(3, Some(2)),
            span(4, Some(1)),
            span(5, Some(4)),
        ]
        .join(",");
        let text = format!(r#"{{"resourceSpans":[{{"scopeSpans":[{{"spans":[{spans}]}}]}}]}}"#);
        crate::load(text.as_bytes(), Source::default())
            .map(|loaded| loaded.set)
            .unwrap_or_default()
    }

    #[test]
    fn collapse_all_depths_and_lists_round_trip() {
        let set = trace_set();
        let trace = &set.traces[0];
        assert_eq!(encode(&set, trace, &SpanSet::for_trace(trace)), None);
        let all = collapse_all(&set, trace);
        assert_eq!(encode(&set, trace, &all).as_deref(), Some("all"));
        assert_eq!(decode(&set, trace, "all"), all);
        let two_levels = collapse_from_depth(&set, trace, 2);
        assert_eq!(encode(&set, trace, &two_levels).as_deref(), Some("d2"));
        assert_eq!(decode(&set, trace, "d2"), two_levels);
        // One child collapsed: its offset.
        let mut one = SpanSet::for_trace(trace);
        let child = trace
            .spans
            .range()
            .map(SpanIdx::at)
            .find(|&i| set.span(i).is_some_and(|s| set.str(s.name) == "s4"));
        one.insert(child.unwrap_or(SpanIdx(0)));
        let text = encode(&set, trace, &one).unwrap_or_default();
        assert!(
            !text.is_empty() && !text.contains(|c: char| !c.is_ascii_alphanumeric()),
            "{text}"
        );
        assert_eq!(decode(&set, trace, &text), one);
        // Whatever a depth collapses, the link says it and gives it back.
        for depth in 1..=4 {
            let levels = collapse_from_depth(&set, trace, depth);
            if let Some(text) = encode(&set, trace, &levels) {
                assert_eq!(decode(&set, trace, &text), levels, "depth {depth}: {text}");
            }
        }
        // What does not fit the trace is skipped.
        assert_eq!(decode(&set, trace, "zz.?.9"), SpanSet::for_trace(trace));
        assert_eq!(base36(0), "0");
        assert_eq!(base36(36 * 36 + 35), "10z");
    }
}
