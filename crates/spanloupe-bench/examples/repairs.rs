//! Times loading a crafted file of parent loops against a normal file of
//! the same size and shape, natively: each loop is repaired (cut and
//! warned), and repairing must not cost more than reading.
//! `cargo run --release -p spanloupe-bench --example repairs [loops]`
//! (50,000 two-span loops by default: 100,000 spans in one trace).

#![allow(clippy::cast_precision_loss)] // a size printed in megabytes
#![allow(clippy::print_stderr)]

use std::time::{Duration, Instant};

use spanloupe_core::ingest::Source;

const TRACE: &str = "00000000000000000000000000000001";

/// `loops` pairs of spans of one trace: in loops, each the other's parent;
/// else the second the child of the first.
fn document(loops: u64, looped: bool) -> String {
    let span = |id: u64, parent: u64, name: &str, start: u64, end: u64| {
        format!(
            r#"{{"traceId":"{TRACE}","spanId":"{id:016x}","parentSpanId":"{parent:016x}","name":"{name}","startTimeUnixNano":"{start}","endTimeUnixNano":"{end}"}}"#
        )
    };
    let spans: Vec<String> = (0..loops)
        .flat_map(|n| {
            let (a, b) = (2 * n + 1, 2 * n + 2);
            // A parent id of zeros is no parent.
            let parent_of_a = if looped { b } else { 0 };
            [
                span(a, parent_of_a, "a", 10 * n, 10 * n + 5),
                span(b, a, "b", 10 * n + 1, 10 * n + 4),
            ]
        })
        .collect();
    format!(
        r#"{{"resourceSpans":[{{"scopeSpans":[{{"spans":[{}]}}]}}]}}"#,
        spans.join(",")
    )
}

/// The median of five loads.
fn median_load(text: &str) -> Duration {
    let mut times: Vec<Duration> = (0..5)
        .map(|_| {
            let start = Instant::now();
            let loaded = spanloupe_core::load(text.as_bytes(), Source::default());
            let elapsed = start.elapsed();
            assert!(loaded.is_ok(), "the file loads");
            elapsed
        })
        .collect();
    times.sort();
    times[2]
}

fn main() {
    let loops = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(50_000);
    let normal = document(loops, false);
    let looped = document(loops, true);
    let (normal_time, looped_time) = (median_load(&normal), median_load(&looped));
    eprintln!(
        "{} spans in one trace ({:.1} MB): without loops {:.0} ms, with {loops} two-span loops {:.0} ms ({:.2}x), medians of 5",
        2 * loops,
        looped.len() as f64 / 1e6,
        normal_time.as_secs_f64() * 1e3,
        looped_time.as_secs_f64() * 1e3,
        looped_time.as_secs_f64() / normal_time.as_secs_f64()
    );
}
