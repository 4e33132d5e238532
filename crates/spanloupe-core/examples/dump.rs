//! Prints what a file loads to: `cargo run -p spanloupe-core --example dump -- FILE...`
fn main() {
    for path in std::env::args().skip(1) {
        let Ok(bytes) = std::fs::read(&path) else {
            println!("{path}: cannot read");
            continue;
        };
        let source = spanloupe_core::Source {
            name: Some(&path),
            content_type: None,
        };
        match spanloupe_core::load(&bytes, source) {
            Err(err) => println!("{path}: ERROR {err}"),
            Ok(loaded) => {
                let set = &loaded.set;
                let errors: usize = set.traces.iter().map(|t| t.error_count).sum();
                println!(
                    "{path}: {} ({}), {} traces, {} spans, {} errors, {} logs ({} correlated), {} warnings",
                    loaded.summary.format.label(),
                    if loaded.summary.gzipped {
                        "gzip"
                    } else {
                        "plain"
                    },
                    set.traces.len(),
                    set.span_count(),
                    errors,
                    set.logs.len(),
                    set.logs.iter().filter(|l| l.span.is_some()).count(),
                    set.warnings.total()
                );
                for w in set.warnings.iter() {
                    println!("    warning: {w}");
                }
                for trace in set.traces.iter().take(2) {
                    println!(
                        "  trace {} services {:?}",
                        trace.trace_id,
                        trace
                            .services
                            .iter()
                            .map(|s| set.str(*s))
                            .collect::<Vec<_>>()
                    );
                    for line in set.outline(trace).lines().take(12) {
                        println!("    {line}");
                    }
                }
            }
        }
    }
}
