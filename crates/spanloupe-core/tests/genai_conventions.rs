//! The GenAI conventions beyond OTel, OpenLLMetry and OpenInference, each on
//! minimal hand-written OTLP JSON in the shape its producer writes.

// Helpers of these tests unwrap: a failure there is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{load_str, span_named};
use serde_json::{Value as Json, json};
use spanloupe_core::genai::model::{Convention, FinishKind};
use spanloupe_core::genai::normalize::plain_text;
use spanloupe_core::genai::{ContentState, LlmCall, Message, Part, Role, llm_call};
use spanloupe_core::genai::{Feedback, ToolExecution, tool_execution};
use spanloupe_core::ingest::{Source, ingest_into};
use spanloupe_core::model::{TraceSet, TraceSetBuilder};

const TRACE: &str = "4bf92f3577b34da6a3ce929d0e0e4736";

/// Plain JSON as an OTLP `AnyValue`: strings, integers, doubles, booleans,
/// arrays and objects (kvlists).
fn any(value: &Json) -> Json {
    match value {
        Json::String(s) => json!({"stringValue": s}),
        Json::Bool(b) => json!({"boolValue": b}),
        Json::Number(n) if n.is_i64() || n.is_u64() => json!({"intValue": n.to_string()}),
        Json::Number(n) => json!({"doubleValue": n}),
        Json::Array(items) => {
            json!({"arrayValue": {"values": items.iter().map(any).collect::<Vec<_>>()}})
        }
        Json::Object(map) => {
            json!({"kvlistValue": {"values": map.iter().map(|(k, v)| json!({"key": k, "value": any(v)})).collect::<Vec<_>>()}})
        }
        Json::Null => json!({}),
    }
}

fn attrs(pairs: &[(&str, Json)]) -> Json {
    Json::Array(
        pairs
            .iter()
            .map(|(k, v)| json!({"key": k, "value": any(v)}))
            .collect(),
    )
}

/// A span; `parent` is a span id or "".
fn span(id: &str, parent: &str, name: &str, pairs: &[(&str, Json)]) -> Json {
    json!({
        "traceId": TRACE, "spanId": id, "parentSpanId": parent, "name": name,
        "startTimeUnixNano": "1000", "endTimeUnixNano": "2000",
        "attributes": attrs(pairs),
    })
}

fn load(spans: Vec<Json>) -> TraceSet {
    let doc = json!({"resourceSpans": [{"scopeSpans": [{"spans": spans}]}]});
    load_str(&doc.to_string()).unwrap().set
}

/// Spans and log records, loaded together as two files.
fn load_with_logs(spans: Vec<Json>, logs: Vec<Json>) -> TraceSet {
    let traces = json!({"resourceSpans": [{"scopeSpans": [{"spans": spans}]}]});
    let logs = json!({"resourceLogs": [{"scopeLogs": [{"logRecords": logs}]}]});
    let mut builder = TraceSetBuilder::new();
    for doc in [traces, logs] {
        ingest_into(&mut builder, doc.to_string().as_bytes(), Source::default()).unwrap();
    }
    builder.finish()
}

/// JSON as the text of an attribute, as most SDKs send it.
fn text(value: &Json) -> Json {
    Json::String(value.to_string())
}

fn call(set: &TraceSet, name: &str) -> LlmCall {
    llm_call(set, span_named(set, name)).unwrap_or_else(|| panic!("{name} is not a call"))
}

fn parts(messages: &[Message]) -> Vec<&Part> {
    messages.iter().flat_map(|m| m.parts.iter()).collect()
}

/// A tool call's id, name, arguments and raw arguments.
type Call<'a> = (Option<&'a str>, &'a str, Option<&'a Json>, Option<&'a str>);

fn tool_calls(messages: &[Message]) -> Vec<Call<'_>> {
    parts(messages)
        .into_iter()
        .filter_map(|p| match p {
            Part::ToolCall {
                id,
                name,
                arguments,
                arguments_raw,
                ..
            } => Some((
                id.as_deref(),
                name.as_str(),
                arguments.as_ref(),
                arguments_raw.as_deref(),
            )),
            _ => None,
        })
        .collect()
}

/// The (id, content, is_error) of every tool result.
fn tool_results(messages: &[Message]) -> Vec<(Option<&str>, &Json, bool)> {
    parts(messages)
        .into_iter()
        .filter_map(|p| match p {
            Part::ToolResult {
                id,
                content,
                is_error,
                ..
            } => Some((id.as_deref(), content, *is_error)),
            _ => None,
        })
        .collect()
}

// ---------------------------------------------------------------- Vercel

#[test]
fn vercel_v5_step_span() {
    let prompt = json!([
        {"role": "system", "content": "You are terse."},
        {"role": "user", "content": [
            {"type": "text", "text": "Weather in SF?"},
            {"type": "file", "data": "iVBORw0KGgo=", "mediaType": "image/png", "filename": "sky.png"}
        ]},
        {"role": "assistant", "content": [
            {"type": "reasoning", "text": "I should call the tool"},
            {"type": "tool-call", "toolCallId": "call-0", "toolName": "weather", "input": {"location": "Paris"}}
        ]},
        {"role": "tool", "content": [
            {"type": "tool-result", "toolCallId": "call-0", "toolName": "weather", "output": {"type": "json", "value": {"temp": 14}}}
        ]},
        {"role": "assistant", "content": [
            {"type": "tool-call", "toolCallId": "call-e", "toolName": "weather", "input": {}}
        ]},
        {"role": "tool", "content": [
            {"type": "tool-result", "toolCallId": "call-e", "toolName": "weather", "output": {"type": "error-text", "value": "no location"}}
        ]}
    ]);
    let tool = json!({"type": "function", "name": "weather", "description": "Get the weather", "inputSchema": {"type": "object", "properties": {"location": {"type": "string"}}}});
    let set = load(vec![span(
        "00f067aa0ba902b7",
        "",
        "ai.generateText.doGenerate",
        &[
            ("ai.operationId", json!("ai.generateText.doGenerate")),
            ("ai.model.id", json!("gpt-4o")),
            ("ai.model.provider", json!("openai.chat")),
            ("ai.prompt.messages", text(&prompt)),
            ("ai.prompt.tools", json!([tool.to_string()])),
            (
                "ai.response.toolCalls",
                text(
                    &json!([{"toolCallId": "call_1", "toolName": "weather", "input": "{\"location\":\"San Francisco\"}"}]),
                ),
            ),
            ("ai.response.finishReason", json!("tool-calls")),
            ("ai.response.id", json!("chatcmpl-abc")),
            ("ai.response.model", json!("gpt-4o-2024-08-06")),
            ("gen_ai.system", json!("openai.chat")),
            ("ai.usage.promptTokens", json!(54)),
            ("ai.usage.completionTokens", json!(18)),
        ],
    )]);
    let call = call(&set, "ai.generateText.doGenerate");
    assert_eq!(call.source, Convention::VercelAi);
    assert_eq!(call.source.label(), "Vercel AI SDK");
    assert!(!call.aggregate, "a step is a real model call");
    assert_eq!(call.content, ContentState::Captured);
    assert_eq!(
        call.operation.as_deref(),
        Some("ai.generateText.doGenerate")
    );
    assert_eq!(call.provider.as_deref(), Some("openai"));
    assert_eq!(call.provider_raw.as_deref(), Some("openai.chat"));
    assert_eq!(call.request_model.as_deref(), Some("gpt-4o"));
    assert_eq!(call.response_model.as_deref(), Some("gpt-4o-2024-08-06"));
    assert_eq!(call.response_id.as_deref(), Some("chatcmpl-abc"));
    assert_eq!((call.usage.input, call.usage.output), (Some(54), Some(18)));

    let roles: Vec<Role> = call.input.iter().map(|m| m.role).collect();
    assert_eq!(
        roles,
        [
            Role::System,
            Role::User,
            Role::Assistant,
            Role::Tool,
            Role::Assistant,
            Role::Tool
        ]
    );
    assert_eq!(
        plain_text(&call.input),
        ["You are terse.", "Weather in SF?", "I should call the tool"]
    );
    assert!(matches!(
        &call.input[1].parts[1],
        Part::Media { modality, mime_type: Some(mime), data_base64: Some(data), .. }
            if modality == "image" && mime == "image/png" && data == "iVBORw0KGgo="
    ));
    assert!(matches!(&call.input[2].parts[0], Part::Reasoning(_)));
    assert_eq!(
        tool_calls(&call.input)[0],
        (
            Some("call-0"),
            "weather",
            Some(&json!({"location": "Paris"})),
            None
        )
    );
    // v5 results: `output.value`, errors by their output type; linked by id.
    assert_eq!(
        tool_results(&call.input),
        [
            (Some("call-0"), &json!({"temp": 14}), false),
            (Some("call-e"), &json!("no location"), true)
        ]
    );

    // The answer: tool calls with the model's raw argument text.
    assert_eq!(call.output.len(), 1);
    assert_eq!(call.output[0].role, Role::Assistant);
    assert_eq!(
        tool_calls(&call.output),
        [(
            Some("call_1"),
            "weather",
            Some(&json!({"location": "San Francisco"})),
            Some("{\"location\":\"San Francisco\"}")
        )]
    );
    assert_eq!(call.finish_reasons.len(), 1);
    assert_eq!(call.finish_reasons[0].kind, FinishKind::ToolCall);
    assert_eq!(call.finish_reasons[0].raw, "tool-calls");
    assert_eq!(call.tool_definitions[0].name, "weather");
    assert_eq!(
        call.tool_definitions[0].description.as_deref(),
        Some("Get the weather")
    );
    assert_eq!(
        call.tool_definitions[0].parameters.as_ref().unwrap()["properties"]["location"]["type"],
        "string",
        "v5 inputSchema"
    );
}

#[test]
fn vercel_v4_step_span() {
    let prompt = json!([
        {"role": "user", "content": [
            {"type": "text", "text": "Describe"},
            {"type": "image", "image": "https://example.com/cat.png", "mimeType": "image/png"},
            {"type": "file", "data": "JVBERi0=", "mimeType": "application/pdf"}
        ]},
        {"role": "assistant", "content": [
            {"type": "redacted-reasoning", "data": "c2VjcmV0"},
            {"type": "tool-call", "toolCallId": "call-1", "toolName": "tool1", "args": {"value": "value"}}
        ]},
        {"role": "tool", "content": [
            {"type": "tool-result", "toolCallId": "call-1", "toolName": "tool1", "result": "result1"},
            {"type": "tool-result", "toolCallId": "call-2", "toolName": "tool1", "result": {"error": "boom"}, "isError": true}
        ]}
    ]);
    let tool = json!({"type": "function", "name": "tool1", "parameters": {"type": "object"}});
    let set = load(vec![span(
        "00f067aa0ba902b7",
        "",
        "ai.streamText.doStream",
        &[
            ("ai.operationId", json!("ai.streamText.doStream")),
            ("ai.model.id", json!("claude-3-5-sonnet")),
            ("ai.model.provider", json!("anthropic.messages")),
            ("ai.prompt.messages", text(&prompt)),
            ("ai.prompt.tools", json!([tool.to_string()])),
            ("ai.response.text", json!("A cat.")),
            (
                "ai.response.toolCalls",
                text(
                    &json!([{"toolCallType": "function", "toolCallId": "call-3", "toolName": "tool1", "args": "{ \"value\": \"value\" }"}]),
                ),
            ),
            ("ai.response.finishReason", json!("stop")),
            ("gen_ai.usage.input_tokens", json!(10)),
            ("gen_ai.usage.output_tokens", json!(4)),
        ],
    )]);
    let call = call(&set, "ai.streamText.doStream");
    assert_eq!(call.source, Convention::VercelAi);
    assert_eq!(call.provider.as_deref(), Some("anthropic"));
    let user = &call.input[0].parts;
    assert!(
        matches!(&user[1], Part::Media { modality, uri: Some(uri), .. }
        if modality == "image" && uri == "https://example.com/cat.png")
    );
    assert!(
        matches!(&user[2], Part::Media { modality, mime_type: Some(mime), data_base64: Some(_), .. }
        if modality == "document" && mime == "application/pdf")
    );
    assert!(
        matches!(&call.input[1].parts[0], Part::Unknown(raw) if raw["data"] == "c2VjcmV0"),
        "redacted reasoning is kept raw"
    );
    assert_eq!(
        tool_calls(&call.input)[0],
        (
            Some("call-1"),
            "tool1",
            Some(&json!({"value": "value"})),
            None
        )
    );
    assert_eq!(
        tool_results(&call.input),
        [
            (Some("call-1"), &json!("result1"), false),
            (Some("call-2"), &json!({"error": "boom"}), true)
        ]
    );
    assert_eq!(plain_text(&call.output), ["A cat."]);
    assert_eq!(
        tool_calls(&call.output),
        [(
            Some("call-3"),
            "tool1",
            Some(&json!({"value": "value"})),
            Some("{ \"value\": \"value\" }")
        )]
    );
    assert_eq!(
        call.output[0].finish_reason.as_ref().unwrap().kind,
        FinishKind::Stop
    );
    assert_eq!(
        call.tool_definitions[0].parameters,
        Some(json!({"type": "object"}))
    );
    assert_eq!((call.usage.input, call.usage.output), (Some(10), Some(4)));
}

#[test]
fn vercel_outer_span_is_an_aggregate_call_and_tool_spans_are_not_calls() {
    let set = load(vec![
        span(
            "00000000000000a1",
            "",
            "ai.generateText",
            &[
                ("ai.operationId", json!("ai.generateText")),
                ("ai.model.id", json!("gpt-4o")),
                ("ai.model.provider", json!("openai.responses")),
                (
                    "ai.prompt",
                    text(&json!({"system": "Be brief.", "prompt": "Weather in Paris?"})),
                ),
                ("ai.response.text", json!("Sunny.")),
                ("ai.response.finishReason", json!("stop")),
                ("ai.usage.promptTokens", json!(100)),
                ("ai.usage.completionTokens", json!(20)),
            ],
        ),
        span(
            "00000000000000a2",
            "00000000000000a1",
            "ai.toolCall",
            &[
                ("ai.operationId", json!("ai.toolCall")),
                ("ai.toolCall.name", json!("weather")),
                ("ai.toolCall.id", json!("call-1")),
                ("ai.toolCall.args", json!("{\"location\":\"Paris\"}")),
            ],
        ),
    ]);
    let outer = call(&set, "ai.generateText");
    assert!(outer.aggregate, "the outer span repeats its steps' usage");
    assert_eq!(outer.source, Convention::VercelAi);
    assert_eq!(outer.operation.as_deref(), Some("ai.generateText"));
    assert_eq!(outer.provider.as_deref(), Some("openai"));
    assert_eq!(outer.system_instructions, [Part::Text("Be brief.".into())]);
    assert_eq!(plain_text(&outer.input), ["Weather in Paris?"]);
    assert_eq!(outer.input[0].role, Role::User);
    assert_eq!(plain_text(&outer.output), ["Sunny."]);
    assert_eq!(outer.finish_reasons[0].kind, FinishKind::Stop);
    assert_eq!(outer.usage.total_or_sum(), Some(120));
    assert!(llm_call(&set, span_named(&set, "ai.toolCall")).is_none());
}

#[test]
fn vercel_v3_result_keys_and_malformed_payloads_show_raw_text() {
    let set = load(vec![span(
        "00f067aa0ba902b7",
        "",
        "ai.generateText.doGenerate",
        &[
            ("ai.operationId", json!("ai.generateText.doGenerate")),
            (
                "ai.prompt.messages",
                json!("[{\"role\":\"user\",\"content\":"),
            ),
            ("ai.result.text", json!("Hello")),
            ("ai.result.toolCalls", json!("[not json")),
            ("ai.finishReason", json!("content-filter")),
            ("gen_ai.usage.prompt_tokens", json!(7)),
        ],
    )]);
    let call = call(&set, "ai.generateText.doGenerate");
    assert_eq!(call.source, Convention::VercelAi);
    assert_eq!(
        call.input,
        [Message::new(
            "user",
            vec![Part::Text("[{\"role\":\"user\",\"content\":".into())]
        )],
        "the truncated prompt is shown as sent"
    );
    assert_eq!(plain_text(&call.output), ["Hello", "[not json"]);
    assert_eq!(call.finish_reasons[0].kind, FinishKind::ContentFilter);
    assert_eq!(call.usage.input, Some(7));
}

// ---------------------------------------------------------- Logfire

#[test]
fn logfire_responses_events_split_at_the_trailing_assistant_messages() {
    // As Pydantic AI writes it: inputs and outputs in one array, no choice.
    let events = json!([
        {"event.name": "gen_ai.system.message", "content": "Return double the number", "role": "system"},
        {"event.name": "gen_ai.user.message", "content": "Generate a random number then, hand off to agent2.", "role": "user"},
        {"event.name": "gen_ai.assistant.message", "role": "assistant", "tool_calls": [{"id": "call_vwqy7HyGGnNht9NNfxMnnouY", "type": "function", "function": {"name": "random_number", "arguments": "{}"}}]},
        {"event.name": "gen_ai.tool.message", "role": "tool", "id": "call_vwqy7HyGGnNht9NNfxMnnouY", "content": "4", "name": "random_number"},
        {"event.name": "gen_ai.unknown", "type": "handoff", "target": "agent2"},
        {"event.name": "gen_ai.assistant.message", "content": "The random number generated is 4.", "role": "assistant"}
    ]);
    let set = load(vec![span(
        "00f067aa0ba902b7",
        "",
        "Responses API with {gen_ai.request.model!r}",
        &[
            ("gen_ai.system", json!("openai")),
            ("gen_ai.operation.name", json!("chat")),
            ("gen_ai.request.model", json!("gpt-4o")),
            ("events", text(&events)),
            ("gen_ai.usage.input_tokens", json!(120)),
            ("gen_ai.usage.output_tokens", json!(12)),
        ],
    )]);
    let call = call(&set, "Responses API with {gen_ai.request.model!r}");
    assert_eq!(call.source, Convention::LogfireEvents);
    assert_eq!(call.source.label(), "Pydantic Logfire events");
    assert!(!call.aggregate);
    assert_eq!(call.provider.as_deref(), Some("openai"));
    assert_eq!((call.usage.input, call.usage.output), (Some(120), Some(12)));
    let roles: Vec<&str> = call.input.iter().map(|m| m.role_raw.as_str()).collect();
    assert_eq!(roles, ["system", "user", "assistant", "tool", "unknown"]);
    assert_eq!(
        tool_calls(&call.input),
        [(
            Some("call_vwqy7HyGGnNht9NNfxMnnouY"),
            "random_number",
            Some(&json!({})),
            Some("{}")
        )]
    );
    assert_eq!(
        tool_results(&call.input),
        [(Some("call_vwqy7HyGGnNht9NNfxMnnouY"), &json!("4"), false)]
    );
    assert!(
        matches!(&call.input[4].parts[0], Part::Unknown(raw) if raw["target"] == "agent2"),
        "unknown items are kept raw"
    );
    assert_eq!(
        plain_text(&call.output),
        ["The random number generated is 4."]
    );
    assert_eq!(call.output[0].role, Role::Assistant);
}

#[test]
fn pydantic_ai_v1_events_with_a_choice_thinking_and_media() {
    let events = json!([
        {"content": "Be helpful.", "role": "system", "gen_ai.message.index": 0, "event.name": "gen_ai.system.message", "gen_ai.system": "openai"},
        {"content": ["What is this?", {"kind": "image-url", "url": "https://example.com/a.png"}, {"kind": "binary", "media_type": "audio/wav", "binary_content": "UklGRg=="}], "role": "user", "gen_ai.message.index": 1, "event.name": "gen_ai.user.message", "gen_ai.system": "openai"},
        {"index": 0, "message": {"role": "assistant", "content": [{"kind": "thinking", "text": "An image and a sound."}, {"kind": "text", "text": "A cat, meowing."}]}, "event.name": "gen_ai.choice", "gen_ai.system": "openai"}
    ]);
    let set = load(vec![span(
        "00f067aa0ba902b7",
        "",
        "chat gpt-4o",
        &[
            ("gen_ai.system", json!("openai")),
            ("gen_ai.request.model", json!("gpt-4o")),
            ("gen_ai.response.finish_reasons", json!(["stop"])),
            ("events", text(&events)),
        ],
    )]);
    let call = call(&set, "chat gpt-4o");
    assert_eq!(call.source, Convention::LogfireEvents);
    assert_eq!(plain_text(&call.input), ["Be helpful.", "What is this?"]);
    let user = &call.input[1].parts;
    assert!(
        matches!(&user[1], Part::Media { modality, uri: Some(uri), .. }
        if modality == "image" && uri == "https://example.com/a.png")
    );
    assert!(
        matches!(&user[2], Part::Media { modality, mime_type: Some(mime), data_base64: Some(data), .. }
        if modality == "audio" && mime == "audio/wav" && data == "UklGRg==")
    );
    assert_eq!(
        call.output[0].parts,
        [
            Part::Reasoning("An image and a sound.".into()),
            Part::Text("A cat, meowing.".into())
        ]
    );
    assert_eq!(call.finish_reasons[0].kind, FinishKind::Stop);
}

#[test]
fn pydantic_ai_v1_agent_run_is_an_aggregate_call() {
    let events = json!([
        {"content": "What is 2+2?", "role": "user", "event.name": "gen_ai.user.message"},
        {"role": "assistant", "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "add", "arguments": "{\"a\":2,\"b\":2}"}}], "event.name": "gen_ai.assistant.message"},
        {"role": "tool", "id": "call_1", "name": "add", "content": "4", "event.name": "gen_ai.tool.message"},
        {"role": "assistant", "content": "4", "event.name": "gen_ai.assistant.message"}
    ]);
    let set = load(vec![span(
        "00f067aa0ba902b7",
        "",
        "agent run",
        &[
            ("agent_name", json!("calculator")),
            ("model_name", json!("gpt-4o-mini")),
            ("logfire.msg", json!("calculator run")),
            ("all_messages_events", text(&events)),
        ],
    )]);
    let call = call(&set, "agent run");
    assert!(call.aggregate, "the run repeats its model calls");
    assert_eq!(call.source, Convention::LogfireEvents);
    assert_eq!(call.request_model.as_deref(), Some("gpt-4o-mini"));
    assert_eq!(call.input.len(), 3);
    assert_eq!(
        tool_calls(&call.input),
        [(
            Some("call_1"),
            "add",
            Some(&json!({"a": 2, "b": 2})),
            Some("{\"a\":2,\"b\":2}")
        )]
    );
    assert_eq!(
        tool_results(&call.input),
        [(Some("call_1"), &json!("4"), false)]
    );
    assert_eq!(plain_text(&call.output), ["4"]);
}

#[test]
fn logfire_v1_request_and_response_data() {
    let request = json!({
        "model": "gpt-4o",
        "messages": [
            {"role": "system", "content": "You are a weather bot"},
            {"role": "user", "content": [{"type": "text", "text": "Weather in Paris?"}, {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}}]},
            {"role": "assistant", "content": null, "tool_calls": [{"id": "call_a", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}}]},
            {"role": "tool", "tool_call_id": "call_a", "content": "rainy, 57°F"}
        ],
        "tools": [{"type": "function", "function": {"name": "get_weather", "description": "Weather by city", "parameters": {"type": "object"}}}]
    });
    let response = json!({
        "message": {"role": "assistant", "content": "It is rainy in Paris."},
        "usage": {"prompt_tokens": 47, "completion_tokens": 9, "total_tokens": 56, "prompt_tokens_details": {"cached_tokens": 8}}
    });
    let set = load(vec![span(
        "00f067aa0ba902b7",
        "",
        "Chat Completion with {request_data[model]!r}",
        &[
            ("gen_ai.system", json!("openai")),
            ("gen_ai.response.finish_reasons", json!(["stop"])),
            ("request_data", text(&request)),
            ("response_data", text(&response)),
        ],
    )]);
    let call = call(&set, "Chat Completion with {request_data[model]!r}");
    assert_eq!(call.source, Convention::LogfireRequestData);
    assert_eq!(call.source.label(), "Pydantic Logfire request data");
    assert_eq!(
        call.request_model.as_deref(),
        Some("gpt-4o"),
        "from request_data"
    );
    assert_eq!(
        plain_text(&call.input),
        ["You are a weather bot", "Weather in Paris?"]
    );
    assert!(
        matches!(&call.input[1].parts[1], Part::Media { mime_type: Some(mime), data_base64: Some(data), uri: None, .. }
        if mime == "image/png" && data == "iVBORw0KGgo=")
    );
    assert_eq!(
        tool_calls(&call.input),
        [(
            Some("call_a"),
            "get_weather",
            Some(&json!({"city": "Paris"})),
            Some("{\"city\":\"Paris\"}")
        )]
    );
    assert_eq!(
        tool_results(&call.input),
        [(Some("call_a"), &json!("rainy, 57°F"), false)]
    );
    assert_eq!(plain_text(&call.output), ["It is rainy in Paris."]);
    assert_eq!(
        (
            call.usage.input,
            call.usage.output,
            call.usage.total,
            call.usage.cache_read
        ),
        (Some(47), Some(9), Some(56), Some(8)),
        "usage from response_data when the span has none"
    );
    assert_eq!(call.finish_reasons[0].kind, FinishKind::Stop);
    assert_eq!(call.tool_definitions[0].name, "get_weather");
}

#[test]
fn logfire_completions_response_and_malformed_payloads() {
    let set = load(vec![
        span(
            "00000000000000b1",
            "",
            "completion",
            &[
                ("gen_ai.system", json!("openai")),
                (
                    "request_data",
                    text(&json!({"model": "gpt-3.5-turbo-instruct", "prompt": "Say hi"})),
                ),
                (
                    "response_data",
                    text(
                        &json!({"text": "Hi!", "finish_reason": "length", "usage": {"prompt_tokens": 2, "completion_tokens": 1}}),
                    ),
                ),
            ],
        ),
        span(
            "00000000000000b2",
            "",
            "broken",
            &[
                ("gen_ai.system", json!("openai")),
                ("request_data", json!("{\"messages\": [")),
                ("response_data", json!("{\"message\"")),
            ],
        ),
        span(
            "00000000000000b3",
            "",
            "broken events",
            &[
                ("gen_ai.system", json!("openai")),
                ("events", json!("[{\"event.name\":")),
            ],
        ),
    ]);
    let completion = call(&set, "completion");
    assert_eq!(plain_text(&completion.input), ["Say hi"]);
    assert_eq!(plain_text(&completion.output), ["Hi!"]);
    assert_eq!(completion.finish_reasons[0].kind, FinishKind::Length);
    assert_eq!(
        (completion.usage.input, completion.usage.output),
        (Some(2), Some(1))
    );

    let broken = call(&set, "broken");
    assert_eq!(plain_text(&broken.input), ["{\"messages\": ["]);
    assert_eq!(plain_text(&broken.output), ["{\"message\""]);
    assert_eq!(broken.content, ContentState::Captured);

    let broken_events = call(&set, "broken events");
    assert_eq!(broken_events.source, Convention::LogfireEvents);
    assert_eq!(plain_text(&broken_events.input), ["[{\"event.name\":"]);
}

// -------------------------------------------------------------- Feedback

#[test]
fn feedback_by_span_id_by_response_id_and_from_span_events() {
    let chat = |id: &str, response: &str, events: Json| {
        let mut span = span(
            id,
            "",
            &format!("chat {response}"),
            &[
                ("gen_ai.operation.name", json!("chat")),
                ("gen_ai.response.id", json!(response)),
            ],
        );
        span["events"] = events;
        span
    };
    let spans = vec![
        chat(
            "00000000000000c1",
            "chatcmpl-123",
            json!([{"timeUnixNano": "1500", "name": "gen_ai.evaluation.result", "attributes": attrs(&[
                ("gen_ai.evaluation.name", json!("Groundedness")),
                ("gen_ai.evaluation.score.value", json!(0.0)),
                ("gen_ai.evaluation.score.label", json!("fail")),
            ])}]),
        ),
        chat("00000000000000c2", "chatcmpl-other", json!([])),
    ];
    let logs = vec![
        // Azure's user feedback, pointing at the span; the comment in the body.
        json!({"eventName": "gen_ai.evaluation.user_feedback", "traceId": TRACE, "spanId": "00000000000000c1", "timeUnixNano": "3000",
               "attributes": attrs(&[("gen_ai.response.id", json!("chatcmpl-123")), ("gen_ai.evaluation.score", json!(1.0))]),
               "body": any(&json!({"comment": "something users might provide"}))}),
        // An evaluation with no span context, named by the old attribute, found by response id.
        json!({"timeUnixNano": "4000",
        "attributes": attrs(&[
            ("event.name", json!("gen_ai.evaluation.result")),
            ("gen_ai.response.id", json!("chatcmpl-123")),
            ("gen_ai.evaluation.name", json!("Relevance")),
            ("gen_ai.evaluation.score.value", json!(4)),
            ("gen_ai.evaluation.score.label", json!("relevant")),
            ("gen_ai.evaluation.explanation", json!("On topic.")),
        ])}),
        // Feedback on the other call, with the score in a JSON-text body.
        json!({"eventName": "gen_ai.evaluation.user_feedback", "timeUnixNano": "5000",
               "attributes": attrs(&[("gen_ai.response.id", json!("chatcmpl-other"))]),
               "body": {"stringValue": "{\"score\": -1}"}}),
        // Not feedback.
        json!({"eventName": "gen_ai.user.message", "traceId": TRACE, "spanId": "00000000000000c2", "timeUnixNano": "900",
               "body": any(&json!({"content": "hi"}))}),
    ];
    let set = load_with_logs(spans, logs);
    let first = call(&set, "chat chatcmpl-123");
    assert_eq!(
        first.feedback,
        [
            Feedback {
                name: "user_feedback".into(),
                score: Some(1.0),
                label: None,
                comment: Some("something users might provide".into()),
                explanation: None,
            },
            Feedback {
                name: "Relevance".into(),
                score: Some(4.0),
                label: Some("relevant".into()),
                comment: None,
                explanation: Some("On topic.".into()),
            },
            Feedback {
                name: "Groundedness".into(),
                score: Some(0.0),
                label: Some("fail".into()),
                comment: None,
                explanation: None,
            },
        ]
    );
    let second = call(&set, "chat chatcmpl-other");
    assert_eq!(second.feedback.len(), 1);
    assert_eq!(second.feedback[0].score, Some(-1.0));
    assert_eq!(second.feedback[0].comment, None);
}

// ------------------------------------------------------- Tool executions

#[test]
fn tool_executions_of_every_convention() {
    let mut failed = span(
        "00000000000000d8",
        "",
        "Function: {name}",
        &[
            ("name", json!("lookup")),
            ("input", json!("{\"q\":\"x\"}")),
            ("output", json!("not found")),
            ("logfire.msg", json!("Function: lookup")),
        ],
    );
    failed["status"] = json!({"code": 2, "message": "boom"});
    let set = load(vec![
        span(
            "00000000000000d1",
            "",
            "execute_tool get_weather",
            &[
                ("gen_ai.operation.name", json!("execute_tool")),
                ("gen_ai.tool.name", json!("get_weather")),
                (
                    "gen_ai.tool.call.id",
                    json!(" call_VSPygqKTWdrhaFErNvMV18Yl"),
                ),
                ("gen_ai.tool.description", json!("Get the weather")),
                (
                    "gen_ai.tool.call.arguments",
                    json!("{\"location\":\"Paris\"}"),
                ),
                ("gen_ai.tool.call.result", json!("rainy, 57°F")),
            ],
        ),
        span(
            "00000000000000d2",
            "",
            "ai.toolCall",
            &[
                ("ai.operationId", json!("ai.toolCall")),
                ("ai.toolCall.name", json!("weather")),
                ("ai.toolCall.id", json!("call-1")),
                ("ai.toolCall.args", json!("{\"location\":\"SF\"}")),
                ("ai.toolCall.result", json!("{\"temp\":14}")),
            ],
        ),
        span(
            "00000000000000d3",
            "",
            "convert_units",
            &[
                ("openinference.span.kind", json!("TOOL")),
                ("tool.name", json!("convert_units")),
                ("tool.description", json!("Convert units")),
                ("input.value", json!("{\"quantity\": 2}")),
                ("output.value", json!("250 g")),
            ],
        ),
        span(
            "00000000000000d4",
            "",
            "get_joke.tool",
            &[
                ("traceloop.span.kind", json!("tool")),
                ("traceloop.entity.name", json!("get_joke")),
                (
                    "traceloop.entity.input",
                    json!("{\"args\": [], \"kwargs\": {\"topic\": \"cats\"}}"),
                ),
                ("traceloop.entity.output", json!("\"A cat joke\"")),
            ],
        ),
        span(
            "00000000000000d5",
            "",
            "running tool",
            &[
                ("gen_ai.tool.name", json!("roll_dice")),
                ("gen_ai.tool.call.id", json!("pyd_call_1")),
                ("tool_arguments", json!("{}")),
                ("tool_response", json!("4")),
            ],
        ),
        span(
            "00000000000000d6",
            "",
            "search",
            &[
                ("langsmith.span.kind", json!("tool")),
                ("gen_ai.operation.name", json!("execute_tool")),
                ("gen_ai.tool.name", json!("search")),
                ("gen_ai.prompt", json!("{\"input\": \"otel\"}")),
                (
                    "gen_ai.completion",
                    json!("{\"output\": \"OpenTelemetry\"}"),
                ),
            ],
        ),
        span(
            "00000000000000d7",
            "",
            "chat gpt-4o",
            &[("gen_ai.operation.name", json!("chat"))],
        ),
        failed,
        span(
            "00000000000000d9",
            "",
            "joke.workflow",
            &[("traceloop.span.kind", json!("workflow"))],
        ),
    ]);
    let tool = |name: &str| tool_execution(&set, span_named(&set, name));
    assert_eq!(
        tool("execute_tool get_weather"),
        Some(ToolExecution {
            name: "get_weather".into(),
            call_id: Some("call_VSPygqKTWdrhaFErNvMV18Yl".into()),
            arguments: Some(json!({"location": "Paris"})),
            arguments_raw: Some("{\"location\":\"Paris\"}".into()),
            result: Some(json!("rainy, 57°F")),
            is_error: false,
            description: Some("Get the weather".into()),
        })
    );
    let vercel = tool("ai.toolCall").unwrap();
    assert_eq!(
        (vercel.name.as_str(), vercel.call_id.as_deref()),
        ("weather", Some("call-1"))
    );
    assert_eq!(vercel.arguments, Some(json!({"location": "SF"})));
    assert_eq!(vercel.result, Some(json!({"temp": 14})));

    let openinference = tool("convert_units").unwrap();
    assert_eq!(openinference.name, "convert_units");
    assert_eq!(openinference.arguments, Some(json!({"quantity": 2})));
    assert_eq!(openinference.result, Some(json!("250 g")));
    assert_eq!(openinference.description.as_deref(), Some("Convert units"));

    let traceloop = tool("get_joke.tool").unwrap();
    assert_eq!(traceloop.name, "get_joke");
    assert_eq!(
        traceloop.arguments,
        Some(json!({"args": [], "kwargs": {"topic": "cats"}}))
    );
    assert_eq!(traceloop.result, Some(json!("A cat joke")));

    let pydantic = tool("running tool").unwrap();
    assert_eq!(
        (pydantic.name.as_str(), pydantic.call_id.as_deref()),
        ("roll_dice", Some("pyd_call_1"))
    );
    assert_eq!(pydantic.arguments, Some(json!({})));
    assert_eq!(
        pydantic.result,
        Some(json!("4")),
        "text that is not JSON stays text"
    );

    let langsmith = tool("search").unwrap();
    assert_eq!(langsmith.arguments, Some(json!({"input": "otel"})));
    assert_eq!(langsmith.result, Some(json!({"output": "OpenTelemetry"})));

    let logfire = tool("Function: {name}").unwrap();
    assert_eq!(logfire.name, "lookup");
    assert!(logfire.is_error, "the span's status is an error");
    assert_eq!(logfire.arguments_raw.as_deref(), Some("{\"q\":\"x\"}"));
    assert_eq!(logfire.result, Some(json!("not found")));

    assert!(tool("chat gpt-4o").is_none());
    assert!(tool("joke.workflow").is_none());
    // Tool spans are never model calls, even with gen_ai.* attributes.
    for name in [
        "running tool",
        "search",
        "execute_tool get_weather",
        "get_joke.tool",
    ] {
        assert!(llm_call(&set, span_named(&set, name)).is_none(), "{name}");
    }
    assert!(llm_call(&set, span_named(&set, "chat gpt-4o")).is_some());
}

#[test]
fn a_tool_span_with_malformed_arguments_keeps_the_text() {
    let set = load(vec![span(
        "00000000000000e1",
        "",
        "execute_tool f",
        &[
            ("gen_ai.operation.name", json!("execute_tool")),
            ("gen_ai.tool.call.arguments", json!("{\"a\": 1")),
            ("error.type", json!("ValueError")),
        ],
    )]);
    let tool = tool_execution(&set, span_named(&set, "execute_tool f")).unwrap();
    assert_eq!(tool.name, "f", "from the span name");
    assert_eq!(tool.arguments, None);
    assert_eq!(tool.arguments_raw.as_deref(), Some("{\"a\": 1"));
    assert!(tool.is_error);
}

// ------------------------------------------------------------- LangSmith

/// A LangChain `dumpd` message.
fn dumpd(class: &str, kwargs: Json) -> Json {
    json!({"lc": 1, "type": "constructor", "id": ["langchain", "schema", "messages", class], "kwargs": kwargs})
}

#[test]
fn langsmith_langchain_messages_and_generations() {
    let prompt = json!({"messages": [[
        dumpd("SystemMessage", json!({"content": "You are a weather bot", "type": "system"})),
        dumpd("HumanMessage", json!({"content": "Weather in Paris and Rome?", "type": "human"})),
        dumpd("AIMessage", json!({"content": "", "type": "ai", "tool_calls": [
            {"name": "get_weather", "args": {"city": "Paris"}, "id": "call_p", "type": "tool_call"},
            {"name": "get_weather", "args": {"city": "Rome"}, "id": "call_r", "type": "tool_call"}
        ], "invalid_tool_calls": []})),
        dumpd("ToolMessage", json!({"content": "rainy", "type": "tool", "tool_call_id": "call_p", "status": "success"})),
        dumpd("ToolMessage", json!({"content": "Error: timeout", "type": "tool", "tool_call_id": "call_r", "status": "error"}))
    ]]});
    let completion = json!({"generations": [[{
        "text": "Rainy in Paris; Rome timed out.",
        "generation_info": {"finish_reason": "stop"},
        "type": "ChatGeneration",
        "message": dumpd("AIMessage", json!({"content": "Rainy in Paris; Rome timed out.", "type": "ai",
            "usage_metadata": {"input_tokens": 80, "output_tokens": 9, "total_tokens": 89},
            "response_metadata": {"finish_reason": "stop"}}))
    }]], "llm_output": null});
    let set = load(vec![span(
        "00000000000000f1",
        "",
        "ChatOpenAI",
        &[
            ("langsmith.span.kind", json!("llm")),
            ("gen_ai.operation.name", json!("chat")),
            ("gen_ai.system", json!("openai")),
            ("gen_ai.request.model", json!("gpt-4o-mini")),
            (
                "gen_ai.usage.input_token_details",
                json!("{'cache_read': 0}"),
            ),
            ("gen_ai.prompt", text(&prompt)),
            ("gen_ai.completion", text(&completion)),
        ],
    )]);
    let call = call(&set, "ChatOpenAI");
    assert_eq!(call.source, Convention::LangSmith);
    assert_eq!(call.source.label(), "LangSmith");
    let roles: Vec<(Role, &str)> = call
        .input
        .iter()
        .map(|m| (m.role, m.role_raw.as_str()))
        .collect();
    assert_eq!(
        roles,
        [
            (Role::System, "system"),
            (Role::User, "human"),
            (Role::Assistant, "ai"),
            (Role::Tool, "tool"),
            (Role::Tool, "tool")
        ]
    );
    assert_eq!(
        plain_text(&call.input),
        ["You are a weather bot", "Weather in Paris and Rome?"]
    );
    assert_eq!(
        tool_calls(&call.input),
        [
            (
                Some("call_p"),
                "get_weather",
                Some(&json!({"city": "Paris"})),
                None
            ),
            (
                Some("call_r"),
                "get_weather",
                Some(&json!({"city": "Rome"})),
                None
            )
        ]
    );
    assert_eq!(
        tool_results(&call.input),
        [
            (Some("call_p"), &json!("rainy"), false),
            (Some("call_r"), &json!("Error: timeout"), true)
        ]
    );
    assert_eq!(
        plain_text(&call.output),
        ["Rainy in Paris; Rome timed out."]
    );
    assert_eq!(call.finish_reasons[0].kind, FinishKind::Stop);
    assert_eq!(
        (call.usage.input, call.usage.output, call.usage.total),
        (Some(80), Some(9), Some(89)),
        "from the message's usage_metadata"
    );
}

#[test]
fn langsmith_openai_request_and_chat_completion() {
    let prompt =
        json!({"model": "gpt-4o", "messages": [{"role": "user", "content": "Weather in Paris?"}]});
    let completion = json!({
        "id": "chatcmpl-xyz", "model": "gpt-4o-2024-08-06",
        "choices": [{"index": 0, "finish_reason": "tool_calls", "message": {"role": "assistant", "content": null,
            "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}}]}}],
        "usage": {"prompt_tokens": 30, "completion_tokens": 12, "total_tokens": 42}
    });
    let set = load(vec![
        span(
            "00000000000000f2",
            "",
            "ChatCompletion",
            &[
                ("langsmith.span.kind", json!("llm")),
                ("gen_ai.system", json!("openai")),
                ("gen_ai.prompt", text(&prompt)),
                ("gen_ai.completion", text(&completion)),
            ],
        ),
        span(
            "00000000000000f3",
            "",
            "RunnableSequence",
            &[
                ("langsmith.span.kind", json!("chain")),
                ("gen_ai.operation.name", json!("chain")),
                ("gen_ai.prompt", text(&json!({"input": "hi"}))),
            ],
        ),
        span(
            "00000000000000f4",
            "",
            "broken",
            &[
                ("langsmith.span.kind", json!("llm")),
                ("gen_ai.prompt", json!("{\"messages\": [[")),
                ("gen_ai.completion", json!("Hello there")),
            ],
        ),
    ]);
    let call_ = call(&set, "ChatCompletion");
    assert_eq!(call_.source, Convention::LangSmith);
    assert_eq!(plain_text(&call_.input), ["Weather in Paris?"]);
    assert_eq!(call_.request_model.as_deref(), Some("gpt-4o"));
    assert_eq!(call_.response_model.as_deref(), Some("gpt-4o-2024-08-06"));
    assert_eq!(call_.response_id.as_deref(), Some("chatcmpl-xyz"));
    assert_eq!(
        tool_calls(&call_.output),
        [(
            Some("call_1"),
            "get_weather",
            Some(&json!({"city": "Paris"})),
            Some("{\"city\":\"Paris\"}")
        )]
    );
    assert_eq!(call_.finish_reasons[0].kind, FinishKind::ToolCall);
    assert_eq!(call_.usage.total_or_sum(), Some(42));
    assert_eq!(call_.usage.input, Some(30));

    assert!(
        llm_call(&set, span_named(&set, "RunnableSequence")).is_none(),
        "chain runs are not calls"
    );

    let broken = call(&set, "broken");
    assert_eq!(plain_text(&broken.input), ["{\"messages\": [["]);
    assert_eq!(plain_text(&broken.output), ["Hello there"]);
}

// ------------------------------------------------- Semconv 1.26 events

/// A span with `gen_ai.content.prompt` / `gen_ai.content.completion` events.
fn with_prompt_events(id: &str, name: &str, prompt: Json, completion: Json) -> Json {
    let mut span = span(
        id,
        "",
        name,
        &[
            ("gen_ai.system", json!("openai")),
            ("gen_ai.request.model", json!("gpt-4")),
            ("gen_ai.usage.prompt_tokens", json!(15)),
            ("gen_ai.usage.completion_tokens", json!(7)),
        ],
    );
    span["events"] = json!([
        {"timeUnixNano": "1100", "name": "gen_ai.content.prompt", "attributes": attrs(&[("gen_ai.prompt", prompt)])},
        {"timeUnixNano": "1900", "name": "gen_ai.content.completion", "attributes": attrs(&[("gen_ai.completion", completion)])}
    ]);
    span
}

#[test]
fn semconv_1_26_prompt_and_completion_events() {
    let set = load(vec![
        with_prompt_events(
            "0000000000000101",
            "chat gpt-4",
            text(&json!([
                {"role": "system", "content": "Answer with a city."},
                {"role": "user", "content": "What is the capital of France?"}
            ])),
            json!("Paris."),
        ),
        with_prompt_events(
            "0000000000000102",
            "spring ai",
            json!("What is the weather in Paris?"),
            text(
                &json!([{"role": "assistant", "content": null, "tool_calls": [
                {"id": "call_w", "type": "function", "function": {"name": "weather", "arguments": "{\"city\":\"Paris\"}"}}
            ], "finish_reason": "tool_calls"}]),
            ),
        ),
        with_prompt_events(
            "0000000000000103",
            "truncated",
            json!("[{\"role\": \"user\", \"content\": \"Wh"),
            json!(""),
        ),
    ]);
    let first = call(&set, "chat gpt-4");
    assert_eq!(first.source, Convention::OtelPromptEvents);
    assert_eq!(
        first.source.label(),
        "OpenTelemetry GenAI (v1.26 prompt events)"
    );
    assert_eq!(first.input[0].role, Role::System);
    assert_eq!(
        plain_text(&first.input),
        ["Answer with a city.", "What is the capital of France?"]
    );
    assert_eq!(plain_text(&first.output), ["Paris."]);
    assert_eq!(first.output[0].role, Role::Assistant);
    assert_eq!((first.usage.input, first.usage.output), (Some(15), Some(7)));
    assert_eq!(first.provider.as_deref(), Some("openai"));

    let second = call(&set, "spring ai");
    assert_eq!(second.input[0].role, Role::User);
    assert_eq!(plain_text(&second.input), ["What is the weather in Paris?"]);
    assert_eq!(
        tool_calls(&second.output),
        [(
            Some("call_w"),
            "weather",
            Some(&json!({"city": "Paris"})),
            Some("{\"city\":\"Paris\"}")
        )]
    );
    assert_eq!(second.finish_reasons[0].kind, FinishKind::ToolCall);

    let truncated = call(&set, "truncated");
    assert_eq!(
        plain_text(&truncated.input),
        ["[{\"role\": \"user\", \"content\": \"Wh"],
        "a prompt that does not parse is shown as sent"
    );
}

// --------------------------------------- Aggregate spans, Pydantic AI

#[test]
fn pydantic_ai_run_spans_are_aggregate_calls_with_the_whole_history() {
    let history = json!([
        {"role": "system", "parts": [{"type": "text", "content": "Be concise."}]},
        {"role": "user", "parts": [{"type": "text", "content": "Roll a die."}]},
        {"role": "assistant", "parts": [{"type": "tool_call", "id": "pyd_1", "name": "roll", "arguments": {}}]},
        {"role": "user", "parts": [{"type": "tool_call_response", "id": "pyd_1", "name": "roll", "result": 4}]},
        {"role": "assistant", "parts": [{"type": "thinking", "content": "Report it."}, {"type": "text", "content": "You rolled a 4."}], "finish_reason": "stop"}
    ]);
    let set = load(vec![
        span(
            "0000000000000201",
            "",
            "invoke_agent dice",
            &[
                ("gen_ai.operation.name", json!("invoke_agent")),
                ("gen_ai.agent.name", json!("dice")),
                (
                    "gen_ai.system_instructions",
                    text(&json!([{"type": "text", "content": "You roll dice."}])),
                ),
                ("pydantic_ai.all_messages", text(&history)),
                ("final_result", json!("You rolled a 4.")),
                ("gen_ai.aggregated_usage.input_tokens", json!(200)),
                ("gen_ai.aggregated_usage.output_tokens", json!(30)),
            ],
        ),
        span(
            "0000000000000202",
            "0000000000000201",
            "chat gpt-4o",
            &[
                ("gen_ai.operation.name", json!("chat")),
                (
                    "gen_ai.input.messages",
                    text(
                        &json!([{"role": "user", "parts": [{"type": "text", "content": "Roll a die."}]}]),
                    ),
                ),
                ("gen_ai.usage.input_tokens", json!(90)),
            ],
        ),
        span(
            "0000000000000203",
            "",
            "invoke_agent planner",
            &[
                ("gen_ai.operation.name", json!("invoke_agent")),
                (
                    "gen_ai.input.messages",
                    text(
                        &json!([{"role": "user", "parts": [{"type": "text", "content": "Plan."}]}]),
                    ),
                ),
            ],
        ),
        span(
            "0000000000000204",
            "",
            "agent run",
            &[
                ("agent_name", json!("broken")),
                ("pydantic_ai.all_messages", json!("[{\"role\":")),
            ],
        ),
    ]);
    let run = call(&set, "invoke_agent dice");
    assert_eq!(run.source, Convention::PydanticAiRun);
    assert_eq!(run.source.label(), "Pydantic AI agent run");
    assert!(run.aggregate);
    assert_eq!(
        run.system_instructions,
        [Part::Text("You roll dice.".into())]
    );
    assert_eq!(plain_text(&run.input), ["Be concise.", "Roll a die."]);
    assert_eq!(
        tool_calls(&run.input),
        [(Some("pyd_1"), "roll", Some(&json!({})), None)]
    );
    assert_eq!(
        tool_results(&run.input),
        [(Some("pyd_1"), &json!(4), false)]
    );
    assert_eq!(
        run.output[0].parts,
        [
            Part::Reasoning("Report it.".into()),
            Part::Text("You rolled a 4.".into())
        ]
    );
    assert_eq!(run.finish_reasons[0].kind, FinishKind::Stop);
    assert_eq!(
        (run.usage.input, run.usage.output),
        (Some(200), Some(30)),
        "the run's aggregated usage"
    );

    // Totals that skip aggregate calls count each model call once.
    let total: u64 = (0..set.spans.len())
        .filter_map(|i| llm_call(&set, spanloupe_core::model::SpanIdx::at(i)))
        .filter(|c| !c.aggregate)
        .filter_map(|c| c.usage.input)
        .sum();
    assert_eq!(total, 90);

    assert!(!call(&set, "chat gpt-4o").aggregate);
    let planner = call(&set, "invoke_agent planner");
    assert!(
        planner.aggregate,
        "an agent span with a conversation wraps its calls"
    );
    assert_eq!(planner.source, Convention::OtelMessages);

    let broken = call(&set, "agent run");
    assert!(broken.aggregate);
    assert_eq!(plain_text(&broken.input), ["[{\"role\":"]);
}

// ------------------------------------------------ Opaque payloads

#[test]
fn opaque_payloads_on_llm_spans_are_parsed_or_shown_raw() {
    let request = json!({"model": "gpt-4o", "messages": [
        {"role": "system", "content": "Be kind."},
        {"role": "user", "content": "Hi"}
    ]});
    let completion = json!({"id": "chatcmpl-oi", "model": "gpt-4o-2024-08-06", "choices": [
        {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "Hello!"}}
    ], "usage": {"prompt_tokens": 12, "completion_tokens": 3, "total_tokens": 15}});
    let set = load(vec![
        span(
            "0000000000000301",
            "",
            "ChatCompletion",
            &[
                ("openinference.span.kind", json!("LLM")),
                ("llm.system", json!("openai")),
                ("input.mime_type", json!("application/json")),
                ("input.value", text(&request)),
                ("output.mime_type", json!("application/json")),
                ("output.value", text(&completion)),
            ],
        ),
        span(
            "0000000000000302",
            "",
            "plain",
            &[
                ("openinference.span.kind", json!("LLM")),
                ("input.mime_type", json!("text/plain")),
                ("input.value", json!("{not JSON, just braces}")),
                ("output.value", json!("Sure.")),
            ],
        ),
        span(
            "0000000000000303",
            "",
            "mlflow chat",
            &[
                // MLflow JSON-encodes every value.
                ("mlflow.spanType", json!("\"CHAT_MODEL\"")),
                ("mlflow.llm.model", json!("\"gpt-4o-mini\"")),
                ("mlflow.llm.provider", json!("\"openai\"")),
                (
                    "mlflow.spanInputs",
                    text(&json!({"messages": [{"role": "user", "content": "2+2?"}]})),
                ),
                (
                    "mlflow.spanOutputs",
                    text(
                        &json!({"choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "4"}}]}),
                    ),
                ),
                (
                    "mlflow.chat.tokenUsage",
                    text(&json!({"input_tokens": 5, "output_tokens": 1, "total_tokens": 6})),
                ),
            ],
        ),
        span(
            "0000000000000304",
            "",
            "langfuse generation",
            &[
                ("langfuse.observation.type", json!("generation")),
                ("langfuse.observation.model.name", json!("claude-3-5-haiku")),
                (
                    "langfuse.observation.input",
                    text(&json!({"query": "otel", "k": 3})),
                ),
                ("langfuse.observation.output", json!("OpenTelemetry is…")),
                (
                    "langfuse.observation.usage_details",
                    text(&json!({"input": 9, "output": 4, "total": 13})),
                ),
            ],
        ),
        span(
            "0000000000000305",
            "",
            "joke_generator.workflow",
            &[
                ("traceloop.span.kind", json!("workflow")),
                (
                    "traceloop.entity.input",
                    text(&json!({"args": [], "kwargs": {}})),
                ),
                ("traceloop.entity.output", json!("\"a joke\"")),
                ("gen_ai.request.model", json!("gpt-4o")),
            ],
        ),
        span(
            "0000000000000306",
            "",
            "retriever",
            &[
                ("openinference.span.kind", json!("RETRIEVER")),
                ("input.value", json!("query")),
            ],
        ),
    ]);
    let oi = call(&set, "ChatCompletion");
    assert_eq!(oi.source, Convention::OpaquePayload);
    assert_eq!(oi.source.label(), "Opaque payload");
    assert_eq!(plain_text(&oi.input), ["Be kind.", "Hi"]);
    assert_eq!(oi.input[0].role, Role::System);
    assert_eq!(plain_text(&oi.output), ["Hello!"]);
    assert_eq!(oi.finish_reasons[0].kind, FinishKind::Stop);
    assert_eq!(oi.request_model.as_deref(), Some("gpt-4o"));
    assert_eq!(oi.response_id.as_deref(), Some("chatcmpl-oi"));
    assert_eq!(oi.usage.total, Some(15));
    assert_eq!(oi.provider.as_deref(), Some("openai"));

    let plain = call(&set, "plain");
    assert_eq!(
        plain.input,
        [Message::new(
            "user",
            vec![Part::Text("{not JSON, just braces}".into())]
        )]
    );
    assert_eq!(
        plain.output,
        [Message::new("assistant", vec![Part::Text("Sure.".into())])]
    );

    let mlflow = call(&set, "mlflow chat");
    assert_eq!(mlflow.source, Convention::OpaquePayload);
    assert_eq!(mlflow.request_model.as_deref(), Some("gpt-4o-mini"));
    assert_eq!(mlflow.provider.as_deref(), Some("openai"));
    assert_eq!(plain_text(&mlflow.input), ["2+2?"]);
    assert_eq!(plain_text(&mlflow.output), ["4"]);
    assert_eq!(
        (mlflow.usage.input, mlflow.usage.output),
        (Some(5), Some(1))
    );

    let langfuse = call(&set, "langfuse generation");
    assert_eq!(langfuse.request_model.as_deref(), Some("claude-3-5-haiku"));
    assert_eq!(
        langfuse.input,
        [Message::new(
            "user",
            vec![Part::Unknown(json!({"query": "otel", "k": 3}))]
        )],
        "a payload of no known shape is kept whole"
    );
    assert_eq!(plain_text(&langfuse.output), ["OpenTelemetry is…"]);
    assert_eq!(langfuse.usage.total, Some(13));
    assert_eq!(langfuse.content, ContentState::Captured);

    assert!(
        llm_call(&set, span_named(&set, "joke_generator.workflow")).is_none(),
        "Traceloop workflow spans are not calls"
    );
    assert!(llm_call(&set, span_named(&set, "retriever")).is_none());
}
