//! What a user sees on a terminal: tables that fit its width, sentences that wrap, at most
//! three notes, answers that say where they come from; and a pipe that gets every column.

use crate::util::{Test, run_in_terminal};

/// Every line of `text` fits `width` terminal columns.
#[track_caller]
fn fits(text: &str, width: usize) {
    for line in text.lines() {
        let w = line.chars().count();
        assert!(w <= width, "{w} columns > {width}:\n{line}\n\n{text}");
    }
}

/// The lines printed after the table's last border.
fn after_table(text: &str) -> Vec<&str> {
    let lines: Vec<&str> = text.lines().collect();
    let end = lines
        .iter()
        .rposition(|l| l.starts_with('└'))
        .map_or(0, |i| i + 1);
    lines[end..].to_vec()
}

fn results() -> String {
    format!("{}/data/results.csv", env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn every_command_fits_an_80_column_terminal() {
    let t = Test::new();
    let results = results();
    let log = fixture("aot-net9.log");
    let cases: Vec<(Vec<&str>, i32)> = vec![
        (vec!["estimate"], 0),
        (vec!["estimate", "--requests", "10M"], 0),
        (vec!["estimate", "--arch", "x86_64,arm64", "--free-tier"], 0),
        (vec!["estimate", "--provisioned-concurrency", "2"], 0),
        (vec!["compare", &results], 0),
        (vec!["compare", &results, "--requests", "10M,100M"], 0),
        (vec!["compare", &log, "--requests", "10M", "--explain"], 0),
        (vec!["recommend"], 0),
        (
            vec!["recommend", "--uses", "plugins", "--cold-start-slo", "1s"],
            1,
        ),
        (vec!["recommend", "--explain"], 0),
        (vec!["pricing"], 0),
        (vec!["pricing", "--region", "all"], 0),
        (vec!["estimate", "--requests", "lots"], 2),
        (
            vec![
                "recommend",
                "--cold-start-slo",
                "1s",
                "--p99-slo",
                "50ms",
                "--budget-usd",
                "5",
                "--dotnet-version",
                "9",
                "--arch",
                "x86_64,arm64",
            ],
            1,
        ),
    ];
    for (args, status) in cases {
        let run = run_in_terminal(t.dir(), &args, 80);
        assert_eq!(run.status, Some(status), "{args:?}: {}", run.stderr);
        fits(&run.stdout, 80);
        fits(&run.stderr, 80);
    }
}

#[test]
fn a_terminal_gets_three_notes_and_the_data_last() {
    let t = Test::new();
    for args in [
        vec!["estimate"],
        vec!["compare", "@talk"],
        vec!["estimate", "--provisioned-concurrency", "2"],
        vec!["estimate", "--snapstart"],
    ] {
        let run = run_in_terminal(t.dir(), &args, 80);
        let notes = after_table(&run.stdout);
        assert_eq!(notes.len(), 3, "{args:?}:\n{}", run.stdout);
        assert!(notes[0].starts_with("Cold starts: "), "{notes:?}");
        assert!(
            notes[1].starts_with("Prices: us-east-1, effective "),
            "{notes:?}"
        );
        assert_eq!(notes[2], "Data: the talk's measurements (embedded).");
        // --explain adds the rest, the data line still last.
        let explained = run_in_terminal(t.dir(), &[args.as_slice(), &["--explain"]].concat(), 80);
        let more = after_table(&explained.stdout);
        assert!(more.len() > 3, "{}", explained.stdout);
        assert_eq!(more.last(), notes.last());
    }
}

#[test]
fn a_narrow_table_keeps_the_answer_and_says_nothing_twice() {
    let t = Test::new();
    let run = run_in_terminal(t.dir(), &["estimate", "--requests", "1M"], 80);
    let header = run.stdout.lines().nth(1).unwrap_or_default().to_string();
    for kept in ["Variant", "Requests", "$/month"] {
        assert!(header.contains(kept), "{kept}: {header}");
    }
    // At 1M a month, "$ per 1M" repeats the total; x86_64 everywhere needs no column.
    assert!(
        !header.contains("per 1M") && !header.contains("Arch"),
        "{header}"
    );
    // A pipe gets every column, full titles, whatever the width.
    let piped = t.run(&["estimate", "--requests", "1M"]);
    for all in [
        "Memory MB",
        "Cold starts",
        "GB-s",
        "Compute $",
        "Total $/month",
        "$ per 1M",
    ] {
        assert!(piped.stdout.contains(all), "{all}:\n{}", piped.stdout);
    }
    // --wide on a terminal too.
    let wide = run_in_terminal(t.dir(), &["estimate", "--requests", "1M", "--wide"], 80);
    assert!(wide.stdout.contains("Cold starts") && wide.stdout.contains("$ per 1M"));
    // One variant compared with itself: no baseline ratios.
    let alone = run_in_terminal(t.dir(), &["compare", "@talk", "--variant", "aot-net9"], 80);
    assert!(!alone.stdout.contains("baseline"), "{}", alone.stdout);
}

#[test]
fn an_architecture_other_than_x86_64_is_shown() {
    let t = Test::new();
    let run = run_in_terminal(
        t.dir(),
        &["estimate", "--arch", "arm64", "--requests", "1M"],
        80,
    );
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(lines[1].contains("Arch"), "{}", run.stdout);
    assert!(lines[3].contains("arm64"), "{}", run.stdout);
}

#[test]
fn every_report_names_its_data() {
    let t = Test::new();
    for (args, data) in [
        (vec!["estimate"], "the talk's measurements (embedded)"),
        (
            vec!["compare", "@talk-repo"],
            "the talk repository's eight measured builds (embedded)",
        ),
        (
            vec!["recommend"],
            "the talk's measurements (embedded); the answer is for the talk's function, not yours (--data names your logs or table)",
        ),
        (vec!["pricing"], "pricing/aws-lambda.yaml (embedded)"),
    ] {
        let run = t.run(&[args.as_slice(), &["--format", "json"]].concat());
        run.success();
        assert_eq!(run.json()["data"], data, "{args:?}");
        let table = t.run(&args);
        assert!(
            table.stdout.trim_end().ends_with(&format!("Data: {data}.")),
            "{args:?}:\n{}",
            table.stdout
        );
    }
}

#[test]
fn long_names_wrap_in_their_cells_and_rows_stay_apart() {
    let t = Test::new();
    let log = t.path("my-production-order-service-eu.log");
    std::fs::copy(fixture("api-30min.log"), &log).expect("copy");
    let log = log.display().to_string();
    for args in [
        vec!["compare", log.as_str(), "--requests", "10M"],
        vec![
            "compare",
            "@talk",
            log.as_str(),
            "--mode",
            "aot",
            "--requests",
            "1M,10M",
        ],
        vec![
            "estimate",
            "--data",
            log.as_str(),
            "--arch",
            "x86_64,arm64",
            "--requests",
            "10M",
        ],
    ] {
        let run = run_in_terminal(t.dir(), &args, 80);
        assert_eq!(run.status, Some(0), "{args:?}: {}", run.stderr);
        fits(&run.stdout, 80);
        fits(&run.stderr, 80);
    }
    // Two rows that differ only by architecture keep the column that says so.
    let both = run_in_terminal(
        t.dir(),
        &[
            "compare",
            log.as_str(),
            "--arch",
            "x86_64,arm64",
            "--requests",
            "10M",
        ],
        80,
    );
    assert!(
        both.stdout.contains("x86_64") && both.stdout.contains("arm64"),
        "{}",
        both.stdout
    );
    // The log's own share beside the model's that prices the month.
    let observed = run_in_terminal(t.dir(), &["compare", log.as_str(), "--requests", "10M"], 80);
    assert!(observed.stdout.contains("0.0137%"), "{}", observed.stdout);
    assert!(observed.stdout.contains("3/110:"), "{}", observed.stdout);
}

#[test]
fn a_narrow_recommend_keeps_what_names_each_variant() {
    // At 80 columns the talk repository's eight builds with two service levels do not fit
    // whole: the figures go (the reasons say them), the mode and memory that name each
    // variant stay beside its verdicts.
    let t = Test::new();
    let run = run_in_terminal(
        t.path("").as_path(),
        &[
            "recommend",
            "--data",
            "@talk-repo",
            "--cold-start-slo",
            "2s",
            "--p99-slo",
            "50ms",
        ],
        80,
    );
    fits(&run.stdout, 80);
    let header = run
        .stdout
        .lines()
        .find(|l| l.contains("Variant"))
        .unwrap_or_default()
        .to_string();
    for title in ["Variant", "Mode", "MB", "Runs", "Cold", "p99"] {
        assert!(header.contains(&format!(" {title} ")), "{title}: {header}");
    }
    assert!(run.stdout.contains("│ aot "), "{}", run.stdout);
}

#[test]
fn a_narrow_assess_keeps_each_place_and_identifier_whole() {
    // At 80 columns the findings' places and identifiers do not fit side by side with their
    // fixes: each finding is a record, `path:line:col` and what was found whole on its first
    // line as ripgrep prints a match, the fix wrapped under it.
    let t = Test::new();
    let project = fixture("assess/efcore");
    let run = run_in_terminal(t.path("").as_path(), &["assess", &project], 80);
    fits(&run.stdout, 80);
    for whole in [
        "src/Orders/Function.cs:25:25  JsonSerializer.Deserialize\n",
        "src/Orders/Orders.csproj:13:1  Npgsql.EntityFrameworkCore.PostgreSQL 9.0.2\n",
    ] {
        assert!(
            run.stdout.replace("\r\n", "\n").contains(whole),
            "{whole}\n{}",
            run.stdout
        );
    }
    // Wide enough, it is the table.
    let wide = run_in_terminal(t.path("").as_path(), &["assess", &project], 160);
    fits(&wide.stdout, 160);
    assert!(
        wide.stdout.contains("│ src/Orders/Function.cs:25:25  │"),
        "{}",
        wide.stdout
    );
}

#[test]
fn a_replay_that_takes_seconds_shows_how_far_it_has_got() {
    // Eight hours at 20 a second is 576,000 arrivals through five pools: seconds of work, a
    // bar on the terminal once the first second has passed, cleared before the answer.
    let t = Test::new();
    let long = ["replay", "poisson:20", "--for", "8h"];
    let run = run_in_terminal(t.path("").as_path(), &long, 100);
    assert!(run.stderr.contains("replaying ["), "{}", run.stderr);
    assert!(run.stdout.contains("Variant"), "{}", run.stdout);
    // Piped, or done within the second, it says nothing of its progress.
    let piped = t.run(&long);
    piped.success();
    assert!(!piped.stderr.contains("replaying"), "{}", piped.stderr);
    let short = run_in_terminal(
        t.path("").as_path(),
        &["replay", "poisson:1", "--for", "1h"],
        100,
    );
    assert!(!short.stderr.contains("replaying"), "{}", short.stderr);
}
