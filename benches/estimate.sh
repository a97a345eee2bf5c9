#!/usr/bin/env bash
# How fast `lambcost estimate --requests 10M` answers, against /bin/true in the same run.
#
# /bin/true is the floor for starting any process on this machine; the target is a median
# under 3x its. Five rounds of hyperfine (300 runs of each command a round) are made, because
# a busy machine shifts both medians between rounds; the ratio of each round and the median of
# the five are printed. Needs hyperfine (Debian: apt-get install hyperfine).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "benches/estimate.sh: hyperfine is not installed (apt-get install hyperfine)" >&2; exit 2; }
cargo build --release --quiet
bin=target/release/lambcost
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for round in 1 2 3 4 5; do
  hyperfine --warmup 20 --runs "${RUNS:-300}" -N --export-json "$out/round-$round.json" \
    --command-name true '/bin/true' \
    --command-name estimate "$bin estimate --requests 10M" >/dev/null 2>&1
done
python3 - "$out" <<'PY'
import glob, json, statistics, sys
rounds = []
for path in sorted(glob.glob(sys.argv[1] + "/round-*.json")):
    r = {x["command"]: x["median"] for x in json.load(open(path))["results"]}
    rounds.append((r["true"], r["estimate"]))
for i, (t, e) in enumerate(rounds, 1):
    print(f"round {i}: /bin/true {t*1e3:.3f} ms, lambcost estimate --requests 10M {e*1e3:.3f} ms, ratio {e/t:.2f}x")
ratio = statistics.median(e / t for t, e in rounds)
print(f"median ratio: {ratio:.2f}x /bin/true (target: under 3x)")
PY
