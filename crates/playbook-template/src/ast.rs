//! The typed tree of a parsed template: actions, pipelines, commands and operands, each
//! with the byte range it covers in the decoded scalar.
//!
//! Trees may be incomplete: a node that could not be parsed becomes an [`Expr::Error`] that
//! keeps whatever sub-expressions were recovered, so that references inside broken actions
//! are still visible to the checker.

use playbook_diagnostics::TextRange;

/// One `{{ ... }}` action.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Action {
    /// What the action is.
    pub kind: ActionKind,
    /// From `{{` to `}}` included; for an unclosed action, to where it was cut off.
    pub range: TextRange,
    /// Between the delimiters and trim markers.
    pub content: TextRange,
    /// `{{- `: trims the whitespace before the action.
    pub trim_left: bool,
    /// ` -}}`: trims the whitespace after the action.
    pub trim_right: bool,
    /// `false` when the action has no `}}` (it is reported as PB102).
    pub closed: bool,
    /// Whether `.` is rebound when this action's pipeline runs: inside the body of a
    /// `range`, `with`, `define` or `block` (the header's own pipeline runs outside it).
    pub dot_rebound: bool,
}

impl Action {
    /// The range of the whole action, from `{{` to `}}`.
    pub fn range(&self) -> TextRange {
        self.range
    }

    /// The pipeline the action evaluates, if it has one (`{{ x }}`, `{{ if x }}`, ...).
    pub fn pipeline(&self) -> Option<&Pipeline> {
        match &self.kind {
            ActionKind::Output(p)
            | ActionKind::If(p)
            | ActionKind::ElseIf(p)
            | ActionKind::ElseWith(p)
            | ActionKind::Range(p)
            | ActionKind::With(p)
            | ActionKind::Block { pipeline: p, .. } => Some(p),
            ActionKind::Template { pipeline, .. } => pipeline.as_ref(),
            _ => None,
        }
    }
}

/// The kinds of action.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum ActionKind {
    /// `{{ pipeline }}`: prints the value of the pipeline.
    Output(Pipeline),
    /// `{{/* ... */}}`.
    Comment,
    /// `{{ if pipeline }}`.
    If(Pipeline),
    /// `{{ else if pipeline }}`. Go accepts it only in an `if` block; elsewhere it is
    /// reported (PB105) and read as the `{{ else }}{{ if pipeline }}` it stands for.
    ElseIf(Pipeline),
    /// `{{ else with pipeline }}`: Go 1.23's, which the platform's Go 1.19 refuses. Parsed so
    /// that the block reads as meant, and always reported (PB105).
    ElseWith(Pipeline),
    /// `{{ else }}`.
    Else,
    /// `{{ end }}`.
    End,
    /// `{{ range pipeline }}`, also `{{ range $i, $v := pipeline }}`.
    Range(Pipeline),
    /// `{{ with pipeline }}`.
    With(Pipeline),
    /// `{{ break }}`.
    Break,
    /// `{{ continue }}`.
    Continue,
    /// `{{ define "name" }}`.
    Define { name: Literal },
    /// `{{ template "name" pipeline }}`.
    Template {
        name: Literal,
        pipeline: Option<Pipeline>,
    },
    /// `{{ block "name" pipeline }}`.
    Block { name: Literal, pipeline: Pipeline },
    /// An action that could not be parsed at all (empty, nested too deeply, ...).
    Error,
}

/// `$x := cmd | cmd`: optional variable declarations, then commands separated by `|`.
///
/// Each command is an [`Expr`]: a [`Call`], a [`Paren`] or a single operand. A pipeline
/// whose commands are missing (`{{ if }}`) has none; the error is reported.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Pipeline {
    pub range: TextRange,
    pub declaration: Option<Declaration>,
    pub commands: Vec<Expr>,
}

/// The `$i, $v :=` (or `$x =`) prefix of a pipeline.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Declaration {
    pub range: TextRange,
    pub variables: Vec<Variable>,
    /// `=` (assignment to an existing variable) rather than `:=`.
    pub assign: bool,
}

/// A declared variable, `$name` (the name is stored without the `$`).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Variable {
    pub name: String,
    pub range: TextRange,
}

/// An expression: a command of a pipeline, or an argument of a call.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Expr {
    /// `$.params.x`, `.items`, `$`, `.`, `$v`, `$v.name`.
    Path(Path),
    /// `"a"`, `` `a` ``, `'a'`, `3`, `true`, `nil`.
    Literal(Literal),
    /// `f x y`, or a bare identifier `f` (a call without arguments).
    Call(Call),
    /// `(pipeline)`, possibly followed by field access: `(f x).Field`.
    Paren(Paren),
    /// Something that could not be parsed; `parts` keeps what was recovered inside it.
    Error(ErrorExpr),
}

impl Expr {
    pub fn range(&self) -> TextRange {
        match self {
            Expr::Path(p) => p.range,
            Expr::Literal(l) => l.range,
            Expr::Call(c) => c.range,
            Expr::Paren(p) => p.range,
            Expr::Error(e) => e.range,
        }
    }
}

/// A path: a root followed by segments, with no whitespace in between.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Path {
    pub root: Root,
    /// The range of the root: `$`, `.` or `$name`.
    pub root_range: TextRange,
    pub segments: Vec<Segment>,
    pub range: TextRange,
}

/// Where a path starts.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Root {
    /// `$`: the root of the run's data.
    Dollar,
    /// `.`: the current value (the root, unless rebound by `range` or `with`). In `.a.b`
    /// the leading dot is the root and `a` the first segment.
    Dot,
    /// `$name`: a variable (name without the `$`).
    Variable(String),
}

/// One step of a path.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Segment {
    pub kind: SegmentKind,
    /// The segment without its leading `.`: `params`, `'redis-info'`, `[0]`, `*`, `[:]`.
    pub range: TextRange,
}

impl Segment {
    /// The name the segment reads, for `.name` and `.'name'`; `None` for an index, a slice
    /// or a wildcard.
    pub fn name(&self) -> Option<&str> {
        match &self.kind {
            SegmentKind::Field(name) | SegmentKind::Quoted { name, .. } => Some(name),
            _ => None,
        }
    }
}

/// The kinds of path segment.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum SegmentKind {
    /// `.name`.
    Field(String),
    /// `.'name'`, `."name"` or ``.`name` ``: a name that is not an identifier.
    Quoted { name: String, quote: Quote },
    /// `[expr]`.
    Index(Box<Expr>),
    /// `[lo:hi]`, either bound optional (`[:]`, `[1:]`).
    Slice(Option<Box<Expr>>, Option<Box<Expr>>),
    /// `.*`: every element.
    Wildcard,
    /// `.[:]`: every element.
    AllSlice,
}

/// The quote around a quoted segment.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Quote {
    Single,
    Double,
    Back,
}

impl Quote {
    pub fn as_char(self) -> char {
        match self {
            Quote::Single => '\'',
            Quote::Double => '"',
            Quote::Back => '`',
        }
    }
}

/// A literal value.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Literal {
    pub kind: LiteralKind,
    pub range: TextRange,
}

/// The kinds of literal. Strings hold their decoded value.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum LiteralKind {
    /// `"..."`, escapes decoded.
    String(String),
    /// `` `...` ``.
    RawString(String),
    /// `'a'`.
    Char(String),
    /// A number as written: `3`, `-1.5`, `0x1F`.
    Number(String),
    Bool(bool),
    Nil,
}

/// A function call: `name arg...`.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Call {
    pub name: String,
    pub name_range: TextRange,
    pub args: Vec<Expr>,
    pub range: TextRange,
}

/// `(pipeline)` with optional field access after it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Paren {
    pub pipeline: Box<Pipeline>,
    pub segments: Vec<Segment>,
    pub range: TextRange,
}

/// An expression that could not be parsed.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ErrorExpr {
    pub range: TextRange,
    /// Sub-expressions recovered inside it (for `.x y`, the path and its argument).
    pub parts: Vec<Expr>,
}

/// A piece of a template, in source order.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Element {
    /// Literal text.
    Text(TextRange),
    /// The action at this index of [`crate::Template::actions`].
    Action(usize),
}

/// A block: `if`/`range`/`with`/`define`/`block` ... `end`.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Block {
    pub kind: BlockKind,
    /// The index of the opening action.
    pub open: usize,
    /// The indexes of its `else`, `else if` and `else with` actions.
    pub branches: Vec<usize>,
    /// The index of its `end`, if it has one.
    pub end: Option<usize>,
    /// The enclosing block, as an index into [`crate::Template::blocks`].
    pub parent: Option<usize>,
    /// From the opening action to the end of `end` (or of the template when unclosed).
    pub range: TextRange,
}

/// The keyword that opens a block.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum BlockKind {
    If,
    Range,
    With,
    Define,
    Block,
}

impl BlockKind {
    pub fn keyword(self) -> &'static str {
        match self {
            BlockKind::If => "if",
            BlockKind::Range => "range",
            BlockKind::With => "with",
            BlockKind::Define => "define",
            BlockKind::Block => "block",
        }
    }
}
