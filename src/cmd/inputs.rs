//! The variants a command works on: read from the files the user named (summary tables,
//! samples, logs, each recognised by its content), or the embedded data set when none is
//! named, and chosen by `--variant`.

use anyhow::{Result, bail};

/// Profiles read from the inputs the user named, with what the user should know about them.
pub struct Inputs {
    /// One profile per variant, in order of first appearance.
    pub profiles: Vec<crate::profile::Profile>,
    /// Warnings about the data (malformed lines skipped, changed memory sizes, ...).
    pub warnings: Vec<String>,
    /// How many inputs were logs (each takes the next `--variant` name).
    pub logs: usize,
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
    pub archs: &'a [crate::pricing::Arch],
    /// Malformed log lines are fatal.
    pub strict: bool,
}

/// The variants to work on: those of the files named (or of the embedded data set when none
/// is), `--variant` naming the logs in order and, given more names than logs, choosing among
/// the variants read; priced on `--arch` when it is given.
pub fn select_profiles(
    files: &[std::path::PathBuf],
    naming: &LogNaming<'_>,
    pricer: &crate::cost::Pricer<'_>,
) -> Result<Inputs> {
    let mut inputs = if files.is_empty() {
        let profiles: Vec<crate::profile::Profile> = load_embedded(pricer.memory_range())?
            .iter()
            .map(|v| crate::profile::Profile::from_variant(v, pricer))
            .collect();
        Inputs {
            warnings: profiles.iter().flat_map(|p| p.warnings.clone()).collect(),
            profiles,
            logs: 0,
        }
    } else {
        load_profiles(files, naming, pricer)?
    };
    // Names beyond the logs' choose: every name given is then a variant to keep.
    if naming.variants.len() > inputs.logs {
        keep_named(&mut inputs.profiles, naming.variants)?;
    }
    inputs.profiles = on_archs(inputs.profiles, naming.archs);
    Ok(inputs)
}

/// `profiles` priced on `archs`: each on the one given, or each on every one given, a
/// variant's rows side by side; as they are when none is given.
pub fn on_archs(
    profiles: Vec<crate::profile::Profile>,
    archs: &[crate::pricing::Arch],
) -> Vec<crate::profile::Profile> {
    if archs.is_empty() {
        return profiles;
    }
    profiles
        .into_iter()
        .flat_map(|p| {
            archs.iter().map(move |arch| {
                let mut q = p.clone();
                q.arch = *arch;
                q
            })
        })
        .collect()
}

/// The embedded summary table's variants (the talk's five).
pub fn load_embedded(memory: crate::pricing::MemoryRange) -> Result<Vec<crate::variant::Variant>> {
    Ok(crate::samples::summary::read(
        crate::variant::DEFAULT_RESULTS_CSV.as_bytes(),
        crate::variant::DEFAULT_RESULTS_ORIGIN,
        memory,
    )?)
}

/// Reads every input (`-` is standard input), whatever its kind, into profiles. Measured
/// variants of the same name from several inputs are merged; a name given twice by summary
/// tables is an error.
pub fn load_profiles(
    files: &[std::path::PathBuf],
    naming: &LogNaming<'_>,
    pricer: &crate::cost::Pricer<'_>,
) -> Result<Inputs> {
    use crate::samples::{Loaded, LogOptions};
    let mut slots = Slots::default();
    let mut logs = 0usize;
    for path in files {
        let origin = origin(path);
        let options = LogOptions {
            variant: naming
                .variants
                .get(logs)
                .cloned()
                .unwrap_or_else(|| stem(path)),
            mode: naming.modes.get(logs).cloned().unwrap_or_default(),
            arch: match naming.archs {
                [one] => Some(*one),
                _ => None,
            },
            strict: naming.strict,
            granularity_ms: pricer.granularity_ms(),
        };
        match read_input(path, &origin, &options, pricer.memory_range())? {
            Loaded::Summary(variants) => {
                for v in &variants {
                    slots.add_summary(crate::profile::Profile::from_variant(v, pricer), &origin)?;
                }
            }
            Loaded::Samples(list) => {
                for m in list {
                    slots.add_measured(m, &origin)?;
                }
            }
            Loaded::Log(m) => {
                // A log makes one variant and takes the next --variant and --mode.
                logs += 1;
                slots.add_measured(*m, &origin)?;
            }
        }
    }
    let default_arch = naming
        .archs
        .first()
        .copied()
        .unwrap_or(crate::pricing::Arch::X86_64);
    let (profiles, warnings) = slots.into_profiles(default_arch, pricer)?;
    Ok(Inputs {
        profiles,
        warnings,
        logs,
    })
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
fn embedded_set(path: &std::path::Path) -> Option<crate::variant::Embedded> {
    let name = path.to_str()?;
    crate::variant::embedded(name).filter(|_| !path.exists())
}

/// Where a command's variants come from, in words, for its report's data line: the embedded
/// data set when no file is named, else each input as named.
pub fn describe(files: &[std::path::PathBuf]) -> String {
    if files.is_empty() {
        return crate::variant::DEFAULT_RESULTS_ORIGIN.to_string();
    }
    files
        .iter()
        .map(|f| embedded_set(f).map_or_else(|| origin(f), |e| e.about.to_string()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The variant name a log takes when none is given: its file's stem.
fn stem(path: &std::path::Path) -> String {
    if path.as_os_str() == "-" {
        return "stdin".to_string();
    }
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "variant".to_string())
}

/// One input, read by content.
fn read_input(
    path: &std::path::Path,
    origin: &str,
    options: &crate::samples::LogOptions,
    memory: crate::pricing::MemoryRange,
) -> Result<crate::samples::Loaded> {
    use crate::samples::read_any;
    if let Some(e) = embedded_set(path) {
        return Ok(read_any(e.csv.as_bytes(), origin, options, memory)?);
    }
    let name = path.to_string_lossy();
    if name.starts_with('@') && !path.exists() {
        let known: Vec<&str> = crate::variant::EMBEDDED.iter().map(|e| e.name).collect();
        bail!(
            "{name}: no such file, nor an embedded data set (those are {})",
            known.join(", ")
        );
    }
    Ok(if path.as_os_str() == "-" {
        read_any(std::io::stdin().lock(), origin, options, memory)?
    } else {
        let file =
            std::fs::File::open(path).map_err(|e| anyhow::anyhow!("{origin}: cannot open: {e}"))?;
        read_any(file, origin, options, memory)?
    })
}

/// The variants read so far, in order of first appearance: a summary row, or measurements
/// that later inputs of the same name add to.
#[derive(Default)]
struct Slots(Vec<Slot>);

enum Slot {
    Summary(Box<crate::profile::Profile>),
    Measured(Box<crate::measurement::Measured>),
}

impl Slot {
    fn name(&self) -> &str {
        match self {
            Slot::Summary(p) => &p.name,
            Slot::Measured(m) => &m.name,
        }
    }
}

impl Slots {
    fn add_summary(&mut self, profile: crate::profile::Profile, origin: &str) -> Result<()> {
        if self.0.iter().any(|s| s.name() == profile.name) {
            bail!(
                "{origin}: variant '{}' is already in another input; give each variant one name",
                profile.name
            );
        }
        self.0.push(Slot::Summary(Box::new(profile)));
        Ok(())
    }

    fn add_measured(&mut self, m: crate::measurement::Measured, origin: &str) -> Result<()> {
        match self.0.iter_mut().find(|s| s.name() == m.name) {
            Some(Slot::Measured(existing)) => existing.merge(&m),
            Some(Slot::Summary(_)) => bail!(
                "{origin}: variant '{}' is also a row of a summary table; give the measurements another name (--variant)",
                m.name
            ),
            None => self.0.push(Slot::Measured(Box::new(m))),
        }
        Ok(())
    }

    /// Every variant's profile, with what its data warned of.
    fn into_profiles(
        self,
        default_arch: crate::pricing::Arch,
        pricer: &crate::cost::Pricer<'_>,
    ) -> Result<(Vec<crate::profile::Profile>, Vec<String>)> {
        let mut profiles = Vec::new();
        let mut warnings = Vec::new();
        for slot in self.0 {
            match slot {
                Slot::Summary(p) => {
                    warnings.extend(p.warnings.iter().cloned());
                    profiles.push(*p);
                }
                Slot::Measured(m) => {
                    warnings.extend(measured_warnings(&m));
                    let p = crate::profile::Profile::from_measured(&m, default_arch, pricer)?;
                    warnings.extend(p.warnings.iter().cloned());
                    profiles.push(p);
                }
            }
        }
        Ok((profiles, warnings))
    }
}

/// What reading a variant's measurements skipped: unreadable lines (the first few in full),
/// and Lambda Managed Instances reports.
fn measured_warnings(m: &crate::measurement::Measured) -> Vec<String> {
    let mut warnings = Vec::new();
    if m.malformed.count > 0 {
        warnings.push(format!(
            "{}: {} unreadable line(s) skipped (--strict refuses them)",
            m.origin, m.malformed.count
        ));
        warnings.extend(m.malformed.first.iter().cloned());
    }
    if m.without_memory_size > 0
        && let Some(mb) = m.memory_size_mb
    {
        warnings.push(format!(
            "{}: {} report(s) without a memory size priced at the others' {mb} MB",
            m.origin, m.without_memory_size
        ));
    }
    if m.managed_instances > 0 {
        warnings.push(format!(
            "{}: {} Lambda Managed Instances report(s) left out: those instances are not billed per invocation and GB-second",
            m.origin, m.managed_instances
        ));
    }
    warnings
}

/// Keeps the profiles named in `names` (all when it is empty), or says which name is unknown.
pub fn keep_named(profiles: &mut Vec<crate::profile::Profile>, names: &[String]) -> Result<()> {
    for name in names {
        if !profiles.iter().any(|p| &p.name == name) {
            let known: Vec<&str> = profiles.iter().map(|p| p.name.as_str()).collect();
            bail!(
                "--variant: '{name}' is not in the data; known variants: {}",
                known.join(", ")
            );
        }
    }
    if !names.is_empty() {
        profiles.retain(|p| names.contains(&p.name));
    }
    Ok(())
}

/// Refuses a `--mode` that is not a build mode of `book`, naming those that are.
pub fn check_modes<'a>(
    given: impl IntoIterator<Item = &'a String>,
    book: &crate::modes::ModeBook,
) -> Result<()> {
    for mode in given {
        if !book.modes.contains_key(mode) {
            let known: Vec<&str> = book.modes.keys().map(String::as_str).collect();
            bail!(
                "--mode: '{mode}' is not a build mode; accepted: {}",
                known.join(", ")
            );
        }
    }
    Ok(())
}

/// Refuses variants without a build mode (a log or samples file read without `--mode`): a
/// decision between build modes needs each variant's.
pub fn require_modes(profiles: &[crate::profile::Profile]) -> Result<()> {
    if let Some(p) = profiles.iter().find(|p| p.mode.is_empty()) {
        bail!(
            "{}: no build mode; add --mode MODE (regular, readytorun, aot), one per log in order, or a mode column to the samples",
            p.name
        );
    }
    Ok(())
}
