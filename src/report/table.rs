//! The terminal table: aligned columns (numbers to the right), then the answer's sentences and
//! the notes it rests on.
//!
//! On a terminal the table fits its width: columns that say nothing in this report are left
//! out, titles are abbreviated, then the least important columns are dropped until it fits
//! (`--wide` keeps every one); every sentence wraps at word boundaries. Written to a file or a
//! pipe, the table keeps every column and the sentences their length.

use super::{Cell, Column, Layout, Report, Wrap, human};
use tabled::builder::Builder;
use tabled::settings::object::Columns;
use tabled::settings::{Alignment, Style};

/// The table, the answer's sentences, and the notes (every note with `--explain`).
pub fn render(report: &Report, layout: Layout) -> String {
    let (columns, rows) = table_of(report);
    let chosen = choose(columns, rows, layout);
    let mut out = build(rows, &chosen, false);
    // What cannot be dropped and still does not fit (a long variant name) wraps within its
    // cells, the widest column first.
    if let Some(width) = layout.width.filter(|_| !layout.wide)
        && table_width(&out) > width
    {
        out = fit(columns, rows, &chosen, width);
    }
    let width = layout.width;
    for line in &report.body {
        out.push_str(&wrap(line, width));
    }
    for note in &report.notes {
        out.push_str(&wrap(note, width));
    }
    if layout.explain {
        let shown: Vec<&str> = chosen
            .iter()
            .map(|(i, _)| columns[*i].key.as_ref())
            .collect();
        for detail in &report.details {
            if detail.column.is_none_or(|c| shown.contains(&c)) {
                out.push_str(&wrap(&detail.text, width));
            }
        }
    }
    if !report.data.is_empty() {
        out.push_str(&wrap(&format!("Data: {}.", report.data), width));
    }
    out
}

/// The shown columns as a GitHub Markdown grid, every column, full titles.
pub fn markdown_grid(report: &Report) -> String {
    let (columns, rows) = table_of(report);
    let chosen = choose(columns, rows, Layout::default());
    build(rows, &chosen, true)
}

/// `text` wrapped at `width` on word boundaries, a list item's lines indented under its text;
/// as it is when there is no width.
pub fn wrap(text: &str, width: Option<usize>) -> String {
    let Some(width) = width else {
        return format!("{text}\n");
    };
    let leading = text.len() - text.trim_start().len();
    let rest = &text[leading..];
    let marker = ["- ", "* "]
        .iter()
        .find(|m| rest.starts_with(**m))
        .map(|m| m.len())
        .or_else(|| {
            let digits = rest.chars().take_while(char::is_ascii_digit).count();
            (digits > 0 && rest[digits..].starts_with(". ")).then_some(digits + 2)
        })
        .unwrap_or(0);
    let indent = " ".repeat(leading + marker);
    let options = textwrap::Options::new(width.max(20))
        .subsequent_indent(&indent)
        // Only a word longer than a line (a path, a CSV header) is broken; an option name
        // is never split at its hyphens.
        .break_words(true)
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    let mut out = textwrap::fill(text, options);
    out.push('\n');
    out
}

fn table_of(report: &Report) -> (&[Column], &[Vec<Cell>]) {
    match &report.view {
        Some(view) => (&view.columns, &view.rows),
        None => (&report.columns, &report.rows),
    }
}

/// The columns to show and the title each is shown under. For a terminal (unless `--wide`):
/// without the columns that say nothing, abbreviated when the full titles do not fit, and
/// without the least important columns until the table fits.
fn choose(columns: &[Column], rows: &[Vec<Cell>], layout: Layout) -> Vec<(usize, String)> {
    let full = |i: usize| (i, columns[i].title.to_string());
    let mut chosen: Vec<(usize, String)> = (0..columns.len())
        .filter(|&i| columns[i].shown)
        .map(full)
        .collect();
    let Some(width) = layout.width.filter(|_| !layout.wide) else {
        return chosen;
    };
    chosen.retain(|(i, _)| !columns[*i].redundant);
    let fits = |chosen: &[(usize, String)]| table_width(&build(rows, chosen, false)) <= width;
    if fits(&chosen) {
        return chosen;
    }
    for (i, title) in chosen.iter_mut() {
        if let Some(short) = &columns[*i].short {
            *title = short.to_string();
        }
    }
    while !fits(&chosen) {
        // The least important column goes first; of equals, the rightmost.
        let drop = chosen
            .iter()
            .enumerate()
            .filter(|(_, (i, _))| columns[*i].priority > 0)
            .max_by_key(|(position, (i, _))| (columns[*i].priority, *position))
            .map(|(position, _)| position);
        match drop {
            Some(position) => {
                chosen.remove(position);
            }
            None => break,
        }
    }
    chosen
}

/// The chosen columns with their widest cells wrapped so that the table is `width` wide:
/// each column narrowed only as its [`Wrap`] allows, the widest first.
fn fit(columns: &[Column], rows: &[Vec<Cell>], chosen: &[(usize, String)], width: usize) -> String {
    use tabled::settings::Width;
    use tabled::settings::peaker::PriorityMax;
    let mut table = grid(rows, chosen, false);
    if chosen
        .iter()
        .all(|(i, _)| columns[*i].wrap == Wrap::Anywhere)
    {
        table.with(
            Width::wrap(width)
                .priority(PriorityMax::right())
                .keep_words(true),
        );
    } else {
        let cells = |i: usize, title: &str| -> Vec<String> {
            std::iter::once(title.to_string())
                .chain(rows.iter().map(|r| r.get(i).map(human).unwrap_or_default()))
                .collect()
        };
        let widest = |texts: &[String], unit: &dyn Fn(&str) -> Vec<String>| {
            texts
                .iter()
                .flat_map(|t| unit(t))
                .map(|u| textwrap::core::display_width(&u))
                .max()
                .unwrap_or(0)
        };
        let lines = |t: &str| t.lines().map(str::to_string).collect::<Vec<_>>();
        let words = |t: &str| t.split_whitespace().map(str::to_string).collect::<Vec<_>>();
        let (natural, least): (Vec<usize>, Vec<usize>) = chosen
            .iter()
            .map(|(i, title)| {
                let texts = cells(*i, title);
                let natural = widest(&texts, &lines);
                let least = match columns[*i].wrap {
                    Wrap::Never => natural,
                    Wrap::Words => widest(&texts, &words),
                    Wrap::Anywhere => natural.min(8),
                };
                (natural, least)
            })
            .unzip();
        // Borders and padding: what the table is wider than its cells.
        let overhead = table_width(&table.to_string()).saturating_sub(natural.iter().sum());
        let budget = width.saturating_sub(overhead);
        let mut widths = natural.clone();
        while widths.iter().sum::<usize>() > budget {
            let narrowed = (0..widths.len())
                .filter(|&c| widths[c] > least[c])
                .max_by_key(|&c| (widths[c], c));
            match narrowed {
                Some(c) => widths[c] -= 1,
                None => break,
            }
        }
        // Cells that must stay whole and still do not fit side by side: each row as a record.
        if widths.iter().sum::<usize>() > budget {
            return records(columns, rows, chosen, width);
        }
        for (position, (&w, &n)) in widths.iter().zip(&natural).enumerate() {
            if w < n {
                table.modify(Columns::one(position), Width::wrap(w).keep_words(true));
            }
        }
    }
    let mut text = table.to_string();
    text.push('\n');
    text
}

/// Rows as records, for a terminal too narrow for a table whose cells must stay whole: the
/// cells that may not wrap on the record's first line (`src/Function.cs:25:25
/// JsonSerializer.Deserialize`, as ripgrep prints a match), every other cell below it under
/// its title, its prose wrapped to the width.
fn records(
    columns: &[Column],
    rows: &[Vec<Cell>],
    chosen: &[(usize, String)],
    width: usize,
) -> String {
    let mut out = String::new();
    for row in rows {
        let text = |i: usize| row.get(i).map(human).unwrap_or_default();
        let whole = |i: usize| columns[i].wrap != Wrap::Anywhere;
        let first: Vec<String> = chosen
            .iter()
            .filter(|(i, _)| whole(*i))
            .map(|(i, _)| text(*i))
            .filter(|t| !t.is_empty())
            .collect();
        let rest = chosen.iter().filter(|(i, _)| !whole(*i));
        out.push_str(&first.join("  "));
        out.push('\n');
        // A record has the room for the full title.
        for (i, _) in rest {
            let title = &columns[*i].title;
            let value = text(*i);
            if value.is_empty() {
                continue;
            }
            let options = textwrap::Options::new(width.max(20))
                .initial_indent("  ")
                .subsequent_indent("    ")
                .break_words(false)
                .word_splitter(textwrap::WordSplitter::NoHyphenation);
            out.push_str(&textwrap::fill(&format!("{title}: {value}"), options));
            out.push('\n');
        }
    }
    out
}

/// The widest line of a rendered table, in terminal columns.
fn table_width(table: &str) -> usize {
    table
        .lines()
        .map(textwrap::core::display_width)
        .max()
        .unwrap_or(0)
}

/// The chosen columns as a grid (GitHub Markdown or box-drawn), numeric columns to the right.
fn build(rows: &[Vec<Cell>], chosen: &[(usize, String)], markdown: bool) -> String {
    if chosen.is_empty() {
        return String::new();
    }
    let mut text = grid(rows, chosen, markdown).to_string();
    text.push('\n');
    text
}

/// The grid of [`build`], to render or to fit.
fn grid(rows: &[Vec<Cell>], chosen: &[(usize, String)], markdown: bool) -> tabled::Table {
    let mut builder = Builder::default();
    builder.push_record(chosen.iter().map(|(_, title)| title.clone()));
    for row in rows {
        builder.push_record(
            chosen
                .iter()
                .map(|(i, _)| row.get(*i).map(human).unwrap_or_default()),
        );
    }
    let mut table = builder.build();
    if markdown {
        table.with(Style::markdown());
    } else {
        table.with(Style::sharp());
    }
    for (position, (i, _)) in chosen.iter().enumerate() {
        let numeric = rows.iter().any(|r| {
            matches!(
                r.get(*i),
                Some(
                    Cell::Count(_)
                        | Cell::Number(..)
                        | Cell::Usd(_)
                        | Cell::Share(_)
                        | Cell::Figure(_)
                )
            )
        });
        if numeric {
            table.modify(Columns::one(position), Alignment::right());
        }
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Detail;

    fn report() -> Report {
        Report {
            columns: vec![
                Column::shown("variant", "Variant"),
                Column::shown("memory_mb", "Memory in megabytes")
                    .abbreviated("MB")
                    .optional(1),
                Column::shown("total_usd", "Total $/month"),
                Column::shown("usd_per_million", "$ per 1M").optional(2),
                Column::shown("baseline", "Baseline").redundant_if(true),
            ],
            rows: vec![vec![
                Cell::Text("aot-net9".into()),
                Cell::Count(256),
                Cell::Usd(rust_decimal::Decimal::new(258, 2)),
                Cell::Usd(rust_decimal::Decimal::new(258, 2)),
                Cell::Text("baseline".into()),
            ]],
            notes: vec!["Cold starts: 1% of invocations, as given.".into()],
            data: "the talk's measurements (embedded)".into(),
            details: vec![
                Detail::about(
                    "usd_per_million",
                    "$ per 1M divides the total by the requests.",
                ),
                Detail::general("Month: 730 hours."),
            ],
            ..Report::default()
        }
    }

    fn widest(text: &str) -> usize {
        text.lines()
            .map(textwrap::core::display_width)
            .max()
            .unwrap_or(0)
    }

    #[test]
    fn a_wide_enough_terminal_drops_only_what_says_nothing() {
        let text = render(
            &report(),
            Layout {
                width: Some(200),
                ..Layout::default()
            },
        );
        assert!(text.contains("Memory in megabytes") && text.contains("$ per 1M"));
        assert!(!text.contains("Baseline"), "{text}");
        // Written to a pipe, every column stays.
        assert!(render(&report(), Layout::default()).contains("Baseline"));
    }

    #[test]
    fn a_narrow_terminal_abbreviates_then_drops_the_least_important() {
        let layout = Layout {
            width: Some(40),
            ..Layout::default()
        };
        let text = render(&report(), layout);
        assert!(widest(&text) <= 40, "{text}");
        assert!(text.contains("MB") && !text.contains("megabytes"), "{text}");
        assert!(
            text.contains("Total $/month") && !text.contains("$ per 1M"),
            "{text}"
        );
        // The note about the dropped column is not printed, even with --explain.
        let explained = render(
            &report(),
            Layout {
                explain: true,
                ..layout
            },
        );
        assert!(!explained.contains("divides the total"), "{explained}");
        assert!(explained.contains("Month: 730 hours."));
        // --wide keeps everything.
        let wide = render(
            &report(),
            Layout {
                wide: true,
                ..layout
            },
        );
        assert!(wide.contains("Memory in megabytes") && wide.contains("$ per 1M"));
    }

    #[test]
    fn sentences_wrap_at_word_boundaries_under_their_marker() {
        let text = wrap(
            "  - regular ruled out: --uses plugins needs dynamic-loading full; aot has none",
            Some(40),
        );
        for line in text.lines() {
            assert!(line.len() <= 40, "{line}");
        }
        assert!(
            text.lines().skip(1).all(|l| l.starts_with("    ")),
            "{text}"
        );
        assert_eq!(wrap("short", None), "short\n");
    }

    #[test]
    fn sentences_wrap_at_spaces_not_inside_words_or_options() {
        let text = wrap(
            "Account: this function alone fills the tiers (--account-gb-seconds adds more).",
            Some(40),
        );
        assert!(text.contains("--account-gb-seconds"), "{text}");
        assert!(widest(&text) <= 40, "{text}");
        let item = wrap(
            "  - a list item long enough to wrap onto a second line",
            Some(30),
        );
        assert_eq!(
            item,
            "  - a list item long enough to\n    wrap onto a second line\n"
        );
        // Without a terminal, a sentence keeps its length.
        assert_eq!(wrap("one line", None), "one line\n");
    }

    #[test]
    fn the_data_line_comes_last() {
        let text = render(&report(), Layout::default());
        assert!(
            text.trim_end()
                .ends_with("Data: the talk's measurements (embedded)."),
            "{text}"
        );
    }
}
