//! Messages the page posts after the request (the other parts of a file, for
//! the worker that joins them), kept until the load asks for them: they may
//! arrive while it is still parsing.

use std::cell::RefCell;
use std::collections::VecDeque;

use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

#[derive(Default)]
struct Inbox {
    queued: VecDeque<JsValue>,
    /// The `resolve` of the promise the load awaits, when it waits.
    waiting: Option<js_sys::Function>,
}

thread_local! {
    static INBOX: RefCell<Inbox> = RefCell::new(Inbox::default());
}

/// Hands a message to the load, now if it waits for one, else when it asks.
pub fn deliver(message: JsValue) {
    INBOX.with(|inbox| {
        let mut inbox = inbox.borrow_mut();
        match inbox.waiting.take() {
            Some(resolve) => {
                let _ = resolve.call1(&JsValue::NULL, &message);
            }
            None => inbox.queued.push_back(message),
        }
    });
}

/// The next message, in the order they came.
pub async fn next() -> JsValue {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        INBOX.with(|inbox| {
            let mut inbox = inbox.borrow_mut();
            match inbox.queued.pop_front() {
                Some(message) => {
                    let _ = resolve.call1(&JsValue::NULL, &message);
                }
                None => inbox.waiting = Some(resolve),
            }
        });
    });
    // The promise is only ever resolved.
    JsFuture::from(promise).await.unwrap_or(JsValue::NULL)
}
