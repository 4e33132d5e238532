//! What the user sees when an input cannot be loaded: the cause and where.

use leptos::prelude::*;
use spanloupe_core::IngestError;

#[component]
pub fn LoadError(source_name: String, error: IngestError) -> impl IntoView {
    view! {
        <section class="sl-load-error" role="alert">
            <h1>{format!("Could not open {source_name}")}</h1>
            <p data-testid="load-error">{error.to_string()}</p>
        </section>
    }
}
