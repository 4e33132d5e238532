//! LangSmith's OTel export: the whole run's inputs
//! and outputs as JSON text in the un-indexed span attributes `gen_ai.prompt`
//! and `gen_ai.completion` (not OpenLLMetry's indexed `gen_ai.prompt.{i}.*`,
//! which is read first, by its keys).
//!
//! The shape depends on the run: a LangChain chat model sends
//! `{messages: [[<dumpd message>…]]}` in and `{generations: [[{text,
//! message}]]}` out, where a `dumpd` message is `{lc, type: "constructor",
//! id: [… "AIMessage"], kwargs: {type: "ai", content, tool_calls, …}}`; a
//! wrapped OpenAI client sends the request `{messages}` and the
//! ChatCompletion. Anything else is shown raw.

use serde_json::Value as Json;

use crate::genai::model::{FinishReason, Message, Part, Role};
use crate::genai::shared::content_blocks;
use crate::genai::shared::conversation::Conversation;
use crate::genai::shared::openai_format::{self, input_payload, output_payload};
use crate::genai::shared::payload::str_field;
use crate::genai::shared::tools::arguments;

pub fn conversation(prompt: Option<&Json>, completion: Option<&Json>) -> Conversation {
    let mut conversation = match prompt {
        Some(prompt) => match langchain_messages(prompt) {
            Some(input) => Conversation {
                input,
                ..Conversation::default()
            },
            None => input_payload(prompt),
        },
        None => Conversation::default(),
    };
    if let Some(completion) = completion {
        let answer = generations(completion).unwrap_or_else(|| output_payload(completion));
        conversation.take_answer(answer);
    }
    conversation
}

/// `{messages: [[msg…]…]}` (batches) or `{messages: [msg…]}` of LangChain
/// messages; `None` when the messages are not LangChain's.
fn langchain_messages(prompt: &Json) -> Option<Vec<Message>> {
    let Some(Json::Array(messages)) = prompt.get("messages") else {
        return None;
    };
    let flat: Vec<&Json> = messages
        .iter()
        .flat_map(|item| match item {
            Json::Array(batch) => batch.iter().collect(),
            one => vec![one],
        })
        .collect();
    if flat.is_empty() || !flat.iter().all(|m| is_langchain(m)) {
        return None;
    }
    Some(flat.into_iter().map(langchain_message).collect())
}

/// A `dumpd` message, or its plain-dict form `{type: "human", content}`.
fn is_langchain(message: &Json) -> bool {
    message.get("lc").is_some() && message.get("kwargs").is_some()
        || (message.get("role").is_none()
            && message.get("content").is_some()
            && str_field(message, "type").is_some())
}

fn langchain_message(message: &Json) -> Message {
    let kwargs = message.get("kwargs").unwrap_or(message);
    let class = message
        .get("id")
        .and_then(Json::as_array)
        .and_then(|id| id.last())
        .and_then(Json::as_str)
        .unwrap_or("");
    let mut role = str_field(kwargs, "type").unwrap_or("").to_owned();
    if role == "chat" {
        role = str_field(kwargs, "role").unwrap_or("chat").to_owned();
    }
    if Role::parse(&role) == Role::Other {
        // Chunks say `AIMessageChunk`; the class name tells the role.
        let from_class = match class.trim_end_matches("Chunk") {
            "HumanMessage" => "human",
            "AIMessage" => "ai",
            "SystemMessage" => "system",
            "ToolMessage" => "tool",
            "FunctionMessage" => "function",
            _ => "",
        };
        if !from_class.is_empty() {
            role = from_class.to_owned();
        }
    }
    let content = kwargs.get("content").unwrap_or(&Json::Null);
    let mut parts = Vec::new();
    if Role::parse(&role) == Role::Tool {
        parts.push(Part::ToolResult {
            id: str_field(kwargs, "tool_call_id").map(|id| id.trim().to_owned()),
            name: str_field(kwargs, "name").map(str::to_owned),
            content: content.clone(),
            is_error: str_field(kwargs, "status") == Some("error"),
        });
    } else {
        parts = content_blocks::parts(content);
        if let Some(reasoning) = kwargs
            .get("additional_kwargs")
            .and_then(|a| str_field(a, "reasoning_content"))
        {
            parts.insert(0, Part::Reasoning(reasoning.to_owned()));
        }
    }
    // `tool_calls: [{name, args (object), id}]`; `invalid_tool_calls` carry
    // the model's unparsable text. Anthropic content may hold the same calls
    // as `tool_use` blocks: those already read are not repeated.
    for key in ["tool_calls", "invalid_tool_calls"] {
        let Some(Json::Array(calls)) = kwargs.get(key) else {
            continue;
        };
        for call in calls {
            let id = str_field(call, "id").map(|id| id.trim().to_owned());
            let seen = parts.iter().any(
                |p| matches!(p, Part::ToolCall { id: known, .. } if id.is_some() && *known == id),
            );
            if seen {
                continue;
            }
            let (arguments, arguments_raw) = arguments(call.get("args"));
            parts.push(Part::ToolCall {
                id,
                name: str_field(call, "name").unwrap_or("").to_owned(),
                arguments,
                arguments_raw,
                server_side: false,
            });
        }
    }
    let mut out = Message::new(&role, parts);
    out.name = str_field(kwargs, "name")
        .filter(|_| out.role != Role::Tool)
        .map(str::to_owned);
    out.finish_reason = kwargs.get("response_metadata").and_then(|meta| {
        str_field(meta, "finish_reason")
            .or_else(|| str_field(meta, "stop_reason"))
            .map(FinishReason::parse)
    });
    out
}

/// `{generations: [[{text, message?, generation_info?}]], llm_output?}`.
fn generations(completion: &Json) -> Option<Conversation> {
    let Some(Json::Array(batches)) = completion.get("generations") else {
        return None;
    };
    let mut conversation = Conversation::default();
    for generation in batches.iter().flat_map(|batch| match batch {
        Json::Array(items) => items.iter().collect(),
        one => vec![one],
    }) {
        let mut message = match generation.get("message") {
            Some(message) if message.is_object() => langchain_message(message),
            _ => Message::new(
                "ai",
                content_blocks::parts(generation.get("text").unwrap_or(&Json::Null)),
            ),
        };
        if let Some(reason) = generation
            .get("generation_info")
            .and_then(|info| str_field(info, "finish_reason"))
        {
            message.finish_reason = Some(FinishReason::parse(reason));
        }
        if let Some(usage) = generation
            .get("message")
            .and_then(|m| m.get("kwargs").unwrap_or(m).get("usage_metadata"))
        {
            conversation.usage = openai_format::usage(usage);
        }
        conversation.output.push(message);
    }
    if let Some(usage) = completion
        .get("llm_output")
        .and_then(|o| o.get("token_usage").or_else(|| o.get("usage")))
        .filter(|_| conversation.usage.is_empty())
    {
        conversation.usage = openai_format::usage(usage);
    }
    conversation.finish_reasons = conversation
        .output
        .iter()
        .filter_map(|m| m.finish_reason.clone())
        .collect();
    Some(conversation)
}
