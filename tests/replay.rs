//! `lambcost replay`: a pool worked out by hand, the traffic model's agreement on Poisson
//! arrivals, the what-if across build modes on a bursty trace, a log's own cold starts beside
//! the predicted ones, `--cold-start-rate replay:FILE`, and bad input.

use crate::util::Test;
use serde_json::Value;

/// One variant whose cold start takes 1,000 ms and warm invocation 100 ms, at 512 MB.
const ONE: &str = "variant,mode,dotnet,runtime,architecture,memory_size_mb,cold_start_ms,warm_ms,max_memory_used_mb_min,max_memory_used_mb_max,note\nfn,aot,8,provided.al2023,x86_64,512,1000,100,50,50,\n";

fn variant<'a>(json: &'a Value, name: &str) -> &'a Value {
    json["variants"]
        .as_array()
        .and_then(|v| v.iter().find(|v| v["variant"] == name))
        .unwrap_or_else(|| panic!("variant {name} in {json}"))
}

fn number(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("a number: {v}"))
}

#[test]
fn a_small_trace_replays_as_worked_out_by_hand() {
    let t = Test::new();
    t.write("one.csv", ONE);
    // Three arrive within 20 ms: each finds the others initialising, three cold starts and
    // three busy at once. Two seconds on, all are idle: the next two are warm.
    t.write("trace.csv", "offset_ms\n0\n10\n20\n2000\n2050\n");
    let run = t.run(&[
        "replay",
        "trace.csv",
        "--data",
        "one.csv",
        "--format",
        "json",
    ]);
    let json = run.success().json();
    let v = variant(&json, "fn");
    assert_eq!(v["invocations"], 5);
    assert_eq!(v["cold_starts"], 3);
    assert_eq!(v["cold_start_rate"], 0.6);
    assert_eq!(v["peak_concurrency"], 3);
    assert_eq!(v["throttles"], 0);
    assert_eq!(v["observed_cold_starts"], Value::Null);
    // Busy 3 x 1,000 + 2 x 100 ms over the 2,150 ms from the first arrival to the last end.
    assert_eq!(v["mean_concurrency"], 1.4884);
    // Latencies 100, 100, 1,000, 1,000, 1,000: the median and the tail are cold.
    assert_eq!(v["latency_ms"]["p50"], 1000.0);
    assert_eq!(v["latency_ms"]["p99"], 1000.0);
    // Five arrivals are four intervals in the 2,050 ms from the first to the last; over a
    // 730-hour month: 4 x 2,628,000,000 / 2,050 = 5,127,804.9.
    let cost = &v["costs"][0];
    assert_eq!(cost["requests"], 5_127_805);
    // The month is priced as estimate prices it at the replayed share.
    let est = t.run(&[
        "estimate",
        "--data",
        "one.csv",
        "--requests",
        "5127805",
        "--cold-start-rate",
        "60%",
        "--format",
        "json",
    ]);
    let est = est.success().json();
    assert_eq!(cost["total_usd"], est["rows"][0]["total_usd"]);
    assert_eq!(json["arrivals"]["count"], 5);
    assert_eq!(json["arrivals"]["span_ms"], 2050.0);

    // One environment busy at most: 0 ms is cold, 10 and 20 find it initialising and are
    // throttled; 2,000 is warm on it, and 2,050 finds it busy again: throttled.
    let limited = t.run(&[
        "replay",
        "trace.csv",
        "--data",
        "one.csv",
        "--concurrency-limit",
        "1",
        "--format",
        "json",
    ]);
    let json = limited.success().json();
    let v = variant(&json, "fn");
    assert_eq!(
        (&v["invocations"], &v["cold_starts"], &v["throttles"]),
        (&Value::from(2), &Value::from(1), &Value::from(3))
    );
    // Reclaimed after 900 ms idle: at 2,000 ms the three have been idle 980 ms or more and
    // are gone; 2,000 starts cold, and 2,050 finds it busy: five cold starts.
    let reclaimed = t.run(&[
        "replay",
        "trace.csv",
        "--data",
        "one.csv",
        "--idle-reclaim",
        "900ms",
        "--format",
        "json",
    ]);
    let json = reclaimed.success().json();
    assert_eq!(variant(&json, "fn")["cold_starts"], 5);
}

#[test]
fn on_poisson_arrivals_the_traffic_model_agrees_with_the_replay() {
    // The traffic model is documented to agree with a simulation of its assumptions within
    // 10%; a replay of a month of Poisson arrivals adds its own sampling error (the cold
    // starts are counted, sd = sqrt(count)): the band is 10% plus three of those.
    let t = Test::new();
    for rate in ["0.01", "0.1", "0.5"] {
        let run = t.run(&[
            "replay",
            &format!("poisson:{rate}"),
            "--for",
            "730h",
            "--variant",
            "regular-net8,aot-net9",
            "--format",
            "json",
        ]);
        let json = run.success().json();
        for name in ["regular-net8", "aot-net9"] {
            let v = variant(&json, name);
            let n = number(&v["invocations"]);
            let cold = number(&v["cold_starts"]);
            let requests = v["costs"][0]["requests"].to_string();
            let est = t.run(&[
                "estimate",
                "--requests",
                &requests,
                "--variant",
                name,
                "--format",
                "json",
            ]);
            let model = number(&est.success().json()["rows"][0]["cold_start_rate"]);
            let replayed = cold / n;
            let band = 0.10 * model + 3.0 * cold.sqrt() / n;
            assert!(
                (replayed - model).abs() <= band,
                "{name} at {rate}/s: replay {replayed} against the model's {model} (band {band})"
            );
        }
    }
}

#[test]
fn a_longer_init_makes_a_burst_worse() {
    // Ten bursts a minute apart, 30 arrivals 50 ms apart in each: Regular's 6.7 s cold
    // start keeps every environment of the first burst initialising while the rest arrive;
    // AOT's 1 s one frees the first before the burst is over.
    let t = Test::new();
    let mut trace = String::from("offset_ms\n");
    for burst in 0..10 {
        for k in 0..30 {
            trace.push_str(&format!("{}\n", burst * 60_000 + k * 50));
        }
    }
    t.write("bursts.csv", &trace);
    let run = t.run(&[
        "replay",
        "bursts.csv",
        "--variant",
        "regular-net8,aot-net9",
        "--format",
        "json",
    ]);
    let json = run.success().json();
    let (regular, aot) = (variant(&json, "regular-net8"), variant(&json, "aot-net9"));
    assert!(
        number(&regular["cold_starts"]) > number(&aot["cold_starts"]),
        "{regular} {aot}"
    );
    assert!(
        number(&regular["peak_concurrency"]) > number(&aot["peak_concurrency"]),
        "{regular} {aot}"
    );
    // By hand: Regular starts 30 environments in the first burst and reuses them after;
    // AOT starts one for each arrival of the first 1,006 ms (0 to 1,000: 21), then reuses.
    assert_eq!(regular["cold_starts"], 30);
    assert_eq!(aot["cold_starts"], 21);
    // The chart of busy environments over time.
    t.run(&[
        "replay",
        "bursts.csv",
        "--variant",
        "regular-net8,aot-net9",
        "--plot",
        "pool.svg",
    ])
    .success();
    let svg = std::fs::read_to_string(t.path("pool.svg")).expect("chart written");
    assert!(svg.contains("Environments busy"), "{}", &svg[..200]);
}

#[test]
fn a_log_replayed_shows_its_own_cold_starts_beside_the_predicted() {
    let t = Test::new();
    let log = format!(
        "{}/tests/fixtures/shapes/plain.log",
        env!("CARGO_MANIFEST_DIR")
    );
    let run = t.run(&["replay", &log, "--format", "json"]);
    let json = run.success().json();
    // The log's own variant first, then the talk's.
    assert_eq!(json["variants"][0]["variant"], "plain");
    assert_eq!(json["variants"][0]["observed_cold_starts"], 2);
    assert_eq!(json["variants"][0]["invocations"], 8);
    assert_eq!(
        variant(&json, "aot-net9")["observed_cold_starts"],
        Value::Null
    );
    assert_eq!(json["arrivals"]["count"], 8);
    // Named among --data, it is still its own; with other --data only, it is arrivals alone.
    let run = t.run(&["replay", &log, "--data", &log, "--format", "json"]);
    let json = run.success().json();
    assert_eq!(json["variants"].as_array().map(Vec::len), Some(1));
    assert_eq!(json["variants"][0]["observed_cold_starts"], 2);
    let run = t.run(&["replay", &log, "--data", "@talk", "--format", "json"]);
    assert_eq!(
        run.success().json()["variants"].as_array().map(Vec::len),
        Some(5)
    );
}

#[test]
fn estimate_and_compare_take_the_share_from_a_replay() {
    let t = Test::new();
    let mut trace = String::from("offset_ms\n");
    for burst in 0..5 {
        for k in 0..10 {
            trace.push_str(&format!("{}\n", burst * 30_000 + k * 100));
        }
    }
    t.write("bursts.csv", &trace);
    let replay = t.run(&["replay", "bursts.csv", "--format", "json"]);
    let replay = replay.success().json();
    let est = t.run(&[
        "estimate",
        "--requests",
        "1M",
        "--cold-start-rate",
        "replay:bursts.csv",
        "--format",
        "json",
    ]);
    let est = est.success().json();
    for row in est["rows"].as_array().expect("rows") {
        let name = row["variant"].as_str().expect("name");
        assert_eq!(row["cold_start_source"], "replay");
        assert_eq!(
            row["cold_start_rate"],
            variant(&replay, name)["cold_start_rate"],
            "{name}"
        );
    }
    let cmp = t.run(&[
        "compare",
        "@talk",
        "--requests",
        "1M",
        "--cold-start-rate",
        "replay:bursts.csv",
        "--format",
        "csv",
    ]);
    assert!(cmp.success().stdout.contains("replay"), "{}", cmp.stdout);
    t.run(&["estimate", "--cold-start-rate", "replay:none.csv"])
        .refused(&["--cold-start-rate replay", "none.csv"]);
}

#[test]
fn bad_traces_and_values_are_refused_in_one_line() {
    let t = Test::new();
    // A log whose lines carry no time.
    t.write(
        "untimed.log",
        "REPORT RequestId: a\tDuration: 1.00 ms\tBilled Duration: 1 ms\tMemory Size: 512 MB\tMax Memory Used: 60 MB\t\n",
    );
    t.run(&["replay", "untimed.log"]).refused(&[
        "untimed.log",
        "no arrival times",
        "`aws logs tail`",
    ]);
    // Further out of order than the window holds: the first offending line.
    t.write("disorder.csv", "offset_ms\n5\n6\n7\n8\n1\n");
    t.run(&["replay", "disorder.csv", "--reorder-window", "2"])
        .refused(&["disorder.csv:6", "the arrival at 1 ms", "--reorder-window"]);
    // Within the window, put in order.
    t.run(&["replay", "disorder.csv", "--reorder-window", "4"])
        .success();
    t.write("empty.csv", "offset_ms\n");
    t.run(&["replay", "empty.csv"])
        .refused(&["empty.csv", "the trace is empty"]);
    t.write("bad.csv", "offset_ms\n0\nsoon\n");
    t.run(&["replay", "bad.csv"])
        .refused(&["bad.csv:3", "column 'offset_ms': 'soon'"]);
    t.run(&[
        "replay",
        "poisson:5",
        "--for",
        "1h",
        "--concurrency-limit",
        "0",
    ])
    .refused(&["--concurrency-limit", "at least 1"]);
    t.run(&["replay", "poisson:-5", "--for", "1h"])
        .refused(&["poisson:-5", "more than 0"]);
    t.run(&["replay", "poisson:5"]).refused(&["--for"]);
    t.run(&["replay", "empty.csv", "--for", "1h"])
        .refused(&["--for", "poisson"]);
    t.write("one.csv", ONE);
    t.run(&["replay", "one.csv"])
        .refused(&["one.csv", "summary table"]);
    // Times no clock holds, and more Poisson arrivals than a run can draw.
    t.write("far.csv", "offset_ms\n0\n1e300\n");
    t.run(&["replay", "far.csv"])
        .refused(&["far.csv:3", "'1e300'", "a century"]);
    t.write("future.csv", "timestamp\n2e15\n");
    t.run(&["replay", "future.csv"])
        .refused(&["future.csv:2", "after the year 9999"]);
    t.run(&["replay", "poisson:5", "--for", "99999999d"])
        .refused(&["poisson:5", "at most 10,000,000,000"]);
    // A directory refuses a log without times; it skips, and counts, what is no log.
    std::fs::create_dir_all(t.path("dir")).expect("dir");
    t.write("dir/a.csv", "offset_ms\n0\n1000\n");
    t.write("dir/manifest.txt", "not a log at all\n");
    let dir = t.run(&[
        "replay",
        "dir",
        "--data",
        "@talk",
        "--variant",
        "aot-net9",
        "--format",
        "json",
    ]);
    dir.success();
    assert!(
        dir.stderr.contains("1 file(s) that hold no log skipped"),
        "{}",
        dir.stderr
    );
    std::fs::copy(t.path("untimed.log"), t.path("dir/untimed.log")).expect("copy");
    t.run(&["replay", "dir", "--data", "@talk"])
        .refused(&["untimed.log", "no arrival times"]);
    t.write("instant.csv", "offset_ms\n0\n0\n");
    t.run(&["replay", "instant.csv"])
        .refused(&["same instant", "--requests"]);
    t.run(&["replay", "instant.csv", "--requests", "1M"])
        .success();
}
