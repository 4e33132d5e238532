//! Loads the demo trace at build time, as the ingest worker would, and
//! packs the reply into `OUT_DIR/demo.reply`: the app opens the demo from
//! it at once, without a worker, and carries no parser of its own.

use std::error::Error;
use std::path::Path;

use spanloupe_core::ingest::{Input, Source, load_many};
use spanloupe_core::transfer;

const DEMO: &str = "assets/demo/trip-planner-agent.json";

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
    // The file's size, which the app shows among the demo's facts.
    println!("cargo::rustc-env=SPANLOUPE_DEMO_BYTES={}", bytes.len());
    let out = std::env::var("OUT_DIR")?;
    std::fs::write(Path::new(&out).join("demo.reply"), packed)?;
    Ok(())
}
