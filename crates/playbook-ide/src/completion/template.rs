//! Completion inside a template: the names a path may take next (`$.` roots, parameters,
//! step outputs, fields of their json examples), function names and keywords at the start
//! of a command, and variables.
//!
//! What is being typed is read from the text of the action before the cursor by a small
//! lexer ([`scan`]) rather than from the parsed tree, which has no node for a half-typed
//! `$.params.` or a cut-off `{{ eq $.`. What a path may name is what the check resolves:
//! the steps that ran before the template ([`Visible`], from the check's record of the
//! site), their documented outputs
//! ([`StepOutputs`](playbook_check::analysis::StepOutputs)) and the examples of those
//! outputs.

use std::collections::HashSet;

use playbook_check::analysis::{Analysis, Lookup, StepFacts, context_fields};
use playbook_diagnostics::{TextRange, TextSize};
use playbook_hir::ir::{Output, OutputType};
use playbook_syntax::ast::ScalarStyle;
use playbook_syntax::decode::SourceMap;
use playbook_template::functions::{FUNCTIONS, Origin};
use playbook_template::{ActionKind, BlockKind};
use serde_json::Value;

use super::{Completion, CompletionDocs, CompletionKind};

/// A scalar's text read as a template: its decoded value, the map back to the source, and
/// its style (`None` for text taken as written, which needs no escaping).
pub(crate) struct Source {
    pub value: String,
    pub map: SourceMap,
    pub style: Option<ScalarStyle>,
}

/// How a template is evaluated, as far as completion cares.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Mode {
    /// A value or condition of a playbook: every root.
    Playbook,
    /// A parameter's default, which may read only `event` and `metadata`.
    Default,
    /// A loop's `in` written as a bare path (`pods.items`).
    BarePath,
    /// A trigger's condition, over the event.
    Trigger,
}

/// What a template can see: the check's record of its playbook, the steps that have run
/// (`0..at`, without `own`), the blocks and loops around it.
pub(crate) struct Visible<'x, 'a> {
    pub analysis: Option<&'x Analysis<'a>>,
    pub at: usize,
    pub own: Option<usize>,
    pub scopes: Vec<usize>,
    pub mode: Mode,
}

/// The completions at source offset `offset` of a template; `None` when the cursor is not
/// in an action (nor in a bare path), where the completions of the YAML value apply.
pub(crate) fn complete(
    source: &Source,
    visible: &Visible<'_, '_>,
    offset: TextSize,
    docs: &CompletionDocs,
) -> Option<Vec<Completion>> {
    let cursor = source.map.to_decoded(offset)?;
    let value = source.value.as_str();
    let cursor = cursor as usize;
    if !value.is_char_boundary(cursor) {
        return Some(Vec::new());
    }
    let bare = visible.mode == Mode::BarePath && !value.contains("{{");
    let context = if bare {
        scan(value, 0, cursor, true)
    } else {
        let template = playbook_template::parse(value);
        let (index, action) = template.actions().enumerate().find(|(_, a)| {
            let end = if a.closed {
                a.content.end()
            } else {
                a.range.end()
            };
            a.content.start() as usize <= cursor && cursor <= end as usize
        })?;
        if matches!(action.kind, ActionKind::Comment) {
            return Some(Vec::new());
        }
        let in_block = template
            .blocks()
            .iter()
            .any(|b| b.open < index && b.end.is_none_or(|end| index <= end));
        let Some(mut context) = scan(value, action.content.start() as usize, cursor, false) else {
            return Some(Vec::new());
        };
        if let Context::Segment { root, .. } = &mut context
            && *root == Root::Dot
            && action.dot_rebound
        {
            *root = Root::Other;
        }
        if let Context::Command { keywords, .. } = &mut context
            && *keywords == Keywords::Start
            && in_block
        {
            *keywords = Keywords::StartInBlock;
        }
        // Go accepts `else if` only in an `if` block.
        let innermost = template
            .blocks()
            .iter()
            .filter(|b| b.open < index && b.end.is_none_or(|end| index <= end))
            .max_by_key(|b| b.open);
        if let Context::Command { keywords, .. } = &mut context
            && *keywords == Keywords::AfterElse
            && innermost.is_none_or(|b| b.kind != BlockKind::If)
        {
            *keywords = Keywords::AfterElseOutsideIf;
        }
        Some(context)
    };
    let Some(context) = context else {
        return Some(Vec::new());
    };
    let mut out = Out {
        source,
        docs,
        bare,
        items: Vec::new(),
    };
    match context {
        Context::Segment {
            root,
            segments,
            typed,
            quote,
        } => {
            let end = word_end(value, typed.end() as usize, quote);
            let typed = TextRange::new(typed.start(), end as TextSize);
            out.path(visible, root, &segments, typed, quote);
        }
        Context::Command { typed, keywords } => {
            let end = word_end(value, typed.end() as usize, None);
            let typed = TextRange::new(typed.start(), end as TextSize);
            out.command(typed, keywords);
        }
        Context::Variable { typed } => {
            let end = word_end(value, typed.end() as usize, None);
            let typed = TextRange::new(typed.start(), end as TextSize);
            out.variables(value, typed);
        }
        Context::ParamKey { typed } => {
            let rest = value.get(typed.end() as usize..).unwrap_or_default();
            let len = rest
                .find(|c: char| c == '"' || c == '`' || c == '}' || c.is_whitespace())
                .unwrap_or(rest.len());
            let typed = TextRange::new(typed.start(), typed.end() + len as TextSize);
            if visible.mode == Mode::Playbook
                && let Some(analysis) = visible.analysis
            {
                out.parameter_keys(analysis, typed);
            }
        }
    }
    Some(out.items)
}

/// The end of the word the cursor is in: identifier characters after it, and for a quoted
/// segment the rest of the name and its closing quote.
fn word_end(value: &str, from: usize, quote: Option<u8>) -> usize {
    let bytes = value.as_bytes();
    let mut end = from;
    match quote {
        Some(q) => {
            while let Some(&b) = bytes.get(end) {
                if b == q {
                    return end + 1;
                }
                if b.is_ascii_whitespace() || b == b'}' || b == b'.' {
                    break;
                }
                end += 1;
            }
            from
        }
        None => {
            while bytes.get(end).is_some_and(|b| is_ident(*b)) {
                end += 1;
            }
            end
        }
    }
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Whether a name can follow a `.` unquoted (a Go identifier).
fn is_identifier(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && bytes.all(is_ident)
}

/// Where a path starts.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Root {
    /// `$`.
    Dollar,
    /// `.`, not rebound.
    Dot,
    /// A variable, a parenthesised pipeline, or a rebound `.`: of unknown shape.
    Other,
}

/// A segment of a path before the one being typed.
#[derive(Clone, PartialEq, Eq, Debug)]
enum Segment {
    Name(String),
    /// `[0]`, `*`, `[:]`: an element of a list.
    Element,
}

/// Which keywords may be typed where a command starts.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Keywords {
    None,
    /// The first word of an action: `if`, `range`, `with`.
    Start,
    /// The first word of an action inside a block: `else` and `end` too.
    StartInBlock,
    /// After `else`: `if` (Go 1.19 has no `else with` or `else range`).
    AfterElse,
    /// After an `else` of a `with` or a `range`, where Go 1.19 accepts nothing more.
    AfterElseOutsideIf,
}

/// What is being typed at the cursor.
#[derive(Debug)]
enum Context {
    /// A segment of a path; `typed` covers what is written of it (its opening quote too).
    Segment {
        root: Root,
        segments: Vec<Segment>,
        typed: TextRange,
        quote: Option<u8>,
    },
    /// The name of a command.
    Command {
        typed: TextRange,
        keywords: Keywords,
    },
    /// A variable, `$` included.
    Variable { typed: TextRange },
    /// A parameter's name in the string of `index $.params "Name"`.
    ParamKey { typed: TextRange },
}

/// A path being read by [`scan`].
#[derive(Debug)]
struct Chain {
    root: Root,
    /// The `$` of a root that may be a variable.
    dollar: Option<usize>,
    /// A variable's name follows the `$`.
    variable: bool,
    segments: Vec<Segment>,
    /// The start of the name segment being read.
    segment: Option<usize>,
    /// In a quoted segment: its quote and where it is.
    quote: Option<(u8, usize)>,
    /// In `[...]`: how deep.
    bracket: usize,
    broken: bool,
}

impl Chain {
    fn new(root: Root, dollar: Option<usize>, segment: Option<usize>) -> Chain {
        Chain {
            root,
            dollar,
            variable: false,
            segments: Vec::new(),
            segment,
            quote: None,
            bracket: 0,
            broken: false,
        }
    }
}

/// What the lexer is in.
enum Current {
    Nothing,
    Word(usize),
    Path(Chain),
    /// A string literal opened at this offset with this quote.
    String(usize, u8),
    Other,
}

/// The command being read: how many operands it has, its first word, the keywords allowed.
#[derive(Clone)]
struct Command {
    words: usize,
    first: Option<String>,
    keywords: Keywords,
    /// The last operand read is `$.params` (for `index $.params "Name"`).
    after_params: bool,
}

impl Command {
    fn new(keywords: Keywords) -> Command {
        Command {
            words: 0,
            first: None,
            keywords,
            after_params: false,
        }
    }
}

/// How deeply parentheses are followed.
const MAX_PARENS: usize = 64;

/// Reads `value[from..to]` (an action's content up to the cursor) and says what is being
/// typed at `to`; `bare`: the text is a path without its `$.` (a loop's `in`).
fn scan(value: &str, from: usize, to: usize, bare: bool) -> Option<Context> {
    let bytes = value.as_bytes().get(..to)?;
    let mut current = if bare {
        Current::Path(Chain::new(Root::Dollar, None, Some(from)))
    } else {
        Current::Nothing
    };
    let mut command = Command::new(Keywords::Start);
    let mut outer: Vec<Command> = Vec::new();
    let mut i = from;
    while let Some(&c) = bytes.get(i) {
        match &mut current {
            Current::String(_, quote) => {
                if c == b'\\' && *quote != b'`' {
                    i += 2;
                    continue;
                }
                if c == *quote {
                    // A closed string is an operand, counted now.
                    current = Current::Other;
                    command.words += 1;
                    command.keywords = Keywords::None;
                }
                i += 1;
                continue;
            }
            Current::Path(chain) if chain.quote.is_some() => {
                if let Some((quote, at)) = chain.quote
                    && c == quote
                {
                    let name = value.get(at + 1..i).unwrap_or_default().to_owned();
                    chain.segments.push(Segment::Name(name));
                    chain.quote = None;
                    chain.segment = None;
                }
                i += 1;
                continue;
            }
            Current::Path(chain) if chain.bracket > 0 => {
                match c {
                    b'[' => chain.bracket += 1,
                    b']' => {
                        chain.bracket -= 1;
                        if chain.bracket == 0 {
                            chain.segments.push(Segment::Element);
                        }
                    }
                    _ => {}
                }
                i += 1;
                continue;
            }
            _ => {}
        }
        match c {
            b' ' | b'\t' | b'\n' | b'\r' => finish(value, &mut current, &mut command, i),
            b'|' => {
                finish(value, &mut current, &mut command, i);
                command = Command::new(Keywords::None);
            }
            b'(' => {
                finish(value, &mut current, &mut command, i);
                if outer.len() >= MAX_PARENS {
                    return None;
                }
                outer.push(command);
                command = Command::new(Keywords::None);
            }
            b')' => {
                finish(value, &mut current, &mut command, i);
                command = outer.pop().unwrap_or_else(|| Command::new(Keywords::None));
                command.keywords = Keywords::None;
                // `(f x).Field`: fields of a value of unknown shape.
                current = Current::Path(Chain::new(Root::Other, None, None));
            }
            b'$' => {
                if matches!(current, Current::Nothing) {
                    current = Current::Path(Chain::new(Root::Dollar, Some(i), None));
                } else {
                    current = Current::Other;
                }
            }
            b'.' => match &mut current {
                Current::Path(chain) => {
                    if let Some(start) = chain.segment {
                        match value.get(start..i) {
                            Some(name) if !name.is_empty() => {
                                chain.segments.push(Segment::Name(name.to_owned()))
                            }
                            _ => chain.broken = true,
                        }
                    } else if chain.variable {
                        chain.root = Root::Other;
                        chain.variable = false;
                    }
                    chain.segment = Some(i + 1);
                }
                Current::Nothing => {
                    current = Current::Path(Chain::new(Root::Dot, None, Some(i + 1)));
                }
                Current::Word(_) | Current::String(..) | Current::Other => {}
            },
            b'"' | b'\'' | b'`' => match &mut current {
                Current::Path(chain) if chain.segment == Some(i) => chain.quote = Some((c, i)),
                Current::Nothing => current = Current::String(i, c),
                _ => current = Current::Other,
            },
            b'[' => match &mut current {
                Current::Path(chain) => {
                    if let Some(start) = chain.segment.take()
                        && let Some(name) = value.get(start..i)
                        && !name.is_empty()
                    {
                        chain.segments.push(Segment::Name(name.to_owned()));
                    }
                    chain.variable = false;
                    chain.bracket = 1;
                }
                _ => current = Current::Other,
            },
            b'*' => match &mut current {
                Current::Path(chain) if chain.segment == Some(i) => {
                    chain.segments.push(Segment::Element);
                    chain.segment = None;
                }
                _ => current = Current::Other,
            },
            b':' | b'=' => {
                finish(value, &mut current, &mut command, i);
                if c == b':' && bytes.get(i + 1) == Some(&b'=') {
                    i += 1;
                }
                // After a declaration, a pipeline starts.
                command = Command::new(Keywords::None);
            }
            b',' => finish(value, &mut current, &mut command, i),
            // A bare path's names may hold dashes (`redis-info.items`).
            c if is_ident(c) || (bare && c == b'-') => match &mut current {
                Current::Nothing => current = Current::Word(i),
                Current::Path(chain) => {
                    if chain.segment.is_none() {
                        if chain.dollar.is_some()
                            && chain.segments.is_empty()
                            && chain.root == Root::Dollar
                        {
                            chain.variable = true;
                        } else {
                            chain.broken = true;
                        }
                    }
                }
                Current::Word(_) | Current::String(..) | Current::Other => {}
            },
            _ => {
                finish(value, &mut current, &mut command, i);
                current = Current::Other;
            }
        }
        i += 1;
    }
    let to_range = |start: usize| TextRange::new(start as TextSize, to as TextSize);
    match current {
        Current::String(start, quote) => {
            let first = command.first.as_deref();
            if quote == b'\'' {
                None
            } else if first == Some("get") && command.words == 1 {
                // `get "$.params.`: the path inside the string.
                match scan(value, start + 1, to, false)? {
                    context @ Context::Segment { .. } => Some(context),
                    _ => None,
                }
            } else if first == Some("index") && command.words == 2 && command.after_params {
                Some(Context::ParamKey {
                    typed: to_range(start + 1),
                })
            } else {
                None
            }
        }
        Current::Path(chain) => {
            if chain.bracket > 0 || chain.broken {
                return None;
            }
            if let Some((quote, at)) = chain.quote {
                return Some(Context::Segment {
                    root: chain.root,
                    segments: chain.segments,
                    typed: to_range(at),
                    quote: Some(quote),
                });
            }
            if let Some(start) = chain.segment {
                let root = if chain.variable {
                    Root::Other
                } else {
                    chain.root
                };
                return Some(Context::Segment {
                    root,
                    segments: chain.segments,
                    typed: to_range(start),
                    quote: None,
                });
            }
            match chain.dollar {
                Some(dollar) if chain.segments.is_empty() && chain.root == Root::Dollar => {
                    Some(Context::Variable {
                        typed: to_range(dollar),
                    })
                }
                _ => None,
            }
        }
        Current::Word(start) => {
            let starts_with_digit = bytes.get(start).is_some_and(u8::is_ascii_digit);
            (command.words == 0 && !starts_with_digit).then(|| Context::Command {
                typed: to_range(start),
                keywords: command.keywords,
            })
        }
        Current::Nothing => (command.words == 0).then(|| Context::Command {
            typed: to_range(to),
            keywords: command.keywords,
        }),
        Current::Other => None,
    }
}

/// Ends the word or operand being read at `i`, counting it in `command`.
fn finish(value: &str, current: &mut Current, command: &mut Command, i: usize) {
    match std::mem::replace(current, Current::Nothing) {
        Current::Nothing => {}
        Current::Word(start) => {
            let word = value.get(start..i).unwrap_or_default();
            match (command.keywords, command.words, word) {
                (Keywords::Start | Keywords::StartInBlock, 0, "if" | "range" | "with")
                | (Keywords::AfterElse, 0, "if" | "with") => {
                    *command = Command::new(Keywords::None);
                }
                (Keywords::Start | Keywords::StartInBlock, 0, "else") => {
                    *command = Command::new(Keywords::AfterElse);
                }
                _ => {
                    if command.words == 0 {
                        command.first = Some(word.to_owned());
                    }
                    command.words += 1;
                    command.keywords = Keywords::None;
                    command.after_params = false;
                }
            }
        }
        // A string closed before was counted when it closed.
        Current::Other => {}
        Current::String(..) => {
            command.words += 1;
            command.keywords = Keywords::None;
        }
        Current::Path(chain) => {
            let last = chain
                .segment
                .and_then(|start| value.get(start..i))
                .filter(|name| !name.is_empty());
            command.after_params = matches!(chain.root, Root::Dollar | Root::Dot)
                && !chain.variable
                && match (chain.segments.as_slice(), last) {
                    ([], Some(name)) => name == "params",
                    ([Segment::Name(name)], None) => name == "params",
                    _ => false,
                };
            command.words += 1;
            command.keywords = Keywords::None;
        }
    }
}

/// The items being built, with the scalar they are inserted in.
struct Out<'s> {
    source: &'s Source,
    /// Which items get their documentation.
    docs: &'s CompletionDocs,
    /// A bare path, whose names are written without quotes.
    bare: bool,
    items: Vec<Completion>,
}

impl Out<'_> {
    /// The source range of a decoded range.
    fn source_range(&self, range: TextRange) -> TextRange {
        self.source.map.range_to_source(range)
    }

    /// `text` written as the scalar needs it.
    fn encode(&self, text: &str) -> String {
        encode(text, self.source.style)
    }

    fn push(&mut self, item: Completion) {
        self.items.push(item);
    }

    /// A name after a `.`: quoted when it is not an identifier, or when the user opened a
    /// quote.
    fn name_item(
        &mut self,
        name: &str,
        kind: CompletionKind,
        typed: TextRange,
        quote: Option<u8>,
    ) -> Completion {
        let insert = match quote {
            Some(q) => {
                let q = q as char;
                format!("{q}{name}{q}")
            }
            None if self.bare || is_identifier(name) => name.to_owned(),
            None => format!("'{name}'"),
        };
        let insert = self.encode(&insert);
        Completion::new(name, kind, self.source_range(typed)).with_insert(insert)
    }

    fn path(
        &mut self,
        visible: &Visible<'_, '_>,
        root: Root,
        segments: &[Segment],
        typed: TextRange,
        quote: Option<u8>,
    ) {
        if root == Root::Other {
            return;
        }
        let Some(first) = segments.first() else {
            self.roots(visible, root, typed, quote);
            return;
        };
        let Segment::Name(first) = first else {
            return;
        };
        let rest = &segments[1..];
        match visible.mode {
            Mode::Trigger => return,
            Mode::Default => {
                if first == "metadata" && rest.is_empty() {
                    self.context_fields(first, typed, quote);
                }
                return;
            }
            Mode::Playbook | Mode::BarePath => {}
        }
        let Some(analysis) = visible.analysis else {
            if rest.is_empty() && matches!(first.as_str(), "metadata" | "execution") {
                self.context_fields(first, typed, quote);
            }
            return;
        };
        match first.as_str() {
            "params" => {
                if rest.is_empty() {
                    self.parameters(analysis, typed, quote);
                }
            }
            "metadata" | "execution" => {
                if rest.is_empty() {
                    self.context_fields(first, typed, quote);
                }
            }
            "event" => {}
            name if loop_var_visible(analysis, visible, name) => {}
            name => {
                if let Some(index) = visible_step(analysis, visible, name) {
                    self.step_path(analysis, index, rest, typed, quote);
                } else if let Some(value) = root_output_value(analysis, visible, name) {
                    self.fields(value, rest, typed, quote);
                }
            }
        }
    }

    /// The names a path may start with.
    fn roots(
        &mut self,
        visible: &Visible<'_, '_>,
        root: Root,
        typed: TextRange,
        quote: Option<u8>,
    ) {
        let context = |out: &mut Self, name: &str, detail: &str, doc: &str, sort: &str| {
            let item = out
                .name_item(name, CompletionKind::Context, typed, quote)
                .with_detail(detail)
                .with_doc(doc)
                .with_sort(sort);
            out.push(item);
        };
        const EVENT_DOC: &str =
            "The payload of the event that triggered the run. Its shape is not known statically.";
        let metadata_detail = context_fields("metadata").unwrap_or_default().join(", ");
        let execution_detail = context_fields("execution").unwrap_or_default().join(", ");
        const METADATA_DOC: &str = "The run's metadata: `executionUrl`, `playbookId`, `userEmail`.";
        const EXECUTION_DOC: &str = "The run itself: `$.execution.id`.";
        match visible.mode {
            Mode::Trigger => {
                if root == Root::Dollar {
                    context(self, "event", "the triggering event", EVENT_DOC, "3event");
                }
                return;
            }
            Mode::Default => {
                context(self, "event", "the triggering event", EVENT_DOC, "3event");
                context(
                    self,
                    "metadata",
                    &metadata_detail,
                    METADATA_DOC,
                    "3metadata",
                );
                return;
            }
            Mode::Playbook | Mode::BarePath => {}
        }
        context(
            self,
            "params",
            "the playbook's parameters",
            "The parameters declared under `parameters:`, read as `$.params.<name>`.",
            "0params",
        );
        context(self, "event", "the triggering event", EVENT_DOC, "3event");
        context(
            self,
            "metadata",
            &metadata_detail,
            METADATA_DOC,
            "3metadata",
        );
        context(
            self,
            "execution",
            &execution_detail,
            EXECUTION_DOC,
            "3execution",
        );
        let Some(analysis) = visible.analysis else {
            return;
        };
        // The names already offered: a set, as a playbook may run hundreds of steps before.
        let mut taken: HashSet<&str> = ["params", "event", "metadata", "execution"].into();
        // Loop variables, innermost loop first.
        for &scope in visible.scopes.iter().rev() {
            let Some(facts) = analysis.scopes.get(scope) else {
                continue;
            };
            for (n, (name, _)) in facts.loop_vars.iter().enumerate() {
                if !taken.insert(name) {
                    continue;
                }
                let detail = if n == 0 { "loop key" } else { "loop value" };
                let item = self
                    .name_item(name, CompletionKind::Variable, typed, quote)
                    .with_detail(detail)
                    .with_doc("A variable of the `foreach` loop around this template.")
                    .with_sort(format!("1{:04}", taken.len()));
                self.push(item);
            }
        }
        // Steps that have run, the most recent first.
        let mut rank = 0;
        for index in (0..visible.at.min(analysis.steps.len())).rev() {
            if visible.own == Some(index) {
                continue;
            }
            let Some(step) = analysis.steps.get(index) else {
                continue;
            };
            let Some(id) = &step.call.id else {
                continue;
            };
            let id = id.value.as_str();
            if !taken.insert(id) {
                continue;
            }
            rank += 1;
            let item = self
                .name_item(id, CompletionKind::Step, typed, quote)
                .with_detail(step.call.image.value.clone())
                .with_doc_from(self.docs, || step_doc(step))
                .with_sort(format!("2{rank:04}"));
            self.push(item);
        }
        // Outputs of earlier steps, at the root: the most recent step first.
        let mut rank = 0;
        for index in (0..visible.at.min(analysis.steps.len())).rev() {
            if visible.own == Some(index) {
                continue;
            }
            let Some(step) = analysis.steps.get(index) else {
                continue;
            };
            for name in step.outputs.names() {
                if !taken.insert(name) {
                    continue;
                }
                rank += 1;
                let producer = step_name(step);
                let item = self.output_item(step, name, typed, quote, false);
                let detail = item.detail.clone().unwrap_or_default();
                let item = item
                    .with_detail(format!("{detail} · output of {producer}"))
                    .with_sort(format!("4{rank:04}"));
                self.push(item);
            }
        }
        // `output`, the raw output of the step just before.
        if visible.at > 0
            && !taken.contains("output")
            && let Some(step) = analysis.steps.get(visible.at - 1)
        {
            let item = self
                .name_item("output", CompletionKind::Output, typed, quote)
                .with_detail(format!("raw output of {}", step_name(step)))
                .with_doc("The raw output of the step just before.")
                .with_sort("5output");
            self.push(item);
        }
    }

    fn parameters(&mut self, analysis: &Analysis<'_>, typed: TextRange, quote: Option<u8>) {
        for (n, param) in analysis.parameters.iter().enumerate() {
            let name = param.name.value.as_str();
            if name.is_empty() {
                continue;
            }
            let ty = param.ty.as_ref().map_or("parameter", |t| t.value.as_str());
            let doc = || {
                let mut doc = param
                    .description
                    .as_ref()
                    .map(|d| d.value.to_string())
                    .unwrap_or_default();
                if let Some(default) = &param.default {
                    if !doc.is_empty() {
                        doc.push_str("\n\n");
                    }
                    doc.push_str(&format!("Default: `{}`", default.value));
                }
                doc
            };
            let item = self
                .name_item(name, CompletionKind::Parameter, typed, quote)
                .with_detail(ty)
                .with_doc_from(self.docs, doc)
                .with_sort(format!("{n:04}"));
            self.push(item);
        }
    }

    /// The parameters, as the string of `index $.params "Name"` names them.
    fn parameter_keys(&mut self, analysis: &Analysis<'_>, typed: TextRange) {
        let range = self.source_range(typed);
        for (n, param) in analysis.parameters.iter().enumerate() {
            let name = param.name.value.as_str();
            if name.is_empty() || name.contains(['"', '\\', '`']) {
                continue;
            }
            let ty = param.ty.as_ref().map_or("parameter", |t| t.value.as_str());
            let item = Completion::new(name, CompletionKind::Parameter, range)
                .with_insert(self.encode(name))
                .with_detail(ty)
                .with_sort(format!("{n:04}"));
            self.push(item);
        }
    }

    fn context_fields(&mut self, root: &str, typed: TextRange, quote: Option<u8>) {
        for field in context_fields(root).unwrap_or_default() {
            let item = self
                .name_item(field, CompletionKind::Field, typed, quote)
                .with_detail(format!("{root} field"));
            self.push(item);
        }
    }

    /// The outputs of a step (`rest` empty), or the fields of the example of one of them.
    fn step_path(
        &mut self,
        analysis: &Analysis<'_>,
        index: usize,
        rest: &[Segment],
        typed: TextRange,
        quote: Option<u8>,
    ) {
        let Some(step) = analysis.steps.get(index) else {
            return;
        };
        let Some(first) = rest.first() else {
            for (n, name) in step.outputs.names().into_iter().enumerate() {
                let item = self
                    .output_item(step, name, typed, quote, true)
                    .with_sort(format!("{n:04}"));
                self.push(item);
            }
            let declared = step.outputs.declared("output");
            let detail = declared
                .and_then(|o| o.ty.as_ref())
                .map_or("raw output".to_owned(), |t| {
                    format!("{} · raw output", t.value.as_str())
                });
            let item = self
                .name_item("output", CompletionKind::Output, typed, quote)
                .with_detail(detail)
                .with_doc_from(self.docs, || {
                    declared.map_or_else(
                        || "The step's raw output.".to_owned(),
                        |o| output_doc(o, "The step's raw output."),
                    )
                })
                .with_sort("9output");
            self.push(item);
            return;
        };
        let Segment::Name(name) = first else {
            return;
        };
        let value = match step.outputs.lookup(name) {
            Lookup::Declared(output) | Lookup::Raw(Some(output)) => output_example(output),
            Lookup::Field(value) => Some(value),
            Lookup::Unknown | Lookup::Raw(None) | Lookup::Missing => None,
        };
        if let Some(value) = value {
            self.fields(value, &rest[1..], typed, quote);
        }
    }

    /// An output of a step, with its type and description; with the shape of its example
    /// too when `shape` (not for the outputs of every earlier step at the root, where
    /// parsing each example would cost more than the answer is worth).
    fn output_item(
        &mut self,
        step: &StepFacts<'_>,
        name: &str,
        typed: TextRange,
        quote: Option<u8>,
        shape: bool,
    ) -> Completion {
        let item = self.name_item(name, CompletionKind::Output, typed, quote);
        match step.outputs.lookup(name) {
            Lookup::Declared(output) if shape => {
                let ty = output.ty.as_ref().map_or("output", |t| t.value.as_str());
                let detail = match output_example(output) {
                    Some(example) => format!("{ty} · {}", json_kind(example)),
                    None => ty.to_owned(),
                };
                item.with_detail(detail)
                    .with_doc_from(self.docs, || output_doc(output, ""))
            }
            Lookup::Declared(output) => {
                let ty = output.ty.as_ref().map_or("output", |t| t.value.as_str());
                let doc = || {
                    output
                        .description
                        .as_ref()
                        .map(|d| d.value.to_string())
                        .unwrap_or_default()
                };
                item.with_detail(ty).with_doc_from(self.docs, doc)
            }
            Lookup::Field(value) => {
                item.with_detail(json_kind(value))
                    .with_doc_from(self.docs, || {
                        format!(
                            "A field of the step's json `output`.\n\nExample:\n```json\n{}\n```",
                            pretty(value)
                        )
                    })
            }
            _ => item,
        }
    }

    /// The fields of `value` after following `path` into it.
    fn fields(&mut self, value: &Value, path: &[Segment], typed: TextRange, quote: Option<u8>) {
        let mut current = value;
        for segment in path {
            current = match (segment, current) {
                (Segment::Name(name), Value::Object(map)) => match map.get(name) {
                    Some(next) => next,
                    None => return,
                },
                (Segment::Element, Value::Array(items)) => match items.first() {
                    Some(first) => first,
                    None => return,
                },
                _ => return,
            };
        }
        let Value::Object(map) = current else {
            return;
        };
        for (key, field) in map {
            let item = self
                .name_item(key, CompletionKind::Field, typed, quote)
                .with_detail(json_kind(field))
                .with_doc_from(self.docs, || {
                    format!("Example:\n```json\n{}\n```", pretty(field))
                });
            self.push(item);
        }
    }

    /// Function names, and the keywords allowed here.
    fn command(&mut self, typed: TextRange, keywords: Keywords) {
        let range = self.source_range(typed);
        let words: &[(&str, &str)] = match keywords {
            Keywords::None => &[],
            Keywords::Start => &[
                ("if", "runs what follows when the pipeline is not empty"),
                ("range", "repeats what follows for each element"),
                (
                    "with",
                    "runs what follows with `.` set to the value, when not empty",
                ),
            ],
            Keywords::StartInBlock => &[
                ("if", "runs what follows when the pipeline is not empty"),
                ("range", "repeats what follows for each element"),
                (
                    "with",
                    "runs what follows with `.` set to the value, when not empty",
                ),
                ("else", "the branch taken otherwise"),
                ("end", "ends the block"),
            ],
            Keywords::AfterElse => &[("if", "the branch taken when the pipeline is not empty")],
            Keywords::AfterElseOutsideIf => &[],
        };
        for (word, doc) in words {
            let item = Completion::new(*word, CompletionKind::Keyword, range)
                .with_detail("keyword")
                .with_doc(*doc)
                .with_sort(format!("0{word}"));
            self.push(item);
        }
        if matches!(keywords, Keywords::AfterElse | Keywords::AfterElseOutsideIf) {
            return;
        }
        for function in FUNCTIONS {
            let rank = match function.origin {
                Origin::Platform => 1,
                Origin::Go => 2,
                Origin::Sprig => 3,
            };
            let item = Completion::new(function.name, CompletionKind::Function, range)
                .with_detail(function.signature)
                .with_doc(function.summary)
                .with_sort(format!("{rank}{}", function.name));
            self.push(item);
        }
    }

    /// The variables declared before the cursor in the template.
    fn variables(&mut self, value: &str, typed: TextRange) {
        let range = self.source_range(typed);
        let template = playbook_template::parse(value);
        let mut seen: Vec<&str> = Vec::new();
        for action in template.actions() {
            let Some(pipeline) = action.pipeline() else {
                continue;
            };
            let Some(declaration) = &pipeline.declaration else {
                continue;
            };
            for variable in &declaration.variables {
                if variable.range.end() > typed.start() || seen.contains(&variable.name.as_str()) {
                    continue;
                }
                seen.push(&variable.name);
                let label = format!("${}", variable.name);
                let insert = self.encode(&label);
                let item = Completion::new(label, CompletionKind::Variable, range)
                    .with_insert(insert)
                    .with_detail("template variable");
                self.push(item);
            }
        }
    }
}

/// The index of the step with id `name` that has run before the site (never a later step,
/// nor the site's own).
fn visible_step(analysis: &Analysis<'_>, visible: &Visible<'_, '_>, name: &str) -> Option<usize> {
    (0..visible.at.min(analysis.steps.len()))
        .rev()
        .filter(|&i| visible.own != Some(i))
        .find(|&i| {
            analysis
                .steps
                .get(i)
                .and_then(|s| s.call.id.as_ref())
                .is_some_and(|id| id.value == name)
        })
}

/// Whether `name` is a variable of a loop around the site.
fn loop_var_visible(analysis: &Analysis<'_>, visible: &Visible<'_, '_>, name: &str) -> bool {
    visible.scopes.iter().any(|&s| {
        analysis
            .scopes
            .get(s)
            .is_some_and(|scope| scope.loop_vars.iter().any(|(v, _)| *v == name))
    })
}

/// The example of the output a root-form read `name` names: the most recent earlier step
/// that documents it (`output`: the step just before).
fn root_output_value<'x>(
    analysis: &'x Analysis<'_>,
    visible: &Visible<'_, '_>,
    name: &str,
) -> Option<&'x Value> {
    let before = visible.at.min(analysis.steps.len());
    if name == "output" {
        let step = analysis.steps.get(before.checked_sub(1)?)?;
        return step.outputs.declared("output").and_then(output_example);
    }
    for index in (0..before).rev() {
        if visible.own == Some(index) {
            continue;
        }
        let step = analysis.steps.get(index)?;
        match step.outputs.lookup(name) {
            Lookup::Declared(output) => {
                return output_example(output);
            }
            Lookup::Field(value) => return Some(value),
            Lookup::Missing | Lookup::Unknown | Lookup::Raw(_) => {}
        }
    }
    None
}

/// The parsed example of a json output.
fn output_example(output: &Output) -> Option<&Value> {
    if output.ty.as_ref().map(|t| t.value) != Some(OutputType::Json) {
        return None;
    }
    output.example_json.as_ref()
}

/// How a step is named in details: its id, else its image.
fn step_name(step: &StepFacts<'_>) -> String {
    match &step.call.id {
        Some(id) => format!("`{}`", id.value),
        None => format!("`{}`", step.call.image.value),
    }
}

/// What a step id's documentation says: the manifest's description and outputs.
fn step_doc(step: &StepFacts<'_>) -> String {
    let mut doc = step
        .manifest
        .and_then(|m| m.description.as_ref())
        .map(|d| d.value.to_string())
        .unwrap_or_default();
    let names = step.outputs.names();
    if !names.is_empty() {
        if !doc.is_empty() {
            doc.push_str("\n\n");
        }
        doc.push_str("Outputs: ");
        let list: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
        doc.push_str(&list.join(", "));
    }
    doc
}

/// An output's description and example.
fn output_doc(output: &Output, fallback: &str) -> String {
    let mut doc = output
        .description
        .as_ref()
        .map_or_else(|| fallback.to_owned(), |d| d.value.to_string());
    if let Some(example) = &output.example {
        if !doc.is_empty() {
            doc.push_str("\n\n");
        }
        let shown = match &output.example_json {
            Some(value) if value.is_object() || value.is_array() => {
                format!("```json\n{}\n```", pretty(value))
            }
            _ => format!("`{}`", truncate(example.value.trim(), 200)),
        };
        doc.push_str("Example:\n");
        doc.push_str(&shown);
    }
    doc
}

/// What kind of JSON value a field holds, with a short example for a scalar.
fn json_kind(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => format!("bool: {b}"),
        Value::Number(n) => format!("number: {n}"),
        Value::String(s) => format!("string: {:?}", truncate(s, 40)),
        Value::Array(items) => format!("list ({} in the example)", items.len()),
        Value::Object(map) if map.len() == 1 => "object (1 field)".to_owned(),
        Value::Object(map) => format!("object ({} fields)", map.len()),
    }
}

/// Pretty JSON, cut to a readable size.
fn pretty(value: &Value) -> String {
    const MAX_LINES: usize = 30;
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    let mut lines = text.lines();
    let mut out: Vec<&str> = lines.by_ref().take(MAX_LINES).collect();
    if lines.next().is_some() {
        out.push("...");
    }
    out.join("\n")
}

/// `text` cut to at most `max` characters, with an ellipsis.
fn truncate(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}...", &text[..at]),
        None => text.to_owned(),
    }
}

/// `text` as it must be written in a scalar of `style`: `"` and `\` escaped in a
/// double-quoted scalar, `'` doubled in a single-quoted one.
pub(crate) fn encode(text: &str, style: Option<ScalarStyle>) -> String {
    match style {
        Some(ScalarStyle::DoubleQuoted) => text.replace('\\', "\\\\").replace('"', "\\\""),
        Some(ScalarStyle::SingleQuoted) => text.replace('\'', "''"),
        _ => text.to_owned(),
    }
}
