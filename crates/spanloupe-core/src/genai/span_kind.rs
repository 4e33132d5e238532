//! What a span is in a GenAI app (a model call, a tool run, an agent), read
//! from its attributes alone so it is cheap enough for every row of a
//! 100k-span waterfall. Each convention marks it differently.

use crate::model::{Attribute, SpanIdx, StrId, TraceSet, Value};

/// The role of a span in a GenAI app.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum GenAiKind {
    /// A call to a model that generates: chat, text completion, generate_content.
    Inference,
    Embeddings,
    /// The execution of a tool the model asked for.
    Tool,
    /// An agent or workflow that drives model calls and tools.
    Agent,
    /// Another GenAI operation (retrieval, rerank, a chain step).
    Other,
}

impl GenAiKind {
    pub fn label(self) -> &'static str {
        match self {
            GenAiKind::Inference => "model call",
            GenAiKind::Embeddings => "embeddings",
            GenAiKind::Tool => "tool",
            GenAiKind::Agent => "agent",
            GenAiKind::Other => "GenAI",
        }
    }

    /// Model calls whose tokens count toward totals.
    pub fn is_model_call(self) -> bool {
        matches!(self, GenAiKind::Inference | GenAiKind::Embeddings)
    }
}

/// The interned ids of the keys that mark GenAI spans, looked up once per
/// data set. A key never seen in the data is `None` and costs nothing.
pub struct KindKeys {
    operation: Option<StrId>,
    llm_request_type: Option<StrId>,
    openinference_kind: Option<StrId>,
    traceloop_kind: Option<StrId>,
    langsmith_kind: Option<StrId>,
    mlflow_kind: Option<StrId>,
    langfuse_kind: Option<StrId>,
    tool_name: Option<StrId>,
    input_messages: Option<StrId>,
}

impl KindKeys {
    pub fn new(set: &TraceSet) -> Self {
        let key = |k: &str| set.strings.lookup(k);
        KindKeys {
            operation: key("gen_ai.operation.name"),
            llm_request_type: key("llm.request.type"),
            openinference_kind: key("openinference.span.kind"),
            traceloop_kind: key("traceloop.span.kind"),
            langsmith_kind: key("langsmith.span.kind"),
            mlflow_kind: key("mlflow.spanType"),
            langfuse_kind: key("langfuse.observation.type"),
            tool_name: key("gen_ai.tool.name"),
            input_messages: key("gen_ai.input.messages"),
        }
    }

    /// The GenAI role of a span, or `None` for an ordinary span.
    pub fn kind(&self, set: &TraceSet, idx: SpanIdx) -> Option<GenAiKind> {
        let span = set.span(idx)?;
        let attributes = set.attributes(span.attributes);
        let text = |key: Option<StrId>| -> Option<&str> {
            let key = key?;
            let value = attributes.iter().find(|a| a.key == key)?.value;
            match value {
                Value::Str(id) => Some(set.str(id)),
                _ => None,
            }
        };
        if let Some(operation) = text(self.operation) {
            return Some(match operation {
                // Agent frameworks put the conversation on agent spans too
                // (Semantic Kernel): still an agent.
                "invoke_agent" | "create_agent" | "invoke_workflow" => GenAiKind::Agent,
                "execute_tool" => GenAiKind::Tool,
                "embeddings" | "embedding" => GenAiKind::Embeddings,
                "chat" | "text_completion" | "generate_content" | "completion" | "responses" => {
                    GenAiKind::Inference
                }
                _ if has(attributes, self.input_messages) => GenAiKind::Inference,
                _ => GenAiKind::Other,
            });
        }
        if let Some(kind) = text(self.openinference_kind) {
            return Some(match kind.to_ascii_uppercase().as_str() {
                "LLM" => GenAiKind::Inference,
                "EMBEDDING" => GenAiKind::Embeddings,
                "TOOL" => GenAiKind::Tool,
                "AGENT" => GenAiKind::Agent,
                _ => GenAiKind::Other,
            });
        }
        if let Some(kind) = text(self.llm_request_type) {
            return Some(match kind {
                "embedding" | "embeddings" => GenAiKind::Embeddings,
                _ => GenAiKind::Inference,
            });
        }
        if let Some(kind) = text(self.traceloop_kind) {
            return Some(match kind {
                "tool" => GenAiKind::Tool,
                "agent" | "workflow" => GenAiKind::Agent,
                _ => GenAiKind::Other,
            });
        }
        if let Some(kind) = text(self.langsmith_kind) {
            return Some(match kind {
                "llm" => GenAiKind::Inference,
                "embedding" => GenAiKind::Embeddings,
                "tool" => GenAiKind::Tool,
                "chain" => GenAiKind::Agent,
                _ => GenAiKind::Other,
            });
        }
        // MLflow JSON-encodes every value: `"\"TOOL\""`.
        if let Some(kind) = text(self.mlflow_kind) {
            return Some(match kind.trim_matches('"') {
                "LLM" | "CHAT_MODEL" => GenAiKind::Inference,
                "EMBEDDING" => GenAiKind::Embeddings,
                "TOOL" => GenAiKind::Tool,
                "AGENT" => GenAiKind::Agent,
                _ => GenAiKind::Other,
            });
        }
        if let Some(kind) = text(self.langfuse_kind) {
            return Some(match kind {
                "generation" => GenAiKind::Inference,
                "embedding" => GenAiKind::Embeddings,
                "tool" => GenAiKind::Tool,
                "agent" => GenAiKind::Agent,
                _ => GenAiKind::Other,
            });
        }
        if has(attributes, self.tool_name) {
            return Some(GenAiKind::Tool);
        }
        by_span_name(set.str(span.name))
    }
}

/// Conventions that mark spans only by their name: the Vercel AI SDK
/// (`ai.generateText.doGenerate`), Pydantic AI v2 (`running tool`), Logfire's
/// OpenAI Agents (`Function: get_weather`, `Agent run: 'triage'`).
fn by_span_name(name: &str) -> Option<GenAiKind> {
    if let Some(operation) = name.strip_prefix("ai.") {
        return Some(if operation == "toolCall" {
            GenAiKind::Tool
        } else if operation.ends_with(".doGenerate") || operation.ends_with(".doStream") {
            GenAiKind::Inference
        } else if operation.starts_with("embed") {
            GenAiKind::Embeddings
        } else if operation.starts_with("generate") || operation.starts_with("stream") {
            GenAiKind::Agent
        } else {
            return None;
        });
    }
    match name {
        "running tool" => Some(GenAiKind::Tool),
        "agent run" => Some(GenAiKind::Agent),
        _ if name.starts_with("Function: ") => Some(GenAiKind::Tool),
        _ if name.starts_with("Agent run: ") => Some(GenAiKind::Agent),
        _ => None,
    }
}

fn has(attributes: &[Attribute], key: Option<StrId>) -> bool {
    key.is_some_and(|key| attributes.iter().any(|a| a.key == key))
}
