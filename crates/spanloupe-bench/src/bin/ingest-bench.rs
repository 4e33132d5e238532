//! Ingest throughput: `cargo run --profile worker -p spanloupe-bench --bin ingest-bench [-- --sizes 10000,100000] [--production 50000]`
//! (the `worker` profile, as the ingest worker is built: the same for ours and the yardsticks)
//!
//! For generated traces of each size (one trace each), and for the
//! production-like export (`--production` traces of 2-20 spans with
//! high-cardinality values; `--production 0` leaves it out), as OTLP JSON
//! and OTLP protobuf, prints the MB/s of Spanloupe's full load (parse,
//! build, index) and, on the same JSON bytes, two yardsticks:
//! `serde_json::from_slice::<serde_json::Value>` (a parse that builds a
//! tree, as a generic reader does) and `serde_json::from_slice::<IgnoredAny>`
//! (a scan that checks the syntax and keeps nothing: the floor no JSON
//! reader goes below). Each figure is the best of several runs, to keep
//! noise out.

#![allow(clippy::cast_precision_loss)] // sizes printed in megabytes
#![allow(clippy::expect_used)] // a benchmark whose generated input fails to load has nothing to report

use std::time::{Duration, Instant};

use prost::Message;
use serde::de::IgnoredAny;
use spanloupe_bench::{Spec, generate, jaeger::to_jaeger_json, json::to_otlp_json, production};
use spanloupe_core::ingest::Source;
use spanloupe_core::wire::ExportTraceServiceRequest;

/// One input, in each encoding.
struct Input {
    name: String,
    spans: usize,
    json: Vec<u8>,
    proto: Vec<u8>,
    /// The same traces as Jaeger UI downloads them.
    jaeger: Vec<u8>,
}

impl Input {
    fn new(name: String, request: &ExportTraceServiceRequest) -> Self {
        let spans = request
            .resource_spans
            .iter()
            .flat_map(|r| &r.scope_spans)
            .map(|s| s.spans.len())
            .sum();
        Input {
            name,
            spans,
            json: to_otlp_json(request).into_bytes(),
            proto: request.encode_to_vec(),
            jaeger: to_jaeger_json(request).into_bytes(),
        }
    }
}

fn main() {
    let (sizes, production_traces) = parse_args();
    println!(
        "| input | bytes | Spanloupe load | serde_json::Value | ratio (Value time / ours) | serde IgnoredAny (scan only) | ratio (ours / IgnoredAny time) |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
    let inputs = sizes
        .into_iter()
        .map(Generated::Trace)
        .chain((production_traces > 0).then_some(Generated::Production(production_traces)));
    // Generated one at a time: the largest hold gigabytes once loaded.
    for input in inputs {
        bench(&input.make());
    }
    bench_compare(COMPARED_SPANS);
}

/// Spans of each trace Compare pairs in the benchmark.
const COMPARED_SPANS: usize = 200_000;

/// Compare (`layout::compare`) of a generated trace of `spans` spans: with
/// itself (every span paired: each pair's children aligned), and with
/// another generated trace of a tenth fewer spans (few pairs: most of both
/// is written out whole as only in A or only in B).
fn bench_compare(spans: usize) {
    use spanloupe_core::genai::TraceGenAi;
    use spanloupe_core::layout::compare::{Side, compare};
    let load = |spans| {
        let bytes = generate(Spec {
            spans,
            traces: 1,
            seed: 42,
        })
        .encode_to_vec();
        spanloupe_core::load(&bytes, Source::default())
            .expect("generated protobuf loads")
            .set
    };
    let (a, b) = (load(spans), load(spans - spans / 10));
    let (genai_a, genai_b) = (
        TraceGenAi::of(&a, &a.traces[0]),
        TraceGenAi::of(&b, &b.traces[0]),
    );
    let side = |set: &'_ spanloupe_core::TraceSet, genai: &'_ TraceGenAi| -> (usize, Duration) {
        let mut paired = 0;
        let time = best_of(3, || {
            let comparison = compare(
                &Side {
                    set: &a,
                    trace: &a.traces[0],
                    genai: &genai_a,
                },
                &Side {
                    set,
                    trace: &set.traces[0],
                    genai,
                },
            );
            paired = comparison.matched;
        });
        (paired, time)
    };
    println!();
    println!("| Compare | paired | time |");
    println!("|---|---:|---:|");
    let (paired, time) = side(&a, &genai_a);
    println!(
        "| a {spans}-span trace with itself | {paired} | {} ms |",
        time.as_millis()
    );
    let (paired, time) = side(&b, &genai_b);
    println!(
        "| a {spans}-span trace with another of {} spans | {paired} | {} ms |",
        b.span_count(),
        time.as_millis()
    );
}

/// An input to generate.
enum Generated {
    /// One trace of this many spans.
    Trace(usize),
    /// The production-like export of this many traces.
    Production(usize),
}

impl Generated {
    fn make(&self) -> Input {
        match *self {
            Generated::Trace(spans) => Input::new(
                format!("{spans} spans"),
                &generate(Spec {
                    spans,
                    traces: 1,
                    seed: 42,
                }),
            ),
            Generated::Production(traces) => Input::new(
                format!("{traces} production-like traces"),
                &production::generate(production::Spec { traces, seed: 42 }),
            ),
        }
    }
}

fn bench(input: &Input) {
    let (json, proto) = (&input.json, &input.proto);
    // Fewer runs of the inputs of hundreds of megabytes: each takes seconds.
    let runs = if json.len() >= 150_000_000 { 2 } else { 5 };
    let ours = best_of(runs, || {
        let loaded = spanloupe_core::load(json, Source::default()).expect("generated JSON loads");
        assert_eq!(loaded.set.span_count(), input.spans);
    });
    let tree = best_of(runs, || {
        let value: serde_json::Value = serde_json::from_slice(json).expect("generated JSON parses");
        std::hint::black_box(value);
    });
    let scan = best_of(runs, || {
        let value: IgnoredAny = serde_json::from_slice(json).expect("generated JSON scans");
        std::hint::black_box(value);
    });
    println!(
        "| {}, OTLP JSON | {} | {} | {} | {:.2}x | {} | {:.2}x |",
        input.name,
        megabytes(json.len()),
        rate(json.len(), ours),
        rate(json.len(), tree),
        tree.as_secs_f64() / ours.as_secs_f64(),
        rate(json.len(), scan),
        ours.as_secs_f64() / scan.as_secs_f64()
    );

    let ours_proto = best_of(runs, || {
        let loaded =
            spanloupe_core::load(proto, Source::default()).expect("generated protobuf loads");
        assert_eq!(loaded.set.span_count(), input.spans);
    });
    println!(
        "| {}, OTLP protobuf | {} | {} | (no JSON) | | | |",
        input.name,
        megabytes(proto.len()),
        rate(proto.len(), ours_proto)
    );

    // Jaeger JSON of the same traces: compared per span with OTLP JSON.
    let jaeger = &input.jaeger;
    let ours_jaeger = best_of(runs, || {
        let loaded =
            spanloupe_core::load(jaeger, Source::default()).expect("generated Jaeger JSON loads");
        assert_eq!(loaded.set.span_count(), input.spans);
    });
    let per_span = |time: Duration| time.as_secs_f64() * 1e9 / input.spans.max(1) as f64;
    println!(
        "| {}, Jaeger JSON | {} | {} | | {:.0} ns a span (OTLP JSON: {:.0}) | | |",
        input.name,
        megabytes(jaeger.len()),
        rate(jaeger.len(), ours_jaeger),
        per_span(ours_jaeger),
        per_span(ours)
    );
}

/// `--sizes` (spans of the single-trace inputs) and `--production` (traces
/// of the production-like input, 0 for none).
fn parse_args() -> (Vec<usize>, usize) {
    let args: Vec<String> = std::env::args().collect();
    let value = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
    };
    let number = |text: &str| text.trim().replace('_', "").parse().ok();
    let sizes = match value("--sizes") {
        Some(list) => list.split(',').filter_map(number).collect(),
        None => vec![10_000, 100_000],
    };
    let production = value("--production")
        .and_then(|n| number(n))
        .unwrap_or(production::DEFAULT_TRACES);
    (sizes, production)
}

fn best_of(runs: usize, mut run: impl FnMut()) -> Duration {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            run();
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn megabytes(bytes: usize) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

fn rate(bytes: usize, time: Duration) -> String {
    format!(
        "{:.0} MB/s ({:.0} ms)",
        bytes as f64 / 1e6 / time.as_secs_f64(),
        time.as_secs_f64() * 1e3
    )
}
