//! Values written as people write them: `%` wherever a percentage is taken, regions and
//! formats in any case, the data's own name for a build mode, durations in words, and a
//! number with commas between its thousands refused with how to write it.

use crate::util::Test;

#[test]
fn regions_formats_and_modes_in_any_spelling() {
    let t = Test::new();
    let lower = t.run(&[
        "estimate",
        "--region",
        "us-east-1",
        "--format",
        "csv",
        "--requests",
        "1M",
    ]);
    lower.success();
    let upper = t.run(&[
        "estimate",
        "--region",
        "US-EAST-1",
        "--format",
        "CSV",
        "--requests",
        "1M",
    ]);
    upper.success();
    assert_eq!(upper.stdout, lower.stdout);
    let log = format!(
        "{}/tests/fixtures/shapes/plain.log",
        env!("CARGO_MANIFEST_DIR")
    );
    for mode in ["r2r", "ReadyToRun", "ready-to-run"] {
        let run = t.run(&["compare", &log, "--mode", mode, "--format", "json"]);
        run.success();
        assert_eq!(run.json()["variants"][0]["mode"], "readytorun", "{mode}");
    }
}

#[test]
fn a_number_with_thousands_separators_is_refused_with_how_to_write_it() {
    let t = Test::new();
    t.run(&["estimate", "--requests", "1,000,000"]).refused(&[
        "'1,000,000': commas separate traffic levels (1M,10M), so this reads as 3 levels",
        "write the number without them: 1000000 or 1M",
    ]);
    // Where no short form is the same number, none is offered.
    t.run(&["estimate", "--requests", "1,234,567"])
        .refused(&["write the number without them: 1234567"]);
    // Levels are still separated by commas.
    let run = t.run(&["estimate", "--requests", "1M,10M", "--format", "json"]);
    run.success();
    let rows = run.json()["rows"].as_array().map_or(0, Vec::len);
    assert_eq!(rows % 2, 0, "two levels of every variant: {rows} rows");
}

#[test]
fn durations_in_words_and_percentages_with_their_sign() {
    let t = Test::new();
    let hour = |text: &str| {
        let run = t.run(&[
            "replay",
            "poisson:2",
            "--for",
            text,
            "--seed",
            "7",
            "--format",
            "json",
        ]);
        run.success();
        run.stdout
    };
    let want = hour("1h");
    for text in ["1hour", "1 hour", "60 minutes", "3600s"] {
        assert_eq!(hour(text), want, "{text}");
    }
    // NEW costs 9.6% more than BASE and peaks 8.3% higher (tests/fixtures/diff): past 5%,
    // within 10%, written either way.
    let fixture = |name: &str| format!("{}/tests/fixtures/diff/{name}", env!("CARGO_MANIFEST_DIR"));
    let (base, new) = (fixture("base.csv"), fixture("new.csv"));
    let (base, new) = (base.as_str(), new.as_str());
    for (pct, status) in [("5", 1), ("5%", 1), ("10", 0), ("10 %", 0)] {
        for gate in ["--fail-cost-above", "--fail-memory-above"] {
            let run = t.run(&["diff", base, new, gate, pct]);
            assert_eq!(run.status, Some(status), "{gate} {pct}: {}", run.stderr);
        }
    }
    t.run(&["diff", base, new, "--fail-cost-above", "5x"])
        .refused(&["'5x' is not a number; write a percentage: 5 or 5%"]);
}
