//! OTel GenAI messages with typed parts (semconv ≥ 1.37):
//! `[{role, parts: [{type: "text", content}, {type: "tool_call", …}], finish_reason?}]`,
//! and the variant some producers put under the same key: OpenAI chat dicts
//! `[{role, content, tool_calls?, tool_call_id?}]` (Semantic Kernel agents).

use serde_json::Value as Json;

use crate::genai::model::{FinishReason, Message, Part};
use crate::genai::shared::openai_format::{self, id_of};
use crate::genai::shared::payload::str_field;
use crate::genai::shared::tools::arguments;

/// Messages read from a `gen_ai.*.messages` payload, and whether some parts
/// had their content left out (content capture off).
pub struct ParsedMessages {
    pub messages: Vec<Message>,
    pub redacted: bool,
}

pub fn messages(payload: &Json) -> ParsedMessages {
    let mut redacted = false;
    let list: Vec<&Json> = match payload {
        Json::Array(items) => items.iter().collect(),
        // A single message object.
        Json::Object(_) => vec![payload],
        _ => Vec::new(),
    };
    let messages = list
        .into_iter()
        .filter_map(|item| {
            let role = str_field(item, "role").unwrap_or("user");
            let mut message = match item.get("parts") {
                Some(Json::Array(parts)) => Message::new(
                    role,
                    parts
                        .iter()
                        .filter_map(|p| part(p, &mut redacted))
                        .collect(),
                ),
                _ => openai_format::message(item, &mut redacted)?,
            };
            message.name = str_field(item, "name").map(str::to_owned);
            message.finish_reason = str_field(item, "finish_reason").map(FinishReason::parse);
            Some(message)
        })
        .collect();
    ParsedMessages { messages, redacted }
}

/// System instructions: a list of parts without a role wrapper (or, from
/// some producers, a plain string).
pub fn instructions(payload: &Json) -> (Vec<Part>, bool) {
    let mut redacted = false;
    let parts = match payload {
        Json::Array(parts) => parts
            .iter()
            .filter_map(|p| part(p, &mut redacted))
            .collect(),
        Json::String(text) => vec![Part::Text(text.clone())],
        Json::Object(_) => part(payload, &mut redacted).into_iter().collect(),
        _ => Vec::new(),
    };
    (parts, redacted)
}

/// One typed part. `None` for a part whose content was left out.
fn part(part: &Json, redacted: &mut bool) -> Option<Part> {
    let Some(kind) = str_field(part, "type") else {
        return Some(Part::Unknown(part.clone()));
    };
    let text = |key: &str, redacted: &mut bool| match str_field(part, key) {
        Some(text) => Some(text.to_owned()),
        None => {
            *redacted = true;
            None
        }
    };
    Some(match kind {
        "text" => Part::Text(text("content", redacted)?),
        "reasoning" | "thinking" => Part::Reasoning(text("content", redacted)?),
        "refusal" => Part::Refusal(text("content", redacted)?),
        "tool_call" | "server_tool_call" => {
            let (arguments, arguments_raw) =
                arguments(part.get("arguments").or_else(|| part.get(kind)));
            Part::ToolCall {
                id: id_of(part),
                name: str_field(part, "name").unwrap_or("").to_owned(),
                arguments,
                arguments_raw,
                server_side: kind == "server_tool_call",
            }
        }
        "tool_call_response" | "server_tool_call_response" => Part::ToolResult {
            id: id_of(part),
            name: str_field(part, "name").map(str::to_owned),
            // The JSON schema says `response`; the spec's tables and
            // pydantic-ai say `result`.
            content: part
                .get("response")
                .or_else(|| part.get("result"))
                .or_else(|| part.get(kind))
                .cloned()
                .unwrap_or(Json::Null),
            is_error: false,
        },
        "blob" | "uri" | "file" | "image" | "audio" | "video" => Part::Media {
            modality: str_field(part, "modality").unwrap_or(kind).to_owned(),
            mime_type: str_field(part, "mime_type")
                .or_else(|| str_field(part, "media_type"))
                .map(str::to_owned),
            uri: str_field(part, "uri")
                .or_else(|| str_field(part, "url"))
                .map(str::to_owned),
            data_base64: (kind == "blob")
                .then(|| str_field(part, "content"))
                .flatten()
                .map(str::to_owned),
            file_id: str_field(part, "file_id").map(str::to_owned),
        },
        _ => Part::Unknown(part.clone()),
    })
}
