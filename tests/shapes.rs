//! Logs in every shape AWS hands them over give the statistics of the plain-text log of the
//! same invocations: eight invocations of one function over two log streams (two cold, one
//! that failed), written by hand as an export to S3, the CloudWatch Logs API's output, a
//! Firehose delivery of subscription payloads, a Kinesis record, pretty-printed events, the
//! console's download, zstd, and the results of a Logs Insights query over them.

use crate::util::Test;
use serde_json::Value;
use std::io::Write;

fn shape(name: &str) -> String {
    format!(
        "{}/tests/fixtures/shapes/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// `compare` of `inputs` as JSON, priced with the observed cold share.
fn compare(t: &Test, inputs: &[&str], extra: &[&str]) -> crate::util::Run {
    let mut args = vec!["compare"];
    args.extend(inputs);
    args.extend([
        "--requests",
        "1M",
        "--cold-start-rate",
        "observed",
        "--format",
        "json",
    ]);
    args.extend(extra);
    t.run(&args)
}

/// A figure to nine significant digits: files merged in another order than the plain log's
/// lines add their floating-point sums in another order.
fn rounded(v: &Value) -> String {
    match v.as_f64() {
        Some(x) if x != 0.0 => format!("{:.9e}", x),
        _ => v.to_string(),
    }
}

/// A variant of a compare's JSON, in the figures a person counts in its log.
struct Counted {
    name: String,
    memory_size_mb: u64,
    invocations: u64,
    billed_ms: u64,
}

/// Every variant of a compare's JSON, counted.
fn variants(json: &Value) -> Vec<Counted> {
    let phases = |v: &Value, field: &str| {
        let s = &v["statistics"];
        s["cold"][field].as_u64().unwrap_or(0) + s["warm"][field].as_u64().unwrap_or(0)
    };
    json["variants"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|v| Counted {
            name: v["variant"].as_str().unwrap_or_default().to_string(),
            memory_size_mb: v["memory_size_mb"].as_u64().unwrap_or(0),
            invocations: phases(v, "count"),
            billed_ms: phases(v, "billed_ms_sum"),
        })
        .collect()
}

/// What must agree between two readings of the same invocations.
fn statistics(json: &Value) -> Vec<String> {
    let v = &json["variants"][0];
    let s = &v["statistics"];
    let mut out = vec![format!("statuses {}", s["statuses"])];
    for phase in ["cold", "warm"] {
        out.push(format!("{phase} count {}", s[phase]["count"]));
        out.push(format!("{phase} billed {}", s[phase]["billed_ms_sum"]));
        for stat in ["mean", "std_dev", "min", "median", "p95", "p99", "max"] {
            out.push(format!(
                "{phase} {stat} {}",
                rounded(&s[phase]["duration_ms"][stat])
            ));
        }
        out.push(format!(
            "{phase} memory {} {}",
            s[phase]["max_memory_used_mb_min"], s[phase]["max_memory_used_mb_max"]
        ));
    }
    out.push(format!("init {}", rounded(&s["cold"]["init_ms"]["mean"])));
    out.push(format!("runtime cost {}", v["costs"][0]["total_usd"]));
    out
}

/// `bytes`, gzipped.
pub(crate) fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).expect("compress");
    e.finish().expect("compress")
}

#[test]
fn every_shape_gives_the_plain_logs_statistics() {
    let t = Test::new();
    let plain = compare(&t, &[&shape("plain.log")], &[]);
    plain.success();
    let want = statistics(&plain.json());
    // By hand: 2 cold (115 + 116 ms billed), 6 warm (15 + 19 + 10 + 23 + 15 + 17 = 99 ms).
    assert!(want.contains(&"cold billed 231".to_string()), "{want:?}");
    assert!(want.contains(&"warm billed 99".to_string()), "{want:?}");
    let gz = t.path("plain.log.gz");
    std::fs::write(&gz, gzip(&std::fs::read(shape("plain.log")).expect("read"))).expect("write");
    for input in [
        gz.display().to_string(),
        shape("plain.log.zst"),
        shape("export"),
        shape("filter-log-events.json"),
        shape("firehose.gz"),
        // Subscription payloads as AWS documents them (owner first, pretty-printed, named
        // fields extracted), a directory of two that open with START and END lines.
        shape("subscription"),
        shape("events-pretty.json"),
        shape("console.csv"),
        // As PowerShell 5 writes them: `>` in UTF-16LE with CRLF, `Out-File -Encoding utf8`
        // with a byte-order mark.
        shape("windows/plain-utf16.log"),
        shape("windows/filter-log-events-bom.json"),
    ] {
        let run = compare(&t, &[&input], &[]);
        run.success();
        assert_eq!(statistics(&run.json()), want, "{input}");
    }
    // The export's write test is skipped and said so; API and subscription JSON count the
    // messages that are not REPORT lines.
    let export = compare(&t, &[&shape("export")], &[]);
    assert!(
        export
            .stderr
            .contains("1 file(s) that hold no log skipped (api/aws-logs-write-test)"),
        "{}",
        export.stderr
    );
    let api = compare(&t, &[&shape("filter-log-events.json")], &[]);
    assert!(
        api.stderr
            .contains("26 message(s) that are not REPORT lines"),
        "{}",
        api.stderr
    );
    // The Firehose file's control message is no log: the same 26.
    let firehose = compare(&t, &[&shape("firehose.gz")], &[]);
    assert!(
        firehose.stderr.contains("26 message(s)"),
        "{}",
        firehose.stderr
    );
}

#[test]
fn standard_input_and_a_directory_of_mixed_shapes() {
    let t = Test::new();
    let want = statistics(&compare(&t, &[&shape("plain.log")], &[]).json());
    // Gzip on standard input.
    let bytes = gzip(&std::fs::read(shape("plain.log")).expect("read"));
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_lambcost"))
        .args([
            "compare",
            "-",
            "--requests",
            "1M",
            "--cold-start-rate",
            "observed",
            "--format",
            "json",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(&bytes)
        .expect("write");
    let out = child.wait_with_output().expect("ends");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(statistics(&json), want);
    // One directory: stream A as a Kinesis record, stream B as an export's gzip text, and a
    // file that holds no log.
    let dir = t.path("mixed");
    std::fs::create_dir(&dir).expect("mkdir");
    std::fs::copy(shape("kinesis-record.b64"), dir.join("1-stream-a.b64")).expect("copy");
    let b = std::fs::read_dir(shape(
        "export/api/0b5e4a8c-1d2e-4f3a-9b8c-7d6e5f4a3b2c/2024/05/01",
    ))
    .expect("export")
    .flatten()
    .map(|e| e.path())
    .find(|p| p.to_string_lossy().contains("[3]"))
    .expect("stream B");
    std::fs::copy(b.join("000000.gz"), dir.join("2-stream-b.gz")).expect("copy");
    std::fs::write(dir.join("README.txt"), "exported for the benchmark\n").expect("write");
    let mixed = compare(&t, &[&dir.display().to_string()], &[]);
    mixed.success();
    assert_eq!(statistics(&mixed.json()), want);
    assert!(
        mixed
            .stderr
            .contains("1 file(s) that hold no log skipped (README.txt)")
    );
    // As many threads as files, or one: the same output, byte for byte.
    let one = compare(&t, &[&shape("export")], &["--threads", "1"]);
    let four = compare(&t, &[&shape("export")], &["--threads", "4"]);
    assert_eq!(one.stdout, four.stdout);
}

#[test]
fn variants_by_log_group_version_and_file() {
    let t = Test::new();
    let names = |run: &crate::util::Run| -> Vec<String> {
        run.json()["variants"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|v| v["variant"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    // The subscription names its log group; the streams their versions.
    let by_version = compare(&t, &[&shape("firehose.gz")], &["--group-by", "version"]);
    by_version.success();
    assert_eq!(names(&by_version), ["api:$LATEST", "api:3"]);
    let by_group = compare(&t, &[&shape("firehose.gz")], &["--group-by", "log-group"]);
    assert_eq!(names(&by_group), ["api"]);
    // An export: the directory above the task names the function; the path its streams.
    let export = compare(&t, &[&shape("export")], &["--group-by", "version"]);
    assert_eq!(names(&export), ["api:$LATEST", "api:3"]);
    let files = compare(&t, &[&shape("export")], &["--group-by", "file"]);
    assert_eq!(names(&files).len(), 2, "{:?}", names(&files));
    assert!(names(&files)[0].ends_with("000000.gz"));
    let memory = compare(&t, &[&shape("console.csv")], &["--group-by", "memory"]);
    assert_eq!(names(&memory), ["console-256mb"]);
    // Four invocations a version, one cold each.
    let v = &by_version.json()["variants"];
    assert_eq!(v[0]["statistics"]["cold"]["count"], 1);
    assert_eq!(v[1]["statistics"]["warm"]["count"], 3);
}

#[test]
fn logs_insights_results_round_trip() {
    let t = Test::new();
    let query = t.run(&["insights-query"]);
    query.success();
    for field in [
        "filter @type = \"REPORT\"",
        "pct(@duration, 99) as duration_p99_ms",
        "sum(@billedDuration) as billed_ms_sum",
        "by @log, cold",
    ] {
        assert!(query.stdout.contains(field), "{field}:\n{}", query.stdout);
    }
    let plain = compare(&t, &[&shape("plain.log")], &[]).json();
    let plain_cost = plain["variants"][0]["costs"][0]["total_usd"].clone();
    for results in [
        "insights-results.csv",
        "insights-results.json",
        "get-query-results.json",
    ] {
        let run = compare(&t, &[&shape(results)], &[]);
        run.success();
        let json = run.json();
        let v = &json["variants"][0];
        assert_eq!(v["variant"], "api", "{results}");
        // The same billed sums and observed share: the same bill, to the last digit.
        assert_eq!(v["costs"][0]["total_usd"], plain_cost, "{results}");
        assert_eq!(v["observed_cold_start"]["cold_starts"], 2);
        assert_eq!(v["observed_cold_start"]["invocations"], 8);
        // Its percentiles come from the query: warm p99 22.45 ms, the slowest warm invocation.
        assert_eq!(v["warm"]["p99_ms"].as_f64(), Some(22.45), "{results}");
    }
    t.run(&[
        "compare",
        &shape("plain.log"),
        &shape("insights-results.csv"),
        "--format",
        "json",
    ])
    .success();
}

#[test]
fn logs_insights_events_are_read_as_the_log_they_come_from() {
    // The plain log's events as Logs Insights hands them over, newest first: the default
    // query's messages (CSV) and a query of the REPORT fields with @message and @ptr
    // (get-query-results) give the log's every figure.
    let t = Test::new();
    let want = statistics(&compare(&t, &[&shape("plain.log")], &[]).json());
    for input in [
        "insights-messages.csv",
        "get-query-results-invocations.json",
    ] {
        let run = compare(&t, &[&shape(input)], &[]);
        run.success();
        assert_eq!(statistics(&run.json()), want, "{input}");
    }
    // The REPORT fields alone, in bytes (256000000, or 2.56E8 in the JSON download), as the
    // console downloads them (CSV, JSON) and copies them (Markdown, with its header block and
    // the query fenced in it): every figure but the statuses, which these fields do not carry.
    for input in [
        "insights-invocations.csv",
        "insights-invocations.json",
        "insights-invocations.md",
    ] {
        let run = compare(&t, &[&shape(input)], &[]);
        run.success();
        let json = run.json();
        assert_eq!(statistics(&json)[1..], want[1..], "{input}");
        assert_eq!(json["variants"][0]["memory_size_mb"], 256, "{input}");
    }
    // A row that is not a number says where it is.
    let bad = t.write(
        "bad.csv",
        "@timestamp,@requestId,@duration,@billedDuration,@memorySize,@maxMemoryUsed\n\
         2024-05-01 12:00:00.004,r1,12.3,13,256000000,40000000\n\
         2024-05-01 12:01:00.004,r2,fast,13,256000000,40000000\n",
    );
    t.run(&["compare", bad.to_str().expect("path"), "--strict"])
        .refused(&["bad.csv:3", "@duration 'fast' is not a number"]);
}

#[test]
fn cut_off_broken_and_empty_inputs() {
    let t = Test::new();
    compare(&t, &[&shape("cut.log.gz")], &[]).warned(&[
        "the gzip stream is truncated: cut off after 456 of its bytes",
        "the 3 invocations before it are counted",
    ]);
    compare(&t, &[&shape("cut.log.gz")], &["--strict"])
        .refused(&["cut.log.gz", "truncated: cut off"]);
    // Cut after 100 bytes (gzip's 10-byte header and 90 of its deflate stream): a few lines
    // of text and no invocation. Truncated, said as such, not "no REPORT lines".
    let whole = gzip(&std::fs::read(shape("plain.log")).expect("read").repeat(50));
    let cut = t.path("cut100.log.gz");
    std::fs::write(&cut, &whole[..100]).expect("write");
    compare(&t, &[cut.to_str().expect("path")], &[]).refused(&[
        "cut100.log.gz",
        "the gzip stream is truncated: cut off after 100 of its bytes",
        "before any invocation",
    ]);
    // In a directory beside a whole log, it is said by name, and the log is read.
    std::fs::create_dir(t.path("export")).expect("dir");
    std::fs::copy(shape("plain.log"), t.path("export/000000")).expect("copy");
    std::fs::write(t.path("export/000001.gz"), &whole[..100]).expect("write");
    let run = compare(&t, &[t.path("export").to_str().expect("path")], &[]);
    run.warned(&["000001.gz: the gzip stream is truncated: cut off after 100 of its bytes"]);
    assert_eq!(
        run.json()["variants"][0]["observed_cold_start"]["invocations"],
        8
    );
    // A broken event inside API JSON: counted with its line, the rest read.
    let api = std::fs::read_to_string(shape("filter-log-events.json")).expect("read");
    let broken = api.replacen(
        "\"message\": \"START RequestId: 3b0f1c2e-1111-4a5b-8c9d-000000000002",
        "\"message\": \"{\\\"type\\\":\\\"platform.report\\\", \\\"record\\\": {",
        1,
    );
    assert_ne!(api, broken);
    let file = t.write("broken.json", &broken);
    let run = compare(&t, &[&file.display().to_string()], &[]);
    run.success();
    assert!(
        run.stderr.contains("1 unreadable line(s) skipped"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("broken.json:"), "{}", run.stderr);
    assert_eq!(run.json()["variants"][0]["statistics"]["warm"]["count"], 6);
    // A pretty-printed event broken in the middle: counted with its line, the next read.
    let events = std::fs::read_to_string(shape("events-pretty.json")).expect("read");
    let broken = events.replacen("\"durationMs\": 15.0,", "\"durationMs\": ,", 1);
    assert_ne!(events, broken);
    let file = t.write("broken-events.json", &broken);
    let run = compare(&t, &[&file.display().to_string()], &[]);
    run.success();
    assert!(run.stderr.contains("broken-events.json:"), "{}", run.stderr);
    assert!(run.stderr.contains("malformed JSON"), "{}", run.stderr);
    let s = &run.json()["variants"][0]["statistics"];
    assert_eq!(
        (s["cold"]["count"].clone(), s["warm"]["count"].clone()),
        (2.into(), 5.into())
    );
    // A directory with no log in it.
    let empty = t.path("nothing");
    std::fs::create_dir(&empty).expect("mkdir");
    std::fs::write(
        empty.join("aws-logs-write-test"),
        "Permission Check Successful",
    )
    .expect("write");
    t.run(&["compare", &empty.display().to_string()])
        .refused(&["nothing", "no log in the directory"]);
}

#[test]
fn a_lambda_subscribers_event_and_managed_instances_in_api_json() {
    let t = Test::new();
    // What a Lambda subscriber receives: the payload, gzip, base64, under awslogs.data.
    let data = std::fs::read_to_string(shape("kinesis-record.b64")).expect("read");
    let event = t.write(
        "subscriber-event.json",
        &format!("{{\"awslogs\": {{\"data\": \"{}\"}}}}\n", data.trim()),
    );
    let run = compare(&t, &[&event.display().to_string()], &[]);
    run.success();
    let s = &run.json()["variants"][0]["statistics"];
    assert_eq!(
        (s["cold"]["count"].clone(), s["warm"]["count"].clone()),
        (1.into(), 3.into())
    );
    // A Lambda Managed Instances report inside API output is left out and counted.
    let lmi = "{\\\"time\\\":\\\"t\\\",\\\"type\\\":\\\"platform.report\\\",\\\"record\\\":{\\\"requestId\\\":\\\"r\\\",\\\"metrics\\\":{\\\"durationMs\\\":52.5}}}";
    let api = format!(
        "{{\"events\": [{{\"logStreamName\": \"s\", \"timestamp\": 1, \"message\": \"{lmi}\"}}, {{\"logStreamName\": \"s\", \"timestamp\": 2, \"message\": \"REPORT RequestId: r2\\tDuration: 10.00 ms\\tBilled Duration: 10 ms\\tMemory Size: 128 MB\\tMax Memory Used: 30 MB\\t\\n\"}}]}}"
    );
    let file = t.write("lmi-api.json", &api);
    let run = compare(&t, &[&file.display().to_string()], &[]);
    run.success();
    assert!(
        run.stderr
            .contains("1 Lambda Managed Instances report(s) left out"),
        "{}",
        run.stderr
    );
    assert_eq!(run.json()["variants"][0]["statistics"]["warm"]["count"], 1);
}

#[test]
fn a_file_that_holds_report_lines_is_never_dropped_in_silence() {
    let t = Test::new();
    let dir = t.path("logs");
    std::fs::create_dir(&dir).expect("mkdir");
    std::fs::copy(shape("plain.log"), dir.join("a.log")).expect("copy");
    // A table with a timestamp column, its REPORT lines in a column named otherwise.
    std::fs::write(
        dir.join("b.csv"),
        "timestamp,line\n1714564800004,\"REPORT RequestId: r\tDuration: 12.30 ms\tBilled Duration: 13 ms\tMemory Size: 256 MB\tMax Memory Used: 40 MB\t\"\n",
    )
    .expect("write");
    compare(&t, &[&dir.display().to_string()], &[])
        .refused(&["b.csv", "holds REPORT lines in no column lambcost reads"]);
    // Arrival times alone are skipped in a directory, and said so.
    std::fs::write(dir.join("b.csv"), "timestamp\n1714564800004\n").expect("write");
    let run = compare(&t, &[&dir.display().to_string()], &[]);
    run.success();
    assert!(
        run.stderr
            .contains("1 file(s) that hold no log skipped (b.csv)"),
        "{}",
        run.stderr
    );
}

#[test]
fn two_logs_of_one_name_are_two_variants_and_one_file_is_read_once() {
    let t = Test::new();
    for dir in ["before", "after"] {
        std::fs::create_dir(t.path(dir)).expect("mkdir");
        std::fs::copy(shape("plain.log"), t.path(&format!("{dir}/fn.log"))).expect("copy");
    }
    let run = compare(&t, &["before/fn.log", "after/fn.log"], &[]);
    run.success();
    let variants: Vec<(String, u64)> = variants(&run.json())
        .into_iter()
        .map(|v| (v.name, v.invocations))
        .collect();
    assert_eq!(
        variants,
        vec![("before/fn".to_string(), 8), ("after/fn".to_string(), 8)]
    );
    // The same file twice, under two spellings, would count its invocations twice.
    compare(&t, &["before/fn.log", "./before/fn.log"], &[])
        .refused(&["./before/fn.log: named twice (as before/fn.log); give each input once"]);
}

#[test]
fn a_log_whose_memory_was_changed_bills_each_invocation_at_its_own_size() {
    // Nine invocations at 128 MB, then the setting changed: a new environment, one at 1,024 MB.
    let t = Test::new();
    let run = compare(&t, &[&shape("memory-change.log")], &[]);
    run.warned(&[
        "memory-change ran at 128 MB and 1,024 MB: its memory setting was changed, so each size \
         is a variant of its own, billed at its own memory (memory-change-128mb, memory-change-1024mb)",
    ]);
    let variants: Vec<(String, u64, u64, u64)> = variants(&run.json())
        .into_iter()
        .map(|v| (v.name, v.memory_size_mb, v.invocations, v.billed_ms))
        .collect();
    // Billed by hand: 1,800 (cold: ceil(1,187.42 + 611.87)) + 213 + 188 + 176 + 202 + 169 + 191
    // + 184 + 180 ms at 128 MB; 544 ms (ceil(142.18 + 401.55)) at 1,024 MB.
    assert_eq!(
        variants,
        vec![
            ("memory-change-128mb".to_string(), 128, 9, 3303),
            ("memory-change-1024mb".to_string(), 1024, 1, 544)
        ]
    );
}

/// Cold and warm counts, with the cold starts' mean INIT (or restore) and the billed ms.
fn phases(json: &Value) -> (u64, u64, String, u64) {
    let s = &json["variants"][0]["statistics"];
    (
        s["cold"]["count"].as_u64().unwrap_or(0),
        s["warm"]["count"].as_u64().unwrap_or(0),
        rounded(&s["cold"]["init_ms"]["mean"]),
        s["cold"]["billed_ms_sum"].as_u64().unwrap_or(0)
            + s["warm"]["billed_ms_sum"].as_u64().unwrap_or(0),
    )
}

#[test]
fn an_init_report_makes_the_next_report_of_its_stream_a_cold_start() {
    // The console's download of a SnapStart function whose invoke timed out after a restore:
    // Lambda then ran a full INIT (INIT_START, INIT_REPORT Init Duration: 2137.34 ms), and the
    // REPORT after it carries neither Init nor Restore Duration. Both invocations are cold:
    // mean INIT (244.38 + 2,137.34) / 2 = 1,190.86 ms; billed as logged 2,187 + 908 ms.
    let t = Test::new();
    let csv = compare(&t, &[&shape("snapstart-fallback.csv")], &[]);
    csv.success();
    assert_eq!(
        phases(&csv.json()),
        (2, 0, rounded(&Value::from(1190.86)), 3095)
    );

    // The same as `aws logs tail` prints two streams of it: a warm invocation of another
    // environment comes between the INIT and its REPORT, and stays warm.
    let line = |stream: &str, message: &str| {
        format!("2023-07-20T18:37:40.000000+00:00 2023/07/20/[9]{stream} {message}\n")
    };
    let mut tail = String::new();
    tail += &line(
        "c2f1",
        "INIT_START Runtime Version: java:17.v9\tRuntime Version ARN: arn",
    );
    tail += &line("c2f1", "INIT_REPORT Init Duration: 2137.34 ms");
    tail += &line(
        "77ab",
        "REPORT RequestId: 6b8a6c1e-8d0e-4f5e-9a47-3c1d2f9e8b70\tDuration: 12.50 ms\tBilled Duration: 13 ms\tMemory Size: 512 MB\tMax Memory Used: 90 MB\t",
    );
    tail += &line(
        "c2f1",
        "START RequestId: xxxxxxxx-7ec6-4fe4-9b20-9721bd23d06a Version: 9",
    );
    tail += &line(
        "c2f1",
        "REPORT RequestId: xxxxxxxx-7ec6-4fe4-9b20-9721bd23d06a\tDuration: 907.25 ms\tBilled Duration: 908 ms\tMemory Size: 512 MB\tMax Memory Used: 86 MB",
    );
    tail += &line(
        "c2f1",
        "REPORT RequestId: 0e9d7c55-2a61-4b7e-8f3a-5d4c3b2a1f00\tDuration: 8.10 ms\tBilled Duration: 9 ms\tMemory Size: 512 MB\tMax Memory Used: 86 MB\t",
    );
    let log = t.write("tail.log", &tail);
    let run = compare(&t, &[log.to_str().expect("path")], &[]);
    run.success();
    assert_eq!(
        phases(&run.json()),
        (1, 2, rounded(&Value::from(2137.34)), 930)
    );

    // An INIT run again inside an invocation (Phase: invoke) is in its Duration already.
    let again = t.write(
        "again.log",
        "INIT_REPORT Init Duration: 3.47 ms\tPhase: invoke\tStatus: error\tError Type: Runtime.Unknown\n\
         REPORT RequestId: 60d08d48-b6b9-4953-83db-30848477f662\tDuration: 143.12 ms\tBilled Duration: 144 ms\tMemory Size: 128 MB\tMax Memory Used: 68 MB\tStatus: error\tError Type: Runtime.Unknown\n",
    );
    let run = compare(&t, &[again.to_str().expect("path")], &[]);
    run.success();
    assert_eq!(phases(&run.json()).0, 0);
}

#[test]
fn a_log_read_on_every_core_pairs_an_init_across_its_blocks() {
    // Environments whose INIT_REPORT and REPORT are 300 lines apart, over 12 MB: blocks of
    // 4 MB read on two threads split most of them. Every environment is one cold start, as
    // when the log is read on one thread.
    let t = Test::new();
    let filler = format!(
        "2023-07-20T18:37:43.120Z\t{}\tINFO\t{}\n",
        "x".repeat(36),
        "y".repeat(80)
    );
    let mut text = String::new();
    let mut environments = 0;
    while text.len() < 12 << 20 {
        environments += 1;
        text += "INIT_REPORT Init Duration: 250.00 ms\n";
        for _ in 0..300 {
            text += &filler;
        }
        text += "REPORT RequestId: 6b8a6c1e-8d0e-4f5e-9a47-3c1d2f9e8b70\tDuration: 10.00 ms\tBilled Duration: 10 ms\tMemory Size: 512 MB\tMax Memory Used: 90 MB\t\n";
        text += "REPORT RequestId: 6b8a6c1e-8d0e-4f5e-9a47-3c1d2f9e8b71\tDuration: 10.00 ms\tBilled Duration: 10 ms\tMemory Size: 512 MB\tMax Memory Used: 90 MB\t\n";
    }
    let log = t.write("environments.log", &text);
    for threads in ["1", "2"] {
        let run = compare(&t, &[log.to_str().expect("path")], &["--threads", threads]);
        run.success();
        let (cold, warm, _, _) = phases(&run.json());
        assert_eq!(
            (cold, warm),
            (environments, environments),
            "{threads} thread(s)"
        );
    }
}

#[test]
fn the_log_tail_that_aws_lambda_invoke_returns_is_read_as_a_log() {
    // AWS CLI v1's output (LogResult first): one warm invocation of 2.74 ms, billed 100 ms
    // when Lambda rounded up to 100 ms.
    let t = Test::new();
    let v1 = compare(&t, &[&shape("invoke/cli-v1.json")], &[]);
    v1.success();
    assert_eq!(phases(&v1.json()), (0, 1, "null".to_string(), 100));
    // A run of four as AWS CLI v2 prints them one after another: cold (Init Duration
    // 402.18 ms, billed 211), warm 36 and 32, and one in Lambda's JSON log format whose
    // report an extension's line runs into (29): 211 + 36 + 32 + 29 = 308 ms.
    let run = compare(&t, &[&shape("invoke/cli-v2-run.json")], &[]);
    run.success();
    assert_eq!(
        phases(&run.json()),
        (1, 3, rounded(&Value::from(402.18)), 308)
    );
    assert_eq!(run.json()["variants"][0]["memory_size_mb"], 1024);
}

#[test]
fn tables_as_excel_and_powershell_save_them_read_as_the_plain_ones() {
    // Excel where the comma is the decimal mark: `;` between fields, `6680,5`, Windows-1252
    // (the name "aot-net8-münchen"), CRLF; and data/results.csv with a UTF-8 byte-order mark.
    let t = Test::new();
    let figures = |input: &str| {
        let run = t.run(&["compare", input, "--requests", "1M", "--format", "json"]);
        run.success();
        let json = run.json();
        json["variants"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|v| {
                format!(
                    "{} {} {} {}",
                    v["variant"],
                    v["cold_start"]["mean_ms"],
                    v["warm"]["mean_ms"],
                    v["costs"][0]["total_usd"]
                )
            })
            .collect::<Vec<_>>()
    };
    let excel = figures(&shape("windows/results-excel.csv"));
    assert_eq!(excel, figures(&shape("windows/results.csv")));
    assert!(
        excel[0].starts_with("\"regular-net8\" 6680.5 91.25 "),
        "{excel:?}"
    );
    let results = format!("{}/data/results.csv", env!("CARGO_MANIFEST_DIR"));
    assert_eq!(
        figures(&shape("windows/results-bom.csv")),
        figures(&results)
    );
    assert!(
        excel[1].starts_with("\"aot-net8-münchen\" 1447.75 19.5 "),
        "{excel:?}"
    );
}
