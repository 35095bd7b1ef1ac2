//! The tree the evaluator walks, built from the flat actions and blocks of a
//! [`Template`], and the checks Go's parser makes that ours leaves to later stages:
//! functions that do not exist, variables used out of their scope, too many declarations,
//! literals in the middle of a pipeline, malformed numbers and templates defined twice. A
//! template with syntax errors is refused with the first of them, in Go's words for the
//! `else` forms Go 1.19 does not have (`else if` after `with` or `range`, `else with`,
//! `else range`).
//!
//! Nodes live in one arena and refer to their children by index, so that neither building
//! nor dropping a deeply nested tree recurses.

use std::collections::HashMap;

use playbook_diagnostics::TextRange;
use playbook_template::{
    ActionKind, BlockKind, Element, Expr, Literal, LiteralKind, Path, Pipeline, Root, SegmentKind,
    Template,
};

use crate::EvalError;
use crate::convert::{Number, parse_number};

pub(crate) type NodeId = usize;

/// One node of the tree.
pub(crate) enum Node {
    /// Literal text, trim markers applied.
    Text(TextRange),
    /// `{{ pipeline }}` or `{{ $x := pipeline }}`: the action's index.
    Action(usize),
    /// `if`/`else if`/`else` (or `with`/`else`): each conditional branch's action and
    /// body, then the final `else`'s body.
    Conditional {
        with: bool,
        branches: Vec<(usize, Vec<NodeId>)>,
        otherwise: Option<Vec<NodeId>>,
    },
    Range {
        action: usize,
        body: Vec<NodeId>,
        otherwise: Option<Vec<NodeId>>,
    },
    /// `{{ template "name" pipeline }}`, and the call a `block` makes.
    Template {
        action: usize,
    },
    Break,
    Continue,
}

/// A template's tree: its main body and the bodies of its `define`s and `block`s.
pub(crate) struct Tree {
    pub nodes: Vec<Node>,
    pub main: Vec<NodeId>,
    pub defines: HashMap<String, Vec<NodeId>>,
}

enum FrameKind {
    If,
    With,
    Range,
    /// A `define` (no call) or a `block` (a call where it stands).
    Define {
        name: String,
        call: bool,
    },
}

struct Frame {
    kind: FrameKind,
    open: usize,
    /// Each branch: its action (`None` for a plain `else`) and its body.
    branches: Vec<(Option<usize>, Vec<NodeId>)>,
    /// The variables in scope when the block opened: the scope is cut back to them at `end`.
    scope_mark: usize,
    /// For `define` and `block`: the scope outside, restored at `end`.
    saved_scope: Option<Vec<String>>,
}

fn error(range: TextRange, message: impl Into<String>) -> EvalError {
    EvalError {
        message: message.into(),
        range,
    }
}

fn literal_name(literal: &Literal) -> String {
    match &literal.kind {
        LiteralKind::String(s) | LiteralKind::RawString(s) => s.clone(),
        _ => String::new(),
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// Builds the tree of `template`, refusing it as Go's parser would.
pub(crate) fn build(template: &Template) -> Result<Tree, EvalError> {
    if let Some(first) = template.errors().first() {
        let message = refused_else(template, first.range).map_or_else(
            || format!("the template has syntax errors: {}", first.message),
            str::to_owned,
        );
        return Err(error(first.range, message));
    }
    let text = template.text().as_bytes();
    let elements = template.elements();
    let mut tree = Tree {
        nodes: Vec::new(),
        main: Vec::new(),
        defines: HashMap::new(),
    };
    let mut stack: Vec<Frame> = Vec::new();
    let mut scope: Vec<String> = vec![String::new()];
    let mut defined_nonempty: HashMap<String, bool> = HashMap::new();

    fn current<'a>(stack: &'a mut [Frame], main: &'a mut Vec<NodeId>) -> &'a mut Vec<NodeId> {
        match stack.last_mut().and_then(|frame| frame.branches.last_mut()) {
            Some((_, body)) => body,
            None => main,
        }
    }

    for (position, element) in elements.iter().enumerate() {
        let index = match *element {
            Element::Text(range) => {
                let (mut start, mut end) = (range.start() as usize, range.end() as usize);
                let trims = |at: Option<&Element>, left: bool| match at {
                    Some(Element::Action(i)) => template
                        .action(*i)
                        .is_some_and(|a| if left { a.trim_right } else { a.trim_left }),
                    _ => false,
                };
                if position > 0 && trims(elements.get(position - 1), true) {
                    while start < end && text.get(start).copied().is_some_and(is_space) {
                        start += 1;
                    }
                }
                if trims(elements.get(position + 1), false) {
                    while end > start && text.get(end - 1).copied().is_some_and(is_space) {
                        end -= 1;
                    }
                }
                let id = tree.nodes.len();
                tree.nodes
                    .push(Node::Text(TextRange::new(start as u32, end as u32)));
                current(&mut stack, &mut tree.main).push(id);
                continue;
            }
            Element::Action(index) => index,
        };
        let Some(action) = template.action(index) else {
            continue;
        };
        let open = |kind: FrameKind, stack: &mut Vec<Frame>, scope: &mut Vec<String>| {
            let saved_scope = match kind {
                FrameKind::Define { .. } => Some(std::mem::replace(scope, vec![String::new()])),
                _ => None,
            };
            stack.push(Frame {
                kind,
                open: index,
                branches: vec![(Some(index), Vec::new())],
                scope_mark: scope.len(),
                saved_scope,
            });
        };
        match &action.kind {
            ActionKind::Comment => {
                let source = template
                    .text()
                    .get(action.range.as_usize())
                    .unwrap_or_default();
                check_comment(source).map_err(|message| error(action.range, message))?;
            }
            ActionKind::Output(pipeline) => {
                check_pipeline(pipeline, &mut scope, "command")?;
                let id = tree.nodes.len();
                tree.nodes.push(Node::Action(index));
                current(&mut stack, &mut tree.main).push(id);
            }
            ActionKind::If(pipeline) => {
                open(FrameKind::If, &mut stack, &mut scope);
                check_pipeline(pipeline, &mut scope, "if")?;
            }
            ActionKind::With(pipeline) => {
                open(FrameKind::With, &mut stack, &mut scope);
                check_pipeline(pipeline, &mut scope, "with")?;
            }
            ActionKind::Range(pipeline) => {
                open(FrameKind::Range, &mut stack, &mut scope);
                check_pipeline(pipeline, &mut scope, "range")?;
            }
            ActionKind::Define { name } => {
                if !stack.is_empty() {
                    return Err(error(action.range, "unexpected <define> in command"));
                }
                open(
                    FrameKind::Define {
                        name: literal_name(name),
                        call: false,
                    },
                    &mut stack,
                    &mut scope,
                );
            }
            ActionKind::Block { name, pipeline } => {
                check_pipeline(pipeline, &mut scope, "block")?;
                open(
                    FrameKind::Define {
                        name: literal_name(name),
                        call: true,
                    },
                    &mut stack,
                    &mut scope,
                );
            }
            ActionKind::Template { pipeline, .. } => {
                if let Some(pipeline) = pipeline {
                    check_pipeline(pipeline, &mut scope, "template clause")?;
                }
                let id = tree.nodes.len();
                tree.nodes.push(Node::Template { action: index });
                current(&mut stack, &mut tree.main).push(id);
            }
            ActionKind::ElseWith(_) => {
                // Reported by the parser (PB105), so never reached: kept so that no tree
                // ever holds an `else with`.
                return Err(error(action.range, "unexpected <with> in else"));
            }
            ActionKind::ElseIf(pipeline) => {
                check_pipeline(pipeline, &mut scope, "if")?;
                if let Some(frame) = stack.last_mut() {
                    frame.branches.push((Some(index), Vec::new()));
                }
            }
            ActionKind::Else => {
                if let Some(frame) = stack.last_mut() {
                    frame.branches.push((None, Vec::new()));
                }
            }
            ActionKind::End => {
                let Some(mut frame) = stack.pop() else {
                    return Err(error(action.range, "unexpected {{end}}"));
                };
                scope.truncate(frame.scope_mark);
                if let Some(saved) = frame.saved_scope.take() {
                    scope = saved;
                }
                close(frame, &mut tree, &mut stack, &mut defined_nonempty)?;
            }
            ActionKind::Break | ActionKind::Continue => {
                let id = tree.nodes.len();
                tree.nodes
                    .push(if matches!(action.kind, ActionKind::Break) {
                        Node::Break
                    } else {
                        Node::Continue
                    });
                current(&mut stack, &mut tree.main).push(id);
            }
            ActionKind::Error => {
                return Err(error(action.range, "the template has syntax errors"));
            }
        }
    }
    if let Some(frame) = stack.last() {
        let range = template
            .action(frame.open)
            .map_or_else(TextRange::default, |a| a.range);
        return Err(error(range, "unexpected EOF"));
    }
    Ok(tree)
}

/// Go 1.19's message for an `else` form it refuses, when the syntax error at `range` is
/// one: `else if` after a `with` or `range` (Go reads the `else`, then meets an `if` where
/// an action or text should start), `else with` and `else range`.
fn refused_else(template: &Template, range: TextRange) -> Option<&'static str> {
    let (index, action) = template
        .actions()
        .enumerate()
        .find(|(_, a)| a.range.contains_range(range))?;
    // The first `else` of a `with` or `range` (after an earlier `else`, Go says something
    // else: "expected end; found {{else}}").
    let first_else_of_with_or_range = template.blocks().iter().any(|b| {
        matches!(b.kind, BlockKind::With | BlockKind::Range) && b.branches.first() == Some(&index)
    });
    match &action.kind {
        ActionKind::ElseWith(_) => Some("unexpected <with> in else"),
        ActionKind::ElseIf(_) if first_else_of_with_or_range => Some("unexpected <if> in input"),
        ActionKind::Else => {
            let content = template.text().get(action.content.as_usize())?;
            let rest = content.trim_start().strip_prefix("else")?;
            let keyword = rest
                .trim_start()
                .split(|c: char| !c.is_ascii_alphabetic())
                .next();
            (rest.starts_with(char::is_whitespace) && keyword == Some("range"))
                .then_some("unexpected <range> in else")
        }
        _ => None,
    }
}

fn close(
    frame: Frame,
    tree: &mut Tree,
    stack: &mut [Frame],
    defined_nonempty: &mut HashMap<String, bool>,
) -> Result<(), EvalError> {
    let mut branches = frame.branches;
    let otherwise = match branches.last() {
        Some((None, _)) => branches.pop().map(|(_, body)| body),
        _ => None,
    };
    let node = match frame.kind {
        FrameKind::If | FrameKind::With => Node::Conditional {
            with: matches!(frame.kind, FrameKind::With),
            branches: branches
                .into_iter()
                .filter_map(|(action, body)| action.map(|a| (a, body)))
                .collect(),
            otherwise,
        },
        FrameKind::Range => Node::Range {
            action: frame.open,
            body: branches
                .into_iter()
                .next()
                .map(|(_, b)| b)
                .unwrap_or_default(),
            otherwise,
        },
        FrameKind::Define { name, call } => {
            let body: Vec<NodeId> = branches
                .into_iter()
                .next()
                .map(|(_, b)| b)
                .unwrap_or_default();
            let nonempty = body.iter().any(|&id| match tree.nodes.get(id) {
                Some(Node::Text(range)) => !range.is_empty(),
                Some(_) => true,
                None => false,
            });
            let before = defined_nonempty.get(&name).copied();
            match before {
                Some(true) if nonempty => {
                    return Err(EvalError {
                        message: format!("template: multiple definition of template {name:?}"),
                        range: TextRange::default(),
                    });
                }
                Some(true) => {}
                _ => {
                    defined_nonempty.insert(name.clone(), nonempty);
                    tree.defines.insert(name, body);
                }
            }
            if !call {
                return Ok(());
            }
            Node::Template { action: frame.open }
        }
    };
    let id = tree.nodes.len();
    tree.nodes.push(node);
    match stack.last_mut().and_then(|frame| frame.branches.last_mut()) {
        Some((_, body)) => body.push(id),
        None => tree.main.push(id),
    }
    Ok(())
}

/// Go's lexer takes `/*` as a comment only right after `{{` (or `{{- `), and wants `*/`
/// right before `}}` (or ` -}}`).
fn check_comment(source: &str) -> Result<(), &'static str> {
    let inner = source.strip_prefix("{{").unwrap_or(source);
    let inner = match inner.strip_prefix('-') {
        Some(rest) if rest.starts_with([' ', '\t', '\r', '\n']) => &rest[1..],
        _ => inner,
    };
    let Some(body) = inner.strip_prefix("/*") else {
        return Err("unexpected \"/\" in command");
    };
    let Some(close) = body.find("*/") else {
        return Err("unclosed comment");
    };
    let after = &body[close + 2..];
    let trimmed_close = after
        .strip_prefix([' ', '\t', '\r', '\n'])
        .is_some_and(|rest| rest == "-}}");
    if after == "}}" || trimmed_close {
        Ok(())
    } else {
        Err("comment ends before closing delimiter")
    }
}

/// Go's parse-time checks of one pipeline; declares its variables in `scope`.
fn check_pipeline(
    pipeline: &Pipeline,
    scope: &mut Vec<String>,
    context: &str,
) -> Result<(), EvalError> {
    if let Some(declaration) = &pipeline.declaration {
        let limit = if context == "range" { 2 } else { 1 };
        if declaration.variables.len() > limit {
            return Err(error(
                declaration.range,
                format!("too many declarations in {context}"),
            ));
        }
        scope.extend(declaration.variables.iter().map(|v| v.name.clone()));
    }
    for (stage, command) in pipeline.commands.iter().enumerate() {
        let literal = match command {
            Expr::Literal(_) => true,
            Expr::Path(path) => path.root == Root::Dot && path.segments.is_empty(),
            _ => false,
        };
        if stage > 0 && literal {
            return Err(error(
                command.range(),
                format!("non executable command in pipeline stage {}", stage + 1),
            ));
        }
        check_expr(command, scope)?;
    }
    Ok(())
}

fn check_expr(expr: &Expr, scope: &mut Vec<String>) -> Result<(), EvalError> {
    match expr {
        Expr::Path(path) => check_path(path, scope),
        Expr::Literal(literal) => check_literal(literal),
        Expr::Call(call) => {
            if crate::functions::lookup(&call.name).is_none() {
                return Err(error(
                    call.name_range,
                    format!("function {:?} not defined", call.name),
                ));
            }
            call.args.iter().try_for_each(|arg| check_expr(arg, scope))
        }
        Expr::Paren(paren) => {
            check_pipeline(&paren.pipeline, scope, "parenthesized pipeline")?;
            check_segments(&paren.segments, scope)
        }
        Expr::Error(error_expr) => Err(error(error_expr.range, "the template has syntax errors")),
    }
}

fn check_path(path: &Path, scope: &mut Vec<String>) -> Result<(), EvalError> {
    if let Root::Variable(name) = &path.root
        && !scope.iter().any(|declared| declared == name)
    {
        return Err(error(
            path.root_range,
            format!("undefined variable \"${name}\""),
        ));
    }
    check_segments(&path.segments, scope)
}

fn check_segments(
    segments: &[playbook_template::Segment],
    scope: &mut Vec<String>,
) -> Result<(), EvalError> {
    for segment in segments {
        match &segment.kind {
            SegmentKind::Index(index) => check_expr(index, scope)?,
            SegmentKind::Slice(lo, hi) => {
                for bound in [lo, hi].into_iter().flatten() {
                    check_expr(bound, scope)?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

fn check_literal(literal: &Literal) -> Result<(), EvalError> {
    if let LiteralKind::Number(text) = &literal.kind {
        match parse_number(text) {
            Number::Ok(_) => {}
            Number::Overflow => {
                return Err(error(literal.range, format!("integer overflow: {text:?}")));
            }
            Number::Illegal => {
                return Err(error(
                    literal.range,
                    format!("illegal number syntax: {text:?}"),
                ));
            }
        }
    }
    Ok(())
}
