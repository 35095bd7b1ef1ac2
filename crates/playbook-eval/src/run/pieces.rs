//! A run kept in pieces, one per step of the playbook's own list of steps (with everything
//! nested in it), so that the next run of the playbook, edited, takes over the pieces the
//! edit did not change instead of rendering their templates again.
//!
//! A piece records the step as it ran, its events, what it changed of `$`, and what the
//! library gave each of its calls. The next run reuses it, moved by however far the step now
//! is from where it was, when all of this holds, and runs the step again otherwise:
//! - the run starts from the same `$` (same inputs, same parameter values) and every step
//!   before was reused or ran again with the same changes to `$`, so the step starts from the
//!   same data;
//! - the step is the same but for its position: every field the runner reads, equal, and
//!   every range moved by the same amount ([`same_step`]);
//! - the library gives each of its calls the same outputs (a manifest edited since gives
//!   others).
//!
//! The runner's behaviour on a step depends on nothing else, so a run in pieces is the run
//! [`run_with`](super::run_with) makes, event for event ([`Pieces::to_run`]): the tests run
//! both over random edits. A typical edit (a template of one step) runs that step again and
//! takes the others over, whatever their number.

use std::collections::BTreeMap;
use std::sync::Arc;

use playbook_diagnostics::TextRange;
use playbook_hir::ir::{LoopSource, Playbook, Step, StepCall, Text};

use super::{Event, Inputs, Library, ParamValue, Rendered, Run, Runner, StepRun};
use crate::Value;

/// A run of a playbook in pieces (see the module's documentation).
#[derive(Clone, Debug)]
pub struct Pieces {
    pub params: Vec<ParamValue>,
    /// The events before the steps: the failure of a parameter's default, if any.
    pub head: Vec<(usize, Event)>,
    /// One per step of the playbook's list that the run reached, in order.
    pub pieces: Vec<Piece>,
    inputs: Inputs,
    /// `$` once the parameters are set: what the first step starts from.
    start: Arc<BTreeMap<String, Value>>,
    /// The library's [`generation`](Library::generation) when the run was made.
    generation: Option<u64>,
}

/// The run of one step of the playbook's list, placed where the step now is.
#[derive(Clone, Debug)]
pub struct Piece {
    /// How far the step now is from where it was when it ran: the amount to add to the
    /// ranges of [`PieceData::events`].
    pub shift: i64,
    pub data: Arc<PieceData>,
}

/// What running one step of the playbook's list gave, with the ranges of then.
#[derive(Debug)]
pub struct PieceData {
    /// The step as it ran.
    step: Step,
    /// Its events, in order, each with its nesting depth.
    pub events: Vec<(usize, Event)>,
    /// What it changed of `$`: each name set (or removed, `None`), sorted.
    diff: Vec<(String, Option<Value>)>,
    /// What the library gave each call of the step, in source order (see
    /// [`Runner::examples_of`]), whether the call ran or not.
    outputs: Vec<Value>,
    /// Whether the run ended in it.
    failed: bool,
    /// `$` after the step, kept by one piece in [`SNAPSHOT_EVERY`]: a run that takes pieces
    /// over and then runs a step again starts from the last one before it, not from the
    /// first step's data with every change since made again.
    root: Option<Arc<BTreeMap<String, Value>>>,
}

/// How often a piece keeps `$` ([`PieceData::root`]): each kept copy costs a copy of `$`
/// when the next step changes it.
const SNAPSHOT_EVERY: usize = 32;

impl Piece {
    /// The events of the piece, with their ranges as they now are.
    pub fn events(&self) -> impl Iterator<Item = (usize, Event)> + '_ {
        self.data
            .events
            .iter()
            .map(|(depth, event)| (*depth, shift_event(event, self.shift)))
    }

    /// `range`, a range of the file as it now is, as the piece recorded it.
    pub fn recorded(&self, range: TextRange) -> TextRange {
        shift_range(range, -self.shift)
    }

    /// `range`, as the piece recorded it, as it now is.
    pub fn current(&self, range: TextRange) -> TextRange {
        shift_range(range, self.shift)
    }

    /// The range of the step, as it now is.
    pub fn range(&self) -> TextRange {
        self.current(step_range(&self.data.step))
    }
}

impl Pieces {
    /// The run as [`run_with`](super::run_with) gives it: every event, at its range now.
    pub fn to_run(&self) -> Run {
        let mut events = self.head.clone();
        for piece in &self.pieces {
            events.extend(piece.events());
        }
        Run {
            params: self.params.clone(),
            events,
        }
    }

    /// Whether the run ended on a failure, with where (now) and its message.
    pub fn failure(&self) -> Option<(TextRange, &str)> {
        std::iter::once((0, self.head.as_slice()))
            .chain(
                self.pieces
                    .iter()
                    .map(|p| (p.shift, p.data.events.as_slice())),
            )
            .find_map(|(shift, events)| {
                events.iter().find_map(|(_, event)| match event {
                    Event::Failed { range, message } => {
                        Some((shift_range(*range, shift), message.as_str()))
                    }
                    _ => None,
                })
            })
    }
}

/// Runs `playbook` in pieces, taking over the pieces of `previous` (a run of the same
/// playbook before an edit, or of anything else: what does not match is run again) that
/// the edit did not change.
pub fn run_pieces(
    playbook: &Playbook,
    library: &dyn Library,
    inputs: &Inputs,
    previous: Option<&Pieces>,
) -> Pieces {
    let mut runner = Runner::new(library, inputs);
    let params = runner.start(playbook);
    let head = std::mem::take(&mut runner.events);
    let start = Arc::clone(&runner.root);
    // Whether the next step starts from the data its counterpart in `previous` started from.
    let mut in_step = previous
        .filter(|p| !runner.failed && p.inputs == *inputs && same_map(&p.start, &runner.root));
    let generation = library.generation();
    // The calls of a piece taken over get what they got, unless the library changed since.
    let same_library = generation.is_some() && previous.is_some_and(|p| p.generation == generation);
    let mut pieces: Vec<Piece> = Vec::with_capacity(playbook.steps.len());
    // The pieces from which on the changes to `$` are not made yet: only a step that runs
    // needs `$`, and after the last one nothing does.
    let mut pending = 0;
    for (i, step) in playbook.steps.iter().enumerate() {
        if runner.failed {
            break;
        }
        let old = in_step.and_then(|p| p.pieces.get(i));
        if let Some(old) = old
            && let Some(shift) = reusable(&runner, old, step, same_library)
        {
            runner.failed = old.data.failed;
            pieces.push(Piece {
                shift,
                data: Arc::clone(&old.data),
            });
            continue;
        }
        catch_up(&mut runner, pieces.get(pending..).unwrap_or_default());
        pending = pieces.len() + 1;
        let snapshot = (i + 1) % SNAPSHOT_EVERY == 0;
        let data = run_piece(&mut runner, step, snapshot);
        // The data after the step is the data after its counterpart when both started from
        // the same and changed the same.
        if !old.is_some_and(|old| same_diff(&old.data.diff, &data.diff)) {
            in_step = None;
        }
        pieces.push(Piece {
            shift: 0,
            data: Arc::new(data),
        });
    }
    Pieces {
        params,
        head,
        pieces,
        inputs: inputs.clone(),
        start,
        generation,
    }
}

/// Brings `$` up to date with `pieces`, taken over since `$` was last right: from the last
/// one that kept `$`, making the changes of those after it.
fn catch_up(runner: &mut Runner<'_>, pieces: &[Piece]) {
    let kept = pieces
        .iter()
        .enumerate()
        .rev()
        .find_map(|(k, p)| Some((k, p.data.root.as_ref()?)));
    let rest = match kept {
        Some((k, root)) => {
            runner.root = Arc::clone(root);
            pieces.get(k + 1..).unwrap_or_default()
        }
        None => pieces,
    };
    for piece in rest {
        apply(runner, &piece.data.diff);
    }
}

/// Makes the changes to `$` a step made.
fn apply(runner: &mut Runner<'_>, diff: &[(String, Option<Value>)]) {
    let root = runner.root_mut();
    for (name, value) in diff {
        match (value, root.get_mut(name)) {
            (Some(value), Some(slot)) => *slot = value.clone(),
            (Some(value), None) => {
                root.insert(name.clone(), value.clone());
            }
            (None, _) => {
                root.remove(name);
            }
        }
    }
}

/// Runs one step of the playbook's list, recording what it changes (and `$` after it, with
/// `snapshot`).
fn run_piece(runner: &mut Runner<'_>, step: &Step, snapshot: bool) -> PieceData {
    let outputs = calls(step)
        .into_iter()
        .map(|call| runner.examples_of(call))
        .collect();
    runner.touched = Some(Vec::new());
    runner.steps(std::slice::from_ref(step), 0);
    let mut touched = runner.touched.take().unwrap_or_default();
    touched.sort_unstable();
    touched.dedup();
    let diff = touched
        .into_iter()
        .map(|name| {
            let value = runner.root.get(&name).cloned();
            (name, value)
        })
        .collect();
    PieceData {
        step: step.clone(),
        events: std::mem::take(&mut runner.events),
        diff,
        outputs,
        failed: runner.failed,
        root: snapshot.then(|| Arc::clone(&runner.root)),
    }
}

/// How far `step` is from `old`'s step, when `old` may stand for it: the same step but for
/// its position, whose calls the library gives the same outputs (as it does when it is the
/// `same_library`).
fn reusable(runner: &Runner<'_>, old: &Piece, step: &Step, same_library: bool) -> Option<i64> {
    let recorded = &old.data.step;
    let shift = i64::from(step_range(step).start()) - i64::from(step_range(recorded).start());
    if !same_step(recorded, step, shift, 0) {
        return None;
    }
    if same_library {
        return Some(shift);
    }
    let calls = calls(step);
    if calls.len() != old.data.outputs.len() {
        return None;
    }
    for (call, outputs) in calls.into_iter().zip(&old.data.outputs) {
        if !same_value(&runner.examples_of(call), outputs) {
            return None;
        }
    }
    Some(shift)
}

/// How deeply blocks and loops may nest for [`same_step`] to compare them (deeper steps are
/// run again: no playbook nests that deep).
const MAX_NESTING: usize = 64;

/// Whether `new` is `old` moved by `shift`, in everything the runner reads of a step.
fn same_step(old: &Step, new: &Step, shift: i64, depth: usize) -> bool {
    if depth > MAX_NESTING {
        return false;
    }
    let steps = |a: &[Step], b: &[Step]| {
        a.len() == b.len()
            && a.iter()
                .zip(b)
                .all(|(a, b)| same_step(a, b, shift, depth + 1))
    };
    match (old, new) {
        (Step::Call(a), Step::Call(b)) => same_call(a, b, shift),
        (Step::Block(a), Step::Block(b)) => {
            same_range(a.range, b.range, shift)
                && same_opt_text(a.when.as_ref(), b.when.as_ref(), shift)
                && steps(&a.steps, &b.steps)
        }
        (Step::Loop(a), Step::Loop(b)) => {
            let source = match (&a.source, &b.source) {
                (None, None) => true,
                (Some(LoopSource::Text(x)), Some(LoopSource::Text(y))) => same_text(x, y, shift),
                (
                    Some(LoopSource::Range { from: f1, to: t1 }),
                    Some(LoopSource::Range { from: f2, to: t2 }),
                ) => f1.value == f2.value && t1.value == t2.value,
                _ => false,
            };
            let name = |x: &Option<playbook_hir::ir::Spanned<String>>,
                        y: &Option<playbook_hir::ir::Spanned<String>>| {
                x.as_ref().map(|n| &n.value) == y.as_ref().map(|n| &n.value)
            };
            source
                && same_range(a.range, b.range, shift)
                && name(&a.key, &b.key)
                && name(&a.value, &b.value)
                && same_opt_text(a.when.as_ref(), b.when.as_ref(), shift)
                && same_opt_text(a.break_when.as_ref(), b.break_when.as_ref(), shift)
                && steps(&a.steps, &b.steps)
        }
        _ => false,
    }
}

fn same_call(a: &StepCall, b: &StepCall, shift: i64) -> bool {
    same_range(a.range, b.range, shift)
        && a.image.value == b.image.value
        && a.id.as_ref().map(|id| &id.value) == b.id.as_ref().map(|id| &id.value)
        && a.env.len() == b.env.len()
        && a.env.iter().zip(&b.env).all(|(x, y)| {
            x.name.value == y.name.value && same_opt_text(x.value.as_ref(), y.value.as_ref(), shift)
        })
        && a.args.len() == b.args.len()
        && a.args
            .iter()
            .zip(&b.args)
            .all(|(x, y)| same_text(x, y, shift))
        && same_opt_text(a.runner.as_ref(), b.runner.as_ref(), shift)
        && same_opt_text(a.when.as_deref(), b.when.as_deref(), shift)
        && same_opt_text(
            a.integration_ref.as_deref(),
            b.integration_ref.as_deref(),
            shift,
        )
}

fn same_text(a: &Text, b: &Text, shift: i64) -> bool {
    a.value == b.value && same_range(a.range, b.range, shift)
}

fn same_opt_text(a: Option<&Text>, b: Option<&Text>, shift: i64) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => same_text(a, b, shift),
        _ => false,
    }
}

fn same_range(old: TextRange, new: TextRange, shift: i64) -> bool {
    let moved = |offset: u32| i64::from(offset) + shift;
    moved(old.start()) == i64::from(new.start()) && moved(old.end()) == i64::from(new.end())
}

/// `a == b`, without walking two values that are one.
fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Map(x), Value::Map(y)) => Arc::ptr_eq(x, y) || x == y,
        (Value::List(x), Value::List(y)) => Arc::ptr_eq(x, y) || x == y,
        (Value::String(x), Value::String(y)) => Arc::ptr_eq(x, y) || x == y,
        _ => a == b,
    }
}

fn same_map(a: &BTreeMap<String, Value>, b: &BTreeMap<String, Value>) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|((k1, v1), (k2, v2))| k1 == k2 && same_value(v1, v2))
}

fn same_diff(a: &[(String, Option<Value>)], b: &[(String, Option<Value>)]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|((k1, v1), (k2, v2))| {
            k1 == k2
                && match (v1, v2) {
                    (Some(v1), Some(v2)) => same_value(v1, v2),
                    (None, None) => true,
                    _ => false,
                }
        })
}

/// The range of a step of any kind.
fn step_range(step: &Step) -> TextRange {
    match step {
        Step::Call(call) => call.range,
        Step::Block(block) => block.range,
        Step::Loop(lp) => lp.range,
    }
}

/// Every call of `step`, nested ones included, in source order. Iterative, so no nesting
/// overflows the stack.
fn calls(step: &Step) -> Vec<&StepCall> {
    let mut out = Vec::new();
    let mut stack: Vec<std::slice::Iter<'_, Step>> = vec![std::slice::from_ref(step).iter()];
    while let Some(top) = stack.last_mut() {
        let Some(step) = top.next() else {
            stack.pop();
            continue;
        };
        match step {
            Step::Call(call) => out.push(call),
            Step::Block(block) => stack.push(block.steps.iter()),
            Step::Loop(lp) => stack.push(lp.steps.iter()),
        }
    }
    out
}

/// `range` moved by `shift` (which keeps it in the file: it comes from two positions of
/// the same step).
fn shift_range(range: TextRange, shift: i64) -> TextRange {
    let moved = |offset: u32| u32::try_from(i64::from(offset) + shift).unwrap_or(offset);
    TextRange::new(moved(range.start()), moved(range.end()))
}

fn shift_rendered(rendered: &Rendered, shift: i64) -> Rendered {
    Rendered {
        range: shift_range(rendered.range, shift),
        text: rendered.text.clone(),
    }
}

/// `event` with its source ranges moved by `shift` (an error's range, inside its template,
/// stays).
fn shift_event(event: &Event, shift: i64) -> Event {
    if shift == 0 {
        return event.clone();
    }
    let opt = |r: &Option<Rendered>| r.as_ref().map(|r| shift_rendered(r, shift));
    match event {
        Event::Step(step) => Event::Step(Box::new(StepRun {
            range: shift_range(step.range, shift),
            id: step.id.clone(),
            image: step.image.clone(),
            iterations: step.iterations.clone(),
            when: opt(&step.when),
            runs: step.runs,
            env: step
                .env
                .iter()
                .map(|(name, r)| (name.clone(), shift_rendered(r, shift)))
                .collect(),
            args: step.args.iter().map(|r| shift_rendered(r, shift)).collect(),
            runner: opt(&step.runner),
            integration_ref: opt(&step.integration_ref),
            output_source: step.output_source,
            outputs: step.outputs.clone(),
        })),
        Event::Block { range, when, runs } => Event::Block {
            range: shift_range(*range, shift),
            when: opt(when),
            runs: *runs,
        },
        Event::Loop {
            range,
            when,
            runs,
            items,
        } => Event::Loop {
            range: shift_range(*range, shift),
            when: opt(when),
            runs: *runs,
            items: *items,
        },
        Event::Iteration {
            range,
            index,
            key,
            value,
        } => Event::Iteration {
            range: shift_range(*range, shift),
            index: *index,
            key: key.clone(),
            value: value.clone(),
        },
        Event::Break { range, when, stops } => Event::Break {
            range: shift_range(*range, shift),
            when: shift_rendered(when, shift),
            stops: *stops,
        },
        Event::Failed { range, message } => Event::Failed {
            range: shift_range(*range, shift),
            message: message.clone(),
        },
    }
}
