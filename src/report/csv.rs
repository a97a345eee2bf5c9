//! CSV for spreadsheets: one header row, then one row per record; every assumption is a
//! column of its own (never a comment line, which spreadsheets misread), numbers are plain.

use super::{Report, machine};

/// Header and rows, RFC 4180 quoting, `\n` line ends.
pub fn render(report: &Report) -> String {
    let mut writer = csv::WriterBuilder::new().from_writer(Vec::new());
    let header = report
        .columns
        .iter()
        .map(|c| c.key.as_ref())
        .chain(report.assumptions.iter().map(|(k, _)| *k));
    // Writing to a Vec cannot fail; a failure would only come from the csv crate itself.
    let mut ok = writer.write_record(header).is_ok();
    for row in &report.rows {
        let cells = row
            .iter()
            .map(machine)
            .chain(report.assumptions.iter().map(|(_, v)| machine(v)));
        ok &= writer.write_record(cells).is_ok();
    }
    debug_assert!(ok, "writing CSV into memory failed");
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}
