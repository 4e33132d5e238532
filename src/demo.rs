//! The demo trace bundled into the app, so that it opens with something to
//! explore, offline and without a server.

use spanloupe_core::genai::TraceGenAi;
use spanloupe_core::ingest::LoadedInputs;
use spanloupe_core::transfer::{self, TransferError};

/// `assets/demo/trip-planner-agent.json`, a GenAI agent run (an agent span,
/// two LLM calls, a tool call with a failed and a retried HTTP request: 9
/// spans, 1 error), loaded at build time (`build.rs`), as a worker's reply.
const DEMO_REPLY: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/demo.reply"));

/// The size of the demo's file.
pub fn demo_bytes() -> usize {
    env!("SPANLOUPE_DEMO_BYTES").parse().unwrap_or(0)
}

/// The name the demo is shown under.
pub const DEMO_NAME: &str = "trip-planner-agent.json (demo)";

/// The demo's model.
pub fn demo_reply() -> Result<LoadedInputs, TransferError> {
    transfer::unpack(DEMO_REPLY)
}

/// The demo's GenAI spans, priced at build time (`build.rs`).
const DEMO_GENAI: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/demo.genai"));

/// The demo's GenAI spans with their costs, as a worker sends them.
pub fn demo_genai() -> Option<Vec<TraceGenAi>> {
    transfer::decode_genai(DEMO_GENAI).ok()
}
