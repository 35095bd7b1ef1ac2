//! Code actions: the quick fixes of the diagnostics at a range (each did-you-mean, the
//! missing required inputs, `secret`, declaring a parameter, quoting, an unused
//! suppression), and `source.fixAll.playbook`.
//!
//! Most fixes are the diagnostics' own ([`playbook_diagnostics::Fix`]): the check that
//! reports a finding knows its fix, and `playbook check` and the editor offer the same one.
//! Two need the layout of the YAML around them, which only the tree knows, and are built
//! here: adding a step call's missing required inputs under its `env:`, and declaring an
//! unknown parameter under `parameters:`. Both leave values for a person to fill in, so
//! both are unsafe: `source.fixAll.playbook` applies only the safe fixes.

use playbook_check::analysis::Target;
use playbook_check::checks::{missing_required_input, undefined_parameter};
use playbook_db::File;
use playbook_db::queries::{check_file, parse};
use playbook_diagnostics::{Diagnostic, Edit, TextRange};
use playbook_syntax::SyntaxKind;
use playbook_syntax::ast::{Mapping, Node};

use crate::SourceChange;
use crate::context;

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
    let mut actions = Vec::new();
    // The calls whose missing inputs an action already adds (one action per call, however
    // many inputs are missing).
    let mut calls_done: Vec<TextRange> = Vec::new();
    for d in diagnostics.iter().filter(|d| touches(d.range, range)) {
        let safe = d.fixes.iter().filter(|f| f.safe).count();
        for fix in &d.fixes {
            actions.push(CodeAction {
                title: fix.title.clone(),
                kind: CodeActionKind::QuickFix,
                diagnostic: Some((d.code.id, d.range)),
                edit: change(path, fix.edits.iter().cloned()),
                preferred: fix.safe && safe == 1,
            });
        }
        let built = if *d.code == missing_required_input::CODE && !calls_done.contains(&d.range) {
            calls_done.push(d.range);
            add_missing_inputs(db, file, d)
        } else if *d.code == undefined_parameter::CODE {
            declare_parameter(db, file, d)
        } else {
            None
        };
        if let Some((title, edits)) = built {
            actions.push(CodeAction {
                title,
                kind: CodeActionKind::QuickFix,
                diagnostic: Some((d.code.id, d.range)),
                edit: change(path, edits),
                preferred: false,
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

/// "Add the missing required inputs": `KEY: ""` lines for every required input without
/// default that the call of diagnostic `d` (a PB503 at the call's image) does not give,
/// under its `env:` (created when absent).
fn add_missing_inputs(
    db: &dyn salsa::Database,
    file: File,
    d: &Diagnostic,
) -> Option<(String, Vec<Edit>)> {
    let (call_range, names) = context::with_analysis_at(db, file, d.range.start(), |_, a, _| {
        let step = a.steps.iter().find(|s| s.call.image.range == d.range)?;
        let manifest = step.manifest?;
        let names: Vec<String> = manifest
            .envs
            .iter()
            .filter(|input| input.is_required() && input.default.is_none())
            .filter(|input| {
                !step
                    .call
                    .env
                    .iter()
                    .any(|e| e.name.value == input.name.value)
            })
            .map(|input| input.name.value.clone())
            .collect();
        Some((step.call.range, names))
    })??;
    if names.is_empty() {
        return None;
    }
    let text = file.text(db);
    let layout = Layout::of(text);
    let tree = parse(db, file).tree();
    let call = mapping_at(tree, call_range)?;
    if call.is_flow() {
        return None;
    }
    let key_col = column(text, call.entries().next()?.text_range().start());
    let entry = |col: usize, name: &str| format!("{}{}: \"\"", spaces(col), yaml_scalar(name));
    let edit = match call.get("env") {
        Some(env) => match env.value() {
            Some(Node::Mapping(map)) if !map.is_flow() => {
                let first = map.entries().next()?;
                let last = map.entries().last()?;
                let col = column(text, first.text_range().start());
                let lines: Vec<String> = names.iter().map(|n| entry(col, n)).collect();
                layout.lines_after(text, last.text_range().end(), &lines)
            }
            Some(Node::Mapping(map)) => {
                let pairs: Vec<String> = names
                    .iter()
                    .map(|n| format!("{}: \"\"", yaml_scalar(n)))
                    .collect();
                match map.entries().last() {
                    Some(last) => Edit {
                        range: TextRange::empty(last.text_range().end()),
                        text: format!(", {}", pairs.join(", ")),
                    },
                    None => Edit {
                        range: TextRange::empty(
                            map.syntax()
                                .token_of_kind(SyntaxKind::L_BRACE)?
                                .text_range()
                                .end(),
                        ),
                        text: pairs.join(", "),
                    },
                }
            }
            None => {
                let lines: Vec<String> = names
                    .iter()
                    .map(|n| entry(key_col + layout.indent, n))
                    .collect();
                layout.lines_after(text, env.text_range().end(), &lines)
            }
            Some(Node::Scalar(s)) if s.content().is_none() => {
                let lines: Vec<String> = names
                    .iter()
                    .map(|n| entry(key_col + layout.indent, n))
                    .collect();
                layout.lines_after(text, env.text_range().end(), &lines)
            }
            Some(_) => return None,
        },
        None => {
            let last = call.entries().last()?;
            let mut lines = vec![format!("{}env:", spaces(key_col))];
            lines.extend(names.iter().map(|n| entry(key_col + layout.indent, n)));
            layout.lines_after(text, last.text_range().end(), &lines)
        }
    };
    let title = match names.as_slice() {
        [one] => format!("Add required input `{one}`"),
        _ => format!(
            "Add required inputs {}",
            names
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    Some((title, vec![edit]))
}

/// "Declare the parameter": a `- name: X` / `type: var` entry at the end of the playbook's
/// `parameters:` (created before `steps:` when absent), for the unknown parameter read at
/// diagnostic `d` (a PB301).
fn declare_parameter(
    db: &dyn salsa::Database,
    file: File,
    d: &Diagnostic,
) -> Option<(String, Vec<Edit>)> {
    let (body_range, name) = context::with_analysis_at(db, file, d.range.start(), |p, a, _| {
        let name = a.references.iter().find_map(|r| match &r.target {
            Target::UndeclaredParam(name) if d.range.contains_range(r.range) => Some(name.clone()),
            _ => None,
        })?;
        Some((p.range, name))
    })??;
    let text = file.text(db);
    let layout = Layout::of(text);
    let tree = parse(db, file).tree();
    let body = mapping_at(tree, body_range)?;
    if body.is_flow() {
        return None;
    }
    let top_col = column(text, body.entries().next()?.text_range().start());
    let written = yaml_scalar(&name);
    let item = |dash: usize, key: usize| {
        vec![
            format!(
                "{}-{}name: {written}",
                spaces(dash),
                spaces(key.saturating_sub(dash + 1).max(1))
            ),
            format!("{}type: var", spaces(key)),
        ]
    };
    // How the file writes the items of a top-level sequence: the dash's indentation under
    // its key, and the keys' after the dash.
    let (seq_indent, key_after_dash) = sequence_layout(text, body).unwrap_or((layout.indent, 2));
    let edit = match body.get("parameters") {
        Some(entry) => match entry.value() {
            Some(Node::Sequence(seq)) if !seq.is_flow() => {
                let last = seq.entries().last()?;
                let dash = column(text, last.text_range().start());
                let key = last
                    .value()
                    .and_then(Node::as_mapping)
                    .and_then(|m| m.entries().next())
                    .map_or(dash + 2, |e| column(text, e.text_range().start()));
                layout.lines_after(text, last.text_range().end(), &item(dash, key))
            }
            Some(Node::Sequence(seq)) => {
                let new = format!("{{name: {written}, type: var}}");
                match seq.items().last() {
                    Some(last) => Edit {
                        range: TextRange::empty(last.text_range().end()),
                        text: format!(", {new}"),
                    },
                    None => Edit {
                        range: TextRange::empty(
                            seq.syntax()
                                .token_of_kind(SyntaxKind::L_BRACKET)?
                                .text_range()
                                .end(),
                        ),
                        text: new,
                    },
                }
            }
            None => {
                let dash = top_col + seq_indent;
                let key = dash + key_after_dash;
                layout.lines_after(text, entry.text_range().end(), &item(dash, key))
            }
            Some(Node::Scalar(s)) if s.content().is_none() => {
                let dash = top_col + seq_indent;
                let key = dash + key_after_dash;
                layout.lines_after(text, entry.text_range().end(), &item(dash, key))
            }
            Some(_) => return None,
        },
        None => {
            let dash = top_col + seq_indent;
            let mut lines = vec![format!("{}parameters:", spaces(top_col))];
            lines.extend(item(dash, dash + key_after_dash));
            match body.get("steps") {
                // Before `steps:`, where readers look for the parameters.
                Some(steps) => {
                    let start = steps.text_range().start();
                    let line_start = start.saturating_sub(column(text, start) as u32);
                    Edit {
                        range: TextRange::empty(line_start),
                        text: lines
                            .iter()
                            .map(|l| format!("{l}{}", layout.newline))
                            .collect(),
                    }
                }
                None => {
                    let last = body.entries().last()?;
                    layout.lines_after(text, last.text_range().end(), &lines)
                }
            }
        }
    };
    Some((format!("Declare parameter `{name}`"), vec![edit]))
}

/// How a file is laid out: its indentation step and its line break.
struct Layout {
    indent: usize,
    newline: &'static str,
}

impl Layout {
    fn of(text: &str) -> Layout {
        Layout {
            indent: indent_unit(text),
            newline: if text.contains("\r\n") { "\r\n" } else { "\n" },
        }
    }

    /// The edit that adds whole `lines` after the node ending at `end`: after the line
    /// break that ends it (a block scalar's text holds its own), else at the end of its
    /// line (after a comment there).
    fn lines_after(&self, text: &str, end: u32, lines: &[String]) -> Edit {
        let bytes = text.as_bytes();
        let mut end = (end as usize).min(bytes.len());
        let after_break = end > 0 && matches!(bytes.get(end - 1), Some(b'\n' | b'\r'));
        if after_break {
            // A block scalar's text ends with its blank lines: the new lines go after its
            // last line of text.
            while let Some(line_start) = blank_line_before(bytes, end) {
                end = line_start;
            }
            return Edit {
                range: TextRange::empty(end as u32),
                text: lines
                    .iter()
                    .map(|l| format!("{l}{}", self.newline))
                    .collect(),
            };
        }
        let line_end = bytes
            .get(end..)
            .and_then(|rest| rest.iter().position(|b| matches!(b, b'\n' | b'\r')))
            .map_or(bytes.len(), |i| end + i);
        Edit {
            range: TextRange::empty(line_end as u32),
            text: lines
                .iter()
                .map(|l| format!("{}{l}", self.newline))
                .collect(),
        }
    }
}

/// The start of the line that ends just before `end` (after its line break), when that
/// line is blank and is not the first line of the text.
fn blank_line_before(bytes: &[u8], end: usize) -> Option<usize> {
    let before = bytes.get(..end)?;
    let mut i = before.len();
    // The line break that ends the line: `\n`, `\r\n` or `\r`.
    if before.get(i.checked_sub(1)?) == Some(&b'\n') {
        i -= 1;
    }
    if i > 0 && before.get(i - 1) == Some(&b'\r') {
        i -= 1;
    }
    if i == end {
        return None;
    }
    let start = before
        .get(..i)?
        .iter()
        .rposition(|b| matches!(b, b'\n' | b'\r'))?
        + 1;
    before
        .get(start..i)?
        .iter()
        .all(|b| matches!(b, b' ' | b'\t'))
        .then_some(start)
}

/// The indentation step of a file: how much deeper the first key nested under another key
/// is (`metadata:` then `  name:`); two spaces when nothing says.
fn indent_unit(text: &str) -> usize {
    let mut previous: Option<(usize, bool)> = None;
    for line in text.lines() {
        let content = line.trim_start_matches(' ');
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let indent = line.len() - content.len();
        if let Some((before, opens)) = previous
            && opens
            && indent > before
            && !content.starts_with('-')
        {
            return indent - before;
        }
        let body = content.trim_end();
        let opens = body.ends_with(':') && !body.starts_with('-');
        previous = Some((indent, opens));
    }
    2
}

/// How the items of a block sequence of mappings under a top-level key of the playbook are
/// written: how far the dash is indented from the key (`steps:` then `  - name:` is 2,
/// `- name:` is 0), and how far the item's keys are from the dash (`- name` is 2, `-   name`
/// is 4).
fn sequence_layout(text: &str, body: Mapping<'_>) -> Option<(usize, usize)> {
    body.entries().find_map(|entry| {
        let Some(Node::Sequence(seq)) = entry.value() else {
            return None;
        };
        if seq.is_flow() {
            return None;
        }
        let first = seq.entries().next()?;
        let dash = column(text, first.text_range().start());
        let key = column(text, entry.text_range().start());
        let item_key = first
            .value()
            .and_then(Node::as_mapping)
            .and_then(|m| m.entries().next())
            .map_or(dash + 2, |e| column(text, e.text_range().start()));
        Some((dash.checked_sub(key)?, item_key.checked_sub(dash)?.max(2)))
    })
}

/// The block or flow mapping node whose range is exactly `range`.
fn mapping_at(tree: &playbook_syntax::SyntaxTree, range: TextRange) -> Option<Mapping<'_>> {
    let node = tree.covering_node(range);
    std::iter::successors(Some(node), |n| n.parent())
        .take_while(|n| n.text_range().contains_range(range))
        .filter(|n| n.text_range() == range)
        .find_map(|n| Node::cast(n).and_then(Node::as_mapping))
}

/// The column (in bytes) of `offset` in its line.
fn column(text: &str, offset: u32) -> usize {
    let offset = (offset as usize).min(text.len());
    let before = text.as_bytes().get(..offset).unwrap_or_default();
    before
        .iter()
        .rposition(|b| matches!(b, b'\n' | b'\r'))
        .map_or(offset, |i| offset - i - 1)
}

fn spaces(n: usize) -> String {
    " ".repeat(n)
}

/// A name as a YAML scalar: plain when it reads back as itself, else double-quoted.
fn yaml_scalar(name: &str) -> String {
    if crate::yaml_text::is_plain_name(name) {
        name.to_owned()
    } else {
        crate::yaml_text::double_quoted(name)
    }
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

    #[test]
    fn the_indentation_step_is_read_from_the_file() {
        assert_eq!(indent_unit("a:\n    b: 1\n"), 4);
        assert_eq!(indent_unit("a:\n- x\nb:\n  c: 1\n"), 2);
        assert_eq!(indent_unit("a: 1\n"), 2);
    }

    #[test]
    fn names_are_quoted_when_yaml_needs_it() {
        assert_eq!(yaml_scalar("RedisIp"), "RedisIp");
        assert_eq!(yaml_scalar("redis-ip"), "redis-ip");
        assert_eq!(yaml_scalar("a: b"), "\"a: b\"");
        assert_eq!(yaml_scalar("true"), "\"true\"");
    }
}
