//! The Messages tab: the conversation of one LLM call, normalised by
//! `spanloupe_core::genai` from whichever convention the span used.

use leptos::prelude::*;
use serde_json::Value as Json;
use spanloupe_core::format;
use spanloupe_core::genai::markdown::to_safe_html;
use spanloupe_core::genai::{ContentState, LlmCall, Message, Part};

#[component]
pub fn MessagesTab(call: LlmCall) -> impl IntoView {
    let header = call_header(&call);
    let notice = match call.content {
        ContentState::Captured => None,
        ContentState::Redacted => Some(
            "Messages were recorded without their content (content capture was off when this ran).",
        ),
        ContentState::Absent => Some(
            "Message content was not captured for this call. OpenTelemetry instrumentations record it with \
             OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true, the Azure AI SDKs with \
             AZURE_TRACING_GEN_AI_CONTENT_RECORDING_ENABLED=true. If the content went to a separate logs file, \
             open that file together with this one.",
        ),
    }
    .map(|text| view! { <p class="sl-notice" data-testid="content-notice">{text}</p> });
    let system = (!call.system_instructions.is_empty()).then(|| {
        let parts = call
            .system_instructions
            .iter()
            .map(part_view)
            .collect_view();
        view! {
            <section class="sl-chat-section">
                <h3>"System instructions"</h3>
                <div class="sl-bubble sl-bubble--system">{parts}</div>
            </section>
        }
    });
    let section = |title: &'static str, messages: &[Message]| {
        (!messages.is_empty()).then(|| {
            let bubbles = messages.iter().map(message_view).collect_view();
            view! {
                <section class="sl-chat-section">
                    <h3>{title}</h3>
                    {bubbles}
                </section>
            }
        })
    };
    let input = section("Input", &call.input);
    let output = section("Output", &call.output);
    view! {
        <div class="sl-messages" data-testid="messages">
            {header}
            {notice}
            {system}
            {input}
            {output}
        </div>
    }
}

/// Provider, models, finish reasons, tokens and request parameters.
fn call_header(call: &LlmCall) -> impl IntoView + use<> {
    let model = match (&call.request_model, &call.response_model) {
        (Some(request), Some(response)) if request != response => format!("{request} → {response}"),
        (Some(model), _) | (None, Some(model)) => model.clone(),
        (None, None) => String::new(),
    };
    let usage = &call.usage;
    let mut tokens = Vec::new();
    if let Some(input) = usage.input {
        tokens.push(format!("{input} in"));
    }
    if let Some(output) = usage.output {
        tokens.push(format!("{output} out"));
    }
    if let Some(total) = usage.total_or_sum() {
        tokens.push(format!("{total} total"));
    }
    if let Some(cached) = usage.cache_read {
        tokens.push(format!("{cached} cached"));
    }
    if let Some(reasoning) = usage.reasoning {
        tokens.push(format!("{reasoning} reasoning"));
    }
    let finish = call
        .finish_reasons
        .iter()
        .map(|f| f.raw.clone())
        .collect::<Vec<_>>()
        .join(", ");
    let parameters = call
        .parameters
        .iter()
        .map(|(key, value)| format!("{key} {}", compact(value)))
        .collect::<Vec<_>>()
        .join(" · ");
    let facts = [
        ("Provider", call.provider.clone().unwrap_or_default()),
        ("Model", model),
        ("Operation", call.operation.clone().unwrap_or_default()),
        ("Finish", finish),
        ("Tokens", tokens.join(" · ")),
        ("Parameters", parameters),
        ("Read from", call.source.label().to_owned()),
    ]
    .into_iter()
    .filter(|(_, value)| !value.is_empty())
    .map(|(label, value)| view! { <dt>{label}</dt><dd data-fact=label>{value}</dd> })
    .collect_view();
    view! { <dl class="sl-facts sl-call-facts">{facts}</dl> }
}

fn message_view(message: &Message) -> impl IntoView + use<> {
    let role = message.role.label();
    let label = if message.role_raw.is_empty() || message.role_raw == role {
        role.to_owned()
    } else {
        format!("{role} ({})", message.role_raw)
    };
    let name = message
        .name
        .clone()
        .map(|name| view! { <span class="sl-bubble__name">{name}</span> });
    let finish = message
        .finish_reason
        .as_ref()
        .map(|f| view! { <span class="sl-badge" title="Finish reason">{f.raw.clone()}</span> });
    let parts = message.parts.iter().map(part_view).collect_view();
    let class = format!("sl-bubble sl-bubble--{role}");
    view! {
        <article class=class data-role=role>
            <header class="sl-bubble__head">
                <span class="sl-bubble__role">{label}</span>
                {name}
                {finish}
            </header>
            {parts}
        </article>
    }
}

fn part_view(part: &Part) -> AnyView {
    match part {
        Part::Text(text) => {
            let html = to_safe_html(text);
            view! { <div class="sl-markdown" inner_html=html></div> }.into_any()
        }
        Part::Reasoning(text) => view! {
            <details class="sl-reasoning">
                <summary>"Reasoning"</summary>
                <div class="sl-markdown" inner_html=to_safe_html(text)></div>
            </details>
        }
        .into_any(),
        Part::Refusal(text) => {
            view! { <p class="sl-refusal">{format!("Refused: {text}")}</p> }.into_any()
        }
        Part::ToolCall {
            id,
            name,
            arguments,
            arguments_raw,
            server_side,
        } => {
            let body = match (arguments, arguments_raw) {
                (Some(json), _) => pretty(json),
                (None, Some(raw)) => raw.clone(),
                (None, None) => String::new(),
            };
            let title = format!(
                "{}{name}",
                if *server_side {
                    "Server tool call: "
                } else {
                    "Tool call: "
                }
            );
            view! {
                <div class="sl-tool sl-tool--call" data-tool-call-id=id.clone().unwrap_or_default()>
                    <div class="sl-tool__head"><strong>{title}</strong><code class="sl-muted">{id.clone()}</code></div>
                    <pre class="sl-mono">{body}</pre>
                </div>
            }
            .into_any()
        }
        Part::ToolResult {
            id,
            name,
            content,
            is_error,
        } => {
            let body = match content {
                Json::String(text) => spanloupe_core::genai::payload::parse_embedded(text)
                    .map_or_else(|| text.clone(), |j| pretty(&j)),
                other => pretty(other),
            };
            let title = match name {
                Some(name) => format!("Tool result: {name}"),
                None => "Tool result".to_owned(),
            };
            view! {
                <div class="sl-tool sl-tool--result" class:sl-tool--error=*is_error data-tool-call-id=id.clone().unwrap_or_default()>
                    <div class="sl-tool__head"><strong>{title}</strong><code class="sl-muted">{id.clone()}</code></div>
                    <pre class="sl-mono">{body}</pre>
                </div>
            }
            .into_any()
        }
        Part::Media {
            modality,
            mime_type,
            uri,
            data_base64,
            file_id,
        } => {
            let label = [Some(modality.clone()), mime_type.clone(), file_id.clone()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" · ");
            let image = (modality == "image")
                .then(|| match (uri, data_base64) {
                    (Some(uri), _) if uri.starts_with("https://") || uri.starts_with("http://") => Some(uri.clone()),
                    (_, Some(data)) => Some(format!("data:{};base64,{data}", mime_type.as_deref().unwrap_or("image/png"))),
                    _ => None,
                })
                .flatten()
                .map(|src| view! { <img class="sl-media__preview" src=src alt="image from the message" /> });
            let link = uri
                .clone()
                .filter(|u| !u.starts_with("data:"))
                .map(|u| view! { <code class="sl-muted">{u}</code> });
            view! { <div class="sl-media"><span class="sl-chip">{label}</span>{link}{image}</div> }
                .into_any()
        }
        Part::Unknown(raw) => view! {
            <div class="sl-tool">
                <div class="sl-tool__head sl-muted">"Part of an unknown type"</div>
                <pre class="sl-mono">{pretty(raw)}</pre>
            </div>
        }
        .into_any(),
    }
}

fn pretty(json: &Json) -> String {
    serde_json::to_string_pretty(json).unwrap_or_default()
}

fn compact(json: &Json) -> String {
    match json {
        Json::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// "12 in · 3 out": for the tab label.
pub fn token_summary(call: &LlmCall) -> Option<String> {
    call.usage
        .total_or_sum()
        .map(|total| format::count(total as usize, "token", "tokens"))
}
