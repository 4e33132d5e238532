//! What the user sees when inputs cannot be loaded: each input's cause and
//! where in the file.

use leptos::prelude::*;

use crate::state::SourceError;

#[component]
pub fn LoadErrors(errors: Vec<SourceError>) -> impl IntoView {
    let items = errors
        .into_iter()
        .map(|error| {
            view! {
                <li>
                    <h1>{format!("Could not open {}", error.name)}</h1>
                    <p data-testid="load-error">{error.message}</p>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="sl-load-error" role="alert">{items}</ul> }
}
