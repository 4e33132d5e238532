//! Writes generated traces to files:
//! `cargo run --release -p spanloupe-bench --bin gen-traces -- --spans 100000 [--traces 1] [--seed 42] [--out bench-data] [--formats json,pb]`
//! gives `bench-data/100000-spans.json` and `bench-data/100000-spans.pb`
//! (with `--traces 17172`, `100000-spans-17172-traces.json`).
//! (A million spans of JSON is over a gigabyte: `--formats pb` skips it.)
//! `--formats jaeger` writes the same traces as Jaeger UI downloads them,
//! as `{stem}.jaeger.json`.
//! `--huge` makes the root a chat call with a 10 MB prompt, a 3 MB base64
//! image and a 10 MB attribute, written as `{spans}-spans-huge.{format}`.
//! `--production` writes a production-like export instead (see
//! `spanloupe_bench::production`): `--traces` traces (50,000 unless given)
//! of 2-20 spans with high-cardinality values, as
//! `production-{traces}-traces.{format}`; `--spans` and `--huge` do not
//! apply to it.

use std::path::PathBuf;

use prost::Message;
use spanloupe_bench::jaeger::to_jaeger_json;
use spanloupe_bench::{Rng, Spec, add_huge_values, generate, json::to_otlp_json, production};

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
    let huge = args.iter().any(|a| a == "--huge");
    let (request, stem) = if args.iter().any(|a| a == "--production") {
        let traces = number("--traces", production::DEFAULT_TRACES);
        let request = production::generate(production::Spec {
            traces,
            seed: spec.seed,
        });
        (request, production::file_stem(traces))
    } else {
        let mut request = generate(spec);
        if huge {
            add_huge_values(&mut request, &mut Rng::new(spec.seed));
        }
        let traces = if spec.traces > 1 {
            format!("-{}-traces", spec.traces)
        } else {
            String::new()
        };
        let stem = format!(
            "{}-spans{traces}{}",
            spec.spans,
            if huge { "-huge" } else { "" }
        );
        (request, stem)
    };
    let formats = value("--formats").unwrap_or_else(|| "json,pb".to_owned());
    for format in formats.split(',') {
        let path = match format {
            "jaeger" => out.join(format!("{stem}.jaeger.json")),
            _ => out.join(format!("{stem}.{format}")),
        };
        match format {
            "pb" => std::fs::write(&path, request.encode_to_vec())?,
            "json" => std::fs::write(&path, to_otlp_json(&request))?,
            "jaeger" => std::fs::write(
                out.join(format!("{stem}.jaeger.json")),
                to_jaeger_json(&request),
            )?,
            other => {
                eprintln!("unknown format {other:?}: use json, pb, jaeger, or several");
                std::process::exit(2);
            }
        }
        println!("wrote {}", path.display());
    }
    Ok(())
}
