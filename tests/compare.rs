//! `lambcost compare`: the deck's headline, the four input formats agreeing, and bad input.

use crate::util::Test;
use serde_json::Value;

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn variant<'a>(json: &'a Value, name: &str) -> &'a Value {
    json["variants"]
        .as_array()
        .expect("variants")
        .iter()
        .find(|v| v["variant"] == name)
        .unwrap_or_else(|| panic!("{name} missing"))
}

fn f(v: &Value) -> f64 {
    v.to_string().parse().unwrap_or(f64::NAN)
}

#[test]
fn the_decks_headline_comes_out_of_its_own_table() {
    let t = Test::new();
    let results = format!("{}/data/results.csv", env!("CARGO_MANIFEST_DIR"));
    let run = t.run(&[
        "compare",
        &results,
        "--requests",
        "10M",
        "--cold-start-rate",
        "0",
        "--format",
        "json",
    ]);
    run.success();
    let json = run.json();
    assert_eq!(json["baseline"], "regular-net8");
    // About 7x faster cold start: 6680 / 951.
    let cold = f(&variant(&json, "aot-net10")["cold_start_speedup"]["value"]);
    assert!((cold - 6680.0 / 951.0).abs() < 1e-9, "{cold}");
    // 6.5x faster warm: 91 / 14.
    let warm = f(&variant(&json, "aot-net9")["warm_speedup"]["value"]);
    assert!((warm - 6.5).abs() < 1e-9, "{warm}");
    // About 52% less memory: peak 45 MB against 93 MB.
    let memory = f(&variant(&json, "aot-net10")["memory_saving"]);
    assert!(
        (memory - (1.0 - 45.0 / 93.0)).abs() < 1e-9 && (0.515..0.525).contains(&memory),
        "{memory}"
    );
    // Warm only at 10M: aot-net9 is 35,000 GB-s x $0.0000166667 + $2 = $2.5833345; the same
    // 14 ms at Regular's 512 MB are 70,000 GB-s: $3.166669; Regular costs $9.5833485.
    let costs = &variant(&json, "aot-net9")["costs"][0];
    assert_eq!(costs["total_usd"].to_string(), "2.5833345");
    assert_eq!(
        costs["total_usd_at_baseline_memory"].to_string(),
        "3.166669"
    );
    // 73% lower: 1 - 2.5833345 / 9.5833485.
    let saving = f(&costs["cost_saving"]);
    assert!(
        (saving - (1.0 - 2.5833345 / 9.5833485)).abs() < 1e-12,
        "{saving}"
    );
    assert_eq!(costs["cold_start_source"], "given");
    // Without --cold-start-rate, summary rows take the traffic model's share.
    let run = t.run(&["compare", &results, "--requests", "10M", "--format", "json"]);
    run.success();
    assert_eq!(
        variant(&run.json(), "aot-net9")["costs"][0]["cold_start_source"],
        "traffic model"
    );
}

#[test]
fn the_table_shows_ratios_against_the_baseline() {
    let t = Test::new();
    let results = format!("{}/data/results.csv", env!("CARGO_MANIFEST_DIR"));
    let run = t.run(&["compare", &results, "--requests", "10M"]);
    run.success();
    for needle in [
        "7.02x",
        "6.50x",
        "52% less",
        "73% lower",
        "$ @10M at 512 MB",
        "baseline",
    ] {
        assert!(run.stdout.contains(needle), "{needle}:\n{}", run.stdout);
    }
}

/// The statistics that must not depend on the format carrying the invocations.
fn essentials(json: &Value) -> Vec<String> {
    let v = &json["variants"][0];
    let s = &v["statistics"];
    let mut out = vec![];
    for phase in ["cold", "warm"] {
        out.push(format!("{phase} count {}", s[phase]["count"]));
        out.push(format!("{phase} billed sum {}", s[phase]["billed_ms_sum"]));
        for stat in [
            "count",
            "mean",
            "std_dev",
            "min",
            "median",
            "p90",
            "p95",
            "p99",
            "max",
            "ci95_half_width",
            "outliers",
        ] {
            out.push(format!(
                "{phase} duration {stat} {}",
                s[phase]["duration_ms"][stat]
            ));
        }
        out.push(format!(
            "{phase} memory {} {} {}",
            s[phase]["max_memory_used_mb_min"],
            s[phase]["max_memory_used_mb_max"],
            s[phase]["max_memory_used_mb_p95"]
        ));
    }
    for stat in ["mean", "median", "p99", "max"] {
        out.push(format!("init {stat} {}", s["cold"]["init_ms"][stat]));
        out.push(format!(
            "cold start {stat} {}",
            s["cold"]["cold_start_ms"][stat]
        ));
    }
    out.push(format!("statuses {}", s["statuses"]));
    out.push(format!("cost {}", v["costs"][0]["total_usd"]));
    out.push(format!("share {}", v["costs"][0]["cold_start_rate"]));
    out
}

#[test]
fn text_log_json_log_and_samples_give_the_same_statistics() {
    let t = Test::new();
    let read = |name: &str| {
        let run = t.run(&[
            "compare",
            &fixture(name),
            "--requests",
            "1M",
            "--cold-start-rate",
            "observed",
            "--format",
            "json",
        ]);
        run.success();
        run.json()
    };
    let text = read("aot-net9.log");
    let json = read("aot-net9.json");
    let samples = read("aot-net9.samples.csv");
    assert_eq!(essentials(&text), essentials(&json));
    assert_eq!(essentials(&text), essentials(&samples));
    let s = &text["variants"][0]["statistics"];
    // By hand: warm durations 12.30, 15.00, 18.72, 20.00 -> mean 16.505.
    assert!((f(&s["warm"]["duration_ms"]["mean"]) - 16.505).abs() < 1e-9);
    assert_eq!(s["warm"]["billed_ms_sum"], 67);
    assert_eq!(s["cold"]["billed_ms_sum"], 401);
    assert_eq!(s["statuses"]["error"], 1);
    // The SnapStart line is a cold start, read from Restore Duration.
    assert_eq!(s["cold"]["restores"], 1);
    assert!((f(&s["cold"]["init_ms"]["max"]) - 280.10).abs() < 1e-9);
    // 1M invocations, a third cold: (2/3 x 16.75 + 1/3 x 200.5) ms x 0.25 GB x price + 0.20.
    let total = f(&text["variants"][0]["costs"][0]["total_usd"]);
    assert!((total - 0.52500065).abs() < 1e-9, "{total}");
}

#[test]
fn truncated_lines_are_counted_and_named_unless_strict() {
    let t = Test::new();
    let log = fixture("aot-net9.log");
    let run = t.run(&["compare", &log, "--requests", "1M", "--format", "csv"]);
    run.success();
    assert!(
        run.stderr.contains("1 unreadable line(s) skipped"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("aot-net9.log:13: truncated REPORT line"),
        "{}",
        run.stderr
    );
    t.run(&["compare", &log, "--strict"])
        .refused(&["aot-net9.log:13:", "truncated REPORT line"]);
    let json = fixture("aot-net9.json");
    let run = t.run(&["compare", &json, "--format", "csv"]);
    run.success();
    assert!(
        run.stderr.contains("aot-net9.json:7: malformed JSON event"),
        "{}",
        run.stderr
    );
    t.run(&["compare", &json, "--strict"])
        .refused(&["aot-net9.json:7:", "malformed JSON event"]);
}

#[test]
fn logs_are_named_by_flag_or_file_and_read_from_standard_input() {
    let t = Test::new();
    let text = std::fs::read_to_string(fixture("aot-net9.log")).expect("fixture");
    let a = t.write("a.log", &text);
    let b = t.write("b.log", &text);
    let run = t.run(&[
        "compare",
        a.to_str().expect("path"),
        b.to_str().expect("path"),
        "--variant",
        "first",
        "--mode",
        "regular",
        "--format",
        "json",
        "--requests",
        "1M",
    ]);
    run.success();
    let json = run.json();
    assert_eq!(json["variants"][0]["variant"], "first");
    assert_eq!(json["variants"][0]["mode"], "regular");
    assert_eq!(json["variants"][1]["variant"], "b");
    assert_eq!(json["baseline"], "first");

    let out = assert_cmd::Command::cargo_bin("lambcost")
        .expect("binary")
        .args(["compare", "-", "--variant", "piped", "--format", "json"])
        .write_stdin(text)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    let json: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["variants"][0]["variant"], "piped");
}

#[test]
fn several_inputs_of_different_kinds_compare_side_by_side() {
    let t = Test::new();
    let results = format!("{}/data/results.csv", env!("CARGO_MANIFEST_DIR"));
    let run = t.run(&[
        "compare",
        &results,
        &fixture("aot-net9.log"),
        "--variant",
        "measured-aot",
        "--mode",
        "aot",
        "--requests",
        "1M,10M",
        "--format",
        "csv",
    ]);
    run.success();
    let mut reader = csv::Reader::from_reader(run.stdout.as_bytes());
    let header = reader.headers().expect("header").clone();
    let baseline = header
        .iter()
        .position(|h| h == "baseline")
        .expect("a baseline column");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 12, "six variants at two levels");
    assert!(rows.iter().any(|r| &r[0] == "measured-aot"));
    assert!(
        rows.iter().all(|r| &r[baseline] == "regular-net8"),
        "baseline column"
    );
}

#[test]
fn a_measured_p99_carries_an_interval() {
    let t = Test::new();
    let run = t.run(&[
        "compare",
        &fixture("aot-net9.samples.csv"),
        "--requests",
        "1M",
    ]);
    run.success();
    assert!(run.stdout.contains("16.5 ± "), "{}", run.stdout);
    assert!(run.stdout.contains("Warm p50/p95/p99"), "{}", run.stdout);
}

#[test]
fn bad_inputs_are_refused_with_file_and_line() {
    let t = Test::new();
    let header = "variant,mode,architecture,memory_size_mb,phase,duration_ms,init_duration_ms,billed_duration_ms,max_memory_used_mb,status";
    let bad = t.write(
        "bad.csv",
        &format!("{header}\na,aot,x86_64,256,warm,abc,,10,41,success\n"),
    );
    t.run(&["compare", bad.to_str().expect("path")])
        .refused(&["bad.csv:2: column 'duration_ms': 'abc' is not a number"]);
    let empty = t.write("empty.log", "");
    t.run(&["compare", empty.to_str().expect("path")])
        .refused(&["empty.log", "empty"]);
    let chatter = t.write(
        "chatter.log",
        "START RequestId: x Version: $LATEST\nhello\n",
    );
    t.run(&["compare", chatter.to_str().expect("path")])
        .refused(&["chatter.log", "no invocations"]);
    let rows_missing = t.write("header-only.csv", &format!("{header}\n"));
    t.run(&["compare", rows_missing.to_str().expect("path")])
        .refused(&["header-only.csv", "no invocations"]);
    t.run(&["compare", "nope.log"])
        .refused(&["nope.log", "cannot open"]);
    t.run(&["compare"]).refused(&["FILE"]);
    let results = format!("{}/data/results.csv", env!("CARGO_MANIFEST_DIR"));
    t.run(&["compare", &results, "--baseline", "nope"])
        .refused(&["'nope'", "regular-net8"]);
    t.run(&["compare", &results, &results])
        .refused(&["named twice", "give each input once"]);
    // Two tables that name one variant each.
    let copy = t.write(
        "copy.csv",
        &std::fs::read_to_string(&results).expect("read"),
    );
    t.run(&["compare", &results, copy.to_str().expect("path")])
        .refused(&["already in another input"]);
}

/// A 30-minute log of 110 invocations, one every 16 s or so: 3 cold (20 ms plus a 300 ms
/// init, billed 320 ms), 107 warm (20 ms).
fn half_hour_log() -> String {
    let mut log = String::new();
    for i in 0..110u32 {
        let cold = i % 40 == 0;
        let (minute, second) = (i * 16 / 60, i * 16 % 60);
        let at = format!("2025-09-01T12:{minute:02}:{second:02}.000Z");
        if cold {
            log.push_str(&format!(
                "{at} INIT_START Runtime Version: provided:al2023.v52\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:abc\n"
            ));
        }
        let init = if cold {
            "\tInit Duration: 300.00 ms"
        } else {
            ""
        };
        let billed = if cold { 320 } else { 20 };
        log.push_str(&format!(
            "{at} REPORT RequestId: 00000000-0000-4000-8000-{i:012}\tDuration: 20.00 ms\tBilled Duration: {billed} ms\tMemory Size: 256 MB\tMax Memory Used: 40 MB{init}\t\n"
        ));
    }
    log
}

#[test]
fn a_logs_cold_starts_are_shown_beside_the_traffic_model_not_priced() {
    let t = Test::new();
    let log = t.write("api.log", &half_hour_log());
    let log = log.display().to_string();
    let run = t.run(&["compare", &log, "--requests", "10M", "--format", "json"]);
    run.success();
    let json = run.json();
    let v = &json["variants"][0];
    assert_eq!(v["costs"][0]["cold_start_source"], "traffic model");
    let model_rate = f(&v["costs"][0]["cold_start_rate"]);
    assert!(model_rate < 0.001, "{model_rate}");
    // The observed share, with its sample and Wilson interval (by hand: 0.93% to 7.71%).
    let observed = &v["observed_cold_start"];
    assert_eq!(observed["cold_starts"], 3);
    assert_eq!(observed["invocations"], 110);
    assert!(
        (f(&observed["ci95"][0]) - 0.009_318).abs() < 1e-6,
        "{observed}"
    );
    assert!(
        (f(&observed["ci95"][1]) - 0.077_131).abs() < 1e-6,
        "{observed}"
    );
    let model_usd = f(&v["costs"][0]["total_usd"]);
    // Priced with the log's own 3 in 110: 10M x (107/110 x 20 ms + 3/110 x 320 ms) x 0.25 GB
    // = 70,454.545 GB-s x $0.0000166667 + $2.00 = $3.174244.
    let observed_run = t.run(&[
        "compare",
        &log,
        "--requests",
        "10M",
        "--cold-start-rate",
        "observed",
        "--format",
        "json",
    ]);
    let observed_json = observed_run.json();
    let costs = &observed_json["variants"][0]["costs"][0];
    assert_eq!(costs["cold_start_source"], "observed");
    let observed_usd = f(&costs["total_usd"]);
    assert!((observed_usd - 3.174_244).abs() < 1e-6, "{observed_usd}");
    // The short log's share would have billed the month too high.
    assert!(
        observed_usd > model_usd * 1.04,
        "{observed_usd} vs {model_usd}"
    );
    // The table shows both, on a pipe and on a terminal alike.
    let table = t.run(&["compare", &log, "--requests", "10M"]);
    assert!(
        table.stdout.contains("3/110: 2.7% (0.9-7.7%)"),
        "{}",
        table.stdout
    );
    let help = t.run(&["compare", "--help"]);
    let words = help.stdout.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(words.contains("[default: model]"), "{words}");
}

#[test]
fn the_embedded_data_stands_beside_a_users_own() {
    let t = Test::new();
    let log = t.write("api.log", &half_hour_log());
    let run = t.run(&[
        "compare",
        "@talk",
        &log.display().to_string(),
        "--mode",
        "aot",
        "--format",
        "json",
    ]);
    run.success();
    let json = run.json();
    assert_eq!(json["variants"].as_array().map(Vec::len), Some(6));
    let data = json["data"].as_str().unwrap_or_default();
    assert!(
        data.starts_with("the talk's measurements (embedded), "),
        "{data}"
    );
    assert!(data.ends_with("api.log"), "{data}");
    let estimate = t.run(&["estimate", "--data", "@talk-repo", "--format", "json"]);
    estimate.success();
    assert_eq!(
        estimate.json()["rows"].as_array().map(Vec::len),
        Some(8 * 3)
    );
    t.run(&["compare", "@nope"])
        .refused(&["@nope", "@talk", "@talk-repo"]);
    // A mode is one of the modes file's.
    t.run(&[
        "compare",
        "@talk",
        &log.display().to_string(),
        "--mode",
        "aott",
    ])
    .refused(&["'aott'", "regular", "readytorun", "aot"]);
}

#[test]
fn a_near_miss_header_or_a_compressed_file_is_called_what_it_is() {
    let t = Test::new();
    let near = t.write(
        "near.csv",
        "variant,mode,arch,memory_size_mb,phase,duration_ms,init_duration_ms,billed_duration_ms,max_memory_used_mb,status\nv,aot,x86_64,128,warm,12,,,30,success\n",
    );
    t.run(&["compare", &near.display().to_string()]).refused(&[
        "near.csv:1:",
        "close to a samples file's",
        "column 3 is 'arch', expected 'architecture'",
        "variant,mode,architecture,memory_size_mb",
    ]);
    let summary = t.write(
        "summary.csv",
        "variant,mode,dotnet,runtime,architecture,memory_mb,cold_start_ms,warm_ms,max_memory_used_mb_min,max_memory_used_mb_max\n",
    );
    t.run(&["compare", &summary.display().to_string()])
        .refused(&[
            "close to a summary table's",
            "column 6 is 'memory_mb', expected 'memory_size_mb'",
        ]);
    // A gzip stream cut off before its first line is called that.
    let gz = t.path("api.log.gz");
    std::fs::write(&gz, [0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00]).expect("write");
    t.run(&["compare", &gz.display().to_string()])
        .refused(&["api.log.gz", "stream is truncated: cut off before any log"]);
    // UTF-16 (PowerShell's `>`) is decoded, not refused: its one REPORT line is read.
    let utf16 = t.path("powershell.log");
    let line = "REPORT RequestId: r1\tDuration: 1.50 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB\r\n";
    let bytes: Vec<u8> = [0xff, 0xfe]
        .into_iter()
        .chain(line.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    std::fs::write(&utf16, bytes).expect("write");
    let run = t.run(&["compare", &utf16.display().to_string(), "--format", "json"]);
    run.success();
    assert_eq!(run.json()["variants"][0]["statistics"]["warm"]["count"], 1);
    let binary = t.path("lambcost.bin");
    std::fs::write(&binary, [0x7f, b'E', b'L', b'F', 0, 0, 1]).expect("write");
    t.run(&["compare", &binary.display().to_string()])
        .refused(&["lambcost.bin", "binary, not a log"]);
}

#[test]
fn a_report_without_a_memory_size_is_priced_at_the_others_and_said() {
    let t = Test::new();
    let event = |id: &str, ms: u32, memory: &str| {
        format!(
            "{{\"time\":\"2025-01-01T00:00:00Z\",\"type\":\"platform.report\",\"record\":{{\"requestId\":\"{id}\",\"metrics\":{{\"durationMs\":{ms}.0,\"billedDurationMs\":{ms}{memory},\"maxMemoryUsedMB\":30}}}}}}\n"
        )
    };
    let mixed = t.write(
        "mixed.json",
        &(event("a", 10, ",\"memorySizeMB\":512") + &event("b", 1000, "")),
    );
    let run = t.run(&["compare", &mixed.display().to_string(), "--format", "json"]);
    run.success();
    assert!(
        run.stderr
            .contains("mixed.json: 1 report(s) without a memory size priced at the others' 512 MB"),
        "{}",
        run.stderr
    );
    assert_eq!(run.json()["variants"][0]["memory_size_mb"], 512);
    // Reports of Lambda Managed Instances only: no duration bill to compute, and said so.
    let lmi = t.write(
        "lmi.json",
        "{\"time\":\"2025-01-01T00:00:00Z\",\"type\":\"platform.report\",\"record\":{\"requestId\":\"a\",\"metrics\":{\"durationMs\":10.0,\"maxMemoryUsedMB\":30}}}\n",
    );
    t.run(&["compare", &lmi.display().to_string()]).refused(&[
        "lmi.json",
        "Lambda Managed Instances",
        "billed by instance",
    ]);
}

#[test]
fn one_warning_of_many_variants_is_said_once() {
    // Five logs of a cold start each and no warm invocation: one line for the five, with
    // the first three names; the JSON keeps all five.
    let t = Test::new();
    let line = "REPORT RequestId: r1\tDuration: 12.30 ms\tBilled Duration: 115 ms\tMemory Size: 256 MB\tMax Memory Used: 40 MB\tInit Duration: 101.94 ms\t\n";
    let logs: Vec<String> = (1..=5)
        .map(|i| t.write(&format!("fn{i}.log"), line).display().to_string())
        .collect();
    let mut args = vec!["compare"];
    args.extend(logs.iter().map(String::as_str));
    let run = t.run(&args);
    run.warned(&[
        "5 variants: no warm invocation measured; warm invocations are priced at the cold ones' duration without init (fn1, fn2, fn3 and 2 more)",
    ]);
    assert!(!run.stderr.contains("warning: fn4:"), "{}", run.stderr);
    args.extend(["--format", "json"]);
    let json = t.run(&args).json();
    let warnings = json["warnings"].as_array().map_or(0, |w| {
        w.iter()
            .filter(|w| w.as_str().is_some_and(|w| w.contains("no warm invocation")))
            .count()
    });
    assert_eq!(warnings, 5);
}
