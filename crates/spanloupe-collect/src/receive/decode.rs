//! A request body into what the store keeps, read by the core exactly as the
//! viewer reads a file: the body is kept as it came, and the model gives the
//! index rows (ids, names, times, status, GenAI model and tokens).

use spanloupe_core::genai::TraceGenAi;
use spanloupe_core::ingest::gzip::decompress_at_most;
use spanloupe_core::ingest::otlp_proto::{ProtoKind, read_request};
use spanloupe_core::ingest::{IngestError, Source};
use spanloupe_core::model::{Problems, SpanIdx, TraceSet, TraceSetBuilder};

use crate::store::{Batch, LogRow, Signal, SpanRow};

/// How a body is encoded, from its `Content-Type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Protobuf,
    Json,
}

impl Encoding {
    /// `application/x-protobuf` (or `application/protobuf`) and
    /// `application/json`, parameters such as `charset` ignored.
    pub fn from_content_type(content_type: &str) -> Option<Encoding> {
        let essence = content_type
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        match essence.as_str() {
            "application/x-protobuf" | "application/protobuf" => Some(Encoding::Protobuf),
            "application/json" => Some(Encoding::Json),
            _ => None,
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Encoding::Protobuf => "application/x-protobuf",
            Encoding::Json => "application/json",
        }
    }
}

/// Why a body was refused.
#[derive(Debug, thiserror::Error)]
pub enum Refused {
    /// The body cannot be read: the client must not send it again.
    #[error("{0}")]
    Malformed(String),
    #[error("{0}")]
    TooLarge(String),
}

/// Inflates a gzip body, refusing one that inflates past `limit` without
/// ever holding more than that.
pub fn gunzip(body: &[u8], limit: u64) -> Result<Vec<u8>, Refused> {
    decompress_at_most(body, limit).map_err(|err| match err {
        IngestError::TooLarge { .. } => Refused::TooLarge(format!(
            "the body inflates past {limit} bytes, the collector's limit for a decompressed request"
        )),
        other => Refused::Malformed(other.to_string()),
    })
}

/// Reads a (decompressed) body of `signal`. A request without a single span
/// or log record is valid OTLP and gives an empty batch.
pub fn decode(signal: Signal, body: Vec<u8>, encoding: Encoding) -> Result<Batch, Refused> {
    let set = match encoding {
        Encoding::Protobuf => read_protobuf(signal, &body)?,
        Encoding::Json => read_json(&body)?,
    };
    let wrong = match signal {
        Signal::Traces if set.span_count() == 0 && !set.logs.is_empty() => Some("/v1/logs"),
        Signal::Logs if set.span_count() > 0 => Some("/v1/traces"),
        _ => None,
    };
    if let Some(path) = wrong {
        return Err(Refused::Malformed(format!(
            "the body is a {} request: send it to {path}",
            if path == "/v1/logs" { "logs" } else { "traces" }
        )));
    }
    let (spans, rejected_spans) = span_rows(&set);
    let logs = log_rows(&set);
    Ok(Batch {
        signal,
        body,
        spans,
        logs,
        rejected_spans,
    })
}

/// A protobuf body is decoded as the request its path names, so that a span
/// with a malformed id is refused alone (partial success).
fn read_protobuf(signal: Signal, body: &[u8]) -> Result<TraceSet, Refused> {
    let kind = match signal {
        Signal::Traces => ProtoKind::Traces,
        Signal::Logs => ProtoKind::Logs,
    };
    let mut builder = TraceSetBuilder::new();
    read_request(body, kind, &mut builder).map_err(|err| Refused::Malformed(err.to_string()))?;
    Ok(builder.finish())
}

fn read_json(body: &[u8]) -> Result<TraceSet, Refused> {
    let source = Source {
        name: None,
        content_type: Some(Encoding::Json.content_type()),
    };
    match spanloupe_core::load(body, source) {
        Ok(loaded) => Ok(loaded.set),
        Err(IngestError::NoData(_) | IngestError::Empty) => Ok(TraceSet::default()),
        Err(_) if is_empty_json_request(body) => Ok(TraceSet::default()),
        Err(err) => Err(Refused::Malformed(err.to_string())),
    }
}

/// `{}` or `{"resourceSpans": []}`: a valid request with nothing in it,
/// which a file viewer calls "not trace data".
fn is_empty_json_request(body: &[u8]) -> bool {
    const LISTS: [&str; 4] = [
        "resourceSpans",
        "resource_spans",
        "resourceLogs",
        "resource_logs",
    ];
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(serde_json::Value::Object(map)) => map.iter().all(|(key, value)| {
            LISTS.contains(&key.as_str()) && value.as_array().is_some_and(Vec::is_empty)
        }),
        _ => false,
    }
}

/// The index rows of the set's spans, and how many were refused for want of
/// a trace or span id.
fn span_rows(set: &TraceSet) -> (Vec<SpanRow>, u64) {
    let mut rows = Vec::with_capacity(set.span_count());
    let mut rejected = 0;
    for trace in &set.traces {
        let genai = TraceGenAi::of(set, trace);
        for index in trace.spans.range() {
            let idx = SpanIdx::at(index);
            let Some(span) = set.span(idx) else { continue };
            if span.problems.contains(Problems::NO_TRACE_ID)
                || span.problems.contains(Problems::NO_SPAN_ID)
            {
                rejected += 1;
                continue;
            }
            let call = genai.get(idx);
            rows.push(SpanRow {
                trace_id: span.trace_id.0,
                span_id: span.span_id.0,
                parent_span_id: (!span.parent_span_id.is_zero()).then_some(span.parent_span_id.0),
                service: set.service_name(idx).to_owned(),
                name: set.str(span.name).to_owned(),
                kind: span.kind as i64,
                start_unix_nanos: span.start_unix_nanos,
                end_unix_nanos: span.end_unix_nanos,
                status: span.status_code as i64,
                model: call.and_then(|c| c.model).map(|m| set.str(m).to_owned()),
                input_tokens: call.and_then(|c| c.usage.input),
                output_tokens: call.and_then(|c| c.usage.output),
                counted: call.is_some_and(|c| c.counted),
            });
        }
    }
    (rows, rejected)
}

fn log_rows(set: &TraceSet) -> Vec<LogRow> {
    set.logs
        .iter()
        .map(|log| LogRow {
            trace_id: (!log.trace_id.is_zero()).then_some(log.trace_id.0),
            span_id: (!log.span_id.is_zero()).then_some(log.span_id.0),
            time_unix_nanos: if log.time_unix_nanos != 0 {
                log.time_unix_nanos
            } else {
                log.observed_time_unix_nanos
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRACES: &str = r#"{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"shop"}}]},
      "scopeSpans":[{"scope":{"name":"s"},"spans":[
        {"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"GET /cart","kind":2,
         "startTimeUnixNano":"1000","endTimeUnixNano":"9000","status":{"code":2}},
        {"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b175","parentSpanId":"eee19b7ec3c1b174",
         "name":"chat gpt-4o","kind":3,"startTimeUnixNano":"2000","endTimeUnixNano":"8000",
         "attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"chat"}},
                       {"key":"gen_ai.request.model","value":{"stringValue":"gpt-4o"}},
                       {"key":"gen_ai.usage.input_tokens","value":{"intValue":"12"}},
                       {"key":"gen_ai.usage.output_tokens","value":{"intValue":"3"}}]},
        {"traceId":"","spanId":"eee19b7ec3c1b176","name":"no trace id","startTimeUnixNano":"1","endTimeUnixNano":"2"}
      ]}]}]}"#;

    #[test]
    fn spans_become_rows_and_spans_without_ids_are_refused() {
        let batch =
            decode(Signal::Traces, TRACES.as_bytes().to_vec(), Encoding::Json).expect("decodes");
        assert_eq!(batch.rejected_spans, 1);
        assert_eq!(batch.spans.len(), 2);
        let root = batch
            .spans
            .iter()
            .find(|s| s.name == "GET /cart")
            .expect("root");
        assert_eq!(root.service, "shop");
        assert_eq!(root.parent_span_id, None);
        assert!(root.is_error());
        assert_eq!((root.start_unix_nanos, root.end_unix_nanos), (1000, 9000));
        let call = batch
            .spans
            .iter()
            .find(|s| s.name == "chat gpt-4o")
            .expect("call");
        assert_eq!(call.model.as_deref(), Some("gpt-4o"));
        assert_eq!((call.input_tokens, call.output_tokens), (Some(12), Some(3)));
        assert!(call.counted);
        assert_eq!(call.parent_span_id, Some(root.span_id));
    }

    #[test]
    fn an_empty_request_is_an_empty_batch() {
        let batch = decode(Signal::Traces, b"{}".to_vec(), Encoding::Json).expect("valid");
        assert!(batch.spans.is_empty() && batch.logs.is_empty());
        let batch = decode(
            Signal::Traces,
            br#"{"resourceSpans": []}"#.to_vec(),
            Encoding::Json,
        )
        .expect("valid");
        assert!(batch.spans.is_empty() && batch.logs.is_empty());
        let batch = decode(Signal::Traces, Vec::new(), Encoding::Protobuf).expect("valid");
        assert!(batch.spans.is_empty());
    }

    #[test]
    fn a_body_of_the_other_signal_is_refused_with_the_right_path() {
        let err = decode(Signal::Logs, TRACES.as_bytes().to_vec(), Encoding::Json)
            .expect_err("traces on /v1/logs");
        assert!(err.to_string().contains("/v1/traces"), "{err}");
    }

    #[test]
    fn malformed_bodies_say_where() {
        let err = decode(
            Signal::Traces,
            br#"{"resourceSpans": [{"#.to_vec(),
            Encoding::Json,
        )
        .expect_err("truncated");
        assert!(matches!(err, Refused::Malformed(_)));
        assert!(err.to_string().contains("line 1"), "{err}");
        let err = decode(Signal::Traces, vec![0x0a, 0xff, 0x01], Encoding::Protobuf)
            .expect_err("truncated protobuf");
        assert!(matches!(err, Refused::Malformed(_)));
    }

    #[test]
    fn a_gzip_bomb_is_too_large_without_inflating_it() {
        use std::io::Write as _;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&vec![0u8; 8 << 20]).expect("write");
        let bomb = gz.finish().expect("finish");
        assert!(bomb.len() < 64 << 10);
        assert!(matches!(gunzip(&bomb, 1 << 20), Err(Refused::TooLarge(_))));
    }

    #[test]
    fn content_types() {
        assert_eq!(
            Encoding::from_content_type("application/json; charset=utf-8"),
            Some(Encoding::Json)
        );
        assert_eq!(
            Encoding::from_content_type("application/x-protobuf"),
            Some(Encoding::Protobuf)
        );
        assert_eq!(Encoding::from_content_type("text/plain"), None);
    }
}

#[cfg(test)]
mod never_panics {
    use super::*;

    /// A small deterministic generator: the same bodies every run.
    fn bytes(seed: &mut u64, len: usize) -> Vec<u8> {
        (0..len)
            .map(|_| {
                *seed ^= *seed << 13;
                *seed ^= *seed >> 7;
                *seed ^= *seed << 17;
                seed.to_le_bytes()[4]
            })
            .collect()
    }

    #[test]
    fn on_any_body() {
        let valid = br#"{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"x","startTimeUnixNano":"1","endTimeUnixNano":"2"}]}]}]}"#;
        let mut seed = 0x9e37_79b9_7f4a_7c15;
        for round in 0..2_000 {
            let len = round % 300;
            let mut body = bytes(&mut seed, len);
            if round % 3 == 0 {
                // A valid body damaged at one place.
                body = valid.to_vec();
                let at = usize::from(bytes(&mut seed, 1)[0]) % body.len();
                body[at] = bytes(&mut seed, 1)[0];
                body.truncate(body.len() - round % 7);
            }
            for signal in [Signal::Traces, Signal::Logs] {
                for encoding in [Encoding::Protobuf, Encoding::Json] {
                    let _outcome = decode(signal, body.clone(), encoding);
                }
            }
            let _inflated = gunzip(&body, 1 << 20);
        }
    }
}
