#!/usr/bin/env bash
# Writes Spanloupe as one self-contained HTML file that opens from file://
# with no server: dist-single/spanloupe.html. With --trace FILE…, the files
# are inlined and the page opens on them (a one-file report):
#
#   scripts/single-file.sh
#   scripts/single-file.sh --trace trace.json [more files] [--out report.html]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"

(cd "$root" && scripts/setup.sh && trunk build --release)
# From the caller's directory, where the --trace paths are.
exec python3 "$root/scripts/single_file.py" "$@"
