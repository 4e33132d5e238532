//! Ingest throughput: `cargo run --release -p spanloupe-bench --bin ingest-bench [-- --sizes 10000,100000]`
//!
//! For generated traces of each size, as OTLP JSON and OTLP protobuf, prints
//! the MB/s of Spanloupe's full load (parse, build, index) and, on the same
//! JSON bytes, of `serde_json::from_slice::<serde_json::Value>` as a yardstick.
//! Each figure is the best of several runs, to keep noise out.

#![allow(clippy::cast_precision_loss)] // sizes printed in megabytes
#![allow(clippy::expect_used)] // a benchmark whose generated input fails to load has nothing to report

use std::time::{Duration, Instant};

use prost::Message;
use spanloupe_bench::{Spec, generate, json::to_otlp_json};
use spanloupe_core::ingest::Source;

fn main() {
    let sizes = parse_sizes();
    println!("| input | bytes | Spanloupe load | serde_json::Value | ratio (Value time / ours) |");
    println!("|---|---:|---:|---:|---:|");
    for spans in sizes {
        let request = generate(Spec {
            spans,
            traces: 1,
            seed: 42,
        });
        let json = to_otlp_json(&request).into_bytes();
        let proto = request.encode_to_vec();
        drop(request);
        let runs = if spans >= 500_000 { 2 } else { 5 };

        let ours = best_of(runs, || {
            let loaded =
                spanloupe_core::load(&json, Source::default()).expect("generated JSON loads");
            assert_eq!(loaded.set.span_count(), spans);
        });
        let yardstick = best_of(runs, || {
            let value: serde_json::Value =
                serde_json::from_slice(&json).expect("generated JSON parses");
            std::hint::black_box(value);
        });
        println!(
            "| {} spans, OTLP JSON | {} | {} | {} | {:.2}x |",
            spans,
            megabytes(json.len()),
            rate(json.len(), ours),
            rate(json.len(), yardstick),
            yardstick.as_secs_f64() / ours.as_secs_f64()
        );

        let ours_proto = best_of(runs, || {
            let loaded =
                spanloupe_core::load(&proto, Source::default()).expect("generated protobuf loads");
            assert_eq!(loaded.set.span_count(), spans);
        });
        println!(
            "| {} spans, OTLP protobuf | {} | {} | (no JSON) | |",
            spans,
            megabytes(proto.len()),
            rate(proto.len(), ours_proto)
        );
    }
}

fn parse_sizes() -> Vec<usize> {
    let args: Vec<String> = std::env::args().collect();
    match args
        .iter()
        .position(|a| a == "--sizes")
        .and_then(|i| args.get(i + 1))
    {
        Some(list) => list
            .split(',')
            .filter_map(|n| n.trim().replace('_', "").parse().ok())
            .collect(),
        None => vec![10_000, 100_000],
    }
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
