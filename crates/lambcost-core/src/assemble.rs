//! The variants a command works on, assembled from what its inputs held: the program's data
//! model for inputs.
//!
//! Each input argument (a file, a directory of files, standard input) is read by the readers
//! into a [`Loaded`]; the assembly takes them in the arguments' order and makes one profile
//! per variant:
//! - a summary table's rows are variants as they stand, and a name may be given only once;
//! - the logs of one argument (a directory's files together) are one variant, unless
//!   `--group-by` splits them; each such argument takes the next `--variant` name (else its
//!   file's stem) and the next `--mode`, as do a samples file without modes and a Logs
//!   Insights result;
//! - measurements of one name from several arguments are merged;
//! - a directory's file that holds no log is skipped and counted, where a file named on its
//!   own that holds none is refused.
//!
//! Pure: the readers hand over what they read, in order; nothing here opens a file.

use crate::cost::Pricer;
use crate::grouping::{GroupBy, Groups};
use crate::measurement::{Aggregated, Measured};
use crate::modes::ModeBook;
use crate::pricing::Arch;
use crate::profile::{Profile, ProfileError};
use crate::variant::Variant;

/// What one input held.
#[derive(Debug)]
pub enum Loaded {
    /// Variants from a summary table.
    Summary(Vec<Variant>),
    /// Measured variants from a samples file (it names its variants).
    Samples(Vec<Measured>),
    /// The variants of a log (one, named by the caller, unless `--group-by` splits it).
    Log(Box<Groups>),
    /// Functions as Logs Insights summarised them.
    Aggregated(Vec<Aggregated>),
    /// Nothing lambcost reads (empty, binary), and why: an error for a file named on its
    /// own, a file skipped in a directory.
    NotALog(String),
}

/// One input argument as the user gave it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Argument {
    /// How it is named in messages (its path, `stdin`).
    pub shown: String,
    /// Whether it is a directory, whose files are read together.
    pub directory: bool,
}

/// Where one part of an input came from: its argument, and its file within a directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Part {
    /// The index of its argument.
    pub arg: usize,
    /// Its path within its directory, for a directory's file.
    pub within: Option<String>,
    /// How it is named in messages.
    pub origin: String,
}

/// How the variants of logs are named and priced.
#[derive(Clone, Copy, Debug)]
pub struct Naming<'a> {
    /// Variant names for the log inputs, in order (else each file's stem); names beyond the
    /// logs choose among the variants read.
    pub variants: &'a [String],
    /// Build modes for the log inputs, in order.
    pub modes: &'a [String],
    /// The architectures to price every variant on: none keeps each variant's own, several
    /// price each variant on each.
    pub archs: &'a [Arch],
    /// How log invocations are gathered into variants.
    pub group_by: GroupBy,
}

/// Why the inputs do not make a set of variants.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AssemblyError {
    /// A file named on its own holds nothing lambcost reads, or a log without invocations.
    #[error("{origin}: {why}")]
    Nothing {
        /// The input.
        origin: String,
        /// What it holds instead.
        why: String,
    },
    /// A directory none of whose files is a log.
    #[error(
        "{origin}: no log in the directory ({skipped} file(s) read, none with a REPORT line, a log event or Logs Insights results)"
    )]
    NoLogInDirectory {
        /// The directory.
        origin: String,
        /// Files read.
        skipped: usize,
    },
    /// A summary row's name given again.
    #[error("{origin}: variant '{name}' is already in another input; give each variant one name")]
    Duplicate {
        /// The input that gives it again.
        origin: String,
        /// The name.
        name: String,
    },
    /// Measurements under the name of a summary row.
    #[error(
        "{origin}: variant '{name}' is also a row of a summary table; give the measurements another name (--variant)"
    )]
    MeasuredSummaryName {
        /// The input of the measurements.
        origin: String,
        /// The name.
        name: String,
    },
    /// Measurements that make no profile.
    #[error(transparent)]
    Profile(#[from] ProfileError),
    /// A `--variant` that names nothing read.
    #[error("--variant: '{name}' is not in the data; known variants: {}", known.join(", "))]
    UnknownVariant {
        /// The name given.
        name: String,
        /// The variants read.
        known: Vec<String>,
    },
    /// A `--mode` that the modes file does not describe.
    #[error("--mode: '{mode}' is not a build mode; accepted: {}", known.join(", "))]
    UnknownMode {
        /// The mode given.
        mode: String,
        /// The modes of the book.
        known: Vec<String>,
    },
    /// A variant whose mode the modes file does not describe.
    #[error(
        "{variant}: mode '{mode}' is not a build mode of the modes file ({}); --modes FILE describes other modes",
        known.join(", ")
    )]
    ModeNotInBook {
        /// The variant.
        variant: String,
        /// Its mode.
        mode: String,
        /// The modes of the book.
        known: Vec<String>,
    },
    /// A variant without a mode where a decision needs one.
    #[error(
        "{0}: no build mode; add --mode MODE (regular, readytorun, aot), one per log or samples file in order"
    )]
    NoMode(String),
}

/// The assembled variants, with what the user should know about the data.
#[derive(Debug)]
pub struct Assembled {
    /// One profile per variant, in order of first appearance.
    pub profiles: Vec<Profile>,
    /// Warnings about the data (malformed lines skipped, changed memory sizes, ...).
    pub warnings: Vec<String>,
    /// How many arguments were logs (each takes the next `--variant` name).
    pub logs: usize,
}

impl Assembled {
    /// The variants of a summary table on its own (the embedded data set), as assembled.
    pub fn of_variants(variants: &[Variant], pricer: &Pricer<'_>) -> Assembled {
        let profiles: Vec<Profile> = variants
            .iter()
            .map(|v| Profile::from_variant(v, pricer))
            .collect();
        Assembled {
            warnings: profiles.iter().flat_map(|p| p.warnings.clone()).collect(),
            profiles,
            logs: 0,
        }
    }

    /// The variants `naming` asks for: names beyond the logs' choose among those read, and
    /// each is priced on the architectures given.
    pub fn select(mut self, naming: &Naming<'_>) -> Result<Assembled, AssemblyError> {
        if naming.variants.len() > self.logs {
            keep_named(&mut self.profiles, naming.variants)?;
        }
        self.profiles = on_archs(self.profiles, naming.archs);
        Ok(self)
    }
}

/// What the inputs held so far, by argument.
#[derive(Debug)]
pub struct Assembly {
    arguments: Vec<Argument>,
    slots: Slots,
    /// Each argument's log variants, gathered over its files.
    logs: Vec<Option<Groups>>,
    /// Insights aggregates per argument.
    aggregated: Vec<Vec<Aggregated>>,
    /// Samples files' variants per argument (a samples file without modes takes the next
    /// `--mode`, as a log does).
    samples: Vec<Vec<Measured>>,
    /// Files of a directory that hold no log, per argument: how many, the first few.
    skipped: Vec<(usize, Vec<String>)>,
    warnings: Vec<String>,
}

impl Assembly {
    /// Nothing read yet of `arguments`.
    pub fn new(arguments: Vec<Argument>) -> Assembly {
        let n = arguments.len();
        Assembly {
            arguments,
            slots: Slots::default(),
            logs: (0..n).map(|_| None).collect(),
            aggregated: (0..n).map(|_| Vec::new()).collect(),
            samples: (0..n).map(|_| Vec::new()).collect(),
            skipped: vec![(0, Vec::new()); n],
            warnings: Vec::new(),
        }
    }

    fn skip(&mut self, part: &Part) {
        let (count, names) = &mut self.skipped[part.arg];
        *count += 1;
        if names.len() < 3 {
            names.push(part.within.clone().unwrap_or_default());
        }
    }

    /// Adds what `part` held; parts come in the arguments' order.
    pub fn add(
        &mut self,
        part: &Part,
        loaded: Loaded,
        pricer: &Pricer<'_>,
    ) -> Result<(), AssemblyError> {
        let in_directory = part.within.is_some();
        let nothing = |why: String| AssemblyError::Nothing {
            origin: part.origin.clone(),
            why,
        };
        match loaded {
            Loaded::NotALog(_) if in_directory => self.skip(part),
            Loaded::NotALog(why) => return Err(nothing(why)),
            Loaded::Summary(variants) => {
                for v in &variants {
                    let p = Profile::from_variant(v, pricer);
                    self.warnings.extend(p.warnings.iter().cloned());
                    self.slots.add_profile(p, &part.origin)?;
                }
            }
            Loaded::Samples(list) => self.samples[part.arg].extend(list),
            Loaded::Aggregated(list) => self.aggregated[part.arg].extend(list),
            // A file of a directory cut before its first invocation is said, not skipped as
            // if it held no log.
            Loaded::Log(groups) if groups.count() == 0 && in_directory => match &groups.cut_off {
                Some(cut) => self.warnings.push(format!("{}: {cut}", part.origin)),
                None => self.skip(part),
            },
            Loaded::Log(groups) => {
                if let Some(why) = groups.why_empty("REPORT line") {
                    return Err(nothing(why));
                }
                if let Some(cut) = &groups.cut_off {
                    self.warnings.push(format!("{}: {cut}", part.origin));
                }
                match &mut self.logs[part.arg] {
                    Some(all) => all.merge(*groups),
                    slot @ None => *slot = Some(*groups),
                }
            }
        }
        Ok(())
    }

    /// Names the log variants (`--variant` and `--mode` in order, one per log argument),
    /// and makes every profile.
    pub fn finish(
        mut self,
        naming: &Naming<'_>,
        pricer: &Pricer<'_>,
    ) -> Result<Assembled, AssemblyError> {
        let arch = naming.archs.first().copied();
        let mut logs = 0usize;
        let mut modes = 0usize;
        for arg in 0..self.arguments.len() {
            self.note_skipped(arg)?;
            let origin = self.arguments[arg].shown.clone();
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
                self.add_log(groups, naming, naming.variants.get(logs), &mode, &origin)?;
                logs += 1;
            }
            let aggregated = std::mem::take(&mut self.aggregated[arg]);
            if !aggregated.is_empty() {
                modes += 1;
                for a in &aggregated {
                    let p =
                        Profile::from_aggregated(a, &mode, arch.unwrap_or(Arch::X86_64), pricer);
                    self.warnings.extend(p.warnings.iter().cloned());
                    self.slots.add_profile(p, &origin)?;
                }
            }
        }
        let (profiles, mut warnings) = self
            .slots
            .into_profiles(arch.unwrap_or(Arch::X86_64), pricer)?;
        self.warnings.append(&mut warnings);
        Assembled {
            profiles,
            warnings: self.warnings,
            logs,
        }
        .select(naming)
    }

    /// Says how many files of a directory held no log; refuses a directory none of whose
    /// files did.
    fn note_skipped(&mut self, arg: usize) -> Result<(), AssemblyError> {
        let (skipped, names) = &self.skipped[arg];
        if *skipped == 0 {
            return Ok(());
        }
        let argument = &self.arguments[arg];
        let has_log = self.logs[arg].is_some() || !self.aggregated[arg].is_empty();
        if !has_log && argument.directory {
            return Err(AssemblyError::NoLogInDirectory {
                origin: argument.shown.clone(),
                skipped: *skipped,
            });
        }
        self.warnings.push(format!(
            "{}: {skipped} file(s) that hold no log skipped ({}{})",
            argument.shown,
            names.join(", "),
            if *skipped > names.len() { ", ..." } else { "" }
        ));
        Ok(())
    }

    /// One argument's log variants: one takes the next `--variant` (`name`), grouped ones
    /// are named by their group; all take `mode`.
    fn add_log(
        &mut self,
        groups: Groups,
        naming: &Naming<'_>,
        name: Option<&String>,
        mode: &str,
        origin: &str,
    ) -> Result<(), AssemblyError> {
        if groups.other_messages > 0 {
            self.warnings.push(format!(
                "{origin}: {} message(s) that are not REPORT lines skipped (START, END, the function's own)",
                groups.other_messages
            ));
        }
        let single = naming.group_by == GroupBy::Input;
        let mut measured = groups.into_measured();
        for m in &mut measured {
            if single && let Some(name) = name {
                m.name = match (&m.split_from, m.memory_size_mb) {
                    (Some(_), Some(mb)) => format!("{name}-{mb}mb"),
                    _ => name.clone(),
                };
                if m.split_from.is_some() {
                    m.split_from = Some(name.clone());
                }
            }
            m.mode = mode.to_string();
        }
        self.warnings.extend(memory_splits(&measured, origin));
        for m in measured {
            self.slots.add_measured(m, origin)?;
        }
        Ok(())
    }
}

/// The variants read so far, in order of first appearance: a summary row, or measurements
/// that later inputs of the same name add to.
#[derive(Debug, Default)]
struct Slots(Vec<Slot>);

#[derive(Debug)]
enum Slot {
    Summary(Box<Profile>),
    Measured(Box<Measured>),
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
    fn add_profile(&mut self, profile: Profile, origin: &str) -> Result<(), AssemblyError> {
        if self.0.iter().any(|s| s.name() == profile.name) {
            return Err(AssemblyError::Duplicate {
                origin: origin.to_string(),
                name: profile.name,
            });
        }
        self.0.push(Slot::Summary(Box::new(profile)));
        Ok(())
    }

    fn add_measured(&mut self, m: Measured, origin: &str) -> Result<(), AssemblyError> {
        match self.0.iter_mut().find(|s| s.name() == m.name) {
            Some(Slot::Measured(existing)) => existing.merge(&m),
            Some(Slot::Summary(_)) => {
                return Err(AssemblyError::MeasuredSummaryName {
                    origin: origin.to_string(),
                    name: m.name,
                });
            }
            None => self.0.push(Slot::Measured(Box::new(m))),
        }
        Ok(())
    }

    /// Every variant's profile, with what its data warned of.
    fn into_profiles(
        self,
        default_arch: Arch,
        pricer: &Pricer<'_>,
    ) -> Result<(Vec<Profile>, Vec<String>), AssemblyError> {
        let mut profiles = Vec::new();
        let mut warnings = Vec::new();
        for slot in self.0 {
            match slot {
                Slot::Summary(p) => profiles.push(*p),
                Slot::Measured(m) => {
                    warnings.extend(measured_warnings(&m));
                    let p = Profile::from_measured(&m, default_arch, pricer)?;
                    warnings.extend(p.warnings.iter().cloned());
                    profiles.push(p);
                }
            }
        }
        Ok((profiles, warnings))
    }
}

/// What a log measured at several memory sizes became, in a sentence per function: each size
/// is billed at its own GB-seconds, so each is a variant of its own.
fn memory_splits(measured: &[Measured], origin: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut said: Vec<&str> = Vec::new();
    for m in measured {
        let Some(from) = m.split_from.as_deref() else {
            continue;
        };
        if said.contains(&from) {
            continue;
        }
        said.push(from);
        let parts: Vec<&Measured> = measured
            .iter()
            .filter(|o| o.split_from.as_deref() == Some(from))
            .collect();
        let sizes: Vec<String> = parts
            .iter()
            .filter_map(|p| p.memory_size_mb)
            .map(|mb| {
                format!(
                    "{} MB",
                    crate::format::grouped(rust_decimal::Decimal::from(mb), 0)
                )
            })
            .collect();
        out.push(format!(
            "{origin}: {from} ran at {}: its memory setting was changed, so each size is a variant of its own, billed at its own memory ({})",
            join_and(&sizes),
            parts.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(", ")
        ));
    }
    out
}

/// `a`, `a and b`, `a, b and c`.
fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// What reading a variant's measurements skipped: unreadable lines (the first few in full),
/// reports without a memory size, and Lambda Managed Instances reports.
fn measured_warnings(m: &Measured) -> Vec<String> {
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

/// `profiles` priced on `archs`: each on the one given, or each on every one given, a
/// variant's rows side by side; as they are when none is given.
pub fn on_archs(profiles: Vec<Profile>, archs: &[Arch]) -> Vec<Profile> {
    if archs.is_empty() {
        return profiles;
    }
    profiles
        .into_iter()
        .flat_map(|p| {
            archs.iter().map(move |arch| {
                let mut q = p.clone();
                if *arch != p.arch {
                    q.measured_arch = q.measured_arch.or(Some(p.arch));
                }
                q.arch = *arch;
                q
            })
        })
        .collect()
}

/// Keeps the profiles named in `names` (all when it is empty), or says which name is unknown.
pub fn keep_named(profiles: &mut Vec<Profile>, names: &[String]) -> Result<(), AssemblyError> {
    for name in names {
        if !profiles.iter().any(|p| &p.name == name) {
            return Err(AssemblyError::UnknownVariant {
                name: name.clone(),
                known: profiles.iter().map(|p| p.name.clone()).collect(),
            });
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
    book: &ModeBook,
) -> Result<(), AssemblyError> {
    for mode in given {
        if !book.modes.contains_key(mode) {
            return Err(AssemblyError::UnknownMode {
                mode: mode.clone(),
                known: book.modes.keys().cloned().collect(),
            });
        }
    }
    Ok(())
}

/// Refuses variants whose build mode the modes file does not describe: a decision between
/// build modes cannot weigh one it knows nothing of.
pub fn require_known_modes(profiles: &[Profile], book: &ModeBook) -> Result<(), AssemblyError> {
    match profiles.iter().find(|p| !book.modes.contains_key(&p.mode)) {
        Some(p) => Err(AssemblyError::ModeNotInBook {
            variant: p.name.clone(),
            mode: p.mode.clone(),
            known: book.modes.keys().cloned().collect(),
        }),
        None => Ok(()),
    }
}

/// Refuses variants without a build mode (a log or samples file read without `--mode`): a
/// decision between build modes needs each variant's.
pub fn require_modes(profiles: &[Profile]) -> Result<(), AssemblyError> {
    match profiles.iter().find(|p| p.mode.is_empty()) {
        Some(p) => Err(AssemblyError::NoMode(p.name.clone())),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{book, pricer};

    use crate::measurement::{Invocation, Phase, Status};

    /// A log of `warm` warm invocations of 10 ms at 512 MB, read as the variant `stem`.
    fn log(stem: &str, warm: u32) -> Loaded {
        let mut template = Measured::new(stem, "", stem);
        template.granularity_ms = 1;
        let mut groups = Groups::new(template);
        for _ in 0..warm {
            let inv = Invocation {
                phase: Phase::Warm,
                duration_ms: 10.0,
                init_ms: None,
                restore: false,
                billed_ms: Some(10),
                billed_restore_ms: None,
                memory_size_mb: Some(512),
                max_memory_used_mb: Some(60),
                status: Status::Success,
            };
            groups.add(stem, &inv);
        }
        Loaded::Log(Box::new(groups))
    }

    fn file(arg: usize, origin: &str) -> Part {
        Part {
            arg,
            within: None,
            origin: origin.to_string(),
        }
    }

    fn argument(shown: &str, directory: bool) -> Argument {
        Argument {
            shown: shown.to_string(),
            directory,
        }
    }

    #[test]
    fn each_log_takes_the_next_variant_and_mode() {
        let book = book();
        let pricer = pricer(&book);
        let mut a = Assembly::new(vec![argument("jit.log", false), argument("aot.log", false)]);
        a.add(&file(0, "jit.log"), log("jit", 3), &pricer)
            .expect("added");
        a.add(&file(1, "aot.log"), log("aot", 2), &pricer)
            .expect("added");
        let (variants, modes) = (
            ["regular-net8".to_string()],
            ["regular".to_string(), "aot".to_string()],
        );
        let naming = Naming {
            variants: &variants,
            modes: &modes,
            archs: &[],
            group_by: GroupBy::Input,
        };
        let done = a.finish(&naming, &pricer).expect("assembled");
        let named: Vec<(&str, &str, u64)> = done
            .profiles
            .iter()
            .map(|p| {
                (
                    p.name.as_str(),
                    p.mode.as_str(),
                    p.warm.as_ref().map_or(0, |w| w.samples),
                )
            })
            .collect();
        // One name for two logs: the first takes it, the second keeps its stem.
        assert_eq!(
            named,
            vec![("regular-net8", "regular", 3), ("aot", "aot", 2)]
        );
        assert_eq!(done.logs, 2);
    }

    #[test]
    fn a_directorys_files_are_one_variant_and_what_holds_no_log_is_skipped() {
        let book = book();
        let pricer = pricer(&book);
        let mut a = Assembly::new(vec![argument("logs", true)]);
        let part = |name: &str| Part {
            arg: 0,
            within: Some(name.to_string()),
            origin: format!("logs/{name}"),
        };
        a.add(&part("a.log"), log("logs", 2), &pricer)
            .expect("added");
        a.add(&part("notes.txt"), Loaded::NotALog("text".into()), &pricer)
            .expect("skipped");
        a.add(&part("b.log"), log("logs", 1), &pricer)
            .expect("added");
        let naming = Naming {
            variants: &[],
            modes: &[],
            archs: &[],
            group_by: GroupBy::Input,
        };
        let done = a.finish(&naming, &pricer).expect("assembled");
        assert_eq!(done.profiles.len(), 1);
        assert_eq!(done.profiles[0].warm.as_ref().map(|w| w.samples), Some(3));
        assert_eq!(
            done.warnings[0],
            "logs: 1 file(s) that hold no log skipped (notes.txt)"
        );
        // A directory of nothing but such files is refused.
        let mut a = Assembly::new(vec![argument("empty", true)]);
        a.add(&part("notes.txt"), Loaded::NotALog("text".into()), &pricer)
            .expect("skipped");
        assert_eq!(
            a.finish(&naming, &pricer).map(|d| d.logs),
            Err(AssemblyError::NoLogInDirectory {
                origin: "empty".into(),
                skipped: 1
            })
        );
    }

    #[test]
    fn a_file_named_on_its_own_must_hold_a_log() {
        let book = book();
        let pricer = pricer(&book);
        let mut a = Assembly::new(vec![argument("x.bin", false)]);
        let e = a
            .add(
                &file(0, "x.bin"),
                Loaded::NotALog("the input is binary".into()),
                &pricer,
            )
            .expect_err("refused");
        assert_eq!(e.to_string(), "x.bin: the input is binary");
        let e = a
            .add(&file(0, "x.log"), log("x", 0), &pricer)
            .expect_err("refused");
        assert_eq!(
            e.to_string(),
            "x.log: no invocations: no REPORT lines (is this a Lambda log?)"
        );
    }

    #[test]
    fn names_beyond_the_logs_choose_and_an_unknown_one_is_named() {
        let book = book();
        let pricer = pricer(&book);
        let mut a = Assembly::new(vec![argument("a.log", false), argument("b.log", false)]);
        a.add(&file(0, "a.log"), log("a", 1), &pricer)
            .expect("added");
        a.add(&file(1, "b.log"), log("b", 1), &pricer)
            .expect("added");
        let names = ["a".to_string(), "b".to_string(), "c".to_string()];
        let naming = Naming {
            variants: &names,
            modes: &[],
            archs: &[],
            group_by: GroupBy::Input,
        };
        assert_eq!(
            a.finish(&naming, &pricer).map(|d| d.logs),
            Err(AssemblyError::UnknownVariant {
                name: "c".into(),
                known: vec!["a".into(), "b".into()]
            })
        );
    }
}
