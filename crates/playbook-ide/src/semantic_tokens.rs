//! Semantic tokens for the template parts of a file: functions, parameters, step ids,
//! outputs, keywords, variables, strings, numbers, operators and trim markers.

use playbook_db::File;
use playbook_diagnostics::TextRange;

/// The kind of a token (its index in [`TokenKind::ALL`] is its number in the legend).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum TokenKind {
    Function,
    Parameter,
    Step,
    Output,
    Keyword,
    Variable,
    String,
    Number,
    Operator,
    Property,
}

impl TokenKind {
    pub const ALL: [TokenKind; 10] = [
        TokenKind::Function,
        TokenKind::Parameter,
        TokenKind::Step,
        TokenKind::Output,
        TokenKind::Keyword,
        TokenKind::Variable,
        TokenKind::String,
        TokenKind::Number,
        TokenKind::Operator,
        TokenKind::Property,
    ];
}

/// A modifier of a token (its index in [`TokenModifier::ALL`] is its bit in the legend).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum TokenModifier {
    Declaration,
    DefaultLibrary,
    Unresolved,
}

impl TokenModifier {
    pub const ALL: [TokenModifier; 3] = [
        TokenModifier::Declaration,
        TokenModifier::DefaultLibrary,
        TokenModifier::Unresolved,
    ];
}

/// A token: sorted by start, never overlapping. A token may span lines (a template in a
/// block scalar); the protocol layer splits it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct SemanticToken {
    pub range: TextRange,
    pub kind: TokenKind,
    pub modifiers: Vec<TokenModifier>,
}

/// The tokens of `file`, or of those intersecting `range`.
pub fn semantic_tokens(
    db: &dyn salsa::Database,
    file: File,
    range: Option<TextRange>,
) -> Vec<SemanticToken> {
    let _ = (db, file, range);
    Vec::new()
}
