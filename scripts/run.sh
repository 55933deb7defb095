#!/usr/bin/env bash
# Installs what is missing, builds Atrium (release) and starts it on the embedded SQLite
# database (data/atrium.db) with demo data. Prints the URL and the demo logins.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/setup.sh
echo "==> building (release)"
cargo leptos build --release --split
echo "==> starting"
exec target/release/atrium --demo
