//! Warnings as a person reads them on a terminal: the same sentence said of many variants is
//! said once, with how many and the first few names (`48 variants: no warm invocation
//! measured; ... (fn1, fn2, fn3 and 45 more)`). A report's JSON keeps every one.

/// How many variants must share a sentence before it is said once for all of them.
const GROUPED_FROM: usize = 3;
/// How many of their names are shown.
const NAMES_SHOWN: usize = 3;

/// `warnings`, those that say the same of several subjects (`NAME: the same sentence`) said
/// once, where the first of them was.
pub fn grouped(warnings: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut done = vec![false; warnings.len()];
    for i in 0..warnings.len() {
        if done[i] {
            continue;
        }
        let Some((_, sentence)) = split(&warnings[i]) else {
            out.push(warnings[i].clone());
            continue;
        };
        let same: Vec<usize> = (i..warnings.len())
            .filter(|&j| !done[j] && split(&warnings[j]).is_some_and(|(_, s)| s == sentence))
            .collect();
        if same.len() < GROUPED_FROM {
            out.push(warnings[i].clone());
            done[i] = true;
            continue;
        }
        let subjects: Vec<&str> = same
            .iter()
            .filter_map(|&j| split(&warnings[j]).map(|(s, _)| s))
            .collect();
        for &j in &same {
            done[j] = true;
        }
        let files = subjects.iter().any(|s| s.contains('/'));
        let shown = subjects[..NAMES_SHOWN.min(subjects.len())].join(", ");
        let more = subjects.len().saturating_sub(NAMES_SHOWN);
        out.push(format!(
            "{} {}: {sentence} ({shown}{})",
            subjects.len(),
            if files { "inputs" } else { "variants" },
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        ));
    }
    out
}

/// The subject of one word (a variant, a file) a warning is about, and what it says of it.
fn split(warning: &str) -> Option<(&str, &str)> {
    warning
        .split_once(": ")
        .filter(|(subject, _)| !subject.is_empty() && !subject.contains(char::is_whitespace))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_sentence_of_many_variants_is_said_once() {
        let mut warnings: Vec<String> = (1..=5)
            .map(|i| format!("fn{i}: no warm invocation measured"))
            .collect();
        warnings.insert(1, "data.csv: 2 message(s) skipped".to_string());
        warnings.push("fn9: only this one".to_string());
        warnings.push("fn8: twice".to_string());
        warnings.push("fn7: twice".to_string());
        assert_eq!(
            grouped(&warnings),
            [
                "5 variants: no warm invocation measured (fn1, fn2, fn3 and 2 more)",
                "data.csv: 2 message(s) skipped",
                "fn9: only this one",
                "fn8: twice",
                "fn7: twice",
            ]
        );
        let three: Vec<String> = ["a/x.log", "b/x.log", "c/x.log"]
            .iter()
            .map(|f| format!("{f}: cut off"))
            .collect();
        assert_eq!(
            grouped(&three),
            ["3 inputs: cut off (a/x.log, b/x.log, c/x.log)"]
        );
    }
}
