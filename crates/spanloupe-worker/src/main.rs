//! The ingest worker. Trunk builds it as a Web Worker (`index.html`,
//! `data-type="worker"`, the `worker` profile); the page starts one for each
//! load (`src/load/worker/`), or several for a large file, each reading a
//! part of it (`parts.rs`), posts the request, and gets the model back.
//!
//! It answers each request with the loaded model, encoded in parts
//! (`spanloupe_core::transfer`), each posted as soon as it is written and
//! transferred, not copied. The messages are `spanloupe_worker::protocol`.

mod inbox;
mod on_page;
mod parts;
mod read;
mod warm_up;

use js_sys::Uint8Array;
use spanloupe_core::TraceSet;
use spanloupe_core::genai::TraceGenAi;
use spanloupe_core::ingest::limits::{self, Measured};
use spanloupe_core::ingest::split::PartLoad;
use spanloupe_core::ingest::{LoadedInputs, OwnedInput, load_many};
use spanloupe_core::transfer;
use spanloupe_worker::js::{count, describe, offset};
use spanloupe_worker::protocol::{
    Clock, FromWorker, InputContent, ProtocolError, Request, RequestInput, Timings, ToWorker,
    WorkerError,
};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

use read::{ReadProgress, read_file};

fn main() {
    std::panic::set_hook(Box::new(tell_the_page_of_a_panic));
    if in_worker() {
        serve();
    } else {
        on_page::offer();
    }
}

/// Whether this module runs in a worker, or in the page that could not
/// start one (`on_page`).
fn in_worker() -> bool {
    js_sys::global().has_type::<web_sys::DedicatedWorkerGlobalScope>()
}

/// Logs a panic and tells the page why this worker is about to stop: the
/// page's error event would only say "unreachable". The page shows the load
/// as failed and never reads the same input on its own thread.
fn tell_the_page_of_a_panic(info: &std::panic::PanicHookInfo<'_>) {
    console_error_panic_hook::hook(info);
    let _ = post(FromWorker::Done {
        outcome: Err(WorkerError::Panicked(info.to_string())),
        timings: Box::default(),
    });
}

/// Posts a message to the page, its buffers transferred. On the page itself
/// there is no one to post to: the reply is returned instead (`on_page`).
pub fn post(message: FromWorker) -> Result<(), WorkerError> {
    let Ok(scope) = js_sys::global().dyn_into::<web_sys::DedicatedWorkerGlobalScope>() else {
        return Ok(());
    };
    let encoded = message.encode();
    scope
        .post_message_with_transfer(&encoded.message, &encoded.transfer)
        .map_err(|err| WorkerError::Unposted(describe(&err)))
}

/// Warms up, listens for requests, then tells the page it does: messages
/// posted before the module has started would be lost.
fn serve() {
    warm_up::warm_up();
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let on_message =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(|event: web_sys::MessageEvent| {
            match ToWorker::decode(&event.data()) {
                Ok(ToWorker::Request(request)) => {
                    wasm_bindgen_futures::spawn_local(answer(request));
                }
                // Another part of the file, for the load under way.
                Ok(ToWorker::Joined(parts)) => inbox::deliver(parts),
                Err(error) => finish(Err(error.into()), Timings::default()),
            }
        });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    if let Err(err) = post(FromWorker::Ready) {
        web_sys::console::error_1(&err.to_string().into());
    }
}

/// What a request is answered with: a load, or one part of a file for the
/// worker that joins the parts.
pub enum Answer {
    Load(LoadedInputs),
    Part(PartLoad),
}

/// Loads a request's inputs and posts the encoded reply part by part, each
/// as soon as it is written, then `done` (or the error).
async fn answer(request: Request) {
    let mut timings = Timings::default();
    let outcome = match load_request(request, &mut timings).await {
        Ok(answer) => {
            let mut clock = Clock::start();
            match answer {
                Answer::Load(reply) => {
                    let sent = transfer::encode_each(&reply, post_part);
                    timings.encode_ms = Some(clock.lap());
                    // While the page decodes the parts.
                    let genai = sent.and_then(|()| post_genai(reply.set.as_ref()));
                    timings.genai_ms = Some(clock.lap());
                    genai
                }
                Answer::Part(reply) => {
                    let sent = transfer::encode_each(&reply, post_part);
                    timings.encode_ms = Some(clock.lap());
                    sent
                }
            }
        }
        Err(error) => Err(error),
    };
    finish(outcome, timings);
}

/// Tells the page the load is over.
fn finish(outcome: Result<(), WorkerError>, timings: Timings) {
    let timings = Box::new(timings);
    if let Err(err) = post(FromWorker::Done { outcome, timings }) {
        web_sys::console::error_1(&err.to_string().into());
    }
}

/// Posts one part of the reply.
fn post_part(part: Vec<u8>) -> Result<(), WorkerError> {
    post(FromWorker::Part(Uint8Array::from(part.as_slice())))
}

/// Finds the GenAI spans of every trace and posts them.
fn post_genai(data: Option<&TraceSet>) -> Result<(), WorkerError> {
    let Some(data) = data else {
        return Ok(());
    };
    let mut genai = TraceGenAi::of_each(data);
    // The price table is read only for data with model calls.
    let calls = genai
        .iter()
        .any(|trace| trace.spans().iter().any(|span| span.kind.is_model_call()));
    if calls {
        spanloupe_core::genai::cost::price_each(
            data,
            &mut genai,
            spanloupe_core::genai::cost::bundled(),
        );
    }
    let bytes = transfer::encode_genai(&genai)?;
    post(FromWorker::GenAi(Uint8Array::from(bytes.as_slice())))
}

/// Reads and loads a request, noting in `timings` how long each step took:
/// its inputs whole, or the part of a file it names.
async fn load_request(request: Request, timings: &mut Timings) -> Result<Answer, WorkerError> {
    let Request {
        mut inputs,
        file_part,
        join,
    } = request;
    match (file_part, inputs.pop()) {
        (Some(file_part), Some(input)) if inputs.is_empty() => {
            parts::load(input, file_part, join, timings).await
        }
        (None, last) => {
            inputs.extend(last);
            load_whole(inputs, timings).await.map(Answer::Load)
        }
        (Some(_), _) => Err(ProtocolError::missing("file part's request", "its one input").into()),
    }
}

/// Reads every input whole and loads them together.
pub async fn load_whole(
    inputs: Vec<RequestInput>,
    timings: &mut Timings,
) -> Result<LoadedInputs, WorkerError> {
    let mut clock = Clock::start();
    let total = inputs
        .iter()
        .filter_map(|input| match &input.content {
            InputContent::File(file) => Some(count(file.size())),
            InputContent::Bytes(_) => None,
        })
        .sum();
    let progress = ReadProgress::new(total);
    let mut owned = Vec::new();
    for input in inputs {
        let bytes = match input.content {
            InputContent::Bytes(bytes) => bytes.to_vec(),
            InputContent::File(file) => {
                limits::check(Measured::File, offset(file.size())).map_err(|error| {
                    WorkerError::Refused {
                        input: input.name.clone(),
                        error,
                    }
                })?;
                let bytes = read_file(&file, |done| progress.report(done))
                    .await
                    .map_err(|err| WorkerError::Unreadable {
                        input: input.name.clone(),
                        reason: describe(&err),
                    })?;
                progress.finish_file(bytes.len());
                bytes
            }
        };
        owned.push(OwnedInput {
            name: input.name,
            content_type: input.content_type,
            bytes,
        });
    }
    timings.read_ms = Some(clock.lap());
    let inputs: Vec<_> = owned.iter().map(OwnedInput::as_input).collect();
    let reply = load_many(&inputs);
    drop(inputs);
    drop(owned);
    timings.load_ms = Some(clock.lap());
    Ok(reply)
}
