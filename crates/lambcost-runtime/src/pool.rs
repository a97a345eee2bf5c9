//! A burst on this machine: invocations dispatched at their arrival times to a pool of
//! environments, each its own process, control group and Runtime API server, driven by a
//! thread of its own. The pool follows the rules a replay simulates: an arrival takes the
//! environment that fell idle last, else starts one (a cold start) while fewer than the limit
//! are busy, else it is throttled; an environment idle for the reclaim time is shut down, one
//! older than its lifetime retired when it falls idle. An environment whose runtime dies is
//! gone; the next arrival that needs one starts another.
//!
//! Every environment is ended (its processes killed, its control group removed) before
//! [`run`] returns, whether the burst completed, failed or was interrupted.

use super::harness::{Harness, Init, LogSink};
use super::plan::{Limits, Outcome, Plan, Record, RunError};
use lambcost_core::measurement::Arrived;
use lambcost_core::measurement::Status;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// One invocation served: its record, when it arrived (ms from the burst's start) and the
/// environment that served it (from 1).
#[derive(Clone, Debug)]
pub struct Served {
    /// What Lambda would report.
    pub record: Record,
    /// When it arrived, ms from the start.
    pub arrival_ms: f64,
    /// The environment that served it.
    pub environment: u32,
}

/// What a burst found.
pub struct Burst {
    /// Every invocation served, in the order they ended, as a sequential run reports them
    /// (environments started, limits, notes).
    pub outcome: Outcome,
    /// When each of those invocations arrived and which environment served it, in order.
    pub arrived: Vec<Arrived>,
    /// Arrivals that found the limit busy.
    pub throttles: u64,
    /// The most environments busy at once.
    pub peak: u32,
}

impl Burst {
    /// A burst before its first arrival.
    fn empty(limits: Limits) -> Burst {
        Burst {
            outcome: Outcome {
                records: Vec::new(),
                environments: 0,
                limits,
                notes: Vec::new(),
            },
            arrived: Vec::new(),
            throttles: 0,
            peak: 0,
        }
    }
}

/// An invocation handed to an environment.
struct Job {
    arrival_ms: f64,
}

/// What an environment's thread tells the dispatcher.
enum Message {
    /// An invocation ended; `alive` when the environment can take another.
    Done {
        served: Box<Served>,
        alive: bool,
        note: Option<String>,
    },
    /// Control groups could not be used for this environment.
    Limits(Limits),
    /// The harness failed or was interrupted.
    Failed(RunError),
}

/// An environment as the dispatcher sees it.
struct Worker {
    jobs: Sender<Job>,
    created: Instant,
    thread: JoinHandle<()>,
}

/// How often the dispatcher looks at the interrupt flag while it waits.
const TICK: Duration = Duration::from_millis(20);

/// Dispatches `arrivals` (ms from the start, ascending) to a pool under `rules`; `log(n)` is
/// the log sink of environment `n`, `progress` is called as each invocation ends.
pub fn run(
    plan: &Plan,
    arrivals: &[f64],
    rules: lambcost_core::replay::Rules,
    interrupted: &Arc<AtomicBool>,
    log: &dyn Fn(u32) -> Option<LogSink>,
    mut progress: impl FnMut(&Served, u32),
) -> Result<Burst, RunError> {
    let mut pool = Pool {
        plan: Arc::new(plan.clone()),
        rules: Clocked::of(rules),
        interrupted: Arc::clone(interrupted),
        workers: HashMap::new(),
        finished: Vec::new(),
        idle: Vec::new(),
        busy: 0,
        burst: Burst::empty(if plan.limits {
            Limits::Enforced
        } else {
            Limits::Off
        }),
    };
    let (tx, rx) = mpsc::channel::<Message>();
    let result = pool.dispatch(arrivals, &tx, &rx, log, &mut progress);
    // Whatever happened, every environment ends before this returns.
    pool.shut_down();
    result.map(|()| {
        let limits = pool.burst.outcome.limits.clone();
        std::mem::replace(&mut pool.burst, Burst::empty(limits))
    })
}

/// Ends every environment however the pool is left, unwinding included.
impl Drop for Pool {
    fn drop(&mut self) {
        self.shut_down();
    }
}

/// The replay's rules on the clock: a reclaim or lifetime past what a clock holds is as good
/// as never, and no limit is the most environments a pool can number.
#[derive(Clone, Copy, Debug)]
struct Clocked {
    concurrency: u32,
    idle_reclaim: Duration,
    env_lifetime: Duration,
}

impl Clocked {
    fn of(rules: lambcost_core::replay::Rules) -> Clocked {
        let ms =
            |v: f64| Duration::try_from_secs_f64(v.max(0.0) / 1_000.0).unwrap_or(Duration::MAX);
        Clocked {
            concurrency: rules.concurrency_limit.unwrap_or(u32::MAX),
            idle_reclaim: ms(rules.idle_reclaim_ms),
            env_lifetime: ms(rules.env_lifetime_ms),
        }
    }
}

struct Pool {
    plan: Arc<Plan>,
    rules: Clocked,
    interrupted: Arc<AtomicBool>,
    workers: HashMap<u32, Worker>,
    /// Threads of environments that are gone, to be joined.
    finished: Vec<JoinHandle<()>>,
    /// Idle environments, the one that fell idle last on top, with when.
    idle: Vec<(u32, Instant)>,
    busy: u32,
    burst: Burst,
}

impl Pool {
    fn dispatch(
        &mut self,
        arrivals: &[f64],
        tx: &Sender<Message>,
        rx: &Receiver<Message>,
        log: &dyn Fn(u32) -> Option<LogSink>,
        progress: &mut impl FnMut(&Served, u32),
    ) -> Result<(), RunError> {
        let start = Instant::now();
        for &at in arrivals {
            // Arrivals are read within a century of the first; a clock that cannot hold one
            // is refused, not panicked on.
            let due = Duration::try_from_secs_f64(at.max(0.0) / 1_000.0)
                .ok()
                .and_then(|d| start.checked_add(d))
                .ok_or_else(|| {
                    RunError::Failed(format!("an arrival {at} ms from the start is too far off"))
                })?;
            self.wait_until(Some(due), rx, progress)?;
            let now = Instant::now();
            self.reclaim(now);
            match self.take_idle(now) {
                Some(id) => {
                    if let Some(w) = self.workers.get(&id) {
                        // A thread that has gone cannot take it: it has said so, or will.
                        let _ = w.jobs.send(Job { arrival_ms: at });
                    }
                    self.busy += 1;
                }
                None if self.busy < self.rules.concurrency => {
                    self.spawn(Job { arrival_ms: at }, tx, log)?;
                    self.busy += 1;
                }
                None => self.burst.throttles += 1,
            }
            self.burst.peak = self.burst.peak.max(self.busy);
        }
        // Every invocation in flight ends before the burst does.
        self.wait_until(None, rx, progress)
    }

    /// Handles what the environments say until `due` (or, without one, until none is busy).
    fn wait_until(
        &mut self,
        due: Option<Instant>,
        rx: &Receiver<Message>,
        progress: &mut impl FnMut(&Served, u32),
    ) -> Result<(), RunError> {
        loop {
            if self.interrupted.load(Ordering::Relaxed) {
                return Err(RunError::Interrupted);
            }
            let now = Instant::now();
            let wait = match due {
                Some(d) if now >= d => {
                    // Take what has already arrived: an environment that ended just now is
                    // idle for this arrival.
                    while let Ok(m) = rx.try_recv() {
                        self.handle(m, progress)?;
                    }
                    return Ok(());
                }
                Some(d) => (d - now).min(TICK),
                None if self.busy == 0 => return Ok(()),
                None => TICK,
            };
            match rx.recv_timeout(wait) {
                Ok(m) => self.handle(m, progress)?,
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(RunError::Failed("the pool lost its environments".into()));
                }
            }
        }
    }

    fn handle(
        &mut self,
        message: Message,
        progress: &mut impl FnMut(&Served, u32),
    ) -> Result<(), RunError> {
        match message {
            Message::Done {
                served,
                alive,
                note,
            } => {
                self.busy = self.busy.saturating_sub(1);
                let id = served.environment;
                progress(&served, self.burst.outcome.environments);
                self.burst.arrived.push(Arrived {
                    arrival_ms: served.arrival_ms,
                    environment: served.environment,
                });
                self.burst.outcome.records.push(served.record);
                self.burst.outcome.notes.extend(note);
                if alive {
                    self.idle.push((id, Instant::now()));
                } else {
                    self.retire(id);
                }
                Ok(())
            }
            Message::Limits(limits) => {
                if self.burst.outcome.limits.enforced() {
                    self.burst.outcome.limits = limits;
                }
                Ok(())
            }
            Message::Failed(e) => Err(e),
        }
    }

    /// The idle environment that fell idle last, past-lifetime ones retired on the way.
    fn take_idle(&mut self, now: Instant) -> Option<u32> {
        while let Some((id, _)) = self.idle.pop() {
            let young = self
                .workers
                .get(&id)
                .is_some_and(|w| now.duration_since(w.created) < self.rules.env_lifetime);
            if young {
                return Some(id);
            }
            self.retire(id);
        }
        None
    }

    /// Shuts down environments idle for the reclaim time (the longest idle at the bottom).
    fn reclaim(&mut self, now: Instant) {
        let reclaim = self.rules.idle_reclaim;
        let (old, kept): (Vec<_>, Vec<_>) = self
            .idle
            .drain(..)
            .partition(|(_, since)| now.duration_since(*since) >= reclaim);
        self.idle = kept;
        for (id, _) in old {
            self.retire(id);
        }
    }

    /// Ends an environment: its thread sees its jobs closed and drops it, killing it.
    fn retire(&mut self, id: u32) {
        if let Some(w) = self.workers.remove(&id) {
            drop(w.jobs);
            self.finished.push(w.thread);
        }
    }

    fn spawn(
        &mut self,
        first: Job,
        tx: &Sender<Message>,
        log: &dyn Fn(u32) -> Option<LogSink>,
    ) -> Result<(), RunError> {
        self.burst.outcome.environments += 1;
        let id = self.burst.outcome.environments;
        let (jobs, inbox) = mpsc::channel::<Job>();
        let plan = Arc::clone(&self.plan);
        let interrupted = Arc::clone(&self.interrupted);
        let tx = tx.clone();
        let sink = log(id);
        let thread = std::thread::Builder::new()
            .name(format!("environment-{id}"))
            .spawn(move || {
                // A panic in an environment's thread fails the burst instead of leaving the
                // dispatcher waiting for an invocation that will never end.
                let failed = tx.clone();
                let ran = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    environment(&plan, id, first, &inbox, &tx, interrupted, sink);
                }));
                if ran.is_err() {
                    let _ = failed.send(Message::Failed(RunError::Failed(format!(
                        "environment {id} failed unexpectedly"
                    ))));
                }
            })
            .map_err(|e| RunError::Failed(format!("cannot start an environment's thread: {e}")))?;
        self.workers.insert(
            id,
            Worker {
                jobs,
                created: Instant::now(),
                thread,
            },
        );
        Ok(())
    }

    /// Closes every environment's jobs, interrupts what is in flight, and waits for every
    /// thread, so that every process is gone.
    fn shut_down(&mut self) {
        let ids: Vec<u32> = self.workers.keys().copied().collect();
        if self.busy > 0 {
            self.interrupted.store(true, Ordering::Relaxed);
        }
        for id in ids {
            self.retire(id);
        }
        self.idle.clear();
        for thread in self.finished.drain(..) {
            let _ = thread.join();
        }
    }
}

/// One environment's life: started for its first invocation, then serving the jobs it is
/// given until they close or its runtime dies. Dropping it at the end kills its processes.
fn environment(
    plan: &Plan,
    id: u32,
    first: Job,
    inbox: &Receiver<Job>,
    tx: &Sender<Message>,
    interrupted: Arc<AtomicBool>,
    log: Option<LogSink>,
) {
    let mut harness = Harness::sharing(interrupted, 1_000 + u64::from(id));
    let mut outcome = Outcome {
        records: Vec::new(),
        environments: 0,
        limits: if plan.limits {
            Limits::Enforced
        } else {
            Limits::Off
        },
        notes: Vec::new(),
    };
    // The dispatcher hears of every invocation that ends; one that has gone is past caring.
    let done = |record: Record, job: &Job, alive: bool, note: Option<String>| {
        let served = Served {
            record,
            arrival_ms: job.arrival_ms,
            environment: id,
        };
        let _ = tx.send(Message::Done {
            served: Box::new(served),
            alive,
            note,
        });
    };
    let result = (|| -> Result<(), RunError> {
        let mut live = harness.start(plan, &mut outcome, log.clone())?;
        if !matches!(outcome.limits, Limits::Enforced | Limits::Off) {
            let _ = tx.send(Message::Limits(outcome.limits.clone()));
        }
        let (mut next, init) = match harness.wait_for_init(plan, &mut live)? {
            Init::Ready(next, at) => (next, at.saturating_duration_since(live.env.started)),
            Init::Failed(failure) => {
                let record = harness.init_failure(plan, &mut live.env, failure, &log);
                super::harness::note_output(&mut outcome, &record, &live.env);
                done(record, &first, false, outcome.notes.pop());
                return Ok(());
            }
        };
        let mut job = first;
        let mut init = Some(init);
        loop {
            let (record, parked) =
                harness.invoke(plan, &mut live, next, init.take(), false, &log)?;
            if record.status != Status::Success {
                super::harness::note_output(&mut outcome, &record, &live.env);
            }
            let alive = parked.is_some();
            if alive {
                live.env.freeze();
            }
            done(record, &job, alive, outcome.notes.pop());
            let Some(parked) = parked else {
                return Ok(());
            };
            next = parked;
            match inbox.recv() {
                Ok(j) => job = j,
                // Reclaimed, retired, or the burst is over.
                Err(_) => return Ok(()),
            }
        }
    })();
    if let Err(e) = result {
        let _ = tx.send(Message::Failed(e));
    }
}
