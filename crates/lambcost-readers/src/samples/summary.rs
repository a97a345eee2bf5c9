//! The summary table (`data/results.csv`): one row per variant with its cold start, warm
//! duration and memory, as the deck published them.
//!
//! After the ten columns every summary table has, a table may carry what its source adds:
//! `package_mb`, `warm_min_ms` and `warm_max_ms` (figures or ranges such as `17-22`, as the
//! talk's repository writes them) and a `note`. They describe a variant; they do not price it.

use super::csv_rows::CsvRow;
use super::input::InputError;
use lambcost_core::pricing::{Arch, MemoryRange};
use lambcost_core::units::parse_plain_decimal;
use lambcost_core::variant::Variant;
use rust_decimal::Decimal;
use std::collections::HashSet;
use std::io::Read;

/// The header a summary table starts with, column for column.
pub const HEADER: [&str; 10] = [
    "variant",
    "mode",
    "dotnet",
    "runtime",
    "architecture",
    "memory_size_mb",
    "cold_start_ms",
    "warm_ms",
    "max_memory_used_mb_min",
    "max_memory_used_mb_max",
];

/// Columns a summary table may add after [`HEADER`], in this order.
pub const OPTIONAL: [&str; 4] = ["package_mb", "warm_min_ms", "warm_max_ms", "note"];

/// Whether header fields are a summary table's: [`HEADER`], then some of [`OPTIONAL`] in order.
fn is_header(fields: &[&str]) -> bool {
    if fields.len() < HEADER.len() || fields[..HEADER.len()] != HEADER {
        return false;
    }
    let mut optional = OPTIONAL.iter();
    fields[HEADER.len()..]
        .iter()
        .all(|f| optional.any(|o| o == f))
}

/// Whether a header line is the summary table's.
pub fn is_summary_header(line: &str) -> bool {
    is_header(&super::csv_rows::split_header(line))
}

/// Reads a summary table; `origin` names it in errors, `memory` is the allowed range.
pub fn read(
    input: impl Read,
    origin: &str,
    memory: MemoryRange,
) -> Result<Vec<Variant>, InputError> {
    let (mut reader, headers, dialect) = super::csv_rows::csv_with_header(input, origin)?;
    let found: Vec<String> = headers
        .iter()
        .map(|h| String::from_utf8_lossy(h).into_owned())
        .collect();
    let fields: Vec<&str> = found.iter().map(String::as_str).collect();
    if !is_header(&fields) {
        return Err(InputError::at(
            origin,
            1,
            format!(
                "not a summary table: the header must be '{}' (then, optionally, {}), found '{}'",
                HEADER.join(","),
                OPTIONAL.join(", "),
                found.join(",")
            ),
        ));
    }
    let note_column = fields.iter().position(|f| *f == "note");
    let mut variants = Vec::new();
    let mut names = HashSet::new();
    let mut record = csv::ByteRecord::new();
    while super::csv_rows::next_record(&mut reader, &mut record, origin)? {
        let row = CsvRow::new(&record, &HEADER, origin).in_dialect(dialect);
        let line = row.line();
        let field = |i: usize| row.str(i);
        let name = row.text(0)?;
        if !names.insert(name.clone()) {
            return Err(InputError::at(
                origin,
                line,
                format!(
                    "column 'variant': '{name}' appears twice; each variant needs its own name"
                ),
            ));
        }
        // Named as people and data sets name it (`r2r`, `ReadyToRun`), kept as the books do.
        let mode = lambcost_core::modes::canonical(&row.text(1)?);
        if !mode
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        {
            return Err(row.bad(1, "is not a mode name; use regular, readytorun or aot"));
        }
        let dotnet = if field(2).is_empty() {
            None
        } else {
            Some(row.whole_in(2, 1, 1000)?)
        };
        let runtime = row.text(3)?;
        let arch: Arch = field(4)
            .parse()
            .map_err(|_| row.bad(4, "is not an architecture; use x86_64 or arm64"))?;
        let memory_mb = row.whole_in(5, memory.min, memory.max)?;
        let cold_start_ms = ms(&row, 6)?;
        let warm_ms = ms(&row, 7)?;
        if cold_start_ms < warm_ms {
            return Err(row.bad(
                6,
                &format!(
                    "is shorter than warm_ms ({warm_ms}); a cold start includes the warm work"
                ),
            ));
        }
        let mem_min = row.whole_in(8, 0, memory.max)?;
        let mem_max = row.whole_in(9, mem_min, memory.max)?;
        variants.push(Variant {
            name,
            mode,
            dotnet,
            runtime,
            arch,
            memory_mb,
            cold_start_ms,
            warm_ms,
            max_memory_used_mb_min: mem_min,
            max_memory_used_mb_max: mem_max,
            note: note_column
                .map(|i| row.str(i).to_string())
                .filter(|n| !n.is_empty()),
        });
    }
    if variants.is_empty() {
        return Err(InputError::whole(
            origin,
            "the summary table has a header but no variant",
        ));
    }
    Ok(variants)
}

/// A non-negative duration in ms, at most Lambda's 15-minute limit.
fn ms(row: &CsvRow<'_>, column: usize) -> Result<Decimal, InputError> {
    let value = parse_plain_decimal(&row.numeral(column))
        .ok_or_else(|| row.bad(column, "is not a number"))?;
    if value.is_sign_negative() {
        return Err(row.bad(column, "is negative; a duration is 0 or more"));
    }
    if value > Decimal::from(lambcost_core::bounds::MAX_DURATION_MS) {
        return Err(row.bad(column, "is longer than Lambda's 15-minute limit"));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_compiled_talk_table_is_what_this_reader_reads_of_it() {
        let read = read(
            lambcost_core::variant::DEFAULT_RESULTS_CSV.as_bytes(),
            "results.csv",
            MemoryRange {
                min: 128,
                max: 10_240,
            },
        )
        .expect("the embedded table reads");
        assert_eq!(read, lambcost_core::embedded::talk_variants());
    }
    use lambcost_core::variant::DEFAULT_RESULTS_CSV;
    use rust_decimal_macros::dec;

    const RANGE: MemoryRange = MemoryRange {
        min: 128,
        max: 10240,
    };

    #[test]
    fn the_decks_table_reads_as_five_variants() {
        let v = read(DEFAULT_RESULTS_CSV.as_bytes(), "results.csv", RANGE).expect("reads");
        assert_eq!(v.len(), 5);
        assert_eq!(v[0].name, "regular-net8");
        assert_eq!(v[0].cold_start_ms, dec!(6680));
        assert_eq!(v[0].init_ms(), dec!(6589));
        assert_eq!(v[3].name, "aot-net9");
        assert_eq!(v[3].memory_mb, 256);
        assert_eq!(v[3].runtime, "provided.al2023");
        assert_eq!(v[4].max_memory_used_mb_min, 42);
        assert!(is_summary_header(
            DEFAULT_RESULTS_CSV.lines().next().unwrap_or("")
        ));
    }

    fn err(body: &str) -> String {
        let text = format!("{}\n{body}\n", HEADER.join(","));
        read(text.as_bytes(), "r.csv", RANGE)
            .expect_err("refused")
            .to_string()
    }

    #[test]
    fn bad_rows_name_file_line_column_and_value() {
        assert_eq!(
            err("a,aot,9,provided.al2023,x86_64,256,1006,abc,43,46"),
            "r.csv:2: column 'warm_ms': 'abc' is not a number"
        );
        assert_eq!(
            err("a,aot,9,provided.al2023,sparc,256,1006,14,43,46"),
            "r.csv:2: column 'architecture': 'sparc' is not an architecture; use x86_64 or arm64"
        );
        assert_eq!(
            err("a,aot,9,provided.al2023,x86_64,64,1006,14,43,46"),
            "r.csv:2: column 'memory_size_mb': '64' is outside 128..=10240"
        );
        assert!(err("a,aot,9,provided.al2023,x86_64,256,-5,14,43,46").contains("'-5' is negative"));
        assert!(
            err("a,aot,9,provided.al2023,x86_64,256,10,14,43,46").contains("shorter than warm_ms")
        );
        assert!(
            err("a,aot,9,p,x86_64,256,100,14,43,46\na,aot,9,p,x86_64,256,100,14,43,46")
                .contains("r.csv:3: column 'variant': 'a' appears twice")
        );
        assert!(err("a,aot,9").contains("r.csv:2: malformed CSV row"));
    }

    #[test]
    fn the_talk_repositorys_full_table_reads_with_its_extra_columns() {
        let v = read(
            lambcost_core::variant::TALK_REPO_RESULTS_CSV.as_bytes(),
            "talk-repo.csv",
            RANGE,
        )
        .expect("reads");
        assert_eq!(v.len(), 8);
        // AOT .NET 9 on the managed dotnet8 runtime: 971 ms cold, 14 ms warm.
        let dotnet8 = v
            .iter()
            .find(|x| x.name == "aot-net9-dotnet8")
            .expect("row");
        assert_eq!(
            (dotnet8.cold_start_ms, dotnet8.warm_ms),
            (dec!(971), dec!(14))
        );
        let custom = v.iter().find(|x| x.name == "aot-net9").expect("row");
        assert_eq!(
            (custom.cold_start_ms, custom.warm_ms),
            (dec!(1006), dec!(19))
        );
        assert_eq!(custom.runtime, "provided.al2023");
        // The slides' five rows: aot-net9 takes 1006 from one row and 14 from the other.
        let slides = read(DEFAULT_RESULTS_CSV.as_bytes(), "results.csv", RANGE).expect("reads");
        let mixed = slides.iter().find(|x| x.name == "aot-net9").expect("row");
        assert_eq!((mixed.cold_start_ms, mixed.warm_ms), (dec!(1006), dec!(14)));
        assert!(mixed.note.as_deref().is_some_and(|n| n.contains("mix")));
    }

    #[test]
    fn a_header_alone_or_a_foreign_header_is_refused() {
        let only = format!("{}\n", HEADER.join(","));
        assert!(
            read(only.as_bytes(), "r.csv", RANGE)
                .expect_err("empty")
                .to_string()
                .contains("no variant")
        );
        let e = read("a,b\n1,2\n".as_bytes(), "r.csv", RANGE)
            .expect_err("foreign")
            .to_string();
        assert!(e.starts_with("r.csv:1: not a summary table"), "{e}");
    }
}
