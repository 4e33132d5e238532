//! A live trace that got more spans is read again as a new set, where every
//! span may sit at another index: what the user set up in it (the selected
//! span, the collapsed spans) is found again by ids, so the view stays where
//! it was. Spans new to the trace start expanded.

use super::SpanSet;
use crate::model::{SpanId, SpanIdx, TraceSet};

/// The user's view of a trace, in a newer set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Carried {
    /// The trace's position in the newer set.
    pub trace: usize,
    pub selected: Option<SpanIdx>,
    pub collapsed: SpanSet,
}

/// Carries the view of `old.traces[trace]` over to `new`; `None` when the
/// newer set no longer holds that trace.
pub fn carry_over(
    old: &TraceSet,
    trace: usize,
    selected: Option<SpanIdx>,
    collapsed: &SpanSet,
    new: &TraceSet,
) -> Option<Carried> {
    let trace_id = old.traces.get(trace)?.trace_id;
    let position = new.trace_position(trace_id)?;
    let new_trace = new.traces.get(position)?;
    let span_id = |idx: SpanIdx| -> Option<SpanId> { old.span(idx).map(|s| s.span_id) };
    let find = |id: SpanId| new.find_span(trace_id, id);
    let mut carried = SpanSet::for_trace(new_trace);
    for idx in collapsed.iter() {
        if let Some(found) = span_id(idx).and_then(find) {
            carried.insert(found);
        }
    }
    Some(Carried {
        trace: position,
        selected: selected.and_then(span_id).and_then(find),
        collapsed: carried,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::Source;

    fn trace_json(extra_span: bool) -> String {
        let span = |id: &str, parent: &str, name: &str, start: u64| {
            format!(
                r#"{{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"{id}","parentSpanId":"{parent}","name":"{name}","startTimeUnixNano":"{start}","endTimeUnixNano":"{}"}}"#,
                start + 100
            )
        };
        let mut spans = vec![
            span("00000000000000a1", "", "root", 10),
            span("00000000000000b2", "00000000000000a1", "child", 20),
            span("00000000000000c3", "00000000000000b2", "grandchild", 30),
        ];
        if extra_span {
            // Starts first among the root's children: it comes before them in pre-order.
            spans.insert(1, span("00000000000000d4", "00000000000000a1", "early", 11));
        }
        format!(
            r#"{{"resourceSpans":[{{"scopeSpans":[{{"spans":[{}]}}]}}]}}"#,
            spans.join(",")
        )
    }

    fn load(json: &str) -> TraceSet {
        crate::load(json.as_bytes(), Source::default())
            .map(|l| l.set)
            .unwrap_or_default()
    }

    fn named(set: &TraceSet, name: &str) -> Option<SpanIdx> {
        (0..set.span_count())
            .map(SpanIdx::at)
            .find(|&idx| set.span_name(idx) == name)
    }

    #[test]
    fn selection_and_collapsed_spans_follow_their_ids() {
        let old = load(&trace_json(false));
        let new = load(&trace_json(true));
        let child = named(&old, "child");
        let grandchild = named(&old, "grandchild");
        assert!(child.is_some() && grandchild.is_some());
        let mut collapsed = SpanSet::for_trace(&old.traces[0]);
        if let Some(child) = child {
            collapsed.insert(child);
        }
        let carried = carry_over(&old, 0, grandchild, &collapsed, &new);
        let carried = carried.expect("the trace is in the newer set");
        assert_eq!(carried.trace, 0);
        // The indices moved: the new span comes before them.
        assert_ne!(named(&new, "grandchild"), grandchild);
        assert_eq!(carried.selected, named(&new, "grandchild"));
        let collapsed_now: Vec<_> = carried.collapsed.iter().collect();
        assert_eq!(
            collapsed_now,
            named(&new, "child").into_iter().collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_trace_gone_from_the_newer_set_is_none() {
        let old = load(&trace_json(false));
        let collapsed = SpanSet::for_trace(&old.traces[0]);
        assert_eq!(
            carry_over(&old, 0, None, &collapsed, &TraceSet::default()),
            None
        );
    }
}
