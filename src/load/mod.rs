//! Opening data: files (picker, drop), pasted text, `?url=`, the demo. Every
//! path reads bytes here and hands them to `spanloupe_core::ingest`: views
//! never parse.

pub mod read;
pub mod recent;
mod split;
pub mod worker;

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use spanloupe_core::genai::TraceGenAi;
use spanloupe_core::ingest::limits::{self, Measured};
use spanloupe_core::ingest::{LoadedInputs, OwnedInput, load_many};
use spanloupe_worker::js::{count, offset};

use crate::demo::{DEMO_NAME, DEMO_TRACE};
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

    /// The bytes, reading the file here (when the worker cannot).
    async fn read(self, state: AppState) -> Result<OwnedInput, SourceError> {
        let bytes = match self.content {
            Content::Bytes(bytes) => bytes,
            Content::File(file) => {
                read_file(state, &file)
                    .await
                    .map_err(|message| SourceError {
                        name: self.name.clone(),
                        message,
                    })?
            }
        };
        Ok(OwnedInput {
            name: self.name,
            content_type: self.content_type,
            bytes,
        })
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

/// Ingests `inputs` together on this thread and shows the result. For the
/// bundled demo, which is small; everything else loads in the worker.
pub fn ingest_and_show(state: AppState, inputs: Vec<OwnedInput>) {
    let reply = load_many(&inputs.iter().map(OwnedInput::as_input).collect::<Vec<_>>());
    show_reply(
        state,
        inputs.into_iter().map(InputInfo::from).collect(),
        reply,
        None,
    );
}

/// What the page keeps of an input while it loads: enough to list it and to
/// remember it among the recent files.
struct InputInfo {
    name: String,
    size: usize,
    /// The bytes, when they were read on the page (small inputs).
    bytes: Option<Vec<u8>>,
}

impl From<OwnedInput> for InputInfo {
    fn from(raw: OwnedInput) -> Self {
        InputInfo {
            name: raw.name,
            size: raw.bytes.len(),
            bytes: Some(raw.bytes),
        }
    }
}

/// Shows what a load gave: the data (with the inputs that failed listed), or
/// the errors when nothing loaded. `genai`: the GenAI spans of every trace,
/// when the worker found them; else they are found here.
fn show_reply(
    state: AppState,
    inputs: Vec<InputInfo>,
    reply: LoadedInputs,
    genai: Option<Vec<TraceGenAi>>,
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
            for (input, info) in &loaded {
                recent::remember(info, set.traces.len(), input.bytes.as_deref());
            }
            let sources = loaded.into_iter().map(|(_, info)| info).collect();
            let genai = genai
                .filter(|genai| genai.len() == set.traces.len())
                .unwrap_or_else(|| TraceGenAi::of_each(&set))
                .into_iter()
                .map(Arc::new)
                .collect();
            crate::perf::mark(crate::perf::INDEXED);
            state.show(Dataset {
                set,
                genai,
                sources,
                failed,
            });
        }
        None => state.load.set(LoadStatus::Failed { errors: failed }),
    }
}

/// Opens the bundled demo trace.
pub fn open_demo(state: AppState) {
    ingest_and_show(
        state,
        vec![OwnedInput {
            name: DEMO_NAME.to_owned(),
            content_type: Some("application/json".to_owned()),
            bytes: DEMO_TRACE.to_vec(),
        }],
    );
}

/// Opens pasted text.
pub fn open_text(state: AppState, name: &str, text: String) {
    open_bytes(state, name, text.into_bytes());
}

/// Opens bytes already in memory (pasted, or a recent file kept).
pub fn open_bytes(state: AppState, name: &str, bytes: Vec<u8>) {
    let name = name.to_owned();
    run_after_paint(state, name.clone(), async move {
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
    run_after_paint(state, label, async move {
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
    run_after_paint(state, url.clone(), async move {
        let progress_url = url.clone();
        let (content, content_type) =
            read::fetch(&url, recent::MAX_KEPT_BYTES, move |done, total| {
                state.load.set(LoadStatus::Reading {
                    name: progress_url.clone(),
                    done,
                    total,
                });
            })
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
    read: impl std::future::Future<Output = Result<Vec<PendingInput>, Vec<SourceError>>> + 'static,
) {
    state.load.set(LoadStatus::Reading {
        name: label.clone(),
        done: 0,
        total: 0,
    });
    spawn_local(async move {
        let inputs = match read.await {
            Ok(inputs) => inputs,
            Err(errors) => {
                state.load.set(LoadStatus::Failed { errors });
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
        state.load.set(if to_read_in_worker > 0 {
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
        // Parsing and indexing run in a worker so the page stays responsive;
        // where workers cannot start (a page opened from disk, a strict
        // host), on this thread. The worker starts at once; the status
        // above is painted while it works.
        let failed_label = label.clone();
        let on_read = move |done, total| {
            state.load.set(if done < total {
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
                let infos = inputs
                    .into_iter()
                    .map(|input| InputInfo {
                        size: input.size(),
                        name: input.name,
                        bytes: match input.content {
                            Content::Bytes(bytes) => Some(bytes),
                            Content::File(_) => None,
                        },
                    })
                    .collect();
                show_reply(state, infos, reply, genai);
            }
            Err(worker::Failure::Failed(why)) => {
                state.load.set(LoadStatus::Failed {
                    errors: vec![SourceError {
                        name: failed_label,
                        message: format!("the file could not be read: {why}"),
                    }],
                });
            }
            Err(worker::Failure::Unavailable(reason)) => {
                web_sys::console::warn_1(&format!("loading on the page's thread: {reason}").into());
                let mut raws = Vec::new();
                for input in inputs {
                    match input.read(state).await {
                        Ok(raw) => raws.push(raw),
                        Err(error) => {
                            state.load.set(LoadStatus::Failed {
                                errors: vec![error],
                            });
                            return;
                        }
                    }
                }
                state.load.set(LoadStatus::Indexing {
                    name: label_of(&raws),
                });
                crate::schedule::next_frame().await;
                crate::perf::mark(crate::perf::PARSED_ON_PAGE);
                ingest_and_show(state, raws);
            }
        }
    });
}

fn label_of(raws: &[OwnedInput]) -> String {
    match raws {
        [one] => one.name.clone(),
        many => format!("{} files", many.len()),
    }
}
