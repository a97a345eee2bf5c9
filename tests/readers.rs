//! Every reader, fed arbitrary bytes or lines that are nearly right, returns a result or an
//! error: it never panics.

use lambcost_core::pricing::MemoryRange;
use lambcost_readers::samples::{LogOptions, read_any};
use proptest::prelude::*;

const RANGE: MemoryRange = MemoryRange {
    min: 128,
    max: 10240,
};

fn options(strict: bool) -> LogOptions {
    LogOptions {
        variant: "v".into(),
        mode: "aot".into(),
        arch: None,
        strict,
        granularity_ms: 1,
        ..LogOptions::default()
    }
}

const REPORT: &str = "REPORT RequestId: 8f507cfc-xmpl-4697-b07a-ac58fc914c95\tDuration: 15.74 ms\tBilled Duration: 147 ms\tMemory Size: 128 MB\tMax Memory Used: 56 MB\tInit Duration: 130.49 ms\t";
const EVENT: &str = r#"{"time":"2024-05-01T12:00:00.000Z","type":"platform.report","record":{"requestId":"r","metrics":{"durationMs":15.74,"billedDurationMs":147,"memorySizeMB":128,"maxMemoryUsedMB":56,"initDurationMs":130.49},"status":"success"}}"#;
const SUMMARY: &str = "variant,mode,dotnet,runtime,architecture,memory_size_mb,cold_start_ms,warm_ms,max_memory_used_mb_min,max_memory_used_mb_max\na,aot,9,provided.al2023,x86_64,256,1006,14,43,46";
const SAMPLES: &str = "variant,mode,architecture,memory_size_mb,phase,duration_ms,init_duration_ms,billed_duration_ms,max_memory_used_mb,status\na,aot,x86_64,256,cold,8.5,101.9,111,40,success";

/// A valid line with one edit: a byte changed, a range cut out, or text spliced in.
fn near(valid: &'static str) -> impl Strategy<Value = Vec<u8>> {
    let len = valid.len();
    (0..len, 0..len, any::<u8>(), "[ -~\\t]{0,12}", 0u8..3).prop_map(
        move |(a, b, byte, splice, how)| {
            let mut bytes = valid.as_bytes().to_vec();
            let (lo, hi) = (a.min(b), a.max(b));
            match how {
                0 => bytes[lo] = byte,
                1 => {
                    bytes.drain(lo..hi);
                }
                _ => {
                    let tail = bytes.split_off(lo);
                    bytes.extend_from_slice(splice.as_bytes());
                    bytes.extend_from_slice(&tail);
                }
            }
            bytes
        },
    )
}

fn read(bytes: &[u8], strict: bool) {
    let _ = read_any(
        std::io::Cursor::new(bytes.to_vec()),
        "input",
        &options(strict),
        RANGE,
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048), strict in any::<bool>()) {
        read(&bytes, strict);
    }

    #[test]
    fn near_valid_report_lines_never_panic(line in near(REPORT), strict in any::<bool>()) {
        let mut text = b"START RequestId: x Version: $LATEST\n".to_vec();
        text.extend_from_slice(&line);
        text.push(b'\n');
        text.extend_from_slice(REPORT.as_bytes());
        read(&text, strict);
    }

    #[test]
    fn near_valid_json_events_never_panic(line in near(EVENT), strict in any::<bool>()) {
        let mut text = line.clone();
        text.push(b'\n');
        text.extend_from_slice(EVENT.as_bytes());
        read(&text, strict);
    }

    #[test]
    fn near_valid_csv_rows_never_panic(summary in near(SUMMARY), samples in near(SAMPLES)) {
        read(&summary, false);
        read(&samples, false);
    }
}

#[test]
fn a_good_report_line_still_reads_after_a_bad_one() {
    let text = format!("REPORT RequestId: x\tDuration: zz ms\n{REPORT}\n");
    match read_any(std::io::Cursor::new(text), "input", &options(false), RANGE) {
        Ok(lambcost_core::assemble::Loaded::Log(m)) => {
            assert_eq!(m.count(), 1);
            assert_eq!(m.malformed.count, 1);
        }
        _ => panic!("expected one measured variant"),
    }
}

/// A log of several 4 MiB blocks: `n` invocations, a cold start every 97th, memory sizes
/// changing, a malformed line now and then, and the runtime named late.
fn big_log(n: usize, json: bool) -> String {
    let mut text = String::new();
    for i in 0..n {
        let duration = 5.0 + (i * 7919 % 3000) as f64 / 100.0;
        let memory = [128, 512, 1024][i / 20_000 % 3];
        let cold = i % 97 == 0;
        if i == 30_000 && !json {
            text.push_str("INIT_START Runtime Version: dotnet:8.v19\tRuntime Version ARN: arn\n");
        }
        if i % 5_003 == 17 {
            text.push_str(if json {
                "{\"type\":\"platform.report\",\"record\":{\"metrics\":{\"durationMs\":\"x\"}}}\n"
            } else {
                "REPORT RequestId: bad\tDuration: zz ms\n"
            });
        }
        if json {
            let init = if cold {
                ",\"initDurationMs\":101.94".to_string()
            } else {
                String::new()
            };
            text.push_str(&format!(
                "{{\"time\":\"2024-05-01T12:00:00.000Z\",\"type\":\"platform.report\",\"record\":{{\"requestId\":\"r{i}\",\"metrics\":{{\"durationMs\":{duration:.2},\"billedDurationMs\":{},\"memorySizeMB\":{memory},\"maxMemoryUsedMB\":{}{init}}},\"status\":\"success\"}}}}\n",
                duration.ceil() as u64,
                40 + i % 11
            ));
        } else {
            let init = if cold {
                "Init Duration: 101.94 ms\t"
            } else {
                ""
            };
            text.push_str(&format!(
                "START RequestId: r{i} Version: $LATEST\nEND RequestId: r{i}\nREPORT RequestId: r{i}\tDuration: {duration:.2} ms\tBilled Duration: {} ms\tMemory Size: {memory} MB\tMax Memory Used: {} MB\t{init}\n",
                duration.ceil() as u64,
                40 + i % 11
            ));
        }
    }
    text
}

/// What a read of `text` on `threads` gives, as the report would print it.
fn read_on(text: &str, threads: usize, strict: bool) -> String {
    let options = LogOptions {
        threads,
        ..options(strict)
    };
    match read_any(
        std::io::Cursor::new(text.as_bytes().to_vec()),
        "big.log",
        &options,
        RANGE,
    ) {
        Ok(lambcost_core::assemble::Loaded::Log(g)) => {
            let parts: Vec<String> = g
                .measured
                .iter()
                .map(|m| {
                    format!(
                        "{} {:?} {:?} {:?} {:?} {:?} {:?} {:?}",
                        m.name,
                        m.cold.duration.summary(),
                        m.warm.duration.summary(),
                        m.cold.init.summary(),
                        m.warm.billed_ms_sum,
                        m.memory_size_mb,
                        m.memory_size_range,
                        m.max_memory_used()
                    )
                })
                .collect();
            format!(
                "{parts:?} runtime {:?} malformed {} {:?} other {}",
                g.runtime, g.malformed.count, g.malformed.first, g.other_messages
            )
        }
        Ok(_) => "not a log".to_string(),
        Err(e) => format!("error {e}"),
    }
}

#[test]
fn a_large_log_read_on_every_core_is_the_same_log() {
    for json in [false, true] {
        let text = big_log(60_000, json);
        assert!(text.len() > 2 * (4 << 20), "several blocks");
        let one = read_on(&text, 1, false);
        assert!(one.contains("malformed 12"), "{one}");
        for threads in [2, 3, 8] {
            assert_eq!(
                read_on(&text, threads, false),
                one,
                "{threads} threads, json {json}"
            );
        }
        // Under --strict the first malformed line in the file's order is the one refused.
        let strict = read_on(&text, 1, true);
        assert!(strict.starts_with("error big.log:"), "{strict}");
        assert_eq!(read_on(&text, 4, true), strict);
    }
}
