//! The GenAI spans of one trace, found once when the trace opens: what each
//! is (for the waterfall's icons), its model and tokens (for the rows and the
//! header's totals by model), and the model calls in time order (for the
//! conversation view and "new since the previous call").

use crate::genai::cost::Cost;
use crate::genai::model::Usage;
use crate::genai::shared::attributes::usage_and_model;
use crate::genai::span_kind::{GenAiKind, KindKeys};
use crate::model::{SpanIdx, StrId, Trace, TraceSet};

/// One GenAI span of the trace.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct GenAiSpan {
    pub span: SpanIdx,
    pub kind: GenAiKind,
    /// Among the set's strings.
    pub model: Option<StrId>,
    pub usage: Usage,
    /// Whether its tokens count toward the trace's totals: model calls that
    /// do not wrap other model calls. Wrappers (Vercel's `ai.generateText`,
    /// an OpenLLMetry workflow with usage) repeat the sum of their children;
    /// and of two records of one call (see `twin`), only one counts.
    pub counted: bool,
    /// The other record of the same model call, by another instrumentation
    /// (the provider SDK's span beside OpenLLMetry's, say).
    pub twin: Option<SpanIdx>,
    /// This record is the poorer of the two (no content where its twin has
    /// it): the Conversation view shows the twin instead.
    pub duplicate: bool,
    /// What the call cost, for counted model calls (`genai::cost`).
    pub cost: Option<Cost>,
}

/// The other record of a model call recorded twice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Twin {
    pub span: SpanIdx,
    pub name: String,
    /// The instrumentation scope that recorded it.
    pub scope: String,
    /// The record asked about is the poorer one: the twin is what to show.
    pub this_is_duplicate: bool,
}

impl Twin {
    /// "Same call as anthropic.chat (opentelemetry.instrumentation.anthropic)"
    /// on the poorer record, "Also recorded by com.anthropic.sdk.python as
    /// anthropic.messages.create" on the richer.
    pub fn note(&self) -> String {
        if self.this_is_duplicate {
            format!(
                "Same call as {} ({}), whose record this shows",
                self.name, self.scope
            )
        } else {
            format!("Also recorded by {} as {}", self.scope, self.name)
        }
    }
}

/// Tokens spent on one model across a trace.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelTokens {
    pub model: String,
    pub calls: usize,
    pub input: u64,
    pub output: u64,
    pub total: u64,
    /// The dollars of the calls that have a cost.
    pub cost_usd: f64,
    /// Calls with tokens whose model has no price.
    pub unpriced: usize,
}

impl ModelTokens {
    /// "$0.0013", "$0.0013 + 2 calls unpriced", "unpriced", or nothing
    /// when no call had tokens or a cost.
    #[must_use]
    pub fn cost_summary(&self) -> Option<String> {
        let priced = self.cost_usd > 0.0;
        match (priced, self.unpriced) {
            (false, 0) => None,
            (true, 0) => Some(crate::format::usd(self.cost_usd)),
            (false, _) => Some("unpriced".to_owned()),
            (true, n) => Some(format!(
                "{} + {} unpriced",
                crate::format::usd(self.cost_usd),
                crate::format::count(n, "call", "calls")
            )),
        }
    }

    /// "2 calls · 1,443 in · 99 out · 1,542 tokens".
    #[must_use]
    pub fn summary(&self) -> String {
        let count = |n: u64, one: &str, many: &str| {
            crate::format::count(usize::try_from(n).unwrap_or(usize::MAX), one, many)
        };
        format!(
            "{} · {} · {} · {}",
            crate::format::count(self.calls, "call", "calls"),
            count(self.input, "in", "in"),
            count(self.output, "out", "out"),
            count(self.total, "token", "tokens")
        )
    }
}

/// The GenAI spans of a trace, in pre-order (span index order).
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TraceGenAi {
    spans: Vec<GenAiSpan>,
    /// The table's (provider, model) each estimated cost was priced as, by
    /// `Cost::Estimated::priced_as`: a trace's many calls share a few.
    priced_as: Vec<(String, String)>,
}

/// So code over a trace's GenAI spans takes them owned or shared.
impl AsRef<TraceGenAi> for TraceGenAi {
    fn as_ref(&self) -> &TraceGenAi {
        self
    }
}

impl TraceGenAi {
    /// Those of every trace of the set, in trace order. The ingest worker
    /// finds them while the page decodes the set: a million spans take a
    /// third of a second to look at, which the page must not spend.
    pub fn of_each(set: &TraceSet) -> Vec<TraceGenAi> {
        set.traces
            .iter()
            .map(|trace| TraceGenAi::of(set, trace))
            .collect()
    }

    pub fn of(set: &TraceSet, trace: &Trace) -> TraceGenAi {
        let keys = KindKeys::new(set);
        let range = trace.spans.range();
        let mut spans: Vec<GenAiSpan> = range
            .filter_map(|index| {
                let idx = SpanIdx::at(index);
                let kind = keys.kind(set, idx)?;
                let (usage, model) = usage_and_model(set, idx);
                Some(GenAiSpan {
                    span: idx,
                    kind,
                    model,
                    usage,
                    counted: kind.is_model_call(),
                    twin: None,
                    duplicate: false,
                    cost: None,
                })
            })
            .collect();
        // In pre-order, a span's descendants follow it up to its subtree end:
        // a model call wraps another when the next model call is inside it.
        let calls: Vec<usize> = (0..spans.len())
            .filter(|&i| spans[i].kind.is_model_call())
            .collect();
        for pair in calls.windows(2) {
            let (outer, next) = (pair[0], pair[1]);
            let end = set.span(spans[outer].span).map(|s| s.subtree_end);
            if end.is_some_and(|end| spans[next].span < end) {
                spans[outer].counted = false;
            }
        }
        super::twins::mark(set, &mut spans);
        TraceGenAi {
            spans,
            priced_as: Vec::new(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// Whether the trace has agent steps (model calls, tools, agents): what
    /// the Conversation view, the Agent graph and the logical view need.
    pub fn has_steps(&self) -> bool {
        self.spans.iter().any(|s| s.kind != GenAiKind::Other)
    }

    pub fn spans(&self) -> &[GenAiSpan] {
        &self.spans
    }

    pub fn get(&self, idx: SpanIdx) -> Option<&GenAiSpan> {
        let at = self.spans.binary_search_by_key(&idx, |s| s.span).ok()?;
        self.spans.get(at)
    }

    /// Tokens by model over the counted model calls, most tokens first.
    pub fn tokens_by_model(&self, set: &TraceSet) -> Vec<ModelTokens> {
        // Models by string id (the same name is the same id), named at the
        // end: a 1M-span trace has 100k model calls, totalled in the page's
        // first render of it.
        let mut ids: Vec<Option<StrId>> = Vec::new();
        let mut by_model: Vec<ModelTokens> = Vec::new();
        for span in self.spans.iter().filter(|s| s.counted) {
            let at = match ids.iter().position(|id| *id == span.model) {
                Some(at) => at,
                None => {
                    ids.push(span.model);
                    by_model.push(ModelTokens {
                        model: span
                            .model
                            .map_or("(unknown model)", |id| set.str(id))
                            .to_owned(),
                        calls: 0,
                        input: 0,
                        output: 0,
                        total: 0,
                        cost_usd: 0.0,
                        unpriced: 0,
                    });
                    by_model.len() - 1
                }
            };
            let entry = &mut by_model[at];
            entry.calls += 1;
            entry.input += span.usage.input.unwrap_or(0);
            entry.output += span.usage.output.unwrap_or(0);
            entry.total += span.usage.total_or_sum().unwrap_or(0);
            match span.cost.as_ref().map(Cost::usd) {
                Some(Some(usd)) => entry.cost_usd += usd,
                Some(None) => entry.unpriced += 1,
                None => {}
            }
        }
        by_model.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.model.cmp(&b.model)));
        by_model
    }

    /// The table's provider and model an estimated cost was priced as.
    pub fn priced_as(&self, cost: &Cost) -> Option<(&str, &str)> {
        match cost {
            Cost::Estimated { priced_as, .. } => self
                .priced_as
                .get(usize::try_from(*priced_as).ok()?)
                .map(|(provider, model)| (provider.as_str(), model.as_str())),
            _ => None,
        }
    }

    /// "$0.0075 · estimated as openai gpt-4o (genai-prices of 2026-08-21)":
    /// the cost of the call `idx`, said in full.
    pub fn cost_label(&self, idx: SpanIdx) -> Option<String> {
        let cost = self.get(idx)?.cost.as_ref()?;
        Some(cost.label(self.priced_as(cost)))
    }

    /// Sets the table's models that estimated costs name by position.
    pub fn set_priced_as(&mut self, models: Vec<(String, String)>) {
        self.priced_as = models;
    }

    /// Sets the cost of each counted model call to what `cost_of` says.
    pub fn price(&mut self, mut cost_of: impl FnMut(&GenAiSpan) -> Option<Cost>) {
        for span in &mut self.spans {
            span.cost = if span.counted && span.kind.is_model_call() {
                cost_of(span)
            } else {
                None
            };
        }
    }

    /// The dollars of the trace's priced calls, and how many calls with
    /// tokens have no price.
    pub fn cost(&self) -> (f64, usize) {
        self.spans
            .iter()
            .filter_map(|span| span.cost.as_ref())
            .fold((0.0, 0), |(usd, unpriced), cost| match cost.usd() {
                Some(more) => (usd + more, unpriced),
                None => (usd, unpriced + 1),
            })
    }

    /// The other record of the model call `idx` when an instrumentation
    /// recorded it twice, for the views to name and link.
    pub fn twin_of(&self, set: &TraceSet, idx: SpanIdx) -> Option<Twin> {
        let this = self.get(idx)?;
        let twin = this.twin?;
        let span = set.span(twin)?;
        Some(Twin {
            span: twin,
            name: set.str(span.name).to_owned(),
            scope: set
                .scope(span.scope)
                .map(|s| set.str(s.name).to_owned())
                .unwrap_or_default(),
            this_is_duplicate: this.duplicate,
        })
    }

    /// Model calls and tool runs by start time (pre-order breaks ties, so a
    /// parent comes before a child that starts with it).
    pub fn in_time_order(&self, set: &TraceSet) -> Vec<&GenAiSpan> {
        let mut ordered: Vec<&GenAiSpan> = self
            .spans
            .iter()
            .filter(|s| matches!(s.kind, GenAiKind::Inference | GenAiKind::Tool))
            .collect();
        ordered.sort_by_key(|s| {
            (
                set.span(s.span).map_or(0, |span| span.start_unix_nanos),
                s.span,
            )
        });
        ordered
    }

    /// The inference call that started last before this one did: the call
    /// whose conversation this one most likely continues.
    pub fn previous_call(&self, set: &TraceSet, idx: SpanIdx) -> Option<SpanIdx> {
        let start = |i: SpanIdx| set.span(i).map_or(0, |s| s.start_unix_nanos);
        let this = (start(idx), idx);
        self.spans
            .iter()
            .filter(|s| s.kind == GenAiKind::Inference && s.span != idx)
            .map(|s| (start(s.span), s.span))
            .filter(|candidate| *candidate < this)
            .max()
            .map(|(_, span)| span)
    }

    /// The tool span that ran the tool call with this id: OpenTelemetry's
    /// `gen_ai.tool.call.id`, Vercel's `ai.toolCall.id`, OpenInference's `tool.id`.
    pub fn tool_span_for(&self, set: &TraceSet, call_id: &str) -> Option<SpanIdx> {
        let call_id = call_id.trim();
        let keys: Vec<_> = ["gen_ai.tool.call.id", "ai.toolCall.id", "tool.id"]
            .iter()
            .filter_map(|key| set.strings.lookup(key))
            .collect();
        self.spans
            .iter()
            .filter(|s| s.kind == GenAiKind::Tool)
            .map(|s| s.span)
            .find(|&idx| {
                set.span(idx).is_some_and(|span| {
                    set.attributes(span.attributes).iter().any(|a| {
                        keys.contains(&a.key)
                            && set.value_str(a.value).is_some_and(|v| v.trim() == call_id)
                    })
                })
            })
    }
}
