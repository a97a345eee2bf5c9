#!/usr/bin/env bash
# lambcost replay's speed and memory: Poisson arrivals through one variant's environment pool
# against the same simulation written in Python (a heap of busy environments, a stack of idle
# ones, arrivals drawn as they go), in the same hyperfine run; then arrivals simulated a second
# with one variant and with the talk's five; then a month of 100M arrivals, whose peak
# resident memory must stay flat (the pool and the busy heap are kept, never the trace).
#
# Needs hyperfine and Python 3 (Debian: apt-get install hyperfine python3).
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in hyperfine python3; do
  command -v "$tool" >/dev/null || { echo "benches/replay.sh: $tool is not installed" >&2; exit 2; }
done
cargo build --release --quiet
# .cargo/config.toml builds for the host by name: artifacts are under target/<host>/.
bin=target/$(rustc -vV | sed -n "s/^host: //p")/release/lambcost
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cat > "$out/peer.py" <<'PY'
# The pool replay simulates, in plain Python: Poisson arrivals at RATE a second for HOURS,
# each served by the environment that fell idle last, else a new one (a cold start); idle
# environments reclaimed after 10 minutes. Fixed durations: init 800 ms, invocation 10 ms.
import heapq, random, sys
rate, hours = float(sys.argv[1]), float(sys.argv[2])
end_ms = hours * 3_600_000
rng = random.Random(1)
busy, idle = [], []          # (free_at, id); [(idle_since, id)]
t, n, cold, peak, made = 0.0, 0, 0, 0, 0
while True:
    t += rng.expovariate(rate) * 1000
    if t >= end_ms:
        break
    while busy and busy[0][0] <= t:
        free_at, env = heapq.heappop(busy)
        idle.append((free_at, env))
    idle = [(s, e) for (s, e) in idle if t - s < 600_000]
    if idle:
        _, env = idle.pop()
        heapq.heappush(busy, (t + 10, env))
    else:
        made += 1
        cold += 1
        heapq.heappush(busy, (t + 810, made))
    n += 1
    peak = max(peak, len(busy))
print(n, cold, peak)
PY
# 1.7M arrivals: 10 a second for 48 hours.
hyperfine --warmup 1 --runs "${RUNS:-5}" --export-json "$out/run.json" \
  --command-name lambcost "$bin replay poisson:10 --for 48h --variant aot-net8 --format json" \
  --command-name python "python3 $out/peer.py 10 48" >/dev/null
arrivals=$("$bin" replay poisson:10 --for 48h --variant aot-net8 --format json |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["arrivals"]["count"])')
python3 - "$out/run.json" "$arrivals" <<'PY'
import json, sys
r = {x["command"]: x["median"] for x in json.load(open(sys.argv[1]))["results"]}
n = int(sys.argv[2])
l, p = r["lambcost"], r["python"]
print(f"poisson:10 for 48 h, one variant ({n:,} arrivals):")
print(f"  median lambcost replay: {l:.3f} s ({n / l / 1e6:.1f}M arrivals/s)")
print(f"  median Python pool:     {p:.3f} s ({n / p / 1e6:.2f}M arrivals/s)")
print(f"  lambcost is {p / l:.0f}x as fast as the Python pool")
PY
# Arrivals a second over a longer trace, one variant and five (target: at least 5M a second).
hyperfine --warmup 1 --runs "${RUNS:-5}" --export-json "$out/rate.json" \
  --command-name one "$bin replay poisson:10 --for 730h --variant aot-net8 --format json" \
  --command-name five "$bin replay poisson:10 --for 730h --format json" >/dev/null
month=$("$bin" replay poisson:10 --for 730h --variant aot-net8 --format json |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["arrivals"]["count"])')
python3 - "$out/rate.json" "$month" <<'PY'
import json, sys
r = {x["command"]: x["median"] for x in json.load(open(sys.argv[1]))["results"]}
n = int(sys.argv[2])
print(f"poisson:10 for 730 h ({n:,} arrivals):")
print(f"  one variant:   {r['one']:.3f} s, {n / r['one'] / 1e6:.1f}M arrivals/s")
print(f"  five variants: {r['five']:.3f} s, {n / r['five'] / 1e6:.1f}M arrivals/s (each through five pools)")
PY
# A month of 100M arrivals (38.05 a second for 730 hours), and the peak memory of a tenth.
for rate in 3.805 38.05; do
  /usr/bin/time -f "%e %M" -o "$out/rss-$rate" "$bin" replay "poisson:$rate" --for 730h \
    --variant aot-net8 --format json > "$out/month-$rate.json"
done
python3 - "$out" <<'PY'
import json, sys
d = sys.argv[1]
small = open(f"{d}/rss-3.805").read().split()
big = open(f"{d}/rss-38.05").read().split()
n = json.load(open(f"{d}/month-38.05.json"))["arrivals"]["count"]
print(f"a month at 38.05 a second: {n:,} arrivals in {float(big[0]):.2f} s, {n / float(big[0]) / 1e6:.1f}M arrivals/s")
print(f"peak RSS: 10M arrivals {int(small[1]) / 1024:.1f} MiB, 100M arrivals {int(big[1]) / 1024:.1f} MiB, ratio {int(big[1]) / int(small[1]):.2f}")
PY
