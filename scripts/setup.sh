#!/usr/bin/env bash
# Installs what Atrium needs and is missing, at pinned versions. Sourced by run.sh and
# test.sh; safe to run again (each step checks first).
#   setup.sh           build tools only
#   setup.sh --browser also Debian's Chromium for the browser tests
set -euo pipefail

CARGO_LEPTOS_VERSION=0.3.10
WASM_BINDGEN_VERSION=0.2.129
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

say() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }

need_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "need root for: $*" >&2; return 1; fi
}

command -v cargo >/dev/null || { echo "Rust (cargo) is required: https://rustup.rs" >&2; exit 1; }
command -v npm >/dev/null || { say "installing Node.js and npm"; need_root apt-get update -qq; need_root apt-get install -y -qq nodejs npm; }

if ! cargo clippy --version >/dev/null 2>&1; then
  say "adding clippy"
  rustup component add clippy
fi

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(cargo leptos --version 2>/dev/null | awk '{print $2}')" != "$CARGO_LEPTOS_VERSION" ]; then
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 20 minutes on 2 cores, once)"
  cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked
fi

if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --locked
fi

# Playwright and binaryen's wasm-opt (the release build shrinks the WASM with it).
if [ ! -x "$ROOT/end2end/node_modules/.bin/wasm-opt" ] || [ ! -d "$ROOT/end2end/node_modules/@playwright/test" ]; then
  say "installing the end2end packages (npm ci)"
  (cd "$ROOT/end2end" && npm ci --no-audit --no-fund)
fi

if [ "${1:-}" = "--browser" ] && ! command -v chromium >/dev/null; then
  say "installing Debian's Chromium"
  need_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive need_root apt-get install -y -qq chromium
fi

# cargo-leptos finds wasm-opt on PATH (otherwise it would try to download it).
export PATH="$ROOT/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"
