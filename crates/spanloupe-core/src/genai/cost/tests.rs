//! Costs computed by hand from the bundled table's prices, for model and
//! provider names as the instrumentations write them.

use super::*;
use crate::genai::model::Usage;

/// 2025-01-01 and 2026-01-01, as seconds.
const IN_2025: u64 = 1_735_689_600;
const IN_2026: u64 = 1_767_225_600;

fn usage(input: u64, output: u64) -> Usage {
    Usage {
        input: Some(input),
        output: Some(output),
        ..Usage::default()
    }
}

fn priced(
    provider: Option<&str>,
    model: &str,
    usage: &Usage,
    at: u64,
) -> Option<(String, String, f64)> {
    let table = bundled().expect("the bundled table reads");
    let priced = table.find(provider, model, at)?;
    let usd = priced.rates.cost(usage)?;
    Some((priced.provider.to_owned(), priced.model.to_owned(), usd))
}

fn assert_usd(found: Option<(String, String, f64)>, provider: &str, model: &str, usd: f64) {
    let (p, m, cost) = found.unwrap_or_else(|| panic!("{model} has no price"));
    assert_eq!((p.as_str(), m.as_str()), (provider, model));
    assert!(
        (cost - usd).abs() < 1e-12,
        "{model}: {cost} instead of {usd}"
    );
}

#[test]
fn openai_dated_snapshots_and_router_prefixes() {
    // gpt-4o: $2.50 in, $10 out per million: 1000 × 2.5 + 500 × 10.
    let expected = (1000.0 * 2.5 + 500.0 * 10.0) / 1e6;
    assert_usd(
        priced(
            Some("openai"),
            "gpt-4o-2024-08-06",
            &usage(1000, 500),
            IN_2026,
        ),
        "openai",
        "gpt-4o",
        expected,
    );
    assert_usd(
        priced(Some("openai"), "GPT-4o", &usage(1000, 500), IN_2026),
        "openai",
        "gpt-4o",
        expected,
    );
    // No provider named: the model's name says OpenAI.
    assert_usd(
        priced(None, "gpt-4o", &usage(1000, 500), IN_2026),
        "openai",
        "gpt-4o",
        expected,
    );
    // A router's name for it.
    assert_usd(
        priced(Some("openai"), "openai/gpt-4o", &usage(1000, 500), IN_2026),
        "openai",
        "gpt-4o",
        expected,
    );
    // gpt-4o-mini-2024-07-18, as the demo's response model: $0.15 / $0.60.
    assert_usd(
        priced(
            Some("openai"),
            "gpt-4o-mini-2024-07-18",
            &usage(443, 99),
            IN_2026,
        ),
        "openai",
        "gpt-4o-mini",
        (443.0 * 0.15 + 99.0 * 0.6) / 1e6,
    );
}

#[test]
fn anthropic_with_cached_input() {
    // claude-3-5-sonnet: $3 in, $0.30 cache read, $3.75 cache write, $15
    // out. 2000 input tokens of which 1000 read from the cache and 500
    // written to it: 500 × 3 + 1000 × 0.3 + 500 × 3.75 + 300 × 15.
    let cached = Usage {
        cache_read: Some(1000),
        cache_write: Some(500),
        ..usage(2000, 300)
    };
    assert_usd(
        priced(
            Some("anthropic"),
            "claude-3-5-sonnet-20241022",
            &cached,
            IN_2026,
        ),
        "anthropic",
        "claude-3-5-sonnet",
        (500.0 * 3.0 + 1000.0 * 0.3 + 500.0 * 3.75 + 300.0 * 15.0) / 1e6,
    );
    let read_only = Usage {
        cache_read: Some(1000),
        ..usage(2000, 300)
    };
    assert_usd(
        priced(
            Some("anthropic"),
            "claude-3-5-sonnet-20241022",
            &read_only,
            IN_2026,
        ),
        "anthropic",
        "claude-3-5-sonnet",
        0.0078,
    );
}

#[test]
fn azure_names_and_their_openai_models() {
    // Azure's own list lacks gpt-4o-mini: its fallback, OpenAI's, prices it.
    let expected = (1000.0 * 0.15 + 1000.0 * 0.6) / 1e6;
    for provider in ["azure", "azure.ai.openai", "az.ai.openai"] {
        assert_usd(
            priced(Some(provider), "gpt-4o-mini", &usage(1000, 1000), IN_2026),
            "openai",
            "gpt-4o-mini",
            expected,
        );
    }
    // The Azure AI Inference SDK names no vendor (in either of its
    // spellings): the model's name does.
    for provider in ["azure.ai.inference", "az.ai.inference"] {
        assert_usd(
            priced(Some(provider), "gpt-4o", &usage(1000, 500), IN_2026),
            "openai",
            "gpt-4o",
            0.0075,
        );
    }
    // A deployment's own name is nobody's model.
    assert_eq!(
        priced(
            Some("azure.ai.openai"),
            "my-chat-deployment",
            &usage(10, 10),
            IN_2026
        ),
        None
    );
}

#[test]
fn gemini_long_context_prices_every_token_higher() {
    // gemini-1.5-pro: $1.25 in / $5 out, $2.50 / $10 past 128k input tokens.
    for provider in ["gcp.vertex_ai", "gcp.gemini", "google"] {
        assert_usd(
            priced(Some(provider), "gemini-1.5-pro", &usage(1000, 100), IN_2026),
            "google",
            "gemini-1.5-pro",
            (1000.0 * 1.25 + 100.0 * 5.0) / 1e6,
        );
    }
    assert_usd(
        priced(
            Some("gcp.vertex_ai"),
            "gemini-1.5-pro",
            &usage(200_000, 100),
            IN_2026,
        ),
        "google",
        "gemini-1.5-pro",
        (200_000.0 * 2.5 + 100.0 * 10.0) / 1e6,
    );
}

#[test]
fn prices_of_the_day_the_call_was_made() {
    // o3: $10 / $40 until 2025-06-10, then $2 / $8.
    assert_usd(
        priced(Some("openai"), "o3", &usage(1000, 1000), IN_2025),
        "openai",
        "o3",
        (10_000.0 + 40_000.0) / 1e6,
    );
    assert_usd(
        priced(Some("openai"), "o3", &usage(1000, 1000), IN_2026),
        "openai",
        "o3",
        (2000.0 + 8000.0) / 1e6,
    );
}

fn span_with(attributes: &str) -> TraceSet {
    let text = format!(
        r#"{{"resourceSpans":[{{"scopeSpans":[{{"spans":[{{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"0000000000000001","name":"chat","startTimeUnixNano":"1767225600000000000","endTimeUnixNano":"1767225601000000000","attributes":[{attributes}]}}]}}]}}]}}"#
    );
    crate::load(text.as_bytes(), crate::Source::default())
        .expect("loads")
        .set
}

#[test]
fn a_recorded_cost_wins_and_an_unknown_model_is_unpriced() {
    let call = r#"{"key":"gen_ai.operation.name","value":{"stringValue":"chat"}},{"key":"gen_ai.provider.name","value":{"stringValue":"openai"}},{"key":"gen_ai.usage.input_tokens","value":{"intValue":"1000"}},{"key":"gen_ai.usage.output_tokens","value":{"intValue":"500"}}"#;
    let trace_cost = |set: &TraceSet| {
        let mut genai = TraceGenAi::of_each(set);
        price_each(set, &mut genai, bundled());
        genai[0].spans()[0].cost.clone()
    };
    let known = span_with(&format!(
        r#"{call},{{"key":"gen_ai.request.model","value":{{"stringValue":"gpt-4o"}}}}"#
    ));
    let mut genai = TraceGenAi::of_each(&known);
    price_each(&known, &mut genai, bundled());
    let cost = genai[0].spans()[0].cost.clone().expect("a cost");
    assert_eq!(
        cost,
        Cost::Estimated {
            usd: 0.0075,
            priced_as: 0
        }
    );
    assert_eq!(genai[0].priced_as(&cost), Some(("openai", "gpt-4o")));
    assert_eq!(
        genai[0].cost_label(genai[0].spans()[0].span).as_deref(),
        Some("$0.0075 · estimated as openai gpt-4o (genai-prices of 2026-08-21)")
    );
    assert_eq!(trace_cost(&known), Some(cost));
    let recorded = span_with(&format!(
        r#"{call},{{"key":"gen_ai.request.model","value":{{"stringValue":"gpt-4o"}}}},{{"key":"llm.cost.total","value":{{"doubleValue":0.0123}}}}"#
    ));
    assert_eq!(trace_cost(&recorded), Some(Cost::Recorded { usd: 0.0123 }));
    let langfuse = span_with(&format!(
        r#"{call},{{"key":"gen_ai.request.model","value":{{"stringValue":"gpt-4o"}}}},{{"key":"langfuse.observation.cost_details","value":{{"stringValue":"{{\"input\": 0.001, \"output\": 0.002, \"total\": 0.003}}"}}}}"#
    ));
    assert_eq!(trace_cost(&langfuse), Some(Cost::Recorded { usd: 0.003 }));
    let unknown = span_with(&format!(
        r#"{call},{{"key":"gen_ai.request.model","value":{{"stringValue":"in-house-llm-7b"}}}}"#
    ));
    assert_eq!(trace_cost(&unknown), Some(Cost::Unpriced));
    let mut genai = TraceGenAi::of_each(&unknown);
    price_each(&unknown, &mut genai, bundled());
    assert_eq!(genai[0].cost(), (0.0, 1));
    // Without a table (no worker), nothing is priced, nothing is free.
    let mut none = TraceGenAi::of_each(&known);
    price_each(&known, &mut none, None);
    assert_eq!(none[0].spans()[0].cost, Some(Cost::Unpriced));
}

#[test]
fn the_bundled_table_reads_whole() {
    let table = bundled().expect("reads");
    // Every model of the table finds itself by its id.
    let json: serde_json::Value = serde_json::from_slice(include_bytes!(
        "../../../../../assets/genai-prices/data_slim.json"
    ))
    .expect("JSON");
    let providers = json.as_array().expect("a list");
    assert!(providers.len() > 30);
    let found = providers
        .iter()
        .filter(|p| p["id"] == "openai" || p["id"] == "anthropic")
        .flat_map(|p| {
            p["models"]
                .as_array()
                .into_iter()
                .flatten()
                .map(move |m| (p["id"].as_str(), m["id"].as_str()))
        })
        .filter(|(provider, model)| {
            table
                .find(*provider, model.unwrap_or_default(), IN_2026)
                .is_some()
        })
        .count();
    assert!(found > 50, "{found}");
}

#[test]
fn your_prices_replace_the_estimate_but_not_a_recorded_cost() {
    let call = r#"{"key":"gen_ai.operation.name","value":{"stringValue":"chat"}},{"key":"gen_ai.provider.name","value":{"stringValue":"azure.ai.openai"}},{"key":"gen_ai.usage.input_tokens","value":{"intValue":"1000"}},{"key":"gen_ai.usage.output_tokens","value":{"intValue":"500"}}"#;
    let overrides =
        Overrides::from_json(r#"{"My-Deployment": [1.0, 2.0], "bad": [-1, 2], "gpt-4o": [0, 0]}"#);
    assert_eq!(overrides.0.len(), 2, "{overrides:?}");
    assert_eq!(Overrides::from_json(&overrides.to_json()), overrides);
    assert_eq!(Overrides::from_json("not json"), Overrides::default());
    let priced = |model: &str, extra: &str| {
        let set = span_with(&format!(
            r#"{call},{{"key":"gen_ai.request.model","value":{{"stringValue":"{model}"}}}}{extra}"#
        ));
        let mut genai = TraceGenAi::of_each(&set);
        price_each(&set, &mut genai, bundled());
        overrides.apply(&set, &genai[0]).spans()[0].cost.clone()
    };
    // A deployment the table cannot know: 1000 × $1 + 500 × $2 per million.
    assert_eq!(
        priced("my-deployment", ""),
        Some(Cost::Yours { usd: 0.002 })
    );
    assert_eq!(priced("gpt-4o", ""), Some(Cost::Yours { usd: 0.0 }));
    assert_eq!(
        priced(
            "my-deployment",
            r#",{"key":"gen_ai.usage.cost","value":{"doubleValue":0.5}}"#
        ),
        Some(Cost::Recorded { usd: 0.5 })
    );
    assert_eq!(priced("other-deployment", ""), Some(Cost::Unpriced));
}
