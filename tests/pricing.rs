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

/// The December 2016 offer file, imported into `prices-2016.yaml` in `t`'s directory.
fn import_2016(t: &Test) -> &'static str {
    let run = t.run(&[
        "pricing",
        "import",
        &price_list("offer-2016.json"),
        "--output",
        "prices-2016.yaml",
    ]);
    // Graviton came in 2021, Provisioned Concurrency in 2019: the import says what the book
    // prices x86_64 alone, and which rates are lambcost's own, marked assumed.
    run.warned(&[
        "no arm64 prices in the price list for ap-northeast-1, eu-west-1, us-east-1, us-west-2",
        "no ephemeral_storage, provisioned_concurrency, provisioned_duration, snapstart_cache, snapstart_restore rates in the price list for any region",
    ]);
    "prices-2016.yaml"
}

#[test]
fn an_offer_file_from_before_graviton_imports_its_x86_64_prices() {
    let t = Test::new();
    let book = import_2016(&t);
    let yaml = std::fs::read_to_string(t.path(book)).expect("written");
    for needle in [
        "offer version 20161213014831, published 2016-12-13",
        "  ap-northeast-1:",
        "  eu-west-1:",
        "  us-east-1:",
        "  us-west-2:",
        "    effective: 2016-12-01",
        "requests: \"EU-Request\"",
        "duration: \"APN1-Lambda-GB-Second\"",
        "- { from_gb_seconds: 0, usd_per_gb_second: 0.00001667 }",
    ] {
        assert!(yaml.contains(needle), "{needle} missing:\n{yaml}");
    }
    // No architecture is filled in with figures the file does not have.
    assert!(!yaml.contains("    arm64:"), "{yaml}");
    assert!(yaml.contains("    x86_64:"), "{yaml}");
    // us-east-1, 10M x 100 ms x 128 MB: 10 x $0.20 = $2.00 for the requests, and 10,000,000 x
    // 0.1 s x 0.125 GB = 125,000 GB-s x $0.00001667 = $2.08375: $4.08375 (today's rate,
    // $0.0000166667, would make $2.0833375).
    let estimate = |extra: &[&str]| {
        let mut args = vec![
            "estimate",
            "--pricing",
            book,
            "--region",
            "us-east-1",
            "--duration-ms",
            "100",
            "--memory-mb",
            "128",
            "--requests",
            "10M",
            "--cold-start-rate",
            "0",
        ];
        args.extend_from_slice(extra);
        t.run(&args)
    };
    let run = estimate(&["--format", "json"]);
    run.success();
    let row = &run.json()["rows"][0];
    assert_eq!(row["arch"], "x86_64");
    assert_eq!(row["requests_usd"].to_string(), "2.000000");
    assert_eq!(row["compute_usd"].to_string(), "2.083750");
    assert_eq!(row["total_usd"].to_string(), "4.083750");
    let run = estimate(&[]);
    run.success();
    assert!(run.stdout.contains("$4.08"), "{}", run.stdout);
    assert!(
        run.stdout.contains("effective 2016-12-01"),
        "{}",
        run.stdout
    );
    // With the free tier: 9M billable requests, $1.80; 125,000 GB-s within the 400,000 free.
    let run = estimate(&["--free-tier", "--format", "json"]);
    run.success();
    assert_eq!(run.json()["rows"][0]["total_usd"].to_string(), "1.800000");
}

#[test]
fn a_region_without_arm64_prices_says_so_when_arm64_is_asked_for() {
    let t = Test::new();
    let book = import_2016(&t);
    t.run(&[
        "estimate",
        "--pricing",
        book,
        "--region",
        "eu-west-1",
        "--arch",
        "arm64",
        "--duration-ms",
        "100",
        "--memory-mb",
        "128",
        "--requests",
        "10M",
    ])
    .refused(&[
        "--arch arm64: eu-west-1 has no arm64 prices in this price book; it prices x86_64 only, and no region of the book prices arm64",
    ]);
    t.run(&[
        "pricing",
        "--pricing",
        book,
        "--region",
        "us-east-1",
        "--arch",
        "arm64",
    ])
    .refused(&["--arch arm64: us-east-1 has no arm64 prices in this price book"]);
    // Variants whose data says arm64 are refused by name, before anything is priced.
    let java = format!("{}/tests/fixtures/java.csv", env!("CARGO_MANIFEST_DIR"));
    t.run(&["estimate", "--pricing", book, "--data", &java])
        .refused(&["spring-jvm (arm64): us-east-1 has no arm64 prices in this price book"]);
    // x86_64 alone is shown and priced.
    let run = t.run(&[
        "pricing",
        "--pricing",
        book,
        "--region",
        "eu-west-1",
        "--format",
        "csv",
    ]);
    run.success();
    assert!(
        run.stdout.contains("x86_64,requests,0.2,"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("arm64,"), "{}", run.stdout);
}
