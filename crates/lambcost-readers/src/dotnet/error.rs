//! Why a .NET project cannot be read, and how its files are named: shared by every reader of
//! a project, below all of them.

use std::path::Path;

/// Why a project cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum DotnetError {
    /// A file could not be read.
    #[error("{0}: cannot read: {1}")]
    Read(String, std::io::Error),
    /// A project file is not well-formed XML.
    #[error("{file}:{line}:{column}: not a well-formed MSBuild file: {message}")]
    Xml {
        /// The file.
        file: String,
        /// Line.
        line: u32,
        /// Column.
        column: u32,
        /// What the XML parser said.
        message: String,
    },
    /// A SARIF file is not JSON.
    #[error("{file}:{line}:{column}: not JSON: {message}")]
    Json {
        /// The file.
        file: String,
        /// Line.
        line: usize,
        /// Column.
        column: usize,
        /// What the JSON parser said.
        message: String,
    },
    /// A build log in neither shape.
    #[error(
        "{0}: neither an MSBuild log (lines such as `File.cs(12,5): warning IL2026: … [Fn.csproj]`) nor SARIF (`dotnet build -p:ErrorLog=build.sarif`)"
    )]
    NotABuildLog(String),
    /// A package file that cannot be read.
    #[error("{0}: cannot read the package file: {1}")]
    PackageFile(String, std::io::Error),
    /// A package file that is not a valid package book.
    #[error(transparent)]
    Packages(#[from] lambcost_core::yaml::YamlError),
    /// Nothing to assess.
    #[error("{0}: no project file (.csproj) here or below; give a directory, a .csproj or a .sln")]
    NoProject(String),
}

/// A path as the assessment names it: relative to `root`, with `/`; a referenced project
/// beside it is reached with `../`, as SARIF's `%SRCROOT%` and a reader expect.
pub fn relative(path: &Path, root: &Path) -> String {
    let clean = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let (path, root) = (clean(path), clean(root));
    // The deepest directory both are under, then up from the root to it.
    let common = root
        .ancestors()
        .find(|a| path.starts_with(a))
        .unwrap_or(Path::new(""));
    let ups = root
        .strip_prefix(common)
        .map_or(0, |rest| rest.components().count());
    let down = path.strip_prefix(common).unwrap_or(&path);
    let mut out = "../".repeat(ups);
    out.push_str(&down.to_string_lossy().replace('\\', "/"));
    out
}
