//! GenAI: the conversation of each LLM call, normalised from whichever
//! convention the instrumentation used (see `../shared/research/genai-shapes.md`).
//!
//! `payload` turns attribute values (JSON strings, structured values,
//! double-encoded JSON) into plain JSON; each convention module reads its
//! shape into the one model of `model`; `normalize` picks the sources of a
//! span in the detection order and merges them.

mod attributes;
mod content_blocks;
mod conversation;
pub mod feedback;
mod indexed;
mod langsmith;
mod logfire;
pub mod markdown;
pub mod model;
pub mod normalize;
mod opaque;
mod openai_format;
mod openinference;
mod openllmetry;
mod otel_events;
mod otel_parts;
pub mod payload;
pub mod tool_span;
mod vercel;

pub use feedback::{Feedback, feedback_of};
pub use model::{ContentState, FinishReason, LlmCall, Message, Part, Role, Usage};
pub use normalize::llm_call;
pub use tool_span::{ToolExecution, tool_execution};
