//! The Messages tab: the conversation of one LLM call, normalised by
//! `spanloupe_core::genai` from whichever convention the span used. Input
//! messages that repeat the previous call's conversation are folded, so what
//! is new in this call stands out.

use std::sync::Arc;

use leptos::prelude::*;
use serde_json::Value as Json;
use spanloupe_core::format;
use spanloupe_core::genai::history::repeated_prefix;
use spanloupe_core::genai::{ContentState, Feedback, LlmCall, Twin, llm_call};
use spanloupe_core::model::SpanIdx;

use crate::state::{Dataset, use_app_state};
use crate::view::chat::{ChatLinks, GenAiIndex, message_view, part_view};

#[component]
pub fn MessagesTab(
    data: Arc<Dataset>,
    span: SpanIdx,
    call: LlmCall,
    /// The other record of this call, when two instrumentations made one.
    twin: Option<Twin>,
) -> impl IntoView {
    let state = use_app_state();
    let previous = use_context::<GenAiIndex>()
        .and_then(|genai| genai.0.previous_call(&data.set, span))
        .and_then(|idx| Some((idx, llm_call(&data.set, idx)?)));
    let repeated = previous
        .as_ref()
        .map_or(0, |(_, before)| repeated_prefix(before, &call));
    let links = ChatLinks::new(data.clone(), [&call]);
    let cost = use_context::<crate::view::chat::GenAiIndex>()
        .and_then(|genai| genai.0.cost_label(span))
        .unwrap_or_default();
    let header = call_header(&call, cost);
    let notice = content_notice(call.content)
        .map(|text| view! { <p class="sl-notice" data-testid="content-notice">{text}</p> });
    let twin_note = twin.map(|twin| twin_note(state, &twin));
    let system = (!call.system_instructions.is_empty()).then(|| {
        let parts = call
            .system_instructions
            .iter()
            .map(|part| part_view(part, &links))
            .collect_view();
        view! {
            <section class="sl-chat-section">
                <h3>"System instructions"</h3>
                <div class="sl-bubble sl-bubble--system">{parts}</div>
            </section>
        }
    });
    let input = (!call.input.is_empty()).then(|| {
        let (old, new) = call.input.split_at(repeated.min(call.input.len()));
        let marks_new = previous.is_some() && repeated > 0;
        let folded = (!old.is_empty()).then(|| {
            let bubbles = old.iter().map(|m| message_view(m, &links, false)).collect_view();
            let previous_span = previous.as_ref().map(|(idx, _)| *idx);
            let summary = format!(
                "{} repeated from the previous call",
                format::count(old.len(), "earlier message", "earlier messages")
            );
            view! {
                <details class="sl-repeated" data-testid="repeated-history">
                    <summary>
                        {summary}
                        {previous_span.map(|idx| view! {
                            <button class="sl-link" title="Select the previous call"
                                on:click=move |ev| { ev.prevent_default(); state.select(Some(idx)); }>
                                "go to it"
                            </button>
                        })}
                    </summary>
                    {bubbles}
                </details>
            }
        });
        let bubbles = new.iter().map(|m| message_view(m, &links, marks_new)).collect_view();
        view! {
            <section class="sl-chat-section">
                <h3>"Input"</h3>
                {folded}
                {bubbles}
            </section>
        }
    });
    let output = (!call.output.is_empty()).then(|| {
        let bubbles = call
            .output
            .iter()
            .map(|m| message_view(m, &links, false))
            .collect_view();
        view! {
            <section class="sl-chat-section">
                <h3>"Output"</h3>
                {bubbles}
            </section>
        }
    });
    let feedback = feedback_view(&call.feedback);
    let warnings = call
        .warnings
        .iter()
        .map(|warning| view! { <p class="sl-notice" data-testid="call-warning">{warning.clone()}</p> })
        .collect_view();
    view! {
        <div class="sl-messages sl-chat-scope" data-testid="messages">
            {header}
            {twin_note}
            {notice}
            {warnings}
            {feedback}
            {system}
            {input}
            {output}
        </div>
    }
}

/// User feedback and evaluation results: score, label, the user's comment.
pub fn feedback_view(feedback: &[Feedback]) -> Option<impl IntoView + use<>> {
    if feedback.is_empty() {
        return None;
    }
    let items = feedback
        .iter()
        .map(|f| {
            let name = f.name.replace('_', " ");
            let verdict = match (f.score, &f.label) {
                (Some(score), Some(label)) => format!("{label} ({score})"),
                (Some(score), None) => score_text(score),
                (None, Some(label)) => label.clone(),
                (None, None) => String::new(),
            };
            let words = f.comment.clone().or_else(|| f.explanation.clone());
            let negative = f.score.is_some_and(|s| s < 0.0)
                || f.label.as_deref().is_some_and(|l| l.eq_ignore_ascii_case("fail"));
            view! {
                <li class="sl-feedback__item" class:sl-feedback__item--negative=negative data-testid="feedback">
                    <strong>{name}</strong>
                    <span class="sl-badge">{verdict}</span>
                    {words.map(|w| view! { <q>{w}</q> })}
                </li>
            }
        })
        .collect_view();
    Some(view! {
        <section class="sl-chat-section sl-feedback">
            <h3>"Feedback"</h3>
            <ul>{items}</ul>
        </section>
    })
}

/// Azure's user feedback scores from -1 (bad) to 1 (good).
fn score_text(score: f64) -> String {
    let thumb = if score > 0.0 {
        "👍 "
    } else if score < 0.0 {
        "👎 "
    } else {
        ""
    };
    format!("{thumb}{score}")
}

/// "Same call as …" / "Also recorded by …", with a link to the twin.
pub fn twin_note(state: crate::state::AppState, twin: &Twin) -> impl IntoView + use<> {
    let span = twin.span;
    view! {
        <p class="sl-notice sl-notice--info" data-testid="twin-note">
            {twin.note()}
            " · "
            <button class="sl-link" title="Select the other record of this call"
                on:click=move |_| state.select(Some(span))>
                "go to it"
            </button>
        </p>
    }
}

/// Why a call shows no messages, and how to record them next time.
pub fn content_notice(content: ContentState) -> Option<&'static str> {
    match content {
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
}

/// Provider, models, finish reasons, tokens and request parameters.
fn call_header(call: &LlmCall, cost: String) -> impl IntoView + use<> {
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
        ("Model", model_label(call)),
        ("Operation", call.operation.clone().unwrap_or_default()),
        ("Finish", finish),
        ("Tokens", token_details(call)),
        ("Cost", cost),
        ("Parameters", parameters),
        ("Read from", call.source.label().to_owned()),
    ]
    .into_iter()
    .filter(|(_, value)| !value.is_empty())
    .map(|(label, value)| view! { <dt>{label}</dt><dd data-fact=label>{value}</dd> })
    .collect_view();
    view! { <dl class="sl-facts sl-call-facts">{facts}</dl> }
}

/// "gpt-4o → gpt-4o-2024-08-06" when the response names another model.
pub fn model_label(call: &LlmCall) -> String {
    match (&call.request_model, &call.response_model) {
        (Some(request), Some(response)) if request != response => format!("{request} → {response}"),
        (Some(model), _) | (None, Some(model)) => model.clone(),
        (None, None) => String::new(),
    }
}

/// "182 in · 41 out · 223 total · 20 cached".
pub fn token_details(call: &LlmCall) -> String {
    let usage = &call.usage;
    [
        usage.input.map(|n| format!("{n} in")),
        usage.output.map(|n| format!("{n} out")),
        usage.total_or_sum().map(|n| format!("{n} total")),
        usage.cache_read.map(|n| format!("{n} cached")),
        usage.cache_write.map(|n| format!("{n} cache write")),
        usage.reasoning.map(|n| format!("{n} reasoning")),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ")
}

fn compact(json: &Json) -> String {
    match json {
        Json::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// "223 tokens": for the tab label.
pub fn token_summary(call: &LlmCall) -> Option<String> {
    #[allow(clippy::cast_possible_truncation)] // token counts fit in usize
    call.usage
        .total_or_sum()
        .map(|total| format::count(total as usize, "token", "tokens"))
}
