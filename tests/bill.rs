//! `lambcost bill`: the same month of two functions written by hand in every export's real
//! columns (legacy CUR in a real file's header order, CUR 2.0, FOCUS 1.0 as AWS exports it,
//! FOCUS 1.2 without a usage type, Athena's results of `bill-query`), CUR 2.0 as Parquet
//! written here with the `parquet` crate's writer, a directory of export parts, and a month
//! built from a generated log and the bill AWS's rules make of it.

use crate::shapes::gzip;
use crate::util::Test;
use serde_json::Value;

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/bill/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// `bill FILES --format json`, answered yes.
fn bill(t: &Test, files: &[&str], extra: &[&str]) -> Value {
    let mut args = vec!["bill"];
    args.extend(files);
    args.extend(["--format", "json"]);
    args.extend(extra);
    t.run(&args).success().json()
}

/// A charge of a function: (charge, operation) → its JSON.
fn charge<'v>(doc: &'v Value, function: &str, charge: &str, operation: &str) -> &'v Value {
    doc["functions"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["function"] == function)
        .flat_map(|f| f["charges"].as_array().into_iter().flatten())
        .find(|c| c["charge"] == charge && c["operation"] == operation)
        .unwrap_or(&Value::Null)
}

/// Every charge's (function, charge, arch, operation, quantity, billed) as text.
fn summary(doc: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for f in doc["functions"].as_array().into_iter().flatten() {
        for c in f["charges"].as_array().into_iter().flatten() {
            out.push(format!(
                "{} {} {} {} {} {} {}",
                f["function"],
                f["region"],
                c["charge"],
                c["arch"],
                c["operation"],
                c["quantity"],
                c["billed_cost_usd"]
            ));
        }
    }
    out
}

#[test]
fn a_legacy_cur_is_summed_per_function_and_charge_and_every_line_checked() {
    let t = Test::new();
    let doc = bill(&t, &[&fixture("cur-legacy-2026-10.csv")], &[]);
    // orders' invocation duration: 1,234.5 + 2,000.25 GB-s billed, 400,000 paid by the free
    // tier: 0.0205750412 + 0.0333375667 billed; public 6.66668 more on the free-tier line.
    let d = charge(&doc, "orders", "duration", "Invoke");
    assert_eq!(d["quantity"].to_string(), "403234.75");
    assert_eq!(d["billed_cost_usd"].to_string(), "0.0539126079");
    assert_eq!(d["public_cost_usd"].to_string(), "6.7205926079");
    assert_eq!(d["free_tier_quantity"].to_string(), "400000");
    assert_eq!(d["free_tier_usd"].to_string(), "6.666680");
    assert_eq!(d["line_items"], 3);
    // The Shutdown duration is its own line: 12.5 GB-s, $0.0002083338.
    let s = charge(&doc, "orders", "duration", "Shutdown");
    assert_eq!(s["quantity"].to_string(), "12.5");
    assert_eq!(s["billed_cost_usd"].to_string(), "0.0002083338");
    // Provisioned Concurrency and its duration.
    let pc = charge(&doc, "orders", "provisioned_concurrency", "Invoke");
    assert_eq!(pc["billed_cost_usd"].to_string(), "0.0041667");
    let pd = charge(&doc, "orders", "provisioned_duration", "Invoke");
    assert_eq!(pd["billed_cost_usd"].to_string(), "0.0048611");
    // thumbnails: us-east-1's arm64 types carry no prefix; 10,000 GB-s covered by a Savings
    // Plan at $0.1106672 instead of $0.133334, its negation offsetting the on-demand cost.
    let a = charge(&doc, "thumbnails", "duration", "Invoke");
    assert_eq!(a["arch"], "arm64");
    assert_eq!(a["quantity"].to_string(), "15000");
    assert_eq!(a["billed_cost_usd"].to_string(), "0.066667");
    assert_eq!(a["savings_plan_public_usd"].to_string(), "0.133334");
    assert_eq!(a["savings_plan_effective_usd"].to_string(), "0.1106672");
    assert_eq!(a["savings_plan_negation_usd"].to_string(), "-0.133334");
    // 1 - 0.1106672 / 0.133334 = 0.17000015 (to ten places)
    assert_eq!(a["savings_plan_discount"].to_string(), "0.17000015");
    let region = |f: &str| {
        doc["functions"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|x| x["function"] == f)
            .map(|x| x["region"].clone())
    };
    assert_eq!(region("thumbnails"), Some(Value::from("us-east-1")));
    assert_eq!(region("orders"), Some(Value::from("us-west-2")));
    assert_eq!(
        (doc["lines_checked"].clone(), doc["lines_agree"].clone()),
        (11.into(), 11.into())
    );
    assert_eq!(doc["mismatches"], Value::Array(vec![]));
    // Every line is accounted for: 12 Lambda lines summed, EC2's left out and counted.
    assert_eq!(doc["lines_read"], 13);
    assert_eq!(doc["lines_summed"], 12);
    assert_eq!(doc["lines_other_services"], 1);
}

#[test]
fn every_export_format_gives_the_same_bill() {
    let t = Test::new();
    let legacy = summary(&bill(&t, &[&fixture("cur-legacy-2026-10.csv")], &[]));
    assert_eq!(legacy.len(), 7, "{legacy:#?}");
    for other in [
        "cur2-2026-10.csv",
        "athena-results.csv",
        "athena-results.json",
    ] {
        let doc = bill(&t, &[&fixture(other)], &[]);
        assert_eq!(summary(&doc), legacy, "{other}");
        assert_eq!(doc["lines_agree"], doc["lines_checked"], "{other}");
    }
    // FOCUS has no negation line: the covered usage is billed 0 on its own line; the same
    // quantities and billed costs.
    for focus in ["focus-1.0-2026-10.csv", "focus-1.2-2026-10.csv"] {
        let doc = bill(&t, &[&fixture(focus)], &[]);
        let mut got = summary(&doc);
        let mut want = legacy.clone();
        // FOCUS 1.2 states no usage type: the lines are known by their description.
        if focus.contains("1.2") {
            got = got.iter().map(|l| l.to_string()).collect();
            want.sort();
            got.sort();
        }
        assert_eq!(got, want, "{focus}");
        // Its free-tier lines list no public rate: counted as not checkable, not as wrong.
        assert_eq!(doc["lines_checked"], 9, "{focus}");
        assert_eq!(doc["lines_agree"], 9, "{focus}");
        let unchecked: u64 = doc["lines_unchecked"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|u| u["lines"].as_u64())
            .sum();
        assert_eq!(unchecked, 2, "{focus}");
        assert_eq!(
            charge(&doc, "orders", "duration", "Invoke")["free_tier_usd"].to_string(),
            "0.000000",
            "{focus}: FOCUS sets the free tier's list cost to 0"
        );
    }
}

#[test]
fn a_line_with_a_wrong_rate_or_wrong_arithmetic_is_listed_with_its_file_and_row() {
    let t = Test::new();
    let text = std::fs::read_to_string(fixture("cur-legacy-2026-10.csv")).expect("fixture");
    // thumbnails' 5,000 GB-s billed at $0.000014 (book: $0.0000133334), its cost consistent.
    let wrong = text.replacen(
        "5000.0,,,USD,0.0000133334,0.066667,0.0000133334,0.066667",
        "5000.0,,,USD,0.000014,0.07,0.000014,0.07",
        1,
    );
    assert_ne!(
        wrong, text,
        "the fixture's line is where the test expects it"
    );
    let file = t.write("wrong.csv", &wrong);
    let file = file.to_string_lossy().to_string();
    let run = t.run(&["bill", &file, "--format", "json"]);
    let doc = run.answered_no().json();
    assert_eq!(doc["lines_checked"], 11);
    assert_eq!(doc["lines_agree"], 10);
    let m = &doc["mismatches"][0];
    assert_eq!(m["file"], Value::from(file.clone()));
    // The header is line 1; the ninth Lambda line is line 10.
    assert_eq!(m["row"], 10);
    assert_eq!(m["usage_type"], "Lambda-GB-Second-ARM");
    assert_eq!(m["problem"], "rate");
    assert_eq!(m["rate"].to_string(), "0.000014");
    assert_eq!(m["book_rate"].to_string(), "0.0000133334");
    // A cost that is not quantity × rate: 150,000 requests × $0.0000002 = $0.03, stated 0.04.
    let sums = text.replacen(
        "150000.0,,,USD,0.0000002,0.03,0.0000002,0.03",
        "150000.0,,,USD,0.0000002,0.04,0.0000002,0.04",
        1,
    );
    assert_ne!(sums, text);
    let file = t.write("sums.csv", &sums);
    let run = t.run(&["bill", &file.to_string_lossy(), "--format", "json"]);
    let doc = run.answered_no().json();
    let m = &doc["mismatches"][0];
    assert_eq!(m["problem"], "arithmetic");
    assert_eq!(m["cost"].to_string(), "0.040000");
    assert_eq!(m["expected_cost"].to_string(), "0.030000");
    assert_eq!(m["row"], 4);
    // The table lists it in words.
    let run = t.run(&["bill", &file.to_string_lossy()]);
    run.answered_no();
    assert!(
        run.stdout.contains(
            ":4 USW2-Request: cost 0.04 is not its quantity × 0.0000002 rounded to 10 places (0.03)"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn focus_billed_cost_is_checked_and_months_before_the_book_are_not_judged() {
    let t = Test::new();
    let focus = std::fs::read_to_string(fixture("focus-1.0-2026-10.csv")).expect("fixture");
    // orders' first line billed $0.0305750412 for 1,234.5 GB-s at a contracted $0.0000166667.
    let wrong = focus.replacen(",0.0205750412,", ",0.0305750412,", 1);
    assert_ne!(wrong, focus);
    let file = t.write("focus.csv", &wrong);
    let doc = t
        .run(&["bill", &file.to_string_lossy(), "--format", "json"])
        .answered_no()
        .json();
    assert_eq!(doc["mismatches"][0]["problem"], "arithmetic");
    assert_eq!(doc["mismatches"][0]["row"], 2);
    assert_eq!(doc["mismatches"][0]["cost"].to_string(), "0.0305750412");
    // The same month in 2024: before the embedded book's effective date, not its to judge.
    let old = std::fs::read_to_string(fixture("cur-legacy-2026-10.csv"))
        .expect("fixture")
        .replace("2026-1", "2024-1");
    let file = t.write("old-month.csv", &old);
    let doc = bill(&t, &[&file.to_string_lossy()], &[]);
    assert_eq!(doc["lines_checked"], 0);
    assert_eq!(doc["lines_unchecked"][0]["lines"], 11);
    assert!(
        doc["lines_unchecked"][0]["why"]
            .as_str()
            .is_some_and(|w| w.contains("before the price book's effective date")),
        "{}",
        doc["lines_unchecked"]
    );
    let run = t.run(&["bill", &file.to_string_lossy()]);
    run.success();
    assert!(
        run.stdout
            .contains("no usage line could be checked against the price book (11 not checkable)"),
        "{}",
        run.stdout
    );
}

#[test]
fn usage_types_name_their_region_where_no_column_does() {
    let t = Test::new();
    // Older CUR rows name the function, not its ARN, and this export has no region column:
    // us-east-1's types carry no prefix, eu-west-1's are EU-, not EUW1-.
    let csv = "\
identity/LineItemId,bill/BillingPeriodStartDate,lineItem/LineItemType,lineItem/UsageStartDate,lineItem/ProductCode,lineItem/UsageType,lineItem/Operation,lineItem/ResourceId,lineItem/UsageAmount,lineItem/UnblendedRate,lineItem/UnblendedCost,lineItem/LineItemDescription,pricing/publicOnDemandCost,pricing/publicOnDemandRate,pricing/unit
a1,2026-10-01T00:00:00Z,Usage,2026-10-01T00:00:00Z,AWSLambda,Lambda-GB-Second,Invoke,api,100.0,0.0000166667,0.00166667,AWS Lambda - Total Compute - US East (Northern Virginia)-Tier-1,0.00166667,0.0000166667,Lambda-GB-Second
a2,2026-10-01T00:00:00Z,Usage,2026-10-01T00:00:00Z,AWSLambda,EU-Request,Invoke,worker,1000.0,0.0000002,0.0002,AWS Lambda - Total Requests - EU (Ireland),0.0002,0.0000002,Requests
a3,2026-10-01T00:00:00Z,Usage,2026-10-01T00:00:00Z,AWSLambda,EU-Lambda-GB-Second-ARM,Invoke,worker,10.0,0.0000133334,0.000133334,AWS Lambda - Total Compute for ARM - EU (Ireland)-Tier-1,0.000133334,0.0000133334,Lambda-GB-Second
";
    let file = t.write("old.csv", csv);
    let doc = bill(&t, &[&file.to_string_lossy()], &[]);
    let regions: Vec<String> = doc["functions"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| format!("{} {}", f["function"], f["region"]))
        .collect();
    assert_eq!(
        regions,
        ["\"api\" \"us-east-1\"", "\"worker\" \"eu-west-1\""]
    );
    assert_eq!(
        charge(&doc, "worker", "duration", "Invoke")["arch"],
        "arm64"
    );
    assert_eq!(doc["lines_agree"], 3);
}

/// Days from 1970-01-01 to a civil date (Howard Hinnant's algorithm).
fn days(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Milliseconds since the epoch of `2026-10-01T00:00:00.000Z`.
fn millis(ts: &str) -> Option<i64> {
    let n = |r: std::ops::Range<usize>| ts.get(r)?.parse::<i64>().ok();
    let day = days(n(0..4)?, n(5..7)?, n(8..10)?);
    Some(((day * 24 + n(11..13)?) * 60 + n(14..16)?) * 60_000 + n(17..19)? * 1000)
}

/// The CUR 2.0 fixture's rows as a Parquet file, as Data Exports writes one: dates as
/// timestamps, amounts as doubles, the product attributes in a map; no region column, so the
/// map's `region` is what places each line. Row groups of `group_rows` rows.
fn cur2_parquet(
    rows: &[csv::StringRecord],
    header: &csv::StringRecord,
    group_rows: usize,
) -> Vec<u8> {
    use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int64Type};
    use parquet::file::properties::WriterProperties;
    use parquet::file::writer::SerializedFileWriter;
    use std::sync::Arc;
    let strings = [
        "line_item_resource_id",
        "line_item_product_code",
        "line_item_usage_type",
        "line_item_operation",
        "line_item_line_item_type",
        "line_item_line_item_description",
        "pricing_public_on_demand_rate",
        "pricing_rate_code",
        "pricing_unit",
    ];
    let doubles = [
        "line_item_usage_amount",
        "line_item_unblended_rate",
        "line_item_unblended_cost",
        "pricing_public_on_demand_cost",
        "savings_plan_savings_plan_effective_cost",
    ];
    let stamps = [
        "bill_billing_period_start_date",
        "line_item_usage_start_date",
    ];
    let mut message = String::from("message schema {\n");
    for s in stamps {
        message.push_str(&format!("  optional int64 {s} (TIMESTAMP_MILLIS);\n"));
    }
    for s in strings {
        message.push_str(&format!("  optional binary {s} (UTF8);\n"));
    }
    for d in doubles {
        message.push_str(&format!("  optional double {d};\n"));
    }
    message.push_str(
        "  optional group product (MAP) {\n    repeated group key_value {\n      required binary key (UTF8);\n      optional binary value (UTF8);\n    }\n  }\n}\n",
    );
    let schema = Arc::new(parquet::schema::parser::parse_message_type(&message).expect("schema"));
    let props = Arc::new(
        WriterProperties::builder()
            .set_compression(parquet::basic::Compression::SNAPPY)
            .build(),
    );
    let col = |name: &str| header.iter().position(|h| h == name).expect("column");
    let mut out = Vec::new();
    let mut writer = SerializedFileWriter::new(&mut out, schema, props).expect("writer");
    for chunk in rows.chunks(group_rows) {
        let mut group = writer.next_row_group().expect("row group");
        let cell = |r: &csv::StringRecord, name: &str| r.get(col(name)).unwrap_or("").to_string();
        for s in stamps {
            let mut c = group.next_column().expect("column").expect("a column");
            let (values, defs): (Vec<i64>, Vec<i16>) = chunk
                .iter()
                .map(|r| millis(&cell(r, s)))
                .fold((vec![], vec![]), |(mut v, mut d), m| {
                    match m {
                        Some(m) => {
                            v.push(m);
                            d.push(1)
                        }
                        None => d.push(0),
                    }
                    (v, d)
                });
            c.typed::<Int64Type>()
                .write_batch(&values, Some(&defs), None)
                .expect("write");
            c.close().expect("close");
        }
        for s in strings {
            let mut c = group.next_column().expect("column").expect("a column");
            let mut values = Vec::new();
            let mut defs = Vec::new();
            for r in chunk {
                let v = cell(r, s);
                if v.is_empty() {
                    defs.push(0);
                } else {
                    values.push(ByteArray::from(v.as_str()));
                    defs.push(1);
                }
            }
            c.typed::<ByteArrayType>()
                .write_batch(&values, Some(&defs), None)
                .expect("write");
            c.close().expect("close");
        }
        for d in doubles {
            let mut c = group.next_column().expect("column").expect("a column");
            let mut values = Vec::new();
            let mut defs = Vec::new();
            for r in chunk {
                match cell(r, d).parse::<f64>() {
                    Ok(v) => {
                        values.push(v);
                        defs.push(1);
                    }
                    Err(_) => defs.push(0),
                }
            }
            c.typed::<DoubleType>()
                .write_batch(&values, Some(&defs), None)
                .expect("write");
            c.close().expect("close");
        }
        // The map: its keys, then its values, each entry a repetition of key_value.
        let maps: Vec<Vec<(String, String)>> = chunk
            .iter()
            .map(|r| {
                let v: Value = serde_json::from_str(&cell(r, "product")).unwrap_or(Value::Null);
                v.as_object()
                    .into_iter()
                    .flatten()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
                    .collect()
            })
            .collect();
        for part in 0..2 {
            let mut c = group.next_column().expect("column").expect("a column");
            let (mut values, mut defs, mut reps) = (Vec::new(), Vec::new(), Vec::new());
            for m in &maps {
                if m.is_empty() {
                    defs.push(0);
                    reps.push(0);
                }
                for (i, (k, v)) in m.iter().enumerate() {
                    values.push(ByteArray::from(if part == 0 {
                        k.as_str()
                    } else {
                        v.as_str()
                    }));
                    defs.push(if part == 0 { 2 } else { 3 });
                    reps.push(i16::from(i > 0));
                }
            }
            c.typed::<ByteArrayType>()
                .write_batch(&values, Some(&defs), Some(&reps))
                .expect("write");
            c.close().expect("close");
        }
        group.close().expect("close");
    }
    writer.close().expect("close");
    out
}

fn cur2_rows() -> (csv::StringRecord, Vec<csv::StringRecord>) {
    let mut r = csv::Reader::from_path(fixture("cur2-2026-10.csv")).expect("fixture");
    let header = r.headers().expect("header").clone();
    let rows = r.records().map(|x| x.expect("a record")).collect();
    (header, rows)
}

#[test]
fn parquet_is_read_row_group_by_row_group_and_gives_the_csvs_bill() {
    let t = Test::new();
    let (header, rows) = cur2_rows();
    let csv_bill = bill(&t, &[&fixture("cur2-2026-10.csv")], &[]);
    // Row groups of three rows: the reader crosses row groups as it streams.
    let file = t.path("export-00001.snappy.parquet");
    std::fs::write(&file, cur2_parquet(&rows, &header, 3)).expect("write");
    let doc = bill(&t, &[&file.to_string_lossy()], &[]);
    assert_eq!(summary(&doc), summary(&csv_bill));
    assert_eq!(doc["lines_read"], 13);
    assert_eq!(doc["lines_agree"], 11);
    assert_eq!(doc["files"][0]["container"], "Parquet");
    assert_eq!(doc["files"][0]["format"], "CUR 2.0");
    assert_eq!(
        charge(&doc, "thumbnails", "duration", "Invoke")["savings_plan_effective_usd"].to_string(),
        "0.1106672"
    );
}

#[test]
fn a_directory_of_export_parts_is_read_by_content_and_its_manifest_skipped() {
    let t = Test::new();
    let (header, rows) = cur2_rows();
    let whole = bill(&t, &[&fixture("cur2-2026-10.csv")], &[]);
    // The S3 layout of a CUR 2.0 export: data parts under BILLING_PERIOD=, a manifest beside.
    let data = t.path("lambda-export/data/BILLING_PERIOD=2026-10");
    let meta = t.path("lambda-export/metadata/BILLING_PERIOD=2026-10");
    std::fs::create_dir_all(&data).expect("mkdir");
    std::fs::create_dir_all(&meta).expect("mkdir");
    let (first, second) = rows.split_at(6);
    let mut part = csv::Writer::from_writer(Vec::new());
    part.write_record(&header).expect("header");
    for r in first {
        part.write_record(r).expect("row");
    }
    let text = part.into_inner().expect("csv");
    // Named like a Parquet file: the content, not the name, says what it is.
    std::fs::write(data.join("lambda-export-00001.csv.gz"), gzip(&text)).expect("write");
    std::fs::write(
        data.join("lambda-export-00002.snappy.parquet"),
        cur2_parquet(second, &header, 4),
    )
    .expect("write");
    std::fs::write(
        meta.join("lambda-export-Manifest.json"),
        r#"{"executionId":"7b1c","billingPeriod":{"start":"2026-10-01T00:00:00.000Z"},"dataFiles":["s3://bucket/lambda-export/data/BILLING_PERIOD=2026-10/lambda-export-00001.csv.gz"]}"#,
    )
    .expect("write");
    let dir = t.path("lambda-export");
    let doc = bill(&t, &[&dir.to_string_lossy()], &[]);
    assert_eq!(summary(&doc), summary(&whole));
    assert_eq!(doc["files"].as_array().map(Vec::len), Some(2));
    assert_eq!(doc["files"][0]["container"], "CSV (gzip)");
    assert_eq!(doc["skipped"].as_array().map(Vec::len), Some(1));
    assert!(
        doc["skipped"][0]["file"]
            .as_str()
            .is_some_and(|f| f.ends_with("lambda-export-Manifest.json")),
        "{}",
        doc["skipped"]
    );
}

/// REPORT lines of `n` invocations of `orders` at 512 MB, and the billed ms of each.
fn generated_log(n: u64) -> (String, Vec<u64>) {
    let mut text = String::new();
    let mut billed = Vec::new();
    for i in 0..n {
        // Durations spread over 20-220 ms, every tenth invocation cold with a 180 ms INIT.
        let duration = 20.0 + ((i * 7919) % 2000) as f64 / 10.0 + 0.37;
        let cold = i % 10 == 0;
        let init = if cold { 180.25 } else { 0.0 };
        let b = (duration + init).ceil() as u64;
        billed.push(b);
        let init_text = if cold {
            format!("\tInit Duration: {init:.2} ms")
        } else {
            String::new()
        };
        text.push_str(&format!(
            "REPORT RequestId: 8f5c2c4e-0000-4000-8000-{i:012}\tDuration: {duration:.2} ms\tBilled Duration: {b} ms\tMemory Size: 512 MB\tMax Memory Used: 91 MB{init_text}\t\n"
        ));
    }
    (text, billed)
}

#[test]
fn a_month_built_from_a_log_reconciles_with_the_bill_aws_makes_of_it() {
    let t = Test::new();
    let (log, billed) = generated_log(2400);
    let log_file = t.write("orders.log", &log);
    // AWS's rules: an hour's line sums the hour's billed GB-s (ms / 1000 × 512 / 1024),
    // costed at the rate, rounded half up to 10 places; requests likewise. 100 invocations
    // an hour, 24 hours; and 3.5 GB-s of Shutdown duration that no REPORT line shows.
    let header = "bill_billing_period_start_date,line_item_usage_start_date,line_item_resource_id,line_item_product_code,line_item_usage_type,line_item_operation,line_item_line_item_type,line_item_usage_amount,line_item_unblended_rate,line_item_unblended_cost,pricing_public_on_demand_rate,pricing_public_on_demand_cost,pricing_rate_code,pricing_unit,product";
    let mut csv = format!("{header}\n");
    let rate = rust_decimal::Decimal::new(166_667, 10);
    let request_rate = rust_decimal::Decimal::new(2, 7);
    let round = |v: rust_decimal::Decimal| {
        v.round_dp_with_strategy(10, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
    };
    let arn = "arn:aws:lambda:eu-west-1:123456789012:function:orders";
    let product = r#""{""region"":""eu-west-1"",""product_name"":""AWS Lambda""}""#;
    let mut total_gb_s = rust_decimal::Decimal::ZERO;
    for (hour, chunk) in billed.chunks(100).enumerate() {
        let ms: u64 = chunk.iter().sum();
        let gb_s = rust_decimal::Decimal::from(ms) / rust_decimal::Decimal::from(1000)
            * rust_decimal::Decimal::new(5, 1);
        total_gb_s += gb_s;
        let start = format!("2026-10-01T{hour:02}:00:00.000Z");
        let cost = round(gb_s * rate);
        csv.push_str(&format!(
            "2026-10-01T00:00:00.000Z,{start},{arn},AWSLambda,EU-Lambda-GB-Second,Invoke,Usage,{gb_s},{rate},{cost},{rate},{cost},T.JRTCKXETXF.R,Lambda-GB-Second,{product}\n"
        ));
        let requests = rust_decimal::Decimal::from(chunk.len());
        let cost = round(requests * request_rate);
        csv.push_str(&format!(
            "2026-10-01T00:00:00.000Z,{start},{arn},AWSLambda,EU-Request,Invoke,Usage,{requests},{request_rate},{cost},{request_rate},{cost},T.JRTCKXETXF.R,Requests,{product}\n"
        ));
    }
    let shutdown = round(rust_decimal::Decimal::new(35, 1) * rate);
    csv.push_str(&format!(
        "2026-10-01T00:00:00.000Z,2026-10-01T23:00:00.000Z,{arn},AWSLambda,EU-Lambda-GB-Second,Shutdown,Usage,3.5,{rate},{shutdown},{rate},{shutdown},T.JRTCKXETXF.R,Lambda-GB-Second,{product}\n"
    ));
    let bill_file = t.write("cur.csv", &csv);
    let doc = bill(
        &t,
        &[&bill_file.to_string_lossy()],
        &["--against", &log_file.to_string_lossy()],
    );
    let a = &doc["against"][0];
    assert_eq!(a["function"], "orders");
    assert_eq!(a["log_requests"], 2400);
    assert_eq!(a["bill_requests"].to_string(), "2400");
    assert_eq!(
        a["bill_gb_seconds"].to_string(),
        total_gb_s.normalize().to_string()
    );
    assert_eq!(
        a["log_gb_seconds"].to_string(),
        total_gb_s.normalize().to_string()
    );
    assert_eq!(a["gb_seconds_difference"].to_string(), "0");
    // Priced alike, the logs and the bill agree within the lines' roundings: a cent at most.
    let usd: f64 = a["usd_difference"].to_string().parse().unwrap_or(1.0);
    assert!(usd.abs() < 0.01, "{a}");
    let causes = a["causes"].to_string();
    assert!(
        causes.contains("3.50 GB-s billed under the operation Shutdown"),
        "{causes}"
    );
    // The table says it in a sentence.
    let run = t.run(&[
        "bill",
        &bill_file.to_string_lossy(),
        "--against",
        &log_file.to_string_lossy(),
    ]);
    run.success();
    assert!(
        run.stdout
            .contains("orders 2026-10 against its logs: the logs imply"),
        "{}",
        run.stdout
    );
}

#[test]
fn bad_input_is_refused_in_one_line_and_a_bill_without_lambda_is_an_answer() {
    let t = Test::new();
    let notes = t.write("notes.csv", "name,amount\nlunch,12\n");
    t.run(&["bill", &notes.to_string_lossy()]).refused(&[
        "notes.csv: not a billing export",
        "looked for a billing export: a CUR header (lineItem/UsageType)",
    ]);
    let bad = std::fs::read_to_string(fixture("cur-legacy-2026-10.csv"))
        .expect("fixture")
        .replacen(",1234.5,", ",12o4.5,", 1);
    let bad = t.write("bad.csv", &bad);
    t.run(&["bill", &bad.to_string_lossy()])
        .refused(&["bad.csv:2: lineItem/UsageAmount \"12o4.5\" is not a number"]);
    // A bill of EC2 alone: said, and an answer.
    let ec2: String = std::fs::read_to_string(fixture("cur-legacy-2026-10.csv"))
        .expect("fixture")
        .lines()
        .filter(|l| l.starts_with("identity/") || l.contains(",AmazonEC2,"))
        .map(|l| format!("{l}\n"))
        .collect();
    let ec2 = t.write("ec2.csv", &ec2);
    let run = t.run(&["bill", &ec2.to_string_lossy()]);
    run.success();
    assert!(
        run.stdout.contains("no AWS Lambda line among the 1 lines"),
        "{}",
        run.stdout
    );
    // A function the bill does not have: which ones it has.
    t.run(&["bill", &fixture("cur-legacy-2026-10.csv"), "--function", "payments"])
        .refused(&["--function payments: the bill has no Lambda line for it; it has orders (2026-10), thumbnails (2026-10)"]);
    t.run(&[
        "bill",
        &fixture("cur-legacy-2026-10.csv"),
        "--month",
        "2026-13",
    ])
    .refused(&["'2026-13' is not a month"]);
    // --function keeps one function, and says how many lines it left out.
    let doc = bill(
        &t,
        &[&fixture("cur-legacy-2026-10.csv")],
        &["--function", "thumbnails"],
    );
    assert_eq!(doc["functions"].as_array().map(Vec::len), Some(1));
    assert_eq!(doc["lines_filtered_out"], 8);
}

#[test]
fn bill_query_writes_athena_sql_whose_results_bill_reads() {
    let t = Test::new();
    for (schema, table, from) in [
        ("cur2", None, "FROM cur2"),
        ("cur-legacy", Some("my_cur"), "FROM my_cur"),
        ("focus", None, "FROM focus"),
    ] {
        let mut args = vec!["bill-query", "--schema", schema];
        if let Some(name) = table {
            args.extend(["--table", name]);
        }
        let run = t.run(&args);
        run.success();
        assert!(run.stdout.contains(from), "{}", run.stdout);
        assert!(
            run.stdout.contains("COUNT(*) AS line_items"),
            "{}",
            run.stdout
        );
        assert!(
            run.stdout
                .contains("GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11")
        );
    }
}

#[test]
fn a_savings_plan_discounts_duration_and_provisioned_concurrency_in_estimates() {
    let t = Test::new();
    // 10M × 100 ms at 512 MB: 500,000 GB-s × $0.0000166667 = $8.33335, 17% off $6.9166805;
    // requests $2 either way: $8.9166805 a month.
    let run = t.run(&[
        "estimate",
        "--requests",
        "10M",
        "--duration-ms",
        "100",
        "--memory-mb",
        "512",
        "--savings-plan",
        "17",
        "--format",
        "json",
    ]);
    let doc = run.success().json();
    let total = doc["rows"][0]["total_usd"].to_string();
    assert_eq!(total, "8.9166805", "{doc}");
    let notes = doc["notes"].to_string();
    assert!(
        notes.contains("Savings Plan 17.00% off duration and Provisioned Concurrency"),
        "{notes}"
    );
    t.run(&["estimate", "--savings-plan", "100"])
        .refused(&["'100' is 100% or more"]);
}
