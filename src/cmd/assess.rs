//! `lambcost assess`: reads a .NET project (its project files, its C# sources through a real
//! parser, its packages against the compatibility book, and the SDK analyzer's warnings from a
//! build log) and says what stands between it and each build mode: a verdict per mode, every
//! finding with where, why and the fix, and the project-file changes each mode needs. Tables,
//! JSON, Markdown for a pull request, and SARIF for code-scanning tools.

use crate::cli::AssessArgs;
use crate::report::{Cell, Column, Detail, Report, Wrap};
use anyhow::Result;
use lambcost_core::assess::{self, Assessment, Finding, MODES, ProjectFacts, Verdict};
use lambcost_readers::dotnet::evidence::{Evidence, gather};
use serde_json::{Value, json};
use std::path::Path;

/// Runs `lambcost assess`.
pub fn run(args: &AssessArgs) -> Result<Report> {
    let evidence = gather(
        &args.path,
        &args.build_log,
        args.packages.as_deref(),
        args.threads.map_or(0, |n| n as usize),
    )?;
    Ok(report(args, &evidence))
}

/// How a mode is named for people.
fn mode_title(mode: &str) -> &'static str {
    match mode {
        "regular" => "Regular",
        "readytorun" => "ReadyToRun",
        _ => "NativeAOT",
    }
}

/// The order findings are shown in: what blocks first, then what asks for work, then
/// evidence; by place within each.
fn shown_order(a: &Assessment) -> Vec<&Finding> {
    let rank = |f: &Finding| match f.severity() {
        "error" => 0,
        "warning" => 1,
        _ => 2,
    };
    let mut out: Vec<&Finding> = a.findings.iter().collect();
    out.sort_by_key(|f| rank(f));
    out
}

fn report(args: &AssessArgs, e: &Evidence) -> Report {
    let a = &e.assessment;
    let deployed: Vec<&ProjectFacts> = e.projects.iter().filter(|p| !p.test).collect();
    let name = deployed
        .first()
        .map(|p| {
            Path::new(&p.file)
                .file_stem()
                .map_or_else(|| p.file.clone(), |s| s.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| args.path.display().to_string());
    let verdicts: Vec<String> = MODES
        .iter()
        .zip(a.verdicts)
        .map(|(m, v)| format!("{} {}", mode_title(m), v.as_str()))
        .collect();
    let (columns, rows) = findings_table(a);
    let mut body = Vec::new();
    for (i, mode) in MODES.iter().enumerate() {
        body.push(verdict_line(a, i, mode));
    }
    let kb = e.bytes.div_ceil(1024);
    let logs = if e.logs.is_empty() {
        String::new()
    } else {
        // The scan's findings the analyzer confirmed, not the analyzer's own.
        let confirmed = a
            .findings
            .iter()
            .filter(|f| f.analyzer.is_some() && f.rule != assess::Rule::Analyzer)
            .count();
        format!(
            "; build log {}: {} trim/AOT warning(s), {confirmed} finding(s) confirmed by the analyzer",
            e.logs
                .iter()
                .map(|(n, _)| n.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            e.logs.iter().map(|(_, c)| c).sum::<usize>()
        )
    };
    let tests: Vec<&str> = e
        .projects
        .iter()
        .filter(|p| p.test)
        .map(|p| p.file.as_str())
        .collect();
    let skipped = if tests.is_empty() {
        String::new()
    } else {
        format!(
            " and {} test project(s), not deployed, not assessed",
            tests.len()
        )
    };
    let data = format!(
        "{}: {} project(s){skipped}, {} C# file(s) ({kb} KB) parsed{logs}",
        args.path.display(),
        deployed.len(),
        e.files
    );
    let details = details(e, &tests);
    let mut report = Report {
        title: format!(
            "lambcost assess: {name}: {} ({} finding(s))",
            verdicts.join(", "),
            a.findings.len()
        ),
        columns,
        rows,
        notes: vec![
            "Verdicts: ready; work (ready after the listed work); blocked (a library or the design must change).".to_string(),
        ],
        data,
        details,
        body,
        warnings: e.warnings.clone(),
        ..Report::default()
    };
    report.json = Some(document(&report, e));
    report.sarif = Some(sarif(e));
    report
}

/// The findings as a table: where, what, the modes it stands in the way of, why, the fix.
fn findings_table(a: &Assessment) -> (Vec<Column>, Vec<Vec<Cell>>) {
    let columns = vec![
        Column::shown("place", "Where").wrapped(Wrap::Never),
        Column::shown("found", "Found").wrapped(Wrap::Words),
        Column::shown("modes", "Stands in the way of").abbreviated("Blocks"),
        Column::shown("severity", "Severity").optional(2),
        Column::shown("analyzer", "Analyzer").optional(3),
        Column::shown("why", "Why").optional(4),
        Column::shown("fix", "Fix"),
    ];
    let rows = shown_order(a)
        .into_iter()
        .map(|f| {
            let modes = a.modes(f);
            vec![
                Cell::Text(f.place()),
                Cell::Text(f.what.clone()),
                Cell::Text(if modes.is_empty() {
                    "evidence".to_string()
                } else {
                    modes.join(", ")
                }),
                Cell::Text(f.severity().to_string()),
                Cell::Text(f.analyzer.clone().unwrap_or_default()),
                Cell::Text(f.why.clone()),
                Cell::Text(f.fix.clone()),
            ]
        })
        .collect();
    (columns, rows)
}

/// What `--explain` adds: the package book, the practices shown, the test projects left out.
fn details(e: &Evidence, tests: &[&str]) -> Vec<Detail> {
    let a = &e.assessment;
    let mut details = vec![Detail::general(format!(
        "Packages: {}; an entry says from which version a package is ready, limited or blocked, and where that is said.",
        e.book
    ))];
    if !a.practices.is_empty() {
        details.push(Detail::general(format!(
            "Practices the code shows: {}.",
            a.practices
                .iter()
                .map(|(p, why)| format!("{p} ({why})"))
                .collect::<Vec<_>>()
                .join("; ")
        )));
    }
    if !tests.is_empty() {
        details.push(Detail::general(format!(
            "Test projects (Microsoft.NET.Test.Sdk or IsTestProject) are not deployed and not assessed: {}.",
            tests.join(", ")
        )));
    }
    details.push(Detail::general(
        "ReadyToRun keeps the JIT and every member: only a trimmed publish (PublishTrimmed) makes trim findings its concern. NativeAOT always trims and has no JIT.",
    ));
    details
}

/// One mode's verdict in a sentence: what blocks it, how much work, the project-file changes.
fn verdict_line(a: &Assessment, i: usize, mode: &str) -> String {
    let on: Vec<&Finding> = a
        .findings
        .iter()
        .filter(|f| a.modes(f).contains(&mode))
        .collect();
    let effect = |f: &Finding| if mode == "aot" { f.aot } else { f.trim };
    let blocked: Vec<String> = on
        .iter()
        .filter(|f| effect(f) == assess::Effect::Blocked)
        .map(|f| format!("{} at {}", f.what, f.place()))
        .collect();
    let work = on
        .iter()
        .filter(|f| effect(f) == assess::Effect::Work)
        .count();
    let mut s = format!("{}: {}", mode_title(mode), a.verdicts[i].as_str());
    match a.verdicts[i] {
        Verdict::Blocked => {
            let shown: Vec<&str> = blocked.iter().take(3).map(String::as_str).collect();
            let more = blocked.len().saturating_sub(3);
            s.push_str(&format!(" by {}", shown.join("; ")));
            if more > 0 {
                s.push_str(&format!(" and {more} more"));
            }
            if work > 0 {
                s.push_str(&format!("; then {work} finding(s) of work"));
            }
        }
        Verdict::Work => s.push_str(&format!(" on {work} finding(s)")),
        Verdict::Ready => {}
    }
    let changes = &a.changes[i];
    if !changes.is_empty() {
        s.push_str(&format!("; set {}", assess::changes_in_words(changes)));
    }
    s.push('.');
    s
}

fn document(report: &Report, e: &Evidence) -> Value {
    let a = &e.assessment;
    let modes: serde_json::Map<String, Value> = MODES
        .iter()
        .zip(a.verdicts)
        .map(|(m, v)| ((*m).to_string(), Value::String(v.as_str().to_string())))
        .collect();
    let changes: serde_json::Map<String, Value> = MODES
        .iter()
        .zip(&a.changes)
        .map(|(m, c)| ((*m).to_string(), json!(c)))
        .collect();
    let findings: Vec<Value> = shown_order(a)
        .into_iter()
        .map(|f| {
            json!({
                "file": f.file,
                "line": f.line,
                "column": f.column,
                "rule": f.rule.id(),
                "found": f.what,
                "modes": a.modes(f),
                "severity": f.severity(),
                "trim": f.trim,
                "aot": f.aot,
                "why": f.why,
                "fix": f.fix,
                "analyzer": f.analyzer,
            })
        })
        .collect();
    let projects: Vec<Value> = e
        .projects
        .iter()
        .map(|p| {
            json!({
                "file": p.file,
                "test": p.test,
                "target_frameworks": p.target_frameworks(),
                "output_type": p.property("OutputType"),
                "publish_aot": p.flag("PublishAot"),
                "publish_ready_to_run": p.flag("PublishReadyToRun"),
                "publish_trimmed": p.flag("PublishTrimmed"),
                "packages": p.packages.iter().map(|r| json!({"id": r.id, "version": r.version, "version_as_written": r.written})).collect::<Vec<_>>(),
                "references": p.references,
            })
        })
        .collect();
    json!({
        "title": report.title,
        "modes": modes,
        "findings": findings,
        "changes": changes,
        "practices": a.practices,
        "projects": projects,
        "files": e.files,
        "bytes": e.bytes,
        "build_logs": e.logs.iter().map(|(n, c)| json!({"file": n, "warnings": c})).collect::<Vec<_>>(),
        "data": report.data,
        "warnings": report.warnings,
    })
}

/// The findings as SARIF 2.1.0: one rule per kind of finding, one result per finding, files
/// relative to the assessed path (`%SRCROOT%`).
fn sarif(e: &Evidence) -> Value {
    let a = &e.assessment;
    let mut rules: Vec<assess::Rule> = a.findings.iter().map(|f| f.rule).collect();
    rules.sort();
    rules.dedup();
    let rule_index = |r: assess::Rule| rules.iter().position(|x| *x == r).unwrap_or(0);
    let rule_docs: Vec<Value> = rules
        .iter()
        .map(|r| {
            let info = r.info();
            json!({
                "id": r.id(),
                "shortDescription": {"text": r.id().replace('-', " ")},
                "fullDescription": {"text": info.why},
                "help": {"text": info.fix},
            })
        })
        .collect();
    let results: Vec<Value> = shown_order(a)
        .into_iter()
        .map(|f| {
            let mut location = json!({"artifactLocation": {"uri": f.file, "uriBaseId": "%SRCROOT%"}});
            if f.line > 0 {
                location["region"] = json!({"startLine": f.line, "startColumn": f.column.max(1)});
            }
            let modes = a.modes(f);
            let mut result = json!({
                "ruleId": f.rule.id(),
                "ruleIndex": rule_index(f.rule),
                "level": f.severity(),
                "message": {"text": format!("{}: {} Fix: {}.", f.what, f.why, f.fix.trim_end_matches('.'))},
                "properties": {"modes": modes, "analyzer": f.analyzer},
            });
            // A warning of the build about an assembly has no place in the sources.
            if !f.file.is_empty() {
                result["locations"] = json!([{"physicalLocation": location}]);
            }
            result
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "lambcost",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rule_docs,
            }},
            "results": results,
        }],
    })
}
