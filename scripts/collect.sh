#!/usr/bin/env bash
# Builds the viewer and the collector, and starts the collector serving the
# viewer live: open http://127.0.0.1:4318/ and point an app at it
# (OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318). Installs what is
# missing first. Flags are passed to spanloupe-collect, e.g.
#
#   scripts/collect.sh --memory
#   scripts/collect.sh --db traces.db --max-spans 200000 --max-age 24h
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
trunk build --release
cargo build --profile collect -p spanloupe-collect
exec target/collect/spanloupe-collect --ui dist "$@"
