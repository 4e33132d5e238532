//! Every file of the public corpus (`tests/fixtures/corpus`, described in
//! its SOURCES.md) loads, and what it loads to matches facts about the file.

mod common;

use common::{attr_str, corpus_dir, load_corpus, span_named, try_load_corpus};
use spanloupe_core::ingest::{Format, IngestError, Source, ingest_into};
use spanloupe_core::model::{Problems, SpanKind, StatusCode, TraceSetBuilder, Value, WarningKind};

/// The files this test knows; a new corpus file makes `every_corpus_file_is_covered` fail
/// until facts about it are added here.
const COVERED: &[&str] = &[
    "derived-edge-base64-ids-enum-names-numeric-int64.traces.json",
    "generated-openai-v2-file-exporter.jsonl",
    "generated-openai-v2-json-exporter-body.traces.json",
    "generated-openai-v2-latest.logs.json",
    "generated-openai-v2-latest.traces.json",
    "generated-openai-v2-legacy-events.logs.json",
    "generated-openai-v2-legacy-events.traces.json",
    "generated-openai-v2-legacy-events.traces.pb",
    "generated-python-console-exporter.txt",
    "generated-python-console-log-exporter.txt",
    "generated-openinference-openai.traces.json",
    "generated-traceloop-openai-0.44-legacy.traces.json",
    "generated-traceloop-openai-0.62.traces.json",
    "jaeger-apiv2-domain_03.json",
    "jaeger-apiv3-GetTrace.json",
    "jaeger-example_trace.json",
    "jaeger-link_attributes_trace.json",
    "jaeger-otel_traces_01.json",
    "jaeger-otlp2jaeger-out.jaeger.json",
    "jaegerui-otlp2jaeger-in-error.json",
    "jaegerui-otlp2jaeger-multi-in.jsonl",
    "otelproto-events.json",
    "otelproto-logs.json",
    "otelproto-trace.json",
    "otelproto-trace.protobuf-bin",
    "oteltui-demo-fileexporter.jsonl",
    "tempo-tempopb-trace-batches.json",
    "zipkin-messaging-kafka.json",
    "zipkin-skew.json",
    "zipkin-smartthings-oauth-authorization.json",
    "zipkin-yelp.json",
    "zipkin2-chinese-single.json",
];

#[test]
fn every_corpus_file_is_covered() {
    let mut names: Vec<String> = std::fs::read_dir(corpus_dir())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .filter(|name| name != "SOURCES.md")
        .collect();
    names.sort();
    let mut covered: Vec<&str> = COVERED.to_vec();
    covered.sort();
    assert_eq!(
        names, covered,
        "a corpus file was added or removed: add facts about it to tests/corpus.rs"
    );
}

/// Every corpus file loads.
#[test]
fn every_corpus_file_loads() {
    for name in COVERED {
        let result = try_load_corpus(name);
        assert!(result.is_ok(), "{name}: {:?}", result.err());
    }
}

#[test]
fn the_canonical_example_has_one_orphan_server_span_with_uppercase_ids() {
    let loaded = load_corpus("otelproto-trace.json");
    let set = &loaded.set;
    assert_eq!(loaded.summary.format, Format::OtlpJson);
    assert_eq!(set.traces.len(), 1);
    let trace = &set.traces[0];
    assert_eq!(
        trace.trace_id.to_string(),
        "5b8efff798038103d269b633813fc60c"
    );
    assert_eq!(trace.span_count(), 1);
    assert_eq!(trace.missing_parent_count, 1);
    let root = trace.root().unwrap();
    let span = set.span(root).unwrap();
    assert_eq!(set.str(span.name), "I'm a server span");
    assert_eq!(span.span_id.to_string(), "eee19b7ec3c1b174");
    assert_eq!(span.parent_span_id.to_string(), "eee19b7ec3c1b173");
    assert!(span.problems.contains(Problems::MISSING_PARENT));
    assert_eq!(span.kind, SpanKind::Server);
    assert_eq!(span.start_unix_nanos, 1_544_712_660_000_000_000);
    assert_eq!(span.duration_nanos(), 1_000_000_000);
    assert_eq!(attr_str(set, root, "my.span.attr"), Some("some value"));
    assert_eq!(set.service_name(root), "my.service");
    let scope = set.scope(span.scope).unwrap();
    assert_eq!(
        (set.str(scope.name), set.str(scope.version)),
        ("my.library", "1.0.0")
    );
    assert_eq!(set.attributes(scope.attributes).len(), 1);
    assert_eq!(set.warnings.count(WarningKind::MissingParent), 1);
}

#[test]
fn protobuf_and_json_of_the_same_trace_agree() {
    let json = load_corpus("otelproto-trace.json");
    let proto = load_corpus("otelproto-trace.protobuf-bin");
    assert_eq!(proto.summary.format, Format::OtlpProtobuf);
    assert_eq!(describe(&json.set), describe(&proto.set));
}

#[test]
fn tempo_batches_are_read_like_resource_spans() {
    let tempo = load_corpus("tempo-tempopb-trace-batches.json");
    let otlp = load_corpus("otelproto-trace.json");
    assert_eq!(describe(&tempo.set), describe(&otlp.set));
}

#[test]
fn jaeger_api_v3_result_wrapper_with_no_timestamps_and_an_error() {
    let set = load_corpus("jaeger-apiv3-GetTrace.json").set;
    assert_eq!(set.span_count(), 1);
    let trace = &set.traces[0];
    assert_eq!(
        trace.trace_id.to_string(),
        "00000000000000000000000000000001"
    );
    assert_eq!(trace.error_count, 1);
    let span = set.span(trace.root().unwrap()).unwrap();
    assert_eq!(set.str(span.name), "foobar");
    assert_eq!(span.status_code, StatusCode::Error);
    assert_eq!(span.start_unix_nanos, 0);
    assert!(trace.services.is_empty(), "the resource is empty");
}

#[test]
fn jaeger_fixture_with_bytes_doubles_events_links_and_state() {
    let set = load_corpus("jaeger-otel_traces_01.json").set;
    let idx = span_named(&set, "test-general-conversion");
    let span = set.span(idx).unwrap();
    assert_eq!(span.status_code, StatusCode::Error);
    assert_eq!(set.str(span.status_message), "random-message");
    assert_eq!(set.str(span.trace_state), "some-state");
    assert_eq!(span.flags, 1);
    assert_eq!(set.events(span.events).len(), 2);
    assert_eq!(set.links(span.links).len(), 2);
    match set.span_attribute(idx, "blob").unwrap() {
        Value::Bytes(slice) => assert_eq!(set.bytes(slice), [0x00, 0x00, 0x30, 0x39]),
        other => panic!("blob is {other:?}"),
    }
    assert_eq!(
        set.span_attribute(idx, "temperature"),
        Some(Value::Double(72.5))
    );
    assert_eq!(
        set.span_attribute(idx, "peer.ipv4"),
        Some(Value::Int(23456))
    );
    assert!(span.problems.contains(Problems::MISSING_PARENT));
}

#[test]
fn link_attributes_are_kept() {
    let set = load_corpus("jaeger-link_attributes_trace.json").set;
    let span = set.span(span_named(&set, "query25-operation")).unwrap();
    let links = set.links(span.links);
    assert_eq!(links.len(), 3);
    assert!(
        links
            .iter()
            .all(|link| !link.trace_id.is_zero() && !link.span_id.is_zero())
    );
    assert!(
        links
            .iter()
            .any(|link| !set.attributes(link.attributes).is_empty())
    );
}

#[test]
fn jaeger_example_has_five_spans_over_three_services_and_several_roots() {
    let set = load_corpus("jaeger-example_trace.json").set;
    assert_eq!(set.traces.len(), 1);
    let trace = &set.traces[0];
    assert_eq!(trace.span_count(), 5);
    let services: Vec<&str> = trace.services.iter().map(|s| set.str(*s)).collect();
    assert_eq!(services.len(), 3);
    assert!(services.contains(&"example-service-1"));
    assert!(trace.roots.len() > 1);
    // Roots are ordered by start time.
    let starts: Vec<u64> = trace
        .roots
        .iter()
        .map(|r| set.span(*r).unwrap().start_unix_nanos)
        .collect();
    assert!(starts.windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn a_resource_without_service_name_loads_with_an_orphan() {
    let set = load_corpus("jaegerui-otlp2jaeger-in-error.json").set;
    let idx = span_named(&set, "okey-dokey-0");
    assert_eq!(set.service_name(idx), "");
    assert!(
        set.span(idx)
            .unwrap()
            .problems
            .contains(Problems::MISSING_PARENT)
    );
    assert_eq!(attr_str(&set, idx, "net.peer.ip"), Some("1.2.3.4"));
}

#[test]
fn jsonl_spans_arriving_out_of_order_form_one_tree() {
    let loaded = load_corpus("jaegerui-otlp2jaeger-multi-in.jsonl");
    assert_eq!(loaded.summary.format, Format::OtlpJsonLines);
    let set = &loaded.set;
    assert_eq!(set.traces.len(), 1);
    assert_eq!(
        set.outline(&set.traces[0]),
        "main\n  info\n    ohboy.do\n    ohboy.do\n"
    );
    assert_eq!(set.traces[0].missing_parent_count, 0);
    assert_eq!(set.traces[0].max_depth, 2, "ohboy.do is two below main");
}

/// The depth kept per trace is that of its deepest span, in every file.
#[test]
fn every_trace_knows_its_deepest_span() {
    for name in COVERED {
        let Ok(loaded) = try_load_corpus(name) else {
            continue;
        };
        let set = &loaded.set;
        for trace in &set.traces {
            let deepest = set.spans[trace.spans.range()].iter().map(|s| s.depth).max();
            assert_eq!(Some(trace.max_depth), deepest, "{name}");
        }
    }
}

#[test]
fn collector_file_exporter_with_mixed_signals() {
    let loaded = load_corpus("oteltui-demo-fileexporter.jsonl");
    let set = &loaded.set;
    // Counts from SOURCES.md.
    assert_eq!(set.span_count(), 547);
    assert_eq!(set.traces.len(), 141);
    let errors: usize = set.traces.iter().map(|t| t.error_count).sum();
    assert_eq!(errors, 107);
    assert_eq!(set.warnings.count(WarningKind::SkippedSignal), 1);
    assert!(
        set.warnings
            .iter()
            .any(|w| w.message.contains("39 OTLP metrics batches"))
    );
    assert!(!set.logs.is_empty());
    // Some logs carry the ids of spans in the same file, and are matched to them.
    let correlated: Vec<_> = set.logs.iter().filter(|l| l.span.is_some()).collect();
    assert!(!correlated.is_empty());
    for log in correlated {
        let span = set.span(log.span.unwrap()).unwrap();
        assert_eq!((span.trace_id, span.span_id), (log.trace_id, log.span_id));
    }
    // Many services in one demo.
    let mut services: Vec<&str> = set
        .traces
        .iter()
        .flat_map(|t| t.services.iter().map(|s| set.str(*s)))
        .collect();
    services.sort();
    services.dedup();
    assert!(services.len() >= 5, "{services:?}");
}

#[test]
fn genai_recipe_scenario_loads_identically_from_every_exporter() {
    for name in [
        "generated-openai-v2-latest.traces.json",
        "generated-openai-v2-legacy-events.traces.json",
        "generated-openai-v2-legacy-events.traces.pb",
        "generated-openai-v2-json-exporter-body.traces.json",
        "generated-openai-v2-file-exporter.jsonl",
        "generated-openinference-openai.traces.json",
        "generated-traceloop-openai-0.44-legacy.traces.json",
        "generated-traceloop-openai-0.62.traces.json",
        "derived-edge-base64-ids-enum-names-numeric-int64.traces.json",
    ] {
        let set = load_corpus(name).set;
        assert_eq!(set.traces.len(), 1, "{name}");
        let trace = &set.traces[0];
        assert_eq!(trace.span_count(), 4, "{name}");
        assert_eq!(trace.error_count, 0, "{name}");
        let root = trace.root().unwrap();
        assert_eq!(set.span_name(root), "recipe_question", "{name}");
        assert_eq!(set.service_name(root), "recipe-assistant", "{name}");
        let children: Vec<&str> = set.children(root).map(|c| set.span_name(c)).collect();
        assert_eq!(children.len(), 3, "{name}");
        assert_eq!(
            children[1], "convert_units",
            "{name}: children are by start time"
        );
    }
}

#[test]
fn latest_semconv_messages_are_kept_as_json_strings() {
    let set = load_corpus("generated-openai-v2-latest.traces.json").set;
    let chat = span_named(&set, "chat gpt-4o-mini");
    assert_eq!(attr_str(&set, chat, "gen_ai.provider.name"), Some("openai"));
    let input = attr_str(&set, chat, "gen_ai.input.messages").unwrap();
    assert!(input.contains("How many grams is 2 cups of flour?"));
    match set
        .span_attribute(chat, "gen_ai.response.finish_reasons")
        .unwrap()
    {
        Value::Array(slice) => assert_eq!(set.value_str(set.values(slice)[0]), Some("tool_calls")),
        other => panic!("finish reasons are {other:?}"),
    }
    let span = set.span(chat).unwrap();
    assert_eq!(span.flags, 256);
    assert_eq!(span.kind, SpanKind::Client);
}

#[test]
fn base64_ids_enum_names_and_numeric_int64_match_the_hex_original() {
    let hex = load_corpus("generated-openai-v2-legacy-events.traces.json").set;
    let edge = load_corpus("derived-edge-base64-ids-enum-names-numeric-int64.traces.json").set;
    assert_eq!(describe(&hex), describe(&edge));
    let chat = span_named(&edge, "chat gpt-4o-mini");
    assert_eq!(
        edge.span(chat).unwrap().span_id.to_string(),
        "332d3d908ed4c98d"
    );
    assert_eq!(
        edge.span(chat).unwrap().parent_span_id.to_string(),
        "133637970ce13626"
    );
    assert_eq!(edge.span(chat).unwrap().kind, SpanKind::Client);
    assert_eq!(
        edge.span_attribute(chat, "gen_ai.usage.input_tokens"),
        Some(Value::Int(74))
    );
}

#[test]
fn genai_content_logs_attach_to_their_spans_when_loaded_together() {
    let mut builder = TraceSetBuilder::new();
    for name in [
        "generated-openai-v2-legacy-events.traces.json",
        "generated-openai-v2-legacy-events.logs.json",
    ] {
        let bytes = common::corpus_bytes(name);
        ingest_into(
            &mut builder,
            &bytes,
            Source {
                name: Some(name),
                content_type: None,
            },
        )
        .unwrap();
    }
    let set = builder.finish();
    assert_eq!(set.logs.len(), 8);
    assert!(
        set.logs.iter().all(|log| log.span.is_some()),
        "every event log points at a loaded span"
    );
    let first_chat = span_named(&set, "chat gpt-4o-mini");
    let events: Vec<&str> = set
        .logs_of_span(first_chat)
        .iter()
        .map(|l| set.str(l.event_name))
        .collect();
    assert!(events.contains(&"gen_ai.user.message"), "{events:?}");
    assert!(events.contains(&"gen_ai.choice"), "{events:?}");
    let times: Vec<u64> = set
        .logs_of_span(first_chat)
        .iter()
        .map(|l| l.time_unix_nanos)
        .collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn logs_files_load_on_their_own() {
    let logs = load_corpus("otelproto-logs.json").set;
    assert_eq!(logs.logs.len(), 1);
    let record = &logs.logs[0];
    assert_eq!(record.severity_number, 10);
    assert_eq!(logs.str(record.severity_text), "Information");
    assert_eq!(logs.value_str(record.body), Some("Example log record"));
    assert_eq!(record.span_id.to_string(), "eee19b7ec3c1b174");
    let kinds: Vec<&str> = logs
        .attributes(record.attributes)
        .iter()
        .map(|a| match a.value {
            Value::Str(_) => "string",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Double(_) => "double",
            Value::Array(_) => "array",
            Value::KvList(_) => "kvlist",
            Value::Bytes(_) => "bytes",
            Value::Empty => "empty",
        })
        .collect();
    assert_eq!(
        kinds,
        ["string", "bool", "int", "double", "array", "kvlist"]
    );

    let events = load_corpus("otelproto-events.json").set;
    assert_eq!(events.logs.len(), 1);
    assert!(!events.str(events.logs[0].event_name).is_empty());

    for name in [
        "generated-openai-v2-latest.logs.json",
        "generated-openai-v2-legacy-events.logs.json",
    ] {
        let set = load_corpus(name).set;
        assert!(!set.logs.is_empty(), "{name}");
        assert!(
            set.logs.iter().all(|l| !l.event_name.is_empty()),
            "{name}: every record is a named event"
        );
    }
}

#[test]
fn the_example_log_correlates_with_the_example_span() {
    let mut builder = TraceSetBuilder::new();
    for name in ["otelproto-trace.json", "otelproto-logs.json"] {
        ingest_into(&mut builder, &common::corpus_bytes(name), Source::default()).unwrap();
    }
    let set = builder.finish();
    let span = span_named(&set, "I'm a server span");
    assert_eq!(set.logs_of_span(span).len(), 1);
}

/// Zipkin's v1 JSON (annotations with endpoints, `binaryAnnotations`) is
/// not read; it is named.
const ZIPKIN_V1: &str = r#"[{"traceId":"a03ee8fff1dcd9b9","id":"15fc03927f0f68df","name":"post",
  "annotations":[{"timestamp":1571896375322000,"value":"cs","endpoint":{"serviceName":"mobile_api"}}],
  "binaryAnnotations":[{"key":"http.path","value":"/visits"}]}]"#;

#[test]
fn zipkin_v1_is_named_in_the_error() {
    let err = common::load_str(ZIPKIN_V1).unwrap_err();
    assert!(matches!(err, IngestError::Unsupported(_)), "{err}");
    assert!(
        err.to_string()
            .starts_with("unsupported format: looks like Zipkin v1 JSON"),
        "{err}"
    );
}

/// A comparable summary of a set: every span's ids, tree position, times,
/// kind, status and attribute count.
fn describe(set: &spanloupe_core::TraceSet) -> Vec<String> {
    set.spans
        .iter()
        .map(|span| {
            format!(
                "{} {} {} parent={:?} depth={} {}..{} {:?} {:?} attrs={} {:?}",
                span.trace_id,
                span.span_id,
                set.str(span.name),
                span.parent,
                span.depth,
                span.start_unix_nanos,
                span.end_unix_nanos,
                span.kind,
                span.status_code,
                set.attributes(span.attributes).len(),
                span.problems,
            )
        })
        .collect()
}

#[test]
fn a_span_exported_as_otlp_json_loads_back_the_same() {
    use spanloupe_core::export::otlp_json::span_json;
    let set = load_corpus("jaeger-otel_traces_01.json").set;
    let idx = span_named(&set, "test-general-conversion");
    let span = span_json(&set, idx);
    let document = serde_json::json!({"resourceSpans": [{"scopeSpans": [{"spans": [span]}]}]});
    let again = spanloupe_core::load(document.to_string().as_bytes(), Source::default())
        .unwrap()
        .set;
    let back = again.span(spanloupe_core::model::SpanIdx(0)).unwrap();
    let original = set.span(idx).unwrap();
    assert_eq!(
        (back.trace_id, back.span_id, back.parent_span_id),
        (original.trace_id, original.span_id, original.parent_span_id)
    );
    assert_eq!(
        (
            back.start_unix_nanos,
            back.end_unix_nanos,
            back.kind,
            back.status_code
        ),
        (
            original.start_unix_nanos,
            original.end_unix_nanos,
            original.kind,
            original.status_code
        )
    );
    assert_eq!(again.events(back.events).len(), 2);
    assert_eq!(again.links(back.links).len(), 2);
    assert_eq!(
        again.span_attribute(spanloupe_core::model::SpanIdx(0), "temperature"),
        Some(Value::Double(72.5))
    );
    let Some(Value::Bytes(blob)) = again.span_attribute(spanloupe_core::model::SpanIdx(0), "blob")
    else {
        panic!("blob")
    };
    assert_eq!(again.bytes(blob), [0x00, 0x00, 0x30, 0x39]);
}

#[test]
fn several_inputs_load_together_and_a_bad_one_is_reported_alone() {
    use spanloupe_core::ingest::{Input, LoadedInputs, load_many};
    let traces = common::corpus_bytes("generated-openai-v2-legacy-events.traces.json");
    let logs = common::corpus_bytes("generated-openai-v2-legacy-events.logs.json");
    let zipkin = ZIPKIN_V1.as_bytes().to_vec();
    let inputs = [
        Input {
            bytes: &traces,
            source: Source {
                name: Some("a.traces.json"),
                content_type: None,
            },
        },
        Input {
            bytes: &zipkin,
            source: Source {
                name: Some("zipkin.json"),
                content_type: None,
            },
        },
        Input {
            bytes: &logs,
            source: Source {
                name: Some("a.logs.json"),
                content_type: None,
            },
        },
    ];
    let LoadedInputs { set, outcomes } = load_many(&inputs);
    let set = set.unwrap();
    assert_eq!(outcomes[0].as_ref().unwrap().spans, 4);
    assert!(matches!(outcomes[1], Err(IngestError::Unsupported(_))));
    assert_eq!(outcomes[2].as_ref().unwrap().logs, 8);
    assert_eq!(set.span_count(), 4);
    assert!(set.logs.iter().all(|log| log.span.is_some()));

    let LoadedInputs {
        set: none,
        outcomes,
    } = load_many(&inputs[1..2]);
    assert!(none.is_none());
    assert_eq!(outcomes.len(), 1);
}
