//! The Conversation view of a trace (an agent run): every model call and tool
//! run in time order as one thread. Each call shows only what it added to the
//! conversation (its earlier history folded) and its answer; each tool run
//! its arguments and result. Every entry links back to its span.

use std::sync::Arc;

use leptos::prelude::*;
use spanloupe_core::format;
use spanloupe_core::genai::thread::{ShownStep, Thread};
use spanloupe_core::genai::{LlmCall, TraceGenAi, tool_execution};
use spanloupe_core::model::SpanIdx;

use crate::state::{Dataset, use_app_state};
use crate::view::chat::{ChatLinks, message_view, part_view, pretty};
use crate::view::inspector::messages::{content_notice, feedback_view, model_label, token_details};

/// Steps rendered at first, and added by each "show more".
const PAGE: usize = 100;
/// The longest slice of looking for the rest of the steps, between frames.
const SLICE_MS: f64 = 8.0;

#[component]
pub fn Conversation(data: Arc<Dataset>, genai: Arc<TraceGenAi>, index: usize) -> impl IntoView {
    let set = &data.set;
    let Some(trace) = set.traces.get(index) else {
        return ().into_any();
    };
    let trace_start = trace.start_unix_nanos;
    // The first page's steps now; the rest are counted between frames.
    let mut thread = Thread::new(set, &genai);
    let first_page = thread.shown(set, 0, PAGE);
    if first_page.is_empty() {
        return view! {
            <p class="sl-empty-note sl-muted" data-testid="conversation">
                "This trace has no model calls or tool runs to show as a conversation."
            </p>
        }
        .into_any();
    }
    let found = RwSignal::new(Found::of(&thread));
    let thread = StoredValue::new(thread);
    find_the_rest(data.clone(), thread, found);

    let pages = RwSignal::new(1usize);
    // Tool calls and results link to each other within the pages shown.
    let links = StoredValue::new(ChatLinks::new(data.clone(), []));
    let list = Pages {
        data: data.clone(),
        thread,
        links,
        pages,
        trace_start,
    }
    .page(0, first_page);
    let more = move || {
        let Found { steps, complete } = found.get();
        let shown = pages.get() * PAGE;
        (shown < steps || !complete).then(|| {
            let label = if complete {
                format!("Show {} more", (steps - shown).min(PAGE))
            } else {
                "Show more".to_owned()
            };
            view! {
                <button class="sl-button" data-testid="conversation-more" on:click=move |_| pages.update(|n| *n += 1)>{label}</button>
            }
        })
    };
    let summary = move || {
        let Found { steps, complete } = found.get();
        if complete {
            format!("{} in time order", format::count(steps, "step", "steps"))
        } else {
            format!(
                "{} so far, in time order (counting the rest…)",
                format::count(steps, "step", "steps")
            )
        }
    };
    view! {
        <section class="sl-conversation sl-chat-scope" data-testid="conversation" aria-label="Conversation">
            <p class="sl-muted sl-conversation__summary" data-testid="conversation-summary">{summary}</p>
            <ol class="sl-thread">{list}</ol>
            {more}
        </section>
    }
    .into_any()
}

/// What draws the thread's pages. Each page ends in the place of the next,
/// filled once "show more" asks for it: pages are added, and the ones shown
/// stay as they are.
#[derive(Clone)]
struct Pages {
    data: Arc<Dataset>,
    thread: StoredValue<Thread>,
    links: StoredValue<ChatLinks>,
    pages: RwSignal<usize>,
    trace_start: u64,
}

impl Pages {
    /// Page `page`, of these steps (read when it is asked for).
    fn page(self, page: usize, steps: Vec<ShownStep>) -> AnyView {
        self.links.update_value(|links| {
            links.add(steps.iter().filter_map(|step| match step {
                ShownStep::Call { call, .. } => Some(call.as_ref()),
                ShownStep::Tool { .. } => None,
            }));
        });
        let links = self.links.get_value();
        let cards = steps
            .iter()
            .map(|step| match step {
                ShownStep::Call {
                    span,
                    call,
                    repeated,
                } => call_card(&self.data, *span, call, *repeated, &links, self.trace_start),
                ShownStep::Tool { span } => tool_card(&self.data, *span, self.trace_start),
            })
            .collect_view();
        let pages = self.pages;
        // Changes once, from false to true: the next page is built once.
        let next_shown = Memo::new(move |_| pages.get() > page + 1);
        let next = move || {
            next_shown.get().then(|| {
                let steps = self
                    .thread
                    .try_update_value(|t| t.shown(&self.data.set, (page + 1) * PAGE, PAGE))
                    .unwrap_or_default();
                self.clone().page(page + 1, steps)
            })
        };
        view! { {cards}{next} }.into_any()
    }
}

/// How far the thread's steps are known.
#[derive(Clone, Copy, PartialEq)]
struct Found {
    steps: usize,
    complete: bool,
}

impl Found {
    fn of(thread: &Thread) -> Self {
        Found {
            steps: thread.steps().len(),
            complete: thread.is_complete(),
        }
    }
}

/// Looks for the rest of the thread's steps in slices of at most
/// `SLICE_MS`, each in its own task, until all are known or the view is
/// gone: a trace of ten thousand calls is counted without a long task.
fn find_the_rest(data: Arc<Dataset>, thread: StoredValue<Thread>, found: RwSignal<Found>) {
    if found.get_untracked().complete {
        return;
    }
    leptos::task::spawn_local(async move {
        loop {
            gloo_timers::future::TimeoutFuture::new(0).await;
            let deadline = crate::perf::now() + SLICE_MS;
            let mut looked_at = 0u32;
            // The clock is read every 16 candidates: a call takes ~13 µs.
            let go_on = || {
                looked_at += 1;
                !looked_at.is_multiple_of(16) || crate::perf::now() < deadline
            };
            let Some(now) = thread.try_update_value(|t| {
                t.find(&data.set, usize::MAX, go_on);
                Found::of(t)
            }) else {
                return;
            };
            if found.try_set(now).is_some() || now.complete {
                return;
            }
        }
    });
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
                on:click=move |_| state.select(Some(span))>"span →"</button>
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
    // Shown once though two instrumentations recorded it: say by whom else.
    let twin = use_context::<crate::view::chat::GenAiIndex>()
        .and_then(|g| g.0.twin_of(&data.set, span))
        .map(|twin| crate::view::inspector::messages::twin_note(use_app_state(), &twin));
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
            {twin}
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
