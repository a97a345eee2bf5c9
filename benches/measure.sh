#!/usr/bin/env bash
# lambcost measure's own figures, on this machine, with the bundled handler (release build):
#   overhead  - Duration of a no-op invoke (median; target under 0.2 ms) and warm invocations
#               a second (target at least 2,000 on 2 cores), with and without limits;
#   fidelity  - a function whose init sleeps 200 ms and whose invokes sleep 50 ms (within 5 ms
#               and 2 ms);
#   CPU share - a CPU-bound invoke at 128 MB against 1769 MB (1769/128 = 13.8 times as long,
#               within 20%, when limits are enforced).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --workspace
# .cargo/config.toml builds for the host by name: artifacts are under target/<host>/.
bin=target/$(rustc -vV | sed -n "s/^host: //p")/release/lambcost
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo '{"work":"echo"}' > "$out/echo.json"
echo '{"work":"sleep","ms":50}' > "$out/sleep.json"
echo '{"work":"cpu","iterations":60000000}' > "$out/cpu.json"

field() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); v=d['variants'][0]; print(eval(sys.argv[2]))" "$@"; }

# A run is labelled by what it was, not by what was asked: lambcost's JSON says whether the
# limits were enforced. Asked for limits and not given them (no control groups here), the
# benchmark stops rather than print unlimited figures under a "with limits" label.
label_of() {
  local enforced
  enforced=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['limits_enforced'])" "$1")
  if [ "$2" = "" ] && [ "$enforced" != "True" ]; then
    echo "benches/measure.sh: limits were asked for but not enforced (see the warning above); run as root on Linux with control groups" >&2
    exit 1
  fi
  if [ "$enforced" = "True" ]; then echo "with limits"; else echo "without limits"; fi
}

# Five runs of 5,001 invocations each way; the medians are reported (this machine is noisy).
for limits in "" "--no-limits"; do
  : > "$out/rates"; : > "$out/p50s"
  for run in 1 2 3 4 5; do
    start=$(date +%s.%N)
    "$bin" measure --cold 1 --warm 5000 --memory-mb 1769 --event "$out/echo.json" $limits --format json > "$out/overhead.json"
    end=$(date +%s.%N)
    label=$(label_of "$out/overhead.json" "$limits")
    field "$out/overhead.json" "v['statistics']['warm']['duration_ms']['median']" >> "$out/p50s"
    python3 -c "print(5001/($end-$start))" >> "$out/rates"
  done
  python3 - "$label" "$out/p50s" "$out/rates" <<'PY'
import statistics, sys
p50 = [float(x) for x in open(sys.argv[2])]
rates = [float(x) for x in open(sys.argv[3])]
print(f"overhead ({sys.argv[1]}): no-op invoke Duration median {statistics.median(p50):.3f} ms (target < 0.2); "
      f"{statistics.median(rates):.0f} invocations/s, median of 5 runs from {min(rates):.0f} to {max(rates):.0f} (target >= 2000)")
PY
done

for limits in "" "--no-limits"; do
  "$bin" measure --cold 5 --warm 20 --memory-mb 1769 --event "$out/sleep.json" $limits \
    --env LAMBCOST_HANDLER_INIT_MS=200 --format json > "$out/fidelity.json"
  label=$(label_of "$out/fidelity.json" "$limits")
  init=$(field "$out/fidelity.json" "v['statistics']['cold']['init_ms']['median']")
  warm=$(field "$out/fidelity.json" "v['statistics']['warm']['duration_ms']['median']")
  python3 -c "print(f'fidelity ($label): init measured {$init:.2f} ms for 200 ms (off by {$init-200:+.2f}, target within 5); invoke {$warm:.2f} ms for 50 ms (off by {$warm-50:+.2f}, target within 2)')"
done

"$bin" measure --cold 1 --warm 3 --memory-mb 128,1769 --event "$out/cpu.json" --format json > "$out/cpu.json.out"
label_of "$out/cpu.json.out" "" >/dev/null
python3 - "$out/cpu.json.out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
by = {v["memory_size_mb"]: v["statistics"]["warm"]["duration_ms"]["median"] for v in d["variants"]}
ratio = by[128] / by[1769]
print(f"CPU share: CPU-bound invoke {by[128]:.1f} ms at 128 MB, {by[1769]:.1f} ms at 1769 MB: {ratio:.1f}x (expected {1769/128:.1f}x, within 20%: {abs(ratio/(1769/128)-1) <= 0.2}); limits enforced: {d['limits_enforced']}")
PY
