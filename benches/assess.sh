#!/usr/bin/env bash
# lambcost assess on a generated project of 100,000 lines of C# (200 files of 500 lines: a
# Lambda handler's usual code with a reflection call, a JSON call and a dynamic load in each
# file), against ripgrep searching the same tree for the same call names in the same hyperfine
# run. ripgrep matches text and is an upper bound a parser cannot reach (it finds the names in
# comments and strings too); the ratio says what the real parse costs. Then one thread against
# two: the files are parsed in parallel.
#
# Needs hyperfine, ripgrep and Python 3 (Debian: apt-get install hyperfine ripgrep python3).
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in hyperfine rg python3; do
  command -v "$tool" >/dev/null || { echo "benches/assess.sh: $tool is not installed" >&2; exit 2; }
done
cargo build --release --quiet
# .cargo/config.toml builds for the host by name: artifacts are under target/<host>/.
bin=target/$(rustc -vV | sed -n "s/^host: //p")/release/lambcost
tree=target/bench-data/csharp-100k
if [ ! -f "$tree/Generated.csproj" ] || [ "$(cat "$tree/.version" 2>/dev/null)" != 2 ]; then
  rm -rf "$tree"
  mkdir -p "$tree/src"
  python3 - "$tree" <<'PY'
import sys
root = sys.argv[1]
open(f"{root}/Generated.csproj", "w").write(
    '<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><TargetFramework>net8.0</TargetFramework>'
    '<OutputType>Exe</OutputType></PropertyGroup></Project>\n')
block = '''
    /// <summary>Handles order {n}: validates, prices and stores it.</summary>
    public async Task<OrderResult> Handle{n}(OrderRequest request, ILambdaContext context)
    {{
        // Assembly.Load("not a call: a comment");
        if (string.IsNullOrWhiteSpace(request.Customer))
        {{
            return OrderResult.Invalid("customer is required");
        }}
        var total = request.Lines.Sum(l => l.Quantity * l.UnitPrice);
        var order = new Order(Guid.NewGuid().ToString(), request.Customer, total);
        var body = JsonSerializer.Serialize(order, AppJson.Default.Order);
        await _client.PutItemAsync(new PutItemRequest {{ TableName = _table, Item = Map(order) }});
        context.Logger.LogInformation($"stored {{order.Id}} for {{request.Customer}}");
        return OrderResult.Created(order.Id, body);
    }}
'''
lines_per_file = 500
for f in range(200):
    out = [
        "using System.Text.Json;",
        "using Amazon.DynamoDBv2;",
        "using Amazon.DynamoDBv2.Model;",
        "using Amazon.Lambda.Core;",
        "",
        f"namespace Generated.Orders{f};",
        "",
        f"public sealed class OrderService{f}",
        "{",
        "    private readonly IAmazonDynamoDB _client;",
        "    private readonly string _table = \"orders\";",
        "    public object Plugin(string path, string name) => Activator.CreateInstance(Type.GetType(name)!)!;",
        "    public object Load(string path) => System.Reflection.Assembly.LoadFrom(path);",
        "    public string Loose(object o) => JsonSerializer.Serialize(o);",
    ]
    n = 0
    step = len(block.split("\n"))
    # Whole methods only, then blank lines up to the file's length: every file parses.
    while len(out) + step < lines_per_file - 1:
        out.extend(block.format(n=n).split("\n"))
        n += 1
    out += [""] * (lines_per_file - 1 - len(out)) + ["}"]
    open(f"{root}/src/OrderService{f}.cs", "w").write("\n".join(out) + "\n")
PY
  echo 2 > "$tree/.version"
fi
lines=$(cat "$tree"/src/*.cs | wc -l)
bytes=$(cat "$tree"/src/*.cs | wc -c)
pattern='Assembly\.(Load|LoadFrom|LoadFile)\(|Type\.GetType\(|Activator\.CreateInstance\(|GetMethod\(|GetProperty\(|MakeGeneric(Type|Method)\(|Reflection\.Emit|\bdynamic\b|\.Compile\(\)|JsonSerializer\.(Serialize|Deserialize)|JsonConvert\.|FromAssembl|AddAutoMapper|AddControllers|LambdaBootstrapBuilder|DefaultLambdaJsonSerializer'
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
hyperfine -N --warmup 1 --runs "${RUNS:-10}" --export-json "$out/run.json" \
  --command-name "assess-1" "$bin assess $tree --threads 1 --format json" \
  --command-name "assess-2" "$bin assess $tree --threads 2 --format json" \
  --command-name "rg-1" "rg -j1 -c -e '$pattern' $tree/src" \
  --command-name "rg-2" "rg -j2 -c -e '$pattern' $tree/src" >/dev/null
python3 - "$out/run.json" "$lines" "$bytes" <<'PY'
import json, sys
r = {x["command"]: x["median"] for x in json.load(open(sys.argv[1]))["results"]}
lines, mb = int(sys.argv[2]), int(sys.argv[3]) / 1e6
print(f"{lines:,} lines of C# ({mb:.1f} MB) in 200 files:")
for name in ["assess-1", "assess-2", "rg-1", "rg-2"]:
    threads = int(name[-1])
    print(f"  {name:9} median {r[name]:.3f} s, {mb / r[name] / threads:6.1f} MB/s a core")
print(f"  lambcost assess, 2 threads against 1: {r['assess-1'] / r['assess-2']:.2f}x as fast")
print(f"  ripgrep (text, no parse) is {r['assess-1'] / r['rg-1']:.0f}x as fast as the parse, one thread each")
print(f"  the whole project in {r['assess-2']:.3f} s on 2 cores (target: under 1 s)")
PY
