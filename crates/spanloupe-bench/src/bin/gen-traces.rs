//! Writes generated traces to files:
//! `cargo run --release -p spanloupe-bench --bin gen-traces -- --spans 100000 [--traces 1] [--seed 42] [--out bench-data]`
//! gives `bench-data/100000-spans.json` and `bench-data/100000-spans.pb`.

use std::path::PathBuf;

use prost::Message;
use spanloupe_bench::{Spec, generate, json::to_otlp_json};

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let value = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let number = |name: &str, default: usize| {
        value(name)
            .and_then(|v| v.replace('_', "").parse().ok())
            .unwrap_or(default)
    };
    let spec = Spec {
        spans: number("--spans", 10_000),
        traces: number("--traces", 1),
        seed: number("--seed", 42) as u64,
    };
    let out = PathBuf::from(value("--out").unwrap_or_else(|| "bench-data".to_owned()));
    std::fs::create_dir_all(&out)?;
    let request = generate(spec);
    let stem = format!("{}-spans", spec.spans);
    std::fs::write(out.join(format!("{stem}.pb")), request.encode_to_vec())?;
    std::fs::write(out.join(format!("{stem}.json")), to_otlp_json(&request))?;
    println!("wrote {0}/{stem}.json and {0}/{stem}.pb", out.display());
    Ok(())
}
