#!/usr/bin/env bash
# lambcost bill on a large CUR 2.0 export, against the Python script a user would write (the
# csv module, summing unblended cost per function and usage type as floats: far less than
# lambcost does, which also checks every line against the price book), in the same run; then
# lambcost's peak resident memory on 0.5M and 2M lines, which must stay flat.
#
# Needs hyperfine and Python 3 (Debian: apt-get install hyperfine). The exports are generated
# once into target/bench-data (about 2.4 GB for both) from the CUR 2.0 fixture's rows: 200
# functions in two regions, both architectures, an hour a line.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in hyperfine python3; do
  command -v "$tool" >/dev/null || { echo "benches/bill.sh: $tool is not installed" >&2; exit 2; }
done
data=target/bench-data
mkdir -p "$data"
for n in 500000 2000000; do
  [ -s "$data/cur2-$n.csv" ] || python3 - "$n" "$data/cur2-$n.csv" <<'PY'
import csv, sys
from decimal import Decimal, ROUND_HALF_UP
n, path = int(sys.argv[1]), sys.argv[2]
src = csv.reader(open("tests/fixtures/bill/cur2-2026-10.csv"))
header = next(src)
rows = [r for r in src if r[header.index("line_item_product_code")] == "AWSLambda"
        and r[header.index("line_item_line_item_type")] == "Usage"
        and r[header.index("line_item_unblended_rate")] != ""
        and Decimal(r[header.index("line_item_unblended_rate")]) != 0]
col = {h: i for i, h in enumerate(header)}
# Two regions whose every rate is us-east-1's, so the fixture's rates are the book's.
regions = [("us-east-1", ""), ("us-west-2", "USW2-")]
out = csv.writer(open(path, "w", newline=""), lineterminator="\n")
out.writerow(header)
for i in range(n):
    r = list(rows[i % len(rows)])
    region, prefix = regions[(i // 7) % len(regions)]
    ut = r[col["line_item_usage_type"]]
    kind = ut.split("-", 1)[1] if ut.startswith(("USW2-", "EU-")) else ut
    r[col["line_item_usage_type"]] = prefix + kind
    r[col["product_region_code"]] = region
    r[col["line_item_resource_id"]] = f"arn:aws:lambda:{region}:123456789012:function:fn-{i % 200}"
    q = Decimal(1 + (i * 7919) % 100000) / Decimal(100)
    rate = Decimal(r[col["line_item_unblended_rate"]])
    cost = (q * rate).quantize(Decimal("1e-10"), rounding=ROUND_HALF_UP)
    r[col["line_item_usage_amount"]] = str(q)
    for c in ("line_item_unblended_cost", "line_item_net_unblended_cost", "line_item_blended_cost", "pricing_public_on_demand_cost"):
        r[col[c]] = str(cost)
    out.writerow(r)
PY
done
cargo build --release --quiet
# .cargo/config.toml builds for the host by name: artifacts are under target/<host>/.
bin=target/$(rustc -vV | sed -n "s/^host: //p")/release/lambcost
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cat > "$out/peer.py" <<'PY'
import csv, sys
from collections import defaultdict
r = csv.reader(open(sys.argv[1], newline=""))
h = next(r)
p, res, ut, cost = (h.index(c) for c in ("line_item_product_code", "line_item_resource_id", "line_item_usage_type", "line_item_unblended_cost"))
sums = defaultdict(float)
for row in r:
    if row[p] == "AWSLambda":
        sums[(row[res], row[ut])] += float(row[cost] or 0)
print(len(sums), sum(sums.values()))
PY
for round in 1 2 3; do
  hyperfine -N --warmup 1 --runs "${RUNS:-3}" --export-json "$out/round-$round.json" \
    --command-name lambcost "$bin bill $data/cur2-2000000.csv --format json" \
    --command-name python "python3 $out/peer.py $data/cur2-2000000.csv" >/dev/null
done
python3 - "$out" "$data/cur2-2000000.csv" <<'PY'
import glob, json, os, statistics, sys
rounds = []
for path in sorted(glob.glob(sys.argv[1] + "/round-*.json")):
    r = {x["command"]: x["median"] for x in json.load(open(path))["results"]}
    rounds.append((r["lambcost"], r["python"]))
size = os.path.getsize(sys.argv[2]) / 1e6
print(f"2M lines ({sys.argv[2]}, {size:.0f} MB):")
for i, (l, p) in enumerate(rounds, 1):
    print(f"  round {i}: lambcost bill {l:.3f} s, Python csv sums {p:.3f} s, {p/l:.2f}x")
print(f"  median: lambcost is {statistics.median(p / l for l, p in rounds):.2f}x as fast as the Python script")
PY
for n in 500000 2000000; do
  /usr/bin/time -f "%M" -o "$out/rss-$n" "$bin" bill "$data/cur2-$n.csv" --format json >/dev/null
done
small=$(cat "$out/rss-500000"); large=$(cat "$out/rss-2000000")
python3 -c "print(f'peak RSS: 0.5M lines {$small/1024:.1f} MiB, 2M lines {$large/1024:.1f} MiB, ratio {$large/$small:.3f} (target: at most 1.25)')"
