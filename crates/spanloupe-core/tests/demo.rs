//! The demo trace bundled with the app is what the README and the browser
//! tests say it is.

mod common;

use common::{attr_str, span_named};

#[test]
fn the_bundled_demo_is_a_genai_agent_run_with_one_error() {
    let loaded = common::load_demo();
    let set = &loaded.set;
    assert!(set.warnings.is_empty());
    assert_eq!(set.traces.len(), 1);
    let trace = &set.traces[0];
    assert_eq!(trace.span_count(), 9);
    assert_eq!(trace.error_count, 1);
    assert_eq!(
        set.span_name(trace.root().unwrap()),
        "invoke_agent trip_planner"
    );
    let services: Vec<&str> = trace.services.iter().map(|s| set.str(*s)).collect();
    assert_eq!(services, ["trip-planner", "weather-api"]);
    let tool = span_named(set, "execute_tool get_weather");
    assert_eq!(
        attr_str(set, tool, "gen_ai.tool.call.id"),
        Some("call_demo_weather1")
    );
    let chats = set
        .spans
        .iter()
        .filter(|span| set.str(span.name) == "chat gpt-4o-mini")
        .count();
    assert_eq!(chats, 2, "two LLM calls");
}
