//! Repeated history: every call of an agent re-sends the conversation so far.
//! Comparing a call's input with the previous call's input and output tells
//! which of its messages are new.

use crate::genai::model::{LlmCall, Message, Part};

/// How many leading input messages of `current` repeat what `previous` sent
/// and received. The rest of `current.input` is new since `previous`.
pub fn repeated_prefix(previous: &LlmCall, current: &LlmCall) -> usize {
    let history = previous.input.iter().chain(previous.output.iter());
    current
        .input
        .iter()
        .zip(history)
        .take_while(|(now, before)| same_message(now, before))
        .count()
}

/// The same message as sent twice: finish reasons (only on outputs) and the
/// raw form of tool arguments (a string one time, an object the next) may differ.
fn same_message(a: &Message, b: &Message) -> bool {
    a.role == b.role
        && a.parts.len() == b.parts.len()
        && a.parts.iter().zip(&b.parts).all(|(x, y)| same_part(x, y))
}

fn same_part(a: &Part, b: &Part) -> bool {
    match (a, b) {
        (Part::Text(x), Part::Text(y)) => x.trim() == y.trim(),
        (
            Part::ToolCall {
                id: id_a,
                name: name_a,
                arguments: args_a,
                arguments_raw: raw_a,
                ..
            },
            Part::ToolCall {
                id: id_b,
                name: name_b,
                arguments: args_b,
                arguments_raw: raw_b,
                ..
            },
        ) => {
            let same_id = match (id_a, id_b) {
                (Some(x), Some(y)) => x.trim() == y.trim(),
                _ => true,
            };
            let same_arguments = match (args_a, args_b) {
                (Some(x), Some(y)) => x == y,
                _ => raw_a == raw_b,
            };
            same_id && name_a == name_b && same_arguments
        }
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::genai::model::{ContentState, Convention, FinishReason, Usage};
    use serde_json::json;

    fn call(input: Vec<Message>, output: Vec<Message>) -> LlmCall {
        LlmCall {
            source: Convention::OtelMessages,
            operation: None,
            provider: None,
            provider_raw: None,
            request_model: None,
            response_model: None,
            response_id: None,
            system_instructions: Vec::new(),
            input,
            output,
            finish_reasons: Vec::new(),
            usage: Usage::default(),
            tool_definitions: Vec::new(),
            parameters: Vec::new(),
            content: ContentState::Captured,
            aggregate: false,
            feedback: Vec::new(),
            warnings: Vec::new(),
        }
    }

    fn text(role: &str, text: &str) -> Message {
        Message::new(role, vec![Part::Text(text.to_owned())])
    }

    fn tool_call(arguments: Option<serde_json::Value>, raw: Option<&str>) -> Message {
        Message::new(
            "assistant",
            vec![Part::ToolCall {
                id: Some("call_1".to_owned()),
                name: "weather".to_owned(),
                arguments,
                arguments_raw: raw.map(str::to_owned),
                server_side: false,
            }],
        )
    }

    #[test]
    fn the_tool_round_trip_is_new_and_the_history_repeats() {
        let mut answer = tool_call(
            Some(json!({"city": "Lisbon"})),
            Some("{\"city\":\"Lisbon\"}"),
        );
        answer.finish_reason = Some(FinishReason::parse("tool_calls"));
        let first = call(
            vec![text("system", "Be brief."), text("user", "Weather?")],
            vec![answer],
        );
        let second = call(
            vec![
                text("system", "Be brief."),
                text("user", "Weather? "),
                // Re-sent with the arguments as an object only.
                tool_call(Some(json!({"city": "Lisbon"})), None),
                Message::new(
                    "tool",
                    vec![Part::ToolResult {
                        id: Some("call_1".to_owned()),
                        name: None,
                        content: json!("18 °C"),
                        is_error: false,
                    }],
                ),
            ],
            vec![text("assistant", "18 °C.")],
        );
        assert_eq!(repeated_prefix(&first, &second), 3);
    }

    #[test]
    fn a_different_conversation_repeats_nothing() {
        let first = call(vec![text("user", "Hello")], vec![text("assistant", "Hi")]);
        let other = call(vec![text("user", "Bonjour")], Vec::new());
        assert_eq!(repeated_prefix(&first, &other), 0);
        // Same words, other speaker: not the same message.
        let swapped = call(vec![text("assistant", "Hello")], Vec::new());
        assert_eq!(repeated_prefix(&first, &swapped), 0);
    }
}
