//! The fixes that add lines to a playbook, laid out the way the file lays out its own: a
//! step call's missing required inputs under its `env:` (created when absent), and an
//! unknown parameter declared under `parameters:` (created before `steps:` when absent).
//!
//! Both leave values for a person to fill in (an empty input, a parameter of type `var`),
//! so both are unsafe: `playbook check --fix` applies them only with `--unsafe-fixes`. They
//! are the only fixes that need the syntax tree, for the indentation and the kind of the
//! nodes around the new lines; the checks ask the [`Workspace`](crate::Workspace) for it.

use playbook_diagnostics::{Edit, Fix, TextRange};
use playbook_syntax::ast::{Mapping, Node};
use playbook_syntax::{SyntaxKind, SyntaxTree, yaml_text};

/// "Add the missing required inputs": `KEY: ""` lines for `names` under the `env:` of the
/// step call whose mapping is at `call`.
pub(crate) fn add_inputs(
    text: &str,
    tree: &SyntaxTree,
    call: TextRange,
    names: &[&str],
) -> Option<Fix> {
    if names.is_empty() {
        return None;
    }
    let layout = Layout::of(text);
    let call = mapping_at(tree, call)?;
    if call.is_flow() {
        return None;
    }
    let key_col = column(text, call.entries().next()?.text_range().start());
    let entry =
        |col: usize, name: &str| format!("{}{}: \"\"", spaces(col), yaml_text::scalar(name));
    let nested = |names: &[&str]| -> Vec<String> {
        names
            .iter()
            .map(|n| entry(key_col + layout.indent, n))
            .collect()
    };
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
                    .map(|n| format!("{}: \"\"", yaml_text::scalar(n)))
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
            None => layout.lines_after(text, env.text_range().end(), &nested(names)),
            Some(Node::Scalar(s)) if s.content().is_none() => {
                layout.lines_after(text, env.text_range().end(), &nested(names))
            }
            Some(_) => return None,
        },
        None => {
            let last = call.entries().last()?;
            let mut lines = vec![format!("{}env:", spaces(key_col))];
            lines.extend(nested(names));
            layout.lines_after(text, last.text_range().end(), &lines)
        }
    };
    let title = match names {
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
    Some(Fix {
        title,
        edits: vec![edit],
        safe: false,
    })
}

/// "Declare the parameter": a `- name: X` / `type: var` entry at the end of the
/// `parameters:` of the playbook whose document body is at `body` (created before `steps:`
/// when absent).
pub(crate) fn declare_parameter(
    text: &str,
    tree: &SyntaxTree,
    body: TextRange,
    name: &str,
) -> Option<Fix> {
    let layout = Layout::of(text);
    let body = mapping_at(tree, body)?;
    if body.is_flow() {
        return None;
    }
    let top_col = column(text, body.entries().next()?.text_range().start());
    let written = yaml_text::scalar(name);
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
    Some(Fix {
        title: format!("Declare parameter `{name}`"),
        edits: vec![edit],
        safe: false,
    })
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
fn mapping_at(tree: &SyntaxTree, range: TextRange) -> Option<Mapping<'_>> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_indentation_step_is_read_from_the_file() {
        assert_eq!(indent_unit("a:\n    b: 1\n"), 4);
        assert_eq!(indent_unit("a:\n- x\nb:\n  c: 1\n"), 2);
        assert_eq!(indent_unit("a: 1\n"), 2);
    }
}
