//! The GenAI normaliser on the generated corpus traces (the recipe scenario
//! of SOURCES.md) and on minimal hand-made cases of each shape.

// Helpers of these tests unwrap: a failure there is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{corpus_bytes, load_str, span_named};
use serde_json::json;
use spanloupe_core::genai::model::{Convention, FinishKind};
use spanloupe_core::genai::normalize::plain_text;
use spanloupe_core::genai::{ContentState, LlmCall, Part, Role, llm_call};
use spanloupe_core::ingest::{Source, ingest_into};
use spanloupe_core::model::{SpanIdx, TraceSet, TraceSetBuilder};

const QUESTION: &str = "How many grams is 2 cups of flour?";
const ANSWER: &str =
    "2 cups of all-purpose flour is about 250 g (125 g per cup, spooned and levelled).";

fn load_together(names: &[&str]) -> TraceSet {
    let mut builder = TraceSetBuilder::new();
    for name in names {
        ingest_into(
            &mut builder,
            &corpus_bytes(name),
            Source {
                name: Some(name),
                content_type: None,
            },
        )
        .unwrap();
    }
    builder.finish()
}

/// The two chat calls of the recipe scenario, in time order.
fn chats(set: &TraceSet) -> Vec<LlmCall> {
    let mut calls: Vec<(u64, LlmCall)> = (0..set.spans.len())
        .map(SpanIdx::at)
        .filter_map(|idx| Some((set.span(idx)?.start_unix_nanos, llm_call(set, idx)?)))
        .collect();
    calls.sort_by_key(|(start, _)| *start);
    calls.into_iter().map(|(_, call)| call).collect()
}

fn the_tool_call(call: &LlmCall) -> (&Option<String>, &str, &Option<serde_json::Value>) {
    let Some(Part::ToolCall {
        id,
        name,
        arguments,
        ..
    }) = call
        .output
        .iter()
        .flat_map(|m| m.parts.iter())
        .find(|p| matches!(p, Part::ToolCall { .. }))
    else {
        panic!("no tool call in {:?}", call.output)
    };
    (id, name, arguments)
}

/// The facts every convention of the recipe scenario must give.
fn assert_recipe_scenario(calls: &[LlmCall], source: Convention) {
    assert_eq!(calls.len(), 2, "two chat calls");
    let (first, second) = (&calls[0], &calls[1]);
    for call in calls {
        assert_eq!(call.source, source);
        assert_eq!(call.content, ContentState::Captured);
        assert_eq!(call.request_model.as_deref(), Some("gpt-4o-mini"));
        assert_eq!(call.provider.as_deref(), Some("openai"));
    }
    let user = first
        .input
        .iter()
        .find(|m| m.role == Role::User)
        .expect("a user message");
    assert_eq!(plain_text(std::slice::from_ref(user)), [QUESTION]);
    let (id, name, arguments) = the_tool_call(first);
    assert_eq!(id.as_deref(), Some("call_pub_convert01"));
    assert_eq!(name, "convert_units");
    assert_eq!(
        arguments.as_ref().unwrap(),
        &json!({"quantity": 2, "from_unit": "cup", "to_unit": "gram", "ingredient": "flour"})
    );
    assert_eq!(
        (first.usage.input, first.usage.output),
        (Some(74), Some(26))
    );
    assert_eq!(
        first.finish_reasons.first().map(|f| f.kind),
        Some(FinishKind::ToolCall)
    );

    assert_eq!(plain_text(&second.output), [ANSWER]);
    assert_eq!(
        (second.usage.input, second.usage.output),
        (Some(118), Some(23))
    );
    assert_eq!(
        second.finish_reasons.first().map(|f| f.kind),
        Some(FinishKind::Stop)
    );
    // The second call's input carries the tool's result, linked by the call id.
    let result = second
        .input
        .iter()
        .flat_map(|m| m.parts.iter())
        .find_map(|p| match p {
            Part::ToolResult { id, content, .. } => Some((id.clone(), content.clone())),
            _ => None,
        })
        .expect("a tool result in the second call's input");
    assert_eq!(result.0.as_deref(), Some("call_pub_convert01"));
    assert!(result.1.to_string().contains("250"), "{}", result.1);
}

#[test]
fn latest_semconv_messages_on_the_span() {
    let set = common::load_corpus("generated-openai-v2-latest.traces.json").set;
    assert_recipe_scenario(&chats(&set), Convention::OtelMessages);
}

#[test]
fn legacy_events_as_log_records_loaded_with_their_traces() {
    let set = load_together(&[
        "generated-openai-v2-legacy-events.traces.json",
        "generated-openai-v2-legacy-events.logs.json",
    ]);
    let calls = chats(&set);
    assert_recipe_scenario(&calls, Convention::OtelEvents);
    let system = calls[0]
        .input
        .iter()
        .find(|m| m.role == Role::System)
        .expect("the system message");
    assert_eq!(
        plain_text(std::slice::from_ref(system)),
        ["You are a baking assistant."]
    );
}

#[test]
fn without_its_logs_file_a_legacy_trace_says_content_is_absent() {
    let set = common::load_corpus("generated-openai-v2-legacy-events.traces.json").set;
    let calls = chats(&set);
    assert_eq!(calls.len(), 2);
    assert!(
        calls
            .iter()
            .all(|c| c.content == ContentState::Absent && c.input.is_empty())
    );
    assert_eq!(
        calls[0].usage.input,
        Some(74),
        "usage and model come from the span anyway"
    );
    assert_eq!(calls[0].source, Convention::AttributesOnly);
}

#[test]
fn the_tool_span_and_the_root_are_not_llm_calls() {
    let set = common::load_corpus("generated-openai-v2-latest.traces.json").set;
    assert!(llm_call(&set, span_named(&set, "convert_units")).is_none());
    assert!(llm_call(&set, span_named(&set, "recipe_question")).is_none());
}

#[test]
fn the_details_log_event_carries_structured_messages() {
    // A span with only its attributes, and the call's content in a
    // `gen_ai.client.inference.operation.details` log record.
    let trace = r#"{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"00f067aa0ba902b7","name":"chat gpt-4o-mini","kind":3,"startTimeUnixNano":"1","endTimeUnixNano":"2","attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"chat"}}]}]}]}]}"#;
    let logs = r#"{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"eventName":"gen_ai.client.inference.operation.details","traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"00f067aa0ba902b7","timeUnixNano":"2","attributes":[
        {"key":"gen_ai.provider.name","value":{"stringValue":"openai"}},
        {"key":"gen_ai.request.model","value":{"stringValue":"gpt-4o-mini"}},
        {"key":"gen_ai.input.messages","value":{"arrayValue":{"values":[{"kvlistValue":{"values":[
          {"key":"role","value":{"stringValue":"user"}},
          {"key":"parts","value":{"arrayValue":{"values":[{"kvlistValue":{"values":[{"key":"type","value":{"stringValue":"text"}},{"key":"content","value":{"stringValue":"Say this is a test"}}]}}]}}}]}}]}}},
        {"key":"gen_ai.output.messages","value":{"arrayValue":{"values":[{"kvlistValue":{"values":[
          {"key":"role","value":{"stringValue":"assistant"}},
          {"key":"parts","value":{"arrayValue":{"values":[{"kvlistValue":{"values":[{"key":"type","value":{"stringValue":"text"}},{"key":"content","value":{"stringValue":"This is a test."}}]}}]}}},
          {"key":"finish_reason","value":{"stringValue":"stop"}}]}}]}}}]}]}]}]}"#;
    let mut builder = TraceSetBuilder::new();
    ingest_into(&mut builder, trace.as_bytes(), Source::default()).unwrap();
    ingest_into(&mut builder, logs.as_bytes(), Source::default()).unwrap();
    let set = builder.finish();
    let call = llm_call(&set, SpanIdx(0)).unwrap();
    assert_eq!(call.source, Convention::OtelMessages);
    assert_eq!(plain_text(&call.input), ["Say this is a test"]);
    assert_eq!(plain_text(&call.output), ["This is a test."]);
    assert_eq!(call.finish_reasons[0].kind, FinishKind::Stop);
    assert_eq!(
        call.request_model.as_deref(),
        Some("gpt-4o-mini"),
        "taken from the details event"
    );
    assert_eq!(call.provider.as_deref(), Some("openai"));
}

#[test]
fn parts_of_every_type_and_content_off_messages() {
    let messages = json!([
        {"role": "user", "parts": [{"type": "text", "content": "Weather in Paris?"}, {"type": "uri", "modality": "image", "uri": "https://x/p.png"}]},
        {"role": "assistant", "parts": [{"type": "reasoning", "content": "Use the tool"}, {"type": "tool_call", "id": " call_1", "name": "get_weather", "arguments": "{\"location\":\"Paris\"}"}]},
        {"role": "tool", "parts": [{"type": "tool_call_response", "id": "call_1", "result": "rainy, 57°F"}]},
        {"role": "user", "parts": [{"type": "hologram", "beam": 3}]}
    ])
    .to_string();
    let span = format!(
        r#"{{"resourceSpans":[{{"scopeSpans":[{{"spans":[{{"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"00f067aa0ba902b7","name":"chat","attributes":[{{"key":"gen_ai.input.messages","value":{{"stringValue":{}}}}},{{"key":"gen_ai.system_instructions","value":{{"stringValue":"[{{\"type\":\"text\"}}]"}}}}]}}]}}]}}]}}"#,
        serde_json::to_string(&messages).unwrap()
    );
    let set = load_str(&span).unwrap().set;
    let call = llm_call(&set, SpanIdx(0)).unwrap();
    let parts: Vec<&Part> = call.input.iter().flat_map(|m| m.parts.iter()).collect();
    assert!(
        matches!(parts[1], Part::Media { modality, uri: Some(uri), .. } if modality == "image" && uri == "https://x/p.png")
    );
    assert!(matches!(parts[2], Part::Reasoning(text) if text == "Use the tool"));
    let Part::ToolCall {
        id,
        arguments,
        arguments_raw,
        ..
    } = parts[3]
    else {
        panic!("{:?}", parts[3])
    };
    assert_eq!(id.as_deref(), Some("call_1"), "ids are trimmed");
    assert_eq!(arguments.as_ref().unwrap(), &json!({"location": "Paris"}));
    assert_eq!(arguments_raw.as_deref(), Some("{\"location\":\"Paris\"}"));
    assert!(
        matches!(parts[4], Part::ToolResult { content, .. } if content == &json!("rainy, 57°F"))
    );
    assert!(
        matches!(parts[5], Part::Unknown(raw) if raw["beam"] == 3),
        "unknown parts are kept whole"
    );
    // The instructions had no content: not captured, but the messages were.
    assert!(call.system_instructions.is_empty());
    assert_eq!(call.content, ContentState::Captured);
}

#[test]
fn openllmetry_indexed_attributes() {
    let set = common::load_corpus("generated-traceloop-openai-0.44-legacy.traces.json").set;
    let calls = chats(&set);
    assert_recipe_scenario(&calls, Convention::OpenLlmetry);
    assert_eq!(
        calls[0].operation.as_deref(),
        Some("chat"),
        "from llm.request.type"
    );
    assert_eq!(calls[0].usage.total, Some(100));
    let tool = &calls[0].tool_definitions[0];
    assert_eq!(tool.name, "convert_units");
    assert_eq!(
        tool.description.as_deref(),
        Some("Convert a kitchen quantity between units.")
    );
    assert_eq!(
        tool.parameters.as_ref().unwrap()["type"],
        "object",
        "parameters are parsed from JSON text"
    );
}

#[test]
fn openinference_indexed_attributes() {
    let set = common::load_corpus("generated-openinference-openai.traces.json").set;
    let calls = chats(&set);
    assert_recipe_scenario(&calls, Convention::OpenInference);
    assert_eq!(
        calls[0].response_model.as_deref(),
        Some("gpt-4o-mini-2024-07-18"),
        "from llm.model_name"
    );
    assert_eq!(calls[0].tool_definitions[0].name, "convert_units");
    // The tool and root spans carry other OpenInference kinds, or none: not calls.
    assert!(llm_call(&set, span_named(&set, "convert_units")).is_none());
}

#[test]
fn current_openllmetry_uses_the_otel_messages() {
    let set = common::load_corpus("generated-traceloop-openai-0.62.traces.json").set;
    let calls = chats(&set);
    assert_recipe_scenario(&calls, Convention::OtelMessages);
    assert_eq!(calls[0].usage.total, Some(100));
    assert_eq!(calls[0].tool_definitions[0].name, "convert_units");
}

#[test]
fn messages_a_backend_cut_off_are_said_to_be_truncated_and_shown_as_they_arrived() {
    // Tempo keeps the first 2 KB of an attribute: the messages' JSON stops
    // in the middle of a string.
    let whole = json!([{"role": "user", "parts": [{"type": "text", "content": "x".repeat(3000)}]}])
        .to_string();
    let cut: String = whole.chars().take(2048).collect();
    let output =
        json!([{"role": "assistant", "parts": [{"type": "text", "content": "Fine."}]}]).to_string();
    let trace = json!({"resourceSpans": [{"scopeSpans": [{"spans": [{
    "traceId": "0af7651916cd43dd8448eb211c80319c", "spanId": "b7ad6b7169203331", "name": "chat gpt-4o",
    "startTimeUnixNano": "1", "endTimeUnixNano": "2",
    "attributes": [
        {"key": "gen_ai.operation.name", "value": {"stringValue": "chat"}},
        {"key": "gen_ai.request.model", "value": {"stringValue": "gpt-4o"}},
        {"key": "gen_ai.input.messages", "value": {"stringValue": cut}},
        {"key": "gen_ai.output.messages", "value": {"stringValue": output}}
    ]}]}]}]});
    let loaded = load_str(&trace.to_string()).unwrap();
    let call = llm_call(&loaded.set, span_named(&loaded.set, "chat gpt-4o")).unwrap();
    assert_eq!(call.content, ContentState::Captured);
    assert_eq!(call.input.len(), 1);
    assert_eq!(call.input[0].parts, [Part::Text(cut.clone())]);
    assert_eq!(plain_text(&call.output), ["Fine."]);
    assert_eq!(
        call.warnings,
        [
            "gen_ai.input.messages was truncated by the backend: its JSON stops after 2048 characters \
          (Tempo keeps the first 2 KB of an attribute unless configured otherwise); shown as the text that arrived"
        ]
    );
}
