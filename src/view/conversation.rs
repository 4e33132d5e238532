//! The Conversation view of a trace (an agent run): every model call and tool
//! run in time order as one thread. Each call shows only what it added to the
//! conversation (its earlier history folded) and its answer; each tool run
//! its arguments and result. Every entry links back to its span.

use std::sync::Arc;

use leptos::prelude::*;
use spanloupe_core::format;
use spanloupe_core::genai::history::repeated_prefix;
use spanloupe_core::genai::{GenAiKind, GenAiSpan, LlmCall, TraceGenAi, llm_call, tool_execution};
use spanloupe_core::model::SpanIdx;

use crate::state::{Dataset, use_app_state};
use crate::view::chat::{ChatLinks, message_view, part_view, pretty};
use crate::view::inspector::messages::{content_notice, feedback_view, model_label, token_details};

/// Entries rendered at first; long agent runs show more on request.
const FIRST_ENTRIES: usize = 100;

/// One entry of the thread.
enum Entry {
    Call { span: SpanIdx, call: Box<LlmCall> },
    Tool { span: SpanIdx },
}

#[component]
pub fn Conversation(data: Arc<Dataset>, genai: Arc<TraceGenAi>, index: usize) -> impl IntoView {
    let set = &data.set;
    let Some(trace) = set.traces.get(index) else {
        return ().into_any();
    };
    let trace_start = trace.start_unix_nanos;
    let entries: Vec<Entry> = genai
        .in_time_order(set)
        .into_iter()
        .filter_map(|s: &GenAiSpan| match s.kind {
            GenAiKind::Tool => Some(Entry::Tool { span: s.span }),
            _ => {
                let call = llm_call(set, s.span)?;
                // A wrapper repeats the calls inside it: they are in the thread.
                (!call.aggregate).then(|| Entry::Call {
                    span: s.span,
                    call: Box::new(call),
                })
            }
        })
        .collect();
    if entries.is_empty() {
        return view! {
            <p class="sl-empty-note sl-muted" data-testid="conversation">
                "This trace has no model calls or tool runs to show as a conversation."
            </p>
        }
        .into_any();
    }
    let links = ChatLinks::new(
        data.clone(),
        entries.iter().filter_map(|e| match e {
            Entry::Call { call, .. } => Some(call.as_ref()),
            Entry::Tool { .. } => None,
        }),
    );
    // Each call is compared with the call before it, to fold what repeats.
    let mut previous: Option<&LlmCall> = None;
    let repeats: Vec<usize> = entries
        .iter()
        .map(|entry| match entry {
            Entry::Call { call, .. } => {
                let repeated = previous.map_or(0, |before| repeated_prefix(before, call));
                previous = Some(call);
                repeated
            }
            Entry::Tool { .. } => 0,
        })
        .collect();
    let total = entries.len();
    let shown = RwSignal::new(FIRST_ENTRIES.min(total));
    let entries = Arc::new(entries);
    let list = {
        let data = data.clone();
        move || {
            entries
                .iter()
                .zip(&repeats)
                .take(shown.get())
                .map(|(entry, &repeated)| match entry {
                    Entry::Call { span, call } => {
                        call_card(&data, *span, call, repeated, &links, trace_start)
                    }
                    Entry::Tool { span } => tool_card(&data, *span, trace_start),
                })
                .collect_view()
        }
    };
    let more = move || {
        let n = shown.get();
        (n < total).then(|| {
            let label = format!("Show {} more", (total - n).min(FIRST_ENTRIES));
            view! {
                <button class="sl-button" on:click=move |_| shown.update(|n| *n = (*n + FIRST_ENTRIES).min(total))>{label}</button>
            }
        })
    };
    let summary = format!("{} in time order", format::count(total, "step", "steps"));
    view! {
        <section class="sl-conversation sl-chat-scope" data-testid="conversation" aria-label="Conversation">
            <p class="sl-muted sl-conversation__summary">{summary}</p>
            <ol class="sl-thread">{list}</ol>
            {more}
        </section>
    }
    .into_any()
}

/// The head of an entry: icon, name, when, and a link to the span.
fn entry_head(
    data: &Dataset,
    span: SpanIdx,
    facts: String,
    trace_start: u64,
) -> impl IntoView + use<> {
    let state = use_app_state();
    let set = &data.set;
    let (name, offset) = set.span(span).map_or_else(Default::default, |s| {
        (
            set.str(s.name).to_owned(),
            format!(
                "+{}",
                format::duration(s.start_unix_nanos.saturating_sub(trace_start))
            ),
        )
    });
    view! {
        <header class="sl-step__head">
            <span class="sl-mono sl-muted">{offset}</span>
            <strong class="sl-step__name">{name}</strong>
            <span class="sl-muted">{facts}</span>
            <button class="sl-link sl-step__span" data-testid="step-span" title="Select this span"
                on:click=move |_| state.selected.set(Some(span))>"span →"</button>
        </header>
    }
}

fn call_card(
    data: &Dataset,
    span: SpanIdx,
    call: &LlmCall,
    repeated: usize,
    links: &ChatLinks,
    trace_start: u64,
) -> AnyView {
    let facts = [model_label(call), token_details(call)]
        .into_iter()
        .filter(|f| !f.is_empty())
        .collect::<Vec<_>>()
        .join(" · ");
    let head = entry_head(data, span, facts, trace_start);
    let notice = content_notice(call.content).map(|text| view! { <p class="sl-notice">{text}</p> });
    // Instructions are shown once, with the first call that has them.
    let system = (repeated == 0 && !call.system_instructions.is_empty()).then(|| {
        let parts = call
            .system_instructions
            .iter()
            .map(|part| part_view(part, links))
            .collect_view();
        view! { <div class="sl-bubble sl-bubble--system"><header class="sl-bubble__head"><span class="sl-bubble__role">"system instructions"</span></header>{parts}</div> }
    });
    let repeated = repeated.min(call.input.len());
    let (old, new) = call.input.split_at(repeated);
    let folded = (!old.is_empty()).then(|| {
        let bubbles = old
            .iter()
            .map(|m| message_view(m, links, false))
            .collect_view();
        let summary = format!(
            "{} from earlier in the conversation",
            format::count(old.len(), "message", "messages")
        );
        view! { <details class="sl-repeated"><summary>{summary}</summary>{bubbles}</details> }
    });
    let input = new
        .iter()
        .map(|m| message_view(m, links, false))
        .collect_view();
    let output = call
        .output
        .iter()
        .map(|m| message_view(m, links, false))
        .collect_view();
    let feedback = feedback_view(&call.feedback);
    view! {
        <li class="sl-step sl-step--call" data-testid="step-call" data-span=span.0.to_string()
            class:sl-step--selected=move || use_app_state().selected.get() == Some(span)>
            {head}
            {notice}
            {system}
            {folded}
            {input}
            <div class="sl-step__output">{output}</div>
            {feedback}
        </li>
    }
    .into_any()
}

fn tool_card(data: &Dataset, span: SpanIdx, trace_start: u64) -> AnyView {
    let Some(tool) = tool_execution(&data.set, span) else {
        return view! {
            <li class="sl-step sl-step--tool" data-testid="step-tool">{entry_head(data, span, String::new(), trace_start)}</li>
        }
        .into_any();
    };
    let duration = data
        .set
        .span(span)
        .map(|s| format::duration(s.duration_nanos()))
        .unwrap_or_default();
    let facts = match &tool.call_id {
        Some(id) => format!("{duration} · {id}"),
        None => duration,
    };
    let head = entry_head(data, span, facts, trace_start);
    let arguments = match (&tool.arguments, &tool.arguments_raw) {
        (Some(json), _) => Some(pretty(json)),
        (None, raw) => raw.clone(),
    };
    let result = tool.result.as_ref().map(|json| match json {
        serde_json::Value::String(text) => text.clone(),
        other => pretty(other),
    });
    let title = format!(
        "{}: {}",
        if tool.is_error { "Tool failed" } else { "Tool" },
        tool.name
    );
    view! {
        <li class="sl-step sl-step--tool" data-testid="step-tool" data-tool-call-id=tool.call_id.clone().unwrap_or_default()
            class:sl-step--selected=move || use_app_state().selected.get() == Some(span)>
            {head}
            <div class="sl-tool" class:sl-tool--error=tool.is_error>
                <div class="sl-tool__head"><strong>{title}</strong></div>
                {arguments.map(|a| view! { <div class="sl-muted">"arguments"</div><pre class="sl-mono">{a}</pre> })}
                {result.map(|r| view! { <div class="sl-muted">"result"</div><pre class="sl-mono" data-testid="tool-result">{r}</pre> })}
            </div>
        </li>
    }
    .into_any()
}
