//! One part of a large file, when the page has the file read by several
//! workers at once (`spanloupe_core::ingest::split`; the page's side is
//! `src/load/split.rs`). Every worker reads and parses its own part; the
//! others send theirs to the first (through the page), which joins them in
//! order, indexes, and answers as for a whole load. When a part cannot be
//! used, the first worker reads the whole file instead.

use js_sys::{Array, Object, Uint8Array};
use spanloupe_core::ingest::split::{self, Assembly, Part, PartLoad, PartSummary};
use spanloupe_core::ingest::transfer::{self, LoadReply, ReplyDecoder, message};
use spanloupe_core::ingest::{DataList, Input, Source};
use spanloupe_worker::js::{count, describe, get, number, number_of, offset, set};
use wasm_bindgen::{JsCast, JsValue};

use crate::read::{ReadProgress, read_file, read_into};
use crate::{Answer, Clock, inbox};

/// The part of the file a request names, as the page planned it.
struct FilePart {
    part: Part,
    first: bool,
    prefix: Vec<u8>,
    suffix: Vec<u8>,
}

impl FilePart {
    fn from_message(value: &JsValue) -> Result<FilePart, String> {
        let number = |key| get(value, key).as_f64();
        let (Some(start), Some(end)) = (number(message::START), number(message::END)) else {
            return Err("the request names no range of the file".to_owned());
        };
        let list = |key| {
            get(value, key)
                .as_string()
                .and_then(|n| DataList::from_name(&n))
        };
        let bytes = |key| {
            get(value, key)
                .dyn_into::<Uint8Array>()
                .map(|b| b.to_vec())
                .unwrap_or_default()
        };
        Ok(FilePart {
            part: Part {
                range: offset(start)..offset(end),
                opens: list(message::OPENS),
                closes: list(message::CLOSES),
            },
            first: get(value, message::FIRST).is_truthy(),
            prefix: bytes(message::PREFIX),
            suffix: bytes(message::SUFFIX),
        })
    }
}

/// Loads the part of `input`'s file that `file_part` names. The first
/// part's worker then joins the `join` others and answers with the whole
/// load; the others answer with their part.
pub async fn load(
    input: &JsValue,
    file_part: &JsValue,
    join: usize,
    timings: &Object,
) -> Result<Answer, String> {
    let mut clock = Clock::start();
    let spec = FilePart::from_message(file_part)?;
    let name = get(input, message::NAME).as_string().unwrap_or_default();
    let content_type = get(input, message::CONTENT_TYPE).as_string();
    let file: web_sys::Blob = get(input, message::FILE)
        .dyn_into()
        .map_err(|_| format!("{name}: no file"))?;
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
    .map_err(|err| format!("{name}: reading failed: {}", describe(&err)))?;
    text.extend_from_slice(&spec.suffix);
    clock.lap(timings, message::READ_MS);
    let own = split::load_part(&text, &spec.part, spec.first);
    drop(text);
    clock.lap(timings, message::LOAD_MS);
    if join == 0 {
        return Ok(Answer::Part(own.into_reply()));
    }
    let mut assembly = Assembly::new();
    assembly.add(own);
    let (mut waited, mut joining) = (0.0, 0.0);
    for _ in 0..join {
        let start = js_sys::Date::now();
        let next = inbox::next().await;
        let arrived = js_sys::Date::now();
        assembly.add(joined(&next));
        waited += arrived - start;
        joining += js_sys::Date::now() - arrived;
    }
    set(timings, message::WAIT_MS, &JsValue::from_f64(waited));
    set(timings, message::JOIN_MS, &JsValue::from_f64(joining));
    clock.lap(timings, message::JOINED_AT_MS);
    let source = Source {
        name: Some(&name),
        content_type: content_type.as_deref(),
    };
    let reply = assembly.finish(source);
    clock.lap(timings, message::INDEX_MS);
    set(
        timings,
        message::FILE_PARTS,
        &JsValue::from_f64(if reply.is_some() {
            number_of(join) + 1.0
        } else {
            1.0
        }),
    );
    match reply {
        Some(reply) => Ok(Answer::Load(reply)),
        None => whole(&file, source, timings).await.map(Answer::Load),
    }
}

/// Another worker's part, as the page relays it: its reply's parts, or
/// `null` when that worker failed.
fn joined(message: &JsValue) -> PartLoad {
    let failed = |why: String| PartLoad {
        set: Default::default(),
        outcome: Err(why),
    };
    let Ok(parts) = get(message, message::JOINED).dyn_into::<Array>() else {
        return failed("the worker of a part failed".to_owned());
    };
    let mut decoder: ReplyDecoder<PartSummary> = ReplyDecoder::new();
    for part in parts.iter() {
        let pushed = match part.dyn_into::<Uint8Array>() {
            Ok(bytes) => decoder.push(&bytes.to_vec()),
            Err(_) => Err("a part of another worker's reply is not bytes".to_owned()),
        };
        if let Err(why) = pushed {
            return failed(why);
        }
    }
    match decoder.finish() {
        Ok(reply) => PartLoad::from_reply(reply),
        Err(why) => failed(why),
    }
}

/// The whole file, read and loaded by this worker alone: what a part that
/// could not be used falls back to, so the errors are a whole read's.
async fn whole(
    file: &web_sys::Blob,
    source: Source<'_>,
    timings: &Object,
) -> Result<LoadReply, String> {
    let mut clock = Clock::start();
    let progress = ReadProgress::new(count(file.size()));
    let bytes = read_file(file, |done| progress.report(done))
        .await
        .map_err(|err| format!("reading failed: {}", describe(&err)))?;
    let reply = transfer::load_reply(&[Input {
        bytes: &bytes,
        source,
    }]);
    clock.lap(timings, message::WHOLE_MS);
    Ok(reply)
}
