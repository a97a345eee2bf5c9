//! MSBuild project files as the assessment needs them: a `.csproj` evaluated as
//! `dotnet publish -c Release` evaluates it (`Directory.Build.props` up the tree and what it
//! imports, `Directory.Packages.props`, the project, `Directory.Build.targets`; properties in
//! order, then items; conditions through [`super::msbuild`]), and a `.sln`'s projects.

use super::error::DotnetError;
use super::msbuild::{Properties, Truth, unresolved};
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

/// Parses XML, an error naming the file, line and column.
fn xml<'t>(text: &'t str, shown: &str) -> Result<roxmltree::Document<'t>, DotnetError> {
    roxmltree::Document::parse(text).map_err(|e| DotnetError::Xml {
        file: shown.to_string(),
        line: e.pos().row,
        column: e.pos().col,
        message: e.to_string(),
    })
}

/// The items evaluation keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// `PackageReference Include`.
    Reference,
    /// `PackageReference Update`: a version for a reference made elsewhere.
    Update,
    /// `PackageVersion` of central package management.
    Version,
    /// `GlobalPackageReference`: a package every project references.
    Global,
    /// `ProjectReference`.
    Project,
}

/// An item as written; its values are expanded and its conditions evaluated once every
/// property is defined, as MSBuild's item pass does.
#[derive(Clone, Debug)]
struct Item {
    kind: Kind,
    include: String,
    version: Option<String>,
    /// The group's condition and the item's own.
    conditions: Vec<String>,
    /// The file (named for people) and line.
    file: String,
    line: u32,
    /// The directory of the file it is in, for a relative `ProjectReference`.
    dir: PathBuf,
}

/// One project's evaluation as it goes: the properties so far, the items, the files read.
struct Evaluation<'s> {
    properties: Properties,
    items: Vec<Item>,
    /// The files imported, so that an import circle ends.
    seen: Vec<PathBuf>,
    /// The root element's `Sdk` of the project file.
    sdk: String,
    shared: &'s mut Shared,
    root: PathBuf,
    /// The project file being evaluated.
    project: PathBuf,
}

/// Whether something conditioned applies to a Release publish: a condition evaluated, or,
/// where it rests on what a file cannot know, whether it names the Release configuration.
fn applies(truth: Truth, condition: &str) -> bool {
    match truth {
        Truth::Yes => true,
        Truth::No => false,
        Truth::Unknown => condition.to_ascii_lowercase().contains("release"),
    }
}

fn attr(n: roxmltree::Node<'_, '_>, name: &str) -> Option<String> {
    n.attributes()
        .find(|a| a.name().eq_ignore_ascii_case(name))
        .map(|a| a.value().to_string())
}

/// `$([MSBuild]::GetPathOfFileAbove('Directory.Build.props', '$(MSBuildThisFileDirectory)../'))`:
/// the file it finds, searched from the directory it names (the file's own by default).
fn path_of_file_above(project: &str, dir: &Path) -> Option<PathBuf> {
    let at = project.find("GetPathOfFileAbove(")?;
    let args = &project[at + "GetPathOfFileAbove(".len()..];
    let quoted: Vec<&str> = args.split(['\'', '`']).skip(1).step_by(2).collect();
    let name = quoted.first()?;
    let start = match quoted.get(1) {
        Some(from) => {
            let from = from
                .replace(
                    "$(MSBuildThisFileDirectory)",
                    &format!("{}/", dir.display()),
                )
                .replace('\\', "/");
            PathBuf::from(from)
        }
        None => dir.to_path_buf(),
    };
    // `dir/..` names the parent; ancestors() does not walk through `..` by itself.
    let start = std::fs::canonicalize(&start).unwrap_or(start);
    above(&start, name)
}

impl Evaluation<'_> {
    /// Reads one MSBuild file into the evaluation, its imports in place.
    fn file(&mut self, path: &Path) -> Result<(), DotnetError> {
        let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        if self.seen.contains(&key) || self.seen.len() > 64 {
            return Ok(());
        }
        self.seen.push(key);
        let text = self.shared.text(path)?;
        let shown = super::error::relative(path, &self.root);
        let doc = xml(&text, &path.display().to_string())?;
        // The project's own root element's `Sdk` (`Microsoft.NET.Sdk.Web`).
        if path == self.project {
            self.sdk = attr(doc.root_element(), "Sdk").unwrap_or_default();
        }
        let dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
        let here = format!("{}/", dir.display());
        let this_dir = self.properties.scoped("MSBuildThisFileDirectory", &here);
        let result = self.elements(doc.root_element(), &doc, &shown, &dir);
        self.properties
            .restore("MSBuildThisFileDirectory", this_dir);
        result
    }

    /// The children of `parent` (the project, or a `When`) in document order.
    fn elements(
        &mut self,
        parent: roxmltree::Node<'_, '_>,
        doc: &roxmltree::Document<'_>,
        shown: &str,
        dir: &Path,
    ) -> Result<(), DotnetError> {
        let line = |n: roxmltree::Node<'_, '_>| doc.text_pos_at(n.range().start).row;
        for node in parent.children().filter(roxmltree::Node::is_element) {
            let condition = attr(node, "Condition").unwrap_or_default();
            let holds = |p: &Properties, c: &str| c.trim().is_empty() || applies(p.condition(c), c);
            match node.tag_name().name() {
                "PropertyGroup" => {
                    if !holds(&self.properties, &condition) {
                        continue;
                    }
                    for prop in node.children().filter(roxmltree::Node::is_element) {
                        let own = attr(prop, "Condition").unwrap_or_default();
                        if holds(&self.properties, &own) {
                            let value = prop.text().unwrap_or("");
                            self.properties
                                .set(prop.tag_name().name(), value, shown, line(prop));
                        }
                    }
                }
                "ItemGroup" => {
                    for item in node.children().filter(roxmltree::Node::is_element) {
                        let include = attr(item, "Include");
                        let (kind, include) = match (item.tag_name().name(), include) {
                            ("PackageReference", Some(i)) => (Kind::Reference, i),
                            ("PackageReference", None) => match attr(item, "Update") {
                                Some(u) => (Kind::Update, u),
                                None => continue,
                            },
                            ("PackageVersion", Some(i)) => (Kind::Version, i),
                            ("GlobalPackageReference", Some(i)) => (Kind::Global, i),
                            ("ProjectReference", Some(i)) => (Kind::Project, i),
                            _ => continue,
                        };
                        let version = attr(item, "VersionOverride")
                            .or_else(|| attr(item, "Version"))
                            .or_else(|| {
                                item.children()
                                    .find(|c| c.has_tag_name("Version"))
                                    .and_then(|c| c.text())
                                    .map(|t| t.trim().to_string())
                            });
                        // What names this file's own directory is known now, not later.
                        let local = |t: &str| {
                            t.replace(
                                "$(MSBuildThisFileDirectory)",
                                &format!("{}/", dir.display()),
                            )
                        };
                        self.items.push(Item {
                            kind,
                            include: local(&include),
                            version: version.map(|v| local(&v)),
                            conditions: [
                                condition.clone(),
                                attr(item, "Condition").unwrap_or_default(),
                            ]
                            .into_iter()
                            .filter(|c| !c.trim().is_empty())
                            .map(|c| local(&c))
                            .collect(),
                            file: shown.to_string(),
                            line: line(item),
                            dir: dir.to_path_buf(),
                        });
                    }
                }
                "Import" => {
                    // The SDK's own files are not the project's to read.
                    if attr(node, "Sdk").is_some() || !holds(&self.properties, &condition) {
                        continue;
                    }
                    let project = attr(node, "Project").unwrap_or_default();
                    let target = if project.contains("GetPathOfFileAbove") {
                        path_of_file_above(&project, dir)
                    } else {
                        let expanded = self.properties.expand(&project).replace('\\', "/");
                        (!super::msbuild::unresolved(&expanded) && !expanded.contains('*'))
                            .then(|| dir.join(expanded))
                            .filter(|p| p.is_file())
                    };
                    if let Some(target) = target {
                        self.file(&target)?;
                    }
                }
                "Choose" => {
                    // The first `When` that holds, else `Otherwise`.
                    let mut chosen = None;
                    for branch in node.children().filter(roxmltree::Node::is_element) {
                        let c = attr(branch, "Condition").unwrap_or_default();
                        if branch.has_tag_name("Otherwise")
                            || (branch.has_tag_name("When") && holds(&self.properties, &c))
                        {
                            chosen = Some(branch);
                            break;
                        }
                    }
                    if let Some(branch) = chosen {
                        self.elements(branch, doc, shown, dir)?;
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }
}

/// The first file named `name` in `dir` or a directory above it.
fn above(dir: &Path, name: &str) -> Option<PathBuf> {
    dir.ancestors().map(|d| d.join(name)).find(|p| p.is_file())
}

/// The files every project below a directory shares (`Directory.Build.props`,
/// `Directory.Packages.props`), read once however many projects they apply to.
#[derive(Default)]
pub struct Shared {
    files: std::collections::HashMap<PathBuf, std::rc::Rc<str>>,
}

impl Shared {
    /// A file's text, decoded: Visual Studio saves with a byte-order mark, older editors in
    /// Windows-1252.
    fn text(&mut self, path: &Path) -> Result<std::rc::Rc<str>, DotnetError> {
        if let Some(t) = self.files.get(path) {
            return Ok(t.clone());
        }
        let shown = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| DotnetError::Read(shown, e))?;
        let (text, _) = crate::text::decode(&bytes);
        let text: std::rc::Rc<str> = text.into();
        self.files.insert(path.to_path_buf(), text.clone());
        Ok(text)
    }
}

/// Reads a project file as `dotnet publish -c Release` evaluates it: `Directory.Build.props`
/// (and what it imports), `Directory.Packages.props`, the project, `Directory.Build.targets`,
/// in that order, properties first and items after, through `shared`. Files are named
/// relative to `root`.
pub fn read(path: &Path, root: &Path, shared: &mut Shared) -> Result<Project, DotnetError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = |p: &Path| super::error::relative(p, root);
    let mut properties = Properties::publish();
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let file_name = path
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    for (k, v) in [
        ("MSBuildProjectName", stem.as_str()),
        ("MSBuildProjectFile", file_name.as_str()),
        ("MSBuildProjectDirectory", dir.to_string_lossy().as_ref()),
        ("MSBuildProjectFullPath", path.to_string_lossy().as_ref()),
        // The SDK's defaults, before Directory.Build.props.
        ("Platform", "AnyCPU"),
        ("AssemblyName", stem.as_str()),
    ] {
        properties.scoped(k, v);
    }
    let mut eval = Evaluation {
        properties,
        items: Vec::new(),
        seen: Vec::new(),
        sdk: String::new(),
        shared,
        root: root.to_path_buf(),
        project: path.to_path_buf(),
    };
    let off = |e: &Evaluation<'_>, p: &str| {
        e.properties
            .get(p)
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("false"))
    };
    if !off(&eval, "ImportDirectoryBuildProps")
        && let Some(props) = above(dir, "Directory.Build.props")
    {
        eval.file(&props)?;
    }
    if !off(&eval, "ImportDirectoryPackagesProps")
        && let Some(central) = above(dir, "Directory.Packages.props")
    {
        eval.file(&central)?;
    }
    eval.file(path)?;
    if !off(&eval, "ImportDirectoryBuildTargets")
        && let Some(targets) = above(dir, "Directory.Build.targets")
    {
        eval.file(&targets)?;
    }
    facts(eval, path, &name)
}

/// The facts of an evaluated project: its properties, its packages with their versions as
/// restore sees them, its references.
fn facts(
    eval: Evaluation<'_>,
    path: &Path,
    name: &dyn Fn(&Path) -> String,
) -> Result<Project, DotnetError> {
    let props = &eval.properties;
    let mut properties: BTreeMap<String, String> = BTreeMap::new();
    let mut property_lines: BTreeMap<String, (String, u32)> = BTreeMap::new();
    for (k, v, file, line) in props.iter() {
        // What the SDK or the command line set is not the project's to report.
        if file.is_empty() || line == 0 {
            continue;
        }
        properties.insert(k.to_string(), v.to_string());
        property_lines.insert(k.to_string(), (file.to_string(), line));
    }
    let holds = |item: &Item| {
        item.conditions
            .iter()
            .all(|c| applies(props.condition(c), c))
    };
    let items: Vec<&Item> = eval.items.iter().filter(|i| holds(i)).collect();
    let expand = |v: &str| props.expand(v);
    let central: Vec<(String, String)> = items
        .iter()
        .filter(|i| i.kind == Kind::Version)
        .filter_map(|i| Some((expand(&i.include), expand(i.version.as_deref()?))))
        .collect();
    let central_version = |id: &str| {
        central
            .iter()
            .rev()
            .find(|(c, _)| c.eq_ignore_ascii_case(id))
            .map(|(_, v)| v.clone())
    };
    let mut packages: Vec<PackageRef> = Vec::new();
    for item in &items {
        let id = expand(&item.include);
        match item.kind {
            Kind::Reference | Kind::Global => {
                let written = item.version.clone().or_else(|| central_version(&id));
                let version = written.as_deref().map(expand);
                let known = version
                    .clone()
                    .filter(|v| !v.trim().is_empty() && !unresolved(v));
                packages.retain(|p| !p.id.eq_ignore_ascii_case(&id));
                packages.push(PackageRef {
                    written: if known.is_none() { version } else { None },
                    version: known,
                    id,
                    file: item.file.clone(),
                    line: item.line,
                });
            }
            Kind::Update => {
                let Some(v) = item.version.as_deref().map(expand) else {
                    continue;
                };
                for p in packages
                    .iter_mut()
                    .filter(|p| p.id.eq_ignore_ascii_case(&id))
                {
                    if unresolved(&v) || v.trim().is_empty() {
                        p.version = None;
                        p.written = Some(v.clone());
                    } else {
                        p.version = Some(v.clone());
                        p.written = None;
                    }
                }
            }
            Kind::Version | Kind::Project => {}
        }
    }
    let facts_properties = ProjectFacts {
        file: name(path),
        properties,
        property_lines,
        packages,
        test: false,
        sdk: eval.sdk.clone(),
        references: Vec::new(),
    };
    let test = facts_properties.flag("IsTestProject")
        || facts_properties
            .packages
            .iter()
            .any(|p| p.id.eq_ignore_ascii_case("Microsoft.NET.Test.Sdk"));
    let references: Vec<PathBuf> = items
        .iter()
        .filter(|i| i.kind == Kind::Project)
        .map(|i| {
            let r = expand(&i.include).replace('\\', "/");
            i.dir.join(r)
        })
        .collect();
    Ok(Project {
        facts: ProjectFacts {
            test,
            references: references.iter().map(|r| normal_name(r, name)).collect(),
            ..facts_properties
        },
        path: path.to_path_buf(),
        references,
    })
}

/// A referenced project's name as the assessment names files: `a/b/../c.csproj` is `a/c.csproj`.
fn normal_name(path: &Path, name: &dyn Fn(&Path) -> String) -> String {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::ParentDir if out.file_name().is_some() => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    name(&out)
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
