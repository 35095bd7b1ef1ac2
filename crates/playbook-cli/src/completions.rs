//! `playbook completions SHELL`: the shell completion script of the command line, generated
//! from its clap definition by `clap_complete`, so that it never lags behind the commands
//! and options.
//!
//! The script completes subcommands, options, their values (`--format`, `--color`) and
//! paths, and the diagnostic codes and names of `playbook explain`: the generated script
//! offers them as the argument's values, while the command line itself still accepts any
//! text there (and answers an unknown code with a did-you-mean).

use clap::builder::PossibleValue;

pub use clap_complete::Shell;

/// The completion script of `command` (the `playbook` command line) for `shell`, for the
/// binary named `playbook`.
pub fn script(shell: Shell, command: clap::Command) -> Vec<u8> {
    let mut command = with_explain_codes(command);
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command, "playbook", &mut out);
    out
}

/// `command` with the codes and names of every diagnostic offered for `explain`'s argument.
fn with_explain_codes(command: clap::Command) -> clap::Command {
    let codes = crate::explain::catalogue();
    let mut values: Vec<PossibleValue> = Vec::with_capacity(codes.len() * 2);
    for code in &codes {
        values.push(PossibleValue::new(code.id).help(code.summary));
        values.push(PossibleValue::new(code.name).help(code.summary));
    }
    if command.find_subcommand("explain").is_none() {
        return command;
    }
    command.mut_subcommand("explain", |explain| {
        if explain.get_arguments().any(|a| a.get_id() == "code") {
            explain.mut_arg("code", |arg| {
                arg.value_parser(clap::builder::PossibleValuesParser::new(values))
            })
        } else {
            explain
        }
    })
}
