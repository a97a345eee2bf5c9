//! One execution environment: the runtime process (and whatever it starts) in a process group
//! of its own, inside a control group when limits are enforced, with a Lambda-like
//! environment and nothing of lambcost's own. Dropping it kills every process it holds.

use super::cgroup::Group;
use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Lines the function printed, kept for messages about a failure.
const KEPT_OUTPUT_LINES: usize = 20;

/// Where the function's own output goes.
pub type OutputSink = Arc<Mutex<Box<dyn FnMut(&str) + Send>>>;

/// A running environment.
pub struct Environment {
    pgid: Pid,
    child: Option<Child>,
    group: Option<Group>,
    /// When the runtime's program was let start: the start of Init Duration.
    pub started: Instant,
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
    /// Starts the runtime. With a group, a shell holds the runtime's place until lambcost has
    /// moved it into the group, then becomes the runtime's program, so every byte the runtime
    /// allocates is counted against the limit. Init Duration starts when the shell is let go:
    /// moving a process into a group can wait for the kernel for tens of milliseconds, time
    /// the harness spends, not the function, and a clock read before the release can only
    /// count the runtime's start in full, never a part of it.
    pub fn start(
        spec: &Spec<'_>,
        group: Option<Group>,
        output: Option<OutputSink>,
    ) -> std::io::Result<Environment> {
        let mut command = match &group {
            Some(_) => {
                let mut c = Command::new("/bin/sh");
                c.arg("-c")
                    .arg(r#"read -r _; exec "$@" </dev/null"#)
                    .arg("lambcost-environment")
                    .args(spec.command)
                    .stdin(Stdio::piped());
                c
            }
            None => {
                let mut c = Command::new(&spec.command[0]);
                c.args(&spec.command[1..]).stdin(Stdio::null());
                c
            }
        };
        command
            .env_clear()
            .envs(spec.vars.iter().map(|(k, v)| (k, v)))
            .current_dir(spec.dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            // A group of its own: a terminal's Ctrl-C reaches lambcost alone, which then ends
            // the whole environment, and killing the group reaches the runtime's children.
            .process_group(0);
        // Without a group the spawn returns once the program is running: the clock starts
        // just before it.
        let started = Instant::now();
        let mut child = command.spawn()?;
        let pgid = Pid::from_raw(child.id() as i32);
        let recent = Arc::new(Mutex::new(std::collections::VecDeque::new()));
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
        for stream in streams.into_iter().flatten() {
            let recent = Arc::clone(&recent);
            let output = output.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
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
        let release = child.stdin.take();
        // From here on, dropping the environment (on an error too) kills the process.
        let mut env = Environment {
            pgid,
            child: Some(child),
            group,
            started,
            recent_output: recent,
            exit: None,
        };
        if let Some(mut release) = release {
            if let Some(group) = &env.group {
                group.join(env.pid())?;
            }
            env.started = Instant::now();
            release.write_all(b"\n")?;
        }
        Ok(env)
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
