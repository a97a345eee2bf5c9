//! A comparison presented: what compare prints as it is and measure frames with what its runs
//! found. The core compares ([`lambcost_core::compare::compare`]); this turns its answer into the
//! report's parts: the title, the columns, the table people read, the notes and details, the
//! data's warnings, the assumptions, the JSON, the charts and the workbook.

mod columns;
mod document;

pub use columns::{LevelRow, fields};

use crate::report::{Cell, Column, Detail, Report, View};
use anyhow::Result;
use lambcost_core::compare::{self, Compared};
use lambcost_core::profile::Profile;
use rust_decimal::Decimal;
use serde_json::Value;

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
    pub pricer: &'a lambcost_core::cost::Pricer<'a>,
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
    pub model: lambcost_core::traffic::TrafficModel,
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
                .map(|r| lambcost_core::format::short_count(*r))
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
        columns::view(&self.compared, self.baseline, self.settings.requests)
    }

    /// What the answer rests on, in short lines under the table: the cold-start share and
    /// the prices.
    pub fn notes(&self) -> Vec<String> {
        let observed = self.profiles.iter().any(|p| p.observed_cold.is_some());
        let mut notes = vec![
            crate::present::sentences::cold_start_line(
                self.settings.cold.choice(),
                self.settings.cold,
                observed && self.observed_column,
            ),
            crate::present::sentences::prices_line(self.settings.price, self.settings.pricer),
        ];
        notes.extend(crate::present::sentences::rebill_line(
            self.profiles,
            self.settings.pricer,
        ));
        notes.extend(crate::present::sentences::what_if_line(self.profiles));
        notes
    }

    /// Every other note, in full, printed with `--explain`.
    pub fn details(&self) -> Vec<Detail> {
        let observed = self.profiles.iter().any(|p| p.observed_cold.is_some());
        let mut details = details(self.settings, self.base(), observed);
        details.extend(
            crate::present::sentences::rebill_note(self.profiles, self.settings.pricer)
                .map(Detail::general),
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
                "savings_plan",
                Cell::Share(settings.price.savings_plan.unwrap_or_default()),
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
        let mut doc = document::document(&self.compared, &self.base().name, report);
        if let Value::Object(map) = &mut doc {
            map.extend(extra);
        }
        doc
    }

    /// The cost-against-traffic and latency charts, when the output asks for them.
    pub fn charts(&self) -> Result<Vec<crate::report::svg::Chart>> {
        let (settings, pricer) = (self.settings, self.settings.pricer);
        if !crate::cmd::wants_chart(settings.output, settings.plot) {
            return Ok(Vec::new());
        }
        let names: Vec<String> = self.profiles.iter().map(|p| p.label()).collect();
        let mut charts = vec![crate::present::charts::cost_chart(
            format!("Monthly cost against traffic, {}", settings.price.region),
            &names,
            settings.requests,
            |i, requests| {
                let p = &self.profiles[i];
                let choice = settings.cold.choice();
                Ok(
                    lambcost_core::scenario::on_demand(p, requests, choice, &self.model, pricer)?
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
        if !crate::cmd::wants_workbook(self.settings.output) {
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
        Some(crate::present::workbook::cost_book(
            self.settings.pricer,
            rows,
        ))
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

fn details(settings: &Settings<'_>, base: &Profile, observed: bool) -> Vec<Detail> {
    let pricer = settings.pricer;
    let first = settings.requests.first().copied().unwrap_or(0);
    let mut details = vec![
        Detail::about(
            "cold_start_speedup",
            format!(
                "Against {}: cold start and warm are how many times faster (baseline mean / variant mean); memory compares the peak Max Memory Used; cost is at {}. ± is the 95% interval where samples allow.",
                base.name,
                lambcost_core::format::short_count(first)
            ),
        ),
        Detail::about(
            "total_usd_at_baseline_memory",
            format!(
                "\"$ @{} at {} MB\" prices each variant's own durations at the baseline's memory: what is left of the saving there is the build mode's; the rest is the memory setting's.",
                lambcost_core::format::short_count(first),
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
        details.push(Detail::about(
            "arch",
            crate::present::sentences::ARCH_WHAT_IF,
        ));
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
