//! Markdown for a pull-request comment: a one-line summary, the table, the assumptions.

use super::Report;
use super::table::markdown_grid;

/// The summary line, the table in GitHub's Markdown, the notes as a list.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    if !report.title.is_empty() {
        out.push_str(&format!("**{}**\n\n", report.title));
    }
    out.push_str(&markdown_grid(report));
    if !report.body.is_empty() {
        out.push('\n');
        for line in &report.body {
            out.push_str(line);
            out.push('\n');
        }
    }
    let notes: Vec<&str> = report
        .notes
        .iter()
        .map(String::as_str)
        .chain(report.details.iter().map(|d| d.text.as_str()))
        .collect();
    let data = format!("Data: {}.", report.data);
    let notes: Vec<&str> = notes
        .into_iter()
        .chain((!report.data.is_empty()).then_some(data.as_str()))
        .collect();
    if !notes.is_empty() {
        out.push('\n');
        for note in notes {
            out.push_str(&format!("- {note}\n"));
        }
    }
    for warning in &report.warnings {
        out.push_str(&format!("\n> **Warning:** {warning}\n"));
    }
    out
}
