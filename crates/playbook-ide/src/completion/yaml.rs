//! Completion in the YAML of playbooks, triggers and step manifests: the keys a mapping may
//! hold (as lowering accepts them, [`schema`]), enum values, the inputs of a step's
//! manifest under `env:`, the images of the libraries under a step's `name:`, parameters for
//! `runner:` and `integrationRef:`, and a trigger's playbooks and their parameters. A value
//! whose cursor is in a template goes to [`super::template`].

use std::cell::OnceCell;

use playbook_check::Workspace as _;
use playbook_check::analysis::{Analysis, SiteFacts, SiteKind, accepts_integration};
use playbook_db::queries::{WorkspaceView, lower, playbook_index};
use playbook_db::{File, Workspace};
use playbook_diagnostics::{TextRange, TextSize};
use playbook_hir::ir::{InputType, Kind, OutputType, ParamType, Playbook, StepManifest};
use playbook_hir::{API_VERSION, schema};
use playbook_syntax::SyntaxKind::{BLOCK_SEQ_ENTRY, DOUBLE_QUOTED, SINGLE_QUOTED};
use playbook_syntax::ast::{Document, Node, ScalarStyle};
use playbook_syntax::decode::SourceMap;
use playbook_syntax::{SyntaxNode, SyntaxTree};

use super::place::{At, KeyAt, Place, Seg, ValueAt};
use super::template::{self, Mode, Source, Visible};
use super::{Completion, CompletionDocs, CompletionKind};

/// What a completion request knows, and the check of the playbook, run once when needed.
struct Cx<'a> {
    db: &'a dyn salsa::Database,
    text: &'a str,
    offset: TextSize,
    view: &'a WorkspaceView<'a, 'a>,
    playbook: Option<&'a Playbook>,
    analysis: &'a OnceCell<Option<Analysis<'a>>>,
    /// Which items get their documentation.
    docs: &'a CompletionDocs,
}

impl<'a> Cx<'a> {
    fn analysis(&self) -> Option<&Analysis<'a>> {
        self.analysis
            .get_or_init(|| {
                self.playbook
                    .map(|p| playbook_check::outline_playbook(p, self.view))
            })
            .as_ref()
    }

    /// What has been typed of a value: from the start of its range to the cursor.
    fn typed(&self, range: TextRange) -> &'a str {
        if !range.contains_inclusive(self.offset) {
            return "";
        }
        self.text
            .get(range.start() as usize..self.offset as usize)
            .unwrap_or_default()
    }
}

/// What a completion request shares with the YAML completions: the workspace as the file
/// sees it, the outline of the playbook at the cursor once it has been made, and which
/// items get their documentation.
pub(crate) struct Shared<'a> {
    pub(crate) view: &'a WorkspaceView<'a, 'a>,
    pub(crate) analysis: &'a OnceCell<Option<Analysis<'a>>>,
    pub(crate) docs: &'a CompletionDocs,
}

/// The completions at a place of `file`.
pub(crate) fn complete<'a>(
    db: &'a dyn salsa::Database,
    file: File,
    tree: &'a SyntaxTree,
    place: &Place<'_>,
    offset: TextSize,
    shared: Shared<'a>,
) -> Vec<Completion> {
    let Shared {
        view,
        analysis,
        docs,
    } = shared;
    let document = super::place::document_at(tree, offset);
    let kind = document.and_then(document_kind);
    let playbook = match (kind, document) {
        (Some(Kind::Playbook), Some(document)) => {
            let range = document.syntax().text_range();
            lower(db, file)
                .file
                .playbooks()
                .find(|p| range.contains_range(p.range))
        }
        _ => None,
    };
    let cx = Cx {
        db,
        text: tree.text(),
        offset,
        view,
        playbook,
        analysis,
        docs,
    };
    let path: Vec<&str> = place
        .path
        .iter()
        .map(|s| match s {
            Seg::Key(k) => k.as_str(),
            Seg::Item => "-",
        })
        .collect();
    match &place.at {
        At::Value(value) => {
            if let Some(items) = template_items(&cx, kind, &path, value) {
                return items;
            }
            let items = value_items(&cx, kind, document, place, &path, value);
            if !items.is_empty() {
                return items;
            }
            match place.value_as_key() {
                Some(key_place) => match &key_place.at {
                    At::Key(key) => key_items(&cx, kind, document, &key_place, &path, key),
                    At::Value(_) => Vec::new(),
                },
                None => items,
            }
        }
        At::Key(key) => key_items(&cx, kind, document, place, &path, key),
    }
}

/// Whether a document holds no key but `apiVersion` and `kind` (being written).
fn is_new_document(document: Option<Document<'_>>) -> bool {
    let Some(body) = document.and_then(|d| d.body()) else {
        return true;
    };
    let Some(mapping) = body.as_mapping() else {
        return body.as_scalar().is_some();
    };
    mapping.entries().all(|e| {
        e.key_scalar()
            .is_some_and(|k| matches!(&*k.value(), "apiVersion" | "kind"))
    })
}

/// The `kind` a document declares.
fn document_kind(document: Document<'_>) -> Option<Kind> {
    let body = document.body()?.as_mapping()?;
    let kind = body.get("kind")?.value()?.as_scalar()?;
    Kind::parse(&kind.value())
}

/// The prefix of `path` that leads to the innermost step (a call, block or loop): `steps`,
/// then any number of nested `steps` of blocks and `foreach.steps` of loops.
fn step_prefix(path: &[&str]) -> Option<usize> {
    if !path.starts_with(&["steps", "-"]) {
        return None;
    }
    let mut n = 2;
    loop {
        let rest = path.get(n..).unwrap_or_default();
        if rest.starts_with(&["steps", "-"]) {
            n += 2;
        } else if rest.starts_with(&["foreach", "steps", "-"]) {
            n += 3;
        } else {
            return Some(n);
        }
    }
}

// ---- Templates -----------------------------------------------------------------------

/// The completions of a template value, when the cursor is in one of its actions (or in a
/// loop's bare `in` path).
fn template_items(
    cx: &Cx<'_>,
    kind: Option<Kind>,
    path: &[&str],
    value: &ValueAt<'_>,
) -> Option<Vec<Completion>> {
    if !matches!(kind, Some(Kind::Playbook | Kind::Trigger)) {
        return None;
    }
    let loop_in = kind == Some(Kind::Playbook)
        && path.ends_with(&["foreach", "in"])
        && step_prefix(path).is_some();
    let source = if let Some(raw) = value.raw_template {
        Source {
            value: cx.text.get(raw.as_usize())?.to_owned(),
            map: SourceMap::verbatim(raw.start(), raw.len()),
            style: None,
        }
    } else if let Some(scalar) = value.scalar {
        let decoded = scalar.decode();
        Source {
            value: decoded.value,
            map: decoded.map,
            style: Some(scalar.style()),
        }
    } else if loop_in {
        Source {
            value: String::new(),
            map: SourceMap::verbatim(cx.offset, 0),
            style: None,
        }
    } else {
        return None;
    };
    if !source.value.contains("{{") && !loop_in {
        return None;
    }
    let visible = if kind == Some(Kind::Trigger) {
        Visible {
            analysis: None,
            at: 0,
            own: None,
            scopes: Vec::new(),
            mode: Mode::Trigger,
        }
    } else {
        let analysis = cx.analysis();
        let range = value.scalar.map(|s| s.content_range());
        let site = analysis
            .zip(range)
            .and_then(|(analysis, range)| analysis.sites.iter().find(|s| s.text.range == range));
        match site {
            Some(site) => site_visible(analysis, site),
            None => derived_site(analysis, cx.offset, path, loop_in),
        }
    };
    template::complete(&source, &visible, cx.offset, cx.docs)
}

/// What the check recorded that a site sees.
fn site_visible<'x, 'a>(
    analysis: Option<&'x Analysis<'a>>,
    site: &SiteFacts<'_>,
) -> Visible<'x, 'a> {
    Visible {
        analysis,
        at: site.at,
        own: site.own,
        scopes: site.scopes.clone(),
        mode: match site.kind {
            SiteKind::Default => Mode::Default,
            SiteKind::BarePath => Mode::BarePath,
            SiteKind::Value | SiteKind::Condition => Mode::Playbook,
        },
    }
}

/// Whether the text before `offset` has a `{{` that no `}}` follows: the cursor may be in
/// a template, and the check's record of the site may answer without the syntax tree.
pub(crate) fn in_open_action(text: &str, offset: TextSize) -> bool {
    let before = text.get(..offset as usize).unwrap_or_default();
    match (before.rfind("{{"), before.rfind("}}")) {
        (Some(open), Some(close)) => open > close,
        (open, _) => open.is_some(),
    }
}

/// The completions of the template site the cursor is in, from the check's record alone;
/// `None` when the cursor is in no action of a site.
pub(crate) fn site_template(
    analysis: &Analysis<'_>,
    offset: TextSize,
    docs: &CompletionDocs,
) -> Option<Vec<Completion>> {
    let site = crate::context::site_at(analysis, offset)?;
    let source = Source {
        value: site.text.value.to_string(),
        map: site.text.map.clone(),
        style: Some(site.text.style),
    };
    template::complete(&source, &site_visible(Some(analysis), site), offset, docs)
}

/// What a scalar the check did not record as a site (a value it could not read yet) can
/// see, from where it is: the step it is in (which has not run), the steps before it, the
/// blocks and loops around it.
fn derived_site<'x, 'a>(
    analysis: Option<&'x Analysis<'a>>,
    offset: TextSize,
    path: &[&str],
    loop_in: bool,
) -> Visible<'x, 'a> {
    let mode = if path == ["parameters", "-", "default"] {
        Mode::Default
    } else if loop_in {
        Mode::BarePath
    } else {
        Mode::Playbook
    };
    let Some(facts) = analysis else {
        return Visible {
            analysis,
            at: 0,
            own: None,
            scopes: Vec::new(),
            mode,
        };
    };
    let own = facts
        .steps
        .iter()
        .position(|s| s.call.range.contains_inclusive(offset));
    let at = own.unwrap_or_else(|| {
        facts
            .steps
            .iter()
            .filter(|s| s.call.range.end() <= offset)
            .count()
    });
    let scopes = facts
        .scopes
        .iter()
        .enumerate()
        .filter(|(_, s)| s.range.contains_inclusive(offset))
        .map(|(i, _)| i)
        .collect();
    Visible {
        analysis,
        at,
        own,
        scopes,
        mode,
    }
}

// ---- Keys ----------------------------------------------------------------------------

/// The shape of a key's value, which decides what is inserted with the key.
#[derive(Clone, Copy)]
enum Shape {
    Scalar,
    /// A nested mapping, on the next lines.
    Map,
    /// A sequence, on the next lines.
    Seq,
    /// One of these values.
    Enum(&'static [&'static str]),
    /// A snippet after `key: `.
    Snippet(&'static str),
}

const BOOLS: &[&str] = &["true", "false"];
const API_VERSIONS: &[&str] = &[API_VERSION];

/// A key's shape and one line saying what it is.
fn key_info(key: &str, section: &str) -> (Shape, &'static str) {
    match (section, key) {
        (_, "apiVersion") => (Shape::Enum(API_VERSIONS), "the API version"),
        (_, "kind") => (Shape::Enum(&Kind::ALL), "the kind of document"),
        ("playbook", "metadata") => (Shape::Map, "the playbook's name and description"),
        ("playbook", "parameters") => (Shape::Seq, "the playbook's parameters"),
        ("playbook" | "block" | "loop", "steps") => (Shape::Seq, "the steps, in order"),
        ("metadata", "name") => (Shape::Scalar, "the name, unique in the workspace"),
        (_, "description") => (Shape::Scalar, "what it is for"),
        ("parameter", "name") => (Shape::Scalar, "the parameter's name"),
        ("parameter", "type") => (
            Shape::Enum(&ParamType::ALL),
            "var, secret, integration or spd",
        ),
        ("parameter", "default") => (Shape::Scalar, "the value when none is given"),
        ("parameter", "options") => (Shape::Map, "`integration_type` of an integration"),
        ("options", "integration_type") => (Shape::Scalar, "the kind of integration expected"),
        ("step", "name") => (Shape::Scalar, "the step image"),
        ("step", "id") => (Shape::Scalar, "the step's id, read as `$.<id>`"),
        ("step", "env") => (Shape::Map, "the step's inputs"),
        ("step", "envFrom") => (Shape::Map, "`integrationRef`: the integration to use"),
        ("step", "runner") => (Shape::Scalar, "the agent the step runs on"),
        (_, "when") => (Shape::Scalar, "runs only when this template is true"),
        ("step", "args") => (Shape::Seq, "the command line, as a list"),
        ("step", "output_parser") => (Shape::Map, "the image that parses the output"),
        ("step", "ignoreFailure") => (Shape::Enum(BOOLS), "go on when the step fails"),
        ("step", "foreach") => (Shape::Map, "a loop over a collection"),
        ("loop", "in") => (Shape::Scalar, "the collection: a path or a template"),
        ("loop", "key") => (Shape::Scalar, "the name of the key variable"),
        ("loop", "value") => (Shape::Scalar, "the name of the value variable"),
        ("loop", "break") => (Shape::Scalar, "ends the loop when this template is true"),
        ("in", "range") => (Shape::Snippet("[${1:0}, ${2:1}]"), "`[from, to]`"),
        ("envFrom", "integrationRef") => (
            Shape::Scalar,
            "the integration parameter: `{{ $.params.X }}`",
        ),
        ("output_parser", "name") => (Shape::Scalar, "the parser image"),
        ("trigger", "enabled") | ("scenario", "enabled") => {
            (Shape::Enum(BOOLS), "whether it is active")
        }
        ("trigger", "playbook") => (Shape::Scalar, "the playbook it runs"),
        ("trigger", "metadata") => (Shape::Map, "the trigger's name and description"),
        ("trigger", "scenarios") => (Shape::Seq, "the events that run the playbook"),
        ("scenario", "name") => (Shape::Scalar, "the scenario's name"),
        ("scenario", "integration") => (Shape::Scalar, "the integration sending the event"),
        ("scenario", "parameters") => (Shape::Map, "the playbook's parameters"),
        ("test file", "playbook") => (Shape::Scalar, "the tested playbook's `metadata.name`"),
        ("test file", "cases") => (Shape::Seq, "the cases, each a run of its own"),
        ("test case", "params") => (Shape::Map, "parameter values, by name"),
        ("test case", "event") => (Shape::Map, "the event, read as `$.event`"),
        ("test case", "outputs") => (Shape::Map, "mocked outputs, by step id"),
        ("test case", "runs") => (Shape::Seq, "step ids that must run"),
        ("test case", "skips") => (Shape::Seq, "step ids that must not run"),
        ("test case", "inputs") => (Shape::Map, "rendered inputs, by step id"),
        ("test case", "fails") => (Shape::Scalar, "the run's expected error"),
        ("expected inputs", "iteration") => (
            Shape::Scalar,
            "which run in a loop: its index from 0 (`[outer, inner]` nested)",
        ),
        ("expected inputs", "env") => (Shape::Map, "expected `env` values, by name"),
        ("expected inputs", "args") => (Shape::Map, "expected arguments, by position from 0"),
        ("expected inputs", "runner") => (Shape::Scalar, "the expected runner"),
        ("expected inputs", "envFrom") => {
            (Shape::Map, "`integrationRef`: the expected integration")
        }
        ("expected envFrom", "integrationRef") => (Shape::Scalar, "the expected integration"),
        ("expected value", "equals") => (Shape::Scalar, "the whole rendered text"),
        ("expected value", "contains") => (Shape::Scalar, "a substring of it"),
        ("expected value", "matches") => (Shape::Scalar, "a regular expression found in it"),
        ("manifest", "metadata") => (Shape::Map, "the step's name, version, description"),
        ("manifest", "envs") => (Shape::Seq, "the inputs, as environment variables"),
        ("manifest", "args") => (Shape::Seq, "the command-line inputs, in order"),
        ("manifest", "outputs") => (Shape::Seq, "the outputs"),
        ("manifest", "integrations") => (Shape::Seq, "the integration types accepted"),
        ("input", "type") => (Shape::Enum(&InputType::ALL), "the input's type"),
        ("input", "required") => (Shape::Enum(BOOLS), "whether a call must give it"),
        ("output", "type") => (Shape::Enum(&OutputType::ALL), "the output's type"),
        (_, "example") => (Shape::Scalar, "an example value"),
        (_, "name") => (Shape::Scalar, "the name"),
        _ => (Shape::Scalar, ""),
    }
}

/// The keys of the mapping other than the one being typed.
fn taken_keys(key: &KeyAt<'_>) -> Vec<String> {
    let Some(mapping) = key.mapping else {
        return Vec::new();
    };
    mapping
        .entries()
        .filter(|e| Some(e.syntax()) != key.entry)
        .filter_map(|e| e.key_scalar())
        .map(|k| k.value().into_owned())
        .collect()
}

/// The completions at a key.
fn key_items(
    cx: &Cx<'_>,
    kind: Option<Kind>,
    document: Option<Document<'_>>,
    place: &Place<'_>,
    path: &[&str],
    key: &KeyAt<'_>,
) -> Vec<Completion> {
    let taken = taken_keys(key);
    let keys = |list: &[&'static str], section: &str| structural_keys(list, section, key, &taken);
    match kind {
        None => {
            // A new document: only what says what it is. Other YAML is left alone.
            let other = taken.iter().any(|k| k != "apiVersion" && k != "kind");
            if path.is_empty() && !other {
                keys(&["apiVersion", "kind"], "document")
            } else {
                Vec::new()
            }
        }
        Some(Kind::Playbook) => match path {
            [] => keys(schema::PLAYBOOK, "playbook"),
            ["metadata"] => keys(schema::PLAYBOOK_METADATA, "metadata"),
            ["parameters", "-"] => keys(schema::PARAMETER, "parameter"),
            ["parameters", "-", "options"] => keys(schema::PARAMETER_OPTIONS, "options"),
            _ => {
                let Some(n) = step_prefix(path) else {
                    return Vec::new();
                };
                match path.get(n..).unwrap_or_default() {
                    [] => step_keys(key, &taken),
                    ["env"] => env_keys(cx, place, key, &taken),
                    ["envFrom"] => keys(schema::ENV_FROM, "envFrom"),
                    ["output_parser"] => keys(schema::OUTPUT_PARSER, "output_parser"),
                    ["foreach"] => keys(schema::STEP_LOOP, "loop"),
                    ["foreach", "in"] => keys(schema::LOOP_RANGE, "in"),
                    _ => Vec::new(),
                }
            }
        },
        Some(Kind::Trigger) => match path {
            [] => keys(schema::TRIGGER, "trigger"),
            ["metadata"] => keys(schema::TRIGGER_METADATA, "metadata"),
            ["scenarios", "-"] => keys(schema::SCENARIO, "scenario"),
            ["scenarios", "-", "parameters"] => scenario_parameters(cx, document, key, &taken),
            _ => Vec::new(),
        },
        Some(Kind::Test) => match path {
            [] => keys(schema::TEST, "test file"),
            ["cases", "-"] => keys(schema::TEST_CASE, "test case"),
            ["cases", "-", "fails"] => keys(schema::MATCHER, "expected value"),
            ["cases", "-", "inputs", _step, rest @ ..] => {
                // One mapping of expected inputs, or a list of them (one per iteration).
                let rest = rest.strip_prefix(&["-"]).unwrap_or(rest);
                match rest {
                    [] => keys(schema::TEST_INPUTS, "expected inputs"),
                    ["envFrom"] => keys(schema::TEST_ENV_FROM, "expected envFrom"),
                    ["env" | "args", _] | ["runner"] | ["envFrom", "integrationRef"] => {
                        keys(schema::MATCHER, "expected value")
                    }
                    _ => Vec::new(),
                }
            }
            _ => Vec::new(),
        },
        Some(Kind::Step) => match path {
            [] => keys(schema::MANIFEST, "manifest"),
            ["metadata"] => keys(schema::MANIFEST_METADATA, "metadata"),
            ["envs" | "args", "-"] => keys(schema::INPUT, "input"),
            ["outputs", "-"] => keys(schema::OUTPUT, "output"),
            _ => Vec::new(),
        },
    }
}

/// The keys of a step: a call's, a block's or a loop's, as the keys already written say.
fn step_keys(key: &KeyAt<'_>, taken: &[String]) -> Vec<Completion> {
    let has = |k: &str| taken.iter().any(|t| t == k);
    if has("name") {
        structural_keys(schema::STEP_CALL, "step", key, taken)
    } else if has("foreach") {
        structural_keys(schema::STEP_LOOP_ENTRY, "step", key, taken)
    } else if has("steps") {
        structural_keys(schema::STEP_BLOCK, "block", key, taken)
    } else {
        // Not decided yet: a call (most steps), a block, or a loop (whose entry holds
        // `foreach` alone).
        let mut items = structural_keys(schema::STEP_CALL, "step", key, taken);
        let loop_entry = if taken.is_empty() {
            schema::STEP_LOOP_ENTRY
        } else {
            &[]
        };
        let more: Vec<&'static str> = schema::STEP_BLOCK
            .iter()
            .chain(loop_entry)
            .copied()
            .filter(|k| !schema::STEP_CALL.contains(k))
            .collect();
        let section_of = |k: &str| if k == "steps" { "block" } else { "step" };
        for (i, k) in more.iter().enumerate() {
            let mut item = structural_keys(&[k], section_of(k), key, taken);
            for it in &mut item {
                it.sort = Some(format!("{:02}", schema::STEP_CALL.len() + i));
            }
            items.extend(item);
        }
        items
    }
}

/// Items for the keys of `list` not in `taken`, in the order of the list.
fn structural_keys(
    list: &[&'static str],
    section: &str,
    key: &KeyAt<'_>,
    taken: &[String],
) -> Vec<Completion> {
    let mut items = Vec::new();
    for (i, name) in list.iter().enumerate() {
        if taken.iter().any(|t| t == name) {
            continue;
        }
        let (shape, detail) = key_info(name, section);
        let item = Completion::new(*name, CompletionKind::Property, key.range)
            .with_detail(detail)
            .with_sort(format!("{i:02}"));
        items.push(with_key_insert(item, name, shape, key));
    }
    items
}

/// The item inserting `name` as a key with what its value's shape needs after it.
fn with_key_insert(item: Completion, name: &str, shape: Shape, key: &KeyAt<'_>) -> Completion {
    if key.has_colon {
        return item.with_insert(name);
    }
    let nested = " ".repeat(key.column as usize + 2);
    match shape {
        Shape::Scalar => item.with_insert(format!("{name}: ")),
        Shape::Map if key.flow => item.with_insert(format!("{name}: ")),
        Shape::Map => item.with_insert(format!("{name}:\n{nested}")),
        Shape::Seq if key.flow => item.with_insert(format!("{name}: ")),
        Shape::Seq => item.with_insert(format!("{name}:\n{nested}- ")),
        Shape::Enum([only]) => item.with_insert(format!("{name}: {only}")),
        Shape::Enum(values) => {
            let choices: Vec<String> = values.iter().map(|v| snippet_choice(v)).collect();
            item.with_snippet(format!("{name}: ${{1|{}|}}", choices.join(",")))
        }
        Shape::Snippet(snippet) => item.with_snippet(format!("{name}: {snippet}")),
    }
}

/// A value as a choice of a snippet (`$`, `}`, `\`, `|` and `,` escaped).
fn snippet_choice(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '$' | '}' | '\\' | '|' | ',') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Text inside a snippet placeholder (`$`, `}` and `\` escaped).
fn snippet_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '$' | '}' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A value written as a YAML scalar on the line of its key: plain when that reads back
/// the same, else double-quoted.
fn yaml_scalar(value: &str) -> String {
    if playbook_syntax::yaml_text::is_plain_safe(value) {
        value.to_owned()
    } else {
        playbook_syntax::yaml_text::double_quoted(value)
    }
}

/// `NAME: ` with a placeholder for the value (its default when there is one), as a key of
/// a mapping that takes values (an `env`, a scenario's `parameters`).
fn with_value_insert(
    item: Completion,
    name: &str,
    default: Option<&str>,
    key: &KeyAt<'_>,
) -> Completion {
    if key.has_colon {
        return item.with_insert(name);
    }
    match default {
        Some(default) => item.with_snippet(format!(
            "{}: ${{1:{}}}",
            snippet_text(name),
            snippet_text(&yaml_scalar(default))
        )),
        None => item.with_snippet(format!("{}: $1", snippet_text(name))),
    }
}

/// The inputs of the step's manifest that the call does not give yet, required first.
fn env_keys(cx: &Cx<'_>, place: &Place<'_>, key: &KeyAt<'_>, taken: &[String]) -> Vec<Completion> {
    let Some(manifest) = step_manifest(cx, place) else {
        return Vec::new();
    };
    let mut items = Vec::new();
    for (i, input) in manifest.envs.iter().enumerate() {
        let name = input.name.value.as_str();
        if name.is_empty() || taken.iter().any(|t| t == name) {
            continue;
        }
        let ty = input.ty.as_ref().map_or("string", |t| t.value.as_str());
        let default = input.default.as_ref().map(|d| d.value.as_ref());
        let detail = match (input.is_required(), default) {
            (true, _) => format!("{ty} · required"),
            (false, Some(default)) => format!("{ty} · default: {}", one_line(default, 40)),
            (false, None) => ty.to_owned(),
        };
        let doc = || {
            let mut doc = input
                .description
                .as_ref()
                .map(|d| d.value.to_string())
                .unwrap_or_default();
            if let Some(example) = &input.example {
                if !doc.is_empty() {
                    doc.push_str("\n\n");
                }
                doc.push_str(&format!("Example: `{}`", one_line(&example.value, 200)));
            }
            doc
        };
        let rank = if input.is_required() { 0 } else { 1 };
        let item = Completion::new(name, CompletionKind::Property, key.range)
            .with_detail(detail)
            .with_doc_from(cx.docs, doc)
            .with_sort(format!("{rank}{i:04}"));
        items.push(with_value_insert(item, name, default, key));
    }
    items
}

/// `text` on one line, cut to `max` characters.
fn one_line(text: &str, max: usize) -> String {
    let line = text.split(['\n', '\r']).next().unwrap_or_default();
    match line.char_indices().nth(max) {
        Some((at, _)) => format!("{}...", &line[..at]),
        None if line.len() < text.trim_end().len() => format!("{line}..."),
        None => line.to_owned(),
    }
}

/// The manifest of the step call the place is in: the one the check chose, else the one
/// manifest of the image its `name` names.
fn step_manifest<'a>(cx: &Cx<'a>, place: &Place<'_>) -> Option<&'a StepManifest> {
    let item = step_item(place)?;
    let mapping = item.children().find_map(Node::cast)?.as_mapping()?;
    let range = mapping.syntax().text_range();
    if let Some(analysis) = cx.analysis()
        && let Some(step) = analysis.steps.iter().find(|s| s.call.range == range)
    {
        return step.manifest;
    }
    let image = mapping.get("name")?.value()?.as_scalar()?.value();
    let candidates = cx.view.manifests(&image);
    match candidates.as_slice() {
        [only] => Some(*only),
        _ => None,
    }
}

/// The step item (`- ...`) a place is in.
fn step_item<'t>(place: &Place<'t>) -> Option<SyntaxNode<'t>> {
    std::iter::successors(place.owner, |n| n.parent()).find(|n| n.kind() == BLOCK_SEQ_ENTRY)
}

/// The parameters of the trigger's playbook that the scenario does not set yet; those
/// without a default first.
fn scenario_parameters(
    cx: &Cx<'_>,
    document: Option<Document<'_>>,
    key: &KeyAt<'_>,
    taken: &[String],
) -> Vec<Completion> {
    let Some(name) = document
        .and_then(|d| {
            d.body()?
                .as_mapping()?
                .get("playbook")?
                .value()?
                .as_scalar()
        })
        .map(|s| s.value().into_owned())
    else {
        return Vec::new();
    };
    let Some(playbook) = cx.view.playbook(&name) else {
        return Vec::new();
    };
    let mut items = Vec::new();
    for (i, param) in playbook.parameters.iter().enumerate() {
        let pname = param.name.value.as_str();
        if pname.is_empty() || taken.iter().any(|t| t == pname) {
            continue;
        }
        let ty = param.ty.as_ref().map_or("parameter", |t| t.value.as_str());
        let default = param.default.as_ref().map(|d| d.value.as_ref());
        let detail = match default {
            Some(default) => format!("{ty} · default: {}", one_line(default, 40)),
            None => ty.to_owned(),
        };
        let doc = param
            .description
            .as_ref()
            .map(|d| d.value.to_string())
            .unwrap_or_default();
        let rank = if default.is_some() { 1 } else { 0 };
        let item = Completion::new(pname, CompletionKind::Parameter, key.range)
            .with_detail(detail)
            .with_doc(doc)
            .with_sort(format!("{rank}{i:04}"));
        items.push(with_value_insert(item, pname, None, key));
    }
    items
}

// ---- Values --------------------------------------------------------------------------

/// The completions at a value.
fn value_items(
    cx: &Cx<'_>,
    kind: Option<Kind>,
    document: Option<Document<'_>>,
    place: &Place<'_>,
    path: &[&str],
    value: &ValueAt<'_>,
) -> Vec<Completion> {
    if value.raw_template.is_some() || !value.range.contains_inclusive(cx.offset) {
        return Vec::new();
    }
    let enums = |values: &[&str]| enum_values(values, value);
    match (kind, path) {
        // A document of no kind yet: only while it says nothing else (a Kubernetes
        // manifest's `kind: Deployment` is left alone).
        (None, ["apiVersion" | "kind"]) if !is_new_document(document) => Vec::new(),
        (_, ["apiVersion"]) => enums(API_VERSIONS),
        (_, ["kind"]) => enums(&Kind::ALL),
        (None, _) => Vec::new(),
        (Some(Kind::Playbook), ["parameters", "-", "type"]) => enums(&ParamType::ALL),
        (Some(Kind::Playbook), ["parameters", "-", "options", "integration_type"]) => {
            let types = integration_types(cx);
            let types: Vec<&str> = types.iter().map(String::as_str).collect();
            enums(&types)
        }
        (Some(Kind::Playbook), _) => {
            let Some(n) = step_prefix(path) else {
                return Vec::new();
            };
            match path.get(n..).unwrap_or_default() {
                ["name"] | ["output_parser", "name"] => images(cx, value),
                ["runner"] => parameter_refs(cx, value, |p| match p.ty.as_ref().map(|t| t.value) {
                    Some(ParamType::Spd) => Some("0"),
                    Some(ParamType::Var) => Some("1"),
                    _ => None,
                }),
                ["envFrom", "integrationRef"] => {
                    let manifest = step_manifest(cx, place);
                    parameter_refs(cx, value, |p| {
                        if p.ty.as_ref().map(|t| t.value) != Some(ParamType::Integration) {
                            return None;
                        }
                        match (&p.integration_type, manifest) {
                            (Some(kind), Some(m)) if accepts_integration(m, &kind.value) => {
                                Some("0")
                            }
                            (Some(_), Some(_)) => None,
                            _ => Some("1"),
                        }
                    })
                }
                ["ignoreFailure"] => enums(BOOLS),
                ["env", input] => {
                    let is_bool = step_manifest(cx, place)
                        .and_then(|m| m.envs.iter().find(|i| i.name.value == *input))
                        .and_then(|i| i.ty.as_ref())
                        .is_some_and(|t| t.value == InputType::Bool);
                    if is_bool { enums(BOOLS) } else { Vec::new() }
                }
                _ => Vec::new(),
            }
        }
        (Some(Kind::Trigger), ["enabled"] | ["scenarios", "-", "enabled"]) => enums(BOOLS),
        (Some(Kind::Trigger), ["playbook"]) => playbook_names(cx, value),
        (Some(Kind::Trigger), _) => Vec::new(),
        (Some(Kind::Test), ["playbook"]) => playbook_names(cx, value),
        (Some(Kind::Test), _) => Vec::new(),
        (Some(Kind::Step), ["envs" | "args", "-", "type"]) => enums(&InputType::ALL),
        (Some(Kind::Step), ["envs" | "args", "-", "required"]) => enums(BOOLS),
        (Some(Kind::Step), ["outputs", "-", "type"]) => enums(&OutputType::ALL),
        (Some(Kind::Step), ["integrations", "-"]) => {
            let types = integration_types(cx);
            let types: Vec<&str> = types.iter().map(String::as_str).collect();
            enums(&types)
        }
        (Some(Kind::Step), _) => Vec::new(),
    }
}

/// The style of a value's scalar, `None` when it has none yet.
fn value_style(value: &ValueAt<'_>) -> Option<ScalarStyle> {
    let content = value.scalar?.content()?;
    match content.token().kind() {
        DOUBLE_QUOTED => Some(ScalarStyle::DoubleQuoted),
        SINGLE_QUOTED => Some(ScalarStyle::SingleQuoted),
        _ => Some(content.style()),
    }
}

/// Items for enum values, written as the value's scalar needs.
fn enum_values(values: &[&str], value: &ValueAt<'_>) -> Vec<Completion> {
    let style = value_style(value);
    if matches!(style, Some(ScalarStyle::Literal | ScalarStyle::Folded)) {
        return Vec::new();
    }
    values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            Completion::new(*v, CompletionKind::Value, value.range)
                .with_insert(template::encode(v, style))
                .with_sort(format!("{i:02}"))
        })
        .collect()
}

/// The images of every library and every `metadata.imageName`, with their manifest's
/// description, those that hold what is typed; and the libraries' prefixes.
fn images(cx: &Cx<'_>, value: &ValueAt<'_>) -> Vec<Completion> {
    let style = value_style(value);
    if matches!(style, Some(ScalarStyle::Literal | ScalarStyle::Folded)) {
        return Vec::new();
    }
    let typed = cx.typed(value.range);
    let needle = typed.to_lowercase();
    let workspace = Workspace::get(cx.db);
    let index = playbook_db::images::manifest_index(cx.db, workspace);
    let mut items = Vec::new();
    for library in workspace.libraries(cx.db) {
        let prefix = library.prefix.as_str();
        if prefix.is_empty() || !prefix.to_lowercase().starts_with(&needle) {
            continue;
        }
        let item = Completion::new(prefix, CompletionKind::Image, value.range)
            .with_insert(template::encode(prefix, style))
            .with_detail(format!("step library in {}", library.dir))
            .with_sort(format!("0{prefix}"));
        items.push(item);
    }
    for image in index.images() {
        if !needle.is_empty() && !image.to_lowercase().contains(&needle) {
            continue;
        }
        let manifest = index
            .resolve(image)
            .first()
            .and_then(|file| image_manifest(cx.db, *file, image));
        let mut item = Completion::new(image, CompletionKind::Image, value.range)
            .with_insert(template::encode(image, style))
            .with_sort(format!("1{image}"));
        if let Some(manifest) = manifest {
            if let Some(name) = &manifest.name {
                item = item.with_detail(name.value.clone());
            }
            if let Some(description) = &manifest.description {
                item = item.with_doc_from(cx.docs, || description.value.to_string());
            }
        }
        items.push(item);
    }
    items
}

/// The manifest of `file` that describes `image`: the one claiming it as its `imageName`,
/// else the first.
fn image_manifest<'db>(
    db: &'db dyn salsa::Database,
    file: File,
    image: &str,
) -> Option<&'db StepManifest> {
    let lowered = &lower(db, file).file;
    lowered
        .manifests()
        .find(|m| {
            m.image_name
                .as_ref()
                .is_some_and(|n| playbook_db::images::lookup_name(&n.value) == Some(image))
        })
        .or_else(|| lowered.manifests().next())
}

/// `{{ $.params.X }}` for each parameter `rank` accepts (its sort rank), quoted for YAML
/// when the value is not quoted yet.
fn parameter_refs(
    cx: &Cx<'_>,
    value: &ValueAt<'_>,
    rank: impl Fn(&playbook_hir::ir::Parameter) -> Option<&'static str>,
) -> Vec<Completion> {
    let style = value_style(value);
    if matches!(style, Some(ScalarStyle::Literal | ScalarStyle::Folded)) {
        return Vec::new();
    }
    let Some(playbook) = cx.playbook else {
        return Vec::new();
    };
    let mut items = Vec::new();
    for (i, param) in playbook.parameters.iter().enumerate() {
        let Some(rank) = rank(param) else {
            continue;
        };
        let name = param.name.value.as_str();
        if name.is_empty() {
            continue;
        }
        let path = if name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
            && !name.starts_with(|c: char| c.is_ascii_digit())
        {
            format!("$.params.{name}")
        } else {
            format!("$.params.'{name}'")
        };
        let template = format!("{{{{ {path} }}}}");
        let insert = match style {
            Some(ScalarStyle::DoubleQuoted | ScalarStyle::SingleQuoted) => {
                template::encode(&template, style)
            }
            _ => format!("\"{template}\""),
        };
        let ty = param.ty.as_ref().map_or("parameter", |t| t.value.as_str());
        let detail = match &param.integration_type {
            Some(kind) => format!("{ty}: {}", kind.value),
            None => format!("{ty} parameter"),
        };
        let doc = param
            .description
            .as_ref()
            .map(|d| d.value.to_string())
            .unwrap_or_default();
        let item = Completion::new(name, CompletionKind::Parameter, value.range)
            .with_insert(insert)
            .with_detail(detail)
            .with_doc(doc)
            .with_sort(format!("{rank}{i:04}"));
        items.push(item);
    }
    items
}

/// The integration types the manifests of the workspace accept.
fn integration_types(cx: &Cx<'_>) -> Vec<String> {
    let workspace = Workspace::get(cx.db);
    let mut types: Vec<String> = Vec::new();
    for file in workspace.files(cx.db).values() {
        if !playbook_db::images::manifest_decls(cx.db, *file).has_manifest {
            continue;
        }
        for manifest in lower(cx.db, *file).file.manifests() {
            for kind in manifest.integrations.iter().flatten() {
                if !kind.value.is_empty() && !types.contains(&kind.value) {
                    types.push(kind.value.clone());
                }
            }
        }
    }
    types.sort();
    types
}

/// The names of the playbooks of the workspace, those that hold what is typed.
fn playbook_names(cx: &Cx<'_>, value: &ValueAt<'_>) -> Vec<Completion> {
    let style = value_style(value);
    if matches!(style, Some(ScalarStyle::Literal | ScalarStyle::Folded)) {
        return Vec::new();
    }
    /// Above this many, the playbooks' descriptions are not read (each is a lowering).
    const DESCRIBED: usize = 100;
    let needle = cx.typed(value.range).to_lowercase();
    let names: Vec<(&String, &Vec<File>)> = playbook_index(cx.db)
        .iter()
        .filter(|(name, _)| needle.is_empty() || name.to_lowercase().contains(&needle))
        .collect();
    let describe = names.len() <= DESCRIBED;
    names
        .into_iter()
        .map(|(name, files)| {
            let mut item = Completion::new(name.as_str(), CompletionKind::Playbook, value.range)
                .with_insert(template::encode(name, style));
            if let Some(file) = files.first() {
                item = item.with_detail(file.path(cx.db).clone());
                if describe
                    && let Some(description) = lower(cx.db, *file)
                        .file
                        .playbooks()
                        .find(|p| p.name.as_ref().is_some_and(|n| &n.value == name))
                        .and_then(|p| p.description.as_ref())
                {
                    item = item.with_doc(description.value.to_string());
                }
            }
            item
        })
        .collect()
}
