//! What the check of a playbook resolved, kept for editor features: the steps in execution
//! order with the interface each call resolved to, the blocks and loops, every template with
//! where it is evaluated, and every name a template reads with what it names.
//!
//! The editor features (`playbook-ide`) answer from this record: completion offers what a
//! site can see, hover and go-to-definition follow a [`Reference`], rename edits every
//! reference of a target. There is one resolver, the checker's: [`analyze_playbook`] runs
//! the very check `playbook check` runs, recording as it goes.

use playbook_diagnostics::{Diagnostic, TextRange};
use playbook_hir::ir::{Output, Parameter, StepCall, StepManifest, Text};

use crate::Workspace;
pub use crate::json_shape::parse_example;
pub use crate::outputs::{Lookup, StepOutputs};
/// What the platform provides: the known fields of `metadata` and `execution`, and which
/// integration types a step accepts (for completion, which offers what the check accepts).
pub use crate::platform::{accepts_integration, context_fields};

/// The check of one playbook, with what it resolved.
pub struct Analysis<'a> {
    /// What `playbook check` reports for the playbook.
    pub diagnostics: Vec<Diagnostic>,
    /// The parameters, as declared.
    pub parameters: Vec<&'a Parameter>,
    /// The step calls, in execution order.
    pub steps: Vec<StepFacts<'a>>,
    /// The blocks and loops, in source order.
    pub scopes: Vec<ScopeFacts<'a>>,
    /// Every scalar evaluated as a template or a path, in source order: values, conditions,
    /// parameter defaults, loop sources.
    pub sites: Vec<SiteFacts<'a>>,
    /// Every name read by a template that the check resolved, in the order visited.
    pub references: Vec<Reference<'a>>,
}

/// A step call and the interface it resolved to.
pub struct StepFacts<'a> {
    pub call: &'a StepCall,
    /// The manifest describing the call (chosen among several by the call's args), when one
    /// does.
    pub manifest: Option<&'a StepManifest>,
    /// The blocks and loops around the step, outermost first (indexes into
    /// [`Analysis::scopes`]).
    pub scopes: Vec<usize>,
    /// The step's documented outputs.
    pub outputs: StepOutputs<'a>,
}

/// A conditional block or a `foreach` loop.
pub struct ScopeFacts<'a> {
    /// The whole block or loop.
    pub range: TextRange,
    /// The loop's variables with where they are named (`key:`/`value:`, else `None` for the
    /// default names `key` and `value`); empty for a block.
    pub loop_vars: Vec<(&'a str, Option<TextRange>)>,
}

/// Where a template is evaluated.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum SiteKind {
    /// A value: an input, `runner`, `integrationRef`, an argument, a loop's `in`.
    Value,
    /// A condition: the `when` of a step, block or loop, or a loop's `break`.
    Condition,
    /// A parameter default, which may only read `event` and `metadata`.
    Default,
    /// A loop's `in` written as a bare path (`pods.items`) rather than a template.
    BarePath,
}

/// A scalar evaluated as a template, and what it can see.
pub struct SiteFacts<'a> {
    pub text: &'a Text,
    /// Steps `0..at` (execution order) have run when the template is evaluated.
    pub at: usize,
    /// The step the template belongs to (its `env`, `when`, ...), which has not run yet.
    pub own: Option<usize>,
    /// The blocks and loops around the site, outermost first.
    pub scopes: Vec<usize>,
    pub kind: SiteKind,
}

/// A name read by a template, at its source range.
#[derive(Clone, Debug)]
pub struct Reference<'a> {
    /// The name's source range (for a parameter read through `index $.params "Name"` or a
    /// `get "$.params.name"` string, the name inside the string).
    pub range: TextRange,
    pub target: Target<'a>,
}

/// What a read names.
#[derive(Clone, Debug)]
pub enum Target<'a> {
    /// A declared parameter (`$.params.name`).
    Param(&'a Parameter),
    /// A parameter that is not declared.
    UndeclaredParam(String),
    /// A step, by its id (`$.fetch` in `$.fetch.items`): an index into
    /// [`Analysis::steps`].
    Step(usize),
    /// An output of a step (`items` in `$.fetch.items`, or a root-form read `.items`): the
    /// step, the name, and its declaration when the manifest declares it
    /// ([`StepOutputs::lookup`] on the step's outputs says more).
    Output {
        step: usize,
        name: String,
        output: Option<&'a Output>,
    },
    /// A loop variable: the loop (an index into [`Analysis::scopes`]) and the name.
    LoopVar { scope: usize, name: &'a str },
    /// A root of the run's context: `params`, `event`, `metadata`, `execution`.
    Context(&'static str),
}

/// Runs the check of a playbook, keeping what it resolved.
pub fn analyze_playbook<'a>(
    playbook: &'a playbook_hir::ir::Playbook,
    workspace: &'a dyn Workspace,
) -> Analysis<'a> {
    crate::playbook::run(playbook, workspace, crate::playbook::Run::Record)
}

/// The outline of a playbook as the check resolves it, for completion: what
/// [`analyze_playbook`] records of its steps (with the interface each call resolves to),
/// blocks, loops, parameters and template sites, without checking the templates; its
/// `diagnostics` and `references` are empty. On a large playbook it costs a fraction of the
/// whole check.
pub fn outline_playbook<'a>(
    playbook: &'a playbook_hir::ir::Playbook,
    workspace: &'a dyn Workspace,
) -> Analysis<'a> {
    crate::playbook::run(playbook, workspace, crate::playbook::Run::Outline)
}

/// What a condition (a `when` or a loop's `break`) renders to whatever the data, when that is
/// certain: the text of a condition written without a template (`when: false`), or the value
/// of a template whose one action is a literal or `not`/`and`/`or` over literals (`{{ false
/// }}`, `{{ and true false }}`). `None` when the value depends on the run, or is not certain.
/// `template` is the parsed `text` (the one the database parsed, if any).
pub fn constant_condition(text: &Text, template: &playbook_template::Template) -> Option<String> {
    if !text.is_template() {
        return Some(text.value.trim().to_owned());
    }
    let pipeline = crate::conditions::sole_pipeline(&text.value, template)?;
    crate::conditions::constant_text(pipeline)
}

// What editor features need of the platform's known names (`crate::platform`).

/// Whether an `env` key is a setting of the platform and the step SDK (`SP_FORMATTER`),
/// not an input of the step.
pub fn is_setting(key: &str) -> bool {
    key.starts_with(crate::platform::SETTING_PREFIX)
}
