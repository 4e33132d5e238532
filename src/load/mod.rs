//! Opening data: files (picker, drop), pasted text, `?url=`, the demo. Every
//! path reads bytes here and hands them to the ingest workers: neither the
//! page nor its views parse (the demo was loaded when the app was built).

pub mod read;
pub mod recent;
mod split;
pub mod worker;

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use spanloupe_core::genai::TraceGenAi;
use spanloupe_core::ingest::LoadedInputs;
use spanloupe_core::ingest::limits::{self, Measured};
use spanloupe_worker::js::{count, offset};

use crate::demo::{DEMO_NAME, demo_bytes, demo_genai, demo_reply};
use crate::state::{AppState, Dataset, LoadStatus, SourceError, SourceInfo};

/// An input on its way to the worker: bytes already read, or a large file
/// the worker reads itself, so the page never holds its bytes.
pub struct PendingInput {
    pub name: String,
    pub content_type: Option<String>,
    pub content: Content,
}

pub enum Content {
    Bytes(Vec<u8>),
    File(web_sys::File),
}

impl PendingInput {
    fn size(&self) -> usize {
        match &self.content {
            Content::Bytes(bytes) => bytes.len(),
            Content::File(file) => count(file.size()),
        }
    }
}

/// A file's bytes, streamed with progress.
async fn read_file(state: AppState, file: &web_sys::File) -> Result<Vec<u8>, String> {
    let name = file.name();
    let total = count(file.size());
    read::read_stream(file.stream(), total, move |done| {
        state.load.set(LoadStatus::Reading {
            name: name.clone(),
            done,
            total,
        });
    })
    .await
}

/// What the page keeps of an input while it loads: enough to list it and to
/// remember it among the recent files.
struct InputInfo {
    name: String,
    size: usize,
    /// The bytes, when they were read on the page (small inputs).
    bytes: Option<Vec<u8>>,
}

/// Shows what a load gave: the data (with the inputs that failed listed), or
/// the errors when nothing loaded. `genai`: the GenAI spans of every trace,
/// when the worker found them; else they are found here.
fn show_reply(
    state: AppState,
    inputs: Vec<InputInfo>,
    reply: LoadedInputs,
    genai: Option<Vec<TraceGenAi>>,
    purpose: Purpose,
) {
    let mut loaded = Vec::new();
    let mut failed = Vec::new();
    for (input, outcome) in inputs.into_iter().zip(reply.outcomes) {
        match outcome {
            Ok(summary) => {
                let info = SourceInfo {
                    name: input.name.clone(),
                    bytes: input.size,
                    format: format!(
                        "{}{}",
                        summary.format.label(),
                        if summary.gzipped { " (gzip)" } else { "" }
                    ),
                    spans: summary.spans,
                    logs: summary.logs,
                };
                loaded.push((input, info));
            }
            Err(error) => failed.push(SourceError {
                name: input.name,
                message: error.to_string(),
            }),
        }
    }
    match reply.set {
        Some(set) => {
            if purpose == Purpose::Open {
                for (input, info) in &loaded {
                    recent::remember(info, set.traces.len(), input.bytes.as_deref());
                }
            }
            let sources = loaded.into_iter().map(|(_, info)| info).collect();
            let genai = genai
                .filter(|genai| genai.len() == set.traces.len())
                .unwrap_or_else(|| TraceGenAi::of_each(&set))
                .into_iter()
                .map(Arc::new)
                .collect();
            crate::perf::mark(crate::perf::INDEXED);
            let dataset = Dataset {
                set,
                genai,
                sources,
                failed,
            };
            match purpose {
                Purpose::Open => state.show(dataset),
                Purpose::Refresh { scroll_top } => state.refresh(dataset, scroll_top),
            }
        }
        None if purpose == Purpose::Open => state.load.set(LoadStatus::Failed { errors: failed }),
        // A refresh that fails keeps what is shown.
        None => web_sys::console::warn_1(
            &format!("reading the trace again failed: {}", messages(&failed)).into(),
        ),
    }
}

fn messages(errors: &[SourceError]) -> String {
    errors
        .iter()
        .map(|e| format!("{}: {}", e.name, e.message))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Why data is loaded: to open it, or to show a newer version of what is
/// open (a live trace that got spans), quietly and in place.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Purpose {
    Open,
    Refresh { scroll_top: Option<f64> },
}

/// The traces a one-file report carries (`scripts/single-file.sh --trace`):
/// its loader puts them in `window.spanloupeBakedFiles` as File objects.
pub fn baked_files() -> Vec<web_sys::File> {
    let Some(window) = web_sys::window() else {
        return Vec::new();
    };
    js_sys::Reflect::get(&window, &"spanloupeBakedFiles".into())
        .ok()
        .and_then(|files| wasm_bindgen::JsCast::dyn_into::<js_sys::Array>(files).ok())
        .map(|files| {
            files
                .iter()
                .filter_map(|file| wasm_bindgen::JsCast::dyn_into::<web_sys::File>(file).ok())
                .collect()
        })
        .unwrap_or_default()
}

/// Opens the bundled demo trace.
pub fn open_demo(state: AppState) {
    let demo = InputInfo {
        name: DEMO_NAME.to_owned(),
        size: demo_bytes(),
        bytes: None,
    };
    match demo_reply() {
        Ok(reply) => show_reply(state, vec![demo], reply, demo_genai(), Purpose::Open),
        // Only a build that went wrong gets here.
        Err(error) => state.load.set(LoadStatus::Failed {
            errors: vec![SourceError {
                name: DEMO_NAME.to_owned(),
                message: error.to_string(),
            }],
        }),
    }
}

/// Opens pasted text.
pub fn open_text(state: AppState, name: &str, text: String) {
    open_bytes(state, name, text.into_bytes());
}

/// Opens bytes already in memory (pasted, or a recent file kept).
pub fn open_bytes(state: AppState, name: &str, bytes: Vec<u8>) {
    let name = name.to_owned();
    run_after_paint(state, name.clone(), Purpose::Open, async move {
        Ok(vec![PendingInput {
            name,
            content_type: None,
            content: Content::Bytes(bytes),
        }])
    });
}

/// Opens files from the picker or a drop. Large files go to the worker
/// unread; small ones are read here, to be remembered among recent files.
pub fn open_files(state: AppState, files: Vec<web_sys::File>) {
    let label = match files.as_slice() {
        [one] => one.name(),
        many => format!("{} files", many.len()),
    };
    run_after_paint(state, label, Purpose::Open, async move {
        // Refused before any is read: a file over the limit would end the
        // worker that reads it.
        let too_large: Vec<_> = files
            .iter()
            .filter_map(|file| {
                let error = limits::check(Measured::File, offset(file.size())).err()?;
                Some(SourceError {
                    name: file.name(),
                    message: error.to_string(),
                })
            })
            .collect();
        if !too_large.is_empty() {
            return Err(too_large);
        }
        let mut inputs = Vec::new();
        for file in files {
            let name = file.name();
            let content_type = Some(file.type_()).filter(|t| !t.is_empty());
            let content = if count(file.size()) <= recent::MAX_KEPT_BYTES {
                let bytes = read_file(state, &file).await.map_err(|message| {
                    vec![SourceError {
                        name: name.clone(),
                        message,
                    }]
                })?;
                Content::Bytes(bytes)
            } else {
                Content::File(file)
            };
            inputs.push(PendingInput {
                name,
                content_type,
                content,
            });
        }
        Ok(inputs)
    });
}

/// Opens what `url` answers, saying why when it cannot.
pub fn open_url(state: AppState, url: String) {
    load_url(state, UrlRequest::plain(url), Purpose::Open);
}

/// Opens several addresses into one view (`?url=…&url=…`); one that cannot
/// be read stops the load, saying which.
pub fn open_urls(state: AppState, urls: Vec<String>) {
    if let [url] = urls.as_slice() {
        open_url(state, url.clone());
        return;
    }
    let label = urls.join(", ");
    run_after_paint(state, label, Purpose::Open, async move {
        let mut inputs = Vec::new();
        let mut errors = Vec::new();
        for url in urls {
            let progress_url = url.clone();
            let read = read::fetch(&url, &[], recent::MAX_KEPT_BYTES, move |done, total| {
                state.load.set(LoadStatus::Reading {
                    name: progress_url.clone(),
                    done,
                    total,
                });
            })
            .await;
            match read {
                Ok((content, content_type)) => inputs.push(PendingInput {
                    name: url,
                    content_type,
                    content,
                }),
                Err(message) => errors.push(SourceError { name: url, message }),
            }
        }
        if errors.is_empty() {
            Ok(inputs)
        } else {
            Err(errors)
        }
    });
}

/// A GET to read data from.
pub struct UrlRequest {
    pub url: String,
    /// Headers such as `Authorization` (a collector's token, a backend's
    /// credentials): kept out of the URL, which is shown as the data's name.
    pub headers: Vec<(String, String)>,
}

impl UrlRequest {
    pub fn plain(url: String) -> Self {
        Self {
            url,
            headers: Vec::new(),
        }
    }
}

/// Reads a URL for `purpose`: a refresh shows no progress and keeps what is
/// shown when it fails.
pub fn load_url(state: AppState, request: UrlRequest, purpose: Purpose) {
    let UrlRequest { url, headers } = request;
    run_after_paint(state, url.clone(), purpose, async move {
        let progress_url = url.clone();
        let (content, content_type) = read::fetch(
            &url,
            &headers,
            recent::MAX_KEPT_BYTES,
            move |done, total| {
                if purpose == Purpose::Open {
                    state.load.set(LoadStatus::Reading {
                        name: progress_url.clone(),
                        done,
                        total,
                    });
                }
            },
        )
        .await
        .map_err(|message| {
            vec![SourceError {
                name: url.clone(),
                message,
            }]
        })?;
        Ok(vec![PendingInput {
            name: url,
            content_type,
            content,
        }])
    });
}

/// Shows "reading", runs `read`, lets the browser paint "indexing", then
/// ingests in the worker.
fn run_after_paint(
    state: AppState,
    label: String,
    purpose: Purpose,
    read: impl std::future::Future<Output = Result<Vec<PendingInput>, Vec<SourceError>>> + 'static,
) {
    // A refresh is quiet: the open trace stays on screen as it is.
    let set_status = move |status: LoadStatus| {
        if purpose == Purpose::Open || matches!(status, LoadStatus::Idle) {
            state.load.set(status);
        }
    };
    set_status(LoadStatus::Reading {
        name: label.clone(),
        done: 0,
        total: 0,
    });
    spawn_local(async move {
        let inputs = match read.await {
            Ok(inputs) => inputs,
            Err(errors) if purpose == Purpose::Open => {
                state.load.set(LoadStatus::Failed { errors });
                return;
            }
            Err(errors) => {
                web_sys::console::warn_1(
                    &format!("reading the trace again failed: {}", messages(&errors)).into(),
                );
                return;
            }
        };
        // A file handed over by reference is read in the worker, which
        // reports its progress; the rest is indexing.
        let to_read_in_worker: usize = inputs
            .iter()
            .filter(|input| matches!(input.content, Content::File(_)))
            .map(PendingInput::size)
            .sum();
        set_status(if to_read_in_worker > 0 {
            LoadStatus::Reading {
                name: label.clone(),
                done: 0,
                total: to_read_in_worker,
            }
        } else {
            LoadStatus::Indexing {
                name: label.clone(),
            }
        });
        // Parsing and indexing run in a worker so the page stays responsive
        // (and carries no parser). The worker starts at once; the status
        // above is painted while it works.
        let failed_label = label.clone();
        let on_read = move |done, total| {
            set_status(if done < total {
                LoadStatus::Reading {
                    name: label.clone(),
                    done,
                    total,
                }
            } else {
                LoadStatus::Indexing {
                    name: label.clone(),
                }
            });
        };
        match worker::load(&inputs, on_read).await {
            Ok((reply, genai)) => {
                crate::perf::mark(crate::perf::PARSED_IN_WORKER);
                // Showing the trace is a task of its own, after the decoding's.
                crate::schedule::next_task().await;
                show_reply(state, infos_of(inputs), reply, genai, purpose);
            }
            Err(worker::Failure::Failed(why)) => {
                set_status(LoadStatus::Failed {
                    errors: vec![SourceError {
                        name: failed_label,
                        message: format!("the file could not be read: {why}"),
                    }],
                });
            }
            Err(worker::Failure::Unavailable(reason)) => {
                web_sys::console::warn_1(&format!("reading on the page: {reason}").into());
                set_status(LoadStatus::Indexing {
                    name: failed_label.clone(),
                });
                crate::schedule::next_frame().await;
                let read = worker::load_on_page(&inputs).await;
                crate::perf::mark(crate::perf::PARSED_ON_PAGE);
                match read {
                    Ok((reply, genai)) => {
                        show_reply(state, infos_of(inputs), reply, genai, purpose);
                    }
                    Err(failure) => set_status(LoadStatus::Failed {
                        errors: vec![SourceError {
                            name: failed_label,
                            message: format!("the file could not be read: {}", failure.reason()),
                        }],
                    }),
                }
            }
        }
    });
}

/// What the page keeps of the inputs a load read: bytes read here (small
/// inputs, to remember among the recent files), or a file's name and size.
fn infos_of(inputs: Vec<PendingInput>) -> Vec<InputInfo> {
    inputs
        .into_iter()
        .map(|input| InputInfo {
            size: input.size(),
            name: input.name,
            bytes: match input.content {
                Content::Bytes(bytes) => Some(bytes),
                Content::File(_) => None,
            },
        })
        .collect()
}
