//! Find references and document highlight: every read and declaration of a parameter, a
//! step, a manifest's input or output, an image, across the workspace.
//!
//! What a name under the cursor is comes from [`crate::classify`]; [`symbol_at`] turns it
//! into a name to look for across the workspace, and [`occurrences`] finds it in the
//! checker's record of each playbook ([`crate::context`]): a template read is a
//! [`Reference`](playbook_check::analysis::Reference) the check resolved, a step call's
//! interface is the manifest the check chose for it. Rename ([`crate::rename`]) edits the
//! occurrences found here, so each occurrence also says how the name is written there
//! ([`Form`]).
//!
//! Only the files that can hold an occurrence are analysed: the playbook itself and the
//! triggers bound to it (by [`file_refs`]) for a parameter, the files calling an image
//! that resolves to the manifest (by [`called_images`]) for an output, an input or an
//! image.

use playbook_check::Workspace as _;
use playbook_check::analysis::{Analysis, SiteKind, StepFacts, Target};
use playbook_db::File;
use playbook_db::images::{lookup_name, resolve_image};
use playbook_db::queries::{WorkspaceView, called_images, file_refs, lower, playbook_index};
use playbook_diagnostics::{TextRange, TextSize};
use playbook_hir::ir::{Playbook, StepManifest, Trigger};
use playbook_syntax::ast::ScalarStyle;
use playbook_template::{Node, SegmentKind};

use crate::{FileRange, classify, context};

/// Whether a highlighted range reads the name or declares (writes) it.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum HighlightKind {
    Read,
    Write,
}

/// A range of the current file to highlight.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct Highlight {
    pub range: TextRange,
    pub kind: HighlightKind,
}

/// Every reference of the name at `offset` of `file`, in every file of the workspace,
/// sorted; its declaration too when `include_declaration`. `None` when the cursor is on no
/// name.
///
/// A parameter's references are the template reads of its playbook (`$.params.x`,
/// `index $.params "x"`, `get "$.params.x"`) and the scenario `parameters:` keys of the
/// triggers bound to the playbook; a step id's, the reads of the step; a manifest output's,
/// the reads of it in every playbook calling the manifest; an input's, the `env` keys
/// setting it; an image's, every call of the manifest.
pub fn references(
    db: &dyn salsa::Database,
    file: File,
    offset: TextSize,
    include_declaration: bool,
) -> Option<Vec<FileRange>> {
    let at = symbol_at(db, file, offset)?;
    let mut out: Vec<FileRange> = occurrences(db, &at.symbol, None)
        .into_iter()
        .filter(|o| include_declaration || o.role != Role::Declaration)
        .map(|o| FileRange {
            path: o.file.path(db).clone(),
            range: o.name,
        })
        .collect();
    out.sort();
    out.dedup();
    Some(out)
}

/// The references of the name at `offset` in `file` itself, declaration included:
/// declarations, and the keys that set a value (a trigger's scenario parameter, a call's
/// `env` key), are [`HighlightKind::Write`]; template reads and image names are
/// [`HighlightKind::Read`]. Sorted by position.
pub fn document_highlight(
    db: &dyn salsa::Database,
    file: File,
    offset: TextSize,
) -> Vec<Highlight> {
    let Some(at) = symbol_at(db, file, offset) else {
        return Vec::new();
    };
    let mut out: Vec<Highlight> = occurrences(db, &at.symbol, Some(file))
        .into_iter()
        .filter(|o| o.file == file)
        .map(|o| Highlight {
            range: o.name,
            kind: match o.role {
                Role::Read => HighlightKind::Read,
                Role::Declaration | Role::Write => HighlightKind::Write,
            },
        })
        .collect();
    out.sort_by_key(|h| (h.range.start(), h.range.end()));
    out.dedup();
    out
}

// ---------------------------------------------------------------------------------------
// What the cursor is on, and where it occurs: shared with rename.
// ---------------------------------------------------------------------------------------

/// A name that can be referred to, across the workspace (what [`classify`] finds, without
/// the borrow of one playbook's record). Playbook-local names are identified by the
/// playbook's file and document range, and their declaration's range: stable within one
/// revision.
#[derive(Clone, PartialEq, Eq, Debug)]
pub(crate) enum Referent {
    /// A declared parameter (`parameter` is the range of the whole entry).
    Param {
        file: File,
        playbook: TextRange,
        parameter: TextRange,
        name: String,
    },
    /// A parameter read but not declared.
    UndeclaredParam {
        file: File,
        playbook: TextRange,
        name: String,
    },
    /// A step call with an id (`call` is the range of the whole call).
    Step {
        file: File,
        playbook: TextRange,
        call: TextRange,
        id: String,
    },
    /// A loop variable (`scope` indexes the analysis' scopes).
    LoopVar {
        file: File,
        playbook: TextRange,
        scope: usize,
        name: String,
    },
    /// An output of the step interface `owner`.
    Output { owner: Owner, name: String },
    /// An input (`env` key) of the step interface `owner`.
    Input { owner: Owner, name: String },
    /// The step interface `owner` itself, called by image.
    Image { owner: Owner },
}

/// A step interface: the manifest a call resolved to, or, for calls no manifest
/// describes, the image name (without tag or digest).
#[derive(Clone, PartialEq, Eq, Debug)]
pub(crate) enum Owner {
    Manifest { file: File, range: TextRange },
    Image(String),
}

/// The name under the cursor, and the range of it there (quotes excluded).
pub(crate) struct SymbolAt {
    pub symbol: Referent,
    pub name: TextRange,
}

/// What an occurrence does with the name.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Role {
    /// Declares it: a parameter's `name:`, a step's `id:`, a manifest's input or output.
    Declaration,
    /// Reads it: a template, a call's image.
    Read,
    /// Sets its value: a trigger's scenario parameter key, a call's `env` key.
    Write,
}

/// How the name is written at an occurrence, for rename.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Form {
    /// A whole YAML scalar: a declaration or a mapping key, written in this style
    /// (`None`: a style rename does not write, a block scalar).
    Scalar(Option<ScalarStyle>),
    /// A path segment of a template (`$.params.x`, `.'redis-ip'`) in a scalar of `style`;
    /// `quote`: the segment is quoted with it.
    Segment {
        style: ScalarStyle,
        quote: Option<char>,
    },
    /// Text inside a template string (`index $.params "x"`, `get "$.params.x"`, quoted
    /// with `quote`) or a bare path (`in: fetch.items`), in a scalar of `style`.
    Raw {
        style: ScalarStyle,
        quote: Option<char>,
    },
}

/// One place a symbol occurs.
#[derive(Clone, PartialEq, Eq, Debug)]
pub(crate) struct Occurrence {
    pub file: File,
    /// The name, quotes excluded.
    pub name: TextRange,
    /// What a rename replaces (a quoted segment with its quotes, a scalar with its quotes).
    pub range: TextRange,
    pub form: Form,
    pub role: Role,
}

/// The symbol whose name (declaration, read or key) holds `offset` (its end included):
/// what [`classify`] finds there, as a name to look for across the workspace.
pub(crate) fn symbol_at(
    db: &dyn salsa::Database,
    file: File,
    offset: TextSize,
) -> Option<SymbolAt> {
    let text = file.text(db);
    if let Some(found) = context::with_analysis_at(db, file, offset, |playbook, analysis, view| {
        let found = classify::in_playbook(db, file, analysis, offset)?;
        let symbol = playbook_symbol(db, file, playbook, analysis, view, &found.symbol)?;
        let name = if found.read {
            template_occurrence(db, file, analysis, found.range, Role::Read).name
        } else {
            unquoted(text, found.range)
        };
        Some(SymbolAt { symbol, name })
    })
    .flatten()
    {
        return Some(found);
    }
    if let Some(trigger) = context::trigger_at(db, file, offset) {
        let found = classify::in_trigger(trigger, offset)?;
        let classify::Symbol::TriggerParam { name, .. } = found.symbol else {
            return None;
        };
        let (playbook_file, playbook) = bound_playbook(db, file, trigger)?;
        let param = playbook.parameters.iter().find(|p| p.name.value == name)?;
        return Some(SymbolAt {
            symbol: Referent::Param {
                file: playbook_file,
                playbook: playbook.range,
                parameter: param.range,
                name: param.name.value.clone(),
            },
            name: unquoted(text, found.range),
        });
    }
    let manifest = lower(db, file)
        .file
        .manifests()
        .find(|m| m.range.contains_inclusive(offset))?;
    let found = classify::in_manifest(manifest, offset)?;
    let owner = Owner::Manifest {
        file,
        range: manifest.range,
    };
    let symbol = match found.symbol {
        classify::Symbol::ManifestOutput(output) => Referent::Output {
            owner,
            name: output.name.value.clone(),
        },
        classify::Symbol::ManifestInput(input) => Referent::Input {
            owner,
            name: input.name.value.clone(),
        },
        classify::Symbol::ManifestImage => Referent::Image { owner },
        _ => return None,
    };
    Some(SymbolAt {
        symbol,
        name: unquoted(text, found.range),
    })
}

/// The symbol a name of a playbook is. A context root, a function, a step without an id
/// and an argument are found nowhere else: they are none.
fn playbook_symbol(
    db: &dyn salsa::Database,
    file: File,
    playbook: &Playbook,
    analysis: &Analysis<'_>,
    view: &WorkspaceView<'_, '_>,
    symbol: &classify::Symbol<'_>,
) -> Option<Referent> {
    use classify::Symbol as At;
    let here = playbook.range;
    Some(match symbol {
        At::Param(param) => Referent::Param {
            file,
            playbook: here,
            parameter: param.range,
            name: param.name.value.clone(),
        },
        At::UndeclaredParam(name) => Referent::UndeclaredParam {
            file,
            playbook: here,
            name: name.clone(),
        },
        At::Step(index) => {
            let call = analysis.steps.get(*index)?.call;
            Referent::Step {
                file,
                playbook: here,
                call: call.range,
                id: call.id.as_ref()?.value.clone(),
            }
        }
        At::Output { step, name, .. } => Referent::Output {
            owner: owner_of(db, view, analysis.steps.get(*step)?)?,
            name: name.clone(),
        },
        At::LoopVar { scope, name } => Referent::LoopVar {
            file,
            playbook: here,
            scope: *scope,
            name: (*name).to_owned(),
        },
        At::Image(step) => Referent::Image {
            owner: owner_of(db, view, analysis.steps.get(*step)?)?,
        },
        At::Env { step, name } => Referent::Input {
            owner: owner_of(db, view, analysis.steps.get(*step)?)?,
            name: (*name).to_owned(),
        },
        At::Context(_)
        | At::ContextField { .. }
        | At::Function(_)
        | At::Arg { .. }
        | At::TriggerPlaybook(_)
        | At::TriggerParam { .. }
        | At::ManifestOutput(_)
        | At::ManifestInput(_)
        | At::ManifestImage => return None,
    })
}

/// Every occurrence of `symbol` in the workspace (only in `only`, when given), sorted by
/// path and position, each once.
pub(crate) fn occurrences(
    db: &dyn salsa::Database,
    symbol: &Referent,
    only: Option<File>,
) -> Vec<Occurrence> {
    let wanted = |file: File| only.is_none_or(|o| o == file);
    let mut out = Vec::new();
    match symbol {
        Referent::Param {
            file,
            playbook,
            parameter,
            name,
        } => {
            if wanted(*file) {
                with_playbook(db, *file, *playbook, |playbook, analysis, _| {
                    if let Some(param) = playbook.parameters.iter().find(|p| p.range == *parameter)
                    {
                        out.push(scalar_occurrence(
                            db,
                            *file,
                            param.name.range,
                            Role::Declaration,
                        ));
                    }
                    for r in &analysis.references {
                        if matches!(&r.target, Target::Param(p) if p.range == *parameter) {
                            out.push(template_occurrence(
                                db,
                                *file,
                                analysis,
                                r.range,
                                Role::Read,
                            ));
                        }
                    }
                });
            }
            trigger_keys(db, *file, *playbook, name, only, &mut out);
        }
        Referent::UndeclaredParam {
            file,
            playbook,
            name,
        } => {
            if wanted(*file) {
                with_playbook(db, *file, *playbook, |_, analysis, _| {
                    for r in &analysis.references {
                        if matches!(&r.target, Target::UndeclaredParam(n) if n == name) {
                            out.push(template_occurrence(
                                db,
                                *file,
                                analysis,
                                r.range,
                                Role::Read,
                            ));
                        }
                    }
                });
            }
        }
        Referent::Step {
            file,
            playbook,
            call,
            ..
        } => {
            if wanted(*file) {
                with_playbook(db, *file, *playbook, |_, analysis, _| {
                    let Some(index) = analysis.steps.iter().position(|s| s.call.range == *call)
                    else {
                        return;
                    };
                    if let Some(id) = analysis.steps.get(index).and_then(|s| s.call.id.as_ref()) {
                        out.push(scalar_occurrence(db, *file, id.range, Role::Declaration));
                    }
                    for r in &analysis.references {
                        if matches!(r.target, Target::Step(i) if i == index) {
                            out.push(template_occurrence(
                                db,
                                *file,
                                analysis,
                                r.range,
                                Role::Read,
                            ));
                        }
                    }
                });
            }
        }
        Referent::LoopVar {
            file,
            playbook,
            scope,
            name,
        } => {
            if wanted(*file) {
                with_playbook(db, *file, *playbook, |_, analysis, _| {
                    let declared = analysis
                        .scopes
                        .get(*scope)
                        .and_then(|s| s.loop_vars.iter().find(|(n, _)| n == name))
                        .and_then(|(_, range)| *range);
                    if let Some(range) = declared {
                        out.push(scalar_occurrence(db, *file, range, Role::Declaration));
                    }
                    for r in &analysis.references {
                        if matches!(&r.target, Target::LoopVar { scope: s, name: n } if s == scope && n == name)
                        {
                            out.push(template_occurrence(
                                db,
                                *file,
                                analysis,
                                r.range,
                                Role::Read,
                            ));
                        }
                    }
                });
            }
        }
        Referent::Output { owner, name } => {
            if let Some((file, manifest)) = owner_manifest(db, owner)
                && wanted(file)
                && let Some(output) = manifest.outputs.iter().find(|o| o.name.value == *name)
            {
                out.push(scalar_occurrence(
                    db,
                    file,
                    output.name.range,
                    Role::Declaration,
                ));
            }
            for_each_caller(db, owner, Some(name), only, |file, analysis, matches| {
                for r in &analysis.references {
                    if let Target::Output { step, name: n, .. } = &r.target
                        && n == name
                        && analysis.steps.get(*step).is_some_and(&matches)
                    {
                        out.push(template_occurrence(db, file, analysis, r.range, Role::Read));
                    }
                }
            });
        }
        Referent::Input { owner, name } => {
            if let Some((file, manifest)) = owner_manifest(db, owner)
                && wanted(file)
                && let Some(input) = manifest.envs.iter().find(|i| i.name.value == *name)
            {
                out.push(scalar_occurrence(
                    db,
                    file,
                    input.name.range,
                    Role::Declaration,
                ));
            }
            for_each_caller(db, owner, Some(name), only, |file, analysis, matches| {
                for step in analysis.steps.iter().filter(|s| matches(s)) {
                    for env in step.call.env.iter().filter(|e| e.name.value == *name) {
                        out.push(scalar_occurrence(db, file, env.name.range, Role::Write));
                    }
                }
            });
        }
        Referent::Image { owner } => {
            if let Some((file, manifest)) = owner_manifest(db, owner)
                && wanted(file)
                && let Some(name) = &manifest.name
            {
                out.push(scalar_occurrence(db, file, name.range, Role::Declaration));
            }
            for_each_caller(db, owner, None, only, |file, analysis, matches| {
                for step in analysis.steps.iter().filter(|s| matches(s)) {
                    out.push(scalar_occurrence(
                        db,
                        file,
                        step.call.image.range,
                        Role::Read,
                    ));
                }
            });
        }
    }
    out.sort_by(|a, b| {
        (a.file.path(db), a.range.start(), a.range.end()).cmp(&(
            b.file.path(db),
            b.range.start(),
            b.range.end(),
        ))
    });
    out.dedup_by(|a, b| a.file == b.file && a.range == b.range);
    out
}

/// Runs `f` with the playbook of `file` at document range `range` and the check's record
/// of it.
pub(crate) fn with_playbook<R>(
    db: &dyn salsa::Database,
    file: File,
    range: TextRange,
    f: impl FnOnce(&Playbook, &Analysis<'_>, &WorkspaceView<'_, '_>) -> R,
) -> Option<R> {
    let playbook = lower(db, file)
        .file
        .playbooks()
        .find(|p| p.range == range)?;
    let view = WorkspaceView::for_file(db, file);
    let analysis = playbook_check::analyze_playbook(playbook, &view);
    Some(f(playbook, &analysis, &view))
}

/// The playbook a trigger of `file` is bound to, and its file: the one the check of the
/// trigger finds by name.
pub(crate) fn bound_playbook<'db>(
    db: &'db dyn salsa::Database,
    file: File,
    trigger: &Trigger,
) -> Option<(File, &'db Playbook)> {
    let name = trigger.playbook.as_ref().filter(|p| !p.value.is_empty())?;
    let view = WorkspaceView::for_file(db, file);
    let range = view.playbook(&name.value)?.range;
    let playbook_file = *playbook_index(db).get(&name.value)?.first()?;
    let playbook = lower(db, playbook_file)
        .file
        .playbooks()
        .find(|p| p.range == range)?;
    Some((playbook_file, playbook))
}

/// The scenario `parameters:` keys naming parameter `name` in the triggers bound to the
/// playbook at `playbook` of `file`. Only the files whose triggers name the playbook are
/// lowered again (none is: [`file_refs`] is memoised).
fn trigger_keys(
    db: &dyn salsa::Database,
    file: File,
    playbook: TextRange,
    name: &str,
    only: Option<File>,
    out: &mut Vec<Occurrence>,
) {
    let Some(playbook_name) = lower(db, file)
        .file
        .playbooks()
        .find(|p| p.range == playbook)
        .and_then(|p| p.name.as_ref())
    else {
        return;
    };
    let playbook_name = playbook_name.value.as_str();
    for other in playbook_db::Workspace::get(db).files(db).values() {
        if only.is_some_and(|o| o != *other)
            || !file_refs(db, *other)
                .trigger_targets
                .iter()
                .any(|t| t == playbook_name)
        {
            continue;
        }
        for trigger in lower(db, *other).file.triggers() {
            if trigger
                .playbook
                .as_ref()
                .is_none_or(|p| p.value != playbook_name)
            {
                continue;
            }
            let bound = bound_playbook(db, *other, trigger)
                .is_some_and(|(f, p)| f == file && p.range == playbook);
            if !bound {
                continue;
            }
            for (key, _) in trigger.scenarios.iter().flat_map(|s| s.parameters.iter()) {
                if key.value == name {
                    out.push(scalar_occurrence(db, *other, key.range, Role::Write));
                }
            }
        }
    }
}

/// The interface a step call resolved to.
fn owner_of(
    db: &dyn salsa::Database,
    view: &WorkspaceView<'_, '_>,
    step: &StepFacts<'_>,
) -> Option<Owner> {
    let image = &step.call.image.value;
    match step.manifest {
        Some(manifest) => Some(Owner::Manifest {
            file: context::manifest_file(db, view, image, manifest)?,
            range: manifest.range,
        }),
        None => Some(Owner::Image(lookup_name(image)?.to_owned())),
    }
}

/// The manifest of an owner, with its file.
fn owner_manifest<'db>(
    db: &'db dyn salsa::Database,
    owner: &Owner,
) -> Option<(File, &'db StepManifest)> {
    let Owner::Manifest { file, range } = owner else {
        return None;
    };
    let manifest = lower(db, *file)
        .file
        .manifests()
        .find(|m| m.range == *range)?;
    Some((*file, manifest))
}

/// Runs `f` with each playbook analysis of the files (only `only`, when given) that call
/// an image resolving to `owner` (and whose text holds `needle`, when given), and a test of
/// whether a step resolved to it. A file is analysed only when it may hold an occurrence:
/// its called images are memoised, and a text search is cheap beside a check.
fn for_each_caller(
    db: &dyn salsa::Database,
    owner: &Owner,
    needle: Option<&str>,
    only: Option<File>,
    mut f: impl FnMut(File, &Analysis<'_>, &dyn Fn(&StepFacts<'_>) -> bool),
) {
    let target = owner_manifest(db, owner).map(|(_, m)| m);
    if matches!(owner, Owner::Manifest { .. }) && target.is_none() {
        return;
    }
    for file in playbook_db::Workspace::get(db).files(db).values() {
        if only.is_some_and(|o| o != *file) || needle.is_some_and(|n| !file.text(db).contains(n)) {
            continue;
        }
        let calls = called_images(db, *file).iter().any(|image| match owner {
            Owner::Manifest { file: m, .. } => resolve_image(db, *image).contains(m),
            Owner::Image(name) => image.name(db) == name,
        });
        if !calls {
            continue;
        }
        let matches = |step: &StepFacts<'_>| match (owner, target) {
            (Owner::Manifest { .. }, Some(target)) => {
                step.manifest.is_some_and(|m| std::ptr::eq(m, target))
            }
            (Owner::Image(name), _) => {
                step.manifest.is_none()
                    && lookup_name(&step.call.image.value) == Some(name.as_str())
            }
            _ => false,
        };
        context::for_each_analysis(db, *file, |_, analysis| f(*file, analysis, &matches));
    }
}

/// The occurrence of a name written as a whole YAML scalar at `range` (quotes included).
fn scalar_occurrence(
    db: &dyn salsa::Database,
    file: File,
    range: TextRange,
    role: Role,
) -> Occurrence {
    let text = file.text(db);
    let style = match text.get(range.as_usize()).and_then(|s| s.chars().next()) {
        Some('\'') => Some(ScalarStyle::SingleQuoted),
        Some('"') => Some(ScalarStyle::DoubleQuoted),
        Some('|' | '>') => None,
        _ => Some(ScalarStyle::Plain),
    };
    Occurrence {
        file,
        name: unquoted(text, range),
        range,
        form: Form::Scalar(style),
        role,
    }
}

/// The range of a scalar's name without its quotes (a quoted scalar's content range
/// holds them).
fn unquoted(text: &str, range: TextRange) -> TextRange {
    let Some(slice) = text.get(range.as_usize()) else {
        return range;
    };
    let quoted = slice.len() >= 2
        && ((slice.starts_with('\'') && slice.ends_with('\''))
            || (slice.starts_with('"') && slice.ends_with('"')));
    if quoted {
        TextRange::new(range.start() + 1, range.end() - 1)
    } else {
        range
    }
}

/// The occurrence of a name a template (or a bare path) of a site of `analysis` reads at
/// source range `range` (a reference the check recorded): how it is written there.
pub(crate) fn template_occurrence(
    db: &dyn salsa::Database,
    file: File,
    analysis: &Analysis<'_>,
    range: TextRange,
    role: Role,
) -> Occurrence {
    let mut occurrence = Occurrence {
        file,
        name: range,
        range,
        form: Form::Segment {
            style: ScalarStyle::Plain,
            quote: None,
        },
        role,
    };
    let Some(site) = analysis
        .sites
        .iter()
        .filter(|s| s.text.range.contains_range(range))
        .min_by_key(|s| s.text.range.len())
    else {
        return occurrence;
    };
    let text = site.text;
    let style = text.style;
    occurrence.form = Form::Segment { style, quote: None };
    if site.kind == SiteKind::BarePath {
        // A plain bare path that is the name alone (`in: fetch`) is a whole scalar: the
        // new name must read back as a string there (`in: 'true'`).
        occurrence.form = if range == text.range && style == ScalarStyle::Plain {
            Form::Scalar(Some(style))
        } else {
            Form::Raw { style, quote: None }
        };
        return occurrence;
    }
    let (template, decoded) = context::template_at(db, file, text, range.start());
    let Some(decoded) = decoded else {
        return occurrence;
    };
    match template.node_at(decoded) {
        Some(Node::Literal(literal)) => {
            let quote = text
                .value
                .get(literal.range.start() as usize..)
                .and_then(|s| s.chars().next());
            occurrence.form = Form::Raw { style, quote };
        }
        Some(Node::Segment(path, i)) => {
            if let Some(segment) = path.segments.get(i)
                && let SegmentKind::Quoted { quote, .. } = &segment.kind
            {
                occurrence.form = Form::Segment {
                    style,
                    quote: Some(quote.as_char()),
                };
                if segment.range.len() >= 2 {
                    let inner = TextRange::new(segment.range.start() + 1, segment.range.end() - 1);
                    occurrence.name = context::source_range(text, inner);
                }
            }
        }
        _ => {}
    }
    occurrence
}
