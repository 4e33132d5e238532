//! The other parts of a file, which the page relays after the request to the
//! worker that joins them, kept until the load asks for them: they may
//! arrive while it is still parsing its own.

use std::cell::RefCell;
use std::collections::VecDeque;

use js_sys::Uint8Array;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

/// One part's reply, as `ToWorker::Joined` carries it.
pub type Joined = Option<Vec<Uint8Array>>;

#[derive(Default)]
struct Inbox {
    queued: VecDeque<Joined>,
    /// The `resolve` of the promise the load awaits, when it waits.
    waiting: Option<js_sys::Function>,
}

thread_local! {
    static INBOX: RefCell<Inbox> = RefCell::new(Inbox::default());
}

/// Hands a part to the load, now if it waits for one, else when it asks.
pub fn deliver(joined: Joined) {
    let waiting = INBOX.with(|inbox| {
        let mut inbox = inbox.borrow_mut();
        inbox.queued.push_back(joined);
        inbox.waiting.take()
    });
    if let Some(resolve) = waiting {
        let _ = resolve.call0(&JsValue::NULL);
    }
}

/// The next part, in the order they came.
pub async fn next() -> Joined {
    loop {
        if let Some(joined) = INBOX.with(|inbox| inbox.borrow_mut().queued.pop_front()) {
            return joined;
        }
        let arrival = js_sys::Promise::new(&mut |resolve, _reject| {
            INBOX.with(|inbox| inbox.borrow_mut().waiting = Some(resolve));
        });
        // The promise is only ever resolved.
        let _ = JsFuture::from(arrival).await;
    }
}
