//! Conversion of the core's diagnostics to protocol diagnostics.
//!
//! How a [`Diagnostic`] is shown (chosen for VS Code, which renders the message as plain text,
//! line breaks included, in the hover and in the Problems panel):
//! - the message is the diagnostic's message, followed by `: label` when the label says
//!   something the message does not ("unknown parameter `X`: did you mean `Y`?");
//! - the help line is appended after a line break, as `help: ...`. It is not a related
//!   information entry, because VS Code renders those as links to another place, and a help
//!   sentence has no place of its own;
//! - [`Diagnostic::related`] becomes related information, located in the diagnostic's own
//!   document or, for an entry naming another file, in that file when its text is known;
//! - the code is the stable `PB...` id, the source is `playbook`.
//!
//! And of the editor features' answers ([`playbook_ide`]), where the conversion is more than
//! a position: completion kinds and snippets, symbol kinds, semantic tokens (split per line
//! and delta-encoded), folding ranges.

use playbook_diagnostics::{Diagnostic, LineIndex, Severity, TextRange};
use playbook_ide::{CompletionKind, Fold, FoldKind, HighlightKind, SymbolKind, TokenKind};
use tower_lsp_server::ls_types::{
    self as proto, CompletionItemKind, DiagnosticRelatedInformation, DiagnosticSeverity,
    DocumentHighlightKind, FoldingRange, FoldingRangeKind, Location, MarkupContent, MarkupKind,
    NumberOrString, Uri,
};

use crate::position::{self, Encoding};

/// The text of a file, as needed to convert byte ranges in it.
#[derive(Clone, Copy, Debug)]
pub struct FileText<'a> {
    /// The document's URI, used for related information in the same file.
    pub uri: &'a Uri,
    /// The text the diagnostics' byte ranges point into.
    pub text: &'a str,
    /// The line index of `text`.
    pub index: &'a LineIndex,
}

/// Converts the diagnostics of one file. `other_file` resolves the file named by a related
/// entry (a path or a URI, as the core chose) to its text; entries it cannot resolve are
/// dropped, since their ranges cannot be placed.
pub fn diagnostics(
    file: FileText<'_>,
    diagnostics: &[Diagnostic],
    encoding: Encoding,
    other_file: impl Fn(&str) -> Option<(Uri, String)>,
) -> Vec<proto::Diagnostic> {
    diagnostics
        .iter()
        .map(|diagnostic| convert(file, diagnostic, encoding, &other_file))
        .collect()
}

/// Converts one diagnostic; see [`diagnostics`].
pub fn convert(
    file: FileText<'_>,
    diagnostic: &Diagnostic,
    encoding: Encoding,
    other_file: &impl Fn(&str) -> Option<(Uri, String)>,
) -> proto::Diagnostic {
    let related: Vec<DiagnosticRelatedInformation> = diagnostic
        .related
        .iter()
        .filter_map(|related| {
            let location = match &related.file {
                None => Location {
                    uri: file.uri.clone(),
                    range: position::range(file.text, file.index, related.range, encoding),
                },
                Some(path) => {
                    let (uri, text) = other_file(path)?;
                    let index = LineIndex::new(&text);
                    Location {
                        uri,
                        range: position::range(&text, &index, related.range, encoding),
                    }
                }
            };
            Some(DiagnosticRelatedInformation {
                location,
                message: related.message.clone(),
            })
        })
        .collect();
    proto::Diagnostic {
        range: position::range(file.text, file.index, diagnostic.range, encoding),
        severity: Some(severity(diagnostic.severity)),
        code: Some(NumberOrString::String(diagnostic.code.id.to_owned())),
        code_description: None,
        source: Some("playbook".to_owned()),
        message: message(diagnostic),
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}

/// The protocol severity of a severity.
pub fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Hint => DiagnosticSeverity::HINT,
    }
}

/// The message shown for a diagnostic: message, label if it adds information, help line.
pub fn message(diagnostic: &Diagnostic) -> String {
    let mut message = diagnostic.message.clone();
    if let Some(label) = &diagnostic.label {
        let label = label.trim();
        if !label.is_empty() && !diagnostic.message.contains(label) {
            message.push_str(": ");
            message.push_str(label);
        }
    }
    if let Some(help) = &diagnostic.help {
        let help = help.trim();
        if !help.is_empty() {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
    }
    message
}

/// The icon of a completion item.
pub fn completion_kind(kind: CompletionKind) -> CompletionItemKind {
    match kind {
        CompletionKind::Parameter | CompletionKind::Variable => CompletionItemKind::VARIABLE,
        // A step id holds the step's outputs, read as its fields.
        CompletionKind::Step => CompletionItemKind::STRUCT,
        CompletionKind::Output | CompletionKind::Field => CompletionItemKind::FIELD,
        CompletionKind::Context => CompletionItemKind::CONSTANT,
        CompletionKind::Function => CompletionItemKind::FUNCTION,
        CompletionKind::Keyword => CompletionItemKind::KEYWORD,
        CompletionKind::Property => CompletionItemKind::PROPERTY,
        CompletionKind::Value => CompletionItemKind::VALUE,
        // A step image is described by a manifest, the language's module.
        CompletionKind::Image => CompletionItemKind::MODULE,
        CompletionKind::Playbook => CompletionItemKind::REFERENCE,
    }
}

/// The icon of a symbol.
pub fn symbol_kind(kind: SymbolKind) -> proto::SymbolKind {
    match kind {
        SymbolKind::Playbook => proto::SymbolKind::MODULE,
        SymbolKind::Trigger => proto::SymbolKind::EVENT,
        // A manifest is the interface of a step image.
        SymbolKind::Manifest => proto::SymbolKind::INTERFACE,
        SymbolKind::Parameter => proto::SymbolKind::VARIABLE,
        SymbolKind::Step => proto::SymbolKind::FUNCTION,
        SymbolKind::Block => proto::SymbolKind::NAMESPACE,
        SymbolKind::Loop => proto::SymbolKind::ARRAY,
        SymbolKind::Input => proto::SymbolKind::FIELD,
        SymbolKind::Output => proto::SymbolKind::PROPERTY,
    }
}

/// The protocol's kind of a highlight.
pub fn highlight_kind(kind: HighlightKind) -> DocumentHighlightKind {
    match kind {
        HighlightKind::Read => DocumentHighlightKind::READ,
        HighlightKind::Write => DocumentHighlightKind::WRITE,
    }
}

/// An inlay hint of the core at its position, its tooltip in Markdown when the client shows
/// Markdown hovers (the protocol has no capability of its own for tooltips).
pub fn inlay_hint(
    text: &str,
    index: &LineIndex,
    hint: playbook_ide::InlayHint,
    encoding: Encoding,
    markdown: bool,
) -> proto::InlayHint {
    proto::InlayHint {
        position: position::position(text, index, hint.offset, encoding),
        label: proto::InlayHintLabel::String(hint.label),
        kind: None,
        text_edits: None,
        tooltip: hint
            .tooltip
            .map(|tooltip| proto::InlayHintTooltip::MarkupContent(markup(tooltip, markdown))),
        padding_left: Some(true),
        padding_right: None,
        data: None,
    }
}

/// Markdown `text` as Markdown, or as plain text for a client that cannot render Markdown.
pub fn markup(text: String, markdown: bool) -> MarkupContent {
    MarkupContent {
        kind: if markdown {
            MarkupKind::Markdown
        } else {
            MarkupKind::PlainText
        },
        value: text,
    }
}

/// How deep placeholders may nest in a snippet before the rest is taken literally.
const MAX_SNIPPET_DEPTH: usize = 16;

/// The text a snippet inserts when it cannot be a snippet (a client without snippet
/// support): tab stops (`$1`, `${1}`) and variables (`$TM_FILENAME`) vanish, a placeholder
/// (`${1:name}`, nested ones too) becomes its text, a choice (`${1|a,b|}`) its first option,
/// and escapes (`\$`, `\}`, `\\`) their character. A `$` that starts none of these is kept.
pub fn strip_snippet(snippet: &str) -> String {
    let chars: Vec<char> = snippet.chars().collect();
    let mut out = String::with_capacity(snippet.len());
    let mut i = 0;
    while i < chars.len() {
        strip_into(&chars, &mut i, 0, &mut out);
        // A `}` closing nothing is literal.
        if i < chars.len() {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// Copies the snippet text at `*i` into `out` until the end, or until a `}` that closes the
/// placeholder at `depth` (left unconsumed).
fn strip_into(chars: &[char], i: &mut usize, depth: usize, out: &mut String) {
    let is_name = |c: char| c.is_ascii_alphanumeric() || c == '_';
    while let Some(&c) = chars.get(*i) {
        match c {
            '\\' => match chars.get(*i + 1) {
                Some(&next @ ('$' | '}' | '\\')) => {
                    out.push(next);
                    *i += 2;
                }
                _ => {
                    out.push('\\');
                    *i += 1;
                }
            },
            '}' if depth > 0 => return,
            '$' => match chars.get(*i + 1) {
                Some(&next)
                    if next.is_ascii_digit() || next.is_ascii_alphabetic() || next == '_' =>
                {
                    *i += 1;
                    while chars.get(*i).is_some_and(|c| is_name(*c)) {
                        *i += 1;
                    }
                }
                Some('{')
                    if depth < MAX_SNIPPET_DEPTH
                        && chars.get(*i + 2).is_some_and(|c| is_name(*c)) =>
                {
                    *i += 2;
                    while chars.get(*i).is_some_and(|c| is_name(*c)) {
                        *i += 1;
                    }
                    match chars.get(*i) {
                        Some(':') => {
                            *i += 1;
                            strip_into(chars, i, depth + 1, out);
                            if chars.get(*i) == Some(&'}') {
                                *i += 1;
                            }
                        }
                        Some('|') => {
                            *i += 1;
                            let mut first = true;
                            while let Some(&c) = chars.get(*i) {
                                *i += 1;
                                match c {
                                    '\\' => {
                                        if let Some(&next) = chars.get(*i) {
                                            if first {
                                                out.push(next);
                                            }
                                            *i += 1;
                                        }
                                    }
                                    ',' => first = false,
                                    '|' if chars.get(*i) == Some(&'}') => {
                                        *i += 1;
                                        break;
                                    }
                                    _ if first => out.push(c),
                                    _ => {}
                                }
                            }
                        }
                        // `${1}`, or a transform (`${1/a/b/}`) whose text is unknown.
                        _ => {
                            while let Some(&c) = chars.get(*i) {
                                *i += 1;
                                if c == '}' {
                                    break;
                                }
                            }
                        }
                    }
                }
                _ => {
                    out.push('$');
                    *i += 1;
                }
            },
            _ => {
                out.push(c);
                *i += 1;
            }
        }
    }
}

/// The semantic tokens of a file as the protocol wants them: in the legend's numbering
/// ([`crate::capabilities::semantic_tokens_legend`]), one token per line (a token spanning
/// lines, a template in a block scalar, is split at each line break, which no token covers),
/// sorted, without overlaps or empty tokens, each relative to the one before.
pub fn semantic_tokens(
    text: &str,
    index: &LineIndex,
    tokens: &[playbook_ide::SemanticToken],
    encoding: Encoding,
) -> Vec<proto::SemanticToken> {
    // (line, start column, length, type, modifiers), absolute.
    let mut absolute: Vec<(u32, u32, u32, u32, u32)> = Vec::new();
    for token in tokens {
        let Some(kind) = TokenKind::ALL.iter().position(|k| *k == token.kind) else {
            continue;
        };
        let modifiers = token.modifiers.iter().fold(0u32, |bits, modifier| {
            match playbook_ide::TokenModifier::ALL
                .iter()
                .position(|m| m == modifier)
            {
                Some(bit) => bits | (1 << bit),
                None => bits,
            }
        });
        let first = index.line_col(token.range.start()).line;
        let last = index.line_col(token.range.end()).line;
        for line in first..=last {
            let Some(line_range) = index.line_range(line, text) else {
                break;
            };
            let Some(part) = token.range.intersect(line_range) else {
                continue;
            };
            let start = position::position(text, index, part.start(), encoding);
            let end = position::position(text, index, part.end(), encoding);
            if end.line != start.line || end.character <= start.character {
                continue;
            }
            absolute.push((
                start.line,
                start.character,
                end.character - start.character,
                kind as u32,
                modifiers,
            ));
        }
    }
    absolute.sort_unstable();
    let mut data = Vec::with_capacity(absolute.len());
    let (mut line, mut column, mut end) = (0u32, 0u32, 0u32);
    for (i, (l, c, length, kind, modifiers)) in absolute.into_iter().enumerate() {
        // Tokens may not overlap: one starting inside the previous one is dropped.
        if i > 0 && l == line && c < end {
            continue;
        }
        let delta_line = l - line;
        let delta_start = if delta_line == 0 { c - column } else { c };
        data.push(proto::SemanticToken {
            delta_line,
            delta_start,
            length,
            token_type: kind,
            token_modifiers_bitset: modifiers,
        });
        (line, column, end) = (l, c, c + length);
    }
    data
}

/// The folding ranges of a file: by line, folds of a single line left out. A fold whose
/// range ends at the start of a line (after a line break) ends on the line before.
pub fn folding_ranges(index: &LineIndex, folds: &[Fold]) -> Vec<FoldingRange> {
    folds
        .iter()
        .filter_map(|fold| {
            let start = index.line_col(fold.range.start()).line;
            let end = index.line_col(fold.range.end());
            let end_line = if end.col == 0 && end.line > start {
                end.line - 1
            } else {
                end.line
            };
            (end_line > start).then_some(FoldingRange {
                start_line: start,
                start_character: None,
                end_line,
                end_character: None,
                kind: Some(match fold.kind {
                    FoldKind::Region => FoldingRangeKind::Region,
                    FoldKind::Comment => FoldingRangeKind::Comment,
                }),
                collapsed_text: None,
            })
        })
        .collect()
}

/// The ranges of a selection-range answer, innermost first, kept only while each contains
/// the one before (the protocol requires it; a range that does not is left out).
pub fn nested_ranges(ranges: &[TextRange]) -> Vec<TextRange> {
    let mut kept: Vec<TextRange> = Vec::with_capacity(ranges.len());
    for range in ranges {
        match kept.last() {
            Some(last) if !range.contains_range(*last) || range == last => {}
            _ => kept.push(*range),
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use playbook_diagnostics::{Code, TextRange};

    use super::*;

    static TEST_CODE: Code = Code {
        id: "PB999",
        name: "test-code",
        severity: Severity::Warning,
        summary: "A code for tests.",
        doc: "",
    };

    fn uri(s: &str) -> Uri {
        s.parse().unwrap()
    }

    fn convert_in(text: &str, diagnostic: &Diagnostic) -> proto::Diagnostic {
        let uri = uri("file:///w/a.yaml");
        let index = LineIndex::new(text);
        let file = FileText {
            uri: &uri,
            text,
            index: &index,
        };
        let other = |path: &str| (path == "/w/b.yaml").then(|| (uri_b(), "x\n😀yz\n".to_owned()));
        convert(file, diagnostic, Encoding::Utf16, &other)
    }

    fn uri_b() -> Uri {
        uri("file:///w/b.yaml")
    }

    #[test]
    fn message_label_and_help() {
        let d = Diagnostic::new(&TEST_CODE, TextRange::new(0, 1), "unknown parameter `X`")
            .with_label("did you mean `Y`?")
            .with_help("Declare `X` under `parameters`.");
        assert_eq!(
            message(&d),
            "unknown parameter `X`: did you mean `Y`?\nhelp: Declare `X` under `parameters`."
        );
        // A label that repeats the message adds nothing.
        let d = Diagnostic::new(&TEST_CODE, TextRange::new(0, 1), "unclosed quote")
            .with_label("unclosed quote");
        assert_eq!(message(&d), "unclosed quote");
    }

    #[test]
    fn fields_ranges_and_related() {
        let text = "é: 1\nkey: 😀value\n";
        let start = text.find("value").unwrap() as u32;
        let d = Diagnostic::new(&TEST_CODE, TextRange::at(start, 5), "bad value")
            .with_severity(Severity::Hint)
            .with_related(TextRange::at(0, 2), "first here")
            .with_related_in("/w/b.yaml", TextRange::new(2, 7), "elsewhere")
            .with_related_in("/w/unknown.yaml", TextRange::new(0, 1), "dropped");
        let p = convert_in(text, &d);
        assert_eq!(p.severity, Some(DiagnosticSeverity::HINT));
        assert_eq!(p.code, Some(NumberOrString::String("PB999".to_owned())));
        assert_eq!(p.source.as_deref(), Some("playbook"));
        assert_eq!(p.code_description, None);
        let r = p.range;
        assert_eq!(
            (r.start.line, r.start.character, r.end.line, r.end.character),
            (1, 7, 1, 12)
        );
        let related = p.related_information.unwrap();
        assert_eq!(related.len(), 2);
        assert_eq!(related[0].location.uri, uri("file:///w/a.yaml"));
        assert_eq!(related[0].location.range.end.character, 1);
        assert_eq!(related[0].message, "first here");
        assert_eq!(related[1].location.uri, uri_b());
        let r = related[1].location.range;
        assert_eq!(
            (r.start.line, r.start.character, r.end.line, r.end.character),
            (1, 0, 1, 3)
        );
    }

    #[test]
    fn severities() {
        assert_eq!(severity(Severity::Error), DiagnosticSeverity::ERROR);
        assert_eq!(severity(Severity::Warning), DiagnosticSeverity::WARNING);
        assert_eq!(severity(Severity::Hint), DiagnosticSeverity::HINT);
    }

    #[test]
    fn snippets_become_plain_text() {
        assert_eq!(strip_snippet("KEY: ${1:value}$0"), "KEY: value");
        assert_eq!(
            strip_snippet("index ${1:COLLECTION} ${2:KEY}"),
            "index COLLECTION KEY"
        );
        assert_eq!(strip_snippet("a${1:b${2:c}d}e"), "abcde");
        assert_eq!(strip_snippet("${1|spd,var|} x"), "spd x");
        assert_eq!(strip_snippet("${1|a\\,b,c|}"), "a,b");
        assert_eq!(strip_snippet("\\$.params.x \\} \\\\"), "$.params.x } \\");
        assert_eq!(strip_snippet("$TM_FILENAME${2}${3/a/b/}."), ".");
        // A `$` or `}` that starts or closes nothing is kept.
        assert_eq!(strip_snippet("{{ $.a }} $ ${ x }"), "{{ $.a }} $ ${ x }");
        assert_eq!(strip_snippet("${1:unclosed"), "unclosed");
        assert_eq!(strip_snippet("é😀${1:ü}"), "é😀ü");
        let deep = "${1:".repeat(100) + "x" + &"}".repeat(100);
        assert!(strip_snippet(&deep).contains('x'));
    }

    fn token(start: u32, end: u32, kind: TokenKind) -> playbook_ide::SemanticToken {
        playbook_ide::SemanticToken {
            range: TextRange::new(start, end),
            kind,
            modifiers: Vec::new(),
        }
    }

    fn encode(text: &str, tokens: &[playbook_ide::SemanticToken], e: Encoding) -> Vec<[u32; 5]> {
        semantic_tokens(text, &LineIndex::new(text), tokens, e)
            .iter()
            .map(|t| {
                [
                    t.delta_line,
                    t.delta_start,
                    t.length,
                    t.token_type,
                    t.token_modifiers_bitset,
                ]
            })
            .collect()
    }

    #[test]
    fn semantic_tokens_are_split_per_line_and_delta_encoded() {
        // `é` is 2 bytes and 1 UTF-16 unit.
        let text = "é: {{ if\r\n  .x }}\nb: {{ end }}";
        let kw = TokenKind::ALL
            .iter()
            .position(|k| *k == TokenKind::Keyword)
            .unwrap() as u32;
        let var = TokenKind::ALL
            .iter()
            .position(|k| *k == TokenKind::Variable)
            .unwrap() as u32;
        let if_start = text.find("if").unwrap() as u32;
        let x_end = text.find(" }}").unwrap() as u32;
        let end_start = text.find("end").unwrap() as u32;
        let mut spanning = token(if_start, x_end, TokenKind::Variable);
        spanning.modifiers = vec![playbook_ide::TokenModifier::Unresolved];
        let tokens = [
            // Out of order, on purpose.
            token(end_start, end_start + 3, TokenKind::Keyword),
            spanning,
        ];
        let unresolved = 1
            << playbook_ide::TokenModifier::ALL
                .iter()
                .position(|m| *m == playbook_ide::TokenModifier::Unresolved)
                .unwrap();
        assert_eq!(
            encode(text, &tokens, Encoding::Utf16),
            [
                [0, 6, 2, var, unresolved],
                [1, 0, 4, var, unresolved],
                [1, 6, 3, kw, 0]
            ]
        );
        assert_eq!(
            encode(text, &tokens, Encoding::Utf8)[0],
            [0, 7, 2, var, unresolved]
        );
        // Empty and overlapping tokens are dropped.
        let tokens = [
            token(0, 0, TokenKind::Keyword),
            token(0, 4, TokenKind::String),
            token(2, 3, TokenKind::Number),
        ];
        assert_eq!(encode("abcdef", &tokens, Encoding::Utf16).len(), 1);
        // A token past the end of the text is clamped.
        assert_eq!(
            encode("ab", &[token(1, 99, TokenKind::String)], Encoding::Utf16),
            [[0, 1, 1, 6, 0]]
        );
    }

    #[test]
    fn folds_end_on_their_last_line() {
        let text = "a:\n  b: 1\n  c: 2\nd: 3\n";
        let index = LineIndex::new(text);
        let fold = |start: usize, end: usize| Fold {
            range: TextRange::new(start as u32, end as u32),
            kind: FoldKind::Region,
        };
        let d = text.find("d:").unwrap();
        let folds = folding_ranges(&index, &[fold(0, d), fold(0, d - 1), fold(3, 8)]);
        let lines: Vec<(u32, u32)> = folds.iter().map(|f| (f.start_line, f.end_line)).collect();
        assert_eq!(lines, [(0, 2), (0, 2)]);
    }

    #[test]
    fn selection_ranges_keep_only_growing_ranges() {
        let r = |a, b| TextRange::new(a, b);
        assert_eq!(
            nested_ranges(&[r(3, 4), r(3, 4), r(2, 6), r(5, 9), r(0, 9)]),
            [r(3, 4), r(2, 6), r(0, 9)]
        );
    }
}
