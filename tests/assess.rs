//! `lambcost assess`: every pattern of the hand-written fixture found on its line and none of
//! its near-misses; three small Lambda projects (ready for NativeAOT, blocked by plugins,
//! limited by EF Core) assessed end to end; an MSBuild log and a SARIF file read; SARIF out;
//! `recommend --project` deciding from the evidence; bad input.

use crate::util::Test;
use serde_json::Value;
use std::collections::BTreeSet;

fn fixture(path: &str) -> String {
    format!(
        "{}/tests/fixtures/assess/{path}",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn assess(t: &Test, args: &[&str]) -> Value {
    let mut all = vec!["assess"];
    all.extend(args);
    all.extend(["--format", "json"]);
    let run = t.run(&all);
    run.success();
    run.json()
}

/// (file, line, column, rule) of every finding.
fn found(doc: &Value) -> Vec<(String, u64, u64, String)> {
    doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap_or("").to_string(),
                f["line"].as_u64().unwrap_or(0),
                f["column"].as_u64().unwrap_or(0),
                f["rule"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn verdicts(doc: &Value) -> (String, String, String) {
    let m = |k: &str| doc["modes"][k].as_str().unwrap_or("").to_string();
    (m("regular"), m("readytorun"), m("aot"))
}

#[test]
fn every_pattern_is_found_on_its_line_and_no_near_miss_is() {
    let t = Test::new();
    let doc = assess(&t, &[&fixture("patterns")]);
    // The fixture marks each line that must give a finding: `// expect: rule`.
    let text = std::fs::read_to_string(fixture("patterns/Patterns.cs")).expect("fixture");
    let expected: BTreeSet<(u64, String)> = text
        .lines()
        .enumerate()
        .filter_map(|(i, l)| {
            let rule = l.split("// expect: ").nth(1)?;
            Some((i as u64 + 1, rule.trim().to_string()))
        })
        .collect();
    assert_eq!(expected.len(), 41, "the fixture's own count");
    let got: BTreeSet<(u64, String)> = found(&doc)
        .into_iter()
        .filter(|(f, ..)| f == "Patterns.cs")
        .map(|(_, line, _, rule)| (line, rule))
        .collect();
    let missing: Vec<_> = expected.difference(&got).collect();
    let extra: Vec<_> = got.difference(&expected).collect();
    assert!(missing.is_empty(), "not found: {missing:?}");
    assert!(
        extra.is_empty(),
        "found where nothing was expected: {extra:?}"
    );
    let near: Vec<_> = found(&doc)
        .into_iter()
        .filter(|(f, ..)| f == "NearMisses.cs")
        .collect();
    assert!(near.is_empty(), "near-misses found: {near:?}");
    // Dynamic loading and Reflection.Emit block NativeAOT; a ReadyToRun publish does not
    // trim (no PublishTrimmed), so it is ready.
    assert_eq!(
        verdicts(&doc),
        ("ready".into(), "ready".into(), "blocked".into())
    );
}

#[test]
fn a_project_ready_for_native_aot_is_ready() {
    let t = Test::new();
    let doc = assess(&t, &[&fixture("ready")]);
    assert_eq!(
        verdicts(&doc),
        ("ready".into(), "ready".into(), "ready".into())
    );
    // Only evidence: three [JsonSerializable] lines and the bootstrap builder. Nothing from
    // obj/ or bin/ (an Assembly.LoadFrom in each), nothing from the test project (an
    // Activator.CreateInstance), whose Moq is not deployed.
    let rules: Vec<(String, u64, String)> = found(&doc)
        .into_iter()
        .map(|(f, l, _, r)| (f, l, r))
        .collect();
    assert_eq!(
        rules,
        [
            (
                "src/OrderApi/AppJsonContext.cs".into(),
                8,
                "json-context".into()
            ),
            (
                "src/OrderApi/AppJsonContext.cs".into(),
                9,
                "json-context".into()
            ),
            (
                "src/OrderApi/AppJsonContext.cs".into(),
                10,
                "json-context".into()
            ),
            (
                "src/OrderApi/Function.cs".into(),
                18,
                "lambda-aot-ready".into()
            ),
        ]
    );
    // Directory.Build.props turns the analyzer on and the culture data off for every project:
    // NativeAOT asks for no change; ReadyToRun for its switch and a platform.
    assert_eq!(doc["changes"]["aot"], serde_json::json!([]));
    let r2r = doc["changes"]["readytorun"].to_string();
    assert!(
        r2r.contains("PublishReadyToRun") && r2r.contains("linux-x64"),
        "{r2r}"
    );
    let projects = doc["projects"].as_array().expect("projects");
    assert_eq!(projects.len(), 2);
    assert!(projects.iter().any(|p| p["test"] == true));
    assert_eq!(
        doc["practices"]["source-generated-json"],
        "src/OrderApi/AppJsonContext.cs:8:2"
    );
}

#[test]
fn plugins_block_native_aot_and_the_build_log_confirms() {
    let t = Test::new();
    let doc = assess(
        &t,
        &[
            &fixture("plugins/PluginHost.sln"),
            "--build-log",
            &fixture("plugins/build.log"),
        ],
    );
    assert_eq!(
        verdicts(&doc),
        ("ready".into(), "ready".into(), "blocked".into())
    );
    let f = doc["findings"].as_array().expect("findings");
    let at = |file: &str, line: u64| {
        f.iter()
            .find(|x| x["file"] == file && x["line"] == line)
            .unwrap_or_else(|| panic!("no finding at {file}:{line}"))
    };
    let load = at("src/PluginHost/PluginLoader.cs", 16);
    assert_eq!(load["rule"], "dynamic-loading");
    assert_eq!(load["column"], 28);
    assert_eq!(load["severity"], "error");
    assert_eq!(load["modes"], serde_json::json!(["aot"]));
    // The log's absolute paths, from another machine, are matched to the assessed files.
    assert_eq!(load["analyzer"], "IL2026");
    assert_eq!(
        at("src/PluginHost/PluginLoader.cs", 21)["analyzer"],
        "IL2072"
    );
    assert_eq!(at("src/PluginHost/Function.cs", 5)["analyzer"], "IL2026");
    // A context class deriving from AssemblyLoadContext has no analyzer warning of its own.
    assert_eq!(
        at("src/PluginHost/PluginLoader.cs", 29)["analyzer"],
        Value::Null
    );
    // A class library: NativeAOT needs an executable bootstrap.
    let handler = at("src/PluginHost/PluginHost.csproj", 1);
    assert_eq!(handler["rule"], "class-library-handler");
    let aot = doc["changes"]["aot"].to_string();
    assert!(
        aot.contains(r#""property":"OutputType","value":"Exe""#),
        "{aot}"
    );
    assert!(
        !aot.contains("Plugins.Abstractions"),
        "a library is not the function: {aot}"
    );
    assert_eq!(doc["build_logs"][0]["warnings"], 5);
}

#[test]
fn ef_core_limits_native_aot_and_sarif_is_read() {
    let t = Test::new();
    let doc = assess(
        &t,
        &[
            &fixture("efcore"),
            "--build-log",
            &fixture("efcore/build.sarif"),
        ],
    );
    assert_eq!(
        verdicts(&doc),
        ("ready".into(), "ready".into(), "work".into())
    );
    let f = doc["findings"].as_array().expect("findings");
    // Central package management: the version comes from Directory.Packages.props.
    let ef = f
        .iter()
        .find(|x| x["found"] == "Microsoft.EntityFrameworkCore 9.0.0")
        .expect("EF Core found with its central version");
    assert_eq!(
        (ef["file"].as_str(), ef["line"].as_u64()),
        (Some("src/Orders/Orders.csproj"), Some(12))
    );
    // IL2104 names the assembly: it confirms the package.
    assert_eq!(ef["analyzer"], "IL2104");
    let json = f
        .iter()
        .find(|x| x["rule"] == "reflection-json")
        .expect("reflection JSON");
    assert_eq!(
        (json["line"].as_u64(), json["column"].as_u64()),
        (Some(25), Some(25))
    );
    assert_eq!(json["analyzer"], "IL2026");
    // A warning the scan has no rule for stands as a finding of its own.
    let other = f
        .iter()
        .find(|x| x["rule"] == "analyzer")
        .expect("the analyzer's own finding");
    assert_eq!(
        (other["line"].as_u64(), other["analyzer"].as_str()),
        (Some(37), Some("IL3050"))
    );
    // CS8618 is not a trim or AOT warning.
    assert_eq!(doc["build_logs"][0]["warnings"], 4);
}

#[test]
fn sarif_out_puts_each_finding_on_its_line() {
    let t = Test::new();
    let run = t.run(&[
        "assess",
        &fixture("plugins/PluginHost.sln"),
        "--output",
        "assess.sarif",
    ]);
    run.success();
    let text = std::fs::read_to_string(t.path("assess.sarif")).expect("written");
    let doc: Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(doc["version"], "2.1.0");
    let run0 = &doc["runs"][0];
    assert_eq!(run0["tool"]["driver"]["name"], "lambcost");
    let rules: Vec<&str> = run0["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .filter_map(|r| r["id"].as_str())
        .collect();
    let results = run0["results"].as_array().expect("results");
    assert_eq!(results.len(), 7);
    for r in results {
        let i = r["ruleIndex"].as_u64().expect("index") as usize;
        assert_eq!(Some(rules[i]), r["ruleId"].as_str());
        assert!(["error", "warning", "note"].contains(&r["level"].as_str().unwrap_or("")));
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert!(loc["region"]["startLine"].as_u64().unwrap_or(0) >= 1, "{r}");
    }
    let first = &results[0];
    assert_eq!(first["ruleId"], "dynamic-loading");
    assert_eq!(
        first["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "src/PluginHost/PluginLoader.cs"
    );
    // Other commands have no findings to give.
    t.run(&["estimate", "--format", "sarif"])
        .refused(&["SARIF"]);
}

#[test]
fn markdown_is_a_pull_request_comment() {
    let t = Test::new();
    let run = t.run(&["assess", &fixture("efcore"), "--format", "markdown"]);
    run.success();
    let first = run.stdout.lines().next().unwrap_or("");
    assert!(
        first.starts_with(
            "**lambcost assess: Orders: Regular ready, ReadyToRun ready, NativeAOT work"
        ),
        "{first}"
    );
    assert!(
        run.stdout.contains("| src/Orders/Function.cs:25:25 "),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("NativeAOT: work on 3 finding(s)"),
        "{}",
        run.stdout
    );
}

#[test]
fn recommend_decides_from_the_project_and_cites_its_findings() {
    let t = Test::new();
    let plugins = t.run(&[
        "recommend",
        "--project",
        &fixture("plugins/PluginHost.sln"),
        "--requests",
        "10M",
        "--format",
        "json",
    ]);
    plugins.success();
    let d = plugins.json();
    assert_eq!(d["recommended"]["mode"], "regular", "{d}");
    let text = d.to_string();
    assert!(
        text.contains("aot ruled out: dynamic-loading (src/PluginHost/PluginLoader.cs:16:28 context.LoadFromAssemblyPath"),
        "{text}"
    );
    let ready = t.run(&[
        "recommend",
        "--project",
        &fixture("ready"),
        "--requests",
        "10M",
        "--format",
        "json",
    ]);
    ready.success();
    assert_eq!(ready.json()["recommended"]["variant"], "aot-net9");
    let ef = t.run(&[
        "recommend",
        "--project",
        &fixture("efcore"),
        "--requests",
        "10M",
        "--format",
        "json",
    ]);
    ef.success();
    let rules = ef.json()["rules"].to_string();
    assert!(
        rules.contains("aot ruled out: ef-core (src/Orders/Orders.csproj:12:1 Microsoft.EntityFrameworkCore 9.0.0, src/Orders/Orders.csproj:13:1 Npgsql.EntityFrameworkCore.PostgreSQL 9.0.2) needs ef-core full"),
        "{rules}"
    );
}

#[test]
fn what_cannot_be_read_is_said() {
    let t = Test::new();
    std::fs::create_dir_all(t.path("empty")).expect("dir");
    t.run(&["assess", "empty"])
        .refused(&["empty", "no project file"]);
    t.run(&["assess", "missing"])
        .refused(&["missing", "cannot read"]);
    std::fs::create_dir_all(t.path("bad")).expect("dir");
    t.write(
        "bad/Bad.csproj",
        "<Project>\n  <PropertyGroup>\n</Project>\n",
    );
    t.run(&["assess", "bad"])
        .refused(&["Bad.csproj:3:", "not a well-formed MSBuild file"]);
    t.write("notes.txt", "hello\n");
    t.run(&["assess", &fixture("ready"), "--build-log", "notes.txt"])
        .refused(&["notes.txt", "neither an MSBuild log", "SARIF"]);

    // A file that does not parse gives what parses, and a warning; so do files skipped.
    std::fs::create_dir_all(t.path("fn")).expect("dir");
    t.write(
        "fn/Fn.csproj",
        "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>net6.0</TargetFramework></PropertyGroup></Project>",
    );
    t.write(
        "fn/Broken.cs",
        "class A {\n  void M( {\n}\nclass B { void N(string p) { System.Reflection.Assembly.LoadFrom(p); } }\n",
    );
    // Saved by an older Visual Studio in Windows-1252 ("Größe"): decoded, its findings count.
    std::fs::write(
        t.path("fn/Latin1.cs"),
        b"// Gr\xf6\xdfe des Puffers\nclass C { void M(string p) { System.Reflection.Assembly.LoadFrom(p); } }\n",
    )
    .expect("write");
    let big = "// filler\n".repeat(1_100_000);
    t.write("fn/Huge.cs", &big);
    let run = t.run(&["assess", "fn", "--format", "json"]);
    run.success();
    let doc = run.json();
    assert!(
        found(&doc)
            .iter()
            .any(|(f, l, _, r)| f == "Broken.cs" && *l == 4 && r == "dynamic-loading")
    );
    // .NET 6: every mode has work (retarget).
    assert_eq!(
        verdicts(&doc),
        ("work".into(), "work".into(), "blocked".into())
    );
    let warnings = doc["warnings"].to_string();
    assert!(
        warnings.contains("1 file(s) with syntax errors") && warnings.contains("Broken.cs:2:"),
        "{warnings}"
    );
    assert!(
        found(&doc)
            .iter()
            .any(|(f, l, _, r)| f == "Latin1.cs" && *l == 2 && r == "dynamic-loading")
    );
    assert!(
        warnings.contains("1 file(s) not in UTF-8, read as windows-1252 (first: Latin1.cs)"),
        "{warnings}"
    );
    assert!(
        warnings.contains("1 file(s) over 10 MB skipped (first: Huge.cs)"),
        "{warnings}"
    );
}

#[test]
fn project_files_are_read_as_msbuild_reads_them() {
    let t = Test::new();
    std::fs::create_dir_all(t.path("repo/src/Api/Packages")).expect("dirs");
    // Every project below gets the props' package and properties; the project's own win
    // whatever their case; a Debug-only property is not what ships.
    t.write(
        "repo/Directory.Build.props",
        "<Project>\n  <PropertyGroup>\n    <PublishAOT>true</PublishAOT>\n  </PropertyGroup>\n  <ItemGroup>\n    <PackageReference Include=\"Newtonsoft.Json\" Version=\"13.0.3\" />\n  </ItemGroup>\n</Project>\n",
    );
    t.write(
        "repo/src/Api/Api.csproj",
        "<Project Sdk=\"Microsoft.NET.Sdk.Web\">\n  <PropertyGroup>\n    <TargetFrameworks>net6.0;net8.0</TargetFrameworks>\n    <PublishAot>false</PublishAot>\n  </PropertyGroup>\n  <PropertyGroup Condition=\"'$(Configuration)' == 'Debug'\">\n    <PublishTrimmed>true</PublishTrimmed>\n  </PropertyGroup>\n  <ItemGroup>\n    <PackageReference Include=\"Amazon.Lambda.AspNetCoreServer.Hosting\" Version=\"1.7.0\" />\n    <ProjectReference Include=\"$(MSBuildThisFileDirectory)..\\Missing\\Missing.csproj\" />\n  </ItemGroup>\n</Project>\n",
    );
    // A folder named Packages is code like any other; an upper-case extension is C# too.
    t.write(
        "repo/src/Api/Packages/Loader.CS",
        "class Loader { object M(string p) => System.Reflection.Assembly.LoadFrom(p); }\n",
    );
    t.write(
        "repo/src/Api/Program.cs",
        "var app = WebApplication.Create(args);\napp.MapGet(\"/\", () => System.Type.GetType(args[0]));\napp.Run();\n",
    );
    // The SDK's own words, its path relative to the project, as MSBuild may print it.
    t.write(
        "build.log",
        "Program.cs(2,25): warning IL2057: Unrecognized value passed to the parameter 'typeName' of method 'System.Type.GetType(String)'. [repo/src/Api/Api.csproj]\nBuild succeeded.\n",
    );
    let run = t.run(&[
        "assess",
        "repo",
        "--build-log",
        "build.log",
        "--format",
        "json",
    ]);
    run.success();
    let doc = run.json();
    let f = doc["findings"].as_array().expect("findings");
    let rule_at = |file: &str, rule: &str| {
        f.iter()
            .find(|x| x["file"] == file && x["rule"] == rule)
            .unwrap_or_else(|| panic!("no {rule} in {file}: {doc}"))
    };
    assert_eq!(
        rule_at("Directory.Build.props", "package")["found"],
        "Newtonsoft.Json 13.0.3"
    );
    assert_eq!(
        rule_at("src/Api/Packages/Loader.CS", "dynamic-loading")["line"],
        1
    );
    assert_eq!(
        rule_at("src/Api/Program.cs", "type-by-name")["analyzer"],
        "IL2057"
    );
    // A Web SDK project is an executable; it also targets .NET 8, which is what deploys.
    assert!(
        !f.iter()
            .any(|x| x["rule"] == "class-library-handler" || x["rule"] == "target-framework"),
        "{doc}"
    );
    let api = &doc["projects"][0];
    assert_eq!(api["publish_aot"], false);
    assert_eq!(api["publish_trimmed"], false);
    assert!(
        doc["warnings"].to_string().contains("ProjectReference")
            && doc["warnings"]
                .to_string()
                .contains("names no project file"),
        "{doc}"
    );
}

#[test]
fn a_referenced_project_beside_the_path_is_named_from_it() {
    let t = Test::new();
    std::fs::create_dir_all(t.path("app")).expect("dir");
    std::fs::create_dir_all(t.path("lib")).expect("dir");
    t.write(
        "app/App.csproj",
        "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>net8.0</TargetFramework><OutputType>Exe</OutputType></PropertyGroup><ItemGroup><ProjectReference Include=\"..\\lib\\Lib.csproj\" /></ItemGroup></Project>",
    );
    t.write(
        "lib/Lib.csproj",
        "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup></Project>",
    );
    t.write(
        "lib/L.cs",
        "class L { object M(string p) => System.Reflection.Assembly.LoadFrom(p); }\n",
    );
    let doc = assess(&t, &["app"]);
    assert_eq!(
        found(&doc),
        [(
            "../lib/L.cs".to_string(),
            1,
            33,
            "dynamic-loading".to_string()
        )]
    );
}

/// Every package of a project in the JSON: id, version.
fn packages(doc: &Value, file: &str) -> Vec<(String, Option<String>)> {
    doc["projects"]
        .as_array()
        .expect("projects")
        .iter()
        .find(|p| p["file"] == file)
        .expect("the project")["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .map(|p| {
            (
                p["id"].as_str().unwrap_or("").to_string(),
                p["version"].as_str().map(str::to_string),
            )
        })
        .collect()
}

#[test]
fn versions_set_as_properties_are_read_as_msbuild_evaluates_them() {
    // AWS's serverless-dotnet-demo: every version a property of Directory.Build.props, the
    // DynamoDB client in a class library the functions reference. Evaluated as a Release
    // publish, NativeAOT is ready: nothing is blocked, nothing old, the library is not told
    // to become an executable.
    let t = Test::new();
    let doc = assess(&t, &[&fixture("demo")]);
    assert_eq!(
        verdicts(&doc),
        ("ready".into(), "ready".into(), "ready".into())
    );
    let harm: Vec<_> = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["aot"] != "none" || f["trim"] != "none")
        .collect();
    assert!(harm.is_empty(), "{harm:?}");
    assert_eq!(doc["changes"]["aot"], serde_json::json!([]));
    let v = |id: &str, version: &str| (id.to_string(), Some(version.to_string()));
    assert_eq!(
        packages(&doc, "src/NET8Native/Shared/Shared.csproj"),
        [
            v("Amazon.Lambda.APIGatewayEvents", "2.7.1"),
            v("Amazon.Lambda.Core", "2.5.1"),
            v("AWSSDK.DynamoDBv2", "4.0.0.0"),
            v("AWSXRayRecorder.Core", "2.15.0"),
            v("AWSXRayRecorder.Handlers.AwsSdk", "2.13.0"),
        ]
    );
    // The project's own properties, one resting on the repository's, one defined in a group
    // conditioned on PublishAot; the Release-only reference in, the Debug-only one out; the
    // `!= 'Release'` group that turns PublishAot off not applied.
    assert_eq!(
        packages(&doc, "src/NET8Native/PutProduct/PutProduct.csproj"),
        [
            v("Amazon.Lambda.Core", "2.5.1"),
            v("Amazon.Lambda.APIGatewayEvents", "2.7.1"),
            v("Amazon.Lambda.RuntimeSupport", "1.13.0"),
            v("Amazon.Lambda.Serialization.SystemTextJson", "2.4.4"),
            v("AWSSDK.CloudWatchLogs", "4.0.0.0"),
        ]
    );
    let put = doc["projects"]
        .as_array()
        .and_then(|p| {
            p.iter()
                .find(|p| p["file"] == "src/NET8Native/PutProduct/PutProduct.csproj")
        })
        .expect("PutProduct");
    assert_eq!(put["publish_aot"], true);
    assert_eq!(
        put["references"],
        serde_json::json!(["src/NET8Native/Shared/Shared.csproj"])
    );
}

#[test]
fn an_upgrade_is_work_not_a_block() {
    // The demo's minimal API at an older revision: Hosting 1.6.0 (1.7.0 added the overload
    // taking a source-generated serializer), AWSSDK 3.7.101, RuntimeSupport 1.8.2.
    let t = Test::new();
    let doc = assess(&t, &[&fixture("minimal-api")]);
    assert_eq!(
        verdicts(&doc),
        ("ready".into(), "ready".into(), "work".into())
    );
    let f = |file: &str, line: u64| {
        doc["findings"]
            .as_array()
            .and_then(|all| {
                all.iter()
                    .find(|f| f["file"] == file && f["line"] == line && f["aot"] != "none")
            })
            .cloned()
            .unwrap_or(Value::Null)
    };
    let csproj = "src/ApiBootstrap/ApiBootstrap.csproj";
    let hosting = f(csproj, 18);
    assert_eq!(
        hosting["found"],
        "Amazon.Lambda.AspNetCoreServer.Hosting 1.6.0"
    );
    assert_eq!(hosting["aot"], "work");
    assert!(
        hosting["fix"]
            .as_str()
            .unwrap_or("")
            .starts_with("Upgrade to 1.7.0+")
    );
    let sdk = f(csproj, 23);
    assert_eq!(sdk["found"], "AWSSDK.DynamoDBv2 3.7.101.21");
    assert_eq!(sdk["aot"], "work");
    assert!(
        sdk["fix"]
            .as_str()
            .unwrap_or("")
            .starts_with("upgrade to 3.7.300 or later; "),
        "{sdk}"
    );
    // The options overload it calls is RequiresUnreferencedCode even with a source-generated
    // serializer set inside.
    let call = f("src/ApiBootstrap/Function.cs", 15);
    assert_eq!(call["rule"], "lambda-reflection-serializer");
    assert_eq!(call["found"], "Services.AddAWSLambdaHosting");
}

#[test]
fn build_logs_as_the_sdk_and_ci_print_them() {
    // AWS's top-level-statements blueprint published with PublishAot: the analyzer's warning
    // at Function.cs(14,46) and ILC's at Function.cs(14) both confirm the reflection
    // serializer at 14:46, not the LambdaBootstrapBuilder.Create call at 14:7 that holds it,
    // in every shape the log reaches a reader.
    let t = Test::new();
    // Each log's trim and AOT warnings, once each: the closing summary's repeats and the
    // same line pasted twice are one; the commands' IL2104 is the project's assembly.
    for (log, warnings) in [
        ("publish.log", 2),
        ("github-actions.log", 2),
        ("github-ui.txt", 2),
        ("annotations.txt", 3),
    ] {
        let doc = assess(
            &t,
            &[
                &fixture("blueprint"),
                "--build-log",
                &fixture(&format!("blueprint/logs/{log}")),
            ],
        );
        let findings = doc["findings"].as_array().expect("findings");
        let at = |line: u64, column: u64| {
            findings
                .iter()
                .find(|f| f["line"] == line && f["column"] == column)
                .expect("a finding")
        };
        assert_eq!(at(14, 46)["analyzer"], "IL2026", "{log}");
        assert_eq!(at(14, 46)["rule"], "lambda-reflection-serializer");
        assert_eq!(at(14, 7)["analyzer"], Value::Null, "{log}");
        let strays: Vec<&Value> = findings
            .iter()
            .filter(|f| f["rule"] == "analyzer" && f["analyzer"] != "IL2104")
            .collect();
        assert!(strays.is_empty(), "{log}: {strays:?}");
        assert_eq!(doc["build_logs"][0]["warnings"], warnings, "{log}");
    }
    // A warning with no location at all, about the project's own assembly: read, and put on
    // the project file.
    let doc = assess(
        &t,
        &[
            &fixture("blueprint"),
            "--build-log",
            &fixture("blueprint/logs/assembly-only.txt"),
        ],
    );
    let il2104: Vec<(String, String)> = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["analyzer"] == "IL2104")
        .map(|f| {
            (
                f["file"].as_str().unwrap_or("").to_string(),
                f["found"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(
        il2104,
        [(
            "src/TopLevel/TopLevel.csproj".to_string(),
            "IL2104 (assembly TopLevel: this project's)".to_string()
        )]
    );
}

#[test]
fn recommend_ships_a_mode_after_its_work() {
    // AWS's top-level blueprint needs one line changed for NativeAOT (Function.cs:14, the
    // reflection serializer): that is an answer, with the work listed and costed, not a mode
    // ruled out.
    let t = Test::new();
    let run = t.run(&[
        "recommend",
        "--project",
        &fixture("blueprint"),
        "--requests",
        "10M",
        "--format",
        "json",
    ]);
    run.success();
    let d = run.json();
    assert_eq!(d["recommended"]["mode"], "aot", "{d}");
    assert_eq!(
        d["work"],
        serde_json::json!([
            "src/TopLevel/Function.cs:14:46 new DefaultLambdaJsonSerializer: SourceGeneratorLambdaJsonSerializer<Ctx> over a [JsonSerializable] context",
            "set src/TopLevel/TopLevel.csproj: PublishAot=true, InvariantGlobalization=true"
        ])
    );
    let rules = d["rules"].to_string();
    // 10M at the talk's figures under the traffic model: NativeAOT .NET 9 $2.59 against
    // Regular $9.72; the difference, $9.72 - $2.59 = $7.13, is what the work is worth.
    assert!(
        rules.contains("work: aot ships after 2 item(s) of work the project needs (listed); at 10M a month it costs $2.59 against $9.72 for regular-net8, which needs none: $7.13 a month for the work"),
        "{rules}"
    );
    // No practice is named for a serializer finding: no mode is ruled out by it.
    assert!(!rules.contains("constructor-injection"), "{rules}");
    assert!(
        d["body"][0]
            .as_str()
            .unwrap_or("")
            .contains("after the work listed")
    );
}
