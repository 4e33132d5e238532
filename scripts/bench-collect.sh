#!/usr/bin/env bash
# The collector's load benchmark (tests/collect/bench_load.py): builds the
# collector as scripts/collect.sh runs it, then prints spans/s, export
# latency and memory for ten parallel exporters. Not part of the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --browser
export PATH="$HOME/.cargo/bin:$PATH"
cargo build --profile collect -p spanloupe-collect
SPANLOUPE_COLLECT=target/collect/spanloupe-collect exec .venv-e2e/bin/python tests/collect/bench_load.py "$@"
