//! Provider-native message content, as many conventions pass it through
//! unchanged: a string, or a list of blocks. One reader for the block shapes
//! of OpenAI (chat and Responses), Anthropic, the Vercel AI SDK (`tool-call`,
//! `tool-result`, v4 and v5 fields) and Pydantic AI v1 (`kind` instead of
//! `type`). A block this module does not know is kept whole as
//! [`Part::Unknown`], never dropped.

use serde_json::Value as Json;

use super::payload::{str_field, text_of};
use super::tools::arguments;
use crate::genai::model::Part;

/// The parts of a `content` value. Adjacent text blocks are joined with a
/// newline, as one text reads best.
pub fn parts(content: &Json) -> Vec<Part> {
    match content {
        // An empty text (beside tool calls, usually) says nothing to show.
        Json::Null => Vec::new(),
        Json::String(text) if text.is_empty() => Vec::new(),
        Json::String(text) => vec![Part::Text(text.clone())],
        Json::Array(blocks) => {
            let mut out: Vec<Part> = Vec::new();
            for part in blocks.iter().map(block) {
                match (out.last_mut(), part) {
                    (Some(Part::Text(previous)), Part::Text(text)) => {
                        previous.push('\n');
                        previous.push_str(&text);
                    }
                    (_, part) => out.push(part),
                }
            }
            out
        }
        other => vec![block(other)],
    }
}

/// One block.
pub fn block(block: &Json) -> Part {
    let field = |key: &str| str_field(block, key);
    let Some(kind) = field("type").or_else(|| field("kind")) else {
        // `{text}` (Bedrock, Gemini) or a bare string.
        return text_of(block).map_or_else(|| Part::Unknown(block.clone()), Part::Text);
    };
    match kind {
        "text" | "input_text" | "output_text" => {
            text_of(block).map_or_else(|| Part::Unknown(block.clone()), Part::Text)
        }
        "reasoning" | "thinking" => field("text")
            .or_else(|| field("thinking"))
            .or_else(|| field("content"))
            .map_or_else(
                || Part::Unknown(block.clone()),
                |t| Part::Reasoning(t.to_owned()),
            ),
        "refusal" => field("refusal").or_else(|| field("content")).map_or_else(
            || Part::Unknown(block.clone()),
            |t| Part::Refusal(t.to_owned()),
        ),
        // OpenAI chat: `{type: "image_url", image_url: {url}}`; Responses: `{image_url: "…"}`.
        "image_url" | "input_image" => {
            let url = block
                .get("image_url")
                .and_then(|u| u.get("url").or(Some(u)))
                .and_then(Json::as_str);
            url.map_or_else(
                || Part::Unknown(block.clone()),
                |url| media("image", None, url),
            )
        }
        "input_audio" => {
            let audio = block.get("input_audio").unwrap_or(block);
            Part::Media {
                modality: "audio".to_owned(),
                mime_type: str_field(audio, "format").map(|f| format!("audio/{f}")),
                uri: None,
                data_base64: str_field(audio, "data").map(str::to_owned),
                file_id: None,
            }
        }
        // Anthropic `{source: {type: base64|url, media_type, data|url}}`;
        // Vercel v4 `{image, mimeType}`.
        "image" | "document" => {
            let modality = if kind == "image" { "image" } else { "document" };
            if let Some(source) = block.get("source") {
                let mime = str_field(source, "media_type");
                match str_field(source, "data").or_else(|| str_field(source, "url")) {
                    Some(data) => media(modality, mime, data),
                    None => Part::Unknown(block.clone()),
                }
            } else {
                let mime = field("mimeType").or_else(|| field("mediaType"));
                match field("image").or_else(|| field("data")) {
                    Some(data) => media(modality, mime, data),
                    None => Part::Unknown(block.clone()),
                }
            }
        }
        // Vercel `{data, mimeType (v4) | mediaType (v5)}`; OpenAI `{file: {file_id | file_data}}`.
        "file" => {
            let file = block.get("file").unwrap_or(block);
            let mime = str_field(file, "mimeType").or_else(|| str_field(file, "mediaType"));
            match (
                str_field(file, "data").or_else(|| str_field(file, "file_data")),
                str_field(file, "file_id"),
            ) {
                (Some(data), _) => media(modality_of(mime, "file"), mime, data),
                (None, Some(id)) => Part::Media {
                    modality: "file".to_owned(),
                    mime_type: mime.map(str::to_owned),
                    uri: None,
                    data_base64: None,
                    file_id: Some(id.to_owned()),
                },
                (None, None) => Part::Unknown(block.clone()),
            }
        }
        // Pydantic AI v1: `{kind: "image-url", url}`, `{kind: "binary", media_type, binary_content}`.
        "image-url" | "audio-url" | "video-url" | "document-url" => match field("url") {
            Some(url) => media(kind.trim_end_matches("-url"), field("media_type"), url),
            None => Part::Unknown(block.clone()),
        },
        "binary" => {
            let mime = field("media_type");
            match field("binary_content").or_else(|| field("content")) {
                Some(data) => Part::Media {
                    modality: modality_of(mime, "file").to_owned(),
                    mime_type: mime.map(str::to_owned),
                    uri: None,
                    data_base64: Some(data.to_owned()),
                    file_id: None,
                },
                None => Part::Unknown(block.clone()),
            }
        }
        // Anthropic `tool_use {id, name, input}`; Vercel `tool-call {toolCallId,
        // toolName, args (v4) | input (v5)}`.
        "tool_use" | "tool-call" | "server_tool_use" => {
            let (arguments, arguments_raw) = arguments(
                block
                    .get("input")
                    .or_else(|| block.get("args"))
                    .or_else(|| block.get("arguments")),
            );
            Part::ToolCall {
                id: trimmed(field("id").or_else(|| field("toolCallId"))),
                name: field("name")
                    .or_else(|| field("toolName"))
                    .unwrap_or("")
                    .to_owned(),
                arguments,
                arguments_raw,
                server_side: kind == "server_tool_use"
                    || block.get("providerExecuted") == Some(&Json::Bool(true)),
            }
        }
        // Anthropic `tool_result {tool_use_id, content, is_error}`; Vercel
        // `tool-result {toolCallId, toolName, result + isError (v4) |
        // output: {type: text|json|error-text|error-json|content, value} (v5)}`.
        "tool_result" | "tool-result" => {
            let output = block.get("output");
            let output_kind = output.and_then(|o| str_field(o, "type"));
            let content = match output {
                Some(output) if output_kind.is_some() => output.get("value").unwrap_or(output),
                Some(output) => output,
                None => block
                    .get("result")
                    .or_else(|| block.get("content"))
                    .unwrap_or(&Json::Null),
            };
            let flagged = |key: &str| block.get(key) == Some(&Json::Bool(true));
            Part::ToolResult {
                id: trimmed(field("tool_use_id").or_else(|| field("toolCallId"))),
                name: field("toolName")
                    .or_else(|| field("name"))
                    .map(str::to_owned),
                content: content.clone(),
                is_error: flagged("is_error")
                    || flagged("isError")
                    || output_kind.is_some_and(|k| k.starts_with("error")),
            }
        }
        _ => Part::Unknown(block.clone()),
    }
}

/// Media from a URL, a `data:` URL or bare base64 text.
pub fn media(modality: &str, mime_type: Option<&str>, source: &str) -> Part {
    let (mime_type, uri, data) = if let Some(rest) = source.strip_prefix("data:") {
        let (header, data) = rest.split_once(',').unwrap_or(("", rest));
        let mime = header.split(';').next().filter(|m| !m.is_empty());
        (mime.or(mime_type), None, Some(data))
    } else if source.contains("://") {
        (mime_type, Some(source), None)
    } else {
        (mime_type, None, Some(source))
    };
    Part::Media {
        modality: modality.to_owned(),
        mime_type: mime_type.map(str::to_owned),
        uri: uri.map(str::to_owned),
        data_base64: data.map(str::to_owned),
        file_id: None,
    }
}

/// The modality a MIME type names (`image/png` → `image`).
fn modality_of<'a>(mime_type: Option<&str>, default: &'a str) -> &'a str {
    match mime_type.and_then(|m| m.split('/').next()) {
        Some("image") => "image",
        Some("audio") => "audio",
        Some("video") => "video",
        Some("application" | "text") => "document",
        _ => default,
    }
}

fn trimmed(id: Option<&str>) -> Option<String> {
    id.map(str::trim)
        .filter(|id| !id.is_empty())
        .map(str::to_owned)
}
