//! A file read in parts (by several workers at once) loads as the same data
//! as a whole read: every span, log record and warning; and a file that
//! cannot be cut safely is read whole, with the same errors.

mod common;

use common::{corpus_bytes, corpus_dir, describe_set};
use spanloupe_core::ingest::split::{Cut, Layout, load_in_parts, plan};
use spanloupe_core::ingest::{Input, LoadedInputs, Source, load_many};

fn input<'a>(bytes: &'a [u8], name: &'a str) -> Input<'a> {
    Input {
        bytes,
        source: Source {
            name: Some(name),
            content_type: None,
        },
    }
}

/// The outcomes and the data of a reply, as text.
fn describe(reply: &LoadedInputs) -> (Vec<String>, Vec<String>) {
    let outcomes = reply.outcomes.iter().map(|o| format!("{o:?}")).collect();
    (
        outcomes,
        reply.set.as_ref().map(describe_set).unwrap_or_default(),
    )
}

/// Loads `bytes` whole and in parts, checks they give the same, and returns
/// how many parts were used (1: the file was read whole).
fn assert_same_in_parts(bytes: &[u8], name: &str, workers: usize) -> usize {
    let whole = describe(&load_many(&[input(bytes, name)]));
    let (reply, used) = load_in_parts(input(bytes, name), workers);
    let parts = describe(&reply);
    assert_eq!(parts.0, whole.0, "{name} in {workers} parts: outcomes");
    assert_eq!(parts.1.len(), whole.1.len(), "{name} in {workers} parts");
    for (a, b) in parts.1.iter().zip(&whole.1) {
        assert_eq!(a, b, "{name} in {workers} parts");
    }
    used
}

#[test]
fn every_json_file_of_the_corpus_loads_the_same_in_parts() {
    let mut split = Vec::new();
    let mut read_in_parts = 0;
    for entry in std::fs::read_dir(corpus_dir()).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if !(name.ends_with(".json") || name.ends_with(".jsonl")) {
            continue;
        }
        let bytes = corpus_bytes(&name);
        for workers in 2..=4 {
            if plan(&bytes, workers).is_some() {
                split.push(name.clone());
            }
            // Files of other formats (Jaeger, Zipkin) fail the same way too.
            if assert_same_in_parts(&bytes, &name, workers) > 1 {
                read_in_parts += 1;
            }
        }
    }
    // Most files of the corpus are one resource; those with several, and the
    // JSON Lines files, are cut.
    assert!(
        split.iter().any(|n| n.ends_with(".jsonl")) && split.iter().any(|n| n.ends_with(".json")),
        "split only {split:?}: the test would prove little"
    );
    assert_eq!(read_in_parts, split.len(), "every planned split was used");
}

/// OTLP JSON of `resources` resourceSpans elements of `spans` spans each,
/// one trace, with the given separator between elements.
fn trace_file(resources: usize, spans: usize, separator: &str) -> String {
    let elements: Vec<String> = (0..resources)
        .map(|r| {
            let spans: Vec<String> = (0..spans)
                .map(|s| {
                    let id = r * spans + s + 1;
                    let parent = if id == 1 { String::new() } else { format!("{:016x}", id / 2) };
                    format!(
                        r#"{{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"{id:016x}","parentSpanId":"{parent}","name":"op {id}","startTimeUnixNano":"{}","endTimeUnixNano":"{}","attributes":[{{"key":"note","value":{{"stringValue":"text with }},{{\"resource\": inside"}}}}]}}"#,
                        1000 + id,
                        5000 + id
                    )
                })
                .collect();
            format!(
                r#"{{"resource":{{"attributes":[{{"key":"service.name","value":{{"stringValue":"svc-{r}"}}}}]}},"scopeSpans":[{{"scope":{{"name":"lib"}},"spans":[{}]}}]}}"#,
                spans.join(",")
            )
        })
        .collect();
    format!(r#"{{"resourceSpans":[{}]}}"#, elements.join(separator))
}

#[test]
fn a_file_is_cut_between_elements_of_its_list_and_not_inside_strings() {
    for separator in [",", ",\n  ", " , "] {
        let file = trace_file(8, 20, separator);
        let (layout, parts) = plan(file.as_bytes(), 4).expect("a list of 8 elements can be cut");
        assert_eq!(parts.len(), 4);
        for (i, part) in parts.iter().enumerate() {
            let range = usize::try_from(part.range.start).unwrap()
                ..usize::try_from(part.range.end).unwrap();
            let bytes = &file.as_bytes()[range];
            let text = layout.text(part, bytes);
            let text = std::str::from_utf8(&text).unwrap();
            // Each part is a whole document of whole elements.
            let value: serde_json::Value = serde_json::from_str(text)
                .unwrap_or_else(|err| panic!("part {i} is not JSON ({err}): {text}"));
            let elements = value["resourceSpans"].as_array().unwrap();
            assert_eq!(elements.len(), 2, "part {i}");
            assert!(elements.iter().all(|e| e["resource"].is_object()));
        }
        assert_eq!(assert_same_in_parts(file.as_bytes(), "cut.json", 4), 4);
    }
}

#[test]
fn json_lines_are_cut_between_documents() {
    let lines: Vec<String> = (0..6).map(|_| trace_file(1, 30, ",")).collect();
    let file = lines.join("\n");
    let (_, parts) = plan(file.as_bytes(), 3).unwrap();
    assert_eq!(parts.len(), 3);
    assert!(
        parts
            .iter()
            .all(|p| p.opens.is_none() && p.closes.is_none())
    );
    assert_eq!(assert_same_in_parts(file.as_bytes(), "lines.jsonl", 3), 3);
    assert_eq!(assert_same_in_parts(file.as_bytes(), "lines.json", 2), 2);
}

#[test]
fn a_cut_that_is_not_in_the_files_list_is_read_whole() {
    // After the list, an unknown key holds objects that start like its
    // elements: a cut there must not read them as spans.
    let list = trace_file(2, 5, ",");
    let others: Vec<String> = (0..40)
        .map(|i| format!(r#"{{"resource":{{"n":{i}}}}}"#))
        .collect();
    let file = format!(
        r#"{}],"other":[{}]}}"#,
        list.strip_suffix("]}").unwrap(),
        others.join(",")
    );
    // One document, with the list and the other key.
    let value: serde_json::Value = serde_json::from_str(&file).unwrap();
    assert_eq!(value["other"].as_array().unwrap().len(), 40);
    let (_, parts) = plan(file.as_bytes(), 2).unwrap();
    assert!(parts[0].closes.is_some(), "the plan cuts in the other list");
    assert_eq!(assert_same_in_parts(file.as_bytes(), "other.json", 2), 1);
    let (reply, _) = load_in_parts(input(file.as_bytes(), "other.json"), 2);
    assert_eq!(reply.set.unwrap().span_count(), 10);
}

#[test]
fn an_error_in_a_later_part_is_the_error_of_a_whole_read() {
    let file = trace_file(8, 20, ",\n");
    let broken = {
        // A span id of the last element is cut short.
        let at = file.rfind("spanId\":\"").unwrap() + "spanId\":\"".len();
        format!("{}abc{}", &file[..at], &file[at + 16..])
    };
    assert!(plan(broken.as_bytes(), 2).is_some());
    let whole = load_many(&[input(broken.as_bytes(), "broken.json")]);
    let error = whole.outcomes[0].as_ref().unwrap_err().to_string();
    assert!(error.contains("line 8"), "{error}");
    assert!(error.contains("spanId"), "{error}");
    assert_eq!(assert_same_in_parts(broken.as_bytes(), "broken.json", 2), 1);
    // Cut short at the end.
    let truncated = &file.as_bytes()[..file.len() - 100];
    assert_eq!(assert_same_in_parts(truncated, "truncated.json", 3), 1);
}

#[test]
fn logs_files_are_cut_in_their_list_too() {
    let records: Vec<String> = (0..10)
        .map(|r| {
            format!(
                r#"{{"resource":{{"attributes":[{{"key":"service.name","value":{{"stringValue":"svc"}}}}]}},"scopeLogs":[{{"scope":{{"name":"lib"}},"logRecords":[{{"timeUnixNano":"{}","severityText":"INFO","body":{{"stringValue":"record {r}"}}}}]}}]}}"#,
                1000 + r
            )
        })
        .collect();
    let file = format!(r#"{{"resourceLogs":[{}]}}"#, records.join(","));
    let (_, parts) = plan(file.as_bytes(), 2).unwrap();
    assert_eq!(parts.len(), 2);
    assert_eq!(assert_same_in_parts(file.as_bytes(), "logs.json", 2), 2);
    let (reply, _) = load_in_parts(input(file.as_bytes(), "logs.json"), 2);
    assert_eq!(reply.set.unwrap().logs.len(), 10);
}

#[test]
fn only_json_has_a_layout() {
    assert!(Layout::of(b"\x1f\x8b\x08\x00").is_none(), "gzip");
    assert!(Layout::of(b"\x0a\x8f\x01\x0a\x0c").is_none(), "protobuf");
    assert!(Layout::of(b"[{\"traceId\":1}]").is_none(), "a JSON array");
    let layout = Layout::of(b"\xEF\xBB\xBF {\n  \"resourceSpans\" : [\n {\"resource\"").unwrap();
    let window = b"}]}]} ,\n {\"resource\":{}";
    assert_eq!(
        layout.find_cut(window, 100),
        Some(Cut::Element {
            comma: 106,
            brace: 109,
            list: spanloupe_core::ingest::DataList::Spans,
        })
    );
    // A wrapped document has no list at its start: only documents are cut.
    let wrapped = Layout::of(b"{\"result\":{\"resourceSpans\":[").unwrap();
    assert_eq!(wrapped.find_cut(window, 0), None);
    assert_eq!(
        wrapped.find_cut(b"}}\n{\"result\"", 10),
        Some(Cut::Document { at: 13 })
    );
}

/// Jaeger JSON as Jaeger UI downloads search results: `traces` traces of
/// `spans` spans, each with its processes after its spans.
fn jaeger_file(traces: usize, spans: usize, separator: &str) -> String {
    jaeger_file_of(&vec![spans; traces], separator)
}

/// Jaeger JSON of traces of the given numbers of spans.
fn jaeger_file_of(traces: &[usize], separator: &str) -> String {
    let traces: Vec<String> = traces
        .iter()
        .enumerate()
        .map(|(t, &spans)| {
            let trace_id = format!("{:032x}", t + 1);
            let spans: Vec<String> = (0..spans)
                .map(|s| {
                    let reference = if s == 0 {
                        String::new()
                    } else {
                        format!(
                            r#"{{"refType":"CHILD_OF","traceID":"{trace_id}","spanID":"{:016x}"}}"#,
                            t * 1000 + s
                        )
                    };
                    format!(
                        r#"{{"traceID":"{trace_id}","spanID":"{:016x}","operationName":"op {s}","references":[{reference}],"startTime":{},"duration":10,"tags":[{{"key":"note","type":"string","value":"}},{{\"traceID\":\"x\",\"spans\": inside"}}],"logs":[],"processID":"p{}"}}"#,
                        t * 1000 + s + 1,
                        1_700_000_000_000_000_u64 + s as u64,
                        s % 2 + 1
                    )
                })
                .collect();
            format!(
                r#"{{"traceID":"{trace_id}","spans":[{}],"processes":{{"p1":{{"serviceName":"front","tags":[]}},"p2":{{"serviceName":"back-{t}","tags":[{{"key":"host","type":"string","value":"h{t}"}}]}}}},"warnings":null}}"#,
                spans.join(",")
            )
        })
        .collect();
    format!(
        r#"{{"data":[{}],"total":0,"limit":0,"offset":0,"errors":null}}"#,
        traces.join(separator)
    )
}

#[test]
fn a_jaeger_file_is_cut_between_its_traces_not_between_spans() {
    for separator in [",", ",\n  "] {
        let file = jaeger_file(8, 30, separator);
        let (layout, parts) = plan(file.as_bytes(), 4).expect("8 traces can be cut");
        assert_eq!(parts.len(), 4);
        for (i, part) in parts.iter().enumerate() {
            let range = usize::try_from(part.range.start).unwrap()
                ..usize::try_from(part.range.end).unwrap();
            let text = layout.text(part, &file.as_bytes()[range]);
            let value: serde_json::Value = serde_json::from_slice(&text)
                .unwrap_or_else(|err| panic!("part {i} is not JSON ({err})"));
            let traces = value["data"].as_array().unwrap();
            assert_eq!(traces.len(), 2, "part {i}");
            assert!(traces.iter().all(|t| t["processes"].is_object()));
        }
        assert_eq!(assert_same_in_parts(file.as_bytes(), "jaeger.json", 4), 4);
        let (reply, _) = load_in_parts(input(file.as_bytes(), "jaeger.json"), 4);
        let outcome = reply.outcomes[0].as_ref().expect("loads");
        assert_eq!(outcome.format, spanloupe_core::ingest::Format::JaegerJson);
        assert_eq!(outcome.spans, 8 * 30);
    }
}

#[test]
fn a_jaeger_file_of_one_trace_is_cut_between_its_spans() {
    // Its processes (and warnings) come after its spans: each part gets
    // them from the file's end, and the warnings are the last part's alone.
    let one = jaeger_file(1, 400, ",").replace(
        r#""warnings":null}"#,
        r#""warnings":["clock skew adjustment disabled"]}"#,
    );
    let (layout, parts) = plan(one.as_bytes(), 4).expect("400 spans can be cut");
    assert_eq!(parts.len(), 4);
    let mut spans = 0;
    for (i, part) in parts.iter().enumerate() {
        let range =
            usize::try_from(part.range.start).unwrap()..usize::try_from(part.range.end).unwrap();
        let text = layout.text(part, &one.as_bytes()[range]);
        let value: serde_json::Value = serde_json::from_slice(&text)
            .unwrap_or_else(|err| panic!("part {i} is not JSON ({err})"));
        let trace = &value["data"][0];
        let part_spans = trace["spans"].as_array().unwrap().len();
        assert!(
            (90..=110).contains(&part_spans),
            "part {i}: {part_spans} spans"
        );
        spans += part_spans;
        assert_eq!(trace["processes"]["p2"]["serviceName"], "back-0");
    }
    assert_eq!(spans, 400);
    assert_eq!(assert_same_in_parts(one.as_bytes(), "one.json", 4), 4);
    let (reply, _) = load_in_parts(input(one.as_bytes(), "one.json"), 4);
    let set = reply.set.expect("loads");
    assert_eq!(set.warnings.total(), 1, "{:?}", set.warnings);

    // A bare trace, not in `data`.
    let bare = one
        .strip_prefix(r#"{"data":["#)
        .and_then(|rest| rest.strip_suffix(r#"],"total":0,"limit":0,"offset":0,"errors":null}"#))
        .expect("one trace");
    assert_eq!(assert_same_in_parts(bare.as_bytes(), "bare.json", 3), 3);

    // A trace too large to find its end near a target, then another: the
    // first part, cut in the first trace's spans, would get the second's
    // processes. The second part holds the place where one trace ends and
    // the next begins, and the file is read whole.
    let two = jaeger_file_of(&[6_000, 10], ",");
    let (_, parts) = plan(two.as_bytes(), 2).expect("cut in the first trace");
    assert_eq!(
        parts[0].closes,
        Some(spanloupe_core::ingest::DataList::JaegerSpans)
    );
    assert_eq!(
        assert_same_in_parts(two.as_bytes(), "two.json", 2),
        1,
        "read whole"
    );
}
