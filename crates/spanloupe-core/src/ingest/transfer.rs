//! Loading in a Web Worker: the worker runs [`load_many`] and sends the
//! result to the page as compact binary parts (postcard); the page decodes
//! them into the same `TraceSet`. The model is flat arrays of plain values,
//! so this is a copy, not a parse: no JSON is read twice.
//!
//! The parts are small (a few megabytes, some milliseconds to decode), so
//! the page can decode them between frames and never block for long: a
//! [`ReplyDecoder`] takes one part at a time.

use serde::{Deserialize, Serialize};

use super::{Input, InputSummary, load_many};
use crate::model::{
    Attribute, Event, Interner, Link, LogRecord, Resource, Scope, Span, SpanId, SpanIdx, Trace,
    TraceId, TraceSet, Value, Warnings,
};

/// The keys of the messages between the page and the ingest worker, which
/// are plain JS objects: the page in `src/load/worker.rs`, the worker in
/// `crates/spanloupe-worker`.
pub mod message {
    /// Worker → page, once it listens: `{ready: true}`.
    pub const READY: &str = "ready";
    /// Page → worker: a list of inputs, each `{name, contentType, bytes}`
    /// (a `Uint8Array`) or `{name, contentType, file}` (a `Blob` the worker
    /// reads itself).
    pub const NAME: &str = "name";
    pub const CONTENT_TYPE: &str = "contentType";
    pub const BYTES: &str = "bytes";
    pub const FILE: &str = "file";
    /// Worker → page: `{reply: [Uint8Array, ...]}`, the parts of
    /// [`encode`](super::encode), or `{error: "..."}`.
    pub const REPLY: &str = "reply";
    pub const ERROR: &str = "error";
    /// Worker → page, beside the reply: where the worker's time went, in
    /// milliseconds, `{readMs, loadMs, encodeMs}`, for the benchmark.
    pub const TIMINGS: &str = "timings";
    pub const READ_MS: &str = "readMs";
    pub const LOAD_MS: &str = "loadMs";
    pub const ENCODE_MS: &str = "encodeMs";
}

/// What a load gives back: the data, and each input's outcome in order
/// (errors as the text the user reads).
#[derive(Debug)]
pub struct LoadReply {
    pub set: Option<TraceSet>,
    pub outcomes: Vec<Result<InputSummary, String>>,
}

/// Loads the inputs together, as [`load_many`] does, into a reply.
pub fn load_reply(inputs: &[Input]) -> LoadReply {
    let (set, outcomes) = load_many(inputs);
    LoadReply {
        set,
        outcomes: outcomes
            .into_iter()
            .map(|outcome| outcome.map_err(|err| err.to_string()))
            .collect(),
    }
}

/// Elements a part holds, by array: about 1-2 MB encoded each.
const SPANS_PER_PART: usize = 16_384;
const ITEMS_PER_PART: usize = 131_072;
const BYTES_PER_PART: usize = 2 << 20;

/// The small fields of the reply; the large arrays follow in parts.
#[derive(Serialize, Deserialize)]
struct Head {
    outcomes: Vec<Result<InputSummary, String>>,
    has_set: bool,
    strings: Interner,
    traces: Vec<Trace>,
    resources: Vec<Resource>,
    scopes: Vec<Scope>,
    warnings: Warnings,
}

/// One part as written: a slice of one of the set's arrays.
#[derive(Serialize)]
enum PartRef<'a> {
    Head(&'a Head),
    Spans(&'a [Span]),
    Attributes(&'a [Attribute]),
    Values(&'a [Value]),
    Bytes(&'a [u8]),
    Events(&'a [Event]),
    Links(&'a [Link]),
    Logs(&'a [LogRecord]),
    Lookup(&'a [(TraceId, SpanId, SpanIdx)]),
}

/// One part as read: the same variants, in the same order, owned.
#[derive(Deserialize)]
enum Part {
    Head(Box<Head>),
    Spans(Vec<Span>),
    Attributes(Vec<Attribute>),
    Values(Vec<Value>),
    Bytes(Vec<u8>),
    Events(Vec<Event>),
    Links(Vec<Link>),
    Logs(Vec<LogRecord>),
    Lookup(Vec<(TraceId, SpanId, SpanIdx)>),
}

/// The reply as parts: the head first, then each array in slices.
pub fn encode(reply: LoadReply) -> Result<Vec<Vec<u8>>, String> {
    let has_set = reply.set.is_some();
    let set = reply.set.unwrap_or_default();
    let head = Head {
        outcomes: reply.outcomes,
        has_set,
        strings: set.strings,
        traces: set.traces,
        resources: set.resources,
        scopes: set.scopes,
        warnings: set.warnings,
    };
    let mut parts = vec![write(&PartRef::Head(&head))?];
    for chunk in set.spans.chunks(SPANS_PER_PART) {
        parts.push(write(&PartRef::Spans(chunk))?);
    }
    for chunk in set.attributes.chunks(ITEMS_PER_PART) {
        parts.push(write(&PartRef::Attributes(chunk))?);
    }
    for chunk in set.values.chunks(ITEMS_PER_PART) {
        parts.push(write(&PartRef::Values(chunk))?);
    }
    for chunk in set.bytes.chunks(BYTES_PER_PART) {
        parts.push(write(&PartRef::Bytes(chunk))?);
    }
    for chunk in set.events.chunks(ITEMS_PER_PART / 4) {
        parts.push(write(&PartRef::Events(chunk))?);
    }
    for chunk in set.links.chunks(ITEMS_PER_PART / 4) {
        parts.push(write(&PartRef::Links(chunk))?);
    }
    for chunk in set.logs.chunks(SPANS_PER_PART) {
        parts.push(write(&PartRef::Logs(chunk))?);
    }
    for chunk in set.span_lookup.chunks(ITEMS_PER_PART) {
        parts.push(write(&PartRef::Lookup(chunk))?);
    }
    Ok(parts)
}

fn write(part: &PartRef) -> Result<Vec<u8>, String> {
    postcard::to_allocvec(part).map_err(|err| format!("cannot send the loaded data: {err}"))
}

/// Rebuilds a reply from its parts, one part per call, in the order
/// [`encode`] wrote them.
#[derive(Default)]
pub struct ReplyDecoder {
    head: Option<(Vec<Result<InputSummary, String>>, bool)>,
    set: TraceSet,
}

impl ReplyDecoder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one part.
    pub fn push(&mut self, bytes: &[u8]) -> Result<(), String> {
        let part: Part = postcard::from_bytes(bytes)
            .map_err(|err| format!("the loaded data arrived damaged: {err}"))?;
        let set = &mut self.set;
        match part {
            Part::Head(head) => {
                let head = *head;
                set.strings = head.strings;
                set.traces = head.traces;
                set.resources = head.resources;
                set.scopes = head.scopes;
                set.warnings = head.warnings;
                self.head = Some((head.outcomes, head.has_set));
            }
            Part::Spans(spans) => set.spans.extend(spans),
            Part::Attributes(attributes) => set.attributes.extend(attributes),
            Part::Values(values) => set.values.extend(values),
            Part::Bytes(bytes) => set.bytes.extend(bytes),
            Part::Events(events) => set.events.extend(events),
            Part::Links(links) => set.links.extend(links),
            Part::Logs(logs) => set.logs.extend(logs),
            Part::Lookup(lookup) => set.span_lookup.extend(lookup),
        }
        Ok(())
    }

    /// The reply, once every part is in.
    pub fn finish(self) -> Result<LoadReply, String> {
        let (outcomes, has_set) = self
            .head
            .ok_or_else(|| "the loaded data arrived without its head".to_owned())?;
        Ok(LoadReply {
            set: has_set.then_some(self.set),
            outcomes,
        })
    }
}

/// Decodes all parts at once (tests, and callers that need not yield).
pub fn decode<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> Result<LoadReply, String> {
    let mut decoder = ReplyDecoder::new();
    for part in parts {
        decoder.push(part)?;
    }
    decoder.finish()
}
