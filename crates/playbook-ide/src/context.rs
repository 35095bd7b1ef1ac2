//! What is at a position: the playbook and the check's record of it
//! ([`playbook_check::analysis::Analysis`]), the template site and the reference under the
//! cursor, the file a manifest lives in. Shared by every feature.

use playbook_check::analysis::{Analysis, Reference, SiteFacts};
use playbook_db::File;
use playbook_db::queries::{WorkspaceView, file_syntax, lower};
use playbook_diagnostics::{TextRange, TextSize};
use playbook_hir::ir::{Playbook, StepManifest, Text, Trigger};
use playbook_template::Template;

/// Runs `f` with each playbook of `file` and the check's record of it.
pub fn for_each_analysis(
    db: &dyn salsa::Database,
    file: File,
    mut f: impl FnMut(&Playbook, &Analysis<'_>),
) {
    let view = WorkspaceView::for_file(db, file);
    for playbook in lower(db, file).file.playbooks() {
        let analysis = playbook_check::analyze_playbook(playbook, &view);
        f(playbook, &analysis);
    }
}

/// Runs `f` with the playbook of `file` whose document holds `offset` (its end included),
/// the check's record of it and the view it was checked with; `None` when no playbook does.
pub fn with_analysis_at<R>(
    db: &dyn salsa::Database,
    file: File,
    offset: TextSize,
    f: impl FnOnce(&Playbook, &Analysis<'_>, &WorkspaceView<'_, '_>) -> R,
) -> Option<R> {
    let view = WorkspaceView::for_file(db, file);
    let playbook = playbook_at(db, file, offset)?;
    let analysis = playbook_check::analyze_playbook(playbook, &view);
    Some(f(playbook, &analysis, &view))
}

/// The playbook of `file` whose document holds `offset` (its end included).
pub fn playbook_at(db: &dyn salsa::Database, file: File, offset: TextSize) -> Option<&Playbook> {
    lower(db, file)
        .file
        .playbooks()
        .find(|p| p.range.contains_inclusive(offset))
}

/// The trigger of `file` whose document holds `offset` (its end included).
pub fn trigger_at(db: &dyn salsa::Database, file: File, offset: TextSize) -> Option<&Trigger> {
    lower(db, file)
        .file
        .triggers()
        .find(|t| t.range.contains_inclusive(offset))
}

/// The smallest template site whose scalar content holds `offset` (its end included).
pub fn site_at<'x, 'a>(analysis: &'x Analysis<'a>, offset: TextSize) -> Option<&'x SiteFacts<'a>> {
    analysis
        .sites
        .iter()
        .filter(|s| s.text.range.contains_inclusive(offset))
        .min_by_key(|s| s.text.range.len())
}

/// The reference whose name holds `offset` (its end included; a reference the cursor is
/// inside wins over one it touches the end of).
pub fn reference_at<'x, 'a>(
    analysis: &'x Analysis<'a>,
    offset: TextSize,
) -> Option<&'x Reference<'a>> {
    analysis
        .references
        .iter()
        .filter(|r| r.range.contains_inclusive(offset))
        .min_by_key(|r| (!r.range.contains(offset), r.range.len()))
}

/// The parsed template of a scalar of `file` (the one the database parsed, else parsed
/// now), and the decoded offset of source offset `offset` in it.
pub fn template_at(
    db: &dyn salsa::Database,
    file: File,
    text: &Text,
    offset: TextSize,
) -> (Template, Option<TextSize>) {
    let template = match file_syntax(db, file).templates.get(text) {
        Some(template) => template.clone(),
        None => playbook_template::parse(&text.value),
    };
    (template, text.map.to_decoded(offset))
}

/// The source range of a range of a scalar's decoded value.
pub fn source_range(text: &Text, range: TextRange) -> TextRange {
    text.map.range_to_source(range)
}

/// The file that `manifest` (one of the interfaces the check found for `image`) is in.
pub fn manifest_file(
    db: &dyn salsa::Database,
    view: &WorkspaceView<'_, '_>,
    image: &str,
    manifest: &StepManifest,
) -> Option<File> {
    view.manifest_files(image).into_iter().find(|file| {
        lower(db, *file)
            .file
            .manifests()
            .any(|m| std::ptr::eq(m, manifest))
    })
}
