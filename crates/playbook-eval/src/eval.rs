//! The tree walk: runs a template's [`Tree`](crate::tree::Tree) over data as Go's
//! `text/template` executes a template (`exec.go`), with its results and error messages.
//!
//! Values keep the one distinction of Go's reflection that shows in output: a nil that is an
//! element of a list or map ([`Value::Nil`], which `printf "%v"` prints as `<nil>`) and an
//! invalid value ([`Value::Missing`], a missing key or the nil a pipeline leaves, which an
//! action prints as `<no value>`). Every command of a pipeline turns the first into the
//! second, as Go's `evalPipeline` does.
//!
//! Limits Go does not have, so that no template hangs or exhausts the stack or memory:
//! [`MAX_DEPTH`] nested blocks and template calls, [`MAX_OUTPUT`] bytes of output and
//! [`MAX_STEPS`] steps.

use playbook_diagnostics::TextRange;
use playbook_template::{
    Action, ActionKind, Call, Expr, Literal, LiteralKind, Path, Pipeline, Root, Segment,
    SegmentKind, Template,
};

use crate::convert::{literal_arg, validate};
use crate::format;
use crate::functions::{Context, Param, lookup};
use crate::tree::{Node, NodeId, Tree};
use crate::{EvalError, Value};

/// How deeply blocks (`if`, `range`, `with`) and template calls may nest while running. Go
/// allows 100000 template calls; a limit this low keeps the evaluator's stack small.
pub const MAX_DEPTH: usize = 100;
/// The most output a template may produce: 1 MiB.
pub const MAX_OUTPUT: usize = 1 << 20;
/// The most steps (actions, texts, loop iterations, calls) one rendering may take.
pub const MAX_STEPS: u64 = 2_000_000;

type R<T> = Result<T, EvalError>;

/// What a walk asks of the loop around it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Flow {
    Normal,
    Break,
    Continue,
}

/// `.`, with whether its static type is `interface {}` (an element of a list or map), which
/// Go's messages name instead of the dynamic type.
#[derive(Clone)]
struct Dot {
    value: Value,
    iface: bool,
}

struct Variable {
    /// Without the `$`; the root `$` is the empty name.
    name: String,
    value: Value,
    iface: bool,
}

struct Run<'a> {
    template: &'a Template,
    text: &'a str,
    tree: &'a Tree,
    root: &'a Value,
    vars: Vec<Variable>,
    out: String,
    depth: usize,
    steps: u64,
    /// The node being run, for errors.
    at: TextRange,
}

/// Renders `template` with `data`.
pub(crate) fn render(template: &Template, data: &Value) -> Result<String, EvalError> {
    let tree = crate::tree::build(template)?;
    // Go's `reflect.ValueOf(nil)` is an invalid value, not a nil interface.
    let root = match data {
        Value::Nil => Value::Missing,
        other => other.clone(),
    };
    let mut run = Run {
        template,
        text: template.text(),
        tree: &tree,
        root: &root,
        vars: vec![Variable {
            name: String::new(),
            value: root.clone(),
            iface: false,
        }],
        out: String::new(),
        depth: 0,
        steps: 0,
        at: TextRange::default(),
    };
    let dot = Dot {
        value: root.clone(),
        iface: false,
    };
    run.walk_list(&tree.main, &dot)?;
    Ok(run.out)
}

/// A nil left by a command is the invalid value.
fn normalize(value: Value) -> Value {
    match value {
        Value::Nil => Value::Missing,
        other => other,
    }
}

impl<'a> Run<'a> {
    fn error(&self, message: impl Into<String>) -> EvalError {
        EvalError {
            message: message.into(),
            range: self.at,
        }
    }

    fn step(&mut self) -> R<()> {
        self.steps += 1;
        if self.steps > MAX_STEPS {
            return Err(self.error(format!(
                "the template ran more than {MAX_STEPS} steps (a limit of this evaluator)"
            )));
        }
        Ok(())
    }

    fn write(&mut self, text: &str) -> R<()> {
        if self.out.len() + text.len() > MAX_OUTPUT {
            return Err(self.error(format!(
                "the output is larger than {MAX_OUTPUT} bytes (a limit of this evaluator)"
            )));
        }
        self.out.push_str(text);
        Ok(())
    }

    fn source(&self, range: TextRange) -> &'a str {
        let text: &'a str = self.text;
        text.get(range.as_usize()).unwrap_or_default()
    }

    fn action(&self, index: usize) -> R<&'a Action> {
        let template: &'a Template = self.template;
        template
            .action(index)
            .ok_or_else(|| self.error("internal error: no such action"))
    }

    fn enter(&mut self) -> R<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(format!("exceeded maximum template depth ({MAX_DEPTH})")));
        }
        Ok(())
    }

    fn walk_list(&mut self, ids: &[NodeId], dot: &Dot) -> R<Flow> {
        for &id in ids {
            let flow = self.walk(id, dot)?;
            if flow != Flow::Normal {
                return Ok(flow);
            }
        }
        Ok(Flow::Normal)
    }

    fn walk(&mut self, id: NodeId, dot: &Dot) -> R<Flow> {
        self.step()?;
        let tree = self.tree;
        let Some(node) = tree.nodes.get(id) else {
            return Ok(Flow::Normal);
        };
        match node {
            Node::Text(range) => {
                self.at = *range;
                let text = self.text.get(range.as_usize()).unwrap_or_default();
                self.write(text)?;
            }
            Node::Action(index) => {
                let action = self.action(*index)?;
                self.at = action.range;
                if let ActionKind::Output(pipeline) = &action.kind {
                    let value = self.eval_pipeline(pipeline, dot)?;
                    if pipeline.declaration.is_none() {
                        self.at = action.range;
                        match &value {
                            Value::Missing => self.write("<no value>")?,
                            Value::String(text) => self.write(text)?,
                            other => self.write(&format::value_to_string(other))?,
                        }
                    }
                }
            }
            Node::Conditional {
                with,
                branches,
                otherwise,
            } => {
                let mark = self.vars.len();
                let mut result = None;
                for (index, body) in branches {
                    let action = self.action(*index)?;
                    self.at = action.range;
                    let Some(pipeline) = action.pipeline() else {
                        continue;
                    };
                    let value = self.eval_pipeline(pipeline, dot)?;
                    if value.truth() {
                        self.enter()?;
                        let inner = if *with {
                            Dot {
                                value,
                                iface: false,
                            }
                        } else {
                            dot.clone()
                        };
                        result = Some(self.walk_list(body, &inner)?);
                        self.depth -= 1;
                        break;
                    }
                }
                let flow = match (result, otherwise) {
                    (Some(flow), _) => flow,
                    (None, Some(body)) => {
                        self.enter()?;
                        let flow = self.walk_list(body, dot)?;
                        self.depth -= 1;
                        flow
                    }
                    (None, None) => Flow::Normal,
                };
                self.vars.truncate(mark);
                return Ok(flow);
            }
            Node::Range {
                action,
                body,
                otherwise,
            } => return self.walk_range(*action, body, otherwise.as_deref(), dot),
            Node::Template { action } => self.walk_template(*action, dot)?,
            Node::Break => return Ok(Flow::Break),
            Node::Continue => return Ok(Flow::Continue),
        }
        Ok(Flow::Normal)
    }

    fn walk_range(
        &mut self,
        index: usize,
        body: &[NodeId],
        otherwise: Option<&[NodeId]>,
        dot: &Dot,
    ) -> R<Flow> {
        let action = self.action(index)?;
        self.at = action.range;
        let Some(pipeline) = action.pipeline() else {
            return Ok(Flow::Normal);
        };
        let mark = self.vars.len();
        let value = self.eval_commands(pipeline, dot)?;
        let declared = pipeline
            .declaration
            .as_ref()
            .map_or(0, |d| d.variables.len());
        if let Some(declaration) = &pipeline.declaration {
            for variable in &declaration.variables {
                self.vars.push(Variable {
                    name: variable.name.clone(),
                    value: value.clone(),
                    iface: false,
                });
            }
        }
        let inner_mark = self.vars.len();
        let items: Vec<(Value, Value)> = match &value {
            Value::List(items) => items
                .iter()
                .enumerate()
                .map(|(i, item)| (Value::Int(i as i64), item.clone()))
                .collect(),
            Value::Map(map) => map
                .iter()
                .map(|(key, item)| (Value::string(key.as_str()), item.clone()))
                .collect(),
            Value::Missing => Vec::new(),
            other => {
                self.at = pipeline.range;
                return Err(self.error(format!(
                    "range can't iterate over {}",
                    format::value_to_string(other)
                )));
            }
        };
        if items.is_empty() {
            let flow = match otherwise {
                Some(body) => {
                    self.enter()?;
                    let flow = self.walk_list(body, dot)?;
                    self.depth -= 1;
                    flow
                }
                None => Flow::Normal,
            };
            self.vars.truncate(mark);
            return Ok(flow);
        }
        self.enter()?;
        for (key, item) in items {
            self.step()?;
            let len = self.vars.len();
            if declared >= 1
                && let Some(top) = self.vars.get_mut(len - 1)
            {
                top.value = item.clone();
                top.iface = true;
            }
            if declared >= 2
                && let Some(second) = self.vars.get_mut(len - 2)
            {
                second.value = key;
                second.iface = false;
            }
            let flow = self.walk_list(
                body,
                &Dot {
                    value: item,
                    iface: true,
                },
            )?;
            self.vars.truncate(inner_mark);
            if flow == Flow::Break {
                break;
            }
        }
        self.depth -= 1;
        self.vars.truncate(mark);
        Ok(Flow::Normal)
    }

    fn walk_template(&mut self, index: usize, dot: &Dot) -> R<()> {
        let action = self.action(index)?;
        self.at = action.range;
        let (name, pipeline) = match &action.kind {
            ActionKind::Template { name, pipeline } => (name, pipeline.as_ref()),
            ActionKind::Block { name, pipeline } => (name, Some(pipeline)),
            _ => return Ok(()),
        };
        let name = match &name.kind {
            LiteralKind::String(s) | LiteralKind::RawString(s) => s.as_str(),
            _ => "",
        };
        let tree = self.tree;
        let Some(body) = tree.defines.get(name) else {
            return Err(self.error(format!("template {name:?} not defined")));
        };
        let value = match pipeline {
            Some(pipeline) => self.eval_pipeline(pipeline, dot)?,
            None => Value::Missing,
        };
        self.enter()?;
        let saved = std::mem::replace(
            &mut self.vars,
            vec![Variable {
                name: String::new(),
                value: value.clone(),
                iface: false,
            }],
        );
        let result = self.walk_list(
            body,
            &Dot {
                value,
                iface: false,
            },
        );
        self.vars = saved;
        self.depth -= 1;
        result.map(|_| ())
    }

    /// Runs a pipeline and declares or assigns its variables.
    fn eval_pipeline(&mut self, pipeline: &Pipeline, dot: &Dot) -> R<Value> {
        let value = self.eval_commands(pipeline, dot)?;
        if let Some(declaration) = &pipeline.declaration {
            for variable in &declaration.variables {
                if declaration.assign {
                    self.at = variable.range;
                    let found = self.vars.iter_mut().rev().find(|v| v.name == variable.name);
                    match found {
                        Some(slot) => {
                            slot.value = value.clone();
                            slot.iface = false;
                        }
                        None => {
                            return Err(
                                self.error(format!("undefined variable: ${}", variable.name))
                            );
                        }
                    }
                } else {
                    self.vars.push(Variable {
                        name: variable.name.clone(),
                        value: value.clone(),
                        iface: false,
                    });
                }
            }
        }
        Ok(value)
    }

    /// Runs the commands of a pipeline, each one's value the last argument of the next.
    fn eval_commands(&mut self, pipeline: &Pipeline, dot: &Dot) -> R<Value> {
        let mut last: Option<Value> = None;
        for command in &pipeline.commands {
            let value = self.eval_command(command, dot, last.take())?;
            last = Some(normalize(value));
        }
        Ok(last.unwrap_or(Value::Missing))
    }

    fn not_a_function(&self, expr: &Expr, last: &Option<Value>) -> R<()> {
        if last.is_some() {
            return Err(self.error(format!(
                "can't give argument to non-function {}",
                self.source(expr.range())
            )));
        }
        Ok(())
    }

    fn eval_command(&mut self, command: &Expr, dot: &Dot, last: Option<Value>) -> R<Value> {
        self.at = command.range();
        match command {
            Expr::Call(call) => self.eval_call(call, dot, last),
            Expr::Path(path) => self.eval_path(path, dot, last),
            Expr::Paren(paren) => {
                if paren.segments.is_empty() {
                    self.not_a_function(command, &last)?;
                    return self.eval_pipeline(&paren.pipeline, dot);
                }
                let receiver = self.eval_pipeline(&paren.pipeline, dot)?;
                self.eval_segments(receiver, false, &paren.segments, dot, last)
            }
            Expr::Literal(literal) => {
                self.not_a_function(command, &last)?;
                if literal.kind == LiteralKind::Nil {
                    return Err(self.error("nil is not a command"));
                }
                self.literal(literal, Param::Any)
            }
            Expr::Error(_) => Err(self.error("the template has syntax errors")),
        }
    }

    fn literal(&self, literal: &Literal, param: Param) -> R<Value> {
        literal_arg(literal, self.source(literal.range), param).map_err(|m| self.error(m))
    }

    fn variable(&self, name: &str) -> R<(Value, bool)> {
        self.vars
            .iter()
            .rev()
            .find(|v| v.name == name)
            .map(|v| (v.value.clone(), v.iface))
            .ok_or_else(|| self.error(format!("undefined variable: ${name}")))
    }

    fn eval_path(&mut self, path: &Path, dot: &Dot, last: Option<Value>) -> R<Value> {
        self.at = path.range;
        let (receiver, iface) = match &path.root {
            Root::Dot => (dot.value.clone(), dot.iface),
            Root::Dollar => self.variable("")?,
            Root::Variable(name) => self.variable(name)?,
        };
        if path.segments.is_empty() {
            self.not_a_function(&Expr::Path(path.clone()), &last)?;
            return Ok(receiver);
        }
        self.eval_segments(receiver, iface, &path.segments, dot, last)
    }

    /// Follows the segments of a path from `receiver`.
    fn eval_segments(
        &mut self,
        mut receiver: Value,
        mut iface: bool,
        segments: &[Segment],
        dot: &Dot,
        last: Option<Value>,
    ) -> R<Value> {
        let count = segments.len();
        for (i, segment) in segments.iter().enumerate() {
            let has_args = i + 1 == count && last.is_some();
            match &segment.kind {
                SegmentKind::Field(name) | SegmentKind::Quoted { name, .. } => {
                    receiver = self.eval_field(receiver, iface, name, has_args)?;
                    iface = true;
                }
                SegmentKind::Index(index) => {
                    let index = self.eval_arg(index, Param::Value, dot)?;
                    self.at = segment.range;
                    receiver = index_value(&receiver, &index).map_err(|m| self.error(m))?;
                    iface = true;
                }
                SegmentKind::Slice(lo, hi) => {
                    let mut bounds = Vec::new();
                    for bound in [lo, hi] {
                        bounds.push(match bound {
                            Some(expr) => Some(self.eval_arg(expr, Param::Value, dot)?),
                            None => None,
                        });
                    }
                    self.at = segment.range;
                    receiver = slice_value(&receiver, &bounds[0], &bounds[1])
                        .map_err(|m| self.error(m))?;
                    iface = false;
                }
                SegmentKind::Wildcard | SegmentKind::AllSlice => {
                    self.at = segment.range;
                    let rest = segments.get(i + 1..).unwrap_or_default();
                    let items: Vec<Value> = match &receiver {
                        Value::List(items) => items.iter().cloned().collect(),
                        Value::Map(map) => map.values().cloned().collect(),
                        Value::Missing => return Ok(Value::Missing),
                        other => {
                            return Err(self.error(format!(
                                "can't iterate over {} of type {}",
                                self.source(segment.range),
                                other.type_name()
                            )));
                        }
                    };
                    let mut results = Vec::with_capacity(items.len());
                    for item in items {
                        self.step()?;
                        let value = if rest.is_empty() {
                            item
                        } else {
                            self.eval_segments(item, true, rest, dot, None)?
                        };
                        results.push(value);
                    }
                    if last.is_some() {
                        return Err(self.error(format!(
                            "can't give argument to non-function {}",
                            self.source(segment.range)
                        )));
                    }
                    return Ok(Value::list(results));
                }
            }
        }
        if last.is_some() && !matches!(receiver, Value::Missing) {
            let named = segments.last().is_some_and(|s| {
                matches!(s.kind, SegmentKind::Field(_) | SegmentKind::Quoted { .. })
            });
            if !named {
                return Err(self.error("can't give argument to a value that is not a function"));
            }
        }
        Ok(receiver)
    }

    fn eval_field(&self, receiver: Value, iface: bool, name: &str, has_args: bool) -> R<Value> {
        match receiver {
            Value::Missing => Ok(Value::Missing),
            Value::Nil => Err(self.error(format!("nil pointer evaluating interface {{}}.{name}"))),
            Value::Map(map) => {
                if has_args {
                    return Err(self.error(format!("{name} is not a method but has arguments")));
                }
                Ok(map.get(name).cloned().unwrap_or(Value::Missing))
            }
            other => {
                let type_name = if iface {
                    "interface {}"
                } else {
                    other.type_name()
                };
                Err(self.error(format!("can't evaluate field {name} in type {type_name}")))
            }
        }
    }

    /// An argument of a call, converted to `param`.
    fn eval_arg(&mut self, expr: &Expr, param: Param, dot: &Dot) -> R<Value> {
        self.at = expr.range();
        let value = match expr {
            Expr::Literal(literal) => return self.literal(literal, param),
            Expr::Path(path) => self.eval_path(path, dot, None)?,
            Expr::Paren(paren) => {
                let value = self.eval_pipeline(&paren.pipeline, dot)?;
                if paren.segments.is_empty() {
                    value
                } else {
                    self.eval_segments(value, false, &paren.segments, dot, None)?
                }
            }
            Expr::Call(call) => self.eval_call(call, dot, None)?,
            Expr::Error(_) => return Err(self.error("the template has syntax errors")),
        };
        self.at = expr.range();
        validate(value, param).map_err(|m| self.error(m))
    }

    fn eval_call(&mut self, call: &Call, dot: &Dot, last: Option<Value>) -> R<Value> {
        self.at = call.range;
        let name = call.name.as_str();
        let given = call.args.len() + usize::from(last.is_some());
        if name == "and" || name == "or" {
            if given < 1 {
                return Err(self.error(format!(
                    "wrong number of args for {name}: want at least 1 got {}",
                    call.args.len()
                )));
            }
            let mut value = Value::Missing;
            for arg in &call.args {
                value = self.eval_arg(arg, Param::Value, dot)?;
                if value.truth() == (name == "or") {
                    return Ok(value);
                }
            }
            if let Some(last) = last {
                value = last;
            }
            return Ok(value);
        }
        let Some(function) = lookup(name) else {
            return Err(self.error(format!("{name:?} is not a defined function")));
        };
        let fixed = function.params.len();
        match function.variadic {
            Some(_) if given < fixed => {
                return Err(self.error(format!(
                    "wrong number of args for {name}: want at least {fixed} got {}",
                    call.args.len()
                )));
            }
            None if given != fixed => {
                return Err(self.error(format!(
                    "wrong number of args for {name}: want {fixed} got {given}"
                )));
            }
            _ => {}
        }
        let param_at = |i: usize| {
            function
                .params
                .get(i)
                .copied()
                .or(function.variadic)
                .unwrap_or(Param::Any)
        };
        let mut args = Vec::with_capacity(given);
        for (i, arg) in call.args.iter().enumerate() {
            args.push(self.eval_arg(arg, param_at(i), dot)?);
        }
        if let Some(last) = last {
            self.at = call.range;
            let param = param_at(call.args.len());
            args.push(validate(last, param).map_err(|m| self.error(m))?);
        }
        self.at = call.range;
        let context = Context { root: self.root };
        (function.body)(&context, &args)
            .map_err(|message| self.error(format!("error calling {name}: {message}")))
    }
}

/// `x[i]` in a path (an extension of Go's grammar): `index x i`.
fn index_value(receiver: &Value, index: &Value) -> Result<Value, String> {
    match receiver {
        Value::Missing => Ok(Value::Missing),
        Value::Nil => Err("index of nil pointer".to_owned()),
        Value::List(items) => {
            let i = match index {
                Value::Int(n) | Value::Int64(n) => *n,
                Value::Float(f) if f.fract() == 0.0 => *f as i64,
                other => {
                    return Err(format!(
                        "cannot index slice/array with type {}",
                        other.type_name()
                    ));
                }
            };
            usize::try_from(i)
                .ok()
                .and_then(|i| items.get(i))
                .cloned()
                .ok_or_else(|| format!("index out of range: {i}"))
        }
        Value::Map(map) => match index {
            Value::String(key) => Ok(map.get(&**key).cloned().unwrap_or(Value::Missing)),
            other => Err(format!(
                "value has type {}; should be string",
                other.type_name()
            )),
        },
        other => Err(format!("can't index item of type {}", other.type_name())),
    }
}

/// `x[lo:hi]` in a path (an extension of Go's grammar): `slice x lo hi`.
fn slice_value(receiver: &Value, lo: &Option<Value>, hi: &Option<Value>) -> Result<Value, String> {
    let bound = |value: &Option<Value>, default: usize| -> Result<usize, String> {
        match value {
            None => Ok(default),
            Some(Value::Int(n) | Value::Int64(n)) => {
                usize::try_from(*n).map_err(|_| format!("index out of range: {n}"))
            }
            Some(Value::Float(f)) if f.fract() == 0.0 && *f >= 0.0 => Ok(*f as usize),
            Some(other) => Err(format!(
                "cannot index slice/array with type {}",
                other.type_name()
            )),
        }
    };
    match receiver {
        Value::Missing => Ok(Value::Missing),
        Value::List(items) => {
            let (lo, hi) = (bound(lo, 0)?, bound(hi, items.len())?);
            if hi > items.len() {
                return Err(format!("index out of range: {hi}"));
            }
            if lo > hi {
                return Err(format!("invalid slice index: {lo} > {hi}"));
            }
            Ok(Value::list(items.get(lo..hi).unwrap_or_default().to_vec()))
        }
        Value::String(s) => {
            let (lo, hi) = (bound(lo, 0)?, bound(hi, s.len())?);
            if hi > s.len() {
                return Err(format!("index out of range: {hi}"));
            }
            if lo > hi {
                return Err(format!("invalid slice index: {lo} > {hi}"));
            }
            let bytes = s.as_bytes().get(lo..hi).unwrap_or_default();
            Ok(Value::string(String::from_utf8_lossy(bytes).into_owned()))
        }
        other => Err(format!("can't slice item of type {}", other.type_name())),
    }
}
