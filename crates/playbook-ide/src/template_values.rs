//! What the templates of a file render to offline: every playbook of the file run once
//! ([`crate::dry_run`]) with the parameters' defaults and the manifests' examples, memoized
//! until the file or an interface it reads changes, so that inlay hints for many ranges and
//! hovers on many templates share one run.
//!
//! [`file_values`] keeps, for every template scalar the run rendered, its first rendering
//! and how many times it was rendered (a template in a loop is rendered once per
//! iteration); [`sources`] says where each part of a template came from, naming what the
//! check resolved the template's reads to ([`playbook_check::analysis::Reference`]): no
//! second resolver.

use playbook_check::analysis::{Analysis, SiteFacts, Target};
use playbook_db::File;
use playbook_db::queries::{WorkspaceView, lower};
use playbook_diagnostics::TextRange;
use playbook_eval::Value;
use playbook_eval::run::{Event, Inputs, OutputSource, ParamSource, Run, StepRun};

use crate::context;
use crate::docs::code;

/// What one template scalar rendered to in the offline run.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ScalarValue {
    /// The scalar's source range.
    pub range: TextRange,
    /// Its first rendering, or the error that ended the run there.
    pub text: Result<String, String>,
    /// How many times the run rendered it (more than once in a loop).
    pub times: usize,
}

/// The offline runs of a file's playbooks and what their templates rendered to.
#[derive(Debug)]
pub struct FileValues {
    /// One run per playbook of the file, in order.
    pub runs: Vec<Run>,
    /// Every template scalar rendered, sorted by position.
    pub values: Vec<ScalarValue>,
}

impl FileValues {
    /// The value of the template scalar at exactly `range`.
    pub fn at(&self, range: TextRange) -> Option<&ScalarValue> {
        let i = self
            .values
            .partition_point(|v| v.range.start() < range.start());
        self.values[i..]
            .iter()
            .take_while(|v| v.range.start() == range.start())
            .find(|v| v.range == range)
    }

    /// The values of the scalars that overlap `range` (or touch it), in order.
    pub fn in_range(&self, range: TextRange) -> impl Iterator<Item = &ScalarValue> {
        let start = self
            .values
            .partition_point(|v| v.range.end() < range.start());
        self.values[start..]
            .iter()
            .take_while(move |v| v.range.start() <= range.end())
    }

    /// The run of the playbook whose document holds `range`.
    fn run_for(&self, db: &dyn salsa::Database, file: File, range: TextRange) -> Option<&Run> {
        let index = lower(db, file)
            .file
            .playbooks()
            .position(|p| p.range.contains_range(range))?;
        self.runs.get(index)
    }
}

/// Runs every playbook of `file` offline, once per revision of what the runs read.
#[salsa::tracked(returns(ref), no_eq)]
pub fn file_values(db: &dyn salsa::Database, file: File) -> FileValues {
    let text = file.text(db);
    let is_template = |range: TextRange| {
        text.get(range.start() as usize..range.end() as usize)
            .is_some_and(|s| s.contains("{{"))
    };
    let inputs = Inputs::default();
    let mut runs = Vec::new();
    let mut values: Vec<ScalarValue> = Vec::new();
    let mut add = |range: TextRange, text: Result<String, String>| {
        if !is_template(range) {
            return;
        }
        match values.iter_mut().rev().find(|v| v.range == range) {
            Some(seen) => seen.times += 1,
            None => values.push(ScalarValue {
                range,
                text,
                times: 1,
            }),
        }
    };
    for (index, playbook) in lower(db, file).file.playbooks().enumerate() {
        let Some(run) = crate::dry_run(db, file, index, &inputs) else {
            continue;
        };
        let failure = run.failure().map(|(r, m)| (r, m.to_owned()));
        for (param, value) in playbook.parameters.iter().zip(&run.params) {
            let Some(default) = &param.default else {
                continue;
            };
            match (&failure, value.source) {
                (Some((range, message)), _) if *range == default.range => {
                    add(default.range, Err(message.clone()));
                }
                (_, ParamSource::Default) => add(default.range, Ok(value.value.to_go_string())),
                _ => {}
            }
        }
        for (_, event) in &run.events {
            let rendered = match event {
                Event::Step(step) => step_rendered(step),
                Event::Block { when, .. } | Event::Loop { when, .. } => when.iter().collect(),
                Event::Break { when, .. } => vec![when],
                Event::Iteration { .. } | Event::Failed { .. } => Vec::new(),
            };
            for r in rendered {
                let text = r.text.clone().map_err(|e| e.message);
                add(r.range, text);
            }
        }
        runs.push(run);
    }
    values.sort_by_key(|v| (v.range.start(), v.range.end()));
    FileValues { runs, values }
}

/// Every scalar of a step call the run rendered.
fn step_rendered(step: &StepRun) -> Vec<&playbook_eval::run::Rendered> {
    let mut out: Vec<_> = step.when.iter().collect();
    out.extend(step.env.iter().map(|(_, r)| r));
    out.extend(&step.args);
    out.extend(&step.runner);
    out.extend(&step.integration_ref);
    out
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
    let step = run
        .steps()
        .find(|s| s.range.contains_range(scalar) && !s.runs);
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
    let in_loop = run.events.iter().find_map(|(_, e)| match e {
        Event::Loop {
            range, runs, items, ..
        } if range.contains_range(scalar)
            && run.steps().all(|s| !s.range.contains_range(scalar)) =>
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
    if let Some((range, message)) = run.failure()
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
                let value = run.params.iter().find(|p| &p.name == name);
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
                let run_of = run.steps().find(|s| s.range == facts.call.range);
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
                let first = run.events.iter().find_map(|(_, e)| match e {
                    Event::Iteration {
                        range,
                        index: 0,
                        key,
                        value,
                    } if *range == facts.range => Some((key, value)),
                    _ => None,
                });
                let items = run.events.iter().find_map(|(_, e)| match e {
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
