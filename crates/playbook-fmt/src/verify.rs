//! The formatter's safety net: whether two syntax trees hold the same data and comments.
//!
//! Two trees hold the same data when their event streams (what `playbook debug events`
//! prints: documents and their markers, mappings, sequences, scalars with their style and
//! decoded value, aliases, anchors and tags) are identical, positions aside, and they hold the
//! same comments, in the same order (trailing whitespace aside). The comparison walks both
//! trees side by side without building the event text, and without recursion.

use playbook_syntax::SyntaxKind::COMMENT;
use playbook_syntax::SyntaxTree;
use playbook_syntax::ast::{self, Node};

/// Whether `a` and `b` hold the same data and the same comments (see the module
/// documentation).
pub fn same_data(a: &SyntaxTree, b: &SyntaxTree) -> bool {
    comments(a).eq(comments(b)) && same_documents(a, b)
}

/// The text of every comment of `tree`, in order, without trailing whitespace.
pub fn comments(tree: &SyntaxTree) -> impl Iterator<Item = &str> + '_ {
    tree.tokens()
        .filter(|t| t.kind() == COMMENT)
        .map(|t| t.text().trim_end_matches([' ', '\t']))
}

fn same_documents(a: &SyntaxTree, b: &SyntaxTree) -> bool {
    let mut docs_a = ast::documents(a);
    let mut docs_b = ast::documents(b);
    loop {
        match (docs_a.next(), docs_b.next()) {
            (None, None) => return true,
            (Some(x), Some(y)) => {
                let same = x.start_marker().is_some() == y.start_marker().is_some()
                    && x.end_marker().is_some() == y.end_marker().is_some()
                    && x.directives()
                        .map(|d| d.text())
                        .eq(y.directives().map(|d| d.text()))
                    && same_nodes(x.body(), y.body());
                if !same {
                    return false;
                }
            }
            _ => return false,
        }
    }
}

/// Whether two nodes (or two absences of a node) are the same data.
fn same_nodes<'a, 'b>(a: Option<Node<'a>>, b: Option<Node<'b>>) -> bool {
    let mut stack = vec![(a, b)];
    while let Some(pair) = stack.pop() {
        let (a, b) = match pair {
            (None, None) => continue,
            (Some(a), Some(b)) => (a, b),
            _ => return false,
        };
        if a.anchor().map(|t| t.text()) != b.anchor().map(|t| t.text())
            || a.tag().map(|t| t.text()) != b.tag().map(|t| t.text())
        {
            return false;
        }
        match (a, b) {
            (Node::Scalar(x), Node::Scalar(y)) => {
                if x.style() != y.style() || x.value() != y.value() {
                    return false;
                }
            }
            (Node::Alias(x), Node::Alias(y)) => {
                if x.name() != y.name() {
                    return false;
                }
            }
            (Node::Mapping(x), Node::Mapping(y)) => {
                if x.is_flow() != y.is_flow() {
                    return false;
                }
                let mut entries_x = x.entries();
                let mut entries_y = y.entries();
                loop {
                    match (entries_x.next(), entries_y.next()) {
                        (None, None) => break,
                        (Some(ex), Some(ey)) => {
                            stack.push((ex.value(), ey.value()));
                            stack.push((ex.key(), ey.key()));
                        }
                        _ => return false,
                    }
                }
            }
            (Node::Sequence(x), Node::Sequence(y)) => {
                if x.is_flow() != y.is_flow() {
                    return false;
                }
                let mut entries_x = x.entries();
                let mut entries_y = y.entries();
                loop {
                    match (entries_x.next(), entries_y.next()) {
                        (None, None) => break,
                        (Some(ex), Some(ey)) => stack.push((ex.value(), ey.value())),
                        _ => return false,
                    }
                }
            }
            _ => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(a: &str, b: &str) -> bool {
        same_data(
            playbook_syntax::parse(a).tree(),
            playbook_syntax::parse(b).tree(),
        )
    }

    #[test]
    fn layout_is_not_data() {
        assert!(same("a:   1\nb:\n- x\n", "a: 1\nb:\n  - x\n"));
        assert!(same("k: [a,b]  # c  \n", "k: [a, b] # c\n"));
        assert!(same("t: |\n    x\n", "t: |\n  x\n"));
    }

    #[test]
    fn data_and_comments_are() {
        assert!(!same("a: 1\n", "a: 2\n"));
        assert!(!same("a: 1\n", "a: '1'\n"));
        assert!(!same("a: [1]\n", "a:\n  - 1\n"));
        assert!(!same("a: &x 1\n", "a: 1\n"));
        assert!(!same("a: !!str 1\n", "a: 1\n"));
        assert!(!same("a: 1 # c\n", "a: 1 # d\n"));
        assert!(!same("a: 1\n", "a: 1\n---\n"));
        assert!(!same("--- a\n", "a\n"));
        assert!(!same("t: |\n  x\n", "t: |\n   x\n  y\n"));
        assert!(!same("a: 1\nb: 2\n", "a: 1\n"));
    }
}
