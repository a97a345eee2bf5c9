#!/usr/bin/env bash
# lambcost compare on a large CloudWatch log, against the awk one-liner a user would write
# (which computes far less: count, means, max memory, cold starts), in the same run; then
# lambcost's peak resident memory on 1M and 8M invocations, which must stay flat.
#
# Needs hyperfine and mawk (Debian: apt-get install hyperfine mawk) and Python 3. The logs are
# generated once into target/bench-data (about 3 GB for all three).
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in hyperfine mawk python3; do
  command -v "$tool" >/dev/null || { echo "benches/compare.sh: $tool is not installed" >&2; exit 2; }
done
generator=${GENERATOR:-../shared/bench/gen_report_log.py}
peer=${PEER:-../shared/bench/peer_awk_summary.sh}
data=target/bench-data
mkdir -p "$data"
for n in 1000000 2000000 8000000; do
  [ -s "$data/log-$n.txt" ] || python3 "$generator" "$n" "$data/log-$n.txt"
done
cargo build --release --quiet
# .cargo/config.toml builds for the host by name: artifacts are under target/<host>/.
bin=target/$(rustc -vV | sed -n "s/^host: //p")/release/lambcost
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# Rounds of both commands, side by side: a busy machine shifts both within a round, and the
# median of the rounds' ratios is what is reported.
for round in 1 2 3 4 5; do
  hyperfine -N --warmup 1 --runs "${RUNS:-3}" --export-json "$out/round-$round.json" \
    --command-name lambcost "$bin compare $data/log-2000000.txt --requests 10M" \
    --command-name awk "sh $peer $data/log-2000000.txt" >/dev/null
done
python3 - "$out" "$data/log-2000000.txt" <<'PY'
import glob, json, os, statistics, sys
rounds = []
for path in sorted(glob.glob(sys.argv[1] + "/round-*.json")):
    r = {x["command"]: x["median"] for x in json.load(open(path))["results"]}
    rounds.append((r["lambcost"], r["awk"]))
size = os.path.getsize(sys.argv[2]) / 1e6
print(f"2M invocations ({sys.argv[2]}, {size:.0f} MB):")
for i, (l, a) in enumerate(rounds, 1):
    print(f"  round {i}: lambcost compare {l:.3f} s, awk summary {a:.3f} s, {a/l:.2f}x")
ratio = statistics.median(a / l for l, a in rounds)
print(f"  median: lambcost is {ratio:.2f}x as fast as awk (target: at least 4x)")
PY
for n in 1000000 8000000; do
  /usr/bin/time -f "%M" -o "$out/rss-$n" "$bin" compare "$data/log-$n.txt" --requests 10M >/dev/null
done
one=$(cat "$out/rss-1000000"); eight=$(cat "$out/rss-8000000")
python3 -c "print(f'peak RSS: 1M invocations {$one/1024:.1f} MiB, 8M invocations {$eight/1024:.1f} MiB, ratio {$eight/$one:.3f} (target: at most 1.25)')"
