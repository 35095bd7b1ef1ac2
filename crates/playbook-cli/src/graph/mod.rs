//! The `playbook graph FILE` run: load the file in the context of its project (so every
//! step call finds its manifest), take the data flow of its playbooks from the core
//! ([`playbook_ide::graph::data_flow`], built from what the checker resolved) and draw it as
//! Mermaid ([`mermaid`]), Graphviz DOT ([`dot`]) or SVG laid out by the tool itself
//! ([`svg`]), to standard output or atomically to a file.
//!
//! A file with several playbooks gives one graph holding each playbook as a group (or only
//! the one `--playbook NAME` names). A file with syntax errors is not drawn: its errors are
//! printed and the exit code is 1, as `playbook fmt` does. A file that is not a playbook, or
//! holds no playbook, is a usage error (exit 2).

pub mod dot;
pub mod mermaid;
pub mod svg;

use std::path::{Path, PathBuf};

use playbook_ide::graph::{Flow, Group, GroupKind, NeverRuns, Node, ParamNode, StepNode};
use playbook_workspace::{PathStyle, into_analysis_host, path_key};

use crate::render::render_human;

/// The output format.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum Format {
    /// A Mermaid flowchart, which GitHub renders in Markdown and pull requests.
    #[default]
    Mermaid,
    /// Graphviz DOT, for `dot -Tsvg`.
    Dot,
    /// An SVG picture, laid out by playbook itself.
    Svg,
}

/// What to draw and where.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The playbook file.
    pub file: PathBuf,
    pub format: Format,
    /// Write to this file (atomically) instead of standard output.
    pub output: Option<PathBuf>,
    /// Draw only the playbook of this `metadata.name`.
    pub playbook: Option<String>,
    /// Colour the diagnostics of a file with syntax errors.
    pub color: bool,
}

/// What a run prints, and its exit code.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Outcome {
    pub stdout: String,
    pub stderr: String,
    /// 0 drawn; 1 the file has syntax errors; 2 usage or I/O failure (not a playbook, no such
    /// playbook, unreadable file, unwritable output).
    pub exit_code: u8,
}

impl Outcome {
    fn fail(code: u8, message: impl Into<String>) -> Outcome {
        Outcome {
            stdout: String::new(),
            stderr: message.into(),
            exit_code: code,
        }
    }
}

/// Runs `playbook graph` from the current directory.
pub fn run(options: &Options) -> Outcome {
    match std::env::current_dir() {
        Ok(cwd) => run_in(&cwd, options),
        Err(error) => Outcome::fail(
            2,
            format!("error: cannot read the current directory: {error}\n"),
        ),
    }
}

/// [`run`] with `cwd` as the current directory.
pub fn run_in(cwd: &Path, options: &Options) -> Outcome {
    let shown = options.file.display().to_string();
    let abs = cwd.join(&options.file);
    if abs.is_dir() {
        return Outcome::fail(
            2,
            format!("error: `{shown}` is a folder; `playbook graph` draws one playbook file\n"),
        );
    }
    if !abs.exists() {
        return Outcome::fail(2, format!("error: `{shown}` does not exist\n"));
    }
    let codes = crate::check::known_codes();
    let workspace = match playbook_workspace::load_workspace_in(
        cwd,
        std::slice::from_ref(&options.file),
        &codes,
    ) {
        Ok(workspace) => workspace,
        Err(error) => return Outcome::fail(2, format!("error: {error}\n")),
    };
    if workspace.skipped.iter().any(|f| f.explicit) {
        return Outcome::fail(
            2,
            format!("error: `{shown}` is {}\n", crate::check::NOT_A_PLAYBOOK),
        );
    }
    let Some(source) = workspace.checked_files().next() else {
        return Outcome::fail(2, format!("error: `{shown}` was not found\n"));
    };
    let name = path_key(&source.path);
    if let Err(error) = &source.text {
        return Outcome::fail(2, format!("error: cannot read `{name}`: {error}\n"));
    }
    let (host, _) = into_analysis_host(workspace, PathStyle::Display);
    let outcome = draw(&host, &name, options);
    // The process exits soon: the operating system frees the database faster.
    std::mem::forget(host);
    outcome
}

fn draw(host: &playbook_db::AnalysisHost, name: &str, options: &Options) -> Outcome {
    let db = host.db();
    let Some(file) = host.file(name) else {
        return Outcome::fail(2, format!("error: `{name}` was not found\n"));
    };
    let errors = playbook_ide::graph::syntax_errors(db, file);
    if !errors.is_empty() {
        let text = host.file_text(name).unwrap_or_default();
        let mut stderr = render_human(name, text, &errors, options.color);
        stderr.push_str(&format!(
            "error: `{name}` has syntax errors; fix them to draw its graph\n"
        ));
        return Outcome::fail(1, stderr);
    }
    let mut flows = playbook_ide::graph::data_flow(db, file);
    if flows.is_empty() {
        let kinds = playbook_ide::graph::other_documents(db, file);
        let holds = if kinds.is_empty() {
            String::new()
        } else {
            format!(" (it holds {} documents)", kinds.join(" and "))
        };
        return Outcome::fail(
            2,
            format!("error: `{name}` holds no playbook{holds}; `playbook graph` draws playbooks\n"),
        );
    }
    if let Some(wanted) = &options.playbook {
        flows.retain(|f| f.name.as_deref() == Some(wanted.as_str()));
        if flows.is_empty() {
            let names: Vec<String> = playbook_ide::graph::data_flow(db, file)
                .iter()
                .filter_map(|f| f.name.as_ref().map(|n| format!("`{n}`")))
                .collect();
            return Outcome::fail(
                2,
                format!(
                    "error: `{name}` has no playbook named `{wanted}` (it has {})\n",
                    if names.is_empty() {
                        "none with a name".to_owned()
                    } else {
                        names.join(", ")
                    }
                ),
            );
        }
    }
    let text = match options.format {
        Format::Mermaid => mermaid::render(&flows),
        Format::Dot => dot::render(&flows),
        Format::Svg => match svg::render(&flows) {
            Ok(text) => text,
            Err(message) => return Outcome::fail(2, format!("error: {message}\n")),
        },
    };
    match &options.output {
        None => Outcome {
            stdout: text,
            stderr: String::new(),
            exit_code: 0,
        },
        Some(path) => match crate::write::write_output_atomic(path, &text) {
            Ok(()) => Outcome::default(),
            Err(error) => Outcome::fail(
                2,
                format!("error: cannot write `{}`: {error}\n", path.display()),
            ),
        },
    }
}

// ---------------------------------------------------------------------------------------
// What every renderer shows: the same labels, marks and nesting.
// ---------------------------------------------------------------------------------------

/// The longest condition or path shown in full; longer ones are cut with `…`.
const MAX_SHOWN: usize = 60;

/// `text` on one line (white space runs made one space), cut at [`MAX_SHOWN`] characters.
pub(crate) fn shorten(text: &str) -> String {
    let one_line: Vec<&str> = text.split_whitespace().collect();
    let one_line = one_line.join(" ");
    if one_line.chars().count() <= MAX_SHOWN {
        return one_line;
    }
    let mut cut: String = one_line.chars().take(MAX_SHOWN - 1).collect();
    cut.push('…');
    cut
}

/// The lines of a parameter's label: its name, then its type, or that it is undeclared or
/// never read.
pub(crate) fn param_lines(param: &ParamNode) -> Vec<String> {
    let mut lines = vec![param.name.clone()];
    match (param.declared, param.ty) {
        (false, _) => lines.push("undeclared parameter".to_owned()),
        (true, Some(ty)) => lines.push(format!("parameter ({ty})")),
        (true, None) => lines.push("parameter".to_owned()),
    }
    if !param.read {
        lines.push("never read".to_owned());
    }
    lines
}

/// The lines of a step's label: its id (or `(no id)`), its image, and its marks.
pub(crate) fn step_lines(flow: &Flow, step: &StepNode) -> Vec<String> {
    let mut lines = vec![
        step.id.clone().unwrap_or_else(|| "(no id)".to_owned()),
        step.image.clone(),
    ];
    if let Some(never) = &step.never_runs {
        lines.push(never_line(flow, never));
    }
    if !step.unused_outputs.is_empty() {
        lines.push(format!(
            "unused outputs: {}",
            step.unused_outputs.join(", ")
        ));
    }
    lines
}

/// The title of a group: `block` or `loop`, and `never runs`.
pub(crate) fn group_title(group: &Group) -> String {
    let kind = match group.kind {
        GroupKind::Block => "block",
        GroupKind::Loop => "loop",
    };
    if group.never_runs.is_some() {
        format!("{kind} (never runs)")
    } else {
        kind.to_owned()
    }
}

/// The lines of a group's head node: its condition, what a loop iterates over, its
/// `break`, and why it never runs.
pub(crate) fn group_lines(flow: &Flow, group: &Group) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some((key, value)) = &group.vars {
        let source = group.source.as_deref().map_or("?".to_owned(), shorten);
        lines.push(format!("foreach {key}, {value} in {source}"));
    }
    if let Some(when) = &group.when {
        lines.push(format!("when: {}", shorten(when)));
    }
    if let Some(break_when) = &group.break_when {
        lines.push(format!("break: {}", shorten(break_when)));
    }
    if lines.is_empty() {
        lines.push("(no condition)".to_owned());
    }
    if let Some(never) = &group.never_runs {
        lines.push(never_line(flow, never));
    }
    lines
}

fn never_line(flow: &Flow, never: &NeverRuns) -> String {
    match never {
        NeverRuns::When(value) => format!("never runs: when is always {value}"),
        NeverRuns::EmptyRange => "never runs: the range is empty".to_owned(),
        NeverRuns::Inside(g) => match flow.groups.get(*g).map(|g| g.kind) {
            Some(GroupKind::Loop) => "never runs: its loop never runs".to_owned(),
            _ => "never runs: its block never runs".to_owned(),
        },
    }
}

/// Whether an edge only carries root-form reads (drawn dotted).
pub(crate) fn root_only(edge: &playbook_ide::graph::Edge) -> bool {
    edge.reads
        .iter()
        .all(|r| r.form == playbook_ide::graph::ReadForm::Root)
}

/// One item inside a group (or at the top of a playbook), in source order.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Item {
    Step(usize),
    Group(usize),
}

/// The steps and groups directly inside `parent` (the playbook's top level for `None`), in
/// source order.
pub(crate) fn children(flow: &Flow, parent: Option<usize>) -> Vec<Item> {
    let mut items: Vec<(u32, Item)> = flow
        .steps
        .iter()
        .enumerate()
        .filter(|(_, s)| s.group == parent)
        .map(|(i, s)| (s.range.start(), Item::Step(i)))
        .chain(
            flow.groups
                .iter()
                .enumerate()
                .filter(|(_, g)| g.parent == parent)
                .map(|(i, g)| (g.range.start(), Item::Group(i))),
        )
        .collect();
    items.sort_by_key(|(start, _)| *start);
    items.into_iter().map(|(_, item)| item).collect()
}

/// A node's id in a renderer's output: `p0`, `s3`, `g1` (a group's head node), prefixed
/// with `b<k>_` when several playbooks share the graph. Letters, digits and `_` only, so
/// every format takes it as it is.
pub(crate) fn node_id(prefix: &str, node: Node) -> String {
    match node {
        Node::Param(i) => format!("{prefix}p{i}"),
        Node::Step(i) => format!("{prefix}s{i}"),
        Node::Group(i) => format!("{prefix}g{i}"),
    }
}

/// The id prefix of the `k`th of `count` playbooks.
pub(crate) fn prefix(k: usize, count: usize) -> String {
    if count > 1 {
        format!("b{k}_")
    } else {
        String::new()
    }
}

/// The title of a playbook's group when several share the graph.
pub(crate) fn playbook_title(flow: &Flow) -> String {
    match &flow.name {
        Some(name) => format!("playbook {name}"),
        None => "playbook (no name)".to_owned(),
    }
}
