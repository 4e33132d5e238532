#!/usr/bin/env bash
# Installs what building and testing Spanloupe needs, idempotently: each step
# checks first and does nothing when the tool is already there.
#
#   scripts/setup.sh            toolchain, wasm32 target, trunk, wasm-bindgen-cli
#   scripts/setup.sh --browser  also Chromium, chromedriver and the Python
#                               packages of the end-to-end tests and of the
#                               collector's tests (the OpenTelemetry SDK and
#                               its exporters)
#
# Only package registries are reachable on our machines, so nothing here
# downloads a prebuilt binary: tools come from crates.io, Debian and PyPI.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT="$PWD"
WITH_BROWSER=0
for arg in "$@"; do
    case "$arg" in
        --browser) WITH_BROWSER=1 ;;
        *) echo "setup.sh: unknown option $arg" >&2; exit 2 ;;
    esac
done

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

export PATH="$HOME/.cargo/bin:$PATH"
TOOLCHAIN="$(sed -n 's/^channel *= *"\(.*\)"/\1/p' rust-toolchain.toml)"

# 1. The pinned toolchain with the wasm32 target. rustup adds the targets of
#    rust-toolchain.toml only when it installs the toolchain itself, so the
#    target is added explicitly for a toolchain that was already there.
if ! rustup toolchain list | grep -q "^$TOOLCHAIN"; then
    say "installing Rust $TOOLCHAIN"
    rustup toolchain install "$TOOLCHAIN" --profile minimal --component rustfmt,clippy --target wasm32-unknown-unknown
fi
if ! rustup target list --installed --toolchain "$TOOLCHAIN" | grep -q '^wasm32-unknown-unknown$'; then
    say "adding the wasm32-unknown-unknown target to $TOOLCHAIN"
    rustup target add wasm32-unknown-unknown --toolchain "$TOOLCHAIN"
fi
for component in rustfmt clippy; do
    if ! rustup component list --installed --toolchain "$TOOLCHAIN" | grep -q "^$component"; then
        rustup component add "$component" --toolchain "$TOOLCHAIN"
    fi
done

# cargo install, with --locked first and without it when the registry mirror
# lags behind a tool's lock file (a missing newest dependency).
cargo_install() {
    local crate="$1" version="$2"
    say "installing $crate $version (the first time takes several minutes)"
    cargo install "$crate" --version "$version" --locked || cargo install "$crate" --version "$version"
}

# 2. Trunk, the build tool.
if ! trunk --version 2>/dev/null | grep -q '^trunk 0\.22\.'; then
    cargo_install trunk '^0.22'
fi

# 3. wasm-bindgen-cli at exactly the version of the wasm-bindgen crate in
#    Cargo.lock: Trunk and the test runner refuse (or try to download) any other.
WASM_BINDGEN_VERSION="$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p')"
if [ -z "$WASM_BINDGEN_VERSION" ]; then
    echo "setup.sh: cannot find the wasm-bindgen version in Cargo.lock" >&2
    exit 1
fi
if ! wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION\$" \
    || ! wasm-bindgen-test-runner --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION\$"; then
    cargo_install wasm-bindgen-cli "=$WASM_BINDGEN_VERSION"
fi

apt_install() {
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    say "installing $* from Debian"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

# 4. Browser tests: Chromium and its driver from Debian (never a downloaded
#    browser), and Selenium + pytest in a virtualenv of the repository; the
#    collector's tests' clients (the OpenTelemetry SDK) go in the same one.
if [ "$WITH_BROWSER" = 1 ]; then
    if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
        apt_install chromium chromium-driver
    fi
    VENV="$ROOT/.venv-e2e"
    if [ ! -x "$VENV/bin/python" ]; then
        say "creating the end-to-end test virtualenv"
        python3 -m venv "$VENV" || { apt_install python3-venv && python3 -m venv "$VENV"; }
    fi
    # The stamp holds the requirements last installed, so a change reinstalls.
    REQUIREMENTS="$(cat tests/e2e/requirements.txt tests/e2e/requirements-nodeps.txt tests/collect/requirements.txt)"
    if [ "$REQUIREMENTS" != "$(cat "$VENV/.installed-requirements" 2>/dev/null)" ]; then
        say "installing the Python test packages"
        "$VENV/bin/pip" install -q -r tests/e2e/requirements.txt -r tests/collect/requirements.txt
        "$VENV/bin/pip" install -q --no-deps -r tests/e2e/requirements-nodeps.txt
        printf '%s' "$REQUIREMENTS" > "$VENV/.installed-requirements"
    fi
fi
say "ready: $(trunk --version), wasm-bindgen $WASM_BINDGEN_VERSION"
