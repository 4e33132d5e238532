//! Reads the LLM call of a span from every place its data may be: the span's
//! attributes, its events, and the log records correlated with it. The
//! detection order follows genai-shapes.md §9.2; this version reads the
//! OpenTelemetry conventions (messages and events). Other conventions plug in
//! here as further sources.

use serde_json::Value as Json;

use super::indexed::unflatten;
use super::model::{
    ContentState, Convention, FinishReason, LlmCall, Message, Part, Usage, normalize_provider,
};
use super::otel_events::{self, GenAiEvent};
use super::payload::json_of;
use super::{openinference, openllmetry, otel_parts};
use crate::model::{Attribute, SpanIdx, TraceSet, Value};

/// The name of the log event that carries a whole call (semconv ≥ 1.37).
const DETAILS_EVENT: &str = "gen_ai.client.inference.operation.details";

/// Operations that are not model calls: their spans get other views.
const NOT_A_CALL: [&str; 4] = [
    "execute_tool",
    "invoke_agent",
    "create_agent",
    "invoke_workflow",
];

/// The LLM call of a span, or `None` when the span is not one.
pub fn llm_call(set: &TraceSet, idx: SpanIdx) -> Option<LlmCall> {
    let span = set.span(idx)?;
    let attributes = Attributes {
        set,
        list: set.attributes(span.attributes),
    };
    let events = events_of(set, idx);
    let details = events
        .iter()
        .find(|(name, _)| name == DETAILS_EVENT)
        .map(|(_, attrs)| attrs.clone());
    let message_events: Vec<GenAiEvent> = events
        .iter()
        .filter(|(name, _)| otel_events::is_message_event(name))
        .map(|(name, attrs)| GenAiEvent {
            name: name.clone(),
            body: attrs.body.clone().unwrap_or(Json::Null),
        })
        .collect();

    let operation = attributes
        .string("gen_ai.operation.name")
        .or_else(|| attributes.string("llm.request.type"));
    // OpenInference marks every span with its kind; only LLM spans are calls.
    let openinference_kind = attributes.string("openinference.span.kind");
    let is_genai = operation.is_some()
        || attributes.has_prefix("gen_ai.")
        || openinference_kind.as_deref() == Some("LLM")
        || details.is_some()
        || !message_events.is_empty();
    let not_a_call = operation
        .as_deref()
        .is_some_and(|op| NOT_A_CALL.contains(&op) && !attributes.has("gen_ai.input.messages"))
        || openinference_kind
            .as_deref()
            .is_some_and(|kind| kind != "LLM");
    if !is_genai || not_a_call {
        return None;
    }
    let invocation = attributes
        .json("llm.invocation_parameters")
        .filter(Json::is_object);

    let mut call = LlmCall {
        source: Convention::AttributesOnly,
        operation,
        provider: None,
        provider_raw: attributes
            .string("gen_ai.provider.name")
            .or_else(|| attributes.string("gen_ai.system"))
            // OpenInference: the host (azure, aws, google) when set, else the API.
            .or_else(|| {
                attributes
                    .string("llm.provider")
                    .filter(|p| matches!(p.as_str(), "azure" | "aws" | "google"))
            })
            .or_else(|| attributes.string("llm.system")),
        request_model: attributes.string("gen_ai.request.model").or_else(|| {
            invocation
                .as_ref()
                .and_then(|p| p.get("model")?.as_str().map(str::to_owned))
        }),
        response_model: attributes
            .string("gen_ai.response.model")
            .or_else(|| attributes.string("llm.model_name")),
        response_id: attributes.string("gen_ai.response.id"),
        system_instructions: Vec::new(),
        input: Vec::new(),
        output: Vec::new(),
        finish_reasons: finish_reasons(&attributes),
        usage: usage(&attributes),
        tool_definitions: Vec::new(),
        parameters: parameters(&attributes, invocation.as_ref()),
        content: ContentState::Absent,
    };
    let mut redacted = false;

    // 1. Messages with parts, on the span or in the details event.
    let message_source = |key: &str| -> Option<Json> {
        attributes
            .json(key)
            .or_else(|| details.as_ref().and_then(|d| d.get(key).cloned()))
    };
    let input = message_source("gen_ai.input.messages");
    let output = message_source("gen_ai.output.messages");
    let instructions = message_source("gen_ai.system_instructions");
    if input.is_some() || output.is_some() || instructions.is_some() {
        call.source = Convention::OtelMessages;
        if let Some(input) = input {
            let parsed = otel_parts::messages(&input);
            redacted |= parsed.redacted;
            call.input = parsed.messages;
        }
        if let Some(output) = output {
            let parsed = otel_parts::messages(&output);
            redacted |= parsed.redacted;
            call.output = parsed.messages;
        }
        if let Some(instructions) = instructions {
            let (parts, was_redacted) = otel_parts::instructions(&instructions);
            redacted |= was_redacted;
            call.system_instructions = parts;
        }
    } else if attributes.has_prefix("gen_ai.prompt.") || attributes.has_prefix("gen_ai.completion.")
    {
        // 2. OpenLLMetry's indexed keys.
        call.source = Convention::OpenLlmetry;
        let tree = |prefix: &str| unflatten(set, attributes.list, prefix);
        call.input = tree("gen_ai.prompt.")
            .map(|t| openllmetry::messages(&t, "user"))
            .unwrap_or_default();
        call.output = tree("gen_ai.completion.")
            .map(|t| openllmetry::messages(&t, "assistant"))
            .unwrap_or_default();
        if let Some(functions) = tree("llm.request.functions.") {
            call.tool_definitions = openllmetry::tool_definitions(&functions);
        }
    } else if attributes.has_prefix("llm.input_messages.")
        || attributes.has_prefix("llm.output_messages.")
    {
        // 3. OpenInference's indexed keys.
        call.source = Convention::OpenInference;
        let tree = |prefix: &str| unflatten(set, attributes.list, prefix);
        call.input = tree("llm.input_messages.")
            .map(|t| openinference::messages(&t))
            .unwrap_or_default();
        call.output = tree("llm.output_messages.")
            .map(|t| openinference::messages(&t))
            .unwrap_or_default();
        if let Some(tools) = tree("llm.tools.") {
            call.tool_definitions = openinference::tool_definitions(&tools);
        }
    } else if !message_events.is_empty() {
        // 7. One event per message.
        call.source = Convention::OtelEvents;
        let parsed = otel_events::messages(&message_events);
        redacted |= parsed.redacted;
        call.input = parsed.input;
        call.output = parsed.output;
    }
    if let Some(definitions) = message_source("gen_ai.tool.definitions") {
        call.tool_definitions = otel_parts::tool_definitions(&definitions);
    }
    // The details event repeats the call's attributes; use them when the span lacks them.
    if let Some(details) = &details {
        let text = |key: &str| details.get(key).and_then(Json::as_str).map(str::to_owned);
        call.request_model = call.request_model.or_else(|| text("gen_ai.request.model"));
        call.response_model = call
            .response_model
            .or_else(|| text("gen_ai.response.model"));
        call.response_id = call.response_id.or_else(|| text("gen_ai.response.id"));
        call.provider_raw = call.provider_raw.or_else(|| text("gen_ai.provider.name"));
    }
    if call.finish_reasons.is_empty() {
        call.finish_reasons = call
            .output
            .iter()
            .filter_map(|m| m.finish_reason.clone())
            .collect();
    }
    if call.finish_reasons.is_empty()
        && let Some(reason) = attributes.string("llm.finish_reason")
    {
        call.finish_reasons.push(FinishReason::parse(&reason));
    }
    call.provider = call.provider_raw.as_deref().map(normalize_provider);
    let has_content = [&call.input, &call.output]
        .iter()
        .any(|messages| messages.iter().any(|m| !m.parts.is_empty()))
        || !call.system_instructions.is_empty();
    call.content = match (has_content, redacted) {
        (true, _) => ContentState::Captured,
        (false, true) => ContentState::Redacted,
        (false, false) if call.input.is_empty() && call.output.is_empty() => ContentState::Absent,
        (false, false) => ContentState::Redacted,
    };
    Some(call)
}

/// A span's attributes, looked up by key.
struct Attributes<'a> {
    set: &'a TraceSet,
    list: &'a [Attribute],
}

impl Attributes<'_> {
    fn get(&self, key: &str) -> Option<Value> {
        let key = self.set.strings.lookup(key)?;
        self.list.iter().find(|a| a.key == key).map(|a| a.value)
    }

    fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    fn has_prefix(&self, prefix: &str) -> bool {
        self.list
            .iter()
            .any(|a| self.set.str(a.key).starts_with(prefix))
    }

    fn string(&self, key: &str) -> Option<String> {
        match self.get(key)? {
            Value::Str(id) => Some(self.set.str(id).to_owned()),
            other => json_of(self.set, other).as_str().map(str::to_owned),
        }
    }

    fn json(&self, key: &str) -> Option<Json> {
        self.get(key).map(|value| json_of(self.set, value))
    }

    fn integer(&self, key: &str) -> Option<u64> {
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
pub fn usage_and_model(set: &TraceSet, idx: SpanIdx) -> (Usage, Option<String>) {
    let Some(span) = set.span(idx) else {
        return (Usage::default(), None);
    };
    let attributes = Attributes {
        set,
        list: set.attributes(span.attributes),
    };
    let model = [
        "gen_ai.response.model",
        "gen_ai.request.model",
        "llm.model_name",
        "ai.response.model",
        "ai.model.id",
    ]
    .iter()
    .find_map(|key| attributes.string(key));
    (usage(&attributes), model)
}

/// Usage from the current keys, falling back to the deprecated ones and to
/// OpenInference's `llm.token_count.*`.
fn usage(attributes: &Attributes) -> Usage {
    let first = |keys: &[&str]| keys.iter().find_map(|key| attributes.integer(key));
    Usage {
        input: first(&[
            "gen_ai.usage.input_tokens",
            "gen_ai.usage.prompt_tokens",
            "llm.token_count.prompt",
        ]),
        output: first(&[
            "gen_ai.usage.output_tokens",
            "gen_ai.usage.completion_tokens",
            "llm.token_count.completion",
        ]),
        total: first(&[
            "gen_ai.usage.total_tokens",
            "llm.usage.total_tokens",
            "llm.token_count.total",
        ]),
        cache_read: first(&[
            "gen_ai.usage.cache_read.input_tokens",
            "gen_ai.usage.cache_read_input_tokens",
            "llm.token_count.prompt_details.cache_read",
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
        ]),
    }
}

/// `gen_ai.response.finish_reasons` (an array), or the singular comma form.
fn finish_reasons(attributes: &Attributes) -> Vec<FinishReason> {
    match attributes.json("gen_ai.response.finish_reasons") {
        Some(Json::Array(reasons)) => reasons
            .iter()
            .filter_map(Json::as_str)
            .map(FinishReason::parse)
            .collect(),
        Some(Json::String(reasons)) => reasons
            .split(',')
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(FinishReason::parse)
            .collect(),
        _ => attributes
            .string("gen_ai.response.finish_reason")
            .map(|r| {
                r.split(',')
                    .map(str::trim)
                    .filter(|r| !r.is_empty())
                    .map(FinishReason::parse)
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// `gen_ai.request.*` parameters other than the model, and OpenInference's
/// `llm.invocation_parameters` object.
fn parameters(attributes: &Attributes, invocation: Option<&Json>) -> Vec<(String, Json)> {
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

/// A GenAI event: its attributes as JSON, and its body.
#[derive(Clone)]
struct EventData {
    attributes: serde_json::Map<String, Json>,
    body: Option<Json>,
}

impl EventData {
    fn get(&self, key: &str) -> Option<&Json> {
        self.attributes.get(key)
    }
}

/// The span's GenAI events, from its log records (by time) and its span
/// events: name (`eventName`, else the `event.name` attribute) and data.
fn events_of(set: &TraceSet, idx: SpanIdx) -> Vec<(String, EventData)> {
    let mut out = Vec::new();
    let decode = |attributes: &[Attribute]| -> serde_json::Map<String, Json> {
        attributes
            .iter()
            .map(|a| (set.str(a.key).to_owned(), json_of(set, a.value)))
            .collect()
    };
    for log in set.logs_of_span(idx) {
        let attributes = decode(set.attributes(log.attributes));
        let name = match set.str(log.event_name) {
            "" => attributes
                .get("event.name")
                .and_then(Json::as_str)
                .unwrap_or("")
                .to_owned(),
            name => name.to_owned(),
        };
        if !name.starts_with("gen_ai.") {
            continue;
        }
        let body = match log.body {
            Value::Empty => None,
            body => Some(json_of(set, body)),
        };
        out.push((name, EventData { attributes, body }));
    }
    if let Some(span) = set.span(idx) {
        for event in set.events(span.events) {
            let name = set.str(event.name);
            if !name.starts_with("gen_ai.") {
                continue;
            }
            let attributes = decode(set.attributes(event.attributes));
            // Azure puts the body in `gen_ai.event.content`, as JSON text.
            let body = attributes
                .get("gen_ai.event.content")
                .cloned()
                .or_else(|| Some(Json::Object(attributes.clone())));
            out.push((name.to_owned(), EventData { attributes, body }));
        }
    }
    out
}

/// Text of all the parts of messages, for tests and summaries.
pub fn plain_text(messages: &[Message]) -> Vec<String> {
    messages
        .iter()
        .flat_map(|m| m.parts.iter())
        .filter_map(|part| match part {
            Part::Text(text) | Part::Reasoning(text) | Part::Refusal(text) => Some(text.clone()),
            _ => None,
        })
        .collect()
}
