//! One module per GenAI convention, each reading its shape of a call's
//! messages into a `Conversation` (`super::shared`). `normalize` picks the
//! one a span carries.

pub mod langsmith;
pub mod logfire;
pub mod opaque;
pub mod openinference;
pub mod openllmetry;
pub mod otel_events;
pub mod otel_parts;
pub mod vercel;
