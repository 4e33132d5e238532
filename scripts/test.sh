#!/usr/bin/env bash
# Runs every check and test of Spanloupe, installing what is missing first:
# format, lints (native and wasm32), native tests, the collector against the
# real OpenTelemetry exporters, a short fixed run of each fuzz target, component tests in headless Chromium, a release build, and
# end-to-end tests driving Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
# CI builds everything once: incremental caches would only take disk (about a
# third of target/, and a CI run once stopped on a full disk).
if [ "${CI:-}" = true ]; then export CARGO_INCREMENTAL=0; fi

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "set-up"
scripts/setup.sh --browser

step "format"
cargo fmt --all --check

step "lints (native)"
cargo clippy --workspace --all-targets -- -D warnings

step "lints (wasm32)"
cargo clippy --workspace --exclude spanloupe-bench --exclude spanloupe-collect --all-targets --target wasm32-unknown-unknown -- -D warnings

step "native tests"
# The app's own tests run in the browser (below); natively it has none.
cargo test --workspace --exclude spanloupe

step "collector (spanloupe-collect against the real OpenTelemetry Python exporters)"
cargo build -p spanloupe-collect
.venv-e2e/bin/python -m pytest tests/collect -q

step "fuzz smoke (every fuzz target, a fixed 5,000 runs from its seeds; scripts/fuzz.sh runs them longer)"
scripts/fuzz.sh --smoke

step "component tests (wasm-bindgen-test in headless Chromium)"
cargo test -p spanloupe --target wasm32-unknown-unknown

step "release build"
trunk build --release

step "end-to-end tests (WebDriver, headless Chromium)"
.venv-e2e/bin/python -m pytest tests/e2e -q
