//! The conversation of a trace, and one call, as Markdown.
#![allow(clippy::expect_used)]

mod common;

use common::span_named;
use spanloupe_core::export::markdown;
use spanloupe_core::genai::TraceGenAi;

#[test]
fn the_demo_conversation_reads_as_its_steps_in_order() {
    let loaded = common::load_demo();
    let set = &loaded.set;
    let trace = &set.traces[0];
    let genai = TraceGenAi::of(set, trace);
    let text = markdown::conversation(set, trace, &genai);
    let headings: Vec<&str> = text.lines().filter(|l| l.starts_with('#')).collect();
    assert_eq!(
        headings,
        [
            "# Conversation: invoke_agent trip_planner",
            "## 1. Model call: chat gpt-4o-mini",
            "### system instructions",
            "### user",
            "### assistant (output)",
            "## 2. Tool run: get_weather",
            "## 3. Model call: chat gpt-4o-mini",
            "### tool",
            "### assistant (output)",
        ]
    );
    for line in [
        "Trace `4bf92f3577b34da6a3ce929d0e0e4736`",
        "- gpt-4o-mini-2024-07-18: 2 calls · 443 in · 99 out · 542 tokens",
        "openai · gpt-4o-mini → gpt-4o-mini-2024-07-18 · 182 in · 41 out · 223 tokens · finish: tool_calls",
        "What will the weather be like in Lisbon on Saturday? Should I pack an umbrella?",
        "Tool call `get_weather` (`call_demo_weather1`):",
        "Tool result (`call_demo_weather1`):",
        "_2 input messages from the call before, left out._",
        "_The same system instructions._",
    ] {
        assert!(
            text.lines().any(|l| l == line),
            "no line {line:?} in\n{text}"
        );
    }
    // The tool's arguments, as a JSON block.
    assert!(
        text.contains("```json\n{\n  \"city\": \"Lisbon\",\n  \"date\": \"2026-11-21\"\n}\n```")
    );
}

#[test]
fn one_call_has_all_its_messages() {
    let loaded = common::load_demo();
    let set = &loaded.set;
    let second = set
        .spans
        .iter()
        .enumerate()
        .filter(|(_, span)| set.str(span.name) == "chat gpt-4o-mini")
        .map(|(i, _)| spanloupe_core::model::SpanIdx::at(i))
        .nth(1)
        .expect("two calls");
    let text = markdown::call(set, second).expect("a model call");
    let headings: Vec<&str> = text.lines().filter(|l| l.starts_with('#')).collect();
    assert_eq!(
        headings,
        [
            "# chat gpt-4o-mini",
            "### system instructions",
            "### user",
            "### assistant",
            "### tool",
            "### assistant (output)",
        ]
    );
    // Not a model call: nothing.
    let tool = span_named(set, "execute_tool get_weather");
    assert_eq!(markdown::call(set, tool), None);
}
