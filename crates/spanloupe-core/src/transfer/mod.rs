//! What the ingest worker sends the page: the loaded data as compact binary
//! parts (postcard), which the page decodes into the same `TraceSet`. The
//! model is flat arrays of plain values, so this is a copy, not a parse: no
//! JSON is read twice. Above both `ingest` and `genai`: it carries what each
//! produced, and neither knows it.
//!
//! The parts are small (a few megabytes, some milliseconds to decode): the
//! worker posts each as soon as it is encoded ([`encode_each`]) and the page
//! decodes each as it arrives (a [`Decoder`] takes one part at a time), so
//! the page decodes while the worker still encodes, and never blocks for
//! long. How the parts travel (the messages of the page and the worker) is
//! the worker crate's `protocol`.

mod parts;

pub use parts::{Decoder, encode_each};

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::genai::TraceGenAi;
use crate::ingest::LoadedInputs;
use crate::ingest::split::{PartLoad, PartUnusable};
use crate::model::TraceSet;

/// What a reply carries: data, and the outcomes of what it was read from.
/// A whole load ([`LoadedInputs`]), or a part of a file a helper worker read
/// ([`PartLoad`]), on its way to the worker that joins them.
pub trait Payload: Sized {
    type Outcome: Serialize + DeserializeOwned;

    fn set(&self) -> Option<&TraceSet>;
    fn outcomes(&self) -> &[Self::Outcome];
    /// The payload again, from what arrived.
    fn assemble(set: Option<TraceSet>, outcomes: Vec<Self::Outcome>) -> Self;
}

impl Payload for LoadedInputs {
    type Outcome = Result<crate::ingest::InputSummary, crate::IngestError>;

    fn set(&self) -> Option<&TraceSet> {
        self.set.as_ref()
    }

    fn outcomes(&self) -> &[Self::Outcome] {
        &self.outcomes
    }

    fn assemble(set: Option<TraceSet>, outcomes: Vec<Self::Outcome>) -> Self {
        LoadedInputs { set, outcomes }
    }
}

impl Payload for PartLoad {
    type Outcome = Result<crate::ingest::split::PartSummary, PartUnusable>;

    fn set(&self) -> Option<&TraceSet> {
        Some(&self.set)
    }

    fn outcomes(&self) -> &[Self::Outcome] {
        std::slice::from_ref(&self.outcome)
    }

    fn assemble(set: Option<TraceSet>, outcomes: Vec<Self::Outcome>) -> Self {
        PartLoad {
            set: set.unwrap_or_default(),
            outcome: outcomes
                .into_iter()
                .next()
                .unwrap_or(Err(PartUnusable::Lost)),
        }
    }
}

/// Why a reply could not be sent or did not arrive whole.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
pub enum TransferError {
    #[error("cannot send the loaded data: {0}")]
    Unencodable(String),
    #[error("the loaded data arrived with an empty part")]
    EmptyPart,
    #[error("the loaded data has a part of unknown kind {0}")]
    UnknownPart(u8),
    #[error("the loaded data arrived without its head")]
    NoHead,
    #[error("the loaded data arrived damaged: {0}")]
    Damaged(String),
}

/// The reply as parts, all at once (tests, benchmarks, and the worker's
/// warm-up).
pub fn encode<P: Payload>(reply: &P) -> Result<Vec<Vec<u8>>, TransferError> {
    let mut parts = Vec::new();
    encode_each(reply, |part| {
        parts.push(part);
        Ok::<(), TransferError>(())
    })?;
    Ok(parts)
}

/// Decodes all parts of a reply at once (tests, and callers that need not
/// yield).
pub fn decode<'a, P: Payload>(
    parts: impl IntoIterator<Item = &'a [u8]>,
) -> Result<P, TransferError> {
    let mut decoder = Decoder::<P>::new();
    for part in parts {
        decoder.push(part)?;
    }
    decoder.finish()
}

/// The parts of a reply in one buffer, each after its length (4 bytes,
/// little-endian): a reply made ahead of time, such as the demo trace's,
/// which the app carries built in.
pub fn pack(parts: &[Vec<u8>]) -> Result<Vec<u8>, TransferError> {
    let mut packed = Vec::with_capacity(parts.iter().map(|p| p.len() + 4).sum());
    for part in parts {
        let len = u32::try_from(part.len())
            .map_err(|_| TransferError::Unencodable("a part over 4 GB".to_owned()))?;
        packed.extend_from_slice(&len.to_le_bytes());
        packed.extend_from_slice(part);
    }
    Ok(packed)
}

/// The reply [`pack`] packed.
pub fn unpack<P: Payload>(mut packed: &[u8]) -> Result<P, TransferError> {
    let mut decoder = Decoder::<P>::new();
    while !packed.is_empty() {
        let cut_short = || TransferError::Damaged("a packed part is cut short".to_owned());
        let (len, rest) = packed.split_first_chunk::<4>().ok_or_else(cut_short)?;
        let len = usize::try_from(u32::from_le_bytes(*len)).map_err(|_| cut_short())?;
        let part = rest.get(..len).ok_or_else(cut_short)?;
        decoder.push(part)?;
        packed = rest.get(len..).unwrap_or_default();
    }
    decoder.finish()
}

/// The GenAI spans of every trace (`TraceGenAi::of_each`), which the
/// worker sends after the set's parts, found while the page decodes them.
pub fn encode_genai(genai: &[TraceGenAi]) -> Result<Vec<u8>, TransferError> {
    postcard::to_allocvec(genai).map_err(|err| TransferError::Unencodable(err.to_string()))
}

pub fn decode_genai(bytes: &[u8]) -> Result<Vec<TraceGenAi>, TransferError> {
    postcard::from_bytes(bytes).map_err(|err| TransferError::Damaged(err.to_string()))
}
