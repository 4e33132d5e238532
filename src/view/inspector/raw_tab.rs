//! The Raw tab: the span as OTLP JSON, built only when the tab is first
//! opened. Long values show their start and their length: a span with a
//! 10 MB prompt costs what a small one does until "Copy JSON" asks for all.

use std::sync::Arc;

use leptos::prelude::*;
use spanloupe_core::export::otlp_json::{span_json, span_json_cut};
use spanloupe_core::model::SpanIdx;

use crate::state::Dataset;
use crate::view::copy::{CopyButton, CopyText};

/// Characters of one string value shown; the copy has them all.
const MAX_VALUE_CHARS: usize = 10_000;
/// Characters of the whole JSON shown (a span with thousands of values).
const MAX_SHOWN_CHARS: usize = 200_000;

#[component]
pub fn RawTab(data: Arc<Dataset>, span: SpanIdx) -> impl IntoView {
    let json = serde_json::to_string_pretty(&span_json_cut(&data.set, span, MAX_VALUE_CHARS))
        .unwrap_or_default();
    let shown: String = json.chars().take(MAX_SHOWN_CHARS).collect();
    let cut = (shown.len() < json.len()).then(|| {
        view! { <p class="sl-muted">{format!("First {MAX_SHOWN_CHARS} characters shown; copy for all.")}</p> }
    });
    let copy = CopyText::lazy(move || {
        serde_json::to_string_pretty(&span_json(&data.set, span)).unwrap_or_default()
    });
    view! {
        <div class="sl-raw">
            <CopyButton text=copy label="Copy JSON" />
            {cut}
            <pre class="sl-mono" data-testid="raw-json">{shown}</pre>
        </div>
    }
}
