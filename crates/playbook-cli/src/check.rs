//! The `playbook check` run: the report of each file in the chosen format, the counts
//! behind the closing summary line, and the exit code.
//!
//! Reading files and writing to the terminal stay in `main.rs`; this module only turns
//! texts into output strings and numbers.

use playbook_diagnostics::{Diagnostic, Severity};

use crate::collect::file_diagnostics;
use crate::render::{render_human, render_short};

/// How diagnostics are printed.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum Format {
    /// Source lines with labels, for people at a terminal.
    #[default]
    Human,
    /// One line per diagnostic: `path:line:col: severity[CODE] message`.
    Short,
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
}

impl Summary {
    /// Counts `diagnostics` of one more checked file.
    pub fn add_file(&mut self, diagnostics: &[Diagnostic]) {
        self.files += 1;
        for diagnostic in diagnostics {
            match diagnostic.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Hint => self.hints += 1,
            }
        }
    }

    /// `checked 12 files: 2 errors, 1 warning`, or `checked 12 files: no problems found`,
    /// followed by the number of unreadable files if there were any.
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
        let found = if counts.is_empty() {
            "no problems found".to_owned()
        } else {
            counts.join(", ")
        };
        let mut line = format!("checked {}: {found}", plural(self.files, "file"));
        if self.unreadable > 0 {
            line.push_str(&format!(
                "; {} could not be read",
                plural(self.unreadable, "path")
            ));
        }
        line
    }

    /// 2 if anything could not be read, else 1 if an error was found, else 0.
    pub fn exit_code(&self) -> u8 {
        if self.unreadable > 0 {
            2
        } else if self.errors > 0 {
            1
        } else {
            0
        }
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Checks one file's text and returns its diagnostics and their rendering in `format`
/// (empty when the file is clean).
pub fn check_text(
    name: &str,
    text: &str,
    format: Format,
    color: bool,
) -> (Vec<Diagnostic>, String) {
    let diagnostics = file_diagnostics(text);
    let output = match format {
        Format::Human => render_human(name, text, &diagnostics, color),
        Format::Short => render_short(name, text, &diagnostics),
    };
    (diagnostics, output)
}

#[cfg(test)]
mod tests {
    use super::*;
    use playbook_diagnostics::TextRange;
    use playbook_syntax::codes;

    #[test]
    fn summary_lines() {
        let mut summary = Summary::default();
        assert_eq!(summary.line(), "checked 0 files: no problems found");
        summary.add_file(&[]);
        assert_eq!(summary.line(), "checked 1 file: no problems found");
        assert_eq!(summary.exit_code(), 0);

        let error = Diagnostic::new(&codes::INVALID_YAML, TextRange::empty(0), "m");
        let warning = error.clone().with_severity(Severity::Warning);
        summary.add_file(std::slice::from_ref(&warning));
        assert_eq!(summary.line(), "checked 2 files: 1 warning");
        assert_eq!(summary.exit_code(), 0);

        summary.add_file(&[error.clone(), error, warning]);
        assert_eq!(summary.line(), "checked 3 files: 2 errors, 2 warnings");
        assert_eq!(summary.exit_code(), 1);

        summary.unreadable = 1;
        assert_eq!(
            summary.line(),
            "checked 3 files: 2 errors, 2 warnings; 1 path could not be read"
        );
        assert_eq!(summary.exit_code(), 2);
    }

    #[test]
    fn a_clean_text_renders_nothing() {
        let (diagnostics, output) = check_text("a.yaml", "a: 1\n", Format::Human, false);
        assert!(diagnostics.is_empty());
        assert_eq!(output, "");
    }
}
