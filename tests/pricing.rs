//! `lambcost pricing`: the rates in effect, with their sources.

use crate::util::Test;

#[test]
fn shows_every_us_east_1_rate_with_source_and_date() {
    let t = Test::new();
    let run = t.run(&["pricing", "--explain"]);
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
    // Requests at af-south-1's own $0.27, named by their usage type; SnapStart assumed.
    assert!(
        run.stdout
            .contains("requests,0.27,1M requests,2025-08-01,published,"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("usage type AFS1-Request)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("assumed: no public source for this region; us-east-1's rates"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("arm64"));
}

#[test]
fn an_unknown_region_is_refused() {
    Test::new()
        .run(&["pricing", "--region", "moon-1"])
        .refused(&["'moon-1'", "us-east-1"]);
}

fn price_list(name: &str) -> String {
    format!(
        "{}/tests/fixtures/price-list/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn the_price_list_imports_to_a_price_book_that_prices_like_aws() {
    let t = Test::new();
    let run = t.run(&[
        "pricing",
        "import",
        &price_list("offer.json"),
        &price_list("get-products.json"),
        "--output",
        "prices.yaml",
    ]);
    run.success();
    // Lambda@Edge (4) and a data-transfer product are not Lambda's on-demand rates.
    assert!(
        run.stderr.contains(
            "9 product(s) of usage types lambcost does not price were skipped: AWSDataTransfer products (1), Lambda-Edge-GB-Second (4), Lambda-Edge-Request (4)"
        ),
        "{}",
        run.stderr
    );
    let yaml = std::fs::read_to_string(t.path("prices.yaml")).expect("written");
    for needle in [
        "  af-south-1:",
        "  ap-southeast-5:",
        "  eu-central-2:",
        "  us-east-1:",
        "requests: \"AFS1-Request\"",
        "duration: \"APS7-Lambda-GB-Second-ARM\"",
        "snapstart_cache: \"Lambda-SnapStart-Cached-GB-S\"",
        "offer version 20251001000000, published 2025-10-01",
    ] {
        assert!(yaml.contains(needle), "{needle} missing:\n{yaml}");
    }
    // af-south-1, 100M x 100 ms x 512 MB: 5,000,000 GB-s x 0.0000221 = $110.50, and
    // 100 x $0.27 for the requests: $137.50.
    let run = t.run(&[
        "estimate",
        "--pricing",
        "prices.yaml",
        "--region",
        "af-south-1",
        "--duration-ms",
        "100",
        "--memory-mb",
        "512",
        "--requests",
        "100M",
        "--cold-start-rate",
        "0",
        "--format",
        "json",
    ]);
    run.success();
    let row = &run.json()["rows"][0];
    assert_eq!(row["requests_usd"].to_string(), "27.000000");
    assert_eq!(row["total_usd"].to_string(), "137.500000");
    // The same with the embedded book, regenerated from AWS's figures.
    let run = t.run(&[
        "estimate",
        "--region",
        "af-south-1",
        "--duration-ms",
        "100",
        "--memory-mb",
        "512",
        "--requests",
        "100M",
        "--cold-start-rate",
        "0",
        "--format",
        "json",
    ]);
    run.success();
    assert_eq!(run.json()["rows"][0]["total_usd"].to_string(), "137.500000");
    // ap-southeast-5 from the get-products pages: $0.18 per million requests.
    let run = t.run(&[
        "pricing",
        "--pricing",
        "prices.yaml",
        "--region",
        "ap-southeast-5",
        "--format",
        "csv",
    ]);
    run.success();
    assert!(run.stdout.contains("requests,0.18,"), "{}", run.stdout);
    // One region's own export, as `aws pricing get-products` filtered by region gives it:
    // no SnapStart rates and no us-east-1 to lean on, so the embedded book's stand in, said.
    let run = t.run(&[
        "pricing",
        "import",
        &price_list("get-products.json"),
        "--output",
        "one.yaml",
    ]);
    run.success();
    let yaml = std::fs::read_to_string(t.path("one.yaml")).expect("written");
    assert!(yaml.contains("  ap-southeast-5:"), "{yaml}");
    assert!(
        yaml.contains(
            "snapstart: \"not in the price list; us-east-1's rate from lambcost's embedded price book (effective 2025-08-01)\""
        ),
        "{yaml}"
    );
}

#[test]
fn a_malformed_price_list_names_the_sku_and_the_field() {
    let t = Test::new();
    t.run(&["pricing", "import", &price_list("malformed.json")])
        .refused(&[
            "malformed.json",
            "SKU HZCVGUXUYJ44Z7KL",
            "pricePerUnit.USD",
            "'twenty-seven cents' is not a decimal number",
        ]);
    let other = t.write("other.json", "{\"items\": []}");
    t.run(&["pricing", "import", &other.display().to_string()])
        .refused(&["not an AWS price list", "PriceList"]);
    t.run(&["pricing", "import", "missing.json", "--output", "p.yaml"])
        .refused(&["missing.json", "cannot read"]);
    assert!(!t.path("p.yaml").exists());
}
