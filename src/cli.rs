//! The command line as clap sees it: types only. Each value is parsed into its unit by a
//! parser of [`lambcost_core::units`] (so `--requests 10X` fails before anything runs); everything
//! that needs the price book or the data (memory range, region names) is checked by the
//! command itself. Regions, scenarios and architectures are offered to shell completion
//! from the embedded books.

use crate::report::Format;
use clap::{Args, Parser, Subcommand};
use lambcost_core::pricing::Arch;
use lambcost_core::share::ShareChoice;
use lambcost_core::units::{
    Date, parse_account_usage, parse_date, parse_duration, parse_env, parse_environments,
    parse_invocation_ms, parse_mb, parse_month_hours, parse_non_negative, parse_positive,
    parse_positive_duration, parse_requests, parse_share, parse_whole,
};
use rust_decimal::Decimal;
use std::path::PathBuf;

/// What a function costs a month on AWS Lambda, and which .NET build mode to ship.
#[derive(Debug, Parser)]
#[command(
    name = "lambcost",
    version,
    about,
    propagate_version = true,
    after_help = TOP_EXAMPLES
)]
pub struct Cli {
    /// The subcommand.
    #[command(subcommand)]
    pub command: Command,
    /// How `aws:FUNCTION` inputs and `scan` read the account.
    #[command(flatten)]
    pub aws: AwsArgs,
}

/// Reading from the account: the window of logs and the credentials' profile. Anywhere an
/// input file is accepted, `aws:FUNCTION` (a name, `NAME:ALIAS` or a function ARN) reads the
/// function's configuration and REPORT lines through AWS's SDK.
#[derive(Debug, Args, Clone)]
pub struct AwsArgs {
    /// A profile of the shared AWS configuration, instead of the default chain's.
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,
    /// Logs from this long ago or this time on (7d, 24h, 2026-11-01, 2026-11-01T08:00:00Z)
    /// [default: 7d].
    #[arg(long, global = true, value_name = "DURATION|TIME", value_parser = parse_moment)]
    pub since: Option<i64>,
    /// Logs up to this long ago or this time [default: now].
    #[arg(long, global = true, value_name = "DURATION|TIME", value_parser = parse_moment)]
    pub until: Option<i64>,
    /// Run lambcost's Logs Insights query on AWS over each function's log group instead of
    /// reading its events (for long windows; the scan's cost is said).
    #[arg(long, global = true)]
    pub insights: bool,
    /// With --insights: run this query instead of lambcost's own (its results must be a
    /// shape `compare` reads, e.g. `fields @timestamp, @message, @logStream`).
    #[arg(long, global = true, value_name = "QUERY", requires = "insights")]
    pub insights_query: Option<String>,
}

/// A moment, as milliseconds since the epoch: a duration back from now (`7d`, `90min`), a date
/// (UTC midnight) or an RFC 3339 time.
pub fn parse_moment(text: &str) -> Result<i64, String> {
    let t = text.trim();
    if let Ok(ms) = lambcost_core::units::parse_duration(t) {
        let ms = rust_decimal::prelude::ToPrimitive::to_i64(&ms).unwrap_or(0);
        return Ok(jiff::Timestamp::now().as_millisecond() - ms);
    }
    if let Ok(ts) = t.parse::<jiff::Timestamp>() {
        return Ok(ts.as_millisecond());
    }
    if t.parse::<jiff::civil::Date>().is_ok()
        && let Ok(ts) = format!("{t}T00:00:00Z").parse::<jiff::Timestamp>()
    {
        return Ok(ts.as_millisecond());
    }
    Err(format!(
        "'{text}' is neither a duration back from now (7d, 24h) nor a time (2026-11-01, 2026-11-01T08:00:00Z)"
    ))
}

/// lambcost's subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Monthly cost of each variant (or of one workload) at one or more traffic levels.
    #[command(after_help = ESTIMATE_EXAMPLES)]
    Estimate(Lazy<EstimateArgs>),
    /// Variants side by side from logs, samples or summary tables: latency statistics, cost
    /// at each traffic level, and how each stands against a baseline.
    #[command(after_help = COMPARE_EXAMPLES)]
    Compare(Lazy<CompareArgs>),
    /// Run a function locally the way Lambda runs it, and measure init, duration and memory.
    #[command(after_help = MEASURE_EXAMPLES)]
    Measure(Lazy<MeasureArgs>),
    /// Which build mode to ship: constraints, service levels, traffic and measurements in, a
    /// defended choice out.
    #[command(after_help = RECOMMEND_EXAMPLES)]
    Recommend(Lazy<RecommendArgs>),
    /// The prices in effect: every rate, where it comes from and since when.
    #[command(after_help = PRICING_EXAMPLES)]
    Pricing(Lazy<PricingArgs>),
    /// Replay a team's own arrivals through Lambda's environment pool: cold starts, busy
    /// environments, throttles, latency and cost under each variant's measured figures.
    #[command(after_help = REPLAY_EXAMPLES)]
    Replay(Lazy<ReplayArgs>),
    /// Carry measured figures to other tools (an Infracost usage file).
    #[command(after_help = EXPORT_EXAMPLES)]
    Export(Lazy<ExportArgs>),
    /// What in a .NET project stands between it and ReadyToRun or NativeAOT: the project
    /// files, the C# sources and the packages, with the SDK analyzer's word where a build log
    /// is given. An assessment is an answer: exit status 0 whatever the verdict.
    #[command(after_help = ASSESS_EXAMPLES)]
    Assess(Lazy<AssessArgs>),
    /// Whether a change made the function slower or dearer, and only when the data can
    /// tell: cost, latency with tests fit for skewed data, memory; exit status 1 when a
    /// threshold is breached.
    #[command(after_help = DIFF_EXAMPLES)]
    Diff(Lazy<DiffArgs>),
    /// A CloudWatch Logs Insights query over REPORT lines, whose results `compare` reads:
    /// for accounts whose logs are too big to download.
    #[command(name = "insights-query", after_help = INSIGHTS_EXAMPLES)]
    InsightsQuery(Lazy<InsightsQueryArgs>),
    /// What AWS billed, from its billing exports (CUR, CUR 2.0, FOCUS; CSV or Parquet):
    /// every Lambda charge per function and month, every usage line checked against the
    /// price book, and, with --against, the bill beside what the function's logs imply.
    /// Exit status 1 when a line disagrees with the price book.
    #[command(after_help = BILL_EXAMPLES)]
    Bill(Lazy<BillArgs>),
    /// An Athena (Trino) query over a billing export's table that sums Lambda's lines for
    /// `bill`: for bills too big to download.
    #[command(name = "bill-query", after_help = BILL_QUERY_EXAMPLES)]
    BillQuery(Lazy<BillQueryArgs>),
    /// Every function of the account in the regions named: runtime, memory, invocations and
    /// cold starts in the window, durations, peak memory, the month's cost at that traffic,
    /// and what the evidence says to do next; the dearest first.
    #[command(after_help = SCAN_EXAMPLES)]
    Scan(Lazy<ScanArgs>),
    /// A shell completion script, on standard output.
    #[command(after_help = COMPLETIONS_EXAMPLES)]
    Completions(Lazy<CompletionsArgs>),
    /// The manual page (roff), on standard output.
    #[command(after_help = MAN_EXAMPLES)]
    Man,
}

/// A subcommand's arguments, defined only when that subcommand is the one run: clap then
/// builds one subcommand's flags at start, not all of them, and a quick `estimate` does not
/// pay for `measure`'s. Help, completions and the manual page still see every flag.
#[derive(Debug, Clone)]
pub struct Lazy<T>(Box<T>);

impl<T> std::ops::Deref for Lazy<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

/// Whether every subcommand's flags are defined at once: a completion script and the manual
/// page describe every subcommand, and clap's generators see only what is defined.
static EAGER: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// The whole command line, every subcommand's flags defined: for the completion scripts and
/// the manual page.
pub fn whole_command() -> clap::Command {
    EAGER.store(true, std::sync::atomic::Ordering::Relaxed);
    <Cli as clap::CommandFactory>::command()
}

impl<T: Args> Args for Lazy<T> {
    fn augment_args(cmd: clap::Command) -> clap::Command {
        if EAGER.load(std::sync::atomic::Ordering::Relaxed) {
            keeping_about::<T>(cmd)
        } else {
            cmd.defer(keeping_about::<T>)
        }
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        Self::augment_args(cmd)
    }
}

/// `T`'s flags added to `cmd`, which keeps the about it was given: a struct's own doc comment
/// would otherwise replace the subcommand's, as it no longer comes after it.
fn keeping_about<T: Args>(cmd: clap::Command) -> clap::Command {
    let about = cmd.get_about().cloned();
    let long_about = cmd.get_long_about().cloned();
    let mut cmd = T::augment_args(cmd);
    if let Some(about) = about {
        cmd = cmd.about(about);
    }
    if let Some(long_about) = long_about {
        cmd = cmd.long_about(long_about);
    }
    cmd
}

impl<T: clap::FromArgMatches> clap::FromArgMatches for Lazy<T> {
    fn from_arg_matches(matches: &clap::ArgMatches) -> Result<Self, clap::Error> {
        T::from_arg_matches(matches).map(|t| Lazy(Box::new(t)))
    }

    fn update_from_arg_matches(&mut self, matches: &clap::ArgMatches) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches(matches)
    }
}

const TOP_EXAMPLES: &str = "\
Examples:
  lambcost estimate --requests 10M
  lambcost compare @talk my-function.log --mode aot --requests 10M
  lambcost recommend --uses reflection --cold-start-slo 1s
  lambcost measure --memory-mb 256,512,1024 -- ./bootstrap
  lambcost pricing --region eu-west-1

Exit status:
  0    answered
  1    answered \"no\": no variant fits, every invocation failed, a diff threshold breached
  2    bad input: one line on standard error names the file, line and value
  130  interrupted: every process started is stopped, no output file written";

const INSIGHTS_EXAMPLES: &str = "\
Examples:
  lambcost insights-query > report.query
  aws logs start-query --log-group-names /aws/lambda/api --start-time $(date -d -30days +%s) --end-time $(date +%s) --query-string \"$(lambcost insights-query)\"
  aws logs get-query-results --query-id ID > results.json && lambcost compare results.json --mode aot";

/// `lambcost insights-query`.
#[derive(Debug, Args, Clone)]
pub struct InsightsQueryArgs {
    /// One row per function (log group), per version, or per memory setting.
    #[arg(long, value_enum, default_value = "log-group", value_name = "HOW")]
    pub group_by: GroupByArg,
}

const SCAN_EXAMPLES: &str = "\
Examples:
  lambcost scan                                   the SDK's region, the last 7 days
  lambcost scan --region us-east-1,eu-west-1 --runtime 'dotnet*' --since 30d
  lambcost scan --profile prod --format json --output functions.json";

/// `lambcost scan`.
#[derive(Debug, Args, Clone)]
pub struct ScanArgs {
    /// Regions to list, comma-separated [default: the SDK's (AWS_REGION), else us-east-1].
    #[arg(long = "region", value_name = "REGION", value_delimiter = ',', value_parser = offered_regions(), hide_possible_values = true)]
    pub regions: Vec<String>,
    /// Only functions whose runtime matches (`dotnet*`, `provided.al2023`).
    #[arg(long, value_name = "PATTERN")]
    pub runtime: Option<String>,
    /// Price book to use instead of the embedded one.
    #[arg(long, value_name = "FILE")]
    pub pricing: Option<PathBuf>,
    /// Output format and file.
    #[command(flatten)]
    pub output: OutputArgs,
}

const BILL_EXAMPLES: &str = "\
Examples:
  lambcost bill exports/cur2/data/                       every part of a CUR 2.0 export
  lambcost bill focus.parquet --function orders --month 2026-10
  lambcost bill cur.csv.gz --against /aws/lambda/orders.log --format json
  lambcost bill results.csv                              Athena's results of lambcost bill-query

Exit status:
  0    the bill read; every usage line agrees with the price book
  1    a usage line's rate or arithmetic disagrees with the price book (listed)
  2    bad input";

const BILL_QUERY_EXAMPLES: &str = "\
Examples:
  lambcost bill-query --schema cur2 --table my_export > lambda.sql
  aws athena start-query-execution --query-string \"$(lambcost bill-query)\" --work-group primary
  aws athena get-query-results --query-execution-id ID > results.json && lambcost bill results.json";

/// `lambcost bill`.
#[derive(Debug, Args, Clone)]
pub struct BillArgs {
    /// Billing exports: legacy CUR, CUR 2.0 or FOCUS as CSV (gzip too) or Parquet, Athena's
    /// results of `bill-query` (CSV or JSON), or a directory of export parts.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    /// Only these functions (a name, as in the function's ARN; repeat or comma-separate).
    #[arg(long = "function", value_name = "NAME", value_delimiter = ',')]
    pub functions: Vec<String>,
    /// Only this billing period.
    #[arg(long, value_name = "YYYY-MM", value_parser = parse_month)]
    pub month: Option<String>,
    /// Set each function's bill beside what these imply: anything `compare` reads (logs,
    /// Insights results) for the same functions and month.
    #[arg(long, value_name = "DATA", num_args = 1..)]
    pub against: Vec<PathBuf>,
    /// Price book to check the lines against instead of the embedded one.
    #[arg(long, value_name = "FILE")]
    pub pricing: Option<PathBuf>,
    /// Output format and file.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `lambcost bill-query`.
#[derive(Debug, Args, Clone)]
pub struct BillQueryArgs {
    /// The export's table: CUR 2.0, legacy CUR (its Athena integration), or FOCUS.
    #[arg(long, value_enum, default_value = "cur2", value_name = "SCHEMA")]
    pub schema: BillSchemaArg,
    /// The table's name in Athena [default: cur2, cur or focus].
    #[arg(long, value_name = "NAME")]
    pub table: Option<String>,
}

/// The billing export schemas `bill-query` writes for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum BillSchemaArg {
    /// CUR 2.0 (Data Exports).
    Cur2,
    /// Legacy CUR, as its Athena integration creates the table.
    CurLegacy,
    /// FOCUS 1.0 to 1.2.
    Focus,
}

/// A billing period as `YYYY-MM`.
pub fn parse_month(text: &str) -> Result<String, String> {
    let t = text.trim();
    let ok = t.len() == 7
        && lambcost_readers::bill::month_of(t).is_some()
        && t[5..7].parse::<u8>().is_ok_and(|m| (1..=12).contains(&m));
    if ok {
        Ok(t.to_string())
    } else {
        Err(format!(
            "'{text}' is not a month; write YYYY-MM, e.g. 2026-10"
        ))
    }
}

const DIFF_EXAMPLES: &str = "\
Examples:
  lambcost diff base.log new.log --requests 10M
  lambcost diff base.csv new.csv --fail-slower p99:10 --fail-slower cold-p99:10 --fail-cost-above 5
  lambcost diff base/ new/ --group-by log-group --format markdown --output diff.md

Exit status:
  0    no threshold breached
  1    a threshold breached: the change is past it and significant
  2    bad input";

/// `lambcost diff`.
#[derive(Debug, Args, Clone)]
pub struct DiffArgs {
    /// Before the change: anything `compare` reads (a log, samples, a summary table, a
    /// directory, `@talk`).
    #[arg(value_name = "BASE")]
    pub base: PathBuf,
    /// After the change, the same.
    #[arg(value_name = "NEW")]
    pub new: PathBuf,
    /// Monthly invocations to price, comma-separated.
    #[arg(long, allow_hyphen_values = true, value_name = "LEVELS", value_parser = parse_levels,
          default_value = "1M")]
    pub requests: Levels,
    /// Fail when the month costs more than PCT percent more (at any level), and the change
    /// behind it is significant or the memory setting changed.
    #[arg(long, allow_hyphen_values = true, value_name = "PCT", value_parser = lambcost_core::units::parse_percent)]
    pub fail_cost_above: Option<Decimal>,
    /// Fail when a latency grew by more than PCT percent, significantly: `p99:10`,
    /// `cold-p99:10`, `mean:5` (mean, p50, p95, p99; warm unless `cold-`), repeatable.
    #[arg(long, value_name = "METRIC:PCT", value_parser = clap::value_parser!(lambcost_core::diff::Threshold))]
    pub fail_slower: Vec<lambcost_core::diff::Threshold>,
    /// Fail when the peak Max Memory Used grew by more than PCT percent.
    #[arg(long, allow_hyphen_values = true, value_name = "PCT", value_parser = lambcost_core::units::parse_percent)]
    pub fail_memory_above: Option<Decimal>,
    /// Significance level of the tests (and 1 - ALPHA the intervals' confidence).
    #[arg(long, allow_hyphen_values = true, value_name = "ALPHA", default_value = "0.05", value_parser = parse_alpha)]
    pub alpha: f64,
    /// Seed of the bootstrap: the same inputs and seed give the same intervals.
    #[arg(long, value_name = "N", default_value = "1")]
    pub seed: u64,
    /// How log invocations are gathered into variants (matched by name across BASE and NEW).
    #[arg(long, value_enum, default_value = "input", value_name = "HOW")]
    pub group_by: GroupByArg,
    /// Cold-start share options.
    #[command(flatten)]
    pub cold: ColdStartArgs,
    /// Pricing options.
    #[command(flatten)]
    pub price: PriceArgs,
    /// Output options.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// A significance level: 0.000001 to below 0.5 (smaller levels ask of a normal
/// approximation what it cannot give).
/// Monthly traffic levels, as `--requests 1M,10M,100M` gives them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Levels(pub Vec<u64>);

impl std::ops::Deref for Levels {
    type Target = Vec<u64>;

    fn deref(&self) -> &Vec<u64> {
        &self.0
    }
}

/// `--requests`: levels separated by commas, a number with commas between its thousands
/// refused with how to write it.
fn parse_levels(text: &str) -> Result<Levels, String> {
    lambcost_core::units::parse_levels(text).map(Levels)
}

/// `--mode`: a build mode by any of its names (`r2r`, `ReadyToRun`, `NativeAOT`).
fn parse_mode(text: &str) -> Result<String, String> {
    Ok(lambcost_core::modes::canonical(text))
}

fn parse_alpha(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(a) if (1e-6..0.5).contains(&a) => Ok(a),
        _ => Err(format!(
            "'{text}' is not a significance level; give a number from 0.000001 to below 0.5, such as 0.05"
        )),
    }
}

const ASSESS_EXAMPLES: &str = "\
Examples:
  lambcost assess src/MyFunction
  lambcost assess MyFunction.sln --build-log build.log --format markdown
  dotnet build -p:EnableTrimAnalyzer=true -p:ErrorLog=build.sarif && lambcost assess . --build-log build.sarif
  lambcost assess . --format sarif --output assess.sarif";

/// `lambcost assess`.
#[derive(Debug, Args, Clone)]
pub struct AssessArgs {
    /// A directory (every project under it), a `.csproj` or a `.sln`; `bin/` and `obj/` are
    /// skipped.
    #[arg(value_name = "PATH")]
    pub path: PathBuf,
    /// What the .NET SDK's analyzers found: an MSBuild log (`dotnet publish > build.log`) or
    /// SARIF (`-p:ErrorLog=build.sarif`), repeatable.
    #[arg(long, value_name = "FILE")]
    pub build_log: Vec<PathBuf>,
    /// More package entries, in the shape of data/aot-compat.yaml; they win over the
    /// embedded ones for the same id.
    #[arg(long, value_name = "FILE")]
    pub packages: Option<PathBuf>,
    /// Files parsed at once [default: one per core].
    #[arg(long, value_name = "N", value_parser = parse_positive)]
    pub threads: Option<u32>,
    /// Output options.
    #[command(flatten)]
    pub output: OutputArgs,
}

const REPLAY_EXAMPLES: &str = "\
Examples:
  lambcost replay prod.log
  lambcost replay prod.log --variant prod,regular-net8,aot-net9 --plot pool.svg
  lambcost replay arrivals.csv --data @talk --concurrency-limit 100 --requests 10M
  lambcost replay poisson:20 --for 1h --format json";

const EXPORT_EXAMPLES: &str = "\
Examples:
  lambcost export --infracost-usage --variant aot-net9 --requests 10M
  lambcost export --infracost-usage --data prod.log --output infracost-usage.yml
  lambcost export --infracost-usage --variant regular-net8 --provisioned-concurrency 5";

const COMPLETIONS_EXAMPLES: &str = "\
Examples:
  lambcost completions bash > /etc/bash_completion.d/lambcost
  lambcost completions zsh > \"${fpath[1]}/_lambcost\"
  lambcost completions fish > ~/.config/fish/completions/lambcost.fish";

const MAN_EXAMPLES: &str = "\
Examples:
  lambcost man > lambcost.1 && man ./lambcost.1
  lambcost man | gzip > /usr/local/share/man/man1/lambcost.1.gz";

/// Shells lambcost writes completions for.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Shell {
    /// Bash.
    Bash,
    /// Zsh.
    Zsh,
    /// Fish.
    Fish,
    /// PowerShell.
    Powershell,
}

/// `lambcost completions`.
#[derive(Debug, Args, Clone)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: Shell,
}

/// `lambcost export`.
#[derive(Debug, Args, Clone)]
pub struct ExportArgs {
    /// Write Infracost usage-file entries (`infracost-usage.yml`).
    #[arg(long, required = true)]
    pub infracost_usage: bool,
    /// Measurements or summary tables, repeatable; `@talk` and `@talk-repo` name the embedded
    /// data sets (default: `@talk`, the talk's measurements).
    #[arg(long, value_name = "FILE")]
    pub data: Vec<PathBuf>,
    /// Only these variants (repeat or comma-separate); for logs, their names in order.
    #[arg(long = "variant", value_name = "NAME", value_delimiter = ',')]
    pub variants: Vec<String>,
    /// Build modes of log inputs, in order.
    #[arg(long = "mode", value_name = "MODE", value_parser = parse_mode)]
    pub modes: Vec<String>,
    /// Terraform address of each variant's function, in order (default:
    /// `aws_lambda_function.<variant>`).
    #[arg(long = "resource", value_name = "ADDRESS")]
    pub resources: Vec<String>,
    /// Monthly invocations.
    #[arg(long, allow_hyphen_values = true, value_name = "LEVEL", value_parser = parse_requests, default_value = "1M")]
    pub requests: u64,
    /// Also write the entries of a Provisioned Concurrency configuration with N environments.
    #[arg(long, value_name = "N", value_parser = parse_environments)]
    pub provisioned_concurrency: Option<u32>,
    /// Hours a month Provisioned Concurrency is enabled [default: the whole month].
    #[arg(long, value_name = "H", value_parser = parse_non_negative, requires = "provisioned_concurrency")]
    pub provisioned_hours: Option<Decimal>,
    /// Cold-start share options.
    #[command(flatten)]
    pub cold: ColdStartArgs,
    /// Pricing options.
    #[command(flatten)]
    pub price: PriceArgs,
    /// Write to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

const RECOMMEND_EXAMPLES: &str = "\
Examples:
  lambcost recommend --scenario user-facing-api --requests 10M
  lambcost recommend --uses plugins --cold-start-slo 1s
  lambcost recommend --data aot.log --mode aot --p99-slo 50ms --format json

Exit status:
  0    a variant is recommended
  1    no variant meets every constraint (the reasons and what would help are printed)
  2    bad input";

const MEASURE_EXAMPLES: &str = "\
Examples:
  lambcost measure
  lambcost measure --memory-mb 128,256,512,1024,1769 --event cpu.json --requests 10M
  lambcost measure --cold 10 --warm 100 --log run.log --samples-out run.csv -- ./publish/bootstrap

Exit status:
  0    measured
  1    every invocation failed (the report says how)
  2    bad input
  130  interrupted: every process of the run stopped, no output file written";

const COMPARE_EXAMPLES: &str = "\
Examples:
  lambcost compare data/results.csv --requests 10M
  lambcost compare regular.log aot.log --mode regular --mode aot --requests 1M,10M
  aws logs tail /aws/lambda/my-fn --since 1d | lambcost compare - --variant my-fn --format json";

const ESTIMATE_EXAMPLES: &str = "\
Examples:
  lambcost estimate --requests 10M
  lambcost estimate --requests 250k,10M,1B --cold-start-rate 0.04% --format csv --output cost.csv
  lambcost estimate --duration-ms 120 --memory-mb 1024 --arch arm64 --requests 50M --free-tier";

const PRICING_EXAMPLES: &str = "\
Examples:
  lambcost pricing --region eu-west-1 --arch arm64
  lambcost pricing --pricing my-prices.yaml --region all --format csv
  lambcost pricing import index.json --output my-prices.yaml";

/// Where prices come from and the account context of a bill.
#[derive(Debug, Args, Clone)]
pub struct PriceArgs {
    /// Price book to use instead of the embedded pricing/aws-lambda.yaml.
    #[arg(long, value_name = "FILE")]
    pub pricing: Option<PathBuf>,
    /// AWS region whose prices apply.
    #[arg(long, default_value = "us-east-1", value_name = "REGION", value_parser = offered_regions(), hide_possible_values = true)]
    pub region: String,
    /// Architectures to price, comma-separated: every variant's as a what-if (estimate: or
    /// the one workload's); `x86_64,arm64` prices each variant on both [default: each
    /// variant's own; x86_64 where the input does not say].
    #[arg(long, value_name = "x86_64|arm64", value_delimiter = ',', value_parser = arch_parser(), hide_possible_values = true)]
    pub arch: Vec<Arch>,
    /// Hours in the month for always-on charges [default: the pricing file's, 730].
    #[arg(long, allow_hyphen_values = true, value_name = "H", value_parser = parse_month_hours)]
    pub month_hours: Option<Decimal>,
    /// GB-seconds the account's other functions use this month, in this region and
    /// architecture: they move this function up the tiers and consume the free tier first
    /// (10B, 250M, 400000).
    #[arg(long, allow_hyphen_values = true, value_name = "GBS", value_parser = parse_account_usage, default_value = "0")]
    pub account_gb_seconds: Decimal,
    /// Requests the account's other functions make this month (they consume the free tier's
    /// requests first).
    #[arg(long, allow_hyphen_values = true, value_name = "N", value_parser = parse_account_usage, default_value = "0")]
    pub account_requests: Decimal,
    /// Subtract what is left of the account's monthly free tier (an account-level credit:
    /// apply it to one function only).
    #[arg(long)]
    pub free_tier: bool,
    /// Bill under the rules in force on this date: INIT billed since 2025-08-01, 1 ms
    /// rounding since 2020-12-01 [default: today]. Logged invocations are re-billed too.
    /// The environment variable pins it for a whole session or a CI job.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date, env = "LAMBCOST_BILLING_DATE")]
    pub billing_date: Option<Date>,
    /// A Compute Savings Plan's discount, in percent, on duration and Provisioned
    /// Concurrency (never requests, storage or SnapStart): your plan's, as `lambcost bill`
    /// reads it from your bill (17, 17%).
    #[arg(long, value_name = "PCT", value_parser = lambcost_core::units::parse_discount)]
    pub savings_plan: Option<Decimal>,
}

/// How invocations are gathered into variants (the core's `GroupBy`, as typed).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum GroupByArg {
    /// One variant per input argument (a file, a directory, standard input).
    #[default]
    Input,
    /// One variant per file, a directory's files apart.
    File,
    /// One per function: the log group, else the export's directory.
    LogGroup,
    /// One per function and version (`$LATEST`, `3`), from the log stream.
    Version,
    /// One per function and memory setting.
    Memory,
}

impl From<GroupByArg> for lambcost_core::grouping::GroupBy {
    fn from(arg: GroupByArg) -> Self {
        use lambcost_core::grouping::GroupBy;
        match arg {
            GroupByArg::Input => GroupBy::Input,
            GroupByArg::File => GroupBy::File,
            GroupByArg::LogGroup => GroupBy::LogGroup,
            GroupByArg::Version => GroupBy::Version,
            GroupByArg::Memory => GroupBy::Memory,
        }
    }
}

/// How arrivals that find every provisioned environment busy are served.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PcOverflowArg {
    /// Spill over to on-demand, as Lambda does (a loss system, Erlang B).
    Queue,
    /// Run on the provisioned environments while their time allows (AWS's worked examples).
    None,
}

/// How the cold-start share is found.
#[derive(Debug, Args, Clone)]
pub struct ColdStartArgs {
    /// Share of invocations that start cold: `model` (the traffic model's at each level;
    /// compare and estimate show a log's own share beside it), `observed` (each log's or
    /// samples' own share, that of its window and traffic), `replay:FILE` (each variant's
    /// share when FILE's arrivals are replayed through its environments), or a share: 0.04%,
    /// 0.0004, 0 [default: model].
    #[arg(long, allow_hyphen_values = true, value_name = "model|observed|replay:FILE|RATE", value_parser = parse_share_choice)]
    pub cold_start_rate: Option<ColdStartRate>,
    /// Traffic model (and the pool of `measure --arrivals`): an idle environment is
    /// reclaimed after this long.
    #[arg(long, allow_hyphen_values = true, value_name = "DURATION", default_value = "10m", value_parser = parse_duration)]
    pub idle_reclaim: Decimal,
    /// Traffic model (and the pool of `measure --arrivals`): an environment is recycled
    /// after this long.
    #[arg(long, allow_hyphen_values = true, value_name = "DURATION", default_value = "2h", value_parser = parse_duration)]
    pub env_lifetime: Decimal,
}

/// `--cold-start-rate` as given: how the share is chosen, and the arrivals to replay for
/// `replay:FILE`.
#[derive(Clone, Debug, PartialEq)]
pub struct ColdStartRate {
    /// How each variant's share is found.
    pub choice: ShareChoice,
    /// The arrivals of `replay:FILE`.
    pub replay: Option<std::path::PathBuf>,
}

/// Parses `--cold-start-rate`: `model`, `observed`, `replay:FILE`, or a share (`0.04%`,
/// `0.0004`).
pub fn parse_share_choice(text: &str) -> Result<ColdStartRate, String> {
    let choice = |choice| ColdStartRate {
        choice,
        replay: None,
    };
    if let Some(file) = text.trim().strip_prefix("replay:") {
        if file.is_empty() {
            return Err(format!(
                "'{text}' names no arrivals; write replay:FILE (a log with times, or a CSV of arrivals)"
            ));
        }
        return Ok(ColdStartRate {
            choice: ShareChoice::Replayed,
            replay: Some(std::path::PathBuf::from(file)),
        });
    }
    match text.trim().to_ascii_lowercase().as_str() {
        "model" => Ok(choice(ShareChoice::Model)),
        "observed" => Ok(choice(ShareChoice::Observed)),
        _ => lambcost_core::units::parse_share(text).map(|s| choice(ShareChoice::Given(s))).map_err(|e| {
            format!(
                "{e}; or `model` (the traffic model's share), `observed` (the logs' own) or `replay:FILE` (a replay of arrivals)"
            )
        }),
    }
}

impl ColdStartArgs {
    /// How each variant's cold-start share is chosen.
    pub fn choice(&self) -> ShareChoice {
        self.cold_start_rate
            .as_ref()
            .map(|c| c.choice)
            .unwrap_or_default()
    }

    /// The arrivals `replay:FILE` names, as given (empty without one).
    pub fn replay_file(&self) -> String {
        self.cold_start_rate
            .as_ref()
            .and_then(|c| c.replay.as_ref())
            .map_or_else(String::new, |p| p.display().to_string())
    }
}

/// Where and how a report is written.
#[derive(Debug, Args, Clone)]
pub struct OutputArgs {
    /// Output format [default: from --output's extension (.csv .json .md .svg .xlsx .sarif), else
    /// table].
    #[arg(long, value_enum, ignore_case = true)]
    pub format: Option<Format>,
    /// Write to FILE instead of standard output (whole or not at all).
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Show every column, however wide the table (a terminal table otherwise fits its width).
    #[arg(long)]
    pub wide: bool,
    /// Print every note under the table, not only what the answer rests on.
    #[arg(long)]
    pub explain: bool,
}

/// The chart of a command that draws one.
#[derive(Debug, Args, Clone)]
pub struct PlotArgs {
    /// Also draw the report's chart into FILE.svg.
    #[arg(long, value_name = "FILE.svg", value_parser = parse_svg_path)]
    pub plot: Option<PathBuf>,
}

/// `lambcost estimate`.
#[derive(Debug, Args, Clone)]
pub struct EstimateArgs {
    /// Monthly invocations, comma-separated: 10M, 7.44M, 250k, 1.5B, 10_000_000, 1e7.
    #[arg(long, allow_hyphen_values = true, value_name = "LEVELS", value_parser = parse_levels,
          default_value = "1M,10M,100M")]
    pub requests: Levels,
    /// Estimate one workload of this warm duration instead of the data set's variants.
    #[arg(long, allow_hyphen_values = true, value_name = "MS", value_parser = parse_invocation_ms, requires = "memory_mb")]
    pub duration_ms: Option<Decimal>,
    /// Memory of the single workload, in MB.
    #[arg(long, allow_hyphen_values = true, value_name = "MB", value_parser = parse_mb, requires = "duration_ms")]
    pub memory_mb: Option<u32>,
    /// Init duration of the single workload's cold starts [default: 0].
    #[arg(long, allow_hyphen_values = true, value_name = "MS", value_parser = parse_invocation_ms, requires = "duration_ms")]
    pub init_ms: Option<Decimal>,
    /// Lambda runtime of the single workload (decides INIT billing before 2025-08-01, SnapStart).
    #[arg(
        long,
        value_name = "RUNTIME",
        default_value = "dotnet8",
        requires = "duration_ms"
    )]
    pub runtime: String,
    /// Configured ephemeral storage (/tmp), in MB; above 512 MB it is billed.
    #[arg(long, allow_hyphen_values = true, value_name = "MB", value_parser = parse_mb, default_value = "512")]
    pub ephemeral_storage_mb: u32,
    /// Provisioned Concurrency: number of environments kept initialised.
    #[arg(long, allow_hyphen_values = true, value_name = "N", value_parser = parse_environments)]
    pub provisioned_concurrency: Option<u32>,
    /// Hours a month Provisioned Concurrency is enabled, billed in 5-minute steps [default:
    /// the whole month].
    #[arg(long, allow_hyphen_values = true, value_name = "H", value_parser = parse_non_negative, requires = "provisioned_concurrency")]
    pub provisioned_hours: Option<Decimal>,
    /// Share of the month's invocations that arrive while Provisioned Concurrency is enabled
    /// [default: its hours over the month's, traffic spread evenly].
    #[arg(long, allow_hyphen_values = true, value_name = "RATE", value_parser = parse_share, requires = "provisioned_concurrency")]
    pub pc_traffic_share: Option<Decimal>,
    /// An arrival that finds every provisioned environment busy: `queue` spills it over to
    /// on-demand as Lambda does (Erlang B); `none` runs every invocation of the window on the
    /// provisioned environments while their time allows (AWS's worked examples).
    #[arg(
        long,
        value_enum,
        value_name = "queue|none",
        default_value = "queue",
        requires = "provisioned_concurrency"
    )]
    pub pc_overflow: PcOverflowArg,
    /// Enable SnapStart (managed runtimes only: dotnet8, python3.12+, java).
    #[arg(long)]
    pub snapstart: bool,
    /// SnapStart: share of invocations that restore a snapshot [default: the cold-start share].
    #[arg(long, allow_hyphen_values = true, value_name = "RATE", value_parser = parse_share, requires = "snapstart")]
    pub restore_rate: Option<Decimal>,
    /// SnapStart: Billed Restore Duration of a restore (loading the runtime and running
    /// after-restore hooks; restoring the snapshot itself is free) [default: the data's own,
    /// else none].
    #[arg(long, allow_hyphen_values = true, value_name = "MS", value_parser = parse_invocation_ms, requires = "snapstart")]
    pub restore_ms: Option<Decimal>,
    /// SnapStart: published versions with an active snapshot.
    #[arg(long, allow_hyphen_values = true, value_name = "N", value_parser = lambcost_core::units::parse_snapstart_versions, default_value = "1", requires = "snapstart")]
    pub snapstart_versions: u32,
    /// SnapStart: hours a month each version is active [default: the whole month].
    #[arg(long, allow_hyphen_values = true, value_name = "H", value_parser = parse_non_negative, requires = "snapstart")]
    pub snapstart_hours: Option<Decimal>,
    /// Variants to price: summary tables, samples or logs, repeatable; `@talk` and `@talk-repo`
    /// name the embedded data sets (default: `@talk`, the talk's measurements).
    #[arg(long, value_name = "FILE")]
    pub data: Vec<PathBuf>,
    /// Only these variants of the data set (repeat or comma-separate).
    #[arg(long, value_name = "NAME", value_delimiter = ',')]
    pub variant: Vec<String>,
    /// Cold starts, prices, output and the chart.
    #[command(flatten)]
    pub cost: CostArgs,
}

/// What every command that prices variants and draws them shares: how cold starts are
/// counted, the prices, where the report goes and its chart.
#[derive(Debug, Args, Clone)]
pub struct CostArgs {
    /// Cold-start share options.
    #[command(flatten)]
    pub cold: ColdStartArgs,
    /// Pricing options.
    #[command(flatten)]
    pub price: PriceArgs,
    /// Output options.
    #[command(flatten)]
    pub output: OutputArgs,
    /// The chart.
    #[command(flatten)]
    pub plot: PlotArgs,
}

/// How measured inputs are named and read.
#[derive(Debug, Args, Clone)]
pub struct LogArgs {
    /// Name of the variant a log makes, one per log in order [default: the file's stem];
    /// names beyond the logs choose among the variants (repeat or comma-separate).
    #[arg(long = "variant", value_name = "NAME", value_delimiter = ',')]
    pub variants: Vec<String>,
    /// Build mode of the variant a log makes, one per log in order (regular, readytorun, aot;
    /// repeat or comma-separate).
    #[arg(long = "mode", value_name = "MODE", value_delimiter = ',', value_parser = parse_mode)]
    pub modes: Vec<String>,
    /// Refuse a log with a malformed REPORT line or event instead of skipping it.
    #[arg(long)]
    pub strict: bool,
    /// One variant per input argument (the default), per file, per log group, per version
    /// (from the log stream) or per memory setting.
    #[arg(long, value_enum, default_value = "input", value_name = "HOW")]
    pub group_by: GroupByArg,
    /// Files read at once [default: one per core].
    #[arg(long, value_name = "N", value_parser = parse_positive)]
    pub threads: Option<u32>,
}

/// `lambcost compare`.
#[derive(Debug, Args, Clone)]
pub struct CompareArgs {
    /// Inputs: summary tables, samples CSV, CloudWatch logs (text or JSON); `-` is standard
    /// input; `@talk` and `@talk-repo` name the embedded data sets.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    /// Monthly invocations, comma-separated: 10M, 7.44M, 250k, 1.5B, 10_000_000, 1e7.
    #[arg(long, allow_hyphen_values = true, value_name = "LEVELS", value_parser = parse_levels,
          default_value = "1M,10M,100M")]
    pub requests: Levels,
    /// The variant the others are measured against [default: the first regular one, else the first].
    #[arg(long, value_name = "VARIANT")]
    pub baseline: Option<String>,
    /// Naming of measured inputs.
    #[command(flatten)]
    pub logs: LogArgs,
    /// Cold starts, prices, output and the chart.
    #[command(flatten)]
    pub cost: CostArgs,
}

/// `lambcost measure`.
#[derive(Debug, Args, Clone)]
pub struct MeasureArgs {
    /// Environments to start, each with one cold invocation.
    #[arg(long, value_name = "N", default_value = "5", value_parser = parse_positive)]
    pub cold: u32,
    /// Warm invocations after the cold one, in each environment.
    #[arg(long, value_name = "M", default_value = "100", value_parser = parse_whole)]
    pub warm: u32,
    /// Invoke at these arrival times instead, in real time, through a pool of environments
    /// that starts one whenever none is idle (replay's rules): a log whose invocations carry
    /// their time, a CSV with a `timestamp` or `offset_ms` column, or `poisson:RATE` with
    /// --for.
    #[arg(long, value_name = "FILE|poisson:RATE", value_parser = lambcost_core::units::parse_arrivals,
          conflicts_with_all = ["cold", "warm"])]
    pub arrivals: Option<lambcost_core::units::ArrivalSource>,
    /// How long `poisson:RATE` arrives: 30s, 10m.
    #[arg(long = "for", allow_hyphen_values = true, value_name = "DURATION", value_parser = parse_duration,
          requires = "arrivals")]
    pub for_ms: Option<Decimal>,
    /// With --arrivals: most environments busy at once; arrivals beyond are throttled.
    #[arg(long, allow_hyphen_values = true, value_name = "N", default_value = "10", value_parser = parse_positive,
          requires = "arrivals")]
    pub concurrency: u32,
    /// With --arrivals: seed of `poisson:` arrivals.
    #[arg(long, value_name = "N", default_value = "1", requires = "arrivals")]
    pub seed: u64,
    /// Memory settings to measure, comma-separated (a local power tuning when several).
    #[arg(long, value_name = "MB", value_delimiter = ',', value_parser = parse_mb, default_value = "512")]
    pub memory_mb: Vec<u32>,
    /// Function timeout (Lambda's default is 3 s).
    #[arg(long, allow_hyphen_values = true, value_name = "DURATION", default_value = "3s", value_parser = parse_positive_duration)]
    pub timeout: Decimal,
    /// Longest init before it counts as timed out (Lambda's limit is 10 s).
    #[arg(long, allow_hyphen_values = true, value_name = "DURATION", default_value = "10s", value_parser = parse_positive_duration)]
    pub init_timeout: Decimal,
    /// The event to send, a JSON file [default: an object of strings, as the deck's function takes].
    #[arg(long, value_name = "FILE")]
    pub event: Option<PathBuf>,
    /// Name of what is measured [default: the program's file name].
    #[arg(long, value_name = "NAME")]
    pub variant: Option<String>,
    /// Its build mode (regular, readytorun, aot).
    #[arg(long, value_name = "MODE", value_parser = parse_mode)]
    pub mode: Option<String>,
    /// Write every invocation as a samples CSV (lambcost compare reads it).
    #[arg(long, value_name = "FILE")]
    pub samples_out: Option<PathBuf>,
    /// Write START, END and REPORT lines as Lambda writes them, with the function's output.
    #[arg(long, value_name = "FILE")]
    pub log: Option<PathBuf>,
    /// Do not enforce Lambda's memory limit and CPU share.
    #[arg(long)]
    pub no_limits: bool,
    /// Add a variable to the function's environment (repeatable).
    #[arg(long = "env", value_name = "KEY=VALUE", value_parser = parse_env)]
    pub env: Vec<(String, String)>,
    /// Monthly invocations to price, comma-separated.
    #[arg(long, allow_hyphen_values = true, value_name = "LEVELS", value_parser = parse_levels,
          default_value = "1M")]
    pub requests: Levels,
    /// Cold starts, prices, output and the chart.
    #[command(flatten)]
    pub cost: CostArgs,
    /// The runtime to run, after `--` [default: lambcost-handler, beside lambcost].
    #[arg(last = true, value_name = "COMMAND")]
    pub command: Vec<String>,
}

/// `lambcost replay`.
#[derive(Debug, Args, Clone)]
pub struct ReplayArgs {
    /// The arrivals: a log whose invocations carry their time (`aws logs tail`, an S3
    /// export, JSON events, API or subscription JSON, the console's CSV), a samples file of
    /// `measure --arrivals`, a CSV with a `timestamp` or `offset_ms` column, a directory of
    /// them, `-` for standard input; or `poisson:RATE` (arrivals a second) with --for.
    #[arg(value_name = "ARRIVALS", value_parser = lambcost_core::units::parse_arrivals)]
    pub arrivals: lambcost_core::units::ArrivalSource,
    /// How long `poisson:RATE` arrives: 10m, 1h, 30d.
    #[arg(long = "for", allow_hyphen_values = true, value_name = "DURATION", value_parser = parse_duration)]
    pub for_ms: Option<Decimal>,
    /// Variants whose environments are replayed: summary tables, samples or logs, repeatable;
    /// `@talk` and `@talk-repo` name the embedded data sets (default: the ARRIVALS log's own
    /// variant, when it is one, and `@talk`).
    #[arg(long, value_name = "FILE")]
    pub data: Vec<PathBuf>,
    /// Only these variants (repeat or comma-separate).
    #[arg(long, value_name = "NAME", value_delimiter = ',')]
    pub variant: Vec<String>,
    /// Most environments busy at once; arrivals beyond are throttled (Lambda's default
    /// account quota is 1,000 a region).
    #[arg(long, allow_hyphen_values = true, value_name = "N", default_value = "1000", value_parser = parse_positive)]
    pub concurrency_limit: u32,
    /// An idle environment is reclaimed after this long.
    #[arg(long, allow_hyphen_values = true, value_name = "DURATION", default_value = "10m", value_parser = parse_duration)]
    pub idle_reclaim: Decimal,
    /// An environment is retired when it falls idle after living this long.
    #[arg(long, allow_hyphen_values = true, value_name = "DURATION", default_value = "2h", value_parser = parse_duration)]
    pub env_lifetime: Decimal,
    /// Seed of the draws of inits and durations (and of `poisson:` arrivals): the same seed
    /// gives the same answer.
    #[arg(long, value_name = "N", default_value = "1")]
    pub seed: u64,
    /// Monthly invocations to price, comma-separated [default: the trace's own rate over a
    /// month].
    #[arg(long, allow_hyphen_values = true, value_name = "LEVELS", value_parser = parse_levels)]
    pub requests: Option<Levels>,
    /// Arrivals held to put a log's times in order (a log records each invocation when it
    /// ends); an input further out of order is refused.
    #[arg(long, value_name = "N", default_value = "1000000", value_parser = parse_positive)]
    pub reorder_window: u32,
    /// Pricing options.
    #[command(flatten)]
    pub price: PriceArgs,
    /// Output options.
    #[command(flatten)]
    pub output: OutputArgs,
    /// The chart: busy environments over time.
    #[command(flatten)]
    pub plot: PlotArgs,
}

/// `lambcost recommend`.
#[derive(Debug, Args, Clone)]
pub struct RecommendArgs {
    /// Variants to choose among: summary tables, samples or logs, repeatable; `@talk` and
    /// `@talk-repo` name the embedded data sets (default: `@talk`, the talk's measurements, so
    /// the answer is for the talk's function, not yours).
    #[arg(long, value_name = "FILE")]
    pub data: Vec<PathBuf>,
    /// Monthly invocations.
    #[arg(long, allow_hyphen_values = true, value_name = "LEVEL", value_parser = parse_requests, default_value = "1M")]
    pub requests: u64,
    /// Longest acceptable cold start (a measured p99 where samples exist).
    #[arg(long, allow_hyphen_values = true, value_name = "DURATION", value_parser = parse_positive_duration)]
    pub cold_start_slo: Option<Decimal>,
    /// Longest acceptable warm p99.
    #[arg(long, allow_hyphen_values = true, value_name = "DURATION", value_parser = parse_positive_duration)]
    pub p99_slo: Option<Decimal>,
    /// Most the function may cost a month, in USD.
    #[arg(long, allow_hyphen_values = true, value_name = "X", value_parser = parse_non_negative)]
    pub budget_usd: Option<Decimal>,
    /// Features the code uses and practices it follows, comma-separated (reflection,
    /// dynamic-loading, ef-core, plugins, source-generated-json, constructor-injection,
    /// explicit-registration, trim-analyzer; or the modes file's own).
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    pub uses: Vec<String>,
    /// A .NET project (directory, .csproj or .sln) whose assessment (`lambcost assess`) gives
    /// the features it uses and the practices it follows, each reason citing the finding.
    #[arg(long, value_name = "PATH")]
    pub project: Option<PathBuf>,
    /// With --project: the SDK analyzer's warnings, an MSBuild log or SARIF (repeatable).
    #[arg(long, value_name = "FILE", requires = "project")]
    pub build_log: Vec<PathBuf>,
    /// A use case with the deck's defaults (user-facing-api, event-processor, scheduled-task,
    /// plugin-system, orm-heavy, prototype, migration-test; or the modes file's own).
    #[arg(long, value_name = "SCENARIO", value_parser = offered_scenarios(), hide_possible_values = true)]
    pub scenario: Option<String>,
    /// The .NET major version to run.
    #[arg(long, value_name = "N", value_parser = lambcost_core::units::parse_dotnet_version)]
    pub dotnet_version: Option<u32>,
    /// Let managed modes run as a self-contained custom runtime (for versions Lambda does not offer).
    #[arg(long)]
    pub custom_runtime: bool,
    /// Build-mode facts to use instead of the embedded data/build-modes.yaml.
    #[arg(long = "modes", value_name = "FILE")]
    pub modes_file: Option<PathBuf>,
    /// Naming of measured inputs.
    #[command(flatten)]
    pub logs: LogArgs,
    /// Cold-start share options.
    #[command(flatten)]
    pub cold: ColdStartArgs,
    /// Pricing options.
    #[command(flatten)]
    pub price: PriceArgs,
    /// Output options.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// What `lambcost pricing` does besides showing the rates.
#[derive(Debug, Subcommand, Clone)]
pub enum PricingAction {
    /// Write a price book from AWS's price list for Lambda: the bulk offer file of the
    /// service AWSLambda, or the output of `aws pricing get-products --service-code
    /// AWSLambda`; every region and architecture found, each rate with its usage type.
    #[command(after_help = PRICING_IMPORT_EXAMPLES)]
    Import(PricingImportArgs),
}

const PRICING_IMPORT_EXAMPLES: &str = "\
Examples:
  curl -sO https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AWSLambda/current/index.json
  lambcost pricing import index.json --output pricing.yaml
  aws pricing get-products --service-code AWSLambda --region us-east-1 > products.json
  lambcost pricing import products.json --output pricing.yaml
  lambcost estimate --pricing pricing.yaml --region af-south-1 --requests 10M";

/// `lambcost pricing import`.
#[derive(Debug, Args, Clone)]
pub struct PricingImportArgs {
    /// Price-list documents (JSON); `-` is standard input. Several pages of get-products
    /// output may be given together.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    /// Write the price book to FILE instead of standard output (whole or not at all).
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// `lambcost pricing`.
#[derive(Debug, Args, Clone)]
#[command(args_conflicts_with_subcommands = true)]
pub struct PricingArgs {
    /// Import AWS's own price data instead of showing the price book.
    #[command(subcommand)]
    pub action: Option<PricingAction>,
    /// Price book to show instead of the embedded one.
    #[arg(long, value_name = "FILE")]
    pub pricing: Option<PathBuf>,
    /// Region to show, or `all`.
    #[arg(long, default_value = "us-east-1", value_name = "REGION|all", value_parser = offered_regions_or_all(), hide_possible_values = true)]
    pub region: String,
    /// Only this architecture.
    #[arg(long, value_name = "x86_64|arm64", value_parser = arch_parser(), hide_possible_values = true)]
    pub arch: Option<Arch>,
    /// Output options.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `--plot FILE.svg`: the chart is SVG, so a name that says otherwise is refused rather than
/// filled with SVG (`out.png`).
fn parse_svg_path(text: &str) -> Result<PathBuf, String> {
    let path = PathBuf::from(text);
    if path.is_dir() {
        return Err(format!(
            "'{text}' is a directory; give a file name, FILE.svg"
        ));
    }
    match path.extension().and_then(|e| e.to_str()) {
        Some(e) if e.eq_ignore_ascii_case("svg") => Ok(path),
        _ => Err(format!(
            "'{text}' is not an .svg file; the chart is drawn in SVG (give FILE.svg, and convert it if another format is needed)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_consistent() {
        whole_command().debug_assert();
    }
}

/// A free-form value with known choices to offer: shell completion proposes them, any
/// other value is accepted as written and checked where its meaning is known (a region of a
/// user's own pricing file, a scenario of their own modes file). The choices are listed only
/// when asked for (completions, the manual): a command line is parsed without reading the
/// embedded books for them.
#[derive(Clone, Copy, Debug)]
pub struct Offered(pub fn() -> Vec<String>, pub Case);

/// Whether a value offered is taken in the case it is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Case {
    /// As written (a user's own scenario names).
    Kept,
    /// In lower case, as AWS names regions (`US-EAST-1` is `us-east-1`).
    Folded,
}

impl clap::builder::TypedValueParser for Offered {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        let text = clap::builder::StringValueParser::new().parse_ref(cmd, arg, value)?;
        Ok(match self.1 {
            Case::Kept => text,
            Case::Folded => text.to_ascii_lowercase(),
        })
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(
            (self.0)()
                .into_iter()
                .map(clap::builder::PossibleValue::new),
        ))
    }
}

/// The regions of the embedded price book.
fn regions() -> Vec<String> {
    lambcost_core::embedded::region_names()
        .iter()
        .map(|r| r.to_string())
        .collect()
}

/// The regions of the embedded price book, offered to `--region`.
pub fn offered_regions() -> Offered {
    Offered(regions, Case::Folded)
}

/// The regions and `all`, offered to `pricing --region`.
pub fn offered_regions_or_all() -> Offered {
    Offered(
        || {
            let mut all = regions();
            all.push("all".to_string());
            all
        },
        Case::Folded,
    )
}

/// The scenarios of the embedded modes file, offered to `--scenario`.
pub fn offered_scenarios() -> Offered {
    Offered(
        || {
            lambcost_core::modes::ModeBook::embedded()
                .scenarios
                .into_keys()
                .collect()
        },
        Case::Kept,
    )
}

/// `--arch`: x86_64 or arm64 (and their other names), offered as the two.
pub fn arch_parser() -> impl clap::builder::TypedValueParser<Value = lambcost_core::pricing::Arch> {
    use clap::builder::TypedValueParser;
    Offered(|| vec!["x86_64".into(), "arm64".into()], Case::Folded)
        .try_map(|s| s.parse::<lambcost_core::pricing::Arch>())
}
