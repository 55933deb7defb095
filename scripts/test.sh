#!/usr/bin/env bash
# Installs what is missing and runs every test: unit, integration on SQLite and on
# PostgreSQL (127.0.0.1:5432, user postgres, database test; throw-away databases are
# created and dropped), and the browser tests in Debian's Chromium.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/setup.sh --browser
started=$(date +%s)

if ! (command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432); then
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    echo "==> starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
  fi
fi

echo "==> clippy: no unwrap()/expect() outside tests, server and browser builds"
cargo clippy --features ssr --lib --bins
cargo clippy --lib --target wasm32-unknown-unknown --no-default-features --features hydrate

echo "==> unit and integration tests (SQLite and PostgreSQL)"
ATRIUM_REQUIRE_POSTGRES=1 cargo test --features ssr

echo "==> building the app for the browser tests"
cargo leptos build --split

echo "==> browser tests (desktop and 360 px phone, JavaScript on and off)"
(cd end2end && npx playwright test)

echo "==> all tests passed in $(( $(date +%s) - started )) s"
