#!/usr/bin/env bash
# Builds Spanloupe and serves it on http://127.0.0.1:8080 with the demo trace
# open, rebuilding on change (reload the page to see it: the live-reload
# script Trunk would inject is inline, which the Content-Security-Policy of
# index.html does not allow). Installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
exec trunk serve --no-autoreload --address 127.0.0.1 --port "${PORT:-8080}" "$@"
