//! Block structure: matches `if`/`range`/`with`/`define`/`block` with their `else` branches
//! and `end` using a stack, reports what does not match, and records for each action
//! whether `.` is rebound where its pipeline runs.
//!
//! The `else` forms follow Go 1.19, which runs the templates: `else if` only in an `if`
//! block, no `else with` at all (it came with Go 1.23), and `else range` never (the parser
//! reports that one). A refused form is still read as a branch where one may stand, so the
//! rest of the template keeps its meaning and its references are checked.

use playbook_diagnostics::{Diagnostic, TextRange};

use crate::ast::{Action, ActionKind, Block, BlockKind};
use crate::codes;

/// An open block and the state of `.` around it.
struct Open {
    block: usize,
    /// Whether `.` is rebound outside the block (where its header runs).
    outer: bool,
    /// Whether `.` is rebound in the current branch.
    inner: bool,
    /// A plain `else` was seen.
    has_else: bool,
}

/// Builds the blocks, sets [`Action::dot_rebound`] and reports unmatched actions.
pub(crate) fn structure(
    actions: &mut [Action],
    text_len: u32,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    let mut stack: Vec<Open> = Vec::new();
    for (index, action) in actions.iter_mut().enumerate() {
        let current = stack.last().is_some_and(|open| open.inner);
        let opens = match &action.kind {
            ActionKind::If(_) => Some((BlockKind::If, current)),
            ActionKind::Range(_) => Some((BlockKind::Range, true)),
            ActionKind::With(_) => Some((BlockKind::With, true)),
            ActionKind::Define { .. } => Some((BlockKind::Define, true)),
            ActionKind::Block { .. } => Some((BlockKind::Block, true)),
            _ => None,
        };
        action.dot_rebound = current;
        if let Some((kind, inner)) = opens {
            stack.push(Open {
                block: blocks.len(),
                outer: current,
                inner,
                has_else: false,
            });
            blocks.push(Block {
                kind,
                open: index,
                branches: Vec::new(),
                end: None,
                parent: stack.iter().rev().nth(1).map(|open| open.block),
                range: action.range,
            });
            continue;
        }
        match &action.kind {
            ActionKind::Else | ActionKind::ElseIf(_) | ActionKind::ElseWith(_) => {
                else_branch(action, index, &mut stack, &mut blocks, errors);
            }
            ActionKind::End => match stack.pop() {
                Some(open) => {
                    action.dot_rebound = open.outer;
                    if let Some(block) = blocks.get_mut(open.block) {
                        block.end = Some(index);
                        block.range = block.range.cover(action.range);
                    }
                }
                None => errors.push(
                    Diagnostic::new(&codes::UNMATCHED_END, action.range, "unmatched `end`")
                        .with_label("no block is open here")
                        .with_help("remove this `{{ end }}`, or add the `{{ if ... }}` it closes"),
                ),
            },
            ActionKind::Break | ActionKind::Continue => {
                let in_range = stack.iter().any(|open| {
                    blocks
                        .get(open.block)
                        .is_some_and(|block| block.kind == BlockKind::Range)
                });
                if !in_range {
                    let keyword = if matches!(action.kind, ActionKind::Break) {
                        "break"
                    } else {
                        "continue"
                    };
                    errors.push(
                        Diagnostic::new(
                            &codes::UNMATCHED_END,
                            action.range,
                            format!("`{keyword}` outside `range`"),
                        )
                        .with_label(format!("no loop for `{keyword}` to act on"))
                        .with_help(format!(
                            "use `{{{{ {keyword} }}}}` only inside a `range` block"
                        )),
                    );
                }
            }
            _ => {}
        }
    }
    for open in stack.into_iter().rev() {
        let Some(block) = blocks.get_mut(open.block) else {
            continue;
        };
        block.range = TextRange::new(block.range.start(), text_len);
        let keyword = block.kind.keyword();
        if let Some(action) = actions.get(block.open) {
            errors.push(
                Diagnostic::new(
                    &codes::UNCLOSED_BLOCK,
                    action.range,
                    format!("`{keyword}` is never closed"),
                )
                .with_label(format!("this `{keyword}` has no matching `{{{{ end }}}}`"))
                .with_help("add `{{ end }}` where the block should end"),
            );
        }
    }
    blocks
}

fn else_branch(
    action: &mut Action,
    index: usize,
    stack: &mut [Open],
    blocks: &mut [Block],
    errors: &mut Vec<Diagnostic>,
) {
    let text = match action.kind {
        ActionKind::ElseIf(_) => "else if",
        ActionKind::ElseWith(_) => "else with",
        _ => "else",
    };
    let top = stack.last_mut();
    let block = top
        .as_ref()
        .and_then(|open| blocks.get(open.block))
        .map(|block| block.kind);
    let in_define = matches!(block, Some(BlockKind::Define | BlockKind::Block) | None);
    match (&action.kind, block) {
        (ActionKind::ElseWith(_), _) => {
            // Go 1.19 has no `else with` in any block. Where an `else` may stand, it still
            // counts as a branch that rebinds `.`, so that what follows is read as meant.
            errors.push(
                Diagnostic::new(
                    &codes::UNMATCHED_END,
                    action.range,
                    "`else with` is not supported",
                )
                .with_label("Go 1.19, which runs the templates, has no `else with`")
                .with_help(
                    "write `{{ else }}{{ with ... }}`, and close that `with` with its own `{{ end }}`",
                ),
            );
            if in_define {
                return;
            }
        }
        (ActionKind::ElseIf(_), Some(kind @ (BlockKind::With | BlockKind::Range))) => {
            // Go accepts `else if` only after an `if`. Read as the `{{ else }}{{ if ... }}`
            // it stands for: a branch where `.` is the outer one, so its references are
            // checked.
            let keyword = kind.keyword();
            errors.push(
                Diagnostic::new(&codes::UNMATCHED_END, action.range, "misplaced `else if`")
                    .with_label(format!(
                        "Go accepts `else if` only in an `if` block, not in a `{keyword}`"
                    ))
                    .with_help(format!(
                        "write `{{{{ else }}}}{{{{ if ... }}}}`, and close that `if` with its own \
                         `{{{{ end }}}}` before the `{keyword}`'s"
                    )),
            );
        }
        _ => {}
    }
    let Some(open) = top.filter(|_| !in_define) else {
        let error = match block {
            Some(kind) => Diagnostic::new(
                &codes::UNMATCHED_END,
                action.range,
                format!("misplaced `{text}`"),
            )
            .with_label(format!(
                "`{text}` cannot appear in a `{}` block",
                kind.keyword()
            )),
            None => Diagnostic::new(
                &codes::UNMATCHED_END,
                action.range,
                format!("`{text}` outside a block"),
            )
            .with_label(format!(
                "no `if`, `range` or `with` is open here for this `{text}`"
            )),
        };
        errors.push(error.with_help("remove it, or add the `{{ if ... }}` it belongs to"));
        return;
    };
    action.dot_rebound = open.outer;
    if open.has_else {
        errors.push(
            Diagnostic::new(
                &codes::UNMATCHED_END,
                action.range,
                format!("`{text}` after `else`"),
            )
            .with_label("the block already has its final `{{ else }}`")
            .with_help("remove it, or merge it into the earlier `{{ else }}`"),
        );
    }
    open.has_else |= matches!(action.kind, ActionKind::Else);
    open.inner = match action.kind {
        ActionKind::ElseWith(_) => true,
        _ => open.outer,
    };
    if let Some(block) = blocks.get_mut(open.block) {
        block.branches.push(index);
        block.range = block.range.cover(action.range);
    }
}
