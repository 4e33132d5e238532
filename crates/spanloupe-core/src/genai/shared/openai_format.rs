//! Provider request and response payloads in the shapes most conventions
//! pass through: OpenAI chat messages `{role, content: string | parts[],
//! tool_calls, tool_call_id, name}` (also Anthropic messages, Vercel prompt
//! messages and Responses input items, whose content blocks
//! `content_blocks` reads), a request `{messages, model, tools, system}`,
//! and a response (ChatCompletion, Anthropic Message, Responses, Logfire's
//! `response_data`).

use serde_json::Value as Json;

use super::content_blocks;
use super::conversation::Conversation;
use super::payload::{raw_part, str_field};
use super::tools::{arguments, tool_definitions};
use crate::genai::model::{FinishReason, Message, Part, Usage};

/// A list of messages (or one message object). Items that are not messages
/// are kept as [`Part::Unknown`] in a message of role `unknown`.
pub fn messages(payload: &Json, redacted: &mut bool) -> Vec<Message> {
    let list: Vec<&Json> = match payload {
        Json::Array(items) => items.iter().collect(),
        Json::Object(_) => vec![payload],
        _ => Vec::new(),
    };
    list.into_iter()
        .map(|item| {
            message(item, redacted)
                .unwrap_or_else(|| Message::new("unknown", vec![Part::Unknown(item.clone())]))
        })
        .collect()
}

/// Whether a payload reads as a list of chat messages: every item an object
/// with a `role` (or a Responses function-call item).
pub fn is_message_list(payload: &Json) -> bool {
    match payload {
        Json::Array(items) => {
            !items.is_empty()
                && items.iter().all(|item| {
                    item.get("role").is_some_and(Json::is_string)
                        || str_field(item, "type").is_some_and(|t| t.starts_with("function_call"))
                })
        }
        _ => false,
    }
}

/// One chat message, or `None` when the value is not an object.
pub fn message(item: &Json, redacted: &mut bool) -> Option<Message> {
    if !item.is_object() {
        return None;
    }
    // Responses API items: `{type: "function_call", call_id, name, arguments}`,
    // `{type: "function_call_output", call_id, output}`.
    match str_field(item, "type") {
        Some("function_call") => {
            let (arguments, arguments_raw) = arguments(item.get("arguments"));
            let call = Part::ToolCall {
                id: id_of(item),
                name: str_field(item, "name").unwrap_or("").to_owned(),
                arguments,
                arguments_raw,
                server_side: false,
            };
            return Some(Message::new("assistant", vec![call]));
        }
        Some("function_call_output") => {
            let result = Part::ToolResult {
                id: id_of(item),
                name: None,
                content: item.get("output").cloned().unwrap_or(Json::Null),
                is_error: false,
            };
            return Some(Message::new("tool", vec![result]));
        }
        Some("reasoning") if item.get("role").is_none() => {
            let summary = item.get("summary").and_then(super::payload::text_of);
            let part = summary.map_or_else(|| Part::Unknown(item.clone()), Part::Reasoning);
            return Some(Message::new("assistant", vec![part]));
        }
        _ => {}
    }
    let role = str_field(item, "role").unwrap_or("user");
    let mut parts = Vec::new();
    let is_tool = role == "tool" || item.get("tool_call_id").is_some();
    match item.get("content") {
        // A tool message's content is the result, whatever its shape,
        // unless it is a list of result blocks (Vercel), each with its id.
        Some(content) if is_tool && !content.is_null() && !holds_results(content) => {
            parts.push(Part::ToolResult {
                id: id_of(item),
                name: str_field(item, "name").map(str::to_owned),
                content: content.clone(),
                is_error: false,
            })
        }
        Some(content) if !content.is_null() => parts.extend(content_blocks::parts(content)),
        _ if item.get("tool_calls").is_none() && item.get("function_call").is_none() => {
            *redacted = true;
        }
        _ => {}
    }
    if let Some(reasoning) = str_field(item, "reasoning_content") {
        parts.insert(0, Part::Reasoning(reasoning.to_owned()));
    }
    if let Some(refusal) = str_field(item, "refusal") {
        parts.push(Part::Refusal(refusal.to_owned()));
    }
    parts.extend(tool_calls(item.get("tool_calls")));
    // Legacy `function_call {name, arguments}`: a tool call without an id.
    if let Some(function) = item.get("function_call").filter(|f| f.is_object()) {
        parts.extend(tool_calls(Some(&Json::Array(vec![function.clone()]))));
    }
    let mut message = Message::new(role, parts);
    message.name = str_field(item, "name")
        .filter(|_| !is_tool)
        .map(str::to_owned);
    message.finish_reason = str_field(item, "finish_reason").map(FinishReason::parse);
    Some(message)
}

/// Content that is a list of tool-result blocks.
fn holds_results(content: &Json) -> bool {
    match content {
        Json::Array(blocks) => {
            !blocks.is_empty()
                && blocks
                    .iter()
                    .all(|b| matches!(str_field(b, "type"), Some("tool-result" | "tool_result")))
        }
        _ => false,
    }
}

/// OpenAI `tool_calls: [{id, type: "function", function: {name, arguments}}]`.
pub fn tool_calls(value: Option<&Json>) -> Vec<Part> {
    let Some(Json::Array(calls)) = value else {
        return Vec::new();
    };
    calls
        .iter()
        .map(|call| {
            let function = call.get("function").unwrap_or(call);
            let (arguments, arguments_raw) = arguments(function.get("arguments"));
            Part::ToolCall {
                id: id_of(call),
                name: str_field(function, "name").unwrap_or("").to_owned(),
                arguments,
                arguments_raw,
                server_side: false,
            }
        })
        .collect()
}

/// A call id, trimmed (the spec's own example has a leading space).
pub fn id_of(object: &Json) -> Option<String> {
    ["id", "tool_call_id", "call_id"]
        .iter()
        .find_map(|key| str_field(object, key))
        .map(|id| id.trim().to_owned())
        .filter(|id| !id.is_empty())
}

/// A request: `{messages, model, tools, system (Anthropic), prompt
/// (completions), input (Responses)}`. `None` when it has none of these
/// message fields.
pub fn request(payload: &Json) -> Option<Conversation> {
    let mut conversation = Conversation::default();
    let mut found = false;
    if let Some(list @ Json::Array(_)) = payload.get("messages") {
        conversation.input = messages(list, &mut conversation.redacted);
        found = true;
    }
    if let Some(input) = payload
        .get("input")
        .filter(|i| is_message_list(i) || i.is_string())
    {
        conversation.input.extend(match input {
            Json::String(text) => vec![Message::new("user", vec![Part::Text(text.clone())])],
            list => messages(list, &mut conversation.redacted),
        });
        found = true;
    }
    if let Some(Json::String(prompt)) = payload.get("prompt") {
        conversation
            .input
            .push(Message::new("user", vec![Part::Text(prompt.clone())]));
        found = true;
    }
    // Anthropic's system prompt sits beside the messages; Responses' `instructions` too.
    if let Some(system) = payload
        .get("system")
        .or_else(|| payload.get("instructions"))
        .filter(|s| !s.is_null())
    {
        conversation.system_instructions = content_blocks::parts(system);
        found = true;
    }
    if !found {
        return None;
    }
    conversation.request_model = str_field(payload, "model").map(str::to_owned);
    if let Some(tools) = payload.get("tools") {
        conversation.tool_definitions = tool_definitions(tools);
    }
    Some(conversation)
}

/// A response: a ChatCompletion `{id, model, choices[{message | text,
/// finish_reason}], usage}`, an Anthropic Message `{role, content[],
/// stop_reason, usage}`, a Responses object `{output[], usage}`, or
/// Logfire's `response_data` (`{message, usage}`, `{text, finish_reason}`,
/// `{combined_chunk_content}`). `None` for other shapes.
pub fn response(payload: &Json) -> Option<Conversation> {
    let mut conversation = Conversation::default();
    let redacted = &mut conversation.redacted;
    let finish = |value: &Json| {
        str_field(value, "finish_reason")
            .or_else(|| str_field(value, "stop_reason"))
            .map(FinishReason::parse)
    };
    if let Some(Json::Array(choices)) = payload.get("choices") {
        for choice in choices {
            let mut out = match choice.get("message") {
                Some(message_json) => message(message_json, redacted)
                    .unwrap_or_else(|| Message::new("assistant", Vec::new())),
                None => Message::new(
                    "assistant",
                    content_blocks::parts(choice.get("text").unwrap_or(&Json::Null)),
                ),
            };
            out.finish_reason = finish(choice);
            conversation.output.push(out);
        }
    } else if let Some(message_json) = payload.get("message").filter(|m| m.is_object()) {
        // Logfire v1 `response_data`: the first choice's message.
        let mut out = message(message_json, redacted)
            .unwrap_or_else(|| Message::new("assistant", Vec::new()));
        out.finish_reason = finish(payload);
        conversation.output.push(out);
    } else if let Some(Json::Array(items)) = payload.get("output") {
        // Responses: message, reasoning and function-call items, in order.
        conversation.output = messages(&Json::Array(items.clone()), redacted);
    } else if payload.get("role").is_some() && payload.get("content").is_some() {
        // Anthropic Message, or a bare chat message.
        let mut out = message(payload, redacted)?;
        out.finish_reason = finish(payload);
        conversation.output.push(out);
    } else if let Some(text) = payload
        .get("text")
        .or_else(|| payload.get("combined_chunk_content"))
        .filter(|t| t.is_string())
    {
        let mut out = Message::new("assistant", content_blocks::parts(text));
        out.finish_reason = finish(payload);
        conversation.output.push(out);
    } else {
        return None;
    }
    conversation.finish_reasons = conversation
        .output
        .iter()
        .filter_map(|m| m.finish_reason.clone())
        .collect();
    conversation.usage = payload.get("usage").map(usage).unwrap_or_default();
    conversation.response_id = str_field(payload, "id").map(str::to_owned);
    conversation.response_model = str_field(payload, "model").map(str::to_owned);
    Some(conversation)
}

/// Token counts from a provider's usage object (OpenAI chat, Responses,
/// Anthropic, MLflow's `tokenUsage`, Langfuse's `usage_details`).
pub fn usage(usage: &Json) -> Usage {
    let number = |path: &[&str]| -> Option<u64> {
        let mut value = usage;
        for key in path {
            value = value.get(key)?;
        }
        value
            .as_u64()
            .or_else(|| value.as_str().and_then(|s| s.trim().parse().ok()))
    };
    let first = |paths: &[&[&str]]| paths.iter().find_map(|path| number(path));
    Usage {
        input: first(&[&["prompt_tokens"], &["input_tokens"], &["input"]]),
        output: first(&[&["completion_tokens"], &["output_tokens"], &["output"]]),
        total: first(&[&["total_tokens"], &["total"]]),
        cache_read: first(&[
            &["prompt_tokens_details", "cached_tokens"],
            &["input_tokens_details", "cached_tokens"],
            &["cache_read_input_tokens"],
        ]),
        cache_write: first(&[&["cache_creation_input_tokens"]]),
        reasoning: first(&[
            &["completion_tokens_details", "reasoning_tokens"],
            &["output_tokens_details", "reasoning_tokens"],
        ]),
    }
}

/// An input payload of unknown producer, read in the likeliest shapes: a
/// request (also Traceloop's `{args, kwargs: {messages}}`), a message list,
/// one message, or text; anything else is kept raw in one user message.
pub fn input_payload(payload: &Json) -> Conversation {
    let mut conversation = Conversation::default();
    match payload {
        Json::String(text) => {
            conversation.input = vec![Message::new("user", vec![Part::Text(text.clone())])];
        }
        list if is_message_list(list) => {
            conversation.input = messages(list, &mut conversation.redacted);
        }
        Json::Object(object) => {
            if let Some(request) =
                request(payload).or_else(|| object.get("kwargs").and_then(request))
            {
                return request;
            }
            let one = (object.contains_key("role") && object.contains_key("content"))
                .then(|| message(payload, &mut conversation.redacted))
                .flatten();
            conversation.input =
                vec![one.unwrap_or_else(|| Message::new("user", vec![raw_part(payload)]))];
        }
        other => conversation.input = vec![Message::new("user", vec![raw_part(other)])],
    }
    conversation
}

/// An output payload of unknown producer: a response (see [`response`]), a
/// message list, or text; anything else is kept raw in one assistant message.
pub fn output_payload(payload: &Json) -> Conversation {
    match payload {
        Json::String(text) => Conversation {
            output: vec![Message::new("assistant", vec![Part::Text(text.clone())])],
            ..Conversation::default()
        },
        list if is_message_list(list) => {
            let mut conversation = Conversation::default();
            conversation.output = messages(list, &mut conversation.redacted);
            conversation
        }
        other => response(other).unwrap_or_else(|| Conversation {
            output: vec![Message::new("assistant", vec![raw_part(other)])],
            ..Conversation::default()
        }),
    }
}
