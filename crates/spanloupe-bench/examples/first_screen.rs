//! Times what the page computes to show a trace the first time, natively:
//! `cargo run --profile release -p spanloupe-bench --example first_screen -- trace.pb`
//! (the page's core is built at opt-level "s", as the release profile does).

#![allow(clippy::print_stderr)]

use std::time::Instant;

use spanloupe_core::genai::TraceGenAi;
use spanloupe_core::ingest::Source;
use spanloupe_core::layout::minimap::minimap;
use spanloupe_core::layout::search::errors;
use spanloupe_core::layout::{SpanSet, visible_rows};
use spanloupe_core::transfer::{decode_genai, encode_genai};

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: first_screen <trace file>");
        std::process::exit(2);
    };
    let bytes = std::fs::read(&path).unwrap_or_else(|err| {
        eprintln!("{path}: {err}");
        std::process::exit(1);
    });
    let set = match spanloupe_core::load(&bytes, Source::default()) {
        Ok(loaded) => loaded.set,
        Err(err) => {
            eprintln!("{path}: {err}");
            std::process::exit(1);
        }
    };
    let Some(trace) = set.traces.iter().max_by_key(|t| t.span_count()) else {
        return;
    };
    for run in 1..=3 {
        let mut line = format!("run {run}, {} spans:", trace.span_count());
        let mut time = |name: &str, f: &mut dyn FnMut()| {
            let start = Instant::now();
            f();
            line.push_str(&format!(
                " {name} {:.1} ms,",
                start.elapsed().as_secs_f64() * 1e3
            ));
        };
        let mut collapsed = SpanSet::default();
        time("span set", &mut || collapsed = SpanSet::for_trace(trace));
        time("rows", &mut || {
            let _ = visible_rows(&set, trace, &collapsed, None);
        });
        let mut genai = TraceGenAi::default();
        time("genai", &mut || genai = TraceGenAi::of(&set, trace));
        // What the page does with the worker's GenAI spans: decode them.
        let encoded = encode_genai(std::slice::from_ref(&genai)).unwrap_or_default();
        time("genai decode", &mut || {
            let _ = decode_genai(&encoded);
        });
        time("tokens by model", &mut || {
            let _ = genai.tokens_by_model(&set);
        });
        time("minimap", &mut || {
            let _ = minimap(&set, trace, 1200, 48);
        });
        time("errors", &mut || {
            let _ = errors(&set, trace);
        });
        eprintln!("{line}");
    }
}
