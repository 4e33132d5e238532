//! A GenAI conversation as Markdown, to paste into an issue or give to a
//! model: the trace's thread (its model calls and tool runs in time order,
//! as the Conversation view shows it) or one call, with roles, texts, tool
//! calls with their arguments and results, and tokens. Message texts go in
//! as written (they are Markdown often); JSON goes in fenced blocks whose
//! fences are longer than any run of backticks inside.

use std::fmt::Write as _;

use serde_json::Value as Json;

use crate::genai::thread::{ShownStep, Thread};
use crate::genai::{
    ContentState, LlmCall, Message, Part, TraceGenAi, Usage, llm_call, tool_execution,
};
use crate::model::{SpanIdx, Trace, TraceSet};

/// The conversation of a trace: a heading with the trace's root and token
/// totals by model, then each step. Input messages that repeat the step
/// before are left out (said in one line), as in the Conversation view.
pub fn conversation(set: &TraceSet, trace: &Trace, genai: &TraceGenAi) -> String {
    let mut out = String::new();
    let root = trace
        .roots
        .first()
        .and_then(|&r| set.span(r))
        .map_or("trace", |span| set.str(span.name));
    let _ = writeln!(out, "# Conversation: {root}\n");
    let _ = writeln!(out, "Trace `{}`", trace.trace_id);
    for tokens in genai.tokens_by_model(set) {
        let _ = writeln!(out, "- {}: {}", tokens.model, tokens.summary());
    }
    out.push('\n');
    let mut thread = Thread::new(set, genai);
    let steps = thread.shown(set, 0, usize::MAX);
    // System instructions are written again only when they change.
    let mut system: Option<&[Part]> = None;
    for (number, step) in steps.iter().enumerate() {
        match step {
            ShownStep::Call {
                span,
                call,
                repeated,
            } => {
                write_call_heading(&mut out, set, *span, call, number + 1);
                let same_system = system == Some(call.system_instructions.as_slice());
                write_call_body(&mut out, call, *repeated, same_system);
                system = Some(&call.system_instructions);
            }
            ShownStep::Tool { span } => write_tool(&mut out, set, *span, number + 1),
        }
    }
    if steps.is_empty() {
        out.push_str("_No model calls or tool runs in this trace._\n");
    }
    out
}

/// One model call, all its messages.
pub fn call(set: &TraceSet, span: SpanIdx) -> Option<String> {
    let call = llm_call(set, span)?;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {}\n",
        set.span(span).map_or("", |s| set.str(s.name))
    );
    write_facts(&mut out, &call);
    write_call_body(&mut out, &call, 0, false);
    Some(out)
}

fn write_call_heading(
    out: &mut String,
    set: &TraceSet,
    span: SpanIdx,
    call: &LlmCall,
    number: usize,
) {
    let name = set.span(span).map_or("", |s| set.str(s.name));
    let _ = writeln!(out, "## {number}. Model call: {name}\n");
    write_facts(out, call);
}

/// "openai · gpt-4o → gpt-4o-2024-08-06 · 402 in · 58 out · 460 tokens".
fn write_facts(out: &mut String, call: &LlmCall) {
    let mut facts: Vec<String> = Vec::new();
    if let Some(provider) = call.provider.as_deref().or(call.provider_raw.as_deref()) {
        facts.push(provider.to_owned());
    }
    match (&call.request_model, &call.response_model) {
        (Some(request), Some(response)) if request != response => {
            facts.push(format!("{request} → {response}"));
        }
        (Some(model), _) | (None, Some(model)) => facts.push(model.clone()),
        (None, None) => {}
    }
    facts.extend(usage_facts(&call.usage));
    if !call.finish_reasons.is_empty() {
        let reasons: Vec<&str> = call.finish_reasons.iter().map(|r| r.raw.as_str()).collect();
        facts.push(format!("finish: {}", reasons.join(", ")));
    }
    if !facts.is_empty() {
        let _ = writeln!(out, "{}\n", facts.join(" · "));
    }
}

fn usage_facts(usage: &Usage) -> Vec<String> {
    let count = |n: u64, one: &str, many: &str| {
        crate::format::count(usize::try_from(n).unwrap_or(usize::MAX), one, many)
    };
    let mut facts = Vec::new();
    if let Some(input) = usage.input {
        facts.push(count(input, "in", "in"));
    }
    if let Some(output) = usage.output {
        facts.push(count(output, "out", "out"));
    }
    if let Some(total) = usage.total_or_sum() {
        facts.push(count(total, "token", "tokens"));
    }
    facts
}

fn write_call_body(out: &mut String, call: &LlmCall, repeated: usize, same_system: bool) {
    match call.content {
        ContentState::Captured => {}
        ContentState::Redacted => {
            out.push_str("_Message content was redacted: only roles were recorded._\n\n");
        }
        ContentState::Absent => {
            out.push_str("_Message content was not captured._\n\n");
            return;
        }
    }
    if same_system && !call.system_instructions.is_empty() {
        out.push_str("_The same system instructions._\n\n");
    } else if !call.system_instructions.is_empty() {
        out.push_str("### system instructions\n\n");
        write_parts(out, &call.system_instructions);
    }
    if repeated > 0 {
        let _ = writeln!(
            out,
            "_{} from the call before, left out._\n",
            crate::format::count(repeated, "input message", "input messages")
        );
    }
    for message in call.input.iter().skip(repeated) {
        write_message(out, message, "");
    }
    for message in &call.output {
        write_message(out, message, " (output)");
    }
}

fn write_message(out: &mut String, message: &Message, note: &str) {
    let role = if message.role_raw.is_empty() {
        message.role.label()
    } else {
        message.role_raw.as_str()
    };
    match &message.name {
        Some(name) => {
            let _ = writeln!(out, "### {role} ({name}){note}\n");
        }
        None => {
            let _ = writeln!(out, "### {role}{note}\n");
        }
    }
    write_parts(out, &message.parts);
}

fn write_parts(out: &mut String, parts: &[Part]) {
    for part in parts {
        match part {
            Part::Text(text) => {
                out.push_str(text.trim_end());
                out.push_str("\n\n");
            }
            Part::Reasoning(text) => {
                out.push_str("Reasoning:\n\n");
                for line in text.trim_end().lines() {
                    let _ = writeln!(out, "> {line}");
                }
                out.push('\n');
            }
            Part::ToolCall {
                id,
                name,
                arguments,
                arguments_raw,
                ..
            } => {
                let _ = writeln!(out, "Tool call `{name}`{}:\n", id_note(id.as_deref()));
                match (arguments, arguments_raw) {
                    (Some(json), _) => fenced(out, "json", &pretty(json)),
                    (None, Some(raw)) => fenced(out, "", raw),
                    (None, None) => out.push_str("_(no arguments)_\n\n"),
                }
            }
            Part::ToolResult {
                id,
                name,
                content,
                is_error,
            } => {
                let what = if *is_error {
                    "Tool error"
                } else {
                    "Tool result"
                };
                let name = name
                    .as_deref()
                    .map(|n| format!(" `{n}`"))
                    .unwrap_or_default();
                let _ = writeln!(out, "{what}{name}{}:\n", id_note(id.as_deref()));
                write_json_or_text(out, content);
            }
            Part::Media {
                modality,
                mime_type,
                uri,
                file_id,
                ..
            } => {
                let kind = mime_type.as_deref().unwrap_or(modality);
                let place = uri
                    .as_deref()
                    .or(file_id.as_deref())
                    .map(|p| format!(": {p}"))
                    .unwrap_or_default();
                let _ = writeln!(out, "_[{kind}{place}]_\n");
            }
            Part::Refusal(text) => {
                let _ = writeln!(out, "Refused: {}\n", text.trim_end());
            }
            Part::Unknown(json) => fenced(out, "json", &pretty(json)),
        }
    }
}

fn write_tool(out: &mut String, set: &TraceSet, span: SpanIdx, number: usize) {
    let name = set.span(span).map_or("", |s| set.str(s.name));
    let Some(tool) = tool_execution(set, span) else {
        let _ = writeln!(out, "## {number}. Tool run: {name}\n");
        return;
    };
    let failed = if tool.is_error { " (failed)" } else { "" };
    let _ = writeln!(out, "## {number}. Tool run: {}{failed}\n", tool.name);
    match (&tool.arguments, &tool.arguments_raw) {
        (Some(json), _) => {
            out.push_str("Arguments:\n\n");
            fenced(out, "json", &pretty(json));
        }
        (None, Some(raw)) => {
            out.push_str("Arguments:\n\n");
            fenced(out, "", raw);
        }
        (None, None) => {}
    }
    if let Some(result) = &tool.result {
        out.push_str("Result:\n\n");
        write_json_or_text(out, result);
    }
}

fn id_note(id: Option<&str>) -> String {
    id.map(|id| format!(" (`{id}`)")).unwrap_or_default()
}

/// A JSON string is its text; anything else JSON in a block.
fn write_json_or_text(out: &mut String, value: &Json) {
    match value {
        Json::String(text) => fenced(out, "", text),
        other => fenced(out, "json", &pretty(other)),
    }
}

fn pretty(json: &Json) -> String {
    serde_json::to_string_pretty(json).unwrap_or_else(|_| json.to_string())
}

/// A fenced code block whose fence no run of backticks in `text` can close.
fn fenced(out: &mut String, language: &str, text: &str) {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    let _ = writeln!(out, "{fence}{language}\n{}\n{fence}\n", text.trim_end());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fence_is_longer_than_the_backticks_inside() {
        let mut out = String::new();
        fenced(&mut out, "", "before ```` after");
        assert_eq!(out, "`````\nbefore ```` after\n`````\n\n");
        let mut out = String::new();
        fenced(&mut out, "json", "{}");
        assert_eq!(out, "```json\n{}\n```\n\n");
    }
}
