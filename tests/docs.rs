//! The README and the manual under docs/ show what the current build prints: every
//! `console` block that starts with `$ lambcost` is run on an 80-column terminal and its
//! output compared, line for line. A block after `<!-- output varies -->` (timings measured
//! on the reader's machine) is run for its exit status only. `LAMBCOST_BLESS=1 cargo test
//! docs` rewrites the blocks with what the build prints instead of comparing.

use crate::util::in_terminal;
use std::path::{Path, PathBuf};

/// The billing date the examples are made under, so that they do not age with the calendar.
const EXAMPLES_DATE: &str = "2026-11-28";

/// The largest README: a front page, not a manual.
const README_MAX_BYTES: usize = 15 * 1024;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// README.md and every page of docs/.
fn pages() -> Vec<PathBuf> {
    let mut pages = vec![root().join("README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root().join("docs"))
        .expect("docs/")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    pages.extend(docs);
    pages
}

/// One example: where its block's lines are, the command, whether its output is compared.
struct Example {
    /// Index of the line after the opening fence, and of the closing fence.
    body: (usize, usize),
    args: Vec<String>,
    compared: bool,
}

/// The examples of a page's lines.
fn examples(lines: &[&str]) -> Vec<Example> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim() == "```console" {
            let start = i + 1;
            let end = (start..lines.len())
                .find(|&k| lines[k].trim() == "```")
                .unwrap_or(lines.len());
            let command = lines.get(start).copied().unwrap_or_default();
            let args = command
                .strip_prefix("$ lambcost ")
                .or_else(|| command.strip_prefix("$ cargo run --release -- "))
                .map(words);
            let varies = i > 0 && lines[i - 1].trim() == "<!-- output varies -->";
            if let Some(args) = args {
                out.push(Example {
                    body: (start, end),
                    args,
                    compared: !varies,
                });
            }
            i = end;
        }
        i += 1;
    }
    out
}

/// A command line split as a shell would split these examples': on spaces, single or double
/// quotes holding a word together.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    let mut any = false;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                any = true;
            }
            (None, ' ') => {
                if any || !word.is_empty() {
                    out.push(std::mem::take(&mut word));
                    any = false;
                }
            }
            (None, c) => word.push(c),
        }
    }
    if any || !word.is_empty() {
        out.push(word);
    }
    out
}

/// A directory where the examples' relative paths (data/, tests/fixtures/) resolve.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    for name in ["data", "tests", "pricing", "benches"] {
        std::os::unix::fs::symlink(root().join(name), dir.path().join(name)).expect("link");
    }
    dir
}

/// What a reader sees: the warnings lambcost prints on standard error, then the report.
fn printed(dir: &Path, args: &[String]) -> (Option<i32>, Vec<String>) {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let env = [("LAMBCOST_BILLING_DATE", EXAMPLES_DATE)];
    let run = in_terminal(dir, &args, 80, Some("1"), &env);
    // A progress bar erases its line (ESC [2K) as it redraws and when it is cleared: the
    // reader sees what is left after the last erase.
    let mut lines: Vec<String> = run
        .stderr
        .lines()
        .map(|l| {
            l.rsplit("\x1b[2K")
                .next()
                .unwrap_or(l)
                .trim_start_matches('\r')
        })
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    lines.extend(run.stdout.lines().map(|l| l.trim_end().to_string()));
    (run.status, lines)
}

#[test]
fn the_readme_is_a_front_page() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    assert!(
        readme.len() <= README_MAX_BYTES,
        "README.md is {} bytes; the manual belongs in docs/",
        readme.len()
    );
    for page in [
        "estimate",
        "compare",
        "measure",
        "recommend",
        "pricing",
        "model",
        "benchmarks",
        "replay",
        "assess",
        "diff",
        "bill",
        "aws",
    ] {
        assert!(
            readme.contains(&format!("docs/{page}.md")),
            "README.md links docs/{page}.md"
        );
        assert!(root().join(format!("docs/{page}.md")).exists(), "{page}");
    }
}

#[test]
fn every_example_is_what_the_build_prints() {
    let bless = std::env::var_os("LAMBCOST_BLESS").is_some();
    let dir = workspace();
    let mut stale = Vec::new();
    let mut count = 0;
    for page in pages() {
        let text = std::fs::read_to_string(&page).expect("a page");
        let lines: Vec<&str> = text.lines().collect();
        let mut fresh: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        // Rewritten from the end, so earlier blocks keep their line numbers.
        for example in examples(&lines).into_iter().rev() {
            count += 1;
            let (status, output) = printed(dir.path(), &example.args);
            assert!(
                matches!(status, Some(0..=2)),
                "{}: `lambcost {}` ended with {status:?}",
                page.display(),
                example.args.join(" ")
            );
            if !example.compared {
                continue;
            }
            let (start, end) = example.body;
            let shown: Vec<String> = lines[start + 1..end]
                .iter()
                .map(|l| l.to_string())
                .collect();
            if shown != output {
                stale.push(format!(
                    "{}:{}: `lambcost {}`",
                    page.display(),
                    start + 1,
                    example.args.join(" ")
                ));
                fresh.splice(start + 1..end, output);
            }
        }
        if bless {
            let mut new = fresh.join("\n");
            new.push('\n');
            std::fs::write(&page, new).expect("rewrite the page");
        }
    }
    assert!(count > 10, "the pages hold {count} examples");
    assert!(
        bless || stale.is_empty(),
        "examples that no longer match the build (LAMBCOST_BLESS=1 cargo test docs rewrites them):\n{}",
        stale.join("\n")
    );
}

#[test]
fn commands_split_like_a_shell_splits_them() {
    assert_eq!(
        words("compare a.log --mode 'two words' --x \"\""),
        ["compare", "a.log", "--mode", "two words", "--x", ""]
    );
}
