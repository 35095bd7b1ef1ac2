//! Code actions: the quick fixes of the diagnostics at a range (each did-you-mean, the
//! missing required inputs, `secret`, declaring a parameter, quoting, an unused
//! suppression), and `source.fixAll.playbook`.
//!
//! Every fix is the diagnostic's own ([`playbook_diagnostics::Fix`]): the check that reports
//! a finding knows its fix, so `playbook check --fix` and the editor offer the same ones.
//! This module only presents them; `source.fixAll.playbook` applies the safe ones chosen
//! as `playbook check --fix` chooses them ([`playbook_diagnostics::fix::select`]).

use playbook_db::File;
use playbook_db::queries::check_file;
use playbook_diagnostics::fix::{self, Applicability};
use playbook_diagnostics::{Diagnostic, Edit, TextRange};

use crate::SourceChange;

/// The kind of a code action.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum CodeActionKind {
    QuickFix,
    /// `source.fixAll.playbook`: every safe fix of the file.
    SourceFixAll,
}

/// A code action.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct CodeAction {
    pub title: String,
    pub kind: CodeActionKind,
    /// The diagnostic it fixes: its code and range.
    pub diagnostic: Option<(&'static str, TextRange)>,
    pub edit: SourceChange,
    /// The fix to apply when the user asks for "the" fix.
    pub preferred: bool,
}

/// The title of the action that applies every safe fix of a file.
pub const FIX_ALL_TITLE: &str = "Fix all auto-fixable problems";

/// The code actions for `range` of `file`: the quick fixes of the diagnostics that
/// intersect it (each fix of a diagnostic one action, preferred when it is the diagnostic's
/// only safe fix), then `source.fixAll.playbook` when the file has a safe fix.
pub fn code_actions(db: &dyn salsa::Database, file: File, range: TextRange) -> Vec<CodeAction> {
    let path = file.path(db).as_str();
    let diagnostics = check_file(db, file);
    let mut actions: Vec<CodeAction> = Vec::new();
    for d in diagnostics.iter().filter(|d| touches(d.range, range)) {
        let safe = d.fixes.iter().filter(|f| f.safe).count();
        for fix in &d.fixes {
            let edit = change(path, fix.edits.iter().cloned());
            // The findings of one call's missing inputs share the fix that adds them all:
            // one action.
            if actions
                .iter()
                .any(|a| a.title == fix.title && a.edit == edit)
            {
                continue;
            }
            actions.push(CodeAction {
                title: fix.title.clone(),
                kind: CodeActionKind::QuickFix,
                diagnostic: Some((d.code.id, d.range)),
                edit,
                preferred: fix.safe && safe == 1,
            });
        }
    }
    if let Some(edits) = fix_all_edits(file.text(db), diagnostics) {
        actions.push(CodeAction {
            title: FIX_ALL_TITLE.to_owned(),
            kind: CodeActionKind::SourceFixAll,
            diagnostic: None,
            edit: change(path, edits),
            preferred: false,
        });
    }
    actions
}

/// The edits of every safe fix of `diagnostics` that can be applied at once to `text`, as
/// one round of `playbook check --fix` chooses them ([`fix::select`]); `None` when there is
/// none. A fix that overlaps one before it is left for after this one is applied (the next
/// fix-all, or the next round of `check --fix`, where the file is checked again).
pub fn fix_all_edits(text: &str, diagnostics: &[Diagnostic]) -> Option<Vec<Edit>> {
    let round = fix::select(text, diagnostics, Applicability::Safe);
    (!round.edits.is_empty()).then_some(round.edits)
}

/// Whether a diagnostic's range meets the requested range (a cursor touching it counts).
fn touches(diagnostic: TextRange, requested: TextRange) -> bool {
    diagnostic.start() <= requested.end() && requested.start() <= diagnostic.end()
}

fn change(path: &str, edits: impl IntoIterator<Item = Edit>) -> SourceChange {
    let mut change = SourceChange::default();
    for edit in edits {
        change.insert(path, edit);
    }
    change
}
