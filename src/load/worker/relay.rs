//! A large file read by several workers: the page passes the replies of
//! the other parts' workers to the first, which joins them.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use js_sys::Uint8Array;
use spanloupe_worker::protocol::{FromWorker, Timings, ToWorker};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

/// Passes the other parts' replies to the first worker, in file order.
pub struct Relay {
    first: web_sys::Worker,
    /// The part whose reply goes next.
    next: usize,
    /// Replies that came before their turn: the reply's parts, or `None`
    /// when the worker failed.
    done: BTreeMap<usize, Option<Vec<Uint8Array>>>,
    /// The other workers' timings, for the benchmark.
    pub timings: Vec<Timings>,
}

impl Relay {
    /// For the worker of the file's first part.
    pub fn new(first: web_sys::Worker) -> Self {
        Self {
            first,
            next: 1,
            done: BTreeMap::new(),
            timings: Vec::new(),
        }
    }

    fn done(&mut self, index: usize, parts: Option<Vec<Uint8Array>>) {
        self.done.insert(index, parts);
        while let Some(parts) = self.done.remove(&self.next) {
            let joined = ToWorker::Joined(parts).encode();
            // Should the first worker be gone, its own answer says so.
            let _ = self
                .first
                .post_message_with_transfer(&joined.message, &joined.transfer);
            self.next += 1;
        }
    }
}

/// Collects the reply of part `index` as its worker posts it, for the relay.
pub fn collect_part(
    worker: &web_sys::Worker,
    index: usize,
    on_read: impl Fn(usize, usize) + 'static,
    relay: Rc<RefCell<Relay>>,
) {
    let mut parts = Vec::new();
    let failed = relay.clone();
    let on_message =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            let (outcome, timings) = match FromWorker::decode(&event.data()) {
                Ok(FromWorker::Progress { read, total }) => return on_read(read, total),
                Ok(FromWorker::Part(part)) => return parts.push(part),
                Ok(FromWorker::Ready | FromWorker::GenAi(_)) => return,
                Ok(FromWorker::Done { outcome, timings }) => (outcome, *timings),
                Err(error) => (Err(error.into()), Timings::default()),
            };
            let mut relay = relay.borrow_mut();
            relay.timings.push(timings);
            let parts = std::mem::take(&mut parts);
            relay.done(index, outcome.is_ok().then_some(parts));
        });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker (JS holds the only reference).
    let _ = on_message.into_js_value();
    let on_error = Closure::once_into_js(move |_: web_sys::ErrorEvent| {
        failed.borrow_mut().done(index, None);
    });
    worker.set_onerror(Some(on_error.unchecked_ref()));
}
