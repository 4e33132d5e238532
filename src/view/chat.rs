//! Chat bubbles for GenAI messages, shared by the inspector's Messages tab
//! and the trace's Conversation view: role-styled bubbles, Markdown rendered
//! safely, tool calls linked to their results and to the spans that ran them,
//! reasoning folded, media as chips, long texts collapsed.

use std::sync::Arc;

use leptos::prelude::*;
use serde_json::Value as Json;
use spanloupe_core::format;
use spanloupe_core::genai::markdown::to_safe_html;
use spanloupe_core::genai::media::{ImageSource, image_source, web_host};
use spanloupe_core::genai::{LlmCall, Message, Part, TraceGenAi};
use spanloupe_core::model::SpanIdx;
use wasm_bindgen::JsCast;

use crate::state::{Dataset, use_app_state};
use crate::view::copy::{CopyButton, CopyText};
use crate::view::show_all::ShowAllButton;

/// Texts longer than this are collapsed to their start.
const COLLAPSE_CHARS: usize = 1_500;
const COLLAPSE_LINES: usize = 24;
/// Markdown is rendered for at most this many characters: a 10 MB prompt
/// must not freeze the page. Copy gives the whole text.
const MAX_RENDERED_CHARS: usize = 100_000;

/// The GenAI index of the open trace, provided by the trace page.
#[derive(Clone)]
pub struct GenAiIndex(pub Arc<TraceGenAi>);

/// What rendered messages link to: the tool spans of the trace, and the tool
/// calls and results shown in the same view (to jump between them).
#[derive(Clone)]
pub struct ChatLinks {
    data: Arc<Dataset>,
    genai: Option<Arc<TraceGenAi>>,
    call_ids: Vec<String>,
    result_ids: Vec<String>,
}

impl ChatLinks {
    /// Links for a view that shows these calls' messages.
    pub fn new<'a>(data: Arc<Dataset>, calls: impl IntoIterator<Item = &'a LlmCall>) -> Self {
        let genai = use_context::<GenAiIndex>().map(|g| g.0);
        let mut links = ChatLinks {
            data,
            genai,
            call_ids: Vec::new(),
            result_ids: Vec::new(),
        };
        links.add(calls);
        links
    }

    /// Adds the tool calls and results of more calls shown in the view.
    pub fn add<'a>(&mut self, calls: impl IntoIterator<Item = &'a LlmCall>) {
        for call in calls {
            for part in call.input.iter().chain(&call.output).flat_map(|m| &m.parts) {
                match part {
                    Part::ToolCall { id: Some(id), .. } => self.call_ids.push(id.trim().to_owned()),
                    Part::ToolResult { id: Some(id), .. } => {
                        self.result_ids.push(id.trim().to_owned());
                    }
                    _ => {}
                }
            }
        }
    }

    fn tool_span(&self, call_id: &str) -> Option<SpanIdx> {
        self.genai.as_ref()?.tool_span_for(&self.data.set, call_id)
    }
}

/// One message as a bubble; `new` marks it as new since the previous call.
pub fn message_view(message: &Message, links: &ChatLinks, new: bool) -> impl IntoView + use<> {
    let role = message.role.label();
    let label = if message.role_raw.is_empty() || message.role_raw == role {
        role.to_owned()
    } else {
        format!("{role} ({})", message.role_raw)
    };
    let name = message
        .name
        .clone()
        .map(|name| view! { <span class="sl-bubble__name">{name}</span> });
    let finish = message
        .finish_reason
        .as_ref()
        .map(|f| view! { <span class="sl-badge" title="Finish reason">{f.raw.clone()}</span> });
    let new_badge = new.then(|| {
        view! { <span class="sl-badge sl-badge--new" title="Not sent in the previous call">"new"</span> }
    });
    let parts = message
        .parts
        .iter()
        .map(|part| part_view(part, links))
        .collect_view();
    let class = format!("sl-bubble sl-bubble--{role}");
    view! {
        <article class=class data-role=role data-new=new.to_string()>
            <header class="sl-bubble__head">
                <span class="sl-bubble__role">{label}</span>
                {name}
                {finish}
                {new_badge}
            </header>
            {parts}
        </article>
    }
}

pub fn part_view(part: &Part, links: &ChatLinks) -> AnyView {
    match part {
        Part::Text(text) => long_markdown(text),
        Part::Reasoning(text) => view! {
            <details class="sl-reasoning">
                <summary>"Reasoning"</summary>
                {long_markdown(text)}
            </details>
        }
        .into_any(),
        Part::Refusal(text) => {
            view! { <p class="sl-refusal">{format!("Refused: {text}")}</p> }.into_any()
        }
        Part::ToolCall {
            id,
            name,
            arguments,
            arguments_raw,
            server_side,
        } => {
            let body = match (arguments, arguments_raw) {
                (Some(json), _) => pretty(json),
                (None, Some(raw)) => raw.clone(),
                (None, None) => String::new(),
            };
            let title = format!(
                "{}{name}",
                if *server_side {
                    "Server tool call: "
                } else {
                    "Tool call: "
                }
            );
            let id = id.as_deref().map(str::trim).unwrap_or_default().to_owned();
            let to_result = (!id.is_empty() && links.result_ids.contains(&id)).then(|| {
                jump_button(
                    ".sl-tool--result",
                    id.clone(),
                    "result ↓",
                    "Show the result of this call",
                )
            });
            let span = (!id.is_empty())
                .then(|| links.tool_span(&id))
                .flatten()
                .map(select_span_button);
            view! {
                <div class="sl-tool sl-tool--call" data-tool-call-id=id.clone()>
                    <div class="sl-tool__head">
                        <strong>{title}</strong>
                        <code class="sl-muted">{id.clone()}</code>
                        {to_result}
                        {span}
                    </div>
                    <pre class="sl-mono">{body}</pre>
                </div>
            }
            .into_any()
        }
        Part::ToolResult {
            id,
            name,
            content,
            is_error,
        } => {
            let body = match content {
                Json::String(text) => spanloupe_core::genai::parse_embedded(text)
                    .map_or_else(|| text.clone(), |j| pretty(&j)),
                other => pretty(other),
            };
            let title = match (name, is_error) {
                (Some(name), false) => format!("Tool result: {name}"),
                (Some(name), true) => format!("Tool error: {name}"),
                (None, false) => "Tool result".to_owned(),
                (None, true) => "Tool error".to_owned(),
            };
            let id = id.as_deref().map(str::trim).unwrap_or_default().to_owned();
            let to_call = (!id.is_empty() && links.call_ids.contains(&id)).then(|| {
                jump_button(
                    ".sl-tool--call",
                    id.clone(),
                    "call ↑",
                    "Show the call this answers",
                )
            });
            view! {
                <div class="sl-tool sl-tool--result" class:sl-tool--error=*is_error data-tool-call-id=id.clone()>
                    <div class="sl-tool__head">
                        <strong>{title}</strong>
                        <code class="sl-muted">{id.clone()}</code>
                        {to_call}
                    </div>
                    <pre class="sl-mono">{body}</pre>
                </div>
            }
            .into_any()
        }
        Part::Media {
            modality,
            mime_type,
            uri,
            data_base64,
            file_id,
        } => media_view(
            modality,
            mime_type.as_deref(),
            uri.as_deref(),
            data_base64.as_deref(),
            file_id.as_deref(),
        ),
        Part::Unknown(raw) => view! {
            <div class="sl-tool">
                <div class="sl-tool__head sl-muted">"Part of an unknown type"</div>
                <pre class="sl-mono">{pretty(raw)}</pre>
            </div>
        }
        .into_any(),
    }
}

fn media_view(
    modality: &str,
    mime_type: Option<&str>,
    uri: Option<&str>,
    data_base64: Option<&str>,
    file_id: Option<&str>,
) -> AnyView {
    let label = [Some(modality), mime_type, file_id]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ");
    let size = data_base64.map(|data| format!("{} of data", format::bytes(data.len() / 4 * 3)));
    let image = (modality == "image")
        .then(|| image_source(mime_type, uri, data_base64))
        .flatten()
        .map(|source| {
            let src = match source {
                ImageSource::Remote(address) => {
                    return view! { <RemoteImage address=address /> }.into_any();
                }
                ImageSource::Address(address) => address,
                ImageSource::Bytes { mime_type, bytes } => blob_address(mime_type, &bytes),
            };
            view! { <img class="sl-media__preview" src=src alt="image from the message" loading="lazy" /> }
                .into_any()
        });
    let link = uri
        .filter(|u| !u.starts_with("data:"))
        .map(|u| view! { <code class="sl-muted">{u.to_owned()}</code> });
    view! {
        <div class="sl-media">
            <span class="sl-chip">{label}</span>
            {size.map(|s| view! { <span class="sl-muted">{s}</span> })}
            {link}
            {image}
        </div>
    }
    .into_any()
}

/// An image on the web, shown once the user asks: loading it tells its host
/// that the trace is being read, and a prompt-injected answer can put
/// anything from the conversation into its address.
#[component]
fn RemoteImage(address: String) -> impl IntoView {
    let shown = RwSignal::new(false);
    let host = web_host(&address).unwrap_or_default().to_owned();
    move || {
        if shown.get() {
            view! {
                <img class="sl-media__preview" src=address.clone() alt=format!("image from {host}") referrerpolicy="no-referrer" />
            }
            .into_any()
        } else {
            view! {
                <button type="button" class="sl-remote-image" title=format!("Loading it tells {host} that this is being read")
                    on:click=move |_| shown.set(true)>
                    {format!("Image from {host} (click to load)")}
                </button>
            }
            .into_any()
        }
    }
}

/// Loads the remote image of rendered Markdown whose placeholder was clicked
/// (`genai::markdown` writes the placeholders): its host is reached only
/// when the user asks.
fn load_clicked_remote_image(event: web_sys::MouseEvent) {
    let placeholder = event
        .target()
        .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
        .and_then(|element| element.closest("[data-remote-src]").ok().flatten());
    let Some(placeholder) = placeholder else {
        return;
    };
    // Only a web address, whatever else the attribute may hold.
    let Some(address) = placeholder
        .get_attribute("data-remote-src")
        .filter(|address| web_host(address).is_some())
    else {
        return;
    };
    let Some(document) = web_sys::window().and_then(|window| window.document()) else {
        return;
    };
    let Ok(image) = document.create_element("img") else {
        return;
    };
    let _ = image.set_attribute("src", &address);
    let _ = image.set_attribute("alt", &placeholder.text_content().unwrap_or_default());
    let _ = image.set_attribute("referrerpolicy", "no-referrer");
    let _ = placeholder.replace_with_with_node_1(&image);
}

/// A `blob:` address of the bytes, given up when the view that shows it
/// goes; empty (no picture) if the browser refuses.
fn blob_address(mime_type: &str, bytes: &[u8]) -> String {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime_type);
    let address = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)
        .and_then(|blob| web_sys::Url::create_object_url_with_blob(&blob))
        .unwrap_or_default();
    if !address.is_empty() {
        let kept = address.clone();
        on_cleanup(move || {
            let _ = web_sys::Url::revoke_object_url(&kept);
        });
    }
    address
}

/// Markdown, collapsed to its start when long; beyond `MAX_RENDERED_CHARS`
/// only the start is rendered at all. Collapsed, only the head that fills
/// the clipped box is rendered: laying out 100,000 characters nobody sees
/// was most of a long prompt's selection.
fn long_markdown(text: &str) -> AnyView {
    let short = text.char_indices().nth(COLLAPSE_CHARS).is_none()
        && text.lines().nth(COLLAPSE_LINES).is_none();
    if short {
        return view! { <div class="sl-markdown" inner_html=to_safe_html(text) on:click=load_clicked_remote_image></div> }.into_any();
    }
    let chars = text.chars().count();
    let rendered = match text.char_indices().nth(MAX_RENDERED_CHARS) {
        Some((cut, _)) => &text[..cut],
        None => text,
    };
    // Twice what the box shows, so no cut is in sight: a cut inside a
    // code fence or a list renders as the whole would, up to the cut.
    let head_html = to_safe_html(format::head(
        rendered,
        COLLAPSE_CHARS * 2,
        COLLAPSE_LINES * 2,
    ));
    let rendered = Arc::new(rendered.to_owned());
    let expanded = RwSignal::new(false);
    let html = move || {
        if expanded.get() {
            to_safe_html(&rendered)
        } else {
            head_html.clone()
        }
    };
    // Only a cut text offers the whole of it, copied when clicked.
    let full = (chars > MAX_RENDERED_CHARS).then(|| CopyText::from(text.to_owned()));
    let cut = move || {
        expanded.get().then(|| full.clone()).flatten().map(|full| {
            view! {
                <p class="sl-muted">
                    {format!("The first {} are shown. ", format::count(MAX_RENDERED_CHARS, "character", "characters"))}
                    <CopyButton text=full label="Copy all" />
                </p>
            }
        })
    };
    view! {
        <div class="sl-long-markdown">
            <div class="sl-markdown sl-markdown--clipped" class:sl-markdown--expanded=move || expanded.get() inner_html=html on:click=load_clicked_remote_image></div>
            {cut}
            <ShowAllButton expanded=expanded chars=chars />
        </div>
    }
    .into_any()
}

/// A button that scrolls to the tool call or result with the same id in the
/// same view, and flashes it.
fn jump_button(
    target: &'static str,
    id: String,
    label: &'static str,
    title: &'static str,
) -> impl IntoView {
    view! {
        <button class="sl-link sl-tool__jump" title=title on:click=move |ev| {
            let scope = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|e| e.closest(".sl-chat-scope").ok().flatten());
            let Some(scope) = scope else { return };
            let Ok(candidates) = scope.query_selector_all(target) else { return };
            let found = (0..candidates.length())
                .filter_map(|i| candidates.item(i))
                .filter_map(|node| node.dyn_into::<web_sys::Element>().ok())
                .find(|element| element.get_attribute("data-tool-call-id").as_deref() == Some(id.as_str()));
            if let Some(element) = found {
                element.scroll_into_view();
                // Restart the flash animation: remove, force a style flush, add.
                let classes = element.class_list();
                let _ = classes.remove_1("sl-flash");
                let _ = element.get_bounding_client_rect();
                let _ = classes.add_1("sl-flash");
            }
        }>{label}</button>
    }
}

/// A button that selects a span (opening it in the inspector).
fn select_span_button(span: SpanIdx) -> impl IntoView {
    let state = use_app_state();
    view! {
        <button class="sl-link sl-tool__jump" title="Select the span that ran this tool" data-testid="go-to-tool-span"
            on:click=move |_| state.select(Some(span))>"tool span →"</button>
    }
}

pub fn pretty(json: &Json) -> String {
    serde_json::to_string_pretty(json).unwrap_or_default()
}
