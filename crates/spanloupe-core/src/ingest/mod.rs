//! Ingest: bytes in, spans and log records into a [`TraceSetBuilder`].
//!
//! The format is detected from the content (gzip magic, JSON or binary), not
//! the file name: files get renamed, URLs have no extension. The name and the
//! content type only break ties.

pub mod console;
mod detect;
mod error;
mod foreign;
pub mod gzip;
pub mod jaeger;
pub mod limits;
pub mod log_lines;
pub mod otlp_json;
pub mod otlp_proto;
pub mod split;
pub mod tempo;
pub mod time;
pub mod zipkin;

pub use error::IngestError;
pub use otlp_json::DataList;

use crate::model::{TraceSet, TraceSetBuilder};

/// Where an input came from, as far as it helps to read it.
#[derive(Clone, Copy, Debug, Default)]
pub struct Source<'a> {
    /// The file name or URL.
    pub name: Option<&'a str>,
    /// An HTTP `Content-Type` or a browser `File.type`.
    pub content_type: Option<&'a str>,
}

/// The formats Spanloupe reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Format {
    OtlpJson,
    OtlpJsonLines,
    OtlpProtobuf,
    JaegerJson,
    ZipkinJson,
    /// The Python SDK's console exporters' output, as in a CI log.
    ConsoleOutput,
    /// OTLP JSON requests on the lines of a log, after other text.
    OtlpJsonInLog,
    /// Grafana Tempo's answer to a trace by id (`TraceByIDResponse`).
    TempoProtobuf,
}

impl Format {
    pub fn label(self) -> &'static str {
        match self {
            Format::OtlpJson => "OTLP JSON",
            Format::OtlpJsonLines => "OTLP JSON Lines",
            Format::OtlpProtobuf => "OTLP protobuf",
            Format::JaegerJson => "Jaeger JSON",
            Format::ZipkinJson => "Zipkin v2 JSON",
            Format::ConsoleOutput => "console exporter output",
            Format::OtlpJsonInLog => "OTLP JSON in a log",
            Format::TempoProtobuf => "Tempo protobuf",
        }
    }
}

/// What one input held.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct InputSummary {
    pub format: Format,
    pub gzipped: bool,
    pub spans: usize,
    pub logs: usize,
}

/// A loaded input: the indexed data and what it was.
#[derive(Debug)]
pub struct Loaded {
    pub set: TraceSet,
    pub summary: InputSummary,
}

/// Loads one input on its own.
pub fn load(bytes: &[u8], source: Source) -> Result<Loaded, IngestError> {
    let mut builder = TraceSetBuilder::new();
    let summary = ingest_into(&mut builder, bytes, source)?;
    Ok(Loaded {
        set: builder.finish(),
        summary,
    })
}

/// One input of [`load_many`].
#[derive(Clone, Copy, Debug)]
pub struct Input<'a> {
    pub bytes: &'a [u8],
    pub source: Source<'a>,
}

/// An input read into memory, with the names it came with: what the page
/// or the ingest worker holds before loading.
#[derive(Clone, Debug, Default)]
pub struct OwnedInput {
    pub name: String,
    pub content_type: Option<String>,
    pub bytes: Vec<u8>,
}

impl OwnedInput {
    pub fn as_input(&self) -> Input<'_> {
        Input {
            bytes: &self.bytes,
            source: Source {
                name: Some(&self.name),
                content_type: self.content_type.as_deref(),
            },
        }
    }
}

/// What loading several inputs together gave: the data (`None` when no
/// input loaded), and each input's outcome in order.
#[derive(Debug, Default)]
pub struct LoadedInputs {
    pub set: Option<TraceSet>,
    pub outcomes: Vec<Result<InputSummary, IngestError>>,
}

/// Loads several inputs into one set (a traces file and its logs file, or a
/// trace split over files). Each input's outcome is reported in order; those
/// that fail leave nothing behind.
pub fn load_many(inputs: &[Input]) -> LoadedInputs {
    let mut builder = TraceSetBuilder::new();
    let outcomes: Vec<_> = inputs
        .iter()
        .map(|input| ingest_into(&mut builder, input.bytes, input.source))
        .collect();
    let any_loaded = outcomes.iter().any(Result::is_ok);
    LoadedInputs {
        set: any_loaded.then(|| builder.finish()),
        outcomes,
    }
}

/// Adds one input to `builder`, for loading several files into one set (a
/// traces file with its logs file, or spans of one trace spread over files).
/// On error nothing of this input stays in the builder.
pub fn ingest_into(
    builder: &mut TraceSetBuilder,
    bytes: &[u8],
    source: Source,
) -> Result<InputSummary, IngestError> {
    let checkpoint = builder.checkpoint();
    let (spans_before, logs_before) = (builder.span_count(), builder.log_count());
    let result = ingest_bytes(builder, bytes, source, false).and_then(|(format, gzipped)| {
        let spans = builder.span_count() - spans_before;
        let logs = builder.log_count() - logs_before;
        if spans == 0 && logs == 0 {
            return Err(IngestError::NoData(format!(
                "the input is {} without a single span or log record",
                format.label()
            )));
        }
        Ok(InputSummary {
            format,
            gzipped,
            spans,
            logs,
        })
    });
    match result {
        Ok(summary) => Ok(summary),
        Err(err) => {
            builder.rollback(checkpoint);
            Err(err)
        }
    }
}

fn ingest_bytes(
    builder: &mut TraceSetBuilder,
    bytes: &[u8],
    source: Source,
    inside_gzip: bool,
) -> Result<(Format, bool), IngestError> {
    if gzip::is_gzip(bytes) {
        if inside_gzip {
            return Err(IngestError::Gzip("it is compressed twice".to_owned()));
        }
        let inflated = gzip::decompress(bytes)?;
        let (format, _) = ingest_bytes(builder, &inflated, source, true)?;
        return Ok((format, true));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let Some(&first) = bytes.iter().find(|b| !b.is_ascii_whitespace()) else {
        return Err(IngestError::Empty);
    };
    match first {
        // Console exporter output that starts with its first object.
        b'{' if console::looks_like_console(bytes) => {
            console::read(bytes, builder)?;
            Ok((Format::ConsoleOutput, inside_gzip))
        }
        b'{' | b'[' if detect::looks_like_jaeger(bytes) => {
            jaeger::read(bytes, builder)?;
            Ok((Format::JaegerJson, inside_gzip))
        }
        b'{' | b'[' if detect::looks_like_zipkin_v2(bytes) => {
            zipkin::read(bytes, builder)?;
            Ok((Format::ZipkinJson, inside_gzip))
        }
        b'{' => {
            let summary = otlp_json::read(bytes, builder)?;
            Ok((json_format(summary.documents, source), inside_gzip))
        }
        b'[' => Err(explain_json_array(bytes)),
        _ => read_binary(builder, bytes, source).map(|format| (format, inside_gzip)),
    }
}

/// OTLP JSON, or JSON Lines when there are several documents. A one-line
/// JSONL file is still JSONL to the user who named it so.
fn json_format(documents: usize, source: Source) -> Format {
    let named_jsonl = source
        .name
        .is_some_and(|n| n.ends_with(".jsonl") || n.ends_with(".ndjson"));
    if documents > 1 || named_jsonl {
        Format::OtlpJsonLines
    } else {
        Format::OtlpJson
    }
}

/// A top-level JSON array is never OTLP; say what it is.
fn explain_json_array(bytes: &[u8]) -> IngestError {
    match serde_json::from_slice::<serde_json::Value>(bytes) {
        Ok(value) => match detect::classify_json(&value) {
            detect::Verdict::UnsupportedTraceFormat(name) => IngestError::Unsupported(name),
            detect::Verdict::Other(what) => IngestError::NotTraceData(what),
        },
        Err(err) if err.is_eof() => IngestError::Truncated { line: err.line(), column: err.column() },
        Err(err) => IngestError::Json {
            line: err.line(),
            column: err.column(),
            message: "a JSON array, which is not OTLP (it expects an object such as {\"resourceSpans\": [...]})".to_owned(),
        },
    }
}

/// Input that does not start like JSON: protobuf, a log with console
/// exporter output in it, or text of another kind.
fn read_binary(
    builder: &mut TraceSetBuilder,
    bytes: &[u8],
    source: Source,
) -> Result<Format, IngestError> {
    let checkpoint = builder.checkpoint();
    match otlp_proto::read(bytes, builder) {
        Ok(_) => Ok(Format::OtlpProtobuf),
        // Its trace is one level down: as a request it fails on the first
        // batch's scopes.
        Err(_) if tempo::looks_like_trace_by_id(bytes) => {
            builder.rollback(checkpoint);
            tempo::read_trace_by_id(bytes, builder).map(|()| Format::TempoProtobuf)
        }
        Err(_) if console::looks_like_console(bytes) => {
            // Text can decode as the start of a request: none of it stays.
            builder.rollback(checkpoint);
            console::read(bytes, builder).map(|_| Format::ConsoleOutput)
        }
        Err(_) if log_lines::looks_like_otlp_in_log(bytes) => {
            builder.rollback(checkpoint);
            log_lines::read(bytes, builder).map(|_| Format::OtlpJsonInLog)
        }
        Err(proto_error) => {
            let said_protobuf = source.content_type.is_some_and(|t| t.contains("protobuf"))
                || source.name.is_some_and(|n| {
                    n.ends_with(".pb") || n.ends_with(".protobuf") || n.ends_with(".bin")
                });
            match detect::classify_text(bytes) {
                Some(detect::Verdict::Other(what)) if !said_protobuf => {
                    Err(IngestError::NotTraceData(what))
                }
                Some(detect::Verdict::UnsupportedTraceFormat(name)) => {
                    Err(IngestError::Unsupported(name))
                }
                _ => Err(proto_error),
            }
        }
    }
}
