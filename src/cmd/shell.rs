//! `lambcost completions` and `lambcost man`: the shell completion scripts and the manual
//! page, generated from the command line's own definition so they never drift from it.

use crate::cli::{Shell, whole_command};

/// The completion script for `shell`.
pub fn completions(shell: Shell) -> Vec<u8> {
    let generator = match shell {
        Shell::Bash => clap_complete::Shell::Bash,
        Shell::Zsh => clap_complete::Shell::Zsh,
        Shell::Fish => clap_complete::Shell::Fish,
        Shell::Powershell => clap_complete::Shell::PowerShell,
    };
    let mut out = Vec::new();
    clap_complete::generate(generator, &mut whole_command(), "lambcost", &mut out);
    out
}

/// The manual page, in roff, with a section for every subcommand; each page's examples and
/// exit statuses in sections of their own (EXAMPLES, EXIT STATUS), line for line.
pub fn man() -> anyhow::Result<Vec<u8>> {
    let command = whole_command();
    let mut out = Vec::new();
    page(&command, &mut out)?;
    for sub in command.get_subcommands() {
        // A subcommand's page is titled lambcost-<name>, as git's are.
        let name = format!("lambcost-{}", sub.get_name());
        page(&sub.clone().name(name), &mut out)?;
    }
    Ok(out)
}

/// One command's page: clap's sections, then the after-help's blocks as sections of their
/// own, kept as written (an example per line) rather than filled as a paragraph.
fn page(command: &clap::Command, out: &mut Vec<u8>) -> std::io::Result<()> {
    let man = clap_mangen::Man::new(command.clone());
    man.render_title(out)?;
    man.render_name_section(out)?;
    man.render_synopsis_section(out)?;
    man.render_description_section(out)?;
    if command.get_arguments().any(|a| !a.is_hide_set()) {
        man.render_options_section(out)?;
    }
    if command.get_subcommands().next().is_some() {
        man.render_subcommands_section(out)?;
    }
    if let Some(after) = command.get_after_help() {
        let mut roff = roff::Roff::new();
        for (heading, lines) in blocks(&after.to_string()) {
            roff.control("SH", [heading.to_uppercase().as_str()]);
            roff.control("nf", []);
            for line in lines {
                roff.text([roff::roman(line.trim_start())]);
            }
            roff.control("fi", []);
        }
        roff.to_writer(out)?;
    }
    if command.get_version().is_some() || command.get_long_version().is_some() {
        man.render_version_section(out)?;
    }
    Ok(())
}

/// An after-help's blocks: a heading line ending in a colon, then its lines, up to a blank.
fn blocks(text: &str) -> Vec<(&str, Vec<&str>)> {
    let mut blocks: Vec<(&str, Vec<&str>)> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            continue;
        }
        match line.strip_suffix(':').filter(|_| !line.starts_with(' ')) {
            Some(heading) => blocks.push((heading, Vec::new())),
            None => match blocks.last_mut() {
                Some((_, lines)) => lines.push(line),
                None => blocks.push(("Notes", vec![line])),
            },
        }
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_manual_keeps_examples_line_for_line_under_examples() {
        let page = String::from_utf8(man().expect("a manual")).expect("utf-8");
        assert!(page.contains(".SH EXAMPLES\n.nf\n"), "{page}");
        assert!(page.contains(".SH \"EXIT STATUS\""), "{page}");
        assert!(!page.contains(".SH EXTRA"));
        // Each example is a line of its own.
        assert!(
            page.lines()
                .any(|l| l.starts_with("lambcost estimate \\-\\-requests 10M")),
            "{page}"
        );
    }

    #[test]
    fn completions_offer_the_values_of_the_options_that_have_them() {
        let script = String::from_utf8(completions(Shell::Bash)).expect("utf-8");
        for values in [
            "x86_64 arm64",
            "table csv json markdown",
            "us-east-1",
            "user-facing-api",
        ] {
            assert!(script.contains(values), "{values}");
        }
    }
}
