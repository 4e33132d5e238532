//! Loading in a Web Worker: the worker runs [`load_many`] and sends the
//! result to the page as compact binary parts (postcard); the page decodes
//! them into the same `TraceSet`. The model is flat arrays of plain values,
//! so this is a copy, not a parse: no JSON is read twice.
//!
//! The parts are small (a few megabytes, some milliseconds to decode): the
//! worker posts each as soon as it is encoded ([`encode_each`]) and the page
//! decodes each as it arrives (a [`ReplyDecoder`] takes one part at a time),
//! so the page decodes while the worker still encodes, and never blocks for
//! long.

use serde::de::{DeserializeSeed, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

use super::{Input, InputSummary, load_many};
use crate::genai::TraceGenAi;
use crate::model::{InternerArrival, Resource, Scope, Trace, TraceSet, Warnings};

/// The keys of the messages between the page and the ingest worker, which
/// are plain JS objects: the page in `src/load/worker.rs`, the worker in
/// `crates/spanloupe-worker`.
pub mod message {
    /// Worker → page, once it listens: `{ready: true}`.
    pub const READY: &str = "ready";
    /// Page → worker, the request: `{inputs: [...]}`, each input
    /// `{name, contentType, bytes}` (a `Uint8Array`) or
    /// `{name, contentType, file}` (a `Blob` the worker reads itself).
    pub const INPUTS: &str = "inputs";
    pub const NAME: &str = "name";
    pub const CONTENT_TYPE: &str = "contentType";
    pub const BYTES: &str = "bytes";
    pub const FILE: &str = "file";
    /// Page → worker, in a request to read one part of a large file
    /// (`ingest::split`; the one input is its file):
    /// `filePart: {start, end, first, opens, closes, prefix, suffix}`, the
    /// byte range, whether it is the file's first part, the lists it
    /// continues or is cut in (`DataList::name`), and the bytes to put
    /// before and after it. The first part's request also has `join`: how
    /// many other parts it joins to its own, which the page then posts to
    /// it one by one as `{joined: [Uint8Array, ...]}`, the parts of each
    /// other worker's reply in file order (`joined: null` when one failed).
    pub const FILE_PART: &str = "filePart";
    pub const START: &str = "start";
    pub const END: &str = "end";
    pub const FIRST: &str = "first";
    pub const OPENS: &str = "opens";
    pub const CLOSES: &str = "closes";
    pub const PREFIX: &str = "prefix";
    pub const SUFFIX: &str = "suffix";
    pub const JOIN: &str = "join";
    pub const JOINED: &str = "joined";
    /// Worker → page, while it reads the files it was given (any number of
    /// times, before the reply): `{read: bytes so far, readTotal: bytes}`.
    pub const READ: &str = "read";
    pub const READ_TOTAL: &str = "readTotal";
    /// Worker → page, one message per part of the reply, in order:
    /// `{part: Uint8Array}` (see [`encode_each`](super::encode_each)).
    pub const PART: &str = "part";
    /// Worker → page, after the parts of a whole load's reply:
    /// `{genai: Uint8Array}`, the GenAI spans of every trace
    /// ([`encode_genai`](super::encode_genai)).
    pub const GENAI: &str = "genai";
    /// Worker → page, last: `{done: true, timings}` once every part is
    /// posted, or `{error: "...", timings}` when the load could not be done.
    pub const DONE: &str = "done";
    pub const ERROR: &str = "error";
    /// Worker → page, with the last message: where the worker's time went,
    /// in milliseconds, `{readMs, loadMs, encodeMs}`, for the benchmark;
    /// for a file read in parts also `waitMs` (for the other parts),
    /// `joinMs` (decoding and joining them), `indexMs`, `fileParts` (how
    /// many were joined, 1 when the file had to be read whole) and then
    /// `wholeMs`.
    pub const TIMINGS: &str = "timings";
    pub const READ_MS: &str = "readMs";
    pub const LOAD_MS: &str = "loadMs";
    pub const ENCODE_MS: &str = "encodeMs";
    pub const WAIT_MS: &str = "waitMs";
    pub const JOIN_MS: &str = "joinMs";
    /// Not reported: the lap that ends with the joining.
    pub const JOINED_AT_MS: &str = "joinedAtMs";
    pub const INDEX_MS: &str = "indexMs";
    pub const FILE_PARTS: &str = "fileParts";
    pub const WHOLE_MS: &str = "wholeMs";
    /// After the parts: finding the GenAI spans and sending them.
    pub const GENAI_MS: &str = "genaiMs";
}

/// What a load gives back: the data, and each input's outcome in order
/// (errors as the text the user reads).
pub type LoadReply = Reply<InputSummary>;

/// Data and the outcomes of what it was read from: a whole load's
/// ([`LoadReply`]), or a part of a file a helper worker read
/// (`Reply<split::PartSummary>`), on its way to the worker that joins them.
#[derive(Debug)]
pub struct Reply<O> {
    pub set: Option<TraceSet>,
    pub outcomes: Vec<Result<O, String>>,
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

/// The small fields of the reply, and the length of each array, so the page
/// allocates every array once; the arrays follow in parts, the string table
/// first (its ends, then its text: it can be tens of megabytes, the text of
/// a few huge values). Written from
/// borrowed fields ([`HeadOut`], the same fields in the same order): the
/// worker keeps the set, to find its GenAI spans once the parts are sent.
#[derive(Deserialize)]
struct Head<O> {
    outcomes: Vec<Result<O, String>>,
    has_set: bool,
    traces: Vec<Trace>,
    resources: Vec<Resource>,
    scopes: Vec<Scope>,
    warnings: Warnings,
    lens: Lens,
}

#[derive(Serialize)]
struct HeadOut<'a, O> {
    outcomes: &'a [Result<O, String>],
    has_set: bool,
    traces: &'a [Trace],
    resources: &'a [Resource],
    scopes: &'a [Scope],
    warnings: &'a Warnings,
    lens: Lens,
}

/// How many elements each array of the set has.
#[derive(Serialize, Deserialize, Default)]
struct Lens {
    strings: usize,
    text_bytes: usize,
    spans: usize,
    attributes: usize,
    values: usize,
    bytes: usize,
    events: usize,
    links: usize,
    logs: usize,
    lookup: usize,
}

/// What a part holds: its first byte. The rest is the postcard encoding of
/// the head, or of a slice of one array.
#[derive(Clone, Copy)]
#[repr(u8)]
enum Kind {
    Head,
    StringEnds,
    StringText,
    Spans,
    Attributes,
    Values,
    Bytes,
    Events,
    Links,
    Logs,
    Lookup,
}

impl Kind {
    const ALL: [Kind; 11] = [
        Kind::Head,
        Kind::StringEnds,
        Kind::StringText,
        Kind::Spans,
        Kind::Attributes,
        Kind::Values,
        Kind::Bytes,
        Kind::Events,
        Kind::Links,
        Kind::Logs,
        Kind::Lookup,
    ];

    fn of(tag: u8) -> Option<Kind> {
        Self::ALL.get(usize::from(tag)).copied()
    }
}

/// The reply as parts: the head first, then each array in slices.
pub fn encode<O: Serialize>(reply: Reply<O>) -> Result<Vec<Vec<u8>>, String> {
    let mut parts = Vec::new();
    encode_each(&reply, |part| {
        parts.push(part);
        Ok(())
    })?;
    Ok(parts)
}

/// Encodes the reply part by part, handing each to `send` as soon as it is
/// written (the worker posts it while it encodes the next). Stops at the
/// first error, of encoding or of `send`.
pub fn encode_each<O: Serialize>(
    reply: &Reply<O>,
    mut send: impl FnMut(Vec<u8>) -> Result<(), String>,
) -> Result<(), String> {
    let empty = TraceSet::default();
    let set = reply.set.as_ref().unwrap_or(&empty);
    let (text, ends) = set.strings.text_and_ends();
    let head = HeadOut {
        outcomes: &reply.outcomes,
        has_set: reply.set.is_some(),
        traces: &set.traces,
        resources: &set.resources,
        scopes: &set.scopes,
        warnings: &set.warnings,
        lens: Lens {
            strings: ends.len(),
            text_bytes: text.len(),
            spans: set.spans.len(),
            attributes: set.attributes.len(),
            values: set.values.len(),
            bytes: set.bytes.len(),
            events: set.events.len(),
            links: set.links.len(),
            logs: set.logs.len(),
            lookup: set.span_lookup.len(),
        },
    };
    send(write(Kind::Head, &head)?)?;
    let send = &mut send;
    write_chunks(send, Kind::StringEnds, ends, ITEMS_PER_PART)?;
    for chunk in text_chunks(text, BYTES_PER_PART) {
        send(write(Kind::StringText, chunk)?)?;
    }
    write_chunks(send, Kind::Spans, &set.spans, SPANS_PER_PART)?;
    write_chunks(send, Kind::Attributes, &set.attributes, ITEMS_PER_PART)?;
    write_chunks(send, Kind::Values, &set.values, ITEMS_PER_PART)?;
    write_chunks(send, Kind::Bytes, &set.bytes, BYTES_PER_PART)?;
    write_chunks(send, Kind::Events, &set.events, ITEMS_PER_PART / 4)?;
    write_chunks(send, Kind::Links, &set.links, ITEMS_PER_PART / 4)?;
    write_chunks(send, Kind::Logs, &set.logs, SPANS_PER_PART)?;
    write_chunks(send, Kind::Lookup, &set.span_lookup, ITEMS_PER_PART)
}

fn write_chunks<T: Serialize>(
    send: &mut impl FnMut(Vec<u8>) -> Result<(), String>,
    kind: Kind,
    items: &[T],
    per_part: usize,
) -> Result<(), String> {
    for chunk in items.chunks(per_part) {
        send(write(kind, chunk)?)?;
    }
    Ok(())
}

/// `text` in pieces of at most `bytes` bytes (more only for a character
/// longer than that), each cut between characters.
fn text_chunks(mut text: &str, bytes: usize) -> impl Iterator<Item = &str> {
    std::iter::from_fn(move || {
        if text.is_empty() {
            return None;
        }
        let mut end = bytes.min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        if end == 0 {
            // A character longer than `bytes`: it goes whole.
            end = text.chars().next().map_or(text.len(), char::len_utf8);
        }
        let (chunk, rest) = text.split_at(end);
        text = rest;
        Some(chunk)
    })
}

fn write<T: Serialize + ?Sized>(kind: Kind, value: &T) -> Result<Vec<u8>, String> {
    postcard::to_extend(value, vec![kind as u8])
        .map_err(|err| format!("cannot send the loaded data: {err}"))
}

/// Rebuilds a reply from its parts, one part per call, in the order
/// [`encode`] wrote them. Each array is allocated once, at the head, and
/// the parts are decoded straight into it.
pub struct ReplyDecoder<O = InputSummary> {
    head: Option<(Vec<Result<O, String>>, bool)>,
    /// The string table, from the head on.
    strings: Option<InternerArrival>,
    set: TraceSet,
}

impl<O> Default for ReplyDecoder<O> {
    fn default() -> Self {
        Self {
            head: None,
            strings: None,
            set: TraceSet::default(),
        }
    }
}

impl<O: serde::de::DeserializeOwned> ReplyDecoder<O> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one part.
    pub fn push(&mut self, part: &[u8]) -> Result<(), String> {
        let damaged = |err: postcard::Error| format!("the loaded data arrived damaged: {err}");
        let (&tag, body) = part
            .split_first()
            .ok_or_else(|| "the loaded data arrived with an empty part".to_owned())?;
        let kind = Kind::of(tag)
            .ok_or_else(|| format!("the loaded data has a part of unknown kind {tag}"))?;
        let set = &mut self.set;
        if let Kind::Head = kind {
            let head: Head<O> = postcard::from_bytes(body).map_err(damaged)?;
            set.traces = head.traces;
            set.resources = head.resources;
            set.scopes = head.scopes;
            set.warnings = head.warnings;
            // The lengths come from our own worker; a damaged head fails on
            // its first part instead of reserving more than can be held.
            let lens = head.lens;
            self.strings = Some(InternerArrival::new(lens.strings, lens.text_bytes));
            let _ = set.spans.try_reserve_exact(lens.spans);
            let _ = set.attributes.try_reserve_exact(lens.attributes);
            let _ = set.values.try_reserve_exact(lens.values);
            let _ = set.bytes.try_reserve_exact(lens.bytes);
            let _ = set.events.try_reserve_exact(lens.events);
            let _ = set.links.try_reserve_exact(lens.links);
            let _ = set.logs.try_reserve_exact(lens.logs);
            let _ = set.span_lookup.try_reserve_exact(lens.lookup);
            self.head = Some((head.outcomes, head.has_set));
            return Ok(());
        }
        let mut deserializer = postcard::Deserializer::from_bytes(body);
        match kind {
            Kind::Head => Ok(()),
            Kind::StringEnds | Kind::StringText => {
                let strings = self
                    .strings
                    .as_mut()
                    .ok_or_else(|| "the loaded data arrived without its head".to_owned())?;
                return if let Kind::StringEnds = kind {
                    let ends: Vec<usize> = postcard::from_bytes(body).map_err(damaged)?;
                    strings.add_ends(&ends);
                    Ok(())
                } else {
                    let text: &str = postcard::from_bytes(body).map_err(damaged)?;
                    strings.add_text(text).map_err(damaged_strings)
                };
            }
            Kind::Spans => ExtendWith(&mut set.spans).deserialize(&mut deserializer),
            Kind::Attributes => ExtendWith(&mut set.attributes).deserialize(&mut deserializer),
            Kind::Values => ExtendWith(&mut set.values).deserialize(&mut deserializer),
            Kind::Bytes => ExtendWith(&mut set.bytes).deserialize(&mut deserializer),
            Kind::Events => ExtendWith(&mut set.events).deserialize(&mut deserializer),
            Kind::Links => ExtendWith(&mut set.links).deserialize(&mut deserializer),
            Kind::Logs => ExtendWith(&mut set.logs).deserialize(&mut deserializer),
            Kind::Lookup => ExtendWith(&mut set.span_lookup).deserialize(&mut deserializer),
        }
        .map_err(damaged)
    }

    /// The reply, once every part is in.
    pub fn finish(mut self) -> Result<Reply<O>, String> {
        let without_head = || "the loaded data arrived without its head".to_owned();
        let (outcomes, has_set) = self.head.ok_or_else(without_head)?;
        self.set.strings = self
            .strings
            .ok_or_else(without_head)?
            .finish()
            .map_err(damaged_strings)?;
        Ok(Reply {
            set: has_set.then_some(self.set),
            outcomes,
        })
    }
}

fn damaged_strings(err: &str) -> String {
    format!("the loaded data arrived damaged: {err}")
}

/// Reads an encoded slice onto the end of an array, element by element,
/// with no `Vec` of its own in between.
struct ExtendWith<'v, T>(&'v mut Vec<T>);

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for ExtendWith<'_, T> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for ExtendWith<'_, T> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a list")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(item) = seq.next_element()? {
            self.0.push(item);
        }
        Ok(())
    }
}

/// The GenAI spans of every trace (`TraceGenAi::of_each`), which the
/// worker sends after the set's parts, found while the page decodes them.
pub fn encode_genai(genai: &[TraceGenAi]) -> Result<Vec<u8>, String> {
    postcard::to_allocvec(genai).map_err(|err| format!("cannot send the GenAI spans: {err}"))
}

pub fn decode_genai(bytes: &[u8]) -> Result<Vec<TraceGenAi>, String> {
    postcard::from_bytes(bytes).map_err(|err| format!("the GenAI spans arrived damaged: {err}"))
}

/// Decodes all parts of a [`LoadReply`] at once (tests, and callers that
/// need not yield).
pub fn decode<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> Result<LoadReply, String> {
    let mut decoder: ReplyDecoder = ReplyDecoder::new();
    for part in parts {
        decoder.push(part)?;
    }
    decoder.finish()
}
