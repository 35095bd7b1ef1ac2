//! Hover: what the name under the cursor is (a parameter, a step, an output, an input, an
//! image, a function, a trigger's playbook), as Markdown.
//!
//! The name is found as every feature finds it ([`crate::classify`]): from what the check
//! resolved, so the hover shows the manifest the check chose for a call, the step
//! a root-form output was read from, the parameter a `get "$.params.x"` string names. The
//! pages themselves are rendered by [`crate::docs`].

use playbook_check::Workspace as _;
use playbook_check::analysis::{
    self, Analysis, Lookup, SiteFacts, SiteKind, StepFacts, Target, context_fields, is_setting,
};
use playbook_db::File;
use playbook_db::queries::WorkspaceView;
use playbook_diagnostics::{TextRange, TextSize};
use playbook_hir::ir::{LoopSource, Parameter, Playbook, Step, StepCall, StepLoop};

use crate::classify::{self, Symbol, arg_input, chosen_manifest, env_input, playbooks_named};
use crate::context;
use crate::docs::{self, code, fenced};
use crate::template_values::{file_values, iterations_note, sources, why_not_rendered};

/// A hover: the range it is about and its Markdown text.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Hover {
    pub range: TextRange,
    pub markdown: String,
}

/// The hover at `offset` of `file`.
pub fn hover(db: &dyn salsa::Database, file: File, offset: TextSize) -> Option<Hover> {
    let in_playbook = context::with_analysis_at(db, file, offset, |playbook, analysis, view| {
        let site = context::site_at(analysis, offset)
            .filter(|s| s.text.is_template() && s.kind != SiteKind::BarePath);
        let named = classify::in_playbook(db, file, analysis, offset).and_then(|found| {
            let markdown = render(db, playbook, analysis, view, &found.symbol)?;
            Some(Hover {
                range: found.range,
                markdown,
            })
        });
        // A name's page stays what the check knows: the offline run behind a template's
        // value costs several milliseconds on a large playbook after each edit, more than a
        // hover may take (issue 9's budget). The value is the page of the template itself,
        // away from its names, and the inlay hints.
        match (named, site) {
            (Some(hover), _) => Some(hover),
            (None, Some(site)) => Some(template_page(db, file, analysis, view, site)),
            (None, None) => None,
        }
    })
    .flatten();
    in_playbook.or_else(|| trigger_hover(db, file, offset))
}

/// A template as the offline run renders it: its value, and where each part came from.
fn template_page(
    db: &dyn salsa::Database,
    file: File,
    analysis: &Analysis<'_>,
    view: &WorkspaceView<'_, '_>,
    site: &SiteFacts<'_>,
) -> Hover {
    let values = file_values(db, file);
    let mut parts: Vec<String> = rendered_value(db, file, site, true).into_iter().collect();
    let items = sources(db, file, values, analysis, view, site);
    if !items.is_empty() {
        parts.push(format!(
            "Where its parts come from:\n\n{}",
            docs::facts(&items)
        ));
    }
    Hover {
        range: site.text.range,
        markdown: docs::page("**template**".to_owned(), parts),
    }
}

/// What the template at `site` renders to offline, with the parameters' defaults and the
/// manifests' examples; with `why`, why it has no value when the run did not render it.
fn rendered_value(
    db: &dyn salsa::Database,
    file: File,
    site: &SiteFacts<'_>,
    why: bool,
) -> Option<String> {
    let values = file_values(db, file);
    let Some(value) = values.at(site.text.range) else {
        return why.then(|| {
            why_not_rendered(db, file, values, site.text.range)
                .unwrap_or_else(|| "Not rendered offline.".to_owned())
        });
    };
    let body = match &value.text {
        Ok(text) => format!("Renders offline to{}", shown_value(text)),
        Err(message) => format!("Fails offline with{}", shown_value(message)),
    };
    Some(match iterations_note(value.times) {
        Some(note) => format!("{body}\n\nThe value of {note}."),
        None => body,
    })
}

/// A value in a code span when it is one short line, else in a code block.
fn shown_value(text: &str) -> String {
    if text.contains('\n') || text.chars().count() > 60 {
        format!(":\n\n{}", fenced("", text))
    } else {
        format!(" {}", code(text))
    }
}

/// The call's id, else its image: how a step is named in a hover.
fn step_name(call: &StepCall) -> &str {
    call.id
        .as_ref()
        .map_or(call.image.value.as_str(), |id| id.value.as_str())
}

/// How many times the playbook reads `param` (every resolved read, `get` strings and
/// `index $.params "x"` included).
fn reads(analysis: &Analysis<'_>, param: &Parameter) -> usize {
    analysis
        .references
        .iter()
        .filter(|r| matches!(r.target, Target::Param(p) if std::ptr::eq(p, param)))
        .count()
}

fn render(
    db: &dyn salsa::Database,
    playbook: &Playbook,
    analysis: &Analysis<'_>,
    view: &WorkspaceView<'_, '_>,
    symbol: &Symbol<'_>,
) -> Option<String> {
    Some(match symbol {
        Symbol::Param(param) => docs::parameter(param, Some(reads(analysis, param))),
        Symbol::UndeclaredParam(name) => undeclared_param(analysis, name),
        Symbol::Step(step) => step_page(db, view, analysis.steps.get(*step)?),
        Symbol::Output { step, name, output } => {
            let facts = analysis.steps.get(*step)?;
            let label = step_name(facts.call);
            match output {
                Some(output) => docs::output(output, label),
                None if name == "output" => docs::raw_output(label),
                None => match facts.outputs.lookup(name) {
                    Lookup::Field(value) => docs::example_field(name, label, value),
                    Lookup::Unknown => docs::undocumented_output(
                        name,
                        label,
                        facts.call.output_parser.as_ref().map(|p| p.value.as_str()),
                    ),
                    Lookup::Raw(_) | Lookup::Declared(_) | Lookup::Missing => return None,
                },
            }
        }
        Symbol::LoopVar { scope, name } => loop_var(playbook, analysis, *scope, name)?,
        Symbol::Context(root) => context_root(analysis, root),
        Symbol::ContextField { root, field } => context_field(root, field),
        Symbol::Function(function) => docs::function(function),
        Symbol::Image(step) => image_page(db, view, analysis.steps.get(*step)?)?,
        Symbol::Env { step, name } => {
            if is_setting(name) {
                return Some(docs::setting(name));
            }
            let (manifest, _) = chosen_manifest(db, view, analysis.steps.get(*step)?)?;
            docs::input(env_input(manifest, name)?, "input", &[])
        }
        Symbol::Arg { step, index } => {
            let (manifest, _) = chosen_manifest(db, view, analysis.steps.get(*step)?)?;
            let input = arg_input(manifest, *index)?;
            let position = manifest.args.iter().position(|a| std::ptr::eq(a, input));
            let extra = match position {
                Some(p) if p < *index => vec![format!(
                    "takes the rest of the command line (argument {} of the call)",
                    index + 1
                )],
                _ => Vec::new(),
            };
            docs::input(input, "argument", &extra)
        }
        Symbol::TriggerPlaybook(_)
        | Symbol::TriggerParam { .. }
        | Symbol::ManifestOutput(_)
        | Symbol::ManifestInput(_)
        | Symbol::ManifestImage => return None,
    })
}

fn undeclared_param(analysis: &Analysis<'_>, name: &str) -> String {
    let declared: Vec<String> = analysis
        .parameters
        .iter()
        .map(|p| code(&p.name.value))
        .collect();
    let known = if declared.is_empty() {
        "The playbook declares no parameters.".to_owned()
    } else {
        format!("Declared: {}.", declared.join(", "))
    };
    format!("**parameter** {}: not declared\n\n{known}", code(name))
}

/// How the call chose its manifest, when several claim its image: the facts to add to a
/// step's or an image's page.
fn choice_notes(
    db: &dyn salsa::Database,
    view: &WorkspaceView<'_, '_>,
    facts: &StepFacts<'_>,
) -> Vec<String> {
    let image = &facts.call.image.value;
    let candidates = view.manifests(image);
    if candidates.len() < 2 {
        return Vec::new();
    }
    let n = candidates.len();
    match facts.manifest {
        Some(chosen) => {
            let words: Vec<&str> = playbook_check::interface::command_words(chosen).collect();
            if words.is_empty() {
                vec![format!(
                    "the generic one of {n} manifests of this image: the call's args select no specialised one"
                )]
            } else {
                vec![format!(
                    "chosen among {n} manifests of this image by the call's leading args {}",
                    code(&words.join(" "))
                )]
            }
        }
        None => {
            let paths: Vec<String> = candidates
                .iter()
                .filter_map(|m| context::manifest_file(db, view, image, m))
                .map(|f| code(f.path(db)))
                .collect();
            vec![format!(
                "{n} manifests claim this image and the call's args select none: {}",
                paths.join(", ")
            )]
        }
    }
}

/// A step: its image and the description of its manifest.
fn step_page(
    db: &dyn salsa::Database,
    view: &WorkspaceView<'_, '_>,
    facts: &StepFacts<'_>,
) -> String {
    let call = facts.call;
    let mut items = vec![format!("image: {}", code(&call.image.value))];
    let chosen = chosen_manifest(db, view, facts);
    if let Some((_, file)) = chosen {
        items.push(format!("manifest: {}", code(file.path(db))));
    }
    items.extend(choice_notes(db, view, facts));
    if let Some(parser) = &call.output_parser {
        items.push(format!(
            "outputs: those of its output parser {}",
            code(&parser.value)
        ));
    } else if facts.outputs.documented() {
        let names: Vec<String> = facts.outputs.names().into_iter().map(code).collect();
        items.push(format!("outputs: {}", names.join(", ")));
    } else if facts.manifest.is_some() {
        items.push("outputs: not documented".to_owned());
    } else if view.manifests(&call.image.value).is_empty() {
        items.push("no manifest describes this image".to_owned());
    }
    let description = chosen
        .and_then(|(m, _)| m.description.as_ref())
        .map(|d| d.value.trim().to_owned())
        .unwrap_or_default();
    let mut out = format!("**step** {}", code(step_name(call)));
    for part in [description, docs::facts(&items)] {
        if !part.is_empty() {
            out.push_str("\n\n");
            out.push_str(&part);
        }
    }
    out
}

/// An image: the manifest the check chose, with its interface; when several claim it and
/// none was chosen, which ones. Nothing for an image no manifest describes.
fn image_page(
    db: &dyn salsa::Database,
    view: &WorkspaceView<'_, '_>,
    facts: &StepFacts<'_>,
) -> Option<String> {
    let image = &facts.call.image.value;
    let notes = choice_notes(db, view, facts);
    match chosen_manifest(db, view, facts) {
        Some((manifest, file)) => {
            Some(docs::manifest(manifest, image, Some(file.path(db)), &notes))
        }
        None if notes.is_empty() => None,
        None => Some(format!(
            "**image** {}\n\n{}",
            code(image),
            docs::facts(&notes)
        )),
    }
}

/// The loop `scope` is, found in the playbook by its range.
fn find_loop(steps: &[Step], range: TextRange, depth: usize) -> Option<&StepLoop> {
    if depth > 64 {
        return None;
    }
    for step in steps {
        match step {
            Step::Loop(lp) if lp.range == range => return Some(lp),
            Step::Loop(lp) if lp.range.contains_range(range) => {
                return find_loop(&lp.steps, range, depth + 1);
            }
            Step::Block(block) if block.range.contains_range(range) => {
                return find_loop(&block.steps, range, depth + 1);
            }
            _ => {}
        }
    }
    None
}

/// A loop variable: which of the loop's two it is, and what the loop iterates over.
fn loop_var(
    playbook: &Playbook,
    analysis: &Analysis<'_>,
    scope: usize,
    name: &str,
) -> Option<String> {
    let facts = analysis.scopes.get(scope)?;
    let position = facts.loop_vars.iter().position(|(n, _)| *n == name)?;
    let (_, declared) = facts.loop_vars.get(position)?;
    let (role, key) = if position == 0 {
        ("key", "key:")
    } else {
        ("value", "value:")
    };
    let mut items = Vec::new();
    let source = format!("the loop's {}", code("in"));
    if let Some(lp) = find_loop(&playbook.steps, facts.range, 0) {
        match &lp.source {
            Some(LoopSource::Text(text)) => {
                items.push(docs::labelled(&source, &text.value));
            }
            Some(LoopSource::Range { from, to }) => items.push(docs::labelled(
                &source,
                &format!("range: [{}, {}]", from.value, to.value),
            )),
            None => {}
        }
    }
    items.push(match declared {
        Some(_) => format!("named by the loop's {}", code(key)),
        None => format!("the default name: the loop has no {}", code(key)),
    });
    Some(format!(
        "**loop variable** {}\n\nThe {role} of each element the loop iterates over.\n\n{}",
        code(name),
        docs::facts(&items)
    ))
}

/// A root of the run's context.
fn context_root(analysis: &Analysis<'_>, root: &str) -> String {
    let about = match root {
        "params" => "The playbook's parameters.",
        "event" => {
            "The payload of the event that triggered the run; its shape is not known statically."
        }
        "metadata" => "The run's metadata.",
        "execution" => "The run itself.",
        _ => "",
    };
    let mut items = Vec::new();
    if root == "params" {
        let names: Vec<String> = analysis
            .parameters
            .iter()
            .map(|p| code(&p.name.value))
            .collect();
        if !names.is_empty() {
            items.push(format!("declared: {}", names.join(", ")));
        }
    }
    if let Some(fields) = context_fields(root) {
        let names: Vec<String> = fields.iter().map(|f| code(f)).collect();
        items.push(format!("known fields: {}", names.join(", ")));
    }
    let mut out = format!("**context** {}\n\n{about}", code(&format!("$.{root}")));
    if !items.is_empty() {
        out.push_str("\n\n");
        out.push_str(&docs::facts(&items));
    }
    out
}

/// What the known fields of the context hold.
const FIELD_DOCS: &[(&str, &str, &str)] = &[
    (
        "metadata",
        "executionUrl",
        "The URL of the run's page in the platform.",
    ),
    (
        "metadata",
        "playbookId",
        "The id of the playbook being run.",
    ),
    (
        "metadata",
        "userEmail",
        "The email address of the user who ran the playbook.",
    ),
    ("execution", "id", "The id of the run."),
];

/// A field of a context root.
fn context_field(root: &str, field: &str) -> String {
    let headline = format!("**context** {}", code(&format!("$.{root}.{field}")));
    let doc = FIELD_DOCS
        .iter()
        .find(|(r, f, _)| *r == root && *f == field)
        .map(|(_, _, doc)| (*doc).to_owned());
    let body = match (doc, context_fields(root)) {
        (Some(doc), _) => doc,
        (None, Some(known)) => {
            let names: Vec<String> = known.iter().map(|f| code(f)).collect();
            format!(
                "Not a field seen in production playbooks; the known fields of {} are {}.",
                code(&format!("$.{root}")),
                names.join(", ")
            )
        }
        (None, None) if root == "event" => {
            "A field of the triggering event's payload, whose shape is not known statically."
                .to_owned()
        }
        (None, None) => return headline,
    };
    format!("{headline}\n\n{body}")
}

/// A hover in a trigger: the playbook it binds, or a parameter of that playbook.
fn trigger_hover(db: &dyn salsa::Database, file: File, offset: TextSize) -> Option<Hover> {
    let trigger = context::trigger_at(db, file, offset)?;
    let found = classify::in_trigger(trigger, offset)?;
    let markdown = match found.symbol {
        Symbol::TriggerPlaybook(name) => {
            let (file, playbook) = playbooks_named(db, name).into_iter().next()?;
            docs::playbook(playbook, name, file.path(db))
        }
        Symbol::TriggerParam { playbook, name } => {
            let (file, playbook) = playbooks_named(db, playbook).into_iter().next()?;
            let param = playbook.parameters.iter().find(|p| p.name.value == name)?;
            let view = WorkspaceView::for_file(db, file);
            let analysis = analysis::analyze_playbook(playbook, &view);
            docs::parameter(param, Some(reads(&analysis, param)))
        }
        _ => return None,
    };
    Some(Hover {
        range: found.range,
        markdown,
    })
}
