//! The checks of a test file (`kind: PlaybookTest`, run by `playbook test`) against the
//! playbook it names: the playbook exists (PB701), the parameters given are the playbook's
//! (PB702), every step id mocked or expected is a step of it (PB703), mocked outputs are
//! declared by the step's manifest (PB704, a warning: manifests are often incomplete),
//! expected inputs are set by the step (PB705), and `matches` patterns compile (PB706).
//! Errors only where the case surely tests nothing or surely fails.

use playbook_diagnostics::{Diagnostic, TextRange};
use playbook_hir::ir::{InputKey, MatchKind, Matcher, Playbook, PlaybookTest, Step, StepCall};
use playbook_hir::suggest::closest;

use crate::checks::{
    did_you_mean, invalid_test_pattern, undeclared_mocked_output, unknown_test_parameter,
    unknown_test_step, unknown_tested_playbook, unset_expected_input,
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
        .filter_map(|c| c.id.as_ref().map(|i| i.value.as_str()))
        .collect();
    let call = |id: &str| {
        calls
            .iter()
            .copied()
            .find(|c| c.id.as_ref().is_some_and(|i| i.value == id))
    };
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
            let Some(call) = call(&step.value) else {
                if !reported.contains(&step.range) {
                    reported.push(step.range);
                    unknown_step(&step.value, step.range, &mut out);
                }
                continue;
            };
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
    }
}

/// Every step call of a playbook, in blocks and loops too.
fn calls(playbook: &Playbook) -> Vec<&StepCall> {
    let mut out = Vec::new();
    let mut stack: Vec<&[Step]> = vec![&playbook.steps];
    while let Some(steps) = stack.pop() {
        for step in steps {
            match step {
                Step::Call(call) => out.push(call),
                Step::Block(block) => stack.push(&block.steps),
                Step::Loop(lp) => stack.push(&lp.steps),
            }
        }
    }
    out
}
