//! The `playbook test` run: find the test files (`*.test.yaml`, `*.test.yml`, holding
//! `kind: PlaybookTest` documents) under the given paths as `playbook check` finds files,
//! load the workspace, run each case offline against the playbook it names
//! ([`playbook_ide::run_tests`]) and print the results as `cargo test` does: one line per
//! case, then each failure with the test file's line, then a summary; or as JSON or JUnit
//! XML for CI.
//!
//! A file named on the command line is run whatever its name. A test file with errors
//! (`playbook check` would report them) is not run: its errors are printed and the run
//! fails, as a test that does not compile.

use std::fmt::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};

use ariadne::{Color, Config, IndexType, Label, Report, ReportKind, Source};
use playbook_diagnostics::{LineIndex, Severity};
use playbook_eval::expect::Failure;
use playbook_ide::CaseResult;
use playbook_workspace::{PathStyle, into_analysis_host, path_key};

use crate::render::{ariadne_text, display_range, line_col, render_human};

/// How results are printed.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum Format {
    /// `cargo test`'s layout, failures drawn on the test file's lines.
    #[default]
    Human,
    /// JSON (version 1).
    Json,
    /// JUnit XML, for CI dashboards.
    Junit,
}

/// What to run and how to print it.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Files and folders (the current folder when empty).
    pub paths: Vec<PathBuf>,
    /// Run only the cases whose name (or `file::name`) contains this.
    pub filter: Option<String>,
    pub format: Format,
    pub color: bool,
}

/// What to print and how to exit.
#[derive(Clone, Debug, Default)]
pub struct Outcome {
    pub stdout: String,
    pub stderr: String,
    /// 0 every case passed, 1 a case failed (or a test file has errors), 2 usage or I/O.
    pub exit_code: u8,
}

/// The results of one test file.
#[derive(Clone, Debug)]
pub struct FileResults {
    /// The display path.
    pub path: String,
    pub text: String,
    pub cases: Vec<CaseResult>,
}

/// Totals of a run.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct Totals {
    pub passed: usize,
    pub failed: usize,
    pub filtered_out: usize,
    /// Test files with errors, whose cases were not run.
    pub broken: usize,
}

impl Totals {
    fn of(files: &[FileResults], filtered_out: usize) -> Totals {
        let cases = files.iter().flat_map(|f| &f.cases);
        let failed = cases.clone().filter(|c| !c.passed()).count();
        Totals {
            passed: cases.count() - failed,
            failed,
            filtered_out,
            broken: 0,
        }
    }
}

/// Whether a file's name says it is a test file: `*.test.yaml` or `*.test.yml`.
pub fn is_test_file_name(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.ends_with(".test.yaml") || n.ends_with(".test.yml"))
}

/// Runs the tests from the current directory.
pub fn run(options: &Options) -> Outcome {
    match std::env::current_dir() {
        Ok(cwd) => run_in(&cwd, options),
        Err(error) => Outcome {
            stderr: format!("error: cannot read the current directory: {error}\n"),
            exit_code: 2,
            ..Outcome::default()
        },
    }
}

/// [`run`] with `cwd` as the current directory.
pub fn run_in(cwd: &Path, options: &Options) -> Outcome {
    let mut stderr = String::new();
    let paths: Vec<PathBuf> = if options.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        options.paths.clone()
    };
    let codes = crate::check::known_codes();
    let workspace = match playbook_workspace::load_workspace_in(cwd, &paths, &codes) {
        Ok(workspace) => workspace,
        Err(error) => {
            return Outcome {
                stderr: format!("error: {error}\n"),
                exit_code: 2,
                ..Outcome::default()
            };
        }
    };
    // Files named on the command line are run whatever their name.
    let named: Vec<PathBuf> = paths
        .iter()
        .map(|p| cwd.join(p))
        .filter(|p| p.is_file())
        .filter_map(|p| p.canonicalize().ok())
        .collect();
    let mut unreadable = false;
    let mut test_files: Vec<String> = Vec::new();
    for file in workspace.checked_files() {
        let explicit = file
            .abs_path
            .canonicalize()
            .is_ok_and(|p| named.contains(&p));
        if !(explicit || is_test_file_name(&file.path)) {
            continue;
        }
        match &file.text {
            Ok(_) => test_files.push(path_key(&file.path)),
            Err(error) => {
                unreadable = true;
                let _ = writeln!(
                    stderr,
                    "error: cannot read `{}`: {error}",
                    path_key(&file.path)
                );
            }
        }
    }
    test_files.sort();
    let (host, _) = into_analysis_host(workspace, PathStyle::Display);
    let db = host.db();
    let filter = options.filter.as_deref();
    let mut results = Vec::new();
    let mut broken = 0;
    let mut filtered_out = 0;
    for path in &test_files {
        let Some(file) = host.file(path) else {
            continue;
        };
        let text = host.file_text(path).unwrap_or_default().to_owned();
        let lowered = playbook_db::queries::lower(db, file);
        if lowered.file.tests().next().is_none() {
            continue;
        }
        let errors: Vec<_> = host
            .diagnostics(path)
            .into_iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        if !errors.is_empty() {
            broken += 1;
            let _ = writeln!(
                stderr,
                "{}\nerror: `{path}` has errors: its cases were not run",
                render_human(path, &text, &errors, options.color)
            );
            continue;
        }
        // The filter applies to the case's name and to `file::name`.
        let mut cases = playbook_ide::run_tests(db, file, None);
        let all = cases.len();
        cases.retain(|case| {
            filter.is_none_or(|f| {
                case.name.contains(f) || format!("{path}::{}", case.name).contains(f)
            })
        });
        filtered_out += all - cases.len();
        results.push(FileResults {
            path: path.clone(),
            text,
            cases,
        });
    }
    if test_files.is_empty() && !unreadable {
        let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        let _ = writeln!(
            stderr,
            "warning: no test files (`*.test.yaml`) found in {}",
            shown.join(", ")
        );
    }
    let totals = Totals {
        broken,
        ..Totals::of(&results, filtered_out)
    };
    let stdout = match options.format {
        Format::Human => render_human_results(&results, totals, options.color),
        Format::Json => render_json(&results, totals),
        Format::Junit => render_junit(&results),
    };
    let exit_code = if unreadable {
        2
    } else if totals.failed > 0 || totals.broken > 0 {
        1
    } else {
        0
    };
    std::mem::forget(host);
    Outcome {
        stdout,
        stderr,
        exit_code,
    }
}

const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

/// The `cargo test` layout: `running N cases`, one line per case, the failures, the
/// summary.
pub fn render_human_results(files: &[FileResults], totals: Totals, color: bool) -> String {
    let paint = |code: &str, text: &str| {
        if color {
            format!("{code}{text}{RESET}")
        } else {
            text.to_owned()
        }
    };
    let count = totals.passed + totals.failed;
    let mut out = format!(
        "\nrunning {count} {}\n",
        if count == 1 { "case" } else { "cases" }
    );
    for file in files {
        for case in &file.cases {
            let status = if case.passed() {
                paint(GREEN, "ok")
            } else {
                paint(RED, "FAILED")
            };
            let _ = writeln!(out, "test {}::{} ... {status}", file.path, case.name);
        }
    }
    if totals.failed > 0 {
        out.push_str("\nfailures:\n");
        for file in files {
            for case in file.cases.iter().filter(|c| !c.passed()) {
                let _ = writeln!(out, "\n---- {}::{} ----", file.path, case.name);
                for failure in &case.failures {
                    out.push_str(&render_failure(&file.path, &file.text, failure, color));
                }
            }
        }
        out.push_str("\nfailures:\n");
        for file in files {
            for case in file.cases.iter().filter(|c| !c.passed()) {
                let _ = writeln!(out, "    {}::{}", file.path, case.name);
            }
        }
    }
    let result = if totals.failed > 0 || totals.broken > 0 {
        paint(RED, "FAILED")
    } else {
        paint(GREEN, "ok")
    };
    let _ = write!(
        out,
        "\ntest result: {result}. {} passed; {} failed; {} filtered out",
        totals.passed, totals.failed, totals.filtered_out
    );
    if totals.broken > 0 {
        let _ = write!(
            out,
            "; {} with errors, not run",
            if totals.broken == 1 {
                "1 test file".to_owned()
            } else {
                format!("{} test files", totals.broken)
            }
        );
    }
    out.push('\n');
    out
}

/// One failed expectation drawn on its line of the test file, with what was expected and
/// what the run gave.
pub fn render_failure(path: &str, text: &str, failure: &Failure, color: bool) -> String {
    let span = |range| -> (String, Range<usize>) {
        (path.to_owned(), display_range(text, range).as_usize())
    };
    let mut label = Label::new(span(failure.range)).with_message(failure.message.as_str());
    if color {
        label = label.with_color(Color::Red);
    }
    let mut report = Report::build(ReportKind::Error, span(failure.range))
        .with_config(
            Config::new()
                .with_color(color)
                .with_index_type(IndexType::Byte),
        )
        .with_label(label);
    if let (Some(expected), Some(actual)) = (&failure.expected, &failure.actual) {
        let (minus, plus) = if color {
            (
                format!("{GREEN}expected{RESET}"),
                format!("{RED}actual{RESET}"),
            )
        } else {
            ("expected".to_owned(), "actual".to_owned())
        };
        report.add_note(format!("{minus}: {expected}\n  {plus}: {actual}"));
    }
    let source = Source::from(ariadne_text(text));
    let mut bytes = Vec::new();
    let header = if color {
        format!(
            "{BOLD}{RED}failed{RESET}{BOLD}: {}{RESET}\n",
            failure.message
        )
    } else {
        format!("failed: {}\n", failure.message)
    };
    if report
        .finish()
        .write((path.to_owned(), source), &mut bytes)
        .is_err()
    {
        return header;
    }
    let drawn = String::from_utf8_lossy(&bytes);
    let mut out = header;
    // The note's two lines, `expected` over `actual`, without ariadne's `Note: ` and the
    // indentation it gives the second line.
    let mut in_note = false;
    for line in drawn.lines().skip(1) {
        let line = line.trim_end();
        let line = if line.contains("Note: ") {
            in_note = true;
            line.replacen("Note: ", "", 1)
        } else if in_note && line.contains("actual") {
            in_note = false;
            line.replacen("       ", " ", 1)
        } else {
            line.to_owned()
        };
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// The JSON report (version 1): every case with its failures, and the totals.
pub fn render_json(files: &[FileResults], totals: Totals) -> String {
    use serde_json::json;
    let cases: Vec<serde_json::Value> = files
        .iter()
        .flat_map(|file| {
            let index = LineIndex::new(&file.text);
            file.cases.iter().map(move |case| {
                let (line, column) = line_col(&index, &file.text, case.range.start());
                json!({
                    "file": file.path,
                    "name": case.name,
                    "line": line,
                    "column": column,
                    "passed": case.passed(),
                    "failures": case.failures.iter().map(|f| {
                        let (line, column) = line_col(&index, &file.text, display_range(&file.text, f.range).start());
                        json!({
                            "line": line,
                            "column": column,
                            "message": f.message,
                            "expected": f.expected,
                            "actual": f.actual,
                        })
                    }).collect::<Vec<_>>(),
                })
            })
        })
        .collect();
    let report = json!({
        "version": 1,
        "passed": totals.passed,
        "failed": totals.failed,
        "filtered_out": totals.filtered_out,
        "files_with_errors": totals.broken,
        "cases": cases,
    });
    format!("{report}\n")
}

/// JUnit XML: one `testsuite` per test file, one `testcase` per case, a `failure` per failed
/// case with each failed expectation on its line.
pub fn render_junit(files: &[FileResults]) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let all = Totals::of(files, 0);
    let _ = writeln!(
        out,
        "<testsuites name=\"playbook test\" tests=\"{}\" failures=\"{}\">",
        all.passed + all.failed,
        all.failed
    );
    for file in files {
        let totals = Totals::of(std::slice::from_ref(file), 0);
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\">",
            xml(&file.path),
            totals.passed + totals.failed,
            totals.failed
        );
        let index = LineIndex::new(&file.text);
        for case in &file.cases {
            let head = format!(
                "    <testcase name=\"{}\" classname=\"{}\"",
                xml(&case.name),
                xml(&file.path)
            );
            if case.passed() {
                let _ = writeln!(out, "{head}/>");
                continue;
            }
            let _ = writeln!(out, "{head}>");
            let mut body = String::new();
            for f in &case.failures {
                let (line, column) = line_col(
                    &index,
                    &file.text,
                    display_range(&file.text, f.range).start(),
                );
                let _ = writeln!(body, "{}:{line}:{column}: {}", file.path, f.message);
                if let (Some(expected), Some(actual)) = (&f.expected, &f.actual) {
                    let _ = writeln!(body, "  expected: {expected}\n    actual: {actual}");
                }
            }
            let first = case.failures.first().map_or("", |f| f.message.as_str());
            let _ = writeln!(
                out,
                "      <failure message=\"{}\">{}</failure>",
                xml(first),
                xml(&body)
            );
            out.push_str("    </testcase>\n");
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// Text escaped for XML content and attributes; characters XML 1.0 cannot hold (control
/// characters other than tab and line breaks) are written as `\u{..}`.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_files_are_named_so() {
        assert!(is_test_file_name(Path::new("tests/db.test.yaml")));
        assert!(is_test_file_name(Path::new("db.test.yml")));
        assert!(!is_test_file_name(Path::new("db.yaml")));
        assert!(!is_test_file_name(Path::new("test.yaml")));
    }

    #[test]
    fn xml_escapes_markup_and_control_characters() {
        assert_eq!(
            xml("a<b & \"c\" 'd'>\u{1}\n"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;\\u{1}\n"
        );
    }
}
