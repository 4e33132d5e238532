//! OpenInference (Arize Phoenix): `llm.input_messages.{i}.message.*` and
//! `llm.output_messages.{i}.message.*`, with `contents.{k}.message_content.*`
//! for multi-part content and `tool_calls.{j}.tool_call.*`.

use serde_json::Value as Json;

use crate::genai::model::{Message, Part, ToolDefinition};
use crate::genai::shared::content_blocks;
use crate::genai::shared::payload::{parse_embedded, str_field};
use crate::genai::shared::tools::arguments;

/// Messages from the rebuilt `llm.input_messages` / `llm.output_messages` array.
pub fn messages(tree: &Json) -> Vec<Message> {
    let Json::Array(items) = tree else {
        return Vec::new();
    };
    items
        .iter()
        .map(|item| {
            let message = item.get("message").unwrap_or(item);
            let role = str_field(message, "role").unwrap_or("user");
            let mut parts = Vec::new();
            if let Some(id) = str_field(message, "tool_call_id") {
                parts.push(Part::ToolResult {
                    id: Some(id.trim().to_owned()),
                    name: str_field(message, "name").map(str::to_owned),
                    content: message.get("content").cloned().unwrap_or(Json::Null),
                    is_error: false,
                });
            } else if let Some(text) = str_field(message, "content") {
                parts.push(Part::Text(text.to_owned()));
            }
            if let Some(Json::Array(contents)) = message.get("contents") {
                parts.extend(contents.iter().map(content_part));
            }
            if let Some(Json::Array(calls)) = message.get("tool_calls") {
                parts.extend(calls.iter().map(|call| {
                    let call = call.get("tool_call").unwrap_or(call);
                    let function = call.get("function").unwrap_or(call);
                    let (arguments, arguments_raw) = arguments(function.get("arguments"));
                    Part::ToolCall {
                        id: str_field(call, "id").map(|id| id.trim().to_owned()),
                        name: str_field(function, "name").unwrap_or("").to_owned(),
                        arguments,
                        arguments_raw,
                        server_side: false,
                    }
                }));
            }
            let mut out = Message::new(role, parts);
            out.name = str_field(message, "name")
                .filter(|_| str_field(message, "tool_call_id").is_none())
                .map(str::to_owned);
            out
        })
        .collect()
}

/// One `message_content`: text, reasoning, an image or audio.
fn content_part(content: &Json) -> Part {
    let content = content.get("message_content").unwrap_or(content);
    match str_field(content, "type") {
        Some("text") => Part::Text(str_field(content, "text").unwrap_or("").to_owned()),
        Some("reasoning") => Part::Reasoning(str_field(content, "text").unwrap_or("").to_owned()),
        Some(kind @ ("image" | "audio")) => {
            let inner = content
                .get(kind)
                .and_then(|i| i.get(kind))
                .unwrap_or(content);
            match str_field(inner, "url") {
                Some(url) => content_blocks::media(kind, str_field(inner, "mime_type"), url),
                None => Part::Unknown(content.clone()),
            }
        }
        _ => Part::Unknown(content.clone()),
    }
}

/// `llm.tools.{i}.tool.json_schema`: JSON text of an OpenAI tool.
pub fn tool_definitions(tree: &Json) -> Vec<ToolDefinition> {
    let Json::Array(tools) = tree else {
        return Vec::new();
    };
    let schemas: Vec<Json> = tools
        .iter()
        .filter_map(|tool| tool.get("tool")?.get("json_schema"))
        .map(|schema| match schema {
            Json::String(text) => parse_embedded(text).unwrap_or_else(|| schema.clone()),
            other => other.clone(),
        })
        .collect();
    crate::genai::shared::tools::tool_definitions(&Json::Array(schemas))
}
