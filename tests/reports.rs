//! Reports people use: SVG charts, CSV read back into sums, the living workbook recalculated in
//! LibreOffice, the Infracost usage file, completions and the manual, and the conventions of
//! output files, colours, pipes and help.

use crate::util::Test;
use rust_decimal::Decimal;
use std::str::FromStr;

fn dec(text: &str) -> Decimal {
    Decimal::from_str(text.trim()).unwrap_or_else(|_| panic!("'{text}' is not a decimal"))
}

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// Parses an SVG and returns its text content.
fn svg_text(path: &std::path::Path) -> String {
    let svg = std::fs::read_to_string(path).expect("svg written");
    let doc = roxmltree::Document::parse(&svg).expect("well-formed SVG");
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    let width = doc.root_element().attribute("width").expect("width");
    assert_eq!(width, "800");
    doc.descendants()
        .filter_map(|n| n.text())
        .map(str::trim)
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn estimate_draws_cost_against_traffic_with_crossovers_and_levels() {
    let t = Test::new();
    t.run(&["estimate", "--requests", "1M,100M", "--plot", "cost.svg"])
        .success();
    let text = svg_text(&t.path("cost.svg"));
    for needle in [
        "Monthly cost against traffic",
        "Invocations a month (log scale)",
        "Monthly cost, USD (log scale)",
        "regular-net8",
        "aot-net10",
        "1M asked",
        "100M asked",
        "regular-net8 = r2r-net8 at",
    ] {
        assert!(text.contains(needle), "{needle}:\n{text}");
    }
}

#[test]
fn a_variant_on_two_architectures_is_told_apart_and_its_crossover_labels_do_not_overlap() {
    let t = Test::new();
    t.run(&[
        "compare", "@talk", "--arch", "arm64", "--arch", "x86_64", "--plot", "c.svg", "--format",
        "csv",
    ])
    .success();
    let svg = std::fs::read_to_string(t.path("c.svg")).expect("svg written");
    let doc = roxmltree::Document::parse(&svg).expect("well-formed SVG");
    let texts: Vec<(f64, f64, String)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| {
            let at = |a: &str| n.attribute(a)?.parse::<f64>().ok();
            Some((at("x")?, at("y")?, n.text()?.trim().to_string()))
        })
        .collect();
    let legend: Vec<&str> = texts.iter().map(|t| t.2.as_str()).collect();
    for name in ["regular-net8", "regular-net8 (arm64)", "aot-net9 (arm64)"] {
        assert!(legend.contains(&name), "{name}: {legend:?}");
    }
    // Both architectures' Regular and ReadyToRun lines cross at the same traffic.
    let labels: Vec<&(f64, f64, String)> = texts.iter().filter(|t| t.2.contains(" = ")).collect();
    assert!(
        labels
            .iter()
            .any(|l| l.2 == "regular-net8 = r2r-net8 at 487k")
            && labels
                .iter()
                .any(|l| l.2 == "regular-net8 (arm64) = r2r-net8 (arm64) at 487k"),
        "{labels:?}"
    );
    // No two labels share a line's height where their widths (7 px a character) meet.
    for (i, a) in labels.iter().enumerate() {
        for b in &labels[..i] {
            let (wa, wb) = (a.2.len() as f64 * 7.0, b.2.len() as f64 * 7.0);
            let apart = (a.1 - b.1).abs() >= 15.0 || a.0 >= b.0 + wb || b.0 >= a.0 + wa;
            assert!(apart, "{a:?} overlaps {b:?}");
        }
    }
}

#[test]
fn compare_with_samples_adds_the_latency_distributions() {
    let t = Test::new();
    t.run(&[
        "compare",
        &fixture("aot-net9.log"),
        &fixture("aot-net9.samples.csv"),
        "--variant",
        "from-log",
        "--plot",
        "c.svg",
        "--format",
        "csv",
    ])
    .success();
    let text = svg_text(&t.path("c.svg"));
    for needle in [
        "Latency distribution (cumulative)",
        "cold invocations",
        "warm invocations",
        "Share of invocations",
        "Duration, ms (log scale)",
        "p99 20.0",
        "from-log",
        "aot-net9",
    ] {
        assert!(text.contains(needle), "{needle}:\n{text}");
    }
    // An SVG as the output, by its extension.
    t.run(&["compare", &fixture("aot-net9.log"), "--output", "only.svg"])
        .success();
    assert!(svg_text(&t.path("only.svg")).contains("Monthly cost against traffic"));
}

#[test]
fn measure_with_several_memory_sizes_draws_the_power_tuning() {
    let t = Test::new();
    let event = t.write("cpu.json", r#"{"work":"cpu","ms":5}"#);
    t.run(&[
        "measure",
        "--cold",
        "1",
        "--warm",
        "1",
        "--memory-mb",
        "512,1769",
        "--event",
        event.to_str().expect("path"),
        "--plot",
        "power.svg",
        "--format",
        "csv",
    ])
    .success();
    let text = svg_text(&t.path("power.svg"));
    for needle in [
        "duration and cost against memory",
        "Memory, MB (log scale)",
        "Mean warm duration, ms",
        "$ per 1M invocations at 1M a month",
        "cheapest",
        "fastest",
        "balanced",
    ] {
        assert!(text.contains(needle), "{needle}:\n{text}");
    }
}

#[test]
fn csv_columns_sum_to_the_totals_lambcost_prints() {
    let t = Test::new();
    let args = [
        "estimate",
        "--requests",
        "250k,10M,1.5B",
        "--cold-start-rate",
        "0.04%",
        "--free-tier",
    ];
    let csv_run = t.run(&[&args[..], &["--format", "csv"]].concat());
    csv_run.success();
    let json_run = t.run(&[&args[..], &["--format", "json"]].concat());
    json_run.success();
    let table = t.run(&args);
    table.success();
    let mut reader = csv::Reader::from_reader(csv_run.stdout.as_bytes());
    let header = reader.headers().expect("header").clone();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("{name}"))
    };
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    let mut sum_total = Decimal::ZERO;
    for row in &rows {
        let parts = dec(&row[col("compute_usd")])
            + dec(&row[col("requests_usd")])
            + dec(&row[col("other_usd")]);
        assert!(
            (parts - dec(&row[col("total_usd")])).abs() < dec("0.000000001"),
            "{row:?}"
        );
        sum_total += dec(&row[col("total_usd")]);
        // The table prints the same figure, to the cent.
        let cents = dec(&row[col("total_usd")])
            .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
        assert!(
            table.stdout.contains(&format!("${}", group(cents))),
            "{cents} not in the table"
        );
    }
    let json_sum: Decimal = json_run.json()["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| dec(&r["total_usd"].to_string()))
        .sum();
    assert_eq!(sum_total, json_sum);
}

fn group(d: Decimal) -> String {
    let text = format!("{d:.2}");
    let (int, frac) = text.split_once('.').unwrap_or((&text, "00"));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("{out}.{frac}")
}

/// Debian's Python with the LibreOffice bridge, when LibreOffice is installed.
fn libreoffice_python() -> Option<&'static str> {
    let ok = std::process::Command::new("/usr/bin/python3")
        .args(["-c", "import uno"])
        .output()
        .is_ok_and(|o| o.status.success())
        && std::process::Command::new("soffice")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
    ok.then_some("/usr/bin/python3")
}

/// Three levels, one of them deep in the tiers, with the free tier and the account's usage.
const WORKBOOK: [&str; 8] = [
    "estimate",
    "--requests",
    "1M,10M,20B",
    "--cold-start-rate",
    "0.04%",
    "--free-tier",
    "--account-gb-seconds",
    "5999000000",
];

/// Writes the workbook of `args` to cost.xlsx and returns the same estimate as JSON.
fn workbook_and_json(t: &Test, args: &[&str]) -> crate::util::Run {
    t.run(&[args, &["--output", "cost.xlsx"]].concat())
        .success();
    let json = t.run(&[args, &["--format", "json"]].concat());
    json.success();
    json
}

#[test]
fn the_workbook_carries_each_formulas_value_for_readers_that_do_not_recalculate() {
    use calamine::{Data, Reader, Xlsx};
    let t = Test::new();
    let args = [
        &WORKBOOK[..],
        &["--account-requests", "400k", "--savings-plan", "17"],
    ]
    .concat();
    let json = workbook_and_json(&t, &args);
    let rows = json.json()["rows"].as_array().expect("rows").clone();
    // calamine reads the values stored in the file; it evaluates no formula.
    let mut book: Xlsx<_> = calamine::open_workbook(t.path("cost.xlsx")).expect("an xlsx");
    let cost = book.worksheet_range("Cost").expect("a Cost sheet");
    let header: Vec<String> = cost
        .rows()
        .next()
        .expect("a header")
        .iter()
        .map(|c| c.to_string())
        .collect();
    let column = |name: &str| header.iter().position(|h| h == name).expect(name);
    assert_eq!(cost.rows().count() - 1, rows.len());
    for (cells, want) in cost.rows().skip(1).zip(&rows) {
        assert_eq!(
            cells[column("variant")],
            Data::String(want["variant"].as_str().expect("a name").to_string())
        );
        for key in [
            "gb_seconds",
            "compute_usd",
            "requests_usd",
            "total_usd",
            "usd_per_million",
        ] {
            let Data::Float(got) = cells[column(key)] else {
                panic!("{key}: no cached number but {:?}", cells[column(key)]);
            };
            let want: f64 = want[key].to_string().parse().expect("a number");
            assert!(
                (got - want).abs() <= want.abs() * 1e-12 + 1e-9,
                "{} {key}: {got} in the workbook, {want} from lambcost",
                cells[column("variant")]
            );
        }
    }
}

#[test]
fn the_workbook_recalculates_in_libreoffice_to_lambcosts_cents() {
    let Some(python) = libreoffice_python() else {
        // .ci/run installs LibreOffice and sets the variable, so CI never skips the check.
        crate::util::skipped(
            "the workbook's recalculation: LibreOffice Calc with python3-uno is not installed",
            "LAMBCOST_REQUIRE_LIBREOFFICE",
        );
        return;
    };
    let t = Test::new();
    let json = workbook_and_json(&t, &WORKBOOK);
    let recalc = |extra: &[&str]| -> serde_json::Value {
        let out = std::process::Command::new(python)
            .arg(format!("{}/tests/recalc.py", env!("CARGO_MANIFEST_DIR")))
            .arg(t.path("cost.xlsx"))
            .args(extra)
            .output()
            .expect("run LibreOffice");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("json from recalc.py")
    };
    let sheet = recalc(&[]);
    let expected = json.json()["rows"].as_array().expect("rows").clone();
    let sheet = sheet.as_array().expect("rows");
    assert_eq!(sheet.len(), expected.len());
    let cents = |v: &serde_json::Value| {
        (v.as_f64()
            .unwrap_or_else(|| v.to_string().parse().unwrap_or(f64::NAN))
            * 100.0)
            .round()
    };
    for (got, want) in sheet.iter().zip(&expected) {
        assert_eq!(got["variant"], want["variant"]);
        for (cell, key) in [
            ("compute_usd", "compute_usd"),
            ("requests_usd", "requests_usd"),
            ("total_usd", "total_usd"),
            ("usd_per_million", "usd_per_million"),
        ] {
            assert_eq!(
                cents(&got[cell]),
                cents(&want[key]),
                "{} {cell}",
                want["variant"]
            );
        }
    }
    // Alive: double the request price in the sheet and the requests charge doubles. At 10M
    // with the free tier's million subtracted, 9M requests cost $1.80, and then $3.60.
    let at_10m = expected
        .iter()
        .position(|r| r["requests"] == 10_000_000)
        .expect("a row at 10M");
    assert_eq!(cents(&expected[at_10m]["requests_usd"]), 180.0);
    let changed = recalc(&["Prices!B2=0.4"]);
    let row = &changed.as_array().expect("rows")[at_10m];
    assert_eq!(cents(&row["requests_usd"]), 360.0);
    // A Savings Plan of 17% typed into the sheet takes 17% off compute, as --savings-plan 17
    // does, and leaves requests alone.
    let planned = t.run(&[&WORKBOOK[..], &["--savings-plan", "17", "--format", "json"]].concat());
    let planned = planned.success().json()["rows"]
        .as_array()
        .expect("rows")
        .clone();
    let sheet = recalc(&["Inputs!B7=0.17"]);
    for (got, want) in sheet.as_array().expect("rows").iter().zip(&planned) {
        for key in ["compute_usd", "requests_usd", "total_usd"] {
            assert_eq!(
                cents(&got[key]),
                cents(&want[key]),
                "{} {key}",
                want["variant"]
            );
        }
    }
}

#[test]
fn the_infracost_usage_file_carries_measured_durations() {
    let t = Test::new();
    let run = t.run(&[
        "export",
        "--infracost-usage",
        "--variant",
        "aot-net9",
        "--requests",
        "10M",
        "--cold-start-rate",
        "0.04%",
        "--provisioned-concurrency",
        "3",
    ]);
    run.success();
    let yaml: serde_yaml::Value = serde_yaml::from_str(&run.stdout).expect("YAML");
    let f = &yaml["resource_usage"]["aws_lambda_function.aot_net9"];
    assert_eq!(f["monthly_requests"].as_u64(), Some(10_000_000));
    // (1 - 0.0004) x 14 + 0.0004 x 1006 = 14.3968, rounded up to a whole ms because
    // Infracost reads the key as an integer (14.3968 would be truncated to 14).
    assert_eq!(f["request_duration_ms"].as_u64(), Some(15));
    assert!(
        run.stdout.contains("rounded up to a whole ms"),
        "{}",
        run.stdout
    );
    let pc = &yaml["resource_usage"]["aws_lambda_provisioned_concurrency_config.aot_net9"];
    assert_eq!(pc["monthly_duration_hrs"].as_u64(), Some(730));
    let logged = t.run(&[
        "export",
        "--infracost-usage",
        "--data",
        &fixture("aot-net9.log"),
        "--resource",
        "module.api.aws_lambda_function.this",
        "--output",
        "usage.yml",
    ]);
    logged.success();
    let text = std::fs::read_to_string(t.path("usage.yml")).expect("written");
    assert!(
        text.contains("module.api.aws_lambda_function.this:"),
        "{text}"
    );
}

#[test]
fn completions_and_the_manual_come_from_the_command_line() {
    let t = Test::new();
    for (shell, needle) in [
        ("bash", "_lambcost()"),
        ("zsh", "#compdef lambcost"),
        ("fish", "complete -c lambcost"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let run = t.run(&["completions", shell]);
        run.success();
        assert!(run.stdout.contains(needle), "{shell}");
        assert!(run.stdout.contains("estimate"), "{shell}");
    }
    let man = t.run(&["man"]);
    man.success();
    for needle in [
        ".TH lambcost 1",
        ".TH lambcost-estimate",
        ".TH lambcost-recommend",
        "\\-\\-requests",
    ] {
        assert!(man.stdout.contains(needle), "{needle}");
    }
    t.run(&["completions", "tcsh"]).refused(&["'tcsh'"]);
}

#[test]
fn every_subcommand_help_ends_with_examples() {
    let t = Test::new();
    for sub in [
        "estimate",
        "compare",
        "measure",
        "recommend",
        "pricing",
        "export",
        "completions",
        "man",
    ] {
        let run = t.run(&[sub, "--help"]);
        run.success();
        // The example lines: after "Examples:", up to a blank line (an exit-status block may
        // follow).
        let tail: Vec<&str> = run
            .stdout
            .lines()
            .skip_while(|l| !l.starts_with("Examples:"))
            .skip(1)
            .take_while(|l| !l.trim().is_empty())
            .collect();
        assert!(run.stdout.contains("\nExamples:\n"), "{sub}");
        assert!(
            (2..=3).contains(&tail.len()),
            "{sub}: {} example lines",
            tail.len()
        );
        assert!(
            tail.iter()
                .all(|l| l.trim_start().starts_with("lambcost ")
                    || l.trim_start().starts_with("aws ")),
            "{sub}: {tail:?}"
        );
    }
}

#[test]
fn every_help_ends_with_one_line_end() {
    let t = Test::new();
    for args in [
        &["--help"][..],
        &["estimate", "--help"],
        &["compare", "--help"],
        &["measure", "--help"],
        &["recommend", "--help"],
        &["replay", "--help"],
        &["assess", "--help"],
        &["diff", "--help"],
        &["pricing", "--help"],
        &["pricing", "import", "--help"],
        &["pricing", "import", "-h"],
        &["help", "pricing", "import"],
        &["export", "--help"],
        &["insights-query", "--help"],
        &["completions", "--help"],
        &["man", "--help"],
    ] {
        let run = t.run(args);
        run.success();
        // A shell prompt after it starts on a line of its own, with no blank line before it.
        assert!(run.stdout.ends_with('\n'), "{args:?}: {:?}", run.stdout);
        assert!(!run.stdout.ends_with("\n\n"), "{args:?}: {:?}", run.stdout);
    }
}

#[test]
fn output_paths_are_checked_and_never_left_half_written() {
    let t = Test::new();
    t.run(&["estimate", "--output", "cost.xyz"])
        .refused(&["cost.xyz", ".xlsx"]);
    std::fs::create_dir(t.path("dir")).expect("mkdir");
    t.run(&["estimate", "--plot", "dir"])
        .refused(&["dir", "directory"]);
    t.run(&["estimate", "--plot", "no/such/place/c.svg"])
        .refused(&["no/such/place/c.svg"]);
    t.run(&["pricing", "--plot", "p.svg"]).refused(&["--plot"]);
    t.run(&["estimate", "--format", "xlsx"])
        .refused(&["--output FILE.xlsx"]);
    t.run(&[
        "estimate",
        "--provisioned-concurrency",
        "2",
        "--output",
        "pc.xlsx",
    ])
    .refused(&["Provisioned Concurrency"]);
    let names: Vec<String> = std::fs::read_dir(t.dir())
        .expect("list")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        vec!["dir".to_string()],
        "nothing but the test's directory"
    );
    // A file that cannot be written is one line, its data's warnings left unsaid.
    let log = format!("{}/tests/fixtures/aot-net9.log", env!("CARGO_MANIFEST_DIR"));
    t.run(&["compare", &log, "--output", "nodir/x.csv"])
        .refused(&["nodir/x.csv", "does not exist"]);
    t.run(&["estimate", "--output", "a.xlsx"]).success();
    let meta = std::fs::metadata(t.path("a.xlsx")).expect("written");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(meta.permissions().mode() & 0o777, 0o644);
}

#[test]
fn no_colour_off_a_terminal_or_with_no_color() {
    let t = Test::new();
    let args = ["estimate", "--snapstart", "--requests", "1M"];
    let run = t.run(&args);
    run.success();
    assert!(run.stderr.contains("warning:"));
    assert!(!run.stderr.contains('\u{1b}') && !run.stdout.contains('\u{1b}'));
    // On a terminal the warning is yellow, unless NO_COLOR is set (to anything but empty).
    let coloured = crate::util::in_terminal(t.dir(), &args, 80, None, &[]);
    assert!(
        coloured.stderr.contains("\u{1b}[33mwarning"),
        "{}",
        coloured.stderr
    );
    for no_color in ["1", "yes"] {
        let plain = crate::util::in_terminal(t.dir(), &args, 80, Some(no_color), &[]);
        assert!(plain.stderr.contains("warning:"), "{}", plain.stderr);
        assert!(!plain.stderr.contains('\u{1b}'), "{}", plain.stderr);
    }
}

#[test]
fn a_closed_pipe_ends_quietly() {
    // The reader goes away before lambcost writes a byte: its first write meets a closed
    // pipe (EPIPE), whatever the pipe's buffer would have held. The output is also far
    // larger than any pipe buffer (64 KiB on Linux), so no write could ever all succeed.
    let t = Test::new();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_lambcost"))
        .args(["pricing", "--region", "all", "--format", "csv"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .current_dir(t.dir())
        .spawn()
        .expect("start");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("ends");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        !stderr.contains("panicked") && !stderr.contains("Broken pipe"),
        "{stderr}"
    );
    let full = t.run(&["pricing", "--region", "all", "--format", "csv"]);
    full.success();
    assert!(
        full.stdout.len() > 2 * 65_536,
        "{} bytes",
        full.stdout.len()
    );
}
