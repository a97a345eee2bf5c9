//! `lambcost diff`: a slower NEW breaks the gate and a same one does not, too few samples are
//! never gated on, unmatched variants are listed, the Markdown is a pull-request comment
//! (and goes to GitHub's job summary), and malformed thresholds are refused. The statistics'
//! own properties (false positives at most alpha, power on a 10% p99 regression) are tested
//! on the core over hundreds of seeds.

use crate::util::Test;

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/diff/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn diff(t: &Test, base: &str, new: &str, extra: &[&str]) -> crate::util::Run {
    let mut args = vec!["diff", base, new];
    args.extend(extra);
    t.run(&args)
}

#[test]
fn a_slower_new_breaks_the_gate_with_exit_status_1() {
    let t = Test::new();
    // NEW's warm invocations are the same distribution, 12% slower; its cold starts the same.
    let run = diff(
        &t,
        &fixture("base.csv"),
        &fixture("new.csv"),
        &[
            "--requests",
            "10M",
            "--fail-slower",
            "p99:10",
            "--fail-slower",
            "cold-p99:10",
            "--fail-memory-above",
            "10",
            "--format",
            "json",
        ],
    );
    assert_eq!(run.status, Some(1), "{}", run.stderr);
    let d = run.json();
    let v = &d["variants"][0];
    let warm = &v["phases"][1];
    assert_eq!(warm["phase"], "warm");
    assert_eq!(warm["verdict"], "slower");
    let p99 = &warm["metrics"][3];
    assert_eq!(p99["metric"], "p99");
    // Every warm value is 1.12 times BASE's, to the 0.01 ms the CSV carries and the 0.1% the
    // histogram keeps.
    let change = p99["change"].as_f64().expect("change");
    assert!((change - 0.12).abs() < 0.002, "{change}");
    let interval = p99["interval"].as_array().expect("interval");
    assert!(interval[0].as_f64() < Some(0.12) && interval[1].as_f64() > Some(0.12));
    // The cold starts did not change: no breach on cold p99.
    assert_eq!(v["phases"][0]["verdict"], "no significant change");
    let breaches = v["breaches"].to_string();
    assert!(
        breaches.contains("warm p99 +12.0% (limit 10%"),
        "{breaches}"
    );
    // Peak memory 84 -> 91 MB is +8.3%: within 10%.
    assert!(!breaches.contains("memory"), "{breaches}");
    assert_eq!(v["breaches"].as_array().map(Vec::len), Some(1));
    assert_eq!(d["breached"], true);
}

#[test]
fn no_change_passes_and_says_what_would_detect_one() {
    let t = Test::new();
    let run = diff(
        &t,
        &fixture("base.csv"),
        &fixture("base.csv"),
        &["--fail-slower", "p99:10", "--fail-cost-above", "1"],
    );
    run.success();
    assert!(
        run.stdout.contains(
            "warm p99: within 10% (1,000 and 1,000 invocations); a 10% slowdown throughout"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("within every threshold"),
        "{}",
        run.stdout
    );
}

#[test]
fn too_few_samples_are_compared_but_never_gated_on() {
    let t = Test::new();
    let head = "variant,mode,architecture,memory_size_mb,phase,duration_ms,init_duration_ms,billed_duration_ms,max_memory_used_mb,status,limits_enforced\n";
    let rows: String = (0..6)
        .map(|i| {
            format!(
                "orders,aot,x86_64,512,warm,{}.00,,{},84,success,true\n",
                300 + i,
                300 + i
            )
        })
        .collect();
    t.write("few.csv", &format!("{head}{rows}"));
    let run = diff(
        &t,
        &fixture("base.csv"),
        "few.csv",
        &["--fail-slower", "p99:10", "--format", "json"],
    );
    run.success();
    let v = &run.json()["variants"][0];
    assert_eq!(v["phases"][0]["reliable"], false);
    assert!(
        v["not_gated"]
            .to_string()
            .contains("1000 and 6 invocations, fewer than 10 a side")
    );
}

#[test]
fn unmatched_variants_are_listed_and_not_compared() {
    let t = Test::new();
    let base = std::fs::read_to_string(fixture("base.csv")).expect("fixture");
    let twice = |other: &str| {
        let extra: String = base
            .lines()
            .skip(1)
            .map(|l| format!("{}\n", l.replacen("orders", other, 1)))
            .collect();
        format!("{base}{extra}")
    };
    t.write("a.csv", &twice("billing"));
    t.write("b.csv", &twice("shipping"));
    let run = diff(&t, "a.csv", "b.csv", &["--format", "json"]);
    run.success();
    let d = run.json();
    assert_eq!(d["variants"].as_array().map(Vec::len), Some(1));
    assert_eq!(d["variants"][0]["variant"], "orders");
    assert_eq!(d["unmatched"]["base"], serde_json::json!(["billing"]));
    assert_eq!(d["unmatched"]["new"], serde_json::json!(["shipping"]));
    assert!(
        run.stderr.contains("only in BASE, not compared: billing"),
        "{}",
        run.stderr
    );
}

#[test]
fn markdown_is_a_comment_and_goes_to_the_job_summary() {
    let t = Test::new();
    let summary = t.write("summary.md", "earlier step\n");
    let out = assert_cmd::Command::cargo_bin("lambcost")
        .expect("binary")
        .current_dir(t.dir())
        .env("GITHUB_STEP_SUMMARY", &summary)
        .args([
            "diff",
            &fixture("base.csv"),
            &fixture("new.csv"),
            "--fail-slower",
            "p99:10",
            "--format",
            "markdown",
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let md = String::from_utf8_lossy(&out.stdout).into_owned();
    let first = md.lines().next().unwrap_or("");
    assert!(
        first.starts_with("❌ **lambcost diff: orders: cost +"),
        "{first}"
    );
    assert!(
        md.contains("| Variant | $ @1M | Warm p99 | Cold p99 | Verdict |"),
        "{md}"
    );
    assert!(md.contains("<details><summary>Details</summary>"), "{md}");
    let appended = std::fs::read_to_string(&summary).expect("summary");
    assert_eq!(appended, format!("earlier step\n{md}"));
}

#[test]
fn malformed_thresholds_and_inputs_are_refused() {
    let t = Test::new();
    let (b, n) = (fixture("base.csv"), fixture("new.csv"));
    diff(&t, &b, &n, &["--fail-slower", "p99:ten"]).refused(&[
        "'p99:ten'",
        "cold-p99",
        "METRIC:PCT",
    ]);
    diff(&t, &b, &n, &["--fail-slower", "p42:10"]).refused(&["'p42:10'"]);
    diff(&t, &b, &n, &["--alpha", "0.7"]).refused(&["'0.7'", "0.000001 to below 0.5"]);
    diff(&t, &b, &n, &["--fail-cost-above", "-3"]).refused(&["'-3'"]);
    diff(&t, &b, "missing.csv", &[]).refused(&["missing.csv"]);
    diff(&t, &b, "@talk", &[]).refused(&["no variant of one matches", "regular-net8"]);
}
