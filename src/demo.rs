//! The demo trace bundled into the app, so that it opens with something to
//! explore, offline and without a server.

/// A GenAI agent run: an agent span, two LLM calls, a tool call with a
/// failed and a retried HTTP request (9 spans, 1 error).
pub const DEMO_TRACE: &[u8] = include_bytes!("../assets/demo/trip-planner-agent.json");

/// The name the demo is shown under.
pub const DEMO_NAME: &str = "trip-planner-agent.json (demo)";
