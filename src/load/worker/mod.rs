//! Loading in Web Workers, so a 100 MB file never freezes the page. This is
//! the page's side ([`load`]): it takes a started worker (`pool`), posts the
//! request (bytes transferred, not copied; large files by reference, read in
//! the worker), and decodes the reply part by part as it arrives
//! (`arrival`). A large file is read by several workers at once, the page
//! relaying the others' replies to the first (`relay`). The messages are
//! `spanloupe_worker::protocol`.
//!
//! A worker serves one load and is ended: its memory (the parse's peak) is
//! returned to the browser at once. Spares are started ahead of time (once
//! the app has shown its first screen, and after each load), so a load
//! never waits for a worker to start.

mod arrival;
mod assets;
mod on_page;
mod pool;
mod relay;

pub use on_page::load as load_on_page;
pub use pool::{prepare, prepare_when_quiet, watch_input};

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Uint8Array;
use spanloupe_core::genai::TraceGenAi;
use spanloupe_core::ingest::LoadedInputs;
use spanloupe_core::ingest::split::{Layout, Part};
use spanloupe_worker::js::{self, describe};
use spanloupe_worker::protocol::{
    FilePart, InputContent, Request, RequestInput, Timings, ToWorker, WorkerError,
};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

use super::{Content, PendingInput};
use arrival::{Arrival, Arrived, next_answer};
use relay::{Relay, collect_part};

/// A worker's answer: the reply, and the GenAI spans of every trace when
/// the worker sent them.
pub type Loaded = (LoadedInputs, Option<Vec<TraceGenAi>>);

/// Why the workers gave no reply.
#[derive(Debug)]
pub enum Failure {
    /// No worker could start (a page opened from disk, a host that forbids
    /// workers) or take the input.
    Unavailable(String),
    /// A worker took the input and failed on it: it said why, or it died
    /// (out of memory, a stack overflow, a panic).
    Failed(WorkerError),
}

impl Failure {
    /// Why, as the user reads it.
    pub fn reason(&self) -> String {
        match self {
            Failure::Unavailable(reason) => format!(
                "this browser would not start the reader Spanloupe reads files in ({reason}); \
                 open Spanloupe from a web server (http or https)"
            ),
            Failure::Failed(error) => error.to_string(),
        }
    }
}

/// Loads `inputs` in workers: a large file in parts, one per worker
/// (`super::split`), anything else in one. `on_read` gets (bytes read,
/// bytes to read) while the workers read the files they were handed.
pub async fn load(
    inputs: &[PendingInput],
    on_read: impl Fn(usize, usize) + 'static,
) -> Result<Loaded, Failure> {
    if let [
        input @ PendingInput {
            content: Content::File(file),
            ..
        },
    ] = inputs
        && let Some((layout, parts)) = super::split::plan(file, pool::count()).await
    {
        crate::perf::mark(crate::perf::PLANNED);
        return load_parts(input, file, &layout, &parts, on_read).await;
    }
    let worker = pool::take().await.map_err(Failure::Unavailable)?;
    let arrival = Rc::new(RefCell::new(Arrival::default()));
    let answer = JsFuture::from(next_answer(&worker, on_read, arrival.clone()));
    let request = ToWorker::Request(Request {
        inputs: inputs.iter().map(request_input).collect(),
        file_part: None,
        join: 0,
    })
    .encode();
    if let Err(err) = worker.post_message_with_transfer(&request.message, &request.transfer) {
        worker.terminate();
        pool::prepare_when_quiet();
        return Err(Failure::Unavailable(describe(&err)));
    }
    let answer = answer.await;
    pool::retire(vec![worker]);
    finish(answer, arrival, Vec::new())
}

/// An input as the worker gets it: its bytes (copied out of WASM memory,
/// then transferred), or its file, which the worker reads.
fn request_input(pending: &PendingInput) -> RequestInput {
    RequestInput {
        name: pending.name.clone(),
        content_type: pending.content_type.clone(),
        content: match &pending.content {
            Content::Bytes(bytes) => InputContent::Bytes(Uint8Array::from(bytes.as_slice())),
            Content::File(file) => InputContent::File(file.clone().into()),
        },
    }
}

/// Loads one large file in `parts`, a worker each: each reads and parses
/// its part; the page passes the others' replies to the first, which joins
/// them, indexes, and answers as for a whole load.
async fn load_parts(
    input: &PendingInput,
    file: &web_sys::File,
    layout: &Layout,
    parts: &[Part],
    on_read: impl Fn(usize, usize) + 'static,
) -> Result<Loaded, Failure> {
    let mut workers = Vec::new();
    for _ in parts {
        match pool::take().await {
            Ok(worker) => workers.push(worker),
            Err(err) => {
                workers.iter().for_each(web_sys::Worker::terminate);
                return Err(Failure::Unavailable(err));
            }
        }
    }
    // Each worker reports what it has read of its part; the page shows the
    // sum.
    let read = Rc::new(RefCell::new(vec![0; parts.len()]));
    let total = js::count(file.size());
    let on_read = Rc::new(on_read);
    let reporter = |index: usize| {
        let (read, on_read) = (read.clone(), on_read.clone());
        move |done: usize, _total: usize| {
            let mut read = read.borrow_mut();
            if let Some(slot) = read.get_mut(index) {
                *slot = done;
            }
            on_read(read.iter().sum(), total);
        }
    };
    let (Some(first), others) = (workers.first(), workers.get(1..).unwrap_or_default()) else {
        return Err(Failure::Unavailable("no worker".to_owned()));
    };
    let arrival = Rc::new(RefCell::new(Arrival::default()));
    let answer = JsFuture::from(next_answer(first, reporter(0), arrival.clone()));
    let relay = Rc::new(RefCell::new(Relay::new(first.clone())));
    for (index, worker) in others.iter().enumerate() {
        collect_part(worker, index + 1, reporter(index + 1), relay.clone());
    }
    crate::perf::mark(crate::perf::WORKERS_READY);
    let mut posted = Ok(());
    for (index, (worker, part)) in workers.iter().zip(parts).enumerate() {
        let first = index == 0;
        let request = ToWorker::Request(Request {
            inputs: vec![request_input(input)],
            file_part: Some(FilePart {
                part: part.clone(),
                first,
                prefix: layout.prefix(part).to_vec(),
                suffix: layout.suffix(part).to_vec(),
            }),
            join: if first { parts.len() - 1 } else { 0 },
        })
        .encode();
        posted = posted
            .and_then(|()| worker.post_message_with_transfer(&request.message, &request.transfer));
    }
    if let Err(err) = posted {
        workers.iter().for_each(web_sys::Worker::terminate);
        pool::prepare_when_quiet();
        return Err(Failure::Unavailable(describe(&err)));
    }
    let answer = answer.await;
    pool::retire(workers);
    let others = std::mem::take(&mut relay.borrow_mut().timings);
    finish(answer, arrival, others)
}

/// The reply of a load, once its worker's last message came (or the worker
/// died). The next load gets fresh workers, started once the user pauses.
fn finish(
    answer: Result<JsValue, JsValue>,
    arrival: Rc<RefCell<Arrival>>,
    other_workers: Vec<Timings>,
) -> Result<Loaded, Failure> {
    pool::prepare_when_quiet();
    answer.map_err(|reason| Failure::Failed(pool::crashed(&reason)))?;
    let Arrived {
        reply,
        genai,
        mut timings,
    } = arrival.take().finish();
    // The workers' timings, and the page's own share, for the benchmark.
    timings.other_workers = other_workers;
    crate::perf::mark_with_detail(crate::perf::REPLY_DECODED, &timings.encode());
    reply.map(|reply| (reply, genai)).map_err(Failure::Failed)
}
