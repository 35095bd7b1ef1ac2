//! The `playbook fmt` run: find the files as `playbook check` does (the same discovery,
//! `.gitignore` and `exclude`), format them in parallel with the `[format]` settings of their
//! `playbook.toml`, then write the changed ones in place, or, with `--check` / `--diff`, list
//! or show the changes and write nothing. Standard input can be formatted to standard output
//! under a file name; standard input that is not a playbook file comes back unchanged.
//!
//! A file with YAML syntax errors is never formatted: its diagnostics are printed, the file is
//! left as it is and the run exits with 1. Writes are atomic (a temporary file beside the
//! target, given the target's permissions, renamed over it), and a file that is formatted
//! already is not written at all.
//!
//! Only the terminal and the process exit live in `main.rs`: a run returns what to print and
//! the exit code.

use crate::style::plural;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use playbook_fmt::{FormatError, FormatOptions, diff::unified_diff};
use playbook_workspace::{FormatConfig, path_key};
use rayon::prelude::*;

use crate::render::render_human;

/// What `playbook fmt` does with the files.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct Mode {
    /// Write nothing; list the files that would change and exit with 1 if there are any.
    pub check: bool,
    /// Write nothing; print the changes as a unified diff and exit with 1 if there are any.
    pub diff: bool,
}

impl Mode {
    fn writes(self) -> bool {
        !self.check && !self.diff
    }
}

/// Standard input formatted as the file `name`.
pub struct StdinInput {
    /// The file the text stands for (it need not exist): the `[format]` settings of its
    /// `playbook.toml` apply, and messages name it.
    pub name: String,
    pub text: String,
}

/// What to format and how.
pub struct Options {
    /// Files and folders to format (the current folder when empty).
    pub paths: Vec<PathBuf>,
    /// Standard input, formatted to standard output instead of files when given.
    pub stdin: Option<StdinInput>,
    pub mode: Mode,
    /// Colours in the diagnostics of files that cannot be parsed.
    pub color: bool,
}

/// The result of a run: what to print and how to exit.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Standard output: the formatted text of standard input, the diff, or the list of files
    /// that would change.
    pub stdout: String,
    /// Standard error: diagnostics, errors, notes and the summary line.
    pub stderr: String,
    /// 0: done, nothing to change (with `--check`/`--diff`); 1: files would change, or could
    /// not be formatted (syntax errors); 2: usage or I/O failure.
    pub exit_code: u8,
}

impl Outcome {
    fn fail(message: String) -> Outcome {
        Outcome {
            stderr: message + "\n",
            exit_code: 2,
            ..Outcome::default()
        }
    }
}

/// The formatter's options from the `[format]` settings.
pub fn format_options(config: &FormatConfig) -> FormatOptions {
    FormatOptions {
        indent: config.indent,
        indent_sequences: config.indent_sequences,
    }
}

/// Runs `playbook fmt` from the current directory.
pub fn run(options: &Options) -> Outcome {
    match std::env::current_dir() {
        Ok(cwd) => run_in(&cwd, options),
        Err(error) => Outcome::fail(format!("error: cannot read the current directory: {error}")),
    }
}

/// [`run`] with `cwd` as the current directory (relative paths and display paths are
/// relative to it).
pub fn run_in(cwd: &Path, options: &Options) -> Outcome {
    match &options.stdin {
        Some(input) => run_stdin(cwd, input, options),
        None => run_files(cwd, options),
    }
}

/// How one file came out.
enum FileResult {
    Unchanged,
    Changed(String),
    Refused(FormatError),
}

fn format_one(text: &str, options: &FormatOptions) -> FileResult {
    match playbook_fmt::format(text, options) {
        Ok(formatted) if formatted == text => FileResult::Unchanged,
        Ok(formatted) => FileResult::Changed(formatted),
        Err(error) => FileResult::Refused(error),
    }
}

/// The report of a file that was not formatted, for standard error.
fn refusal(name: &str, text: &str, error: &FormatError, color: bool) -> String {
    match error {
        FormatError::Syntax(errors) => {
            let mut out = render_human(name, text, errors, color);
            let _ = writeln!(out, "error: `{name}` {error}; it was left as it is");
            out
        }
        FormatError::Unverified => format!("error: `{name}` {error}\n"),
    }
}

/// The settings' problems, when `[format]` cannot be trusted: the run stops.
fn config_problem(
    path: &str,
    text: &str,
    diagnostics: &[playbook_diagnostics::Diagnostic],
    color: bool,
) -> Outcome {
    let mut stderr = render_human(path, text, diagnostics, color);
    let _ = writeln!(
        stderr,
        "error: the [format] settings of `{path}` cannot be read; fix them first (nothing was formatted)"
    );
    Outcome {
        stderr,
        exit_code: 2,
        ..Outcome::default()
    }
}

fn run_stdin(cwd: &Path, input: &StdinInput, options: &Options) -> Outcome {
    // The settings of the project the named file is in; the project is not walked.
    let mut settings = FormatConfig::default();
    if let Some(config_path) = playbook_workspace::find_config(&cwd.join(&input.name)) {
        let text = match playbook_workspace::read_text(&config_path) {
            Ok(text) => text,
            Err(error) => {
                return Outcome::fail(format!(
                    "error: cannot read {}: {error}",
                    config_path.display()
                ));
            }
        };
        let (config, diagnostics) =
            playbook_workspace::parse_config(&text, &crate::check::known_codes());
        if config.format.invalid {
            let name = config_path.display().to_string();
            return config_problem(&name, &text, &diagnostics, options.color);
        }
        settings = config.format;
    }
    let name = input.name.as_str();
    let text = input.text.as_str();
    let mut outcome = Outcome::default();
    if !playbook_workspace::is_playbook_file(text) {
        // Other YAML (a workflow, a Kubernetes manifest) comes back as it is, so that an
        // editor may run this on every YAML file.
        let _ = writeln!(
            outcome.stderr,
            "note: skipped `{name}`: {}",
            crate::check::NOT_A_PLAYBOOK
        );
        if options.mode.writes() {
            outcome.stdout = text.to_owned();
        }
        return outcome;
    }
    match format_one(text, &format_options(&settings)) {
        FileResult::Unchanged if options.mode.writes() => outcome.stdout = text.to_owned(),
        FileResult::Unchanged => {}
        FileResult::Changed(formatted) => {
            if options.mode.diff {
                outcome.stdout = unified_diff(text, &formatted, name);
            }
            if options.mode.check {
                let _ = writeln!(outcome.stderr, "would reformat: {name}");
            }
            if options.mode.writes() {
                outcome.stdout = formatted;
            } else {
                outcome.exit_code = 1;
            }
        }
        FileResult::Refused(error) => {
            outcome.stderr = refusal(name, text, &error, options.color);
            outcome.exit_code = 1;
        }
    }
    outcome
}

/// What a run over files found, for the summary line.
#[derive(Default)]
struct Counts {
    changed: usize,
    unchanged: usize,
    refused: usize,
    failed: usize,
}

impl Counts {
    /// `formatted 2 files, 5 already formatted`, `2 files would be reformatted, ...`.
    fn line(&self, mode: Mode) -> String {
        let mut parts = Vec::new();
        if self.changed > 0 {
            parts.push(if mode.writes() {
                format!("formatted {}", plural(self.changed, "file"))
            } else if self.changed == 1 {
                "1 file would be reformatted".to_owned()
            } else {
                format!("{} files would be reformatted", self.changed)
            });
        }
        if self.unchanged > 0 {
            parts.push(if parts.is_empty() {
                format!("{} already formatted", plural(self.unchanged, "file"))
            } else {
                format!("{} already formatted", self.unchanged)
            });
        }
        if self.refused > 0 {
            parts.push(format!(
                "{} not formatted (errors)",
                plural(self.refused, "file")
            ));
        }
        if self.failed > 0 {
            parts.push(format!(
                "{} could not be read or written",
                plural(self.failed, "path")
            ));
        }
        if parts.is_empty() {
            "formatted 0 files".to_owned()
        } else {
            parts.join(", ")
        }
    }
}

fn run_files(cwd: &Path, options: &Options) -> Outcome {
    let paths: Vec<PathBuf> = if options.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        options.paths.clone()
    };
    // The same discovery as `playbook check`: configuration, ignore files, `exclude`, the
    // files that are playbook files.
    let workspace =
        match playbook_workspace::load_workspace_in(cwd, &paths, &crate::check::known_codes()) {
            Ok(workspace) => workspace,
            Err(error) => return Outcome::fail(format!("error: {error}")),
        };
    if workspace.config.format.invalid
        && let Some(config) = &workspace.config_file
    {
        let name = path_key(&config.path);
        return config_problem(&name, &config.text, &config.diagnostics, options.color);
    }
    let format_options = format_options(&workspace.config.format);
    let mut outcome = Outcome::default();
    let mut counts = Counts::default();
    for file in workspace.skipped.iter().filter(|f| f.explicit) {
        let _ = writeln!(
            outcome.stderr,
            "note: skipped `{}`: {}",
            path_key(&file.path),
            crate::check::NOT_A_PLAYBOOK
        );
    }
    let files: Vec<_> = workspace.checked_files().collect();
    if files.is_empty() && !workspace.skipped.iter().any(|f| f.explicit) {
        let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        let _ = writeln!(
            outcome.stderr,
            "warning: no playbook files found in {}",
            shown.join(", ")
        );
    }
    let results: Vec<Option<FileResult>> = files
        .par_iter()
        .map(|file| {
            file.text
                .as_ref()
                .ok()
                .map(|text| format_one(text, &format_options))
        })
        .collect();
    let mut io_failure = false;
    let mut would_change = false;
    for (file, result) in files.iter().zip(results) {
        let name = path_key(&file.path);
        let (text, result) = match (&file.text, result) {
            (Ok(text), Some(result)) => (text, result),
            (Err(error), _) => {
                let _ = writeln!(outcome.stderr, "error: cannot read `{name}`: {error}");
                counts.failed += 1;
                io_failure = true;
                continue;
            }
            (Ok(_), None) => continue,
        };
        match result {
            FileResult::Unchanged => counts.unchanged += 1,
            FileResult::Changed(formatted) => {
                counts.changed += 1;
                if options.mode.diff {
                    outcome
                        .stdout
                        .push_str(&unified_diff(text, &formatted, &name));
                }
                if options.mode.check {
                    let out = if options.mode.diff {
                        &mut outcome.stderr
                    } else {
                        &mut outcome.stdout
                    };
                    let _ = writeln!(out, "would reformat: {name}");
                }
                if options.mode.writes() {
                    if let Err(error) = crate::write::write_atomic(&file.abs_path, text, &formatted)
                    {
                        let _ = writeln!(outcome.stderr, "error: cannot write `{name}`: {error}");
                        counts.changed -= 1;
                        counts.failed += 1;
                        io_failure = true;
                    }
                } else {
                    would_change = true;
                }
            }
            FileResult::Refused(error) => {
                counts.refused += 1;
                outcome
                    .stderr
                    .push_str(&refusal(&name, text, &error, options.color));
            }
        }
    }
    let _ = writeln!(outcome.stderr, "{}", counts.line(options.mode));
    outcome.exit_code = if io_failure {
        2
    } else if would_change || counts.refused > 0 {
        1
    } else {
        0
    };
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_lines() {
        let writes = Mode::default();
        let check = Mode {
            check: true,
            diff: false,
        };
        let counts = |changed, unchanged, refused, failed| Counts {
            changed,
            unchanged,
            refused,
            failed,
        };
        assert_eq!(counts(0, 0, 0, 0).line(writes), "formatted 0 files");
        assert_eq!(counts(0, 3, 0, 0).line(writes), "3 files already formatted");
        assert_eq!(
            counts(2, 1, 0, 0).line(writes),
            "formatted 2 files, 1 already formatted"
        );
        assert_eq!(
            counts(1, 1, 1, 1).line(check),
            "1 file would be reformatted, 1 already formatted, 1 file not formatted (errors), 1 path could not be read or written"
        );
    }
}
