//! Billing as Lambda bills it today: old logs re-billed, the account's free tier,
//! Provisioned Concurrency as traffic arrives, SnapStart restores, and inputs that cannot be
//! priced. Every expected figure is worked out by hand in the comment above it.

use crate::util::Test;
use rust_decimal::Decimal;
use std::str::FromStr;

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn dec(v: &serde_json::Value) -> Decimal {
    Decimal::from_str(&v.to_string()).expect("a decimal")
}

fn estimate(t: &Test, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["estimate", "--format", "json"];
    all.extend_from_slice(args);
    let run = t.run(&all);
    run.success();
    run.json()
}

#[test]
fn a_2023_log_is_re_billed_under_todays_init_rule() {
    // A dotnet6 log from May 2023: its cold start reported 486 ms, INIT unbilled then.
    // Today: ceil(2371.31 + 485.23) = 2857 ms; warm ones 95 and 101, mean 98.
    let t = Test::new();
    let log = fixture("dotnet6-2023.log");
    let args = [
        "--data",
        &log,
        "--cold-start-rate",
        "50%",
        "--requests",
        "1M",
    ];
    let json = estimate(&t, &args);
    let row = &json["rows"][0];
    assert_eq!(dec(&row["warm_billed_ms"]), Decimal::from(98));
    assert_eq!(dec(&row["cold_billed_ms"]), Decimal::from(2857));
    // 1M x (0.5 x 0.098 s + 0.5 x 2.857 s) x 0.5 GB = 738,750 GB-s x 0.0000166667
    // = 12.312524625, plus $0.20 of requests.
    assert_eq!(
        dec(&row["total_usd"]),
        Decimal::from_str("12.512524625").expect("decimal")
    );
    let notes = json["notes"].to_string();
    assert!(
        notes.contains(
            "dotnet6-2023 1 of 3 invocations, 682 ms billed as logged, 3,053 ms now, +347.7%"
        ),
        "{notes}"
    );
    // Billed as in May 2023 (INIT_START names dotnet6, a managed runtime): 486 ms.
    let mut dated = args.to_vec();
    dated.extend(["--billing-date", "2023-05-01"]);
    let row = &estimate(&t, &dated)["rows"][0];
    assert_eq!(dec(&row["cold_billed_ms"]), Decimal::from(486));
    // 1M x 0.5 x (0.098 + 0.486) s x 0.5 GB = 146,000 GB-s x 0.0000166667 + $0.20.
    assert_eq!(
        dec(&row["total_usd"]),
        Decimal::from_str("2.6333382").expect("decimal")
    );
    // In June 2020 every invocation was rounded up to 100 ms: 500 cold, 100 and 200 warm.
    let mut dated = args.to_vec();
    dated.extend(["--billing-date", "2020-06-01"]);
    let row = &estimate(&t, &dated)["rows"][0];
    assert_eq!(dec(&row["cold_billed_ms"]), Decimal::from(500));
    assert_eq!(dec(&row["warm_billed_ms"]), Decimal::from(150));
}

#[test]
fn compare_shows_a_logs_billed_total_beside_its_re_billing() {
    // The May 2023 log billed 486 + 95 + 101 = 682 ms; re-billed with INIT (since 2025-08-01):
    // ceil(485.23 + 2,371.31) + 95 + 101 = 3,053 ms, 2,371 / 682 = +347.7%. More than 1%: the
    // table's notes say so, with no --explain.
    let t = Test::new();
    let log = fixture("dotnet6-2023.log");
    let run = t.run(&["compare", &log, "--billing-date", "2026-01-01"]);
    run.success();
    assert!(
        run.stdout.contains(
            "Re-billed under the rules of 2026-01-01 (--billing-date): dotnet6-2023 3,053 ms \
             against 682 ms as logged (+347.7%)."
        ),
        "{}",
        run.stdout
    );
    let csv = t.run(&[
        "compare",
        &log,
        "--billing-date",
        "2026-01-01",
        "--format",
        "csv",
    ]);
    csv.success();
    let mut rows = csv::Reader::from_reader(csv.stdout.as_bytes());
    let header = rows.headers().expect("header").clone();
    let row = rows.records().next().expect("a row").expect("a record");
    let field = |name: &str| &row[header.iter().position(|h| h == name).expect(name)];
    assert_eq!(
        (field("logged_billed_ms"), field("rebilled_ms")),
        ("682", "3053")
    );
    let json = t.run(&[
        "compare",
        &log,
        "--billing-date",
        "2026-01-01",
        "--format",
        "json",
    ]);
    json.success();
    let rebilled = &json.json()["variants"][0]["rebilled"];
    assert_eq!(
        rebilled,
        &serde_json::json!({"invocations": 3, "changed": 1, "logged_billed_ms": 682, "rebilled_ms": 3053})
    );
    // Billed by the rules of its own date, it bills as logged: no line.
    let dated = t.run(&["compare", &log, "--billing-date", "2023-05-01"]);
    dated.success();
    assert!(!dated.stdout.contains("Re-billed"), "{}", dated.stdout);
}

#[test]
fn a_2020_log_of_100_ms_rounding_is_billed_to_the_millisecond() {
    // 15.74 and 120.50 ms, logged as 100 and 200: today 16 and 121, a mean of 68.5.
    let t = Test::new();
    let json = estimate(
        &t,
        &[
            "--data",
            &fixture("node-2020.log"),
            "--cold-start-rate",
            "0",
            "--requests",
            "1M",
        ],
    );
    assert_eq!(
        dec(&json["rows"][0]["warm_billed_ms"]),
        Decimal::from_str("68.5").expect("decimal")
    );
    let notes = json["notes"].to_string();
    assert!(
        notes.contains("node-2020 2 of 2 invocations, 300 ms billed as logged, 137 ms now, -54.3%"),
        "{notes}"
    );
}

#[test]
fn managed_instances_reports_are_left_out_and_counted() {
    let t = Test::new();
    let run = t.run(&[
        "compare",
        &fixture("snapstart-python.json"),
        "--format",
        "json",
    ]);
    run.success();
    assert!(
        run.stderr
            .contains("1 Lambda Managed Instances report(s) left out"),
        "{}",
        run.stderr
    );
    let v = &run.json()["variants"][0];
    assert_eq!(v["statistics"]["cold"]["count"], 1);
    assert_eq!(v["statistics"]["warm"]["count"], 2);
}

#[test]
fn snapstart_restores_are_billed_their_billed_restore_duration() {
    let t = Test::new();
    // The log's restore: Duration 147.156 ms, Billed Restore Duration 53 ms (restoring the
    // snapshot itself, 500.8 ms, is free). Its runtime, python3.12, offers SnapStart.
    // Warm invocations bill 21 and 31 ms, a mean of 26: a restore bills 26 + 53 = 79 ms.
    let json = estimate(
        &t,
        &[
            "--data",
            &fixture("snapstart-python.json"),
            "--snapstart",
            "--cold-start-rate",
            "10%",
            "--requests",
            "1M",
        ],
    );
    assert_eq!(dec(&json["rows"][0]["cold_billed_ms"]), Decimal::from(79));
    let notes = json["notes"].to_string();
    assert!(
        notes.contains("the data's own mean Billed Restore Duration"),
        "{notes}"
    );
    // A workload with a 2,000 ms init and no restore figure: restores add nothing but
    // their per-GB charge, and the notes say so; --restore-ms gives the figure.
    let base = [
        "--duration-ms",
        "100",
        "--memory-mb",
        "1024",
        "--init-ms",
        "2000",
        "--snapstart",
        "--cold-start-rate",
        "1%",
        "--requests",
        "1M",
    ];
    let json = estimate(&t, &base);
    assert_eq!(dec(&json["rows"][0]["cold_billed_ms"]), Decimal::from(100));
    assert!(
        json["notes"]
            .to_string()
            .contains("no Billed Restore Duration in the data and none given (--restore-ms)"),
        "{}",
        json["notes"]
    );
    let mut given = base.to_vec();
    given.extend(["--restore-ms", "250"]);
    let json = estimate(&t, &given);
    assert_eq!(dec(&json["rows"][0]["cold_billed_ms"]), Decimal::from(350));
}

#[test]
fn the_free_tier_is_what_the_accounts_other_usage_leaves() {
    // An account past 10B GB-s has no free GB-s left: 1M x 1 s x 1 GB = 1,000,000 GB-s,
    // all in the second tier (6B to 15B) at $0.000015: $15.00; the free requests remain.
    let t = Test::new();
    let json = estimate(
        &t,
        &[
            "--free-tier",
            "--account-gb-seconds",
            "10B",
            "--duration-ms",
            "1000",
            "--memory-mb",
            "1024",
            "--requests",
            "1M",
            "--cold-start-rate",
            "0",
        ],
    );
    assert_eq!(dec(&json["rows"][0]["total_usd"]), Decimal::from(15));
    // 900,000 requests used elsewhere leave 100,000 free: 900,000 billed, $0.18.
    let json = estimate(
        &t,
        &[
            "--free-tier",
            "--account-requests",
            "900k",
            "--duration-ms",
            "1",
            "--memory-mb",
            "128",
            "--requests",
            "1M",
            "--cold-start-rate",
            "0",
        ],
    );
    assert_eq!(
        dec(&json["rows"][0]["requests_usd"]),
        Decimal::from_str("0.18").expect("decimal")
    );
}

#[test]
fn provisioned_concurrency_reproduces_infracosts_golden_case_in_the_worked_example_model() {
    // 50 environments for 100 hours, arm64 512 MB, 10M requests of 350 ms, every one on PC:
    // 9,000,000 GB-s x 0.0000033334 = $30.0006; 1,750,000 GB-s x 0.0000077778 = $13.61115;
    // requests $2: $45.61 (Infracost's golden output).
    let t = Test::new();
    let json = estimate(
        &t,
        &[
            "--arch",
            "arm64",
            "--duration-ms",
            "350",
            "--memory-mb",
            "512",
            "--requests",
            "10M",
            "--provisioned-concurrency",
            "50",
            "--provisioned-hours",
            "100",
            "--pc-traffic-share",
            "100%",
            "--pc-overflow",
            "none",
            "--cold-start-rate",
            "0",
        ],
    );
    let row = &json["rows"][0];
    assert_eq!(
        dec(&row["other_provisioned_concurrency_usd"]),
        Decimal::from_str("30.0006").expect("decimal")
    );
    assert_eq!(
        dec(&row["compute_provisioned_usd"]),
        Decimal::from_str("13.61115").expect("decimal")
    );
    assert_eq!(
        dec(&row["total_usd"]),
        Decimal::from_str("45.61175").expect("decimal")
    );
}

#[test]
fn provisioned_concurrency_serves_what_arrives_while_it_is_on() {
    // 1 environment for 1 hour of a 730-hour month: 10,000 / 730 = 13.70 invocations
    // arrive in that hour; at 1 s each the load is 0.0038 Erlangs and B(1, A) = A/(1+A)
    // loses 0.38% of them: 13.65 run on PC, the rest on demand.
    let t = Test::new();
    let json = estimate(
        &t,
        &[
            "--duration-ms",
            "1000",
            "--memory-mb",
            "1024",
            "--requests",
            "10k",
            "--provisioned-concurrency",
            "1",
            "--provisioned-hours",
            "1",
            "--cold-start-rate",
            "0",
        ],
    );
    let row = &json["rows"][0];
    let served = dec(&row["provisioned_invocations"]);
    assert!(
        (served - Decimal::new(13_646_702, 6)).abs() < Decimal::new(1, 6),
        "{served}"
    );
    // The bill by hand: the environment's hour, 1 GB x 3,600 s x $0.0000041667 = $0.01500012;
    // 13.646702 s on it x $0.0000097222; the other 9,986.353298 s on demand x $0.0000166667;
    // 10k requests $0.002: $0.18357235.
    let total = dec(&row["total_usd"]);
    assert!(
        (total - Decimal::new(18_357_235, 8)).abs() < Decimal::new(1, 8),
        "{total}"
    );
    let notes = json["notes"].to_string();
    assert!(notes.contains("billed in 5-minute steps"), "{notes}");
    assert!(
        notes.contains("0.137% of the invocations arrive while it is on"),
        "{notes}"
    );
}

#[test]
fn estimates_beyond_the_default_concurrency_limit_say_so() {
    // 3B a month of 1 s: 3e9 s / 2,628,000 s = 1,142 in flight on average.
    let t = Test::new();
    let run = t.run(&[
        "estimate",
        "--duration-ms",
        "1000",
        "--memory-mb",
        "128",
        "--requests",
        "3B",
        "--cold-start-rate",
        "0",
    ]);
    run.success();
    assert!(
        run.stderr
            .contains("1,142 invocations in flight on average"),
        "{}",
        run.stderr
    );
}

#[test]
fn figures_beyond_any_bill_exit_2_with_one_line() {
    let t = Test::new();
    t.run(&[
        "estimate",
        "--account-gb-seconds",
        "79228162514264337593543950335",
    ])
    .refused(&["--account-gb-seconds", "too large", "1e18"]);
    t.run(&["estimate", "--provisioned-concurrency", "2000000"])
        .refused(&["--provisioned-concurrency", "at most 1000000"]);
    let log = t.write(
        "small.log",
        "REPORT RequestId: r1\tDuration: 1.00 ms\tBilled Duration: 1 ms\tMemory Size: 64 MB\tMax Memory Used: 30 MB\t\n",
    );
    t.run(&["compare", &log.display().to_string()]).refused(&[
        "small.log:1:",
        "Memory Size 64 MB",
        "128..=10240",
    ]);
    // Durations past Lambda's 15-minute limit, in every kind of input: refused with file and
    // line, never a panic or a wrapped-around bill.
    let huge = t.write(
        "huge.log",
        "REPORT RequestId: r1\tDuration: 1e308 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 30 MB\t\n",
    );
    t.run(&["compare", &huge.display().to_string()]).refused(&[
        "huge.log:1:",
        "Duration 1e308 ms",
        "15-minute",
    ]);
    let init = t.write(
        "init.log",
        "REPORT RequestId: r1\tDuration: 1.00 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 30 MB\tInit Duration: 1e300 ms\t\n",
    );
    t.run(&["estimate", "--data", &init.display().to_string()])
        .refused(&["init.log:1:", "Init Duration"]);
    let json = t.write(
        "huge.json",
        "{\"time\":\"2025-01-01T00:00:00Z\",\"type\":\"platform.report\",\"record\":{\"requestId\":\"r\",\"metrics\":{\"durationMs\":1e300,\"billedDurationMs\":1,\"memorySizeMB\":128,\"maxMemoryUsedMB\":30}}}\n",
    );
    t.run(&[
        "recommend",
        "--data",
        &json.display().to_string(),
        "--mode",
        "aot",
    ])
    .refused(&["huge.json:1:", "15-minute"]);
    let samples = t.write(
        "huge.csv",
        "variant,mode,architecture,memory_size_mb,phase,duration_ms,init_duration_ms,billed_duration_ms,max_memory_used_mb,status\nv,aot,x86_64,128,warm,1e300,,,30,success\n",
    );
    t.run(&[
        "export",
        "--infracost-usage",
        "--data",
        &samples.display().to_string(),
    ])
    .refused(&["huge.csv:2:", "15-minute"]);
}

#[test]
fn messages_name_the_file_and_the_directory_once() {
    let t = Test::new();
    let run = t.run(&["estimate", "--pricing", "nope.yaml"]);
    run.refused(&["nope.yaml: cannot read the pricing file"]);
    assert_eq!(
        run.stderr.matches("No such file").count(),
        1,
        "{}",
        run.stderr
    );
    t.run(&["estimate", "--output", "missing/cost.csv"])
        .refused(&["missing/cost.csv: the directory missing does not exist"]);
    assert!(!t.path("missing").exists());
}

#[test]
fn csv_columns_say_which_add_up_to_the_total_and_which_break_a_part_down() {
    let t = Test::new();
    let run = t.run(&[
        "estimate",
        "--duration-ms",
        "100",
        "--memory-mb",
        "1024",
        "--requests",
        "263M",
        "--provisioned-concurrency",
        "10",
        "--ephemeral-storage-mb",
        "2048",
        "--format",
        "csv",
    ]);
    run.success();
    let mut reader = csv::Reader::from_reader(run.stdout.as_bytes());
    let header = reader.headers().expect("header").clone();
    let row = reader.records().next().expect("a row").expect("valid");
    let get = |name: &str| {
        let i = header.iter().position(|h| h == name).expect(name);
        Decimal::from_str(&row[i]).expect("a decimal")
    };
    let parts = get("compute_usd") + get("requests_usd") + get("other_usd");
    assert!((parts - get("total_usd")).abs() < Decimal::new(1, 9));
    let compute = get("compute_on_demand_usd") + get("compute_provisioned_usd");
    assert!((compute - get("compute_usd")).abs() < Decimal::new(1, 9));
    let other = get("other_ephemeral_storage_usd")
        + get("other_provisioned_concurrency_usd")
        + get("other_snapstart_cache_usd")
        + get("other_snapstart_restore_usd");
    assert!((other - get("other_usd")).abs() < Decimal::new(1, 9));
    // 263M over 2,628,000 s = 100.08 a second x 0.1 s = 10.0076 Erlangs on 10 environments:
    // B(10, 10.0076) = 0.2149327 spill over, 56,527,304.5 invocations run on demand, at
    // 0.1 GB-s each x $0.0000166667 = $94.212363.
    let spill = get("provisioned_spillover");
    assert!(
        (spill - Decimal::new(565_273_045, 1)).abs() < Decimal::ONE,
        "{spill}"
    );
    let on_demand = get("compute_on_demand_usd");
    assert!(
        (on_demand - Decimal::new(94_212_363, 6)).abs() < Decimal::new(1, 5),
        "{on_demand}"
    );
}

#[test]
fn what_changes_the_answer_quietly_is_said() {
    let t = Test::new();
    // A region whose tiers above the first are derived: said when the bill reaches them.
    let run = t.run(&[
        "estimate",
        "--region",
        "eu-west-1",
        "--duration-ms",
        "1000",
        "--memory-mb",
        "10240",
        "--requests",
        "1B",
        "--format",
        "csv",
    ]);
    run.success();
    assert!(
        run.stderr
            .contains("eu-west-1 x86_64: duration_tiers rates assumed (no public source"),
        "{}",
        run.stderr
    );
    let small = t.run(&["estimate", "--region", "eu-west-1", "--format", "csv"]);
    assert!(!small.stderr.contains("duration_tiers"), "{}", small.stderr);
    // Before the INIT rule a summary row's cold invocation is billed as a warm one.
    let run = t.run(&[
        "estimate",
        "--billing-date",
        "2025-07-01",
        "--format",
        "csv",
    ]);
    assert!(
        run.stderr.contains(
            "regular-net8: its INIT is not billed under the rule before 2025-08-01 (dotnet8)"
        ),
        "{}",
        run.stderr
    );
    // The account's requests count only against the free tier.
    let run = t.run(&["estimate", "--account-requests", "5M", "--format", "csv"]);
    assert!(run.stderr.contains("--account-requests"), "{}", run.stderr);
    // Every invocation is cold when nothing stays warm.
    for flag in [["--idle-reclaim", "0s"], ["--env-lifetime", "0s"]] {
        let json = estimate(&t, &[flag[0], flag[1], "--requests", "10M"]);
        assert_eq!(json["rows"][0]["cold_start_rate"], 1, "{flag:?}");
    }
    t.run(&["estimate", "--month-hours", "0.5"])
        .refused(&["'0.5'", "between 1 and 744"]);
    // Values too large say so, not "not a number".
    t.run(&["recommend", "--dotnet-version", "99999999999"])
        .refused(&["not a .NET major version"]);
    t.run(&["estimate", "--snapstart", "--restore-ms", "1e30"])
        .refused(&["'1e30' is too long"]);
    t.run(&[
        "estimate",
        "--snapstart",
        "--snapstart-versions",
        "4294967295",
    ])
    .refused(&["1 to 1000"]);
}

#[test]
fn an_answer_never_ships_on_a_deprecated_runtime() {
    let t = Test::new();
    let args = |date: &'static str| {
        vec![
            "recommend",
            "--scenario",
            "scheduled-task",
            "--uses",
            "plugins",
            "--billing-date",
            date,
        ]
    };
    // After dotnet8's deprecation: ReadyToRun on dotnet10, with the figures named as .NET 8's.
    let after = t.run(&args("2026-12-01"));
    after.success();
    let first = |r: &crate::util::Run| {
        r.stdout
            .lines()
            .find(|l| l.starts_with("lambcost recommend:"))
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(
        first(&after),
        "lambcost recommend: ship readytorun on dotnet10 (512 MB), $36.78 a month at 1M with r2r-net8's figures, measured on .NET 8",
        "{}",
        after.stdout
    );
    for line in [
        "ReadyToRun (precompiled, JIT fallback) on dotnet10: the CLR on a managed runtime; code precompiled, JIT for generics and edge cases.",
        "The figures are r2r-net8's, measured on dotnet8 (.NET 8), which AWS deprecated on 2026-11-10 (no more security patches): deploy on dotnet10, and measure it there to confirm them.",
    ] {
        assert!(after.stdout.contains(line), "{line}\n{}", after.stdout);
    }
    let mut json_args = args("2026-12-01");
    json_args.extend(["--format", "json"]);
    let json = t.run(&json_args).json();
    assert_eq!(json["recommended"]["runtime"], "dotnet10");
    assert_eq!(json["recommended"]["measured_on"]["runtime"], "dotnet8");
    assert_eq!(
        json["recommended"]["measured_on"]["deprecated"],
        "2026-11-10"
    );
    // Before it, the variant as measured, and no word of deprecation.
    let before = t.run(&args("2026-06-01"));
    assert_eq!(
        first(&before),
        "lambcost recommend: ship r2r-net8 (readytorun, 512 MB), $36.78 a month at 1M"
    );
    assert!(!before.stdout.contains("deprecated"), "{}", before.stdout);
    // A team that asks for .NET 8 gets it, told that no supported runtime offers it.
    let mut pinned = args("2026-12-01");
    pinned.extend(["--dotnet-version", "8"]);
    let pinned = t.run(&pinned);
    assert_eq!(
        first(&pinned),
        "lambcost recommend: ship r2r-net8 (readytorun, 512 MB), $36.78 a month at 1M"
    );
    assert!(
        pinned.stdout.contains("r2r-net8 runs on dotnet8, which AWS deprecated on 2026-11-10 (no more security patches), and its mode has no supported runtime for .NET 8."),
        "{}",
        pinned.stdout
    );
}

#[test]
fn a_remedy_is_priced_on_the_runtime_it_would_be_deployed_on() {
    let t = Test::new();
    let run = t.run(&[
        "recommend",
        "--uses",
        "plugins",
        "--cold-start-slo",
        "1s",
        "--billing-date",
        "2026-12-07",
    ]);
    run.answered_no();
    for line in [
        "  - Provisioned Concurrency for regular-net8 on dotnet10, its figures measured on dotnet8 (.NET 8), which AWS deprecated on 2026-11-10: 1 environment",
        "  - SnapStart on dotnet10 for regular-net8, its figures measured on dotnet8 (.NET 8), which AWS deprecated on 2026-11-10: cache $1.98",
    ] {
        assert!(run.stdout.contains(line), "{line}\n{}", run.stdout);
    }
}

#[test]
fn rows_measured_on_a_deprecated_runtime_rank_after_the_same_build_on_a_supported_one() {
    let t = Test::new();
    let args = |date: &'static str| {
        vec![
            "recommend",
            "--data",
            "@talk-repo",
            "--requests",
            "10M",
            "--billing-date",
            date,
        ]
    };
    let after = t.run(&args("2026-12-07"));
    after.success();
    // On dotnet8, AOT .NET 9 costs $2.59 (14 ms warm); dotnet8 is deprecated, so the cheapest
    // build on a supported runtime answers: AOT .NET 10 on provided.al2023, 17 ms, $2.71.
    for line in [
        "lambcost recommend: ship aot-net10 (aot, 256 MB), $2.71 a month at 10M\n",
        "NativeAOT on provided.al2023: a native executable (bootstrap); no CLR, no JIT.\n",
        "Runner-up: aot-net9 (aot) at $2.80 a month, $0.08 more.\n",
        "  - runtime: AWS deprecated dotnet8 on 2026-11-10 (no more security patches): a variant measured on it ranks after the same mode and .NET version measured on provided.al2023 (aot-net9-dotnet8 after aot-net9, aot-net10-dotnet8 after aot-net10, aot-net8-dotnet8 after aot-net8); on dotnet8 the answer would be aot-net9-dotnet8 at $2.59 a month\n",
    ] {
        assert!(after.stdout.contains(line), "{line}\n{}", after.stdout);
    }
    // Before the deprecation, the row as measured, on the runtime it ran on.
    let before = t.run(&args("2026-06-01"));
    for line in [
        "lambcost recommend: ship aot-net9-dotnet8 (aot, 256 MB), $2.59 a month at 10M\n",
        "NativeAOT on dotnet8: a native executable (bootstrap); no CLR, no JIT.\n",
    ] {
        assert!(before.stdout.contains(line), "{line}\n{}", before.stdout);
    }
    assert!(
        !before.stdout.contains("provided.al2023"),
        "{}",
        before.stdout
    );
}
