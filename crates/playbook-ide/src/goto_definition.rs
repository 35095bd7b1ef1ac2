//! Go to definition: from a read to its declaration (a parameter, a step, an output or an
//! input in its manifest, an image's manifest, a trigger's playbook).
//!
//! What the name under the cursor is comes from the check, as [`crate::classify`] says;
//! here is only where each kind of name is declared. A name the check could not resolve
//! has no definition.

use playbook_check::Workspace as _;
use playbook_check::analysis::{Analysis, Lookup, StepFacts};
use playbook_db::File;
use playbook_db::queries::WorkspaceView;
use playbook_diagnostics::{TextRange, TextSize};
use playbook_hir::ir::{Output, StepManifest, Trigger};

use crate::classify::{self, Symbol, arg_input, chosen_manifest, env_input, playbooks_named};
use crate::{NavigationTarget, context};

/// The definitions of the name at `offset` of `file` (usually one).
pub fn goto_definition(
    db: &dyn salsa::Database,
    file: File,
    offset: TextSize,
) -> Vec<NavigationTarget> {
    let in_playbook =
        context::with_analysis_at(
            db,
            file,
            offset,
            |_, analysis, view| match classify::in_playbook(db, file, analysis, offset) {
                Some(found) => targets(db, file, analysis, view, &found.symbol),
                None => Vec::new(),
            },
        );
    match in_playbook {
        Some(targets) if !targets.is_empty() => targets,
        _ => context::trigger_at(db, file, offset)
            .map(|trigger| trigger_targets(db, trigger, offset))
            .unwrap_or_default(),
    }
}

/// The declaration of output `name` of a step in its manifest: the output the manifest
/// declares, or for a key of the json `output`'s example, that `output` entry.
fn output_declaration<'a>(
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
        | Symbol::Function(_)
        | Symbol::TriggerPlaybook(_)
        | Symbol::TriggerParam { .. }
        | Symbol::ManifestOutput(_)
        | Symbol::ManifestInput(_)
        | Symbol::ManifestImage => None,
    };
    found.into_iter().collect()
}

fn trigger_targets(
    db: &dyn salsa::Database,
    trigger: &Trigger,
    offset: TextSize,
) -> Vec<NavigationTarget> {
    let (playbook, param) = match classify::in_trigger(trigger, offset).map(|f| f.symbol) {
        Some(Symbol::TriggerPlaybook(playbook)) => (playbook, None),
        Some(Symbol::TriggerParam { playbook, name }) => (playbook, Some(name)),
        _ => return Vec::new(),
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
