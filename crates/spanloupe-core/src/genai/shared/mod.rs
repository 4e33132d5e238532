//! What the conventions read with: attribute values as JSON, a span's keys
//! and the facts every convention shares, and the readers of the payload
//! shapes several conventions pass through (OpenAI-style messages,
//! provider-native content blocks, tool calls).

pub mod attributes;
pub mod content_blocks;
pub mod conversation;
pub mod indexed;
pub mod openai_format;
pub mod payload;
pub mod tools;
