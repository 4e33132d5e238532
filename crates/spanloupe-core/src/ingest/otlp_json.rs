//! OTLP JSON: one `ExportTraceServiceRequest` / `ExportLogsServiceRequest`
//! document, or many of them one per line (JSON Lines, as the collector's and
//! the SDKs' file exporters write), also wrapped as query APIs return them.
//!
//! The documents are read straight into the builder, with no owned copy of
//! the messages in between (`otlp_json/common.rs` says how). The leniency
//! real files need (snake_case keys, base64 ids, enum names, numbers as
//! strings) is in `lenient.rs`.

mod common;
mod lenient;
mod logs;
mod traces;

use std::fmt;

use serde::Deserializer;
use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, Visitor};

use super::IngestError;
use super::detect::{Verdict, classify_json};
use crate::model::{TraceSetBuilder, WarningKind};
use common::{List, Sink};

/// What one JSON input held.
#[derive(Default, Debug)]
pub struct JsonSummary {
    pub documents: usize,
    /// Documents that are not OTLP, and OTLP metrics or profiles documents.
    pub skipped_documents: usize,
    pub skipped_metrics: usize,
    /// The list the last document's last key held, when it was a list of
    /// data: a part of a file cut after one of its elements and closed again
    /// must end in the list it was cut from (`ingest::split`).
    pub last_list: Option<DataList>,
}

/// The lists of data an OTLP JSON document holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DataList {
    /// `resourceSpans` (also `resource_spans`, Tempo's `batches`).
    Spans,
    /// `resourceLogs` (also `resource_logs`).
    Logs,
    /// Jaeger's `data`: a list of traces (`ingest::jaeger`).
    JaegerTraces,
    /// The `spans` of a Jaeger file's one trace.
    JaegerSpans,
}

impl DataList {
    /// Its name in messages between the page and the workers.
    pub fn name(self) -> &'static str {
        match self {
            DataList::Spans => "spans",
            DataList::Logs => "logs",
            DataList::JaegerTraces => "jaeger-traces",
            DataList::JaegerSpans => "jaeger-spans",
        }
    }

    pub fn from_name(name: &str) -> Option<DataList> {
        match name {
            "spans" => Some(DataList::Spans),
            "logs" => Some(DataList::Logs),
            "jaeger-traces" => Some(DataList::JaegerTraces),
            "jaeger-spans" => Some(DataList::JaegerSpans),
            _ => None,
        }
    }
}

/// Reads every document of `text` into `builder`.
pub fn read(text: &[u8], builder: &mut TraceSetBuilder) -> Result<JsonSummary, IngestError> {
    read_documents(text, builder, Reading::Whole)
}

/// Reads a part of a file (`ingest::split`): as [`read`], but metrics are
/// only counted, since the warning about them is given once for all parts,
/// and a part may hold nothing else.
pub(super) fn read_part(
    text: &[u8],
    builder: &mut TraceSetBuilder,
) -> Result<JsonSummary, IngestError> {
    read_documents(text, builder, Reading::Part)
}

#[derive(PartialEq)]
enum Reading {
    Whole,
    Part,
}

fn read_documents(
    text: &[u8],
    builder: &mut TraceSetBuilder,
    reading: Reading,
) -> Result<JsonSummary, IngestError> {
    let mut summary = JsonSummary::default();
    let mut first_unrecognised: Option<usize> = None; // its index among the documents
    let mut sink = Sink::new(builder);
    let mut deserializer = serde_json::Deserializer::from_slice(text);
    // `end` succeeds once only whitespace is left.
    while deserializer.end().is_err() {
        let kind = Document(&mut sink)
            .deserialize(&mut deserializer)
            .map_err(|err| describe_error(text, &err))?;
        summary.last_list = match kind {
            DocumentKind::Data { last_list } => last_list,
            _ => None,
        };
        match kind {
            DocumentKind::Data { .. } => {}
            DocumentKind::Metrics => summary.skipped_metrics += 1,
            DocumentKind::Unrecognised => {
                summary.skipped_documents += 1;
                first_unrecognised.get_or_insert(summary.documents);
            }
        }
        summary.documents += 1;
    }
    let builder = sink.builder;
    let unrecognised = first_unrecognised.map(|index| document_start(text, index));
    let skipped_metrics = summary.skipped_metrics;
    let recognised = summary.documents - summary.skipped_documents - skipped_metrics;
    if reading == Reading::Part {
        return Ok(summary);
    }
    if recognised == 0 {
        return Err(explain_no_data(text, skipped_metrics, unrecognised));
    }
    warn_skipped_metrics(builder, skipped_metrics);
    if let Some(offset) = unrecognised {
        let line = line_of(text, offset);
        builder.warn(
            WarningKind::SkippedSignal,
            format!(
                "skipped {} JSON {} that {} not OTLP traces or logs (the first on line {line})",
                summary.skipped_documents,
                plural(summary.skipped_documents, "document", "documents"),
                if summary.skipped_documents == 1 {
                    "is"
                } else {
                    "are"
                },
            ),
        );
    }
    Ok(summary)
}

/// The warning for metrics documents skipped in an input.
pub(super) fn warn_skipped_metrics(builder: &mut TraceSetBuilder, skipped: usize) {
    if skipped > 0 {
        builder.warn(
            WarningKind::SkippedSignal,
            format!(
                "skipped {skipped} OTLP metrics {}; Spanloupe shows traces and logs",
                plural(skipped, "batch", "batches")
            ),
        );
    }
}

enum DocumentKind {
    /// Traces or logs; `last_list` is the list its last key held, if any.
    Data {
        last_list: Option<DataList>,
    },
    Metrics,
    Unrecognised,
}

/// One top-level JSON document: a traces or logs request, one of the
/// wrappers query APIs put around them, or another signal we skip.
struct Document<'s, 'b>(&'s mut Sink<'b>);

#[derive(serde::Deserialize)]
#[serde(field_identifier, rename_all = "camelCase")]
enum DocumentField {
    /// Tempo's `/api/traces` calls the same list `batches`.
    #[serde(alias = "resource_spans", alias = "batches")]
    ResourceSpans,
    #[serde(alias = "resource_logs")]
    ResourceLogs,
    #[serde(alias = "resource_metrics")]
    ResourceMetrics,
    #[serde(alias = "resource_profiles")]
    ResourceProfiles,
    /// Jaeger's API v3 (`/api/v3/traces/{id}`): `{"result": {...}}`.
    Result,
    /// Tempo's API v2 (`/api/v2/traces/{id}`): `{"trace": {...}}`.
    Trace,
    #[serde(other)]
    Other,
}

impl<'de> DeserializeSeed<'de> for Document<'_, '_> {
    type Value = DocumentKind;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<DocumentKind, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Document<'_, '_> {
    type Value = DocumentKind;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an OTLP JSON object such as {\"resourceSpans\": [...]}")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<DocumentKind, A::Error> {
        let sink = self.0;
        let (mut data, mut other_signal) = (false, false);
        let mut last_list = None;
        while let Some(field) = map.next_key::<DocumentField>()? {
            last_list = None;
            match field {
                DocumentField::ResourceSpans => {
                    map.next_value_seed(List(&mut traces::ResourceSpans(&mut *sink)))?;
                    data = true;
                    last_list = Some(DataList::Spans);
                }
                DocumentField::ResourceLogs => {
                    map.next_value_seed(List(&mut logs::ResourceLogs(&mut *sink)))?;
                    data = true;
                    last_list = Some(DataList::Logs);
                }
                DocumentField::ResourceMetrics | DocumentField::ResourceProfiles => {
                    map.next_value::<IgnoredAny>()?;
                    other_signal = true;
                }
                DocumentField::Result | DocumentField::Trace => {
                    if let DocumentKind::Data { .. } = map.next_value_seed(Inner(&mut *sink))? {
                        data = true;
                    }
                }
                DocumentField::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(if data {
            DocumentKind::Data { last_list }
        } else if other_signal {
            DocumentKind::Metrics
        } else {
            DocumentKind::Unrecognised
        })
    }
}

/// A document inside a wrapper; `null` (an API's empty answer) holds nothing.
struct Inner<'s, 'b>(&'s mut Sink<'b>);

impl<'de> DeserializeSeed<'de> for Inner<'_, '_> {
    type Value = DocumentKind;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<DocumentKind, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Inner<'_, '_> {
    type Value = DocumentKind;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an OTLP JSON object such as {\"resourceSpans\": [...]}")
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<DocumentKind, E> {
        Ok(DocumentKind::Unrecognised)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<DocumentKind, A::Error> {
        Document(self.0).visit_map(map)
    }
}

/// The byte offset where document `index` (0-based) starts. Only for
/// messages: it scans the documents before it again.
fn document_start(text: &[u8], index: usize) -> usize {
    let mut stream = serde_json::Deserializer::from_slice(text).into_iter::<IgnoredAny>();
    for _ in 0..index {
        if stream.next().is_none() {
            break;
        }
    }
    stream.byte_offset()
}

/// The byte offset where the document holding byte `offset` starts.
fn start_of_document_at(text: &[u8], offset: usize) -> usize {
    let mut stream = serde_json::Deserializer::from_slice(text).into_iter::<IgnoredAny>();
    let mut start = stream.byte_offset();
    while let Some(Ok(_)) = stream.next() {
        if stream.byte_offset() > offset {
            break;
        }
        start = stream.byte_offset();
    }
    start
}

/// The error for an input where no document held traces or logs: what the
/// first document looks like instead.
fn explain_no_data(text: &[u8], metrics: usize, first_unrecognised: Option<usize>) -> IngestError {
    if let Some(offset) = first_unrecognised {
        let rest = text.get(offset..).unwrap_or(&[]);
        let value = serde_json::Deserializer::from_slice(rest)
            .into_iter::<serde_json::Value>()
            .next();
        if let Some(Ok(value)) = value {
            return match classify_json(&value) {
                Verdict::UnsupportedTraceFormat(name) => IngestError::Unsupported(name),
                Verdict::Other(what) => IngestError::NotTraceData(what),
            };
        }
    }
    if metrics > 0 {
        return IngestError::NotTraceData(
            "OTLP metrics only; Spanloupe shows traces and logs".to_owned(),
        );
    }
    IngestError::NoData("the JSON holds no documents".to_owned())
}

/// Turns a serde error into a message with its line and column and the
/// path of the offending field.
fn describe_error(text: &[u8], err: &serde_json::Error) -> IngestError {
    let (line, column) = (err.line(), err.column());
    if err.is_eof() {
        return IngestError::Truncated { line, column };
    }
    let mut message = strip_position(&err.to_string());
    if err.is_data() {
        // Parse the failing document again, tracking the path to the error;
        // only on this failure path do we pay for the tracking.
        let offset = start_of_document_at(text, byte_offset(text, line, column));
        let rest = text.get(offset..).unwrap_or(&[]);
        let mut scratch = TraceSetBuilder::new();
        let mut track = serde_path_to_error::Track::new();
        let mut deserializer = serde_json::Deserializer::from_slice(rest);
        let tracked = serde_path_to_error::Deserializer::new(&mut deserializer, &mut track);
        if let Err(inner) = Document(&mut Sink::new(&mut scratch)).deserialize(tracked) {
            let path = track.path().to_string();
            if path != "." && !path.is_empty() {
                message = format!("{path}: {}", strip_position(&inner.to_string()));
            }
        }
    } else if err.is_syntax() {
        message = format!("invalid JSON: {message}");
    }
    IngestError::Json {
        line,
        column,
        message,
    }
}

/// The byte offset of a 1-based line and column, as serde_json counts them.
fn byte_offset(text: &[u8], line: usize, column: usize) -> usize {
    let line_start = if line <= 1 {
        0
    } else {
        memchr::memchr_iter(b'\n', text)
            .nth(line - 2)
            .map_or(text.len(), |newline| newline + 1)
    };
    (line_start + column.saturating_sub(1)).min(text.len())
}

/// serde_json ends messages with " at line L column C"; we print the
/// position first, so it is taken off the message.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message.get(..at).unwrap_or(message).to_owned(),
        None => message.to_owned(),
    }
}

/// The 1-based line of a byte offset, skipping the whitespace before the
/// document that starts there.
fn line_of(text: &[u8], offset: usize) -> usize {
    let start = offset
        + text.get(offset..).map_or(0, |rest| {
            rest.iter().take_while(|b| b.is_ascii_whitespace()).count()
        });
    1 + text
        .get(..start)
        .map_or(0, |head| head.iter().filter(|&&b| b == b'\n').count())
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}
