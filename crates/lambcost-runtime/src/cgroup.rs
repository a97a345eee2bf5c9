//! Lambda's resource shape with Linux control groups: a memory limit equal to the memory
//! setting, a CPU quota of memory/1769 of one CPU in every 20 ms, the peak memory of every
//! process of the environment, and killing the whole group.
//!
//! Both hierarchies are supported: cgroup v2 (`memory.max`, `memory.peak`, `cpu.max`,
//! `cgroup.kill`) and v1 (`memory.limit_in_bytes`, `memory.max_usage_in_bytes`,
//! `cpu.cfs_quota_us`), as mounted under `/sys/fs/cgroup`.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const ROOT: &str = "/sys/fs/cgroup";
/// Memory at which Lambda gives a function one full vCPU.
pub const MB_PER_VCPU: u64 = 1769;
/// The period over which the CPU quota is enforced, 20 ms as Lambda is observed to use. The
/// kernel lets a group run until it has had its quota in the current period, then stops it
/// until the next one, so a piece of work takes its exact share's time give or take about
/// a period, depending on where in a period it starts and how much of that period's quota
/// is left. Over the kernel's default 100 ms, 50 ms of CPU at 512 MB took anywhere from 50
/// to 194 ms instead of 173, and a cold invocation always came out short (50 to 120 ms): the
/// group's first period starts with the runtime's first instruction, so a runtime ready
/// within a millisecond or two is handed its event early in that period with the whole
/// quota unspent, where a warm invocation starts with what the last one left. Over 20 ms the
/// error is a fifth as large, cold or warm alike (173 ms give or take 14). 20 ms also keeps
/// 128 MB, Lambda's smallest setting, above the kernel's smallest quota (1.45 ms against
/// 1 ms), where a shorter period would round its share up.
const CPU_PERIOD_US: u64 = 20_000;
/// The smallest quota the kernel accepts.
const MIN_QUOTA_US: u64 = 1_000;

/// Which cgroup hierarchy the machine has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Version {
    /// The unified hierarchy.
    V2,
    /// Separate controller hierarchies.
    V1,
}

/// Finds the hierarchy in use, if any.
pub fn detect() -> Option<Version> {
    if Path::new(ROOT).join("cgroup.controllers").exists() {
        Some(Version::V2)
    } else if Path::new(ROOT)
        .join("memory/memory.limit_in_bytes")
        .exists()
    {
        Some(Version::V1)
    } else {
        None
    }
}

/// CPU quota in microseconds per 20 ms period for a memory setting (memory/1769 of a CPU).
pub fn cpu_quota_us(memory_mb: u32) -> u64 {
    (CPU_PERIOD_US * u64::from(memory_mb) / MB_PER_VCPU).max(MIN_QUOTA_US)
}

/// One environment's control group (one directory per controller under v1).
#[derive(Debug)]
pub struct Group {
    version: Version,
    /// v2: the group's directory. v1: the memory and cpu directories, in that order.
    dirs: Vec<PathBuf>,
}

impl Group {
    /// Creates `lambcost/<name>` with the memory limit and CPU quota of `memory_mb`.
    pub fn create(name: &str, memory_mb: u32) -> io::Result<Group> {
        let version = detect().ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::NotFound,
                "no cgroup hierarchy under /sys/fs/cgroup",
            )
        })?;
        let bytes = u64::from(memory_mb) * 1024 * 1024;
        let quota = cpu_quota_us(memory_mb);
        let group = match version {
            Version::V2 => {
                let parent = Path::new(ROOT).join("lambcost");
                fs::create_dir_all(&parent)?;
                // Delegate the controllers to the parent's children (ignored where already on).
                let _ = fs::write(parent.join("cgroup.subtree_control"), "+memory +cpu");
                let dir = parent.join(name);
                fs::create_dir_all(&dir)?;
                let group = Group {
                    version,
                    dirs: vec![dir],
                };
                let dir = &group.dirs[0];
                fs::write(dir.join("memory.max"), bytes.to_string())?;
                let _ = fs::write(dir.join("memory.swap.max"), "0");
                fs::write(dir.join("cpu.max"), format!("{quota} {CPU_PERIOD_US}"))?;
                group
            }
            Version::V1 => {
                let mut dirs = Vec::new();
                for controller in ["memory", "cpu"] {
                    let dir = Path::new(ROOT).join(controller).join("lambcost").join(name);
                    fs::create_dir_all(&dir)?;
                    dirs.push(dir);
                }
                let group = Group { version, dirs };
                let memory = &group.dirs[0];
                fs::write(memory.join("memory.limit_in_bytes"), bytes.to_string())?;
                // Swap would hide an out-of-memory; where the kernel accounts it, forbid it.
                let _ = fs::write(
                    memory.join("memory.memsw.limit_in_bytes"),
                    bytes.to_string(),
                );
                let cpu = &group.dirs[1];
                fs::write(cpu.join("cpu.cfs_period_us"), CPU_PERIOD_US.to_string())?;
                fs::write(cpu.join("cpu.cfs_quota_us"), quota.to_string())?;
                group
            }
        };
        Ok(group)
    }

    /// Moves a process (all its threads) into the group, under every controller.
    pub fn join(&self, pid: i32) -> io::Result<()> {
        for dir in &self.dirs {
            let procs = dir.join("cgroup.procs");
            fs::write(&procs, pid.to_string()).map_err(|e| {
                io::Error::new(e.kind(), format!("cannot join {}: {e}", procs.display()))
            })?;
        }
        Ok(())
    }

    fn memory_dir(&self) -> &Path {
        &self.dirs[0]
    }

    /// Peak memory of every process of the group since it was created, in bytes.
    pub fn peak_bytes(&self) -> Option<u64> {
        let file = match self.version {
            Version::V2 => "memory.peak",
            Version::V1 => "memory.max_usage_in_bytes",
        };
        read_u64(&self.memory_dir().join(file))
    }

    /// How many processes of the group the kernel killed for lack of memory.
    pub fn oom_kills(&self) -> u64 {
        let file = match self.version {
            Version::V2 => "memory.events",
            Version::V1 => "memory.oom_control",
        };
        fs::read_to_string(self.memory_dir().join(file))
            .ok()
            .and_then(|text| {
                text.lines().find_map(|l| {
                    l.strip_prefix("oom_kill ")
                        .and_then(|n| n.trim().parse().ok())
                })
            })
            .unwrap_or(0)
    }

    /// Process ids in the group.
    pub fn pids(&self) -> Vec<i32> {
        fs::read_to_string(self.memory_dir().join("cgroup.procs"))
            .map(|t| t.lines().filter_map(|l| l.trim().parse().ok()).collect())
            .unwrap_or_default()
    }

    /// Kills every process of the group and waits (up to `wait`) until none is left.
    pub fn kill_all(&self, wait: Duration) {
        if self.version == Version::V2 {
            let _ = fs::write(self.dirs[0].join("cgroup.kill"), "1");
        }
        let deadline = Instant::now() + wait;
        loop {
            let pids = self.pids();
            if pids.is_empty() || Instant::now() >= deadline {
                break;
            }
            for pid in pids {
                let _ = nix::sys::signal::kill(
                    nix::unistd::Pid::from_raw(pid),
                    nix::sys::signal::Signal::SIGKILL,
                );
            }
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    /// Removes the group's directories (after its processes are gone).
    pub fn remove(&self) {
        for dir in &self.dirs {
            for _ in 0..50 {
                if fs::remove_dir(dir).is_ok() || !dir.exists() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(2));
            }
        }
    }
}

fn read_u64(path: &Path) -> Option<u64> {
    fs::read_to_string(path).ok()?.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cpu_share_is_memory_over_1769_of_a_cpu() {
        assert_eq!(cpu_quota_us(1769), 20_000);
        assert_eq!(cpu_quota_us(512), 5_788);
        assert_eq!(cpu_quota_us(3538), 40_000);
        // Lambda's smallest setting keeps its exact share: 7.2% of 20 ms is above the
        // kernel's smallest quota.
        assert_eq!(cpu_quota_us(128), 1_447);
        assert!(cpu_quota_us(128) > MIN_QUOTA_US);
        // Never below what the kernel accepts.
        assert_eq!(cpu_quota_us(1), 1_000);
    }
}
