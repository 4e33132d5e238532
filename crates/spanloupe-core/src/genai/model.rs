//! The normalised model of an LLM call: one shape for every convention.

use serde_json::Value as Json;

pub use crate::genai::feedback::Feedback;

/// Who said a message. The raw role is kept beside it for display.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    System,
    User,
    Assistant,
    Tool,
    /// A role this model does not know (kept raw in [`Message::role_raw`]).
    Other,
}

impl Role {
    /// Maps the role vocabularies of the conventions (`model` from Gemini,
    /// `human`/`ai` from LangChain, `developer` from OpenAI).
    pub fn parse(raw: &str) -> Role {
        match raw.trim().to_ascii_lowercase().as_str() {
            "system" | "developer" | "instruction" => Role::System,
            "user" | "human" => Role::User,
            "assistant" | "ai" | "model" | "bot" => Role::Assistant,
            "tool" | "function" | "ipython" => Role::Tool,
            _ => Role::Other,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::System => "system",
            Role::User => "user",
            Role::Assistant => "assistant",
            Role::Tool => "tool",
            Role::Other => "other",
        }
    }
}

/// One piece of a message.
#[derive(Clone, Debug, PartialEq)]
pub enum Part {
    Text(String),
    Reasoning(String),
    ToolCall {
        id: Option<String>,
        name: String,
        /// The arguments as JSON when they parse (an object, usually).
        arguments: Option<Json>,
        /// The arguments as sent, when they came as text.
        arguments_raw: Option<String>,
        /// Executed by the provider (code interpreter, web search).
        server_side: bool,
    },
    ToolResult {
        id: Option<String>,
        name: Option<String>,
        content: Json,
        is_error: bool,
    },
    Media {
        modality: String,
        mime_type: Option<String>,
        uri: Option<String>,
        data_base64: Option<String>,
        file_id: Option<String>,
    },
    Refusal(String),
    /// A part of a type this model does not know: kept whole, never dropped.
    Unknown(Json),
}

/// One message of the conversation.
#[derive(Clone, Debug, PartialEq)]
pub struct Message {
    pub role: Role,
    pub role_raw: String,
    pub name: Option<String>,
    pub parts: Vec<Part>,
    /// For output messages: why generation stopped.
    pub finish_reason: Option<FinishReason>,
}

impl Message {
    pub fn new(role_raw: &str, parts: Vec<Part>) -> Self {
        Message {
            role: Role::parse(role_raw),
            role_raw: role_raw.to_owned(),
            name: None,
            parts,
            finish_reason: None,
        }
    }
}

/// Why a generation stopped, normalised, with the raw value kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FinishReason {
    pub raw: String,
    pub kind: FinishKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FinishKind {
    Stop,
    ToolCall,
    Length,
    ContentFilter,
    Error,
    Other,
}

impl FinishReason {
    pub fn parse(raw: &str) -> FinishReason {
        let lower = raw.trim().to_ascii_lowercase();
        let bare = lower.rsplit('.').next().unwrap_or(&lower);
        let kind = match bare {
            "stop" | "end_turn" | "stop_sequence" | "completed" => FinishKind::Stop,
            "tool_calls" | "tool_call" | "tool-calls" | "tool_use" | "function_call" => {
                FinishKind::ToolCall
            }
            "length" | "max_tokens" => FinishKind::Length,
            "content_filter" | "content-filter" | "safety" | "recitation" => {
                FinishKind::ContentFilter
            }
            "error" => FinishKind::Error,
            _ => FinishKind::Other,
        };
        FinishReason {
            raw: raw.to_owned(),
            kind,
        }
    }
}

/// Token counts. Cache and reasoning counts are included in input and
/// output, as the conventions define them: never add them again.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Usage {
    pub input: Option<u64>,
    pub output: Option<u64>,
    pub total: Option<u64>,
    pub cache_read: Option<u64>,
    pub cache_write: Option<u64>,
    pub reasoning: Option<u64>,
}

impl Usage {
    /// The total as sent, else input + output when both are known.
    pub fn total_or_sum(&self) -> Option<u64> {
        self.total.or_else(|| Some(self.input? + self.output?))
    }

    pub fn is_empty(&self) -> bool {
        *self == Usage::default()
    }
}

/// Whether message content was recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContentState {
    /// Messages with their content.
    Captured,
    /// Messages are there but their content was left out (roles, ids only).
    Redacted,
    /// No messages at all: content capture was off.
    Absent,
}

/// A tool the model was offered.
#[derive(Clone, Debug, PartialEq)]
pub struct ToolDefinition {
    pub name: String,
    pub description: Option<String>,
    pub parameters: Option<Json>,
}

/// Which convention a call was read from, for the "source" badge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Convention {
    /// `gen_ai.input.messages` / `gen_ai.output.messages` (semconv ≥ 1.37).
    OtelMessages,
    /// `gen_ai.{role}.message` / `gen_ai.choice` events (semconv 1.28–1.36).
    OtelEvents,
    /// OpenLLMetry's indexed `gen_ai.prompt.{i}.*` / `gen_ai.completion.{i}.*`.
    OpenLlmetry,
    /// OpenInference's `llm.input_messages.{i}.message.*`.
    OpenInference,
    /// The Vercel AI SDK's legacy `ai.*` spans (`ai.prompt.messages`, `ai.response.*`).
    VercelAi,
    /// Pydantic Logfire / Pydantic AI v1 pseudo-events: a span attribute
    /// `events` or `all_messages_events` holding a JSON array of event bodies.
    LogfireEvents,
    /// Pydantic Logfire v1 `request_data` / `response_data` (the provider's
    /// request and response JSON).
    LogfireRequestData,
    /// LangSmith's export: run inputs and outputs as JSON in the un-indexed
    /// `gen_ai.prompt` / `gen_ai.completion` (LangChain messages or OpenAI).
    LangSmith,
    /// Semconv 1.26/1.27 (still Spring AI, Mirascope): span events
    /// `gen_ai.content.prompt` / `gen_ai.content.completion` with OpenAI
    /// messages JSON or plain text in `gen_ai.prompt` / `gen_ai.completion`.
    OtelPromptEvents,
    /// A Pydantic AI agent-run span (`agent run`, `invoke_agent …`) with the
    /// whole run in `pydantic_ai.all_messages` (OTel parts). Aggregate.
    PydanticAiRun,
    /// A framework's raw input/output payloads (`input.value`,
    /// `traceloop.entity.*`, `langfuse.observation.*`, `mlflow.span*`),
    /// parsed when they are provider JSON, else shown as sent.
    OpaquePayload,
    /// Only the call's attributes (model, usage): no content source.
    AttributesOnly,
}

impl Convention {
    pub fn label(self) -> &'static str {
        match self {
            Convention::OtelMessages => "OpenTelemetry GenAI messages",
            Convention::OtelEvents => "OpenTelemetry GenAI events",
            Convention::OpenLlmetry => "OpenLLMetry",
            Convention::OpenInference => "OpenInference",
            Convention::VercelAi => "Vercel AI SDK",
            Convention::LogfireEvents => "Pydantic Logfire events",
            Convention::LogfireRequestData => "Pydantic Logfire request data",
            Convention::LangSmith => "LangSmith",
            Convention::OtelPromptEvents => "OpenTelemetry GenAI (v1.26 prompt events)",
            Convention::PydanticAiRun => "Pydantic AI agent run",
            Convention::OpaquePayload => "Opaque payload",
            Convention::AttributesOnly => "OpenTelemetry GenAI attributes",
        }
    }
}

/// One LLM call, as every view reads it.
#[derive(Clone, Debug, PartialEq)]
pub struct LlmCall {
    pub source: Convention,
    /// `chat`, `text_completion`, `embeddings`, …, as sent.
    pub operation: Option<String>,
    /// Normalised provider key (`openai`, `azure.ai.inference`, …).
    pub provider: Option<String>,
    pub provider_raw: Option<String>,
    pub request_model: Option<String>,
    pub response_model: Option<String>,
    pub response_id: Option<String>,
    pub system_instructions: Vec<Part>,
    pub input: Vec<Message>,
    /// One message per choice.
    pub output: Vec<Message>,
    pub finish_reasons: Vec<FinishReason>,
    pub usage: Usage,
    pub tool_definitions: Vec<ToolDefinition>,
    /// Request parameters (`temperature`, `max_tokens`, …) by short name.
    pub parameters: Vec<(String, Json)>,
    pub content: ContentState,
    /// The span wraps other LLM calls and repeats their messages and usage
    /// (Vercel's outer `ai.generateText`, agent-run spans): show it, but
    /// leave it out of token and cost totals, which the wrapped calls
    /// already count.
    pub aggregate: bool,
    /// User feedback and evaluation results on this call.
    pub feedback: Vec<Feedback>,
    /// What could not be read as it is, for the user.
    pub warnings: Vec<String>,
}

/// Normalises a provider name (`az.ai.inference` → `azure.ai.inference`,
/// `openai.chat` → `openai`, `Anthropic` → `anthropic`).
pub fn normalize_provider(raw: &str) -> String {
    let lower = raw.trim().to_ascii_lowercase();
    match lower.as_str() {
        "az.ai.inference" => "azure.ai.inference".to_owned(),
        "az.ai.openai" | "azure" | "azure_openai" => "azure.ai.openai".to_owned(),
        "vertex_ai" | "vertexai" => "gcp.vertex_ai".to_owned(),
        "gemini" => "gcp.gemini".to_owned(),
        "xai" => "x_ai".to_owned(),
        "mistralai" => "mistral_ai".to_owned(),
        "aws" | "bedrock" => "aws.bedrock".to_owned(),
        // Vercel routes: `openai.chat`, `anthropic.messages`.
        other
            if other.contains('.')
                && !other.starts_with("azure")
                && !other.starts_with("gcp")
                && !other.starts_with("aws") =>
        {
            other.split('.').next().unwrap_or(other).to_owned()
        }
        other => other.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finish_reasons_and_roles_normalise() {
        assert_eq!(FinishReason::parse("tool_calls").kind, FinishKind::ToolCall);
        assert_eq!(FinishReason::parse("end_turn").kind, FinishKind::Stop);
        assert_eq!(
            FinishReason::parse("FinishReason.STOP").kind,
            FinishKind::Stop
        );
        assert_eq!(FinishReason::parse("MAX_TOKENS").kind, FinishKind::Length);
        assert_eq!(FinishReason::parse("weird").kind, FinishKind::Other);
        assert_eq!(Role::parse("model"), Role::Assistant);
        assert_eq!(Role::parse("developer"), Role::System);
        assert_eq!(Role::parse("critic"), Role::Other);
    }

    #[test]
    fn providers_normalise() {
        assert_eq!(normalize_provider("az.ai.inference"), "azure.ai.inference");
        assert_eq!(normalize_provider("openai.chat"), "openai");
        assert_eq!(normalize_provider("Anthropic"), "anthropic");
        assert_eq!(normalize_provider("azure.ai.openai"), "azure.ai.openai");
        assert_eq!(normalize_provider("aws.bedrock"), "aws.bedrock");
    }

    #[test]
    fn usage_total_falls_back_to_the_sum() {
        let usage = Usage {
            input: Some(74),
            output: Some(26),
            ..Usage::default()
        };
        assert_eq!(usage.total_or_sum(), Some(100));
        assert_eq!(
            Usage {
                total: Some(7),
                ..usage
            }
            .total_or_sum(),
            Some(7)
        );
    }
}
