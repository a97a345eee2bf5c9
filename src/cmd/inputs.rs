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
    /// How log invocations are gathered into variants.
    pub group_by: crate::samples::groups::GroupBy,
    /// Files read at once (0: one per core).
    pub threads: usize,
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

/// Reads every input (`-` is standard input, a directory its files), whatever its kind,
/// into profiles, the files on every core. Measured variants of the same name from several
/// inputs are merged; a name given twice by summary tables is an error.
pub fn load_profiles(
    files: &[std::path::PathBuf],
    naming: &LogNaming<'_>,
    pricer: &crate::cost::Pricer<'_>,
) -> Result<Inputs> {
    let sources = super::sources::expand(files)?;
    let memory = pricer.memory_range();
    let options = |s: &super::sources::Source| crate::samples::LogOptions {
        variant: super::sources::input_name(&files[s.arg]),
        mode: String::new(),
        arch: match naming.archs {
            [one] => Some(*one),
            _ => None,
        },
        strict: naming.strict,
        granularity_ms: pricer.granularity_ms(),
        group_by: naming.group_by,
        file: s
            .within
            .as_ref()
            .map_or_else(|| stem(&files[s.arg]), |w| w.display().to_string()),
        context: s
            .within
            .as_deref()
            .map(crate::samples::groups::context_of_path)
            .unwrap_or_default(),
    };
    let read = |s: &super::sources::Source| -> Result<crate::samples::Loaded> {
        let input = super::sources::open(s)?;
        Ok(crate::samples::read_any(
            input,
            &s.origin,
            &options(s),
            memory,
        )?)
    };
    let mut merged = Merged::new(files.len());
    super::sources::read_all(&sources, naming.threads, read, |s, loaded| {
        merged.add(s, loaded?, pricer)
    })?;
    merged.finish(files, naming, pricer)
}

/// What the inputs held so far, merged in their order.
struct Merged {
    slots: Slots,
    /// Each input argument's log variants, gathered over its files.
    logs: Vec<Option<crate::samples::groups::Groups>>,
    /// Insights aggregates per input argument.
    aggregated: Vec<Vec<crate::measurement::Aggregated>>,
    /// Samples files' variants per input argument (a samples file without modes takes the
    /// next `--mode`, as a log does).
    samples: Vec<Vec<crate::measurement::Measured>>,
    /// Files of a directory that hold no log, per input argument: how many, the first few.
    skipped: Vec<(usize, Vec<String>)>,
    warnings: Vec<String>,
}

impl Merged {
    fn new(args: usize) -> Merged {
        Merged {
            slots: Slots::default(),
            logs: (0..args).map(|_| None).collect(),
            aggregated: vec![Vec::new(); args],
            samples: vec![Vec::new(); args],
            skipped: vec![(0, Vec::new()); args],
            warnings: Vec::new(),
        }
    }

    fn skip(&mut self, s: &super::sources::Source) {
        let (count, names) = &mut self.skipped[s.arg];
        *count += 1;
        if names.len() < 3 {
            names.push(
                s.within
                    .as_ref()
                    .map_or_else(String::new, |w| w.display().to_string()),
            );
        }
    }

    fn add(
        &mut self,
        s: &super::sources::Source,
        loaded: crate::samples::Loaded,
        pricer: &crate::cost::Pricer<'_>,
    ) -> Result<()> {
        use crate::samples::Loaded;
        let in_directory = s.within.is_some();
        match loaded {
            Loaded::NotALog(_) if in_directory => self.skip(s),
            Loaded::NotALog(why) => bail!("{}: {why}", s.origin),
            Loaded::Summary(variants) => {
                for v in &variants {
                    let p = crate::profile::Profile::from_variant(v, pricer);
                    self.warnings.extend(p.warnings.iter().cloned());
                    self.slots.add_profile(p, &s.origin)?;
                }
            }
            Loaded::Samples(list) => self.samples[s.arg].extend(list),
            Loaded::Aggregated(list) => self.aggregated[s.arg].extend(list),
            Loaded::Log(groups) if groups.count() == 0 && in_directory => self.skip(s),
            Loaded::Log(groups) => {
                crate::samples::reading::require_invocations(&groups, &s.origin, "REPORT line")?;
                if let Some(cut) = &groups.cut_off {
                    self.warnings.push(format!("{}: {cut}", s.origin));
                }
                match &mut self.logs[s.arg] {
                    Some(all) => all.merge(*groups),
                    slot @ None => *slot = Some(*groups),
                }
            }
        }
        Ok(())
    }

    /// Names the log variants (`--variant` and `--mode` in order, one per log input), and
    /// makes every profile.
    fn finish(
        mut self,
        files: &[std::path::PathBuf],
        naming: &LogNaming<'_>,
        pricer: &crate::cost::Pricer<'_>,
    ) -> Result<Inputs> {
        let arch = naming.archs.first().copied();
        let mut logs = 0usize;
        let mut modes = 0usize;
        for (arg, path) in files.iter().enumerate() {
            let origin = path.display().to_string();
            let (skipped, names) = &self.skipped[arg];
            let has_log = self.logs[arg].is_some() || !self.aggregated[arg].is_empty();
            if *skipped > 0 {
                if !has_log && path.is_dir() {
                    bail!(
                        "{origin}: no log in the directory ({skipped} file(s) read, none with a REPORT line, a log event or Logs Insights results)"
                    );
                }
                self.warnings.push(format!(
                    "{origin}: {skipped} file(s) that hold no log skipped ({}{})",
                    names.join(", "),
                    if *skipped > names.len() { ", ..." } else { "" }
                ));
            }
            let mode = naming.modes.get(modes).cloned().unwrap_or_default();
            let samples = std::mem::take(&mut self.samples[arg]);
            if samples.iter().any(|m| m.mode.is_empty()) {
                modes += 1;
            }
            for mut m in samples {
                if m.mode.is_empty() {
                    m.mode.clone_from(&mode);
                }
                self.slots.add_measured(m, &origin)?;
            }
            if let Some(groups) = self.logs[arg].take() {
                modes += 1;
                if groups.other_messages > 0 {
                    self.warnings.push(format!(
                        "{origin}: {} message(s) that are not REPORT lines skipped (START, END, the function's own)",
                        groups.other_messages
                    ));
                }
                let single = naming.group_by == crate::samples::groups::GroupBy::Input;
                for mut m in groups.into_measured() {
                    // One variant per log input takes the next --variant; grouped ones are
                    // named by their group.
                    if single && let Some(name) = naming.variants.get(logs) {
                        m.name = name.clone();
                    }
                    m.mode.clone_from(&mode);
                    self.slots.add_measured(m, &origin)?;
                }
                logs += 1;
            }
            let aggregated = std::mem::take(&mut self.aggregated[arg]);
            if !aggregated.is_empty() {
                modes += 1;
                for a in &aggregated {
                    let p = crate::profile::Profile::from_aggregated(
                        a,
                        &mode,
                        arch.unwrap_or(crate::pricing::Arch::X86_64),
                        pricer,
                    );
                    self.warnings.extend(p.warnings.iter().cloned());
                    self.slots.add_profile(p, &origin)?;
                }
            }
        }
        let default_arch = arch.unwrap_or(crate::pricing::Arch::X86_64);
        let (profiles, mut warnings) = self.slots.into_profiles(default_arch, pricer)?;
        self.warnings.append(&mut warnings);
        Ok(Inputs {
            profiles,
            warnings: self.warnings,
            logs,
        })
    }
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
    super::sources::input_name(path)
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
    fn add_profile(&mut self, profile: crate::profile::Profile, origin: &str) -> Result<()> {
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
                Slot::Summary(p) => profiles.push(*p),
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

/// Refuses variants whose build mode the modes file does not describe: a decision between
/// build modes cannot weigh one it knows nothing of.
pub fn require_known_modes(
    profiles: &[crate::profile::Profile],
    book: &crate::modes::ModeBook,
) -> Result<()> {
    if let Some(p) = profiles.iter().find(|p| !book.modes.contains_key(&p.mode)) {
        let known: Vec<&str> = book.modes.keys().map(String::as_str).collect();
        bail!(
            "{}: mode '{}' is not a build mode of the modes file ({}); --modes FILE describes other modes",
            p.name,
            p.mode,
            known.join(", ")
        );
    }
    Ok(())
}

/// Refuses variants without a build mode (a log or samples file read without `--mode`): a
/// decision between build modes needs each variant's.
pub fn require_modes(profiles: &[crate::profile::Profile]) -> Result<()> {
    if let Some(p) = profiles.iter().find(|p| p.mode.is_empty()) {
        bail!(
            "{}: no build mode; add --mode MODE (regular, readytorun, aot), one per log or samples file in order",
            p.name
        );
    }
    Ok(())
}
