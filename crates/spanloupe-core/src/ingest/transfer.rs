//! Loading in a Web Worker: the worker runs [`load_many`] and sends the
//! result to the page as one compact binary message ([`LoadReply`]); the page
//! decodes it into the same `TraceSet`. The model is flat arrays of plain
//! values, so this is a copy, not a parse: no JSON is read twice.

use serde::{Deserialize, Serialize};

use super::{Input, InputSummary, load_many};
use crate::model::TraceSet;

/// What a load gives back: the data, and each input's outcome in order
/// (errors as the text the user reads).
#[derive(Serialize, Deserialize, Debug)]
pub struct LoadReply {
    pub set: Option<TraceSet>,
    pub outcomes: Vec<Result<InputSummary, String>>,
}

/// Loads the inputs together, as [`load_many`] does, into a reply.
pub fn load_reply(inputs: &[Input]) -> LoadReply {
    let (set, outcomes) = load_many(inputs);
    LoadReply {
        set,
        outcomes: outcomes
            .into_iter()
            .map(|outcome| outcome.map_err(|err| err.to_string()))
            .collect(),
    }
}

pub fn encode(reply: &LoadReply) -> Result<Vec<u8>, String> {
    postcard::to_allocvec(reply).map_err(|err| format!("cannot send the loaded data: {err}"))
}

pub fn decode(bytes: &[u8]) -> Result<LoadReply, String> {
    postcard::from_bytes(bytes).map_err(|err| format!("the loaded data arrived damaged: {err}"))
}
