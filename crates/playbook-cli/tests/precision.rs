//! The precision test of issue 8: does `playbook check` cry wolf on playbooks written the
//! way the platform's engineers write them, and does it still find every real defect at its
//! exact place?
//!
//! Two folders of playbooks and triggers, written for this project in the style of the
//! public StackPulse playbooks and checked against the real step library
//! (`../shared/corpus/stackpulse-steps`, found through `PLAYBOOK_TEST_DATA`):
//! - `tests/precision/clean/`: playbooks that are correct against the language
//!   specification and the manifests they call. Every error and warning reported there is a
//!   false alarm.
//! - `tests/precision/defects/`: one real defect per file, each declared in the file's
//!   header as `# expect: LINE:COL CODE`, one line per expected diagnostic (1-based line and
//!   column of its start, in characters). `NEW` as the code stands for a check that has no
//!   code yet: any error or warning at exactly that place matches it. Anything after the
//!   code is a note for the reader. The errors and warnings of each file must be exactly the
//!   expected ones.
//!
//! Each folder is copied to a fresh temporary folder with a generated `playbook.toml` that
//! maps the library prefix to the real library and lists the known secrets, then checked
//! through the same library call the binary makes (`playbook_cli::check::run_in`, JSON
//! format). Hints are not counted: they are style, not alarms. The test prints every false
//! alarm and every mismatch, then the precision over both folders: real findings divided by
//! all errors and warnings.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use playbook_cli::check::{Format, Options, Summary, run_in};
use serde_json::Value;

/// The image prefix the real library is published under.
const LIBRARY_PREFIX: &str = "us-docker.pkg.dev/stackpulse/public/";

/// The secrets of the runtime's secret store that the playbooks of both folders name, as
/// the `[secrets] known` setting of the generated `playbook.toml`.
const KNOWN_SECRETS: &[&str] = &[
    "aws-redshift-admin-arn",
    "elastic-monitor-password",
    "gchat-sre-webhook",
    "github-automation-token",
    "jenkins-api-token",
    "ops-ssh-key",
    "payments-kubeconfig",
    "postgres-monitor-password",
    "rabbitmq-monitoring-password",
    "redis-cache-password",
    "redis-sessions-password",
    "rundeck-api-token",
    "teams-sre-webhook",
    "victorops-api-key",
];

/// One error or warning, as the JSON format reports it.
#[derive(Clone, Debug)]
struct Finding {
    path: String,
    line: u64,
    column: u64,
    severity: String,
    code: String,
    message: String,
    help: Option<String>,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{} {} {} {}",
            self.path, self.line, self.column, self.severity, self.code, self.message
        )?;
        if let Some(help) = &self.help {
            write!(f, " (help: {help})")?;
        }
        Ok(())
    }
}

/// One `# expect: LINE:COL CODE note` line of a defect file.
#[derive(Clone, PartialEq, Eq, Debug)]
struct Expectation {
    line: u64,
    column: u64,
    /// A code such as `PB301`, or `NEW` for any code at this place.
    code: String,
    /// What the expected diagnostic is about, for the reader (may be empty).
    note: String,
}

impl Expectation {
    fn matches(&self, finding: &Finding) -> bool {
        self.line == finding.line
            && self.column == finding.column
            && (self.code == "NEW" || self.code == finding.code)
    }
}

impl std::fmt::Display for Expectation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{} {}", self.line, self.column, self.code)?;
        if !self.note.is_empty() {
            write!(f, " {}", self.note)?;
        }
        Ok(())
    }
}

/// The `# expect:` lines of a file, or the first malformed one as an error.
fn expectations(text: &str) -> Result<Vec<Expectation>, String> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let Some(rest) = line.trim_start().strip_prefix("# expect:") else {
            continue;
        };
        let malformed = || format!("line {}: malformed expectation `{line}`", n + 1);
        let mut words = rest.split_whitespace();
        let place = words.next().ok_or_else(malformed)?;
        let code = words.next().ok_or_else(malformed)?;
        let (l, c) = place.split_once(':').ok_or_else(malformed)?;
        let line_no: u64 = l.parse().map_err(|_| malformed())?;
        let column: u64 = c.parse().map_err(|_| malformed())?;
        let code_ok = code == "NEW"
            || (code.len() == 5
                && code.starts_with("PB")
                && code[2..].chars().all(|ch| ch.is_ascii_digit()));
        if line_no == 0 || column == 0 || !code_ok {
            return Err(malformed());
        }
        out.push(Expectation {
            line: line_no,
            column,
            code: code.to_owned(),
            note: words.collect::<Vec<_>>().join(" "),
        });
    }
    Ok(out)
}

/// Pairs the expectations of one file with its findings. Exact codes are matched first, so
/// that a `NEW` expectation does not take the finding an exact one was written for. Returns
/// the expectations nothing matched and the findings no expectation matched.
fn pair<'a>(
    expected: &'a [Expectation],
    found: &'a [Finding],
) -> (Vec<&'a Expectation>, Vec<&'a Finding>) {
    let mut used = vec![false; found.len()];
    let mut missing = Vec::new();
    let exact = expected.iter().filter(|e| e.code != "NEW");
    let new = expected.iter().filter(|e| e.code == "NEW");
    for expectation in exact.chain(new) {
        let hit = found
            .iter()
            .enumerate()
            .find(|(i, f)| !used[*i] && expectation.matches(f));
        match hit {
            Some((i, _)) => used[i] = true,
            None => missing.push(expectation),
        }
    }
    let unexpected = found
        .iter()
        .zip(&used)
        .filter(|(_, used)| !**used)
        .map(|(f, _)| f)
        .collect();
    (missing, unexpected)
}

/// A fresh, empty temporary folder, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir =
            std::env::temp_dir().join(format!("playbook-precision-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("cannot create a temporary folder");
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The files of one precision folder, as (relative path, text), sorted by path. The folder is
/// found from this test's own crate (`crates/playbook-cli`), which is compiled with the test.
fn folder_files(folder: &str) -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/precision")
        .join(folder);
    assert!(dir.is_dir(), "{} is missing", dir.display());
    playbook_test_support::yaml_files(&dir)
}

/// The generated `playbook.toml`: the real library under its prefix, the known secrets.
fn config(library: &Path) -> String {
    let secrets: Vec<String> = KNOWN_SECRETS.iter().map(|s| format!("{s:?}")).collect();
    format!(
        "# Generated by crates/playbook-cli/tests/precision.rs.\n\
         [[library]]\n\
         prefix = {LIBRARY_PREFIX:?}\n\
         path = {:?}\n\n\
         [secrets]\n\
         known = [{}]\n",
        library.display().to_string(),
        secrets.join(", ")
    )
}

/// What checking one folder gave.
struct Checked {
    summary: Summary,
    /// The errors and warnings, by file.
    findings: BTreeMap<String, Vec<Finding>>,
    /// The hints (style), which are not counted.
    hints: Vec<Finding>,
    /// Problems with the run itself (standard error of the binary).
    stderr: Vec<String>,
}

/// Copies `files` to a temporary folder with the generated configuration and checks it as
/// `playbook check --format json` run in that folder would.
fn check_folder(name: &str, files: &[(String, String)], library: &Path) -> Checked {
    let dir = TempDir::new(name);
    for (path, text) in files {
        let target = dir.0.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).expect("cannot create a folder in the temporary copy");
        }
        std::fs::write(&target, text).expect("cannot write the temporary copy");
    }
    std::fs::write(dir.0.join("playbook.toml"), config(library))
        .expect("cannot write playbook.toml");
    let options = Options {
        paths: Vec::new(),
        stdin: None,
        format: Format::Json,
        color: false,
        deny_warnings: false,
        ..Options::default()
    };
    let outcome = run_in(&dir.0, &options);
    let report: Value =
        serde_json::from_str(&outcome.stdout).expect("the JSON format is not valid JSON");
    let mut findings: BTreeMap<String, Vec<Finding>> = BTreeMap::new();
    let mut hints = Vec::new();
    for d in report["diagnostics"].as_array().into_iter().flatten() {
        let severity = d["severity"].as_str().unwrap_or_default().to_owned();
        let finding = Finding {
            path: d["path"].as_str().unwrap_or_default().to_owned(),
            line: d["line"].as_u64().unwrap_or_default(),
            column: d["column"].as_u64().unwrap_or_default(),
            severity,
            code: d["code"].as_str().unwrap_or_default().to_owned(),
            message: d["message"].as_str().unwrap_or_default().to_owned(),
            help: d["help"].as_str().map(str::to_owned),
        };
        if finding.severity != "error" && finding.severity != "warning" {
            hints.push(finding);
            continue;
        }
        findings
            .entry(finding.path.clone())
            .or_default()
            .push(finding);
    }
    Checked {
        summary: outcome.summary,
        findings,
        hints,
        stderr: outcome.stderr,
    }
}

/// The number of references (paths such as `$.params.x`, `.join_url`, `$.'redis-info'.info`)
/// in the templates of a file: every scalar is decoded and its template parsed.
fn count_references(text: &str) -> usize {
    use playbook_syntax::ast::Node;
    let parse = playbook_syntax::parse(text);
    parse
        .tree()
        .root()
        .descendants()
        .filter_map(|node| match Node::cast(node) {
            Some(Node::Scalar(scalar)) => Some(scalar.value().into_owned()),
            _ => None,
        })
        .filter(|value| value.contains("{{"))
        .map(|value| playbook_template::parse(&value).paths().count())
        .sum()
}

/// A sanity check of the folder: every file is a playbook file that the check read.
fn assert_all_checked(name: &str, files: &[(String, String)], checked: &Checked) -> Vec<String> {
    let mut problems = Vec::new();
    if checked.summary.files != files.len() {
        problems.push(format!(
            "{name}: {} files in the folder but {} checked",
            files.len(),
            checked.summary.files
        ));
    }
    if checked.summary.unreadable > 0 || !checked.stderr.is_empty() {
        problems.push(format!(
            "{name}: the run reported problems: {}",
            checked.stderr.join("; ")
        ));
    }
    problems
}

#[test]
fn precision_on_real_style_playbooks() {
    let Some(library) = playbook_test_support::shared_data("corpus/stackpulse-steps") else {
        return;
    };
    let library = library.canonicalize().unwrap_or(library);
    let mut failures: Vec<String> = Vec::new();

    // The clean folder: every error and warning is a false alarm.
    let clean_files = folder_files("clean");
    let clean = check_folder("clean", &clean_files, &library);
    failures.extend(assert_all_checked("clean", &clean_files, &clean));
    let references: usize = clean_files.iter().map(|(_, t)| count_references(t)).sum();
    let playbooks = clean_files
        .iter()
        .filter(|(_, t)| t.contains("\nkind: Playbook"))
        .count();
    let triggers = clean_files
        .iter()
        .filter(|(_, t)| t.contains("\nkind: Trigger"))
        .count();
    let false_alarms: Vec<&Finding> = clean.findings.values().flatten().collect();
    println!(
        "clean: {} files ({playbooks} playbooks, {triggers} trigger files), {references} references checked, {} false alarms",
        clean_files.len(),
        false_alarms.len()
    );
    if !false_alarms.is_empty() {
        let mut list = format!(
            "clean: {} errors and warnings on correct playbooks (every one is a false alarm):\n",
            false_alarms.len()
        );
        for finding in &false_alarms {
            let _ = writeln!(list, "  clean/{finding}");
        }
        println!("{list}");
        failures.push(format!("clean: {} false alarms", false_alarms.len()));
    }
    if !clean.hints.is_empty() {
        // Not counted, but shown: a hint on correct code is noise too (rule 9 of issue 8
        // says a runner from a `var` parameter is valid).
        println!("clean: {} hints (not counted):", clean.hints.len());
        for hint in &clean.hints {
            println!("  clean/{hint}");
        }
        println!();
    }
    if playbooks < 15 {
        failures.push(format!(
            "clean: only {playbooks} playbooks, at least 15 wanted"
        ));
    }

    // The defects folder: each file's errors and warnings are exactly its expectations.
    let defect_files = folder_files("defects");
    let defects = check_folder("defects", &defect_files, &library);
    failures.extend(assert_all_checked("defects", &defect_files, &defects));
    let no_findings = Vec::new();
    let (mut expected_total, mut real, mut mismatched_files) = (0, 0, 0);
    let mut report = String::new();
    for (path, text) in &defect_files {
        let expected = match expectations(text) {
            Ok(expected) if expected.is_empty() => {
                failures.push(format!("defects/{path}: no `# expect:` line"));
                continue;
            }
            Ok(expected) => expected,
            Err(error) => {
                failures.push(format!("defects/{path}: {error}"));
                continue;
            }
        };
        let found = defects.findings.get(path).unwrap_or(&no_findings);
        let (missing, unexpected) = pair(&expected, found);
        expected_total += expected.len();
        real += expected.len() - missing.len();
        if missing.is_empty() && unexpected.is_empty() {
            continue;
        }
        mismatched_files += 1;
        let _ = writeln!(report, "  defects/{path}:");
        for expectation in missing {
            let _ = writeln!(report, "    missing:    {expectation}");
        }
        for finding in unexpected {
            let _ = writeln!(report, "    unexpected: defects/{finding}");
        }
    }
    // Findings in files the folder listing did not return cannot happen, but would count.
    for (path, found) in &defects.findings {
        if !defect_files.iter().any(|(p, _)| p == path) {
            for finding in found {
                let _ = writeln!(
                    report,
                    "  unexpected in an unlisted file: defects/{finding}"
                );
            }
        }
    }
    let defect_findings: usize = defects.findings.values().map(Vec::len).sum();
    println!(
        "defects: {} files, {expected_total} expected findings, {real} found at their place, {defect_findings} errors and warnings in all",
        defect_files.len()
    );
    if mismatched_files > 0 {
        println!(
            "defects: {mismatched_files} files do not give exactly their expected findings:\n{report}"
        );
        failures.push(format!("defects: {mismatched_files} files mismatch"));
    }
    if defect_files.len() < 20 {
        failures.push(format!(
            "defects: only {} files, at least 20 wanted",
            defect_files.len()
        ));
    }

    // Precision over both folders: real findings / all errors and warnings.
    let all = false_alarms.len() + defect_findings;
    if all > 0 {
        println!(
            "precision: {real} real findings of {all} errors and warnings ({:.1}%); recall: {real} of {expected_total} expected findings ({:.1}%)",
            100.0 * real as f64 / all as f64,
            100.0 * real as f64 / expected_total.max(1) as f64
        );
    } else {
        println!("precision: no errors or warnings at all; recall: 0 of {expected_total}");
    }

    assert!(
        failures.is_empty(),
        "precision test failed:\n  {}",
        failures.join("\n  ")
    );
}

#[test]
fn expectations_are_parsed_and_paired() {
    let text = "# A defect.\n# expect: 12:18 NEW constant-condition\n  # expect: 3:5 PB301\nkind: Playbook\n";
    let expected = expectations(text).expect("well-formed expectations");
    assert_eq!(
        expected,
        vec![
            Expectation {
                line: 12,
                column: 18,
                code: "NEW".to_owned(),
                note: "constant-condition".to_owned()
            },
            Expectation {
                line: 3,
                column: 5,
                code: "PB301".to_owned(),
                note: String::new()
            },
        ]
    );
    assert!(expectations("# expect: 12 PB301\n").is_err());
    assert!(expectations("# expect: 0:1 PB301\n").is_err());
    assert!(expectations("# expect: 1:1 E301\n").is_err());

    let finding = |line, column, code: &str| Finding {
        path: "p.yaml".to_owned(),
        line,
        column,
        severity: "error".to_owned(),
        code: code.to_owned(),
        message: "m".to_owned(),
        help: None,
    };
    // An exact code is matched before `NEW`, which takes what is left at its place.
    let found = [finding(3, 5, "PB301"), finding(12, 18, "PB999")];
    let (missing, unexpected) = pair(&expected, &found);
    assert!(missing.is_empty() && unexpected.is_empty());
    // A wrong place or code is both a missing expectation and an unexpected finding.
    let found = [finding(3, 6, "PB301"), finding(12, 18, "PB302")];
    let (missing, unexpected) = pair(&expected[1..], &found);
    assert_eq!(missing.len(), 1);
    assert_eq!(unexpected.len(), 2);
}
