//! MSBuild project files as the assessment needs them: a `.csproj` (its properties, package
//! and project references), the `Directory.Build.props` and `Directory.Packages.props` found
//! up the tree and applied as MSBuild applies them, and a `.sln`'s projects.

use super::error::DotnetError;
use lambcost_core::assess::{PackageRef, ProjectFacts};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A project read: its facts, its directory and the projects it references.
#[derive(Clone, Debug)]
pub struct Project {
    /// What the assessment judges.
    pub facts: ProjectFacts,
    /// Where it is.
    pub path: PathBuf,
    /// The projects it references (`ProjectReference`), resolved.
    pub references: Vec<PathBuf>,
}

/// One MSBuild file's content, as read.
#[derive(Clone, Default)]
struct Parsed {
    /// Properties in order, with their line.
    properties: Vec<(String, String, u32)>,
    /// `PackageReference`: id, version, line.
    packages: Vec<(String, Option<String>, u32)>,
    /// `PackageVersion` of central package management: id, version.
    versions: Vec<(String, String)>,
    /// `ProjectReference` paths as written.
    references: Vec<String>,
    /// Whether it imports the next `Directory.Build.props` up the tree.
    imports_parent: bool,
    /// The root element's `Sdk` (`Microsoft.NET.Sdk.Web`).
    sdk: String,
}

/// Parses XML, an error naming the file, line and column.
fn xml<'t>(text: &'t str, shown: &str) -> Result<roxmltree::Document<'t>, DotnetError> {
    roxmltree::Document::parse(text).map_err(|e| DotnetError::Xml {
        file: shown.to_string(),
        line: e.pos().row,
        column: e.pos().col,
        message: e.to_string(),
    })
}

/// Reads an MSBuild file's XML.
fn parse(path: &Path) -> Result<Parsed, DotnetError> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| DotnetError::Read(shown.clone(), e))?;
    // Visual Studio saves with a byte-order mark, older editors in Windows-1252.
    let (text, _) = crate::text::decode(&bytes);
    let doc = xml(&text, &shown)?;
    let line = |n: roxmltree::Node<'_, '_>| doc.text_pos_at(n.range().start).row;
    let mut out = Parsed::default();
    let attr = |n: roxmltree::Node<'_, '_>, name: &str| {
        n.attributes()
            .find(|a| a.name().eq_ignore_ascii_case(name))
            .map(|a| a.value().to_string())
    };
    out.sdk = attr(doc.root_element(), "Sdk").unwrap_or_default();
    // A publish is a Release build: an element (or its group) conditioned on anything else,
    // a Debug configuration or a platform, is not what ships.
    let applies = |n: roxmltree::Node<'_, '_>| {
        [Some(n), n.parent_element()]
            .into_iter()
            .flatten()
            .all(|e| {
                attr(e, "Condition").is_none_or(|c| c.to_ascii_lowercase().contains("release"))
            })
    };
    for node in doc.descendants().filter(roxmltree::Node::is_element) {
        if !applies(node) {
            continue;
        }
        let parent = node.parent_element().map(|p| p.tag_name().name());
        match node.tag_name().name() {
            _ if parent == Some("PropertyGroup") => {
                let value = node.text().unwrap_or("").trim().to_string();
                out.properties
                    .push((node.tag_name().name().to_string(), value, line(node)));
            }
            "PackageReference" => {
                let Some(id) = attr(node, "Include").or_else(|| attr(node, "Update")) else {
                    continue;
                };
                let version = attr(node, "Version").or_else(|| {
                    node.children()
                        .find(|c| c.has_tag_name("Version"))
                        .and_then(|c| c.text())
                        .map(|t| t.trim().to_string())
                });
                out.packages.push((id, version, line(node)));
            }
            "PackageVersion" => {
                if let (Some(id), Some(v)) = (attr(node, "Include"), attr(node, "Version")) {
                    out.versions.push((id, v));
                }
            }
            "ProjectReference" => {
                if let Some(p) = attr(node, "Include") {
                    out.references.push(p);
                }
            }
            "Import" => {
                let project = attr(node, "Project").unwrap_or_default();
                if project.contains("GetPathOfFileAbove")
                    && project.contains("Directory.Build.props")
                {
                    out.imports_parent = true;
                }
            }
            _ => {}
        }
    }
    Ok(out)
}

/// The first file named `name` in `dir` or a directory above it.
fn above(dir: &Path, name: &str) -> Option<PathBuf> {
    dir.ancestors().map(|d| d.join(name)).find(|p| p.is_file())
}

/// The `Directory.Build.props` that apply to a project in `dir`, outermost first: the nearest
/// one, and each one above that it imports.
fn build_props(dir: &Path, shared: &mut Shared) -> Result<Vec<(PathBuf, Parsed)>, DotnetError> {
    let mut chain = Vec::new();
    let mut next = above(dir, "Directory.Build.props");
    while let Some(path) = next {
        let parsed = shared.parsed(&path)?;
        next = if parsed.imports_parent {
            path.parent()
                .and_then(Path::parent)
                .and_then(|up| above(up, "Directory.Build.props"))
        } else {
            None
        };
        chain.push((path, parsed));
    }
    chain.reverse();
    Ok(chain)
}

/// The files every project below a directory shares (`Directory.Build.props`,
/// `Directory.Packages.props`), read once however many projects they apply to.
#[derive(Default)]
pub struct Shared {
    files: std::collections::HashMap<PathBuf, Parsed>,
}

impl Shared {
    fn parsed(&mut self, path: &Path) -> Result<Parsed, DotnetError> {
        if let Some(p) = self.files.get(path) {
            return Ok(p.clone());
        }
        let p = parse(path)?;
        self.files.insert(path.to_path_buf(), p.clone());
        Ok(p)
    }
}

/// Reads a project file with what applies to it: `Directory.Build.props` (before the
/// project's own properties, which win) and central package versions, through `shared`.
/// Files are named relative to `root`.
pub fn read(path: &Path, root: &Path, shared: &mut Shared) -> Result<Project, DotnetError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = |p: &Path| super::error::relative(p, root);
    let mut properties: BTreeMap<String, String> = BTreeMap::new();
    let mut property_lines: BTreeMap<String, (String, u32)> = BTreeMap::new();
    // MSBuild's property names ignore case: the last definition wins, whatever its case.
    let mut set = |k: &str, v: &str, file: String, line: u32| {
        let key = properties
            .keys()
            .find(|e| e.eq_ignore_ascii_case(k))
            .cloned()
            .unwrap_or_else(|| k.to_string());
        properties.insert(key.clone(), v.to_string());
        property_lines.insert(key, (file, line));
    };
    let mut inherited: Vec<PackageRef> = Vec::new();
    for (props_path, props) in build_props(dir, shared)? {
        for (k, v, line) in &props.properties {
            set(k, v, name(&props_path), *line);
        }
        // Package references in Directory.Build.props apply to every project below.
        for (id, version, line) in props.packages {
            inherited.push(PackageRef {
                id,
                version,
                file: name(&props_path),
                line,
            });
        }
    }
    let own = parse(path)?;
    for (k, v, line) in &own.properties {
        set(k, v, name(path), *line);
    }
    let central: Vec<(String, String)> = match above(dir, "Directory.Packages.props") {
        Some(p) => shared.parsed(&p)?.versions,
        None => Vec::new(),
    };
    let central_version = |id: &str| {
        central
            .iter()
            .find(|(c, _)| c.eq_ignore_ascii_case(id))
            .map(|(_, v)| v.clone())
    };
    let mut packages: Vec<PackageRef> = inherited
        .into_iter()
        .map(|p| PackageRef {
            version: p.version.clone().or_else(|| central_version(&p.id)),
            ..p
        })
        .collect();
    packages.extend(own.packages.iter().map(|(id, version, line)| PackageRef {
        id: id.clone(),
        version: version.clone().or_else(|| central_version(id)),
        file: name(path),
        line: *line,
    }));
    let test = properties
        .get("IsTestProject")
        .is_some_and(|v| v.eq_ignore_ascii_case("true"))
        || packages
            .iter()
            .any(|p| p.id.eq_ignore_ascii_case("Microsoft.NET.Test.Sdk"));
    // The directory variables MSBuild projects name their references with.
    let here = format!("{}/", dir.display());
    let references = own
        .references
        .iter()
        .map(|r| {
            let r = r
                .replace("$(MSBuildThisFileDirectory)", &here)
                .replace("$(MSBuildProjectDirectory)", &here)
                .replace('\\', "/");
            dir.join(r)
        })
        .collect();
    Ok(Project {
        facts: ProjectFacts {
            file: name(path),
            properties,
            property_lines,
            packages,
            test,
            sdk: own.sdk.clone(),
        },
        path: path.to_path_buf(),
        references,
    })
}

/// The projects a solution lists: `Project("{…}") = "Name", "path\to\Name.csproj", "{…}"`
/// in a `.sln`, `<Project Path="…"/>` in a `.slnx`.
pub fn solution_projects(path: &Path) -> Result<Vec<PathBuf>, DotnetError> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| DotnetError::Read(shown.clone(), e))?;
    // Visual Studio saves with a byte-order mark, older editors in Windows-1252.
    let (text, _) = crate::text::decode(&bytes);
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut out = Vec::new();
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("slnx"))
    {
        let doc = xml(&text, &shown)?;
        for n in doc.descendants().filter(|n| n.has_tag_name("Project")) {
            if let Some(p) = n.attribute("Path") {
                out.push(dir.join(p.replace('\\', "/")));
            }
        }
        return Ok(out);
    }
    for line in text.lines() {
        let Some(rest) = line.trim_start().strip_prefix("Project(") else {
            continue;
        };
        // The second quoted value after `=` is the project's path.
        let Some((_, after)) = rest.split_once('=') else {
            continue;
        };
        let quoted: Vec<&str> = after.split('"').skip(1).step_by(2).collect();
        if let Some(p) = quoted.get(1)
            && p.to_ascii_lowercase().ends_with("proj")
        {
            out.push(dir.join(p.replace('\\', "/")));
        }
    }
    Ok(out)
}
