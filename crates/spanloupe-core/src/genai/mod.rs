//! GenAI: the conversation of each LLM call, normalised from whichever
//! convention the instrumentation used, and what the views need of it.
//!
//! * [`normalize::llm_call`] is the one entry point: it classifies the span
//!   (model call, aggregate call, or not a call), picks its content source
//!   in the detection order and merges the call facts into the one
//!   normalized [`model`].
//! * `conventions`: one module per convention, each reading its shape into
//!   a `shared::conversation::Conversation` (OTel parts and events,
//!   OpenLLMetry, OpenInference, Vercel, Logfire, LangSmith, and the opaque
//!   payloads of unknown producers).
//! * `shared`: what the conventions read with: attribute values as JSON
//!   (`payload`), a span's keys and the facts every convention shares
//!   (`attributes`), indexed keys, tool arguments and definitions, and the
//!   readers of OpenAI-style messages and provider-native content blocks.
//! * Beside the calls, the GenAI spans of a trace: [`span_kind`] (what a
//!   span is, cheaply, for every row), [`tool_span`] (tool executions),
//!   [`feedback`] (user feedback and evaluations, attached to calls) and
//!   [`trace_summary`] (a trace's GenAI spans and tokens, found once).
//! * `present`, for the views: [`thread`] (the Conversation view's steps),
//!   [`history`] (which messages of a call are new), [`markdown`] (message
//!   text as safe HTML) and [`media`] (the picture of an image part).

pub mod agent_graph;
mod conventions;
pub mod cost;
mod feedback;
pub mod model;
pub mod normalize;
mod present;
mod shared;
mod span_kind;
mod tool_span;
mod trace_summary;
mod twins;

pub use feedback::{Feedback, feedback_of};
pub use model::{ContentState, FinishReason, LlmCall, Message, Part, Role, Usage};
pub use normalize::llm_call;
pub use present::{history, markdown, media, thread};
pub use shared::payload::parse_embedded;
pub use span_kind::{GenAiKind, KindKeys};
pub use tool_span::{ToolExecution, tool_execution};
pub use trace_summary::{GenAiSpan, ModelTokens, TraceGenAi, Twin};
