//! `playbook render FILE`: a dry run of a playbook. Every step in order, whether it runs and
//! why (its `when`, rendered), and the `env`, `args`, `runner` and `envFrom` it would get,
//! rendered with Go's template semantics from the parameters given (`--param`), their
//! defaults, an event (`--event`), and the examples of the step manifests for the outputs
//! of earlier steps. Nothing is run and no secret is read.
//!
//! The run itself is [`playbook_ide::dry_run`]; this module loads the workspace, checks the
//! arguments against the playbook, and prints the run for a person or as JSON.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use playbook_diagnostics::{LineIndex, Severity, TextRange};
use playbook_eval::Value;
use playbook_eval::run::{Event, Inputs, OutputSource, ParamSource, Rendered, Run, StepRun};
use playbook_workspace::{PathStyle, into_analysis_host, path_key};

use crate::style::{Paint, plural};

/// How to print the run.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Format {
    Human,
    Json,
}

/// What `playbook render` was asked.
#[derive(Clone, Debug)]
pub struct Options {
    pub file: PathBuf,
    /// `--param NAME=VALUE`, in order.
    pub params: Vec<(String, String)>,
    /// The event's JSON text (`--event FILE.json`, already read) and its name.
    pub event: Option<(String, String)>,
    /// `--playbook NAME`: which playbook of the file; all of them by default.
    pub playbook: Option<String>,
    pub format: Format,
    pub color: bool,
}

/// What to print and the exit code: 0 the run went through, 1 a template failed, 2 a usage
/// or I/O problem.
#[derive(Debug, Default)]
pub struct Outcome {
    pub stdout: String,
    pub stderr: Vec<String>,
    pub code: u8,
}

fn usage(message: String) -> Outcome {
    Outcome {
        stdout: String::new(),
        stderr: vec![format!("error: {message}")],
        code: 2,
    }
}

/// Runs `playbook render` with `cwd` as the current directory.
pub fn run_in(cwd: &Path, options: &Options) -> Outcome {
    let event = match &options.event {
        None => None,
        Some((name, text)) => match serde_json::from_str::<serde_json::Value>(text) {
            Ok(json) => Some(Value::from_result_json(&json)),
            Err(error) => {
                return usage(format!("the event `{name}` is not JSON: {error}"));
            }
        },
    };
    let codes = crate::check::known_codes();
    let workspace = match playbook_workspace::load_workspace_in(
        cwd,
        std::slice::from_ref(&options.file),
        &codes,
    ) {
        Ok(workspace) => workspace,
        Err(error) => return usage(error.to_string()),
    };
    let Some(source) = workspace.checked_files().next() else {
        let shown = options.file.display();
        return usage(if workspace.skipped.is_empty() {
            format!("`{shown}` was not found, or is not a YAML file")
        } else {
            format!("`{shown}` is not a playbook file (it has no `kind: Playbook` document)")
        });
    };
    let key = path_key(&source.path);
    if let Err(error) = &source.text {
        return usage(format!("cannot read `{key}`: {error}"));
    }
    let (host, _) = into_analysis_host(workspace, PathStyle::Display);
    let Some(file) = host.file(&key) else {
        return usage(format!("cannot read `{key}`"));
    };
    let db = host.db();
    let text = host.file_text(&key).unwrap_or_default();
    // A file that does not parse would run something other than what is written.
    let broken: Vec<_> = playbook_db::queries::file_syntax(db, file)
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .cloned()
        .collect();
    if !broken.is_empty() {
        let mut stdout = crate::render::render_human(&key, text, &broken, options.color);
        stdout.push('\n');
        return Outcome {
            stdout,
            stderr: vec![format!(
                "error: `{key}` has syntax errors: fix them (see `playbook check`) before rendering it"
            )],
            code: 1,
        };
    }
    let playbooks = playbook_ide::playbooks(db, file);
    let name_of = |i: usize| {
        playbooks[i]
            .name
            .as_ref()
            .map_or_else(|| format!("#{}", i + 1), |n| n.value.clone())
    };
    let chosen: Vec<usize> = match &options.playbook {
        None => (0..playbooks.len()).collect(),
        Some(wanted) => {
            let found: Vec<usize> = (0..playbooks.len())
                .filter(|&i| name_of(i) == *wanted)
                .collect();
            if found.is_empty() {
                let names: Vec<String> = (0..playbooks.len()).map(name_of).collect();
                return usage(format!(
                    "`{key}` has no playbook `{wanted}`; it has {}",
                    names.join(", ")
                ));
            }
            found
        }
    };
    let mut outcome = Outcome::default();
    let index = playbook_ide::line_index(db, file);
    let mut reports = Vec::new();
    for i in chosen {
        let playbook = playbooks[i];
        let declared: Vec<&str> = playbook
            .parameters
            .iter()
            .map(|p| p.name.value.as_str())
            .collect();
        for (name, _) in &options.params {
            if !declared.contains(&name.as_str()) {
                let hint = playbook_hir::suggest::closest(name, declared.iter().copied())
                    .map_or_else(String::new, |s| format!("; did you mean `{s}`?"));
                return usage(format!(
                    "playbook `{}` has no parameter `{name}`{hint}",
                    name_of(i)
                ));
            }
        }
        let inputs = Inputs {
            params: options.params.iter().cloned().collect(),
            event: event.clone(),
            outputs: BTreeMap::new(),
        };
        let Some(run) = playbook_ide::dry_run(db, file, i, &inputs) else {
            continue;
        };
        if run.failure().is_some() {
            outcome.code = 1;
        }
        let lines = Lines { index };
        match options.format {
            Format::Human => {
                if !outcome.stdout.is_empty() {
                    outcome.stdout.push('\n');
                }
                human(
                    &mut outcome.stdout,
                    &name_of(i),
                    &key,
                    &run,
                    &lines,
                    options.color,
                );
            }
            Format::Json => reports.push(json(&name_of(i), &run, &lines)),
        }
    }
    if options.format == Format::Json {
        let report = serde_json::json!({ "file": key, "playbooks": reports });
        outcome.stdout = serde_json::to_string_pretty(&report).unwrap_or_default();
        outcome.stdout.push('\n');
    }
    outcome
}

/// 1-based line numbers of byte offsets.
struct Lines<'a> {
    index: &'a LineIndex,
}

impl Lines<'_> {
    fn of(&self, range: TextRange) -> u32 {
        self.index.line_col(range.start()).line + 1
    }
}

/// A rendered value as shown: quoted, or the error.
fn shown(rendered: &Rendered) -> String {
    match &rendered.text {
        Ok(text) => quote(text),
        Err(error) => format!("error: {}", error.message),
    }
}

/// `text` in double quotes with Rust-style escapes for control characters, so that every
/// value is one line.
fn quote(text: &str) -> String {
    format!("{text:?}")
}

/// A value as Go's `%v` would not: as JSON, which is what a reader can compare.
fn value_text(value: &Value) -> String {
    match value {
        Value::Missing => "<no value>".to_owned(),
        Value::String(s) => quote(s),
        other => playbook_eval::to_json(other),
    }
}

fn human(out: &mut String, name: &str, key: &str, run: &Run, lines: &Lines<'_>, color: bool) {
    let paint = Paint(color);
    let _ = writeln!(
        out,
        "{} {}",
        paint.bold(&format!("playbook `{name}`")),
        paint.dim(&format!("({key})"))
    );
    if !run.params.is_empty() {
        let _ = writeln!(out, "parameters:");
        let width = run.params.iter().map(|p| p.name.len()).max().unwrap_or(0);
        for param in &run.params {
            let source = match param.source {
                ParamSource::Given => "given",
                ParamSource::Default => "default",
                ParamSource::Missing => "not given, no default",
            };
            let _ = writeln!(
                out,
                "  {:width$}  {}  {}",
                param.name,
                value_text(&param.value),
                paint.dim(source)
            );
        }
    }
    let _ = writeln!(out, "steps:");
    let (mut ran, mut skipped) = (0, 0);
    for (depth, event) in &run.events {
        let pad = "  ".repeat(depth + 1);
        match event {
            Event::Step(step) => {
                if step.runs {
                    ran += 1;
                } else {
                    skipped += 1;
                }
                human_step(out, &pad, step, lines, &paint);
            }
            Event::Block { range, when, runs } => {
                let verdict = if *runs {
                    paint.green("block runs")
                } else {
                    paint.yellow("block skipped")
                };
                let why = when
                    .as_ref()
                    .map_or(String::new(), |w| format!(": when = {}", shown(w)));
                let _ = writeln!(out, "{pad}{verdict}{why}  {}", line(lines, *range, &paint));
            }
            Event::Loop {
                range,
                when,
                runs,
                items,
            } => {
                let verdict = if *runs {
                    paint.green(&format!("foreach over {}", plural(*items, "item")))
                } else {
                    paint.yellow("foreach skipped")
                };
                let why = when
                    .as_ref()
                    .map_or(String::new(), |w| format!(": when = {}", shown(w)));
                let _ = writeln!(out, "{pad}{verdict}{why}  {}", line(lines, *range, &paint));
            }
            Event::Iteration {
                index, key, value, ..
            } => {
                let _ = writeln!(
                    out,
                    "{pad}{} key = {}, value = {}",
                    paint.bold(&format!("[{index}]")),
                    value_text(key),
                    value_text(value)
                );
            }
            Event::Break { when, stops, .. } => {
                let verdict = if *stops {
                    "break: stops"
                } else {
                    "break: goes on"
                };
                let _ = writeln!(out, "{pad}{verdict} (when = {})", shown(when));
            }
            Event::Failed { range, message } => {
                let _ = writeln!(
                    out,
                    "{pad}{} {message}  {}",
                    paint.red("failed:"),
                    line(lines, *range, &paint)
                );
            }
        }
    }
    let failed = run.failure().is_some();
    let _ = writeln!(
        out,
        "{}: {} run, {skipped} skipped{}",
        if failed {
            paint.red("run failed")
        } else {
            paint.green("run done")
        },
        plural(ran, "step"),
        if failed {
            ", then a template failed"
        } else {
            ""
        }
    );
}

fn line(lines: &Lines<'_>, range: TextRange, paint: &Paint) -> String {
    paint.dim(&format!("(line {})", lines.of(range)))
}

fn human_step(out: &mut String, pad: &str, step: &StepRun, lines: &Lines<'_>, paint: &Paint) {
    let id = step.id.as_deref().unwrap_or("(no id)");
    let verdict = if step.runs {
        paint.green("run ")
    } else {
        paint.yellow("skip")
    };
    let _ = writeln!(
        out,
        "{pad}{verdict} {} {}  {}",
        paint.bold(id),
        step.image,
        line(lines, step.range, paint)
    );
    let detail = format!("{pad}     ");
    if let Some(when) = &step.when {
        let _ = writeln!(out, "{detail}when = {}", shown(when));
    }
    if !step.runs {
        return;
    }
    for (key, value) in &step.env {
        let _ = writeln!(out, "{detail}env {key} = {}", shown(value));
    }
    for (n, arg) in step.args.iter().enumerate() {
        let _ = writeln!(out, "{detail}args[{n}] = {}", shown(arg));
    }
    if let Some(runner) = &step.runner {
        let _ = writeln!(out, "{detail}runner = {}", shown(runner));
    }
    if let Some(reference) = &step.integration_ref {
        let _ = writeln!(out, "{detail}envFrom.integrationRef = {}", shown(reference));
    }
    let fields = match &step.outputs {
        Value::Map(fields) => fields
            .keys()
            .filter(|k| *k != "output")
            .cloned()
            .collect::<Vec<_>>(),
        _ => Vec::new(),
    };
    let from = match step.output_source {
        OutputSource::Given => "outputs (given)",
        OutputSource::Examples => "outputs (the manifest's examples)",
        OutputSource::None => "outputs: none known (no manifest example)",
    };
    if step.output_source == OutputSource::None {
        let _ = writeln!(out, "{detail}{}", paint.dim(from));
    } else {
        let _ = writeln!(out, "{detail}{}: {}", paint.dim(from), fields.join(", "));
    }
}

/// A value as JSON.
fn json_value(value: &Value) -> serde_json::Value {
    match value {
        Value::Missing => serde_json::Value::Null,
        other => {
            serde_json::from_str(&playbook_eval::to_json(other)).unwrap_or(serde_json::Value::Null)
        }
    }
}

fn json_rendered(rendered: &Rendered, lines: &Lines<'_>) -> serde_json::Value {
    match &rendered.text {
        Ok(text) => serde_json::json!({ "line": lines.of(rendered.range), "value": text }),
        Err(error) => {
            serde_json::json!({ "line": lines.of(rendered.range), "error": error.message })
        }
    }
}

fn json(name: &str, run: &Run, lines: &Lines<'_>) -> serde_json::Value {
    let params: Vec<_> = run
        .params
        .iter()
        .map(|p| {
            serde_json::json!({
                "name": p.name,
                "value": json_value(&p.value),
                "source": match p.source {
                    ParamSource::Given => "given",
                    ParamSource::Default => "default",
                    ParamSource::Missing => "missing",
                },
            })
        })
        .collect();
    let rendered = |r: &Option<Rendered>| {
        r.as_ref()
            .map_or(serde_json::Value::Null, |r| json_rendered(r, lines))
    };
    let events: Vec<_> = run
        .events
        .iter()
        .map(|(depth, event)| match event {
            Event::Step(step) => serde_json::json!({
                "kind": "step",
                "depth": depth,
                "line": lines.of(step.range),
                "id": step.id,
                "image": step.image,
                "iterations": step.iterations,
                "runs": step.runs,
                "when": rendered(&step.when),
                "env": step.env.iter().map(|(k, v)| (k.clone(), json_rendered(v, lines))).collect::<serde_json::Map<_, _>>(),
                "args": step.args.iter().map(|a| json_rendered(a, lines)).collect::<Vec<_>>(),
                "runner": rendered(&step.runner),
                "integrationRef": rendered(&step.integration_ref),
                "outputs": {
                    "source": match step.output_source {
                        OutputSource::Given => "given",
                        OutputSource::Examples => "examples",
                        OutputSource::None => "none",
                    },
                    "value": json_value(&step.outputs),
                },
            }),
            Event::Block { range, when, runs } => serde_json::json!({
                "kind": "block", "depth": depth, "line": lines.of(*range),
                "runs": runs, "when": rendered(when),
            }),
            Event::Loop { range, when, runs, items } => serde_json::json!({
                "kind": "foreach", "depth": depth, "line": lines.of(*range),
                "runs": runs, "when": rendered(when), "items": items,
            }),
            Event::Iteration { range, index, key, value } => serde_json::json!({
                "kind": "iteration", "depth": depth, "line": lines.of(*range),
                "index": index, "key": json_value(key), "value": json_value(value),
            }),
            Event::Break { range, when, stops } => serde_json::json!({
                "kind": "break", "depth": depth, "line": lines.of(*range),
                "when": json_rendered(when, lines), "stops": stops,
            }),
            Event::Failed { range, message } => serde_json::json!({
                "kind": "failed", "depth": depth, "line": lines.of(*range), "message": message,
            }),
        })
        .collect();
    serde_json::json!({
        "name": name,
        "params": params,
        "events": events,
        "failed": run.failure().map(|(range, message)| serde_json::json!({
            "line": lines.of(range), "message": message,
        })),
    })
}
