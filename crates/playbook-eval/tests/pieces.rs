//! A run in pieces ([`run_pieces`]) after an edit is the run made from scratch, event for
//! event, whatever the edit; and it takes over the pieces the edit left alone.
//!
//! Playbooks are built from random steps (calls with and without ids, `when`s, blocks,
//! loops with variables that shadow outputs, templates that fail) and edited at random
//! (a value changed, a step added, removed or moved down by a comment, an id renamed, a
//! parameter's default changed); the library of steps changes too.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::sync::Arc;

use playbook_eval::Value;
use playbook_eval::run::{Inputs, Library, Pieces, example_result, run_pieces, run_with};
use playbook_hir::ir::{Item, Playbook, StepCall, StepManifest};
use proptest::prelude::*;

const PODS: &str = r#"apiVersion: stackpulse.io/v1
kind: Step
metadata:
  name: pods/list
outputs:
  - name: pods
    type: json
    example: '[{"name": "api-1", "restarts": 7}, {"name": "api-2", "restarts": 0}]'
  - name: cluster
    type: string
    example: prod-eu
"#;

/// The same manifest with other examples: a library edited between two runs.
const PODS_EDITED: &str = r#"apiVersion: stackpulse.io/v1
kind: Step
metadata:
  name: pods/list
outputs:
  - name: pods
    type: json
    example: '[{"name": "web-1", "restarts": 0}]'
  - name: cluster
    type: string
    example: prod-us
"#;

const POST: &str = r#"apiVersion: stackpulse.io/v1
kind: Step
metadata:
  name: chat/post
outputs:
  - name: ts
    type: string
    example: "1700000000.0001"
"#;

/// The manifests by image, and the generation the library says it is (or none).
struct Lib {
    manifests: BTreeMap<String, StepManifest>,
    generation: Option<u64>,
}

impl Lib {
    fn new(texts: &[&str], generation: Option<u64>) -> Lib {
        let mut manifests = BTreeMap::new();
        for text in texts {
            let file = playbook_hir::lower(playbook_syntax::parse(text).tree()).file;
            for item in file.items {
                if let Item::Step(manifest) = item {
                    let name = manifest.name.as_ref().unwrap().value.clone();
                    manifests.insert(name, *manifest);
                }
            }
        }
        Lib {
            manifests,
            generation,
        }
    }
}

impl Library for Lib {
    fn outputs(&self, call: &StepCall) -> Value {
        self.manifests
            .get(&call.image.value)
            .map_or(Value::Missing, example_result)
    }

    fn generation(&self) -> Option<u64> {
        self.generation
    }
}

/// A value of an input: templates that read parameters, outputs by id and at the root, loop
/// variables; plain text; and, rarer (from [`SAFE`] on), templates that fail. Some have the
/// same length, so that an edit from one to the other moves nothing.
const VALUES: &[&str] = &[
    "plain text",
    "other text",
    "{{ $.params.Namespace }}",
    "{{ $.params.Mode }}-{{ $.params.Missing }}",
    "{{ $.s0.pods }}",
    "{{ $.s1.cluster }}",
    "{{ $.s0.cluster }}",
    "{{ .cluster }}",
    "{{ $.pod.name }}",
    "{{ $.s2.ts }}",
    "{{ $.s0.ts }}",
    "{{ len $.s0.pods }} pods",
    "{{ fail \\\"stop\\\" }}",
];
const SAFE: usize = 11;

/// A `when`; from [`SAFE_WHENS`] on, one that may fail.
const WHENS: &[&str] = &[
    "{{ eq $.params.Namespace \\\"default\\\" }}",
    "false",
    "{{ .nope.nope }}",
    "{{ eq $.s0.cluster \\\"prod-eu\\\" }}",
    "{{ eq $.s1.cluster \\\"prod-eu\\\" }}",
    "{{ gt (len $.s0.pods) 1 }}",
];
const SAFE_WHENS: usize = 5;

fn value() -> impl Strategy<Value = usize> {
    prop_oneof![40 => 0..SAFE, 1 => SAFE..VALUES.len()]
}

fn when() -> impl Strategy<Value = usize> {
    prop_oneof![20 => 0..SAFE_WHENS, 1 => SAFE_WHENS..WHENS.len()]
}

#[derive(Clone, Debug)]
enum Spec {
    Call {
        image: usize,
        id: Option<usize>,
        values: Vec<usize>,
        when: Option<usize>,
        /// A comment line before the step: it moves what follows without changing it.
        comment: bool,
    },
    Block {
        when: usize,
        steps: Vec<Spec>,
    },
    Loop {
        /// `s0.pods`, a template, or a range.
        source: usize,
        /// `pod`, or `cluster` (which shadows the output of that name at the root).
        value: usize,
        break_when: Option<usize>,
        steps: Vec<Spec>,
    },
}

const IMAGES: &[&str] = &["pods/list", "chat/post", "unknown/step"];

fn call() -> impl Strategy<Value = Spec> {
    (
        0..IMAGES.len(),
        proptest::option::of(0..4usize),
        proptest::collection::vec(value(), 0..3),
        proptest::option::weighted(0.3, when()),
        proptest::bool::weighted(0.2),
    )
        .prop_map(|(image, id, values, when, comment)| Spec::Call {
            image,
            id,
            values,
            when,
            comment,
        })
}

fn spec() -> impl Strategy<Value = Spec> {
    prop_oneof![
        6 => call(),
        1 => (when(), proptest::collection::vec(call(), 1..3))
            .prop_map(|(when, steps)| Spec::Block { when, steps }),
        1 => (0..3usize, 0..2usize, proptest::option::of(when()), proptest::collection::vec(call(), 1..3))
            .prop_map(|(source, value, break_when, steps)| Spec::Loop { source, value, break_when, steps }),
    ]
}

#[derive(Clone, Debug)]
struct Doc {
    /// The default of `Mode`.
    mode: usize,
    steps: Vec<Spec>,
}

fn write_steps(out: &mut String, steps: &[Spec], indent: usize) {
    let pad = " ".repeat(indent);
    for step in steps {
        match step {
            Spec::Call {
                image,
                id,
                values,
                when,
                comment,
            } => {
                if *comment {
                    out.push_str(&format!("{pad}# a comment\n"));
                }
                out.push_str(&format!("{pad}- name: {}\n", IMAGES[*image]));
                if let Some(id) = id {
                    out.push_str(&format!("{pad}  id: s{id}\n"));
                }
                if let Some(when) = when {
                    out.push_str(&format!("{pad}  when: \"{}\"\n", WHENS[*when]));
                }
                if !values.is_empty() {
                    out.push_str(&format!("{pad}  env:\n"));
                    for (i, value) in values.iter().enumerate() {
                        out.push_str(&format!("{pad}    V{i}: \"{}\"\n", VALUES[*value]));
                    }
                }
            }
            Spec::Block { when, steps } => {
                out.push_str(&format!(
                    "{pad}- when: \"{}\"\n{pad}  steps:\n",
                    WHENS[*when]
                ));
                write_steps(out, steps, indent + 4);
            }
            Spec::Loop {
                source,
                value,
                break_when,
                steps,
            } => {
                out.push_str(&format!("{pad}- foreach:\n"));
                match source {
                    0 => out.push_str(&format!("{pad}    in: s0.pods\n")),
                    1 => out.push_str(&format!("{pad}    in: \"{{{{ toJson $.s0.pods }}}}\"\n")),
                    _ => out.push_str(&format!("{pad}    in:\n{pad}      range: [1, 3]\n")),
                }
                out.push_str(&format!("{pad}    value: {}\n", ["pod", "cluster"][*value]));
                if let Some(when) = break_when {
                    out.push_str(&format!("{pad}    break: \"{}\"\n", WHENS[*when]));
                }
                out.push_str(&format!("{pad}    steps:\n"));
                write_steps(out, steps, indent + 6);
            }
        }
    }
}

fn text(doc: &Doc) -> String {
    let mut out = format!(
        "apiVersion: stackpulse.io/v1\nkind: Playbook\nmetadata:\n  name: triage\nparameters:\n  \
         - name: Namespace\n    type: var\n    default: default\n  - name: Missing\n    \
         type: var\n  - name: Mode\n    type: var\n    default: \"{}\"\nsteps:\n",
        [
            "fast",
            "{{ $.params.Namespace }}-slow",
            "{{ len $.params }}"
        ][doc.mode]
    );
    write_steps(&mut out, &doc.steps, 2);
    out
}

/// An edit of a document.
#[derive(Clone, Debug)]
enum Edit {
    /// Replace the `n`th top-level step.
    Replace(usize, Spec),
    Insert(usize, Spec),
    Remove(usize),
    /// Add or remove the comment before the `n`th top-level step (a call).
    Comment(usize),
    /// Change a value (or the `when`) of the first call in the `n`th top-level step.
    Value(usize, usize, usize),
    When(usize, Option<usize>),
    /// Change the values and the `when` of the first call in the `n`th top-level step to
    /// others of the same length: nothing moves.
    SameLength(usize),
    Mode(usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        3 => (0..12usize, spec()).prop_map(|(n, s)| Edit::Replace(n, s)),
        1 => (0..12usize, spec()).prop_map(|(n, s)| Edit::Insert(n, s)),
        1 => (0..12usize).prop_map(Edit::Remove),
        2 => (0..12usize).prop_map(Edit::Comment),
        3 => (0..12usize, 0..3usize, value()).prop_map(|(n, i, v)| Edit::Value(n, i, v)),
        1 => (0..12usize, proptest::option::of(when())).prop_map(|(n, w)| Edit::When(n, w)),
        3 => (0..12usize).prop_map(Edit::SameLength),
        1 => (0..3usize).prop_map(Edit::Mode),
    ]
}

fn apply(doc: &Doc, edit: &Edit) -> Doc {
    let mut doc = doc.clone();
    let len = doc.steps.len();
    match edit {
        Edit::Replace(n, spec) if len > 0 => doc.steps[n % len] = spec.clone(),
        Edit::Insert(n, spec) => doc.steps.insert(n % (len + 1), spec.clone()),
        Edit::Remove(n) if len > 0 => {
            doc.steps.remove(n % len);
        }
        Edit::Comment(n) if len > 0 => {
            if let Spec::Call { comment, .. } = &mut doc.steps[n % len] {
                *comment = !*comment;
            }
        }
        Edit::Value(n, i, v) if len > 0 => {
            if let Spec::Call { values, .. } = first_call(&mut doc.steps[n % len]) {
                match values.get_mut(*i) {
                    Some(value) => *value = *v,
                    None => values.push(*v),
                }
            }
        }
        Edit::When(n, w) if len > 0 => {
            if let Spec::Call { when, .. } = first_call(&mut doc.steps[n % len]) {
                *when = *w;
            }
        }
        Edit::SameLength(n) if len > 0 => {
            if let Spec::Call { values, when, .. } = first_call(&mut doc.steps[n % len]) {
                for value in values {
                    *value = match *value {
                        0 => 1,
                        1 => 0,
                        5 => 6,
                        6 => 5,
                        9 => 10,
                        10 => 9,
                        other => other,
                    };
                }
                if let Some(when) = when {
                    *when = match *when {
                        3 => 4,
                        4 => 3,
                        other => other,
                    };
                }
            }
        }
        Edit::Mode(mode) => doc.mode = *mode,
        _ => {}
    }
    doc
}

/// The first call of a step (itself, or the first nested one).
fn first_call(step: &mut Spec) -> &mut Spec {
    match step {
        Spec::Block { steps, .. } | Spec::Loop { steps, .. } => first_call(&mut steps[0]),
        call => call,
    }
}

fn lowered(text: &str) -> playbook_hir::ir::File {
    playbook_hir::lower(playbook_syntax::parse(text).tree()).file
}

fn playbook(file: &playbook_hir::ir::File) -> &Playbook {
    file.playbooks().next().expect("a playbook")
}

/// Runs `text` in pieces after `previous` and from scratch, and requires the same run.
fn check(text: &str, lib: &Lib, previous: Option<&Pieces>) -> Pieces {
    let file = lowered(text);
    let playbook = playbook(&file);
    let inputs = Inputs::default();
    let pieces = run_pieces(playbook, lib, &inputs, previous);
    let fresh = run_with(playbook, lib, &inputs);
    assert_eq!(pieces.to_run(), fresh, "{text}");
    pieces
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn a_run_after_edits_is_the_run_from_scratch(
        steps in proptest::collection::vec(spec(), 0..10),
        mode in 0..3usize,
        edits in proptest::collection::vec(edit(), 1..4),
        generation in proptest::option::of(Just(7u64)),
    ) {
        let lib = Lib::new(&[PODS, POST], generation);
        let mut doc = Doc { mode, steps };
        let mut previous = check(&text(&doc), &lib, None);
        for edit in &edits {
            doc = apply(&doc, edit);
            previous = check(&text(&doc), &lib, Some(&previous));
        }
        // The library changes under an unchanged playbook: a run of another generation, or
        // of none, asks again what each call gets.
        let edited = Lib::new(&[PODS_EDITED, POST], generation.map(|g| g + 1));
        check(&text(&doc), &edited, Some(&previous));
    }
}

/// Of the pieces of `after`, which are those of `before` (taken over).
fn shared(before: &Pieces, after: &Pieces) -> Vec<bool> {
    after
        .pieces
        .iter()
        .map(|p| before.pieces.iter().any(|b| Arc::ptr_eq(&b.data, &p.data)))
        .collect()
}

fn doc(values: [usize; 4]) -> Doc {
    let call = |image, id, value| Spec::Call {
        image,
        id,
        values: vec![value],
        when: None,
        comment: false,
    };
    Doc {
        mode: 1,
        steps: vec![
            call(0, Some(0), values[0]),
            call(1, Some(2), values[1]),
            call(0, Some(1), values[2]),
            call(1, None, values[3]),
        ],
    }
}

#[test]
fn an_edit_of_one_step_runs_that_step_again_and_takes_the_others_over() {
    let lib = Lib::new(&[PODS, POST], Some(1));
    let before = check(&text(&doc([2, 11, 7, 8])), &lib, None);
    // The second step's input changes (and gets shorter: the steps after it move).
    let after = check(&text(&doc([2, 7, 7, 8])), &lib, Some(&before));
    assert_eq!(shared(&before, &after), [true, false, true, true]);
    assert!(after.pieces[2].shift < 0, "{:?}", after.pieces[2].shift);
    // A comment before the first step moves every step: all are taken over.
    let mut moved = doc([2, 7, 7, 8]);
    if let Spec::Call { comment, .. } = &mut moved.steps[0] {
        *comment = true;
    }
    let again = check(&text(&moved), &lib, Some(&after));
    assert_eq!(shared(&after, &again), [true, true, true, true]);
}

#[test]
fn what_a_step_changes_for_the_steps_after_it_runs_them_again() {
    let lib = Lib::new(&[PODS, POST], Some(1));
    let before = check(&text(&doc([2, 7, 7, 8])), &lib, None);
    // The first step's id changes: `$.s0` is gone for the steps after it.
    let mut renamed = doc([2, 7, 7, 8]);
    if let Spec::Call { id, .. } = &mut renamed.steps[0] {
        *id = Some(3);
    }
    let after = check(&text(&renamed), &lib, Some(&before));
    assert_eq!(after.pieces.len(), 4);
    assert_eq!(shared(&before, &after), [false, false, false, false]);
}

#[test]
fn a_new_library_runs_the_calls_again() {
    let text = text(&doc([2, 11, 7, 8]));
    let before = check(&text, &Lib::new(&[PODS, POST], Some(1)), None);
    // Same generation: taken over without asking.
    let same = check(&text, &Lib::new(&[PODS, POST], Some(1)), Some(&before));
    assert_eq!(shared(&before, &same), [true, true, true, true]);
    // Another generation with the same answers: taken over after asking.
    let asked = check(&text, &Lib::new(&[PODS, POST], Some(2)), Some(&same));
    assert_eq!(shared(&same, &asked), [true, true, true, true]);
    // Other examples: every piece from the first call of `pods/list` on runs again.
    let edited = check(
        &text,
        &Lib::new(&[PODS_EDITED, POST], Some(3)),
        Some(&asked),
    );
    assert_eq!(shared(&asked, &edited), [false, false, false, false]);
}

#[test]
fn an_edit_that_moves_nothing_runs_the_step_again() {
    let lib = Lib::new(&[PODS, POST], Some(1));
    let before = check(&text(&doc([2, 0, 7, 8])), &lib, None);
    // `plain text` becomes `other text`: every range stays where it was.
    let after = check(&text(&doc([2, 1, 7, 8])), &lib, Some(&before));
    assert_eq!(shared(&before, &after), [true, false, true, true]);
}
