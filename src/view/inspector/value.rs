//! An attribute value with its type kept: strings (long ones collapsed),
//! numbers, booleans, bytes as hex, arrays and key-value lists as trees.

use std::fmt::Write as _;
use std::sync::Arc;

use leptos::prelude::*;
use spanloupe_core::format;
use spanloupe_core::layout::attributes::rows_shown;
use spanloupe_core::model::plain_json;
use spanloupe_core::model::{StrId, Value};

use crate::state::Dataset;
use crate::view::copy::{CopyButton, CopyText};
use crate::view::show_all::{ShowAllButton, ShowMoreButton};

/// Characters of a string shown before "show all".
const COLLAPSED_CHARS: usize = 300;
/// Lines of a string shown before "show all".
const COLLAPSED_LINES: usize = 6;
/// Beyond this, even "show all" shows only the start: a 10 MB prompt must
/// not freeze the page. The copy button still copies everything.
const MAX_SHOWN_CHARS: usize = 200_000;
/// The bytes of a bytes value shown as hex, at most.
const MAX_SHOWN_BYTES: usize = 64 * 1024;

/// `code` shows strings as code (monospace, more lines before collapsing):
/// stack traces, queries.
#[component]
pub fn ValueView(
    data: Arc<Dataset>,
    value: Value,
    depth: u32,
    #[prop(default = false)] code: bool,
) -> impl IntoView {
    let set = &data.set;
    // Built when clicked: most values are never copied.
    let copy_text = {
        let data = data.clone();
        CopyText::lazy(move || match plain_json(&data.set, value) {
            serde_json::Value::String(text) => text,
            other => serde_json::to_string_pretty(&other).unwrap_or_default(),
        })
    };
    let copy = (depth == 0).then(|| view! { <CopyButton text=copy_text /> });
    let body = match value {
        Value::Empty => {
            view! { <span class="sl-value sl-value--empty">"(empty)"</span> }.into_any()
        }
        Value::Bool(b) => {
            view! { <span class="sl-value sl-value--bool">{b.to_string()}</span> }.into_any()
        }
        Value::Int(i) => {
            view! { <span class="sl-value sl-value--number">{i.to_string()}</span> }.into_any()
        }
        Value::Double(d) => {
            view! { <span class="sl-value sl-value--number">{d.to_string()}</span> }.into_any()
        }
        Value::Bytes(slice) => {
            let bytes = set.bytes(slice);
            // Like long strings: a 10 MB blob must not become 20 MB of text
            // on the page. The copy button still copies everything.
            let shown = bytes.get(..MAX_SHOWN_BYTES).unwrap_or(bytes);
            let mut hex = String::with_capacity(shown.len() * 2);
            for b in shown {
                let _ = write!(hex, "{b:02x}");
            }
            let cut = (shown.len() < bytes.len()).then(|| {
                let note = format!(
                    " (first {} of {} shown; copy for all)",
                    format::bytes(MAX_SHOWN_BYTES),
                    format::bytes(bytes.len())
                );
                view! { <span class="sl-muted">{note}</span> }
            });
            view! { <span class="sl-value sl-value--bytes sl-mono" title="bytes, as hex">{hex}</span>{cut} }.into_any()
        }
        Value::Str(id) => view! { <LongText data=data.clone() id=id code=code /> }.into_any(),
        Value::Array(slice) => {
            let data = data.clone();
            let (items, more) = paged(set.values(slice).len(), move |at| {
                let value = data
                    .set
                    .values(slice)
                    .get(at)
                    .copied()
                    .unwrap_or(Value::Empty);
                view! { <li><ValueView data=data.clone() value=value depth=depth + 1 /></li> }
                    .into_any()
            });
            view! { <ol class="sl-value sl-value--array" start="0">{items}</ol>{more} }.into_any()
        }
        Value::KvList(slice) => {
            let data = data.clone();
            let (items, more) = paged(set.attributes(slice).len(), move |at| {
                let Some(entry) = data.set.attributes(slice).get(at).copied() else {
                    return ().into_any();
                };
                let key = data.set.str(entry.key).to_owned();
                view! {
                    <li>
                        <span class="sl-mono sl-value__key">{key}</span>
                        <ValueView data=data.clone() value=entry.value depth=depth + 1 />
                    </li>
                }
                .into_any()
            });
            view! { <ul class="sl-value sl-value--map">{items}</ul>{more} }.into_any()
        }
    };
    view! { <div class="sl-value-cell">{body}{copy}</div> }
}

/// The items `0..total` of a list drawn by `item`, a page at a time, and
/// the button that adds a page: an array may hold a million values.
fn paged(
    total: usize,
    item: impl Fn(usize) -> AnyView + Send + Sync + 'static,
) -> (impl IntoView, impl IntoView) {
    let pages = RwSignal::new(1);
    let shown = Signal::derive(move || rows_shown(total, pages.get()));
    let items = move || (0..shown.get()).map(&item).collect_view();
    let more =
        view! { <ShowMoreButton pages=pages shown=shown total=Signal::derive(move || total) /> };
    (items, more)
}

/// A string, collapsed to its start when long. It is read from the data
/// set when shown, never copied whole: a 10 MB prompt shows its first lines.
#[component]
fn LongText(data: Arc<Dataset>, id: StrId, code: bool) -> impl IntoView {
    let class = if code {
        "sl-value sl-value--string sl-value--code"
    } else {
        "sl-value sl-value--string"
    };
    let (max_chars, max_lines) = if code {
        (COLLAPSED_CHARS * 10, COLLAPSED_LINES * 6)
    } else {
        (COLLAPSED_CHARS, COLLAPSED_LINES)
    };
    let text = data.set.str(id);
    let short =
        text.char_indices().nth(max_chars).is_none() && text.lines().nth(max_lines).is_none();
    if short {
        return view! { <span class=class>{text.to_owned()}</span> }.into_any();
    }
    let chars = text.chars().count();
    let expanded = RwSignal::new(false);
    let head = format::head(text, max_chars, max_lines).to_owned();
    let cut = chars > MAX_SHOWN_CHARS;
    let shown = move || {
        if expanded.get() {
            data.set.str(id).chars().take(MAX_SHOWN_CHARS).collect()
        } else {
            format!("{head}…")
        }
    };
    view! {
        <div class="sl-long">
            <span class=class>{shown}</span>
            {move || (expanded.get() && cut).then(|| view! {
                <span class="sl-muted">{format!(" (first {MAX_SHOWN_CHARS} characters shown; copy for all)")}</span>
            })}
            <ShowAllButton expanded=expanded chars=chars />
        </div>
    }
    .into_any()
}
