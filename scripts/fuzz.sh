#!/usr/bin/env bash
# Fuzzes Spanloupe's readers of untrusted input with libFuzzer (cargo-fuzz):
# every ingest entry point, the GenAI normaliser and the Markdown renderer
# (crates/spanloupe-core/fuzz). Installs what is missing first: a nightly
# toolchain (sanitizers need it) and cargo-fuzz, built from crates.io.
#
#   scripts/fuzz.sh                 every target for 600 s
#   scripts/fuzz.sh 60              every target for 60 s
#   scripts/fuzz.sh 600 load genai  those targets only
#   scripts/fuzz.sh --smoke         every target for a fixed 5,000 runs from
#                                   the seeds alone, with a fixed seed: the
#                                   same runs every time (scripts/test.sh)
#
# Seeds are the demo trace, the test corpus (tests/fixtures/corpus) and the
# Markdown seeds of the fuzz crate; what each run learns is kept in
# target/fuzz-corpus/<target> for the next. A crash is saved under
# crates/spanloupe-core/fuzz/artifacts/<target>/: minimise it
# (cargo +nightly fuzz tmin), fix it, and commit the minimised input to
# crates/spanloupe-core/fuzz/regressions/<target>/, which the core's tests
# replay (tests/fuzz_regressions.rs). Prints, per target, the runs made and
# the coverage reached.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
export PATH="$HOME/.cargo/bin:$PATH"
SMOKE=0
if [ "${1:-}" = "--smoke" ]; then
    SMOKE=1
    shift
fi
SECONDS_PER_TARGET="${1:-600}"
shift || true
ALL_TARGETS=(load otlp_json otlp_proto gzip split genai markdown)
TARGETS=("${@:-${ALL_TARGETS[@]}}")
FUZZ_DIR="$ROOT/crates/spanloupe-core/fuzz"
WORK="$ROOT/target/fuzz-corpus"
if [ "$SMOKE" = 1 ]; then
    WORK="$ROOT/target/fuzz-smoke"
    rm -rf "$WORK"
fi

say() { printf '\033[1m[fuzz]\033[0m %s\n' "$*"; }

if ! rustup toolchain list | grep -q '^nightly'; then
    say "installing a nightly toolchain"
    rustup toolchain install nightly --profile minimal
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
    say "installing cargo-fuzz (the first time takes a few minutes)"
    cargo install cargo-fuzz --locked || cargo install cargo-fuzz
fi

# Seeds: inputs that reach deep into each reader.
SEEDS="$WORK/seeds"
rm -rf "$SEEDS"
mkdir -p "$SEEDS"/{json,proto,gzip,markdown}
cp assets/demo/*.json "$SEEDS/json/"
CORPUS="$ROOT/tests/fixtures/corpus"
find "$CORPUS" -maxdepth 1 -type f \( -name '*.json' -o -name '*.jsonl' \) -size -2M -exec cp {} "$SEEDS/json/" \;
find "$CORPUS" -maxdepth 1 -type f \( -name '*.pb' -o -name '*.protobuf-bin' \) -exec cp {} "$SEEDS/proto/" \;
for file in "$SEEDS"/json/*; do gzip -c "$file" > "$SEEDS/gzip/$(basename "$file").gz"; done
cp "$FUZZ_DIR"/seeds/markdown/* README.md "$SEEDS/markdown/"

seeds_of() {
    case "$1" in
        load) echo "$SEEDS/json $SEEDS/proto $SEEDS/gzip" ;;
        otlp_json | split | genai) echo "$SEEDS/json" ;;
        otlp_proto) echo "$SEEDS/proto" ;;
        gzip) echo "$SEEDS/gzip" ;;
        markdown) echo "$SEEDS/markdown" ;;
    esac
}
dictionary_of() {
    case "$1" in
        genai) echo "$FUZZ_DIR/dictionaries/genai.dict" ;;
        markdown) echo "$FUZZ_DIR/dictionaries/markdown.dict" ;;
        *) echo "$FUZZ_DIR/dictionaries/otlp.dict" ;;
    esac
}

say "building the targets"
cargo +nightly fuzz build --fuzz-dir "$FUZZ_DIR" -O >/dev/null

SUMMARY="$WORK/summary.txt"
: > "$SUMMARY"
status=0
for target in "${TARGETS[@]}"; do
    mkdir -p "$WORK/$target"
    log="$WORK/$target.log"
    if [ "$SMOKE" = 1 ]; then
        say "$target, 5,000 runs"
        limit=(-runs=5000 -seed=1)
    else
        say "$target for ${SECONDS_PER_TARGET} s"
        limit=(-max_total_time="$SECONDS_PER_TARGET")
    fi
    # shellcheck disable=SC2046 # the seed folders are separate arguments
    if ! cargo +nightly fuzz run --fuzz-dir "$FUZZ_DIR" -O "$target" "$WORK/$target" $(seeds_of "$target") -- \
        "${limit[@]}" -dict="$(dictionary_of "$target")" \
        -rss_limit_mb=4096 -max_len=1048576 -timeout=20 -print_final_stats=1 >"$log" 2>&1; then
        status=1
        say "$target FOUND A FAULT: see $log and $FUZZ_DIR/artifacts/$target/"
    fi
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    final=$(grep -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE)' "$log" | tail -1 | grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+/[0-9A-Za-z]+' || true)
    printf '%-11s %12s runs   %s\n' "$target" "${runs:-?}" "${final:-?}" | tee -a "$SUMMARY"
done
say "summary (also in $SUMMARY):"
cat "$SUMMARY"
exit "$status"
