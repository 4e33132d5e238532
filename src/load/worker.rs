//! Loading in a Web Worker, so a 100 MB file never freezes the page. This is
//! the page's side ([`load`]): it starts `ingest_worker_loader.js` (the
//! loader Trunk emits for `crates/spanloupe-worker`), waits for it to listen,
//! posts the inputs (bytes transferred, not copied; large files by reference,
//! read in the worker), and decodes the encoded model (`ingest::transfer`)
//! part by part as the worker posts it, each part transferred too. The
//! message shapes are in `transfer::message`.
//!
//! A worker serves one load and is ended: its memory (the parse's peak) is
//! returned to the browser at once. A spare one is started ahead of time
//! (once the app has shown its first screen, and after each load), so a load
//! never waits for a worker to start.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use js_sys::{Array, Object, Uint8Array};
use spanloupe_core::genai::TraceGenAi;
use spanloupe_core::ingest::DataList;
use spanloupe_core::ingest::split::{Layout, Part};
use spanloupe_core::ingest::transfer::{LoadReply, ReplyDecoder, decode_genai, message};
use spanloupe_worker::js::{self, describe, get, number, number_of, set};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::{Content, PendingInput};

/// Relative to the page's base URL (`<base data-trunk-public-url>`).
const WORKER_URL: &str = "./ingest_worker_loader.js";

/// A started worker, and the promise of its "ready" message.
struct Started {
    worker: web_sys::Worker,
    ready: js_sys::Promise,
}

thread_local! {
    /// Workers started ahead of time, so a load does not wait for them to
    /// fetch and compile their module (100-200 ms): as many as a large file
    /// is read in parts by ([`count`]).
    static SPARES: RefCell<Vec<Started>> = const { RefCell::new(Vec::new()) };
}

fn start() -> Result<Started, String> {
    let worker = web_sys::Worker::new(WORKER_URL).map_err(|err| describe(&err))?;
    // Messages posted before the worker's module has started are lost: it
    // says when it listens. The handler is set now, before it can say so.
    let ready = next_message(&worker);
    Ok(Started { worker, ready })
}

/// How long the user must leave the page alone before spare workers are
/// started after a load.
const QUIET_MS: f64 = 2_000.0;

thread_local! {
    /// When the user last scrolled, clicked or typed (`performance.now()`).
    static LAST_INPUT: std::cell::Cell<f64> = const { std::cell::Cell::new(f64::NEG_INFINITY) };
}

/// Notes the user's input on the page, for [`prepare_when_quiet`].
pub fn watch_input() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let note = Closure::<dyn Fn()>::new(|| LAST_INPUT.with(|last| last.set(crate::perf::now())));
    for event in ["scroll", "wheel", "keydown", "pointerdown"] {
        // Captured: scroll events of the waterfall do not bubble.
        let _ = window.add_event_listener_with_callback_and_bool(
            event,
            note.as_ref().unchecked_ref(),
            true,
        );
    }
    // The listeners live as long as the page.
    note.forget();
}

/// Starts the spare workers once the user has left the page alone for a
/// while: starting one takes a core for 100-300 ms (compiling it, warming it
/// up), which scrolling a trace just opened must not share on a two-core
/// machine.
pub fn prepare_when_quiet() {
    gloo_timers::callback::Timeout::new(1_000, || {
        let quiet = crate::perf::now() - LAST_INPUT.with(std::cell::Cell::get);
        if quiet < QUIET_MS {
            prepare_when_quiet();
        } else {
            prepare();
        }
    })
    .forget();
}

/// How many workers read a large file at once: one per core the browser
/// reports, up to 4 (the first joins the others' parts, which costs more
/// with each), leaving nothing for the page: it only waits meanwhile.
pub fn count() -> usize {
    let cores = web_sys::window().map_or(1.0, |w| w.navigator().hardware_concurrency());
    js::count(cores).clamp(1, 4)
}

/// Starts spare workers, up to [`count`], and marks when they are all
/// ready (for the benchmark, which hands files over only then).
pub fn prepare() {
    let readiness = SPARES.with(|spares| {
        let mut spares = spares.borrow_mut();
        let had = spares.len();
        while spares.len() < count() {
            match start() {
                Ok(started) => spares.push(started),
                Err(_) => break,
            }
        }
        (spares.len() > had).then(|| spares.iter().map(|s| s.ready.clone()).collect::<Vec<_>>())
    });
    let Some(readiness) = readiness else {
        return;
    };
    wasm_bindgen_futures::spawn_local(async move {
        for ready in readiness {
            if JsFuture::from(ready).await.is_err() {
                return;
            }
        }
        crate::perf::mark(crate::perf::WORKERS_PREPARED);
    });
}

/// A spare worker once it listens, or a new one.
async fn take() -> Result<web_sys::Worker, String> {
    let started = match SPARES.with(|spares| spares.borrow_mut().pop()) {
        Some(started) => started,
        None => start()?,
    };
    match JsFuture::from(started.ready).await {
        Ok(_) => Ok(started.worker),
        Err(err) => {
            started.worker.terminate();
            Err(describe(&err))
        }
    }
}

/// A worker's answer: the reply, and the GenAI spans of every trace when
/// the worker sent them.
pub type Loaded = (LoadReply, Option<Vec<TraceGenAi>>);

/// Why the workers gave no reply.
#[derive(Debug)]
pub enum Failure {
    /// No worker could start (a page opened from disk, a host that forbids
    /// workers) or take the input: the page may read it on its own thread.
    Unavailable(String),
    /// A worker took the input and failed on it: it said why, or it died
    /// (out of memory, a stack overflow, a panic). Reading the same input on
    /// the page's thread would end the page the same way, so it is not tried.
    Failed(String),
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
        && let Some((layout, parts)) = super::split::plan(file, count()).await
    {
        crate::perf::mark(crate::perf::PLANNED);
        return load_parts(input, file, &layout, &parts, on_read).await;
    }
    let worker = take().await.map_err(Failure::Unavailable)?;
    let arrival = Rc::new(RefCell::new(Arrival::default()));
    let answer = JsFuture::from(next_answer(&worker, on_read, arrival.clone()));
    let request_inputs = Array::new();
    let transfer = Array::new();
    for pending in inputs {
        let input = describe_input(pending);
        if let Content::Bytes(bytes) = &pending.content {
            let bytes = Uint8Array::from(bytes.as_slice());
            transfer.push(&bytes.buffer());
            set(&input, message::BYTES, &bytes);
        }
        request_inputs.push(&input);
    }
    let request = Object::new();
    set(&request, message::INPUTS, &request_inputs);
    if let Err(err) = worker.post_message_with_transfer(&request, &transfer) {
        worker.terminate();
        prepare_when_quiet();
        return Err(Failure::Unavailable(describe(&err)));
    }
    let answer = answer.await;
    retire(vec![worker]);
    finish(answer, &arrival, &JsValue::UNDEFINED)
}

/// Ends the workers of a finished load once the page has painted what they
/// loaded (or after a second, in a tab that does not paint). Ending a worker
/// frees its memory, gigabytes after a 1M-span file, which took Chromium
/// 170 ms on the worker's thread, and a garbage collection of the page that
/// starts meanwhile waits for it to finish: workers ended at once made the
/// first render of a 1M-span trace a 200-260 ms task instead of 0-54 ms.
fn retire(workers: Vec<web_sys::Worker>) {
    let workers = Rc::new(RefCell::new(Some(workers)));
    let end = move || {
        if let Some(workers) = workers.borrow_mut().take() {
            workers.iter().for_each(web_sys::Worker::terminate);
        }
    };
    let Some(window) = web_sys::window() else {
        end();
        return;
    };
    gloo_timers::callback::Timeout::new(1_000, end.clone()).forget();
    // The trace is rendered in the task after this one, which may run before
    // the next frame or after it: a task queued from the frame after next
    // runs once it is painted.
    let second =
        Closure::once_into_js(move || gloo_timers::callback::Timeout::new(0, end).forget());
    let first = Closure::once_into_js(move || {
        if let Some(window) = web_sys::window() {
            let _ = window.request_animation_frame(second.unchecked_ref());
        }
    });
    let _ = window.request_animation_frame(first.unchecked_ref());
}

/// An input as the worker gets it: its name and content type, and its file
/// (the worker reads it); bytes are added by the caller, transferred.
fn describe_input(pending: &PendingInput) -> Object {
    let input = Object::new();
    set(&input, message::NAME, &JsValue::from_str(&pending.name));
    let content_type = pending
        .content_type
        .as_deref()
        .map_or(JsValue::NULL, JsValue::from_str);
    set(&input, message::CONTENT_TYPE, &content_type);
    if let Content::File(file) = &pending.content {
        set(&input, message::FILE, file);
    }
    input
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
        match take().await {
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
    let relay = Rc::new(RefCell::new(Relay {
        first: first.clone(),
        next: 1,
        done: BTreeMap::new(),
        timings: Array::new(),
    }));
    for (index, worker) in others.iter().enumerate() {
        collect_part(worker, index + 1, reporter(index + 1), relay.clone());
    }
    crate::perf::mark(crate::perf::WORKERS_READY);
    let mut posted = Ok(());
    for (index, (worker, part)) in workers.iter().zip(parts).enumerate() {
        let request = Object::new();
        set(
            &request,
            message::INPUTS,
            &Array::of1(&describe_input(input)),
        );
        set(
            &request,
            message::FILE_PART,
            &file_part(layout, part, index == 0),
        );
        if index == 0 {
            set(
                &request,
                message::JOIN,
                &JsValue::from_f64(number_of(parts.len() - 1)),
            );
        }
        posted = posted.and_then(|()| worker.post_message(&request));
    }
    if let Err(err) = posted {
        workers.iter().for_each(web_sys::Worker::terminate);
        prepare_when_quiet();
        return Err(Failure::Unavailable(describe(&err)));
    }
    let answer = answer.await;
    retire(workers);
    let others = relay.borrow().timings.clone();
    finish(answer, &arrival, &others)
}

/// A part as the request names it (`transfer::message::FILE_PART`).
fn file_part(layout: &Layout, part: &Part, first: bool) -> Object {
    let spec = Object::new();
    let offset = |at: u64| JsValue::from_f64(number(at));
    set(&spec, message::START, &offset(part.range.start));
    set(&spec, message::END, &offset(part.range.end));
    set(&spec, message::FIRST, &JsValue::from_bool(first));
    let list = |list: Option<DataList>| list.map_or(JsValue::NULL, |l| JsValue::from_str(l.name()));
    set(&spec, message::OPENS, &list(part.opens));
    set(&spec, message::CLOSES, &list(part.closes));
    set(
        &spec,
        message::PREFIX,
        &Uint8Array::from(layout.prefix(part)),
    );
    set(
        &spec,
        message::SUFFIX,
        &Uint8Array::from(Layout::suffix(part)),
    );
    spec
}

/// Passes the other parts' replies to the first worker, in file order.
struct Relay {
    first: web_sys::Worker,
    /// The part whose reply goes next.
    next: usize,
    /// Replies that came before their turn: the reply's parts, or `None`
    /// when the worker failed.
    done: BTreeMap<usize, Option<Array>>,
    /// The other workers' timings, for the benchmark.
    timings: Array,
}

impl Relay {
    fn done(&mut self, index: usize, parts: Option<Array>) {
        self.done.insert(index, parts);
        while let Some(parts) = self.done.remove(&self.next) {
            let message = Object::new();
            let transfer = Array::new();
            match &parts {
                Some(parts) => {
                    for part in parts.iter() {
                        if let Ok(bytes) = part.dyn_into::<Uint8Array>() {
                            transfer.push(&bytes.buffer());
                        }
                    }
                    set(&message, message::JOINED, parts);
                }
                None => set(&message, message::JOINED, &JsValue::NULL),
            }
            // Should the first worker be gone, its own answer says so.
            let _ = self.first.post_message_with_transfer(&message, &transfer);
            self.next += 1;
        }
    }
}

/// Collects another part's reply as its worker posts it, for the relay.
fn collect_part(
    worker: &web_sys::Worker,
    index: usize,
    on_read: impl Fn(usize, usize) + 'static,
    relay: Rc<RefCell<Relay>>,
) {
    let parts = Array::new();
    let failed = relay.clone();
    let on_message =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            let data = event.data();
            if let Some((read, total)) = read_progress(&data) {
                on_read(read, total);
                return;
            }
            let part = get(&data, message::PART);
            if !part.is_undefined() {
                parts.push(&part);
                return;
            }
            let mut relay = relay.borrow_mut();
            relay.timings.push(&get(&data, message::TIMINGS));
            let ok = get(&data, message::DONE).is_truthy();
            relay.done(index, ok.then(|| parts.clone()));
        });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker (JS holds the only reference).
    let _ = on_message.into_js_value();
    let on_error = Closure::once_into_js(move |_: web_sys::ErrorEvent| {
        failed.borrow_mut().done(index, None);
    });
    worker.set_onerror(Some(on_error.unchecked_ref()));
}

/// The reply of a load, once its worker's last message came (or the worker
/// died). The next load gets fresh workers, started once the user pauses.
fn finish(
    answer: Result<JsValue, JsValue>,
    arrival: &Rc<RefCell<Arrival>>,
    other_timings: &JsValue,
) -> Result<Loaded, Failure> {
    prepare_when_quiet();
    let answer = answer.map_err(|err| Failure::Failed(describe(&err)))?;
    if let Some(message) = get(&answer, message::ERROR).as_string() {
        return Err(Failure::Failed(message));
    }
    let Arrival {
        decoder,
        failed,
        genai,
        decode_ms,
        ..
    } = arrival.take();
    // The workers' timings, and the page's own share, for the benchmark.
    let timings = get(&answer, message::TIMINGS);
    if let Some(timings) = timings.dyn_ref::<Object>() {
        set(timings, PAGE_DECODE_MS, &JsValue::from_f64(decode_ms));
        set(timings, OTHER_WORKERS, other_timings);
    }
    crate::perf::mark_with_detail(crate::perf::REPLY_DECODED, &timings);
    match failed {
        Some(error) => Err(Failure::Failed(error)),
        // Without its GenAI spans (damaged, or from an older worker), the
        // page finds them itself.
        None => decoder
            .finish()
            .map(|reply| (reply, genai.and_then(Result::ok)))
            .map_err(Failure::Failed),
    }
}

/// The reply as it arrives: each part is decoded in the handler of its
/// message, a task of its own, so the page decodes while the worker still
/// encodes and stays responsive between parts.
#[derive(Default)]
struct Arrival {
    decoder: ReplyDecoder,
    /// The first part that could not be decoded; the parts after it are
    /// dropped.
    failed: Option<String>,
    /// Each part is copied into WASM memory before it is decoded: into the
    /// same buffer, so a 17 MB reply touches 2 MB of fresh memory, not 17.
    buffer: Vec<u8>,
    parts: usize,
    /// The GenAI spans of every trace, sent after the parts.
    genai: Option<Result<Vec<TraceGenAi>, String>>,
    /// Milliseconds spent decoding, all parts together.
    decode_ms: f64,
}

/// Keys among the timings the benchmark reads: the page's decoding time,
/// and the timings of the workers of a file's other parts.
const PAGE_DECODE_MS: &str = "pageDecodeMs";
const OTHER_WORKERS: &str = "otherWorkers";

impl Arrival {
    fn take_part(&mut self, part: JsValue) {
        if self.parts == 0 {
            crate::perf::mark(crate::perf::REPLY_RECEIVED);
        }
        self.parts += 1;
        if self.failed.is_some() {
            return;
        }
        let start = crate::perf::now();
        let decoded = match part.dyn_into::<Uint8Array>() {
            Ok(bytes) => {
                self.buffer.resize(bytes.length() as usize, 0);
                bytes.copy_to(&mut self.buffer);
                self.decoder.push(&self.buffer)
            }
            Err(_) => Err("a part of the worker's reply is not bytes".to_owned()),
        };
        if let Err(error) = decoded {
            self.failed = Some(error);
        }
        self.decode_ms += crate::perf::now() - start;
    }
}

/// A promise of the worker's last message (`done` or its error), passing
/// the read progress it posts before to `on_read` and the parts of the
/// reply to `arrival`; rejected when the worker crashes.
fn next_answer(
    worker: &web_sys::Worker,
    on_read: impl Fn(usize, usize) + 'static,
    arrival: Rc<RefCell<Arrival>>,
) -> js_sys::Promise {
    // `Promise::new` calls its executor once, but through an `FnMut`.
    let mut handlers = Some((on_read, arrival));
    js_sys::Promise::new(&mut |resolve, reject| {
        let Some((on_read, arrival)) = handlers.take() else {
            return;
        };
        let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(
            move |event: web_sys::MessageEvent| {
                let data = event.data();
                if let Some((read, total)) = read_progress(&data) {
                    on_read(read, total);
                    return;
                }
                let part = get(&data, message::PART);
                if !part.is_undefined() {
                    arrival.borrow_mut().take_part(part);
                    return;
                }
                if let Ok(genai) = get(&data, message::GENAI).dyn_into::<Uint8Array>() {
                    arrival.borrow_mut().genai = Some(decode_genai(&genai.to_vec()));
                    return;
                }
                let _ = resolve.call1(&JsValue::NULL, &data);
            },
        );
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        // The handler lives as long as the worker (JS holds the only reference).
        let _ = on_message.into_js_value();
        worker.set_onerror(Some(
            on_error(reject, "the worker reading it stopped").unchecked_ref(),
        ));
    })
}

/// (bytes read, bytes to read), when the message is a worker's read progress.
fn read_progress(data: &JsValue) -> Option<(usize, usize)> {
    let read = get(data, message::READ).as_f64()?;
    let total = get(data, message::READ_TOTAL).as_f64().unwrap_or(0.0);
    Some((js::count(read), js::count(total)))
}

/// An `onerror` handler that rejects with what went wrong, or `unsaid`
/// when the browser does not say.
fn on_error(reject: js_sys::Function, unsaid: &'static str) -> JsValue {
    Closure::once_into_js(move |event: web_sys::ErrorEvent| {
        let message = match event.message() {
            message if message.is_empty() => unsaid.to_owned(),
            message => message,
        };
        let _ = reject.call1(&JsValue::NULL, &JsValue::from_str(&message));
    })
}

/// A promise of the worker's next message; rejected when it fails to load
/// or crashes.
fn next_message(worker: &web_sys::Worker) -> js_sys::Promise {
    js_sys::Promise::new(&mut |resolve, reject| {
        let on_message = Closure::once_into_js(move |event: web_sys::MessageEvent| {
            let _ = resolve.call1(&JsValue::NULL, &event.data());
        });
        worker.set_onmessage(Some(on_message.unchecked_ref()));
        worker.set_onerror(Some(
            on_error(reject, "the worker failed to start").unchecked_ref(),
        ));
    })
}
