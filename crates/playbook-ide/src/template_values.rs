//! What the templates of a file render to offline: every playbook of the file run
//! ([`crate::dry_run`]) with the parameters' defaults and the manifests' examples, memoized
//! until the file or an interface it reads changes, so that inlay hints for many ranges and
//! hovers on many templates share one run.
//!
//! A run is kept in pieces, one per step of the playbook's list
//! ([`playbook_eval::run::Pieces`]), and the next run of the playbook after an edit takes
//! over the pieces the edit left unchanged (moved, when the edit changed the length of what
//! comes before them) instead of rendering their templates again: after a typical edit, the
//! run of a playbook of hundreds of steps runs one step. The last runs are kept for that
//! (`LAST_RUNS`), outside the database: what a run takes over is checked step by step,
//! so they change how long a run takes, never what it gives.
//!
//! [`file_values`] keeps, for every template scalar the run rendered, its first rendering
//! and how many times it was rendered (a template in a loop is rendered once per
//! iteration), by piece, so that the values of a piece taken over are not collected again;
//! [`sources`] says where each part of a template came from, naming what the check
//! resolved the template's reads to ([`playbook_check::analysis::Reference`]): no second
//! resolver.

use std::sync::{Arc, Mutex};

use playbook_check::analysis::{Analysis, SiteFacts, Target};
use playbook_db::File;
use playbook_db::queries::{WorkspaceView, lower};
use playbook_diagnostics::TextRange;
use playbook_eval::Value;
use playbook_eval::run::{
    Event, Inputs, OutputSource, ParamSource, ParamValue, Piece, Pieces, Rendered, StepRun,
};

use crate::context;
use crate::docs::code;

/// What one template scalar rendered to in the offline run.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ScalarValue {
    /// The scalar's source range (in a piece of a run, as the piece recorded it).
    pub range: TextRange,
    /// Its first rendering, or the error that ended the run there.
    pub text: Result<String, String>,
    /// How many times the run rendered it (more than once in a loop).
    pub times: usize,
}

/// A template scalar's value, at the scalar's range as it now is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct ValueAt<'v> {
    pub range: TextRange,
    pub text: Result<&'v str, &'v str>,
    pub times: usize,
}

impl<'v> ValueAt<'v> {
    fn new(range: TextRange, value: &'v ScalarValue) -> ValueAt<'v> {
        ValueAt {
            range,
            text: value.text.as_deref().map_err(String::as_str),
            times: value.times,
        }
    }
}

/// The offline run of one playbook, in pieces (one per step of its list, see
/// [`playbook_eval::run::Pieces`]), with the values of the template scalars of each piece.
#[derive(Debug)]
pub struct PlaybookValues {
    pub run: Pieces,
    /// The values of the parameters' defaults, at their ranges now.
    params: Vec<ScalarValue>,
    /// The values of the scalars of each piece (templates or not), at the ranges it
    /// recorded, in source order; shared with the revision the piece comes from.
    pieces: Vec<Arc<Vec<ScalarValue>>>,
}

impl PlaybookValues {
    pub fn params(&self) -> &[ParamValue] {
        &self.run.params
    }

    /// The piece of the run whose step holds `range` (as it now is).
    fn piece_at(&self, range: TextRange) -> Option<&Piece> {
        let pieces = &self.run.pieces;
        let i = pieces.partition_point(|p| p.range().end() < range.start());
        pieces.get(i).filter(|p| p.range().contains_range(range))
    }

    /// The events of the piece whose step holds `range`, at their ranges now.
    fn events_at(&self, range: TextRange) -> Vec<(usize, Event)> {
        self.piece_at(range)
            .map(|piece| piece.events().collect())
            .unwrap_or_default()
    }
}

/// The offline runs of a file's playbooks and what their templates rendered to.
#[derive(Debug)]
pub struct FileValues {
    /// One run per playbook of the file, in order.
    pub runs: Vec<Arc<PlaybookValues>>,
    /// Every template scalar rendered, sorted by position now: (range, playbook, piece (or
    /// `None` for a parameter's default), index in its list).
    index: Vec<(TextRange, u32, Option<u32>, u32)>,
}

impl FileValues {
    fn value(
        &self,
        (range, run, piece, i): (TextRange, u32, Option<u32>, u32),
    ) -> Option<ValueAt<'_>> {
        let run = self.runs.get(run as usize)?;
        let list = match piece {
            Some(piece) => run.pieces.get(piece as usize)?.as_slice(),
            None => run.params.as_slice(),
        };
        Some(ValueAt::new(range, list.get(i as usize)?))
    }

    /// The value of the template scalar at exactly `range`.
    pub fn at(&self, range: TextRange) -> Option<ValueAt<'_>> {
        let i = self.index.partition_point(|v| v.0.start() < range.start());
        let found = self.index[i..]
            .iter()
            .take_while(|v| v.0.start() == range.start())
            .find(|v| v.0 == range)?;
        self.value(*found)
    }

    /// The values of the scalars that overlap `range` (or touch it), in order.
    pub fn in_range(&self, range: TextRange) -> impl Iterator<Item = ValueAt<'_>> {
        let start = self.index.partition_point(|v| v.0.end() < range.start());
        self.index[start..]
            .iter()
            .take_while(move |v| v.0.start() <= range.end())
            .filter_map(|v| self.value(*v))
    }

    /// How many template scalars the runs rendered.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// The run of the playbook whose document holds `range`.
    fn run_for(
        &self,
        db: &dyn salsa::Database,
        file: File,
        range: TextRange,
    ) -> Option<&PlaybookValues> {
        let index = lower(db, file)
            .file
            .playbooks()
            .position(|p| p.range.contains_range(range))?;
        self.runs.get(index).map(|run| &**run)
    }
}

/// The last runs made, by file and playbook: what the next run of an edited playbook takes
/// its unchanged pieces from. Taking a piece over is exact whatever run it comes from (see
/// [`playbook_eval::run::run_pieces`]), so this memo changes how long a run takes, never
/// what it gives; a run of another database's file of the same id is merely of no use.
static LAST_RUNS: Mutex<Vec<(File, usize, Arc<PlaybookValues>)>> = Mutex::new(Vec::new());

/// How many runs [`LAST_RUNS`] keeps: the files being edited.
const LAST_RUNS_KEPT: usize = 16;

fn last_run(file: File, index: usize) -> Option<Arc<PlaybookValues>> {
    let runs = LAST_RUNS.lock().ok()?;
    runs.iter()
        .find(|(f, i, _)| *f == file && *i == index)
        .map(|(_, _, run)| Arc::clone(run))
}

fn keep_run(file: File, index: usize, run: &Arc<PlaybookValues>) {
    let Ok(mut runs) = LAST_RUNS.lock() else {
        return;
    };
    runs.retain(|(f, i, _)| !(*f == file && *i == index));
    if runs.len() >= LAST_RUNS_KEPT {
        runs.remove(0);
    }
    runs.push((file, index, Arc::clone(run)));
}

/// Runs every playbook of `file` offline, once per revision of what the runs read, taking
/// over from the last run of each playbook the pieces an edit left unchanged.
#[salsa::tracked(returns(ref), no_eq)]
pub fn file_values(db: &dyn salsa::Database, file: File) -> FileValues {
    let text = file.text(db);
    let is_template = |range: TextRange| {
        text.get(range.start() as usize..range.end() as usize)
            .is_some_and(|s| s.contains("{{"))
    };
    let inputs = Inputs::default();
    let mut runs = Vec::new();
    let mut index = Vec::new();
    for (n, playbook) in lower(db, file).file.playbooks().enumerate() {
        let last = last_run(file, n);
        let Some(run) =
            crate::dry_run::run_again(db, file, n, &inputs, last.as_ref().map(|l| &l.run))
        else {
            continue;
        };
        let mut params = Values::default();
        let failure = run.failure().map(|(r, m)| (r, m.to_owned()));
        for (param, value) in playbook.parameters.iter().zip(&run.params) {
            let Some(default) = &param.default else {
                continue;
            };
            if !is_template(default.range) {
                continue;
            }
            match (&failure, value.source) {
                (Some((range, message)), _) if *range == default.range => {
                    params.add(default.range, Err(message));
                }
                (_, ParamSource::Default) => {
                    params.add(default.range, Ok(&value.value.to_go_string()));
                }
                _ => {}
            }
        }
        // A piece taken over (it keeps its place in the list) keeps its values; a piece run
        // again gets its own.
        let reused = |i: usize, piece: &Piece| {
            let last = last.as_ref()?;
            let was = last.run.pieces.get(i)?;
            Arc::ptr_eq(&was.data, &piece.data)
                .then(|| last.pieces.get(i).cloned())
                .flatten()
        };
        let pieces: Vec<Arc<Vec<ScalarValue>>> = run
            .pieces
            .iter()
            .enumerate()
            .map(|(i, piece)| {
                reused(i, piece).unwrap_or_else(|| {
                    // Every scalar rendered: which are templates is told by the text as it
                    // is when the values are listed.
                    let mut values = Values::default();
                    for (_, event) in &piece.data.events {
                        for r in rendered(event) {
                            values.add(r.range, r.text.as_deref().map_err(|e| e.message.as_str()));
                        }
                    }
                    Arc::new(values.done())
                })
            })
            .collect();
        let r = runs.len() as u32;
        let params = params.done();
        index.extend(
            params
                .iter()
                .enumerate()
                .map(|(i, v)| (v.range, r, None, i as u32)),
        );
        for (p, (piece, values)) in run.pieces.iter().zip(&pieces).enumerate() {
            index.extend(values.iter().enumerate().filter_map(|(i, v)| {
                let range = piece.current(v.range);
                is_template(range).then_some((range, r, Some(p as u32), i as u32))
            }));
        }
        let values = Arc::new(PlaybookValues {
            run,
            params,
            pieces,
        });
        keep_run(file, n, &values);
        runs.push(values);
    }
    index.sort_by_key(|v| (v.0.start(), v.0.end()));
    FileValues { runs, index }
}

/// The values of template scalars as a run renders them: the first rendering of each, and
/// how many there were.
#[derive(Default)]
struct Values {
    values: Vec<ScalarValue>,
    /// Where each scalar's value is in `values`: a template in a loop renders once per
    /// iteration, and is counted.
    seen: foldhash::HashMap<TextRange, usize>,
}

impl Values {
    fn add(&mut self, range: TextRange, text: Result<&str, &str>) {
        match self.seen.entry(range) {
            std::collections::hash_map::Entry::Occupied(at) => {
                if let Some(value) = self.values.get_mut(*at.get()) {
                    value.times += 1;
                }
            }
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(self.values.len());
                self.values.push(ScalarValue {
                    range,
                    text: text.map(str::to_owned).map_err(str::to_owned),
                    times: 1,
                });
            }
        }
    }

    /// The values, sorted by position.
    fn done(mut self) -> Vec<ScalarValue> {
        self.values
            .sort_by_key(|v| (v.range.start(), v.range.end()));
        self.values
    }
}

/// Every scalar an event rendered.
fn rendered(event: &Event) -> Vec<&Rendered> {
    match event {
        Event::Step(step) => step_rendered(step),
        Event::Block { when, .. } | Event::Loop { when, .. } => when.iter().collect(),
        Event::Break { when, .. } => vec![when],
        Event::Iteration { .. } | Event::Failed { .. } => Vec::new(),
    }
}

/// Every scalar of a step call the run rendered.
fn step_rendered(step: &StepRun) -> Vec<&Rendered> {
    let mut out: Vec<_> = step.when.iter().collect();
    out.extend(step.env.iter().map(|(_, r)| r));
    out.extend(&step.args);
    out.extend(&step.runner);
    out.extend(&step.integration_ref);
    out
}

/// The step calls among `events`.
fn steps_of(events: &[(usize, Event)]) -> impl Iterator<Item = &StepRun> {
    events.iter().filter_map(|(_, event)| match event {
        Event::Step(step) => Some(&**step),
        _ => None,
    })
}

/// "1st", "2nd", ...
fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// "in the 1st of its N iterations" for a template rendered `times` times; empty for once.
pub fn iterations_note(times: usize) -> Option<String> {
    (times > 1).then(|| format!("the {} of {times} iterations", ordinal(1)))
}

/// Why a template scalar of a step has no value: the step does not run offline, or the run
/// stopped before it.
pub fn why_not_rendered(
    db: &dyn salsa::Database,
    file: File,
    values: &FileValues,
    scalar: TextRange,
) -> Option<String> {
    let run = values.run_for(db, file, scalar)?;
    let events = run.events_at(scalar);
    let step = steps_of(&events).find(|s| s.range.contains_range(scalar) && !s.runs);
    if let Some(step) = step {
        let when = step
            .when
            .as_ref()
            .and_then(|w| w.text.as_ref().ok())
            .map_or_else(String::new, |t| format!(" (it renders to {})", code(t)));
        return Some(format!(
            "Not rendered offline: the step's `when` is not true{when}."
        ));
    }
    // A loop's `in` (its value is not kept: the loop's items are).
    let in_loop = events.iter().find_map(|(_, e)| match e {
        Event::Loop {
            range, runs, items, ..
        } if range.contains_range(scalar)
            && steps_of(&events).all(|s| !s.range.contains_range(scalar)) =>
        {
            Some((*runs, *items))
        }
        _ => None,
    });
    if let Some((runs, items)) = in_loop {
        return Some(if runs {
            format!(
                "The loop runs {items} iteration{} offline.",
                if items == 1 { "" } else { "s" }
            )
        } else {
            "Not rendered offline: the loop's `when` is not true.".to_owned()
        });
    }
    if let Some((range, message)) = run.run.failure()
        && range.start() <= scalar.start()
    {
        let line = crate::line_index(db, file).line_col(range.start()).line + 1;
        return Some(format!(
            "Not rendered offline: the run stopped at line {line}: {message}"
        ));
    }
    Some("Not rendered offline: the run does not reach it.".to_owned())
}

/// Where each part of the template at `site` came from, one Markdown list item per name it
/// reads, in order.
pub fn sources(
    db: &dyn salsa::Database,
    file: File,
    values: &FileValues,
    analysis: &Analysis<'_>,
    view: &WorkspaceView<'_, '_>,
    site: &SiteFacts<'_>,
) -> Vec<String> {
    let Some(run) = values.run_for(db, file, site.text.range) else {
        return Vec::new();
    };
    let refs: Vec<_> = analysis
        .references
        .iter()
        .filter(|r| site.text.range.contains_range(r.range))
        .collect();
    let mut out: Vec<String> = Vec::new();
    for reference in &refs {
        let item = match &reference.target {
            Target::Param(param) => {
                let name = &param.name.value;
                let value = run.params().iter().find(|p| &p.name == name);
                match value.map(|v| (v.source, &v.value)) {
                    Some((ParamSource::Default, Value::Missing)) => {
                        format!("parameter {}: its default failed to render", code(name))
                    }
                    Some((ParamSource::Default, value)) => format!(
                        "parameter {}: its default {}",
                        code(name),
                        shown(&value.to_go_string())
                    ),
                    Some((ParamSource::Given, value)) => format!(
                        "parameter {}: given {}",
                        code(name),
                        shown(&value.to_go_string())
                    ),
                    Some((ParamSource::Missing, _)) | None => {
                        format!("parameter {}: no default, so `<no value>`", code(name))
                    }
                }
            }
            Target::UndeclaredParam(name) => {
                format!("parameter {}: not declared, so `<no value>`", code(name))
            }
            Target::Output { step, name, .. } => {
                let Some(facts) = analysis.steps.get(*step) else {
                    continue;
                };
                let label = step_label(facts.call);
                let events = run.events_at(facts.call.range);
                let run_of = steps_of(&events).find(|s| s.range == facts.call.range);
                let what = format!("output {} of {}", code(name), code(label));
                match run_of {
                    None => format!("{what}: the step does not run offline"),
                    Some(s) if !s.runs => format!("{what}: the step does not run offline"),
                    Some(s) => match s.output_source {
                        OutputSource::Given => format!("{what}: given"),
                        OutputSource::None => {
                            format!("{what}: its manifest has no example, so `<no value>`")
                        }
                        OutputSource::Examples => {
                            let manifest = facts
                                .manifest
                                .and_then(|m| {
                                    context::manifest_file(db, view, &facts.call.image.value, m)
                                })
                                .map_or_else(
                                    || format!(" (manifest of {})", code(&facts.call.image.value)),
                                    |f| format!(" (manifest {})", code(f.path(db))),
                                );
                            match field(&s.outputs, name) {
                                Some(value) => format!(
                                    "{what}: the example {}{manifest}",
                                    shown(&value.to_go_string())
                                ),
                                None => {
                                    format!("{what}: no example{manifest}, so `<no value>`")
                                }
                            }
                        }
                    },
                }
            }
            Target::Step(step) => {
                let read_output = refs
                    .iter()
                    .any(|r| matches!(&r.target, Target::Output { step: s, .. } if s == step));
                let Some(facts) = analysis.steps.get(*step) else {
                    continue;
                };
                if read_output {
                    continue;
                }
                format!(
                    "step {}: its outputs, from its manifest's examples",
                    code(step_label(facts.call))
                )
            }
            Target::LoopVar { scope, name } => {
                let Some(facts) = analysis.scopes.get(*scope) else {
                    continue;
                };
                let position = facts.loop_vars.iter().position(|(n, _)| n == name);
                let events = run.events_at(facts.range);
                let first = events.iter().find_map(|(_, e)| match e {
                    Event::Iteration {
                        range,
                        index: 0,
                        key,
                        value,
                    } if *range == facts.range => Some((key, value)),
                    _ => None,
                });
                let items = events.iter().find_map(|(_, e)| match e {
                    Event::Loop { range, items, .. } if *range == facts.range => Some(*items),
                    _ => None,
                });
                match (first, position) {
                    (Some((key, value)), Some(p)) => {
                        let v = if p == 0 { key } else { value };
                        let which = match items.unwrap_or(1) {
                            1 => "the loop's only iteration".to_owned(),
                            n => format!("the 1st of {n} iterations"),
                        };
                        format!(
                            "loop variable {}: {} in {which}",
                            code(name),
                            shown(&v.to_go_string()),
                        )
                    }
                    _ => format!(
                        "loop variable {}: the loop runs no iteration offline",
                        code(name)
                    ),
                }
            }
            Target::Context("event") => {
                "the event: none given offline, so its fields are `<no value>`".to_owned()
            }
            Target::Context("params") => continue,
            Target::Context(root) => format!(
                "{}: the offline run's placeholder values",
                code(&format!("$.{root}"))
            ),
        };
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

/// A field of a map value.
fn field<'v>(value: &'v Value, name: &str) -> Option<&'v Value> {
    match value {
        Value::Map(fields) => fields.get(name),
        _ => None,
    }
}

/// The call's id, else its image.
fn step_label(call: &playbook_hir::ir::StepCall) -> &str {
    call.id
        .as_ref()
        .map_or(call.image.value.as_str(), |id| id.value.as_str())
}

/// A value in a code span, cut to one short line.
fn shown(text: &str) -> String {
    code(&truncate(&text.replace(['\r', '\n'], "⏎"), 80))
}

/// `text` cut to `max` characters, with `…` when it was longer.
pub fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}
