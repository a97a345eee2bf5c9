//! `lambcost recommend`: every line of the deck's decision guide and use-case matrix, the
//! combinations where they pull apart, measured percentiles deciding service levels, another
//! runtime's modes, and bad input.

use crate::util::Test;
use serde_json::Value;

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn decide(t: &Test, args: &[&str]) -> Value {
    let mut all = vec!["recommend", "--format", "json"];
    all.extend(args);
    let run = t.run(&all);
    let json = run.json();
    // 0 when a variant is recommended, 1 when none meets every constraint.
    if json["recommended"].is_null() {
        run.answered_no();
    } else {
        run.success();
    }
    json
}

fn mode(json: &Value) -> String {
    json["recommended"]["mode"]
        .as_str()
        .unwrap_or("none")
        .to_string()
}

#[test]
fn the_decks_quick_decision_guide_and_use_case_matrix() {
    let t = Test::new();
    let cases: &[(&str, &[&str], &[&str])] = &[
        (
            "cold start under 1 s",
            &["--cold-start-slo", "1s"],
            &["aot"],
        ),
        ("traffic over 1M a month", &["--requests", "2M"], &["aot"]),
        (
            "budget-sensitive",
            &["--budget-usd", "5", "--requests", "10M"],
            &["aot"],
        ),
        (
            "complex reflection",
            &["--uses", "reflection"],
            &["regular", "readytorun"],
        ),
        ("plugin architecture", &["--uses", "plugins"], &["regular"]),
        (
            "plugin systems",
            &["--scenario", "plugin-system"],
            &["regular"],
        ),
        (
            "rapid prototyping",
            &["--scenario", "prototype"],
            &["regular"],
        ),
        (
            "MVPs",
            &["--scenario", "prototype", "--requests", "100k"],
            &["regular"],
        ),
        (
            "migration testing",
            &["--scenario", "migration-test"],
            &["readytorun"],
        ),
        (
            "user-facing APIs",
            &["--scenario", "user-facing-api"],
            &["aot"],
        ),
        (
            "event processors",
            &["--scenario", "event-processor"],
            &["aot"],
        ),
        (
            "scheduled tasks",
            &["--scenario", "scheduled-task"],
            &["aot"],
        ),
        (
            "high volume, over 10M a month",
            &["--requests", "50M"],
            &["aot"],
        ),
        (
            "heavy ORM (EF Core)",
            &["--scenario", "orm-heavy"],
            &["regular", "readytorun"],
        ),
        (
            "EF Core declared",
            &["--uses", "ef-core"],
            &["regular", "readytorun"],
        ),
    ];
    for (line, args, expected) in cases {
        let json = decide(&t, args);
        assert!(json["satisfiable"] == true, "{line}: not satisfiable");
        let got = mode(&json);
        assert!(
            expected.contains(&got.as_str()),
            "{line}: got {got}, expected one of {expected:?}"
        );
    }
}

#[test]
fn a_cold_start_slo_names_the_number_behind_it() {
    let t = Test::new();
    let json = decide(&t, &["--cold-start-slo", "1s"]);
    assert_eq!(json["recommended"]["variant"], "aot-net10");
    assert_eq!(json["recommended"]["memory_size_mb"], 256);
    let rules: Vec<&str> = json["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    // The variants that pass are counted among the reasons, each failure named; every
    // pass is in full beside them.
    assert!(
        rules.contains(&"1 of 5 variants passes the cold-start SLO of 1 s"),
        "{rules:?}"
    );
    assert!(!rules.iter().any(|r| r.ends_with(": pass")), "{rules:?}");
    assert_eq!(
        json["passes"],
        serde_json::json!(["aot-net10: cold start 951 ms, SLO 1 s: pass"])
    );
    assert!(
        rules.contains(&"aot-net9: cold start 1.006 s, SLO 1 s: fail by 6 ms"),
        "{rules:?}"
    );
    // Only aot-net10 passes the 1 s SLO: no alternative is left to price.
    assert!(
        json["alternatives"]
            .as_array()
            .expect("alternatives")
            .is_empty(),
        "only aot-net10 passes"
    );
    // Without an SLO, the runner-up is priced against the choice. Warm only at 10M:
    // aot-net10 42,500 GB-s against aot-net9's 35,000: 7,500 x $0.0000166667 = $0.12500025.
    let json = decide(&t, &["--requests", "10M", "--cold-start-rate", "0"]);
    assert_eq!(json["recommended"]["variant"], "aot-net9");
    assert_eq!(json["alternatives"][0]["variant"], "aot-net10");
    assert_eq!(
        json["alternatives"][0]["difference_usd"].to_string(),
        "0.12500025"
    );
}

#[test]
fn when_rules_pull_apart_the_numbers_decide() {
    let t = Test::new();
    // Plugins rule out AOT, and no managed variant starts within 1 s: say so, price the remedies.
    let json = decide(&t, &["--uses", "plugins", "--cold-start-slo", "1s"]);
    assert_eq!(json["satisfiable"], false);
    assert!(json["recommended"].is_null());
    let kinds: Vec<&str> = json["alternatives"]
        .as_array()
        .expect("alt")
        .iter()
        .filter_map(|a| a["kind"].as_str())
        .collect();
    assert_eq!(kinds, vec!["provisioned-concurrency", "snapstart"]);
    assert_eq!(json["alternatives"][0]["variant"], "regular-net8");
    assert_eq!(json["alternatives"][0]["environments"], 1);
    // Reflection with every AOT practice declared lets AOT back in.
    let all = "reflection,source-generated-json,constructor-injection,explicit-registration,trim-analyzer";
    assert_eq!(
        decide(&t, &["--uses", all, "--cold-start-slo", "1s"])["recommended"]["variant"],
        "aot-net10"
    );
    assert_eq!(
        decide(
            &t,
            &[
                "--uses",
                "reflection,source-generated-json",
                "--cold-start-slo",
                "1s"
            ]
        )["satisfiable"],
        false
    );
    // A service level is a hard constraint even for a prototype.
    assert_eq!(
        mode(&decide(
            &t,
            &["--scenario", "prototype", "--cold-start-slo", "1s"]
        )),
        "aot"
    );
    // Every run cold with plugins: the deck says Regular, but ReadyToRun's shorter cold start
    // makes it the cheaper of the two that can load plugins.
    assert_eq!(
        mode(&decide(
            &t,
            &["--scenario", "scheduled-task", "--uses", "plugins"]
        )),
        "readytorun"
    );
    // .NET 10 before 8 January 2026: the managed runtimes offered .NET 8 only.
    let json = decide(
        &t,
        &["--dotnet-version", "10", "--billing-date", "2025-12-01"],
    );
    assert_eq!(json["recommended"]["variant"], "aot-net10");
    let rules = json["rules"].to_string();
    assert!(
        rules.contains("regular ruled out: on 2025-12-01 Lambda's managed runtimes offer .NET 8;"),
        "{rules}"
    );
    // Since then dotnet10 is a managed runtime: the mode runs it, but the talk measured
    // Regular and ReadyToRun on .NET 8 only, so AOT .NET 10 is still the one measured.
    let json = decide(
        &t,
        &["--dotnet-version", "10", "--billing-date", "2026-02-01"],
    );
    assert_eq!(json["recommended"]["variant"], "aot-net10");
    let rules = json["rules"].to_string();
    assert!(
        rules.contains(
            "regular: Lambda offers .NET 10 as a managed runtime (dotnet10, since 2026-01-08)"
        ),
        "{rules}"
    );
    assert!(
        rules.contains("\"regular-net8 runs .NET 8, not the .NET 10 asked for\""),
        "{rules}"
    );
    assert_eq!(
        decide(&t, &["--dotnet-version", "10", "--uses", "ef-core"])["satisfiable"],
        false
    );
}

#[test]
fn the_output_explains_itself_and_is_deterministic() {
    let t = Test::new();
    let first = t.run(&[
        "recommend",
        "--scenario",
        "user-facing-api",
        "--requests",
        "10M",
    ]);
    first.success();
    for needle in [
        "ship aot-net10",
        "Reasons:",
        "scenario user-facing-api",
        "Warnings:",
        "Reflection is limited",
        "Builds take 2 to 5 times",
        "IL2026",
        "Migration path:",
        "Assessment",
        "stepping stone",
    ] {
        assert!(first.stdout.contains(needle), "{needle}:\n{}", first.stdout);
    }
    let second = t.run(&[
        "recommend",
        "--scenario",
        "user-facing-api",
        "--requests",
        "10M",
    ]);
    assert_eq!(first.stdout, second.stdout);
    let a = t.run(&[
        "recommend",
        "--uses",
        "plugins",
        "--cold-start-slo",
        "1s",
        "--format",
        "json",
    ]);
    let b = t.run(&[
        "recommend",
        "--uses",
        "plugins",
        "--cold-start-slo",
        "1s",
        "--format",
        "json",
    ]);
    assert_eq!(a.stdout, b.stdout);
    for key in [
        "recommended",
        "ranking",
        "rules",
        "warnings",
        "alternatives",
        "satisfiable",
    ] {
        assert!(a.json().get(key).is_some(), "{key}");
    }
}

/// Samples of two variants with nearly the same mean cold start (600 and 610 ms), one of
/// them with a slow tail.
fn tail_samples(t: &Test) -> String {
    let mut text = String::from(
        "variant,mode,architecture,memory_size_mb,phase,duration_ms,init_duration_ms,billed_duration_ms,max_memory_used_mb,status\n",
    );
    for i in 0..100 {
        // steady: cold starts of 600 ms; spiky: 500 ms mostly, 1,600 ms one time in ten.
        text.push_str(
            "steady,aot,x86_64,256,cold,10,590,600,40,success
",
        );
        let init = if i % 10 == 0 { 1590 } else { 490 };
        text.push_str(&format!(
            "spiky,aot,x86_64,256,cold,10,{init},{},40,success\n",
            init + 10
        ));
        let warm = if i % 20 == 0 { 90.0 } else { 12.0 };
        text.push_str(&format!("steady,aot,x86_64,256,warm,12,,12,40,success\nspiky,aot,x86_64,256,warm,{warm},,{},40,success\n", warm as u64));
    }
    t.write("samples.csv", &text).display().to_string()
}

#[test]
fn a_measured_p99_decides_the_service_levels() {
    let t = Test::new();
    let samples = tail_samples(&t);
    let json = decide(&t, &["--data", &samples, "--cold-start-slo", "1s"]);
    assert_eq!(json["recommended"]["variant"], "steady");
    let rules = json["rules"].to_string();
    assert!(
        rules.contains("spiky: cold start p99 1.6 s, SLO 1 s: fail by 600 ms"),
        "{rules}"
    );
    let json = decide(&t, &["--data", &samples, "--p99-slo", "50ms"]);
    assert_eq!(json["recommended"]["variant"], "steady");
    assert!(
        json["rules"]
            .to_string()
            .contains("spiky: warm p99 90 ms, SLO 50 ms: fail by 40 ms")
    );
}

#[test]
fn a_cost_difference_within_the_uncertainty_is_a_tie_broken_by_risk() {
    let t = Test::new();
    let mut text = String::from(
        "variant,mode,architecture,memory_size_mb,phase,duration_ms,init_duration_ms,billed_duration_ms,max_memory_used_mb,status\n",
    );
    for i in 0..40 {
        // Wide spreads, means a hair apart: AOT slightly cheaper, ReadyToRun less risky.
        let a = if i % 2 == 0 { 20 } else { 80 };
        let b = if i % 2 == 0 { 21 } else { 80 };
        text.push_str(&format!("native,aot,x86_64,512,warm,{a},,{a},60,success\nprecompiled,readytorun,x86_64,512,warm,{b},,{b},60,success\n"));
    }
    text.push_str("native,aot,x86_64,512,cold,20,100,120,60,success\nprecompiled,readytorun,x86_64,512,cold,21,100,121,60,success\n");
    let data = t.write("tie.csv", &text);
    let json = decide(
        &t,
        &[
            "--data",
            data.to_str().expect("path"),
            "--requests",
            "10M",
            "--cold-start-rate",
            "0",
        ],
    );
    assert_eq!(json["recommended"]["mode"], "readytorun");
    let rules = json["rules"].to_string();
    assert!(
        rules.contains("tie: native and precompiled differ by"),
        "{rules}"
    );
    assert!(rules.contains("broken by risk: readytorun"), "{rules}");
}

#[test]
fn another_runtimes_modes_need_no_code_change() {
    let t = Test::new();
    let modes = fixture("java-modes.yaml");
    let data = fixture("java.csv");
    let json = decide(
        &t,
        &["--modes", &modes, "--data", &data, "--scenario", "api"],
    );
    assert_eq!(json["recommended"]["variant"], "spring-native");
    assert!(
        json["warnings"]
            .to_string()
            .contains("reachability metadata")
    );
    let json = decide(
        &t,
        &[
            "--modes",
            &modes,
            "--data",
            &data,
            "--uses",
            "dynamic-proxies",
        ],
    );
    assert_eq!(json["recommended"]["variant"], "spring-jvm");
    let json = decide(
        &t,
        &[
            "--modes",
            &modes,
            "--data",
            &data,
            "--uses",
            "reflection,reachability-metadata",
            "--scenario",
            "api",
        ],
    );
    assert_eq!(json["recommended"]["variant"], "spring-native");
}

#[test]
fn bad_recommend_input_is_refused() {
    let t = Test::new();
    t.run(&["recommend", "--uses", "telepathy"]).refused(&[
        "'telepathy'",
        "reflection",
        "plugins",
        "ef-core",
    ]);
    t.run(&["recommend", "--scenario", "moonshot"]).refused(&[
        "'moonshot'",
        "user-facing-api",
        "migration-test",
    ]);
    t.run(&["recommend", "--cold-start-slo", "1x"])
        .refused(&["'1x'"]);
    t.run(&["recommend", "--p99-slo", "fast"])
        .refused(&["'fast'"]);
    // A bare number could be milliseconds or seconds: refused, with the accepted forms.
    t.run(&["recommend", "--p99-slo", "1"])
        .refused(&["'1' has no unit", "1ms", "1s"]);
    t.run(&["estimate", "--idle-reclaim", "600"])
        .refused(&["'600' has no unit", "600s"]);
    t.run(&["recommend", "--budget-usd", "-3"])
        .refused(&["'-3'", "negative"]);
    let default = include_str!("../data/build-modes.yaml");
    let bad = t.write(
        "modes.yaml",
        &default.replacen("    risk: 0\n", "    risk: 0\n    vibe: good\n", 1),
    );
    t.run(&["recommend", "--modes", bad.to_str().expect("path")])
        .refused(&["modes.yaml:", "unknown field `vibe`"]);
    t.run(&["recommend", "--modes", "missing.yaml"])
        .refused(&["missing.yaml", "cannot read"]);
}

#[test]
fn when_nothing_fits_the_answer_is_no_and_nothing_is_ranked_first() {
    let t = Test::new();
    let run = t.run(&[
        "recommend",
        "--uses",
        "plugins",
        "--cold-start-slo",
        "1s",
        "--format",
        "json",
    ]);
    run.answered_no();
    let json = run.json();
    assert!(json["recommended"].is_null());
    for v in json["ranking"].as_array().into_iter().flatten() {
        assert_eq!(v["passes"], false);
        assert!(v["rank"].is_null(), "{v}");
    }
    // The variants nearest to passing come first: a missed cold start (which Provisioned
    // Concurrency or SnapStart may fix) before a mode that cannot load plugins.
    assert_eq!(json["ranking"][0]["mode"], "regular");
    // The table says "-" where a rank would be; the exit status is documented.
    let table = t.run(&["recommend", "--uses", "plugins", "--cold-start-slo", "1s"]);
    table.answered_no();
    assert!(!table.stdout.contains("1 *"), "{}", table.stdout);
    let help = t.run(&["--help"]);
    assert!(
        help.stdout.contains("1    answered \"no\""),
        "{}",
        help.stdout
    );
}

#[test]
fn every_reason_once_and_remedies_only_where_they_help() {
    let t = Test::new();
    let json = decide(&t, &["--uses", "plugins,reflection"]);
    let rules: Vec<&str> = json["rules"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let aot: Vec<&&str> = rules
        .iter()
        .filter(|r| r.starts_with("aot ruled out"))
        .collect();
    assert_eq!(aot.len(), 1, "{rules:?}");
    assert_eq!(aot[0].matches("reflection full").count(), 1, "{}", aot[0]);
    // Plugins need dynamic loading, which no practice gives NativeAOT: none is suggested.
    assert!(!aot[0].contains("unless"), "{}", aot[0]);
    // Reflection alone is closed by the practices: they are named.
    let json = decide(&t, &["--uses", "reflection"]);
    let said = json["rules"].to_string();
    assert!(
        said.contains("unless the code follows source-generated-json"),
        "{said}"
    );
    // A budget missed is not met by paying for Provisioned Concurrency or SnapStart.
    let json = decide(&t, &["--budget-usd", "0.01"]);
    assert!(json["recommended"].is_null());
    assert_eq!(json["alternatives"], serde_json::json!([]));
    // "The practices above" are above.
    let run = t.run(&["recommend"]);
    let asks = run.stdout.find("NativeAOT asks for").unwrap_or(usize::MAX);
    let above = run.stdout.find("without the practices above").unwrap_or(0);
    assert!(asks < above, "{}", run.stdout);
}

#[test]
fn a_log_without_a_mode_is_refused() {
    let t = Test::new();
    let log = fixture("aot-net9.log");
    t.run(&["recommend", "--data", &log])
        .refused(&["aot-net9", "no build mode", "--mode"]);
    t.run(&["recommend", "--data", &log, "--mode", "aott"])
        .refused(&["'aott'", "aot"]);
    decide(&t, &["--data", &log, "--mode", "aot"]);
}

#[test]
fn the_notes_say_the_share_that_priced_the_month_and_modes_are_checked() {
    let t = Test::new();
    // The scheduled task's every run is cold: the note says so, not the traffic model.
    let json = decide(&t, &["--scenario", "scheduled-task", "--uses", "plugins"]);
    assert_eq!(
        json["notes"][0],
        "Cold starts: 100.00% of invocations, as given."
    );
    // A samples file without modes takes --mode as a log does.
    let samples = t.write(
        "s.csv",
        "variant,mode,architecture,memory_size_mb,phase,duration_ms,init_duration_ms,billed_duration_ms,max_memory_used_mb,status\nfn,,x86_64,256,cold,8.5,101.9,111,40,success\nfn,,x86_64,256,warm,9.5,,10,40,success\n",
    );
    let samples = samples.display().to_string();
    t.run(&["recommend", "--data", &samples]).refused(&[
        "fn",
        "no build mode",
        "one per log or samples file",
    ]);
    let json = decide(&t, &["--data", &samples, "--mode", "aot"]);
    assert_eq!(json["recommended"]["mode"], "aot");
    // A mode the modes file does not describe is bad input, not a "no".
    t.run(&["recommend", "--data", &fixture("java.csv")])
        .refused(&[
            "mode 'jvm' is not a build mode of the modes file",
            "--modes FILE",
        ]);
}

#[test]
fn arm64_priced_on_x86_64_durations_is_said_to_be_a_what_if() {
    let t = Test::new();
    let run = t.run(&[
        "recommend",
        "--requests",
        "10M",
        "--arch",
        "arm64",
        "--arch",
        "x86_64",
    ]);
    run.success();
    // arm64's GB-second is 20% cheaper: the talk's x86_64 timings priced there win, but
    // nothing measured them on Graviton.
    for line in [
        "lambcost recommend: ship aot-net9 (aot, arm64, 256 MB), $2.47 a month at 10M, a what-if on arm64 with durations measured on x86_64\n",
        "Runner-up: aot-net10 (aot, arm64) at $2.57 a month, $0.10 more.\n",
        "  - What-if: aot-net9 (arm64), aot-net10 (arm64), aot-net8 (arm64), regular-net8 (arm64), r2r-net8 (arm64) priced on arm64 with durations measured on x86_64; measure on the architecture priced before counting on the difference.\n",
    ] {
        assert!(run.stdout.contains(line), "{line}{}", run.stdout);
    }
    // Priced where they were measured, nothing is a what-if.
    let plain = t.run(&["recommend", "--requests", "10M", "--arch", "x86_64"]);
    assert!(!plain.stdout.contains("what-if"), "{}", plain.stdout);
    assert!(!plain.stdout.contains("What-if"), "{}", plain.stdout);
    // compare says it under its table.
    let compare = t.run(&["compare", "@talk", "--arch", "arm64"]);
    assert!(
        compare.stdout.contains("What-if: every variant priced on arm64 with durations measured on x86_64; measure on the architecture priced before counting on the difference.\n"),
        "{}",
        compare.stdout
    );
}

#[test]
fn the_slides_mixed_row_is_said_wherever_it_decides_and_answered_with_its_own_figures() {
    let t = Test::new();
    let clause = "aot-net9 mixes two builds of the talk repository: its 1006 ms cold start is aot-net9's on provided.al2023 (warm 19 ms), its 14 ms warm is aot-net9-dotnet8's on dotnet8 (cold 971 ms)";
    // It wins on its 14 ms; with its own build's 19 ms it costs $2.80 (10M x 0.019 s x
    // 0.25 GB x $0.0000166667 = $0.79, $2.00 of requests, a cent of cold starts) and AOT
    // .NET 10 wins at $2.71.
    let run = t.run(&["recommend", "--requests", "10M"]);
    run.success();
    let line = format!(
        "The answer rests on a mixed row: {clause}; with aot-net9's own figures (--data @talk-repo), the answer is aot-net10 (aot, 256 MB) at $2.71 a month.\n"
    );
    assert!(run.stdout.contains(&line), "{}", run.stdout);
    // Where it does not decide the answer, the answer says nothing of it.
    let plugins = t.run(&["recommend", "--uses", "plugins"]);
    assert!(!plugins.stdout.contains("mixed row"), "{}", plugins.stdout);
    // The repository's own rows are no mix.
    let repo = t.run(&["recommend", "--requests", "10M", "--data", "@talk-repo"]);
    assert!(!repo.stdout.contains("mixed row"), "{}", repo.stdout);
    // compare's 6.50x warm is 91 / 14; the build's own is 91 / 19 = 4.79x.
    let compare = t.run(&["compare", "@talk"]);
    let warning = format!(
        "lambcost: warning: {clause}; with aot-net9's own figures (compare @talk-repo), warm 4.79x against regular-net8, not 6.50x.\n"
    );
    assert!(compare.stderr.contains(&warning), "{}", compare.stderr);
    assert!(compare.stdout.contains("6.50x"), "{}", compare.stdout);
    let estimate = t.run(&["estimate", "--requests", "10M"]);
    assert!(
        estimate.stderr.contains(&format!(
            "lambcost: warning: {clause}; with aot-net9's own figures (--data @talk-repo), $2.80 at 10M a month.\n"
        )),
        "{}",
        estimate.stderr
    );
    // A team's own row of the same name is not the slides'.
    let own = t.write(
        "mine.csv",
        "variant,mode,dotnet,runtime,architecture,memory_size_mb,cold_start_ms,warm_ms,max_memory_used_mb_min,max_memory_used_mb_max\naot-net9,aot,9,provided.al2023,x86_64,256,900,12,40,44\n",
    );
    let mine = t.run(&["compare", own.to_str().expect("utf-8")]);
    assert!(!mine.stderr.contains("mixes"), "{}", mine.stderr);
}
