//! The diagnostics of one file's text, before any cross-file check: YAML syntax errors, the
//! errors found while decoding scalars (invalid escapes), and the syntax errors of the
//! Go templates inside scalars, all located by byte ranges in the file's text.
//!
//! This is what `playbook check` reports today; the full checker and the language server
//! build on [`file_diagnostics`] so that every front end reports the same findings.

use playbook_diagnostics::{Diagnostic, TextRange};
use playbook_syntax::SyntaxKind;
use playbook_syntax::ast::{Node, Scalar};
use playbook_syntax::decode::{Decoded, SourceMap};

/// Every syntax-level diagnostic of `text`, sorted by position (then by code), without
/// exact duplicates.
pub fn file_diagnostics(text: &str) -> Vec<Diagnostic> {
    let parse = playbook_syntax::parse(text);
    let mut diagnostics = parse.errors().to_vec();
    for scalar in scalars(parse.tree()) {
        let decoded = scalar.decode();
        diagnostics.extend(scalar_diagnostics(&decoded));
    }
    sort_and_dedup(&mut diagnostics);
    diagnostics
}

/// Every scalar node of `tree`, in source order.
pub fn scalars(tree: &playbook_syntax::SyntaxTree) -> impl Iterator<Item = Scalar<'_>> + '_ {
    tree.root()
        .descendants()
        .filter(|node| node.kind() == SyntaxKind::SCALAR)
        .filter_map(|node| Node::cast(node)?.as_scalar())
}

/// The diagnostics of one decoded scalar: its decoding errors (already in source ranges) and
/// the syntax errors of the template it holds, mapped from the decoded value to the source.
pub fn scalar_diagnostics(decoded: &Decoded) -> Vec<Diagnostic> {
    let mut diagnostics = decoded.errors.clone();
    if playbook_template::contains_actions(&decoded.value) {
        let template = playbook_template::parse(&decoded.value);
        diagnostics.extend(
            template
                .errors()
                .iter()
                .map(|error| map_to_source(error.clone(), &decoded.map)),
        );
    }
    diagnostics
}

/// `diagnostic`, whose ranges are offsets in a decoded scalar value, with its ranges (and
/// those of its related spans in the same file) moved to source offsets.
pub fn map_to_source(mut diagnostic: Diagnostic, map: &SourceMap) -> Diagnostic {
    diagnostic.range = map.range_to_source(diagnostic.range);
    for related in &mut diagnostic.related {
        if related.file.is_none() {
            related.range = map.range_to_source(related.range);
        }
    }
    diagnostic
}

/// Sorts diagnostics by position, then code and message, and removes exact duplicates (the
/// same finding reported by two layers).
pub fn sort_and_dedup(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| {
        sort_key(a.range)
            .cmp(&sort_key(b.range))
            .then_with(|| a.code.id.cmp(b.code.id))
            .then_with(|| a.message.cmp(&b.message))
    });
    diagnostics.dedup();
}

fn sort_key(range: TextRange) -> (u32, u32) {
    (range.start(), range.end())
}

#[cfg(test)]
mod tests {
    use super::*;
    use playbook_syntax::codes;

    #[test]
    fn clean_text_has_no_diagnostics() {
        assert_eq!(file_diagnostics("a: 1\nb: [x, y]\n"), Vec::new());
        assert_eq!(file_diagnostics(""), Vec::new());
    }

    #[test]
    fn template_errors_are_moved_to_source_offsets() {
        let map = SourceMap::identity(10);
        let diagnostic = Diagnostic::new(&codes::INVALID_YAML, TextRange::new(2, 4), "m")
            .with_related(TextRange::new(0, 1), "here")
            .with_related_in("other.yaml", TextRange::new(0, 1), "there");
        let mapped = map_to_source(diagnostic, &map);
        assert_eq!(mapped.range, TextRange::new(12, 14));
        assert_eq!(mapped.related[0].range, TextRange::new(10, 11));
        // A span in another file is left alone.
        assert_eq!(mapped.related[1].range, TextRange::new(0, 1));
    }

    #[test]
    fn decoding_errors_are_kept() {
        let error = Diagnostic::new(&codes::INVALID_ESCAPE, TextRange::new(5, 7), "bad escape");
        let decoded = Decoded {
            value: "plain".to_owned(),
            map: SourceMap::identity(4),
            errors: vec![error.clone()],
        };
        assert_eq!(scalar_diagnostics(&decoded), [error]);
    }

    #[test]
    fn diagnostics_are_sorted_and_deduplicated() {
        let at = |start, code| Diagnostic::new(code, TextRange::new(start, start + 1), "m");
        let mut list = vec![
            at(5, &codes::INVALID_ESCAPE),
            at(1, &codes::UNTERMINATED_SCALAR),
            at(5, &codes::INVALID_ESCAPE),
            at(1, &codes::INVALID_YAML),
        ];
        sort_and_dedup(&mut list);
        let got: Vec<_> = list.iter().map(|d| (d.range.start(), d.code.id)).collect();
        assert_eq!(got, [(1, "PB001"), (1, "PB005"), (5, "PB006")]);
    }
}
