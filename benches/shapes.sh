#!/usr/bin/env bash
# Logs as AWS exports them: a gzip-compressed CloudWatch log of 2 million invocations read by
# `lambcost compare` against zcat piped into the awk one-liner a user would write, in the
# same hyperfine run; an export-shaped directory of 16 gzip files read with --threads 2
# against --threads 1; and the peak resident memory of reading the 16 files 16 at a time.
#
# Needs hyperfine, mawk, gzip and Python 3 (Debian: apt-get install hyperfine mawk gzip). The
# data is generated once into target/bench-data (about 700 MB).
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in hyperfine mawk gzip python3; do
  command -v "$tool" >/dev/null || { echo "benches/shapes.sh: $tool is not installed" >&2; exit 2; }
done
generator=${GENERATOR:-../shared/bench/gen_report_log.py}
peer=${PEER:-../shared/bench/peer_awk_summary.sh}
data=target/bench-data
mkdir -p "$data"
log="$data/log-2000000.txt"
[ -s "$log" ] || python3 "$generator" 2000000 "$log"
[ -s "$log.gz" ] || gzip -c "$log" > "$log.gz"
# An export to S3: PREFIX/EXPORT-TASK-ID/LOG-STREAM/000000.gz, 16 streams of 125,000 each.
export_dir="$data/export"
task="$export_dir/api/0b5e4a8c-1d2e-4f3a-9b8c-7d6e5f4a3b2c"
if [ ! -d "$task" ]; then
  mkdir -p "$task"
  split -n l/16 -d "$log" "$data/part-"
  for part in "$data"/part-*; do
    stream="$task/2024/05/01/[\$LATEST]${part##*-}"
    mkdir -p "$stream"
    gzip -c "$part" > "$stream/000000.gz"
    rm "$part"
  done
  echo "Permission Check Successful" > "$export_dir/api/aws-logs-write-test"
fi
cargo build --release --quiet
# .cargo/config.toml builds for the host by name: artifacts are under target/<host>/.
bin=target/$(rustc -vV | sed -n "s/^host: //p")/release/lambcost
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

hyperfine --warmup 1 --runs "${RUNS:-5}" --export-json "$out/gz.json" \
  --command-name lambcost "$bin compare $log.gz --requests 10M" \
  --command-name zcat-awk "sh -c 'zcat $log.gz | sh $peer /dev/stdin'" >/dev/null
hyperfine --warmup 1 --runs "${RUNS:-5}" --export-json "$out/dir.json" \
  --command-name threads-1 "$bin compare $export_dir --requests 10M --threads 1" \
  --command-name threads-2 "$bin compare $export_dir --requests 10M --threads 2" >/dev/null
/usr/bin/time -f "%M" -o "$out/rss" "$bin" compare "$export_dir" --requests 10M --threads 16 >/dev/null
python3 - "$out" "$log.gz" <<'PY'
import json, os, sys
out, gz = sys.argv[1], sys.argv[2]
def medians(name):
    return {x["command"]: x["median"] for x in json.load(open(f"{out}/{name}.json"))["results"]}
g = medians("gz")
print(f"2M invocations, gzip ({os.path.getsize(gz) / 1e6:.0f} MB compressed):")
print(f"  median lambcost compare: {g['lambcost']:.3f} s; zcat | awk: {g['zcat-awk']:.3f} s")
print(f"  lambcost is {g['zcat-awk'] / g['lambcost']:.2f}x as fast (target: at least 1.5x)")
d = medians("dir")
print("export directory, 16 gzip files:")
print(f"  median --threads 1: {d['threads-1']:.3f} s; --threads 2: {d['threads-2']:.3f} s")
print(f"  --threads 2 is {d['threads-1'] / d['threads-2']:.2f}x as fast (target: at least 1.6x)")
rss = int(open(f"{out}/rss").read()) / 1024
print(f"  peak RSS with --threads 16: {rss:.1f} MiB (target: under 64 MiB)")
PY
