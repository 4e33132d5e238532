//! OpenLLMetry (Traceloop) indexed attributes, ≤ 0.54 and the instrumentations
//! of that era: `gen_ai.prompt.{i}.role/content/tool_call_id/tool_calls.{j}.*`,
//! `gen_ai.completion.{i}.role/content/finish_reason/refusal/tool_calls.{j}.*`,
//! and `llm.request.functions.{i}.name/description/parameters`.

use serde_json::Value as Json;

use crate::genai::model::{FinishReason, Message, Part, ToolDefinition};
use crate::genai::shared::openai_format::tool_calls;
use crate::genai::shared::payload::{parse_embedded, str_field, text_of};

/// Messages from the rebuilt `gen_ai.prompt` or `gen_ai.completion` array.
pub fn messages(tree: &Json, default_role: &str) -> Vec<Message> {
    let Json::Array(items) = tree else {
        return Vec::new();
    };
    items
        .iter()
        .map(|item| {
            let role = str_field(item, "role").unwrap_or(default_role);
            let mut parts = Vec::new();
            let content = item.get("content");
            if let Some(id) = str_field(item, "tool_call_id") {
                parts.push(Part::ToolResult {
                    id: Some(id.trim().to_owned()),
                    name: str_field(item, "name").map(str::to_owned),
                    content: content.cloned().unwrap_or(Json::Null),
                    is_error: false,
                });
            } else if let Some(content) = content {
                parts.push(content_part(content));
            }
            if let Some(refusal) = str_field(item, "refusal") {
                parts.push(Part::Refusal(refusal.to_owned()));
            }
            parts.extend(tool_calls(item.get("tool_calls")));
            let mut message = Message::new(role, parts);
            message.finish_reason = str_field(item, "finish_reason").map(FinishReason::parse);
            // Anthropic thinking blocks come as completions with role "thinking".
            if role == "thinking" {
                message.parts = message
                    .parts
                    .into_iter()
                    .map(|p| match p {
                        Part::Text(text) => Part::Reasoning(text),
                        other => other,
                    })
                    .collect();
            }
            message
        })
        .collect()
}

/// `content` is text, or JSON text of provider-native blocks.
fn content_part(content: &Json) -> Part {
    match content {
        Json::String(text) => match parse_embedded(text) {
            Some(blocks) if blocks.is_array() => {
                text_of(&blocks).map_or(Part::Unknown(blocks), Part::Text)
            }
            _ => Part::Text(text.clone()),
        },
        other => text_of(other).map_or_else(|| Part::Unknown(other.clone()), Part::Text),
    }
}

/// `llm.request.functions.{i}.*`.
pub fn tool_definitions(tree: &Json) -> Vec<ToolDefinition> {
    let Json::Array(functions) = tree else {
        return Vec::new();
    };
    functions
        .iter()
        .filter_map(|function| {
            Some(ToolDefinition {
                name: str_field(function, "name")?.to_owned(),
                description: str_field(function, "description").map(str::to_owned),
                parameters: function.get("parameters").map(|p| match p {
                    Json::String(text) => parse_embedded(text).unwrap_or_else(|| p.clone()),
                    other => other.clone(),
                }),
            })
        })
        .collect()
}
