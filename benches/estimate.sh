#!/usr/bin/env bash
# How fast `lambcost estimate --requests 10M` answers, against /bin/true in the same run.
#
# /bin/true is the floor for starting any process on this machine; the target is a median
# at most 2x its, and at most 1.5 million instructions. Five rounds of hyperfine (300 runs of
# each command a round) are made, because a busy machine shifts both medians between rounds;
# the ratio of each round and the median of the five are printed. valgrind's callgrind then
# counts the instructions each executes, a figure that does not move with the machine's
# load. Needs hyperfine and valgrind (Debian: apt-get install hyperfine valgrind).
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in hyperfine valgrind; do
  command -v "$tool" >/dev/null || { echo "benches/estimate.sh: $tool is not installed (apt-get install $tool)" >&2; exit 2; }
done
cargo build --release --quiet
# .cargo/config.toml builds for the host by name: artifacts are under target/<host>/.
bin=target/$(rustc -vV | sed -n "s/^host: //p")/release/lambcost
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
print(f"median ratio: {ratio:.2f}x /bin/true (target: at most 2x)")
PY
count() {
  valgrind --tool=callgrind --callgrind-out-file="$out/cg" "$@" >/dev/null 2>"$out/cg.err"
  sed -n 's/.*Collected : //p' "$out/cg.err"
}
echo "instructions: /bin/true $(count /bin/true), lambcost --version $(count "$bin" --version), lambcost estimate --requests 10M $(count "$bin" estimate --requests 10M) (target: at most 1,500,000)"
