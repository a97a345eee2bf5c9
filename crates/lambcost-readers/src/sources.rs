//! The files behind the inputs a user names, read on every core: a directory is walked (its
//! files in name order), `-` is standard input, `@talk` an embedded data set. Files are
//! decoded and parsed in parallel, one worker per core unless `--threads` says otherwise,
//! and handed back in their order, so that what is merged from them, and every figure, is
//! the same whatever the number of threads. Workers stay a few files ahead of the merge at
//! most: memory does not grow with the number of files.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, mpsc};

/// Why the inputs named cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// An `@name` that names no embedded data set.
    #[error("{name}: no such file, nor an embedded data set (those are {})", known.join(", "))]
    NoDataSet {
        /// The name given.
        name: String,
        /// The embedded data sets.
        known: Vec<&'static str>,
    },
    /// A path that does not exist.
    #[error("{0}: cannot open: no such file or directory")]
    Missing(String),
    /// A directory that cannot be walked.
    #[error("{0}: cannot walk: {1}")]
    Walk(String, walkdir::Error),
    /// A directory with no file in it.
    #[error("{0}: the directory holds no file, so no log")]
    EmptyDirectory(String),
    /// A file that cannot be opened.
    #[error("{0}: cannot open: {1}")]
    Open(String, std::io::Error),
    /// The same file named twice: its invocations would count twice.
    #[error("{0}: named twice (as {1}); give each input once")]
    Twice(String, String),
}

/// Where a source's bytes come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Place {
    /// Standard input.
    Stdin,
    /// An embedded data set (`@talk`).
    Embedded(lambcost_core::variant::Embedded),
    /// A file.
    File(PathBuf),
}

/// One file to read, and the input argument it belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    /// Which input argument (from 0).
    pub arg: usize,
    /// Where its bytes are.
    pub place: Place,
    /// Its path below the directory named, for a directory's file (`api/2024/.../000000.gz`).
    pub within: Option<PathBuf>,
    /// How messages name it: the path, `stdin`, `@talk`.
    pub origin: String,
}

/// The sources of `args`, in order: each file as it is, each directory's files in name order.
pub fn expand(args: &[PathBuf]) -> Result<Vec<Source>, SourceError> {
    refuse_twice(args)?;
    let mut out = Vec::new();
    for (arg, path) in args.iter().enumerate() {
        let origin = path.display().to_string();
        if path.as_os_str() == "-" {
            out.push(Source {
                arg,
                place: Place::Stdin,
                within: None,
                origin: "stdin".to_string(),
            });
            continue;
        }
        if !path.exists() {
            let name = path.to_string_lossy();
            if let Some(e) = lambcost_core::variant::embedded(&name) {
                out.push(Source {
                    arg,
                    place: Place::Embedded(e),
                    within: None,
                    origin,
                });
                continue;
            }
            if name.starts_with('@') {
                return Err(SourceError::NoDataSet {
                    name: name.into_owned(),
                    known: lambcost_core::variant::EMBEDDED
                        .iter()
                        .map(|e| e.name)
                        .collect(),
                });
            }
            return Err(SourceError::Missing(origin));
        }
        if path.is_dir() {
            let before = out.len();
            for entry in walkdir::WalkDir::new(path).sort_by_file_name() {
                let entry = entry.map_err(|e| SourceError::Walk(origin.clone(), e))?;
                if entry.file_type().is_file() {
                    let within = entry
                        .path()
                        .strip_prefix(path)
                        .unwrap_or(entry.path())
                        .to_path_buf();
                    out.push(Source {
                        arg,
                        place: Place::File(entry.path().to_path_buf()),
                        within: Some(within),
                        origin: entry.path().display().to_string(),
                    });
                }
            }
            if out.len() == before {
                return Err(SourceError::EmptyDirectory(origin));
            }
        } else {
            out.push(Source {
                arg,
                place: Place::File(path.clone()),
                within: None,
                origin,
            });
        }
    }
    Ok(out)
}

/// The bytes of a source.
pub fn open(source: &Source) -> Result<Box<dyn std::io::Read + Send>, SourceError> {
    Ok(match &source.place {
        Place::Stdin => Box::new(std::io::stdin()),
        Place::Embedded(e) => Box::new(e.csv.as_bytes()),
        Place::File(p) => Box::new(
            std::fs::File::open(p).map_err(|e| SourceError::Open(source.origin.clone(), e))?,
        ),
    })
}

/// How many workers read at once: `threads`, or one per core when it is 0.
pub fn workers(threads: usize, sources: usize) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let n = if threads == 0 { cores } else { threads };
    n.clamp(1, sources.max(1))
}

/// Reads every source with `read` on `threads` workers and hands each result to `merge` in
/// the sources' order. Stops at the first error `merge` returns (the workers stop too).
pub fn read_all<T: Send, E>(
    sources: &[Source],
    threads: usize,
    read: impl Fn(&Source) -> T + Sync,
    mut merge: impl FnMut(&Source, T) -> Result<(), E>,
) -> Result<(), E> {
    let workers = workers(threads, sources.len());
    if workers == 1 {
        for s in sources {
            merge(s, read(s))?;
        }
        return Ok(());
    }
    // Workers may run this many sources ahead of the merge, and no further.
    let window = 2 * workers;
    let next = AtomicUsize::new(0);
    let merged = Mutex::new(0usize);
    let moved = Condvar::new();
    let stop = AtomicBool::new(false);
    let (send, receive) = mpsc::channel::<(usize, T)>();
    std::thread::scope(|scope| -> Result<(), E> {
        for _ in 0..workers {
            let send = send.clone();
            let (next, merged, moved, stop, read) = (&next, &merged, &moved, &stop, &read);
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    if i >= sources.len() {
                        return;
                    }
                    {
                        let mut done = merged.lock().unwrap_or_else(|p| p.into_inner());
                        while i >= *done + window && !stop.load(Ordering::SeqCst) {
                            done = moved.wait(done).unwrap_or_else(|p| p.into_inner());
                        }
                    }
                    if stop.load(Ordering::SeqCst) || send.send((i, read(&sources[i]))).is_err() {
                        return;
                    }
                }
            });
        }
        drop(send);
        let mut waiting: BTreeMap<usize, T> = BTreeMap::new();
        let mut at = 0usize;
        let mut outcome = Ok(());
        for (i, result) in receive {
            waiting.insert(i, result);
            while let Some(result) = waiting.remove(&at) {
                if outcome.is_ok() {
                    outcome = merge(&sources[at], result);
                }
                at += 1;
                *merged.lock().unwrap_or_else(|p| p.into_inner()) = at;
                moved.notify_all();
            }
            if outcome.is_err() {
                stop.store(true, Ordering::SeqCst);
                moved.notify_all();
            }
        }
        outcome
    })
}

/// Refuses a file (or directory) named twice, under any spelling (`a.log`, `./a.log`, a link):
/// its invocations would be counted twice.
fn refuse_twice(args: &[PathBuf]) -> Result<(), SourceError> {
    let mut seen: Vec<(PathBuf, &PathBuf)> = Vec::new();
    for path in args {
        if path.as_os_str() == "-" {
            continue;
        }
        let Ok(real) = std::fs::canonicalize(path) else {
            continue;
        };
        if let Some((_, first)) = seen.iter().find(|(r, _)| *r == real) {
            return Err(SourceError::Twice(
                path.display().to_string(),
                first.display().to_string(),
            ));
        }
        seen.push((real, path));
    }
    Ok(())
}

/// The default names of the arguments' variants: each one's stem ([`input_name`]), or, where
/// two share a stem (`a/fn.log`, `b/fn.log`), the shortest end of their paths that tells them
/// apart (`a/fn`, `b/fn`).
pub fn variant_names(args: &[PathBuf]) -> Vec<String> {
    let parts: Vec<Vec<String>> = args
        .iter()
        .map(|arg| {
            let mut parts: Vec<String> = arg
                .parent()
                .map(|p| {
                    p.components()
                        .filter_map(|c| match c {
                            std::path::Component::Normal(n) => {
                                Some(n.to_string_lossy().into_owned())
                            }
                            _ => None,
                        })
                        .collect()
                })
                .unwrap_or_default();
            parts.push(input_name(arg));
            parts
        })
        .collect();
    let tail = |p: &Vec<String>, n: usize| p[p.len().saturating_sub(n)..].join("/");
    let mut depth = vec![1usize; args.len()];
    loop {
        let names: Vec<String> = parts.iter().zip(&depth).map(|(p, &d)| tail(p, d)).collect();
        let mut grew = false;
        for i in 0..args.len() {
            let clash = (0..args.len()).any(|j| j != i && names[j] == names[i]);
            if clash && depth[i] < parts[i].len() {
                depth[i] += 1;
                grew = true;
            }
        }
        if !grew {
            return names;
        }
    }
}

/// The default name of a source's variant: the input argument's file stem, or the
/// directory's name.
pub fn input_name(arg: &Path) -> String {
    if arg.as_os_str() == "-" {
        return "stdin".to_string();
    }
    if arg.is_dir() {
        return arg
            .file_name()
            .map_or_else(|| "logs".to_string(), |n| n.to_string_lossy().into_owned());
    }
    // `api.log.gz` is `api`: a compressed file is named for what it holds.
    let mut name = arg.to_path_buf();
    while name
        .extension()
        .is_some_and(|e| matches!(e.to_str(), Some("gz" | "zst" | "zstd" | "b64")))
    {
        name.set_extension("");
    }
    name.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "variant".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_inputs_of_one_stem_are_told_apart_by_their_paths() {
        let names =
            |args: &[&str]| variant_names(&args.iter().map(PathBuf::from).collect::<Vec<_>>());
        assert_eq!(names(&["a/fn.log", "b/fn.log"]), ["a/fn", "b/fn"]);
        assert_eq!(
            names(&["x/a/fn.log.gz", "y/a/fn.log"]),
            ["x/a/fn", "y/a/fn"]
        );
        assert_eq!(names(&["before/fn.log", "after.log"]), ["fn", "after"]);
        assert_eq!(names(&["fn.log", "logs/fn.log"]), ["fn", "logs/fn"]);
        assert_eq!(names(&["-", "api.log"]), ["stdin", "api"]);
    }

    #[test]
    fn results_come_back_in_order_whatever_the_threads() {
        let sources: Vec<Source> = (0..40)
            .map(|i| Source {
                arg: 0,
                place: Place::Stdin,
                within: None,
                origin: format!("s{i}"),
            })
            .collect();
        for threads in [1, 2, 3, 8] {
            let mut seen = Vec::new();
            read_all(
                &sources,
                threads,
                |s| {
                    // Uneven work: later sources finish first.
                    let n: usize = s.origin[1..].parse().unwrap_or(0);
                    std::thread::sleep(std::time::Duration::from_micros(((40 - n) * 50) as u64));
                    n
                },
                |_, n| {
                    seen.push(n);
                    Ok::<(), &str>(())
                },
            )
            .expect("read");
            assert_eq!(seen, (0..40).collect::<Vec<_>>(), "{threads} threads");
        }
        // An error stops the merge there.
        let mut count = 0;
        let r = read_all(
            &sources,
            4,
            |_| (),
            |_, ()| {
                count += 1;
                if count == 5 { Err("stop") } else { Ok(()) }
            },
        );
        assert!(r.is_err());
        assert_eq!(count, 5);
    }
}
