//! Pydantic Logfire and Pydantic AI v1.
//!
//! * `events` / `all_messages_events`: a span attribute holding a JSON array
//!   of pseudo-events, each the body of an OTel message event with its name
//!   under `event.name`; read by `otel_events`, like real events. Pydantic
//!   AI v1 ends with `gen_ai.choice`; Logfire's Responses and Agents arrays
//!   and `all_messages_events` (a whole agent run) have no choice, so their
//!   answer is the trailing assistant messages.
//! * `request_data` / `response_data` (Logfire v1 OpenAI and Anthropic
//!   instrumentation): the provider's request and response JSON.

use serde_json::Value as Json;

use super::otel_events::{self, GenAiEvent};
use crate::genai::model::Message;
use crate::genai::shared::attributes::Attributes;
use crate::genai::shared::conversation::Conversation;
use crate::genai::shared::openai_format::{self, output_payload};
use crate::genai::shared::payload::{raw_part, str_field};

/// Which Logfire payload a span carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `events` on a model-request span.
    Events,
    /// `all_messages_events` on an agent-run span: the whole run, repeating
    /// its model calls.
    AllMessages,
    /// `request_data` (and usually `response_data`).
    RequestData,
}

/// The Logfire payload of a span, if any. A plain `events` attribute counts
/// only when it holds pseudo-events, or when the span is a GenAI one anyway
/// (then a malformed payload is still shown).
pub fn kind(attributes: &Attributes, is_genai: bool) -> Option<Kind> {
    if attributes.has("all_messages_events") {
        return Some(Kind::AllMessages);
    }
    if let Some(events) = attributes.json("events") {
        let pseudo_events = match &events {
            Json::Array(items) => items.iter().any(|i| i.get("event.name").is_some()),
            _ => false,
        };
        if pseudo_events || is_genai {
            return Some(Kind::Events);
        }
    }
    attributes.has("request_data").then_some(Kind::RequestData)
}

pub fn conversation(attributes: &Attributes, kind: Kind) -> Conversation {
    let mut conversation = match kind {
        Kind::Events => events(attributes.json("events")),
        Kind::AllMessages => events(attributes.json("all_messages_events")),
        Kind::RequestData => request_data(attributes),
    };
    // Pydantic AI v1 agent runs name the model in `model_name`.
    if conversation.request_model.is_none() {
        conversation.request_model = attributes.text("model_name");
    }
    conversation
}

fn events(payload: Option<Json>) -> Conversation {
    let mut conversation = Conversation::default();
    let Some(Json::Array(items)) = payload else {
        if let Some(raw) = payload {
            conversation.input = vec![Message::new("user", vec![raw_part(&raw)])];
        }
        return conversation;
    };
    let events: Vec<GenAiEvent> = items
        .into_iter()
        .map(|body| GenAiEvent {
            name: str_field(&body, "event.name")
                .unwrap_or("gen_ai.unknown")
                .to_owned(),
            body,
        })
        .collect();
    let parsed = otel_events::messages(&events);
    conversation.input = parsed.input;
    conversation.output = parsed.output;
    conversation.redacted = parsed.redacted;
    if conversation.output.is_empty() {
        conversation.split_trailing_assistant();
    }
    conversation
}

fn request_data(attributes: &Attributes) -> Conversation {
    let request = attributes.json("request_data");
    let mut conversation = request
        .as_ref()
        .and_then(openai_format::request)
        .unwrap_or_else(|| Conversation {
            input: request
                .iter()
                .map(|raw| Message::new("user", vec![raw_part(raw)]))
                .collect(),
            ..Conversation::default()
        });
    match attributes.json("response_data") {
        Some(response) => conversation.take_answer(output_payload(&response)),
        // OpenAI Agents' "Chat completion" spans put the answer at the end
        // of the request's messages.
        None => conversation.split_trailing_assistant(),
    }
    conversation
}
