//! A span's attributes looked up by key, and the call facts every convention
//! shares on them: usage, finish reasons, request parameters. Shared by the
//! normaliser and the tool-span reader, which read the same span shapes.

use serde_json::Value as Json;

use super::payload::json_of;
use crate::genai::model::{FinishReason, Usage};
use crate::model::{Attribute, SpanIdx, StrId, TraceSet, Value};

/// A span's attributes, looked up by key.
pub struct Attributes<'a> {
    pub set: &'a TraceSet,
    pub list: &'a [Attribute],
}

impl<'a> Attributes<'a> {
    pub fn of_span(set: &'a TraceSet, idx: SpanIdx) -> Option<Self> {
        let span = set.span(idx)?;
        Some(Attributes {
            set,
            list: set.attributes(span.attributes),
        })
    }

    pub fn get(&self, key: &str) -> Option<Value> {
        let key = self.set.strings.lookup(key)?;
        self.list.iter().find(|a| a.key == key).map(|a| a.value)
    }

    pub fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    pub fn has_prefix(&self, prefix: &str) -> bool {
        self.list
            .iter()
            .any(|a| self.set.str(a.key).starts_with(prefix))
    }

    /// A string value as sent (JSON text stays text).
    pub fn string(&self, key: &str) -> Option<String> {
        match self.get(key)? {
            Value::Str(id) => Some(self.set.str(id).to_owned()),
            other => json_of(self.set, other).as_str().map(str::to_owned),
        }
    }

    /// A string value with one level of JSON quoting removed: MLflow encodes
    /// every value, so `CHAT_MODEL` arrives as `"\"CHAT_MODEL\""`.
    pub fn text(&self, key: &str) -> Option<String> {
        match self.json(key)? {
            Json::String(text) => Some(text),
            _ => self.string(key),
        }
    }

    pub fn json(&self, key: &str) -> Option<Json> {
        self.get(key).map(|value| json_of(self.set, value))
    }

    pub fn integer(&self, key: &str) -> Option<u64> {
        match self.get(key)? {
            Value::Int(i) => u64::try_from(i).ok(),
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // token counts
            Value::Double(d) if d >= 0.0 => Some(d as u64),
            Value::Str(id) => self.set.str(id).trim().parse().ok(),
            _ => None,
        }
    }
}

/// The token usage and model of a span from its attributes alone, without
/// reading its messages: cheap enough to run over every span of a trace.
/// The model is the id of its name among the set's strings: the page gets
/// these for a million spans from the worker, where a `String` each was an
/// allocation each to decode.
pub fn usage_and_model(set: &TraceSet, idx: SpanIdx) -> (Usage, Option<StrId>) {
    let Some(attributes) = Attributes::of_span(set, idx) else {
        return (Usage::default(), None);
    };
    let model = [
        "gen_ai.response.model",
        "gen_ai.request.model",
        "llm.model_name",
        "ai.response.model",
        "ai.model.id",
    ]
    .iter()
    .find_map(|key| match attributes.get(key)? {
        Value::Str(id) => Some(id),
        _ => None,
    });
    (usage(&attributes), model)
}

/// Usage from the current keys, falling back to the deprecated ones, to
/// OpenInference's `llm.token_count.*`, to the Vercel AI SDK's `ai.usage.*`
/// and to Pydantic AI's run totals (`gen_ai.aggregated_usage.*`).
pub fn usage(attributes: &Attributes) -> Usage {
    let first = |keys: &[&str]| keys.iter().find_map(|key| attributes.integer(key));
    Usage {
        input: first(&[
            "gen_ai.usage.input_tokens",
            "gen_ai.usage.prompt_tokens",
            "llm.token_count.prompt",
            "ai.usage.promptTokens",
            "ai.usage.inputTokens",
            "gen_ai.aggregated_usage.input_tokens",
        ]),
        output: first(&[
            "gen_ai.usage.output_tokens",
            "gen_ai.usage.completion_tokens",
            "llm.token_count.completion",
            "ai.usage.completionTokens",
            "ai.usage.outputTokens",
            "gen_ai.aggregated_usage.output_tokens",
        ]),
        total: first(&[
            "gen_ai.usage.total_tokens",
            "llm.usage.total_tokens",
            "llm.token_count.total",
            "ai.usage.totalTokens",
        ]),
        cache_read: first(&[
            "gen_ai.usage.cache_read.input_tokens",
            "gen_ai.usage.cache_read_input_tokens",
            "llm.token_count.prompt_details.cache_read",
            "ai.usage.cachedInputTokens",
        ]),
        cache_write: first(&[
            "gen_ai.usage.cache_write.input_tokens",
            "gen_ai.usage.cache_creation.input_tokens",
            "gen_ai.usage.cache_creation_input_tokens",
            "llm.token_count.prompt_details.cache_write",
        ]),
        reasoning: first(&[
            "gen_ai.usage.reasoning.output_tokens",
            "gen_ai.usage.reasoning_tokens",
            "llm.token_count.completion_details.reasoning",
            "ai.usage.reasoningTokens",
        ]),
    }
}

/// `gen_ai.response.finish_reasons` (an array), or the singular comma form.
pub fn finish_reasons(attributes: &Attributes) -> Vec<FinishReason> {
    let split = |reasons: &str| -> Vec<FinishReason> {
        reasons
            .split(',')
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(FinishReason::parse)
            .collect()
    };
    match attributes.json("gen_ai.response.finish_reasons") {
        Some(Json::Array(reasons)) => reasons
            .iter()
            .filter_map(Json::as_str)
            .map(FinishReason::parse)
            .collect(),
        Some(Json::String(reasons)) => split(&reasons),
        _ => attributes
            .string("gen_ai.response.finish_reason")
            .map(|r| split(&r))
            .unwrap_or_default(),
    }
}

/// `gen_ai.request.*` parameters other than the model, and OpenInference's
/// `llm.invocation_parameters` object.
pub fn parameters(attributes: &Attributes, invocation: Option<&Json>) -> Vec<(String, Json)> {
    let mut parameters: Vec<(String, Json)> = attributes
        .list
        .iter()
        .filter_map(|a| {
            let key = attributes.set.str(a.key).strip_prefix("gen_ai.request.")?;
            (key != "model").then(|| (key.to_owned(), json_of(attributes.set, a.value)))
        })
        .collect();
    if let Some(Json::Object(invocation)) = invocation {
        parameters.extend(
            invocation
                .iter()
                .filter(|(key, _)| *key != "model")
                .map(|(k, v)| (k.clone(), v.clone())),
        );
    }
    parameters.sort_by(|a, b| a.0.cmp(&b.0));
    parameters.dedup_by(|a, b| a.0 == b.0);
    parameters
}
