//! Which function an invocation belongs to, and the variants one input is read into. Logs
//! name their function: a subscription's `logGroup` (`/aws/lambda/NAME`), an export's
//! directory, a log stream (`2024/05/01/[$LATEST]…`, `[3]` for a published version).
//! `--group-by` makes one variant per group; by default every input argument is one variant.

use crate::measurement::{Invocation, Malformed, Measured};

/// How invocations are gathered into variants.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum GroupBy {
    /// One variant per input argument (a file, a directory, standard input).
    #[default]
    Input,
    /// One variant per file, a directory's files apart.
    File,
    /// One per function: the log group, else the export's directory.
    LogGroup,
    /// One per function and version (`$LATEST`, `3`), from the log stream.
    Version,
    /// One per function and memory setting.
    Memory,
}

/// Where a message came from, as far as its input says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Context {
    /// The log group (`/aws/lambda/api`, or `123456789012:/aws/lambda/api` from Insights).
    pub log_group: Option<String>,
    /// The log stream (`2024/05/01/[$LATEST]0123abcd`).
    pub log_stream: Option<String>,
}

/// The function a log group is for: `/aws/lambda/NAME` gives NAME; any other name is kept.
pub fn function_of(log_group: &str) -> String {
    let name = log_group.rsplit_once(':').map_or(log_group, |(_, g)| g);
    match name.strip_prefix("/aws/lambda/") {
        Some(f) => f.to_string(),
        None => name.trim_matches('/').to_string(),
    }
}

/// The version a log stream was written by: `$LATEST` or a number, between brackets.
pub fn version_of(log_stream: &str) -> Option<String> {
    let open = log_stream.find('[')?;
    let close = log_stream[open..].find(']')? + open;
    Some(log_stream[open + 1..close].to_string())
}

/// The variant an invocation belongs to under `by`: `input` names the input argument's
/// variant, `file` the file within it.
pub fn key<'a>(
    by: GroupBy,
    input: &'a str,
    file: &'a str,
    ctx: &Context,
    inv: &Invocation,
) -> std::borrow::Cow<'a, str> {
    use std::borrow::Cow;
    let function = || {
        ctx.log_group
            .as_deref()
            .map_or_else(|| input.to_string(), function_of)
    };
    // The default names every invocation of an input alike: no string is made per line.
    match by {
        GroupBy::Input => Cow::Borrowed(input),
        GroupBy::File => Cow::Borrowed(file),
        GroupBy::LogGroup => Cow::Owned(function()),
        GroupBy::Version => Cow::Owned(match ctx.log_stream.as_deref().and_then(version_of) {
            Some(v) => format!("{}:{v}", function()),
            None => function(),
        }),
        GroupBy::Memory => Cow::Owned(match inv.memory_size_mb {
            Some(mb) => format!("{}-{mb}mb", function()),
            None => function(),
        }),
    }
}

/// The variants one input is read into, in order of first appearance, with what reading it
/// skipped: the file-level counts belong to the input, not to one of its groups.
#[derive(Debug)]
pub struct Groups {
    /// The measured variants.
    pub measured: Vec<Measured>,
    template: Measured,
    /// Unreadable lines or events.
    pub malformed: Malformed,
    /// Lambda Managed Instances reports left out.
    pub managed_instances: u64,
    /// Messages that are not REPORT lines (START, END, the function's own), in API JSON,
    /// subscription payloads and console CSV.
    pub other_messages: u64,
    /// The runtime named by an `INIT_START` line or event, if any.
    pub runtime: Option<String>,
    /// How the input was encoded, and where it was cut off, when it was.
    pub cut_off: Option<String>,
    /// Variants emptied by [`Groups::recycle`], whose memory a new one takes.
    spare: Vec<Measured>,
}

impl Groups {
    /// No variant yet; each new one is made like `template` (mode, architecture, origin,
    /// granularity), under its group's name.
    pub fn new(template: Measured) -> Groups {
        Groups {
            measured: Vec::new(),
            template,
            malformed: Malformed::default(),
            managed_instances: 0,
            other_messages: 0,
            runtime: None,
            cut_off: None,
            spare: Vec::new(),
        }
    }

    /// The variant of `name` at `memory_mb`: each memory size of a function is billed at its
    /// own GB-seconds, so a log whose function's memory was changed holds a variant per size.
    /// An invocation without a memory size joins the latest of its name.
    fn slot(&self, name: &str, memory_mb: Option<u32>) -> Option<usize> {
        // The last variant added to is the likely one: a log's lines come in runs.
        self.measured.iter().rposition(|m| {
            m.name == name
                && (memory_mb.is_none()
                    || m.memory_size_mb.is_none()
                    || m.memory_size_mb == memory_mb)
        })
    }

    /// Adds `inv` to the variant `name` at its memory size, made on first use.
    pub fn add(&mut self, name: &str, inv: &Invocation) {
        let i = match self.slot(name, inv.memory_size_mb) {
            Some(i) => i,
            None => {
                let m = match self.spare.pop() {
                    Some(mut m) => {
                        m.reuse_as(&self.template, name);
                        m
                    }
                    None => {
                        let mut m = self.template.clone();
                        m.name = name.to_string();
                        m
                    }
                };
                self.measured.push(m);
                self.measured.len() - 1
            }
        };
        self.measured[i].add(inv);
    }

    /// Every invocation read.
    pub fn count(&self) -> u64 {
        self.measured.iter().map(Measured::count).sum()
    }

    /// The variants, the input's counts and runtime carried by the first (so that each is
    /// reported once).
    pub fn into_measured(mut self) -> Vec<Measured> {
        for m in &mut self.measured {
            if m.runtime.is_none() {
                m.runtime.clone_from(&self.runtime);
            }
        }
        // A name measured at several memory sizes: a variant per size, each named for it.
        let sizes = |name: &str, all: &[Measured]| all.iter().filter(|m| m.name == name).count();
        let split: Vec<bool> = self
            .measured
            .iter()
            .map(|m| sizes(&m.name, &self.measured) > 1)
            .collect();
        for (m, split) in self.measured.iter_mut().zip(split) {
            if split && let Some(mb) = m.memory_size_mb {
                m.split_from = Some(m.name.clone());
                m.name = format!("{}-{mb}mb", m.name);
            }
        }
        if let Some(first) = self.measured.first_mut() {
            first.malformed.count += self.malformed.count;
            first.malformed.first.extend(self.malformed.first);
            first.managed_instances += self.managed_instances;
        }
        self.measured
    }

    /// Why a log named on its own holds nothing, `what` being what was looked for (`REPORT
    /// line`); `None` when it holds invocations.
    pub fn why_empty(&self, what: &str) -> Option<String> {
        if self.count() > 0 {
            return None;
        }
        Some(if let Some(cut) = &self.cut_off {
            cut.clone()
        } else if self.managed_instances > 0 {
            format!(
                "every {what} ({}) is of Lambda Managed Instances, which are billed by instance, not per invocation and GB-second",
                self.managed_instances
            )
        } else if self.malformed.count > 0 {
            format!("no readable {what} ({} malformed)", self.malformed.count)
        } else {
            format!("no invocations: no {what}s (is this a Lambda log?)")
        })
    }

    /// Adds what `other` (a block of the same input, read on another core) read, and leaves
    /// `other` empty with its memory kept for the next block.
    pub fn absorb(&mut self, other: &mut Groups) {
        self.malformed.count += other.malformed.count;
        for line in other.malformed.first.drain(..) {
            if self.malformed.first.len() < Malformed::KEPT {
                self.malformed.first.push(line);
            }
        }
        other.malformed.count = 0;
        self.managed_instances += std::mem::take(&mut other.managed_instances);
        self.other_messages += std::mem::take(&mut other.other_messages);
        let runtime = other.runtime.take();
        if self.runtime.is_none() {
            self.runtime = runtime;
        }
        for m in other.measured.drain(..) {
            match self.slot(&m.name, m.memory_size_mb) {
                Some(i) => self.measured[i].merge(&m),
                None => self.measured.push(m.clone()),
            }
            other.spare.push(m);
        }
        if self.cut_off.is_none() {
            self.cut_off = other.cut_off.take();
        }
    }

    /// Adds what `other` (another file of the same input) read.
    pub fn merge(&mut self, other: Groups) {
        self.malformed.count += other.malformed.count;
        for line in other.malformed.first {
            if self.malformed.first.len() < Malformed::KEPT {
                self.malformed.first.push(line);
            }
        }
        self.managed_instances += other.managed_instances;
        self.other_messages += other.other_messages;
        if self.runtime.is_none() {
            self.runtime = other.runtime;
        }
        for m in other.measured {
            match self.slot(&m.name, m.memory_size_mb) {
                Some(i) => self.measured[i].merge(&m),
                None => self.measured.push(m),
            }
        }
        if self.cut_off.is_none() {
            self.cut_off = other.cut_off;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_log_groups_and_streams() {
        assert_eq!(function_of("/aws/lambda/api"), "api");
        assert_eq!(function_of("123456789012:/aws/lambda/api"), "api");
        assert_eq!(function_of("my-app-logs"), "my-app-logs");
        assert_eq!(
            version_of("2024/05/01/[$LATEST]0123abcd").as_deref(),
            Some("$LATEST")
        );
        assert_eq!(version_of("2024/05/01/[3]0123abcd").as_deref(), Some("3"));
        assert_eq!(version_of("no-version"), None);
    }
}
