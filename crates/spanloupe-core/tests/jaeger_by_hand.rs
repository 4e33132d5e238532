//! Jaeger JSON read by hand (`ingest/jaeger/fast.rs`) against serde's
//! reader: the same model from every input the hand reader takes, what it
//! does not take handed to serde, and nothing serde refuses ever read.

// A test fails by panicking, with the input that failed.
#![allow(clippy::panic)]

mod common;

use spanloupe_core::export::otlp_data::{Logs, document};
use spanloupe_core::ingest::jaeger::{self, JaegerSummary};
use spanloupe_core::model::{TraceId, TraceSet, TraceSetBuilder};

/// The input read one way: its summary, and the model as OTLP JSON with
/// its warnings, or the error.
fn read(bytes: &[u8], by_hand: bool) -> Result<(JaegerSummary, String), String> {
    let mut builder = TraceSetBuilder::new();
    let summary = if by_hand {
        jaeger::read(bytes, &mut builder)
    } else {
        jaeger::read_with_serde(bytes, &mut builder)
    }
    .map_err(|err| err.to_string())?;
    Ok((summary, model(&builder.finish())))
}

fn model(set: &TraceSet) -> String {
    let ids: Vec<TraceId> = set.traces.iter().map(|t| t.trace_id).collect();
    let json = document(set, &ids, Logs::OfTheTracesAndUncorrelated);
    let warnings: Vec<String> = set
        .warnings
        .iter()
        .map(|w| format!("{:?}: {}", w.kind, w.message))
        .collect();
    format!("{json}\n{warnings:#?}\nspans {}", set.span_count())
}

/// Reads `text` both ways: the hand reader must take it and build what
/// serde builds.
fn same_by_hand(name: &str, text: &str) {
    let (hand, hand_model) = read(text.as_bytes(), true).unwrap_or_else(|e| panic!("{name}: {e}"));
    let (serde, serde_model) =
        read(text.as_bytes(), false).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert!(hand.by_hand, "{name}: not read by hand");
    assert!(!serde.by_hand);
    assert_eq!(hand_model, serde_model, "{name}");
    assert_eq!(
        (hand.documents, hand.traces, hand.ends_in_data),
        (serde.documents, serde.traces, serde.ends_in_data),
        "{name}"
    );
}

const TRACE_ID: &str = "0af7651916cd43dd8448eb211c80319c";

/// Every field the hand reader reads, with escapes, numbers of every kind
/// and nulls.
fn rich() -> String {
    format!(
        r#"{{"data":[{{"traceID":"{TRACE_ID}","spans":[
  {{"traceID":"{TRACE_ID}","spanID":"00000000000000a1","flags":1,"operationName":"GET /caf\u00e9 \"quoted\"\n\ud83d\ude00",
   "references":[],"startTime":1700000000000000,"duration":5000,"processID":"p1",
   "tags":[{{"key":"span.kind","type":"string","value":"server"}},{{"key":"http.status_code","type":"int64","value":500}},
           {{"key":"error","type":"bool","value":true}},{{"key":"ratio","type":"float64","value":0.25}},
           {{"key":"big","type":"int64","value":18446744073709551615}},{{"key":"neg","type":"int64","value":-9223372036854775808}},
           {{"key":"exp","type":"float64","value":-1.5e-3}},{{"key":"whole","type":"float64","value":3}},
           {{"key":"huge","type":"float64","value":1e300}},{{"key":"as text","type":"bool","value":"true"}},
           {{"key":"bytes","type":"binary","value":"aGVsbG8="}},{{"key":"nothing","type":"string","value":null}},
           {{"value":"first","key":"reordered","type":"string"}},{{"key":"list","value":[1,{{"a":[]}}],"type":"string"}},
           {{"key":"esc\u0061ped","type":"string","value":"tab\tslash\/back\\"}},
           {{"key":"w3c.tracestate","type":"string","value":"vendor=1"}}],
   "logs":[{{"timestamp":1700000000001000,"fields":[{{"key":"event","type":"string","value":"exception"}},
                                                  {{"key":"exception.message","type":"string","value":"boom"}}]}},
           {{"timestamp":null,"fields":null,"extra":{{"x":[true,false,null]}}}}],
   "warnings":["clock skew adjusted"]}},
  {{"traceID":"{TRACE_ID}","spanID":"00000000000000b2","operationName":"charge","unknown":{{"deep":[[[]]]}},
   "references":[{{"refType":"FOLLOWS_FROM","traceID":"{TRACE_ID}","spanID":"00000000000000c3"}},
                 {{"refType":"CHILD_OF","traceID":"{TRACE_ID}","spanID":"00000000000000a1"}},
                 {{"refType":"CHILD_OF","traceID":"1111111111111111","spanID":"00000000000000d4"}}],
   "startTime":1700000000001000,"duration":2000,"processID":"p2",
   "tags":[{{"key":"otel.status_code","type":"string","value":"ERROR"}},{{"key":"otel.status_description","type":"string","value":"declined"}},
           {{"key":"otel.scope.name","type":"string","value":"payments"}},{{"key":"otel.scope.version","type":"string","value":"2.1"}}],
   "logs":null,"warnings":null,"flags":null}},
  {{"traceID":"{TRACE_ID}","spanID":"bad","operationName":null,"startTime":1700000000002000,"duration":1,"processID":null,"tags":null}}],
 "processes":{{"p1":{{"serviceName":"frontend","tags":[{{"key":"host.name","type":"string","value":"web-1"}}]}},
              "p2":{{"serviceName":"payments","tags":null}}}},
 "warnings":["trace truncated by the query service"]}}],
 "total":0,"limit":0,"offset":0,"errors":null}}"#
    )
}

#[test]
fn builds_what_serde_builds() {
    same_by_hand("rich", &rich());
    let corpus = common::corpus_bytes("jaeger-otlp2jaeger-out.jaeger.json");
    same_by_hand("corpus", std::str::from_utf8(&corpus).expect("text"));
    // The shapes of a document, and processes before the spans.
    let trace = format!(
        r#"{{"processes":{{"p1":{{"serviceName":"solo"}}}},"traceID":"{TRACE_ID}","spans":[{{"traceID":"{TRACE_ID}","spanID":"00000000000000a1","operationName":"one","startTime":1,"duration":1,"processID":"p1"}}]}}"#
    );
    same_by_hand("bare", &trace);
    same_by_hand("list", &format!("[{trace}, {trace}]"));
    same_by_hand(
        "lines",
        &format!("{trace}\n{}\n\n", rich().replace('\n', " ")),
    );
    same_by_hand("no data", r#"{"data":null,"errors":[]}"#);
    same_by_hand("empty", r#"{"data":[]}"#);
    // Pretty-printed, with every kind of whitespace.
    let spaced = rich().replace(':', " :\t").replace(',', "\r\n , ");
    same_by_hand("spaced", &spaced);
}

#[test]
fn what_only_serde_reads_goes_to_serde() {
    let api_v2 = common::corpus_bytes("jaeger-apiv2-domain_03.json");
    let with_errors = rich().replace(
        r#""errors":null"#,
        r#""errors":[{"code":404,"msg":"trace not found","traceID":"ffff"}]"#,
    );
    let rfc3339 = rich().replace("1700000000002000", r#""2023-11-14T22:13:20Z""#);
    for (name, bytes) in [
        ("api_v2", api_v2),
        ("errors", with_errors.into_bytes()),
        ("rfc3339", rfc3339.into_bytes()),
    ] {
        let (hand, hand_model) = read(&bytes, true).unwrap_or_else(|e| panic!("{name}: {e}"));
        let (_, serde_model) = read(&bytes, false).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!hand.by_hand, "{name} was read by hand");
        assert_eq!(hand_model, serde_model, "{name}");
    }
}

#[test]
fn never_reads_what_serde_refuses() {
    let bad_values = [
        "01",
        "1.",
        ".5",
        "-",
        "1e",
        "1e+",
        "--1",
        "+1",
        "tru",
        "nul",
        "True",
        "\"\u{1}\"",
        r#""\q""#,
        r#""\u12""#,
        r#""\ud800""#,
        r#""\udc00x""#,
        r#""\ud800\u0041""#,
        "[1,]",
        "[,1]",
        "{\"a\" 1}",
        "{\"a\":1,}",
        "{1:2}",
        "1e999",
        "\"open",
        "[",
        "{",
    ];
    for bad in bad_values {
        let text = rich().replace(r#""value":"exception""#, &format!(r#""value":{bad}"#));
        assert_ne!(text, rich());
        let hand = read(text.as_bytes(), true).map(|(_, model)| model);
        let serde = read(text.as_bytes(), false).map(|(_, model)| model);
        assert!(hand.is_err(), "{bad:?} was read by hand");
        assert_eq!(hand, serde, "{bad:?}");
    }
    // Structure serde refuses: a field twice where serde's derive says so,
    // a trailing comma, a span that is not an object, something after.
    for (from, to) in [
        (
            r#""refType":"FOLLOWS_FROM","#,
            r#""refType":"FOLLOWS_FROM","refType":"x","#,
        ),
        (
            r#""serviceName":"solo""#,
            r#""serviceName":"solo","serviceName":"b""#,
        ),
        (r#""duration":1,"#, r#""duration":1,,"#),
        (r#""spans":["#, r#""spans":[1,"#),
        (r#""processID":"p1"}]"#, r#""processID":"p1",}]"#),
    ] {
        let trace = format!(
            r#"{{"processes":{{"p1":{{"serviceName":"solo"}}}},"spans":[{{"traceID":"{TRACE_ID}","spanID":"00000000000000a1","operationName":"one","startTime":1,"duration":1,"references":[{{"refType":"FOLLOWS_FROM","traceID":"{TRACE_ID}","spanID":"00000000000000a2"}}],"processID":"p1"}}]}}"#
        );
        let text = trace.replace(from, to);
        assert_ne!(text, trace, "{from}");
        let hand = read(text.as_bytes(), true).map(|(_, model)| model);
        assert!(hand.is_err(), "{to} was read by hand");
        assert_eq!(hand, read(text.as_bytes(), false).map(|(_, m)| m), "{to}");
    }
    // Nesting deeper than the hand reader goes (serde skips any depth).
    let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
    let text = rich().replace(r#""value":"exception""#, &format!(r#""value":{deep}"#));
    let (summary, hand) = read(text.as_bytes(), true).expect("serde reads it");
    assert!(!summary.by_hand);
    assert_eq!(Ok(hand), read(text.as_bytes(), false).map(|(_, m)| m));
    let after = format!("{} x", rich());
    assert!(read(after.as_bytes(), true).is_err());
}

/// Thousands of inputs a byte away from a good one: each is read the same
/// by both (the same model, or the same error).
#[test]
fn damaged_inputs_read_as_serde_reads_them() {
    let good = rich().into_bytes();
    let replacements = b"{}[]\",:\\0123456789-+.eEtrufalsn \n\x01\xc3";
    let mut seed: u64 = 0x5eed;
    let mut next = |bound: usize| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        usize::try_from(seed >> 33).unwrap_or(0) % bound
    };
    let mut by_hand = 0;
    for _ in 0..3000 {
        let mut bytes = good.clone();
        let at = next(bytes.len());
        let byte = replacements[next(replacements.len())];
        match next(3) {
            0 => bytes[at] = byte,
            1 => {
                bytes.remove(at);
            }
            _ => bytes.insert(at, byte),
        }
        let hand = read(&bytes, true);
        let serde = read(&bytes, false);
        match (&hand, &serde) {
            (Ok((summary, hand_model)), Ok((_, serde_model))) => {
                by_hand += usize::from(summary.by_hand);
                assert_eq!(
                    hand_model,
                    serde_model,
                    "{}",
                    String::from_utf8_lossy(&bytes)
                );
            }
            (Err(hand), Err(serde)) => assert_eq!(hand, serde),
            _ => panic!(
                "read by hand: {}, by serde: {}, of {}",
                hand.is_ok(),
                serde.is_ok(),
                String::from_utf8_lossy(&bytes)
            ),
        }
    }
    // Most damage lands in a value and leaves valid JSON the hand reader takes.
    assert!(by_hand > 300, "{by_hand} read by hand");
}

/// Nesting is counted through every tag read in the writers' key order:
/// a value 96 lists deep inside a log's field, under a span of 16 tags, is
/// past the hand reader's bound (100) and goes to serde.
#[test]
fn nesting_is_counted_through_the_tags() {
    let deep = format!("{}{}", "[".repeat(96), "]".repeat(96));
    let text = rich().replace(r#""value":"exception""#, &format!(r#""value":{deep}"#));
    let (summary, hand) = read(text.as_bytes(), true).expect("serde reads it");
    assert!(!summary.by_hand, "read by hand past its depth bound");
    assert_eq!(Ok(hand), read(text.as_bytes(), false).map(|(_, m)| m));
    // A little less deep, it is the hand reader's.
    let shallow = format!("{}{}", "[".repeat(80), "]".repeat(80));
    let text = rich().replace(r#""value":"exception""#, &format!(r#""value":{shallow}"#));
    assert!(read(text.as_bytes(), true).expect("reads").0.by_hand);
}
