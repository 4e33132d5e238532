//! The Raw tab: the span as OTLP JSON, built only when the tab is first
//! opened: a span with a 10 MB prompt must not cost anything until asked for.

use std::sync::Arc;

use leptos::prelude::*;
use spanloupe_core::export::otlp_json::span_json;
use spanloupe_core::model::SpanIdx;

use crate::state::Dataset;
use crate::view::copy::CopyButton;

/// Characters shown; "Copy JSON" copies everything.
const MAX_SHOWN_CHARS: usize = 200_000;

#[component]
pub fn RawTab(data: Arc<Dataset>, span: SpanIdx) -> impl IntoView {
    let json = serde_json::to_string_pretty(&span_json(&data.set, span)).unwrap_or_default();
    let shown: String = json.chars().take(MAX_SHOWN_CHARS).collect();
    let cut = (shown.len() < json.len()).then(|| {
        view! { <p class="sl-muted">{format!("First {MAX_SHOWN_CHARS} characters shown; copy for all.")}</p> }
    });
    view! {
        <div class="sl-raw">
            <CopyButton text=json label="Copy JSON" />
            {cut}
            <pre class="sl-mono" data-testid="raw-json">{shown}</pre>
        </div>
    }
}
