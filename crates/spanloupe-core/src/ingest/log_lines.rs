//! OTLP JSON inside a log: a CI log whose lines carry OTLP JSON requests
//! after a prefix (a timestamp, a logger name), as a collector's `debug` or
//! file exporter echoes them. Each request is read from its `{` to the end
//! of its line; the other lines are skipped and counted.

use super::IngestError;
use super::otlp_json;
use crate::model::{TraceSetBuilder, WarningKind};

const STARTS: [&[u8]; 2] = [b"{\"resourceSpans\":", b"{\"resourceLogs\":"];

/// Whether some line of `bytes` carries an OTLP JSON request after other text.
pub fn looks_like_otlp_in_log(bytes: &[u8]) -> bool {
    STARTS
        .iter()
        .any(|start| memchr::memmem::find(bytes, start).is_some())
}

/// What a log held.
#[derive(Debug, Default)]
pub struct LogLinesSummary {
    pub requests: usize,
    pub skipped_lines: usize,
    pub unreadable_requests: usize,
}

pub fn read(bytes: &[u8], builder: &mut TraceSetBuilder) -> Result<LogLinesSummary, IngestError> {
    let mut summary = LogLinesSummary::default();
    for line in bytes.split(|&b| b == b'\n') {
        let start = STARTS
            .iter()
            .filter_map(|start| memchr::memmem::find(line, start))
            .min();
        let Some(start) = start else {
            summary.skipped_lines += usize::from(!line.trim_ascii().is_empty());
            continue;
        };
        let checkpoint = builder.checkpoint();
        match line
            .get(start..)
            .map(|request| otlp_json::read(request, builder))
        {
            Some(Ok(_)) => summary.requests += 1,
            _ => {
                // A request cut by the log's line length, say: none of it stays.
                builder.rollback(checkpoint);
                summary.unreadable_requests += 1;
            }
        }
    }
    if summary.requests == 0 {
        return Err(IngestError::NoData(
            "the text mentions OTLP JSON, but no line holds a whole request".to_owned(),
        ));
    }
    super::foreign::warn_skipped_lines(builder, summary.skipped_lines);
    if summary.unreadable_requests > 0 {
        builder.warn(
            WarningKind::SkippedText,
            format!(
                "{} holding OTLP JSON that could not be read (cut off?) skipped",
                crate::format::count(summary.unreadable_requests, "line", "lines")
            ),
        );
    }
    Ok(summary)
}
