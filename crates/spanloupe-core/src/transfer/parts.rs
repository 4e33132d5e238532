//! The encoding of a reply in parts: a head with the small fields and the
//! length of every array, then each array in slices of 1-2 MB, each part
//! postcard after a byte that says what it holds.

use serde::de::{DeserializeOwned, DeserializeSeed, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

use super::{Payload, TransferError};
use crate::model::{InternerArrival, Resource, Scope, Trace, TraceSet, Warnings};

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
    outcomes: Vec<O>,
    has_set: bool,
    traces: Vec<Trace>,
    resources: Vec<Resource>,
    scopes: Vec<Scope>,
    warnings: Warnings,
    lens: Lens,
}

#[derive(Serialize)]
struct HeadOut<'a, O> {
    outcomes: &'a [O],
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

/// Encodes the reply part by part, handing each to `send` as soon as it is
/// written (the worker posts it while it encodes the next). Stops at the
/// first error, of encoding or of `send`.
pub fn encode_each<P: Payload, E: From<TransferError>>(
    reply: &P,
    mut send: impl FnMut(Vec<u8>) -> Result<(), E>,
) -> Result<(), E> {
    let empty = TraceSet::default();
    let set = reply.set().unwrap_or(&empty);
    let (text, ends) = set.strings.text_and_ends();
    let head = HeadOut {
        outcomes: reply.outcomes(),
        has_set: reply.set().is_some(),
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

fn write_chunks<T: Serialize, E: From<TransferError>>(
    send: &mut impl FnMut(Vec<u8>) -> Result<(), E>,
    kind: Kind,
    items: &[T],
    per_part: usize,
) -> Result<(), E> {
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

fn write<T: Serialize + ?Sized>(kind: Kind, value: &T) -> Result<Vec<u8>, TransferError> {
    postcard::to_extend(value, vec![kind as u8])
        .map_err(|err| TransferError::Unencodable(err.to_string()))
}

/// Rebuilds a reply from its parts, one part per call, in the order
/// [`encode_each`] wrote them. Each array is allocated once, at the head,
/// and the parts are decoded straight into it.
pub struct Decoder<P: Payload> {
    head: Option<(Vec<P::Outcome>, bool)>,
    /// The string table, from the head on.
    strings: Option<InternerArrival>,
    set: TraceSet,
}

impl<P: Payload> Default for Decoder<P> {
    fn default() -> Self {
        Self {
            head: None,
            strings: None,
            set: TraceSet::default(),
        }
    }
}

impl<P: Payload> Decoder<P>
where
    P::Outcome: DeserializeOwned,
{
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one part.
    pub fn push(&mut self, part: &[u8]) -> Result<(), TransferError> {
        let damaged = |err: postcard::Error| TransferError::Damaged(err.to_string());
        let (&tag, body) = part.split_first().ok_or(TransferError::EmptyPart)?;
        let kind = Kind::of(tag).ok_or(TransferError::UnknownPart(tag))?;
        let set = &mut self.set;
        if let Kind::Head = kind {
            let head: Head<P::Outcome> = postcard::from_bytes(body).map_err(damaged)?;
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
                let strings = self.strings.as_mut().ok_or(TransferError::NoHead)?;
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
    pub fn finish(mut self) -> Result<P, TransferError> {
        let (outcomes, has_set) = self.head.ok_or(TransferError::NoHead)?;
        self.set.strings = self
            .strings
            .ok_or(TransferError::NoHead)?
            .finish()
            .map_err(damaged_strings)?;
        Ok(P::assemble(has_set.then_some(self.set), outcomes))
    }
}

fn damaged_strings(err: &str) -> TransferError {
    TransferError::Damaged(err.to_owned())
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
