//! What the backends answer when the viewer is connected to them, read as
//! the APIs document it: Jaeger v3's search streams several `{"result": …}`
//! objects in one body, Jaeger v1 answers Jaeger JSON, Tempo answers a
//! trace as protobuf (`TraceByIDResponse`) or as its `Trace` alone.

mod common;

use prost::Message as _;
use spanloupe_core::ingest::{Format, Source, tempo};
use spanloupe_core::model::{TraceSetBuilder, WarningKind};
use spanloupe_core::wire::{ExportTraceServiceRequest, ResourceSpans, ScopeSpans, Span};

fn request(trace: u8, names: &[&str]) -> ExportTraceServiceRequest {
    ExportTraceServiceRequest {
        resource_spans: vec![ResourceSpans {
            scope_spans: vec![ScopeSpans {
                spans: names
                    .iter()
                    .zip(1u8..)
                    .map(|(name, i)| Span {
                        trace_id: vec![trace; 16],
                        span_id: vec![i; 8],
                        name: (*name).to_owned(),
                        start_time_unix_nano: 1_000,
                        end_time_unix_nano: 2_000,
                        ..Span::default()
                    })
                    .collect(),
                ..ScopeSpans::default()
            }],
            ..ResourceSpans::default()
        }],
    }
}

/// A protobuf field: its key, then its length and bytes, or a varint.
fn field_bytes(tag: u32, bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    prost::encoding::encode_key(tag, prost::encoding::WireType::LengthDelimited, &mut out);
    prost::encoding::encode_varint(bytes.len() as u64, &mut out);
    out.extend_from_slice(bytes);
    out
}

fn field_varint(tag: u32, value: u64) -> Vec<u8> {
    let mut out = Vec::new();
    prost::encoding::encode_key(tag, prost::encoding::WireType::Varint, &mut out);
    prost::encoding::encode_varint(value, &mut out);
    out
}

#[test]
fn tempo_trace_by_id_as_protobuf() {
    let trace = request(7, &["GET /cart", "SELECT"]).encode_to_vec();
    // TraceByIDResponse: trace = 1, metrics = 2, status = 3, message = 4.
    let mut answer = field_bytes(1, &trace);
    answer.extend(field_bytes(2, &field_varint(1, 4096)));
    answer.extend(field_varint(3, 1));
    answer.extend(field_bytes(4, b"querier timed out on 1 of 3 blocks"));
    let mut builder = TraceSetBuilder::new();
    tempo::read_trace_by_id(&answer, &mut builder).expect("reads");
    let set = builder.finish();
    assert_eq!(set.traces.len(), 1);
    let names: Vec<&str> = set.spans.iter().map(|s| set.str(s.name)).collect();
    assert_eq!(names, ["GET /cart", "SELECT"]);
    let warnings: Vec<String> = set.warnings.iter().map(|w| w.message.clone()).collect();
    assert_eq!(
        warnings,
        [
            "Tempo returned part of the trace: some of its spans could not be read in time",
            "Tempo said: querier timed out on 1 of 3 blocks"
        ]
    );
    assert!(
        set.warnings
            .iter()
            .all(|w| w.kind == WarningKind::FromSource)
    );

    // Complete, no message: no warning.
    let mut builder = TraceSetBuilder::new();
    tempo::read_trace_by_id(&field_bytes(1, &trace), &mut builder).expect("reads");
    assert_eq!(builder.finish().warnings.total(), 0);

    // Cut short, or with no trace: an error, never a panic.
    let mut builder = TraceSetBuilder::new();
    let cut = tempo::read_trace_by_id(&answer[..answer.len() / 2], &mut builder).unwrap_err();
    assert!(cut.to_string().contains("damaged"), "{cut}");
    let none =
        tempo::read_trace_by_id(&field_varint(3, 0), &mut TraceSetBuilder::new()).unwrap_err();
    assert!(none.to_string().contains("holds no trace"), "{none}");
}

#[test]
fn tempo_trace_by_id_is_recognised_among_protobuf_inputs() {
    let trace = request(7, &["GET /cart"]).encode_to_vec();
    let mut answer = field_bytes(1, &trace);
    answer.extend(field_varint(3, 0));
    assert!(tempo::looks_like_trace_by_id(&answer));
    let loaded = spanloupe_core::load(&answer, Source::default()).expect("loads");
    assert_eq!(loaded.summary.format, Format::TempoProtobuf);
    assert_eq!(loaded.set.span_count(), 1);
    // An OTLP request is not one (its batches repeat at field 1), and reads
    // as the request it is.
    let two_batches = ExportTraceServiceRequest {
        resource_spans: [
            request(1, &["a"]).resource_spans,
            request(2, &["b"]).resource_spans,
        ]
        .concat(),
    }
    .encode_to_vec();
    assert!(!tempo::looks_like_trace_by_id(&two_batches));
    let loaded = spanloupe_core::load(&two_batches, Source::default()).expect("loads");
    assert_eq!(loaded.summary.format, Format::OtlpProtobuf);
}

#[test]
fn tempo_trace_alone_reads_as_a_request() {
    // `/api/traces/{id}` as protobuf: `tempopb.Trace`, field 1 its batches.
    let bytes = request(7, &["root"]).encode_to_vec();
    let loaded = spanloupe_core::load(
        &bytes,
        Source {
            name: None,
            content_type: Some("application/protobuf"),
        },
    )
    .expect("loads");
    assert_eq!(loaded.summary.format, Format::OtlpProtobuf);
    assert_eq!(loaded.set.span_count(), 1);
}

#[test]
fn jaeger_v3_search_streams_several_results_in_one_body() {
    // `/api/v3/traces` writes one `{"result": TracesData}` after another
    // (the gRPC gateway's stream), with or without a newline between.
    let one = r#"{"result":{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"shop"}}]},"scopeSpans":[{"spans":[{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203331","name":"GET /cart","startTimeUnixNano":"1000","endTimeUnixNano":"2000"}]}]}]}}"#;
    let two = one
        .replace(
            "0af7651916cd43dd8448eb211c80319c",
            "1af7651916cd43dd8448eb211c80319c",
        )
        .replace("GET /cart", "POST /order");
    for separator in ["", "\n"] {
        let body = format!("{one}{separator}{two}");
        let loaded = spanloupe_core::load(body.as_bytes(), Source::default()).expect("loads");
        assert_eq!(loaded.set.traces.len(), 2, "separator {separator:?}");
        let mut names: Vec<&str> = loaded
            .set
            .spans
            .iter()
            .map(|s| loaded.set.str(s.name))
            .collect();
        names.sort_unstable();
        assert_eq!(names, ["GET /cart", "POST /order"]);
    }
}
