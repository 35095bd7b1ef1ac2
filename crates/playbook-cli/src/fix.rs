//! `playbook check --fix`: the diagnostics' fixes applied to the checked files (the safe
//! ones; with `--unsafe-fixes` the others too), in rounds of fixing and checking again
//! ([`playbook_diagnostics::fix::Rounds`], the code the editor's fix-all shares), and the
//! files that changed written atomically. The run then reports what is left.

use playbook_db::AnalysisHost;
use playbook_diagnostics::Diagnostic;
use playbook_diagnostics::fix::{self, Applicability};

/// A checked file whose text the fixes changed.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct FileFix {
    /// The file's name in the database (its display path).
    pub name: String,
    /// The text before and after the fixes.
    pub original: String,
    pub text: String,
    /// How many diagnostics the fixes fixed.
    pub fixed: usize,
    /// Whether fixing stopped because no fix was left (see [`fix::Fixed::converged`]).
    pub converged: bool,
}

/// Fixes the files `names` of `host`, all together, round after round
/// ([`fix::Rounds`]): each round's new texts go into the host at once and are checked on
/// every core, so a workspace takes as many database changes as its most fixed file takes
/// rounds, not one per round of every file. A file sees the others as they are after each
/// round (a playbook that declares a parameter, for the trigger that sets it). Afterwards
/// each file's text in the host is its fixed text. Returns the files whose text changed,
/// in the order of `names`.
pub fn fix_files(
    host: &mut AnalysisHost,
    names: &[String],
    applicability: Applicability,
) -> Vec<FileFix> {
    let mut fixing: Vec<(&String, String, fix::Rounds)> = Vec::new();
    for name in names {
        let Some(original) = host.file_text(name).map(str::to_owned) else {
            continue;
        };
        let diagnostics = host.diagnostics(name);
        if fix::select(&original, &diagnostics, applicability)
            .fixes
            .is_empty()
        {
            continue;
        }
        let rounds = fix::Rounds::new(original.clone(), diagnostics, applicability);
        fixing.push((name, original, rounds));
    }
    loop {
        let mut texts: Vec<(String, String)> = Vec::new();
        let mut waiting: Vec<usize> = Vec::new();
        for (i, (name, _, rounds)) in fixing.iter_mut().enumerate() {
            if let Some(text) = rounds.to_check() {
                texts.push(((*name).clone(), text.to_owned()));
                waiting.push(i);
            }
        }
        if texts.is_empty() {
            break;
        }
        let paths: Vec<String> = texts.iter().map(|(name, _)| name.clone()).collect();
        host.set_file_texts(texts);
        for (i, diagnostics) in waiting.into_iter().zip(host.diagnostics_of_all(&paths)) {
            if let Some((_, _, rounds)) = fixing.get_mut(i) {
                rounds.checked(diagnostics);
            }
        }
    }
    let mut changed = Vec::new();
    for (name, original, rounds) in fixing {
        let fixed = rounds.finish();
        if fixed.text == original {
            // Fixes that undid each other: the file is as it was.
            host.set_file_text(name, original);
            continue;
        }
        changed.push(FileFix {
            name: name.clone(),
            original,
            text: fixed.text,
            fixed: fixed.fixed,
            converged: fixed.converged,
        });
    }
    changed
}

/// How many of `diagnostics` (of `text`) have a fix that `applicability` applies.
pub fn fixable(text: &str, diagnostics: &[Diagnostic], applicability: Applicability) -> usize {
    diagnostics
        .iter()
        .filter(|d| fix::applicable(text, d, applicability).is_some())
        .count()
}
