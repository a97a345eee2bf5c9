//! `--output` never damages what it names: a device or a pipe is written as it is, a link's
//! target is the file written, `-` is standard output, and a directory or a missing directory
//! is one line of refusal.

use crate::util::Test;
use std::os::unix::fs::FileTypeExt;

const ESTIMATE: [&str; 5] = ["estimate", "--requests", "10M", "--format", "csv"];

fn args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut all: Vec<&str> = ESTIMATE.to_vec();
    all.extend_from_slice(extra);
    all
}

#[test]
fn a_character_device_stays_a_device() {
    let t = Test::new();
    t.run(&args(&["--output", "/dev/null"])).success();
    let meta = std::fs::metadata("/dev/null").expect("/dev/null");
    assert!(
        meta.file_type().is_char_device(),
        "/dev/null is still a device"
    );
}

#[test]
fn a_fifo_is_written_to_its_reader() {
    let t = Test::new();
    let fifo = t.path("report.fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    let reading = fifo.clone();
    let reader =
        std::thread::spawn(move || std::fs::read_to_string(reading).expect("read the fifo"));
    let shown = fifo.display().to_string();
    t.run(&args(&["--output", &shown])).success();
    let got = reader.join().expect("reader");
    assert!(got.starts_with("variant,"), "{got}");
    assert!(got.contains("aot-net10"), "{got}");
    let meta = std::fs::metadata(&fifo).expect("fifo");
    assert!(meta.file_type().is_fifo(), "still a FIFO");
}

#[test]
fn through_a_link_its_target_is_written_and_the_link_stays() {
    let t = Test::new();
    std::fs::create_dir(t.path("real")).expect("dir");
    let target = t.write("real/costs.csv", "old\n");
    std::os::unix::fs::symlink(&target, t.path("costs.csv")).expect("link");
    t.run(&args(&["--output", "costs.csv"])).success();
    let link = std::fs::symlink_metadata(t.path("costs.csv")).expect("link");
    assert!(link.file_type().is_symlink(), "the link is a link still");
    let written = std::fs::read_to_string(&target).expect("target");
    assert!(written.starts_with("variant,"), "{written}");
    // A link to a file not made yet makes it, where the link points.
    std::os::unix::fs::symlink("real/new.csv", t.path("new.csv")).expect("link");
    t.run(&args(&["--output", "new.csv"])).success();
    assert!(t.path("real/new.csv").is_file());
    assert!(
        std::fs::symlink_metadata(t.path("new.csv"))
            .expect("link")
            .file_type()
            .is_symlink()
    );
}

#[test]
fn a_dash_is_standard_output() {
    let t = Test::new();
    let run = t.run(&args(&["--output", "-"]));
    run.success();
    assert!(run.stdout.starts_with("variant,"), "{}", run.stdout);
    assert!(!t.path("-").exists(), "no file named -");
    // The table too, as without --output.
    let run = t.run(&["estimate", "--requests", "10M", "--output", "-"]);
    run.success();
    assert!(
        run.stdout.contains("Total $/month") || run.stdout.contains("$/month"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_directory_or_a_missing_one_is_refused_by_name() {
    let t = Test::new();
    std::fs::create_dir(t.path("out")).expect("dir");
    t.run(&["estimate", "--requests", "10M", "--output", "out"])
        .refused(&["--output out: is a directory"]);
    t.run(&args(&["--output", "out"]))
        .refused(&["out: is a directory"]);
    t.run(&args(&["--output", "nowhere/costs.csv"]))
        .refused(&["nowhere/costs.csv: the directory nowhere does not exist"]);
}

#[test]
fn a_chart_is_svg_and_a_workbook_is_what_a_report_has() {
    let t = Test::new();
    t.run(&["estimate", "--requests", "10M", "--plot", "out.png"])
        .refused(&["'out.png' is not an .svg file"]);
    assert!(!t.path("out.png").exists());
    t.run(&["recommend", "--output", "r.xlsx"]).refused(&[
        "--output r.xlsx: this report has no workbook: estimate and compare write one",
        "this report writes .txt, .csv, .json or .md",
    ]);
}
