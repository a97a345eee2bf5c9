#!/usr/bin/env bash
# Regenerates the charts the README shows (docs/*.svg) with a release build of lambcost.
# The latency and power-tuning charts come from live measurements of the bundled handler on
# this machine, so they differ a little from run to run.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --workspace
# .cargo/config.toml builds for the host by name: artifacts are under target/<host>/.
bin=target/$(rustc -vV | sed -n "s/^host: //p")/release/lambcost
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$bin" estimate --requests 1M,10M,100M --plot docs/estimate-cost.svg > /dev/null

"$bin" measure --cold 20 --warm 200 --memory-mb 256 --variant handler-256mb \
  --samples-out "$tmp/256.csv" --format csv > /dev/null
"$bin" measure --cold 20 --warm 200 --memory-mb 1024 --variant handler-1024mb \
  --samples-out "$tmp/1024.csv" --format csv > /dev/null
"$bin" compare "$tmp/256.csv" "$tmp/1024.csv" --requests 10M --plot docs/compare-latency.svg > /dev/null

cp benches/cpu-50ms.json "$tmp/cpu.json"
"$bin" measure --cold 2 --warm 10 --memory-mb 128,256,512,1024,1769 --event "$tmp/cpu.json" \
  --requests 10M --plot docs/measure-power-tuning.svg > /dev/null
"$bin" replay tests/fixtures/bursts.csv --plot docs/replay-pool.svg > /dev/null
echo "docs/estimate-cost.svg docs/compare-latency.svg docs/measure-power-tuning.svg docs/replay-pool.svg written"
