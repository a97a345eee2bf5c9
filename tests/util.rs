//! A small harness: run lambcost in a directory of the test's own, and check what a failure
//! looks like (status 2, one line on standard error, nothing on standard output, no panic).

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

/// A check the machine cannot make (no LibreOffice, no control groups): fails when the
/// environment variable `require` is set (`.ci/run` sets it, so CI never skips), else says it
/// was skipped where `cargo test` shows it. The test harness captures `eprintln!`, but not a
/// write to the standard error handle itself.
pub fn skipped(what: &str, require: &str) {
    use std::io::Write;
    assert!(
        std::env::var_os(require).is_none(),
        "{what}: required ({require} is set) but this machine cannot check it"
    );
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED: {what} (set {require}=1 to make this a failure)"
    );
}

/// Builds the bundled handler beside the lambcost under test, once per test run: it is a
/// package of its own (the command line never compiles its async runtime), which `cargo
/// test` does not build, and `measure` runs it by default.
pub fn handler_built() {
    static BUILT: std::sync::OnceLock<()> = std::sync::OnceLock::new();
    BUILT.get_or_init(|| {
        let exe = Path::new(env!("CARGO_BIN_EXE_lambcost"));
        let profile_dir = exe.parent().expect("the binary's directory");
        let profile = match profile_dir.file_name().and_then(|n| n.to_str()) {
            Some("debug") | None => "dev",
            Some(other) => other,
        };
        // The same configuration (target, flags, target directory) puts it beside lambcost.
        let status = std::process::Command::new(env!("CARGO"))
            .args([
                "build",
                "--quiet",
                "-p",
                "lambcost-handler",
                "--profile",
                profile,
            ])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .expect("run cargo to build lambcost-handler");
        assert!(status.success(), "cargo build -p lambcost-handler failed");
        let handler = exe.with_file_name("lambcost-handler");
        assert!(handler.is_file(), "{}: not built", handler.display());
    });
}

/// The machine's cores: shared by the tests that only check answers, the whole of it for a
/// test that times CPU work (its figures are wrong when another test takes the core it runs on).
static CORES: RwLock<()> = RwLock::new(());

/// How much of the machine a test holds while it runs.
enum Cores {
    Shared(#[allow(dead_code)] RwLockReadGuard<'static, ()>),
    Whole(#[allow(dead_code)] RwLockWriteGuard<'static, ()>),
}

/// A test's own directory and a way to run lambcost in it.
pub struct Test {
    dir: tempfile::TempDir,
    _cores: Cores,
}

impl Test {
    pub fn new() -> Test {
        // A test that failed holding the lock says nothing about the others.
        Test::holding(Cores::Shared(
            CORES
                .read()
                .unwrap_or_else(|poisoned| poisoned.into_inner()),
        ))
    }

    /// A test that times CPU work: no other test runs beside it.
    pub fn timed() -> Test {
        Test::holding(Cores::Whole(
            CORES
                .write()
                .unwrap_or_else(|poisoned| poisoned.into_inner()),
        ))
    }

    fn holding(cores: Cores) -> Test {
        handler_built();
        Test {
            dir: tempfile::tempdir().expect("temporary directory"),
            _cores: cores,
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, text).expect("write fixture");
        p
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with(args, &[], &[])
    }

    /// As [`Test::run`], with `env` set and the variables `remove` names unset.
    pub fn run_with(&self, args: &[&str], env: &[(&str, &str)], remove: &[&str]) -> Run {
        let mut command = Command::cargo_bin("lambcost").expect("lambcost binary");
        for name in remove {
            command.env_remove(name);
        }
        let out = command
            .envs(env.iter().copied())
            .current_dir(self.dir.path())
            .env_remove("RUST_BACKTRACE")
            // A run inside GitHub Actions must not write the job's summary.
            .env_remove("GITHUB_STEP_SUMMARY")
            .args(args)
            .output()
            .expect("run lambcost");
        Run {
            status: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

/// What one run printed.
pub struct Run {
    pub status: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Answered "no" (exit status 1) after a full report on standard output.
    #[track_caller]
    pub fn answered_no(&self) -> &Run {
        assert_eq!(
            self.status,
            Some(1),
            "expected status 1; stdout:\n{}\nstderr:\n{}",
            self.stdout,
            self.stderr
        );
        assert!(!self.stdout.is_empty(), "the report comes before the no");
        self
    }

    #[track_caller]
    pub fn success(&self) -> &Run {
        assert_eq!(
            self.status,
            Some(0),
            "expected success; stderr:\n{}",
            self.stderr
        );
        self
    }

    /// Bad input: status 2, one line naming the problem, nothing else.
    #[track_caller]
    pub fn refused(&self, expected: &[&str]) -> &Run {
        assert_eq!(
            self.status,
            Some(2),
            "expected status 2; stdout:\n{}\nstderr:\n{}",
            self.stdout,
            self.stderr
        );
        assert_eq!(self.stdout, "", "nothing on standard output when refusing");
        let lines: Vec<&str> = self.stderr.lines().collect();
        assert_eq!(
            lines.len(),
            1,
            "one line on standard error, got:\n{}",
            self.stderr
        );
        assert!(lines[0].starts_with("lambcost: "), "{}", lines[0]);
        assert!(!self.stderr.contains("panicked"), "{}", self.stderr);
        assert!(!self.stderr.contains("backtrace"), "{}", self.stderr);
        self.said(expected)
    }

    /// Answered (status 0), saying each of `expected` on standard error.
    #[track_caller]
    pub fn warned(&self, expected: &[&str]) -> &Run {
        self.success().said(expected)
    }

    /// Says each of `expected` on standard error.
    #[track_caller]
    fn said(&self, expected: &[&str]) -> &Run {
        for e in expected {
            assert!(
                self.stderr.contains(e),
                "stderr lacks '{e}':\n{}",
                self.stderr
            );
        }
        self
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).expect("valid JSON on standard output")
    }
}

/// lambcost run as a user runs it on a terminal of `columns` columns: standard output and
/// standard error are pseudo-terminals of that size. Returns what was printed on each, line
/// ends as `\n`, and the exit status.
pub fn run_in_terminal(dir: &Path, args: &[&str], columns: u16) -> Run {
    handler_built();
    in_terminal(dir, args, columns, Some("1"), &[])
}

/// As [`run_in_terminal`], `NO_COLOR` set to `no_color` (or not set at all), and `env` set.
pub fn in_terminal(
    dir: &Path,
    args: &[&str],
    columns: u16,
    no_color: Option<&str>,
    env: &[(&str, &str)],
) -> Run {
    use nix::pty::{Winsize, openpty};
    use std::io::Read;
    let size = Winsize {
        ws_row: 50,
        ws_col: columns,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    let out = openpty(Some(&size), None).expect("a pseudo-terminal");
    let err = openpty(Some(&size), None).expect("a pseudo-terminal");
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_lambcost"));
    match no_color {
        Some(value) => command.env("NO_COLOR", value),
        None => command.env_remove("NO_COLOR"),
    };
    command.envs(env.iter().copied());
    let mut child = command
        .current_dir(dir)
        .env_remove("RUST_BACKTRACE")
        .env_remove("COLUMNS")
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::from(out.slave))
        .stderr(std::process::Stdio::from(err.slave))
        .spawn()
        .expect("run lambcost");
    // The command holds the terminals' child ends: closed here, the parent's reads end (EIO)
    // once the child is gone too.
    drop(command);
    // Each side is read to its end on its own thread, so that neither fills and blocks the
    // other; once the child is gone and its end closed, reading fails (EIO).
    let drain = |master: std::os::fd::OwnedFd| {
        std::thread::spawn(move || {
            let mut master = std::fs::File::from(master);
            let mut bytes = Vec::new();
            let mut chunk = [0u8; 65_536];
            while let Ok(n) = master.read(&mut chunk) {
                if n == 0 {
                    break;
                }
                bytes.extend_from_slice(&chunk[..n]);
            }
            String::from_utf8_lossy(&bytes).replace("\r\n", "\n")
        })
    };
    let (stdout, stderr) = (drain(out.master), drain(err.master));
    let status = child.wait().expect("lambcost ends");
    Run {
        status: status.code(),
        stdout: stdout.join().expect("stdout read"),
        stderr: stderr.join().expect("stderr read"),
    }
}
