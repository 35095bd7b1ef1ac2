//! Applying the diagnostics' fixes to a file's text, in one place for `playbook check --fix`
//! and the editor's `source.fixAll.playbook`: which fixes may be applied
//! ([`Applicability`]), which of them go together in one round ([`select`]), and rounds of
//! fixing then checking again until nothing is left to fix ([`fix_in_rounds`]).
//!
//! Fixes whose edits overlap cannot be applied together: the first (in the order of the
//! diagnostics, by position) is applied, the others wait for the next round, where the
//! file is checked again and they are computed anew against the new text. A round applies
//! only fixes that touch nothing another of them touches, so applying them at once gives
//! what applying them one at a time gives, edit for edit. Fixes can still interfere
//! without touching: two keys renamed to one name, an input added under the name another
//! key is renamed to. Such a round brings findings that were not there (a duplicate key);
//! it is then redone with its first fix alone, as one fix at a time would have done.
//!
//! With the unsafe fixes, the safe ones are applied first, until none is left, and the
//! unsafe ones then, to what is left: an unsafe fix never takes the place of a safe one (an
//! input added under the name a misspelled key was to be renamed to).

use crate::{Diagnostic, Edit, Fix, TextRange};

/// Which fixes may be applied.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Applicability {
    /// Only the safe fixes (`playbook check --fix`, `source.fixAll.playbook`).
    Safe,
    /// The unsafe fixes too (`playbook check --fix --unsafe-fixes`).
    Unsafe,
}

impl Applicability {
    /// Whether `fix` may be applied.
    pub fn allows(self, fix: &Fix) -> bool {
        fix.safe || self == Applicability::Unsafe
    }
}

/// The most rounds [`fix_in_rounds`] runs, beyond one per fix it starts with. Rounds are
/// needed only where fixes overlap (the declarations of several unknown parameters, each at
/// the end of `parameters:`) or interfere; a fix that brings its finding back would
/// otherwise run forever.
pub const MAX_ROUNDS: usize = 100;

/// The fixes of one round.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Round<'d> {
    /// The fixes applied, in the order of their diagnostics, each with how many diagnostics
    /// it fixes (one fix may be the fix of several: the missing inputs of one call).
    pub fixes: Vec<(&'d Fix, usize)>,
    /// Their edits, sorted by position, not overlapping.
    pub edits: Vec<Edit>,
}

impl Round<'_> {
    /// How many diagnostics the round fixes.
    pub fn fixed(&self) -> usize {
        self.fixes.iter().map(|(_, n)| n).sum()
    }
}

/// The fix of `diagnostic` to apply: its first fix that `applicability` allows and that
/// can be applied to `text` (every edit inside the text, on character boundaries, not in
/// conflict with another of its edits) and changes it.
pub fn applicable<'d>(
    text: &str,
    diagnostic: &'d Diagnostic,
    applicability: Applicability,
) -> Option<&'d Fix> {
    diagnostic
        .fixes
        .iter()
        .filter(|f| applicability.allows(f))
        .find(|f| fits(text, f))
}

/// Whether `fix` can be applied to `text` and changes it.
fn fits(text: &str, fix: &Fix) -> bool {
    let valid = fix.edits.iter().all(|e| {
        let (start, end) = (e.range.start() as usize, e.range.end() as usize);
        start <= end && text.is_char_boundary(start) && text.is_char_boundary(end)
    });
    let apart = fix.edits.iter().enumerate().all(|(i, a)| {
        fix.edits
            .iter()
            .skip(i + 1)
            .all(|b| !conflict(a.range, b.range))
    });
    let changes = fix
        .edits
        .iter()
        .any(|e| text.get(e.range.start() as usize..e.range.end() as usize) != Some(&e.text));
    valid && apart && changes
}

/// The fixes to apply at once to `text`: for each diagnostic in order, its
/// [`applicable`] fix, unless one of its edits conflicts with an edit of a fix chosen before
/// it (it waits for the next round). A fix equal to one chosen before is that fix.
pub fn select<'d>(
    text: &str,
    diagnostics: &'d [Diagnostic],
    applicability: Applicability,
) -> Round<'d> {
    let mut round = Round::default();
    for diagnostic in diagnostics {
        let Some(fix) = applicable(text, diagnostic, applicability) else {
            continue;
        };
        if let Some((_, n)) = round
            .fixes
            .iter_mut()
            .find(|(chosen, _)| chosen.edits == fix.edits)
        {
            *n += 1;
            continue;
        }
        let clash = fix
            .edits
            .iter()
            .any(|e| round.edits.iter().any(|k| conflict(k.range, e.range)));
        if !clash {
            round.fixes.push((fix, 1));
            round.edits.extend(fix.edits.iter().cloned());
        }
    }
    round
        .edits
        .sort_by_key(|e| (e.range.start(), e.range.end()));
    round
}

/// Whether two edits cannot both be applied without one deciding the other's result: their
/// ranges overlap, or one is an insertion at the other's start, end or inside it (the
/// order of two insertions at one offset would decide the text).
pub fn conflict(a: TextRange, b: TextRange) -> bool {
    if a.is_empty() || b.is_empty() {
        let (point, other) = if a.is_empty() { (a, b) } else { (b, a) };
        other.start() <= point.start() && point.start() <= other.end()
    } else {
        a.start() < b.end() && b.start() < a.end()
    }
}

/// `text` with `edits` applied: ranges in `text`, sorted, not overlapping, as [`select`]
/// gives them. An edit that does not fit (past the end, inside a character, overlapping the
/// one before) is left out rather than allowed to corrupt the text.
pub fn apply(text: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0usize;
    for edit in edits {
        let (start, end) = (edit.range.start() as usize, edit.range.end() as usize);
        let (Some(kept), Some(_)) = (text.get(at..start), text.get(start..end)) else {
            continue;
        };
        out.push_str(kept);
        out.push_str(&edit.text);
        at = end;
    }
    out.push_str(text.get(at..).unwrap_or_default());
    out
}

/// What [`fix_in_rounds`] did to a text.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Fixed {
    /// The text with the fixes applied.
    pub text: String,
    /// How many diagnostics the applied fixes fixed.
    pub fixed: usize,
    /// How many rounds applied fixes.
    pub rounds: usize,
    /// Whether fixing stopped because no fix was left to apply; `false` when it stopped at
    /// the round limit or at a text it had already produced (a fix that brings back its
    /// finding, or two that undo each other).
    pub converged: bool,
    /// The diagnostics of the final text.
    pub diagnostics: Vec<Diagnostic>,
}

/// Fixes `text`, whose diagnostics are `diagnostics`, in rounds: each round applies the
/// fixes [`select`] chooses (the safe ones while there are any, then the unsafe ones if
/// `applicability` allows them), then `check` gives the diagnostics of the new text; until
/// no fix is left, for at most [`MAX_ROUNDS`] rounds more than there are fixes to start
/// with. A round of several fixes that brings a finding that was not there is redone with
/// its first fix alone.
pub fn fix_in_rounds(
    text: String,
    diagnostics: Vec<Diagnostic>,
    applicability: Applicability,
    mut check: impl FnMut(&str) -> Vec<Diagnostic>,
) -> Fixed {
    let mut rounds = Rounds::new(text, diagnostics, applicability);
    while let Some(text) = rounds.to_check() {
        let diagnostics = check(text);
        rounds.checked(diagnostics);
    }
    rounds.finish()
}

/// [`fix_in_rounds`] driven by its caller: [`Rounds::to_check`] gives the text to check,
/// [`Rounds::checked`] takes its diagnostics, until `to_check` gives none. `playbook check --fix`
/// drives the rounds of every file at once, so that a round of the whole workspace is one
/// change of the database, checked on every core.
#[derive(Clone, Debug)]
pub struct Rounds {
    applicability: Applicability,
    /// The most rounds.
    limit: usize,
    /// The hash of every text produced, to stop where fixes go round in a circle.
    seen: Vec<u64>,
    state: Fixed,
    /// The text given out by `to_check` and not checked yet.
    pending: Option<Pending>,
    done: bool,
}

#[derive(Clone, Debug)]
enum Pending {
    /// The text with a whole round applied, how many diagnostics it fixes, and, for a round
    /// of several fixes, the edits of its first fix and how many it fixes, to fall back to.
    Round {
        text: String,
        fixed: usize,
        first: Option<(Vec<Edit>, usize)>,
    },
    /// The text with the first fix of a round alone.
    First { text: String, fixed: usize },
}

impl Rounds {
    /// Rounds of fixing `text`, whose diagnostics are `diagnostics`.
    pub fn new(text: String, diagnostics: Vec<Diagnostic>, applicability: Applicability) -> Rounds {
        let limit = MAX_ROUNDS
            + diagnostics
                .iter()
                .filter(|d| applicable(&text, d, applicability).is_some())
                .count();
        Rounds {
            applicability,
            limit,
            seen: vec![hash(&text)],
            state: Fixed {
                text,
                fixed: 0,
                rounds: 0,
                converged: false,
                diagnostics,
            },
            pending: None,
            done: false,
        }
    }

    /// The next text to check, or `None` when fixing is over.
    pub fn to_check(&mut self) -> Option<&str> {
        if self.done {
            return None;
        }
        if self.pending.is_none() {
            let state = &self.state;
            if state.rounds >= self.limit {
                self.state.converged = select(&state.text, &state.diagnostics, self.applicability)
                    .fixes
                    .is_empty();
                self.done = true;
                return None;
            }
            let mut round = select(&state.text, &state.diagnostics, Applicability::Safe);
            if round.fixes.is_empty() && self.applicability == Applicability::Unsafe {
                round = select(&state.text, &state.diagnostics, self.applicability);
            }
            let Some(&(first, first_fixed)) = round.fixes.first() else {
                self.state.converged = true;
                self.done = true;
                return None;
            };
            let first = (round.fixes.len() > 1).then(|| {
                let mut edits = first.edits.clone();
                edits.sort_by_key(|e| (e.range.start(), e.range.end()));
                (edits, first_fixed)
            });
            let pending = Pending::Round {
                text: apply(&state.text, &round.edits),
                fixed: round.fixed(),
                first,
            };
            self.pending = Some(pending);
        }
        match &self.pending {
            Some(Pending::Round { text, .. } | Pending::First { text, .. }) => Some(text),
            None => None,
        }
    }

    /// Takes the diagnostics of the text [`Rounds::to_check`] gave.
    pub fn checked(&mut self, diagnostics: Vec<Diagnostic>) {
        match self.pending.take() {
            Some(Pending::Round {
                first: Some((edits, fixed)),
                ..
            }) if brings_findings(&self.state.diagnostics, &diagnostics) => {
                // The fixes interfere: the first alone, as one at a time would do.
                let text = apply(&self.state.text, &edits);
                self.pending = Some(Pending::First { text, fixed });
            }
            Some(Pending::Round { text, fixed, .. } | Pending::First { text, fixed }) => {
                self.state.fixed += fixed;
                self.state.rounds += 1;
                self.state.diagnostics = diagnostics;
                let h = hash(&text);
                self.state.text = text;
                if self.seen.contains(&h) {
                    self.done = true;
                } else {
                    self.seen.push(h);
                }
            }
            None => {}
        }
    }

    /// What the rounds did.
    pub fn finish(self) -> Fixed {
        self.state
    }
}

/// Whether `after` has a finding that `before` has not (by code and message; positions move
/// with the edits), counting repeats.
fn brings_findings(before: &[Diagnostic], after: &[Diagnostic]) -> bool {
    let mut left: Vec<(&str, &str)> = before
        .iter()
        .map(|d| (d.code.id, d.message.as_str()))
        .collect();
    after.iter().any(|d| {
        match left
            .iter()
            .position(|&k| k == (d.code.id, d.message.as_str()))
        {
            Some(i) => {
                left.swap_remove(i);
                false
            }
            None => true,
        }
    })
}

fn hash(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Code;

    static CODE: Code = Code {
        id: "PB999",
        name: "test",
        severity: crate::Severity::Error,
        summary: "",
        doc: "",
    };

    fn edit(start: u32, end: u32, text: &str) -> Edit {
        Edit {
            range: TextRange::new(start, end),
            text: text.to_owned(),
        }
    }

    fn diagnostic(edits: Vec<Edit>, safe: bool) -> Diagnostic {
        Diagnostic::new(&CODE, TextRange::empty(0), "m").with_fix(Fix {
            title: "fix".to_owned(),
            edits,
            safe,
        })
    }

    #[test]
    fn insertions_conflict_with_what_they_touch() {
        let r = TextRange::new;
        assert!(conflict(r(2, 5), r(4, 6)));
        assert!(!conflict(r(2, 5), r(5, 6)));
        assert!(conflict(r(5, 5), r(5, 5)));
        assert!(conflict(r(5, 5), r(2, 5)));
        assert!(!conflict(r(6, 6), r(2, 5)));
    }

    #[test]
    fn a_round_takes_the_first_of_overlapping_fixes_and_each_fix_once() {
        let text = "abcdef";
        let diagnostics = [
            diagnostic(vec![edit(1, 3, "X")], true),
            diagnostic(vec![edit(2, 4, "Y")], true),
            diagnostic(vec![edit(1, 3, "X")], true),
            diagnostic(vec![edit(5, 6, "Z")], false),
            diagnostic(vec![edit(4, 4, "")], true),
            diagnostic(vec![edit(0, 9, "out")], true),
            diagnostic(vec![edit(0, 1, "a")], true),
        ];
        let round = select(text, &diagnostics, Applicability::Safe);
        assert_eq!(round.fixes.len(), 1);
        assert_eq!(round.fixed(), 2);
        assert_eq!(apply(text, &round.edits), "aXdef");
        let round = select(text, &diagnostics, Applicability::Unsafe);
        assert_eq!(apply(text, &round.edits), "aXdeZ");
    }

    #[test]
    fn rounds_apply_what_overlapped_and_stop_on_a_fix_that_does_not_fix() {
        // Each round, every `a` is a finding whose fix writes `b`; `bb` is one whose fix
        // writes `c` over both.
        let check = |text: &str| -> Vec<Diagnostic> {
            let mut out = Vec::new();
            for (i, c) in text.char_indices() {
                let i = i as u32;
                if c == 'a' {
                    out.push(diagnostic(vec![edit(i, i + 1, "b")], true));
                }
                if text.get(i as usize..i as usize + 2) == Some("bb") {
                    out.push(diagnostic(vec![edit(i, i + 2, "c")], true));
                }
            }
            out
        };
        let text = "aab";
        let fixed = fix_in_rounds(text.to_owned(), check(text), Applicability::Safe, check);
        // `aab`, then `bbb`, whose two `bb` overlap: the first is fixed, then `cb`.
        assert_eq!(fixed.text, "cb");
        assert!(fixed.converged && fixed.diagnostics.is_empty());
        assert_eq!((fixed.fixed, fixed.rounds), (3, 2));

        let forever = |_: &str| vec![diagnostic(vec![edit(0, 0, "x")], true)];
        let fixed = fix_in_rounds(String::new(), forever(""), Applicability::Safe, forever);
        assert!(!fixed.converged);
        assert_eq!(fixed.rounds, MAX_ROUNDS + 1);
        assert_eq!(fixed.text.len(), MAX_ROUNDS + 1);

        let flip = |text: &str| {
            let other = if text == "p" { "q" } else { "p" };
            vec![diagnostic(vec![edit(0, 1, other)], true)]
        };
        let fixed = fix_in_rounds("p".to_owned(), flip("p"), Applicability::Safe, flip);
        assert!(!fixed.converged);
        assert_eq!(fixed.rounds, 2);
    }

    #[test]
    fn a_round_whose_fixes_interfere_is_redone_with_its_first_fix() {
        // Each `x` may be renamed `y` while there is no `y` (a key renamed unless the
        // mapping has it); two `y` are a duplicate.
        let check = |text: &str| -> Vec<Diagnostic> {
            let mut out: Vec<Diagnostic> = text
                .match_indices('x')
                .map(|(i, _)| {
                    let d = Diagnostic::new(&CODE, TextRange::at(i as u32, 1), "x");
                    if text.contains('y') {
                        d
                    } else {
                        d.with_fix(Fix::replace("y", TextRange::at(i as u32, 1), "y"))
                    }
                })
                .collect();
            if text.matches('y').count() > 1 {
                out.push(Diagnostic::new(&CODE, TextRange::empty(0), "duplicate"));
            }
            out
        };
        let fixed = fix_in_rounds("x x".to_owned(), check("x x"), Applicability::Safe, check);
        assert_eq!(fixed.text, "y x");
        assert!(fixed.converged);
        assert_eq!((fixed.fixed, fixed.rounds), (1, 1));
    }

    /// A small deterministic generator, for the comparison with one fix at a time.
    fn next(state: &mut u64) -> u64 {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        *state
    }

    #[test]
    fn a_round_gives_what_its_fixes_applied_one_at_a_time_give() {
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        // Rounds of several fixes, one of them with two edits: what the test is about.
        let mut several = 0;
        for _ in 0..2000 {
            let text: String = (0..(next(&mut state) % 12))
                .map(|i| ['a', 'é', 'b', '\n'][(i + next(&mut state)) as usize % 4])
                .collect();
            let len = text.len() as u64;
            let diagnostics: Vec<Diagnostic> = (0..next(&mut state) % 6)
                .map(|_| {
                    let edits = (0..1 + next(&mut state) % 2)
                        .map(|_| {
                            let a = (next(&mut state) % (len + 2)) as u32;
                            let b = a + (next(&mut state) % 3) as u32;
                            edit(a, b, ["", "x", "yz"][next(&mut state) as usize % 3])
                        })
                        .collect();
                    diagnostic(edits, true)
                })
                .collect();
            let round = select(&text, &diagnostics, Applicability::Safe);
            several += usize::from(round.fixes.len() > 1 && round.edits.len() > round.fixes.len());
            // One at a time: each fix applied to the text the ones before it made, its
            // ranges moved by what they inserted or removed before them.
            let mut one = text.clone();
            let mut done: Vec<&Edit> = Vec::new();
            for (fix, _) in &round.fixes {
                let mut edits: Vec<&Edit> = fix.edits.iter().collect();
                edits.sort_by_key(|e| std::cmp::Reverse(e.range.start()));
                for e in edits {
                    let shift: i64 = done
                        .iter()
                        .filter(|d| d.range.end() <= e.range.start())
                        .map(|d| d.text.len() as i64 - i64::from(d.range.len()))
                        .sum();
                    let start = (i64::from(e.range.start()) + shift) as usize;
                    let end = (i64::from(e.range.end()) + shift) as usize;
                    one.replace_range(start..end, &e.text);
                }
                done.extend(fix.edits.iter());
            }
            assert_eq!(apply(&text, &round.edits), one, "{text:?} {diagnostics:?}");
        }
        assert!(several > 100, "{several}");
    }
}
