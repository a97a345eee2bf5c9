//! Inputs straight from the account: `aws:FUNCTION` (a name, `NAME:ALIAS`, or a function ARN)
//! read through AWS's own SDK. The function's facts come from `GetFunctionConfiguration`
//! (memory, architecture, runtime, log group and format) and
//! `ListProvisionedConcurrencyConfigs`; its REPORT lines (or `platform.report` events) from
//! `FilterLogEvents`, page by page, each page spooled as the API hands it over (the shape
//! `compare` already reads from `aws logs filter-log-events`) into a temporary file that the
//! readers then read as any other: memory holds one page at a time, whatever the window.
//!
//! Credentials, region and endpoint come from the SDK's default chain (environment,
//! profiles, SSO, container and instance roles; `AWS_ENDPOINT_URL`), `--profile` naming a
//! profile. Every failure is one line naming the function and what AWS said.

use anyhow::{Result, anyhow};
use lambcost_core::pricing::Arch;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

pub use super::account::{Options, PREFIX, is_aws, now_ms};

static OPTIONS: OnceLock<Options> = OnceLock::new();
static FETCHED: Mutex<Vec<Facts>> = Mutex::new(Vec::new());

/// Sets how this run reads from the account (once, at start).
pub fn configure(options: Options) {
    let _ = OPTIONS.set(options);
}

fn options() -> Options {
    OPTIONS
        .get()
        .cloned()
        .unwrap_or_else(|| Options::last_week(now_ms()))
}

/// The window of logs this run reads: (since, until), milliseconds since the epoch.
pub fn window() -> (i64, i64) {
    let o = options();
    (o.since_ms, o.until_ms)
}

/// The region the SDK's environment names (`AWS_REGION`, `AWS_DEFAULT_REGION`), else
/// us-east-1.
pub fn default_region() -> String {
    ["AWS_REGION", "AWS_DEFAULT_REGION"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|r| !r.is_empty()))
        .unwrap_or_else(|| "us-east-1".to_string())
}

/// What the account says of a function, and where each fact came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Facts {
    /// The input as given (`aws:orders`).
    pub input: String,
    /// The function's name.
    pub function: String,
    /// The variant its invocations make: the function, with the qualifier given
    /// (`orders:live`).
    pub variant: String,
    /// The region asked.
    pub region: String,
    /// Configured memory.
    pub memory_mb: u32,
    /// Architecture.
    pub arch: Arch,
    /// Runtime identifier (`dotnet8`, `provided.al2023`; empty for a container image).
    pub runtime: String,
    /// Timeout, seconds.
    pub timeout_s: u32,
    /// Ephemeral storage, MB.
    pub ephemeral_storage_mb: u32,
    /// Whether SnapStart is on for published versions.
    pub snapstart: bool,
    /// The log group the function writes to.
    pub log_group: String,
    /// `Text` or `JSON`.
    pub log_format: String,
    /// Provisioned Concurrency: (qualifier, environments allocated).
    pub provisioned: Vec<(String, u32)>,
    /// Events `FilterLogEvents` handed over for the REPORT filter.
    pub events: u64,
    /// Pages `FilterLogEvents` handed over.
    pub pages: u64,
    /// What a Logs Insights query scanned, in bytes, when one ran instead.
    pub bytes_scanned: Option<f64>,
    /// What could not be read of it, and why (a scan goes on without it).
    pub notes: Vec<String>,
}

impl Facts {
    /// Where the facts came from, for a report's data line.
    pub fn describe(&self) -> String {
        let pc = match self.provisioned.as_slice() {
            [] => String::new(),
            all => format!(
                "; Provisioned Concurrency {} from ListProvisionedConcurrencyConfigs",
                all.iter()
                    .map(|(q, n)| format!("{n} on {q}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        let logs = match self.bytes_scanned {
            Some(bytes) => format!(
                "{} rows of a Logs Insights query of {}, which scanned {} MB, {} at ${} per GB",
                lambcost_core::format::grouped(self.events.into(), 0),
                self.log_group,
                lambcost_core::format::grouped(
                    rust_decimal::Decimal::try_from(bytes / 1e6).unwrap_or_default(),
                    1
                ),
                lambcost_core::format::usd_cents(insights_cost(bytes)),
                INSIGHTS_USD_PER_GB
            ),
            None => format!(
                "{} events of {} ({}) from FilterLogEvents for REPORT lines, {} page{}",
                lambcost_core::format::grouped(self.events.into(), 0),
                self.log_group,
                self.log_format,
                self.pages,
                if self.pages == 1 { "" } else { "s" }
            ),
        };
        format!(
            "{} ({}: {} MB, {}, {} from GetFunctionConfiguration{pc}; {logs})",
            self.input,
            self.region,
            self.memory_mb,
            self.arch,
            if self.runtime.is_empty() {
                "container image"
            } else {
                &self.runtime
            },
        )
    }
}

/// What Logs Insights charges a GB scanned: us-east-1's published rate (most regions'),
/// <https://aws.amazon.com/cloudwatch/pricing/> (Logs, Analyze (Logs Insights queries)).
pub const INSIGHTS_USD_PER_GB: &str = "0.005";

/// What a query that scanned `bytes` costs, at [`INSIGHTS_USD_PER_GB`] a GB (10^9 bytes).
pub fn insights_cost(bytes: f64) -> rust_decimal::Decimal {
    use std::str::FromStr;
    let gb = rust_decimal::Decimal::try_from(bytes / 1e9).unwrap_or_default();
    gb * rust_decimal::Decimal::from_str(INSIGHTS_USD_PER_GB).unwrap_or_default()
}

/// The facts of every function read this run, in order.
pub fn fetched() -> Vec<Facts> {
    FETCHED.lock().map(|f| f.clone()).unwrap_or_default()
}

/// The inputs with each `aws:` one read into a temporary file, and what was read.
pub struct Resolved {
    /// The inputs: files as given, each function's events as a file.
    pub files: Vec<PathBuf>,
    /// The facts of each input that came from the account, by input.
    pub facts: Vec<Option<Facts>>,
    /// Where the events are spooled; removed when this is dropped.
    _dir: Option<tempfile::TempDir>,
}

impl Resolved {
    /// `text` with each spooled file's path replaced by the input it stands for.
    pub fn shown(&self, text: &str) -> String {
        let mut out = text.to_string();
        for (file, facts) in self.files.iter().zip(&self.facts) {
            if let Some(f) = facts {
                out = out.replace(&*file.to_string_lossy(), &f.input);
            }
        }
        out
    }
}

/// Reads every `aws:` input of `files`; `region` is the one to ask when an input's ARN names
/// none and the SDK's chain gives none.
pub fn resolve(files: &[PathBuf], region: &str) -> Result<Resolved> {
    if !files.iter().any(|f| is_aws(f)) {
        return Ok(Resolved {
            files: files.to_vec(),
            facts: vec![None; files.len()],
            _dir: None,
        });
    }
    let dir = tempfile::tempdir()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let options = options();
    let mut out = Vec::new();
    let mut facts = Vec::new();
    for (i, f) in files.iter().enumerate() {
        if !is_aws(f) {
            out.push(f.clone());
            facts.push(None);
            continue;
        }
        let input = f.display().to_string();
        if input.trim() == PREFIX {
            anyhow::bail!("{input}: name a function after aws: (a name, NAME:ALIAS or an ARN)");
        }
        let _ = i;
        let (fact, file) = runtime.block_on(fetch(&input, region, &options, dir.path()))?;
        if let Ok(mut all) = FETCHED.lock() {
            all.push(fact.clone());
        }
        out.push(file);
        facts.push(Some(fact));
    }
    Ok(Resolved {
        files: out,
        facts,
        _dir: Some(dir),
    })
}

/// The function, qualifier and region an input names.
fn target(input: &str) -> (String, Option<String>) {
    let spec = input.strip_prefix(PREFIX).unwrap_or(input);
    let region = spec
        .strip_prefix("arn:")
        .and_then(|rest| rest.split(':').nth(2))
        .filter(|r| !r.is_empty())
        .map(str::to_string);
    (spec.to_string(), region)
}

/// The alias or version an input names: `NAME:ALIAS`, or an ARN's eighth part.
fn qualifier(spec: &str) -> Option<&str> {
    let parts: Vec<&str> = spec.split(':').collect();
    match (spec.starts_with("arn:"), parts.as_slice()) {
        (true, [_, _, _, _, _, _, _, q]) | (false, [_, q]) => Some(q),
        _ => None,
    }
}

/// The SDK's configuration for `region` (the chain's own when it has one).
async fn config(
    options: &Options,
    region: Option<String>,
    fallback: &str,
) -> aws_config::SdkConfig {
    let loader = |region: Option<String>| {
        let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest());
        if let Some(p) = &options.profile {
            // A profile named is the credentials used, as the AWS CLI's --profile: keys in
            // the environment do not win over it.
            loader = loader.profile_name(p).credentials_provider(
                aws_config::profile::ProfileFileCredentialsProvider::builder()
                    .profile_name(p)
                    .build(),
            );
        }
        if let Some(r) = region {
            loader = loader.region(aws_config::Region::new(r));
        }
        loader
    };
    let conf = loader(region).load().await;
    if conf.region().is_some() {
        return conf;
    }
    loader(Some(fallback.to_string())).load().await
}

/// Reads one function's facts and REPORT events into `dir`.
async fn fetch(
    input: &str,
    fallback: &str,
    options: &Options,
    dir: &Path,
) -> Result<(Facts, PathBuf)> {
    let (spec, region) = target(input);
    let conf = config(options, region, fallback).await;
    let region = conf
        .region()
        .map_or_else(|| fallback.to_string(), ToString::to_string);
    let lambda = aws_sdk_lambda::Client::new(&conf);
    let c = lambda
        .get_function_configuration()
        .function_name(&spec)
        .send()
        .await
        .map_err(|e| failure(input, "lambda:GetFunctionConfiguration", &e, &region))?;
    let mut facts = facts_of(&c, input, &spec, &region);
    // Provisioned Concurrency only adds to the figures: a list that cannot be read is said
    // beside them, and the function is read all the same.
    match provisioned(&lambda, input, &facts.function, &region).await {
        Ok(p) => facts.provisioned = p,
        Err(e) => facts.notes.push(e.to_string()),
    }
    let function = facts.function.clone();
    // The file is named as the variant is to be: the function, with its qualifier if given.
    let variant = match qualifier(&spec) {
        Some(q) => format!("{function}:{q}"),
        None => function.clone(),
    };
    let file = dir.join(format!("{variant}.json"));
    facts.variant.clone_from(&variant);
    if options.insights {
        insights(&conf, input, &mut facts, options, &file).await?;
    } else {
        spool(&conf, input, &mut facts, options, &file, false).await?;
    }
    Ok((facts, file))
}

/// What a configuration says, by the SDK's two shapes of it (one function's, and a page of
/// `ListFunctions`).
trait Configured {
    fn name(&self) -> Option<&str>;
    fn memory(&self) -> Option<i32>;
    fn arch(&self) -> Option<&str>;
    fn runtime_id(&self) -> Option<&str>;
    fn timeout_s(&self) -> Option<i32>;
    fn storage_mb(&self) -> Option<i32>;
    fn snapstart_on(&self) -> bool;
    fn log_group(&self) -> Option<&str>;
    fn log_format(&self) -> Option<&str>;
}

macro_rules! configured {
    ($t:ty) => {
        impl Configured for $t {
            fn name(&self) -> Option<&str> {
                self.function_name()
            }
            fn memory(&self) -> Option<i32> {
                self.memory_size()
            }
            fn arch(&self) -> Option<&str> {
                self.architectures().first().map(|a| a.as_str())
            }
            fn runtime_id(&self) -> Option<&str> {
                self.runtime().map(|r| r.as_str())
            }
            fn timeout_s(&self) -> Option<i32> {
                self.timeout()
            }
            fn storage_mb(&self) -> Option<i32> {
                self.ephemeral_storage().map(|e| e.size())
            }
            fn snapstart_on(&self) -> bool {
                self.snap_start()
                    .and_then(|s| s.apply_on())
                    .is_some_and(|a| a.as_str() == "PublishedVersions")
            }
            fn log_group(&self) -> Option<&str> {
                self.logging_config().and_then(|l| l.log_group())
            }
            fn log_format(&self) -> Option<&str> {
                self.logging_config()
                    .and_then(|l| l.log_format())
                    .map(|f| f.as_str())
            }
        }
    };
}

configured!(aws_sdk_lambda::operation::get_function_configuration::GetFunctionConfigurationOutput);
configured!(aws_sdk_lambda::types::FunctionConfiguration);

/// A function's facts from its configuration: a function logs to `/aws/lambda/NAME` in text
/// unless its logging configuration names another group or JSON.
fn facts_of(c: &impl Configured, input: &str, spec: &str, region: &str) -> Facts {
    let function = c.name().unwrap_or(spec).to_string();
    Facts {
        input: input.to_string(),
        region: region.to_string(),
        memory_mb: c
            .memory()
            .and_then(|m| u32::try_from(m).ok())
            .unwrap_or(128),
        arch: match c.arch() {
            Some("arm64") => Arch::Arm64,
            _ => Arch::X86_64,
        },
        runtime: c.runtime_id().unwrap_or("").to_string(),
        timeout_s: c
            .timeout_s()
            .and_then(|t| u32::try_from(t).ok())
            .unwrap_or(3),
        ephemeral_storage_mb: c
            .storage_mb()
            .and_then(|m| u32::try_from(m).ok())
            .unwrap_or(512),
        snapstart: c.snapstart_on(),
        log_group: c
            .log_group()
            .map_or_else(|| format!("/aws/lambda/{function}"), str::to_string),
        log_format: c.log_format().unwrap_or("Text").to_string(),
        provisioned: Vec::new(),
        events: 0,
        pages: 0,
        bytes_scanned: None,
        notes: Vec::new(),
        variant: function.clone(),
        function,
    }
}

/// The function's Provisioned Concurrency, by qualifier (none when it has none), or why the
/// list cannot be read (a missing permission).
async fn provisioned(
    lambda: &aws_sdk_lambda::Client,
    input: &str,
    function: &str,
    region: &str,
) -> Result<Vec<(String, u32)>> {
    lambda
        .list_provisioned_concurrency_configs()
        .function_name(function)
        .send()
        .await
        .map(|out| {
            out.provisioned_concurrency_configs()
                .iter()
                .map(|p| {
                    let qualifier = p
                        .function_arn()
                        .and_then(|a| a.rsplit(':').next())
                        .unwrap_or("")
                        .to_string();
                    let n = p.allocated_provisioned_concurrent_executions().unwrap_or(0);
                    (qualifier, u32::try_from(n).unwrap_or(0))
                })
                .collect()
        })
        .map_err(|e| {
            failure(
                input,
                "lambda:ListProvisionedConcurrencyConfigs",
                &e,
                region,
            )
        })
}

/// Every function of the account in `region` (`ListFunctions`, page by page) whose runtime
/// `keep` accepts, each with its REPORT events of the window spooled into `dir`.
pub fn scan_region(
    region: &str,
    keep: &dyn Fn(&str) -> bool,
    dir: &Path,
) -> Result<Vec<(Facts, PathBuf)>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let options = options();
    runtime.block_on(async {
        let conf = config(&options, Some(region.to_string()), region).await;
        let lambda = aws_sdk_lambda::Client::new(&conf);
        let input = format!("--region {region}");
        let mut found = Vec::new();
        let mut marker: Option<String> = None;
        loop {
            let page = lambda
                .list_functions()
                .set_marker(marker.clone())
                .send()
                .await
                .map_err(|e| failure(&input, "lambda:ListFunctions", &e, region))?;
            for c in page.functions() {
                if !keep(c.runtime_id().unwrap_or("")) {
                    continue;
                }
                let name = c.name().unwrap_or("").to_string();
                found.push(facts_of(c, &format!("aws:{name}"), &name, region));
            }
            match page.next_marker() {
                Some(next) if !next.is_empty() && Some(next) != marker.as_deref() => {
                    marker = Some(next.to_string());
                }
                _ => break,
            }
        }
        let mut out = Vec::new();
        for (i, mut facts) in found.into_iter().enumerate() {
            // A scan lists a function whose Provisioned Concurrency cannot be read, with why.
            match provisioned(&lambda, &facts.input, &facts.function, region).await {
                Ok(p) => facts.provisioned = p,
                Err(e) => facts.notes.push(e.to_string()),
            }
            let sub = dir.join(format!("{region}-{i}"));
            std::fs::create_dir_all(&sub)?;
            let file = sub.join(format!("{}.json", facts.function));
            let input = facts.input.clone();
            // A function that never logged has no log group: listed as such, not an error.
            spool(&conf, &input, &mut facts, &options, &file, true).await?;
            out.push((facts, file));
        }
        Ok(out)
    })
}

/// Writes the REPORT events of the window into `file`, a page as the API gives it; a log
/// group that does not exist is no events when `missing_ok`, else an error.
async fn spool(
    conf: &aws_config::SdkConfig,
    input: &str,
    facts: &mut Facts,
    options: &Options,
    file: &Path,
    missing_ok: bool,
) -> Result<()> {
    let logs = aws_sdk_cloudwatchlogs::Client::new(conf);
    // Either shape, whatever the configuration says now: a function's log format may have
    // changed within the window, and both kinds of line are read alike.
    let pattern = "?\"REPORT RequestId\" ?\"platform.report\"";
    let mut out = std::io::BufWriter::new(std::fs::File::create(file)?);
    let mut token: Option<String> = None;
    let bar = progress(&facts.log_group);
    loop {
        let sent = logs
            .filter_log_events()
            .log_group_name(&facts.log_group)
            .start_time(options.since_ms)
            .end_time(options.until_ms)
            .filter_pattern(pattern)
            .set_next_token(token.clone())
            .send()
            .await;
        let page = match sent {
            Ok(page) => page,
            Err(e) if missing_ok && is_not_found(&e) => break,
            Err(e) => return Err(failure(input, "logs:FilterLogEvents", &e, &facts.region)),
        };
        let events: Vec<serde_json::Value> = page
            .events()
            .iter()
            .map(|e| {
                serde_json::json!({
                    "logStreamName": e.log_stream_name(),
                    "timestamp": e.timestamp(),
                    "message": e.message(),
                    "ingestionTime": e.ingestion_time(),
                    "eventId": e.event_id(),
                })
            })
            .collect();
        facts.events += events.len() as u64;
        facts.pages += 1;
        bar.set_position(facts.events);
        serde_json::to_writer(&mut out, &serde_json::json!({ "events": events }))?;
        out.write_all(b"\n")?;
        match page.next_token() {
            // The API may hand back the token it was given once the window is exhausted.
            Some(next) if Some(next) != token.as_deref() && !next.is_empty() => {
                token = Some(next.to_string());
            }
            _ => break,
        }
    }
    bar.finish_and_clear();
    out.flush()?;
    Ok(())
}

/// A spinner of the events read so far, on a terminal only: months of logs take many pages,
/// and silence that long looks like a hang.
fn progress(log_group: &str) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    let target = if std::io::stderr().is_terminal() {
        indicatif::ProgressDrawTarget::stderr()
    } else {
        indicatif::ProgressDrawTarget::hidden()
    };
    let bar = indicatif::ProgressBar::with_draw_target(None, target);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{spinner} {msg}: {human_pos} events, {elapsed}")
    {
        bar.set_style(style);
    }
    bar.set_message(format!("reading {log_group}"));
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    bar
}

/// The most rows a Logs Insights query returns: a query that returns as many was cut off.
const INSIGHTS_MAX_ROWS: usize = 10_000;

/// Set by Ctrl-C while a query runs: the query is stopped on AWS before lambcost exits.
static INTERRUPTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Runs the Logs Insights query over the function's log group on AWS (`StartQuery`), polls
/// its results with a growing pause (`GetQueryResults`) and writes them as `aws logs
/// get-query-results` prints them, which `compare` reads; Ctrl-C stops the query
/// (`StopQuery`), so an interrupted run leaves none running.
async fn insights(
    conf: &aws_config::SdkConfig,
    input: &str,
    facts: &mut Facts,
    options: &Options,
    file: &Path,
) -> Result<()> {
    use std::sync::atomic::Ordering;
    let logs = aws_sdk_cloudwatchlogs::Client::new(conf);
    let query = options.insights_query.clone().unwrap_or_else(|| {
        lambcost_readers::samples::insights::query(lambcost_core::grouping::GroupBy::LogGroup)
    });
    let _ = ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::Relaxed));
    let started = logs
        .start_query()
        .log_group_names(&facts.log_group)
        .start_time(options.since_ms / 1000)
        .end_time(options.until_ms / 1000)
        .query_string(query)
        .send()
        .await
        .map_err(|e| failure(input, "logs:StartQuery", &e, &facts.region))?;
    let id = started.query_id().unwrap_or_default().to_string();
    let mut pause = std::time::Duration::from_millis(250);
    loop {
        if INTERRUPTED.load(Ordering::Relaxed) {
            let _ = logs.stop_query().query_id(&id).send().await;
            return Err(
                anyhow::Error::new(lambcost_runtime::plan::RunError::Interrupted)
                    .context(format!("{input}: the Logs Insights query {id} was stopped")),
            );
        }
        let r = logs
            .get_query_results()
            .query_id(&id)
            .send()
            .await
            .map_err(|e| failure(input, "logs:GetQueryResults", &e, &facts.region))?;
        let status = r.status().map_or("Unknown", |s| s.as_str()).to_string();
        match status.as_str() {
            "Complete" => {
                let rows: Vec<serde_json::Value> = r
                    .results()
                    .iter()
                    .map(|row| {
                        row.iter()
                            .map(|c| serde_json::json!({"field": c.field(), "value": c.value()}))
                            .collect()
                    })
                    .collect();
                let bytes = r.statistics().map_or(0.0, |s| s.bytes_scanned());
                if rows.len() >= INSIGHTS_MAX_ROWS {
                    anyhow::bail!(
                        "{input}: the Logs Insights query {id} returned {} rows, Insights' most: the rest were cut off; give a shorter window (--since, --until)",
                        rows.len()
                    );
                }
                facts.events = rows.len() as u64;
                facts.pages = 1;
                facts.bytes_scanned = Some(bytes);
                let doc = serde_json::json!({
                    "results": rows,
                    "statistics": {
                        "recordsMatched": r.statistics().map_or(0.0, |s| s.records_matched()),
                        "recordsScanned": r.statistics().map_or(0.0, |s| s.records_scanned()),
                        "bytesScanned": bytes,
                    },
                    "status": "Complete",
                });
                std::fs::write(file, serde_json::to_vec(&doc)?)?;
                return Ok(());
            }
            "Scheduled" | "Running" => {
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(std::time::Duration::from_secs(5));
            }
            other => anyhow::bail!(
                "{input}: the Logs Insights query {id} ended {other} (Insights limits a query to 60 minutes and 10,000 rows of events; a shorter --since splits the work)"
            ),
        }
    }
}

/// Whether a call failed because what it names does not exist.
fn is_not_found<E, R>(e: &aws_sdk_lambda::error::SdkError<E, R>) -> bool
where
    E: aws_sdk_lambda::error::ProvideErrorMetadata,
{
    matches!(e, aws_sdk_lambda::error::SdkError::ServiceError(s) if s.err().code() == Some("ResourceNotFoundException"))
}

/// One line for a failed call: the function, the action, and what AWS said.
fn failure<E, R>(
    input: &str,
    action: &str,
    e: &aws_sdk_lambda::error::SdkError<E, R>,
    region: &str,
) -> anyhow::Error
where
    E: aws_sdk_lambda::error::ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    use aws_sdk_lambda::error::SdkError;
    let chain = format!("{}", aws_sdk_lambda::error::DisplayErrorContext(e));
    if let SdkError::ServiceError(s) = e {
        let err = s.err();
        let code = err.code().unwrap_or("");
        let message = err.message().unwrap_or("");
        return match code {
            "ResourceNotFoundException" if action.starts_with("logs:") => anyhow!(
                "{input}: its log group does not exist in {region} (the function has not logged yet, or logs elsewhere): {message}"
            ),
            "ResourceNotFoundException" => {
                anyhow!("{input}: no such function in {region}: {message}")
            }
            "AccessDeniedException" | "AccessDenied" | "UnauthorizedOperation" => anyhow!(
                "{input}: access denied to {action}: the credentials in use need it (docs/aws.md lists every action lambcost calls)"
            ),
            "ExpiredTokenException"
            | "ExpiredToken"
            | "UnrecognizedClientException"
            | "InvalidSignatureException" => anyhow!(
                "{input}: the credentials were refused ({code}): the session expired or the keys are wrong; sign in again (aws sso login, or new keys)"
            ),
            "" => anyhow!("{input}: {action} failed in {region}: {chain}"),
            _ => anyhow!("{input}: {action} failed in {region}: {code}: {message}"),
        };
    }
    if chain.contains("credentials") || chain.contains("Credentials") {
        return anyhow!(
            "{input}: no AWS credentials found (environment, shared profile, SSO, container or instance role); set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
        );
    }
    anyhow!("{input}: {action} could not reach AWS in {region}: {chain}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_lambda::types::{
        Architecture, EphemeralStorage, FunctionConfiguration, LogFormat, LoggingConfig, Runtime,
    };

    #[test]
    fn a_custom_log_group_and_the_json_format_come_from_the_logging_configuration() {
        let c = FunctionConfiguration::builder()
            .function_name("orders")
            .memory_size(1024)
            .architectures(Architecture::Arm64)
            .runtime(Runtime::Dotnet8)
            .ephemeral_storage(
                EphemeralStorage::builder()
                    .size(2048)
                    .build()
                    .expect("a size"),
            )
            .logging_config(
                LoggingConfig::builder()
                    .log_group("/shared/checkout")
                    .log_format(LogFormat::Json)
                    .build(),
            )
            .build();
        let f = facts_of(&c, "aws:orders", "orders", "eu-west-1");
        assert_eq!(f.log_group, "/shared/checkout");
        assert_eq!(f.log_format, "JSON");
        assert_eq!(
            (f.memory_mb, f.arch, f.runtime.as_str()),
            (1024, Arch::Arm64, "dotnet8")
        );
        assert_eq!(f.ephemeral_storage_mb, 2048);
        // Without one: /aws/lambda/NAME, in text.
        let plain = FunctionConfiguration::builder()
            .function_name("api")
            .build();
        let f = facts_of(&plain, "aws:api", "api", "us-east-1");
        assert_eq!(
            (f.log_group.as_str(), f.log_format.as_str()),
            ("/aws/lambda/api", "Text")
        );
    }

    #[test]
    fn an_arn_names_its_region() {
        assert_eq!(
            target("aws:arn:aws:lambda:eu-west-1:123456789012:function:orders:prod"),
            (
                "arn:aws:lambda:eu-west-1:123456789012:function:orders:prod".to_string(),
                Some("eu-west-1".to_string())
            )
        );
        assert_eq!(target("aws:orders:prod"), ("orders:prod".to_string(), None));
        assert_eq!(qualifier("orders:prod"), Some("prod"));
        assert_eq!(qualifier("orders"), None);
        assert_eq!(
            qualifier("arn:aws:lambda:eu-west-1:123456789012:function:orders:7"),
            Some("7")
        );
        assert_eq!(
            qualifier("arn:aws:lambda:eu-west-1:123456789012:function:orders"),
            None
        );
    }
}
