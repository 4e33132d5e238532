//! Reading one large JSON file in several parts at once (the page gives each
//! part to its own worker). Parsing is most of a load, and a machine has more
//! than one core.
//!
//! A file is cut where the bytes themselves prove it is safe, so no part
//! needs the bytes before it to be read:
//! - between two documents (JSON Lines): `}` then `{"` with only whitespace
//!   between. A `"` inside a JSON string is always escaped, so `{"` is never
//!   inside one; and `}` followed by `{` without a comma is only valid
//!   between top-level documents.
//! - between two elements of the file's list of data (`{"resourceSpans": [`
//!   at its start): `}`, `,`, then `{"resource":` (or `"scopeSpans":` ...,
//!   the keys a `resourceSpans` element starts with), structural for the same
//!   reason. The part before is closed with `]}` and the part after opened
//!   with the file's own opening, so each is a whole document.
//! - between two traces of a Jaeger file's `{"data": [`: `}`, `,`, then
//!   `{"traceID": "…", "spans":` (a span, which also starts with its
//!   `traceID`, has its `spanID` next).
//! - between two spans of a Jaeger file's one trace: `}`, `,`, then
//!   `{"traceID": "…", "spanID":`. The trace's processes come after its
//!   spans, so the file's end is read too ([`Layout::add_tail`]): a part
//!   before the last is closed with `]`, those processes and the brackets
//!   that close the trace and the file; a part after the first is opened
//!   with the file's bytes up to its `spans` list. Each part must then hold
//!   exactly one trace: were there several, one part would hold the place
//!   where one trace ends and the next begins.
//!
//! An element cut is only right if the cut really was in the file's list:
//! a part closed by `]}` must parse and its last document's last key must be
//! that list ([`load_part`] checks). Each part's start is then known to be
//! right from the part before it, and the first part starts at the file's
//! start. Whenever a part fails (a check, or an error in the data), the file
//! is read again in one piece, so errors and their positions are always the
//! ones a whole read gives.

use std::ops::Range;

use serde::de::IgnoredAny;

use super::otlp_json::{self, DataList};
use super::{
    Format, IngestError, Input, InputSummary, LoadedInputs, Source, detect, jaeger, json_format,
    load_many,
};
use crate::model::{TraceSet, TraceSetBuilder};

/// Files smaller than this are read in one piece: a part's hand-over costs
/// more than parsing it saves.
pub const MIN_SPLIT_BYTES: u64 = 16 << 20;
/// How much of the file's start [`Layout::of`] looks at.
pub const HEAD_BYTES: u64 = 64 << 10;
/// How much of the file's end [`Layout::add_tail`] looks at, for a Jaeger
/// trace's processes.
pub const TAIL_BYTES: u64 = 1 << 20;
/// A place to cut is looked for in windows of this size after each target,
/// up to [`MAX_SEARCH_BYTES`] (elements of 500 spans are about 0.5 MB).
pub const WINDOW_BYTES: u64 = 1 << 20;
pub const MAX_SEARCH_BYTES: u64 = 8 << 20;

/// The keys a data list's element may start with, as exporters write them
/// (`resource` first, or the scope list when there is no resource).
const ELEMENT_KEYS: [&[u8]; 5] = [
    b"resource",
    b"scopeSpans",
    b"scope_spans",
    b"scopeLogs",
    b"scope_logs",
];
/// Closes a part cut inside the file's list: the list, then the document.
const CLOSING: &[u8] = b"]}";

/// The shape of a JSON file, from its head: where it can be cut.
#[derive(Clone, Debug)]
pub struct Layout {
    /// The bytes that open the file's list of data (`{"resourceSpans":[`),
    /// when the file starts with one, and which list it is.
    list: Option<(Vec<u8>, DataList)>,
    /// When the file starts with a Jaeger trace, its list of spans.
    jaeger_spans: Option<JaegerSpans>,
}

/// How a part cut in the spans of a Jaeger file's one trace is made whole.
#[derive(Clone, Debug)]
struct JaegerSpans {
    /// The file's bytes up to the list's `[`.
    opening: Vec<u8>,
    /// Whether the trace is in `{"data": [`.
    in_data: bool,
    /// `]`, `"processes"` and the trace's and the file's closing brackets,
    /// once the file's end has been read.
    closing: Option<Vec<u8>>,
}

impl Layout {
    /// The layout of a file that starts with `head`; `None` when it is not
    /// JSON (protobuf, gzip), which is read in one piece.
    pub fn of(head: &[u8]) -> Option<Layout> {
        let bom = if head.starts_with(b"\xEF\xBB\xBF") {
            3
        } else {
            0
        };
        let start = skip_whitespace(head, bom)?;
        if head.get(start) != Some(&b'{') {
            return None;
        }
        let list = list_opening(head, start)
            .and_then(|(end, list)| head.get(bom..=end).map(|opening| (opening.to_vec(), list)));
        // The trace: the file itself, or the first of its `data`.
        let in_data = matches!(list, Some((_, DataList::JaegerTraces)));
        let trace = match &list {
            Some((opening, DataList::JaegerTraces)) => skip_whitespace(head, bom + opening.len()),
            Some(_) => None,
            None => Some(start),
        };
        let jaeger_spans = trace.and_then(|brace| {
            let bracket = brace + 1 + jaeger_spans_bracket(head.get(brace + 1..)?)?;
            Some(JaegerSpans {
                opening: head.get(bom..=bracket)?.to_vec(),
                in_data,
                closing: None,
            })
        });
        Some(Layout { list, jaeger_spans })
    }

    /// Whether the file's end is needed ([`add_tail`](Self::add_tail)) to cut
    /// it between the spans of its trace.
    pub fn wants_tail(&self) -> bool {
        self.jaeger_spans
            .as_ref()
            .is_some_and(|spans| spans.closing.is_none())
    }

    /// Reads the processes of a Jaeger file's trace from `tail`, the file's
    /// last bytes: with them, parts can be cut between its spans. Nothing
    /// changes when they are not there whole.
    pub fn add_tail(&mut self, tail: &[u8]) {
        let Some(spans) = &mut self.jaeger_spans else {
            return;
        };
        spans.closing = processes_after_spans(tail).map(|processes| {
            let mut closing = b"],\"processes\":".to_vec();
            closing.extend_from_slice(processes);
            closing.extend_from_slice(if spans.in_data { b"}]}" } else { b"}" });
            closing
        });
    }

    /// A place to cut in `window`, which holds the file's bytes from
    /// `offset` on: the first between documents, else the first between
    /// elements. Documents first: in JSON Lines mixing traces, logs and
    /// metrics, an element cut may be in a line of another list than the
    /// first line's, which the part's check then refuses.
    pub fn find_cut(&self, window: &[u8], offset: u64) -> Option<Cut> {
        let at = |i: usize| offset + i as u64;
        let mut element = None;
        let mut span = None;
        for brace in memchr::memchr_iter(b'{', window) {
            match self.cut_at(window, brace) {
                Some(LocalCut::Document) => return Some(Cut::Document { at: at(brace) }),
                Some(LocalCut::Element { comma, list }) => {
                    let slot = if list == DataList::JaegerSpans {
                        &mut span
                    } else {
                        &mut element
                    };
                    slot.get_or_insert(Cut::Element {
                        comma: at(comma),
                        brace: at(brace),
                        list,
                    });
                }
                None => {}
            }
        }
        element.or(span)
    }

    /// Whether the `{` at `brace` starts a document or an element that a
    /// part can start with.
    fn cut_at(&self, window: &[u8], brace: usize) -> Option<LocalCut> {
        let quote = skip_whitespace(window, brace + 1)?;
        if window.get(quote) != Some(&b'"') {
            return None;
        }
        let before = last_non_whitespace(window, brace)?;
        match window.get(before)? {
            b'}' => Some(LocalCut::Document),
            b',' => {
                let element_end = last_non_whitespace(window, before)?;
                if window.get(element_end) != Some(&b'}') {
                    return None;
                }
                let key = window.get(quote + 1..)?;
                let object = window.get(brace + 1..)?;
                let list = match self.list.as_ref().map(|(_, list)| *list) {
                    Some(DataList::JaegerTraces) if jaeger_spans_bracket(object).is_some() => {
                        Some(DataList::JaegerTraces)
                    }
                    Some(list @ (DataList::Spans | DataList::Logs))
                        if ELEMENT_KEYS.iter().any(|name| key_is(key, name)) =>
                    {
                        Some(list)
                    }
                    _ => None,
                };
                let cuts_spans = self
                    .jaeger_spans
                    .as_ref()
                    .is_some_and(|spans| spans.closing.is_some());
                let list = list.or_else(|| {
                    (cuts_spans && starts_jaeger_span(object)).then_some(DataList::JaegerSpans)
                })?;
                Some(LocalCut::Element {
                    comma: before,
                    list,
                })
            }
            _ => None,
        }
    }

    /// The parts of a file of `size` bytes cut at `cuts` (in any order;
    /// repeated or out-of-range cuts are dropped).
    pub fn parts(&self, size: u64, cuts: &[Cut]) -> Vec<Part> {
        let mut cuts: Vec<Cut> = cuts.to_vec();
        cuts.sort_by_key(|cut| cut.resume());
        let mut parts = Vec::new();
        let mut start = 0;
        let mut continues = None;
        for cut in cuts {
            let (end, resume) = (cut.end(), cut.resume());
            if end <= start || resume >= size {
                continue;
            }
            let closes = match cut {
                Cut::Element { list, .. } => Some(list),
                Cut::Document { .. } => None,
            };
            parts.push(Part {
                range: start..end,
                opens: continues,
                closes,
            });
            start = resume;
            continues = closes;
        }
        parts.push(Part {
            range: start..size,
            opens: continues,
            closes: None,
        });
        parts
    }

    /// The bytes to put before a part's own: the file's list opening when
    /// the part continues a list.
    pub fn prefix(&self, part: &Part) -> &[u8] {
        match (part.opens, &self.list, &self.jaeger_spans) {
            (Some(DataList::JaegerSpans), _, Some(spans)) => &spans.opening,
            (Some(_), Some((opening, _)), _) => opening,
            _ => &[],
        }
    }

    /// The bytes to put after a part's own: the closing of the list it was
    /// cut from.
    pub fn suffix(&self, part: &Part) -> &[u8] {
        match (part.closes, &self.jaeger_spans) {
            (Some(DataList::JaegerSpans), Some(spans)) => spans.closing.as_deref().unwrap_or(&[]),
            (Some(_), _) => CLOSING,
            (None, _) => &[],
        }
    }

    /// A part's text: its prefix, the file's bytes of its range, its suffix.
    pub fn text(&self, part: &Part, bytes: &[u8]) -> Vec<u8> {
        let prefix = self.prefix(part);
        let suffix = self.suffix(part);
        let mut text = Vec::with_capacity(prefix.len() + bytes.len() + suffix.len());
        text.extend_from_slice(prefix);
        text.extend_from_slice(bytes);
        text.extend_from_slice(suffix);
        text
    }
}

/// A place to cut a file, as byte offsets in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cut {
    /// Between documents: the next part starts at `at`.
    Document { at: u64 },
    /// Between elements of a list: the part before ends at the `comma`, the
    /// next starts at the element's `brace`.
    Element {
        comma: u64,
        brace: u64,
        list: DataList,
    },
}

impl Cut {
    fn end(self) -> u64 {
        match self {
            Cut::Document { at } => at,
            Cut::Element { comma, .. } => comma,
        }
    }

    fn resume(self) -> u64 {
        match self {
            Cut::Document { at } => at,
            Cut::Element { brace, .. } => brace,
        }
    }
}

enum LocalCut {
    Document,
    Element { comma: usize, list: DataList },
}

/// One part of a file: its byte range, and whether its text continues the
/// list the part before was cut in (`opens`) or is cut in a list itself
/// (`closes`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Part {
    pub range: Range<u64>,
    pub opens: Option<DataList>,
    pub closes: Option<DataList>,
}

/// Whether `key` (the bytes after a key's opening quote) is `name`, followed
/// by its colon.
fn key_is(key: &[u8], name: &[u8]) -> bool {
    key.strip_prefix(name)
        .and_then(|rest| rest.strip_prefix(b"\""))
        .and_then(|rest| skip_whitespace(rest, 0).and_then(|colon| rest.get(colon)))
        == Some(&b':')
}

/// After `at` (and whitespace), the key `name` and its colon: where its
/// value may start.
fn after_key(bytes: &[u8], at: usize, name: &[u8]) -> Option<usize> {
    let quote = skip_whitespace(bytes, at)?;
    let key = bytes.get(quote + 1..)?;
    if bytes.get(quote) != Some(&b'"') || !key_is(key, name) {
        return None;
    }
    let colon = skip_whitespace(bytes, quote + 1 + name.len() + 1)?;
    Some(colon + 1)
}

/// After `at` (and whitespace), a string without escapes (an id): where it
/// ends.
fn after_plain_string(bytes: &[u8], at: usize) -> Option<usize> {
    let quote = skip_whitespace(bytes, at)?;
    if bytes.get(quote) != Some(&b'"') {
        return None;
    }
    let len = bytes.get(quote + 1..)?.iter().position(|&b| b == b'"')?;
    Some(quote + 1 + len + 1)
}

/// After `at` (and whitespace), the byte `expected`: where what follows it
/// starts.
fn after_byte(bytes: &[u8], at: usize, expected: u8) -> Option<usize> {
    let at = skip_whitespace(bytes, at)?;
    (bytes.get(at) == Some(&expected)).then_some(at + 1)
}

/// For the bytes after an object's `{`: the key `traceID` with its value,
/// then the key `next`; where `next`'s value may start.
fn after_trace_id_then(object: &[u8], next: &[u8]) -> Option<usize> {
    let at = after_key(object, 0, b"traceID")?;
    let at = after_plain_string(object, at)?;
    let at = after_byte(object, at, b',')?;
    after_key(object, at, next)
}

/// For the bytes after a Jaeger trace's `{` (`"traceID": "…", "spans": [`):
/// the offset of its spans list's `[`.
fn jaeger_spans_bracket(object: &[u8]) -> Option<usize> {
    let at = after_trace_id_then(object, b"spans")?;
    let bracket = skip_whitespace(object, at)?;
    (object.get(bracket) == Some(&b'[')).then_some(bracket)
}

/// Whether the bytes after a `{` start a Jaeger span: `"traceID": "…",
/// "spanID":`.
fn starts_jaeger_span(object: &[u8]) -> bool {
    after_trace_id_then(object, b"spanID").is_some()
}

/// The value of a Jaeger trace's `processes` in `tail`, the file's last
/// bytes, when it follows the trace's spans (`], "processes": {…}`) and is
/// there whole.
fn processes_after_spans(tail: &[u8]) -> Option<&[u8]> {
    let key = memchr::memmem::rfind(tail, b"\"processes\"")?;
    let comma = last_non_whitespace(tail, key)?;
    let bracket = last_non_whitespace(tail, comma)?;
    if tail.get(comma) != Some(&b',') || tail.get(bracket) != Some(&b']') {
        return None;
    }
    let start = skip_whitespace(tail, after_key(tail, key, b"processes")?)?;
    let value = tail.get(start..)?;
    if value.first() != Some(&b'{') {
        return None;
    }
    let mut stream = serde_json::Deserializer::from_slice(value).into_iter::<IgnoredAny>();
    stream.next()?.ok()?;
    value.get(..stream.byte_offset())
}

/// A part as loaded by one worker: its unindexed data, and what it held
/// (or why it cannot be used: the file is then read in one piece).
#[derive(Debug)]
pub struct PartLoad {
    pub set: TraceSet,
    pub outcome: Result<PartSummary, PartUnusable>,
}

/// Why a part cannot be joined to the others. Never shown: the file is
/// read again whole, and that read's errors are the ones the user sees.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
pub enum PartUnusable {
    #[error("{0}")]
    Unreadable(IngestError),
    /// Their warning names a line, which only a whole read knows.
    #[error("the part holds documents that are not OTLP")]
    OtherDocuments,
    #[error("the part was not cut inside the file's list")]
    NotCutInList,
    /// The worker of the part failed, or its reply did not arrive whole.
    #[error("the part did not arrive")]
    Lost,
}

/// What a part held.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PartSummary {
    /// A document starts in it: not only the file's first, or the one the
    /// part before was cut in (the file is then JSON Lines).
    pub new_document: bool,
    /// Metrics documents, warned about once for the whole file.
    pub skipped_metrics: usize,
    pub spans: usize,
    pub logs: usize,
    /// The part is Jaeger JSON (else OTLP JSON).
    pub jaeger: bool,
}

/// Reads one part's text (see [`Layout::text`]); `first` when it starts at
/// the file's start.
pub fn load_part(text: &[u8], part: &Part, first: bool) -> PartLoad {
    if detect::looks_like_jaeger(text) {
        return load_jaeger_part(text, part, first);
    }
    let mut builder = TraceSetBuilder::new();
    let outcome = match otlp_json::read_part(text, &mut builder) {
        Err(err) => Err(PartUnusable::Unreadable(err)),
        Ok(summary) if summary.skipped_documents > 0 => Err(PartUnusable::OtherDocuments),
        Ok(summary) if part.closes.is_some() && summary.last_list != part.closes => {
            Err(PartUnusable::NotCutInList)
        }
        Ok(summary) => {
            let new_document = summary.documents > 1 || (!first && part.opens.is_none());
            Ok(PartSummary {
                new_document,
                skipped_metrics: summary.skipped_metrics,
                spans: builder.span_count(),
                logs: builder.log_count(),
                jaeger: false,
            })
        }
    };
    PartLoad {
        set: builder.into_unindexed(),
        outcome,
    }
}

fn load_jaeger_part(text: &[u8], part: &Part, first: bool) -> PartLoad {
    let mut builder = TraceSetBuilder::new();
    let in_one_trace = [part.opens, part.closes].contains(&Some(DataList::JaegerSpans));
    let outcome = match jaeger::read(text, &mut builder) {
        Err(err) => Err(PartUnusable::Unreadable(err)),
        Ok(summary) if in_one_trace && (summary.traces != 1 || summary.documents != 1) => {
            Err(PartUnusable::NotCutInList)
        }
        Ok(summary) if part.closes == Some(DataList::JaegerTraces) && !summary.ends_in_data => {
            Err(PartUnusable::NotCutInList)
        }
        Ok(summary) => Ok(PartSummary {
            new_document: summary.documents > 1 || (!first && part.opens.is_none()),
            skipped_metrics: 0,
            spans: builder.span_count(),
            logs: 0,
            jaeger: true,
        }),
    };
    PartLoad {
        set: builder.into_unindexed(),
        outcome,
    }
}

/// Joins parts loaded separately, in file order, into one load.
#[derive(Default)]
pub struct Assembly {
    builder: Option<TraceSetBuilder>,
    lines: bool,
    skipped_metrics: usize,
    spans: usize,
    logs: usize,
    /// Whether the parts are Jaeger JSON; `None` before the first.
    jaeger: Option<bool>,
    failed: bool,
}

impl Assembly {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the next part.
    pub fn add(&mut self, part: PartLoad) {
        let summary = match part.outcome {
            // Parts of one file are of one format.
            Ok(summary)
                if !self.failed && *self.jaeger.get_or_insert(summary.jaeger) == summary.jaeger =>
            {
                summary
            }
            _ => {
                self.failed = true;
                self.builder = None;
                return;
            }
        };
        self.lines |= summary.new_document;
        self.skipped_metrics += summary.skipped_metrics;
        self.spans += summary.spans;
        self.logs += summary.logs;
        match &mut self.builder {
            Some(builder) => builder.absorb(part.set),
            None => self.builder = Some(TraceSetBuilder::from_unindexed(part.set)),
        }
    }

    /// The indexed load of the whole input; `None` when a part could not be
    /// used and the input must be read in one piece instead.
    pub fn finish(self, source: Source) -> Option<LoadedInputs> {
        let mut builder = self.builder.filter(|_| !self.failed)?;
        if self.spans == 0 && self.logs == 0 {
            // A whole read says why.
            return None;
        }
        otlp_json::warn_skipped_metrics(&mut builder, self.skipped_metrics);
        Some(LoadedInputs {
            set: Some(builder.finish()),
            outcomes: vec![Ok(InputSummary {
                format: if self.jaeger == Some(true) {
                    Format::JaegerJson
                } else {
                    json_format(if self.lines { 2 } else { 1 }, source)
                },
                gzipped: false,
                spans: self.spans,
                logs: self.logs,
            })],
        })
    }
}

/// Where the parts of a file of `size` bytes should start, for `workers`
/// workers: the cuts are looked for after these.
pub fn targets(size: u64, workers: usize) -> impl Iterator<Item = u64> {
    let workers = workers.max(1) as u64;
    (1..workers).map(move |k| size * k / workers)
}

/// The parts a file of `bytes` would be cut into for `workers` workers, as
/// the page plans them (from the head and a window after each target).
pub fn plan(bytes: &[u8], workers: usize) -> Option<(Layout, Vec<Part>)> {
    let size = bytes.len() as u64;
    let head = usize::try_from(HEAD_BYTES).unwrap_or(usize::MAX);
    let mut layout = Layout::of(bytes.get(..bytes.len().min(head))?)?;
    if layout.wants_tail() {
        let tail = usize::try_from(TAIL_BYTES).unwrap_or(usize::MAX);
        layout.add_tail(bytes.get(bytes.len().saturating_sub(tail)..)?);
    }
    let cuts: Vec<Cut> = targets(size, workers)
        .filter_map(|target| {
            find_cut_after(&layout, target, |offset, len| {
                let start = usize::try_from(offset).ok()?;
                let end = usize::try_from(offset + len).ok()?.min(bytes.len());
                bytes.get(start..end)
            })
        })
        .collect();
    let parts = layout.parts(size, &cuts);
    (parts.len() > 1).then_some((layout, parts))
}

/// The first cut after `target`, looking at windows read by `read(offset,
/// len)` (which gives fewer bytes at the end of the file, `None` past it).
pub fn find_cut_after<'a>(
    layout: &Layout,
    target: u64,
    mut read: impl FnMut(u64, u64) -> Option<&'a [u8]>,
) -> Option<Cut> {
    let mut search = CutSearch::new(target);
    while let Some((offset, len)) = search.window() {
        if let Some(cut) = search.look(layout, read(offset, len)?) {
            return Some(cut);
        }
    }
    None
}

/// The search for a cut after a target, window by window, for a reader that
/// reads asynchronously (the page reads its windows from the file).
pub struct CutSearch {
    target: u64,
    /// Where the next window starts; `None` once the search is over.
    next: Option<u64>,
}

/// A window starts a little before its target: a cut needs the bytes
/// before its brace to be recognised.
const CONTEXT: u64 = 64;

impl CutSearch {
    pub fn new(target: u64) -> Self {
        Self {
            target,
            next: Some(target.saturating_sub(CONTEXT)),
        }
    }

    /// The next window to read, as (offset, length); `None` when the search
    /// gave up.
    pub fn window(&self) -> Option<(u64, u64)> {
        self.next.map(|offset| (offset, WINDOW_BYTES + CONTEXT))
    }

    /// Looks at the window just read: the cut, or `None` and the search
    /// moves on (or gives up at the file's end or after [`MAX_SEARCH_BYTES`]).
    pub fn look(&mut self, layout: &Layout, window: &[u8]) -> Option<Cut> {
        let offset = self.next.take()?;
        if let Some(cut) = layout.find_cut(window, offset) {
            return Some(cut);
        }
        let next = offset + WINDOW_BYTES;
        let more = window.len() as u64 >= WINDOW_BYTES + CONTEXT;
        if more && next < self.target + MAX_SEARCH_BYTES {
            self.next = Some(next);
        }
        None
    }
}

/// Loads `input` in parts as [`plan`] cuts it for `workers`, one after the
/// other, the way the workers do at once: the same data as a whole load.
/// Also says how many parts it was read in (1: whole). For tests and
/// benchmarks; the page drives the workers itself.
pub fn load_in_parts(input: Input, workers: usize) -> (LoadedInputs, usize) {
    let whole = || (load_many(&[input]), 1);
    let Some((layout, parts)) = plan(input.bytes, workers) else {
        return whole();
    };
    let mut assembly = Assembly::new();
    for (index, part) in parts.iter().enumerate() {
        let range = usize::try_from(part.range.start).unwrap_or(usize::MAX)
            ..usize::try_from(part.range.end).unwrap_or(usize::MAX);
        let Some(bytes) = input.bytes.get(range) else {
            return whole();
        };
        assembly.add(load_part(&layout.text(part, bytes), part, index == 0));
    }
    match assembly.finish(input.source) {
        Some(reply) => (reply, parts.len()),
        None => whole(),
    }
}

/// The index of the first non-whitespace byte at or after `from`.
fn skip_whitespace(bytes: &[u8], from: usize) -> Option<usize> {
    let rest = bytes.get(from..)?;
    rest.iter()
        .position(|b| !b.is_ascii_whitespace())
        .map(|i| from + i)
}

/// The index of the last non-whitespace byte before `before`.
fn last_non_whitespace(bytes: &[u8], before: usize) -> Option<usize> {
    bytes
        .get(..before)?
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
}

/// Where the list of data opened at the file's start ends (its `[`), and
/// which list it is: `{` `"resourceSpans"` `:` `[`, whitespace allowed, or
/// Jaeger's `{"data": [` when a trace (`{"traceID"`) is its first element.
fn list_opening(head: &[u8], brace: usize) -> Option<(usize, DataList)> {
    let quote = skip_whitespace(head, brace + 1)?;
    let key_start = quote + 1;
    if head.get(quote) != Some(&b'"') {
        return None;
    }
    let key_len = head.get(key_start..)?.iter().position(|&b| b == b'"')?;
    let key = head.get(key_start..key_start + key_len)?;
    let list = match key {
        b"resourceSpans" | b"resource_spans" | b"batches" => DataList::Spans,
        b"resourceLogs" | b"resource_logs" => DataList::Logs,
        b"data" => DataList::JaegerTraces,
        _ => return None,
    };
    let colon = skip_whitespace(head, key_start + key_len + 1)?;
    if head.get(colon) != Some(&b':') {
        return None;
    }
    let bracket = skip_whitespace(head, colon + 1)?;
    if head.get(bracket) != Some(&b'[') {
        return None;
    }
    if list == DataList::JaegerTraces {
        let brace = skip_whitespace(head, bracket + 1)?;
        let quote = skip_whitespace(head, brace + 1)?;
        let first_key = head.get(quote + 1..)?;
        if head.get(brace) != Some(&b'{')
            || head.get(quote) != Some(&b'"')
            || !key_is(first_key, b"traceID")
        {
            return None;
        }
    }
    Some((bracket, list))
}
