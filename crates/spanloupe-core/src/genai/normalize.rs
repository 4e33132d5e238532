//! Reads the LLM call of a span from every place its data may be: the span's
//! attributes, its events, and the log records correlated with it.
//!
//! First the span is classified: a model call; an aggregate call, a span
//! that wraps model calls and repeats their messages and usage (Vercel's
//! outer `ai.generateText`, agent runs), shown but left out of totals; or
//! not a call (tool, agent, chain, workflow and retriever spans of every
//! convention; tool spans are read by `tool_span`). Then the content sources
//! are tried in this order, the first present wins:
//!
//! 0. Pydantic AI's agent-run history `pydantic_ai.all_messages`;
//! 1. OTel messages with parts (`gen_ai.input.messages`, on the span or in
//!    the details log event);
//! 2. OpenLLMetry's indexed `gen_ai.prompt.{i}.*`;
//! 3. OpenInference's indexed `llm.input_messages.{i}.*`;
//! 4. the Vercel AI SDK's `ai.prompt.messages` / `ai.prompt` / `ai.response.*`;
//! 5. Logfire's pseudo-events (`events`, `all_messages_events`) and its
//!    `request_data` / `response_data`;
//! 6. OTel message events (`gen_ai.{role}.message`, `gen_ai.choice`), as
//!    span events or log records;
//! 7. semconv 1.26 span events `gen_ai.content.prompt` / `.completion`;
//! 8. LangSmith's un-indexed `gen_ai.prompt` / `gen_ai.completion` JSON;
//! 9. raw input/output payloads (`input.value`, `traceloop.entity.*`,
//!    `langfuse.observation.*`, `mlflow.span*`), parsed or shown as sent.
//!
//! A payload that does not parse is never dropped: it becomes one message
//! with its raw text, so the user sees what was sent.
//!
//! The span's attributes give the call facts (models, usage, finish
//! reasons); a source's payload fills only the facts they lack. Feedback
//! and evaluations are gathered last, by span or by response id.

use serde_json::Value as Json;

use crate::genai::conventions::langsmith;
use crate::genai::conventions::logfire;
use crate::genai::conventions::opaque;
use crate::genai::conventions::openinference;
use crate::genai::conventions::openllmetry;
use crate::genai::conventions::otel_events::{self, GenAiEvent};
use crate::genai::conventions::otel_parts;
use crate::genai::conventions::vercel;
use crate::genai::feedback::feedback_of;
use crate::genai::model::{
    ContentState, Convention, FinishReason, LlmCall, Message, Part, normalize_provider,
};
use crate::genai::shared::attributes::{self, Attributes};
use crate::genai::shared::conversation::{Conversation, fill_usage};
use crate::genai::shared::indexed::unflatten;
use crate::genai::shared::openai_format::{input_payload, output_payload};
use crate::genai::shared::payload::{is_cut_off_json, json_of, raw_part};
use crate::genai::tool_span;
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

/// Operations whose spans wrap model calls: when they carry a conversation
/// they read as a call, but an aggregate one.
const WRAPS_CALLS: [&str; 2] = ["invoke_agent", "invoke_workflow"];

/// Pydantic AI's agent-run history (OTel parts JSON).
const PYDANTIC_RUN_MESSAGES: &str = "pydantic_ai.all_messages";

/// Everything a span offers, gathered once.
struct SpanData<'a> {
    set: &'a TraceSet,
    attributes: Attributes<'a>,
    details: Option<EventData>,
    message_events: Vec<GenAiEvent>,
    span_name: &'a str,
    /// Semconv 1.26 `gen_ai.content.prompt` / `.completion` event payloads.
    prompt_event: Option<Json>,
    completion_event: Option<Json>,
    vercel: Option<vercel::Role>,
    logfire: Option<logfire::Kind>,
}

/// The LLM call of a span, or `None` when the span is not one.
pub fn llm_call(set: &TraceSet, idx: SpanIdx) -> Option<LlmCall> {
    let span = set.span(idx)?;
    let attributes = Attributes::of_span(set, idx)?;
    let events = events_of(set, idx);
    let data = SpanData {
        set,
        span_name: set.str(span.name),
        prompt_event: event_attribute(&events, "gen_ai.content.prompt", "gen_ai.prompt"),
        completion_event: event_attribute(
            &events,
            "gen_ai.content.completion",
            "gen_ai.completion",
        ),
        vercel: vercel::role(&attributes, set.str(span.name)),
        logfire: logfire::kind(&attributes, attributes.has_prefix("gen_ai.")),
        attributes,
        details: events
            .iter()
            .find(|(name, _)| name == DETAILS_EVENT)
            .map(|(_, attrs)| attrs.clone()),
        message_events: events
            .iter()
            .filter(|(name, _)| otel_events::is_message_event(name))
            .map(|(name, attrs)| GenAiEvent {
                name: name.clone(),
                body: attrs.body.clone().unwrap_or(Json::Null),
            })
            .collect(),
    };
    let attributes = &data.attributes;
    let operation = attributes
        .string("gen_ai.operation.name")
        .or_else(|| attributes.string("llm.request.type"))
        .or_else(|| {
            data.vercel
                .and_then(|_| attributes.string("ai.operationId"))
                .or_else(|| data.vercel.map(|_| set.str(span.name).to_owned()))
        });
    let aggregate = classify(&data, operation.as_deref())?;
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
            .or_else(|| attributes.string("llm.system"))
            .or_else(|| attributes.string("ai.model.provider"))
            .or_else(|| attributes.text("mlflow.llm.provider")),
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
        finish_reasons: attributes::finish_reasons(attributes),
        usage: attributes::usage(attributes),
        tool_definitions: Vec::new(),
        parameters: attributes::parameters(attributes, invocation.as_ref()),
        content: ContentState::Absent,
        aggregate,
        feedback: Vec::new(),
        warnings: Vec::new(),
    };

    let (source, conversation) = read_conversation(&data);
    call.source = source;
    merge(&mut call, conversation);
    // Tool definitions in the OTel key win over a source's own.
    if let Some(definitions) = message_source(&data, "gen_ai.tool.definitions") {
        call.tool_definitions = crate::genai::shared::tools::tool_definitions(&definitions);
    }
    // The details event repeats the call's attributes; use them when the span lacks them.
    if let Some(details) = &data.details {
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
    call.feedback = feedback_of(set, idx, call.response_id.as_deref());
    Some(call)
}

/// `None` when the span is not a model call; else whether it is an
/// aggregate one.
fn classify(data: &SpanData, operation: Option<&str>) -> Option<bool> {
    let attributes = &data.attributes;
    // Frameworks mark every span with a kind; only their model spans are
    // calls. Values are compared without case (MLflow says `CHAT_MODEL`).
    let kind = |key: &str| attributes.text(key).map(|k| k.to_ascii_lowercase());
    let kind_is = |key: &str, calls: &[&str]| kind(key).map(|k| calls.contains(&k.as_str()));
    let openinference_llm = kind_is("openinference.span.kind", &["llm"]);
    let langsmith_llm = kind_is("langsmith.span.kind", &["llm", "embedding"]);
    let mlflow_llm = kind_is("mlflow.spanType", &["chat_model", "llm", "embedding"]);
    let langfuse_llm = kind_is("langfuse.observation.type", &["generation", "embedding"]);
    let has_conversation =
        attributes.has("gen_ai.input.messages") || attributes.has(PYDANTIC_RUN_MESSAGES);
    let is_genai = operation.is_some()
        || attributes.has_prefix("gen_ai.")
        || [openinference_llm, mlflow_llm, langfuse_llm].contains(&Some(true))
        || data.details.is_some()
        || !data.message_events.is_empty()
        || data.logfire.is_some()
        || attributes.has(PYDANTIC_RUN_MESSAGES)
        || data.prompt_event.is_some()
        || data.completion_event.is_some();
    let not_a_call = operation.is_some_and(|op| NOT_A_CALL.contains(&op) && !has_conversation)
        || [openinference_llm, langsmith_llm, mlflow_llm, langfuse_llm].contains(&Some(false))
        // Traceloop's decorators mark workflow, task, agent and tool spans.
        || attributes.has("traceloop.span.kind")
        || data.vercel == Some(vercel::Role::ToolCall)
        || tool_span::is_tool_span(attributes, data.span_name);
    if !is_genai || not_a_call {
        return None;
    }
    Some(
        data.vercel == Some(vercel::Role::Outer)
            || data.logfire == Some(logfire::Kind::AllMessages)
            || attributes.has(PYDANTIC_RUN_MESSAGES)
            || operation.is_some_and(|op| WRAPS_CALLS.contains(&op)),
    )
}

/// A payload under an OTel key, on the span or in the details event.
fn message_source(data: &SpanData, key: &str) -> Option<Json> {
    data.attributes
        .json(key)
        .or_else(|| data.details.as_ref().and_then(|d| d.get(key).cloned()))
}

/// The messages of an OTel payload; one cut off by the backend that stored
/// it is shown as the text that arrived, said to be truncated by the
/// backend (not content that failed to parse, nor content not captured).
fn otel_messages(
    payload: &Json,
    key: &str,
    role: &str,
    conversation: &mut Conversation,
) -> Vec<Message> {
    if let Json::String(text) = payload
        && is_cut_off_json(text)
    {
        conversation.warnings.push(format!(
            "{key} was truncated by the backend: its JSON stops after {} characters (Tempo keeps the first 2 KB of an attribute unless configured otherwise); shown as the text that arrived",
            text.chars().count()
        ));
        return vec![Message::new(role, vec![Part::Text(text.clone())])];
    }
    let parsed = otel_parts::messages(payload);
    conversation.redacted |= parsed.redacted;
    parsed.messages
}

/// The first content source with messages, in the detection order.
fn read_conversation(data: &SpanData) -> (Convention, Conversation) {
    let attributes = &data.attributes;
    let mut conversation = Conversation::default();

    // 0. A Pydantic AI run's whole history; its answer is at the end.
    if let Some(history) = attributes.json(PYDANTIC_RUN_MESSAGES) {
        let parsed = otel_parts::messages(&history);
        conversation.input = parsed.messages;
        conversation.redacted = parsed.redacted;
        if !matches!(history, Json::Array(_)) {
            conversation.input = vec![Message::new("user", vec![raw_part(&history)])];
        }
        if let Some(instructions) = attributes.json("gen_ai.system_instructions") {
            conversation.system_instructions = otel_parts::instructions(&instructions).0;
        }
        conversation.split_trailing_assistant();
        if conversation.output.is_empty()
            && let Some(result) = attributes.json("final_result")
        {
            conversation.output = vec![Message::new("assistant", vec![raw_part(&result)])];
        }
        return (Convention::PydanticAiRun, conversation);
    }
    // 1. Messages with parts, on the span or in the details event.
    let input = message_source(data, "gen_ai.input.messages");
    let output = message_source(data, "gen_ai.output.messages");
    let instructions = message_source(data, "gen_ai.system_instructions");
    if input.is_some() || output.is_some() || instructions.is_some() {
        if let Some(input) = input {
            conversation.input =
                otel_messages(&input, "gen_ai.input.messages", "user", &mut conversation);
        }
        if let Some(output) = output {
            conversation.output = otel_messages(
                &output,
                "gen_ai.output.messages",
                "assistant",
                &mut conversation,
            );
        }
        if let Some(instructions) = instructions {
            let (parts, was_redacted) = otel_parts::instructions(&instructions);
            conversation.redacted |= was_redacted;
            conversation.system_instructions = parts;
        }
        return (Convention::OtelMessages, conversation);
    }
    // 2. OpenLLMetry's indexed keys.
    if attributes.has_prefix("gen_ai.prompt.") || attributes.has_prefix("gen_ai.completion.") {
        let mut too_deep = 0;
        let mut tree = |prefix: &str| {
            let unflattened = unflatten(data.set, attributes.list, prefix)?;
            too_deep += unflattened.too_deep;
            Some(unflattened.tree)
        };
        conversation.input = tree("gen_ai.prompt.")
            .map(|t| openllmetry::messages(&t, "user"))
            .unwrap_or_default();
        conversation.output = tree("gen_ai.completion.")
            .map(|t| openllmetry::messages(&t, "assistant"))
            .unwrap_or_default();
        if let Some(functions) = tree("llm.request.functions.") {
            conversation.tool_definitions = openllmetry::tool_definitions(&functions);
        }
        conversation.warn_of_deep_keys(too_deep);
        return (Convention::OpenLlmetry, conversation);
    }
    // 3. OpenInference's indexed keys.
    if attributes.has_prefix("llm.input_messages.") || attributes.has_prefix("llm.output_messages.")
    {
        let mut too_deep = 0;
        let mut tree = |prefix: &str| {
            let unflattened = unflatten(data.set, attributes.list, prefix)?;
            too_deep += unflattened.too_deep;
            Some(unflattened.tree)
        };
        conversation.input = tree("llm.input_messages.")
            .map(|t| openinference::messages(&t))
            .unwrap_or_default();
        conversation.output = tree("llm.output_messages.")
            .map(|t| openinference::messages(&t))
            .unwrap_or_default();
        if let Some(tools) = tree("llm.tools.") {
            conversation.tool_definitions = openinference::tool_definitions(&tools);
        }
        conversation.warn_of_deep_keys(too_deep);
        return (Convention::OpenInference, conversation);
    }
    // 4. The Vercel AI SDK's `ai.*` attributes.
    if data.vercel.is_some() {
        return (Convention::VercelAi, vercel::conversation(attributes));
    }
    // 5. Logfire's pseudo-events and request/response data.
    if let Some(kind) = data.logfire {
        let source = match kind {
            logfire::Kind::Events | logfire::Kind::AllMessages => Convention::LogfireEvents,
            logfire::Kind::RequestData => Convention::LogfireRequestData,
        };
        return (source, logfire::conversation(attributes, kind));
    }
    // 6. One event per message.
    if !data.message_events.is_empty() {
        let parsed = otel_events::messages(&data.message_events);
        conversation.redacted = parsed.redacted;
        conversation.input = parsed.input;
        conversation.output = parsed.output;
        return (Convention::OtelEvents, conversation);
    }
    // 7. Semconv 1.26 prompt and completion events.
    if data.prompt_event.is_some() || data.completion_event.is_some() {
        if let Some(prompt) = &data.prompt_event {
            conversation = input_payload(prompt);
        }
        if let Some(completion) = &data.completion_event {
            conversation.take_answer(output_payload(completion));
        }
        return (Convention::OtelPromptEvents, conversation);
    }
    // 8. LangSmith's whole-run JSON in the un-indexed `gen_ai.prompt` /
    //    `gen_ai.completion` (the indexed form was read at 2).
    let prompt = attributes.json("gen_ai.prompt");
    let completion = attributes.json("gen_ai.completion");
    if prompt.is_some() || completion.is_some() {
        return (
            Convention::LangSmith,
            langsmith::conversation(prompt.as_ref(), completion.as_ref()),
        );
    }
    // 9. Raw input/output payloads, on spans that are calls by other signs.
    if let Some(conversation) = opaque::conversation(attributes) {
        return (Convention::OpaquePayload, conversation);
    }
    (Convention::AttributesOnly, conversation)
}

/// Takes a source's messages, and its call facts where the span lacks them.
fn merge(call: &mut LlmCall, conversation: Conversation) {
    let has_content = [&conversation.input, &conversation.output]
        .iter()
        .any(|messages| messages.iter().any(|m| !m.parts.is_empty()))
        || !conversation.system_instructions.is_empty();
    call.content = match (has_content, conversation.redacted) {
        (true, _) => ContentState::Captured,
        (false, true) => ContentState::Redacted,
        (false, false) if conversation.input.is_empty() && conversation.output.is_empty() => {
            ContentState::Absent
        }
        (false, false) => ContentState::Redacted,
    };
    call.input = conversation.input;
    call.output = conversation.output;
    call.system_instructions = conversation.system_instructions;
    call.tool_definitions = conversation.tool_definitions;
    call.warnings = conversation.warnings;
    fill_usage(&mut call.usage, &conversation.usage);
    if call.finish_reasons.is_empty() {
        call.finish_reasons = conversation.finish_reasons;
    }
    call.request_model = call.request_model.take().or(conversation.request_model);
    call.response_model = call.response_model.take().or(conversation.response_model);
    call.response_id = call.response_id.take().or(conversation.response_id);
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

/// An attribute of the first event with this name.
fn event_attribute(events: &[(String, EventData)], name: &str, key: &str) -> Option<Json> {
    events
        .iter()
        .find(|(event, _)| event == name)
        .and_then(|(_, data)| data.get(key).cloned())
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
