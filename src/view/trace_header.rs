//! The header of a trace: name, id, start, duration, counts and services.

use std::sync::Arc;

use leptos::prelude::*;
use spanloupe_core::TraceSet;
use spanloupe_core::format;

use super::service_colors::service_color;

#[component]
pub fn TraceHeader(set: Arc<TraceSet>, trace_index: usize) -> impl IntoView {
    let Some(trace) = set.traces.get(trace_index) else {
        return ().into_any();
    };
    let name = trace
        .root()
        .map(|root| set.span_name(root).to_owned())
        .unwrap_or_default();
    let services = trace
        .services
        .iter()
        .enumerate()
        .map(|(i, service)| {
            let color = format!("--service-color: {}", service_color(i));
            view! { <li class="sl-service" style=color>{set.str(*service).to_owned()}</li> }
        })
        .collect_view();
    let errors = (trace.error_count > 0).then(|| {
        view! {
            <span class="sl-stat sl-stat--error" data-testid="error-count">
                {format::count(trace.error_count, "error", "errors")}
            </span>
        }
    });
    view! {
        <section class="sl-trace-header" aria-label="Trace">
            <h1 class="sl-trace-header__name" data-testid="trace-name">{name}</h1>
            <div class="sl-trace-header__facts">
                <code class="sl-trace-id" title="Trace id">{trace.trace_id.to_string()}</code>
                <span class="sl-stat">{format::utc_timestamp(trace.start_unix_nanos)}</span>
                <span class="sl-stat" data-testid="trace-duration">{format::duration(trace.duration_nanos())}</span>
                <span class="sl-stat" data-testid="span-count">{format::count(trace.span_count(), "span", "spans")}</span>
                {errors}
            </div>
            <ul class="sl-services">{services}</ul>
        </section>
    }
    .into_any()
}
