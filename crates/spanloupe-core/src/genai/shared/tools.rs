//! Tool calls' arguments and tool definitions, as every convention writes
//! them: read by the shared readers and the conventions alike.

use serde_json::Value as Json;

use super::payload::{parse_embedded, str_field};
use crate::genai::model::ToolDefinition;

/// Tool-call arguments: an object, or JSON text (parsed when it parses).
pub fn arguments(value: Option<&Json>) -> (Option<Json>, Option<String>) {
    match value {
        None | Some(Json::Null) => (None, None),
        Some(Json::String(raw)) => (
            parse_embedded(raw).or_else(|| serde_json::from_str(raw).ok()),
            Some(raw.clone()),
        ),
        Some(other) => (Some(other.clone()), None),
    }
}

/// `gen_ai.tool.definitions`: `[{type: "function", name, description, parameters}]`,
/// also in the OpenAI `{function: {…}}` wrapping.
pub fn tool_definitions(payload: &Json) -> Vec<ToolDefinition> {
    let Json::Array(tools) = payload else {
        return Vec::new();
    };
    tools
        .iter()
        .filter_map(|tool| {
            let body = tool.get("function").unwrap_or(tool);
            Some(ToolDefinition {
                name: str_field(body, "name")?.to_owned(),
                description: str_field(body, "description").map(str::to_owned),
                // Vercel v5 says `inputSchema`, Anthropic `input_schema`.
                parameters: body
                    .get("parameters")
                    .or_else(|| body.get("inputSchema"))
                    .or_else(|| body.get("input_schema"))
                    .cloned(),
            })
        })
        .collect()
}
