//! The app shell: top bar, and the loaded data or the load error.

use std::sync::Arc;

use leptos::prelude::*;
use spanloupe_core::ingest::Source;
use spanloupe_core::{IngestError, TraceSet};

use crate::demo::{DEMO_NAME, DEMO_TRACE};
use crate::view::load_error::LoadError;
use crate::view::trace_view::TraceView;

/// What the app shows: data, or why there is none.
#[derive(Clone)]
pub enum Shown {
    Data {
        set: Arc<TraceSet>,
        source_name: String,
    },
    Failed {
        source_name: String,
        error: IngestError,
    },
}

fn load_demo() -> Shown {
    let source = Source {
        name: Some(DEMO_NAME),
        content_type: Some("application/json"),
    };
    match spanloupe_core::load(DEMO_TRACE, source) {
        Ok(loaded) => Shown::Data {
            set: Arc::new(loaded.set),
            source_name: DEMO_NAME.to_owned(),
        },
        Err(error) => Shown::Failed {
            source_name: DEMO_NAME.to_owned(),
            error,
        },
    }
}

#[component]
pub fn App() -> impl IntoView {
    let shown = load_demo();
    let source_name = match &shown {
        Shown::Data { source_name, .. } | Shown::Failed { source_name, .. } => source_name.clone(),
    };
    let body = match shown {
        Shown::Data { set, .. } => view! { <TraceView set=set /> }.into_any(),
        Shown::Failed { error, source_name } => {
            view! { <LoadError source_name=source_name error=error /> }.into_any()
        }
    };
    view! {
        <div class="sl-app">
            <header class="sl-topbar">
                <span class="sl-logo">"Spanloupe"</span>
                <span class="sl-topbar__source" data-testid="source-name">{source_name}</span>
            </header>
            <main class="sl-main">{body}</main>
        </div>
    }
}
