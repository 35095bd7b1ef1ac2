//! Folding ranges: mappings and sequences over several lines, block scalars, comment runs.
//!
//! Read from the lossless syntax tree, so a file with syntax errors folds wherever its
//! structure was recovered. A fold covers a mapping entry (`steps:`, `env:`, a key and its
//! nested value), a sequence entry (each step), a flow collection or a block scalar that
//! spans several lines, a document after its `---` in a file of several documents, and a run
//! of lines holding only comments. Each ends at the end of the last non-blank line of what
//! it folds. Editors fold by line and keep one fold per first line: where several start on
//! the same line (a `- name: x` entry and its mapping), the largest is kept.

use playbook_db::File;
use playbook_db::queries::parse;
use playbook_diagnostics::{LineIndex, TextRange, TextSize};
use playbook_syntax::SyntaxKind::*;

/// What a fold is.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum FoldKind {
    Region,
    Comment,
}

/// A fold, from its first line to its last.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Fold {
    pub range: TextRange,
    pub kind: FoldKind,
}

/// The folds of `file`, sorted by start.
pub fn folding_ranges(db: &dyn salsa::Database, file: File) -> Vec<Fold> {
    let tree = parse(db, file).tree();
    let text = tree.text();
    let mut folds: Vec<Fold> = Vec::new();
    let documents = tree
        .root()
        .children()
        .filter(|n| n.kind() == DOCUMENT)
        .count();
    for node in tree.root().descendants() {
        let range = match node.kind() {
            BLOCK_MAP_ENTRY | BLOCK_SEQ_ENTRY | FLOW_MAP | FLOW_SEQ => node.text_range(),
            SCALAR if node.token_of_kind(BLOCK_HEADER).is_some() => node.text_range(),
            DOCUMENT if documents > 1 => match node.token_of_kind(DOC_START) {
                Some(marker) => {
                    TextRange::new(marker.text_range().start(), node.text_range().end())
                }
                None => continue,
            },
            _ => continue,
        };
        folds.push(Fold {
            range: trim_end(text, range),
            kind: FoldKind::Region,
        });
    }
    comment_runs(tree, &mut folds);

    // By line: only folds over several lines, and one per first line (the largest).
    let index = LineIndex::new(text);
    let line = |offset| index.line_col(offset).line;
    let mut by_line: Vec<(u32, u32, Fold)> = folds
        .into_iter()
        .map(|fold| (line(fold.range.start()), line(fold.range.end()), fold))
        .filter(|(first, last, _)| first < last)
        .collect();
    by_line.sort_by_key(|(first, _, fold)| (*first, std::cmp::Reverse(fold.range.end())));
    by_line.dedup_by_key(|(first, _, _)| *first);
    by_line.into_iter().map(|(_, _, fold)| fold).collect()
}

/// Runs of two or more consecutive lines holding only a comment.
fn comment_runs(tree: &playbook_syntax::SyntaxTree, folds: &mut Vec<Fold>) {
    // The run so far, with its number of lines.
    let mut run: Option<(TextRange, usize)> = None;
    // The comment of the current line, when it is the line's first token but white space.
    let mut comment: Option<TextRange> = None;
    // Whether the current line has had anything but white space.
    let mut busy = false;
    let mut end_line =
        |comment: Option<TextRange>, run: &mut Option<(TextRange, usize)>| match comment {
            Some(c) => {
                *run = Some(run.map_or((c, 1), |(r, n)| (r.cover(c), n + 1)));
            }
            None => {
                if let Some((range, lines)) = run.take()
                    && lines > 1
                {
                    folds.push(Fold {
                        range,
                        kind: FoldKind::Comment,
                    });
                }
            }
        };
    for token in tree.tokens() {
        match token.kind() {
            NEWLINE => {
                end_line(comment.take(), &mut run);
                busy = false;
            }
            WHITESPACE | BOM => {}
            COMMENT if !busy => {
                comment = Some(token.text_range());
                busy = true;
            }
            _ => {
                comment = None;
                // A block scalar's text ends with its line break.
                busy = !token.text().ends_with(['\n', '\r']);
            }
        }
    }
    // The last line, and the end of the run.
    if comment.is_some() {
        end_line(comment, &mut run);
    }
    end_line(None, &mut run);
}

/// `range` without the white space at its end (a block scalar's trailing blank lines).
pub(crate) fn trim_end(text: &str, range: TextRange) -> TextRange {
    let start = range.start() as usize;
    let mut end = (range.end() as usize).min(text.len());
    let bytes = text.as_bytes();
    while end > start && bytes.get(end - 1).is_some_and(|b| b.is_ascii_whitespace()) {
        end -= 1;
    }
    TextRange::new(
        range.start(),
        TextSize::try_from(end).unwrap_or(range.end()),
    )
}
