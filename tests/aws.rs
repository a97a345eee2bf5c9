//! Straight from the account, against a real AWS API server: moto's server mode, started by
//! `.ci/run` on loopback (`LAMBCOST_MOTO_ENDPOINT`), serves the Lambda and CloudWatch Logs
//! APIs over their wire protocols. Each test seeds functions and log events of its own
//! (moto's state is shared) and runs lambcost with dummy credentials pointed at it.

use crate::util::Test;
use serde_json::{Value, json};
use std::sync::atomic::{AtomicU32, Ordering};

/// moto's endpoint, or `None` (the test is skipped, unless `LAMBCOST_REQUIRE_MOTO` is set).
fn moto() -> Option<String> {
    match std::env::var("LAMBCOST_MOTO_ENDPOINT") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            crate::util::skipped(
                "reading from the account: no moto server (LAMBCOST_MOTO_ENDPOINT)",
                "LAMBCOST_REQUIRE_MOTO",
            );
            None
        }
    }
}

/// A name no other test uses on the shared server.
fn unique(base: &str) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    format!(
        "{base}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// The environment of a run against moto: dummy credentials, its endpoint, a region.
fn env(endpoint: &str) -> Vec<(&'static str, String)> {
    vec![
        ("AWS_ENDPOINT_URL", endpoint.to_string()),
        ("AWS_ACCESS_KEY_ID", "testing".to_string()),
        ("AWS_SECRET_ACCESS_KEY", "testing".to_string()),
        ("AWS_REGION", "us-east-1".to_string()),
        ("AWS_EC2_METADATA_DISABLED", "true".to_string()),
    ]
}

fn seed(t: &Test, endpoint: &str, spec: &Value) {
    let file = t.write(&unique("seed"), &spec.to_string());
    let out = std::process::Command::new("python3")
        .arg(format!("{}/tests/moto_seed.py", env!("CARGO_MANIFEST_DIR")))
        .arg(&file)
        .envs(env(endpoint))
        .output()
        .expect("python3 runs the seeding script");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Seeds one function and its log group with `events`, and compares it as `aws:NAME`.
fn compare_seeded(t: &Test, endpoint: &str, function: &Value, events: &[(u64, String)]) -> Value {
    let name = function["name"].as_str().unwrap_or("");
    seed(
        t,
        endpoint,
        &json!({
            "functions": [function],
            "logs": [{"group": format!("/aws/lambda/{name}"), "stream": "2026/12/07/[$LATEST]0a1b2c", "events": events}],
        }),
    );
    run(
        t,
        endpoint,
        &[
            "compare",
            &format!("aws:{name}"),
            "--requests",
            "1M",
            "--format",
            "json",
        ],
    )
    .success()
    .json()
}

/// A provided.al2023 function of 512 MB with `n` invocations, compared: its name and the JSON.
fn seeded_plain(t: &Test, endpoint: &str, base: &str, n: usize) -> (String, Value) {
    let name = unique(base);
    let (events, _) = report_events(n);
    let function = json!({"name": name, "runtime": "provided.al2023", "memory_mb": 512});
    let doc = compare_seeded(t, endpoint, &function, &events);
    (name, doc)
}

fn run(t: &Test, endpoint: &str, args: &[&str]) -> crate::util::Run {
    let env = env(endpoint);
    let pairs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    t.run_with(args, &pairs, &["AWS_PROFILE", "AWS_DEFAULT_REGION"])
}

/// `n` invocations' START and REPORT lines, every tenth cold, spread over the last hour.
fn report_events(n: usize) -> (Vec<(u64, String)>, String) {
    let mut events = Vec::new();
    let mut text = String::new();
    for i in 0..n {
        let ago = 3_600_000 - (i as u64 * 3_000_000 / n as u64);
        let duration = 10.0 + (i * 37 % 500) as f64 / 10.0;
        let billed = duration.ceil() as u64;
        let init = if i % 10 == 0 {
            "\tInit Duration: 180.25 ms".to_string()
        } else {
            String::new()
        };
        let billed = if init.is_empty() {
            billed
        } else {
            (duration + 180.25).ceil() as u64
        };
        let report = format!(
            "REPORT RequestId: 00000000-0000-4000-8000-{i:012}\tDuration: {duration:.2} ms\tBilled Duration: {billed} ms\tMemory Size: 512 MB\tMax Memory Used: 83 MB{init}\t\n"
        );
        events.push((
            ago + 1,
            format!("START RequestId: 00000000-0000-4000-8000-{i:012} Version: $LATEST\n"),
        ));
        events.push((ago, report.clone()));
        text.push_str(&report);
    }
    (events, text)
}

/// The invocations of a compare run's first variant.
fn invocations(doc: &Value) -> u64 {
    let m = &doc["variants"][0]["statistics"];
    m["cold"]["count"].as_u64().unwrap_or(0) + m["warm"]["count"].as_u64().unwrap_or(0)
}

/// The figures of a compare run's variant that must not depend on where the events came from.
fn statistics(doc: &Value) -> Value {
    let v = &doc["variants"][0];
    json!({
        "statistics": v["statistics"],
        "memory_size_mb": v["memory_size_mb"],
    })
}

#[test]
fn a_function_read_from_the_account_gives_the_statistics_of_its_events_saved_as_a_file() {
    let Some(endpoint) = moto() else { return };
    let t = Test::new();
    let name = unique("orders");
    let (events, text) = report_events(40);
    let function = json!({"name": name, "runtime": "dotnet8", "memory_mb": 512, "arch": "arm64"});
    let from_aws = compare_seeded(&t, &endpoint, &function, &events);
    let file = t.write("saved.log", &text);
    let saved = t
        .run(&[
            "compare",
            &file.to_string_lossy(),
            "--arch",
            "arm64",
            "--requests",
            "1M",
            "--format",
            "json",
        ])
        .success()
        .json();
    assert_eq!(statistics(&from_aws), statistics(&saved));
    assert_eq!(from_aws["variants"][0]["statistics"]["cold"]["count"], 4);
    // The variant is the function, with its configuration's architecture and runtime.
    let v = &from_aws["variants"][0];
    assert_eq!(v["variant"], Value::from(name.clone()));
    assert_eq!(v["arch"], "arm64");
    assert_eq!(v["runtime"], "dotnet8");
    let data = from_aws["data"].as_str().unwrap_or("");
    assert!(
        data.contains("512 MB, arm64, dotnet8 from GetFunctionConfiguration"),
        "{data}"
    );
    assert!(
        data.contains(&format!(
            "events of /aws/lambda/{name} (Text) from FilterLogEvents"
        )),
        "{data}"
    );
}

#[test]
fn a_logs_insights_query_runs_on_aws_and_its_results_are_read_as_compare_reads_them() {
    let Some(endpoint) = moto() else { return };
    let t = Test::new();
    let (name, filtered) = seeded_plain(&t, &endpoint, "insights", 25);
    // moto runs fields/sort/limit queries only (no stats): a query of the events themselves,
    // started, polled to completion and read as Insights results of events are.
    let query = "fields @timestamp, @message, @logStream | sort @timestamp desc | limit 10000";
    let input = format!("aws:{name}");
    let doc = run(
        &t,
        &endpoint,
        &[
            "compare",
            &input,
            "--insights",
            "--insights-query",
            query,
            "--requests",
            "1M",
            "--format",
            "json",
        ],
    )
    .success()
    .json();
    assert_eq!(invocations(&doc), 25);
    assert_eq!(statistics(&doc), statistics(&filtered));
    let data = doc["data"].as_str().unwrap_or("");
    assert!(
        data.contains("rows of a Logs Insights query of /aws/lambda/"),
        "{data}"
    );
    assert!(data.contains("at $0.005 per GB"), "{data}");
    // lambcost's own query asks for stats, which moto cannot compute: what it hands back is
    // refused by name, not read as something else.
    run(&t, &endpoint, &["compare", &input, "--insights"])
        .refused(&[&format!("{input}: Logs Insights results")]);
}

#[test]
fn a_replay_takes_its_arrivals_from_the_functions_report_lines() {
    let Some(endpoint) = moto() else { return };
    let t = Test::new();
    let (name, _) = seeded_plain(&t, &endpoint, "replayed", 25);
    let input = format!("aws:{name}");
    let run = run(&t, &endpoint, &["replay", &input]);
    run.success();
    assert!(run.stdout.contains("Arrivals: 25 over"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains(&format!("arrivals {input} (us-east-1: 512 MB")),
        "{}",
        run.stdout
    );
}

#[test]
fn a_log_group_of_several_pages_is_read_page_by_page() {
    let Some(endpoint) = moto() else { return };
    let t = Test::new();
    // moto hands FilterLogEvents over 10,000 events a page: 12,500 REPORT lines (and as many
    // START lines the filter leaves out) take several pages.
    let (_, doc) = seeded_plain(&t, &endpoint, "busy", 12_500);
    assert_eq!(invocations(&doc), 12_500);
    let data = doc["data"].as_str().unwrap_or("");
    let pages: u32 = data
        .rsplit(", ")
        .next()
        .and_then(|p| p.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(pages >= 2, "more than one page: {data}");
}

#[test]
fn json_format_events_are_read_as_the_text_ones() {
    let Some(endpoint) = moto() else { return };
    let t = Test::new();
    let name = unique("jsonlog");
    // Lambda's JSON log format: platform.report events beside the function's own lines.
    let mut events = Vec::new();
    for i in 0..6u64 {
        let report = json!({"time": "2026-12-07T10:00:00.000Z", "type": "platform.report",
            "record": {"requestId": format!("r{i}"), "metrics": {"durationMs": 12.5 + i as f64,
            "billedDurationMs": 13 + i, "memorySizeMB": 256, "maxMemoryUsedMB": 40}, "status": "success"}});
        events.push((60_000 - i * 1000, report.to_string()));
        events.push((
            60_000 - i * 1000 + 1,
            json!({"type": "platform.start", "record": {"requestId": format!("r{i}")}}).to_string(),
        ));
        events.push((
            60_000 - i * 1000 + 2,
            json!({"level": "INFO", "message": "order saved"}).to_string(),
        ));
    }
    let function = json!({"name": name, "runtime": "provided.al2023", "memory_mb": 256});
    let doc = compare_seeded(&t, &endpoint, &function, &events);
    assert_eq!(invocations(&doc), 6);
    assert_eq!(doc["variants"][0]["memory_size_mb"], 256);
}

#[test]
fn scan_lists_every_function_the_dearest_first_and_those_without_logs() {
    let Some(endpoint) = moto() else { return };
    let t = Test::new();
    let (big, small, silent) = (
        unique("scan-big"),
        unique("scan-small"),
        unique("scan-silent"),
    );
    let (many, _) = report_events(300);
    let (few, _) = report_events(20);
    seed(
        &t,
        &endpoint,
        &json!({
            "functions": [
                {"name": small, "runtime": "provided.al2023", "memory_mb": 512},
                {"name": big, "runtime": "dotnet8", "memory_mb": 512, "arch": "arm64"},
                {"name": silent, "runtime": "python3.12", "memory_mb": 128},
            ],
            "logs": [
                {"group": format!("/aws/lambda/{big}"), "stream": "s", "events": many},
                {"group": format!("/aws/lambda/{small}"), "stream": "s", "events": few},
            ],
        }),
    );
    let doc = run(&t, &endpoint, &["scan", "--format", "json"])
        .success()
        .json();
    let ours: Vec<&Value> = doc["functions"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| {
            [&big, &small, &silent]
                .iter()
                .any(|n| f["function"] == n.as_str())
        })
        .collect();
    let names: Vec<&str> = ours.iter().filter_map(|f| f["function"].as_str()).collect();
    assert_eq!(names, [big.as_str(), small.as_str(), silent.as_str()]);
    assert_eq!(ours[0]["invocations"], 300);
    assert_eq!(ours[0]["arch"], "arm64");
    assert_eq!(ours[0]["cold_starts"], 30);
    assert_eq!(ours[2]["invocations"], 0);
    let findings = ours[0]["findings"].to_string();
    assert!(
        findings.contains("dotnet8 deprecated on 2026-11-10"),
        "{findings}"
    );
    assert!(findings.contains("uses at most 83 of 512 MB"), "{findings}");
    assert!(
        ours[2]["findings"]
            .to_string()
            .contains("no invocation in the window")
    );
    // Sorted by cost: the dearer function first.
    let usd = |f: &Value| f["monthly_usd"].to_string().parse::<f64>().unwrap_or(-1.0);
    assert!(usd(ours[0]) > usd(ours[1]), "{} {}", ours[0], ours[1]);
    // --runtime keeps the matching ones.
    let doc = run(
        &t,
        &endpoint,
        &["scan", "--runtime", "dotnet*", "--format", "json"],
    )
    .success()
    .json();
    assert!(
        doc["functions"]
            .as_array()
            .into_iter()
            .flatten()
            .all(|f| f["runtime"]
                .as_str()
                .is_some_and(|r| r.starts_with("dotnet"))),
        "{doc}"
    );
}

#[test]
fn each_failure_is_one_line_and_exit_status_2() {
    let Some(endpoint) = moto() else { return };
    let t = Test::new();
    let missing = unique("missing");
    let refused = run(&t, &endpoint, &["compare", &format!("aws:{missing}")]);
    refused.refused(&[&format!("aws:{missing}: no such function in us-east-1")]);
    // A function that has never logged has no log group.
    let quiet = unique("quiet");
    seed(
        &t,
        &endpoint,
        &json!({"functions": [{"name": quiet, "runtime": "provided.al2023", "memory_mb": 128}]}),
    );
    run(&t, &endpoint, &["compare", &format!("aws:{quiet}")]).refused(&[&format!(
        "aws:{quiet}: its log group does not exist in us-east-1"
    )]);
    // No credentials anywhere: the chain's every source empty.
    let home = t.path("home");
    std::fs::create_dir_all(&home).expect("mkdir");
    let none = t.run_with(
        &["compare", &format!("aws:{quiet}")],
        &[
            ("AWS_ENDPOINT_URL", endpoint.as_str()),
            ("AWS_REGION", "us-east-1"),
            ("AWS_EC2_METADATA_DISABLED", "true"),
            ("HOME", &home.to_string_lossy()),
            ("AWS_CONFIG_FILE", &home.join("config").to_string_lossy()),
            (
                "AWS_SHARED_CREDENTIALS_FILE",
                &home.join("credentials").to_string_lossy(),
            ),
        ],
        &[
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN",
            "AWS_PROFILE",
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
            "AWS_WEB_IDENTITY_TOKEN_FILE",
        ],
    );
    none.refused(&[&format!("aws:{quiet}: no AWS credentials found")]);
}
