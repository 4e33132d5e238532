//! What one content source reads from a span: the messages, and the call
//! facts its payload may carry (a ChatCompletion's usage and id, a request's
//! model). The normaliser takes the messages as they are and uses the facts
//! only where the span's attributes lack them.

use crate::genai::model::{FinishReason, Message, Part, Role, ToolDefinition, Usage};

#[derive(Debug, Default)]
pub struct Conversation {
    pub input: Vec<Message>,
    pub output: Vec<Message>,
    pub system_instructions: Vec<Part>,
    pub tool_definitions: Vec<ToolDefinition>,
    /// Some messages are there with their content left out.
    pub redacted: bool,
    pub usage: Usage,
    pub finish_reasons: Vec<FinishReason>,
    pub request_model: Option<String>,
    pub response_model: Option<String>,
    pub response_id: Option<String>,
    /// What could not be read as it is (keys too deep), for the user.
    pub warnings: Vec<String>,
}

impl Conversation {
    /// Notes `keys` attribute keys cut at the depth limit.
    pub fn warn_of_deep_keys(&mut self, keys: usize) {
        if keys > 0 {
            self.warnings.push(super::indexed::too_deep_warning(keys));
        }
    }

    /// Some sources hold inputs and outputs in one list with no boundary
    /// (Logfire's Responses `events`, agent-run histories): the model's
    /// answer is the assistant messages after the last message of any other
    /// role.
    pub fn split_trailing_assistant(&mut self) {
        let start = self
            .input
            .iter()
            .rposition(|m| m.role != Role::Assistant)
            .map_or(0, |last| last + 1);
        let mut output = self.input.split_off(start);
        output.append(&mut self.output);
        self.output = output;
    }

    /// Takes the answer read from a separate output payload: its messages
    /// and the response facts it carries (usage, finish reasons, id, model).
    pub fn take_answer(&mut self, answer: Conversation) {
        self.output = answer.output;
        self.redacted |= answer.redacted;
        self.usage = answer.usage;
        self.finish_reasons = answer.finish_reasons;
        self.response_id = answer.response_id;
        self.response_model = answer.response_model;
    }
}

/// Fills the counts `into` lacks from `from`.
pub fn fill_usage(into: &mut Usage, from: &Usage) {
    let fill = |a: &mut Option<u64>, b: Option<u64>| {
        if a.is_none() {
            *a = b;
        }
    };
    fill(&mut into.input, from.input);
    fill(&mut into.output, from.output);
    fill(&mut into.total, from.total);
    fill(&mut into.cache_read, from.cache_read);
    fill(&mut into.cache_write, from.cache_write);
    fill(&mut into.reasoning, from.reasoning);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(role: &str, text: &str) -> Message {
        Message::new(role, vec![Part::Text(text.to_owned())])
    }

    #[test]
    fn trailing_assistant_messages_become_the_output() {
        let mut conversation = Conversation {
            input: vec![
                text("system", "s"),
                text("assistant", "earlier"),
                text("tool", "t"),
                text("assistant", "a1"),
                text("assistant", "a2"),
            ],
            ..Conversation::default()
        };
        conversation.split_trailing_assistant();
        assert_eq!(conversation.input.len(), 3);
        assert_eq!(
            conversation.output,
            [text("assistant", "a1"), text("assistant", "a2")]
        );

        let mut only_user = Conversation {
            input: vec![text("user", "q")],
            ..Conversation::default()
        };
        only_user.split_trailing_assistant();
        assert_eq!((only_user.input.len(), only_user.output.len()), (1, 0));
    }
}
