//! The one error a failed input gives: where it went wrong and why, in words
//! a user can act on.

/// Why an input could not be loaded.
/// Serializable: the ingest worker sends it to the page as it is.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
pub enum IngestError {
    #[error("the input is empty")]
    Empty,
    /// Malformed JSON or a value of the wrong form, with its position.
    /// `message` names the field, e.g. `resourceSpans[0].scopeSpans[0].spans[3].spanId: ...`.
    #[error("line {line}, column {column}: {message}")]
    Json {
        line: usize,
        column: usize,
        message: String,
    },
    /// The JSON stops in the middle of a value.
    #[error(
        "line {line}, column {column}: the JSON ends in the middle of a value; the file looks truncated"
    )]
    Truncated { line: usize, column: usize },
    /// Binary data that is not an OTLP protobuf request.
    #[error("not OTLP protobuf: {0}")]
    Protobuf(String),
    #[error("the input is gzip-compressed but could not be decompressed: {0}")]
    Gzip(String),
    /// A trace format Spanloupe recognises but does not read yet.
    #[error("unsupported format: looks like {0}")]
    Unsupported(String),
    /// Data that is not traces or logs at all.
    #[error("not trace data: this looks like {0}")]
    NotTraceData(String),
    /// OTLP data without a single span or log record.
    #[error("no spans or log records: {0}")]
    NoData(String),
    /// More bytes than a page can hold ([`super::limits`]); `size` is a lower
    /// bound when the input was cut off at the limit (decompressing, fetching).
    #[error("{}", super::limits::too_large_message(*what, *size, *over))]
    TooLarge {
        what: super::limits::Measured,
        size: u64,
        /// The size is where reading stopped: the input is larger still.
        over: bool,
    },
    /// Memory for the input could not be had.
    #[error("{0}")]
    OutOfMemory(String),
}
