//! The `playbook check` run: load the workspace (configuration, files, step libraries, and
//! the rest of the project of the checked paths, for context), feed it to the analysis
//! database, collect the diagnostics of the checked files, and print them in the chosen
//! format, with the summary line and the exit code. A named file that is not a playbook
//! file is reported as skipped, not checked.
//!
//! With `--fix`, the fixes are applied first ([`crate::fix`]) and the report is of what is
//! left.
//!
//! The checks themselves are the database's (`playbook-db`), the same the language server
//! runs. Only the terminal and the process exit live in `main.rs`.

use crate::style::plural;
use std::path::PathBuf;

use playbook_db::AnalysisHost;
use playbook_diagnostics::fix::Applicability;
use playbook_diagnostics::{Diagnostic, Severity};
use playbook_workspace::{PathStyle, into_analysis_host, path_key};

use crate::formats::{FileReport, render_github, render_json, render_sarif};
use crate::render::{render_human_with, render_short};

/// How diagnostics are printed.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum Format {
    /// Source lines with labels, for people at a terminal.
    #[default]
    Human,
    /// One line per diagnostic: `path:line:col: severity[CODE] message`.
    Short,
    /// The documented JSON contract (version 1).
    Json,
    /// SARIF 2.1.0.
    Sarif,
    /// GitHub Actions workflow annotations.
    Github,
}

/// Standard input checked under a file name.
pub struct StdinInput {
    /// The file the text stands for (it need not exist): the text is reported under its
    /// path and checked in the context of its project, in place of the file on disk.
    pub name: String,
    pub text: String,
}

/// What to check and how to print it.
#[derive(Default)]
pub struct Options {
    /// Files and folders to check (the current folder when empty).
    pub paths: Vec<PathBuf>,
    /// Standard input, checked instead of files when given.
    pub stdin: Option<StdinInput>,
    pub format: Format,
    pub color: bool,
    /// Whether warnings fail the run (exit 1).
    pub deny_warnings: bool,
    /// `--fix`: apply the fixes to the files (standard input: print the fixed text), then
    /// report what is left.
    pub fix: bool,
    /// `--unsafe-fixes`: the unsafe fixes count too (applied with `fix`).
    pub unsafe_fixes: bool,
}

impl Options {
    /// Which fixes apply.
    pub fn applicability(&self) -> Applicability {
        if self.unsafe_fixes {
            Applicability::Unsafe
        } else {
            Applicability::Safe
        }
    }
}

/// The result of a run: what to print and how to exit.
pub struct Outcome {
    /// The report, for standard output.
    pub stdout: String,
    /// Errors and warnings about the run itself (unreadable files), for standard error.
    pub stderr: Vec<String>,
    pub summary: Summary,
    /// The database the run checked, returned rather than freed: freeing every tree, IR and
    /// memo of a large workspace takes a tenth of its check, which a process about to exit
    /// need not spend (the binary leaves it to the operating system).
    pub database: Option<AnalysisHost>,
}

/// What a run found, for the summary line and the exit code.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct Summary {
    /// Files read and checked.
    pub files: usize,
    /// Files (or folders) that could not be read.
    pub unreadable: usize,
    pub errors: usize,
    pub warnings: usize,
    pub hints: usize,
    /// With `--fix`: the problems fixed, and the files they were fixed in.
    pub fixed: Option<(usize, usize)>,
    /// The problems left that `--fix` would fix, and how many more `--fix --unsafe-fixes`
    /// would.
    pub fixable: usize,
    pub unsafe_fixable: usize,
    /// Whether the unsafe fixes count as fixable (`--unsafe-fixes`).
    pub unsafe_fixes: bool,
}

impl Summary {
    /// Counts `diagnostics` of one more checked file.
    pub fn add_file(&mut self, diagnostics: &[Diagnostic]) {
        self.files += 1;
        self.add(diagnostics);
    }

    /// Counts `diagnostics` without counting a file (the configuration's own problems).
    pub fn add(&mut self, diagnostics: &[Diagnostic]) {
        for diagnostic in diagnostics {
            match diagnostic.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Hint => self.hints += 1,
            }
        }
    }

    /// `checked 12 files: 2 errors, 1 warning`, or `checked 12 files: no problems found`
    /// (`checked 0 files` when nothing was checked), followed by the number of unreadable
    /// files if there were any.
    pub fn line(&self) -> String {
        let counts: Vec<String> = [
            (self.errors, "error"),
            (self.warnings, "warning"),
            (self.hints, "hint"),
        ]
        .into_iter()
        .filter(|&(n, _)| n > 0)
        .map(|(n, word)| plural(n, word))
        .collect();
        let checked = format!("checked {}", plural(self.files, "file"));
        let mut line = match (counts.is_empty(), self.files) {
            (false, _) => format!("{checked}: {}", counts.join(", ")),
            // Nothing was checked: "no problems found" would say the opposite.
            (true, 0) => checked,
            (true, _) => format!("{checked}: no problems found"),
        };
        if self.unreadable > 0 {
            line.push_str(&format!(
                "; {} could not be read",
                plural(self.unreadable, "path")
            ));
        }
        line
    }

    /// The lines printed before [`Summary::line`] about fixes: with `--fix`, `fixed 3
    /// problems in 2 files` (or `nothing to fix`); then, if problems left could be fixed,
    /// how: `2 problems fixable with `--fix` (1 more with `--fix --unsafe-fixes`)`.
    pub fn fix_lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        match self.fixed {
            Some((0, _)) => lines.push("nothing to fix".to_owned()),
            Some((problems, files)) => lines.push(format!(
                "fixed {} in {}",
                plural(problems, "problem"),
                plural(files, "file")
            )),
            None => {}
        }
        let (fix, unsafe_) = ("`--fix`", "`--fix --unsafe-fixes`");
        let problems = |n| plural(n, "problem");
        let hint = match (self.unsafe_fixes, self.fixable, self.unsafe_fixable) {
            (_, 0, 0) => None,
            // `--unsafe-fixes` without `--fix` counts what `--fix --unsafe-fixes` would do.
            (true, safe, more) => Some(format!("{} fixable with {unsafe_}", problems(safe + more))),
            (false, 0, more) => Some(format!("{} fixable with {unsafe_}", problems(more))),
            (false, safe, 0) => Some(format!("{} fixable with {fix}", problems(safe))),
            (false, safe, more) => Some(format!(
                "{} fixable with {fix} ({more} more with {unsafe_})",
                problems(safe)
            )),
        };
        lines.extend(hint);
        lines
    }

    /// 2 if anything could not be read, else 1 if an error was found (or a warning, with
    /// `deny_warnings`), else 0.
    pub fn exit_code(&self, deny_warnings: bool) -> u8 {
        if self.unreadable > 0 {
            2
        } else if self.errors > 0 || (deny_warnings && self.warnings > 0) {
            1
        } else {
            0
        }
    }
}

/// Why a YAML file named on the command line (or standard input) was not checked.
pub const NOT_A_PLAYBOOK: &str = "not a playbook file (no document has a `kind` of Playbook, Step, Trigger or PlaybookTest, or an `apiVersion` of stackpulse.io)";

/// The `(id, name)` of every code, which `[severity]` keys of `playbook.toml` must name.
pub fn known_codes() -> Vec<(&'static str, &'static str)> {
    playbook_db::registry::all()
        .iter()
        .map(|c| (c.id, c.name))
        .collect()
}

/// Runs a check from the current directory: loads the workspace, checks it and renders the
/// report.
pub fn run(options: &Options) -> Outcome {
    match std::env::current_dir() {
        Ok(cwd) => run_in(&cwd, options),
        Err(error) => Outcome {
            stdout: String::new(),
            stderr: vec![format!("error: cannot read the current directory: {error}")],
            summary: Summary {
                unreadable: 1,
                ..Summary::default()
            },
            database: None,
        },
    }
}

/// [`run`] with `cwd` as the current directory (relative paths and display paths are
/// relative to it).
pub fn run_in(cwd: &std::path::Path, options: &Options) -> Outcome {
    let mut stderr = Vec::new();
    let mut summary = Summary::default();
    let codes = known_codes();
    let paths: Vec<PathBuf> = if options.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        options.paths.clone()
    };
    // A named file or standard input is checked in the context of its project, whose other
    // files are loaded but not reported.
    let loaded = match &options.stdin {
        Some(input) => playbook_workspace::load_stdin_workspace_in(
            cwd,
            std::path::Path::new(&input.name),
            input.text.clone(),
            &codes,
        ),
        None => playbook_workspace::load_workspace_in(cwd, &paths, &codes),
    };
    let workspace = match loaded {
        Ok(workspace) => workspace,
        Err(error) => {
            stderr.push(format!("error: {error}"));
            summary.unreadable += 1;
            return Outcome {
                stdout: String::new(),
                stderr,
                summary,
                database: None,
            };
        }
    };
    // The files to report: the checked files (standard input among them).
    let mut checked: Vec<String> = Vec::new();
    for file in workspace.checked_files() {
        let name = path_key(&file.path);
        match &file.text {
            Ok(_) => checked.push(name),
            Err(error) => {
                summary.unreadable += 1;
                stderr.push(format!("error: cannot read `{name}`: {error}"));
            }
        }
    }
    let mut named_skipped = false;
    for file in workspace.skipped.iter().filter(|f| f.explicit) {
        named_skipped = true;
        stderr.push(format!(
            "note: skipped `{}`: {NOT_A_PLAYBOOK}",
            path_key(&file.path)
        ));
    }
    if checked.is_empty() && summary.unreadable == 0 && !named_skipped {
        let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        stderr.push(format!(
            "warning: no playbook files found in {}",
            shown.join(", ")
        ));
    }
    let config = workspace
        .config_file
        .as_ref()
        .filter(|config| !config.diagnostics.is_empty())
        .map(|config| {
            (
                path_key(&config.path),
                config.text.clone(),
                config.diagnostics.clone(),
            )
        });

    // Where each checked file is on disk, for `--fix` to write it.
    let on_disk: Vec<(String, PathBuf)> = if options.fix && options.stdin.is_none() {
        workspace
            .checked_files()
            .map(|f| (path_key(&f.path), f.abs_path.clone()))
            .collect()
    } else {
        Vec::new()
    };

    // The texts move into the database: a large workspace is not copied.
    let (mut host, _) = into_analysis_host(workspace, PathStyle::Display);

    let mut fixed_stdin: Option<String> = None;
    if options.fix {
        // Every file is checked at once, on every core, before the files with fixes are
        // fixed one by one.
        host.diagnostics_of_all(&checked);
        let fixes = crate::fix::fix_files(&mut host, &checked, options.applicability());
        let (mut problems, mut files) = (0, 0);
        for file in fixes {
            if !file.converged {
                stderr.push(format!(
                    "warning: `{}`: fixes still applied after {} rounds; a fix brings back what it fixes (please report it)",
                    file.name,
                    playbook_diagnostics::fix::MAX_ROUNDS
                ));
            }
            if options.stdin.is_some() {
                fixed_stdin = Some(file.text);
            } else {
                let written = match on_disk.iter().find(|(name, _)| *name == file.name) {
                    Some((_, path)) => crate::write::write_atomic(path, &file.original, &file.text),
                    None => Err(std::io::Error::other("it is not a file on disk")),
                };
                if let Err(error) = written {
                    stderr.push(format!("error: cannot write `{}`: {error}", file.name));
                    summary.unreadable += 1;
                    // What is reported is what is on disk.
                    host.set_file_text(&file.name, file.original);
                    continue;
                }
            }
            problems += file.fixed;
            files += 1;
        }
        summary.fixed = Some((problems, files));
    }

    let all = host.diagnostics_of_all(&checked);
    let mut results: Vec<(&str, &str, Vec<Diagnostic>)> = Vec::new();
    if let Some((path, text, diagnostics)) = &config {
        summary.add(diagnostics);
        results.push((path, text, diagnostics.clone()));
    }
    // What is left to fix: with the safe fixes, and with the unsafe ones too.
    summary.unsafe_fixes = options.unsafe_fixes;
    for (name, diagnostics) in checked.iter().zip(all) {
        summary.add_file(&diagnostics);
        let text = host.file_text(name).unwrap_or_default();
        let safe = crate::fix::fixable(text, &diagnostics, Applicability::Safe);
        summary.fixable += safe;
        summary.unsafe_fixable +=
            crate::fix::fixable(text, &diagnostics, Applicability::Unsafe).saturating_sub(safe);
        results.push((name, text, diagnostics));
    }
    results.sort_by(|a, b| a.0.cmp(b.0));

    let reports: Vec<FileReport<'_>> = results
        .iter()
        .map(|(path, text, diagnostics)| FileReport {
            path,
            text,
            diagnostics,
        })
        .collect();
    // A related location in another file of the workspace is located in its text.
    let files = |file: &str| host.file_text(file).map(str::to_owned);
    let stdout = match options.format {
        Format::Human => reports
            .iter()
            .filter(|r| !r.diagnostics.is_empty())
            .map(|r| render_human_with(r.path, r.text, r.diagnostics, options.color, &files) + "\n")
            .collect(),
        Format::Short => reports
            .iter()
            .map(|r| render_short(r.path, r.text, r.diagnostics))
            .collect(),
        Format::Json => render_json(&reports, summary.files, &files),
        Format::Sarif => render_sarif(&reports, &crate::explain::catalogue(), &files),
        Format::Github => render_github(&reports),
    };
    drop(reports);
    drop(results);
    // Standard input fixed: the fixed text is the output, the report goes with the messages.
    let stdout = match (&options.stdin, options.fix) {
        (Some(input), true) => {
            let report = stdout.trim_end_matches('\n');
            if !report.is_empty() {
                stderr.insert(0, report.to_owned());
            }
            fixed_stdin.unwrap_or_else(|| input.text.clone())
        }
        _ => stdout,
    };
    Outcome {
        stdout,
        stderr,
        summary,
        database: Some(host),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use playbook_diagnostics::TextRange;
    use playbook_syntax::codes;

    #[test]
    fn summary_lines_and_exit_codes() {
        let mut summary = Summary::default();
        assert_eq!(summary.line(), "checked 0 files");
        summary.unreadable = 1;
        assert_eq!(summary.line(), "checked 0 files; 1 path could not be read");
        assert_eq!(summary.exit_code(false), 2);
        summary.unreadable = 0;
        summary.add_file(&[]);
        assert_eq!(summary.line(), "checked 1 file: no problems found");
        assert_eq!(summary.exit_code(false), 0);

        let error = Diagnostic::new(&codes::INVALID_YAML, TextRange::empty(0), "m");
        let warning = error.clone().with_severity(Severity::Warning);
        summary.add_file(std::slice::from_ref(&warning));
        assert_eq!(summary.line(), "checked 2 files: 1 warning");
        assert_eq!(summary.exit_code(false), 0);
        assert_eq!(summary.exit_code(true), 1);

        summary.add_file(&[error.clone(), error, warning]);
        assert_eq!(summary.line(), "checked 3 files: 2 errors, 2 warnings");
        assert_eq!(summary.exit_code(false), 1);

        summary.unreadable = 1;
        assert_eq!(
            summary.line(),
            "checked 3 files: 2 errors, 2 warnings; 1 path could not be read"
        );
        assert_eq!(summary.exit_code(false), 2);
    }

    #[test]
    fn fix_lines_say_what_was_fixed_and_what_could_be() {
        let mut summary = Summary::default();
        assert!(summary.fix_lines().is_empty());
        summary.fixed = Some((0, 0));
        assert_eq!(summary.fix_lines(), ["nothing to fix"]);
        summary.fixed = Some((3, 1));
        summary.unsafe_fixable = 1;
        assert_eq!(
            summary.fix_lines(),
            [
                "fixed 3 problems in 1 file",
                "1 problem fixable with `--fix --unsafe-fixes`"
            ]
        );
        summary.fixed = None;
        summary.fixable = 2;
        assert_eq!(
            summary.fix_lines(),
            ["2 problems fixable with `--fix` (1 more with `--fix --unsafe-fixes`)"]
        );
        summary.unsafe_fixes = true;
        assert_eq!(
            summary.fix_lines(),
            ["3 problems fixable with `--fix --unsafe-fixes`"]
        );
        summary.unsafe_fixable = 0;
        summary.unsafe_fixes = false;
        assert_eq!(summary.fix_lines(), ["2 problems fixable with `--fix`"]);
    }
}
