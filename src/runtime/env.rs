//! One execution environment: the runtime process (and whatever it starts) in a process group
//! of its own, inside a control group when limits are enforced, with a Lambda-like
//! environment and nothing of lambcost's own. Dropping it kills every process it holds.

use super::cgroup::Group;
use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;
use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Lines the function printed, kept for messages about a failure.
const KEPT_OUTPUT_LINES: usize = 20;

/// What the joining shell prints just before it becomes the runtime.
const EXEC_MARK: &str = "lambcost-environment: exec";

/// Where the function's own output goes.
pub type OutputSink = Arc<Mutex<Box<dyn FnMut(&str) + Send>>>;

/// A running environment.
pub struct Environment {
    pgid: Pid,
    child: Option<Child>,
    group: Option<Group>,
    /// When the process was started.
    pub started: Instant,
    /// When the runtime's program was started, once known (with a control group, after the
    /// process joined it: moving a process into a group can wait for the kernel for tens of
    /// milliseconds, time the harness spends, not the function).
    exec: std::sync::mpsc::Receiver<Instant>,
    exec_at: Option<Instant>,
    /// The function's last lines of output.
    pub recent_output: Arc<Mutex<std::collections::VecDeque<String>>>,
    exit: Option<ExitStatus>,
}

/// What to start and how.
pub struct Spec<'a> {
    /// The program and its arguments.
    pub command: &'a [String],
    /// The complete environment of the process.
    pub vars: &'a [(String, String)],
    /// Working directory (the task root).
    pub dir: &'a PathBuf,
}

impl Environment {
    /// Starts the runtime. With a group, the process joins it before the runtime's program
    /// starts (a shell writes its pid into the group, then `exec`s the program), so every byte
    /// the runtime allocates is counted against the limit.
    pub fn start(
        spec: &Spec<'_>,
        group: Option<Group>,
        output: Option<OutputSink>,
    ) -> std::io::Result<Environment> {
        let mut command = match &group {
            Some(g) => {
                let mut c = Command::new("/bin/sh");
                c.arg("-c")
                    .arg(format!(
                        r#"while [ "$1" != "--" ]; do echo $$ > "$1" || exit 125; shift; done; shift; echo "{EXEC_MARK}"; exec "$@""#
                    ))
                    .arg("lambcost-environment");
                for f in g.procs_files() {
                    c.arg(f);
                }
                c.arg("--").args(spec.command);
                c
            }
            None => {
                let mut c = Command::new(&spec.command[0]);
                c.args(&spec.command[1..]);
                c
            }
        };
        command
            .env_clear()
            .envs(spec.vars.iter().map(|(k, v)| (k, v)))
            .current_dir(spec.dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            // A group of its own: a terminal's Ctrl-C reaches lambcost alone, which then ends
            // the whole environment, and killing the group reaches the runtime's children.
            .process_group(0);
        let started = Instant::now();
        let mut child = command.spawn()?;
        let pgid = Pid::from_raw(child.id() as i32);
        let recent = Arc::new(Mutex::new(std::collections::VecDeque::new()));
        let (exec_tx, exec_rx) = std::sync::mpsc::channel();
        let marked = group.is_some();
        let streams = [
            child
                .stdout
                .take()
                .map(|s| Box::new(s) as Box<dyn std::io::Read + Send>),
            child
                .stderr
                .take()
                .map(|s| Box::new(s) as Box<dyn std::io::Read + Send>),
        ];
        for (index, stream) in streams.into_iter().enumerate() {
            let Some(stream) = stream else { continue };
            let recent = Arc::clone(&recent);
            let output = output.clone();
            // Only standard output carries the joining shell's mark, as its first line.
            let exec_tx = (index == 0 && marked).then(|| exec_tx.clone());
            std::thread::spawn(move || {
                let mut lines = BufReader::new(stream).lines().map_while(Result::ok);
                let mut first = None;
                if let Some(tx) = exec_tx {
                    match lines.next() {
                        Some(line) if line == EXEC_MARK => {
                            let _ = tx.send(Instant::now());
                        }
                        other => first = other,
                    }
                }
                for line in first.into_iter().chain(lines) {
                    if let Some(out) = &output
                        && let Ok(mut write) = out.lock()
                    {
                        write(&line);
                    }
                    if let Ok(mut kept) = recent.lock() {
                        if kept.len() == KEPT_OUTPUT_LINES {
                            kept.pop_front();
                        }
                        kept.push_back(line);
                    }
                }
            });
        }
        if !marked {
            let _ = exec_tx.send(started);
        }
        Ok(Environment {
            pgid,
            child: Some(child),
            group,
            started,
            exec: exec_rx,
            exec_at: None,
            recent_output: recent,
            exit: None,
        })
    }

    /// When the runtime's program started: the start of Init Duration. Waits briefly for the
    /// joining shell's mark, which is read on another thread; falls back to the spawn.
    pub fn exec_started(&mut self) -> Instant {
        if self.exec_at.is_none() {
            self.exec_at = Some(
                self.exec
                    .recv_timeout(std::time::Duration::from_millis(200))
                    .unwrap_or(self.started),
            );
        }
        self.exec_at.unwrap_or(self.started)
    }

    /// Whether limits are enforced on this environment.
    pub fn limited(&self) -> bool {
        self.group.is_some()
    }

    /// The exit status, once the runtime process has ended.
    pub fn exited(&mut self) -> Option<ExitStatus> {
        if self.exit.is_none()
            && let Some(child) = self.child.as_mut()
            && let Ok(Some(status)) = child.try_wait()
        {
            self.exit = Some(status);
        }
        self.exit
    }

    /// Stops every process of the environment between invocations, as Lambda freezes it: no
    /// thread runs until the next event. A stop signal to the process group costs one system
    /// call; the cgroup freezer costs about 0.2 ms each way, too much for thousands of
    /// invocations a second.
    pub fn freeze(&self) {
        let _ = killpg(self.pgid, Signal::SIGSTOP);
    }

    /// Lets the environment run again.
    pub fn thaw(&self) {
        let _ = killpg(self.pgid, Signal::SIGCONT);
    }

    /// Peak memory of the environment so far, in whole MB (rounded up, as Lambda does): the
    /// larger of the control group's peak (every byte charged to the environment) and the
    /// resident high-water mark of its processes (which also counts the program's own file
    /// pages, charged to whoever first read them). Without a group, the runtime process's own.
    pub fn peak_mb(&self) -> Option<u32> {
        let pids = match &self.group {
            Some(g) => g.pids(),
            None => vec![self.pgid.as_raw()],
        };
        let resident: u64 = pids.iter().filter_map(|&pid| high_water_mark(pid)).sum();
        let charged = self.group.as_ref().and_then(Group::peak_bytes).unwrap_or(0);
        let bytes = resident.max(charged);
        (bytes > 0).then(|| bytes.div_ceil(1024 * 1024) as u32)
    }

    /// Whether the kernel killed a process of the environment for lack of memory.
    pub fn out_of_memory(&self) -> bool {
        self.group.as_ref().is_some_and(|g| g.oom_kills() > 0)
    }

    /// The pid of the runtime process.
    pub fn pid(&self) -> i32 {
        self.pgid.as_raw()
    }

    /// Kills every process of the environment and removes its control group.
    pub fn kill(&mut self) {
        if let Some(g) = &self.group {
            g.kill_all(Duration::from_secs(2));
        }
        let _ = killpg(self.pgid, Signal::SIGCONT);
        let _ = killpg(self.pgid, Signal::SIGKILL);
        if let Some(mut child) = self.child.take()
            && let Ok(status) = child.wait()
        {
            self.exit.get_or_insert(status);
        }
        if let Some(g) = self.group.take() {
            g.remove();
        }
    }
}

impl Drop for Environment {
    fn drop(&mut self) {
        self.kill();
    }
}

/// `VmHWM` of a process: its peak resident memory, in bytes.
fn high_water_mark(pid: i32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb * 1024)
}
