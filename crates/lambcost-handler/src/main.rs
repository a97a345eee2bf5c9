//! `lambcost-handler`: the function lambcost measures by default, built with AWS's own
//! `lambda_runtime`, so what is measured is what deploys. Renamed `bootstrap`, it runs on the
//! `provided.al2023` runtime unchanged.
//!
//! Its default work mirrors the deck's function: take a JSON object of strings, create an
//! item with a new UUID, persist it durably (appended to a file under `/tmp` and synced to
//! disk, the local stand-in for the DynamoDB write) and return the UUID. An event with a
//! `work` key chooses another workload instead:
//!
//! - `{"work": "echo", ...}` returns the event;
//! - `{"work": "cpu", "ms": N}` does N ms of CPU work as a whole CPU does it, that is at
//!   1,769 MB, where Lambda gives a function one vCPU: it spins until its thread has had N ms
//!   of CPU time, so at 512 MB (0.29 of a vCPU) it takes about 3.5 times as long, whatever
//!   the machine; `{"work": "cpu", "iterations": N}` spins N rounds instead (default 10
//!   million);
//! - `{"work": "alloc", "mb": N}` allocates and touches N MB (default 64), then frees them;
//! - `{"work": "sleep", "ms": N}` waits N ms (default 100).
//!
//! `LAMBCOST_HANDLER_INIT_MS=N` in its environment makes its init take N ms longer (to check
//! how faithfully a harness measures init); `LAMBCOST_HANDLER_ITEMS=PATH` names the file items
//! are persisted to (default `/tmp/lambcost-items.jsonl`).

use lambda_runtime::{Error, LambdaEvent, service_fn};
use serde_json::{Value, json};
use std::io::Write;

/// Where items are persisted when `LAMBCOST_HANDLER_ITEMS` does not say.
const ITEMS: &str = "/tmp/lambcost-items.jsonl";

async fn handle(event: LambdaEvent<Value>) -> Result<Value, Error> {
    let payload = event.payload;
    match payload.get("work").and_then(Value::as_str) {
        None => create_item(&payload),
        Some("echo") => Ok(payload),
        Some("cpu") => match payload.get("ms") {
            Some(ms) => {
                let ms = ms
                    .as_u64()
                    .ok_or("\"ms\" must be a whole number of milliseconds")?;
                Ok(json!({ "cpu_ms": cpu_for(ms)? }))
            }
            None => {
                let n = payload
                    .get("iterations")
                    .and_then(Value::as_u64)
                    .unwrap_or(10_000_000);
                Ok(json!({ "result": spin(n) }))
            }
        },
        Some("alloc") => {
            let mb = payload.get("mb").and_then(Value::as_u64).unwrap_or(64);
            Ok(json!({ "touched_mb": alloc(mb) }))
        }
        Some("sleep") => {
            let ms = payload.get("ms").and_then(Value::as_u64).unwrap_or(100);
            tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
            Ok(json!({ "slept_ms": ms }))
        }
        Some(other) => Err(format!("unknown work '{other}': use echo, cpu, alloc or sleep").into()),
    }
}

/// The deck's function: an item from a map of strings, stored durably, its id returned.
fn create_item(payload: &Value) -> Result<Value, Error> {
    let fields = payload
        .as_object()
        .ok_or("the event must be a JSON object of strings")?;
    if let Some((key, _)) = fields.iter().find(|(_, v)| !v.is_string()) {
        return Err(format!("field '{key}' is not a string").into());
    }
    let id = uuid::Uuid::new_v4();
    let item = json!({ "id": id.to_string(), "fields": fields });
    let path = std::env::var("LAMBCOST_HANDLER_ITEMS").unwrap_or_else(|_| ITEMS.to_string());
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    writeln!(file, "{item}")?;
    file.sync_all()?;
    Ok(json!(id.to_string()))
}

/// A CPU-bound loop the optimiser cannot remove (xorshift over `n` rounds).
fn spin(n: u64) -> u64 {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..n {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    std::hint::black_box(x)
}

/// Spins until this thread has had `ms` ms of CPU time: the same work whatever share of a
/// CPU the environment is given, so its duration shows the share. Returns the CPU time had.
fn cpu_for(ms: u64) -> Result<f64, Error> {
    use nix::time::{ClockId, clock_gettime};
    let cpu_ms = || -> Result<f64, Error> {
        let t = clock_gettime(ClockId::CLOCK_THREAD_CPUTIME_ID)?;
        Ok(t.tv_sec() as f64 * 1_000.0 + t.tv_nsec() as f64 / 1_000_000.0)
    };
    let start = cpu_ms()?;
    let target = start + ms as f64;
    let mut now = start;
    while now < target {
        // A slice of work between clock reads, small against a millisecond.
        spin(20_000);
        now = cpu_ms()?;
    }
    Ok(now - start)
}

/// Allocates `mb` MB and writes every page, so they count as used memory.
fn alloc(mb: u64) -> u64 {
    let mut blocks: Vec<Vec<u8>> = Vec::new();
    for _ in 0..mb {
        let mut block = vec![0u8; 1024 * 1024];
        for page in block.chunks_mut(4096) {
            page[0] = 1;
        }
        blocks.push(block);
    }
    std::hint::black_box(&blocks);
    blocks.len() as u64
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    if let Some(ms) = std::env::var("LAMBCOST_HANDLER_INIT_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
    }
    lambda_runtime::run(service_fn(handle)).await
}
