//! Why a worker gave no reply, as both sides name it.

use serde::{Deserialize, Serialize};
use spanloupe_core::IngestError;
use spanloupe_core::transfer::TransferError;

/// Why a load in a worker failed. The page shows it as "the file could not
/// be read: …"; each input's own errors travel in the reply instead.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum WorkerError {
    /// A message that is not what this protocol says (a page and a worker
    /// of different builds).
    #[error("{0}")]
    Protocol(ProtocolError),
    /// The browser could not read a file.
    #[error("{input}: reading failed: {reason}")]
    Unreadable { input: String, reason: String },
    /// A file over the limit, or that memory could not be had for.
    #[error("{input}: {error}")]
    Refused { input: String, error: IngestError },
    /// The reply could not be encoded, or arrived damaged.
    #[error("{0}")]
    Transfer(TransferError),
    /// The browser would not post a message.
    #[error("cannot send the loaded data: {0}")]
    Unposted(String),
    /// The worker panicked; it said so before it stopped.
    #[error("the reader stopped: {0}")]
    Panicked(String),
    /// The worker died without a word (out of memory, a stack overflow):
    /// what the browser said, if anything.
    #[error("{0}")]
    Crashed(String),
}

impl From<TransferError> for WorkerError {
    fn from(error: TransferError) -> Self {
        WorkerError::Transfer(error)
    }
}

impl From<ProtocolError> for WorkerError {
    fn from(error: ProtocolError) -> Self {
        WorkerError::Protocol(error)
    }
}

impl WorkerError {
    /// As it travels in a `done` message: JSON, readable in the browser's
    /// tools.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| format!("{:?}", self.to_string()))
    }

    /// The error a `done` message carries; one that cannot be read is kept
    /// as the text it came as.
    pub fn from_json(json: &str) -> WorkerError {
        serde_json::from_str(json)
            .unwrap_or_else(|_| WorkerError::Protocol(ProtocolError::Unreadable(json.to_owned())))
    }
}

/// A message not as this protocol says.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum ProtocolError {
    #[error("a message of unknown type {0:?}")]
    UnknownType(String),
    #[error("a {message} message came without its {field}")]
    Missing { message: String, field: String },
    #[error("the worker's error could not be read: {0}")]
    Unreadable(String),
}

impl ProtocolError {
    /// A `message` message without its `field`.
    pub fn missing(message: &str, field: &str) -> Self {
        ProtocolError::Missing {
            message: message.to_owned(),
            field: field.to_owned(),
        }
    }
}
