//! What the store keeps of each request: its body as received, and one index
//! row per span and per log record, so that listing, searching and fetching a
//! trace are indexed queries that decode only the requests they need.

/// Which OTLP signal a request carried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Signal {
    Traces,
    Logs,
}

impl Signal {
    pub fn number(self) -> i64 {
        match self {
            Signal::Traces => 0,
            Signal::Logs => 1,
        }
    }

    pub fn from_number(number: i64) -> Signal {
        if number == 1 {
            Signal::Logs
        } else {
            Signal::Traces
        }
    }
}

/// One request to keep: its (decompressed) body and the rows that index it.
#[derive(Clone, Debug)]
pub struct Batch {
    pub signal: Signal,
    pub body: Vec<u8>,
    pub spans: Vec<SpanRow>,
    pub logs: Vec<LogRow>,
    /// Spans of the body that were refused (no valid trace or span id):
    /// kept in the body, never indexed, counted.
    pub rejected_spans: u64,
}

/// The indexed facts of one span.
#[derive(Clone, Debug, PartialEq)]
pub struct SpanRow {
    pub trace_id: [u8; 16],
    pub span_id: [u8; 8],
    pub parent_span_id: Option<[u8; 8]>,
    pub service: String,
    pub name: String,
    /// OTLP `SpanKind` number.
    pub kind: i64,
    pub start_unix_nanos: u64,
    pub end_unix_nanos: u64,
    /// OTLP `Status.code` number.
    pub status: i64,
    pub model: Option<String>,
    pub input_tokens: Option<u64>,
    pub output_tokens: Option<u64>,
    /// Whether its tokens count toward the trace's totals (a model call that
    /// wraps no other model call of the same request).
    pub counted: bool,
}

impl SpanRow {
    pub fn is_error(&self) -> bool {
        self.status == 2
    }
}

/// The indexed facts of one log record.
#[derive(Clone, Debug, PartialEq)]
pub struct LogRow {
    pub trace_id: Option<[u8; 16]>,
    pub span_id: Option<[u8; 8]>,
    pub time_unix_nanos: u64,
}

/// SQLite integers are signed: nanoseconds since 1970 fit until 2262.
pub fn nanos_sql(nanos: u64) -> i64 {
    i64::try_from(nanos).unwrap_or(i64::MAX)
}

pub fn nanos_from_sql(nanos: i64) -> u64 {
    u64::try_from(nanos).unwrap_or(0)
}
