//! The Python SDK's console exporters' output in a CI log, read into the
//! same model as OTLP: the facts of the corpus files (SOURCES.md).

mod common;

use common::{attr_str, load_corpus, load_str, span_named};
use spanloupe_core::genai::llm_call;
use spanloupe_core::ingest::Format;
use spanloupe_core::model::{SpanKind, StatusCode, Value, WarningKind};

#[test]
fn a_ci_log_with_four_spans_among_other_output() {
    let loaded = load_corpus("generated-python-console-exporter.txt");
    assert_eq!(loaded.summary.format, Format::ConsoleOutput);
    let set = &loaded.set;
    assert_eq!((set.traces.len(), set.span_count()), (1, 4));
    assert_eq!(
        set.traces[0].trace_id.to_string(),
        "b4228ce5f81515c36c77060e32b63822"
    );
    // Children printed before their parent are under it.
    let root = set.traces[0].root().expect("root");
    assert_eq!(set.span_name(root), "ci_recipe_smoke_test");
    assert_eq!(set.traces[0].roots.len(), 1);
    assert_eq!(set.traces[0].missing_parent_count, 0);
    assert_eq!(attr_str(set, root, "ci.job"), Some("smoke"));
    assert_eq!(
        set.span_attribute(root, "ci.run.number"),
        Some(Value::Int(412))
    );
    assert_eq!(set.service_name(root), "recipe-ci-check");
    let span = set.span(root).expect("root span");
    assert_eq!(span.span_id.to_string(), "e68f2a426d3dcbcc");
    assert_eq!(span.start_unix_nanos, 1_796_489_977_310_621_000);
    assert_eq!(span.end_unix_nanos, 1_796_489_977_317_232_000);
    assert_eq!(span.kind, SpanKind::Internal);

    let fixtures = span_named(set, "load_fixtures");
    let event = &set.events(set.span(fixtures).expect("span").events)[0];
    assert_eq!(set.str(event.name), "fixtures.loaded");
    let names = set.attributes(event.attributes)[0].value;
    let Value::Array(items) = names else {
        panic!("names is an array, read {names:?}")
    };
    let items: Vec<&str> = set
        .values(items)
        .iter()
        .filter_map(|v| set.value_str(*v))
        .collect();
    assert_eq!(items, ["a.json", "b.json", "c.json"]);

    let chat = span_named(set, "chat gpt-4o-mini");
    assert_eq!(set.span(chat).expect("chat").kind, SpanKind::Client);
    let call = llm_call(set, chat).expect("a model call");
    assert_eq!((call.usage.input, call.usage.output), (Some(31), Some(17)));
    let text = format!("{:?}", call.input);
    assert!(text.contains("Convert 250 g of flour to cups."), "{text}");

    let validate = span_named(set, "validate_answer");
    let span = set.span(validate).expect("validate");
    assert_eq!(span.status_code, StatusCode::Error);
    assert_eq!(set.str(span.status_message), "validation failed");
    let event = &set.events(span.events)[0];
    assert_eq!(set.str(event.name), "exception");
    let link = &set.links(span.links)[0];
    assert_eq!(link.span_id, set.span(chat).expect("chat").span_id);
    assert_eq!(
        set.str(set.attributes(link.attributes)[0].key),
        "link.reason"
    );

    let skipped: Vec<&str> = set
        .warnings
        .iter()
        .filter(|w| w.kind == WarningKind::SkippedText)
        .map(|w| w.message.as_str())
        .collect();
    assert_eq!(skipped, ["6 lines of other output skipped"]);
}

#[test]
fn the_log_exporter_records_land_on_their_span() {
    let loaded = load_corpus("generated-python-console-log-exporter.txt");
    let set = &loaded.set;
    assert_eq!((loaded.summary.spans, loaded.summary.logs), (1, 2));
    let chat = span_named(set, "chat gpt-4o-mini");
    let logs = set.logs_of_span(chat);
    let names: Vec<&str> = logs.iter().map(|l| set.str(l.event_name)).collect();
    assert_eq!(names, ["gen_ai.user.message", "gen_ai.choice"]);
    assert_eq!(logs[1].severity_number, 9);
    assert_eq!(set.str(logs[1].severity_text), "INFO");
    assert!(logs[0].observed_time_unix_nanos > 0);
    let call = llm_call(set, chat).expect("a model call with its events");
    let text = format!("{:?} {:?}", call.input, call.output);
    assert!(
        text.contains("How long do I boil an egg?") && text.contains("Nine minutes."),
        "{text}"
    );
    assert!(
        set.warnings
            .iter()
            .any(|w| w.kind == WarningKind::SkippedText
                && w.message == "3 lines of other output skipped")
    );
}

#[test]
fn an_object_that_is_not_a_span_is_said() {
    let text = "{\n    \"unrelated\": true\n}\n{\n    \"name\": \"x\",\n    \"context\": {\n        \"trace_id\": \"0x0af7651916cd43dd8448eb211c80319c\",\n        \"span_id\": \"0x00000000000000a1\"\n    },\n    \"start_time\": \"2026-01-01T00:00:00Z\",\n    \"end_time\": \"2026-01-01T00:00:01Z\"\n}\n";
    let loaded = load_str(text).expect("reads");
    assert_eq!(loaded.set.span_count(), 1);
    assert!(
        loaded
            .set
            .warnings
            .iter()
            .any(|w| w.message == "1 JSON object that is neither a span nor a log record skipped")
    );
}

#[test]
fn otlp_json_requests_on_the_lines_of_a_log() {
    let request = |trace: &str, name: &str| {
        format!(
            r#"{{"resourceSpans":[{{"resource":{{"attributes":[{{"key":"service.name","value":{{"stringValue":"shop"}}}}]}},"scopeSpans":[{{"spans":[{{"traceId":"{trace}","spanId":"00000000000000a1","name":"{name}","startTimeUnixNano":"1","endTimeUnixNano":"2"}}]}}]}}]}}"#
        )
    };
    let log = format!(
        "2026-12-05T10:00:00Z starting the collector\n2026-12-05T10:00:01Z debug exporter: {}\nsome other line\n2026-12-05T10:00:02Z debug exporter: {}\n2026-12-05T10:00:03Z debug exporter: {{\"resourceSpans\":[{{\"scopeSpans\n",
        request("0af7651916cd43dd8448eb211c80319c", "GET /a"),
        request("1af7651916cd43dd8448eb211c80319c", "GET /b"),
    );
    let loaded = load_str(&log).expect("reads");
    assert_eq!(loaded.summary.format, Format::OtlpJsonInLog);
    assert_eq!(loaded.set.traces.len(), 2);
    assert_eq!(
        loaded.set.service_name(span_named(&loaded.set, "GET /b")),
        "shop"
    );
    let messages: Vec<&str> = loaded
        .set
        .warnings
        .iter()
        .map(|w| w.message.as_str())
        .collect();
    assert!(
        messages.contains(&"2 lines of other output skipped"),
        "{messages:?}"
    );
    assert!(
        messages.contains(&"1 line holding OTLP JSON that could not be read (cut off?) skipped"),
        "{messages:?}"
    );
}

#[test]
fn a_ci_log_with_a_timestamp_before_every_line() {
    let plain = String::from_utf8(common::corpus_bytes(
        "generated-python-console-exporter.txt",
    ))
    .expect("text");
    let prefixed: String = plain
        .lines()
        .enumerate()
        .map(|(i, line)| format!("2026-12-05T16:59:{:02}.1234567Z {line}\n", i % 60))
        .collect();
    let loaded = load_str(&prefixed).expect("reads");
    assert_eq!(loaded.summary.format, Format::ConsoleOutput);
    assert_eq!(loaded.set.span_count(), 4);
    let chat = span_named(&loaded.set, "chat gpt-4o-mini");
    assert_eq!(
        loaded.set.span_attribute(chat, "gen_ai.usage.input_tokens"),
        Some(Value::Int(31))
    );
    assert!(
        loaded
            .set
            .warnings
            .iter()
            .any(|w| w.message == "6 lines of other output skipped")
    );
    // A cut-off last object is counted with the skipped lines.
    let cut = &plain[..plain.len() - 200];
    let loaded = load_str(cut).expect("reads what is whole");
    assert_eq!(loaded.set.span_count(), 3);
}
