//! One model call recorded by two instrumentations counts once, shows once
//! in the thread, and links each record to its twin.
#![allow(clippy::expect_used)]

use spanloupe_core::genai::TraceGenAi;
use spanloupe_core::genai::thread::{ShownStep, Thread};
use spanloupe_core::model::{SpanIdx, TraceSet};

fn load(name: &str) -> TraceSet {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/genai")
        .join(name);
    let bytes = std::fs::read(&path).expect("fixture");
    spanloupe_core::load(&bytes, spanloupe_core::Source::default())
        .expect("loads")
        .set
}

fn by_id(set: &TraceSet, id: &str) -> SpanIdx {
    (0..set.span_count())
        .map(SpanIdx::at)
        .find(|&idx| set.span(idx).expect("span").span_id.to_string() == id)
        .expect("span id")
}

fn steps(set: &TraceSet, genai: &TraceGenAi) -> Vec<(SpanIdx, bool)> {
    let mut thread = Thread::new(set, genai);
    thread
        .shown(set, 0, usize::MAX)
        .into_iter()
        .map(|step| match step {
            ShownStep::Call { span, call, .. } => (
                span,
                call.content == spanloupe_core::genai::ContentState::Captured,
            ),
            ShownStep::Tool { span } => (span, false),
        })
        .collect()
}

#[test]
fn an_sdk_span_and_an_openllmetry_span_with_one_response_id_are_one_call() {
    let set = load("double-instrumented-anthropic.json");
    let genai = TraceGenAi::of(&set, &set.traces[0]);
    let totals: Vec<String> = genai
        .tokens_by_model(&set)
        .iter()
        .map(|m| format!("{}: {}", m.model, m.summary()))
        .collect();
    assert_eq!(
        totals,
        ["claude-sonnet-4-5-20250929: 2 calls · 891 in · 87 out · 978 tokens"]
    );
    // Each SDK span (no content) names OpenLLMetry's (content) as its twin,
    // and is the duplicate; both stay in the data.
    for (sdk, openllmetry) in [
        ("b000000000000001", "c000000000000001"),
        ("b000000000000002", "c000000000000002"),
    ] {
        let (sdk, openllmetry) = (by_id(&set, sdk), by_id(&set, openllmetry));
        let (s, o) = (
            genai.get(sdk).expect("sdk"),
            genai.get(openllmetry).expect("openllmetry"),
        );
        assert_eq!((s.twin, o.twin), (Some(openllmetry), Some(sdk)));
        assert!(s.duplicate && !o.duplicate);
        assert_eq!(u8::from(s.counted) + u8::from(o.counted), 1);
    }
    let sdk = by_id(&set, "b000000000000001");
    let openllmetry = by_id(&set, "c000000000000001");
    assert_eq!(
        genai.twin_of(&set, sdk).expect("twin").note(),
        "Same call as anthropic.chat (opentelemetry.instrumentation.anthropic), whose record this shows"
    );
    assert_eq!(
        genai.twin_of(&set, openllmetry).expect("twin").note(),
        "Also recorded by com.anthropic.sdk.python as anthropic.messages.create"
    );
    // Statistics count each call's tokens once, on the record counted.
    let groups = spanloupe_core::layout::statistics::statistics(&set, &set.traces[0], &genai, None);
    let tokens: u64 = groups
        .iter()
        .map(|g| g.input_tokens + g.output_tokens)
        .sum();
    assert_eq!(tokens, 978);
    // The thread: each call once, as the record with the content.
    let shown = steps(&set, &genai);
    assert_eq!(
        shown,
        [
            (by_id(&set, "c000000000000001"), true),
            (by_id(&set, "c000000000000002"), true)
        ]
    );
}

#[test]
fn without_response_ids_the_same_call_is_found_by_parent_time_model_and_tokens() {
    let set = load("double-instrumented-langchain-openai.json");
    let genai = TraceGenAi::of(&set, &set.traces[0]);
    let langchain = by_id(&set, "e000000000000001");
    let openai = by_id(&set, "f000000000000001");
    assert_eq!(genai.get(langchain).expect("call").twin, Some(openai));
    assert_eq!(genai.get(openai).expect("call").twin, Some(langchain));
    assert!(genai.get(openai).expect("call").duplicate);
    // Two parallel calls of one scope with equal usage stay two.
    for id in ["f000000000000002", "f000000000000003"] {
        let call = genai.get(by_id(&set, id)).expect("call");
        assert_eq!(call.twin, None);
        assert!(call.counted);
    }
    let calls: usize = genai.tokens_by_model(&set).iter().map(|m| m.calls).sum();
    let input: u64 = genai.tokens_by_model(&set).iter().map(|m| m.input).sum();
    assert_eq!((calls, input), (3, 120 + 50 + 50));
    let shown: Vec<SpanIdx> = steps(&set, &genai).into_iter().map(|(s, _)| s).collect();
    assert_eq!(
        shown,
        [
            langchain,
            by_id(&set, "f000000000000002"),
            by_id(&set, "f000000000000003")
        ]
    );
}

#[test]
fn two_traces_never_share_a_call() {
    // The same response id in two traces: two calls.
    let text = std::fs::read_to_string(
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/fixtures/genai/double-instrumented-anthropic.json"),
    )
    .expect("fixture");
    let other = text.replace("\"c000000000000001\"", "\"c000000000000009\"");
    // Move OpenLLMetry's first call to a trace of its own.
    let mut json: serde_json::Value = serde_json::from_str(&other).expect("json");
    json["resourceSpans"][0]["scopeSpans"][2]["spans"][0]["traceId"] =
        serde_json::json!("11111111111111111111111111111111");
    let bytes = serde_json::to_vec(&json).expect("json");
    let set = spanloupe_core::load(&bytes, spanloupe_core::Source::default())
        .expect("loads")
        .set;
    let lone = by_id(&set, "c000000000000009");
    let trace = set.trace_of(lone).expect("trace");
    let genai = TraceGenAi::of(&set, trace);
    assert_eq!(genai.get(lone).expect("call").twin, None);
}
