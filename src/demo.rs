//! The demo trace bundled into the app, so that it opens with something to
//! explore, offline and without a server.

use spanloupe_core::ingest::LoadedInputs;
use spanloupe_core::transfer::{self, TransferError};

/// A GenAI agent run: an agent span, two LLM calls, a tool call with a
/// failed and a retried HTTP request (9 spans, 1 error). Its bytes are
/// kept for the recent files.
pub const DEMO_TRACE: &[u8] = include_bytes!("../assets/demo/trip-planner-agent.json");

/// The demo loaded at build time (`build.rs`), as a worker's reply.
const DEMO_REPLY: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/demo.reply"));

/// The name the demo is shown under.
pub const DEMO_NAME: &str = "trip-planner-agent.json (demo)";

/// The demo's model.
pub fn demo_reply() -> Result<LoadedInputs, TransferError> {
    transfer::unpack(DEMO_REPLY)
}
