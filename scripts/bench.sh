#!/usr/bin/env bash
# The browser benchmark: generates traces into bench-data/ (git-ignored),
# builds the release app and prints a table of load, memory and interaction
# times in headless Chromium. It measures; it never fails on timing.
#
#   scripts/bench.sh                      10k, 100k, 200k spans (JSON, protobuf), 1M (protobuf)
#   SPANLOUPE_BENCH_SIZES="10000" scripts/bench.sh
#   SPANLOUPE_BENCH_RUNS=5 scripts/bench.sh   each input 5 times; the table shows medians
#   SPANLOUPE_BENCH_HUGE=0 scripts/bench.sh   without the 10k-span trace of huge values
#   SPANLOUPE_BENCH_MANY=0 scripts/bench.sh   without the 200k spans in 17,172 traces
#   SPANLOUPE_BENCH_PRODUCTION=0 scripts/bench.sh   without the production-like 50,000 traces
#   SPANLOUPE_BENCH_JAEGER=0 scripts/bench.sh   without 50,000 spans as OTLP JSON and Jaeger JSON
#   SPANLOUPE_BENCH_COMPARE=0 scripts/bench.sh   without the two traces of 100,000 spans put side by side by Compare
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh --browser

sizes=${SPANLOUPE_BENCH_SIZES:-"10000 100000 200000 1000000"}
inputs=()
for spans in $sizes; do
  # A million spans of OTLP JSON is over a gigabyte, beyond what a browser
  # tab can hold as one string: that size is protobuf only.
  formats="json pb"
  if [ "$spans" -ge 1000000 ]; then formats="pb"; fi
  for format in $formats; do
    file="bench-data/${spans}-spans.${format}"
    # Regenerated when the generator changed since.
    if [ ! -f "$file" ] || [ crates/spanloupe-bench/src/lib.rs -nt "$file" ]; then
      cargo run --quiet --release -p spanloupe-bench --bin gen-traces -- --spans "$spans" --formats "$format"
    fi
    inputs+=("$file")
  done
done

# A 10k-span trace whose root carries a 10 MB prompt, a 3 MB base64 image
# and a 10 MB attribute: the huge-values steps.
if [ "${SPANLOUPE_BENCH_HUGE:-1}" != 0 ]; then
  file="bench-data/10000-spans-huge.json"
  if [ ! -f "$file" ] || [ crates/spanloupe-bench/src/lib.rs -nt "$file" ]; then
    cargo run --quiet --release -p spanloupe-bench --bin gen-traces -- --spans 10000 --formats json --huge
  fi
  inputs+=("$file")
fi

# A collector's export of a busy service: 200,000 spans in 17,172 traces
# (the list of traces, not a waterfall, is what opens).
if [ "${SPANLOUPE_BENCH_MANY:-1}" != 0 ]; then
  file="bench-data/200000-spans-17172-traces.json"
  if [ ! -f "$file" ] || [ crates/spanloupe-bench/src/lib.rs -nt "$file" ]; then
    cargo run --quiet --release -p spanloupe-bench --bin gen-traces -- --spans 200000 --traces 17172 --formats json
  fi
  inputs+=("$file")
fi

# 200,000 spans in two traces: one opened from the list, then compared
# with the other (Compare pairs 100,000 spans with 100,000).
if [ "${SPANLOUPE_BENCH_COMPARE:-1}" != 0 ]; then
  file="bench-data/200000-spans-2-traces.json"
  if [ ! -f "$file" ] || [ crates/spanloupe-bench/src/lib.rs -nt "$file" ]; then
    cargo run --quiet --release -p spanloupe-bench --bin gen-traces -- --spans 200000 --traces 2 --formats json
  fi
  inputs+=("$file")
fi

# A production-like export: 50,000 traces of 2-20 spans whose values are
# mostly unique (UUIDs, URLs and SQL with ids, timestamps, user agents, model
# calls with 1-10 KB of messages), which string interning cannot fold away.
# Regenerated when its generator (with the helpers it shares) or the JSON
# writer changed since.
if [ "${SPANLOUPE_BENCH_PRODUCTION:-1}" != 0 ]; then
  file="bench-data/production-50000-traces.json"
  if [ ! -f "$file" ] || [ -n "$(find crates/spanloupe-bench/src/production crates/spanloupe-bench/src/{json,rng,lib}.rs -newer "$file")" ]; then
    cargo run --quiet --release -p spanloupe-bench --bin gen-traces -- --production --traces 50000 --formats json
  fi
  inputs+=("$file")
fi

# The same 50,000 spans as OTLP JSON and as Jaeger UI downloads them, in
# one trace and in 500 (a search's results): per span, Jaeger JSON is to
# load at least as fast. (Jaeger's one trace cannot be cut for several
# workers: its processes come after its spans.)
if [ "${SPANLOUPE_BENCH_JAEGER:-1}" != 0 ]; then
  for traces in 1 500; do
    stem="bench-data/50000-spans"
    if [ "$traces" != 1 ]; then stem="$stem-$traces-traces"; fi
    for format in json jaeger; do
      file="$stem.${format/jaeger/jaeger.json}"
      if [ ! -f "$file" ] || [ -n "$(find crates/spanloupe-bench/src/{lib,json,jaeger}.rs -newer "$file")" ]; then
        cargo run --quiet --release -p spanloupe-bench --bin gen-traces -- --spans 50000 --traces "$traces" --formats "$format"
      fi
      inputs+=("$file")
    done
  done
fi

trunk build --release
.venv-e2e/bin/python scripts/bench_browser.py --runs "${SPANLOUPE_BENCH_RUNS:-1}" "${inputs[@]}"
