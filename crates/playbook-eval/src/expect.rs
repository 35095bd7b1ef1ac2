//! The judge of `playbook test`: what a test case ([`TestCase`], a `kind: PlaybookTest`
//! document's case) gives a run ([`inputs`]), and which of its expectations the run meets
//! ([`judge`]).
//!
//! Each failed expectation is a [`Failure`] at the expectation's range in the test file,
//! with what was expected and what the run did, so that the report points at the line to
//! read. A case with no expectation fails: a test never passes by default. A run that fails
//! (a template that cannot render) fails the case unless the case expects it (`fails`).
//!
//! Choices, documented in `docs/testing.md`:
//! - a step "runs" when at least one call of that id ran, and is "skipped" when none did
//!   (a step in a block that did not run, or after the run failed, is skipped too);
//! - the inputs of a step that runs several times (in a loop) are those of its first run,
//!   unless the expectation names a run with `iteration` (the index of each loop around
//!   the step, outermost first, from 0), which must have run;
//! - numbers in events and mocked outputs keep integers as `int`s, as the run reads the
//!   manifests' examples ([`Value::from_result_json`]);
//! - `matches` is a regular expression (Rust's `regex` syntax) found anywhere in the value
//!   unless anchored with `^` and `$`.

use std::collections::BTreeMap;
use std::sync::Arc;

use playbook_diagnostics::TextRange;
use playbook_hir::ir::{
    InputKey, MatchKind, Matcher, Playbook, Step, TestCase, describe_iteration,
};

use crate::Value;
use crate::run::{Inputs, Rendered, Run, StepRun};

/// One expectation the run did not meet.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Failure {
    /// The expectation's range in the test file.
    pub range: TextRange,
    /// What went wrong, in a phrase: "step `notify` did not run".
    pub message: String,
    /// What the test expected (`equals "db1"`), when there is a value to show.
    pub expected: Option<String>,
    /// What the run gave.
    pub actual: Option<String>,
}

impl Failure {
    fn new(range: TextRange, message: impl Into<String>) -> Failure {
        Failure {
            range,
            message: message.into(),
            expected: None,
            actual: None,
        }
    }

    fn values(mut self, expected: impl Into<String>, actual: impl Into<String>) -> Failure {
        self.expected = Some(expected.into());
        self.actual = Some(actual.into());
        self
    }
}

/// What a case gives the run: its parameters, event and mocked outputs.
pub fn inputs(case: &TestCase) -> Inputs {
    Inputs {
        params: case
            .params
            .iter()
            .map(|(name, value)| (name.value.clone(), value.value.clone()))
            .collect(),
        event: case
            .event
            .as_ref()
            .map(|e| Value::from_result_json(&e.value)),
        outputs: case
            .outputs
            .iter()
            .map(|mocked| {
                let fields: BTreeMap<String, Value> = mocked
                    .fields
                    .iter()
                    .map(|(name, value)| (name.value.clone(), Value::from_result_json(value)))
                    .collect();
                (mocked.step.value.clone(), Value::Map(Arc::new(fields)))
            })
            .collect(),
    }
}

/// The expectations of `case` that `run` (a run of `playbook` with [`inputs`]) does not
/// meet; empty when the case passes.
pub fn judge(case: &TestCase, playbook: &Playbook, run: &Run) -> Vec<Failure> {
    let mut out = Vec::new();
    let at = case.name.as_ref().map_or(case.range, |n| n.range);
    if !case.has_expectations() {
        out.push(Failure::new(
            at,
            "the case expects nothing (add `runs`, `skips`, `inputs` or `fails`)",
        ));
    }
    let ids = step_ids(&playbook.steps);
    let first_run = |id: &str| run_of(run, id, None);
    for id in &case.runs {
        if first_run(&id.value).is_none() {
            out.push(
                Failure::new(id.range, format!("step `{}` did not run", id.value))
                    .values("runs", why_not(run, &ids, &id.value)),
            );
        }
    }
    for id in &case.skips {
        if let Some(step) = first_run(&id.value) {
            let actual = match &step.when {
                Some(when) => format!("runs (`when` is {})", shown(when)),
                None => "runs (it has no `when`)".to_owned(),
            };
            out.push(
                Failure::new(id.range, format!("step `{}` ran", id.value))
                    .values("skipped", actual),
            );
        } else if !ids.contains(&id.value.as_str()) {
            out.push(Failure::new(
                id.range,
                format!("the playbook has no step `{}`", id.value),
            ));
        }
    }
    // The `iteration`s whose run is missing, reported once each.
    let mut missing_runs: Vec<TextRange> = Vec::new();
    for expectation in &case.inputs {
        let id = &expectation.step;
        let wanted = expectation.iteration.as_ref().map(|i| i.value.as_slice());
        let in_iteration = wanted.map_or(String::new(), |i| {
            format!(" in iteration {}", describe_iteration(i))
        });
        let Some(step) = run_of(run, &id.value, wanted) else {
            let failure = match (&expectation.iteration, wanted) {
                // Said once, at the `iteration`, for all the expectations of that run.
                (Some(iteration), Some(wanted)) => {
                    if missing_runs.contains(&iteration.range) {
                        continue;
                    }
                    missing_runs.push(iteration.range);
                    Failure::new(
                        iteration.range,
                        format!("step `{}` did not run{in_iteration}", id.value),
                    )
                    .values(
                        format!("runs in iteration {}", describe_iteration(wanted)),
                        why_not_in(run, &ids, &id.value, wanted),
                    )
                }
                _ => Failure::new(
                    expectation.matcher.value.range,
                    format!("step `{}` did not run", id.value),
                )
                .values(
                    describe(&expectation.matcher),
                    why_not(run, &ids, &id.value),
                ),
            };
            out.push(failure);
            continue;
        };
        let what = expectation.key.describe();
        let Some(rendered) = input(step, &expectation.key) else {
            out.push(
                Failure::new(
                    expectation.key.range(),
                    format!("step `{}` does not set {what}", id.value),
                )
                .values(describe(&expectation.matcher), "not set"),
            );
            continue;
        };
        let actual = match &rendered.text {
            Ok(text) => text.clone(),
            // The run failed here: the failure is reported once, below.
            Err(_) => continue,
        };
        if let Err(problem) = compare(&expectation.matcher, &actual) {
            out.push(
                Failure::new(
                    expectation.matcher.value.range,
                    format!("{what} of step `{}`{in_iteration} {problem}", id.value),
                )
                .values(describe(&expectation.matcher), quote(&actual)),
            );
        }
    }
    match (run.failure(), case.fails.is_empty()) {
        (Some((_, message)), true) => {
            out.push(Failure::new(at, "the run failed").values("no error", message.to_owned()))
        }
        (Some((_, message)), false) => {
            for matcher in &case.fails {
                if let Err(problem) = compare(matcher, message) {
                    out.push(
                        Failure::new(matcher.value.range, format!("the run's error {problem}"))
                            .values(describe(matcher), quote(message)),
                    );
                }
            }
        }
        (None, false) => {
            for matcher in &case.fails {
                out.push(
                    Failure::new(matcher.value.range, "the run did not fail")
                        .values(describe(matcher), "no error"),
                );
            }
        }
        (None, true) => {}
    }
    out
}

/// The run of step `id` that an expectation is about: the one in iteration `wanted` (the
/// index of each loop around it, outermost first), else its first.
fn run_of<'r>(run: &'r Run, id: &str, wanted: Option<&[usize]>) -> Option<&'r StepRun> {
    run.steps()
        .find(|s| s.runs && s.id.as_deref() == Some(id) && wanted.is_none_or(|w| s.iterations == w))
}

/// Why step `id` did not run in iteration `wanted`, in a phrase: skipped there, or the
/// iterations it ran in, or why it never ran.
fn why_not_in(run: &Run, ids: &[&str], id: &str, wanted: &[usize]) -> String {
    let mut ran = Vec::new();
    for step in run.steps().filter(|s| s.id.as_deref() == Some(id)) {
        if step.iterations == wanted {
            return match &step.when {
                Some(when) => format!("skipped (`when` is {})", shown(when)),
                None => "skipped".to_owned(),
            };
        }
        if step.runs {
            ran.push(describe_iteration(&step.iterations));
        }
    }
    match ran.len() {
        0 => why_not(run, ids, id),
        1 => format!("ran in iteration {} only", ran.join("")),
        // A loop of thousands of runs is named by its first and last.
        n if n > 10 => format!(
            "ran in {n} iterations, {} to {}",
            ran.first().map_or("", String::as_str),
            ran.last().map_or("", String::as_str)
        ),
        _ => format!("ran in iterations {} only", ran.join(", ")),
    }
}

/// Why step `id` did not run, in a phrase.
fn why_not(run: &Run, ids: &[&str], id: &str) -> String {
    if !ids.contains(&id) {
        return "the playbook has no step of this id".to_owned();
    }
    let skipped: Option<&StepRun> = run.steps().find(|s| s.id.as_deref() == Some(id));
    match skipped.and_then(|s| s.when.as_ref()) {
        Some(when) => format!("skipped (`when` is {})", shown(when)),
        None if skipped.is_some() => "skipped".to_owned(),
        None if run.failure().is_some() => "not reached (the run failed before it)".to_owned(),
        None => "not reached (a block or loop around it did not run)".to_owned(),
    }
}

fn shown(rendered: &Rendered) -> String {
    match &rendered.text {
        Ok(text) => quote(text),
        Err(error) => format!("an error: {}", error.message),
    }
}

/// The rendered input `key` of a step.
fn input<'r>(step: &'r StepRun, key: &InputKey) -> Option<&'r Rendered> {
    match key {
        InputKey::Env(name) => step
            .env
            .iter()
            .find(|(n, _)| *n == name.value)
            .map(|(_, r)| r),
        InputKey::Arg(index) => step.args.get(index.value),
        InputKey::Runner(_) => step.runner.as_ref(),
        InputKey::IntegrationRef(_) => step.integration_ref.as_ref(),
    }
}

/// Whether `actual` meets `matcher`; else what is wrong, as the end of a sentence.
pub fn compare(matcher: &Matcher, actual: &str) -> Result<(), String> {
    let expected = &matcher.value.value;
    match matcher.kind {
        MatchKind::Equals if actual == expected => Ok(()),
        MatchKind::Equals => Err("differs".to_owned()),
        MatchKind::Contains if actual.contains(expected.as_str()) => Ok(()),
        MatchKind::Contains => Err(format!("does not contain {}", quote(expected))),
        MatchKind::Matches => match regex(expected) {
            Ok(re) if re.is_match(actual) => Ok(()),
            Ok(_) => Err(format!("does not match /{expected}/")),
            Err(error) => Err(format!("cannot be matched: {error}")),
        },
    }
}

/// A test's regular expression, compiled with a bound on its size.
pub fn regex(pattern: &str) -> Result<regex::Regex, String> {
    regex::RegexBuilder::new(pattern)
        .size_limit(1 << 20)
        .build()
        .map_err(|error| match error {
            regex::Error::Syntax(text) => text
                .lines()
                .last()
                .unwrap_or("invalid regular expression")
                .trim_start_matches("error: ")
                .to_owned(),
            other => other.to_string(),
        })
}

/// `equals "db1"`.
fn describe(matcher: &Matcher) -> String {
    match matcher.kind {
        MatchKind::Matches => format!("matches /{}/", matcher.value.value),
        kind => format!("{} {}", kind.as_str(), quote(&matcher.value.value)),
    }
}

/// A value as a JSON string: quotes, and escapes for line breaks and control characters.
fn quote(text: &str) -> String {
    serde_json::Value::String(text.to_owned()).to_string()
}

/// The ids of every step call of a playbook, blocks and loops included.
pub fn step_ids(steps: &[Step]) -> Vec<&str> {
    let mut out = Vec::new();
    let mut stack: Vec<&[Step]> = vec![steps];
    while let Some(steps) = stack.pop() {
        for step in steps {
            match step {
                Step::Call(call) => out.extend(call.id.as_ref().map(|i| i.value.as_str())),
                Step::Block(block) => stack.push(&block.steps),
                Step::Loop(lp) => stack.push(&lp.steps),
            }
        }
    }
    out
}
