//! The tracked queries over one file: parse, lower, check, and the cross-file relations
//! (which files depend on which).
//!
//! Every per-file query is keyed by the [`File`] alone (the workspace is a singleton), so
//! salsa's event log names the file a query ran for.

use playbook_diagnostics::Diagnostic;
use playbook_hir::Lowered;
use playbook_hir::ir::{Step, StepCall, StepManifest};
use playbook_syntax::Parse;
use playbook_syntax::ast::Node;

use crate::checks;
use crate::db::{File, Image, Workspace};
use crate::images::{lookup_name, resolve_image};

/// The syntax tree of a file, with its syntax errors.
#[salsa::tracked(returns(ref))]
pub fn parse(db: &dyn salsa::Database, file: File) -> Parse {
    playbook_syntax::parse(file.text(db))
}

/// The typed IR of a file, with the structural problems found while lowering it.
#[salsa::tracked(returns(ref))]
pub fn lower(db: &dyn salsa::Database, file: File) -> Lowered {
    playbook_hir::lower(parse(db, file).tree())
}

/// Every diagnostic of a file: syntax errors, scalar decoding errors, template syntax
/// errors (at their source range), lowering problems and the cross-file checks, sorted by
/// position, then code.
///
/// The check of a playbook reads the interface (the lowered manifest) of every step it
/// calls, and nothing else of other files: editing a manifest re-checks the playbooks that
/// call it, and only those.
#[salsa::tracked(returns(ref))]
pub fn check_file(db: &dyn salsa::Database, file: File) -> Vec<Diagnostic> {
    let parse = parse(db, file);
    let mut out: Vec<Diagnostic> = parse.errors().to_vec();
    scalar_diagnostics(parse, &mut out);
    let lowered = lower(db, file);
    out.extend(lowered.diagnostics.iter().cloned());
    for playbook in lowered.file.playbooks() {
        for call in step_calls(&playbook.steps) {
            let Some(name) = lookup_name(&call.image.value) else {
                continue;
            };
            let image = Image::new(db, name.to_owned());
            let manifest = resolve_image(db, image);
            let interface = manifest.and_then(|m| interface_of(&lower(db, m).file, name));
            let call = checks::StepCallContext {
                call,
                image,
                manifest,
                interface,
            };
            checks::unknown_image::check(db, &call, &mut out);
        }
    }
    out.sort_by(|a, b| {
        (a.range.start(), a.range.end(), a.code.id).cmp(&(
            b.range.start(),
            b.range.end(),
            b.code.id,
        ))
    });
    out
}

/// The step manifest of a file that describes `image`: the one declaring it as its
/// `metadata.imageName`, else the first.
fn interface_of<'a>(file: &'a playbook_hir::ir::File, image: &str) -> Option<&'a StepManifest> {
    file.manifests()
        .find(|m| {
            m.image_name
                .as_ref()
                .is_some_and(|n| lookup_name(&n.value) == Some(image))
        })
        .or_else(|| file.manifests().next())
}

/// Decoding errors of every scalar, and syntax errors of every template, mapped to source.
fn scalar_diagnostics(parse: &Parse, out: &mut Vec<Diagnostic>) {
    for node in parse.tree().root().descendants() {
        let Some(Node::Scalar(scalar)) = Node::cast(node) else {
            continue;
        };
        let decoded = scalar.decode();
        out.extend(decoded.errors.iter().cloned());
        if playbook_template::contains_actions(&decoded.value) {
            let template = playbook_template::parse(&decoded.value);
            for error in template.errors() {
                let mut error = error.clone();
                error.range = decoded.map.range_to_source(error.range);
                out.push(error);
            }
        }
    }
}

/// Every step call of a list of steps, nested blocks and loops included, in source order.
/// Iterative, so no nesting depth can overflow the stack.
pub fn step_calls(steps: &[Step]) -> Vec<&StepCall> {
    let mut calls = Vec::new();
    let mut stack: Vec<std::slice::Iter<'_, Step>> = vec![steps.iter()];
    while let Some(top) = stack.last_mut() {
        let Some(step) = top.next() else {
            stack.pop();
            continue;
        };
        match step {
            Step::Call(call) => calls.push(call),
            Step::Block(block) => stack.push(block.steps.iter()),
            Step::Loop(each) => stack.push(each.steps.iter()),
        }
    }
    calls
}

/// What a file refers to in other files, and the names it declares for them.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct FileRefs {
    /// The images its playbooks call, without tag or digest, sorted and deduplicated.
    pub called_images: Vec<String>,
    /// The `metadata.name` of its playbooks.
    pub playbook_names: Vec<String>,
    /// The playbooks its triggers are bound to (unbound triggers left out).
    pub trigger_targets: Vec<String>,
}

/// The references of one file, read from its IR.
#[salsa::tracked(returns(ref))]
pub fn file_refs(db: &dyn salsa::Database, file: File) -> FileRefs {
    let lowered = lower(db, file);
    let mut refs = FileRefs::default();
    for playbook in lowered.file.playbooks() {
        if let Some(name) = &playbook.name {
            refs.playbook_names.push(name.value.clone());
        }
        for call in step_calls(&playbook.steps) {
            if let Some(name) = lookup_name(&call.image.value) {
                refs.called_images.push(name.to_owned());
            }
        }
    }
    for trigger in lowered.file.triggers() {
        if let Some(target) = trigger.playbook.as_ref().filter(|p| !p.value.is_empty()) {
            refs.trigger_targets.push(target.value.clone());
        }
    }
    refs.called_images.sort();
    refs.called_images.dedup();
    refs
}

/// The paths of the files that depend on `file`, sorted: the playbooks with a step call
/// that resolves to a manifest in `file`, and the triggers bound to a playbook of `file`.
#[salsa::tracked(returns(ref))]
pub fn dependents(db: &dyn salsa::Database, file: File) -> Vec<String> {
    let own = file_refs(db, file);
    let mut out = Vec::new();
    for (path, other) in Workspace::get(db).files(db) {
        if *other == file {
            continue;
        }
        let refs = file_refs(db, *other);
        let calls_file = refs
            .called_images
            .iter()
            .any(|image| resolve_image(db, Image::new(db, image.clone())) == Some(file));
        let triggers_file = refs
            .trigger_targets
            .iter()
            .any(|target| own.playbook_names.contains(target));
        if calls_file || triggers_file {
            out.push(path.clone());
        }
    }
    out
}
