//! OTLP JSON: one `ExportTraceServiceRequest` / `ExportLogsServiceRequest`
//! document, or many of them one per line (JSON Lines, as the collector's and
//! the SDKs' file exporters write), also wrapped as query APIs return them.
//!
//! A stream deserializer reads both: one document is a stream of one. Each
//! document is handed to the builder as soon as it is read, so a JSONL file
//! never holds more than one line's messages at a time.

use serde::Deserialize;
use serde::de::IgnoredAny;

use super::IngestError;
use super::detect::{Verdict, classify_json};
use crate::model::{TraceSetBuilder, WarningKind};
use crate::wire::{ResourceLogs, ResourceSpans};

/// One top-level JSON document: a traces or logs request, one of the
/// wrappers query APIs put around them, or another signal we skip.
#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Document {
    /// Tempo's `/api/traces` calls the same list `batches`.
    #[serde(alias = "resource_spans", alias = "batches")]
    resource_spans: Option<Vec<ResourceSpans>>,
    #[serde(alias = "resource_logs")]
    resource_logs: Option<Vec<ResourceLogs>>,
    #[serde(alias = "resource_metrics")]
    resource_metrics: Option<IgnoredAny>,
    #[serde(alias = "resource_profiles")]
    resource_profiles: Option<IgnoredAny>,
    /// Jaeger's API v3 (`/api/v3/traces/{id}`): `{"result": {...}}`.
    result: Option<Box<Document>>,
    /// Tempo's API v2 (`/api/v2/traces/{id}`): `{"trace": {...}}`.
    trace: Option<Box<Document>>,
}

/// What one JSON input held.
#[derive(Default, Debug)]
pub struct JsonSummary {
    pub documents: usize,
    pub skipped_documents: usize,
}

/// Reads every document of `text` into `builder`.
pub fn read(text: &[u8], builder: &mut TraceSetBuilder) -> Result<JsonSummary, IngestError> {
    let mut summary = JsonSummary::default();
    let mut skipped_metrics = 0usize;
    let mut unrecognised: Option<(usize, usize)> = None; // (byte offset, line)
    let mut stream = serde_json::Deserializer::from_slice(text).into_iter::<Document>();
    loop {
        let offset = stream.byte_offset();
        let Some(next) = stream.next() else { break };
        let document = next.map_err(|err| describe_error(text, offset, &err))?;
        summary.documents += 1;
        match add_document(document, builder) {
            DocumentKind::Data => {}
            DocumentKind::Metrics => skipped_metrics += 1,
            DocumentKind::Unrecognised => {
                summary.skipped_documents += 1;
                unrecognised.get_or_insert((offset, line_of(text, offset)));
            }
        }
    }
    let recognised = summary.documents - summary.skipped_documents - skipped_metrics;
    if recognised == 0 {
        return Err(explain_no_data(
            text,
            skipped_metrics,
            unrecognised.map(|(offset, _)| offset),
        ));
    }
    if skipped_metrics > 0 {
        builder.warn(
            WarningKind::SkippedSignal,
            format!(
                "skipped {skipped_metrics} OTLP metrics {}; Spanloupe shows traces and logs",
                plural(skipped_metrics, "batch", "batches")
            ),
        );
    }
    if let Some((_, line)) = unrecognised {
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

enum DocumentKind {
    Data,
    Metrics,
    Unrecognised,
}

fn add_document(document: Document, builder: &mut TraceSetBuilder) -> DocumentKind {
    let Document {
        resource_spans,
        resource_logs,
        resource_metrics,
        resource_profiles,
        result,
        trace,
    } = document;
    let mut kind = DocumentKind::Unrecognised;
    if let Some(batches) = resource_spans {
        builder.add_resource_spans(batches);
        kind = DocumentKind::Data;
    }
    if let Some(batches) = resource_logs {
        builder.add_resource_logs(batches);
        kind = DocumentKind::Data;
    }
    for inner in [result, trace].into_iter().flatten() {
        if let DocumentKind::Data = add_document(*inner, builder) {
            kind = DocumentKind::Data;
        }
    }
    if matches!(kind, DocumentKind::Unrecognised)
        && (resource_metrics.is_some() || resource_profiles.is_some())
    {
        kind = DocumentKind::Metrics;
    }
    kind
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

/// Turns a serde error at the document starting at `offset` into a message
/// with its absolute line and column and the path of the offending field.
fn describe_error(text: &[u8], offset: usize, err: &serde_json::Error) -> IngestError {
    let (line, column) = (err.line(), err.column());
    if err.is_eof() {
        return IngestError::Truncated { line, column };
    }
    let mut message = strip_position(&err.to_string());
    if err.is_data() {
        // Parse the failing document again, tracking the path to the error;
        // only on this failure path do we pay for the tracking.
        let rest = text.get(offset..).unwrap_or(&[]);
        let mut deserializer = serde_json::Deserializer::from_slice(rest);
        if let Err(tracked) = serde_path_to_error::deserialize::<_, Document>(&mut deserializer) {
            let path = tracked.path().to_string();
            if path != "." && !path.is_empty() {
                message = format!("{path}: {}", strip_position(&tracked.inner().to_string()));
            }
        }
        if message.contains("expected struct Document") {
            message = "expected an OTLP JSON object such as {\"resourceSpans\": [...]}".to_owned();
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
