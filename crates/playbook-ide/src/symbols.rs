//! Document symbols (parameters, steps nested in blocks and loops) and workspace symbols
//! (playbooks, triggers, step manifests).
//!
//! Both read the lowered IR of the files ([`lower`], memoised per file), so the outline of a
//! broken file shows whatever its lowering recovered, and a workspace search over thousands
//! of files reads no text and parses nothing that the checks have not already parsed.

use playbook_db::File;
use playbook_db::images::{library_image, strip_tag_and_digest};
use playbook_db::queries::lower;
use playbook_diagnostics::TextRange;
use playbook_hir::ir::{Item, LoopSource, Playbook, Step, StepManifest, Trigger};

/// What a symbol is.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum SymbolKind {
    Playbook,
    Trigger,
    Manifest,
    Parameter,
    Step,
    Block,
    Loop,
    Input,
    Output,
}

/// A symbol of a document, with its children.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Symbol {
    pub name: String,
    pub detail: Option<String>,
    pub kind: SymbolKind,
    pub range: TextRange,
    pub selection: TextRange,
    pub children: Vec<Symbol>,
}

/// A symbol of the workspace.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct WorkspaceSymbol {
    pub name: String,
    pub kind: SymbolKind,
    pub path: String,
    pub range: TextRange,
    pub container: Option<String>,
}

/// How many workspace symbols a search returns at most.
pub const WORKSPACE_SYMBOL_LIMIT: usize = 1000;

/// How many characters of a condition or a loop source a block's or a loop's name shows.
const LABEL_CHARS: usize = 40;

/// How deeply blocks and loops nest in an outline; deeper steps are left out.
const MAX_DEPTH: usize = 64;

/// The outline of `file`: one symbol per playbook, trigger and step manifest document.
pub fn document_symbols(db: &dyn salsa::Database, file: File) -> Vec<Symbol> {
    lower(db, file)
        .file
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Playbook(playbook) => Some(playbook_symbol(playbook)),
            Item::Trigger(trigger) => Some(trigger_symbol(trigger)),
            Item::Step(manifest) => Some(manifest_symbol(manifest)),
            // A test file has no name of its own to outline.
            Item::Test(_) => None,
        })
        .collect()
}

fn playbook_symbol(playbook: &Playbook) -> Symbol {
    let mut children: Vec<Symbol> = playbook
        .parameters
        .iter()
        .map(|parameter| Symbol {
            name: parameter.name.value.clone(),
            detail: parameter.ty.as_ref().map(|t| t.value.as_str().to_owned()),
            kind: SymbolKind::Parameter,
            range: parameter.range,
            selection: parameter.name.range,
            children: Vec::new(),
        })
        .collect();
    children.extend(step_symbols(&playbook.steps, 0));
    document(
        playbook.name.as_ref().map(|n| (n.value.as_str(), n.range)),
        "playbook",
        None,
        SymbolKind::Playbook,
        playbook.range,
        children,
    )
}

fn step_symbols(steps: &[Step], depth: usize) -> Vec<Symbol> {
    if depth >= MAX_DEPTH {
        return Vec::new();
    }
    steps
        .iter()
        .map(|step| match step {
            Step::Call(call) => {
                let (name, selection) = match &call.id {
                    Some(id) if !id.value.is_empty() => (id.value.clone(), id.range),
                    _ => (short_image_name(&call.image.value), call.image.range),
                };
                let image = call.image.value.trim();
                symbol(
                    name,
                    (!image.is_empty()).then(|| image.to_owned()),
                    SymbolKind::Step,
                    call.range,
                    selection,
                    Vec::new(),
                )
            }
            Step::Block(block) => {
                let (name, selection) = match &block.when {
                    Some(when) => (label("when", &when.value), when.range),
                    None => ("block".to_owned(), TextRange::empty(block.range.start())),
                };
                symbol(
                    name,
                    None,
                    SymbolKind::Block,
                    block.range,
                    selection,
                    step_symbols(&block.steps, depth + 1),
                )
            }
            Step::Loop(step_loop) => {
                let (name, selection) = match &step_loop.source {
                    Some(LoopSource::Text(source)) => {
                        (label("foreach", &source.value), source.range)
                    }
                    Some(LoopSource::Range { from, to }) => (
                        format!("foreach range [{}, {}]", from.value, to.value),
                        from.range.cover(to.range),
                    ),
                    None => (
                        "foreach".to_owned(),
                        TextRange::empty(step_loop.range.start()),
                    ),
                };
                let key = step_loop.key.as_ref().map_or("key", |k| k.value.as_str());
                let value = step_loop
                    .value
                    .as_ref()
                    .map_or("value", |v| v.value.as_str());
                symbol(
                    name,
                    Some(format!("{key}, {value}")),
                    SymbolKind::Loop,
                    step_loop.range,
                    selection,
                    step_symbols(&step_loop.steps, depth + 1),
                )
            }
        })
        .collect()
}

fn trigger_symbol(trigger: &Trigger) -> Symbol {
    let children = trigger
        .scenarios
        .iter()
        .enumerate()
        .map(|(n, scenario)| {
            let (name, selection) = match &scenario.name {
                Some(name) if !name.value.trim().is_empty() => (one_line(&name.value), name.range),
                _ => (
                    format!("scenario {}", n + 1),
                    TextRange::empty(scenario.range.start()),
                ),
            };
            let detail = scenario
                .when
                .as_ref()
                .map(|when| label("when", &when.value));
            symbol(
                name,
                detail,
                SymbolKind::Block,
                scenario.range,
                selection,
                Vec::new(),
            )
        })
        .collect();
    let detail = trigger
        .playbook
        .as_ref()
        .filter(|p| !p.value.is_empty())
        .map(|p| p.value.clone());
    document(
        trigger.name.as_ref().map(|n| (n.value.as_str(), n.range)),
        "trigger",
        detail,
        SymbolKind::Trigger,
        trigger.range,
        children,
    )
}

fn manifest_symbol(manifest: &StepManifest) -> Symbol {
    let mut children: Vec<Symbol> = manifest
        .envs
        .iter()
        .chain(&manifest.args)
        .map(|input| {
            let ty = input.ty.as_ref().map(|t| t.value.as_str());
            let detail = match (ty, input.is_required()) {
                (Some(ty), true) => Some(format!("{ty}, required")),
                (Some(ty), false) => Some(ty.to_owned()),
                (None, true) => Some("required".to_owned()),
                (None, false) => None,
            };
            symbol(
                input.name.value.clone(),
                detail,
                SymbolKind::Input,
                input.range,
                input.name.range,
                Vec::new(),
            )
        })
        .collect();
    children.extend(manifest.outputs.iter().map(|output| {
        symbol(
            output.name.value.clone(),
            output.ty.as_ref().map(|t| t.value.as_str().to_owned()),
            SymbolKind::Output,
            output.range,
            output.name.range,
            Vec::new(),
        )
    }));
    let detail = manifest
        .image_name
        .as_ref()
        .map(|i| i.value.clone())
        .or_else(|| manifest.version.as_ref().map(|v| one_line(&v.value)));
    document(
        manifest.name.as_ref().map(|n| (n.value.as_str(), n.range)),
        "step",
        detail,
        SymbolKind::Manifest,
        manifest.range,
        children,
    )
}

/// The symbol of a document, named by its `metadata.name` (or `fallback`), its children
/// kept inside it.
fn document(
    name: Option<(&str, TextRange)>,
    fallback: &str,
    detail: Option<String>,
    kind: SymbolKind,
    range: TextRange,
    children: Vec<Symbol>,
) -> Symbol {
    let (name, selection) = match name {
        Some((name, selection)) if !name.trim().is_empty() => (one_line(name), selection),
        _ => (fallback.to_owned(), TextRange::empty(range.start())),
    };
    symbol(name, detail, kind, range, selection, children)
}

/// A symbol whose selection is inside its range and whose children are inside it too
/// (the IR's ranges are, but an outline must never break that rule on a broken file).
fn symbol(
    name: String,
    detail: Option<String>,
    kind: SymbolKind,
    range: TextRange,
    selection: TextRange,
    children: Vec<Symbol>,
) -> Symbol {
    let selection = if range.contains_range(selection) {
        selection
    } else {
        TextRange::empty(range.start())
    };
    let children = children
        .into_iter()
        .filter(|child| range.contains_range(child.range))
        .collect();
    Symbol {
        name: if name.is_empty() {
            "?".to_owned()
        } else {
            name
        },
        detail,
        kind,
        range,
        selection,
        children,
    }
}

/// The last path segment of an image, without tag or digest: `get-pods` for
/// `registry.example.com/steps/kubectl/get-pods:1.2`.
fn short_image_name(image: &str) -> String {
    let name = strip_tag_and_digest(image);
    let short = name.rsplit('/').find(|s| !s.is_empty()).unwrap_or(name);
    if short.is_empty() {
        "step".to_owned()
    } else {
        one_line(short)
    }
}

/// `keyword text`, with the text on one line and cut to [`LABEL_CHARS`] characters.
fn label(keyword: &str, text: &str) -> String {
    let text = one_line(text);
    if text.chars().count() <= LABEL_CHARS {
        return format!("{keyword} {text}");
    }
    let cut: String = text.chars().take(LABEL_CHARS - 1).collect();
    format!("{keyword} {}…", cut.trim_end())
}

/// `text` with its runs of white space (line breaks included) made single spaces.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The playbooks, triggers and manifests whose name matches `query` (fuzzy, case-insensitive).
///
/// A name matches when the query's characters appear in it in order, ignoring case; exact
/// names come first, then prefixes, then names holding the query whole, then the rest, each
/// ranked by how the query's characters fall (at word starts, one after another). An empty
/// query lists every symbol. At most [`WORKSPACE_SYMBOL_LIMIT`] symbols are returned.
pub fn workspace_symbols(db: &dyn salsa::Database, query: &str) -> Vec<WorkspaceSymbol> {
    let workspace = playbook_db::Workspace::get(db);
    let libraries = workspace.libraries(db);
    let query: Vec<char> = query.trim().chars().flat_map(char::to_lowercase).collect();
    let mut found: Vec<(i64, String, WorkspaceSymbol)> = Vec::new();
    for (path, &file) in workspace.files(db) {
        for item in &lower(db, file).file.items {
            let (name, kind) = match item {
                Item::Playbook(p) => (p.name.as_ref(), SymbolKind::Playbook),
                Item::Trigger(t) => (t.name.as_ref(), SymbolKind::Trigger),
                Item::Step(m) => (m.name.as_ref(), SymbolKind::Manifest),
                Item::Test(_) => continue,
            };
            let Some(name) = name.filter(|n| !n.value.trim().is_empty()) else {
                continue;
            };
            let Some(score) = fuzzy_score(&query, &name.value) else {
                continue;
            };
            let container = match item {
                Item::Step(manifest) => libraries
                    .iter()
                    .find_map(|library| library_image(library, path))
                    .or_else(|| manifest.image_name.as_ref().map(|i| i.value.clone()))
                    .or_else(|| Some(path.clone())),
                _ => Some(path.clone()),
            };
            found.push((
                score,
                name.value.to_lowercase(),
                WorkspaceSymbol {
                    name: name.value.clone(),
                    kind,
                    path: path.clone(),
                    range: name.range,
                    container,
                },
            ));
        }
    }
    found.sort_by(|(a, a_lower, x), (b, b_lower, y)| {
        b.cmp(a)
            .then_with(|| a_lower.cmp(b_lower))
            .then_with(|| x.name.cmp(&y.name))
            .then_with(|| x.path.cmp(&y.path))
            .then_with(|| x.range.start().cmp(&y.range.start()))
    });
    found.truncate(WORKSPACE_SYMBOL_LIMIT);
    found.into_iter().map(|(_, _, symbol)| symbol).collect()
}

/// How well `name` matches `query` (lower case): `None` when the query's characters do not
/// all appear in the name in order; higher is better.
fn fuzzy_score(query: &[char], name: &str) -> Option<i64> {
    if query.is_empty() {
        return Some(0);
    }
    let original: Vec<char> = name.chars().collect();
    let lower: Vec<char> = original
        .iter()
        .map(|c| c.to_lowercase().next().unwrap_or(*c))
        .collect();
    let length_penalty = i64::try_from(lower.len()).unwrap_or(i64::MAX / 2);
    let starts_word = |i: usize| {
        let Some(prev) = i.checked_sub(1).and_then(|p| original.get(p)) else {
            return true;
        };
        let here = original.get(i).copied().unwrap_or(' ');
        !prev.is_alphanumeric() || (prev.is_lowercase() && here.is_uppercase())
    };
    if lower == query {
        return Some(100_000 - length_penalty);
    }
    if lower.starts_with(query) {
        return Some(80_000 - length_penalty);
    }
    if let Some(at) = lower.windows(query.len()).position(|w| w == query) {
        let bonus = if starts_word(at) { 5_000 } else { 0 };
        return Some(60_000 + bonus - length_penalty);
    }
    // In order: each character at the next word start holding it when the rest of the
    // query still fits after it, else at its next occurrence.
    let fits = |from: usize, rest: &[char]| {
        let mut chars = lower.iter().skip(from);
        rest.iter().all(|q| chars.any(|c| c == q))
    };
    let mut score: i64 = 0;
    let mut at = 0;
    let mut previous: Option<usize> = None;
    for (n, q) in query.iter().enumerate() {
        let rest = query.get(n + 1..).unwrap_or_default();
        let next = (at..lower.len()).find(|&i| lower.get(i) == Some(q))?;
        let i = (next..lower.len())
            .find(|&i| lower.get(i) == Some(q) && starts_word(i) && fits(i + 1, rest))
            .unwrap_or(next);
        if starts_word(i) {
            score += 30;
        }
        if previous.is_some_and(|p| p + 1 == i) {
            score += 20;
        }
        previous = Some(i);
        at = i + 1;
    }
    Some(10_000 + score - length_penalty)
}
