//! Readers of a .NET project: its project files ([`project`]), its C# sources through a real
//! parser ([`csharp`]) and its build logs ([`buildlog`]), and the walk that finds them under
//! a directory, a `.csproj` or a solution, skipping `bin/` and `obj/`. What they read becomes
//! the facts and findings the assessment (`assess`) judges.

pub mod buildlog;
pub mod csharp;
mod error;
pub mod evidence;
pub mod msbuild;
pub mod project;

pub use error::{DotnetError, relative};

use lambcost_core::assess::Finding;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Files larger than this are not parsed (generated code, mostly).
pub const MAX_SOURCE_BYTES: u64 = 10 * 1024 * 1024;

/// Directories never looked into: build output, version control, the IDE's cache, npm's.
fn skipped_dir(name: &str) -> bool {
    matches!(
        name.to_ascii_lowercase().as_str(),
        "bin" | "obj" | ".git" | ".vs" | "node_modules"
    )
}

/// Whether a path has an extension, in any case (`.cs`, `.CS`).
fn has_extension(path: &Path, ext: &str) -> bool {
    path.extension()
        .is_some_and(|x| x.eq_ignore_ascii_case(ext))
}

/// The projects to assess: a `.csproj` itself, a solution's, or every one under a directory,
/// each followed through its `ProjectReference`s; the directory files are named from; and a
/// warning for each reference that names no project file.
pub fn projects(path: &Path) -> Result<(Vec<project::Project>, PathBuf, Vec<String>), DotnetError> {
    let shown = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| DotnetError::Read(shown.clone(), e))?;
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let (mut queue, root): (Vec<PathBuf>, PathBuf) = if meta.is_dir() {
        let found = walkdir::WalkDir::new(path)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                !(e.file_type().is_dir()
                    && e.depth() > 0
                    && skipped_dir(&e.file_name().to_string_lossy()))
            })
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file() && has_extension(e.path(), "csproj"))
            .map(|e| e.path().to_path_buf())
            .collect();
        (found, path.to_path_buf())
    } else {
        let dir = path
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        match ext.as_str() {
            "sln" | "slnx" => (project::solution_projects(path)?, dir),
            "csproj" => (vec![path.to_path_buf()], dir),
            _ => return Err(DotnetError::NoProject(shown)),
        }
    };
    if queue.is_empty() {
        return Err(DotnetError::NoProject(shown));
    }
    let mut seen: Vec<PathBuf> = Vec::new();
    let mut out = Vec::new();
    let mut warnings = Vec::new();
    let mut shared = project::Shared::default();
    // Those named on the command line must exist; a reference that does not is said.
    let mut queue: Vec<(PathBuf, Option<String>)> = queue.drain(..).map(|p| (p, None)).collect();
    while let Some((next, from)) = queue.pop() {
        let key = std::fs::canonicalize(&next).unwrap_or_else(|_| next.clone());
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        if let Some(from) = &from
            && !next.is_file()
        {
            warnings.push(format!(
                "{from}: ProjectReference {} names no project file; not assessed",
                next.display()
            ));
            continue;
        }
        let p = project::read(&next, &root, &mut shared)?;
        let file = p.facts.file.clone();
        queue.extend(p.references.iter().map(|r| (r.clone(), Some(file.clone()))));
        out.push(p);
    }
    out.sort_by(|a, b| a.facts.file.cmp(&b.facts.file));
    Ok((out, root, warnings))
}

/// The C# files of the deployed projects: every `.cs` under each one's directory, except in
/// `bin/`, `obj/` and directories of other projects; each once, in name order.
pub fn sources(projects: &[project::Project]) -> Vec<PathBuf> {
    let dirs: Vec<PathBuf> = projects
        .iter()
        .filter_map(|p| p.path.parent().map(Path::to_path_buf))
        .collect();
    let mut files: Vec<PathBuf> = Vec::new();
    for p in projects.iter().filter(|p| !p.facts.test) {
        let Some(dir) = p.path.parent() else {
            continue;
        };
        let walk = walkdir::WalkDir::new(dir)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                if !e.file_type().is_dir() || e.depth() == 0 {
                    return true;
                }
                let name = e.file_name().to_string_lossy();
                // Another project's directory is that project's.
                !skipped_dir(&name) && !dirs.iter().any(|d| d == e.path())
            });
        for e in walk.filter_map(Result::ok) {
            if e.file_type().is_file() && has_extension(e.path(), "cs") {
                files.push(e.path().to_path_buf());
            }
        }
    }
    files.sort();
    files.dedup();
    files
}

/// What became of one source file.
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    /// Parsed (perhaps with syntax errors), with the encoding it was decoded from when it was
    /// not UTF-8 (`windows-1252`, `UTF-16LE`).
    Scanned(csharp::Scanned, Option<&'static str>),
    /// Over [`MAX_SOURCE_BYTES`].
    TooLarge(u64),
    /// Could not be read.
    Unreadable(String),
}

/// Scans `files` (named by `names`) on `threads` workers (one per core when 0); the results
/// come back in the files' order, with the bytes read.
pub fn scan_all(files: &[PathBuf], names: &[String], threads: usize) -> (Vec<Source>, u64) {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let workers = if threads == 0 { cores } else { threads }.clamp(1, files.len().max(1));
    let next = AtomicUsize::new(0);
    let bytes = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Source>>> = Mutex::new(vec![None; files.len()]);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(path) = files.get(i) else {
                        return;
                    };
                    let (source, read) = scan_one(path, &names[i]);
                    bytes.fetch_add(read, Ordering::Relaxed);
                    if let Ok(mut r) = results.lock() {
                        r[i] = Some(source);
                    }
                }
            });
        }
    });
    let results = results
        .into_inner()
        .unwrap_or_default()
        .into_iter()
        .map(|s| s.unwrap_or(Source::Unreadable("not scanned".into())))
        .collect();
    (results, bytes.into_inner() as u64)
}

fn scan_one(path: &Path, name: &str) -> (Source, usize) {
    match std::fs::metadata(path) {
        Ok(m) if m.len() > MAX_SOURCE_BYTES => return (Source::TooLarge(m.len()), 0),
        Err(e) => return (Source::Unreadable(e.to_string()), 0),
        _ => {}
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return (Source::Unreadable(e.to_string()), 0),
    };
    let read = bytes.len();
    let (text, encoding) = crate::text::decode(&bytes);
    (Source::Scanned(csharp::scan(&text, name), encoding), read)
}

/// Every finding of the scanned sources.
pub fn findings(sources: &[Source]) -> Vec<Finding> {
    sources
        .iter()
        .filter_map(|s| match s {
            Source::Scanned(s, _) => Some(s.findings.iter().cloned()),
            _ => None,
        })
        .flatten()
        .collect()
}
