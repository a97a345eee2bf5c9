//! `lambcost completions` and `lambcost man`: the shell completion scripts and the manual
//! page, generated from the command line's own definition so they never drift from it.

use crate::cli::{Cli, Shell};
use clap::CommandFactory;

/// The completion script for `shell`.
pub fn completions(shell: Shell) -> Vec<u8> {
    let generator = match shell {
        Shell::Bash => clap_complete::Shell::Bash,
        Shell::Zsh => clap_complete::Shell::Zsh,
        Shell::Fish => clap_complete::Shell::Fish,
        Shell::Powershell => clap_complete::Shell::PowerShell,
    };
    let mut out = Vec::new();
    clap_complete::generate(generator, &mut Cli::command(), "lambcost", &mut out);
    out
}

/// The manual page, in roff, with a section for every subcommand.
pub fn man() -> anyhow::Result<Vec<u8>> {
    let command = Cli::command();
    let mut out = Vec::new();
    clap_mangen::Man::new(command.clone()).render(&mut out)?;
    for sub in command.get_subcommands() {
        // A subcommand's page is titled lambcost-<name>, as git's are.
        let name = format!("lambcost-{}", sub.get_name());
        clap_mangen::Man::new(sub.clone().name(name)).render(&mut out)?;
    }
    Ok(out)
}
