//! `lambcost compare`: variants side by side, from any mix of summary tables, samples and
//! logs, with their statistics, their monthly cost at each traffic level and how each stands
//! against the baseline.

use crate::cli::CompareArgs;
use crate::compare::{self, Compared};
use crate::profile::{Figure, Profile};
use crate::report::{Cell, Column, Detail, Field, Report, View};
use anyhow::{Result, bail};
use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;
use serde_json::{Value, json};

/// One CSV row: a variant at a traffic level, against the baseline.
pub struct LevelRow<'a> {
    /// The variant and how it stands against the baseline.
    pub compared: &'a Compared,
    /// Which traffic level.
    pub level: usize,
    /// The baseline's name.
    pub baseline: &'a str,
}

impl LevelRow<'_> {
    fn cost(&self) -> &compare::LevelCost {
        &self.compared.levels[self.level]
    }

    fn saving(&self) -> (f64, f64) {
        self.compared
            .cost_saving
            .get(self.level)
            .copied()
            .unwrap_or((0.0, 0.0))
    }
}

/// The CSV columns, one row per variant and traffic level, each with its cell.
pub fn fields<'f>() -> Vec<Field<'f, LevelRow<'f>>> {
    let mut fields = fields_first();
    fields.extend(fields_second());
    fields
}

/// The first of [`fields`]'s columns.
fn fields_first<'f>() -> Vec<Field<'f, LevelRow<'f>>> {
    type R<'a> = LevelRow<'a>;
    let cold = |f: fn(&Figure) -> Option<f64>| {
        move |r: &R<'_>| num(r.compared.profile.cold_start.as_ref().and_then(f))
    };
    let warm = |f: fn(&Figure) -> Option<f64>| {
        move |r: &R<'_>| num(r.compared.profile.warm.as_ref().and_then(f))
    };
    vec![
        Field::new(Column::data("variant"), |r: &R<'_>| {
            Cell::Text(r.compared.profile.name.clone())
        }),
        Field::new(Column::data("mode"), |r: &R<'_>| {
            Cell::Text(r.compared.profile.mode.clone())
        }),
        Field::new(Column::data("arch"), |r: &R<'_>| {
            Cell::Text(r.compared.profile.arch.to_string())
        }),
        Field::new(Column::data("memory_mb"), |r: &R<'_>| {
            Cell::Count(u64::from(r.compared.profile.memory_mb))
        }),
        Field::new(Column::data("samples"), |r: &R<'_>| {
            let m = r.compared.profile.measurements.as_ref();
            Cell::Count(m.map_or(0, |m| m.cold.count + m.warm.count))
        }),
        Field::new(Column::data("cold_start_ms"), cold(|f| Some(f.mean_ms))),
        Field::new(
            Column::data("cold_start_ci95_ms"),
            cold(|f| Some(f.ci95_ms)),
        ),
        Field::new(Column::data("cold_start_p50_ms"), cold(|f| f.p50_ms)),
        Field::new(Column::data("cold_start_p95_ms"), cold(|f| f.p95_ms)),
        Field::new(Column::data("cold_start_p99_ms"), cold(|f| f.p99_ms)),
        Field::new(Column::data("warm_ms"), warm(|f| Some(f.mean_ms))),
        Field::new(Column::data("warm_ci95_ms"), warm(|f| Some(f.ci95_ms))),
        Field::new(Column::data("warm_p50_ms"), warm(|f| f.p50_ms)),
        Field::new(Column::data("warm_p95_ms"), warm(|f| f.p95_ms)),
        Field::new(Column::data("warm_p99_ms"), warm(|f| f.p99_ms)),
        Field::new(Column::data("max_memory_used_mb_min"), |r: &R<'_>| {
            let m = r.compared.profile.max_memory_used_mb;
            m.map_or(Cell::Empty, |m| Cell::Count(u64::from(m.0)))
        }),
        Field::new(Column::data("max_memory_used_mb_max"), |r: &R<'_>| {
            let m = r.compared.profile.max_memory_used_mb;
            m.map_or(Cell::Empty, |m| Cell::Count(u64::from(m.1)))
        }),
        Field::new(Column::data("baseline"), |r: &R<'_>| {
            Cell::Text(r.baseline.to_string())
        }),
        Field::new(Column::data("cold_start_speedup"), |r: &R<'_>| {
            num(r.compared.cold_speedup.map(|x| x.0))
        }),
        Field::new(Column::data("cold_start_speedup_ci95"), |r: &R<'_>| {
            num(r.compared.cold_speedup.map(|x| x.1))
        }),
        Field::new(Column::data("warm_speedup"), |r: &R<'_>| {
            num(r.compared.warm_speedup.map(|x| x.0))
        }),
        Field::new(Column::data("warm_speedup_ci95"), |r: &R<'_>| {
            num(r.compared.warm_speedup.map(|x| x.1))
        }),
        Field::new(Column::data("memory_saving"), |r: &R<'_>| {
            num(r.compared.memory_saving)
        }),
    ]
}

/// The rest of [`fields`]'s columns.
fn fields_second<'f>() -> Vec<Field<'f, LevelRow<'f>>> {
    type R<'a> = LevelRow<'a>;
    let usd = |f: fn(&compare::LevelCost) -> Decimal| move |r: &R<'_>| Cell::Usd(f(r.cost()));
    vec![
        Field::new(Column::data("requests"), |r: &R<'_>| {
            Cell::Count(r.cost().requests)
        }),
        Field::new(Column::data("cold_start_rate"), |r: &R<'_>| {
            Cell::Share(r.cost().cold_start_rate)
        }),
        Field::new(Column::data("cold_start_source"), |r: &R<'_>| {
            Cell::Text(r.cost().source.as_str().to_string())
        }),
        Field::new(Column::data("observed_cold_starts"), |r: &R<'_>| {
            r.compared
                .profile
                .observed_cold
                .map_or(Cell::Empty, |o| Cell::Count(o.cold))
        }),
        Field::new(Column::data("observed_invocations"), |r: &R<'_>| {
            r.compared
                .profile
                .observed_cold
                .map_or(Cell::Empty, |o| Cell::Count(o.invocations))
        }),
        Field::new(Column::data("observed_cold_start_rate"), |r: &R<'_>| {
            r.compared
                .profile
                .observed_cold
                .map_or(Cell::Empty, |o| Cell::Share(o.share()))
        }),
        Field::new(
            Column::data("observed_cold_start_rate_ci95_low"),
            |r: &R<'_>| num(r.compared.profile.observed_cold.map(|o| o.ci95().0)),
        ),
        Field::new(
            Column::data("observed_cold_start_rate_ci95_high"),
            |r: &R<'_>| num(r.compared.profile.observed_cold.map(|o| o.ci95().1)),
        ),
        Field::new(Column::data("gb_seconds"), |r: &R<'_>| {
            Cell::Number(r.cost().cost.gb_seconds, 0)
        }),
        Field::new(Column::data("compute_usd"), usd(|l| l.cost.compute_usd())),
        Field::new(Column::data("requests_usd"), usd(|l| l.cost.requests_usd)),
        Field::new(Column::data("total_usd"), usd(|l| l.cost.total_usd())),
        Field::new(Column::data("total_ci95_usd"), |r: &R<'_>| {
            num(Some(r.cost().total_ci95_usd))
        }),
        Field::new(
            Column::data("usd_per_million"),
            usd(|l| l.cost.usd_per_million()),
        ),
        Field::new(
            Column::data("total_usd_at_baseline_memory"),
            usd(|l| l.at_baseline_memory.total_usd()),
        ),
        Field::new(Column::data("cost_saving"), |r: &R<'_>| {
            num(Some(r.saving().0))
        }),
        Field::new(Column::data("cost_saving_ci95"), |r: &R<'_>| {
            num(Some(r.saving().1))
        }),
    ]
}

/// Runs `lambcost compare`.
pub fn run(args: &CompareArgs) -> Result<Report> {
    let book = crate::setup::context::price_book(args.price.pricing.as_deref(), Some(&args.price.region))?;
    let pricer = crate::setup::context::pricer(&args.price, &book)?;
    let naming = crate::setup::inputs::LogNaming {
        variants: &args.logs.variants,
        modes: &args.logs.modes,
        archs: &args.price.arch,
        strict: args.logs.strict,
        group_by: args.logs.group_by.into(),
        threads: args.logs.threads.map_or(0, |n| n as usize),
    };
    let modes = crate::modes::ModeBook::embedded()?;
    crate::assemble::check_modes(&args.logs.modes, &modes)?;
    let mut inputs = crate::setup::inputs::select_profiles(&args.files, &naming, &pricer)?;
    inputs
        .warnings
        .extend(crate::setup::context::price_warnings(&args.price));
    let mut profiles = inputs.profiles;
    let replayed = super::replay::attach(&mut profiles, &args.cold, &pricer)?;
    inputs.warnings.extend(replayed);
    let baseline = match &args.baseline {
        None => compare::default_baseline(&profiles, modes.reference()),
        Some(name) => match profiles.iter().position(|p| &p.name == name) {
            Some(i) => i,
            None => bail!(
                "--baseline: '{name}' is not among the variants; they are: {}",
                names(&profiles)
            ),
        },
    };
    report(
        &profiles,
        baseline,
        &Settings {
            requests: &args.requests,
            output: &args.output,
            plot: &args.plot,
            cold: &args.cold,
            price: &args.price,
            pricer: &pricer,
        },
        inputs.warnings,
        &crate::setup::inputs::describe(&args.files),
    )
}

/// What a comparison is made under.
pub struct Settings<'a> {
    /// Traffic levels.
    pub requests: &'a [u64],
    /// Where the report goes (what it needs: charts, the workbook).
    pub output: &'a crate::cli::OutputArgs,
    /// Whether a chart is drawn beside it.
    pub plot: &'a crate::cli::PlotArgs,
    /// Cold-start share options.
    pub cold: &'a crate::cli::ColdStartArgs,
    /// Pricing options.
    pub price: &'a crate::cli::PriceArgs,
    /// The prices they resolve to.
    pub pricer: &'a crate::cost::Pricer<'a>,
}

/// A comparison computed once, for a command to present: compare prints it as it is,
/// measure frames it with what its runs found.
pub struct Comparison<'a> {
    /// The variants.
    pub profiles: &'a [Profile],
    /// Each against the baseline, priced at every level.
    pub compared: Vec<Compared>,
    /// The baseline's index.
    pub baseline: usize,
    /// What it was made under.
    pub settings: &'a Settings<'a>,
    /// The traffic model of the settings.
    pub model: crate::traffic::TrafficModel,
    /// Whether the table shown has the observed-share column (measure's power tuning has
    /// none): the notes speak of it only then.
    pub observed_column: bool,
}

impl<'a> Comparison<'a> {
    /// Compares `profiles` with `profiles[baseline]` under `settings`.
    pub fn new(
        profiles: &'a [Profile],
        baseline: usize,
        settings: &'a Settings<'a>,
    ) -> Result<Self> {
        let pricer = settings.pricer;
        let model = crate::setup::context::traffic_model(settings.cold, pricer.month_hours());
        let compared = compare::compare(
            profiles,
            baseline,
            settings.requests,
            settings.cold.choice(),
            &model,
            pricer,
        )?;
        Ok(Comparison {
            profiles,
            compared,
            baseline,
            settings,
            model,
            observed_column: true,
        })
    }

    fn base(&self) -> &Profile {
        &self.profiles[self.baseline]
    }

    /// `lambcost compare: 5 variants against regular-net8 (512 MB), 1M, 10M`.
    pub fn title(&self) -> String {
        let base = self.base();
        format!(
            "lambcost compare: {} variants against {} ({} MB), {}",
            self.profiles.len(),
            base.name,
            base.memory_mb,
            self.settings
                .requests
                .iter()
                .map(|r| crate::format::short_count(*r))
                .collect::<Vec<_>>()
                .join(", ")
        )
    }

    /// The CSV's columns and rows: one per variant and traffic level.
    pub fn table(&self) -> (Vec<Column>, Vec<Vec<Cell>>) {
        let base = &self.base().name;
        let fields = fields();
        let rows = self
            .compared
            .iter()
            .flat_map(|c| {
                (0..c.levels.len()).map(move |level| LevelRow {
                    compared: c,
                    level,
                    baseline: base,
                })
            })
            .map(|r| crate::report::row(&fields, &r))
            .collect();
        (crate::report::columns(&fields), rows)
    }

    /// The table people read: one row per variant.
    pub fn view(&self) -> View {
        view(&self.compared, self.baseline, self.settings.requests)
    }

    /// What the answer rests on, in short lines under the table: the cold-start share and
    /// the prices.
    pub fn notes(&self) -> Vec<String> {
        let observed = self.profiles.iter().any(|p| p.observed_cold.is_some());
        vec![
            crate::present::sentences::cold_start_line(
                self.settings.cold.choice(),
                self.settings.cold,
                observed && self.observed_column,
            ),
            crate::present::sentences::prices_line(self.settings.price, self.settings.pricer),
        ]
    }

    /// Every other note, in full, printed with `--explain`.
    pub fn details(&self) -> Vec<Detail> {
        let observed = self.profiles.iter().any(|p| p.observed_cold.is_some());
        let mut details = details(self.settings, self.base(), observed);
        details.extend(
            crate::present::sentences::rebill_note(self.profiles, self.settings.pricer).map(Detail::general),
        );
        details.extend(
            self.profiles
                .iter()
                .filter_map(outlier_note)
                .map(Detail::general),
        );
        details
    }

    /// What the data holds that the user should not miss: invocations that failed.
    pub fn data_warnings(&self) -> Vec<String> {
        self.profiles.iter().filter_map(failure_warning).collect()
    }

    /// The assumptions as values.
    pub fn assumptions(&self) -> Vec<(&'static str, Cell)> {
        let (settings, pricer) = (self.settings, self.settings.pricer);
        vec![
            ("region", Cell::Text(settings.price.region.clone())),
            ("month_hours", Cell::Number(pricer.month_hours(), 0)),
            ("free_tier", Cell::Flag(settings.price.free_tier)),
            (
                "account_gb_seconds",
                Cell::Number(settings.price.account_gb_seconds, 0),
            ),
            (
                "idle_reclaim_s",
                Cell::Number(settings.cold.idle_reclaim / Decimal::from(1000), 0),
            ),
            (
                "env_lifetime_s",
                Cell::Number(settings.cold.env_lifetime / Decimal::from(1000), 0),
            ),
        ]
    }

    /// The JSON document of a report holding this comparison, with `extra` keys of the
    /// command's own.
    pub fn document(&self, report: &Report, extra: serde_json::Map<String, Value>) -> Value {
        let mut doc = document(&self.compared, &self.base().name, report);
        if let Value::Object(map) = &mut doc {
            map.extend(extra);
        }
        doc
    }

    /// The cost-against-traffic and latency charts, when the output asks for them.
    pub fn charts(&self) -> Result<Vec<crate::report::svg::Chart>> {
        let (settings, pricer) = (self.settings, self.settings.pricer);
        if !super::wants_chart(settings.output, settings.plot) {
            return Ok(Vec::new());
        }
        let names: Vec<String> = self.profiles.iter().map(|p| p.name.clone()).collect();
        let mut charts = vec![crate::present::charts::cost_chart(
            format!("Monthly cost against traffic, {}", settings.price.region),
            &names,
            settings.requests,
            |i, requests| {
                let p = &self.profiles[i];
                let choice = settings.cold.choice();
                Ok(
                    crate::scenario::on_demand(p, requests, choice, &self.model, pricer)?
                        .cost
                        .total_usd(),
                )
            },
        )?];
        charts.extend(crate::present::charts::latency_chart(
            "Latency distribution (cumulative)".to_string(),
            self.profiles,
        ));
        Ok(charts)
    }

    /// The workbook, when the output is one.
    pub fn workbook(&self) -> Option<crate::report::xlsx::CostBook> {
        if !super::wants_workbook(self.settings.output) {
            return None;
        }
        let rows = self
            .compared
            .iter()
            .flat_map(|c| {
                c.levels.iter().map(|l| crate::report::xlsx::InputRow {
                    variant: c.profile.name.clone(),
                    arch: c.profile.arch.to_string(),
                    memory_mb: c.profile.memory_mb,
                    requests: l.requests,
                    warm_billed_ms: c.profile.warm_billed_ms,
                    cold_billed_ms: c.profile.cold_billed_ms,
                    cold_start_rate: l.cold_start_rate,
                })
            })
            .collect();
        Some(crate::present::workbook::cost_book(self.settings.pricer, rows))
    }
}

/// The comparison report of `profiles` against `profiles[baseline]`.
pub fn report(
    profiles: &[Profile],
    baseline: usize,
    settings: &Settings<'_>,
    warnings: Vec<String>,
    data: &str,
) -> Result<Report> {
    let comparison = Comparison::new(profiles, baseline, settings)?;
    let (columns, rows) = comparison.table();
    let mut warnings = warnings;
    warnings.extend(comparison.data_warnings());
    let mut report = Report {
        title: comparison.title(),
        columns,
        rows,
        notes: comparison.notes(),
        details: comparison.details(),
        data: data.to_string(),
        assumptions: comparison.assumptions(),
        warnings,
        view: Some(comparison.view()),
        charts: comparison.charts()?,
        workbook: comparison.workbook(),
        ..Report::default()
    };
    report.json = Some(comparison.document(&report, serde_json::Map::new()));
    Ok(report)
}

/// The variants' names, comma-separated, for messages.
pub(super) fn names(profiles: &[Profile]) -> String {
    profiles
        .iter()
        .map(|p| p.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn num(v: Option<f64>) -> Cell {
    match v.and_then(Decimal::from_f64) {
        Some(d) => Cell::Number(d.round_dp(6), 2),
        None => Cell::Empty,
    }
}

/// `6.5x` or `6.5 ± 0.2x`.
fn times(r: Option<(f64, f64)>) -> Cell {
    match r {
        None => Cell::Empty,
        Some((v, half)) if half > 0.0 => Cell::Figure(format!("{} ± {}x", sig(v), sig(half))),
        Some((v, _)) => Cell::Figure(format!("{}x", sig(v))),
    }
}

/// Two decimals below 10, one above: 7.02, 14.3.
fn sig(v: f64) -> String {
    if v.abs() >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

/// `52% less`, `10% more`.
fn less(saving: Option<f64>, half: f64, less_word: &str, more_word: &str) -> Cell {
    match saving {
        None => Cell::Empty,
        Some(s) => {
            let pct = (s * 100.0).abs();
            let word = if s >= 0.0 { less_word } else { more_word };
            if half > 0.0 {
                Cell::Text(format!("{pct:.0} ± {:.0}% {word}", half * 100.0))
            } else {
                Cell::Text(format!("{pct:.0}% {word}"))
            }
        }
    }
}

fn latency(f: Option<&Figure>) -> Cell {
    match f {
        None => Cell::Empty,
        Some(f) if f.ci95_ms >= 0.05 => {
            Cell::Figure(format!("{:.1} ± {:.1}", f.mean_ms, f.ci95_ms))
        }
        Some(f) if f.ci95_ms > 0.0 => Cell::Figure(format!("{:.2} ± {:.2}", f.mean_ms, f.ci95_ms)),
        Some(f) => Cell::Figure(crate::format::grouped(
            Decimal::from_f64(f.mean_ms.round()).unwrap_or_default(),
            0,
        )),
    }
}

/// The four columns that say how a variant stands against the baseline; the baseline's own
/// row says `baseline` in each. With the baseline `alone`, they say nothing.
fn against_baseline<'f>(alone: bool) -> Vec<Field<'f, ViewRow<'f>>> {
    type V<'a> = ViewRow<'a>;
    let against = |cell: fn(&Compared) -> Cell| {
        move |v: &V<'_>| {
            if v.is_baseline {
                Cell::Text("baseline".into())
            } else {
                cell(v.c)
            }
        }
    };
    vec![
        Field::new(
            Column::shown("cold_start_speedup", "Cold start")
                .optional(3)
                .redundant_if(alone),
            against(|c| times(c.cold_speedup)),
        ),
        Field::new(
            Column::shown("warm_speedup", "Warm")
                .optional(4)
                .redundant_if(alone),
            against(|c| times(c.warm_speedup)),
        ),
        Field::new(
            Column::shown("memory_saving", "Memory")
                .optional(5)
                .redundant_if(alone),
            against(|c| less(c.memory_saving, 0.0, "less", "more")),
        ),
        Field::new(
            Column::shown("cost_saving", "Cost")
                .optional(3)
                .redundant_if(alone),
            against(|c| {
                let (s, h) = c.cost_saving.first().copied().unwrap_or((0.0, 0.0));
                less(Some(s), h, "lower", "higher")
            }),
        ),
    ]
}

/// The cost columns: the total at each level, then per million and at the baseline's
/// memory, both at the first level.
fn cost_fields<'f>(levels: &[u64], base_memory_mb: u32) -> Vec<Field<'f, ViewRow<'f>>> {
    type V<'a> = ViewRow<'a>;
    let first = levels.first().copied().unwrap_or(0);
    let mut fields: Vec<Field<'f, V<'f>>> = Vec::new();
    for (i, &l) in levels.iter().enumerate() {
        fields.push(Field::new(
            Column::titled("total_usd", format!("$ @{}", crate::format::short_count(l)))
                .optional(if i == 0 { 0 } else { 4 }),
            move |v: &V<'_>| {
                v.c.levels
                    .get(i)
                    .map_or(Cell::Empty, |level| Cell::Usd(level.cost.total_usd()))
            },
        ));
    }
    fields.push(Field::new(
        Column::titled(
            "usd_per_million",
            format!("$/1M @{}", crate::format::short_count(first)),
        )
        .optional(7)
        .redundant_if(first == 1_000_000),
        |v: &V<'_>| {
            v.c.levels
                .first()
                .map_or(Cell::Empty, |l| Cell::Usd(l.cost.usd_per_million()))
        },
    ));
    fields.push(Field::new(
        Column::titled(
            "total_usd_at_baseline_memory",
            format!(
                "$ @{} at {} MB",
                crate::format::short_count(first),
                base_memory_mb
            ),
        )
        .optional(6),
        |v: &V<'_>| {
            v.c.levels
                .first()
                .map_or(Cell::Empty, |l| Cell::Usd(l.at_baseline_memory.total_usd()))
        },
    ));
    fields
}

/// The cold-start share that prices the first level and, for measured data, the share the
/// data itself shows (with its sample and 95% interval): side by side, so that a short log's
/// few cold starts are read for what they are.
fn cold_share_fields<'f>(compared: &[Compared], levels: &[u64]) -> Vec<Field<'f, ViewRow<'f>>> {
    type V<'a> = ViewRow<'a>;
    let first = levels.first().copied().unwrap_or(0);
    let observed = compared.iter().any(|c| c.profile.observed_cold.is_some());
    let mut fields = vec![Field::new(
        Column::titled(
            "cold_start_rate",
            format!("Cold % @{}", crate::format::short_count(first)),
        )
        .abbreviated("Cold %")
        .optional(if observed { 0 } else { 5 }),
        |v: &V<'_>| {
            v.c.levels
                .first()
                .map_or(Cell::Empty, |l| Cell::Share(l.cold_start_rate))
        },
    )];
    if observed {
        fields.push(Field::new(
            // Beside the share that prices the month, the data's own: kept on any terminal.
            Column::shown("observed_cold_start_rate", "Observed cold (95% CI)")
                .abbreviated("Observed"),
            |v: &V<'_>| observed_cell(v.c.profile.observed_cold),
        ));
    }
    fields
}

/// `3/110: 2.7% (0.9-7.7%)`, or nothing for a summary row.
pub fn observed_cell(observed: Option<crate::profile::ObservedShare>) -> Cell {
    observed.map_or(Cell::Empty, |o| {
        Cell::Figure(crate::format::observed_share(
            o.cold,
            o.invocations,
            o.ci95(),
        ))
    })
}

/// Whether both architectures are among `archs`: rows then differ by it alone, and the
/// column that says which is kept on any terminal.
pub fn both_archs(archs: impl Iterator<Item = crate::pricing::Arch> + Clone) -> bool {
    use crate::pricing::Arch;
    archs.clone().any(|a| a == Arch::X86_64) && archs.into_iter().any(|a| a == Arch::Arm64)
}

/// One row of the table people read.
struct ViewRow<'a> {
    c: &'a Compared,
    is_baseline: bool,
}

/// The table people read: one row per variant, its latency, memory, cost at each level and
/// how it stands against the baseline.
fn view(compared: &[Compared], baseline: usize, levels: &[u64]) -> View {
    type V<'a> = ViewRow<'a>;
    let base = &compared[baseline].profile;
    let has_percentiles = compared
        .iter()
        .any(|c| c.profile.warm.as_ref().is_some_and(|w| w.p50_ms.is_some()));
    let mut fields: Vec<Field<'_, V<'_>>> = vec![
        Field::new(Column::shown("variant", "Variant"), |v: &V<'_>| {
            Cell::Text(v.c.profile.name.clone())
        }),
        Field::new(
            Column::shown("mode", "Mode")
                .optional(4)
                .redundant_if(compared.iter().all(|c| c.profile.mode.is_empty())),
            |v: &V<'_>| Cell::Text(v.c.profile.mode.clone()),
        ),
        Field::new(
            Column::shown("arch", "Arch")
                .optional(if both_archs(compared.iter().map(|c| c.profile.arch)) {
                    0
                } else {
                    1
                })
                .shown_if(
                    compared
                        .iter()
                        .any(|c| c.profile.arch != crate::pricing::Arch::X86_64),
                ),
            |v: &V<'_>| Cell::Text(v.c.profile.arch.to_string()),
        ),
        Field::new(Column::shown("memory_mb", "MB").optional(2), |v: &V<'_>| {
            Cell::Count(u64::from(v.c.profile.memory_mb))
        }),
        Field::new(
            Column::shown("cold_start_ms", "Cold start ms").abbreviated("Cold ms"),
            |v: &V<'_>| latency(v.c.profile.cold_start.as_ref()),
        ),
        Field::new(Column::shown("warm_ms", "Warm ms"), |v: &V<'_>| {
            latency(v.c.profile.warm.as_ref())
        }),
    ];
    if has_percentiles {
        fields.push(Field::new(
            Column::shown("warm_percentiles", "Warm p50/p95/p99").optional(6),
            |v: &V<'_>| match v.c.profile.warm.as_ref() {
                Some(Figure {
                    p50_ms: Some(a),
                    p95_ms: Some(b),
                    p99_ms: Some(c),
                    ..
                }) => Cell::Figure(format!("{a:.1} / {b:.1} / {c:.1}")),
                _ => Cell::Empty,
            },
        ));
    }
    fields.push(Field::new(
        Column::shown("max_memory_used_mb", "Peak MB").optional(5),
        |v: &V<'_>| {
            v.c.profile
                .peak_memory_mb()
                .map_or(Cell::Empty, |m| Cell::Count(u64::from(m)))
        },
    ));
    fields.extend(cold_share_fields(compared, levels));
    fields.extend(cost_fields(levels, base.memory_mb));
    fields.extend(against_baseline(compared.len() == 1));
    let rows = compared
        .iter()
        .enumerate()
        .map(|(i, c)| {
            crate::report::row(
                &fields,
                &ViewRow {
                    c,
                    is_baseline: i == baseline,
                },
            )
        })
        .collect();
    View {
        columns: crate::report::columns(&fields),
        rows,
    }
}

fn details(settings: &Settings<'_>, base: &Profile, observed: bool) -> Vec<Detail> {
    let pricer = settings.pricer;
    let first = settings.requests.first().copied().unwrap_or(0);
    let mut details = vec![
        Detail::about(
            "cold_start_speedup",
            format!(
                "Against {}: cold start and warm are how many times faster (baseline mean / variant mean); memory compares the peak Max Memory Used; cost is at {}. ± is the 95% interval where samples allow.",
                base.name,
                crate::format::short_count(first)
            ),
        ),
        Detail::about(
            "total_usd_at_baseline_memory",
            format!(
                "\"$ @{} at {} MB\" prices each variant's own durations at the baseline's memory: what is left of the saving there is the build mode's; the rest is the memory setting's.",
                crate::format::short_count(first),
                base.memory_mb
            ),
        ),
        Detail::general(crate::present::sentences::cold_start_note(
            settings.cold,
            pricer.month_hours(),
            observed,
        )),
    ];
    if observed {
        details.push(Detail::about(
            "observed_cold_start_rate",
            "Observed cold: the share of the data's own invocations that were cold, with its 95% interval (Wilson); a log's share is that of its own window and traffic (--cold-start-rate observed prices with it).",
        ));
    }
    details.push(Detail::general(
        "Cost uses every invocation's billed duration where samples exist (summed, then priced), outliers included; summary rows use their published figures.",
    ));
    details.push(Detail::general(crate::present::sentences::prices_detail(
        settings.price,
        pricer,
    )));
    if !settings.price.arch.is_empty() {
        details.push(Detail::about("arch", crate::present::sentences::ARCH_WHAT_IF));
    }
    details
}

/// The outliers of a measured variant, in a sentence (none for clean data): part of any
/// real sample, kept in every figure, worth a detail, not a warning.
fn outlier_note(p: &Profile) -> Option<String> {
    let m = p.measurements.as_ref()?;
    let parts: Vec<String> = [("cold", &m.cold), ("warm", &m.warm)]
        .iter()
        .filter_map(|(phase, stats)| {
            let d = stats.duration_ms.as_ref()?;
            (d.outliers > 0).then(|| {
                format!(
                    "{} of {} {phase} durations are outliers (MAD rule; largest {:.1} ms)",
                    d.outliers, d.count, d.max
                )
            })
        })
        .collect();
    (!parts.is_empty()).then(|| {
        format!(
            "{}: {}; all are kept in every figure and in the cost.",
            p.name,
            parts.join("; ")
        )
    })
}

/// The invocations of a measured variant that did not succeed, in a sentence (none when all
/// did).
fn failure_warning(p: &Profile) -> Option<String> {
    let m = p.measurements.as_ref()?;
    let failed: Vec<String> = m
        .statuses
        .iter()
        .filter(|(s, n)| **s != "success" && **n > 0)
        .map(|(s, n)| format!("{s}: {n}"))
        .collect();
    let total: u64 = m.statuses.values().sum();
    let bad: u64 = m
        .statuses
        .iter()
        .filter(|(s, _)| **s != "success")
        .map(|(_, n)| n)
        .sum();
    (!failed.is_empty()).then(|| {
        format!(
            "{}: {bad} of {total} invocations did not succeed ({}); they are kept in every figure and in the cost",
            p.name,
            failed.join(", ")
        )
    })
}

fn figure(f: Option<&Figure>) -> Value {
    f.map_or(Value::Null, |f| {
        serde_json::to_value(f).unwrap_or(Value::Null)
    })
}

fn document(compared: &[Compared], baseline: &str, report: &Report) -> Value {
    let variants: Vec<Value> = compared
        .iter()
        .map(|c| {
            let p = &c.profile;
            let costs: Vec<Value> = c
                .levels
                .iter()
                .zip(&c.cost_saving)
                .map(|(l, (saving, saving_ci))| {
                    json!({
                        "requests": l.requests,
                        "cold_start_rate": crate::report::json_value(&Cell::Share(l.cold_start_rate)),
                        "cold_start_source": l.source.as_str(),
                        "cold_starts": crate::report::json_value(&Cell::Number(l.cost.cold_starts, 0)),
                        "gb_seconds": crate::report::json_value(&Cell::Number(l.cost.gb_seconds, 0)),
                        "compute_usd": crate::report::json_value(&Cell::Usd(l.cost.compute_usd())),
                        "requests_usd": crate::report::json_value(&Cell::Usd(l.cost.requests_usd)),
                        "total_usd": crate::report::json_value(&Cell::Usd(l.cost.total_usd())),
                        "total_ci95_usd": l.total_ci95_usd,
                        "usd_per_million": crate::report::json_value(&Cell::Usd(l.cost.usd_per_million())),
                        "total_usd_at_baseline_memory": crate::report::json_value(&Cell::Usd(l.at_baseline_memory.total_usd())),
                        "cost_saving": saving,
                        "cost_saving_ci95": saving_ci,
                    })
                })
                .collect();
            json!({
                "variant": p.name,
                "mode": p.mode,
                "arch": p.arch.as_str(),
                "memory_size_mb": p.memory_mb,
                "cold_start": figure(p.cold_start.as_ref()),
                "warm": figure(p.warm.as_ref()),
                "max_memory_used_mb": p.max_memory_used_mb.map(|m| json!({"min": m.0, "max": m.1})),
                "observed_cold_start": p.observed_cold.map(|o| json!({
                    "cold_starts": o.cold,
                    "invocations": o.invocations,
                    "rate": crate::report::json_value(&Cell::Share(o.share())),
                    "ci95": [o.ci95().0, o.ci95().1],
                })),
                "statistics": p.measurements.as_ref().map(|m| serde_json::to_value(m).unwrap_or(Value::Null)),
                "cold_start_speedup": c.cold_speedup.map(|r| json!({"value": r.0, "ci95": r.1})),
                "warm_speedup": c.warm_speedup.map(|r| json!({"value": r.0, "ci95": r.1})),
                "memory_saving": c.memory_saving,
                "costs": costs,
            })
        })
        .collect();
    let mut assumptions = serde_json::Map::new();
    for (k, v) in &report.assumptions {
        assumptions.insert((*k).to_string(), crate::report::json_value(v));
    }
    json!({
        "baseline": baseline,
        "variants": variants,
        "assumptions": assumptions,
        "warnings": report.warnings,
    })
}
