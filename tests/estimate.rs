//! `lambcost estimate`: the deck's figures, every output format, and every kind of bad input.

use crate::util::Test;
use rust_decimal::Decimal;
use std::str::FromStr;

fn dec(text: &str) -> Decimal {
    Decimal::from_str(text).expect("decimal")
}

/// (variant, total_usd) of each row of a JSON estimate.
fn totals(json: &serde_json::Value) -> Vec<(String, Decimal)> {
    json["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            (
                r["variant"].as_str().expect("variant").to_string(),
                dec(&r["total_usd"].to_string()),
            )
        })
        .collect()
}

fn cents(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
}

#[test]
fn warm_only_costs_at_10m_are_awss_arithmetic_to_the_decimal() {
    // Warm only, as AWS bills: 10M x warm ms / 1000 x MB / 1024 GB-s x $0.0000166667, plus
    // 10 x $0.20 of requests. Regular: 455,000 GB-s = $7.5833485, total $9.5833485.
    let t = Test::new();
    let run = t.run(&[
        "estimate",
        "--requests",
        "10M",
        "--cold-start-rate",
        "0",
        "--format",
        "json",
    ]);
    run.success();
    let got = totals(&run.json());
    let expected = [
        ("regular-net8", "9.5833485"), // 91 ms x 512 MB: 455,000 GB-s
        ("r2r-net8", "10.2500165"),    // 99 ms x 512 MB: 495,000 GB-s
        ("aot-net8", "2.79166825"),    // 19 ms x 256 MB: 47,500 GB-s
        ("aot-net9", "2.5833345"),     // 14 ms x 256 MB: 35,000 GB-s
        ("aot-net10", "2.70833475"),   // 17 ms x 256 MB: 42,500 GB-s
    ];
    assert_eq!(got.len(), expected.len());
    for (name, usd) in expected {
        let total = got.iter().find(|(n, _)| n == name).expect(name).1;
        assert_eq!(total, dec(usd), "{name}");
    }
}

#[test]
fn the_slides_cost_table_is_warm_only_arithmetic_with_gb_as_mb_over_1000() {
    // The slides' $9.80, $10.40, $2.60 and $2.70 come from the embedded rows by the slides'
    // own arithmetic: warm ms / 1000 x MB / 1000 GB x 1M x $0.0000166667 + $0.20, rounded to
    // cents per million, times ten. Regular: 46,592 GB-s = $0.7765 + $0.20 = $0.98, $9.80.
    let rows = lambcost_readers::samples::summary::read(
        lambcost_core::variant::DEFAULT_RESULTS_CSV.as_bytes(),
        "results.csv",
        lambcost_core::pricing::MemoryRange {
            min: 128,
            max: 10240,
        },
    )
    .expect("the embedded rows");
    for (name, slides) in [
        ("regular-net8", "9.80"),
        ("r2r-net8", "10.40"),
        ("aot-net9", "2.60"),
        ("aot-net10", "2.70"),
    ] {
        let v = rows.iter().find(|v| v.name == name).expect(name);
        let gb_seconds =
            v.warm_ms / dec("1000") * Decimal::from(v.memory_mb) / dec("1000") * dec("1000000");
        let per_million = cents(gb_seconds * dec("0.0000166667") + dec("0.20"));
        assert_eq!(per_million * Decimal::from(10), dec(slides), "{name}");
    }
}

#[test]
fn the_default_run_prices_the_five_deck_variants_and_states_its_assumptions() {
    let t = Test::new();
    let run = t.run(&["estimate", "--requests", "10M"]);
    run.success();
    for name in [
        "regular-net8",
        "r2r-net8",
        "aot-net8",
        "aot-net9",
        "aot-net10",
    ] {
        assert!(run.stdout.contains(name), "{name} missing:\n{}", run.stdout);
    }
    assert!(run.stdout.contains("traffic model"), "{}", run.stdout);
    assert!(
        run.stdout.contains("free tier not applied"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("Total $/month"));
}

#[test]
fn json_rows_carry_the_documented_keys_and_assumptions() {
    let t = Test::new();
    let run = t.run(&["estimate", "--requests", "1M,10M", "--format", "json"]);
    run.success();
    let json = run.json();
    let rows = json["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 10, "five variants at two levels");
    for key in [
        "variant",
        "requests",
        "gb_seconds",
        "compute_usd",
        "requests_usd",
        "total_usd",
        "cold_start_rate",
    ] {
        assert!(rows.iter().all(|r| !r[key].is_null()), "{key}");
    }
    assert_eq!(rows[0]["requests"], 1_000_000);
    assert_eq!(rows[5]["requests"], 10_000_000);
    assert_eq!(json["assumptions"]["region"], "us-east-1");
    assert_eq!(json["assumptions"]["free_tier"], false);
    assert_eq!(rows[0]["cold_start_source"], "traffic model");
}

#[test]
fn csv_has_one_header_plain_numbers_and_assumption_columns() {
    let t = Test::new();
    let run = t.run(&[
        "estimate",
        "--requests",
        "250k,1.5B",
        "--cold-start-rate",
        "0.04%",
        "--format",
        "csv",
    ]);
    run.success();
    let mut reader = csv::Reader::from_reader(run.stdout.as_bytes());
    let header = reader.headers().expect("header").clone();
    for column in [
        "variant",
        "requests",
        "total_usd",
        "cold_start_rate",
        "region",
        "month_hours",
        "free_tier",
    ] {
        assert!(
            header.iter().any(|h| h == column),
            "{column} missing from {header:?}"
        );
    }
    let total = header
        .iter()
        .position(|h| h == "total_usd")
        .expect("total_usd");
    let parts: Vec<usize> = ["compute_usd", "requests_usd", "other_usd"]
        .iter()
        .map(|c| header.iter().position(|h| h == *c).expect("column"))
        .collect();
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 10);
    for row in &rows {
        assert!(!row.iter().any(|v| v.contains('$')), "{row:?}");
        let sum: Decimal = parts.iter().map(|&i| dec(&row[i])).sum();
        // The parts add up to the total to the last printed digit.
        assert!(
            (sum - dec(&row[total])).abs() <= dec("0.0000000003"),
            "{row:?}"
        );
        assert!(
            row[total].split('.').nth(1).is_some_and(|f| f.len() >= 6),
            "{}",
            &row[total]
        );
        assert_eq!(
            &row[header
                .iter()
                .position(|h| h == "cold_start_rate")
                .expect("rate")],
            "0.0004"
        );
    }
}

#[test]
fn markdown_has_a_summary_line_and_a_table() {
    let t = Test::new();
    let run = t.run(&["estimate", "--requests", "10M", "--format", "markdown"]);
    run.success();
    assert!(
        run.stdout.starts_with("**lambcost estimate"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("| Variant"), "{}", run.stdout);
    assert!(run.stdout.contains("|---"), "{}", run.stdout);
}

#[test]
fn a_single_workload_is_priced_from_the_command_line() {
    let t = Test::new();
    // 1M x 1000 ms at 1024 MB on arm64 = 1,000,000 GB-s x 0.0000133334 + 1M requests x 0.20/M.
    let run = t.run(&[
        "estimate",
        "--duration-ms",
        "1000",
        "--memory-mb",
        "1024",
        "--arch",
        "arm64",
        "--requests",
        "1M",
        "--cold-start-rate",
        "0",
        "--format",
        "json",
    ]);
    run.success();
    let json = run.json();
    assert_eq!(
        dec(&json["rows"][0]["total_usd"].to_string()),
        dec("13.5334")
    );
    assert_eq!(json["rows"][0]["arch"], "arm64");
}

#[test]
fn the_free_tier_and_storage_and_snapstart_change_the_bill() {
    let t = Test::new();
    let base = [
        "estimate",
        "--duration-ms",
        "500",
        "--memory-mb",
        "512",
        "--requests",
        "3M",
        "--cold-start-rate",
        "0",
        "--format",
        "json",
    ];
    let mut args = base.to_vec();
    args.push("--free-tier");
    let run = t.run(&args);
    run.success();
    assert_eq!(
        dec(&run.json()["rows"][0]["total_usd"].to_string()),
        dec("6.233345")
    );

    // Storage above 512 MB: 9,728 MB = 9.5 GB over 1,500,000 billed seconds,
    // 14,250,000 GB-s x $0.0000000309 = $0.440325.
    let mut args = base.to_vec();
    args.extend(["--ephemeral-storage-mb", "10240"]);
    let run = t.run(&args);
    run.success();
    let row = &run.json()["rows"][0];
    assert_eq!(
        dec(&row["other_ephemeral_storage_usd"].to_string()),
        dec("0.440325")
    );
    assert_eq!(dec(&row["other_usd"].to_string()), dec("0.440325"));

    let mut args = base.to_vec();
    args.extend(["--snapstart", "--restore-rate", "1%", "--init-ms", "400"]);
    let run = t.run(&args);
    run.success();
    let row = &run.json()["rows"][0];
    // 3M x 1% restores x 0.5 GB x 0.0001397998 = 2.096997; cache 0.5 GB x 730 h x 3600 x 0.0000015046.
    assert_eq!(
        dec(&row["other_snapstart_restore_usd"].to_string()),
        dec("2.096997")
    );
    assert_eq!(
        dec(&row["other_snapstart_cache_usd"].to_string()),
        dec("1.9770444")
    );
}

#[test]
fn provisioned_concurrency_with_free_tier_warns_and_withholds_it() {
    let t = Test::new();
    let run = t.run(&[
        "estimate",
        "--duration-ms",
        "100",
        "--memory-mb",
        "1024",
        "--requests",
        "1M",
        "--provisioned-concurrency",
        "10",
        "--free-tier",
        "--cold-start-rate",
        "0",
        "--format",
        "json",
    ]);
    run.success();
    assert!(
        run.stderr.contains("warning: --free-tier"),
        "{}",
        run.stderr
    );
    assert_eq!(
        dec(&run.json()["rows"][0]["total_usd"].to_string()),
        dec("110.673096")
    );
}

#[test]
fn snapstart_is_left_out_where_the_runtime_lacks_it() {
    // The AOT rows run on provided.al2023, which has no SnapStart: no charge, and a warning.
    // regular-net8 on dotnet8 carries a month of one version's cache: 0.5 GB x 730 h x
    // 3,600 s x $0.0000015046 = $1.9770444.
    let t = Test::new();
    let run = t.run(&[
        "estimate",
        "--requests",
        "10M",
        "--snapstart",
        "--format",
        "json",
    ]);
    run.success();
    assert!(
        run.stderr
            .contains("SnapStart is not available on the runtime of aot-net8, aot-net9, aot-net10"),
        "{}",
        run.stderr
    );
    for row in run.json()["rows"].as_array().expect("rows") {
        let cache = dec(&row["other_snapstart_cache_usd"].to_string());
        let restore = dec(&row["other_snapstart_restore_usd"].to_string());
        match row["variant"].as_str().expect("variant") {
            "regular-net8" => assert_eq!(cache, dec("1.9770444")),
            "r2r-net8" => assert_eq!(cache, dec("1.9770444")),
            aot => {
                assert_eq!((cache, restore), (Decimal::ZERO, Decimal::ZERO), "{aot}");
            }
        }
    }
}

#[test]
fn variants_can_be_chosen_and_a_data_file_given() {
    let t = Test::new();
    let data = t.write(
        "mine.csv",
        "variant,mode,dotnet,runtime,architecture,memory_size_mb,cold_start_ms,warm_ms,max_memory_used_mb_min,max_memory_used_mb_max\nfast,aot,10,provided.al2023,arm64,128,300,5,30,31\n",
    );
    let run = t.run(&[
        "estimate",
        "--data",
        data.to_str().expect("path"),
        "--requests",
        "1M",
        "--cold-start-rate",
        "0",
        "--format",
        "json",
    ]);
    run.success();
    let rows = run.json()["rows"].as_array().expect("rows").clone();
    assert_eq!(rows.len(), 1);
    // 1M x 5 ms x 0.125 GB x 0.0000133334 + 0.20
    assert_eq!(dec(&rows[0]["total_usd"].to_string()), dec("0.208333375"));
    let run = t.run(&[
        "estimate",
        "--variant",
        "aot-net9,aot-net10",
        "--format",
        "json",
        "--requests",
        "1M",
    ]);
    run.success();
    assert_eq!(run.json()["rows"].as_array().expect("rows").len(), 2);
}

#[test]
fn output_goes_to_a_file_in_the_format_its_extension_names() {
    let t = Test::new();
    t.run(&["estimate", "--requests", "10M", "--output", "cost.csv"])
        .success();
    let text = std::fs::read_to_string(t.path("cost.csv")).expect("written");
    assert!(
        text.starts_with("variant,mode,arch,memory_mb,requests"),
        "{text}"
    );
    t.run(&["estimate", "--requests", "10M", "--output", "cost.json"])
        .success();
    let text = std::fs::read_to_string(t.path("cost.json")).expect("written");
    assert!(serde_json::from_str::<serde_json::Value>(&text).is_ok());
}

#[test]
fn bad_output_paths_are_refused_and_leave_nothing_behind() {
    let t = Test::new();
    t.run(&["estimate", "--output", "cost.xyz"])
        .refused(&["cost.xyz", "--format"]);
    assert!(!t.path("cost.xyz").exists());
    std::fs::create_dir(t.path("adir")).expect("mkdir");
    t.run(&["estimate", "--output", "adir", "--format", "csv"])
        .refused(&["adir", "directory"]);
    t.run(&["estimate", "--output", "missing/dir/cost.csv"])
        .refused(&["missing/dir/cost.csv"]);
    let leftovers: Vec<_> = std::fs::read_dir(t.dir()).expect("list").collect();
    assert_eq!(
        leftovers.len(),
        1,
        "only the directory made by the test: {leftovers:?}"
    );
}

#[test]
fn bad_traffic_levels_and_rates_are_refused() {
    let t = Test::new();
    t.run(&["estimate", "--requests", "10X"])
        .refused(&["'10X'", "--requests"]);
    t.run(&["estimate", "--requests", "1e40"])
        .refused(&["'1e40'", "too large"]);
    t.run(&["estimate", "--cold-start-rate", "150%"])
        .refused(&["'150%'", "above 100%"]);
    t.run(&["estimate", "--cold-start-rate", "-1%"])
        .refused(&["'-1%'", "negative"]);
}

#[test]
fn bad_workload_values_are_refused() {
    let t = Test::new();
    t.run(&["estimate", "--duration-ms", "-5", "--memory-mb", "512"])
        .refused(&["'-5'", "negative"]);
    t.run(&["estimate", "--duration-ms", "NaN", "--memory-mb", "512"])
        .refused(&["'NaN'", "not a duration"]);
    t.run(&["estimate", "--duration-ms", "100", "--memory-mb", "64"])
        .refused(&["--memory-mb", "64", "128..=10240"]);
    t.run(&["estimate", "--duration-ms", "100", "--memory-mb", "20000"])
        .refused(&["20000", "128..=10240"]);
    t.run(&["estimate", "--duration-ms", "100", "--memory-mb", "lots"])
        .refused(&["'lots'"]);
    t.run(&["estimate", "--arch", "sparc"])
        .refused(&["'sparc'", "x86_64 or arm64"]);
    t.run(&["estimate", "--ephemeral-storage-mb", "100"])
        .refused(&["--ephemeral-storage-mb", "512..=10240"]);
    t.run(&["estimate", "--variant", "nope"])
        .refused(&["'nope'", "regular-net8"]);
    t.run(&["estimate", "--snapstart", "--provisioned-concurrency", "2"])
        .refused(&["--snapstart", "Provisioned Concurrency"]);
    t.run(&[
        "estimate",
        "--provisioned-concurrency",
        "2",
        "--provisioned-hours",
        "800",
    ])
    .refused(&["--provisioned-hours", "800"]);
    t.run(&["estimate", "--month-hours", "1000"])
        .refused(&["'1000'", "744"]);
    t.run(&["estimate", "--requets", "10M"])
        .refused(&["--requets", "--requests"]);
}

#[test]
fn an_unknown_region_lists_the_known_ones() {
    let t = Test::new();
    t.run(&["estimate", "--region", "mars-1"]).refused(&[
        "'mars-1'",
        "us-east-1",
        "eu-west-1",
        "af-south-1",
    ]);
}

#[test]
fn a_missing_or_broken_pricing_file_is_refused_with_its_position() {
    let t = Test::new();
    t.run(&["estimate", "--pricing", "nope.yaml"])
        .refused(&["nope.yaml", "cannot read"]);
    let broken = t.write("bad.yaml", "schema: 1\ncurrency: [USD\n");
    t.run(&["estimate", "--pricing", broken.to_str().expect("path")])
        .refused(&["bad.yaml:"]);
    let default = include_str!("../pricing/aws-lambda.yaml");
    let unknown = t.write(
        "unknown.yaml",
        &default.replacen(
            "billing_granularity_ms: 1",
            "billing_granularity_ms: 1\ncolour: blue",
            1,
        ),
    );
    let line = default
        .lines()
        .position(|l| l.starts_with("billing_granularity_ms"))
        .expect("line")
        + 2;
    t.run(&["estimate", "--pricing", unknown.to_str().expect("path")])
        .refused(&[&format!("unknown.yaml:{line}:1: unknown field `colour`")]);
    let descending = t.write(
        "tiers.yaml",
        &default.replacen(
            "from_gb_seconds: 15000000000",
            "from_gb_seconds: 600000000",
            1,
        ),
    );
    t.run(&["estimate", "--pricing", descending.to_str().expect("path")])
        .refused(&[
            "tiers.yaml:",
            "tiers must ascend: 6000000000 then 600000000",
        ]);
}

#[test]
fn a_bad_data_file_names_its_line_and_column() {
    let t = Test::new();
    let data = t.write(
        "bad.csv",
        "variant,mode,dotnet,runtime,architecture,memory_size_mb,cold_start_ms,warm_ms,max_memory_used_mb_min,max_memory_used_mb_max\nx,aot,9,provided.al2023,x86_64,256,1006,abc,43,46\n",
    );
    t.run(&["estimate", "--data", data.to_str().expect("path")])
        .refused(&["bad.csv:2: column 'warm_ms': 'abc' is not a number"]);
}
