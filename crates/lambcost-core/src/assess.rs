//! What stands between a .NET project and each build mode: the rules a finding in the code or
//! the packages falls under, what each breaks under trimming and under NativeAOT and how to
//! fix it, the package-compatibility book (`data/aot-compat.yaml`), and the verdict per mode
//! (ready, ready after listed work, or blocked) with the project-file changes each needs.
//!
//! Pure: the readers of project files, C# sources and build logs (`dotnet`) hand it facts and
//! findings; it judges them.

use crate::yaml::{self, Invalid, YamlError};
use serde::Deserialize;
use std::collections::BTreeMap;

/// The embedded package book, as shipped in `data/aot-compat.yaml`.
pub const DEFAULT_COMPAT_YAML: &str = include_str!("../../../data/aot-compat.yaml");

/// How the embedded package book is named in messages.
pub const DEFAULT_COMPAT_ORIGIN: &str = "data/aot-compat.yaml (embedded)";

/// What a finding does to a mode, mildest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Effect {
    /// Nothing: the mode runs it.
    #[default]
    None,
    /// The mode runs it after a local fix (another overload, source-generated JSON, ...).
    Work,
    /// A framework or library must be replaced, or the design changed.
    Blocked,
}

/// A mode's verdict: the worst effect of its findings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Nothing stands in the way.
    Ready,
    /// Ready after the listed work.
    Work,
    /// Something must be replaced or redesigned first.
    Blocked,
}

impl Verdict {
    /// The verdict of the worst effect.
    pub fn of(effect: Effect) -> Verdict {
        match effect {
            Effect::None => Verdict::Ready,
            Effect::Work => Verdict::Work,
            Effect::Blocked => Verdict::Blocked,
        }
    }

    /// The word in JSON and tables.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Ready => "ready",
            Verdict::Work => "work",
            Verdict::Blocked => "blocked",
        }
    }
}

/// The build modes assessed, in the order they are reported.
pub const MODES: [&str; 3] = ["regular", "readytorun", "aot"];

/// What a finding is: each rule knows what it breaks and how it is fixed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// `Assembly.Load`, `LoadFrom`, `LoadFile`, `AssemblyLoadContext`.
    DynamicLoading,
    /// `Type.GetType(name)` with a name known only at run time.
    TypeByName,
    /// The non-generic `Activator.CreateInstance(Type, ...)`.
    ActivatorCreateInstance,
    /// `GetMethod`/`GetProperty`/`GetField` then `Invoke`/`GetValue`/`SetValue`.
    ReflectionInvoke,
    /// `Assembly.GetTypes()` or `GetExportedTypes()`: a scan of an assembly's types.
    TypeScan,
    /// `MakeGenericType`, `MakeGenericMethod`.
    MakeGeneric,
    /// `System.Reflection.Emit`.
    ReflectionEmit,
    /// The `dynamic` keyword.
    DynamicKeyword,
    /// `Expression.Compile()`.
    ExpressionCompile,
    /// `JsonSerializer` without a `JsonTypeInfo` or `JsonSerializerContext`.
    ReflectionJson,
    /// Newtonsoft's `JsonConvert`.
    NewtonsoftJson,
    /// Services registered by scanning assemblies.
    AssemblyScanningDi,
    /// ASP.NET Core MVC controllers.
    MvcControllers,
    /// The AWS SDK's `DynamoDBContext`: object persistence by reflection.
    DynamoDbContext,
    /// Lambda's reflection-based serializer (`DefaultLambdaJsonSerializer`).
    LambdaReflectionSerializer,
    /// A Lambda handler built as a class library: NativeAOT needs an executable `bootstrap`.
    ClassLibraryHandler,
    /// A target framework older than Lambda's managed runtimes.
    TargetFramework,
    /// A package the compatibility book lists as limited or blocked.
    Package,
    /// A trim or AOT warning of the .NET SDK's analyzer with no finding of the scan beside it.
    Analyzer,
    /// `[JsonSerializable]` contexts: source-generated JSON (evidence, no harm).
    JsonContext,
    /// `LambdaBootstrapBuilder` or `SourceGeneratorLambdaJsonSerializer`: an AOT-ready handler.
    LambdaAotReady,
}

/// What a rule does under trimming and NativeAOT, why, and the fix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RuleInfo {
    /// Under trimming (ReadyToRun published with `PublishTrimmed`).
    pub trim: Effect,
    /// Under NativeAOT.
    pub aot: Effect,
    /// What breaks and why, in one line.
    pub why: &'static str,
    /// The fix.
    pub fix: &'static str,
}

/// What each rule breaks under trimming and NativeAOT, why, and the fix, in the order the
/// rules are declared: `Rule::info` indexes it.
const INFO: [(Rule, RuleInfo); 21] = [
    (
        Rule::DynamicLoading,
        RuleInfo {
            trim: Effect::Work,
            aot: Effect::Blocked,
            why: "loads an assembly at run time: NativeAOT compiles every type ahead of time and cannot load IL",
            fix: "ship the code in the executable (a plugin architecture needs Regular or ReadyToRun)",
        },
    ),
    (
        Rule::TypeByName,
        RuleInfo {
            trim: Effect::Work,
            aot: Effect::Work,
            why: "finds a type by a name known only at run time: the trimmer cannot see it and removes it",
            fix: "use typeof(T), or annotate the name's source with [DynamicallyAccessedMembers]",
        },
    ),
    (
        Rule::ActivatorCreateInstance,
        RuleInfo {
            trim: Effect::Work,
            aot: Effect::Work,
            why: "creates an instance of a type known only at run time: its constructor may be trimmed away",
            fix: "use a generic new() constraint, a factory delegate or constructor injection",
        },
    ),
    (
        Rule::ReflectionInvoke,
        RuleInfo {
            trim: Effect::Work,
            aot: Effect::Work,
            why: "calls a member found by name: the trimmer cannot see the call and may remove the member",
            fix: "call the member directly, or annotate the type with [DynamicallyAccessedMembers]",
        },
    ),
    (
        Rule::TypeScan,
        RuleInfo {
            trim: Effect::Work,
            aot: Effect::Work,
            why: "scans an assembly's types: types nothing names are trimmed away, so the scan finds fewer",
            fix: "list the types explicitly (explicit registration)",
        },
    ),
    (
        Rule::MakeGeneric,
        RuleInfo {
            trim: Effect::Work,
            aot: Effect::Work,
            why: "builds a generic instantiation at run time: NativeAOT has only those compiled ahead of time",
            fix: "use generic code whose type arguments are known at compile time",
        },
    ),
    (
        Rule::ReflectionEmit,
        RuleInfo {
            trim: Effect::Work,
            aot: Effect::Blocked,
            why: "generates IL at run time: NativeAOT has no JIT to run it",
            fix: "replace the code generation with source generators or compile-time code",
        },
    ),
    (
        Rule::DynamicKeyword,
        RuleInfo {
            trim: Effect::Work,
            aot: Effect::Blocked,
            why: "binds members at run time through the C# runtime binder, which emits code",
            fix: "use static types (or System.Text.Json's JsonNode for dynamic JSON)",
        },
    ),
    (
        Rule::ExpressionCompile,
        RuleInfo {
            trim: Effect::Work,
            aot: Effect::Work,
            why: "compiles an expression tree at run time: NativeAOT interprets it instead, much slower",
            fix: "use a delegate written in code, or a source generator",
        },
    ),
    (
        Rule::ReflectionJson,
        RuleInfo {
            trim: Effect::Work,
            aot: Effect::Work,
            why: "serialises by reflection: the trimmer removes the members it reads, NativeAOT warns IL2026/IL3050",
            fix: "source-generated JSON: pass a JsonSerializerContext's type info (Ctx.Default.T)",
        },
    ),
    (
        Rule::NewtonsoftJson,
        RuleInfo {
            trim: Effect::Work,
            aot: Effect::Blocked,
            why: "Newtonsoft.Json serialises by reflection and emits code; it is not trim- or AOT-compatible",
            fix: "move to System.Text.Json with source-generated contexts",
        },
    ),
    (
        Rule::AssemblyScanningDi,
        RuleInfo {
            trim: Effect::Work,
            aot: Effect::Work,
            why: "registers services by scanning assemblies, which trimming and NativeAOT cannot follow",
            fix: "explicit registration (services.AddSingleton<IFoo, Foo>()), constructor injection",
        },
    ),
    (
        Rule::MvcControllers,
        RuleInfo {
            trim: Effect::Work,
            aot: Effect::Blocked,
            why: "ASP.NET Core MVC controllers are not supported by NativeAOT",
            fix: "minimal APIs with source-generated request delegates",
        },
    ),
    (
        Rule::DynamoDbContext,
        RuleInfo {
            trim: Effect::Work,
            aot: Effect::Work,
            why: "DynamoDBContext maps items to classes by reflection; SDK v3 does not support it under NativeAOT",
            fix: "the low-level AmazonDynamoDBClient or the Document model, or SDK v4's annotated context",
        },
    ),
    (
        Rule::LambdaReflectionSerializer,
        RuleInfo {
            trim: Effect::Work,
            aot: Effect::Work,
            why: "Lambda's DefaultLambdaJsonSerializer serialises events by reflection",
            fix: "SourceGeneratorLambdaJsonSerializer<Ctx> over a [JsonSerializable] context",
        },
    ),
    (
        Rule::ClassLibraryHandler,
        RuleInfo {
            trim: Effect::None,
            aot: Effect::Work,
            why: "a class-library handler runs on the managed runtime; NativeAOT deploys an executable bootstrap",
            fix: "OutputType Exe, a Main that runs LambdaBootstrapBuilder, the binary named bootstrap",
        },
    ),
    (
        Rule::TargetFramework,
        RuleInfo {
            trim: Effect::Work,
            aot: Effect::Work,
            why: "Lambda's managed runtimes are .NET 8 and 10, and NativeAOT is best from .NET 8",
            fix: "retarget to net8.0 or net10.0",
        },
    ),
    (
        Rule::Package,
        RuleInfo {
            trim: Effect::Work,
            aot: Effect::Work,
            why: "the package or the SDK's analyzer says so",
            fix: "see the finding",
        },
    ),
    (
        Rule::Analyzer,
        RuleInfo {
            trim: Effect::Work,
            aot: Effect::Work,
            why: "the package or the SDK's analyzer says so",
            fix: "see the finding",
        },
    ),
    (
        Rule::JsonContext,
        RuleInfo {
            trim: Effect::None,
            aot: Effect::None,
            why: "source-generated JSON contexts: serialisation without reflection",
            fix: "pass their type info to every JsonSerializer call",
        },
    ),
    (
        Rule::LambdaAotReady,
        RuleInfo {
            trim: Effect::None,
            aot: Effect::None,
            why: "an executable handler with source-generated serialisation, as NativeAOT needs",
            fix: "nothing",
        },
    ),
];

impl Rule {
    /// Every rule, in report order.
    pub const ALL: [Rule; 21] = [
        Rule::DynamicLoading,
        Rule::TypeByName,
        Rule::ActivatorCreateInstance,
        Rule::ReflectionInvoke,
        Rule::TypeScan,
        Rule::MakeGeneric,
        Rule::ReflectionEmit,
        Rule::DynamicKeyword,
        Rule::ExpressionCompile,
        Rule::ReflectionJson,
        Rule::NewtonsoftJson,
        Rule::AssemblyScanningDi,
        Rule::MvcControllers,
        Rule::DynamoDbContext,
        Rule::LambdaReflectionSerializer,
        Rule::ClassLibraryHandler,
        Rule::TargetFramework,
        Rule::Package,
        Rule::Analyzer,
        Rule::JsonContext,
        Rule::LambdaAotReady,
    ];

    /// The rule's id (SARIF `ruleId`, JSON `rule`).
    pub fn id(self) -> &'static str {
        match self {
            Rule::DynamicLoading => "dynamic-loading",
            Rule::TypeByName => "type-by-name",
            Rule::ActivatorCreateInstance => "activator-create-instance",
            Rule::ReflectionInvoke => "reflection-invoke",
            Rule::TypeScan => "type-scan",
            Rule::MakeGeneric => "make-generic",
            Rule::ReflectionEmit => "reflection-emit",
            Rule::DynamicKeyword => "dynamic-keyword",
            Rule::ExpressionCompile => "expression-compile",
            Rule::ReflectionJson => "reflection-json",
            Rule::NewtonsoftJson => "newtonsoft-json",
            Rule::AssemblyScanningDi => "assembly-scanning-di",
            Rule::MvcControllers => "mvc-controllers",
            Rule::DynamoDbContext => "dynamodb-context",
            Rule::LambdaReflectionSerializer => "lambda-reflection-serializer",
            Rule::ClassLibraryHandler => "class-library-handler",
            Rule::TargetFramework => "target-framework",
            Rule::Package => "package",
            Rule::Analyzer => "analyzer",
            Rule::JsonContext => "json-context",
            Rule::LambdaAotReady => "lambda-aot-ready",
        }
    }

    /// What the rule breaks, why, and the fix.
    pub fn info(self) -> RuleInfo {
        INFO[self as usize].1
    }

    /// The `recommend` feature a finding of this rule evidences: code a mode must run.
    pub fn feature(self, aot: Effect) -> Option<&'static str> {
        match self {
            Rule::DynamicLoading => Some("dynamic-loading"),
            Rule::JsonContext | Rule::LambdaAotReady | Rule::TargetFramework => None,
            Rule::ClassLibraryHandler => None,
            // What no practice fixes under NativeAOT: code generated or bound at run time.
            _ if aot == Effect::Blocked => Some("dynamic-code"),
            _ if aot == Effect::Work => Some("reflection"),
            _ => None,
        }
    }
}

/// One thing found, where, and what it means.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Finding {
    /// File, relative to the assessed path, with `/` separators.
    pub file: String,
    /// Line, from 1 (0 where the finding has no line: a package without one).
    pub line: u32,
    /// Column, from 1.
    pub column: u32,
    /// The column just past what was found on its first line (`u32::MAX` when it goes on
    /// to the next line): an analyzer's warning at a column inside is about this finding.
    #[serde(skip)]
    pub end_column: u32,
    /// Its rule.
    pub rule: Rule,
    /// What was found, as written (`Assembly.LoadFrom`, `Newtonsoft.Json 13.0.3`).
    pub what: String,
    /// Under trimming.
    pub trim: Effect,
    /// Under NativeAOT.
    pub aot: Effect,
    /// What breaks and why.
    pub why: String,
    /// The fix.
    pub fix: String,
    /// The SDK analyzer's code that confirmed it (`IL2026`), if a build log was read.
    pub analyzer: Option<String>,
    /// The `recommend` feature it evidences.
    pub feature: Option<&'static str>,
}

impl Finding {
    /// A finding of `rule` at a place, with the rule's effects, reason and fix.
    pub fn new(rule: Rule, file: &str, line: u32, column: u32, what: &str) -> Finding {
        let info = rule.info();
        Finding {
            file: file.to_string(),
            line,
            column,
            end_column: column
                .saturating_add(u32::try_from(what.chars().count()).unwrap_or(u32::MAX)),
            rule,
            what: what.to_string(),
            trim: info.trim,
            aot: info.aot,
            why: info.why.to_string(),
            fix: info.fix.to_string(),
            analyzer: None,
            feature: rule.feature(info.aot),
        }
    }

    /// Where it is, as `file:line:column` (or the file alone).
    pub fn place(&self) -> String {
        if self.file.is_empty() {
            "(the build)".to_string()
        } else if self.line == 0 {
            self.file.clone()
        } else {
            format!("{}:{}:{}", self.file, self.line, self.column)
        }
    }

    /// How serious it is, SARIF's word: `error` when it blocks NativeAOT, `warning` when it
    /// asks for work, `note` for evidence that does no harm.
    pub fn severity(&self) -> &'static str {
        match self.aot.max(self.trim) {
            Effect::Blocked => "error",
            Effect::Work => "warning",
            Effect::None => "note",
        }
    }
}

/// A package's status under trimming or NativeAOT.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Works with no warning.
    Ready,
    /// Works with caveats or in part.
    Limited,
    /// Does not work.
    Blocked,
}

impl Status {
    /// What the status does to a mode.
    pub fn effect(self) -> Effect {
        match self {
            Status::Ready => Effect::None,
            Status::Limited => Effect::Work,
            Status::Blocked => Effect::Blocked,
        }
    }
}

/// A status change from a version on.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Since {
    /// The first version it holds for.
    pub version: String,
    /// Under trimming.
    pub trim: Status,
    /// Under NativeAOT.
    pub aot: Status,
    /// Why, where it differs from the entry's.
    #[serde(default)]
    pub why: Option<String>,
    /// The fix, where it differs.
    #[serde(default)]
    pub fix: Option<String>,
}

/// One package's entry.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackageEntry {
    /// The NuGet id; a trailing `.*` names every package under the prefix.
    pub id: String,
    /// Under trimming, before the first `since`.
    pub trim: Status,
    /// Under NativeAOT, before the first `since`.
    pub aot: Status,
    /// Changes from a version on, ascending.
    #[serde(default)]
    pub since: Vec<Since>,
    /// What breaks and why.
    pub why: String,
    /// The fix.
    pub fix: String,
    /// Where this is said.
    pub source: String,
}

/// The package-compatibility book.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompatBook {
    /// Where the entries come from, in general.
    pub source: String,
    /// When they were gathered.
    pub retrieved: String,
    /// The entries.
    pub packages: Vec<PackageEntry>,
}

/// A package's status at a version, and what to say about it.
#[derive(Clone, Debug, PartialEq)]
pub struct PackageStatus<'a> {
    /// The entry that matched.
    pub entry: &'a PackageEntry,
    /// Under trimming.
    pub trim: Status,
    /// Under NativeAOT.
    pub aot: Status,
    /// Why.
    pub why: &'a str,
    /// The fix.
    pub fix: &'a str,
    /// When no version was given and the status depends on it: the version from which the
    /// status given (the newest) holds.
    pub from: Option<&'a str>,
    /// A later version whose NativeAOT status is better than this one's: the upgrade to it
    /// is the work.
    pub upgrade: Option<&'a str>,
}

impl CompatBook {
    /// Parses and checks a book (`origin` names it in errors).
    pub fn from_yaml(text: &str, origin: &str) -> Result<CompatBook, YamlError> {
        yaml::load(text, origin, CompatBook::validate)
    }

    /// The embedded book.
    pub fn embedded() -> Result<CompatBook, YamlError> {
        CompatBook::from_yaml(DEFAULT_COMPAT_YAML, DEFAULT_COMPAT_ORIGIN)
    }

    /// Adds a user's entries; theirs win over the book's for the same id.
    pub fn extend(&mut self, other: CompatBook) {
        for entry in other.packages {
            self.packages
                .retain(|e| !e.id.eq_ignore_ascii_case(&entry.id));
            self.packages.push(entry);
        }
    }

    fn validate(&self) -> Result<(), Invalid> {
        for (i, e) in self.packages.iter().enumerate() {
            if e.id.trim().is_empty() {
                return Err(Invalid::at(&format!("packages[{i}].id"), "is empty"));
            }
            // Blocked means no version works: a later version that works makes the earlier
            // ones an upgrade away, which is work.
            let statuses = std::iter::once((e.trim, e.aot, ""))
                .chain(e.since.iter().map(|s| (s.trim, s.aot, s.version.as_str())));
            let statuses: Vec<(Status, Status, &str)> = statuses.collect();
            for (k, (trim, aot, _)) in statuses.iter().enumerate() {
                for (later_trim, later_aot, from) in &statuses[k + 1..] {
                    for (what, was, now) in [("trim", trim, later_trim), ("aot", aot, later_aot)] {
                        if *was == Status::Blocked && *now != Status::Blocked {
                            let at = if k == 0 {
                                format!("packages[{i}].{what}")
                            } else {
                                format!("packages[{i}].since[{}].{what}", k - 1)
                            };
                            return Err(Invalid::at(
                                &at,
                                format!(
                                    "is blocked, but from {from} on it is {}: blocked means no version works; an upgrade is work (limited)",
                                    match now {
                                        Status::Ready => "ready",
                                        _ => "limited",
                                    }
                                ),
                            ));
                        }
                    }
                }
            }
            let mut last: Option<Vec<u64>> = None;
            for (k, s) in e.since.iter().enumerate() {
                let Some(v) = version_key(&s.version) else {
                    return Err(Invalid::at(
                        &format!("packages[{i}].since[{k}].version"),
                        format!("'{}' is not a version such as 9.0.0", s.version),
                    ));
                };
                if last.as_ref().is_some_and(|l| *l >= v) {
                    return Err(Invalid::at(
                        &format!("packages[{i}].since[{k}].version"),
                        "versions must ascend",
                    ));
                }
                last = Some(v);
            }
        }
        Ok(())
    }

    /// The entry for a package (the exact id first, then the longest matching prefix) and its
    /// status at `version`; when the version is not known, the newest version's status, with
    /// the version it holds from (a version not known is not taken as old).
    pub fn status(&self, id: &str, version: Option<&str>) -> Option<PackageStatus<'_>> {
        let exact = self.packages.iter().find(|e| e.id.eq_ignore_ascii_case(id));
        let entry = exact.or_else(|| {
            self.packages
                .iter()
                .filter_map(|e| {
                    let prefix = e.id.strip_suffix(".*")?;
                    let lower = id.to_ascii_lowercase();
                    let p = prefix.to_ascii_lowercase();
                    (lower == p || lower.starts_with(&format!("{p}."))).then_some((p.len(), e))
                })
                .max_by_key(|(len, _)| *len)
                .map(|(_, e)| e)
        })?;
        let mut status = PackageStatus {
            entry,
            trim: entry.trim,
            aot: entry.aot,
            why: &entry.why,
            fix: &entry.fix,
            from: None,
            upgrade: None,
        };
        let Some(version) = version.and_then(version_key) else {
            if let Some(newest) = entry.since.last() {
                status.trim = newest.trim;
                status.aot = newest.aot;
                status.why = newest.why.as_deref().unwrap_or(&entry.why);
                status.fix = newest.fix.as_deref().unwrap_or(&entry.fix);
                status.from = Some(&newest.version);
            }
            return Some(status);
        };
        let version = Some(version);
        for s in &entry.since {
            if version
                .as_ref()
                .zip(version_key(&s.version))
                .is_some_and(|(v, from)| *v >= from)
            {
                status.trim = s.trim;
                status.aot = s.aot;
                status.why = s.why.as_deref().unwrap_or(&entry.why);
                status.fix = s.fix.as_deref().unwrap_or(&entry.fix);
            }
        }
        status.upgrade = entry
            .since
            .iter()
            .filter(|s| {
                version
                    .as_ref()
                    .zip(version_key(&s.version))
                    .is_some_and(|(v, from)| *v < from)
            })
            .find(|s| s.aot.effect() < status.aot.effect())
            .map(|s| s.version.as_str());
        Some(status)
    }
}

/// A NuGet version's numbers, for ordering: `9.0.1` is `[9, 0, 1]`; a range or a float takes
/// its lower bound (`[8.0.0, )` is `[8, 0, 0]`, `8.*` is `[8]`); None without a number.
pub fn version_key(text: &str) -> Option<Vec<u64>> {
    let start = text.find(|c: char| c.is_ascii_digit())?;
    let numbers: Vec<u64> = text[start..]
        .split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .next()?
        .split('.')
        .filter(|p| !p.is_empty())
        .map_while(|p| p.parse().ok())
        .collect();
    (!numbers.is_empty()).then_some(numbers)
}

/// A package a project references.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct PackageRef {
    /// The NuGet id.
    pub id: String,
    /// The version MSBuild would restore, its properties expanded (None when it is not known:
    /// not pinned, or resting on a property no file defines).
    pub version: Option<String>,
    /// The version as written when it could not be resolved (`$(DynamoDbSdkVersion)`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub written: Option<String>,
    /// Where it is referenced: file relative to the assessed path, and line.
    pub file: String,
    /// Line of the reference.
    pub line: u32,
}

/// What a project file says, once `Directory.Build.props` is applied.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ProjectFacts {
    /// The project file, relative to the assessed path.
    pub file: String,
    /// Its properties, by name (the last definition wins, as in MSBuild).
    pub properties: BTreeMap<String, String>,
    /// Where each property was set: file and line.
    #[serde(skip)]
    pub property_lines: BTreeMap<String, (String, u32)>,
    /// Its packages.
    pub packages: Vec<PackageRef>,
    /// Whether it is a test project (not deployed, not assessed).
    pub test: bool,
    /// The project's SDK (`Microsoft.NET.Sdk`, `Microsoft.NET.Sdk.Web`).
    pub sdk: String,
    /// The projects it references (`ProjectReference`), named as [`ProjectFacts::file`] is.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<String>,
}

impl ProjectFacts {
    /// A property's value, if set.
    pub fn property(&self, name: &str) -> Option<&str> {
        self.properties
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Whether a boolean property is `true`.
    pub fn flag(&self, name: &str) -> bool {
        self.property(name)
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
    }

    /// The target frameworks (`TargetFramework`, or `TargetFrameworks` split on `;`).
    pub fn target_frameworks(&self) -> Vec<String> {
        self.property("TargetFrameworks")
            .or(self.property("TargetFramework"))
            .map(|v| {
                v.split(';')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Whether it builds an executable: `OutputType` Exe, or the Web and Worker SDKs, which
    /// build one unless told otherwise.
    pub fn executable(&self) -> bool {
        match self.property("OutputType") {
            Some(v) => v.eq_ignore_ascii_case("exe") || v.eq_ignore_ascii_case("winexe"),
            None => {
                let sdk = self.sdk.to_ascii_lowercase();
                sdk.ends_with(".web") || sdk.ends_with(".worker")
            }
        }
    }

    /// Whether it is a Lambda function: it references Lambda's runtime packages.
    pub fn lambda(&self) -> bool {
        self.packages.iter().any(|p| {
            let id = p.id.to_ascii_lowercase();
            id == "amazon.lambda.core"
                || id == "amazon.lambda.runtimesupport"
                || id.starts_with("amazon.lambda.aspnetcoreserver")
                || id == "amazon.lambda.annotations"
        })
    }

    /// Whether it is deployed as a function rather than built into one: it builds an
    /// executable, it carries Lambda's tooling property (`AWSProjectType` Lambda), or it is a
    /// Lambda project no other deployed project of `all` references (a test project's
    /// reference does not count). A class library the function references (`Shared.csproj`)
    /// is not one, whatever it references itself.
    pub fn entry(&self, all: &[ProjectFacts]) -> bool {
        let referenced = all
            .iter()
            .any(|p| !p.test && p.file != self.file && p.references.contains(&self.file));
        self.executable()
            || self
                .property("AWSProjectType")
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("lambda"))
            || (self.lambda() && !referenced)
    }

    /// Whether a ReadyToRun publish of it trims (`PublishTrimmed`); NativeAOT always does,
    /// and a ReadyToRun publish sets `PublishAot` false.
    pub fn trimmed(&self) -> bool {
        self.flag("PublishTrimmed")
    }
}

/// The .NET major version of a target framework moniker (`net8.0` is 8, `netcoreapp3.1` is
/// 3, the .NET Framework's `net48` is 4); None for .NET Standard, a library's target.
pub fn dotnet_major(tfm: &str) -> Option<u32> {
    let t = tfm.trim().to_ascii_lowercase();
    if t.starts_with("netstandard") {
        return None;
    }
    if let Some(rest) = t.strip_prefix("net")
        && !rest.contains('.')
        && rest.len() >= 2
        && rest.bytes().all(|b| b.is_ascii_digit())
    {
        // net48, net472: the .NET Framework, which Lambda does not run.
        return rest[..1].parse().ok();
    }
    let rest = t
        .strip_prefix("netcoreapp")
        .or_else(|| t.strip_prefix("net").filter(|r| r.contains('.')))?;
    rest.split(['.', '-']).next()?.parse().ok()
}

/// The findings the project files themselves give: old target frameworks, a class-library
/// Lambda handler (in an entry project only: see [`ProjectFacts::entry`]), packages the book
/// lists as limited or blocked at their version, and packages whose version is not known
/// where the book's status depends on it.
pub fn project_findings(project: &ProjectFacts, book: &CompatBook, entry: bool) -> Vec<Finding> {
    let mut out = Vec::new();
    let at = |name: &str| {
        project
            .property_lines
            .get(name)
            .cloned()
            .unwrap_or_else(|| (project.file.clone(), 0))
    };
    // A project that also targets .NET 8 or later deploys that one: only one with no such
    // target needs a newer framework.
    let frameworks = project.target_frameworks();
    let deployable = frameworks
        .iter()
        .any(|t| dotnet_major(t).is_some_and(|m| m >= 8));
    for tfm in frameworks.iter().filter(|_| !deployable) {
        if let Some(major) = dotnet_major(tfm)
            && major < 8
        {
            let key = if project.property("TargetFrameworks").is_some() {
                "TargetFrameworks"
            } else {
                "TargetFramework"
            };
            let (file, line) = at(key);
            out.push(Finding::new(Rule::TargetFramework, &file, line, 1, tfm));
        }
    }
    if entry && project.lambda() && !project.executable() {
        let (file, line) = if project.property("OutputType").is_some() {
            at("OutputType")
        } else {
            (project.file.clone(), 1)
        };
        out.push(Finding::new(
            Rule::ClassLibraryHandler,
            &file,
            line,
            1,
            project.property("OutputType").unwrap_or("Library"),
        ));
    }
    for p in &project.packages {
        let Some(status) = book.status(&p.id, p.version.as_deref()) else {
            continue;
        };
        let (mut trim, mut aot) = (status.trim.effect(), status.aot.effect());
        // A version not known is never taken as old: the newest status holds, and where an
        // older version's is worse, confirming the version is the work.
        let unknown = p.version.is_none() && status.from.is_some();
        if unknown {
            aot = aot.max(Effect::Work);
            trim = trim.max(Effect::Work);
        }
        if trim == Effect::None && aot == Effect::None {
            continue;
        }
        let what = match (&p.version, &p.written) {
            (Some(v), _) => format!("{} {v}", p.id),
            (None, Some(w)) if !w.trim().is_empty() => format!("{} {w} (version unknown)", p.id),
            (None, _) => format!("{} (version unknown)", p.id),
        };
        let mut f = Finding::new(Rule::Package, &p.file, p.line, 1, &what);
        f.trim = trim.min(aot);
        f.aot = aot;
        f.why = status.why.to_string();
        f.fix = match status.upgrade {
            Some(v) if !status.fix.to_ascii_lowercase().contains("upgrade") => {
                format!("upgrade to {v} or later; {}", status.fix)
            }
            _ => status.fix.to_string(),
        };
        if unknown && let Some(from) = status.from {
            let unset = match &p.written {
                Some(w) if w.contains("$(") => {
                    format!(
                        "{w} is defined in no file read (nor is it an SDK property lambcost knows)"
                    )
                }
                _ => "no version is given".to_string(),
            };
            f.why = format!(
                "the version is not known: {unset}; from {from} on: {}",
                status.why
            );
            f.fix = format!("make sure it restores {from} or later ({})", status.fix);
        }
        f.feature = if status
            .entry
            .id
            .to_ascii_lowercase()
            .contains("entityframeworkcore")
        {
            Some("ef-core")
        } else {
            Rule::Package.feature(aot)
        };
        out.push(f);
    }
    out
}

/// A warning of the .NET SDK's trim or AOT analyzer, read from a build log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnalyzerWarning {
    /// `IL2026`, `IL3050`.
    pub code: String,
    /// File relative to the assessed path, when the warning has one.
    pub file: Option<String>,
    /// Line, from 1 (0 without one).
    pub line: u32,
    /// Column, from 1.
    pub column: u32,
    /// The analyzer's message.
    pub message: String,
}

impl AnalyzerWarning {
    /// Whether it is a trim (IL2xxx) or AOT (IL3xxx) warning.
    pub fn relevant(code: &str) -> bool {
        code.len() == 6
            && code.starts_with("IL")
            && (code.as_bytes()[2] == b'2' || code.as_bytes()[2] == b'3')
            && code[2..].bytes().all(|b| b.is_ascii_digit())
    }
}

/// Merges the analyzer's warnings into the findings. A warning at a file and line confirms the
/// finding there that does harm and whose span holds its column (the innermost), else the
/// nearest on the line (ILC's `File.cs(14)` has no column); evidence (`lambda-aot-ready`) is
/// never confirmed by a warning. A warning about an assembly (IL2104, IL3053, no location)
/// confirms the finding of the package it names, or is attached to that package's reference
/// or the project whose assembly it is. The rest become findings of their own, one per code
/// and place, with their count.
pub fn merge_analyzer(
    findings: &mut Vec<Finding>,
    warnings: &[AnalyzerWarning],
    projects: &[ProjectFacts],
) {
    // By code, file and what it is about: the first line and column, the count, a message.
    type Group = (u32, u32, u32, String);
    let mut grouped: BTreeMap<(String, String, String), Group> = BTreeMap::new();
    for w in warnings {
        let confirmed = match &w.file {
            Some(file) => confirms(findings, w, file),
            None => findings
                .iter()
                .position(|f| f.rule == Rule::Package && mentions_package(&w.message, &f.what)),
        };
        if let Some(i) = confirmed {
            if findings[i].analyzer.is_none() {
                findings[i].analyzer = Some(w.code.clone());
            }
            continue;
        }
        let (file, line, column, what) = match &w.file {
            Some(file) => (file.clone(), w.line, w.column, String::new()),
            None => match assembly_named(&w.message) {
                Some(name) => attach(name, projects),
                None => (String::new(), 0, 0, String::new()),
            },
        };
        let entry = grouped.entry((w.code.clone(), file, what)).or_insert((
            line,
            column,
            0,
            w.message.clone(),
        ));
        entry.2 += 1;
    }
    for ((code, file, about), (line, column, count, message)) in grouped {
        let aot_only = code.as_bytes().get(2) == Some(&b'3');
        let mut what = if count > 1 {
            format!("{code} ({count} warnings)")
        } else {
            code.clone()
        };
        if !about.is_empty() {
            what = format!("{what} {about}");
        }
        let mut f = Finding::new(Rule::Analyzer, &file, line, column, &what);
        f.trim = if aot_only { Effect::None } else { Effect::Work };
        f.aot = Effect::Work;
        f.why = one_line(&message);
        f.fix = "follow the analyzer: annotate, or use the overload it names".to_string();
        f.analyzer = Some(code);
        f.feature = Some("reflection");
        findings.push(f);
    }
}

/// The finding a located warning confirms: on its file and line, doing harm; the innermost
/// whose span holds the column, else the nearest by column.
fn confirms(findings: &[Finding], w: &AnalyzerWarning, file: &str) -> Option<usize> {
    let on_line: Vec<usize> = findings
        .iter()
        .enumerate()
        .filter(|(_, f)| {
            f.file == file
                && f.line == w.line
                && f.rule != Rule::Analyzer
                && f.aot.max(f.trim) > Effect::None
        })
        .map(|(i, _)| i)
        .collect();
    let inside = on_line
        .iter()
        .copied()
        .filter(|&i| {
            let f = &findings[i];
            w.column > 0 && f.column <= w.column && w.column < f.end_column
        })
        .min_by_key(|&i| findings[i].end_column.saturating_sub(findings[i].column));
    inside.or_else(|| {
        on_line
            .iter()
            .copied()
            .min_by_key(|&i| findings[i].column.abs_diff(w.column))
    })
}

/// The assembly an assembly-level message names: `Assembly 'AWSSDK.Core' produced …`.
fn assembly_named(message: &str) -> Option<&str> {
    let rest = message.split("Assembly '").nth(1)?;
    rest.split('\'').next().filter(|n| !n.is_empty())
}

/// Where a warning about assembly `name` belongs: the reference to the package of that id,
/// else the project that builds it (its `AssemblyName`, or the project file's name), else the
/// build, saying it is a dependency's.
fn attach(name: &str, projects: &[ProjectFacts]) -> (String, u32, u32, String) {
    let deployed = || projects.iter().filter(|p| !p.test);
    if let Some(r) = deployed()
        .flat_map(|p| &p.packages)
        .find(|r| r.id.eq_ignore_ascii_case(name))
    {
        return (r.file.clone(), r.line, 1, format!("(package {})", r.id));
    }
    let stem = |p: &ProjectFacts| {
        let file = p.file.rsplit('/').next().unwrap_or(&p.file);
        file.rsplit_once('.').map_or(file, |(s, _)| s).to_string()
    };
    if let Some(p) = deployed().find(|p| {
        p.property("AssemblyName")
            .is_some_and(|a| a.trim().eq_ignore_ascii_case(name))
            || stem(p).eq_ignore_ascii_case(name)
    }) {
        let (file, line) = p
            .property_lines
            .get("AssemblyName")
            .filter(|_| {
                p.property("AssemblyName")
                    .is_some_and(|a| a.eq_ignore_ascii_case(name))
            })
            .cloned()
            .unwrap_or_else(|| (p.file.clone(), 0));
        return (file, line, 1, format!("(assembly {name}: this project's)"));
    }
    (
        String::new(),
        0,
        0,
        format!("(assembly {name}: a dependency's)"),
    )
}

/// Whether an analyzer message about an assembly (`Assembly 'Newtonsoft.Json' produced trim
/// warnings`) names the package of a finding (`Newtonsoft.Json 13.0.3`).
fn mentions_package(message: &str, what: &str) -> bool {
    let id = what.split_whitespace().next().unwrap_or(what);
    message.contains(&format!("'{id}'"))
}

/// A message on one line, at most 200 characters.
fn one_line(text: &str) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > 200 {
        let cut: String = flat.chars().take(199).collect();
        format!("{cut}…")
    } else {
        flat
    }
}

/// The answer: a verdict per mode, the findings, and the project-file changes each mode needs.
#[derive(Clone, Debug, PartialEq)]
pub struct Assessment {
    /// The verdict of each of [`MODES`].
    pub verdicts: [Verdict; 3],
    /// Every finding, sorted by file, line and column.
    pub findings: Vec<Finding>,
    /// Project-file changes each of [`MODES`] needs.
    pub changes: [Vec<Change>; 3],
    /// Practices the code shows (`recommend`'s names), each with the evidence.
    pub practices: BTreeMap<&'static str, String>,
    /// Whether a deployed project publishes trimmed (so trim findings count for ReadyToRun).
    pub trimmed: bool,
}

impl Assessment {
    /// The verdict of a mode by name.
    pub fn verdict(&self, mode: &str) -> Option<Verdict> {
        MODES
            .iter()
            .position(|m| *m == mode)
            .map(|i| self.verdicts[i])
    }

    /// The modes a finding stands in the way of.
    pub fn modes(&self, f: &Finding) -> Vec<&'static str> {
        let mut out = Vec::new();
        if f.rule == Rule::TargetFramework {
            out.push(MODES[0]);
        }
        if f.trim > Effect::None && (self.trimmed || f.rule == Rule::TargetFramework) {
            out.push(MODES[1]);
        }
        if f.aot > Effect::None {
            out.push(MODES[2]);
        }
        out
    }

    /// The features the findings evidence, each with the places that show it.
    pub fn features(&self) -> BTreeMap<&'static str, Vec<&Finding>> {
        let mut out: BTreeMap<&'static str, Vec<&Finding>> = BTreeMap::new();
        for f in &self.findings {
            if let Some(feature) = f.feature {
                out.entry(feature).or_default().push(f);
            }
        }
        out
    }
}

/// Judges the findings of the deployed (non-test) projects: each mode's verdict is the worst
/// effect on it (trim effects count for ReadyToRun only where the project trims; a target
/// framework counts for every mode), and the project-file changes each mode still needs.
pub fn assess(projects: &[ProjectFacts], mut findings: Vec<Finding>) -> Assessment {
    findings.sort_by(|a, b| {
        (a.file.as_str(), a.line, a.column, a.rule).cmp(&(
            b.file.as_str(),
            b.line,
            b.column,
            b.rule,
        ))
    });
    // One finding a rule a line; the analyzer's and packages' are told apart by what they
    // name (two IL codes on a line, two location-less assembly warnings).
    findings.dedup_by(|b, a| {
        a.file == b.file
            && a.line == b.line
            && a.rule == b.rule
            && (!matches!(a.rule, Rule::Analyzer | Rule::Package) || a.what == b.what)
    });
    let deployed: Vec<&ProjectFacts> = projects.iter().filter(|p| !p.test).collect();
    let trimmed = deployed.iter().any(|p| p.trimmed());
    let framework = findings
        .iter()
        .filter(|f| f.rule == Rule::TargetFramework)
        .map(|f| f.aot)
        .max()
        .unwrap_or_default();
    let trim = findings.iter().map(|f| f.trim).max().unwrap_or_default();
    let aot = findings.iter().map(|f| f.aot).max().unwrap_or_default();
    let verdicts = [
        Verdict::of(framework),
        Verdict::of(if trimmed {
            trim.max(framework)
        } else {
            framework
        }),
        Verdict::of(aot),
    ];
    // The changes go to what is deployed as the function, not the libraries it references.
    let entry: Vec<&ProjectFacts> = {
        // `entry` counts only deployed projects' references: every project can be passed.
        let functions: Vec<&ProjectFacts> = deployed
            .iter()
            .copied()
            .filter(|p| p.entry(projects))
            .collect();
        if functions.is_empty() {
            deployed.clone()
        } else {
            functions
        }
    };
    let changes = [Vec::new(), readytorun_changes(&entry), aot_changes(&entry)];
    let mut practices = BTreeMap::new();
    let has = |rule: Rule| findings.iter().find(|f| f.rule == rule);
    if let Some(ctx) = has(Rule::JsonContext)
        && has(Rule::ReflectionJson).is_none()
        && has(Rule::NewtonsoftJson).is_none()
    {
        practices.insert("source-generated-json", ctx.place());
    }
    if has(Rule::AssemblyScanningDi).is_none() && has(Rule::TypeScan).is_none() {
        practices.insert(
            "explicit-registration",
            "no assembly scanning found".to_string(),
        );
    }
    if let Some(p) = deployed
        .iter()
        .find(|p| p.flag("EnableTrimAnalyzer") || p.flag("IsAotCompatible") || p.flag("PublishAot"))
        && findings.iter().all(|f| f.analyzer.is_none())
    {
        practices.insert(
            "trim-analyzer",
            format!("{}: the trim analyzer is on", p.file),
        );
    }
    Assessment {
        verdicts,
        findings,
        changes,
        practices,
        trimmed,
    }
}

/// A property a project file must set for a mode.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Change {
    /// The project file.
    pub file: String,
    /// The MSBuild property.
    pub property: &'static str,
    /// Its value.
    pub value: &'static str,
    /// Why, in a few words.
    pub why: &'static str,
}

/// What ReadyToRun asks of a project file that does not say it yet.
fn readytorun_changes(projects: &[&ProjectFacts]) -> Vec<Change> {
    let mut out = Vec::new();
    for p in projects {
        let mut want = vec![("PublishReadyToRun", "true", "precompile")];
        if p.property("RuntimeIdentifier").is_none() && p.property("RuntimeIdentifiers").is_none() {
            want.push((
                "RuntimeIdentifier",
                "linux-x64",
                "ReadyToRun code is per platform (or linux-arm64)",
            ));
        }
        out.extend(missing(p, &want));
    }
    out
}

/// What NativeAOT asks of a project file that does not say it yet.
fn aot_changes(projects: &[&ProjectFacts]) -> Vec<Change> {
    let mut out = Vec::new();
    for p in projects {
        // PublishAot turns the trim and AOT analyzers on itself: nothing more to ask for.
        let mut want = vec![("PublishAot", "true", "compile ahead of time")];
        if p.lambda() {
            want.push(("OutputType", "Exe", "a bootstrap executable"));
            // Amazon.Lambda.Tools (AWSProjectType Lambda) names the executable bootstrap as it
            // packages it, as AWS's NativeAOT blueprint relies on.
            let tooled = p
                .property("AWSProjectType")
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("lambda"));
            if !tooled {
                want.push((
                    "AssemblyName",
                    "bootstrap",
                    "the custom runtime runs ./bootstrap",
                ));
            }
        }
        want.push((
            "InvariantGlobalization",
            "true",
            "smaller, no ICU on provided.al2023",
        ));
        out.extend(missing(p, &want));
    }
    out
}

/// The properties of `want` a project does not set to their value.
fn missing(p: &ProjectFacts, want: &[(&'static str, &'static str, &'static str)]) -> Vec<Change> {
    want.iter()
        .filter(|(name, value, _)| {
            !p.property(name)
                .is_some_and(|v| v.trim().eq_ignore_ascii_case(value))
        })
        .map(|(property, value, why)| Change {
            file: p.file.clone(),
            property,
            value,
            why,
        })
        .collect()
}

/// Changes as people read them: per project file, `Property=value`.
pub fn changes_in_words(changes: &[Change]) -> String {
    let mut files: Vec<&str> = changes.iter().map(|c| c.file.as_str()).collect();
    files.dedup();
    files
        .iter()
        .map(|f| {
            let props: Vec<String> = changes
                .iter()
                .filter(|c| c.file == *f)
                .map(|c| format!("{}={}", c.property, c.value))
                .collect();
            format!("{f}: {}", props.join(", "))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book() -> CompatBook {
        CompatBook::from_yaml(
            r#"
source: "test"
retrieved: "2026-11-28"
packages:
  - id: Microsoft.EntityFrameworkCore.*
    trim: limited
    aot: limited
    since:
      - { version: "9.0.0", trim: ready, aot: ready }
    why: "EF"
    fix: "precompiled queries"
    source: "https://example.org/ef"
  - id: Newtonsoft.Json
    trim: limited
    aot: blocked
    why: "reflection"
    fix: "System.Text.Json"
    source: "https://example.org/nj"
"#,
            "test.yaml",
        )
        .expect("valid")
    }

    #[test]
    fn every_rule_has_its_own_entry_in_the_table() {
        for (i, rule) in Rule::ALL.into_iter().enumerate() {
            assert_eq!(INFO[i].0, rule);
            assert_eq!(rule as usize, i);
        }
    }

    #[test]
    fn versions_order_by_their_numbers() {
        assert_eq!(version_key("9.0.1"), Some(vec![9, 0, 1]));
        assert_eq!(version_key("[8.0.0, )"), Some(vec![8, 0, 0]));
        assert_eq!(version_key("8.*"), Some(vec![8]));
        assert_eq!(version_key("$(EfVersion)"), None);
        assert!(version_key("10.0.0") > version_key("9.9.9"));
    }

    #[test]
    fn a_status_holds_from_its_version_and_prefixes_match() {
        let b = book();
        let old = b
            .status("Microsoft.EntityFrameworkCore.SqlServer", Some("8.0.10"))
            .expect("matched by prefix");
        assert_eq!((old.trim, old.aot), (Status::Limited, Status::Limited));
        // 8.0.10 is an upgrade away from 9.0.0's status: that is the work.
        assert_eq!((old.upgrade, old.from), (Some("9.0.0"), None));
        let new = b
            .status("microsoft.entityframeworkcore", Some("9.0.0"))
            .expect("the prefix itself");
        assert_eq!((new.trim, new.aot), (Status::Ready, Status::Ready));
        assert_eq!(new.upgrade, None);
        // Without a version, never the oldest: the newest status, with the version it
        // holds from, which the finding asks to confirm.
        let unknown = b
            .status("Microsoft.EntityFrameworkCore", None)
            .expect("known");
        assert_eq!((unknown.aot, unknown.from), (Status::Ready, Some("9.0.0")));
        assert!(b.status("Microsoft.EntityFrameworkCoreX", None).is_none());
        assert!(b.status("Serilog", Some("4.0.0")).is_none());
    }

    #[test]
    fn descending_versions_are_refused() {
        let bad = r#"
source: "x"
retrieved: "2026-11-28"
packages:
  - id: A
    trim: ready
    aot: ready
    since:
      - { version: "2.0", trim: ready, aot: ready }
      - { version: "1.0", trim: ready, aot: ready }
    why: "w"
    fix: "f"
    source: "s"
"#;
        let e = CompatBook::from_yaml(bad, "mine.yaml").expect_err("refused");
        assert!(e.to_string().contains("versions must ascend"), "{e}");
        assert!(e.to_string().contains("mine.yaml"), "{e}");
    }

    #[test]
    fn target_frameworks_name_their_dotnet_version() {
        assert_eq!(dotnet_major("net8.0"), Some(8));
        assert_eq!(dotnet_major("net10.0"), Some(10));
        assert_eq!(dotnet_major("netcoreapp3.1"), Some(3));
        assert_eq!(dotnet_major("net8.0-windows"), Some(8));
        assert_eq!(dotnet_major("netstandard2.0"), None);
        // The .NET Framework, which Lambda does not run: older than any .NET it does.
        assert_eq!(dotnet_major("net48"), Some(4));
        assert_eq!(dotnet_major("netstandard2.0"), None);
    }

    fn project(props: &[(&str, &str)], packages: &[(&str, Option<&str>)]) -> ProjectFacts {
        ProjectFacts {
            file: "Fn.csproj".into(),
            properties: props
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            property_lines: BTreeMap::new(),
            packages: packages
                .iter()
                .map(|(id, v)| PackageRef {
                    id: id.to_string(),
                    version: v.map(str::to_string),
                    written: None,
                    file: "Fn.csproj".into(),
                    line: 7,
                })
                .collect(),
            test: false,
            sdk: "Microsoft.NET.Sdk".into(),
            references: Vec::new(),
        }
    }

    #[test]
    fn the_worst_finding_decides_each_mode() {
        let p = project(
            &[("TargetFramework", "net8.0"), ("OutputType", "Exe")],
            &[("Amazon.Lambda.RuntimeSupport", Some("1.12.0"))],
        );
        let b = book();
        let ready = assess(std::slice::from_ref(&p), project_findings(&p, &b, true));
        assert_eq!(
            ready.verdicts,
            [Verdict::Ready, Verdict::Ready, Verdict::Ready]
        );
        let work = assess(
            std::slice::from_ref(&p),
            vec![Finding::new(
                Rule::ReflectionJson,
                "F.cs",
                3,
                9,
                "JsonSerializer.Serialize",
            )],
        );
        // Untrimmed ReadyToRun keeps the JIT and every member: only NativeAOT needs the work.
        assert_eq!(
            work.verdicts,
            [Verdict::Ready, Verdict::Ready, Verdict::Work]
        );
        let blocked = assess(
            std::slice::from_ref(&p),
            vec![
                Finding::new(
                    Rule::ReflectionJson,
                    "F.cs",
                    3,
                    9,
                    "JsonSerializer.Serialize",
                ),
                Finding::new(Rule::DynamicLoading, "F.cs", 9, 5, "Assembly.LoadFrom"),
            ],
        );
        assert_eq!(blocked.verdicts[2], Verdict::Blocked);
        let trimmed = project(
            &[("TargetFramework", "net8.0"), ("PublishTrimmed", "true")],
            &[],
        );
        let t = assess(
            std::slice::from_ref(&trimmed),
            vec![Finding::new(
                Rule::ReflectionJson,
                "F.cs",
                3,
                9,
                "JsonSerializer.Serialize",
            )],
        );
        assert_eq!(t.verdicts[1], Verdict::Work);
    }

    #[test]
    fn project_files_give_framework_handler_and_package_findings() {
        let p = project(
            &[("TargetFramework", "net6.0")],
            &[
                ("Amazon.Lambda.Core", Some("2.2.0")),
                ("Microsoft.EntityFrameworkCore.SqlServer", Some("8.0.4")),
                ("Newtonsoft.Json", Some("13.0.3")),
            ],
        );
        let found = project_findings(&p, &book(), true);
        let rules: Vec<Rule> = found.iter().map(|f| f.rule).collect();
        assert_eq!(
            rules,
            [
                Rule::TargetFramework,
                Rule::ClassLibraryHandler,
                Rule::Package,
                Rule::Package
            ]
        );
        assert_eq!(found[2].feature, Some("ef-core"));
        assert_eq!(found[2].aot, Effect::Work);
        assert_eq!(
            found[2].fix,
            "upgrade to 9.0.0 or later; precompiled queries"
        );
        assert_eq!(found[3].feature, Some("dynamic-code"));
        let a = assess(std::slice::from_ref(&p), found);
        // .NET 6 asks work of every mode, EF Core 8 an upgrade; Newtonsoft blocks NativeAOT.
        assert_eq!(a.verdicts, [Verdict::Work, Verdict::Work, Verdict::Blocked]);
        assert!(
            a.changes[2]
                .iter()
                .any(|c| (c.property, c.value) == ("AssemblyName", "bootstrap"))
        );
        assert_eq!(
            changes_in_words(&a.changes[1]),
            "Fn.csproj: PublishReadyToRun=true, RuntimeIdentifier=linux-x64"
        );
    }

    #[test]
    fn the_analyzer_confirms_findings_and_adds_the_rest_grouped() {
        let mut findings = vec![
            Finding::new(Rule::TypeByName, "Src/A.cs", 12, 17, "Type.GetType"),
            Finding::new(Rule::Package, "Fn.csproj", 9, 1, "Newtonsoft.Json 13.0.3"),
        ];
        let w = |code: &str, file: Option<&str>, line: u32, message: &str| AnalyzerWarning {
            code: code.into(),
            file: file.map(str::to_string),
            line,
            column: 5,
            message: message.into(),
        };
        merge_analyzer(
            &mut findings,
            &[
                w(
                    "IL2057",
                    Some("Src/A.cs"),
                    12,
                    "Unrecognized value passed to GetType",
                ),
                w(
                    "IL2104",
                    None,
                    0,
                    "Assembly 'Newtonsoft.Json' produced trim warnings.",
                ),
                w(
                    "IL3050",
                    Some("Src/B.cs"),
                    4,
                    "Using member requires dynamic code",
                ),
                w(
                    "IL3050",
                    Some("Src/B.cs"),
                    20,
                    "Using member requires dynamic code",
                ),
            ],
            &[],
        );
        assert_eq!(findings[0].analyzer.as_deref(), Some("IL2057"));
        assert_eq!(findings[1].analyzer.as_deref(), Some("IL2104"));
        assert_eq!(findings.len(), 3);
        assert_eq!(findings[2].what, "IL3050 (2 warnings)");
        assert_eq!(
            (findings[2].file.as_str(), findings[2].line),
            ("Src/B.cs", 4)
        );
        assert_eq!(findings[2].trim, Effect::None);
    }

    #[test]
    fn blocked_means_no_version_works() {
        let upgrade = r#"
source: "x"
retrieved: "2026-11-28"
packages:
  - id: Amazon.Lambda.AspNetCoreServer.Hosting
    trim: limited
    aot: blocked
    since:
      - { version: "1.7.0", trim: limited, aot: limited }
    why: "w"
    fix: "f"
    source: "s"
"#;
        let e = CompatBook::from_yaml(upgrade, "mine.yaml").expect_err("refused");
        assert!(
            e.to_string().contains(
                "packages[0].aot: is blocked, but from 1.7.0 on it is limited: blocked means no version works"
            ),
            "{e}"
        );
        // Every blocked entry of the embedded book stays blocked in every version it lists,
        // and says where that is stated.
        let b = CompatBook::embedded().expect("valid");
        let blocked: Vec<&str> = b
            .packages
            .iter()
            .filter(|e| e.aot == Status::Blocked)
            .map(|e| e.id.as_str())
            .collect();
        assert_eq!(
            blocked,
            [
                "AutoMapper",
                "AutoMapper.Extensions.Microsoft.DependencyInjection",
                "MediatR",
                "Castle.Core",
                "Castle.Windsor",
                "Moq",
                "Amazon.Lambda.Serialization.Json",
                "Serilog.Settings.Configuration"
            ]
        );
        for e in b.packages.iter().filter(|e| e.aot == Status::Blocked) {
            assert!(e.since.iter().all(|s| s.aot == Status::Blocked), "{}", e.id);
            assert!(e.why.starts_with("No version"), "{}: {}", e.id, e.why);
            assert!(e.source.starts_with("https://"), "{}", e.id);
        }
    }

    #[test]
    fn a_version_no_file_defines_is_unknown_never_old() {
        let mut p = project(
            &[("TargetFramework", "net8.0"), ("OutputType", "Exe")],
            &[("Microsoft.EntityFrameworkCore", None)],
        );
        p.packages[0].written = Some("$(EfVersion)".into());
        let found = project_findings(&p, &book(), true);
        assert_eq!(found.len(), 1);
        let f = &found[0];
        assert_eq!(
            f.what,
            "Microsoft.EntityFrameworkCore $(EfVersion) (version unknown)"
        );
        // Ready from 9.0.0: the work is to confirm the version, not an old version's block.
        assert_eq!((f.trim, f.aot), (Effect::Work, Effect::Work));
        assert!(
            f.why
                .starts_with("the version is not known: $(EfVersion) is defined in no file read"),
            "{}",
            f.why
        );
        assert!(
            f.fix.starts_with("make sure it restores 9.0.0 or later"),
            "{}",
            f.fix
        );
    }

    #[test]
    fn only_entry_projects_are_told_to_become_executables() {
        let mut function = project(
            &[("TargetFramework", "net8.0"), ("AWSProjectType", "Lambda")],
            &[("Amazon.Lambda.Core", Some("2.5.1"))],
        );
        function.file = "GetProduct/GetProduct.csproj".into();
        function.references = vec!["Shared/Shared.csproj".into()];
        let mut shared = project(
            &[("TargetFramework", "net8.0"), ("PublishAot", "true")],
            &[("Amazon.Lambda.Core", Some("2.5.1"))],
        );
        shared.file = "Shared/Shared.csproj".into();
        let mut tests = project(&[("IsTestProject", "true")], &[]);
        tests.file = "Tests/Tests.csproj".into();
        tests.test = true;
        tests.references = vec!["GetProduct/GetProduct.csproj".into()];
        let all = [function.clone(), shared.clone(), tests];
        assert!(function.entry(&all));
        assert!(!shared.entry(&all));
        // A class-library handler is a finding of the entry project only.
        let b = book();
        assert_eq!(project_findings(&shared, &b, false), []);
        let rules: Vec<Rule> = project_findings(&function, &b, true)
            .iter()
            .map(|f| f.rule)
            .collect();
        assert_eq!(rules, [Rule::ClassLibraryHandler]);
        let a = assess(&all, Vec::new());
        // Amazon.Lambda.Tools names the executable bootstrap itself; PublishAot turns the
        // analyzers on: neither AssemblyName nor EnableTrimAnalyzer is asked for.
        assert_eq!(
            changes_in_words(&a.changes[2]),
            "GetProduct/GetProduct.csproj: PublishAot=true, OutputType=Exe, InvariantGlobalization=true"
        );
    }

    #[test]
    fn a_warning_confirms_the_finding_its_column_falls_in() {
        // `await LambdaBootstrapBuilder.Create(handler, new DefaultLambdaJsonSerializer())`:
        // the call spans columns 7 to 75, the serializer's creation 46 to 74.
        let mut create = Finding::new(
            Rule::LambdaAotReady,
            "Function.cs",
            14,
            7,
            "LambdaBootstrapBuilder.Create",
        );
        create.end_column = 75;
        let mut serializer = Finding::new(
            Rule::LambdaReflectionSerializer,
            "Function.cs",
            14,
            46,
            "new DefaultLambdaJsonSerializer",
        );
        serializer.end_column = 74;
        let mut scan = Finding::new(Rule::TypeScan, "Function.cs", 20, 9, "a.GetTypes");
        scan.end_column = 21;
        let mut reflect = Finding::new(
            Rule::ReflectionJson,
            "Function.cs",
            20,
            40,
            "JsonSerializer.Serialize",
        );
        reflect.end_column = 70;
        let mut findings = vec![create, serializer, scan, reflect];
        let w = |line: u32, column: u32| AnalyzerWarning {
            code: "IL2026".into(),
            file: Some("Function.cs".into()),
            line,
            column,
            message: String::new(),
        };
        // Inside both the call and the creation: the creation, which does harm (the call is
        // evidence); ILC's line-only form and a column between two: the nearest.
        merge_analyzer(&mut findings, &[w(14, 46), w(20, 0), w(20, 35)], &[]);
        let confirmed: Vec<Option<&str>> = findings.iter().map(|f| f.analyzer.as_deref()).collect();
        assert_eq!(
            confirmed,
            [None, Some("IL2026"), Some("IL2026"), Some("IL2026")]
        );
        assert_eq!(findings.len(), 4);
    }

    #[test]
    fn an_assembly_warning_goes_to_the_package_or_project_it_names() {
        let mut p = project(
            &[("AssemblyName", "bootstrap")],
            &[("AWSXRayRecorder.Core", Some("2.15.0"))],
        );
        p.property_lines
            .insert("AssemblyName".into(), ("Fn.csproj".into(), 6));
        let w = |name: &str| AnalyzerWarning {
            code: "IL2104".into(),
            file: None,
            line: 0,
            column: 0,
            message: format!("Assembly '{name}' produced trim warnings."),
        };
        let mut findings = Vec::new();
        merge_analyzer(
            &mut findings,
            &[w("AWSXRayRecorder.Core"), w("bootstrap"), w("AWSSDK.Core")],
            std::slice::from_ref(&p),
        );
        let placed: Vec<(String, String)> = findings
            .iter()
            .map(|f| (f.place(), f.what.clone()))
            .collect();
        assert_eq!(
            placed,
            [
                (
                    "(the build)".to_string(),
                    "IL2104 (assembly AWSSDK.Core: a dependency's)".to_string()
                ),
                (
                    "Fn.csproj:6:1".to_string(),
                    "IL2104 (assembly bootstrap: this project's)".to_string()
                ),
                (
                    "Fn.csproj:7:1".to_string(),
                    "IL2104 (package AWSXRayRecorder.Core)".to_string()
                ),
            ]
        );
    }

    #[test]
    fn the_embedded_book_is_valid_and_covers_the_talks_packages() {
        let b = CompatBook::embedded().expect("valid");
        for id in [
            "Microsoft.EntityFrameworkCore",
            "Newtonsoft.Json",
            "AutoMapper",
            "MediatR",
            "Castle.Core",
            "Dapper",
            "Dapper.AOT",
            "Swashbuckle.AspNetCore",
            "AWSSDK.Core",
            "Amazon.Lambda.Core",
            "Serilog",
        ] {
            assert!(b.status(id, None).is_some(), "{id} is not in the book");
        }
        assert!(b.packages.iter().all(|e| e.source.starts_with("http")));
    }
}
