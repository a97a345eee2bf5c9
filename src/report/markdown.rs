//! Markdown for a pull-request comment: a one-line summary, the table, the assumptions.

use super::Report;
use super::table::grid;

/// The summary line, the table in GitHub's Markdown, the notes as a list.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    if !report.title.is_empty() {
        out.push_str(&format!("**{}**\n\n", report.title));
    }
    out.push_str(&grid(report, true));
    if !report.notes.is_empty() {
        out.push('\n');
        for note in &report.notes {
            out.push_str(&format!("- {note}\n"));
        }
    }
    for warning in &report.warnings {
        out.push_str(&format!("\n> **Warning:** {warning}\n"));
    }
    out
}
