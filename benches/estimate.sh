#!/usr/bin/env bash
# How fast `lambcost estimate --requests 10M` answers, against /bin/true in the same run.
#
# /bin/true is the floor for starting any process on this machine; the target is a median
# under 3x its. Prints both medians and their ratio. Needs hyperfine (Debian: apt-get install
# hyperfine) and builds the release binary first.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "benches/estimate.sh: hyperfine is not installed (apt-get install hyperfine)" >&2; exit 2; }
cargo build --release --quiet
bin=target/release/lambcost
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
hyperfine --warmup 20 --runs "${RUNS:-300}" -N --export-json "$out/run.json" \
  --command-name true '/bin/true' \
  --command-name estimate "$bin estimate --requests 10M" >/dev/null
python3 - "$out/run.json" <<'PY'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
t, e = results["true"]["median"], results["estimate"]["median"]
print(f"median /bin/true:                      {t*1e3:.3f} ms")
print(f"median lambcost estimate --requests 10M: {e*1e3:.3f} ms")
print(f"ratio: {e/t:.2f}x /bin/true (target: under 3x)")
PY
