//! `lambcost pricing`: the rates in effect, with their sources.

use crate::util::Test;

#[test]
fn shows_every_us_east_1_rate_with_source_and_date() {
    let t = Test::new();
    let run = t.run(&["pricing"]);
    run.success();
    for needle in [
        "0.0000166667",
        "0.000015",
        "0.0000133334",
        "0.0000120001",
        "0.0000000309",
        "0.0000041667",
        "0.0000097222",
        "0.0000015046",
        "0.0001397998",
        "2025-08-01",
        "aws.amazon.com/lambda/pricing",
        "INIT billing",
        "Free tier",
    ] {
        assert!(
            run.stdout.contains(needle),
            "{needle} missing:\n{}",
            run.stdout
        );
    }
}

#[test]
fn other_regions_mark_assumed_rates() {
    let t = Test::new();
    let run = t.run(&[
        "pricing",
        "--region",
        "af-south-1",
        "--arch",
        "x86_64",
        "--format",
        "csv",
    ]);
    run.success();
    assert!(run.stdout.contains("0.0000221"), "{}", run.stdout);
    assert!(run.stdout.contains("assumed: us-east-1"), "{}", run.stdout);
    assert!(!run.stdout.contains("arm64"));
}

#[test]
fn an_unknown_region_is_refused() {
    Test::new()
        .run(&["pricing", "--region", "moon-1"])
        .refused(&["'moon-1'", "us-east-1"]);
}
