//! Opening data: files (picker, drop), pasted text, `?url=`, the demo. Every
//! path reads bytes here and hands them to `spanloupe_core::ingest`: views
//! never parse.

pub mod read;
pub mod recent;
pub mod worker;

use leptos::prelude::*;
use leptos::task::spawn_local;
use spanloupe_core::ingest::transfer::{LoadReply, load_reply};
use spanloupe_core::ingest::{Input, Source};

use crate::demo::{DEMO_NAME, DEMO_TRACE};
use crate::state::{AppState, Dataset, LoadStatus, SourceError, SourceInfo};

/// Bytes read from somewhere, waiting to be ingested.
pub struct RawInput {
    pub name: String,
    pub content_type: Option<String>,
    pub bytes: Vec<u8>,
}

/// Ingests `inputs` together on this thread and shows the result. For the
/// bundled demo, which is small; everything else loads in the worker.
pub fn ingest_and_show(state: AppState, inputs: Vec<RawInput>) {
    let reply = load_reply(&as_inputs(&inputs));
    show_reply(state, &inputs, reply);
}

fn as_inputs(inputs: &[RawInput]) -> Vec<Input<'_>> {
    inputs
        .iter()
        .map(|raw| Input {
            bytes: &raw.bytes,
            source: Source {
                name: Some(&raw.name),
                content_type: raw.content_type.as_deref(),
            },
        })
        .collect()
}

/// Shows what a load gave: the data (with the inputs that failed listed), or
/// the errors when nothing loaded.
fn show_reply(state: AppState, inputs: &[RawInput], reply: LoadReply) {
    let mut loaded = Vec::new();
    let mut failed = Vec::new();
    for (raw, outcome) in inputs.iter().zip(reply.outcomes) {
        match outcome {
            Ok(summary) => loaded.push((
                raw,
                SourceInfo {
                    name: raw.name.clone(),
                    bytes: raw.bytes.len(),
                    format: format!(
                        "{}{}",
                        summary.format.label(),
                        if summary.gzipped { " (gzip)" } else { "" }
                    ),
                    spans: summary.spans,
                    logs: summary.logs,
                },
            )),
            Err(message) => failed.push(SourceError {
                name: raw.name.clone(),
                message,
            }),
        }
    }
    match reply.set {
        Some(set) => {
            for (raw, info) in &loaded {
                recent::remember(info, set.traces.len(), &raw.bytes);
            }
            let sources = loaded.into_iter().map(|(_, info)| info).collect();
            crate::perf::mark(crate::perf::INDEXED);
            state.show(Dataset {
                set,
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
        vec![RawInput {
            name: DEMO_NAME.to_owned(),
            content_type: Some("application/json".to_owned()),
            bytes: DEMO_TRACE.to_vec(),
        }],
    );
}

/// Opens pasted text.
pub fn open_text(state: AppState, name: &str, text: String) {
    let name = name.to_owned();
    run_after_paint(state, name.clone(), async move {
        Ok(vec![RawInput {
            name,
            content_type: None,
            bytes: text.into_bytes(),
        }])
    });
}

/// Opens files from the picker or a drop, streaming each with progress.
pub fn open_files(state: AppState, files: Vec<web_sys::File>) {
    let label = match files.as_slice() {
        [one] => one.name(),
        many => format!("{} files", many.len()),
    };
    run_after_paint(state, label, async move {
        let mut inputs = Vec::new();
        for file in files {
            let name = file.name();
            let total = file.size() as usize;
            let content_type = Some(file.type_()).filter(|t| !t.is_empty());
            let progress_name = name.clone();
            let bytes = read::read_stream(file.stream(), total, move |done| {
                state.load.set(LoadStatus::Reading {
                    name: progress_name.clone(),
                    done,
                    total,
                });
            })
            .await
            .map_err(|message| {
                vec![SourceError {
                    name: name.clone(),
                    message,
                }]
            })?;
            inputs.push(RawInput {
                name,
                content_type,
                bytes,
            });
        }
        Ok(inputs)
    });
}

/// Opens what `url` answers, saying why when it cannot.
pub fn open_url(state: AppState, url: String) {
    run_after_paint(state, url.clone(), async move {
        let progress_url = url.clone();
        let (bytes, content_type) = read::fetch(&url, move |done, total| {
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
        Ok(vec![RawInput {
            name: url,
            content_type,
            bytes,
        }])
    });
}

/// Shows "reading", runs `read`, lets the browser paint "indexing", then
/// ingests in the worker.
fn run_after_paint(
    state: AppState,
    label: String,
    read: impl std::future::Future<Output = Result<Vec<RawInput>, Vec<SourceError>>> + 'static,
) {
    state.load.set(LoadStatus::Reading {
        name: label.clone(),
        done: 0,
        total: 0,
    });
    spawn_local(async move {
        match read.await {
            Ok(inputs) => {
                state.load.set(LoadStatus::Indexing { name: label });
                read::next_frame().await;
                // Parsing and indexing run in a worker so the page stays
                // responsive; where workers cannot start (a page opened from
                // disk, a strict host), on this thread.
                let reply = match worker::load(&inputs).await {
                    Ok(reply) => {
                        crate::perf::mark(crate::perf::PARSED_IN_WORKER);
                        reply
                    }
                    Err(reason) => {
                        web_sys::console::warn_1(
                            &format!("loading on the page's thread: {reason}").into(),
                        );
                        read::next_frame().await;
                        crate::perf::mark(crate::perf::PARSED_ON_PAGE);
                        load_reply(&as_inputs(&inputs))
                    }
                };
                show_reply(state, &inputs, reply);
            }
            Err(errors) => state.load.set(LoadStatus::Failed { errors }),
        }
    });
}
