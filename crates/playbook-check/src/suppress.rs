//! Suppression comments: `# playbook: ignore[CODE, ...]` hides the named diagnostics on the
//! comment's own line and on the line after it. Codes are given by id (`PB302`) or by name
//! (`unused-parameter`). A suppression that hides nothing is itself reported (PB904).

use playbook_diagnostics::{Code, Diagnostic, Edit, Fix, LineIndex, TextRange};
use playbook_syntax::{SyntaxKind, SyntaxTree};

use crate::checks::unused_suppression;

/// One code named in a suppression comment.
#[derive(Clone, Debug)]
struct Suppression {
    /// The code as written, and its range in the source.
    written: String,
    range: TextRange,
    /// The catalogue entry it names, if it names one.
    code: Option<&'static Code>,
    /// The line of the comment (0-based).
    line: u32,
    /// The comment's range.
    comment: TextRange,
    used: bool,
}

/// The ranges of the comments of `tree` that may be suppressions (they mention
/// `playbook:`), in source order: what [`apply`] needs of the tree, small enough to keep
/// when the tree itself is dropped.
pub fn suppression_comments(tree: &SyntaxTree) -> Vec<TextRange> {
    tree.tokens()
        .filter(|t| t.kind() == SyntaxKind::COMMENT && t.text().contains("playbook:"))
        .map(|t| t.text_range())
        .collect()
}

/// Drops the diagnostics that a suppression comment names, and adds a PB904 for every named
/// code that hid nothing. `comments` are the file's [`suppression_comments`], `text` the
/// file's text; `lookup` finds a code by id or name; `all_names` lists every id and name,
/// for suggestions.
pub fn apply(
    text: &str,
    comments: &[TextRange],
    diagnostics: Vec<Diagnostic>,
    lookup: &dyn Fn(&str) -> Option<&'static Code>,
    all_names: &dyn Fn() -> Vec<&'static str>,
) -> Vec<Diagnostic> {
    if comments.is_empty() {
        return diagnostics;
    }
    let index = LineIndex::new(text);
    let mut suppressions = Vec::new();
    for &range in comments {
        let Some(comment) = text.get(std::ops::Range::<usize>::from(range)) else {
            continue;
        };
        let line = index.line_col(range.start()).line;
        let comment_range = range;
        for (written, range) in parse_comment(comment, range.start()) {
            let code = lookup(&written);
            suppressions.push(Suppression {
                written,
                range,
                code,
                line,
                comment: comment_range,
                used: false,
            });
        }
    }
    if suppressions.is_empty() {
        return diagnostics;
    }
    let mut kept = Vec::with_capacity(diagnostics.len());
    for diagnostic in diagnostics {
        let line = index.line_col(diagnostic.range.start()).line;
        let hit = suppressions.iter_mut().find(|s| {
            s.code.is_some_and(|c| c == diagnostic.code) && (line == s.line || line == s.line + 1)
        });
        match hit {
            Some(s) => s.used = true,
            None => kept.push(diagnostic),
        }
    }
    let names = if suppressions.iter().any(|s| s.code.is_none()) {
        all_names()
    } else {
        Vec::new()
    };
    let suggestion = |s: &Suppression| match s.code {
        Some(_) => None,
        None => playbook_hir::suggest::closest(&s.written, names.iter().copied()),
    };
    for (i, s) in suppressions.iter().enumerate() {
        if s.used {
            continue;
        }
        kept.push(match suggestion(s) {
            Some(better) if s.code.is_none() => {
                // A corrected code starts hiding findings: a person decides.
                unused_suppression::unknown(&s.written, s.range, Some(better)).with_fix(
                    Fix::replace(format!("Replace with `{better}`"), s.range, better).unsafe_(),
                )
            }
            _ => {
                let d = match s.code {
                    Some(_) => unused_suppression::unused(&s.written, s.range),
                    None => unused_suppression::unknown(&s.written, s.range, None),
                };
                // The codes of the same comment: when none of them stays (used, or
                // corrected by its own fix), the comment goes; else only this code.
                let siblings: Vec<&Suppression> = suppressions
                    .iter()
                    .filter(|o| o.comment == s.comment)
                    .collect();
                let stays = |o: &Suppression| o.used || suggestion(o).is_some();
                let fix = if siblings.iter().all(|o| !stays(o)) {
                    Fix {
                        title: "Remove the suppression comment".to_owned(),
                        edits: vec![Edit {
                            range: comment_removal(text, s.comment),
                            text: String::new(),
                        }],
                        safe: true,
                    }
                } else {
                    Fix {
                        title: format!("Remove `{}` from the suppression", s.written),
                        edits: vec![Edit {
                            range: code_removal(&suppressions, i),
                            text: String::new(),
                        }],
                        safe: true,
                    }
                };
                d.with_fix(fix)
            }
        });
    }
    kept.sort_by_key(|d| (d.range.start(), d.range.end(), d.code.id));
    kept
}

/// The range to delete to remove a comment: its whole line when it is alone on it, else the
/// comment and the blanks before it.
fn comment_removal(text: &str, comment: TextRange) -> TextRange {
    let bytes = text.as_bytes();
    let start = comment.start() as usize;
    let end = comment.end() as usize;
    let before = bytes.get(..start).unwrap_or_default();
    let blanks = before
        .iter()
        .rev()
        .take_while(|b| matches!(b, b' ' | b'\t'))
        .count();
    let content_start = start - blanks;
    let alone = content_start == 0 || matches!(bytes.get(content_start - 1), Some(b'\n' | b'\r'));
    if !alone {
        return TextRange::new(content_start as u32, comment.end());
    }
    let line_break = match (bytes.get(end), bytes.get(end + 1)) {
        (Some(b'\r'), Some(b'\n')) => 2,
        (Some(b'\n' | b'\r'), _) => 1,
        _ => 0,
    };
    TextRange::new(content_start as u32, (end + line_break) as u32)
}

/// The range to delete to remove code `i` of its comment's list, with the separator after it
/// (before it, for the last code of the list).
fn code_removal(suppressions: &[Suppression], i: usize) -> TextRange {
    let Some(s) = suppressions.get(i) else {
        return TextRange::empty(0);
    };
    let same = |o: &&Suppression| o.comment == s.comment;
    match suppressions.get(i + 1).filter(same) {
        Some(next) => TextRange::new(s.range.start(), next.range.start()),
        None => match i
            .checked_sub(1)
            .and_then(|p| suppressions.get(p))
            .filter(same)
        {
            Some(previous) => TextRange::new(previous.range.end(), s.range.end()),
            None => s.range,
        },
    }
}

/// The codes of a `# playbook: ignore[A, B]` comment, with their source ranges; nothing for
/// other comments.
fn parse_comment(comment: &str, start: u32) -> Vec<(String, TextRange)> {
    let mut out = Vec::new();
    let Some(at) = comment.find("playbook:") else {
        return out;
    };
    let rest = &comment[at + "playbook:".len()..];
    let trimmed = rest.trim_start();
    let Some(list) = trimmed.strip_prefix("ignore[") else {
        return out;
    };
    let Some(close) = list.find(']') else {
        return out;
    };
    let list_start = comment.len() - list.len();
    let mut offset = 0;
    for part in list[..close].split(',') {
        let leading = part.len() - part.trim_start().len();
        let name = part.trim();
        if !name.is_empty() {
            let begin = start + (list_start + offset + leading) as u32;
            out.push((name.to_owned(), TextRange::at(begin, name.len() as u32)));
        }
        offset += part.len() + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_codes_with_ranges() {
        let comment = "# playbook: ignore[PB302, unused-parameter]";
        let codes = parse_comment(comment, 10);
        assert_eq!(codes.len(), 2);
        assert_eq!(codes[0].0, "PB302");
        let r = codes[1].1;
        assert_eq!(
            &comment[(r.start() - 10) as usize..(r.end() - 10) as usize],
            "unused-parameter"
        );
    }

    #[test]
    fn other_comments_are_not_suppressions() {
        assert!(parse_comment("# just a comment", 0).is_empty());
        assert!(parse_comment("# playbook: something else", 0).is_empty());
        assert!(parse_comment("# playbook: ignore[unclosed", 0).is_empty());
    }
}
