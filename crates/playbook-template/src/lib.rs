//! The Go-template language inside playbook scalars: `{{ ... }}` actions, parsed with
//! error recovery into a typed tree whose spans are byte offsets in the decoded scalar.
//!
//! [`parse`] never fails. It runs in four steps:
//! 1. `scan` splits the text into literal text and actions, reporting an
//!    unclosed `{{` (PB102) and a stray `}}` (PB103);
//! 2. `lex` turns each action's content into tokens, reporting bad characters,
//!    strings and numbers (PB101);
//! 3. `parse` runs a chumsky grammar on each action's tokens, recovering from
//!    errors inside an action (PB101) so one bad token hides nothing else;
//! 4. `blocks` matches `if`/`range`/`with` ... `end` (PB104, PB105), with the `else` forms
//!    Go 1.19 accepts (`else if` only after an `if`).
//!
//! The result is a [`Template`]: its actions in source order (each printable in its parsed
//! form with `Display`), its blocks, its errors, and queries for the checker and the
//! language server: [`Template::paths`], [`Template::paths_with_scope`],
//! [`Template::calls`] and [`Template::node_at`].
//!
//! ```
//! let template = playbook_template::parse(r#"{{ if eq $.params.env "prod" }}{{ toJson .data | b64enc }}{{ end }}"#);
//! let forms: Vec<String> = template.actions().map(|action| action.to_string()).collect();
//! assert_eq!(forms, [
//!     r#"if (call eq (path $ .params .env) (string "prod"))"#,
//!     "(pipeline (call toJson (path . .data)) (call b64enc))",
//!     "end",
//! ]);
//! assert!(template.errors().is_empty());
//!
//! let broken = playbook_template::parse("{{ $.params. }} {{ if .x }}");
//! let codes: Vec<&str> = broken.errors().iter().map(|e| e.code.id).collect();
//! assert_eq!(codes, ["PB101", "PB104"]);
//! ```
//!
//! Nesting of parentheses and brackets is limited to [`MAX_DEPTH`] levels, so no input can
//! exhaust the stack; every step is linear in the length of the text.

mod ast;
mod blocks;
pub mod codes;
mod display;
pub mod functions;
mod lex;
mod parse;
mod scan;

use std::ops::Range;

use chumsky::Parser as _;
use playbook_diagnostics::{Diagnostic, TextRange, TextSize};

pub use ast::*;

/// How deeply parentheses and brackets may nest inside one action.
pub const MAX_DEPTH: usize = 64;

/// Whether `text` contains anything that looks like a template action.
pub fn contains_actions(text: &str) -> bool {
    text.contains("{{")
}

/// A parsed template. Immutable and shared: cloning one (as the parse memo does for every
/// repeated template) is a reference count, not a copy of its expressions.
#[derive(Clone, PartialEq, Eq)]
pub struct Template {
    parsed: std::sync::Arc<parsed::Template>,
}

impl std::fmt::Debug for Template {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.parsed.fmt(f)
    }
}

mod parsed {
    //! The parts of a [`Template`](super::Template), behind its `Arc`.

    use super::{Action, Block, Diagnostic, Element};

    #[derive(PartialEq, Eq, Debug)]
    pub(super) struct Template {
        pub(super) text: Box<str>,
        pub(super) elements: Vec<Element>,
        pub(super) actions: Vec<Action>,
        pub(super) blocks: Vec<Block>,
        pub(super) errors: Vec<Diagnostic>,
    }
}

/// An action scanned and lexed, waiting to be parsed.
struct Lexed {
    raw: scan::RawAction,
    tokens: Range<usize>,
    errors: Vec<Diagnostic>,
    comment: bool,
}

fn size(n: usize) -> TextSize {
    TextSize::try_from(n).unwrap_or(TextSize::MAX)
}

fn syntax_error(range: TextRange, message: &str, label: &str, help: &str) -> Diagnostic {
    let diagnostic = Diagnostic::new(&codes::TEMPLATE_SYNTAX, range, message).with_label(label);
    if help.is_empty() {
        diagnostic
    } else {
        diagnostic.with_help(help)
    }
}

/// Parses a template. Never fails: errors are collected in [`Template::errors`].
pub fn parse(text: &str) -> Template {
    // Playbooks repeat the same small templates (`{{ $.params.runner }}` in every step), and
    // building the grammar costs more than parsing one: a bounded per-thread memo of recent
    // results makes repeats a hash lookup. Parsing is a pure function, so this is invisible.
    const MEMO_LIMIT: usize = 4096;
    const MEMO_MAX_TEXT: usize = 512;
    thread_local! {
        static MEMO: std::cell::RefCell<foldhash::HashMap<Box<str>, Template>> =
            std::cell::RefCell::new(foldhash::HashMap::default());
    }
    if text.len() > MEMO_MAX_TEXT {
        return parse_uncached(text);
    }
    if let Some(hit) = MEMO.with(|memo| memo.borrow().get(text).cloned()) {
        return hit;
    }
    let template = parse_uncached(text);
    MEMO.with(|memo| {
        let mut memo = memo.borrow_mut();
        if memo.len() >= MEMO_LIMIT {
            memo.clear();
        }
        memo.insert(text.into(), template.clone());
    });
    template
}

fn parse_uncached(text: &str) -> Template {
    let mut errors = Vec::new();
    let pieces = scan::scan(text, &mut errors);

    let mut tokens = Vec::new();
    let mut lexed = Vec::new();
    let mut elements = Vec::with_capacity(pieces.len());
    for piece in pieces {
        let raw = match piece {
            scan::Piece::Text(range) => {
                elements.push(Element::Text(range));
                continue;
            }
            scan::Piece::Action(raw) => raw,
        };
        elements.push(Element::Action(lexed.len()));
        let mut action_errors = Vec::new();
        let content = text.get(raw.content.as_usize()).unwrap_or_default();
        let comment = content.trim_start().starts_with("/*");
        let first = tokens.len();
        if comment {
            check_comment(content, raw.content.start(), &mut action_errors);
        } else {
            let span = raw.content.as_usize();
            lex::lex(text, span.start, span.end, &mut tokens, &mut action_errors);
        }
        lexed.push(Lexed {
            raw,
            tokens: first..tokens.len(),
            errors: action_errors,
            comment,
        });
    }

    let grammar = parse::action();
    let mut actions = Vec::with_capacity(lexed.len());
    for item in lexed {
        let Lexed {
            raw,
            tokens: span,
            errors: mut action_errors,
            comment,
        } = item;
        let slice = tokens.get(span).unwrap_or_default();
        let kind = if comment {
            ActionKind::Comment
        } else if slice.iter().all(|(t, _)| *t == lex::Token::Space) {
            action_errors.push(syntax_error(
                raw.range,
                "empty action",
                "nothing between the braces",
                "write an expression inside, or remove the braces",
            ));
            ActionKind::Error
        } else if let Some(too_deep) = too_deep(slice) {
            action_errors.push(syntax_error(
                too_deep,
                "expression nested too deeply",
                "more than 64 levels of parentheses or brackets",
                "split the expression with variables: `{{ $x := ... }}`",
            ));
            ActionKind::Error
        } else {
            let end = raw.content.end() as usize;
            let (output, parse_errors) =
                grammar.parse(parse::input(slice, end)).into_output_errors();
            action_errors.extend(parse_errors.iter().map(parse::to_diagnostic));
            output.unwrap_or(ActionKind::Error)
        };
        // An unclosed action swallowed text that was never meant as an expression: its
        // PB102 is the one error worth showing, but what it parsed is kept.
        if raw.closed {
            errors.extend(action_errors);
        }
        actions.push(Action {
            kind,
            range: raw.range,
            content: raw.content,
            trim_left: raw.trim_left,
            trim_right: raw.trim_right,
            closed: raw.closed,
            dot_rebound: false,
        });
    }

    let blocks = blocks::structure(&mut actions, size(text.len()), &mut errors);
    errors.sort_by_key(|d| (d.range.start(), d.range.end()));
    Template {
        parsed: std::sync::Arc::new(parsed::Template {
            text: text.into(),
            elements,
            actions,
            blocks,
            errors,
        }),
    }
}

/// Checks that a comment action is `/* ... */` and nothing else.
fn check_comment(content: &str, base: TextSize, errors: &mut Vec<Diagnostic>) {
    let lead = content.len() - content.trim_start().len();
    let body = content.trim();
    let at = |from: usize, to: usize| TextRange::new(base + size(from), base + size(to));
    match body.get(2..).and_then(|rest| rest.find("*/")) {
        None => errors.push(syntax_error(
            at(lead, lead + 2),
            "unterminated comment",
            "this comment has no `*/`",
            "close it with `*/` right before `}}`",
        )),
        Some(close) => {
            let after = lead + 2 + close + 2;
            if after < lead + body.len() {
                errors.push(syntax_error(
                    at(after, lead + body.len()),
                    "text after comment",
                    "a comment must end right before `}}`",
                    "move this text into its own action",
                ));
            }
        }
    }
}

/// The range of the first bracket nested deeper than [`MAX_DEPTH`], if any.
fn too_deep(tokens: &[lex::Spanned<'_>]) -> Option<TextRange> {
    let mut depth = 0usize;
    for (token, span) in tokens {
        match token {
            lex::Token::LParen | lex::Token::LBracket => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(TextRange::new(size(span.start), size(span.end)));
                }
            }
            lex::Token::RParen | lex::Token::RBracket => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// A path with where it appears: the index of its action in [`Template::actions`], and
/// whether `.` is rebound there by an enclosing `range`, `with`, `define` or `block`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct ScopedPath<'a> {
    pub path: &'a Path,
    pub action: usize,
    pub dot_rebound: bool,
}

/// The innermost named thing at an offset, as found by [`Template::node_at`].
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Node<'a> {
    /// The root of a path: `$`, `.` or `$name`.
    Root(&'a Path),
    /// A segment of a path, by index into [`Path::segments`].
    Segment(&'a Path, usize),
    /// A path, at a place that is neither its root nor a segment (a trailing `.`).
    Path(&'a Path),
    /// A segment after a parenthesised pipeline: `(f x).Field`.
    ParenSegment(&'a Paren, usize),
    /// The name of a called function.
    Function(&'a Call),
    Literal(&'a Literal),
    /// A variable in a declaration (`$x :=`).
    Variable(&'a Variable),
}

impl Template {
    /// Every action (`{{ ... }}`), control actions and comments included, in source order.
    pub fn actions(&self) -> impl Iterator<Item = &Action> {
        self.parsed.actions.iter()
    }

    /// The action at `index` of [`Template::actions`].
    pub fn action(&self, index: usize) -> Option<&Action> {
        self.parsed.actions.get(index)
    }

    /// The text the template was parsed from: every range of the template is a byte range
    /// of it.
    pub fn text(&self) -> &str {
        &self.parsed.text
    }

    /// Text and actions in source order.
    pub fn elements(&self) -> &[Element] {
        &self.parsed.elements
    }

    /// Every block, in the order of its opening action.
    pub fn blocks(&self) -> &[Block] {
        &self.parsed.blocks
    }

    /// The blocks whose body holds the action at `index`, innermost first (the header
    /// actions `if`, `else`, `end` of a block are not in its body).
    pub fn enclosing_blocks(&self, index: usize) -> Vec<&Block> {
        let mut found: Vec<&Block> = self
            .parsed
            .blocks
            .iter()
            .filter(|block| block.open < index && block.end.is_none_or(|end| index < end))
            .filter(|block| !block.branches.contains(&index))
            .collect();
        found.reverse();
        found
    }

    /// Syntax errors, with ranges in the decoded text, in source order.
    pub fn errors(&self) -> &[Diagnostic] {
        &self.parsed.errors
    }

    /// Every expression of every closed action with its action's index, outer before
    /// inner, in source order.
    ///
    /// Unclosed actions (PB102) are left out of this and of [`Template::paths`] and
    /// [`Template::calls`]: their content runs into text that was never meant as an
    /// expression, so checking it would only add noise. They stay in
    /// [`Template::actions`] and [`Template::node_at`] (for completion while typing).
    pub fn exprs(&self) -> impl Iterator<Item = (usize, &Expr)> {
        self.parsed
            .actions
            .iter()
            .enumerate()
            .flat_map(|(index, action)| {
                action
                    .pipeline()
                    .filter(|_| action.closed)
                    .map(pipeline_exprs)
                    .unwrap_or_default()
                    .into_iter()
                    .map(move |expr| (index, expr))
            })
    }

    /// Every path operand (`$.params.x`, `.items`, `$v.name`, `$`, `.`), in source order.
    pub fn paths(&self) -> impl Iterator<Item = &Path> {
        self.exprs().filter_map(|(_, expr)| match expr {
            Expr::Path(path) => Some(path),
            _ => None,
        })
    }

    /// Every path with its action and whether `.` is rebound there.
    pub fn paths_with_scope(&self) -> impl Iterator<Item = ScopedPath<'_>> {
        self.exprs().filter_map(|(action, expr)| match expr {
            Expr::Path(path) => Some(ScopedPath {
                path,
                action,
                dot_rebound: self
                    .parsed
                    .actions
                    .get(action)
                    .is_some_and(|a| a.dot_rebound),
            }),
            _ => None,
        })
    }

    /// Every function call, in source order (outer calls before the calls in their
    /// arguments).
    pub fn calls(&self) -> impl Iterator<Item = &Call> {
        self.exprs().filter_map(|(_, expr)| match expr {
            Expr::Call(call) => Some(call),
            _ => None,
        })
    }

    /// The innermost path segment, path root, function name, literal or declared
    /// variable at `offset` (its end included, as an editor cursor touches it).
    pub fn node_at<'a>(&'a self, offset: TextSize) -> Option<Node<'a>> {
        let mut best: Option<(TextRange, Node<'a>)> = None;
        let mut consider = |range: TextRange, node: Node<'a>| {
            if !range.contains_inclusive(offset) {
                return;
            }
            let better = best.as_ref().is_none_or(|(old, _)| {
                range.len() < old.len()
                    || (range.len() == old.len() && range.contains(offset) && !old.contains(offset))
            });
            if better {
                best = Some((range, node));
            }
        };
        for action in &self.parsed.actions {
            if !action.range.contains_inclusive(offset) {
                continue;
            }
            if let ActionKind::Define { name }
            | ActionKind::Template { name, .. }
            | ActionKind::Block { name, .. } = &action.kind
            {
                consider(name.range, Node::Literal(name));
            }
            let Some(pipeline) = action.pipeline() else {
                continue;
            };
            for expr in pipeline_exprs(pipeline) {
                match expr {
                    Expr::Path(path) => {
                        consider(path.range, Node::Path(path));
                        consider(path.root_range, Node::Root(path));
                        for (n, segment) in path.segments.iter().enumerate() {
                            consider(segment.range, Node::Segment(path, n));
                        }
                    }
                    Expr::Literal(literal) => consider(literal.range, Node::Literal(literal)),
                    Expr::Call(call) => consider(call.name_range, Node::Function(call)),
                    Expr::Paren(paren) => {
                        for (n, segment) in paren.segments.iter().enumerate() {
                            consider(segment.range, Node::ParenSegment(paren, n));
                        }
                    }
                    Expr::Error(_) => {}
                }
            }
            for declaration in pipeline_declarations(pipeline) {
                for variable in &declaration.variables {
                    consider(variable.range, Node::Variable(variable));
                }
            }
        }
        best.map(|(_, node)| node)
    }
}

/// The expressions of a pipeline, outer before inner, in source order. Iterative: the
/// depth of the tree is bounded by [`MAX_DEPTH`] anyway.
pub fn pipeline_exprs(pipeline: &Pipeline) -> Vec<&Expr> {
    let mut out = Vec::new();
    let mut stack: Vec<&Expr> = pipeline.commands.iter().rev().collect();
    while let Some(expr) = stack.pop() {
        out.push(expr);
        let before = stack.len();
        match expr {
            Expr::Path(path) => push_segment_exprs(&path.segments, &mut stack),
            Expr::Call(call) => stack.extend(call.args.iter()),
            Expr::Paren(paren) => {
                stack.extend(paren.pipeline.commands.iter());
                push_segment_exprs(&paren.segments, &mut stack);
            }
            Expr::Error(error) => stack.extend(error.parts.iter()),
            Expr::Literal(_) => {}
        }
        if let Some(children) = stack.get_mut(before..) {
            children.reverse();
        }
    }
    out
}

fn push_segment_exprs<'a>(segments: &'a [Segment], stack: &mut Vec<&'a Expr>) {
    for segment in segments {
        match &segment.kind {
            SegmentKind::Index(index) => stack.push(index),
            SegmentKind::Slice(lo, hi) => {
                stack.extend(lo.as_deref());
                stack.extend(hi.as_deref());
            }
            _ => {}
        }
    }
}

/// The declarations of a pipeline and of the pipelines nested in its parentheses.
fn pipeline_declarations(pipeline: &Pipeline) -> Vec<&Declaration> {
    let mut out: Vec<&Declaration> = pipeline.declaration.iter().collect();
    for expr in pipeline_exprs(pipeline) {
        if let Expr::Paren(paren) = expr {
            out.extend(paren.pipeline.declaration.iter());
        }
    }
    out
}
