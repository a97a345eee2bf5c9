//! The terminal table: aligned columns (numbers to the right), then the assumptions.

use super::{Cell, Report, human};
use tabled::builder::Builder;
use tabled::settings::object::Columns;
use tabled::settings::{Alignment, Style};

/// The table and the notes under it.
pub fn render(report: &Report) -> String {
    let mut out = grid(report, false);
    for note in &report.notes {
        out.push_str(note);
        out.push('\n');
    }
    out
}

/// The shown columns as a grid (GitHub Markdown or box-drawn), numeric columns to the right.
pub(super) fn grid(report: &Report, markdown: bool) -> String {
    let (columns, rows) = match &report.view {
        Some(view) => (&view.columns, &view.rows),
        None => (&report.columns, &report.rows),
    };
    let shown: Vec<usize> = (0..columns.len()).filter(|&i| columns[i].shown).collect();
    if shown.is_empty() {
        return String::new();
    }
    let mut builder = Builder::default();
    builder.push_record(shown.iter().map(|&i| columns[i].title.to_string()));
    for row in rows {
        builder.push_record(
            shown
                .iter()
                .map(|&i| row.get(i).map(human).unwrap_or_default()),
        );
    }
    let mut table = builder.build();
    if markdown {
        table.with(Style::markdown());
    } else {
        table.with(Style::sharp());
    }
    for (position, &i) in shown.iter().enumerate() {
        let numeric = rows.iter().any(|r| {
            matches!(
                r.get(i),
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
    let mut text = table.to_string();
    text.push('\n');
    text
}
