#!/usr/bin/env bash
# Foundation figures (a benchmark, not a test): prints them, judges them against the
# budgets, changes nothing.
#   1. size of the release hydrate .wasm: raw, gzip -9, brotli -q 11 (budget ≤ 300 KB brotli)
#   2. time from process start to the first 200 on an empty database (budget ≤ 1 s),
#      median and worst of several cold starts, each on a new SQLite file.
# Usage: bench/foundation.sh [runs]   (builds the release first: a debug build leaves its
# own, much larger .wasm in target/site, which must not be measured)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
RUNS="${1:-7}"

source scripts/setup.sh
cargo leptos build --release
command -v brotli >/dev/null || { echo "installing brotli"; apt-get install -y -qq brotli >/dev/null; }

wasm=$(ls -t target/site/pkg/*.wasm | head -n1)
raw=$(stat -c %s "$wasm")
gz=$(gzip -9 -c "$wasm" | wc -c)
br=$(brotli -q 11 -c "$wasm" | wc -c)
js=$(ls -t target/site/pkg/*.js | head -n1)
css=$(ls -t target/site/pkg/*.css | head -n1)
printf 'hydrate wasm  %s\n' "$(basename "$wasm")"
printf '  raw     %8d bytes  (%4d KB)\n' "$raw" $((raw / 1024))
printf '  gzip    %8d bytes  (%4d KB)\n' "$gz" $((gz / 1024))
printf '  brotli  %8d bytes  (%4d KB)   budget 300 KB: %s\n' "$br" $((br / 1024)) "$([ "$br" -le $((300 * 1024)) ] && echo met || echo MISSED)"
printf 'js glue       %8d bytes brotli\n' "$(brotli -q 11 -c "$js" | wc -c)"
printf 'css           %8d bytes brotli\n' "$(brotli -q 11 -c "$css" | wc -c)"

python3 - "$RUNS" <<'PY'
import os, socket, subprocess, sys, tempfile, time, urllib.request, shutil, statistics

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

runs = int(sys.argv[1])
times = []
for i in range(runs):
    port = free_port()
    tmp = tempfile.mkdtemp(prefix="atrium-bench-")
    env = dict(os.environ, DATABASE_URL=f"sqlite://{tmp}/a.db", LEPTOS_SITE_ADDR=f"127.0.0.1:{port}", RUST_LOG="warn")
    start = time.perf_counter()
    proc = subprocess.Popen(["target/release/atrium"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/sign-in", timeout=1) as r:
                    if r.status == 200:
                        break
            except Exception:
                if time.perf_counter() - start > 30:
                    raise SystemExit("server did not answer within 30 s")
                time.sleep(0.002)
        times.append((time.perf_counter() - start) * 1000)
    finally:
        proc.kill()
        proc.wait()
        shutil.rmtree(tmp, ignore_errors=True)

med = statistics.median(times)
print(f"start to first 200 (GET /sign-in, empty database, {runs} cold starts)")
print(f"  median  {med:7.1f} ms")
print(f"  worst   {max(times):7.1f} ms   budget 1000 ms: {'met' if max(times) <= 1000 else 'MISSED'}")
PY
