//! The tracked queries over one file: its syntax (parse, lower, and what the check needs
//! of the tree), its check, and the cross-file relations (which files depend on which).
//!
//! A checked file's tree is not kept: [`file_syntax`] parses, lowers and drops the tree,
//! keeping the IR and what only the tree can tell. [`parse`] gives the tree to whatever
//! needs it (debugging views, editor features) and is memoised only when called.
//!
//! Every per-file query is keyed by the [`File`] alone (the workspace is a singleton), so
//! salsa's event log names the file a query ran for.

use std::collections::BTreeMap;

use playbook_diagnostics::{Diagnostic, Severity, TextRange, TextSize};
use playbook_hir::Lowered;
use playbook_hir::ir::{Playbook, Step, StepCall, StepManifest, Text};
use playbook_syntax::Parse;
use playbook_syntax::ast::Node;

use crate::db::{File, Image, Workspace};
use crate::images::{lookup_name, manifest_index, resolve_image};

/// The syntax tree of a file, with its syntax errors. No check calls it.
#[salsa::tracked(returns(ref))]
pub fn parse(db: &dyn salsa::Database, file: File) -> Parse {
    playbook_syntax::parse(file.text(db))
}

/// What one parse of a file gives the rest of the database: its typed IR, and what only
/// the tree can tell. The tree itself is not kept: a workspace's trees take several times
/// the size of its text, and nothing after lowering needs them (the [`parse`] query gives
/// the tree to the few features that do).
#[derive(PartialEq, Eq, Debug)]
pub struct FileSyntax {
    /// The typed IR, with the problems found while lowering.
    pub lowered: Lowered,
    /// Syntax errors, scalar decoding errors and template syntax errors (at their source
    /// range), in that order.
    pub diagnostics: Vec<Diagnostic>,
    /// The file's templates, parsed once, in source order (see [`FileTemplates`]).
    pub templates: FileTemplates,
    /// The comments that may be suppressions
    /// ([`suppression_comments`](playbook_check::suppress::suppression_comments)).
    pub suppressions: Vec<playbook_diagnostics::TextRange>,
    /// Whether the file is a playbook file at all
    /// ([`is_playbook_file`](playbook_hir::is_playbook_file)): other YAML is not checked.
    pub playbook: bool,
}

/// The start of every line of a file, for converting positions at the edges: memoized, so
/// requests on an unchanged document do not scan it again.
#[salsa::tracked(returns(ref))]
pub fn line_index(db: &dyn salsa::Database, file: File) -> playbook_diagnostics::LineIndex {
    playbook_diagnostics::LineIndex::new(file.text(db))
}

/// Parses and lowers a file, and collects what its check needs of the tree.
#[salsa::tracked(returns(ref))]
pub fn file_syntax(db: &dyn salsa::Database, file: File) -> FileSyntax {
    // An open file's tree is kept by the `parse` query, for the editor and the fixes; any
    // other file's is dropped once lowered.
    let own;
    let parse = if *file.open(db) {
        parse(db, file)
    } else {
        own = playbook_syntax::parse(file.text(db));
        &own
    };
    let mut diagnostics = parse.errors().to_vec();
    let templates = scalar_diagnostics(parse, &mut diagnostics);
    FileSyntax {
        lowered: playbook_hir::lower(parse.tree()),
        diagnostics,
        templates,
        // Most files have no suppression: one search of the text spares a walk of the tree.
        suppressions: if file.text(db).contains("playbook:") {
            playbook_check::suppress::suppression_comments(parse.tree())
        } else {
            Vec::new()
        },
        playbook: playbook_hir::is_playbook_parse(file.text(db), parse),
    }
}

/// The typed IR of a file, with the problems found while lowering it.
pub fn lower(db: &dyn salsa::Database, file: File) -> &Lowered {
    &file_syntax(db, file).lowered
}

/// Every diagnostic of a file: syntax errors, scalar decoding errors, template syntax
/// errors (at their source range), lowering problems and the cross-file checks, sorted by
/// position, then code. A file that is not a playbook file (a CI workflow, an Ansible
/// playbook, a Kubernetes manifest) has none. The lowering problems of a step manifest are
/// manifest defects (`PB520`, a warning), left out in a file that is somebody else's code.
///
/// The check of a playbook reads the interfaces (the lowered manifests) of every image it
/// calls, every candidate of an image claimed by several, and nothing else of other files
/// (but the known image names, for an image that is unknown): editing a manifest re-checks
/// the playbooks that call its image, and only those.
#[salsa::tracked(returns(ref))]
pub fn check_file(db: &dyn salsa::Database, file: File) -> Vec<Diagnostic> {
    let syntax = file_syntax(db, file);
    if !syntax.playbook {
        return Vec::new();
    }
    let lowered = &syntax.lowered;
    let templates = &syntax.templates;
    let mut out: Vec<Diagnostic> = syntax.diagnostics.clone();
    out.extend(playbook_check::checks::manifest_defect::reclassify(
        &lowered.file,
        &lowered.diagnostics,
        *file.foreign(db),
    ));
    let workspace = Workspace::get(db);
    let view = WorkspaceView::new(db, workspace, file, templates);
    for playbook in lowered.file.playbooks() {
        out.extend(playbook_check::check_playbook(playbook, &view));
        duplicate_names(db, file, playbook, &lowered.file, &mut out);
    }
    for trigger in lowered.file.triggers() {
        out.extend(playbook_check::check_trigger(trigger, &view));
    }
    for test in lowered.file.tests() {
        out.extend(playbook_check::check_test(test, &view));
    }
    // Where lowering dropped a value of the wrong kind (an `env` written as a list, say),
    // the parameters read inside it are unknown to the checks: "never used" would be noise
    // beside the error that says what to fix.
    if lowered
        .diagnostics
        .iter()
        .any(|d| *d.code == playbook_hir::codes::WRONG_NODE_KIND)
    {
        out.retain(|d| *d.code != playbook_check::checks::unused_parameter::CODE);
    }
    apply_severity(workspace.severity(db), &mut out);
    let mut out = playbook_check::suppress::apply(
        file.text(db),
        &syntax.suppressions,
        out,
        &crate::registry::lookup,
        &crate::registry::names,
    );
    out.sort_by(|a, b| {
        (a.range.start(), a.range.end(), a.code.id).cmp(&(
            b.range.start(),
            b.range.end(),
            b.code.id,
        ))
    });
    out.dedup();
    out
}

/// Applies the configuration's severity overrides: a check turned off is dropped.
fn apply_severity(overrides: &[(String, Option<Severity>)], out: &mut Vec<Diagnostic>) {
    if overrides.is_empty() {
        return;
    }
    out.retain_mut(|d| match overrides.iter().find(|(id, _)| id == d.code.id) {
        Some((_, None)) => false,
        Some((_, Some(severity))) => {
            d.severity = *severity;
            true
        }
        None => true,
    });
}

/// What the checks of one file see of the rest of the workspace: the interfaces of the
/// images its steps call (resolved through [`resolve_image`], so that the check depends on
/// those manifests only), the libraries and the known images (for an unknown image), the
/// secret catalogue, and the playbooks by name (for triggers).
pub struct WorkspaceView<'db, 'f> {
    db: &'db dyn salsa::Database,
    workspace: Workspace,
    /// The file being checked.
    file: File,
    /// The file's templates, parsed once for their syntax errors.
    templates: &'f FileTemplates,
    /// The file's tree, parsed when a check first asks for it (to lay out a fix that adds
    /// lines) and dropped with the view: most files never need it after lowering.
    parse: std::cell::OnceCell<playbook_syntax::Parse>,
    /// The interfaces found for each image asked about, by the image as written: a playbook
    /// calls the same images again and again, and each lookup otherwise goes through the
    /// interner and several memo reads.
    manifests: std::cell::RefCell<foldhash::HashMap<String, Vec<&'db StepManifest>>>,
}

impl<'db, 'f> WorkspaceView<'db, 'f> {
    fn new(
        db: &'db dyn salsa::Database,
        workspace: Workspace,
        file: File,
        templates: &'f FileTemplates,
    ) -> WorkspaceView<'db, 'f> {
        WorkspaceView {
            db,
            workspace,
            file,
            templates,
            parse: std::cell::OnceCell::new(),
            manifests: std::cell::RefCell::default(),
        }
    }

    /// The files whose manifests may describe `image` (see [`resolve_image`]), with their
    /// lowered manifests: for finding which file a manifest the check chose lives in.
    pub fn manifest_files(&self, image: &str) -> Vec<File> {
        let Some(name) = lookup_name(image) else {
            return Vec::new();
        };
        resolve_image(self.db, Image::new(self.db, name)).clone()
    }
}

impl playbook_check::Workspace for WorkspaceView<'_, '_> {
    fn template(&self, text: &Text) -> Option<&playbook_template::Template> {
        self.templates.get(text)
    }

    fn source(&self) -> Option<(&str, &playbook_syntax::SyntaxTree)> {
        let text = self.file.text(self.db).as_str();
        if *self.file.open(self.db) {
            return Some((text, parse(self.db, self.file).tree()));
        }
        let parse = self.parse.get_or_init(|| playbook_syntax::parse(text));
        Some((text, parse.tree()))
    }

    fn manifests(&self, image: &str) -> Vec<&StepManifest> {
        if let Some(found) = self.manifests.borrow().get(image) {
            return found.clone();
        }
        let mut manifests = Vec::new();
        if let Some(name) = lookup_name(image) {
            for file in resolve_image(self.db, Image::new(self.db, name)) {
                interfaces_of(&lower(self.db, *file).file, name, &mut manifests);
            }
        }
        self.manifests
            .borrow_mut()
            .insert(image.to_owned(), manifests.clone());
        manifests
    }

    fn libraries(&self) -> Vec<playbook_check::Library<'_>> {
        self.workspace
            .libraries(self.db)
            .iter()
            .map(|library| playbook_check::Library {
                prefix: &library.prefix,
                dir: &library.dir,
                missing: library.missing,
            })
            .collect()
    }

    fn image_names(&self) -> Vec<&str> {
        manifest_index(self.db, self.workspace).images().collect()
    }

    fn known_secrets(&self) -> Option<&[String]> {
        self.workspace.known_secrets(self.db).as_deref()
    }

    fn playbook(&self, name: &str) -> Option<&Playbook> {
        let file = *playbook_index(self.db).get(name)?.first()?;
        lower(self.db, file)
            .file
            .playbooks()
            .find(|p| p.name.as_ref().is_some_and(|n| n.value == name))
    }

    fn playbook_names(&self) -> Vec<String> {
        playbook_index(self.db).keys().cloned().collect()
    }
}

impl<'db> WorkspaceView<'db, 'db> {
    /// The view the check of `file` has (editor features run the same check, recording what
    /// it resolves: [`playbook_check::analyze_playbook`]).
    pub fn for_file(db: &'db dyn salsa::Database, file: File) -> WorkspaceView<'db, 'db> {
        WorkspaceView::new(
            db,
            Workspace::get(db),
            file,
            &file_syntax(db, file).templates,
        )
    }
}

/// The files an editor has open ([`File::open`]), with their paths, in path order. It
/// changes when a document is opened or closed, not as one is typed: the indexes over the
/// workspace read the other files through queries that salsa re-validates at once after a
/// keystroke, and only these few files one by one.
#[salsa::tracked(returns(ref))]
pub fn open_files(db: &dyn salsa::Database) -> Vec<(String, File)> {
    Workspace::get(db)
        .files(db)
        .iter()
        .filter(|(_, file)| *file.open(db))
        .map(|(path, file)| (path.clone(), *file))
        .collect()
}

/// The files declaring each playbook name, in path order.
#[salsa::tracked(returns(ref))]
pub fn playbook_index(db: &dyn salsa::Database) -> BTreeMap<String, Vec<File>> {
    let mut index = settled_refs(db).declared.clone();
    for (path, file) in open_files(db) {
        for name in &file_refs(db, *file).playbook_names {
            let files = index.entry(name.clone()).or_default();
            if !files.contains(file) {
                // In path order: before the first file whose path comes after.
                let at = files
                    .iter()
                    .position(|other| other.path(db) > path)
                    .unwrap_or(files.len());
                files.insert(at, *file);
            }
        }
    }
    index
}

/// What the files no editor has open declare and refer to by name (see [`open_files`] for
/// why they are apart).
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct SettledRefs {
    /// The files declaring each playbook name, in path order.
    pub declared: BTreeMap<String, Vec<File>>,
    /// The paths of the files whose triggers (or tests) name each playbook.
    pub targeting: BTreeMap<String, Vec<String>>,
}

/// The playbook names the files no editor has open declare and target.
#[salsa::tracked(returns(ref))]
pub fn settled_refs(db: &dyn salsa::Database) -> SettledRefs {
    let mut refs = SettledRefs::default();
    for (path, file) in Workspace::get(db).files(db) {
        if *file.open(db) {
            continue;
        }
        let own = file_refs(db, *file);
        for name in &own.playbook_names {
            let files = refs.declared.entry(name.clone()).or_default();
            if !files.contains(file) {
                files.push(*file);
            }
        }
        for target in &own.trigger_targets {
            let paths = refs.targeting.entry(target.clone()).or_default();
            if paths.last() != Some(path) {
                paths.push(path.clone());
            }
        }
    }
    refs
}

/// The paths of the files no editor has open that call each image (without tag or digest):
/// for the dependents of a manifest, which only the language server asks for.
#[salsa::tracked(returns(ref))]
pub fn settled_callers(db: &dyn salsa::Database) -> BTreeMap<String, Vec<String>> {
    let mut callers: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (path, file) in Workspace::get(db).files(db) {
        if *file.open(db) {
            continue;
        }
        for image in called_images(db, *file) {
            callers
                .entry(image.name(db).clone())
                .or_default()
                .push(path.clone());
        }
    }
    callers
}

/// PB603: the playbook's name is also the name of another playbook, in this file or another.
fn duplicate_names(
    db: &dyn salsa::Database,
    file: File,
    playbook: &Playbook,
    own: &playbook_hir::ir::File,
    out: &mut Vec<Diagnostic>,
) {
    use playbook_check::checks::duplicate_playbook_name;
    let Some(name) = &playbook.name else { return };
    // An earlier playbook of the same file with the same name.
    if let Some(first) = own
        .playbooks()
        .filter_map(|p| p.name.as_ref())
        .find(|n| n.value == name.value && n.range != name.range)
        .filter(|n| n.range.start() < name.range.start())
    {
        let line = line_of(file.text(db), first.range);
        out.push(duplicate_playbook_name::diagnostic(
            &name.value,
            name.range,
            file.path(db),
            first.range,
            line,
        ));
        return;
    }
    let Some(files) = playbook_index(db).get(&name.value) else {
        return;
    };
    let Some(&other) = files.iter().find(|f| **f != file) else {
        return;
    };
    let range = lower(db, other)
        .file
        .playbooks()
        .filter_map(|p| p.name.as_ref())
        .find(|n| n.value == name.value)
        .map_or_else(Default::default, |n| n.range);
    let line = line_of(other.text(db), range);
    out.push(duplicate_playbook_name::diagnostic(
        &name.value,
        name.range,
        other.path(db),
        range,
        line,
    ));
}

/// The 1-based line of the start of `range` in `text`.
fn line_of(text: &str, range: playbook_diagnostics::TextRange) -> u32 {
    playbook_diagnostics::LineIndex::new(text)
        .line_col(range.start())
        .line
        + 1
}

/// Adds to `out` the step manifests of a file that describe `image`: those declaring it as
/// their `metadata.imageName`, else the first.
/// The interfaces that may describe `image` ([`resolve_image`]), each with its file: what
/// [`WorkspaceView`]'s `manifests` gives, for a caller that needs the files too.
pub fn image_interfaces<'db>(
    db: &'db dyn salsa::Database,
    image: Image<'db>,
) -> Vec<(File, &'db StepManifest)> {
    let name = image.name(db);
    let mut out = Vec::new();
    for file in resolve_image(db, image) {
        let mut found = Vec::new();
        interfaces_of(&lower(db, *file).file, name, &mut found);
        out.extend(found.into_iter().map(|manifest| (*file, manifest)));
    }
    out
}

fn interfaces_of<'a>(
    file: &'a playbook_hir::ir::File,
    image: &str,
    out: &mut Vec<&'a StepManifest>,
) {
    let before = out.len();
    out.extend(file.manifests().filter(|m| {
        m.image_name
            .as_ref()
            .is_some_and(|n| lookup_name(&n.value) == Some(image))
    }));
    if out.len() == before {
        out.extend(file.manifests().next());
    }
}

/// The parsed templates of a file's scalars, found by the source range of the scalar's
/// content ([`Text::range`]). A file holds a few dozen templates, so a sorted list of
/// positions takes a fraction of the memory of a map by text, and finds one as fast.
#[derive(PartialEq, Eq, Debug, Default)]
pub struct FileTemplates {
    /// By content range, in source order; each with the length of its decoded text.
    entries: Vec<(TextRange, TextSize, playbook_template::Template)>,
}

impl FileTemplates {
    /// The template of `text`, a scalar value of this file; `None` for a scalar without
    /// template, and for a text whose range or length is not one of this file's scalars.
    pub fn get(&self, text: &Text) -> Option<&playbook_template::Template> {
        let i = self
            .entries
            .binary_search_by_key(&text.range.start(), |(range, _, _)| range.start())
            .ok()?;
        let (range, len, template) = self.entries.get(i)?;
        (*range == text.range && usize::try_from(*len).ok() == Some(text.value.len()))
            .then_some(template)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Decoding errors of every scalar, and syntax errors of every template, mapped to source;
/// returns the parsed templates, so that the checks reuse them.
fn scalar_diagnostics(parse: &Parse, out: &mut Vec<Diagnostic>) -> FileTemplates {
    let mut entries = Vec::new();
    for node in parse.tree().root().descendants() {
        let Some(Node::Scalar(scalar)) = Node::cast(node) else {
            continue;
        };
        if !may_need_decoding(scalar) {
            continue;
        }
        let Some(content) = scalar.content() else {
            continue;
        };
        // Most template values are copied verbatim from the source (no escape, no folded
        // line): their value is a slice of the text, and they cannot have a decoding error.
        // Only those with an escape, or with a template error to map, are decoded.
        let token = content.token();
        let decoded = (token.kind() == playbook_syntax::SyntaxKind::DOUBLE_QUOTED
            && token.text().contains('\\'))
        .then(|| content.decode());
        let value = match &decoded {
            Some(decoded) => std::borrow::Cow::Borrowed(decoded.value.as_str()),
            None => content.value(),
        };
        let escape_errors = decoded.as_ref().map_or(&[][..], |d| d.errors.as_slice());
        out.extend(escape_errors.iter().cloned());
        if !playbook_template::contains_actions(&value) {
            continue;
        }
        let template = playbook_template::parse(&value);
        if !template.errors().is_empty() {
            let map = match &decoded {
                Some(decoded) => std::borrow::Cow::Borrowed(&decoded.map),
                None => std::borrow::Cow::Owned(content.decode().map),
            };
            for error in template.errors() {
                let error = map.map_diagnostic(error.clone());
                // An invalid YAML escape stays in the value as written, where the template
                // parser meets it again: report the character once, as the YAML error.
                let same_spot = escape_errors.iter().any(|e| {
                    e.range
                        .intersect(error.range)
                        .is_some_and(|r| !r.is_empty())
                });
                if !same_spot {
                    out.push(error);
                }
            }
        }
        let len = TextSize::try_from(value.len()).unwrap_or(TextSize::MAX);
        entries.push((content.range(), len, template));
    }
    // Scalars come in source order, and their contents do not overlap: already sorted.
    debug_assert!(entries.is_sorted_by_key(|(range, _, _)| range.start()));
    entries.shrink_to_fit();
    FileTemplates { entries }
}

/// Whether decoding `scalar` can find an error or a template: only a double-quoted scalar
/// with a backslash has escapes (which can also spell `{{`); any other scalar has a template
/// only if its source text has `{{`. Most scalars (keys, names, plain values) have
/// neither, and are not decoded.
fn may_need_decoding(scalar: playbook_syntax::ast::Scalar<'_>) -> bool {
    use playbook_syntax::SyntaxKind;
    let Some(token) = scalar.content_token() else {
        return false;
    };
    let raw = match token.kind() {
        SyntaxKind::BLOCK_HEADER => match scalar.block_text() {
            Some(body) => body.text(),
            None => return false,
        },
        SyntaxKind::DOUBLE_QUOTED if token.text().contains('\\') => return true,
        _ => token.text(),
    };
    playbook_template::contains_actions(raw)
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

/// What a file refers to in other files by name, and the names it declares for them.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct FileRefs {
    /// The `metadata.name` of its playbooks.
    pub playbook_names: Vec<String>,
    /// The playbooks its triggers are bound to (unbound triggers left out), and those its
    /// test files test.
    pub trigger_targets: Vec<String>,
}

/// The references of one file by name, read from its IR.
#[salsa::tracked(returns(ref))]
pub fn file_refs(db: &dyn salsa::Database, file: File) -> FileRefs {
    let lowered = lower(db, file);
    let mut refs = FileRefs::default();
    for playbook in lowered.file.playbooks() {
        if let Some(name) = &playbook.name {
            refs.playbook_names.push(name.value.clone());
        }
    }
    for trigger in lowered.file.triggers() {
        if let Some(target) = trigger.playbook.as_ref().filter(|p| !p.value.is_empty()) {
            refs.trigger_targets.push(target.value.clone());
        }
    }
    for test in lowered.file.tests() {
        if let Some(target) = &test.playbook {
            refs.trigger_targets.push(target.value.clone());
        }
    }
    refs
}

/// The images the playbooks of a file call, interned, sorted by name and deduplicated.
/// Only the language server asks (for the dependents of an edited manifest), so a check of
/// the whole workspace does not intern every call twice.
#[salsa::tracked(returns(ref))]
pub fn called_images(db: &dyn salsa::Database, file: File) -> Vec<Image<'_>> {
    let lowered = lower(db, file);
    let mut images = Vec::new();
    for playbook in lowered.file.playbooks() {
        for call in step_calls(&playbook.steps) {
            if let Some(name) = lookup_name(&call.image.value) {
                images.push(Image::new(db, name));
            }
        }
    }
    images.sort_unstable_by(|a: &Image<'_>, b| a.name(db).cmp(b.name(db)));
    images.dedup();
    images.shrink_to_fit();
    images
}

/// The paths of the files that depend on `file`, sorted: the playbooks with a step call
/// that resolves to a manifest in `file`, and the triggers bound to a playbook of `file`.
/// The files no editor has open are found through [`settled_callers`] and [`settled_refs`]
/// (one lookup per image called in the workspace), the open ones one by one.
#[salsa::tracked(returns(ref))]
pub fn dependents(db: &dyn salsa::Database, file: File) -> Vec<String> {
    let own = file_refs(db, file);
    let mut out = std::collections::BTreeSet::new();
    for (image, callers) in settled_callers(db) {
        if resolve_image(db, Image::new(db, image.as_str())).contains(&file) {
            out.extend(callers.iter().cloned());
        }
    }
    let targeting = &settled_refs(db).targeting;
    for name in &own.playbook_names {
        if let Some(paths) = targeting.get(name) {
            out.extend(paths.iter().cloned());
        }
    }
    for (path, other) in open_files(db) {
        let calls_file = called_images(db, *other)
            .iter()
            .any(|image| resolve_image(db, *image).contains(&file));
        let triggers_file = file_refs(db, *other)
            .trigger_targets
            .iter()
            .any(|target| own.playbook_names.contains(target));
        if calls_file || triggers_file {
            out.insert(path.clone());
        }
    }
    out.remove(file.path(db));
    out.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every template value of the IR finds the template parsed for its scalar, whatever
    /// the scalar's style; a value that is not that scalar's does not.
    #[test]
    fn file_templates_are_found_by_the_values_of_the_ir() {
        let text = r#"kind: Playbook
metadata:
  name: templates
parameters:
  - name: Host
    type: var
    default: '{{ $.event.Host }}'
steps:
  - name: example/step
    id: first
    runner: agent-{{ $.params.runner }}
    when: "{{ ne $.params.Host \"x\" }}"
    env:
      PLAIN: a {{ $.params.Host }} b
      SINGLE: 'it''s {{ $.params.Host }}'
      DOUBLE: "tab\t{{ $.params.Host }}"
      BLOCK: |
        {{ $.params.Host }}
        and more
      NONE: no template
"#;
        let parse = playbook_syntax::parse(text);
        let mut diagnostics = Vec::new();
        let templates = scalar_diagnostics(&parse, &mut diagnostics);
        let lowered = playbook_hir::lower(parse.tree());
        let Some(playbook) = lowered.file.playbooks().next() else {
            panic!("no playbook in {:?}", lowered.diagnostics);
        };
        let Some(Step::Call(call)) = playbook.steps.first() else {
            panic!("no step call");
        };
        let mut values: Vec<&Text> = call.env.iter().filter_map(|e| e.value.as_ref()).collect();
        values.extend(call.when.as_deref());
        values.extend(call.runner.as_ref());
        values.extend(
            playbook
                .parameters
                .iter()
                .filter_map(|p| p.default.as_ref()),
        );
        let found = values.iter().filter(|v| templates.get(v).is_some()).count();
        let with_templates = values.iter().filter(|v| v.is_template()).count();
        assert_eq!((found, with_templates, templates.len()), (7, 7, 7));
        // A value at the same place but of another length is not this file's.
        let Some(mut other) = call.env.first().and_then(|e| e.value.clone()) else {
            panic!("no env value");
        };
        other.value = format!("{}!", other.value).into();
        assert!(templates.get(&other).is_none());
    }
}
