#!/usr/bin/env bash
# Foundation figures (a benchmark, not a test): prints them, judges them against the
# budgets, changes nothing.
#   1. size of the release hydrate .wasm: raw, gzip -9, brotli -q 11 (budget ≤ 300 KB brotli),
#      the main module alone and each area's first visit (main + the area's lazy chunks;
#      a signed-in page also needs the frame area's)
#   2. time from process start to the first 200 on an empty database (budget ≤ 1 s),
#      median and worst of several cold starts, each on a new SQLite file.
# Usage: bench/foundation.sh [runs]   (builds the release first: a debug build leaves its
# own, much larger .wasm in target/site, which must not be measured)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
RUNS="${1:-7}"

source scripts/setup.sh
cargo leptos build --release --split
command -v brotli >/dev/null || { echo "installing brotli"; apt-get install -y -qq brotli >/dev/null; }

python3 - target/site/pkg <<'PY'
# The main module is what every page downloads before it is interactive; a page's
# chunks (cargo leptos --split) come beside it, named in the page's head by the server.
import glob, gzip, json, os, re, subprocess, sys
pkg = sys.argv[1]
def br(path):
    return len(subprocess.run(["brotli", "-q", "11", "-c", path], check=True, capture_output=True).stdout)
def sizes(path):
    raw = open(path, "rb").read()
    return len(raw), len(gzip.compress(raw, 9)), br(path)
wasm = [w for w in glob.glob(f"{pkg}/*.wasm")]
main = [w for w in wasm if os.path.basename(w).startswith("atrium.")]
if len(main) != 1:
    raise SystemExit(f"expected one main module in {pkg}, found {main}")
main = main[0]
chunks = {os.path.basename(w)[:-5]: w for w in wasm if w != main}
raw, gz, brm = sizes(main)
budget = 300 * 1024
print(f"main hydrate wasm  {os.path.basename(main)}")
print(f"  raw     {raw:8d} bytes  ({raw // 1024:4d} KB)")
print(f"  gzip    {gz:8d} bytes  ({gz // 1024:4d} KB)")
print(f"  brotli  {brm:8d} bytes  ({brm // 1024:4d} KB)   budget 300 KB: {'met' if brm <= budget else 'MISSED'}")
chunk_br = {name: br(path) for name, path in chunks.items()}
print(f"lazy chunks   {len(chunks)}, {sum(chunk_br.values()) // 1024} KB brotli in all, largest {max(chunk_br.values(), default=0) // 1024} KB")
manifests = glob.glob(f"{pkg}/__wasm_split_manifest*.json")
if manifests:
    manifest = {name: set(mods) for name, mods in json.load(open(manifests[0])).items()}
    frame = manifest.get("area_frame", set())
    rows = []
    for area, modules in manifest.items():
        # A signed-in page is drawn inside the frame: its first visit needs both areas.
        need = modules if area in ("area_frame", "area_public") else modules | frame
        total = brm + sum(chunk_br.get(m, 0) for m in need)
        rows.append((total, area, len(need)))
    rows.sort(reverse=True)
    print("first visit of a page in each area: main + the chunks it needs, brotli (largest first)")
    for total, area, n in rows:
        print(f"  {area:18s} {total // 1024:5d} KB  ({n} chunks)")
    worst = rows[0][0] if rows else brm
    print(f"  worst page  {worst // 1024} KB")
for kind in ("js", "css"):
    for f in sorted(glob.glob(f"{pkg}/*.{kind}")):
        print(f"{kind:4s} {os.path.basename(f):50s} {br(f):8d} bytes brotli")
PY

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
