//! Writing a report where the user asked: standard output, or a file written whole (into a
//! temporary file beside it, then renamed), so an interrupted or failed run never leaves half
//! a file behind.

use anyhow::{Context, Result, bail};
use std::io::{ErrorKind, Write};
use std::path::Path;

/// Writes `text` to `path`, or to standard output when `path` is `None`.
///
/// A closed standard output (`lambcost compare big.log | head`) is not an error.
pub fn emit(text: &str, path: Option<&Path>) -> Result<()> {
    match path {
        None => {
            let mut out = std::io::stdout().lock();
            match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
                Err(e) if e.kind() != ErrorKind::BrokenPipe => {
                    Err(e).context("cannot write to standard output")
                }
                _ => Ok(()),
            }
        }
        Some(path) => write_atomically(path, text.as_bytes()),
    }
}

/// Writes `bytes` to `path` whole or not at all.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let shown = path.display();
    if path.is_dir() {
        bail!("{shown}: is a directory; give a file name to write to");
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut temp = tempfile::Builder::new()
        .prefix(".lambcost-")
        .tempfile_in(dir)
        .with_context(|| format!("{shown}: cannot write here"))?;
    temp.write_all(bytes)
        .and_then(|()| temp.as_file().sync_all())
        .with_context(|| format!("{shown}: cannot write"))?;
    temp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("{shown}: cannot write"))?;
    Ok(())
}
