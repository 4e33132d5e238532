//! The messages between the page and the ingest worker, typed, with each
//! one's JS encoding beside its decoding: the page (`src/load/worker/`) and
//! the worker (`main.rs`) both use this module and nothing else to talk.
//!
//! Messages are plain JS objects with a `type`. Bytes travel as
//! `Uint8Array`s whose buffers are transferred, not copied; a large file as
//! its `Blob`, which the worker reads itself.
//!
//! A load, page → worker: [`ToWorker::Request`]. Worker → page: once it
//! listens [`FromWorker::Ready`]; while it reads [`FromWorker::Progress`];
//! then the reply in [`FromWorker::Part`]s (the model, encoded by
//! `spanloupe_core::transfer`), for a whole load the GenAI spans
//! ([`FromWorker::GenAi`]), and last [`FromWorker::Done`].
//!
//! A large file read by several workers at once: each gets a request naming
//! its [`FilePart`]; the first also how many others it joins, whose reply
//! parts the page relays to it as [`ToWorker::Joined`], in file order.

mod error;
mod request;
mod timings;

pub use error::{ProtocolError, WorkerError};
pub use request::{FilePart, InputContent, Request, RequestInput};
pub use timings::{Clock, Timings};

use js_sys::{Array, Object, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};

use crate::js::{get, set};

/// Page → worker.
pub enum ToWorker {
    /// Load these inputs, or one part of a file.
    Request(Request),
    /// For the worker that joins a file's parts: the next part's reply, as
    /// the parts its worker posted, or `None` when that worker failed.
    Joined(Option<Vec<Uint8Array>>),
}

/// Worker → page.
pub enum FromWorker {
    /// The worker listens: a request posted earlier would have been lost.
    Ready,
    /// Bytes read so far of the files it was handed.
    Progress { read: usize, total: usize },
    /// One part of the reply, in order.
    Part(Uint8Array),
    /// After a whole load's parts: the GenAI spans of every trace
    /// (`spanloupe_core::transfer::encode_genai`).
    GenAi(Uint8Array),
    /// Last: whether the reply was sent whole, and where the time went
    /// (boxed: the other messages are a handle or two numbers).
    Done {
        outcome: Result<(), WorkerError>,
        timings: Box<Timings>,
    },
}

/// A message ready to post: the object, and the buffers to transfer.
pub struct Encoded {
    pub message: JsValue,
    pub transfer: Array,
}

const TYPE: &str = "type";
const BYTES: &str = "bytes";
const PARTS: &str = "parts";
const READ: &str = "read";
const TOTAL: &str = "total";
const ERROR: &str = "error";
const TIMINGS: &str = "timings";

impl ToWorker {
    const REQUEST: &str = "request";
    const JOINED: &str = "joined";

    pub fn encode(&self) -> Encoded {
        let message = Object::new();
        let transfer = Array::new();
        match self {
            ToWorker::Request(request) => {
                set(&message, TYPE, &JsValue::from_str(Self::REQUEST));
                request.encode_into(&message, &transfer);
            }
            ToWorker::Joined(parts) => {
                set(&message, TYPE, &JsValue::from_str(Self::JOINED));
                let value = match parts {
                    Some(parts) => byte_list(parts, &transfer).into(),
                    None => JsValue::NULL,
                };
                set(&message, PARTS, &value);
            }
        }
        Encoded {
            message: message.into(),
            transfer,
        }
    }

    pub fn decode(message: &JsValue) -> Result<ToWorker, ProtocolError> {
        match type_of(message)?.as_str() {
            Self::REQUEST => Request::decode(message).map(ToWorker::Request),
            Self::JOINED => {
                let parts = get(message, PARTS);
                if parts.is_null() {
                    return Ok(ToWorker::Joined(None));
                }
                bytes_of_list(&parts, Self::JOINED, PARTS)
                    .map(|parts| ToWorker::Joined(Some(parts)))
            }
            other => Err(ProtocolError::UnknownType(other.to_owned())),
        }
    }
}

impl FromWorker {
    const READY: &str = "ready";
    const PROGRESS: &str = "progress";
    const PART: &str = "part";
    const GENAI: &str = "genai";
    const DONE: &str = "done";

    pub fn encode(&self) -> Encoded {
        let message = Object::new();
        let transfer = Array::new();
        let kind = match self {
            FromWorker::Ready => Self::READY,
            FromWorker::Progress { read, total } => {
                set(&message, READ, &crate::js::number_of(*read).into());
                set(&message, TOTAL, &crate::js::number_of(*total).into());
                Self::PROGRESS
            }
            FromWorker::Part(bytes) | FromWorker::GenAi(bytes) => {
                set(&message, BYTES, bytes);
                transfer.push(&bytes.buffer());
                if matches!(self, FromWorker::Part(_)) {
                    Self::PART
                } else {
                    Self::GENAI
                }
            }
            FromWorker::Done { outcome, timings } => {
                if let Err(error) = outcome {
                    set(&message, ERROR, &JsValue::from_str(&error.to_json()));
                }
                set(&message, TIMINGS, &timings.encode());
                Self::DONE
            }
        };
        set(&message, TYPE, &JsValue::from_str(kind));
        Encoded {
            message: message.into(),
            transfer,
        }
    }

    pub fn decode(message: &JsValue) -> Result<FromWorker, ProtocolError> {
        let kind = type_of(message)?;
        let bytes = |name: &str| {
            get(message, BYTES)
                .dyn_into::<Uint8Array>()
                .map_err(|_| ProtocolError::missing(name, BYTES))
        };
        Ok(match kind.as_str() {
            Self::READY => FromWorker::Ready,
            Self::PROGRESS => {
                let number = |key| {
                    get(message, key)
                        .as_f64()
                        .map(crate::js::count)
                        .ok_or_else(|| ProtocolError::missing(Self::PROGRESS, key))
                };
                FromWorker::Progress {
                    read: number(READ)?,
                    total: number(TOTAL)?,
                }
            }
            Self::PART => FromWorker::Part(bytes(Self::PART)?),
            Self::GENAI => FromWorker::GenAi(bytes(Self::GENAI)?),
            Self::DONE => {
                let error = get(message, ERROR);
                let outcome = match error.as_string() {
                    Some(json) => Err(WorkerError::from_json(&json)),
                    None if error.is_undefined() => Ok(()),
                    None => return Err(ProtocolError::missing(Self::DONE, ERROR)),
                };
                FromWorker::Done {
                    outcome,
                    timings: Box::new(Timings::decode(&get(message, TIMINGS))),
                }
            }
            _ => return Err(ProtocolError::UnknownType(kind)),
        })
    }
}

fn type_of(message: &JsValue) -> Result<String, ProtocolError> {
    get(message, TYPE)
        .as_string()
        .ok_or_else(|| ProtocolError::missing("a", TYPE))
}

/// A JS array of byte arrays, their buffers added to `transfer`.
fn byte_list(parts: &[Uint8Array], transfer: &Array) -> Array {
    let list = Array::new();
    for part in parts {
        transfer.push(&part.buffer());
        list.push(part);
    }
    list
}

/// The byte arrays of a JS array.
fn bytes_of_list(
    list: &JsValue,
    message: &str,
    field: &str,
) -> Result<Vec<Uint8Array>, ProtocolError> {
    let list: &Array = list
        .dyn_ref()
        .ok_or_else(|| ProtocolError::missing(message, field))?;
    list.iter()
        .map(|part| {
            part.dyn_into::<Uint8Array>()
                .map_err(|_| ProtocolError::missing(message, field))
        })
        .collect()
}

/// When the page cannot start a worker (a host that forbids them), it loads
/// the worker's own module into itself, only then (`index.html` defines
/// [`LOAD_READER`]), and reads through the function that module offers:
/// [`READ_ON_PAGE`] takes a [`ToWorker::Request`] of whole inputs and
/// resolves to the reply packed in one buffer
/// (`spanloupe_core::transfer::pack`), or rejects with a [`WorkerError`] as
/// JSON ([`WorkerError::to_json`]).
pub mod on_page {
    /// `window[LOAD_READER](scriptUrl, wasmUrl)`: loads the module.
    pub const LOAD_READER: &str = "spanloupeLoadReader";
    /// `window[READ_ON_PAGE](request)`: what the module offers once loaded.
    pub const READ_ON_PAGE: &str = "spanloupeReadOnPage";
}
