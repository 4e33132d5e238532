//! One part of a large file, when the page has the file read by several
//! workers at once (`spanloupe_core::ingest::split`; the page's side is
//! `src/load/split.rs`). Every worker reads and parses its own part; the
//! others send theirs to the first (through the page), which joins them in
//! order, indexes, and answers as for a whole load. When a part cannot be
//! used, the first worker reads the whole file instead.

use spanloupe_core::ingest::split::{self, Assembly, PartLoad, PartUnusable};
use spanloupe_core::ingest::{Input, LoadedInputs, Source, load_many};
use spanloupe_core::transfer::Decoder;
use spanloupe_worker::js::{count, describe, number, number_of};
use spanloupe_worker::protocol::{
    Clock, FilePart, InputContent, ProtocolError, RequestInput, Timings, WorkerError,
};

use crate::Answer;
use crate::inbox::{self, Joined};
use crate::read::{ReadProgress, read_file, read_into};

/// Loads the part of `input`'s file that `spec` names. The first part's
/// worker then joins the `join` others and answers with the whole load; the
/// others answer with their part.
pub async fn load(
    input: RequestInput,
    spec: FilePart,
    join: usize,
    timings: &mut Timings,
) -> Result<Answer, WorkerError> {
    let mut clock = Clock::start();
    let RequestInput {
        name,
        content_type,
        content: InputContent::File(file),
    } = input
    else {
        return Err(ProtocolError::missing("file part's request", "file").into());
    };
    let range = spec.part.range.clone();
    let progress = ReadProgress::new(count(number(range.end - range.start)));
    let mut text = spec.prefix;
    read_into(
        &file,
        number(range.start)..number(range.end),
        &mut text,
        |done| progress.report(done),
    )
    .await
    .map_err(|err| WorkerError::Unreadable {
        input: name.clone(),
        reason: describe(&err),
    })?;
    text.extend_from_slice(&spec.suffix);
    timings.read_ms = Some(clock.lap());
    let own = split::load_part(&text, &spec.part, spec.first);
    drop(text);
    timings.load_ms = Some(clock.lap());
    if join == 0 {
        return Ok(Answer::Part(own));
    }
    let mut assembly = Assembly::new();
    assembly.add(own);
    let (mut waited, mut joining) = (0.0, 0.0);
    for _ in 0..join {
        let start = js_sys::Date::now();
        let next = inbox::next().await;
        let arrived = js_sys::Date::now();
        assembly.add(joined(next));
        waited += arrived - start;
        joining += js_sys::Date::now() - arrived;
    }
    timings.wait_ms = Some(waited);
    timings.join_ms = Some(joining);
    clock.lap();
    let source = Source {
        name: Some(&name),
        content_type: content_type.as_deref(),
    };
    let reply = assembly.finish(source);
    timings.index_ms = Some(clock.lap());
    timings.file_parts = Some(if reply.is_some() {
        number_of(join) + 1.0
    } else {
        1.0
    });
    match reply {
        Some(reply) => Ok(Answer::Load(reply)),
        None => whole(&file, source, timings).await.map(Answer::Load),
    }
}

/// Another worker's part, as the page relays it (`None` when that worker
/// failed).
fn joined(parts: Joined) -> PartLoad {
    let lost = || PartLoad {
        set: Default::default(),
        outcome: Err(PartUnusable::Lost),
    };
    let Some(parts) = parts else {
        return lost();
    };
    let mut decoder = Decoder::<PartLoad>::new();
    for part in parts {
        if decoder.push(&part.to_vec()).is_err() {
            return lost();
        }
    }
    decoder.finish().unwrap_or_else(|_| lost())
}

/// The whole file, read and loaded by this worker alone: what a part that
/// could not be used falls back to, so the errors are a whole read's.
async fn whole(
    file: &web_sys::Blob,
    source: Source<'_>,
    timings: &mut Timings,
) -> Result<LoadedInputs, WorkerError> {
    let mut clock = Clock::start();
    let progress = ReadProgress::new(count(file.size()));
    let bytes = read_file(file, |done| progress.report(done))
        .await
        .map_err(|err| WorkerError::Unreadable {
            input: source.name.unwrap_or_default().to_owned(),
            reason: describe(&err),
        })?;
    let reply = load_many(&[Input {
        bytes: &bytes,
        source,
    }]);
    timings.whole_ms = Some(clock.lap());
    Ok(reply)
}
