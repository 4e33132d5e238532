//! The logical view of a GenAI trace: the agent's steps without the
//! infrastructure under them. Spans that are not GenAI (HTTP calls, database
//! queries, framework internals) are hidden when a GenAI span is above them
//! and no GenAI span below; each GenAI span counts what it hides, for the
//! "4 infrastructure spans hidden" pill that shows them again in place.
//! Spans outside every GenAI span stay, and so do the ancestors that hold
//! GenAI spans together.

use super::SpanSet;
use crate::genai::{GenAiKind, TraceGenAi};
use crate::model::{SpanIdx, Trace, TraceSet};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Logical {
    /// The spans shown.
    pub keep: SpanSet,
    /// The GenAI spans that hide spans, and how many (sorted by span).
    hidden: Vec<(SpanIdx, usize)>,
}

impl Logical {
    /// How many infrastructure spans `span` hides (0 for most).
    pub fn hidden_under(&self, span: SpanIdx) -> usize {
        self.hidden
            .binary_search_by_key(&span, |&(s, _)| s)
            .map_or(0, |at| self.hidden[at].1)
    }

    /// How many spans are hidden in all.
    pub fn hidden_count(&self) -> usize {
        self.hidden.iter().map(|&(_, n)| n).sum()
    }
}

/// The logical view of `trace`; the GenAI spans in `expanded` show what
/// is under them.
pub fn logical(set: &TraceSet, trace: &Trace, genai: &TraceGenAi, expanded: &SpanSet) -> Logical {
    let range = trace.spans.range();
    let first = range.start;
    let is_genai = |idx: SpanIdx| genai.get(idx).is_some_and(|g| g.kind != GenAiKind::Other);
    // Whether a span holds a GenAI span below it: children after parents in
    // pre-order, so a backwards pass reaches each child before its parent.
    let mut holds_genai = vec![false; range.len()];
    for index in range.clone().rev() {
        let idx = SpanIdx::at(index);
        if (is_genai(idx) || holds_genai[index - first])
            && let Some(parent) = set.span(idx).and_then(|s| s.parent)
            && let Some(slot) = parent
                .index()
                .checked_sub(first)
                .and_then(|i| holds_genai.get_mut(i))
        {
            *slot = true;
        }
    }
    // The nearest GenAI ancestor of each span, parents first.
    let mut nearest: Vec<Option<SpanIdx>> = vec![None; range.len()];
    let mut keep = SpanSet::for_trace(trace);
    let mut hidden: Vec<(SpanIdx, usize)> = Vec::new();
    for index in range {
        let idx = SpanIdx::at(index);
        let parent = set.span(idx).and_then(|s| s.parent);
        let above = parent.and_then(|p| {
            if is_genai(p) {
                Some(p)
            } else {
                nearest
                    .get(p.index().checked_sub(first)?)
                    .copied()
                    .flatten()
            }
        });
        nearest[index - first] = above;
        let hide = !is_genai(idx)
            && !holds_genai[index - first]
            && above.is_some_and(|a| !expanded.contains(a));
        match (hide, above) {
            (true, Some(under)) => match hidden.last_mut() {
                Some((s, n)) if *s == under => *n += 1,
                _ => hidden.push((under, 1)),
            },
            _ => keep.insert(idx),
        }
    }
    // Runs of one span's hidden spans may be split by its GenAI children.
    hidden.sort_unstable_by_key(|&(s, _)| s);
    hidden.dedup_by(|later, earlier| {
        if later.0 == earlier.0 {
            earlier.1 += later.1;
            true
        } else {
            false
        }
    });
    Logical { keep, hidden }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An agent whose model call made an HTTP request (with a DNS lookup
    /// and a TLS handshake under it), a tool run that queried a database,
    /// and a health check outside the agent.
    const TRACE: &str = r#"{"resourceSpans":[{"scopeSpans":[{"spans":[
      {"traceId":"5b8efff798038103d269b633813fc60c","spanId":"0000000000000001","name":"POST /chat","startTimeUnixNano":"0","endTimeUnixNano":"100"},
      {"traceId":"5b8efff798038103d269b633813fc60c","spanId":"0000000000000002","parentSpanId":"0000000000000001","name":"invoke_agent helper","startTimeUnixNano":"1","endTimeUnixNano":"90","attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"invoke_agent"}}]},
      {"traceId":"5b8efff798038103d269b633813fc60c","spanId":"0000000000000003","parentSpanId":"0000000000000002","name":"chat gpt-4o","startTimeUnixNano":"2","endTimeUnixNano":"40","attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"chat"}}]},
      {"traceId":"5b8efff798038103d269b633813fc60c","spanId":"0000000000000004","parentSpanId":"0000000000000003","name":"POST","startTimeUnixNano":"3","endTimeUnixNano":"39"},
      {"traceId":"5b8efff798038103d269b633813fc60c","spanId":"0000000000000005","parentSpanId":"0000000000000004","name":"dns","startTimeUnixNano":"3","endTimeUnixNano":"4"},
      {"traceId":"5b8efff798038103d269b633813fc60c","spanId":"0000000000000006","parentSpanId":"0000000000000004","name":"tls","startTimeUnixNano":"4","endTimeUnixNano":"6"},
      {"traceId":"5b8efff798038103d269b633813fc60c","spanId":"0000000000000007","parentSpanId":"0000000000000002","name":"execute_tool lookup","startTimeUnixNano":"41","endTimeUnixNano":"60","attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"execute_tool"}}]},
      {"traceId":"5b8efff798038103d269b633813fc60c","spanId":"0000000000000008","parentSpanId":"0000000000000007","name":"SELECT","startTimeUnixNano":"42","endTimeUnixNano":"50"},
      {"traceId":"5b8efff798038103d269b633813fc60c","spanId":"0000000000000009","parentSpanId":"0000000000000001","name":"health","startTimeUnixNano":"91","endTimeUnixNano":"95"}
    ]}]}]}"#;

    fn named(set: &TraceSet, name: &str) -> SpanIdx {
        (0..set.span_count())
            .map(SpanIdx::at)
            .find(|&i| set.str(set.span(i).expect("span").name) == name)
            .expect("span")
    }

    fn shown(set: &TraceSet, logical: &Logical) -> Vec<String> {
        (0..set.span_count())
            .map(SpanIdx::at)
            .filter(|&i| logical.keep.contains(i))
            .map(|i| set.str(set.span(i).expect("span").name).to_owned())
            .collect()
    }

    #[test]
    fn infrastructure_under_genai_spans_is_hidden_and_counted() {
        let set = crate::load(TRACE.as_bytes(), crate::Source::default())
            .expect("loads")
            .set;
        let trace = &set.traces[0];
        let genai = TraceGenAi::of(&set, trace);
        let view = logical(&set, trace, &genai, &SpanSet::for_trace(trace));
        assert_eq!(
            shown(&set, &view),
            [
                "POST /chat",
                "invoke_agent helper",
                "chat gpt-4o",
                "execute_tool lookup",
                "health"
            ]
        );
        assert_eq!(view.hidden_under(named(&set, "chat gpt-4o")), 3);
        assert_eq!(view.hidden_under(named(&set, "execute_tool lookup")), 1);
        assert_eq!(view.hidden_under(named(&set, "invoke_agent helper")), 0);
        assert_eq!(view.hidden_count(), 4);

        // Expanding the model call shows its request again, in place.
        let mut expanded = SpanSet::for_trace(trace);
        expanded.insert(named(&set, "chat gpt-4o"));
        let view = logical(&set, trace, &genai, &expanded);
        assert_eq!(view.hidden_under(named(&set, "chat gpt-4o")), 0);
        assert!(view.keep.contains(named(&set, "dns")));
        assert!(!view.keep.contains(named(&set, "SELECT")));
    }
}
