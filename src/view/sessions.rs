//! The Sessions tab beside the trace list (`layout::sessions`): traces that
//! share a session or conversation id, each session with its totals and its
//! traces in time order; a trace opens with a click.

use std::sync::Arc;

use leptos::prelude::*;
use spanloupe_core::format;
use spanloupe_core::layout::sessions::Session;
use spanloupe_core::layout::trace_list::trace_name;

use crate::state::use_app_state;
use crate::view::conversation::Conversation;

#[component]
pub fn SessionList(sessions: Arc<Vec<Session>>) -> impl IntoView {
    let state = use_app_state();
    let items = sessions
        .iter()
        .map(|session| {
            let tokens = session.input_tokens + session.output_tokens;
            let mut facts = vec![
                format::count(session.traces.len(), "trace", "traces"),
                format::count(session.spans, "span", "spans"),
            ];
            if session.errors > 0 {
                facts.push(format::count(session.errors, "error", "errors"));
            }
            if tokens > 0 {
                facts.push(format!(
                    "{} in · {} out tokens",
                    format::thousands(session.input_tokens),
                    format::thousands(session.output_tokens)
                ));
            }
            match (session.cost_usd > 0.0, session.unpriced) {
                (false, 0) => {}
                (false, _) => facts.push("unpriced".to_owned()),
                (true, 0) => facts.push(format::usd(session.cost_usd)),
                (true, _) => facts.push(format!("{} + unpriced", format::usd(session.cost_usd))),
            }
            facts.push(format::duration(
                session.end_unix_nanos.saturating_sub(session.start_unix_nanos),
            ));
            let conversation = RwSignal::new(false);
            let session_traces = session.traces.clone();
            let shown = move || {
                conversation
                    .get()
                    .then(|| session_conversation(state, session_traces.clone()))
            };
            let start = session.start_unix_nanos;
            let traces = session
                .traces
                .iter()
                .map(|&index| {
                    let (name, start) = state.data.with_untracked(|data| {
                        data.as_ref()
                            .and_then(|d| {
                                let trace = d.set.traces.get(index)?;
                                Some((trace_name(&d.set, trace).to_owned(), trace.start_unix_nanos))
                            })
                            .unwrap_or_default()
                    });
                    view! {
                        <li>
                            <span class="sl-muted sl-mono">{move || crate::preferences::timestamp(state.clock.get(), start)}</span>
                            " "
                            <button class="sl-link" data-testid="session-trace" on:click=move |_| state.open_trace(Some(index))>{name}</button>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <li class="sl-session" data-testid="session">
                    <details>
                        <summary>
                            <span class="sl-mono sl-session__id">{session.id.clone()}</span>
                            " "
                            <span class="sl-muted">{facts.join(" · ")}</span>
                            " "
                            <span class="sl-muted sl-mono">{move || crate::preferences::timestamp(state.clock.get(), start)}</span>
                        </summary>
                        <ol class="sl-session__traces">{traces}</ol>
                        <button class="sl-button" data-testid="session-conversation"
                            aria-expanded=move || conversation.get().to_string()
                            on:click=move |_| conversation.update(|c| *c = !*c)>
                            "Conversation across these traces"
                        </button>
                        {shown}
                    </details>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="sl-sessions" data-testid="sessions">{items}</ul> }
}

/// The Conversation view of each of a session's traces in time order, one
/// after the other under a heading that opens the trace.
fn session_conversation(state: crate::state::AppState, traces: Vec<usize>) -> impl IntoView {
    let Some(data) = state.data.get_untracked() else {
        return ().into_any();
    };
    let turns = traces
        .into_iter()
        .enumerate()
        .map(|(turn, index)| {
            let Some(trace) = data.set.traces.get(index) else {
                return ().into_any();
            };
            let name = trace_name(&data.set, trace).to_owned();
            let start = trace.start_unix_nanos;
            let genai = state.genai_of(&data, index);
            view! {
                <section class="sl-session-turn" data-testid="session-turn" aria-label=format!("Trace {}", turn + 1)>
                    <h3 class="sl-session-turn__head">
                        <span class="sl-muted">{format!("{}.", turn + 1)}</span>
                        " "
                        <button class="sl-link" data-testid="session-turn-open" title="Open this trace"
                            on:click=move |_| state.open_trace(Some(index))>{name}</button>
                        " "
                        <span class="sl-muted sl-mono">{move || crate::preferences::timestamp(state.clock.get(), start)}</span>
                    </h3>
                    <Conversation data=data.clone() genai=genai index=index />
                </section>
            }
            .into_any()
        })
        .collect_view();
    view! { <div class="sl-session-conversation" data-testid="session-conversation-view">{turns}</div> }.into_any()
}
