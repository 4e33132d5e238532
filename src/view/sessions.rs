//! The Sessions tab beside the trace list (`layout::sessions`): traces that
//! share a session or conversation id, each session with its totals and its
//! traces in time order; a trace opens with a click.

use std::sync::Arc;

use leptos::prelude::*;
use spanloupe_core::format;
use spanloupe_core::layout::sessions::Session;
use spanloupe_core::layout::trace_list::trace_name;

use crate::state::use_app_state;

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
            facts.push(format::duration(
                session.end_unix_nanos.saturating_sub(session.start_unix_nanos),
            ));
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
                    </details>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="sl-sessions" data-testid="sessions">{items}</ul> }
}
