//! Writing a report where the user asked: standard output, or a file written whole (into a
//! temporary file beside it, then renamed), so an interrupted or failed run never leaves half
//! a file behind.

use anyhow::{Context, Result, bail};
use std::io::{ErrorKind, Write};
use std::path::Path;

/// Writes `bytes` to `path`, or to standard output when `path` is `None`.
///
/// A closed standard output (`lambcost compare big.log | head`) is not an error.
pub fn emit(bytes: &[u8], path: Option<&Path>) -> Result<()> {
    match path {
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

/// Writes `bytes` to `path` whole or not at all.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut file = AtomicFile::create(path)?;
    file.write_all(bytes)
        .with_context(|| format!("{}: cannot write", path.display()))?;
    file.commit()
}

/// A file that appears at its path only when committed: until then its content goes to a
/// temporary file beside it, removed if the program stops first.
pub struct AtomicFile {
    path: std::path::PathBuf,
    temp: tempfile::NamedTempFile,
}

impl AtomicFile {
    /// Prepares to write `path` (refusing a directory or a place that cannot be written).
    pub fn create(path: &Path) -> Result<AtomicFile> {
        let shown = path.display();
        if path.is_dir() {
            bail!("{shown}: is a directory; give a file name to write to");
        }
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        if !dir.exists() {
            bail!(
                "{shown}: the directory {} does not exist; create it first or write elsewhere",
                dir.display()
            );
        }
        if !dir.is_dir() {
            bail!("{shown}: {} is not a directory", dir.display());
        }
        // The temporary file's own name means nothing to the user: name the directory.
        let temp = tempfile::Builder::new()
            .prefix(".lambcost-")
            .tempfile_in(dir)
            .map_err(|e| {
                // In words, without the temporary file's name.
                let why = match e.kind() {
                    std::io::ErrorKind::NotFound => "it cannot hold files".to_string(),
                    std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
                    std::io::ErrorKind::ReadOnlyFilesystem => "read-only file system".to_string(),
                    kind => kind.to_string(),
                };
                anyhow::anyhow!("{shown}: cannot create a file in {}: {why}", dir.display())
            })?;
        Ok(AtomicFile {
            path: path.to_path_buf(),
            temp,
        })
    }

    /// Puts the file in place.
    pub fn commit(self) -> Result<()> {
        let shown = self.path.display().to_string();
        // A temporary file is private (0600); the output is an ordinary file (0644).
        use std::os::unix::fs::PermissionsExt;
        self.temp
            .as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))
            .with_context(|| format!("{shown}: cannot write"))?;
        self.temp
            .as_file()
            .sync_all()
            .with_context(|| format!("{shown}: cannot write"))?;
        self.temp
            .persist(&self.path)
            .map_err(|e| e.error)
            .with_context(|| format!("{shown}: cannot write"))?;
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.temp.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.temp.flush()
    }
}
