//! Go to definition: from a read to its declaration (a parameter, a step, an output or an
//! input in its manifest, an image's manifest, a trigger's playbook).
//!
//! What the name under the cursor is comes from the check (`classify`): a template read
//! is a [`Reference`](playbook_check::analysis::Reference) the check resolved, a step
//! call's `name:`, `id:`, `env` key or argument is looked up in the steps the check
//! recorded, with the manifest it chose for the call. Nothing is resolved twice, and
//! nothing is guessed: a name the check could not resolve has no definition.

use playbook_check::Workspace as _;
use playbook_check::analysis::{Analysis, Lookup, SiteFacts, StepFacts, Target};
use playbook_db::File;
use playbook_db::queries::{WorkspaceView, lower, playbook_index};
use playbook_diagnostics::{TextRange, TextSize};
use playbook_hir::ir::{Input, Output, Parameter, Playbook, StepManifest, Trigger};
use playbook_template::functions::{self, Function};
use playbook_template::{Node, Segment, SegmentKind};

use crate::NavigationTarget;
use crate::context;

/// The definitions of the name at `offset` of `file` (usually one).
pub fn goto_definition(
    db: &dyn salsa::Database,
    file: File,
    offset: TextSize,
) -> Vec<NavigationTarget> {
    let in_playbook =
        context::with_analysis_at(db, file, offset, |_, analysis, view| {
            match classify(db, file, analysis, offset) {
                Some((_, symbol)) => targets(db, file, analysis, view, &symbol),
                None => Vec::new(),
            }
        });
    match in_playbook {
        Some(targets) if !targets.is_empty() => targets,
        _ => context::trigger_at(db, file, offset)
            .map(|trigger| trigger_targets(db, trigger, offset))
            .unwrap_or_default(),
    }
}

/// What a name of a playbook is, as the check resolved it.
pub(crate) enum Symbol<'a> {
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
}

/// The name at `offset` of the playbook the check recorded in `analysis`, with its source
/// range: a template read the check resolved, a function name or a context field in a
/// template, else a name of the YAML (a parameter's or a step's declaration, a step call's
/// image, `env` key or argument, a loop's variable).
pub(crate) fn classify<'a>(
    db: &dyn salsa::Database,
    file: File,
    analysis: &Analysis<'a>,
    offset: TextSize,
) -> Option<(TextRange, Symbol<'a>)> {
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
        return Some((reference.range, symbol));
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
) -> Option<(TextRange, Symbol<'a>)> {
    let (template, decoded) = context::template_at(db, file, site.text, offset);
    match template.node_at(decoded?)? {
        Node::Function(call) => {
            let function = functions::lookup(&call.name)?;
            let range = context::source_range(site.text, call.name_range);
            Some((range, Symbol::Function(function)))
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
            let field = segment_name(segment)?.to_owned();
            let range = context::source_range(site.text, segment.range);
            Some((range, Symbol::ContextField { root, field }))
        }
        _ => None,
    }
}

/// The name a path segment reads (`.name`, `.'name'`).
fn segment_name(segment: &Segment) -> Option<&str> {
    match &segment.kind {
        SegmentKind::Field(name) | SegmentKind::Quoted { name, .. } => Some(name),
        _ => None,
    }
}

/// A name of the playbook's YAML at `offset`.
fn yaml_symbol<'a>(analysis: &Analysis<'a>, offset: TextSize) -> Option<(TextRange, Symbol<'a>)> {
    let at = |range: TextRange| range.contains_inclusive(offset);
    for &param in &analysis.parameters {
        if at(param.name.range) {
            return Some((param.name.range, Symbol::Param(param)));
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
            return Some((id.range, Symbol::Step(step)));
        }
        if at(call.image.range) {
            return Some((call.image.range, Symbol::Image(step)));
        }
        for env in &call.env {
            if at(env.name.range) {
                let name = env.name.value.as_str();
                return Some((env.name.range, Symbol::Env { step, name }));
            }
        }
        for (index, arg) in call.args.iter().enumerate() {
            if at(arg.range) {
                return Some((arg.range, Symbol::Arg { step, index }));
            }
        }
    }
    for (scope, facts) in analysis.scopes.iter().enumerate() {
        for &(name, range) in &facts.loop_vars {
            if let Some(range) = range
                && at(range)
            {
                return Some((range, Symbol::LoopVar { scope, name }));
            }
        }
    }
    None
}

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

/// The declaration of output `name` of a step in its manifest: the output the manifest
/// declares, or for a key of the json `output`'s example, that `output` entry.
pub(crate) fn output_declaration<'a>(
    facts: &StepFacts<'a>,
    name: &str,
    output: Option<&'a Output>,
) -> Option<&'a Output> {
    if let Some(output) = output {
        return Some(output);
    }
    match facts.outputs.lookup(name) {
        Lookup::Field(_) => facts.outputs.declared("output"),
        _ => None,
    }
}

fn target(
    db: &dyn salsa::Database,
    file: File,
    full: TextRange,
    focus: TextRange,
) -> NavigationTarget {
    NavigationTarget {
        path: file.path(db).clone(),
        full,
        focus,
    }
}

/// Where a manifest is: the whole document, focused on its `metadata.name`.
fn manifest_target(
    db: &dyn salsa::Database,
    file: File,
    manifest: &StepManifest,
) -> NavigationTarget {
    let focus = manifest.name.as_ref().map_or(manifest.range, |n| n.range);
    target(db, file, manifest.range, focus)
}

fn targets(
    db: &dyn salsa::Database,
    file: File,
    analysis: &Analysis<'_>,
    view: &WorkspaceView<'_, '_>,
    symbol: &Symbol<'_>,
) -> Vec<NavigationTarget> {
    let in_manifest =
        |step: usize, find: &dyn Fn(&StepManifest) -> Option<(TextRange, TextRange)>| {
            let facts = analysis.steps.get(step)?;
            let (manifest, manifest_file) = chosen_manifest(db, view, facts)?;
            let (full, focus) = find(manifest)?;
            Some(target(db, manifest_file, full, focus))
        };
    let found = match symbol {
        Symbol::Param(param) => Some(target(db, file, param.range, param.name.range)),
        Symbol::Step(step) => analysis.steps.get(*step).map(|facts| {
            let call = facts.call;
            let focus = call.id.as_ref().map_or(call.image.range, |id| id.range);
            target(db, file, call.range, focus)
        }),
        Symbol::Output { step, name, output } => analysis.steps.get(*step).and_then(|facts| {
            let declaration = output_declaration(facts, name, *output)?;
            let (_, manifest_file) = chosen_manifest(db, view, facts)?;
            Some(target(
                db,
                manifest_file,
                declaration.range,
                declaration.name.range,
            ))
        }),
        Symbol::LoopVar { scope, name } => analysis.scopes.get(*scope).and_then(|facts| {
            let (_, declared) = facts.loop_vars.iter().find(|(n, _)| n == name)?;
            Some(target(db, file, facts.range, (*declared)?))
        }),
        Symbol::Image(step) => {
            let Some(facts) = analysis.steps.get(*step) else {
                return Vec::new();
            };
            if let Some((manifest, manifest_file)) = chosen_manifest(db, view, facts) {
                return vec![manifest_target(db, manifest_file, manifest)];
            }
            // Several manifests claim the image and the call's args choose none: each is a
            // candidate, and the editor lists them.
            let image = &facts.call.image.value;
            return view
                .manifests(image)
                .into_iter()
                .filter_map(|m| {
                    let manifest_file = context::manifest_file(db, view, image, m)?;
                    Some(manifest_target(db, manifest_file, m))
                })
                .collect();
        }
        Symbol::Env { step, name } => in_manifest(*step, &|manifest| {
            let input = env_input(manifest, name)?;
            Some((input.range, input.name.range))
        }),
        Symbol::Arg { step, index } => in_manifest(*step, &|manifest| {
            let input = arg_input(manifest, *index)?;
            Some((input.range, input.name.range))
        }),
        Symbol::UndeclaredParam(_)
        | Symbol::Context(_)
        | Symbol::ContextField { .. }
        | Symbol::Function(_) => None,
    };
    found.into_iter().collect()
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

/// What a trigger names at `offset`: the playbook it binds (`playbook:`), or a parameter
/// of that playbook (a key of a scenario's `parameters`), with the source range of the name.
pub(crate) enum TriggerSymbol<'t> {
    Playbook(&'t str),
    Param { playbook: &'t str, name: &'t str },
}

pub(crate) fn classify_trigger(
    trigger: &Trigger,
    offset: TextSize,
) -> Option<(TextRange, TriggerSymbol<'_>)> {
    let playbook = trigger.playbook.as_ref()?;
    if playbook.range.contains_inclusive(offset) {
        return Some((playbook.range, TriggerSymbol::Playbook(&playbook.value)));
    }
    for scenario in &trigger.scenarios {
        for (key, _) in &scenario.parameters {
            if key.range.contains_inclusive(offset) {
                let symbol = TriggerSymbol::Param {
                    playbook: &playbook.value,
                    name: &key.value,
                };
                return Some((key.range, symbol));
            }
        }
    }
    None
}

fn trigger_targets(
    db: &dyn salsa::Database,
    trigger: &Trigger,
    offset: TextSize,
) -> Vec<NavigationTarget> {
    let Some((_, symbol)) = classify_trigger(trigger, offset) else {
        return Vec::new();
    };
    let (playbook, param) = match symbol {
        TriggerSymbol::Playbook(playbook) => (playbook, None),
        TriggerSymbol::Param { playbook, name } => (playbook, Some(name)),
    };
    playbooks_named(db, playbook)
        .into_iter()
        .filter_map(|(file, playbook)| match param {
            None => {
                let name = playbook.name.as_ref()?;
                Some(target(db, file, playbook.range, name.range))
            }
            Some(param) => {
                let param = playbook.parameters.iter().find(|p| p.name.value == param)?;
                Some(target(db, file, param.range, param.name.range))
            }
        })
        .collect()
}
