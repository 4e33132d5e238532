//! Loads the demo trace at build time, as the ingest worker would, and
//! packs the reply into `OUT_DIR/demo.reply` and its priced GenAI spans
//! into `OUT_DIR/demo.genai`: the app opens the demo from them at once,
//! without a worker, and carries neither a parser nor the price table.

use std::error::Error;
use std::path::Path;

use spanloupe_core::genai::TraceGenAi;
use spanloupe_core::genai::cost;
use spanloupe_core::ingest::{Input, Source, load_many};
use spanloupe_core::transfer;

const DEMO: &str = "assets/demo/trip-planner-agent.json";
const PRICES: &str = "assets/genai-prices/data_slim.json";

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed={DEMO}");
    let bytes = std::fs::read(DEMO)?;
    let loaded = load_many(&[Input {
        bytes: &bytes,
        source: Source {
            name: Some(DEMO),
            content_type: Some("application/json"),
        },
    }]);
    if let Some(Err(error)) = loaded.outcomes.first() {
        return Err(format!("{DEMO}: {error}").into());
    }
    let packed = transfer::pack(&transfer::encode(&loaded)?)?;
    // Its GenAI spans with their costs, as the worker sends them: the page
    // does not carry the price table.
    let mut genai = loaded
        .set
        .as_ref()
        .map(TraceGenAi::of_each)
        .unwrap_or_default();
    if let Some(set) = &loaded.set {
        cost::price_each(set, &mut genai, cost::bundled());
    }
    println!("cargo::rerun-if-changed={PRICES}");
    // The file's size, which the app shows among the demo's facts.
    println!("cargo::rustc-env=SPANLOUPE_DEMO_BYTES={}", bytes.len());
    let out = std::env::var("OUT_DIR")?;
    std::fs::write(Path::new(&out).join("demo.reply"), packed)?;
    std::fs::write(
        Path::new(&out).join("demo.genai"),
        transfer::encode_genai(&genai)?,
    )?;
    Ok(())
}
