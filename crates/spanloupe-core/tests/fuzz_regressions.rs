//! Every input fuzzing found a fault with (`fuzz/regressions/<target>/`),
//! replayed through the same check as its fuzz target (`fuzz/src/checks.rs`,
//! included here), so a fault fixed stays fixed without nightly or
//! libFuzzer.

#![allow(clippy::unwrap_used, clippy::panic)] // a failed check fails the test

#[path = "../fuzz/src/checks.rs"]
mod checks;

use std::path::Path;

/// A fuzz target's check.
type Check = fn(&[u8]);

fn replay(target: &str, check: Check) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/regressions")
        .join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return 0;
    };
    let mut replayed = 0;
    for entry in entries {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        eprintln!("{target}: {}", path.display());
        check(&bytes);
        replayed += 1;
    }
    replayed
}

#[test]
fn inputs_fuzzing_found_pass_their_checks() {
    let targets: [(&str, Check); 7] = [
        ("load", checks::load),
        ("otlp_json", checks::otlp_json),
        ("otlp_proto", checks::otlp_proto),
        ("gzip", checks::gzip),
        ("split", checks::split),
        ("genai", checks::genai),
        ("markdown", checks::markdown),
    ];
    for (target, check) in targets {
        replay(target, check);
    }
}

#[test]
fn the_markdown_oracle_refuses_what_must_not_reach_the_page() {
    for html in [
        "<p><script>alert(1)</script></p>",
        "<img src=\"x\" onerror=\"alert(1)\" />",
        "<img src=\"https://attacker.example/a.png\" alt=\"a\" />",
        "<a href=\" JavaScript:alert(1)\">x</a>",
        "<p style=\"color: red\">x</p>",
        "<svg><circle /></svg>",
    ] {
        let refused = std::panic::catch_unwind(|| checks::assert_inert_html(html)).is_err();
        assert!(refused, "{html}");
    }
    // What the renderer writes for hostile Markdown passes it.
    checks::markdown(
        b"<script>alert(1)</script> [x](javascript:y) ![a onion](https://h/i.png) ![b](data:image/png;base64,iVBORw0KGgo=) <b onclick=x>",
    );
}
