//! The GenAI view of whole traces: span kinds, tokens by model without
//! double counting, calls in time order, and what each call adds to the
//! conversation.

mod common;

use common::{load_corpus, load_demo, load_str, span_named};
use spanloupe_core::genai::history::repeated_prefix;
use spanloupe_core::genai::thread::{ShownStep, Step, Thread};
use spanloupe_core::genai::{GenAiKind, ModelTokens, TraceGenAi, llm_call};
use spanloupe_core::model::TraceSet;

fn summary(set: &TraceSet) -> TraceGenAi {
    TraceGenAi::of(set, &set.traces[0])
}

#[test]
fn the_demo_agent_has_an_agent_two_calls_and_a_tool() {
    let set = load_demo().set;
    let genai = summary(&set);
    let kind = |name: &str| genai.get(span_named(&set, name)).map(|s| s.kind);
    assert_eq!(kind("invoke_agent trip_planner"), Some(GenAiKind::Agent));
    assert_eq!(kind("chat gpt-4o-mini"), Some(GenAiKind::Inference));
    assert_eq!(kind("execute_tool get_weather"), Some(GenAiKind::Tool));
    assert_eq!(kind("POST"), None, "HTTP spans are not GenAI spans");
    assert_eq!(
        genai.tokens_by_model(&set),
        [ModelTokens {
            model: "gpt-4o-mini-2024-07-18".to_owned(),
            calls: 2,
            input: 182 + 261,
            output: 41 + 58,
            total: 182 + 261 + 41 + 58,
            cost_usd: 0.0,
            unpriced: 0,
        }]
    );
    // Time order: the first call, the tool, the second call.
    let names: Vec<&str> = genai
        .in_time_order(&set)
        .iter()
        .map(|s| set.span_name(s.span))
        .collect();
    assert_eq!(
        names,
        [
            "chat gpt-4o-mini",
            "execute_tool get_weather",
            "chat gpt-4o-mini"
        ]
    );
}

#[test]
fn every_convention_of_the_recipe_scenario_counts_the_same_tokens() {
    for file in [
        "generated-openai-v2-latest.traces.json",
        "generated-openai-v2-legacy-events.traces.json",
        "generated-traceloop-openai-0.44-legacy.traces.json",
        "generated-traceloop-openai-0.62.traces.json",
        "generated-openinference-openai.traces.json",
    ] {
        let set = load_corpus(file).set;
        let tokens = summary(&set).tokens_by_model(&set);
        assert_eq!(tokens.len(), 1, "{file}: {tokens:?}");
        let gpt = &tokens[0];
        assert_eq!(gpt.model, "gpt-4o-mini-2024-07-18", "{file}");
        assert_eq!(
            (gpt.calls, gpt.input, gpt.output, gpt.total),
            (2, 74 + 118, 26 + 23, 241),
            "{file}"
        );
    }
}

#[test]
fn the_second_call_adds_the_tool_round_trip_to_the_history() {
    let set = load_corpus("generated-openai-v2-latest.traces.json").set;
    let genai = summary(&set);
    let calls: Vec<_> = genai
        .in_time_order(&set)
        .into_iter()
        .filter(|s| s.kind == GenAiKind::Inference)
        .map(|s| s.span)
        .collect();
    assert_eq!(calls.len(), 2);
    assert_eq!(genai.previous_call(&set, calls[1]), Some(calls[0]));
    assert_eq!(genai.previous_call(&set, calls[0]), None);
    let first = llm_call(&set, calls[0]).unwrap();
    let second = llm_call(&set, calls[1]).unwrap();
    let repeated = repeated_prefix(&first, &second);
    // The system prompt and question, then the assistant's tool call, repeat;
    // the tool's result is new.
    assert_eq!(repeated, first.input.len() + first.output.len());
    assert!(second.input.len() > repeated, "the tool result is new");
}

/// The demo's thread, shown one step at a time: what a call repeats is
/// measured against the call before it, also across the pages.
#[test]
fn a_thread_shown_a_step_at_a_time_reads_as_shown_at_once() {
    let set = load_demo().set;
    let genai = summary(&set);
    let mut thread = Thread::new(&set, &genai);
    thread.find(&set, 1, || true);
    assert_eq!(thread.steps().len(), 1, "only as many steps as asked for");
    assert!(!thread.is_complete());
    assert_eq!(thread.left_to_look_at(), 2);
    // Showing finds steps as far as it shows them, and no further.
    let mut fresh = Thread::new(&set, &genai);
    assert_eq!(fresh.shown(&set, 0, 2).len(), 2);
    assert_eq!((fresh.steps().len(), fresh.is_complete()), (2, false));
    let at_once = Thread::new(&set, &genai).shown(&set, 0, 10);
    let one_by_one: Vec<ShownStep> = (0..4).flat_map(|i| thread.shown(&set, i, 1)).collect();
    assert!(thread.is_complete());
    let read = |steps: &[ShownStep]| -> Vec<(String, usize)> {
        steps
            .iter()
            .map(|step| match step {
                ShownStep::Call { span, repeated, .. } => {
                    (set.span_name(*span).to_owned(), *repeated)
                }
                ShownStep::Tool { span } => (set.span_name(*span).to_owned(), 0),
            })
            .collect()
    };
    let first = llm_call(&set, thread.steps()[0].span()).unwrap();
    let history = first.input.len() + first.output.len();
    assert_eq!(
        read(&one_by_one),
        [
            ("chat gpt-4o-mini".to_owned(), 0),
            ("execute_tool get_weather".to_owned(), 0),
            ("chat gpt-4o-mini".to_owned(), history),
        ]
    );
    assert_eq!(read(&one_by_one), read(&at_once));
}

/// Looking for steps stops when told to, between candidates, and goes on
/// from there; a wrapper call that repeats its steps is not one.
#[test]
fn a_thread_is_found_in_slices_and_leaves_out_wrapper_calls() {
    let span = |id: &str, parent: &str, name: &str, start: u32, attributes: &str| {
        format!(
            r#"{{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"{id}","parentSpanId":"{parent}","name":"{name}","startTimeUnixNano":"{start}","endTimeUnixNano":"9000","attributes":[{attributes}]}}"#
        )
    };
    let model = r#"{"key":"gen_ai.request.model","value":{"stringValue":"gpt-4o"}}"#;
    // Read as a model call by its kind, and as Vercel's wrapper by its operation.
    let wrapper = r#"{"key":"llm.request.type","value":{"stringValue":"chat"}},{"key":"ai.operationId","value":{"stringValue":"ai.generateText"}}"#;
    let mut spans = vec![span(
        "00000000000000a1",
        "",
        "ai.generateText",
        1000,
        wrapper,
    )];
    for i in 0..6u32 {
        let (name, attributes) = if i % 2 == 0 {
            ("ai.generateText.doGenerate", model)
        } else {
            ("ai.toolCall", "")
        };
        spans.push(span(
            &format!("00000000000000b{i}"),
            "00000000000000a1",
            name,
            2000 + i,
            attributes,
        ));
    }
    let json = format!(
        r#"{{"resourceSpans":[{{"scopeSpans":[{{"spans":[{}]}}]}}]}}"#,
        spans.join(",")
    );
    let set = load_str(&json).unwrap().set;
    let genai = summary(&set);
    let mut thread = Thread::new(&set, &genai);
    assert_eq!(thread.left_to_look_at(), 7, "the wrapper is a candidate");
    // Two candidates a slice.
    let mut slices = 0;
    while !thread.is_complete() {
        let mut budget = 2;
        thread.find(&set, usize::MAX, || {
            budget -= 1;
            budget >= 0
        });
        slices += 1;
    }
    assert_eq!(slices, 4);
    let names: Vec<&str> = thread
        .steps()
        .iter()
        .map(|s| set.span_name(s.span()))
        .collect();
    assert_eq!(
        names,
        ["ai.generateText.doGenerate", "ai.toolCall"].repeat(3)
    );
    assert!(matches!(thread.steps()[1], Step::Tool(_)));
    assert!(thread.shown(&set, 6, 10).is_empty(), "nothing past the end");
}

/// A wrapper that repeats its children's usage is not counted twice: whether
/// it reads as an agent (Vercel's `ai.generateText`) or as a model call
/// itself (here marked `llm.request.type=chat`, as OpenLLMetry wrappers are).
#[test]
fn wrapper_spans_do_not_double_count_tokens() {
    let span = |id: &str, parent: &str, name: &str, attributes: &str| {
        format!(
            r#"{{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"{id}","parentSpanId":"{parent}","name":"{name}","startTimeUnixNano":"1000","endTimeUnixNano":"5000","attributes":[{attributes}]}}"#
        )
    };
    let usage = |input: u32, output: u32| {
        format!(
            r#"{{"key":"gen_ai.request.model","value":{{"stringValue":"gpt-4o"}}}},{{"key":"gen_ai.usage.input_tokens","value":{{"intValue":"{input}"}}}},{{"key":"gen_ai.usage.output_tokens","value":{{"intValue":"{output}"}}}}"#
        )
    };
    let chat = r#"{"key":"llm.request.type","value":{"stringValue":"chat"}},"#;
    for (outer_marks, outer_kind) in [("", GenAiKind::Agent), (chat, GenAiKind::Inference)] {
        let spans = [
            span(
                "00000000000000a1",
                "",
                "ai.generateText",
                &format!("{outer_marks}{}", usage(30, 12)),
            ),
            span(
                "00000000000000a2",
                "00000000000000a1",
                "ai.generateText.doGenerate",
                &usage(10, 5),
            ),
            span("00000000000000a3", "00000000000000a1", "ai.toolCall", ""),
            span(
                "00000000000000a4",
                "00000000000000a1",
                "ai.generateText.doGenerate",
                &usage(20, 7),
            ),
        ];
        let json = format!(
            r#"{{"resourceSpans":[{{"scopeSpans":[{{"spans":[{}]}}]}}]}}"#,
            spans.join(",")
        );
        let set = load_str(&json).unwrap().set;
        let genai = summary(&set);
        let kind = |name: &str| genai.get(span_named(&set, name)).map(|s| s.kind);
        assert_eq!(kind("ai.toolCall"), Some(GenAiKind::Tool));
        assert_eq!(kind("ai.generateText"), Some(outer_kind));
        let tokens = genai.tokens_by_model(&set);
        assert_eq!(
            (tokens[0].calls, tokens[0].input, tokens[0].output),
            (2, 30, 12),
            "outer span read as {outer_kind:?}"
        );
    }
}

#[test]
fn token_counts_by_model_read_with_thousands_separators() {
    let big = ModelTokens {
        model: "gpt-4o".to_owned(),
        calls: 1_204,
        input: 2_135_646,
        output: 999,
        total: 2_136_645,
        cost_usd: 0.0,
        unpriced: 0,
    };
    assert_eq!(
        big.summary(),
        "1,204 calls · 2,135,646 in · 999 out · 2,136,645 tokens"
    );
}
