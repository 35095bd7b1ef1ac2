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
    if let Some(edits) = fix_all_edits(diagnostics) {
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

/// The edits of every safe fix of `diagnostics` (the first safe fix of each), in order,
/// leaving out a fix whose edits conflict with those of a fix kept before it; `None` when
/// there is none. Applying them at once gives what applying the fixes one at a time, in
/// order, gives.
pub fn fix_all_edits(diagnostics: &[Diagnostic]) -> Option<Vec<Edit>> {
    let mut kept: Vec<Edit> = Vec::new();
    for fix in diagnostics
        .iter()
        .filter_map(|d| d.fixes.iter().find(|f| f.safe))
    {
        let clash = fix
            .edits
            .iter()
            .any(|e| kept.iter().any(|k| conflict(k.range, e.range)));
        if !clash {
            kept.extend(fix.edits.iter().cloned());
        }
    }
    kept.sort_by_key(|e| (e.range.start(), e.range.end()));
    (!kept.is_empty()).then_some(kept)
}

/// Whether two edits cannot both be applied without one deciding the other's result: their
/// ranges overlap, or one is an insertion at the other's start, end or inside it (the
/// order of two insertions at one offset would decide the text).
fn conflict(a: TextRange, b: TextRange) -> bool {
    if a.is_empty() || b.is_empty() {
        let (point, other) = if a.is_empty() { (a, b) } else { (b, a) };
        other.start() <= point.start() && point.start() <= other.end()
    } else {
        a.start() < b.end() && b.start() < a.end()
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insertions_conflict_with_what_they_touch() {
        let r = TextRange::new;
        assert!(conflict(r(2, 5), r(4, 6)));
        assert!(!conflict(r(2, 5), r(5, 6)));
        assert!(conflict(r(5, 5), r(5, 5)));
        assert!(conflict(r(5, 5), r(2, 5)));
        assert!(!conflict(r(6, 6), r(2, 5)));
    }
}
