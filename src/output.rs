//! Writing a report where the user asked, without damaging what the name points at:
//!
//! - `-`, or no `--output`, is standard output;
//! - a regular file (or a name not yet taken) is written whole or not at all: into a
//!   temporary file in its directory, then renamed over it, so an interrupted or failed run
//!   never leaves half a file behind;
//! - through a symbolic link, the link's target is the file written (the link stays a link);
//! - a character device (`/dev/null`, `/dev/stdout`), a FIFO or a socket is opened and written
//!   directly: renaming over it would replace the device or the pipe with a plain file, and a
//!   FIFO's reader would get nothing;
//! - a directory, or a name in a directory that does not exist, is refused in one line.

use anyhow::{Context, Result, bail};
use std::fs::File;
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path`, or to standard output when `path` is `None` or `-`.
///
/// A closed standard output (`lambcost compare big.log | head`) is not an error.
pub fn emit(bytes: &[u8], path: Option<&Path>) -> Result<()> {
    match path.filter(|p| p.as_os_str() != "-") {
        None => {
            let mut out = std::io::stdout().lock();
            match out.write_all(bytes).and_then(|()| out.flush()) {
                Err(e) if e.kind() != ErrorKind::BrokenPipe => {
                    Err(e).context("cannot write to standard output")
                }
                _ => Ok(()),
            }
        }
        Some(path) => write_atomically(path, bytes),
    }
}

/// Writes `bytes` to `path` whole or not at all (directly, to a device or a pipe).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut file = AtomicFile::create(path)?;
    file.write_all(bytes)
        .with_context(|| format!("{}: cannot write", path.display()))?;
    file.commit()
}

/// Where the bytes for a path go.
enum Target {
    /// Standard output.
    Stdout,
    /// A device, a FIFO or a socket, opened as it is.
    Direct(PathBuf),
    /// A regular file, or a name not yet taken: `real` is the file itself (a link's target).
    Replace(PathBuf),
}

/// What `path` is, and so how it is written; a directory or a missing directory refused.
fn target(path: &Path) -> Result<Target> {
    let shown = path.display();
    if path.as_os_str() == "-" {
        return Ok(Target::Stdout);
    }
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => {
            bail!("{shown}: is a directory; give a file name to write to")
        }
        Ok(meta) if meta.is_file() => {
            let real = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
            Ok(Target::Replace(real))
        }
        Ok(_) => Ok(Target::Direct(path.to_path_buf())),
        Err(e) if e.kind() == ErrorKind::NotFound => {
            // A link to a file not yet made writes that file, in the link's target directory.
            let real = match std::fs::read_link(path) {
                Ok(to) if to.is_absolute() => to,
                Ok(to) => path.parent().unwrap_or(Path::new(".")).join(to),
                Err(_) => path.to_path_buf(),
            };
            let dir = match real.parent() {
                Some(p) if !p.as_os_str().is_empty() => p,
                _ => Path::new("."),
            };
            if !dir.is_dir() {
                if dir.exists() {
                    bail!("{shown}: {} is not a directory", dir.display());
                }
                bail!(
                    "{shown}: the directory {} does not exist; create it first or write elsewhere",
                    dir.display()
                );
            }
            Ok(Target::Replace(real))
        }
        Err(e) => bail!("{shown}: cannot write there: {e}"),
    }
}

/// A file that appears at its path only when committed: until then its content goes to a
/// temporary file beside it, removed if the program stops first. A device, a pipe or
/// standard output is written as the bytes come.
pub struct AtomicFile {
    shown: PathBuf,
    sink: Sink,
}

enum Sink {
    Temp {
        real: PathBuf,
        temp: tempfile::NamedTempFile,
    },
    Direct(File),
    Stdout(std::io::Stdout),
}

impl AtomicFile {
    /// Prepares to write `path` (refusing a directory or a place that cannot be written).
    pub fn create(path: &Path) -> Result<AtomicFile> {
        let shown = path.display();
        let sink = match target(path)? {
            Target::Stdout => Sink::Stdout(std::io::stdout()),
            Target::Direct(p) => Sink::Direct(
                std::fs::OpenOptions::new()
                    .write(true)
                    .open(&p)
                    .with_context(|| format!("{shown}: cannot open for writing"))?,
            ),
            Target::Replace(real) => {
                let dir = match real.parent() {
                    Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                    _ => PathBuf::from("."),
                };
                // The temporary file's own name means nothing to the user: name the directory.
                let temp = tempfile::Builder::new()
                    .prefix(".lambcost-")
                    .tempfile_in(&dir)
                    .map_err(|e| {
                        let why = match e.kind() {
                            ErrorKind::NotFound => "it cannot hold files".to_string(),
                            ErrorKind::PermissionDenied => "permission denied".to_string(),
                            ErrorKind::ReadOnlyFilesystem => "read-only file system".to_string(),
                            kind => kind.to_string(),
                        };
                        anyhow::anyhow!("{shown}: cannot create a file in {}: {why}", dir.display())
                    })?;
                Sink::Temp { real, temp }
            }
        };
        Ok(AtomicFile {
            shown: path.to_path_buf(),
            sink,
        })
    }

    /// Puts the file in place (a device or a pipe: flushes what was written).
    pub fn commit(self) -> Result<()> {
        let shown = self.shown.display().to_string();
        match self.sink {
            Sink::Temp { real, temp } => {
                // A temporary file is private (0600); the output is an ordinary file (0644).
                use std::os::unix::fs::PermissionsExt;
                temp.as_file()
                    .set_permissions(std::fs::Permissions::from_mode(0o644))
                    .with_context(|| format!("{shown}: cannot write"))?;
                temp.as_file()
                    .sync_all()
                    .with_context(|| format!("{shown}: cannot write"))?;
                temp.persist(&real)
                    .map_err(|e| e.error)
                    .with_context(|| format!("{shown}: cannot write"))?;
            }
            Sink::Direct(mut file) => file
                .flush()
                .with_context(|| format!("{shown}: cannot write"))?,
            Sink::Stdout(mut out) => match out.flush() {
                Err(e) if e.kind() != ErrorKind::BrokenPipe => {
                    return Err(e).context("cannot write to standard output");
                }
                _ => {}
            },
        }
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match &mut self.sink {
            Sink::Temp { temp, .. } => temp.write(buf),
            Sink::Direct(file) => file.write(buf),
            Sink::Stdout(out) => out.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.sink {
            Sink::Temp { temp, .. } => temp.flush(),
            Sink::Direct(file) => file.flush(),
            Sink::Stdout(out) => out.flush(),
        }
    }
}
