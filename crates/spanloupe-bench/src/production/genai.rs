//! The chat assistants' spans: model calls carrying 1-10 KB of messages (a
//! system prompt, the conversation so far, with the customer's order ids,
//! tracking numbers and dates in it) and tool calls, in the two forms
//! instrumentations record them.

use serde_json::json;
use spanloupe_core::wire::common::any_value::Value as WireValue;
use spanloupe_core::wire::{AnyValue, ArrayValue, KeyValue, Span};

use super::request::Request;
use super::services::{GenAi, SERVICES};
use super::values::{between, chance, iso8601, pick, token};
use crate::{Rng, kv, kv_double, kv_int, kv_str};

const CLIENT: i32 = 3;
const INTERNAL: i32 = 1;

const SYSTEM_PROMPTS: [&str; 2] = [
    "You are the customer assistant of an online shop. Answer in the customer's language, briefly and politely. \
     Use the tools to look up orders, shipments and products; never guess an order's status. Do not reveal \
     internal ids other than the order number. If the customer asks for a refund, explain the return policy \
     (30 days, unused items, free return label) and offer to start a return. Escalate to a human agent when \
     the customer is upset twice or asks for one.",
    "You help customers of the shop with their orders. Always check the order with lookup_order before \
     answering about it, and track_shipment for deliveries. Prices are in euros, including VAT. Keep answers \
     under 120 words. When unsure, say so and offer a human agent.",
];

const WORDS: [&str; 48] = [
    "the",
    "order",
    "parcel",
    "delivery",
    "was",
    "is",
    "still",
    "not",
    "arrived",
    "yet",
    "and",
    "I",
    "would",
    "like",
    "to",
    "know",
    "when",
    "it",
    "will",
    "come",
    "please",
    "check",
    "my",
    "account",
    "the",
    "carrier",
    "says",
    "address",
    "changed",
    "refund",
    "return",
    "label",
    "size",
    "colour",
    "wrong",
    "item",
    "received",
    "instead",
    "of",
    "thank",
    "you",
    "for",
    "your",
    "help",
    "today",
    "warehouse",
    "tracking",
    "number",
];

const TOOLS: [&str; 4] = [
    "lookup_order",
    "track_shipment",
    "search_products",
    "create_return",
];

/// A sentence or two of a customer's or the assistant's words, with the
/// ids a real conversation quotes.
fn sentence(rng: &mut Rng, request: &Request, out: &mut String) {
    let words = between(rng, 8, 22);
    for i in 0..words {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(pick(rng, &WORDS));
    }
    match rng.below(6) {
        0 => out.push_str(&format!(" (order {})", request.order)),
        1 => out.push_str(&format!(", tracking 1Z{}", token(rng, 16))),
        2 => out.push_str(&format!(
            " on {}",
            iso8601(
                request
                    .start
                    .saturating_sub(rng.below(30 * 86_400) * 1_000_000_000)
            )
        )),
        3 => out.push_str(&format!(
            " for €{}.{:02}",
            between(rng, 4, 900),
            rng.below(100)
        )),
        _ => {}
    }
    out.push_str(". ");
}

/// Text of about `bytes` bytes.
fn text(rng: &mut Rng, request: &Request, bytes: usize) -> String {
    let mut out = String::with_capacity(bytes + 200);
    while out.len() < bytes {
        sentence(rng, request, &mut out);
    }
    out.truncate(out.trim_end().len());
    out
}

/// The conversation sent to the model: the system prompt, then turns until
/// about `bytes` of text, ending with the customer's.
fn conversation(rng: &mut Rng, request: &Request, bytes: usize) -> Vec<(&'static str, String)> {
    let mut messages = vec![("system", (*pick(rng, &SYSTEM_PROMPTS)).to_owned())];
    let mut total = messages.iter().map(|(_, text)| text.len()).sum::<usize>();
    let mut turn = 0;
    while total < bytes {
        let role = if turn % 2 == 0 { "user" } else { "assistant" };
        let length = usize::try_from(between(rng, 150, 1800)).unwrap_or(150);
        let content = text(rng, request, length.min(bytes - total + 40));
        total += content.len();
        messages.push((role, content));
        turn += 1;
    }
    if turn % 2 == 0 {
        // The assistant spoke last: the customer asks again.
        let content = text(rng, request, 120);
        messages.push(("user", content));
    }
    messages
}

/// A model call of an assistant.
pub fn chat(span: &mut Span, rng: &mut Rng, request: &Request, service: usize) {
    let model = *pick(rng, &["gpt-4o", "gpt-4o-mini", "gpt-4.1-mini"]);
    let response_model = format!(
        "{model}-2024-{:02}-{:02}",
        between(rng, 5, 12),
        between(rng, 1, 28)
    );
    let input_bytes = usize::try_from(between(rng, 1000, 9800)).unwrap_or(1000);
    let input = conversation(rng, request, input_bytes);
    // The model answers, or asks for a tool.
    let tool_call = chance(rng, 35).then(|| {
        (
            format!("call_{}", token(rng, 24)),
            *pick(rng, &TOOLS),
            json!({"order_id": request.order}).to_string(),
        )
    });
    let answer = tool_call.is_none().then(|| {
        let length = usize::try_from(between(rng, 150, 1500)).unwrap_or(150);
        text(rng, request, length)
    });
    let input_tokens = i64::try_from(input_bytes / 4).unwrap_or(0);
    let output_tokens = i64::try_from(answer.as_ref().map_or(30, |a| a.len() / 4)).unwrap_or(0);
    let finish = if tool_call.is_some() {
        "tool_calls"
    } else {
        "stop"
    };
    span.kind = CLIENT;
    let a = &mut span.attributes;
    match SERVICES[service].genai {
        GenAi::Indexed => {
            span.name = "openai.chat".to_owned();
            a.push(kv_str("gen_ai.system", "openai"));
            a.push(kv_str("llm.request.type", "chat"));
            a.push(kv_str("gen_ai.request.model", model));
            a.push(kv_str("gen_ai.response.model", &response_model));
            a.push(kv_str(
                "gen_ai.response.id",
                &format!("chatcmpl-{}", token(rng, 29)),
            ));
            a.push(kv_double("gen_ai.request.temperature", 0.2));
            a.push(kv_str(
                "gen_ai.openai.api_base",
                "https://api.openai.com/v1/",
            ));
            a.push(kv_int("gen_ai.usage.prompt_tokens", input_tokens));
            a.push(kv_int("gen_ai.usage.completion_tokens", output_tokens));
            a.push(kv_int(
                "llm.usage.total_tokens",
                input_tokens + output_tokens,
            ));
            for (i, (role, content)) in input.iter().enumerate() {
                a.push(kv_str(&format!("gen_ai.prompt.{i}.role"), role));
                a.push(kv_str(&format!("gen_ai.prompt.{i}.content"), content));
            }
            a.push(kv_str("gen_ai.completion.0.role", "assistant"));
            a.push(kv_str("gen_ai.completion.0.finish_reason", finish));
            if let Some(answer) = &answer {
                a.push(kv_str("gen_ai.completion.0.content", answer));
            }
            if let Some((id, name, arguments)) = &tool_call {
                a.push(kv_str("gen_ai.completion.0.tool_calls.0.id", id));
                a.push(kv_str("gen_ai.completion.0.tool_calls.0.name", name));
                a.push(kv_str(
                    "gen_ai.completion.0.tool_calls.0.arguments",
                    arguments,
                ));
            }
        }
        GenAi::Messages | GenAi::None => {
            span.name = format!("chat {model}");
            let messages: Vec<_> = input
                .iter()
                .map(|(role, content)| {
                    json!({"role": role, "parts": [{"type": "text", "content": content}]})
                })
                .collect();
            let output = match (&answer, &tool_call) {
                (Some(answer), _) => {
                    json!([{"role": "assistant", "parts": [{"type": "text", "content": answer}], "finish_reason": finish}])
                }
                (None, Some((id, name, _))) => {
                    json!([{"role": "assistant", "parts": [{"type": "tool_call", "id": id, "name": name, "arguments": {"order_id": request.order}}], "finish_reason": finish}])
                }
                (None, None) => json!([]),
            };
            a.push(kv_str("gen_ai.operation.name", "chat"));
            a.push(kv_str("gen_ai.provider.name", "openai"));
            a.push(kv_str("gen_ai.request.model", model));
            a.push(kv_str("gen_ai.response.model", &response_model));
            a.push(kv_str(
                "gen_ai.response.id",
                &format!("chatcmpl-{}", token(rng, 29)),
            ));
            a.push(kv_str("gen_ai.conversation.id", &request.conversation));
            a.push(kv_double("gen_ai.request.temperature", 0.2));
            a.push(kv_int("gen_ai.request.max_tokens", 1024));
            a.push(kv_int("gen_ai.usage.input_tokens", input_tokens));
            a.push(kv_int("gen_ai.usage.output_tokens", output_tokens));
            a.push(kv(
                "gen_ai.response.finish_reasons",
                WireValue::ArrayValue(ArrayValue {
                    values: vec![AnyValue {
                        value: Some(WireValue::StringValue(finish.to_owned())),
                    }],
                }),
            ));
            a.push(kv_str("server.address", "api.openai.com"));
            a.push(kv_str(
                "gen_ai.input.messages",
                &serde_json::Value::Array(messages).to_string(),
            ));
            a.push(kv_str("gen_ai.output.messages", &output.to_string()));
        }
    }
}

/// A tool the model asked for, run by the assistant.
pub fn tool(span: &mut Span, rng: &mut Rng, request: &Request, service: usize) {
    let name = *pick(rng, &TOOLS);
    let id = format!("call_{}", token(rng, 24));
    let arguments = json!({"order_id": request.order}).to_string();
    let result = json!({
        "order_id": request.order,
        "status": pick(rng, &["processing", "shipped", "delivered", "returned"]),
        "tracking_number": format!("1Z{}", token(rng, 16)),
        "updated_at": iso8601(span.start_time_unix_nano),
        "items": (0..between(rng, 1, 4)).map(|_| json!({
            "sku": between(rng, 100_000, 999_999),
            "quantity": between(rng, 1, 3),
            "price_cents": between(rng, 399, 49_999),
        })).collect::<Vec<_>>(),
    })
    .to_string();
    span.name = format!("execute_tool {name}");
    span.kind = INTERNAL;
    let a: &mut Vec<KeyValue> = &mut span.attributes;
    if SERVICES[service].genai == GenAi::Indexed {
        a.push(kv_str("traceloop.span.kind", "tool"));
        a.push(kv_str("traceloop.entity.name", name));
        a.push(kv_str("traceloop.entity.input", &arguments));
        a.push(kv_str("traceloop.entity.output", &result));
    } else {
        a.push(kv_str("gen_ai.operation.name", "execute_tool"));
        a.push(kv_str("gen_ai.tool.name", name));
        a.push(kv_str("gen_ai.tool.type", "function"));
        a.push(kv_str("gen_ai.tool.call.id", &id));
        a.push(kv_str("gen_ai.tool.call.arguments", &arguments));
        a.push(kv_str("gen_ai.tool.call.result", &result));
    }
}
