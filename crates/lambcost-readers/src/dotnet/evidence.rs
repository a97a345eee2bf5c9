//! A .NET project read and assessed: its projects, its C# sources, its packages against the
//! compatibility book and the analyzer's warnings of its build logs, judged by the core's
//! assessment. What `assess` reports and `recommend --project` decides from.

use super::Source;
use super::buildlog;
use super::error::DotnetError;
use lambcost_core::assess::{self, Assessment, CompatBook, Finding, ProjectFacts};
use std::path::Path;

/// What was read, for the report's data line and warnings.
pub struct Evidence {
    /// The assessment.
    pub assessment: Assessment,
    /// Every project read (test projects included, marked).
    pub projects: Vec<ProjectFacts>,
    /// C# files parsed.
    pub files: usize,
    /// Their bytes.
    pub bytes: u64,
    /// The build logs read, with their trim and AOT warnings counted.
    pub logs: Vec<(String, usize)>,
    /// What the user should know: files skipped, syntax errors.
    pub warnings: Vec<String>,
    /// The package book's provenance, in words.
    pub book: String,
}

/// Reads the project at `path` (and the build logs) and assesses it: what `assess` reports
/// and `recommend --project` decides from.
pub fn gather(
    path: &Path,
    build_logs: &[std::path::PathBuf],
    packages: Option<&Path>,
    threads: usize,
) -> Result<Evidence, DotnetError> {
    let mut book = CompatBook::embedded()?;
    let mut provenance = format!(
        "{}, retrieved {}",
        assess::DEFAULT_COMPAT_ORIGIN,
        book.retrieved
    );
    if let Some(p) = packages {
        let text = std::fs::read_to_string(p)
            .map_err(|e| DotnetError::PackageFile(p.display().to_string(), e))?;
        let theirs = CompatBook::from_yaml(&text, &p.display().to_string())?;
        provenance.push_str(&format!(
            ", and {} ({} entries)",
            p.display(),
            theirs.packages.len()
        ));
        book.extend(theirs);
    }
    let (projects, root, reference_warnings) = super::projects(path)?;
    let mut findings: Vec<Finding> = Vec::new();
    let all: Vec<ProjectFacts> = projects.iter().map(|p| p.facts.clone()).collect();
    for p in projects.iter().filter(|p| !p.facts.test) {
        let entry = p.facts.entry(&all);
        findings.extend(assess::project_findings(&p.facts, &book, entry));
    }
    let files = super::sources(&projects);
    let names: Vec<String> = files
        .iter()
        .map(|f| super::error::relative(f, &root))
        .collect();
    let (scanned, bytes) = super::scan_all(&files, &names, threads);
    findings.extend(super::findings(&scanned));
    let mut warnings = reference_warnings;
    warnings.extend(source_warnings(&scanned, &names));
    let mut logs = Vec::new();
    let mut known: Vec<String> = names.clone();
    known.extend(projects.iter().map(|p| p.facts.file.clone()));
    for log in build_logs {
        let shown = log.display().to_string();
        let bytes = std::fs::read(log).map_err(|e| DotnetError::Read(shown.clone(), e))?;
        // Windows PowerShell's `>` writes UTF-16 with a byte-order mark.
        let (text, _) = crate::text::decode(&bytes);
        let mut found = buildlog::read(&text, &shown)?;
        buildlog::relate(&mut found, &known);
        logs.push((shown, found.len()));
        assess::merge_analyzer(&mut findings, &found, &all);
    }
    let facts: Vec<ProjectFacts> = projects.into_iter().map(|p| p.facts).collect();
    let assessment = assess::assess(&facts, findings);
    Ok(Evidence {
        assessment,
        projects: facts,
        files: scanned
            .iter()
            .filter(|s| matches!(s, Source::Scanned(..)))
            .count(),
        bytes,
        logs,
        warnings,
        book: provenance,
    })
}

/// Files skipped or parsed with errors, each kind said once with its count and first file.
fn source_warnings(scanned: &[Source], names: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut say = |what: &str, hits: Vec<String>| {
        if let Some(first) = hits.first() {
            out.push(format!("{} file(s) {what} (first: {first})", hits.len()));
        }
    };
    let pick = |test: &dyn Fn(&Source) -> Option<String>| -> Vec<String> {
        scanned
            .iter()
            .zip(names)
            .filter_map(|(s, n)| test(s).map(|detail| format!("{n}{detail}")))
            .collect()
    };
    say(
        "with syntax errors, assessed from the parts that parse",
        pick(&|s| match s {
            Source::Scanned(sc, _) => sc.syntax_error.map(|(l, c)| format!(":{l}:{c}")),
            _ => None,
        }),
    );
    say(
        "over 10 MB skipped",
        pick(&|s| matches!(s, Source::TooLarge(_)).then(String::new)),
    );
    for encoding in ["windows-1252", "UTF-16LE", "UTF-16BE"] {
        say(
            &format!("not in UTF-8, read as {encoding}"),
            pick(&|s| matches!(s, Source::Scanned(_, Some(e)) if *e == encoding).then(String::new)),
        );
    }
    say(
        "unreadable, skipped",
        pick(&|s| match s {
            Source::Unreadable(e) => Some(format!(": {e}")),
            _ => None,
        }),
    );
    out
}
