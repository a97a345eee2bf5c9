//! Charts as SVG (plotters, no system libraries): monthly cost against traffic, latency
//! distributions, duration and cost against memory, and busy environments over time. Each chart is 800x500 with a title,
//! axis labels with units and a legend; several charts of one report stack vertically.

use plotters::coord::Shift;
use plotters::prelude::*;

/// One line of a chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    /// Legend entry.
    pub name: String,
    /// (x, y) points, x ascending.
    pub points: Vec<(f64, f64)>,
}

/// A point worth a label.
#[derive(Clone, Debug, PartialEq)]
pub struct Mark {
    /// Where.
    pub x: f64,
    /// Where.
    pub y: f64,
    /// What it says.
    pub label: String,
    /// The series it belongs to (drawn in its colour), if any.
    pub series: Option<usize>,
}

/// A chart's data.
#[derive(Clone, Debug, PartialEq)]
pub enum Chart {
    /// Monthly cost against monthly invocations, both axes logarithmic.
    CostVsTraffic {
        /// Title.
        title: String,
        /// One line per variant.
        series: Vec<Series>,
        /// Traffic levels asked for, drawn as vertical lines.
        levels: Vec<f64>,
        /// Where one variant overtakes another.
        crossovers: Vec<Mark>,
    },
    /// Cumulative latency distributions, one panel per phase.
    Latency {
        /// Title.
        title: String,
        /// (phase name, one line per variant, p50/p95/p99 marks).
        panels: Vec<(String, Vec<Series>, Vec<Mark>)>,
    },
    /// Duration and cost per invocation against memory (a power tuning).
    PowerTuning {
        /// Title.
        title: String,
        /// (memory MB, mean duration ms).
        duration: Series,
        /// (memory MB, USD per invocation).
        cost: Series,
        /// The cheapest, fastest and balanced settings.
        choices: Vec<Mark>,
    },
    /// Busy environments over time, one line per variant, the time axis in `unit`.
    Concurrency {
        /// Title.
        title: String,
        /// (time in `unit`, most environments busy then).
        series: Vec<Series>,
        /// The time axis' unit (`s`, `min`, `h`).
        unit: &'static str,
    },
}

const WIDTH: u32 = 800;
const HEIGHT: u32 = 500;
const PALETTE: [RGBColor; 8] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(23, 190, 207),
];

type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;
type Failure = Box<dyn std::error::Error>;
type Plot<'a, 'b, C> = ChartContext<'a, SVGBackend<'b>, C>;

/// Why a chart could not be drawn (the drawing library's own words).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct DrawError(String);

/// Renders `charts` one under the other into one SVG document.
pub fn render(charts: &[Chart]) -> Result<String, DrawError> {
    let failed = |e: &dyn std::fmt::Display| DrawError(e.to_string());
    let mut svg = String::new();
    {
        let height = HEIGHT * charts.len().max(1) as u32;
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| failed(&e))?;
        let areas = root.split_evenly((charts.len().max(1), 1));
        for (chart, area) in charts.iter().zip(areas) {
            draw(chart, &area).map_err(|e| failed(&e))?;
        }
        root.present().map_err(|e| failed(&e))?;
    }
    Ok(svg)
}

/// Where each line's name goes at its right end, on a log axis from `y0` to `y1`: at the
/// line's last value, pushed apart where two ends are closer than a label's height, so that
/// lines that end together (variants of one mode) are still told apart.
fn end_labels(series: &[Series], y0: f64, y1: f64) -> Vec<(usize, f64, f64)> {
    let span = (y1.log10() - y0.log10()).max(1e-9);
    // A 12-pixel label on a chart some 400 pixels high.
    let gap = span * 0.035;
    let mut ends: Vec<(usize, f64, f64)> = series
        .iter()
        .enumerate()
        .filter_map(|(i, s)| s.points.last().map(|&(x, y)| (i, x, y.max(y0).log10())))
        .collect();
    ends.sort_by(|a, b| b.2.total_cmp(&a.2));
    for k in 1..ends.len() {
        let above = ends[k - 1].2;
        if above - ends[k].2 < gap {
            ends[k].2 = above - gap;
        }
    }
    ends.into_iter()
        .map(|(i, x, y)| (i, x, 10f64.powf(y)))
        .collect()
}

fn draw(chart: &Chart, area: &Area<'_>) -> Result<(), Failure> {
    match chart {
        Chart::CostVsTraffic {
            title,
            series,
            levels,
            crossovers,
        } => cost_vs_traffic(area, title, series, levels, crossovers),
        Chart::Latency { title, panels } => latency(area, title, panels),
        Chart::PowerTuning {
            title,
            duration,
            cost,
            choices,
        } => power_tuning(area, title, duration, cost, choices),
        Chart::Concurrency {
            title,
            series,
            unit,
        } => concurrency(area, title, series, unit),
    }
}

fn concurrency(area: &Area<'_>, title: &str, series: &[Series], unit: &str) -> Result<(), Failure> {
    let x1 = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.0))
        .fold(0.0f64, f64::max)
        .max(1e-9);
    let y1 = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.1))
        .fold(1.0f64, f64::max);
    let mut chart = ChartBuilder::on(area)
        .caption(title, ("sans-serif", 20))
        .margin(12)
        .x_label_area_size(42)
        .y_label_area_size(60)
        .build_cartesian_2d(0f64..x1, 0f64..(y1 * 1.1).ceil())?;
    chart
        .configure_mesh()
        .light_line_style(BLACK.mix(0.04))
        .x_desc(format!("Time from the first arrival, {unit}"))
        .y_desc("Environments busy (most in each interval)")
        .x_label_formatter(&|v| lambcost_core::format::axis_count(*v))
        .y_label_formatter(&|v| format!("{v:.0}"))
        .draw()?;
    for (i, s) in series.iter().enumerate() {
        line(&mut chart, s, PALETTE[i % PALETTE.len()])?;
    }
    legend(&mut chart, SeriesLabelPosition::UpperRight)?;
    Ok(())
}

fn range(values: impl Iterator<Item = f64>, log: bool) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values.filter(|v| v.is_finite() && (!log || *v > 0.0)) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !lo.is_finite() {
        return (1.0, 10.0);
    }
    if log {
        (lo / 1.5, hi * 1.5)
    } else {
        let pad = ((hi - lo) * 0.08).max(hi.abs() * 0.05).max(1e-9);
        ((lo - pad).max(0.0), hi + pad)
    }
}

/// Draws a series as a line in `color`, entered in the legend under its name.
fn line<C>(chart: &mut Plot<'_, '_, C>, series: &Series, color: RGBColor) -> Result<(), Failure>
where
    C: CoordTranslate<From = (f64, f64)>,
{
    chart
        .draw_series(LineSeries::new(
            series.points.iter().copied(),
            color.stroke_width(2),
        ))?
        .label(series.name.clone())
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2)));
    Ok(())
}

/// Draws the legend at `position`, on a box that keeps the lines behind it readable.
fn legend<'a, 'b: 'a, C>(
    chart: &mut Plot<'a, 'b, C>,
    position: SeriesLabelPosition,
) -> Result<(), Failure>
where
    C: CoordTranslate,
{
    chart
        .configure_series_labels()
        .position(position)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()?;
    Ok(())
}
/// A 12-pixel sans-serif label's height, and its width per character (a generous average, so
/// that labels placed apart stay apart whatever the font the reader's viewer picks).
const LABEL_HEIGHT: i32 = 15;
const LABEL_CHAR_WIDTH: i32 = 7;

/// How wide `label` is drawn, in pixels.
fn label_width(label: &str) -> i32 {
    label.chars().count() as i32 * LABEL_CHAR_WIDTH
}

/// Where each point's label goes (its top-left corner, in pixels): below and to the right of
/// the point, to its left where it would leave the plot, then a line lower (or, past the
/// bottom, higher) at a time until it overlaps no label placed before it. Crossovers of a
/// variant priced on two architectures fall close together: their labels must not overlap.
fn place_labels(
    points: &[(i32, i32)],
    widths: &[i32],
    (xs, ys): (std::ops::Range<i32>, std::ops::Range<i32>),
) -> Vec<(i32, i32)> {
    let mut placed: Vec<(i32, i32, i32)> = Vec::new();
    let overlaps = |placed: &[(i32, i32, i32)], x: i32, y: i32, w: i32| {
        placed.iter().any(|&(px, py, pw)| {
            x < px + pw && px < x + w && y < py + LABEL_HEIGHT && py < y + LABEL_HEIGHT
        })
    };
    let mut out = Vec::with_capacity(points.len());
    for (&(px, py), &w) in points.iter().zip(widths) {
        let x = if px + 8 + w > xs.end {
            (px - 8 - w).max(xs.start)
        } else {
            px + 8
        };
        let below = (0..40).map(|j| py + 6 + j * LABEL_HEIGHT);
        let above = (0..40).map(|j| py - 6 - LABEL_HEIGHT - j * LABEL_HEIGHT);
        let y = below
            .chain(above)
            .filter(|&y| y >= ys.start && y + LABEL_HEIGHT <= ys.end)
            .find(|&y| !overlaps(&placed, x, y, w))
            .unwrap_or(py + 6);
        placed.push((x, y, w));
        out.push((x, y));
    }
    out
}

fn cost_vs_traffic(
    area: &Area<'_>,
    title: &str,
    series: &[Series],
    levels: &[f64],
    crossovers: &[Mark],
) -> Result<(), Failure> {
    let (x0, x1) = range(
        series.iter().flat_map(|s| s.points.iter().map(|p| p.0)),
        true,
    );
    let (y0, y1) = range(
        series.iter().flat_map(|s| s.points.iter().map(|p| p.1)),
        true,
    );
    let mut chart = ChartBuilder::on(area)
        .caption(title, ("sans-serif", 20))
        .margin(12)
        // Room at the right for each line's name at its end.
        .margin_right(110)
        .x_label_area_size(42)
        .y_label_area_size(70)
        .build_cartesian_2d((x0..x1).log_scale(), (y0..y1).log_scale())?;
    chart
        .configure_mesh()
        .light_line_style(BLACK.mix(0.04))
        .x_desc("Invocations a month (log scale)")
        .y_desc("Monthly cost, USD (log scale)")
        .x_label_formatter(&|v| lambcost_core::format::axis_count(*v))
        .y_label_formatter(&|v| lambcost_core::format::axis_usd(*v))
        .draw()?;
    for &level in levels {
        chart.draw_series(LineSeries::new(
            vec![(level, y0), (level, y1)],
            BLACK.mix(0.35).stroke_width(1),
        ))?;
        chart.draw_series(std::iter::once(Text::new(
            format!("{} asked", lambcost_core::format::axis_count(level)),
            (level, y1 / 1.3),
            ("sans-serif", 12),
        )))?;
    }
    for (i, s) in series.iter().enumerate() {
        line(&mut chart, s, PALETTE[i % PALETTE.len()])?;
    }
    for (i, x, y) in end_labels(series, y0, y1) {
        let color = PALETTE[i % PALETTE.len()];
        chart.draw_series(std::iter::once(Text::new(
            format!(" {}", series[i].name),
            (x, y),
            ("sans-serif", 12).into_font().color(&color).pos(
                plotters::style::text_anchor::Pos::new(
                    plotters::style::text_anchor::HPos::Left,
                    plotters::style::text_anchor::VPos::Center,
                ),
            ),
        )))?;
    }
    let points: Vec<(i32, i32)> = crossovers
        .iter()
        .map(|m| chart.backend_coord(&(m.x, m.y)))
        .collect();
    let widths: Vec<i32> = crossovers.iter().map(|m| label_width(&m.label)).collect();
    let places = place_labels(&points, &widths, chart.plotting_area().get_pixel_range());
    // Labels are placed in pixels, on the plot's own area without its coordinates.
    let screen = chart.plotting_area().use_screen_coord();
    for (m, place) in crossovers.iter().zip(places) {
        chart.draw_series(std::iter::once(Circle::new((m.x, m.y), 5, BLACK.filled())))?;
        screen.draw(&Text::new(
            m.label.clone(),
            place,
            ("sans-serif", 12).into_font().color(&BLACK).pos(
                plotters::style::text_anchor::Pos::new(
                    plotters::style::text_anchor::HPos::Left,
                    plotters::style::text_anchor::VPos::Top,
                ),
            ),
        ))?;
    }
    legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
    Ok(())
}

fn latency(
    area: &Area<'_>,
    title: &str,
    panels: &[(String, Vec<Series>, Vec<Mark>)],
) -> Result<(), Failure> {
    let titled = area.titled(title, ("sans-serif", 20))?;
    let parts = titled.split_evenly((1, panels.len().max(1)));
    for ((phase, series, marks), part) in panels.iter().zip(parts) {
        let (x0, x1) = range(
            series.iter().flat_map(|s| s.points.iter().map(|p| p.0)),
            true,
        );
        // Whole decades, so that a narrow distribution (cold starts of 1.5 to 3 ms) still
        // has labelled ticks at both ends.
        let (x0, x1) = (
            10f64.powf(x0.log10().floor()),
            10f64.powf(x1.log10().ceil()),
        );
        let mut chart = ChartBuilder::on(&part)
            .caption(format!("{phase} invocations"), ("sans-serif", 15))
            .margin(10)
            .x_label_area_size(40)
            .y_label_area_size(50)
            .build_cartesian_2d((x0..x1).log_scale(), 0f64..1.02f64)?;
        chart
            .configure_mesh()
            .light_line_style(BLACK.mix(0.04))
            .x_labels(6)
            .x_desc(if phase == "cold" {
                "Init + duration, ms (log scale)"
            } else {
                "Duration, ms (log scale)"
            })
            .y_desc("Share of invocations")
            .x_label_formatter(&|v| lambcost_core::format::axis_count(*v))
            .y_label_formatter(&|v| format!("{:.0}%", v * 100.0))
            .draw()?;
        for (i, s) in series.iter().enumerate() {
            line(&mut chart, s, PALETTE[i % PALETTE.len()])?;
        }
        for m in marks {
            let k = m.series.unwrap_or(0);
            let color = PALETTE[k % PALETTE.len()];
            chart.draw_series(std::iter::once(Circle::new((m.x, m.y), 3, color.filled())))?;
            if m.label.is_empty() {
                continue;
            }
            // Each series' labels sit at their own height, below their point, so that two
            // variants' labels do not overlap.
            let y = m.y - 0.05 - 0.07 * k as f64 - if m.y > 0.9 { 0.08 } else { 0.0 };
            chart.draw_series(std::iter::once(Text::new(
                m.label.clone(),
                (m.x * 1.05, y),
                ("sans-serif", 10).into_font().color(&color),
            )))?;
        }
        legend(&mut chart, SeriesLabelPosition::LowerRight)?;
    }
    Ok(())
}

fn power_tuning(
    area: &Area<'_>,
    title: &str,
    duration: &Series,
    cost: &Series,
    choices: &[Mark],
) -> Result<(), Failure> {
    let (x0, x1) = range(duration.points.iter().map(|p| p.0), true);
    let (d0, d1) = range(duration.points.iter().map(|p| p.1), false);
    let (c0, c1) = range(cost.points.iter().map(|p| p.1), false);
    let mut chart = ChartBuilder::on(area)
        .caption(title, ("sans-serif", 20))
        .margin(12)
        .x_label_area_size(42)
        .y_label_area_size(60)
        .right_y_label_area_size(80)
        // Every memory setting measured is a tick, labelled.
        .build_cartesian_2d(
            (x0..x1)
                .log_scale()
                .with_key_points(duration.points.iter().map(|p| p.0).collect()),
            d0..d1,
        )?
        .set_secondary_coord((x0..x1).log_scale(), c0..c1);
    chart
        .configure_mesh()
        .light_line_style(BLACK.mix(0.04))
        .x_desc("Memory, MB (log scale)")
        .y_desc("Mean warm duration, ms")
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&|v| lambcost_core::format::trim3(*v))
        .draw()?;
    chart
        .configure_secondary_axes()
        .y_desc(cost.name.clone())
        .label_style(("sans-serif", 11))
        .y_label_formatter(&|v| lambcost_core::format::axis_usd(*v))
        .draw()?;
    let d_color = PALETTE[0];
    let c_color = PALETTE[1];
    line(&mut chart, duration, d_color)?;
    chart.draw_series(
        duration
            .points
            .iter()
            .map(|&p| Circle::new(p, 3, d_color.filled())),
    )?;
    chart
        .draw_secondary_series(LineSeries::new(
            cost.points.iter().copied(),
            c_color.stroke_width(2),
        ))?
        .label(cost.name.clone())
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], c_color.stroke_width(2)));
    chart.draw_secondary_series(
        cost.points
            .iter()
            .map(|&p| Circle::new(p, 3, c_color.filled())),
    )?;
    // A choice marked on the line it is chosen by: the cheapest on the cost line, the
    // fastest and the balanced on the duration line.
    for m in choices {
        let ring = |p: (f64, f64)| Circle::new(p, 7, BLACK.stroke_width(2));
        if m.series == Some(1) {
            chart.draw_secondary_series(std::iter::once(ring((m.x, m.y))))?;
            chart.draw_secondary_series(std::iter::once(Text::new(
                m.label.clone(),
                (m.x * 1.04, m.y + (c1 - c0) * 0.04),
                ("sans-serif", 12),
            )))?;
        } else {
            chart.draw_series(std::iter::once(ring((m.x, m.y))))?;
            chart.draw_series(std::iter::once(Text::new(
                m.label.clone(),
                (m.x * 1.04, m.y + (d1 - d0) * 0.04),
                ("sans-serif", 12),
            )))?;
        }
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crossover_labels_at_one_point_do_not_overlap() {
        // Three crossovers at one point (a variant's lines on two architectures cross the
        // same way), one near the right edge.
        let points = [(300, 200), (300, 200), (302, 203), (790, 100)];
        let widths = [180, 180, 200, 150];
        let places = place_labels(&points, &widths, (0..800, 0..400));
        for i in 0..places.len() {
            for j in 0..i {
                let (a, b) = (places[i], places[j]);
                let apart = a.0 >= b.0 + widths[j]
                    || b.0 >= a.0 + widths[i]
                    || a.1 >= b.1 + LABEL_HEIGHT
                    || b.1 >= a.1 + LABEL_HEIGHT;
                assert!(apart, "{i} and {j} overlap: {places:?}");
            }
        }
        // The first sits where it always did, below and right of its point; the one at the
        // edge is turned to the point's left and stays inside the plot.
        assert_eq!(places[0], (308, 206));
        assert_eq!(places[3], (790 - 8 - 150, 106));
    }

    #[test]
    fn numbers_on_axes_read_short() {
        assert_eq!(lambcost_core::format::axis_count(10_000_000.0), "10M");
        assert_eq!(lambcost_core::format::axis_count(250_000.0), "250k");
        assert_eq!(lambcost_core::format::axis_count(1_500_000_000.0), "1.5B");
        assert_eq!(lambcost_core::format::axis_usd(9.58), "$9.58");
    }

    #[test]
    fn a_chart_renders_with_its_title_labels_and_series() {
        let chart = Chart::CostVsTraffic {
            title: "Monthly cost".into(),
            series: vec![
                Series {
                    name: "a".into(),
                    points: vec![(1e4, 0.1), (1e8, 100.0)],
                },
                Series {
                    name: "b".into(),
                    points: vec![(1e4, 1.0), (1e8, 50.0)],
                },
            ],
            levels: vec![1e7],
            crossovers: vec![Mark {
                x: 1e6,
                y: 5.0,
                label: "a = b at 1M".into(),
                series: None,
            }],
        };
        let svg = render(&[chart]).expect("renders");
        for needle in [
            "<svg",
            "Monthly cost",
            "Invocations a month",
            "Monthly cost, USD",
            "a = b at 1M",
            "10M asked",
            ">\na\n<",
        ] {
            assert!(svg.contains(needle), "{needle}");
        }
    }

    /// Every `<text>` of an SVG with its position: (text, x, y).
    fn texts(svg: &str) -> Vec<(String, f64, f64)> {
        let mut out = Vec::new();
        for line in svg.split("<text").skip(1) {
            let attr = |name: &str| {
                line.split(&format!(" {name}=\""))
                    .nth(1)
                    .and_then(|r| r.split('"').next())
                    .and_then(|v| v.parse::<f64>().ok())
                    .unwrap_or(f64::NAN)
            };
            let body = line
                .split_once('>')
                .map(|(_, r)| r.split("</text>").next().unwrap_or("").trim().to_string())
                .unwrap_or_default();
            out.push((body, attr("x"), attr("y")));
        }
        out
    }

    /// Every `<circle>`: (cx, cy, r, fill).
    fn circles(svg: &str) -> Vec<(f64, f64, f64, String)> {
        svg.split("<circle")
            .skip(1)
            .map(|c| {
                let text = |name: &str| {
                    c.split(&format!(" {name}=\""))
                        .nth(1)
                        .and_then(|r| r.split('"').next())
                        .unwrap_or("")
                        .to_string()
                };
                let number = |name: &str| text(name).parse::<f64>().unwrap_or(f64::NAN);
                (number("cx"), number("cy"), number("r"), text("fill"))
            })
            .collect()
    }

    #[test]
    fn a_power_tuning_labels_every_memory_prices_per_million_and_marks_the_cost_line() {
        let memory = [128.0, 256.0, 512.0, 1024.0, 1769.0, 3008.0];
        let warm = [700.0, 360.0, 190.0, 86.0, 50.0, 50.0];
        let usd = [1.66, 1.71, 1.81, 1.65, 1.67, 2.70];
        let chart = Chart::PowerTuning {
            title: "f".into(),
            duration: Series {
                name: "mean warm duration (ms)".into(),
                points: memory.iter().copied().zip(warm).collect(),
            },
            cost: Series {
                name: "$ per 1M invocations at 1M a month".into(),
                points: memory.iter().copied().zip(usd).collect(),
            },
            choices: vec![Mark {
                x: 1024.0,
                y: 1.65,
                label: "cheapest".into(),
                series: Some(1),
            }],
        };
        let svg = render(&[chart]).expect("renders");
        let texts = texts(&svg);
        let has = |t: &str| texts.iter().any(|(body, ..)| body == t);
        for m in ["128", "256", "512", "1024", "1769", "3008"] {
            assert!(has(m), "memory tick {m} unlabelled");
        }
        assert!(has("$2") && has("$1.8"), "{texts:?}");
        assert!(!texts.iter().any(|(b, ..)| b.contains("e-")), "{texts:?}");
        // The ring sits on the cost line's own point at 1,024 MB (orange), not on the
        // duration line's (blue) there.
        let all = circles(&svg);
        let ring = all.iter().find(|c| c.2 == 7.0).expect("a ring");
        let at = |fill: &str| {
            all.iter()
                .find(|c| c.2 == 3.0 && c.3 == fill && (c.0 - ring.0).abs() <= 1.5)
                .map(|c| c.1)
        };
        assert_eq!(at("#FF7F0E"), Some(ring.1), "{all:?}");
        assert_ne!(at("#1F77B4"), Some(ring.1), "{all:?}");
    }

    #[test]
    fn lines_that_end_together_are_named_apart_at_their_ends() {
        let series = |name: &str, end: f64| Series {
            name: name.into(),
            points: vec![(1e4, 0.01), (1e9, end)],
        };
        let chart = Chart::CostVsTraffic {
            title: "t".into(),
            series: vec![series("aot-net9", 500.0), series("aot-net10", 505.0)],
            levels: vec![],
            crossovers: vec![],
        };
        let svg = render(&[chart]).expect("renders");
        let ends: Vec<(f64, f64)> = texts(&svg)
            .into_iter()
            .filter(|(b, ..)| b == "aot-net9" || b == "aot-net10")
            .map(|(_, x, y)| (x, y))
            .filter(|(x, _)| *x > 600.0)
            .collect();
        assert_eq!(ends.len(), 2, "each line named at its right end");
        assert!((ends[0].1 - ends[1].1).abs() >= 12.0, "{ends:?}");
    }
}
