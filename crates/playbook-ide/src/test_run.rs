//! `playbook test` over the database: each case of a test file (`kind: PlaybookTest`) run
//! with [`crate::dry_run`] against the playbook it names, and judged
//! ([`playbook_eval::expect::judge`]). The command line prints the results; the editor may
//! show them the same way.

use playbook_db::File;
use playbook_db::queries::{lower, playbook_index};
use playbook_diagnostics::TextRange;
use playbook_eval::expect::{Failure, inputs, judge};

/// The result of one case.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct CaseResult {
    /// The case's name (`case N` for a case without one, N from 1).
    pub name: String,
    /// The case's name in the test file (or the case itself).
    pub range: TextRange,
    /// The expectations not met; empty when the case passes.
    pub failures: Vec<Failure>,
}

impl CaseResult {
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

/// Runs every case of every test document of `file`, in order. `filter` keeps the cases
/// whose name contains it.
pub fn run_tests(db: &dyn salsa::Database, file: File, filter: Option<&str>) -> Vec<CaseResult> {
    let mut out = Vec::new();
    for test in lower(db, file).file.tests() {
        let target = test.playbook.as_ref().and_then(|name| {
            let index = playbook_index(db);
            let &playbook_file = index.get(&name.value)?.first()?;
            let position = lower(db, playbook_file)
                .file
                .playbooks()
                .position(|p| p.name.as_ref().is_some_and(|n| n.value == name.value))?;
            Some((playbook_file, position))
        });
        for (n, case) in test.cases.iter().enumerate() {
            let name = case
                .name
                .as_ref()
                .map_or_else(|| format!("case {}", n + 1), |n| n.value.clone());
            if filter.is_some_and(|f| !name.contains(f)) {
                continue;
            }
            let range = case.name.as_ref().map_or(case.range, |n| n.range);
            let failures = match target {
                Some((playbook_file, index)) => {
                    let run = crate::dry_run(db, playbook_file, index, &inputs(case));
                    let playbook = lower(db, playbook_file).file.playbooks().nth(index);
                    match (run, playbook) {
                        (Some(run), Some(playbook)) => {
                            let mut failures = judge(case, playbook, &run);
                            if let Some((range, _)) = run.failure() {
                                let at = location(db, playbook_file, range);
                                for f in failures
                                    .iter_mut()
                                    .filter(|f| f.message == "the run failed")
                                {
                                    f.message = format!("the run failed at {at}");
                                }
                            }
                            failures
                        }
                        _ => vec![no_playbook(test.playbook.as_ref(), test.range)],
                    }
                }
                None => vec![no_playbook(test.playbook.as_ref(), test.range)],
            };
            out.push(CaseResult {
                name,
                range,
                failures,
            });
        }
    }
    out
}

/// `path:line:column` of `range` in `file`.
fn location(db: &dyn salsa::Database, file: File, range: TextRange) -> String {
    let text = file.text(db);
    let index = playbook_diagnostics::LineIndex::new(text);
    let at = index.line_col(range.start());
    format!(
        "{}:{}:{}",
        file.path(db),
        at.line + 1,
        index.char_col(range.start(), text) + 1
    )
}

fn no_playbook(name: Option<&playbook_hir::ir::Spanned<String>>, range: TextRange) -> Failure {
    match name {
        Some(name) => Failure {
            range: name.range,
            message: format!("no playbook is named `{}`", name.value),
            expected: None,
            actual: None,
        },
        None => Failure {
            range: TextRange::empty(range.start()),
            message: "the test file names no playbook (`playbook: NAME`)".to_owned(),
            expected: None,
            actual: None,
        },
    }
}
