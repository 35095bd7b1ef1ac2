//! Which YAML files are playbook files: the one decision, made on the text (and its parse),
//! that both the workspace walk (`playbook check` over a folder, files named on the command
//! line, standard input) and the database (whose diagnostics the language server publishes
//! for any YAML file an editor opens) follow.
//!
//! A file is a playbook file when one of its documents is a mapping whose `kind` is a
//! playbook kind (`Playbook`, `Step`, `Trigger`, or `PlaybookTest` for the test files of
//! `playbook test`, compared without case, so that `kind:
//! playbook` is kept and reported by the checker) or whose `apiVersion` starts with
//! `stackpulse.io`. A file with syntax errors is also one if a line at the top level says so
//! (`kind: Playbook`, `apiVersion: stackpulse.io/v1`), so that its errors are reported.
//! Anything else (a GitHub workflow, an Ansible playbook, a Kubernetes manifest, a Helm
//! values file) is not, and gets no diagnostics at all: its `${{ }}` and `{{ lookup() }}` are
//! another language's.

use playbook_syntax::Parse;
use playbook_syntax::ast::{self, Node};

/// The playbook `kind`s (the platform's three, and the tests' own), any one of which makes a YAML file a playbook file.
pub const PLAYBOOK_KINDS: &[&str] = &["Playbook", "Step", "Trigger", "PlaybookTest"];

/// Whether `text` is a playbook file (see the module documentation). Parses the text only
/// when no top-level line settles it.
pub fn is_playbook_file(text: &str) -> bool {
    looks_like_playbook(text) || by_tree(&playbook_syntax::parse(text))
}

/// [`is_playbook_file`] for a text already parsed (`parse` is the parse of `text`): the same
/// answer, without a second parse.
pub fn is_playbook_parse(text: &str, parse: &Parse) -> bool {
    looks_like_playbook(text) || by_tree(parse)
}

/// The decision on the tree: a document whose `kind` is a playbook kind or whose
/// `apiVersion` is `stackpulse.io/...`, wherever the keys are written in its mapping.
fn by_tree(parse: &Parse) -> bool {
    ast::documents(parse.tree()).any(|document| {
        let Some(mapping) = document.body().and_then(Node::as_mapping) else {
            return false;
        };
        let scalar = |key: &str| {
            mapping
                .get(key)
                .and_then(|entry| entry.value())
                .and_then(Node::as_scalar)
                .map(|s| s.value().into_owned())
        };
        scalar("kind").is_some_and(|kind| is_playbook_kind(&kind))
            || scalar("apiVersion").is_some_and(|v| v.starts_with("stackpulse.io"))
    })
}

fn is_playbook_kind(kind: &str) -> bool {
    PLAYBOOK_KINDS.iter().any(|k| k.eq_ignore_ascii_case(kind))
}

fn unquote(value: &str) -> &str {
    value.trim_matches(|c| c == '"' || c == '\'')
}

/// Whether a line at the top level reads `kind: <a playbook kind>` or `apiVersion:
/// stackpulse.io...`, quoted or not, with or without a comment: the common case, settled
/// without a parse (a real playbook says so on its first lines), and the one way a file with
/// syntax errors is still known to be a playbook file, so that its errors are reported.
fn looks_like_playbook(text: &str) -> bool {
    text.lines().any(|line| {
        let value = |key: &str| {
            let rest = line.strip_prefix(key)?.strip_prefix(':')?;
            let rest = rest.split(" #").next().unwrap_or(rest).trim();
            Some(unquote(rest))
        };
        value("kind").is_some_and(is_playbook_kind)
            || value("apiVersion").is_some_and(|v| v.starts_with("stackpulse.io"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_level_lines_that_look_like_a_playbook() {
        assert!(looks_like_playbook("a: [\nkind: Playbook\n"));
        assert!(looks_like_playbook("kind: 'step'  \n"));
        assert!(looks_like_playbook("kind: \"Trigger\" # the trigger\n"));
        assert!(looks_like_playbook(
            "apiVersion: stackpulse.io/v1\nkind: Thing\n"
        ));
        assert!(looks_like_playbook("apiVersion: \"stackpulse.io/v2\"\r\n"));
        assert!(!looks_like_playbook("  kind: Playbook\n"));
        assert!(!looks_like_playbook(
            "kind: Deployment\napiVersion: apps/v1\n"
        ));
        assert!(!looks_like_playbook("kinds: Playbook\n"));
        assert!(!looks_like_playbook("# kind: Playbook\n"));
        assert!(!looks_like_playbook(""));
    }

    /// The two entry points give the same answer: the walk and the database agree.
    #[test]
    fn with_or_without_a_parse_the_answer_is_the_same() {
        for text in [
            "kind: Playbook\n",
            "\"kind\": 'Step'\n",
            "{apiVersion: stackpulse.io/v1, kind: Step}\n",
            "steps: [a, b\nkind: \"Playbook\" # a comment\n",
            "on: push\njobs:\n  build:\n    steps:\n      - run: echo ${{ github.sha }}\n",
            "a: [1, 2\nb: {\n",
            "- hosts: all\n  tasks:\n    - debug: msg=\"{{ lookup('env', 'HOME') }}\"\n",
            "",
        ] {
            let parse = playbook_syntax::parse(text);
            assert_eq!(
                is_playbook_file(text),
                is_playbook_parse(text, &parse),
                "{text}"
            );
        }
    }
}
