//! OTel GenAI events (semconv 1.28–1.36, still the default of several
//! instrumentations): one event per message, `gen_ai.{role}.message` and
//! `gen_ai.choice`, as log records correlated by trace and span id or as
//! span events. The body is a structured value or a JSON string; Azure puts
//! it in the attribute `gen_ai.event.content`.

use serde_json::Value as Json;

use crate::genai::model::{FinishReason, Message, Part};
use crate::genai::shared::content_blocks;
use crate::genai::shared::openai_format::tool_calls;
use crate::genai::shared::payload::str_field;

/// One event, already decoded: its name and body as JSON.
pub struct GenAiEvent {
    pub name: String,
    pub body: Json,
}

/// Input and output messages from events in time order.
pub struct FromEvents {
    pub input: Vec<Message>,
    pub output: Vec<Message>,
    pub redacted: bool,
}

pub fn is_message_event(name: &str) -> bool {
    name == "gen_ai.choice" || (name.starts_with("gen_ai.") && name.ends_with(".message"))
}

pub fn messages(events: &[GenAiEvent]) -> FromEvents {
    let mut input = Vec::new();
    let mut choices: Vec<(i64, Message)> = Vec::new();
    let mut redacted = false;
    for event in events {
        if event.name == "gen_ai.choice" {
            let index = event
                .body
                .get("index")
                .and_then(Json::as_i64)
                .unwrap_or(i64::try_from(choices.len()).unwrap_or(i64::MAX));
            let message = event.body.get("message").unwrap_or(&Json::Null);
            let role = str_field(message, "role").unwrap_or("assistant");
            // Tool calls sit inside `message` (spec examples) or beside it (the YAML).
            let calls = tool_calls(
                message
                    .get("tool_calls")
                    .or_else(|| event.body.get("tool_calls")),
            );
            let mut parts = content_parts(message.get("content"), calls.is_empty(), &mut redacted);
            parts.extend(calls);
            let mut out = Message::new(role, parts);
            out.finish_reason = str_field(&event.body, "finish_reason").map(FinishReason::parse);
            choices.push((index, out));
            continue;
        }
        let Some(role_from_name) = event
            .name
            .strip_prefix("gen_ai.")
            .and_then(|n| n.strip_suffix(".message"))
        else {
            // Not a message (Logfire's `gen_ai.unknown` items): kept raw,
            // in place, so nothing the producer sent is lost.
            let role = str_field(&event.body, "role").unwrap_or("unknown");
            input.push(Message::new(role, vec![Part::Unknown(event.body.clone())]));
            continue;
        };
        let role = str_field(&event.body, "role").unwrap_or(role_from_name);
        let parts = if role_from_name == "tool" || role == "tool" {
            let content = event.body.get("content").cloned();
            if content.is_none() {
                redacted = true;
            }
            vec![Part::ToolResult {
                id: str_field(&event.body, "id")
                    .or_else(|| str_field(&event.body, "tool_call_id"))
                    .map(|id| id.trim().to_owned()),
                name: str_field(&event.body, "name").map(str::to_owned),
                content: content.unwrap_or(Json::Null),
                is_error: false,
            }]
        } else {
            let calls = tool_calls(event.body.get("tool_calls"));
            let mut parts =
                content_parts(event.body.get("content"), calls.is_empty(), &mut redacted);
            parts.extend(calls);
            parts
        };
        input.push(Message::new(role, parts));
    }
    choices.sort_by_key(|(index, _)| *index);
    FromEvents {
        input,
        output: choices.into_iter().map(|(_, m)| m).collect(),
        redacted,
    }
}

/// `content`: text, or provider-native blocks (kept whole when not text).
/// Missing content means capture was off, unless the message is only tool
/// calls (`expected` false).
fn content_parts(content: Option<&Json>, expected: bool, redacted: &mut bool) -> Vec<Part> {
    match content {
        None | Some(Json::Null) => {
            *redacted |= expected;
            Vec::new()
        }
        Some(content) => content_blocks::parts(content),
    }
}
