//! The Vercel AI SDK's legacy `ai.*` spans (AI SDK 3–6). The span name is
//! the operation id: an outer `ai.generateText` / `ai.streamText` span for
//! the whole call, one `ai.*.doGenerate` / `ai.*.doStream` step span per
//! model call under it, and `ai.toolCall` spans for tool executions.
//!
//! Step spans carry the provider prompt in `ai.prompt.messages` (JSON text;
//! v4 and v5 part shapes, read by `content_blocks`) and the tools in
//! `ai.prompt.tools` (one JSON text per tool). Outer spans carry the
//! user-facing `ai.prompt` `{system, prompt, messages}`. Both carry the
//! answer in `ai.response.*` (v3: `ai.result.*`).

use serde_json::Value as Json;

use crate::genai::model::{FinishReason, Message, Part};
use crate::genai::shared::attributes::Attributes;
use crate::genai::shared::conversation::Conversation;
use crate::genai::shared::openai_format::{self, is_message_list};
use crate::genai::shared::payload::{parse_embedded, raw_part, str_field};
use crate::genai::shared::tools::{arguments, tool_definitions};

/// What a span is to the AI SDK.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// `ai.*.doGenerate` / `ai.*.doStream` / `ai.embed.doEmbed`: one model call.
    Step,
    /// `ai.generateText`, `ai.streamText`, …: wraps the steps and repeats
    /// their usage.
    Outer,
    /// `ai.toolCall`: a tool execution, not a model call.
    ToolCall,
}

/// The span's AI SDK role, from `ai.operationId` (else the span name).
pub fn role(attributes: &Attributes, span_name: &str) -> Option<Role> {
    let operation = attributes
        .string("ai.operationId")
        .unwrap_or_else(|| span_name.to_owned());
    let operation = operation.strip_prefix("ai.")?;
    let is_ai_span = attributes.has("ai.operationId")
        || attributes.has("ai.prompt")
        || attributes.has("ai.prompt.messages")
        || attributes.has("ai.model.id")
        || attributes.has_prefix("ai.toolCall.");
    if !is_ai_span {
        return None;
    }
    Some(if operation == "toolCall" {
        Role::ToolCall
    } else if operation.contains(".do") {
        Role::Step
    } else {
        Role::Outer
    })
}

/// The conversation of a step or outer span.
pub fn conversation(attributes: &Attributes) -> Conversation {
    let mut conversation = Conversation::default();
    if let Some(messages) = attributes.json("ai.prompt.messages") {
        conversation.input = prompt_messages(&messages, &mut conversation.redacted);
    } else if let Some(prompt) = attributes.json("ai.prompt") {
        read_outer_prompt(&prompt, &mut conversation);
    }
    if let Some(Json::Array(tools)) = attributes.json("ai.prompt.tools") {
        // One JSON text per tool.
        let tools: Vec<Json> = tools
            .into_iter()
            .map(|tool| match &tool {
                Json::String(text) => parse_embedded(text).unwrap_or(tool),
                _ => tool,
            })
            .collect();
        conversation.tool_definitions = tool_definitions(&Json::Array(tools));
    }
    let first = |keys: &[&str]| keys.iter().find_map(|key| attributes.string(key));
    let mut parts = Vec::new();
    if let Some(text) = first(&["ai.response.text", "ai.result.text"]) {
        parts.push(Part::Text(text));
    }
    if let Some(object) = first(&["ai.response.object", "ai.result.object"]) {
        parts.push(Part::Text(object));
    }
    if let Some(calls) = first(&["ai.response.toolCalls", "ai.result.toolCalls"]) {
        parts.extend(response_tool_calls(&calls));
    }
    let finish =
        first(&["ai.response.finishReason", "ai.finishReason"]).map(|r| FinishReason::parse(&r));
    if !parts.is_empty() || finish.is_some() {
        let mut answer = Message::new("assistant", parts);
        answer.finish_reason = finish.clone();
        conversation.output.push(answer);
    }
    conversation.finish_reasons = finish.into_iter().collect();
    conversation.request_model = attributes.string("ai.model.id");
    conversation.response_model = attributes.string("ai.response.model");
    conversation.response_id = attributes.string("ai.response.id");
    conversation
}

/// `ai.prompt.messages`: a message list; anything else is shown raw.
fn prompt_messages(payload: &Json, redacted: &mut bool) -> Vec<Message> {
    if is_message_list(payload) {
        openai_format::messages(payload, redacted)
    } else {
        vec![Message::new("user", vec![raw_part(payload)])]
    }
}

/// The outer span's `ai.prompt`: `{system?, prompt?, messages?}`, where
/// `prompt` is text or a message list.
fn read_outer_prompt(prompt: &Json, conversation: &mut Conversation) {
    let known = prompt.is_object()
        && ["system", "prompt", "messages"]
            .iter()
            .any(|key| prompt.get(key).is_some_and(|v| !v.is_null()));
    if !known {
        conversation.input = vec![Message::new("user", vec![raw_part(prompt)])];
        return;
    }
    if let Some(system) = str_field(prompt, "system") {
        conversation.system_instructions = vec![Part::Text(system.to_owned())];
    }
    for key in ["prompt", "messages"] {
        match prompt.get(key) {
            Some(Json::String(text)) => conversation
                .input
                .push(Message::new("user", vec![Part::Text(text.clone())])),
            Some(list @ Json::Array(_)) => conversation
                .input
                .extend(prompt_messages(list, &mut conversation.redacted)),
            _ => {}
        }
    }
}

/// `ai.response.toolCalls`: `[{toolCallId, toolName, args (v4) | input
/// (v5)}]` where the arguments are the model's raw text. Text that does not
/// parse is shown raw.
fn response_tool_calls(raw: &str) -> Vec<Part> {
    let Some(Json::Array(calls)) = parse_embedded(raw) else {
        return vec![Part::Text(raw.to_owned())];
    };
    calls
        .iter()
        .map(|call| {
            let (arguments, arguments_raw) =
                arguments(call.get("input").or_else(|| call.get("args")));
            Part::ToolCall {
                id: str_field(call, "toolCallId").map(|id| id.trim().to_owned()),
                name: str_field(call, "toolName").unwrap_or("").to_owned(),
                arguments,
                arguments_raw,
                server_side: call.get("providerExecuted") == Some(&Json::Bool(true)),
            }
        })
        .collect()
}
