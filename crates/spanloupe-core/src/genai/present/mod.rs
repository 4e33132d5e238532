//! What the views need of the GenAI model beyond the calls themselves.

pub mod history;
pub mod markdown;
pub mod media;
pub mod thread;
