//! Times loading one trace file natively, for profiling a real file:
//! `cargo run --release -p spanloupe-bench --example load_file -- trace.json`
//! (under `perf record`, say). Prints each of a few runs, so the first
//! (cold caches) can be told from the rest.

#![allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)] // sizes printed; offsets of a file in memory
#![allow(clippy::print_stderr)]

use std::time::Instant;

use spanloupe_core::ingest::{LoadedInputs, Source, load_many};
use spanloupe_core::transfer;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: load_file <trace file>");
        std::process::exit(2);
    };
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(err) => {
            eprintln!("{path}: {err}");
            std::process::exit(1);
        }
    };
    let input = spanloupe_core::ingest::Input {
        bytes: &bytes,
        source: Source::default(),
    };
    for run in 1..=2 {
        // The worker's round trip: encode the model, decode it on the page.
        let reply = load_many(&[input]);
        let start = Instant::now();
        let parts = match transfer::encode(&reply) {
            Ok(parts) => parts,
            Err(err) => {
                eprintln!("{path}: {err}");
                std::process::exit(1);
            }
        };
        let encoded = start.elapsed();
        let size: usize = parts.iter().map(Vec::len).sum();
        let start = Instant::now();
        let decoded = transfer::decode::<LoadedInputs>(parts.iter().map(Vec::as_slice));
        eprintln!(
            "transfer {run}: {} parts, {:.1} MB, encoded in {:.0} ms, decoded in {:.0} ms{}",
            parts.len(),
            size as f64 / 1e6,
            encoded.as_secs_f64() * 1e3,
            start.elapsed().as_secs_f64() * 1e3,
            if decoded.is_ok() { "" } else { " (FAILED)" }
        );
    }
    if let Ok(loaded) = spanloupe_core::load(&bytes, Source::default()) {
        print_memory(&loaded.set);
    }
    time_split(&bytes);
    for run in 1..=4 {
        let start = Instant::now();
        match spanloupe_core::load(&bytes, Source::default()) {
            Ok(loaded) => eprintln!(
                "run {run}: {} spans, {} log records in {:.0} ms",
                loaded.set.span_count(),
                loaded.set.logs.len(),
                start.elapsed().as_secs_f64() * 1e3
            ),
            Err(err) => {
                eprintln!("{path}: {err}");
                std::process::exit(1);
            }
        }
    }
}

/// Where a load in two workers spends its time: each part's read (at
/// once in the browser), the second part's trip to the first worker, the
/// join and the index.
fn time_split(bytes: &[u8]) {
    use spanloupe_core::ingest::split::{Assembly, PartLoad, load_part, plan};
    use spanloupe_core::transfer::{Decoder, encode};
    let ms = |start: Instant| start.elapsed().as_secs_f64() * 1e3;
    let Some((layout, parts)) = plan(bytes, 2) else {
        eprintln!("split: the file cannot be cut");
        return;
    };
    let start = Instant::now();
    let mut loads = Vec::new();
    let mut times = Vec::new();
    for (index, part) in parts.iter().enumerate() {
        let range = part.range.start as usize..part.range.end as usize;
        let text = layout.text(part, &bytes[range]);
        let start = Instant::now();
        loads.push(load_part(&text, part, index == 0));
        times.push(format!("{:.0}", ms(start)));
    }
    let mut loads = loads.into_iter();
    let (Some(first), Some(second)) = (loads.next(), loads.next()) else {
        return;
    };
    let trip = Instant::now();
    let Ok(encoded) = encode(&second) else {
        return;
    };
    let mut decoder = Decoder::<PartLoad>::new();
    for part in &encoded {
        let _ = decoder.push(part);
    }
    let Ok(second) = decoder.finish() else {
        return;
    };
    let trip = ms(trip);
    let join = Instant::now();
    let mut assembly = Assembly::new();
    assembly.add(first);
    assembly.add(second);
    let joined = ms(join);
    let index = Instant::now();
    let reply = assembly.finish(Source::default());
    eprintln!(
        "split in 2: parts loaded in {} ms, the second sent in {trip:.0} ms, joined in {joined:.0} ms, indexed in {:.0} ms ({:.0} ms in all, {})",
        times.join(" + "),
        ms(index),
        ms(start),
        if reply.is_some() { "ok" } else { "FAILED" }
    );
}

/// What the model holds, array by array: elements, and megabytes used and
/// reserved (a `Vec` that grew by doubling reserves up to twice its use).
fn print_memory(set: &spanloupe_core::model::TraceSet) {
    fn row<T>(name: &str, items: &Vec<T>) -> (usize, usize) {
        let size = std::mem::size_of::<T>();
        let (used, reserved) = (items.len() * size, items.capacity() * size);
        eprintln!(
            "  {name:<10} {:>9} x {size:>3} B = {:>6.1} MB used, {:>6.1} MB reserved",
            items.len(),
            used as f64 / 1e6,
            reserved as f64 / 1e6
        );
        (used, reserved)
    }
    eprintln!("model:");
    let rows = [
        row("spans", &set.spans),
        row("attributes", &set.attributes),
        row("values", &set.values),
        row("bytes", &set.bytes),
        row("events", &set.events),
        row("links", &set.links),
        row("logs", &set.logs),
    ];
    eprintln!(
        "  strings    {:>9} strings, {:.1} MB of text",
        set.strings.len(),
        set.strings.text_bytes() as f64 / 1e6
    );
    let (used, reserved) = rows.iter().fold((0, 0), |(u, r), (a, b)| (u + a, r + b));
    eprintln!(
        "  arrays total {:.1} MB used, {:.1} MB reserved",
        used as f64 / 1e6,
        reserved as f64 / 1e6
    );
}
