//! The checks of a test file (`kind: PlaybookTest`, run by `playbook test`) against the
//! playbook it names: the playbook exists (PB701), the parameters given are the playbook's
//! (PB702), every step id mocked or expected is a step of it (PB703), mocked outputs are
//! declared by the step's manifest (PB704, a warning: manifests are often incomplete),
//! expected inputs are set by the step (PB705), `matches` patterns compile (PB706), and an
//! expectation's `iteration` fits the loops around its step (PB707). Errors only where the
//! case surely tests nothing or surely fails.

use playbook_diagnostics::{Diagnostic, TextRange};
use playbook_hir::ir::{
    InputKey, LoopSource, MatchKind, Matcher, Playbook, PlaybookTest, Spanned, Step, StepCall,
    StepLoop, describe_iteration,
};
use playbook_hir::suggest::closest;

use crate::checks::{
    did_you_mean, invalid_test_iteration, invalid_test_pattern, undeclared_mocked_output,
    unknown_test_parameter, unknown_test_step, unknown_tested_playbook, unset_expected_input,
};
use crate::{Workspace, interface};

/// Checks one test document against the workspace.
pub fn check_test(test: &PlaybookTest, workspace: &dyn Workspace) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for case in &test.cases {
        for m in case
            .fails
            .iter()
            .chain(case.inputs.iter().map(|i| &i.matcher))
        {
            check_pattern(m, &mut out);
        }
    }
    let Some(name) = &test.playbook else {
        return out;
    };
    let Some(playbook) = workspace.playbook(&name.value) else {
        let known = workspace.playbook_names();
        let suggestion = closest(&name.value, known.iter().map(String::as_str));
        out.push(
            Diagnostic::new(
                &unknown_tested_playbook::CODE,
                name.range,
                format!("no playbook is named `{}`", name.value),
            )
            .with_label(did_you_mean(suggestion, "not a playbook of this workspace"))
            .with_help(match suggestion {
                Some(s) => format!("did you mean `{s}`? use the `metadata.name` of a playbook"),
                None => "use the `metadata.name` of a playbook".to_owned(),
            }),
        );
        return out;
    };
    let playbook_name = &name.value;
    let calls = calls(playbook);
    let ids: Vec<&str> = calls
        .iter()
        .filter_map(|(c, _)| c.id.as_ref().map(|i| i.value.as_str()))
        .collect();
    let located = |id: &str| {
        calls
            .iter()
            .find(|(c, _)| c.id.as_ref().is_some_and(|i| i.value == id))
    };
    let call = |id: &str| located(id).map(|(c, _)| *c);
    let unknown_step = |id: &str, range: TextRange, out: &mut Vec<Diagnostic>| {
        let suggestion = closest(id, ids.iter().copied());
        out.push(
            Diagnostic::new(
                &unknown_test_step::CODE,
                range,
                format!("playbook `{playbook_name}` has no step `{id}`"),
            )
            .with_label(did_you_mean(suggestion, "not a step id of the playbook"))
            .with_help(match suggestion {
                Some(s) => format!("did you mean `{s}`? use the `id` of one of its steps"),
                None => "use the `id` of one of the playbook's steps".to_owned(),
            }),
        );
    };
    for case in &test.cases {
        for (param, _) in &case.params {
            if playbook
                .parameters
                .iter()
                .any(|p| p.name.value == param.value)
            {
                continue;
            }
            let declared = playbook.parameters.iter().map(|p| p.name.value.as_str());
            let suggestion = closest(&param.value, declared);
            out.push(
                Diagnostic::new(
                    &unknown_test_parameter::CODE,
                    param.range,
                    format!(
                        "playbook `{playbook_name}` has no parameter `{}`",
                        param.value
                    ),
                )
                .with_label(did_you_mean(suggestion, "not a parameter of the playbook"))
                .with_help(match suggestion {
                    Some(s) => format!(
                        "did you mean `{s}`? use one of the parameters the playbook declares"
                    ),
                    None => "use one of the parameters the playbook declares".to_owned(),
                }),
            );
        }
        for mocked in &case.outputs {
            let Some(call) = call(&mocked.step.value) else {
                unknown_step(&mocked.step.value, mocked.step.range, &mut out);
                continue;
            };
            let candidates = workspace.manifests(&call.image.value);
            let Some(manifest) = interface::select(&candidates, call) else {
                continue;
            };
            let declared: Vec<&str> = manifest
                .outputs
                .iter()
                .map(|o| o.name.value.as_str())
                .collect();
            for (field, _) in &mocked.fields {
                // `output` is the raw result every step has.
                if field.value == "output" || declared.contains(&field.value.as_str()) {
                    continue;
                }
                let suggestion = closest(&field.value, declared.iter().copied());
                out.push(
                    Diagnostic::new(
                        &undeclared_mocked_output::CODE,
                        field.range,
                        format!(
                            "the manifest of step `{}` declares no output `{}`",
                            mocked.step.value, field.value
                        ),
                    )
                    .with_label(did_you_mean(suggestion, "not an output of the step"))
                    .with_help(match suggestion {
                        Some(s) => format!("did you mean `{s}`? or add the output to the manifest"),
                        None => "mock an output the manifest declares, or add it to the manifest"
                            .to_owned(),
                    }),
                );
            }
        }
        for id in case.runs.iter().chain(&case.skips) {
            if call(&id.value).is_none() {
                unknown_step(&id.value, id.range, &mut out);
            }
        }
        let mut reported: Vec<TextRange> = Vec::new();
        for expectation in &case.inputs {
            let step = &expectation.step;
            let Some((call, loops)) = located(&step.value) else {
                if !reported.contains(&step.range) {
                    reported.push(step.range);
                    unknown_step(&step.value, step.range, &mut out);
                }
                continue;
            };
            if let Some(iteration) = &expectation.iteration
                && !reported.contains(&iteration.range)
            {
                reported.push(iteration.range);
                out.extend(check_iteration(&step.value, iteration, loops));
            }
            if sets(call, &expectation.key) || reported.contains(&expectation.key.range()) {
                continue;
            }
            reported.push(expectation.key.range());
            // An `env` the lowering could not read is not known to be unset.
            if call.env_unreadable && matches!(expectation.key, InputKey::Env(_)) {
                continue;
            }
            let (what, label, help) = match &expectation.key {
                InputKey::Env(name) => {
                    let suggestion =
                        closest(&name.value, call.env.iter().map(|e| e.name.value.as_str()));
                    (
                        format!("env `{}`", name.value),
                        did_you_mean(suggestion, "never set by the step"),
                        match suggestion {
                            Some(s) => format!(
                                "did you mean `{s}`? expect a variable the step's `env` sets"
                            ),
                            None => "expect a variable the step's `env` sets".to_owned(),
                        },
                    )
                }
                InputKey::Arg(index) => (
                    format!("argument {}", index.value),
                    format!("the step has {} argument(s)", call.args.len()),
                    "arguments are counted from 0".to_owned(),
                ),
                InputKey::Runner(_) => (
                    "runner".to_owned(),
                    "the step has no `runner`".to_owned(),
                    "expect a runner only of a step that sets one".to_owned(),
                ),
                InputKey::IntegrationRef(_) => (
                    "`envFrom.integrationRef`".to_owned(),
                    "the step has no `envFrom.integrationRef`".to_owned(),
                    "expect an integration only of a step that is given one".to_owned(),
                ),
            };
            out.push(
                Diagnostic::new(
                    &unset_expected_input::CODE,
                    expectation.key.range(),
                    format!("step `{}` sets no {what}", step.value),
                )
                .with_label(label)
                .with_help(help),
            );
        }
    }
    out
}

/// PB706: a `matches` that does not compile.
fn check_pattern(matcher: &Matcher, out: &mut Vec<Diagnostic>) {
    if matcher.kind != MatchKind::Matches {
        return;
    }
    if let Err(error) = regex::RegexBuilder::new(&matcher.value.value)
        .size_limit(1 << 20)
        .build()
    {
        let reason = match &error {
            regex::Error::Syntax(text) => text
                .lines()
                .last()
                .unwrap_or("invalid")
                .trim_start_matches("error: ")
                .to_owned(),
            other => other.to_string(),
        };
        out.push(
            Diagnostic::new(
                &invalid_test_pattern::CODE,
                matcher.value.range,
                format!("invalid regular expression: {reason}"),
            )
            .with_label(reason)
            .with_help("`matches` takes a regular expression (Rust `regex` syntax); escape the characters meant literally"),
        );
    }
}

/// Whether `call` sets the input `key`.
fn sets(call: &StepCall, key: &InputKey) -> bool {
    match key {
        InputKey::Env(name) => call.env.iter().any(|e| e.name.value == name.value),
        InputKey::Arg(index) => index.value < call.args.len(),
        InputKey::Runner(_) => call.runner.is_some(),
        InputKey::IntegrationRef(_) => call.integration_ref.is_some(),
    }
}

/// PB707: an `iteration` that no run of the step can have, given `loops`, the loops around
/// it (outermost first).
fn check_iteration(
    step: &str,
    iteration: &Spanned<Vec<usize>>,
    loops: &[&StepLoop],
) -> Option<Diagnostic> {
    let given = &iteration.value;
    let diagnostic = |message: String, label: String, help: String| {
        Diagnostic::new(&invalid_test_iteration::CODE, iteration.range, message)
            .with_label(label)
            .with_help(help)
    };
    if loops.is_empty() {
        return Some(diagnostic(
            format!("step `{step}` is not in a loop: it runs at most once"),
            "not inside a `foreach`".to_owned(),
            "remove `iteration`: the expectation is about the step's one run".to_owned(),
        ));
    }
    if given.len() != loops.len() {
        let example = describe_iteration(&vec![0; loops.len()]);
        return Some(diagnostic(
            format!(
                "step `{step}` is inside {}, but `iteration` gives {}",
                plural(loops.len() as u64, "loop", "loops"),
                plural(given.len() as u64, "index", "indices")
            ),
            "one index per loop around the step".to_owned(),
            if loops.len() == 1 {
                "give the index of the loop's run, from 0: `iteration: 0`".to_owned()
            } else {
                format!(
                    "give the index of each loop around the step, outermost first: `iteration: {example}`"
                )
            },
        ));
    }
    for (depth, (&index, lp)) in given.iter().zip(loops).enumerate() {
        let Some(LoopSource::Range { from, to }) = &lp.source else {
            continue;
        };
        // `range: [a, b]` runs from a to b included.
        let count = if to.value < from.value {
            0
        } else {
            u128::from(to.value.abs_diff(from.value)) + 1
        };
        if (index as u128) < count {
            continue;
        }
        let which = if loops.len() == 1 {
            "the loop around it".to_owned()
        } else {
            format!(
                "loop {} of {} around it (outermost first)",
                depth + 1,
                loops.len()
            )
        };
        return Some(diagnostic(
            format!(
                "step `{step}` has no iteration {index}: {which} runs {} (`range: [{}, {}]`)",
                plural(count, "time", "times"),
                from.value,
                to.value
            ),
            match count {
                0 => "the loop runs no iteration".to_owned(),
                n => format!("the last iteration is {}", n - 1),
            },
            "iterations are counted from 0, in the order the loop runs them".to_owned(),
        ));
    }
    None
}

/// `1 loop`, `2 loops`.
fn plural(n: impl Into<u128>, one: &str, many: &str) -> String {
    let n: u128 = n.into();
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Every step call of a playbook, in blocks and loops too, with the loops around it
/// (outermost first).
fn calls(playbook: &Playbook) -> Vec<(&StepCall, Vec<&StepLoop>)> {
    let mut out = Vec::new();
    let mut stack: Vec<(&[Step], Vec<&StepLoop>)> = vec![(&playbook.steps, Vec::new())];
    while let Some((steps, loops)) = stack.pop() {
        for step in steps {
            match step {
                Step::Call(call) => out.push((call, loops.clone())),
                Step::Block(block) => stack.push((&block.steps, loops.clone())),
                Step::Loop(lp) => {
                    let mut inner = loops.clone();
                    inner.push(lp);
                    stack.push((&lp.steps, inner));
                }
            }
        }
    }
    out
}
