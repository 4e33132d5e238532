//! Tool executions: the span that ran a tool the model called, in every
//! convention's shape. Each shape names the keys of
//! the tool's name, call id, arguments, result and description; the first
//! shape whose marker the span carries is read.

use serde_json::Value as Json;

use crate::genai::conventions::vercel;
use crate::genai::shared::attributes::Attributes;
use crate::genai::shared::tools::arguments;
use crate::model::{SpanIdx, StatusCode, TraceSet, Value};

/// One tool execution.
#[derive(Clone, Debug, PartialEq)]
pub struct ToolExecution {
    pub name: String,
    /// The id of the model's tool call, to link the call to this span.
    pub call_id: Option<String>,
    /// The arguments as JSON when they parse.
    pub arguments: Option<Json>,
    /// The arguments as sent, when they came as text.
    pub arguments_raw: Option<String>,
    /// The result: JSON when it parses, else the text.
    pub result: Option<Json>,
    /// The span's status is an error, or it names an `error.type`.
    pub is_error: bool,
    pub description: Option<String>,
}

/// Where one convention keeps a tool execution's facts (first key wins).
struct Shape {
    name: &'static [&'static str],
    id: &'static [&'static str],
    arguments: &'static [&'static str],
    result: &'static [&'static str],
    description: &'static [&'static str],
}

/// OTel `execute_tool` (also LangSmith, whose run inputs and outputs are in
/// `gen_ai.prompt` / `gen_ai.completion`, and Google ADK's legacy keys).
const OTEL: Shape = Shape {
    name: &["gen_ai.tool.name"],
    id: &["gen_ai.tool.call.id"],
    arguments: &[
        "gen_ai.tool.call.arguments",
        "gcp.vertex.agent.tool_call_args",
        "gen_ai.prompt",
        "input.value",
    ],
    result: &[
        "gen_ai.tool.call.result",
        "gcp.vertex.agent.tool_response",
        "gen_ai.completion",
        "output.value",
    ],
    description: &["gen_ai.tool.description"],
};
const VERCEL: Shape = Shape {
    name: &["ai.toolCall.name"],
    id: &["ai.toolCall.id"],
    arguments: &["ai.toolCall.args", "ai.toolCall.input"],
    result: &["ai.toolCall.result", "ai.toolCall.output"],
    description: &[],
};
const OPENINFERENCE: Shape = Shape {
    name: &["tool.name"],
    id: &["tool.id", "tool_call.id"],
    arguments: &["input.value"],
    result: &["output.value"],
    description: &["tool.description"],
};
const TRACELOOP: Shape = Shape {
    name: &["traceloop.entity.name", "gen_ai.tool.name"],
    id: &["gen_ai.tool.call.id"],
    arguments: &["traceloop.entity.input"],
    result: &["traceloop.entity.output"],
    description: &[],
};
/// Pydantic AI v2 `running tool`.
const PYDANTIC_V2: Shape = Shape {
    name: &["gen_ai.tool.name"],
    id: &["gen_ai.tool.call.id"],
    arguments: &["tool_arguments"],
    result: &["tool_response"],
    description: &[],
};
/// Logfire's OpenAI Agents `Function: {name}`.
const LOGFIRE_AGENTS: Shape = Shape {
    name: &["name"],
    id: &[],
    arguments: &["input"],
    result: &["output"],
    description: &[],
};
const MLFLOW: Shape = Shape {
    name: &[],
    id: &[],
    arguments: &["mlflow.spanInputs"],
    result: &["mlflow.spanOutputs"],
    description: &[],
};
const LANGFUSE: Shape = Shape {
    name: &[],
    id: &[],
    arguments: &["langfuse.observation.input"],
    result: &["langfuse.observation.output"],
    description: &[],
};

/// The tool execution of a span, or `None` when the span is not one.
pub fn tool_execution(set: &TraceSet, idx: SpanIdx) -> Option<ToolExecution> {
    let span = set.span(idx)?;
    let attributes = Attributes::of_span(set, idx)?;
    let span_name = set.str(span.name);
    let shape = shape_of(&attributes, span_name)?;
    let first = |keys: &[&str]| keys.iter().find_map(|key| attributes.text(key));
    let find = |keys: &[&'static str]| -> Option<(&'static str, Value)> {
        keys.iter()
            .find_map(|key| Some((*key, attributes.get(key)?)))
    };
    let (arguments, arguments_raw) = match find(shape.arguments) {
        // Text is kept as sent beside what it parses to.
        Some((_, Value::Str(id))) => arguments(Some(&Json::String(set.str(id).to_owned()))),
        Some((key, _)) => (attributes.json(key), None),
        None => (None, None),
    };
    Some(ToolExecution {
        name: first(shape.name).unwrap_or_else(|| name_from_span(span_name)),
        call_id: first(shape.id)
            .map(|id| id.trim().to_owned())
            .filter(|id| !id.is_empty()),
        arguments,
        arguments_raw,
        result: find(shape.result).and_then(|(key, _)| attributes.json(key)),
        is_error: span.status_code == StatusCode::Error || attributes.has("error.type"),
        description: first(shape.description),
    })
}

/// Whether a span is a tool execution, without reading it.
pub fn is_tool_span(attributes: &Attributes, span_name: &str) -> bool {
    shape_of(attributes, span_name).is_some()
}

fn shape_of(attributes: &Attributes, span_name: &str) -> Option<&'static Shape> {
    let is = |key: &str, value: &str| {
        attributes
            .text(key)
            .is_some_and(|v| v.eq_ignore_ascii_case(value))
    };
    if vercel::role(attributes, span_name) == Some(vercel::Role::ToolCall) {
        Some(&VERCEL)
    } else if is("gen_ai.operation.name", "execute_tool") || is("langsmith.span.kind", "tool") {
        Some(&OTEL)
    } else if is("openinference.span.kind", "TOOL") {
        Some(&OPENINFERENCE)
    } else if is("traceloop.span.kind", "tool") {
        Some(&TRACELOOP)
    } else if span_name == "running tool" && attributes.has("gen_ai.tool.name") {
        Some(&PYDANTIC_V2)
    } else if span_name.starts_with("Function: ") && attributes.has("name") {
        Some(&LOGFIRE_AGENTS)
    } else if is("mlflow.spanType", "TOOL") {
        Some(&MLFLOW)
    } else if is("langfuse.observation.type", "tool") {
        Some(&LANGFUSE)
    } else {
        None
    }
}

/// The tool's name from a span name: `execute_tool get_weather`,
/// `get_weather.tool` (Traceloop), `Function: get_weather`.
fn name_from_span(span_name: &str) -> String {
    let name = span_name
        .strip_prefix("execute_tool ")
        .or_else(|| span_name.strip_prefix("Function: "))
        .or_else(|| span_name.strip_suffix(".tool"))
        .unwrap_or(span_name);
    name.trim().to_owned()
}
