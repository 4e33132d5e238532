//! One model call recorded by two instrumentations: the provider SDK's own
//! span (`anthropic.messages.create`, scope `com.anthropic.sdk.python`,
//! usage but no content) beside OpenLLMetry's or OpenInference's (content),
//! or LangChain's callbacks beside the SDK's. They are siblings, not a
//! wrapper and its child, so the wrapper rule does not catch them.
//!
//! Two model calls of a trace are twins when their instrumentation scopes
//! differ and they carry the same response id; where either has none, when
//! they share a parent, overlap in time, and agree on provider, request
//! model and input and output tokens. Two calls of one scope are never
//! twins. Of a pair, the record that carries more of the messages is the
//! primary (the one the Conversation view shows); exactly one of the two
//! counts toward token totals.

use std::collections::HashMap;

use super::model::{Usage, normalize_provider};
use super::trace_summary::GenAiSpan;
use crate::model::{SpanIdx, StrId, TraceSet};

/// Where conventions keep the provider's response id.
const RESPONSE_ID_KEYS: [&str; 3] = ["gen_ai.response.id", "llm.response.id", "ai.response.id"];
const PROVIDER_KEYS: [&str; 2] = ["gen_ai.provider.name", "gen_ai.system"];
const REQUEST_MODEL_KEYS: [&str; 2] = ["gen_ai.request.model", "llm.request.model"];

/// What decides whether two calls are one.
struct Facts<'s> {
    /// Position in the trace's GenAI spans.
    at: usize,
    span: SpanIdx,
    scope: StrId,
    response_id: Option<&'s str>,
    provider: Option<String>,
    request_model: Option<&'s str>,
    parent: Option<SpanIdx>,
    start: u64,
    end: u64,
}

/// Marks the twins among a trace's GenAI spans (in pre-order): sets `twin`
/// on both, `duplicate` on the poorer record, and `counted` on one only.
pub(super) fn mark(set: &TraceSet, spans: &mut [GenAiSpan]) {
    let keys = Keys::new(set);
    let calls: Vec<Facts> = spans
        .iter()
        .enumerate()
        .filter(|(_, s)| s.kind.is_model_call() && s.counted)
        .filter_map(|(at, s)| keys.facts(set, at, s.span))
        .collect();
    if calls.len() < 2 || !two_scopes(&calls) {
        return;
    }
    let mut paired = vec![false; calls.len()];
    let mut pairs: Vec<(usize, usize)> = Vec::new();

    // By response id: the provider's own name for the call.
    let mut by_id: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, call) in calls.iter().enumerate() {
        if let Some(id) = call.response_id {
            by_id.entry(id).or_default().push(i);
        }
    }
    let mut groups: Vec<&Vec<usize>> = by_id.values().filter(|g| g.len() > 1).collect();
    groups.sort_unstable();
    for group in groups {
        pair_within(group, &calls, &mut paired, &mut pairs, |_, _| true);
    }

    // Without one on both sides: the same call by everything else, looked
    // for among calls of one parent that spent the same tokens (few: a
    // trace with ten thousand calls under one agent must not compare them
    // all with each other).
    let mut by_parent: HashMap<(Option<SpanIdx>, u64, u64), Vec<usize>> = HashMap::new();
    for (i, call) in calls.iter().enumerate() {
        let usage = spans[call.at].usage;
        if let (false, Some(input), Some(output)) = (paired[i], usage.input, usage.output) {
            by_parent
                .entry((call.parent, input, output))
                .or_default()
                .push(i);
        }
    }
    let mut groups: Vec<&Vec<usize>> = by_parent.values().filter(|g| g.len() > 1).collect();
    groups.sort_unstable();
    for group in groups {
        pair_within(group, &calls, &mut paired, &mut pairs, |a, b| {
            same_call_without_id(a, b, spans)
        });
    }

    for (a, b) in pairs {
        let (a, b) = (&calls[a], &calls[b]);
        let richer =
            richness(set, b.span, &spans[b.at].usage) > richness(set, a.span, &spans[a.at].usage);
        let (primary, other) = if richer { (b, a) } else { (a, b) };
        // The primary counts when it knows its tokens, else its twin.
        let counted = if spans[primary.at].usage.is_empty() {
            other.at
        } else {
            primary.at
        };
        spans[primary.at].twin = Some(other.span);
        spans[other.at].twin = Some(primary.span);
        spans[other.at].duplicate = true;
        spans[primary.at].counted = counted == primary.at;
        spans[other.at].counted = counted == other.at;
    }
}

/// How many calls after a call are looked at for its twin: twins are
/// siblings recorded at the same moment, next to each other in pre-order;
/// this keeps a group of thousands of alike calls from being compared
/// pairwise.
const LOOKAHEAD: usize = 64;

/// Pairs the calls of `group` (positions in `calls`, in pre-order) that are
/// of different scopes and `agree`, each at most once, first come first.
fn pair_within(
    group: &[usize],
    calls: &[Facts],
    paired: &mut [bool],
    pairs: &mut Vec<(usize, usize)>,
    agree: impl Fn(&Facts, &Facts) -> bool,
) {
    for (n, &a) in group.iter().enumerate() {
        if paired[a] {
            continue;
        }
        let found = group[n + 1..].iter().copied().take(LOOKAHEAD).find(|&b| {
            !paired[b] && calls[a].scope != calls[b].scope && agree(&calls[a], &calls[b])
        });
        if let Some(b) = found {
            paired[a] = true;
            paired[b] = true;
            pairs.push((a, b));
        }
    }
}

fn two_scopes(calls: &[Facts]) -> bool {
    calls.iter().any(|c| c.scope != calls[0].scope)
}

/// Calls without a common response id are one when they overlap, agree on
/// what both say of provider and request model, and spent the same tokens
/// (both known: equal usage alone is too common to go by).
fn same_call_without_id(a: &Facts, b: &Facts, spans: &[GenAiSpan]) -> bool {
    let agree = |x: Option<&str>, y: Option<&str>| match (x, y) {
        (Some(x), Some(y)) => x == y,
        _ => true,
    };
    let (ua, ub) = (spans[a.at].usage, spans[b.at].usage);
    let tokens_known = ua.input.is_some() && ua.output.is_some();
    (a.response_id.is_none() || b.response_id.is_none())
        && a.start < b.end
        && b.start < a.end
        && agree(a.provider.as_deref(), b.provider.as_deref())
        && agree(a.request_model, b.request_model)
        && tokens_known
        && ua.input == ub.input
        && ua.output == ub.output
}

/// How much of the call a record holds, judged by what it carries without
/// parsing it (the ingest worker finds twins, and reading every call's
/// messages there would pull the whole GenAI reader into its module): the
/// attributes and events that hold messages, then whether it knows its
/// tokens.
fn richness(set: &TraceSet, idx: SpanIdx, usage: &Usage) -> (usize, bool) {
    let Some(span) = set.span(idx) else {
        return (0, false);
    };
    let attributes = set
        .attributes(span.attributes)
        .iter()
        .filter(|a| {
            let key = set.str(a.key);
            CONTENT_KEYS.iter().any(|prefix| key.starts_with(prefix))
        })
        .count();
    let events = set
        .events(span.events)
        .iter()
        .filter(|e| {
            let name = set.str(e.name);
            name == "gen_ai.choice"
                || name == "gen_ai.client.inference.operation.details"
                || name.starts_with("gen_ai.content.")
                || (name.starts_with("gen_ai.") && name.ends_with(".message"))
        })
        .count();
    (attributes + events, !usage.is_empty())
}

/// Attribute keys (prefixes) that hold a call's messages in the
/// conventions read (`genai::conventions`).
const CONTENT_KEYS: [&str; 14] = [
    "gen_ai.input.messages",
    "gen_ai.output.messages",
    "gen_ai.system_instructions",
    "gen_ai.prompt",
    "gen_ai.completion",
    "llm.input_messages",
    "llm.output_messages",
    "input.value",
    "output.value",
    "ai.prompt",
    "ai.response.text",
    "ai.response.toolCalls",
    "pydantic_ai.all_messages",
    "all_messages_events",
];

/// The interned keys, looked up once.
struct Keys {
    response_id: Vec<StrId>,
    provider: Vec<StrId>,
    request_model: Vec<StrId>,
}

impl Keys {
    fn new(set: &TraceSet) -> Self {
        let ids = |keys: &[&str]| keys.iter().filter_map(|k| set.strings.lookup(k)).collect();
        Keys {
            response_id: ids(&RESPONSE_ID_KEYS),
            provider: ids(&PROVIDER_KEYS),
            request_model: ids(&REQUEST_MODEL_KEYS),
        }
    }

    fn facts<'s>(&self, set: &'s TraceSet, at: usize, idx: SpanIdx) -> Option<Facts<'s>> {
        let span = set.span(idx)?;
        let attributes = set.attributes(span.attributes);
        let first = |keys: &[StrId]| {
            keys.iter().find_map(|key| {
                attributes
                    .iter()
                    .find(|a| a.key == *key)
                    .and_then(|a| set.value_str(a.value))
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
            })
        };
        Some(Facts {
            at,
            span: idx,
            scope: set.scope(span.scope).map_or(StrId::default(), |s| s.name),
            response_id: first(&self.response_id),
            provider: first(&self.provider).map(normalize_provider),
            request_model: first(&self.request_model),
            parent: span.parent,
            start: span.start_unix_nanos,
            end: span.end_unix_nanos.max(span.start_unix_nanos + 1),
        })
    }
}
