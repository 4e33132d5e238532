//! GenAI: the conversation of each LLM call, normalised from whichever
//! convention the instrumentation used (see `../shared/research/genai-shapes.md`).
//!
//! * `normalize::llm_call` is the one entry point: it classifies the span
//!   (model call, aggregate call, or not a call), picks its content source
//!   in the detection order and merges the call facts.
//! * `payload` turns attribute values (JSON strings, structured values,
//!   double-encoded JSON) into plain JSON; `attributes` reads a span's keys
//!   and the facts every convention shares (usage, finish reasons,
//!   parameters).
//! * One module per convention reads its shape into the one model of
//!   `model`, through a `conversation::Conversation`: `otel_parts`,
//!   `otel_events`, `openllmetry` (with `indexed`), `openinference`,
//!   `vercel`, `logfire`, `langsmith`, `opaque`.
//! * Shared readers: `openai_format` (OpenAI-style messages, requests and
//!   responses, and payloads of unknown producers) and `content_blocks`
//!   (provider-native content blocks: OpenAI, Anthropic, Vercel, Pydantic
//!   AI).
//! * For the views: `markdown` (message text as safe HTML) and `media`
//!   (the picture of an image part).
//! * `thread`: the steps of a trace's Conversation view, found as far as
//!   they are shown.
//! * Beside the calls: `feedback` (user feedback and evaluations, attached
//!   to calls) and `tool_span` (tool executions, which are not calls).

mod attributes;
mod content_blocks;
mod conversation;
pub mod feedback;
pub mod history;
mod indexed;
mod langsmith;
mod logfire;
pub mod markdown;
pub mod media;
pub mod model;
pub mod normalize;
mod opaque;
mod openai_format;
mod openinference;
mod openllmetry;
mod otel_events;
mod otel_parts;
pub mod payload;
pub mod span_kind;
pub mod thread;
pub mod tool_span;
pub mod trace_summary;
mod vercel;

pub use feedback::{Feedback, feedback_of};
pub use model::{ContentState, FinishReason, LlmCall, Message, Part, Role, Usage};
pub use normalize::llm_call;
pub use span_kind::{GenAiKind, KindKeys};
pub use tool_span::{ToolExecution, tool_execution};
pub use trace_summary::{GenAiSpan, ModelTokens, TraceGenAi};
