//! The variants a command works on: read from the files the user named (summary tables,
//! samples, logs, each recognised by its content), or the embedded data set when none is
//! named, and chosen by `--variant`.

use anyhow::Result;

/// Profiles read from the inputs the user named, with what the user should know about them.
pub struct Inputs {
    /// One profile per variant, in order of first appearance.
    pub profiles: Vec<lambcost_core::profile::Profile>,
    /// Warnings about the data (malformed lines skipped, changed memory sizes, ...).
    pub warnings: Vec<String>,
}

/// How to name and read log inputs.
pub struct LogNaming<'a> {
    /// Variant names for the log inputs, in order (else each file's stem); names beyond the
    /// logs choose among the variants read.
    pub variants: &'a [String],
    /// Build modes for the log inputs, in order.
    pub modes: &'a [String],
    /// The architectures to price every variant on (`--arch`): none keeps each variant's
    /// own, several price each variant on each.
    pub archs: &'a [lambcost_core::pricing::Arch],
    /// Malformed log lines are fatal.
    pub strict: bool,
    /// How log invocations are gathered into variants.
    pub group_by: lambcost_core::grouping::GroupBy,
    /// Files read at once (0: one per core).
    pub threads: usize,
}

/// The variants to work on: those of the files named (or of the embedded data set when none
/// is), `--variant` naming the logs in order and, given more names than logs, choosing among
/// the variants read; priced on `--arch` when it is given.
pub fn select_profiles(
    files: &[std::path::PathBuf],
    naming: &LogNaming<'_>,
    pricer: &lambcost_core::cost::Pricer<'_>,
) -> Result<Inputs> {
    let assembled = if files.is_empty() {
        let variants = load_embedded(pricer.memory_range())?;
        let assembled = lambcost_core::assemble::Assembled::of_variants(&variants, pricer)
            .select(&naming.core())?;
        crate::setup::context::check_archs(pricer, &assembled.profiles)?;
        assembled
    } else {
        load_profiles(files, naming, pricer)?
    };
    Ok(Inputs {
        profiles: assembled.profiles,
        warnings: assembled.warnings,
    })
}

/// The rows of the talk's slides among `profiles` whose figures are not one measured build's,
/// each with the talk repository's rows behind it; none unless the data is the slides' table
/// (`--data` absent or `@talk`). A row is matched by name, runtime and its warm figure, so a
/// team's own row of the same name is never taken for the slides'.
pub fn mixed_rows(
    files: &[std::path::PathBuf],
    profiles: &[lambcost_core::profile::Profile],
    memory: lambcost_core::pricing::MemoryRange,
) -> Result<Vec<lambcost_core::variant::Mixed>> {
    if !(files.is_empty() || files.iter().any(|f| f.as_os_str() == "@talk")) {
        return Ok(Vec::new());
    }
    let repo = lambcost_core::variant::embedded("@talk-repo")
        .map(|e| lambcost_readers::samples::summary::read(e.csv.as_bytes(), e.about, memory))
        .transpose()?
        .unwrap_or_default();
    Ok(
        lambcost_core::variant::mixed_rows(&load_embedded(memory)?, &repo)
            .into_iter()
            .filter(|m| {
                profiles.iter().any(|p| {
                    p.name == m.row.name
                        && p.runtime == m.row.runtime
                        && p.warm.as_ref().map(|w| w.mean_ms)
                            == rust_decimal::prelude::ToPrimitive::to_f64(&m.row.warm_ms)
                })
            })
            .collect(),
    )
}

impl LogNaming<'static> {
    /// Logs read as they are: no names, modes or architectures given, `group_by`, on
    /// `threads` (0: one per core).
    pub fn plain(group_by: lambcost_core::grouping::GroupBy, threads: usize) -> Self {
        LogNaming {
            variants: &[],
            modes: &[],
            archs: &[],
            strict: false,
            group_by,
            threads,
        }
    }
}

impl<'a> LogNaming<'a> {
    /// How `--variant`, `--mode`, `--strict`, `--group-by` and `--threads` name and read the
    /// logs, priced on `archs`.
    pub fn of(logs: &'a crate::cli::LogArgs, archs: &'a [lambcost_core::pricing::Arch]) -> Self {
        LogNaming {
            variants: &logs.variants,
            modes: &logs.modes,
            archs,
            strict: logs.strict,
            group_by: logs.group_by.into(),
            threads: logs.threads.map_or(0, |n| n as usize),
        }
    }

    /// How the core names and prices the variants read.
    fn core(&self) -> lambcost_core::assemble::Naming<'_> {
        lambcost_core::assemble::Naming {
            variants: self.variants,
            modes: self.modes,
            archs: self.archs,
            group_by: self.group_by,
        }
    }
}

/// The embedded summary table's variants (the talk's five), compiled in. A price book whose
/// memory range leaves one of them out (`--pricing`) has the table read and refused as a
/// user's would be.
pub fn load_embedded(
    memory: lambcost_core::pricing::MemoryRange,
) -> Result<Vec<lambcost_core::variant::Variant>> {
    let variants = lambcost_core::embedded::talk_variants();
    if variants
        .iter()
        .all(|v| (memory.min..=memory.max).contains(&v.memory_mb))
    {
        return Ok(variants);
    }
    Ok(lambcost_readers::samples::summary::read(
        lambcost_core::variant::DEFAULT_RESULTS_CSV.as_bytes(),
        lambcost_core::variant::DEFAULT_RESULTS_ORIGIN,
        memory,
    )?)
}

/// Reads every input (`-` is standard input, a directory its files), whatever its kind,
/// on every core, and assembles their variants in the arguments' order.
pub fn load_profiles(
    files: &[std::path::PathBuf],
    naming: &LogNaming<'_>,
    pricer: &lambcost_core::cost::Pricer<'_>,
) -> Result<lambcost_core::assemble::Assembled> {
    use lambcost_core::assemble::{Argument, Assembly, Part};
    // A function of the account (`aws:orders`) is read into a file of its events first; its
    // configuration names the variant's architecture and runtime.
    let shown: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    let resolved = crate::setup::aws::resolve(files, pricer.region_name())?;
    let files = &resolved.files;
    let sources = lambcost_readers::sources::expand(files)?;
    let names = lambcost_readers::sources::variant_names(files);
    let memory = pricer.memory_range();
    // One file alone is parsed on every core; several are read one a core.
    let within = match sources.len() {
        1 => lambcost_readers::sources::workers(naming.threads, usize::MAX),
        _ => 1,
    };
    let options = |s: &lambcost_readers::sources::Source| lambcost_readers::samples::LogOptions {
        variant: names[s.arg].clone(),
        mode: String::new(),
        arch: match naming.archs {
            [one] => Some(*one),
            _ => resolved.facts[s.arg].as_ref().map(|f| f.arch),
        },
        strict: naming.strict,
        granularity_ms: pricer.granularity_ms(),
        group_by: naming.group_by,
        file: s
            .within
            .as_ref()
            .map_or_else(|| names[s.arg].clone(), |w| w.display().to_string()),
        context: s
            .within
            .as_deref()
            .map(lambcost_readers::samples::layout::context_of_path)
            .unwrap_or_default(),
        threads: within,
    };
    let read = |s: &lambcost_readers::sources::Source| -> Result<lambcost_core::assemble::Loaded> {
        let input = lambcost_readers::sources::open(s)?;
        Ok(lambcost_readers::samples::read_any(
            input,
            &s.origin,
            &options(s),
            memory,
        )?)
    };
    let arguments = files
        .iter()
        .zip(&shown)
        .map(|(f, shown)| Argument {
            shown: shown.clone(),
            directory: f.is_dir(),
        })
        .collect();
    let mut assembly = Assembly::new(arguments);
    lambcost_readers::sources::read_all(&sources, naming.threads, read, |s, loaded| {
        let part = Part {
            arg: s.arg,
            within: s.within.as_ref().map(|w| w.display().to_string()),
            origin: s.origin.clone(),
        };
        Ok::<(), anyhow::Error>(assembly.add(&part, loaded?, pricer)?)
    })
    .map_err(|e| {
        // A function's events sit in a temporary file: a message names the input instead.
        let line = crate::app::one_line(&e);
        let text = resolved.shown(&line);
        if text == line {
            e
        } else {
            anyhow::anyhow!(text)
        }
    })?;
    let mut assembled = assembly.finish(&naming.core(), pricer)?;
    // Warnings name a function's input, never the file its events were spooled to.
    for w in assembled.warnings.iter_mut().chain(
        assembled
            .profiles
            .iter_mut()
            .flat_map(|p| p.warnings.iter_mut()),
    ) {
        *w = resolved.shown(w);
    }
    // The runtime the configuration names; a memory size the logs contradict is said (the
    // invocations are priced at the size they ran at); what could not be read of it.
    for facts in resolved.facts.iter().flatten() {
        assembled.warnings.extend(facts.notes.iter().cloned());
        for p in assembled
            .profiles
            .iter_mut()
            .filter(|p| p.name == facts.variant)
        {
            if !facts.runtime.is_empty() {
                p.runtime.clone_from(&facts.runtime);
            }
            if p.memory_mb != facts.memory_mb {
                assembled.warnings.push(format!(
                    "{}: configured at {} MB now, its invocations in the window ran at {} MB: priced at {} MB",
                    facts.input, facts.memory_mb, p.memory_mb, p.memory_mb
                ));
            }
        }
    }
    crate::setup::context::check_archs(pricer, &assembled.profiles)?;
    Ok(assembled)
}

/// How an input is named in messages: its path (`@talk` for an embedded data set), or
/// `stdin` for `-`.
fn origin(path: &std::path::Path) -> String {
    if path.as_os_str() == "-" {
        "stdin".to_string()
    } else {
        path.display().to_string()
    }
}

/// The embedded data set `path` names (`@talk`), unless a file of that name exists.
fn embedded_set(path: &std::path::Path) -> Option<lambcost_core::variant::Embedded> {
    let name = path.to_str()?;
    lambcost_core::variant::embedded(name).filter(|_| !path.exists())
}

/// Where a command's variants come from, in words, for its report's data line: the embedded
/// data set when no file is named, else each input as named.
pub fn describe(files: &[std::path::PathBuf]) -> String {
    if files.is_empty() {
        return lambcost_core::variant::DEFAULT_RESULTS_ORIGIN.to_string();
    }
    let fetched = crate::setup::aws::fetched();
    files
        .iter()
        .map(|f| {
            let shown = f.display().to_string();
            if let Some(facts) = fetched.iter().find(|x| x.input == shown) {
                return facts.describe();
            }
            embedded_set(f).map_or_else(|| origin(f), |e| e.about.to_string())
        })
        .collect::<Vec<_>>()
        .join(", ")
}
