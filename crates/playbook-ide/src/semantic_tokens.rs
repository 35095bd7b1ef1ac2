//! Semantic tokens for the template parts of a file: functions, parameters, step ids,
//! outputs, keywords, variables, strings, numbers, operators and trim markers.
//!
//! Every scalar of the file whose value holds `{{` is parsed as a template (the parse the
//! database already made); the pieces of its actions are classified from the template's
//! tree (keywords, literals, function names, variables) and, for the names a path reads,
//! from the check's record of the playbook ([`Analysis::references`]): `$.params.X` is a
//! parameter, `$.fetch` a step, `$.fetch.items` an output, as `playbook check` resolved
//! them. Punctuation between the tree's leaves (`|`, `:=`, `(`, `,`...) is an operator.
//!
//! Tokens are found at decoded offsets of the scalar's value, then mapped to the source with
//! the scalar's [`SourceMap`]: a token of a double-quoted scalar covers the escapes it was
//! decoded from, and a token of a folded scalar may span lines (the protocol layer splits
//! it). The result is sorted, never overlapping, on character boundaries of the text.

use playbook_check::analysis::{Analysis, Target};
use playbook_db::File;
use playbook_db::queries::{WorkspaceView, file_syntax, lower, parse};
use playbook_diagnostics::{TextRange, TextSize};
use playbook_hir::ir::Text;
use playbook_syntax::SyntaxKind;
use playbook_syntax::ast::{Node, ScalarContent};
use playbook_syntax::decode::SourceMap;
use playbook_template::{
    ActionKind, Expr, LiteralKind, Path, Pipeline, Root, SegmentKind, Template, pipeline_exprs,
};

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

/// A name the check resolved: its source range, and its token kind and modifiers.
type Resolved = (TextRange, TokenKind, &'static [TokenModifier]);

/// The roots of the run's context, which `$.<root>` reads.
const CONTEXT_ROOTS: [&str; 4] = ["params", "event", "metadata", "execution"];

/// The keywords an action may open with.
const KEYWORDS: [&str; 10] = [
    "if", "else", "end", "range", "with", "define", "template", "block", "break", "continue",
];

/// The tokens of `file`, or of those intersecting `range`.
pub fn semantic_tokens(
    db: &dyn salsa::Database,
    file: File,
    range: Option<TextRange>,
) -> Vec<SemanticToken> {
    let syntax = file_syntax(db, file);
    if !syntax.playbook || syntax.templates.is_empty() {
        return Vec::new();
    }
    let wanted = |r: TextRange| range.is_none_or(|want| overlaps(want, r));
    let references = references(db, file, &wanted);
    let text = file.text(db).as_str();
    let mut out = Vec::new();
    let mut scratch = Scratch::default();
    for node in parse(db, file).tree().root().descendants() {
        let Some(Node::Scalar(scalar)) = Node::cast(node) else {
            continue;
        };
        let Some(content) = scalar.content() else {
            continue;
        };
        if !wanted(content.range()) || !may_hold_template(content) {
            continue;
        }
        let decoded = content.decode();
        if !playbook_template::contains_actions(&decoded.value) {
            continue;
        }
        let scalar_text = Text::new(
            decoded.value.into_boxed_str(),
            content.range(),
            content.style(),
            decoded.map,
        );
        let parsed;
        let template = match syntax.templates.get(&scalar_text) {
            Some(template) => template,
            None => {
                parsed = playbook_template::parse(&scalar_text.value);
                &parsed
            }
        };
        Tokens {
            value: &scalar_text.value,
            map: &scalar_text.map,
            content: scalar_text.range,
            references: &references,
            scratch: &mut scratch,
            out: &mut out,
        }
        .template(template);
    }
    // Scalars come in source order, and each one's tokens in order: sorting is a check.
    if !out.is_sorted_by_key(|t| t.range.start()) {
        out.sort_by_key(|t| (t.range.start(), t.range.end()));
    }
    let mut last_end: TextSize = 0;
    out.retain(|t| {
        let keep = !t.range.is_empty()
            && t.range.start() >= last_end
            && text.is_char_boundary(t.range.start() as usize)
            && text.is_char_boundary(t.range.end() as usize)
            && (t.range.end() as usize) <= text.len()
            && wanted(t.range);
        if keep {
            last_end = t.range.end();
        }
        keep
    });
    out
}

/// Whether two ranges share at least one byte.
fn overlaps(a: TextRange, b: TextRange) -> bool {
    a.start() < b.end() && b.start() < a.end()
}

/// Whether the scalar may hold a template once decoded: its source has `{{`, or it is a
/// double-quoted scalar with escapes (which can spell `{{`).
fn may_hold_template(content: ScalarContent<'_>) -> bool {
    let token = content.token();
    match token.kind() {
        SyntaxKind::BLOCK_HEADER => content
            .scalar()
            .block_text()
            .is_some_and(|body| body.text().contains("{{")),
        SyntaxKind::DOUBLE_QUOTED => token.text().contains("{{") || token.text().contains('\\'),
        _ => token.text().contains("{{"),
    }
}

/// What the check resolved in the playbooks of `file` that `wanted`: each name's source
/// range with its token kind and modifiers, sorted by start.
fn references(
    db: &dyn salsa::Database,
    file: File,
    wanted: &dyn Fn(TextRange) -> bool,
) -> Vec<Resolved> {
    let view = WorkspaceView::for_file(db, file);
    let mut out = Vec::new();
    for playbook in lower(db, file).file.playbooks() {
        if !wanted(playbook.range) {
            continue;
        }
        let analysis = playbook_check::analyze_playbook(playbook, &view);
        collect_references(&analysis, &mut out);
    }
    out.sort_by_key(|(range, _, _)| (range.start(), range.end()));
    out
}

fn collect_references(analysis: &Analysis<'_>, out: &mut Vec<Resolved>) {
    for reference in &analysis.references {
        let (kind, modifiers) = match &reference.target {
            Target::Param(_) => (TokenKind::Parameter, &[][..]),
            Target::UndeclaredParam(_) => (TokenKind::Parameter, &[TokenModifier::Unresolved][..]),
            Target::Step(_) => (TokenKind::Step, &[][..]),
            Target::Output { .. } => (TokenKind::Output, &[][..]),
            Target::LoopVar { .. } => (TokenKind::Variable, &[][..]),
            Target::Context(_) => (TokenKind::Variable, &[TokenModifier::DefaultLibrary][..]),
        };
        out.push((reference.range, kind, modifiers));
    }
}

/// The tokens of one scalar's template.
struct Tokens<'x> {
    value: &'x str,
    map: &'x SourceMap,
    /// The scalar's content in the source.
    content: TextRange,
    /// Sorted by start.
    references: &'x [Resolved],
    scratch: &'x mut Scratch,
    out: &'x mut Vec<SemanticToken>,
}

/// What the tokens of every scalar reuse: buffers, and how far the references have been
/// read (pieces are emitted in source order, so the references before them are done).
#[derive(Default)]
struct Scratch {
    pieces: Vec<(TextRange, Piece)>,
    leaves: Vec<(TextRange, Piece)>,
    next_reference: usize,
}

/// A token found at decoded offsets, before it is mapped to the source.
#[derive(Clone, Copy)]
enum Piece {
    Fixed(TokenKind, &'static [TokenModifier]),
    /// A path segment, classified by the reference at it; `context`: a first segment that
    /// names a root of the context (`$.event`) where the check records none.
    Segment {
        context: bool,
    },
    /// A string literal, in which a reference may name a parameter (`index $.params "x"`).
    String,
}

impl<'x> Tokens<'x> {
    fn template(&mut self, template: &Template) {
        let mut pieces = std::mem::take(&mut self.scratch.pieces);
        let mut leaves = std::mem::take(&mut self.scratch.leaves);
        for action in template.actions() {
            pieces.clear();
            leaves.clear();
            let operator = Piece::Fixed(TokenKind::Operator, &[]);
            // The delimiters, with their trim markers.
            let open = TextRange::new(action.range.start(), action.content.start());
            pieces.push((open, operator));
            if action.closed {
                let close = TextRange::new(action.content.end(), action.range.end());
                pieces.push((close, operator));
            }
            // An unclosed action runs into text never meant as an expression; a comment is
            // not code.
            if action.closed && action.kind != ActionKind::Comment {
                self.keywords(action.content, &action.kind, &mut leaves);
                match &action.kind {
                    ActionKind::Define { name }
                    | ActionKind::Template { name, .. }
                    | ActionKind::Block { name, .. } => leaves.push((name.range, Piece::String)),
                    _ => {}
                }
                if let Some(pipeline) = action.pipeline() {
                    pipeline_leaves(pipeline, action.dot_rebound, &mut leaves);
                }
                leaves.sort_unstable_by_key(|(r, _)| (r.start(), r.end()));
                let mut end = action.content.start();
                leaves.retain(|(r, _)| {
                    let keep = !r.is_empty()
                        && r.start() >= end
                        && action.content.contains_range(*r)
                        && self
                            .value
                            .get(r.start() as usize..r.end() as usize)
                            .is_some();
                    if keep {
                        end = r.end();
                    }
                    keep
                });
                self.operators(action.content, &leaves, &mut pieces);
                pieces.extend(leaves.iter().copied());
            }
            pieces.sort_unstable_by_key(|(range, _)| range.start());
            for &(range, piece) in &pieces {
                self.emit(range, piece);
            }
        }
        self.scratch.pieces = pieces;
        self.scratch.leaves = leaves;
    }

    /// The keywords an action opens with: `if`, `else if`, `end`, `range`...
    fn keywords(
        &self,
        content: TextRange,
        kind: &ActionKind,
        leaves: &mut Vec<(TextRange, Piece)>,
    ) {
        let words = match kind {
            ActionKind::ElseIf(_) | ActionKind::ElseWith(_) => 2,
            ActionKind::Output(_) | ActionKind::Comment => 0,
            _ => 1,
        };
        let mut at = content.start() as usize;
        let end = content.end() as usize;
        for _ in 0..words {
            let bytes = self.value.as_bytes();
            while at < end && bytes.get(at).is_some_and(|b| b.is_ascii_whitespace()) {
                at += 1;
            }
            let start = at;
            while at < end
                && bytes
                    .get(at)
                    .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
            {
                at += 1;
            }
            let word = self.value.get(start..at).unwrap_or_default();
            if !KEYWORDS.contains(&word) {
                return;
            }
            leaves.push((
                TextRange::new(size(start), size(at)),
                Piece::Fixed(TokenKind::Keyword, &[]),
            ));
        }
    }

    /// The punctuation of an action outside its leaves: `|`, `:=`, `=`, `(`, `)`, `[`, `]`,
    /// `,`, `:`, `*`. Path dots and white space are not tokens; a quoted run no leaf covers
    /// (a broken literal) is skipped whole.
    fn operators(
        &self,
        content: TextRange,
        leaves: &[(TextRange, Piece)],
        pieces: &mut Vec<(TextRange, Piece)>,
    ) {
        let operator = Piece::Fixed(TokenKind::Operator, &[]);
        let bytes = self.value.as_bytes();
        let mut at = content.start() as usize;
        let end = (content.end() as usize).min(bytes.len());
        let mut next_leaf = leaves.iter().peekable();
        while at < end {
            while next_leaf
                .next_if(|(r, _)| (r.end() as usize) <= at)
                .is_some()
            {}
            if let Some((leaf, _)) = next_leaf.peek()
                && (leaf.start() as usize) <= at
            {
                at = leaf.end() as usize;
                continue;
            }
            let Some(&b) = bytes.get(at) else { break };
            let len = match b {
                b':' if bytes.get(at + 1) == Some(&b'=') => 2,
                b'|' | b'(' | b')' | b'[' | b']' | b',' | b':' | b'*' | b'=' => 1,
                b'"' | b'\'' | b'`' => {
                    // To the closing quote, or to the end of the action.
                    let close = (at + 1..end)
                        .find(|&i| bytes.get(i) == Some(&b) && bytes.get(i - 1) != Some(&b'\\'));
                    at = close.map_or(end, |i| i + 1);
                    continue;
                }
                _ => {
                    at += 1;
                    continue;
                }
            };
            pieces.push((TextRange::new(size(at), size(at + len)), operator));
            at += len;
        }
    }

    /// Maps a piece to the source and adds its token(s).
    fn emit(&mut self, decoded: TextRange, piece: Piece) {
        if decoded.is_empty()
            || self
                .value
                .get(decoded.start() as usize..decoded.end() as usize)
                .is_none()
        {
            return;
        }
        let source = self.map.range_to_source(decoded);
        if source.is_empty() || !self.content.contains_range(source) {
            return;
        }
        match piece {
            Piece::Fixed(kind, modifiers) => self.push(source, kind, modifiers),
            Piece::Segment { context } => match self.references_in(source).next() {
                Some(&(_, kind, modifiers)) => self.push(source, kind, modifiers),
                None if context => {
                    self.push(
                        source,
                        TokenKind::Variable,
                        &[TokenModifier::DefaultLibrary],
                    );
                }
                None => self.push(source, TokenKind::Property, &[]),
            },
            Piece::String => {
                // The names a string reads (`"redis-ip"` in `index $.params "redis-ip"`, the
                // path of `get "$.params.x"`) split it.
                let mut at = source.start();
                for &(range, kind, modifiers) in self.references_in(source) {
                    if range.start() < at {
                        continue;
                    }
                    self.push(TextRange::new(at, range.start()), TokenKind::String, &[]);
                    self.push(range, kind, modifiers);
                    at = range.end();
                }
                self.push(TextRange::new(at, source.end()), TokenKind::String, &[]);
            }
        }
    }

    /// The references inside `range`, in order; `range` starts at or after the ranges asked
    /// before.
    fn references_in(&mut self, range: TextRange) -> impl Iterator<Item = &'x Resolved> + use<'x> {
        let references = self.references;
        let mut next = self.scratch.next_reference;
        while references
            .get(next)
            .is_some_and(|(r, _, _)| r.start() < range.start())
        {
            next += 1;
        }
        self.scratch.next_reference = next;
        references
            .get(next..)
            .unwrap_or_default()
            .iter()
            .take_while(move |(r, _, _)| r.start() < range.end())
            .filter(move |(r, _, _)| range.contains_range(*r) && !r.is_empty())
    }

    fn push(&mut self, range: TextRange, kind: TokenKind, modifiers: &[TokenModifier]) {
        if !range.is_empty() {
            self.out.push(SemanticToken {
                range,
                kind,
                modifiers: modifiers.to_vec(),
            });
        }
    }
}

/// The leaves of a pipeline: declared variables, path roots and segments, literals,
/// function names.
fn pipeline_leaves(pipeline: &Pipeline, dot_rebound: bool, leaves: &mut Vec<(TextRange, Piece)>) {
    declaration_leaves(pipeline, leaves);
    for expr in pipeline_exprs(pipeline) {
        match expr {
            Expr::Path(path) => path_leaves(path, dot_rebound, leaves),
            Expr::Literal(literal) => {
                let piece = match literal.kind {
                    LiteralKind::String(_) | LiteralKind::RawString(_) | LiteralKind::Char(_) => {
                        Piece::String
                    }
                    LiteralKind::Number(_) => Piece::Fixed(TokenKind::Number, &[]),
                    LiteralKind::Bool(_) | LiteralKind::Nil => {
                        Piece::Fixed(TokenKind::Keyword, &[])
                    }
                };
                leaves.push((literal.range, piece));
            }
            Expr::Call(call) => {
                let modifiers: &'static [TokenModifier] = if is_function(&call.name) {
                    &[TokenModifier::DefaultLibrary]
                } else {
                    &[TokenModifier::Unresolved]
                };
                leaves.push((
                    call.name_range,
                    Piece::Fixed(TokenKind::Function, modifiers),
                ));
            }
            Expr::Paren(paren) => {
                declaration_leaves(&paren.pipeline, leaves);
                for segment in &paren.segments {
                    segment_leaf(segment, false, leaves);
                }
            }
            Expr::Error(_) => {}
        }
    }
}

fn declaration_leaves(pipeline: &Pipeline, leaves: &mut Vec<(TextRange, Piece)>) {
    let Some(declaration) = &pipeline.declaration else {
        return;
    };
    let modifiers: &'static [TokenModifier] = if declaration.assign {
        &[]
    } else {
        &[TokenModifier::Declaration]
    };
    for variable in &declaration.variables {
        leaves.push((variable.range, Piece::Fixed(TokenKind::Variable, modifiers)));
    }
}

fn path_leaves(path: &Path, dot_rebound: bool, leaves: &mut Vec<(TextRange, Piece)>) {
    let variable = Piece::Fixed(TokenKind::Variable, &[]);
    let context_root = Piece::Fixed(TokenKind::Variable, &[TokenModifier::DefaultLibrary]);
    // The root: `$` and a lone `.` are the run's data; the dot of `.a` is punctuation.
    let reads_context = match &path.root {
        Root::Dollar => {
            leaves.push((path.root_range, context_root));
            true
        }
        Root::Dot => {
            if path.segments.is_empty() {
                leaves.push((path.root_range, context_root));
            }
            !dot_rebound
        }
        Root::Variable(_) => {
            leaves.push((path.root_range, variable));
            false
        }
    };
    for (n, segment) in path.segments.iter().enumerate() {
        segment_leaf(segment, n == 0 && reads_context, leaves);
    }
}

/// A path segment's leaf; `first`: the first segment of a path that reads the context.
fn segment_leaf(
    segment: &playbook_template::Segment,
    first: bool,
    leaves: &mut Vec<(TextRange, Piece)>,
) {
    match &segment.kind {
        SegmentKind::Field(name) | SegmentKind::Quoted { name, .. } => {
            let context = first && CONTEXT_ROOTS.contains(&name.as_str());
            leaves.push((segment.range, Piece::Segment { context }));
        }
        SegmentKind::Wildcard => {
            leaves.push((segment.range, Piece::Fixed(TokenKind::Operator, &[])));
        }
        // The expressions inside are leaves of their own; the brackets are punctuation.
        SegmentKind::Index(_) | SegmentKind::Slice(..) | SegmentKind::AllSlice => {}
    }
}

/// Whether `name` is a function of the template language (a set built once: the table is
/// searched by name for every call of every template).
fn is_function(name: &str) -> bool {
    static NAMES: std::sync::OnceLock<std::collections::HashSet<&'static str>> =
        std::sync::OnceLock::new();
    NAMES
        .get_or_init(|| playbook_template::functions::names().collect())
        .contains(name)
}

fn size(n: usize) -> TextSize {
    TextSize::try_from(n).unwrap_or(TextSize::MAX)
}
