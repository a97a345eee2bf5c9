//! Raw samples, one invocation a row, as `lambcost measure` writes them:
//!
//! ```text
//! variant,mode,architecture,memory_size_mb,phase,duration_ms,init_duration_ms,billed_duration_ms,max_memory_used_mb,status
//! ```
//!
//! `phase` is `cold` or `warm`; `init_duration_ms` is empty on warm rows; `status` is
//! `success`, `error`, `timeout` or `oom`. Optional columns follow, in this order:
//! `limits_enforced` (whether the run had Lambda's memory and CPU limits), then `arrival_ms`
//! and `environment` (when the invocation arrived, ms from the run's start, and which
//! environment served it: `measure --arrivals` writes them). Rows of several variants may
//! mix.

use super::csv_rows::CsvRow;
use super::input::InputError;
use lambcost_core::measurement::Arrived;
use lambcost_core::measurement::{Invocation, Measured, Phase, Status};
use lambcost_core::pricing::{Arch, MemoryRange};
use std::collections::HashMap;
use std::io::Read;

/// The header, column for column.
pub const HEADER: [&str; 10] = [
    "variant",
    "mode",
    "architecture",
    "memory_size_mb",
    "phase",
    "duration_ms",
    "init_duration_ms",
    "billed_duration_ms",
    "max_memory_used_mb",
    "status",
];

/// The optional column after [`HEADER`].
pub const LIMITS_COLUMN: &str = "limits_enforced";

/// The optional column of arrival times, ms from the run's start.
pub const ARRIVAL_COLUMN: &str = "arrival_ms";

/// The optional column of the environment that served each invocation (from 1).
pub const ENVIRONMENT_COLUMN: &str = "environment";

/// Every column, the optional ones last.
const COLUMNS: [&str; 13] = [
    HEADER[0],
    HEADER[1],
    HEADER[2],
    HEADER[3],
    HEADER[4],
    HEADER[5],
    HEADER[6],
    HEADER[7],
    HEADER[8],
    HEADER[9],
    LIMITS_COLUMN,
    ARRIVAL_COLUMN,
    ENVIRONMENT_COLUMN,
];

/// Whether a header line is a samples file's: [`HEADER`], then optional columns in their
/// order (`limits_enforced`, and `arrival_ms` with `environment`).
pub fn is_samples_header(line: &str) -> bool {
    let fields = super::csv_rows::split_header(line);
    fields.len() >= HEADER.len()
        && fields[..HEADER.len()] == HEADER
        && [
            &[][..],
            &COLUMNS[10..11],
            &COLUMNS[11..13],
            &COLUMNS[10..13],
        ]
        .contains(&&fields[HEADER.len()..])
}

/// Reads a samples file into one measured variant per variant name, in order of appearance.
pub fn read(
    input: impl Read,
    origin: &str,
    memory: MemoryRange,
    granularity_ms: u32,
) -> Result<Vec<Measured>, InputError> {
    let (mut reader, headers, dialect) = super::csv_rows::csv_with_header(input, origin)?;
    let limits_column = headers.iter().position(|h| h == LIMITS_COLUMN.as_bytes());
    let mut order: Vec<Measured> = Vec::new();
    let mut index: HashMap<Vec<u8>, usize> = HashMap::new();
    // Each column by its header's name, for messages.
    let names: Vec<&'static str> = headers
        .iter()
        .map(|h| {
            COLUMNS
                .iter()
                .copied()
                .find(|c| c.as_bytes() == h)
                .unwrap_or("?")
        })
        .collect();
    let mut record = csv::ByteRecord::new();
    while super::csv_rows::next_record(&mut reader, &mut record, origin)? {
        let row = CsvRow::new(&record, &names, origin).in_dialect(dialect);
        let name = row.text(0)?;
        let i = match index.get(name.as_bytes()) {
            Some(&i) => i,
            None => {
                // The mode may be empty: a measurement need not say its build mode. It may be
                // named as data sets name it (`r2r`).
                let mode = match row.str(1) {
                    "" => String::new(),
                    named => lambcost_core::modes::canonical(named),
                };
                let mut m = Measured::new(&name, &mode, origin);
                m.granularity_ms = granularity_ms;
                m.arch = Some(
                    row.str(2)
                        .parse::<Arch>()
                        .map_err(|_| row.bad(2, "is not an architecture; use x86_64 or arm64"))?,
                );
                order.push(m);
                index.insert(name.clone().into_bytes(), order.len() - 1);
                order.len() - 1
            }
        };
        let invocation = invocation(&row, memory)?;
        let measured = &mut order[i];
        if let Some(column) = limits_column {
            let enforced = match row.str(column) {
                "true" | "yes" => true,
                "false" | "no" => false,
                _ => return Err(row.bad(column, "is not true or false")),
            };
            measured.limits_enforced = Some(measured.limits_enforced.unwrap_or(true) && enforced);
        }
        measured.add(&invocation);
    }
    if order.is_empty() {
        return Err(InputError::whole(
            origin,
            "no invocations: the samples file has a header but no rows",
        ));
    }
    Ok(order)
}

/// One row's invocation, each field checked.
fn invocation(row: &CsvRow<'_>, memory: MemoryRange) -> Result<Invocation, InputError> {
    let memory_size: u32 = row.whole(3)?;
    if memory_size < memory.min || memory_size > memory.max {
        return Err(row.bad(3, &format!("is outside {}..={}", memory.min, memory.max)));
    }
    let phase = match row.str(4) {
        "cold" => Phase::Cold,
        "warm" => Phase::Warm,
        _ => return Err(row.bad(4, "is not a phase; use cold or warm")),
    };
    let duration_ms = ms(row, 5)?;
    let init_ms = if row.str(6).is_empty() {
        None
    } else {
        Some(ms(row, 6)?)
    };
    if phase == Phase::Warm && init_ms.is_some() {
        return Err(row.bad(
            6,
            "is given on a warm row; only cold rows have an init duration",
        ));
    }
    let billed_ms = if row.str(7).is_empty() {
        None
    } else {
        Some(u64::from(row.whole(7)?))
    };
    let max_used = if row.str(8).is_empty() {
        None
    } else {
        Some(row.whole(8)?)
    };
    let status = Status::parse(row.str(9))
        .ok_or_else(|| row.bad(9, "is not a status; use success, error, timeout or oom"))?;
    Ok(Invocation {
        phase,
        duration_ms,
        init_ms,
        restore: false,
        billed_ms,
        billed_restore_ms: None,
        memory_size_mb: Some(memory_size),
        max_memory_used_mb: max_used,
        status,
    })
}

/// Writes a samples file, the optional `limits_enforced` column included, and the arrival
/// columns when asked: what `lambcost measure --samples-out` writes and [`read`] reads back.
pub struct Writer {
    csv: csv::Writer<Vec<u8>>,
    arrivals: bool,
}

impl Default for Writer {
    fn default() -> Self {
        Writer::new(false)
    }
}

impl Writer {
    /// A file with its header written; `arrivals` adds `arrival_ms` and `environment`.
    pub fn new(arrivals: bool) -> Writer {
        let mut csv = csv::WriterBuilder::new().from_writer(Vec::new());
        let columns = if arrivals {
            &COLUMNS[..]
        } else {
            &COLUMNS[..11]
        };
        // Writing into memory cannot fail.
        let _ = csv.write_record(columns);
        Writer { csv, arrivals }
    }

    /// One invocation of `variant`; durations to the hundredth of a millisecond, as Lambda
    /// reports them.
    pub fn row(
        &mut self,
        variant: &str,
        mode: &str,
        arch: Arch,
        inv: &Invocation,
        limits_enforced: bool,
        arrived: Option<Arrived>,
    ) {
        let number = |v: Option<u64>| v.map(|n| n.to_string()).unwrap_or_default();
        let mut cells = vec![
            variant.to_string(),
            mode.to_string(),
            arch.to_string(),
            inv.memory_size_mb
                .map(|m| m.to_string())
                .unwrap_or_default(),
            inv.phase.as_str().to_string(),
            format!("{:.2}", inv.duration_ms),
            inv.init_ms.map(|i| format!("{i:.2}")).unwrap_or_default(),
            number(inv.billed_ms),
            number(inv.max_memory_used_mb.map(u64::from)),
            inv.status.as_str().to_string(),
            limits_enforced.to_string(),
        ];
        if self.arrivals {
            cells.push(arrived.map_or(String::new(), |a| format!("{:.3}", a.arrival_ms)));
            cells.push(arrived.map_or(String::new(), |a| a.environment.to_string()));
        }
        let _ = self.csv.write_record(cells);
    }

    /// The file's text.
    pub fn finish(self) -> String {
        let bytes = self.csv.into_inner().unwrap_or_default();
        String::from_utf8(bytes).unwrap_or_default()
    }
}

/// A non-negative duration in ms.
fn ms(row: &CsvRow<'_>, column: usize) -> Result<f64, InputError> {
    let v: f64 = row
        .numeral(column)
        .parse()
        .map_err(|_| row.bad(column, "is not a number"))?;
    if !v.is_finite() {
        return Err(row.bad(column, "is not a number"));
    }
    if v < 0.0 {
        return Err(row.bad(column, "is negative; a duration is 0 or more"));
    }
    if v > lambcost_core::measurement::MAX_PHASE_MS {
        return Err(row.bad(
            column,
            "is longer than Lambda's 15-minute limit (900000 ms)",
        ));
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    const RANGE: MemoryRange = MemoryRange {
        min: 128,
        max: 10240,
    };

    fn read_text(body: &str) -> Result<Vec<Measured>, InputError> {
        let text = format!("{}\n{body}", HEADER.join(","));
        read(text.as_bytes(), "s.csv", RANGE, 1)
    }

    #[test]
    fn rows_group_by_variant() {
        let v = read_text("a,aot,x86_64,256,cold,10,100,111,40,success\na,aot,x86_64,256,warm,10,,10,41,success\nb,regular,arm64,512,warm,50,,50,90,error\n").expect("reads");
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].cold.count(), 1);
        assert_eq!(v[0].warm.count(), 1);
        assert_eq!(v[1].arch, Some(Arch::Arm64));
        assert_eq!(v[1].statuses[1], 1);
    }

    #[test]
    fn what_the_writer_writes_the_reader_reads_back() {
        let mut w = Writer::new(false);
        let inv = Invocation {
            phase: Phase::Cold,
            duration_ms: 8.56,
            init_ms: Some(101.94),
            restore: false,
            billed_ms: Some(111),
            billed_restore_ms: None,
            memory_size_mb: Some(256),
            max_memory_used_mb: Some(40),
            status: Status::Success,
        };
        w.row("a", "aot", Arch::X86_64, &inv, false, None);
        let text = w.finish();
        assert_eq!(
            text.lines().nth(1),
            Some("a,aot,x86_64,256,cold,8.56,101.94,111,40,success,false")
        );
        let back = read(text.as_bytes(), "s.csv", RANGE, 1).expect("reads");
        assert_eq!(back[0].cold.count(), 1);
        assert_eq!(back[0].cold.billed_ms_sum, 111);
        assert_eq!(back[0].limits_enforced, Some(false));
        let mut w = Writer::new(true);
        let arrived = Arrived {
            arrival_ms: 1_250.5,
            environment: 3,
        };
        w.row("a", "aot", Arch::X86_64, &inv, true, Some(arrived));
        let text = w.finish();
        assert!(is_samples_header(text.lines().next().unwrap_or("")));
        assert_eq!(
            text.lines().nth(1),
            Some("a,aot,x86_64,256,cold,8.56,101.94,111,40,success,true,1250.500,3")
        );
        let back = read(text.as_bytes(), "s.csv", RANGE, 1).expect("reads");
        assert_eq!(back[0].limits_enforced, Some(true));
    }

    #[test]
    fn bad_cells_name_line_column_and_value() {
        let e = read_text("a,aot,x86_64,256,warm,abc,,10,41,success\n").expect_err("refused");
        assert_eq!(
            e.to_string(),
            "s.csv:2: column 'duration_ms': 'abc' is not a number"
        );
        let e = read_text("a,aot,x86_64,256,lukewarm,1,,10,41,success\n").expect_err("refused");
        assert_eq!(
            e.to_string(),
            "s.csv:2: column 'phase': 'lukewarm' is not a phase; use cold or warm"
        );
        let e = read_text("a,aot,x86_64,256,warm,1,,10,41,meh\n").expect_err("refused");
        assert!(e.to_string().contains("column 'status': 'meh'"));
        assert!(
            read_text("")
                .expect_err("empty")
                .to_string()
                .contains("no invocations")
        );
    }
}
