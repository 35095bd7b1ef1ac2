//! The `playbook debug` views, for the people working on the parsers: the syntax tree with
//! its errors, the yaml-test-suite event stream, and the template actions found in scalars
//! with their source positions.

use std::fmt::Write as _;

use playbook_diagnostics::LineIndex;

use crate::render::{display_range, line_col, render_short};
use playbook_syntax::SyntaxKind;
use playbook_syntax::ast::{Node, Scalar};

/// The tree in its debug notation, then the syntax errors in the `short` format.
pub fn tree(name: &str, text: &str) -> String {
    let parse = playbook_syntax::parse(text);
    let mut out = parse.tree().debug_dump();
    out.push_str(&render_short(name, text, parse.errors()));
    out
}

/// The yaml-test-suite event stream of the text.
pub fn events(text: &str) -> String {
    playbook_syntax::events::to_events(playbook_syntax::parse(text).tree())
}

/// Every template action of every scalar, one per line as `LINE:COL  <parsed form>`
/// (1-based line, 1-based character column of the action's start in the file), and the
/// template errors as `LINE:COL  error[CODE] message`.
pub fn templates(text: &str) -> String {
    let parse = playbook_syntax::parse(text);
    let index = LineIndex::new(text);
    let mut out = String::new();
    for scalar in scalars(parse.tree()) {
        let decoded = scalar.decode();
        if !playbook_template::contains_actions(&decoded.value) {
            continue;
        }
        let template = playbook_template::parse(&decoded.value);
        let mut lines = Vec::new();
        for action in template.actions() {
            let start = decoded.map.to_source(action.range().start());
            lines.push((start, action.to_string()));
        }
        for error in template.errors() {
            let error = decoded.map.map_diagnostic(error.clone());
            let line = format!("{}[{}] {}", error.severity, error.code.id, error.message);
            lines.push((display_range(text, error.range).start(), line));
        }
        lines.sort_by_key(|&(start, _)| start);
        for (start, line) in lines {
            let (l, c) = line_col(&index, text, start);
            let _ = writeln!(out, "{l}:{c}  {line}");
        }
    }
    out
}

/// Every scalar node of `tree`, in source order.
fn scalars(tree: &playbook_syntax::SyntaxTree) -> impl Iterator<Item = Scalar<'_>> + '_ {
    tree.root()
        .descendants()
        .filter(|node| node.kind() == SyntaxKind::SCALAR)
        .filter_map(|node| Node::cast(node)?.as_scalar())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_holds_every_byte() {
        let dump = tree("a.yaml", "a: 1\n");
        assert!(dump.starts_with("ROOT@0..5\n"), "{dump}");
    }

    #[test]
    fn events_start_and_end_the_stream() {
        let events = events("a: 1\n");
        assert!(events.starts_with("+STR\n"), "{events}");
        assert!(events.ends_with("-STR\n"), "{events}");
    }

    #[test]
    fn no_templates_print_nothing() {
        assert_eq!(templates("a: 1\nb: [c, d]\n"), "");
    }
}
