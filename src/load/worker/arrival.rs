//! The reply of a load as it arrives: each part is decoded in the handler of
//! its message, a task of its own, so the page decodes while the worker
//! still encodes and stays responsive between parts.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Uint8Array;
use spanloupe_core::genai::TraceGenAi;
use spanloupe_core::ingest::LoadedInputs;
use spanloupe_core::transfer::{Decoder, TransferError, decode_genai};
use spanloupe_worker::protocol::{FromWorker, Timings, WorkerError};
use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;
use wasm_bindgen::closure::Closure;

use super::pool::on_error;

#[derive(Default)]
pub struct Arrival {
    decoder: Decoder<LoadedInputs>,
    /// The first part that could not be decoded; the parts after it are
    /// dropped.
    failed: Option<TransferError>,
    /// Each part is copied into WASM memory before it is decoded: into the
    /// same buffer, so a 17 MB reply touches 2 MB of fresh memory, not 17.
    buffer: Vec<u8>,
    parts: usize,
    /// The GenAI spans of every trace, sent after the parts.
    genai: Option<Result<Vec<TraceGenAi>, TransferError>>,
    /// Milliseconds spent decoding, all parts together.
    decode_ms: f64,
    /// The worker's last message: how it ended, and where its time went.
    done: Option<(Result<(), WorkerError>, Timings)>,
}

/// What a finished arrival gave.
pub struct Arrived {
    pub reply: Result<LoadedInputs, WorkerError>,
    pub genai: Option<Vec<TraceGenAi>>,
    /// The worker's, and the page's decoding time.
    pub timings: Timings,
}

impl Arrival {
    fn take_part(&mut self, part: &Uint8Array) {
        if self.parts == 0 {
            crate::perf::mark(crate::perf::REPLY_RECEIVED);
        }
        self.parts += 1;
        if self.failed.is_some() {
            return;
        }
        let start = crate::perf::now();
        self.buffer.resize(part.length() as usize, 0);
        part.copy_to(&mut self.buffer);
        if let Err(error) = self.decoder.push(&self.buffer) {
            self.failed = Some(error);
        }
        self.decode_ms += crate::perf::now() - start;
    }

    /// The reply, once the worker's last message came.
    pub fn finish(self) -> Arrived {
        let (outcome, mut timings) = self.done.unwrap_or_else(|| {
            let lost = WorkerError::Crashed("the worker ended without a word".to_owned());
            (Err(lost), Timings::default())
        });
        timings.page_decode_ms = Some(self.decode_ms);
        let reply = outcome.and_then(|()| match self.failed {
            Some(error) => Err(error.into()),
            None => self.decoder.finish().map_err(WorkerError::from),
        });
        Arrived {
            reply,
            // Without its GenAI spans (damaged, or from an older worker), the
            // page finds them itself.
            genai: self.genai.and_then(Result::ok),
            timings,
        }
    }
}

/// A promise resolved by the worker's last message, passing the read
/// progress it posts before to `on_read` and the reply to `arrival`;
/// rejected when the worker crashes.
pub fn next_answer(
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
                let done = match FromWorker::decode(&event.data()) {
                    Ok(FromWorker::Progress { read, total }) => {
                        on_read(read, total);
                        return;
                    }
                    Ok(FromWorker::Part(part)) => {
                        arrival.borrow_mut().take_part(&part);
                        return;
                    }
                    Ok(FromWorker::GenAi(bytes)) => {
                        arrival.borrow_mut().genai = Some(decode_genai(&bytes.to_vec()));
                        return;
                    }
                    // Said once, before the request (`pool::take` waits for it).
                    Ok(FromWorker::Ready) => return,
                    Ok(FromWorker::Done { outcome, timings }) => (outcome, *timings),
                    Err(error) => (Err(error.into()), Timings::default()),
                };
                arrival.borrow_mut().done = Some(done);
                let _ = resolve.call0(&JsValue::NULL);
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
