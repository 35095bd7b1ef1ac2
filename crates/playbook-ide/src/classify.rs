//! What is at a position: the one place that says which name the cursor is on, for hover,
//! go to definition, references, document highlight and rename.
//!
//! Everything comes from the check's record ([`playbook_check::analysis`]): a template
//! read is a [`Reference`](playbook_check::analysis::Reference) the check resolved; a step
//! call's `name:`, `id:`, `env` key or argument is looked up in the steps the check
//! recorded, with the manifest it chose for the call. Nothing is resolved twice, and
//! nothing is guessed: a name the check could not resolve is no symbol.
//!
//! A [`Symbol`] borrows the record it was found in (a step is an index into
//! [`Analysis::steps`]); each feature turns it into what it needs: a page (hover), a
//! declaration (go to definition), or a name to look for across the workspace
//! (references, rename).

use playbook_check::analysis::{Analysis, SiteFacts, StepFacts, Target};
use playbook_db::File;
use playbook_db::queries::{WorkspaceView, lower, playbook_index};
use playbook_diagnostics::{TextRange, TextSize};
use playbook_hir::ir::{Input, Output, Parameter, Playbook, StepManifest, Trigger};
use playbook_template::Node;
use playbook_template::functions::{self, Function};

use crate::context;

/// What a name is, as the check resolved it.
pub(crate) enum Symbol<'a> {
    // In a playbook (indices into its [`Analysis`]).
    /// A declared parameter: at a read, or at its declaration's `name:`.
    Param(&'a Parameter),
    /// A read of a parameter the playbook does not declare.
    UndeclaredParam(String),
    /// A step (an index into [`Analysis::steps`]): at a read `$.fetch`, or at its `id:`.
    Step(usize),
    /// An output of a step, at a read (`$.fetch.items`, `.items`).
    Output {
        step: usize,
        name: String,
        output: Option<&'a Output>,
    },
    /// A loop variable (the loop is an index into [`Analysis::scopes`]): at a read, or at
    /// its `key:`/`value:`.
    LoopVar { scope: usize, name: &'a str },
    /// A root of the run's context: `params`, `event`, `metadata`, `execution`.
    Context(&'static str),
    /// A field of a context root: `executionUrl` in `$.metadata.executionUrl`.
    ContextField { root: &'static str, field: String },
    /// A template function, at its name.
    Function(&'static Function),
    /// The image of a step call (its `name:` value).
    Image(usize),
    /// An `env` key of a step call.
    Env { step: usize, name: &'a str },
    /// An argument of a step call (`args`), by position.
    Arg { step: usize, index: usize },

    // In a trigger.
    /// The playbook a trigger binds (`playbook:`), by name.
    TriggerPlaybook(&'a str),
    /// A parameter of the trigger's playbook (a key of a scenario's `parameters`).
    TriggerParam { playbook: &'a str, name: &'a str },

    // In a step manifest.
    /// An output a manifest declares, at its name.
    ManifestOutput(&'a Output),
    /// An input (`env`) a manifest declares, at its name.
    ManifestInput(&'a Input),
    /// The manifest itself, at its `metadata.name` or its image name.
    ManifestImage,
}

/// A symbol found at a position.
pub(crate) struct Found<'a> {
    pub symbol: Symbol<'a>,
    /// The source range of the name there: a whole YAML scalar (quotes included), or a
    /// template read as the check recorded it.
    pub range: TextRange,
    /// Whether the name is a template read the check resolved (else a name of the YAML).
    pub read: bool,
}

impl<'a> Found<'a> {
    fn yaml(range: TextRange, symbol: Symbol<'a>) -> Self {
        Found {
            symbol,
            range,
            read: false,
        }
    }
}

/// The name at `offset` of the playbook the check recorded in `analysis`: a template read
/// the check resolved, a function name or a context field in a template, else a name of
/// the YAML (a parameter's or a step's declaration, a step call's image, `env` key or
/// argument, a loop's variable).
pub(crate) fn in_playbook<'a>(
    db: &dyn salsa::Database,
    file: File,
    analysis: &Analysis<'a>,
    offset: TextSize,
) -> Option<Found<'a>> {
    if let Some(reference) = context::reference_at(analysis, offset) {
        let symbol = match &reference.target {
            Target::Param(param) => Symbol::Param(param),
            Target::UndeclaredParam(name) => Symbol::UndeclaredParam(name.clone()),
            Target::Step(step) => Symbol::Step(*step),
            Target::Output { step, name, output } => Symbol::Output {
                step: *step,
                name: name.clone(),
                output: *output,
            },
            Target::LoopVar { scope, name } => Symbol::LoopVar {
                scope: *scope,
                name,
            },
            Target::Context(root) => Symbol::Context(root),
        };
        return Some(Found {
            symbol,
            range: reference.range,
            read: true,
        });
    }
    if let Some(site) = context::site_at(analysis, offset)
        && let Some(found) = template_symbol(db, file, analysis, site, offset)
    {
        return Some(found);
    }
    yaml_symbol(analysis, offset)
}

/// A function name or a context field at `offset` of a template.
fn template_symbol<'a>(
    db: &dyn salsa::Database,
    file: File,
    analysis: &Analysis<'a>,
    site: &SiteFacts<'a>,
    offset: TextSize,
) -> Option<Found<'a>> {
    let (template, decoded) = context::template_at(db, file, site.text, offset);
    match template.node_at(decoded?)? {
        Node::Function(call) => {
            let function = functions::lookup(&call.name)?;
            let range = context::source_range(site.text, call.name_range);
            Some(Found::yaml(range, Symbol::Function(function)))
        }
        // `executionUrl` in `$.metadata.executionUrl`: the check resolved `metadata` as a
        // context root (not a rebound `.`, not a default's own rules).
        Node::Segment(path, 1) => {
            let root_range = context::source_range(site.text, path.segments.first()?.range);
            let root = analysis.references.iter().find_map(|r| match r.target {
                Target::Context(root) if r.range == root_range && root != "params" => Some(root),
                _ => None,
            })?;
            let segment = path.segments.get(1)?;
            let field = segment.name()?.to_owned();
            let range = context::source_range(site.text, segment.range);
            Some(Found::yaml(range, Symbol::ContextField { root, field }))
        }
        _ => None,
    }
}

/// A name of the playbook's YAML at `offset`.
fn yaml_symbol<'a>(analysis: &Analysis<'a>, offset: TextSize) -> Option<Found<'a>> {
    let at = |range: TextRange| range.contains_inclusive(offset);
    for &param in &analysis.parameters {
        if at(param.name.range) {
            return Some(Found::yaml(param.name.range, Symbol::Param(param)));
        }
    }
    for (step, facts) in analysis.steps.iter().enumerate() {
        let call = facts.call;
        if !call.range.contains_inclusive(offset) {
            continue;
        }
        if let Some(id) = &call.id
            && at(id.range)
        {
            return Some(Found::yaml(id.range, Symbol::Step(step)));
        }
        if at(call.image.range) {
            return Some(Found::yaml(call.image.range, Symbol::Image(step)));
        }
        for env in &call.env {
            if at(env.name.range) {
                let name = env.name.value.as_str();
                return Some(Found::yaml(env.name.range, Symbol::Env { step, name }));
            }
        }
        for (index, arg) in call.args.iter().enumerate() {
            if at(arg.range) {
                return Some(Found::yaml(arg.range, Symbol::Arg { step, index }));
            }
        }
    }
    for (scope, facts) in analysis.scopes.iter().enumerate() {
        for &(name, range) in &facts.loop_vars {
            if let Some(range) = range
                && at(range)
            {
                return Some(Found::yaml(range, Symbol::LoopVar { scope, name }));
            }
        }
    }
    None
}

/// What a trigger names at `offset`: the playbook it binds (`playbook:`), or a parameter
/// of that playbook (a key of a scenario's `parameters`).
pub(crate) fn in_trigger(trigger: &Trigger, offset: TextSize) -> Option<Found<'_>> {
    let playbook = trigger.playbook.as_ref()?;
    if playbook.range.contains_inclusive(offset) {
        return Some(Found::yaml(
            playbook.range,
            Symbol::TriggerPlaybook(&playbook.value),
        ));
    }
    for scenario in &trigger.scenarios {
        for (key, _) in &scenario.parameters {
            if key.range.contains_inclusive(offset) {
                let symbol = Symbol::TriggerParam {
                    playbook: &playbook.value,
                    name: &key.value,
                };
                return Some(Found::yaml(key.range, symbol));
            }
        }
    }
    None
}

/// What a step manifest declares at `offset`: an output, an input, or its own name.
pub(crate) fn in_manifest(manifest: &StepManifest, offset: TextSize) -> Option<Found<'_>> {
    let at = |range: TextRange| range.contains_inclusive(offset);
    if let Some(output) = manifest.outputs.iter().find(|o| at(o.name.range)) {
        return Some(Found::yaml(
            output.name.range,
            Symbol::ManifestOutput(output),
        ));
    }
    if let Some(input) = manifest.envs.iter().find(|i| at(i.name.range)) {
        return Some(Found::yaml(input.name.range, Symbol::ManifestInput(input)));
    }
    let name = [&manifest.name, &manifest.image_name]
        .into_iter()
        .flatten()
        .find(|n| at(n.range))?;
    Some(Found::yaml(name.range, Symbol::ManifestImage))
}

// ---------------------------------------------------------------------------------------
// What a symbol refers to, for the features that follow it.
// ---------------------------------------------------------------------------------------

/// The manifest the check chose for a step call, with the file it is in.
pub(crate) fn chosen_manifest<'a>(
    db: &dyn salsa::Database,
    view: &WorkspaceView<'_, '_>,
    facts: &StepFacts<'a>,
) -> Option<(&'a StepManifest, File)> {
    let manifest = facts.manifest?;
    let file = context::manifest_file(db, view, &facts.call.image.value, manifest)?;
    Some((manifest, file))
}

/// The input of a call's manifest that `env` key `name` sets.
pub(crate) fn env_input<'m>(manifest: &'m StepManifest, name: &str) -> Option<&'m Input> {
    manifest.envs.iter().find(|i| i.name.value == name)
}

/// The input of a call's manifest that argument `index` gives: the argument at that
/// position, or a last argument that takes the rest of the command line.
pub(crate) fn arg_input(manifest: &StepManifest, index: usize) -> Option<&Input> {
    manifest.args.get(index).or_else(|| {
        manifest
            .args
            .last()
            .filter(|last| playbook_check::interface::takes_the_rest(last))
    })
}

/// The playbooks named `name` in the workspace, with their files, in path order.
pub(crate) fn playbooks_named<'db>(
    db: &'db dyn salsa::Database,
    name: &str,
) -> Vec<(File, &'db Playbook)> {
    let Some(files) = playbook_index(db).get(name) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for &file in files {
        for playbook in lower(db, file).file.playbooks() {
            if playbook.name.as_ref().is_some_and(|n| n.value == name) {
                found.push((file, playbook));
            }
        }
    }
    found
}
