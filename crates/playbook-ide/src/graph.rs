//! The data flow of a playbook, as plain data for `playbook graph`: its parameters, its steps
//! (with their images), its blocks and loops (each a group holding its steps and nested
//! groups), and an edge for every parameter or step output a step, a block or a loop reads,
//! with the names it reads.
//!
//! Every edge comes from the checker's record ([`playbook_check::analyze_playbook`]): a read
//! is a [`Reference`](playbook_check::analysis::Reference) the check resolved, so a root-form
//! read (`.data`) goes to the step the check resolved it to (the most recent earlier step
//! with that output, section 4 of the language specification), never to a second guess.
//!
//! Two marks: a step or a group that never runs, whatever the run (its `when`, or the `when`
//! of a group around it, always renders `false`: [`constant_condition`]), and the outputs a
//! step's manifest declares that no template of the playbook reads.
//!
//! The renderers (Mermaid, Graphviz, SVG) live in the command-line crate.

use std::collections::BTreeSet;

use playbook_check::analysis::{
    Analysis, Reference, SiteFacts, SiteKind, Target, constant_condition,
};
use playbook_db::File;
use playbook_db::queries::{file_syntax, lower};
use playbook_diagnostics::TextRange;
use playbook_hir::ir::{LoopSource, Playbook, Step, StepBlock, StepLoop, Text};

use crate::context;

/// The data flow of one playbook.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Flow {
    /// The playbook's `metadata.name`, when it has one.
    pub name: Option<String>,
    /// The playbook's document.
    pub range: TextRange,
    /// The declared parameters in declaration order, then the undeclared ones that are read.
    pub parameters: Vec<ParamNode>,
    /// The step calls, in execution order.
    pub steps: Vec<StepNode>,
    /// The blocks and loops, in source order (a group comes before the groups inside it).
    pub groups: Vec<Group>,
    /// One edge per reader and source, in the order of the first read.
    pub edges: Vec<Edge>,
}

/// A parameter.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ParamNode {
    pub name: String,
    /// The declared `type` (`var`, `secret`, `integration`, `spd`).
    pub ty: Option<&'static str>,
    /// Whether the playbook declares it (a read of an undeclared parameter adds one that is
    /// not).
    pub declared: bool,
    /// Whether a template of the playbook reads it.
    pub read: bool,
    /// The declaration (for an undeclared parameter, its first read).
    pub range: TextRange,
}

/// A step call.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct StepNode {
    pub id: Option<String>,
    /// The image, as written.
    pub image: String,
    /// The whole call.
    pub range: TextRange,
    /// The innermost block or loop around the step (an index into [`Flow::groups`]).
    pub group: Option<usize>,
    /// Why the step never runs, whatever the run; `None` when it may run.
    pub never_runs: Option<NeverRuns>,
    /// The outputs its manifest declares, in the manifest's order (empty when no manifest
    /// documents them).
    pub outputs: Vec<String>,
    /// The declared outputs that no template of the playbook reads.
    pub unused_outputs: Vec<String>,
}

/// Why a step or a group never runs.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum NeverRuns {
    /// Its own `when` always renders this value (`false`).
    When(String),
    /// The loop is over an empty `range: [from, to]` (`to` below `from`).
    EmptyRange,
    /// A group around it never runs (an index into [`Flow::groups`]).
    Inside(usize),
}

/// What kind of group.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum GroupKind {
    /// A conditional block (`when` and `steps`).
    Block,
    /// A `foreach` loop.
    Loop,
}

/// A block or a loop.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Group {
    pub kind: GroupKind,
    /// The whole block or loop.
    pub range: TextRange,
    /// The group around it (an index into [`Flow::groups`]).
    pub parent: Option<usize>,
    /// A block's `when`, or a loop's.
    pub when: Option<String>,
    /// What a loop iterates over: the path or template of `in`, or `range: [a, b]`.
    pub source: Option<String>,
    /// A loop's key and value variables.
    pub vars: Option<(String, String)>,
    /// A loop's `break`.
    pub break_when: Option<String>,
    pub never_runs: Option<NeverRuns>,
}

/// A node of the flow.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum Node {
    /// An index into [`Flow::parameters`].
    Param(usize),
    /// An index into [`Flow::steps`].
    Step(usize),
    /// An index into [`Flow::groups`]: what a block's or loop's own templates read (its
    /// `when`, a loop's `in` and `break`).
    Group(usize),
}

/// What flows from a parameter or a step into a step or a group.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Edge {
    /// A parameter or a step.
    pub from: Node,
    /// A step or a group.
    pub to: Node,
    /// The names read, each once, in the order first read.
    pub reads: Vec<Read>,
}

/// One name read along an edge.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Read {
    /// The parameter's or the output's name (for [`ReadForm::WholeStep`], the step's id).
    pub name: String,
    pub form: ReadForm,
}

/// How a name is read.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ReadForm {
    /// A parameter: `$.params.name`, `index $.params "name"`, `get "$.params.name"`.
    Param,
    /// An output named with its step: `$.fetch.items`.
    Qualified,
    /// An output read from the root (`.items`, `$.items`, `output`), which the check
    /// resolved to the most recent earlier step having it.
    Root,
    /// The whole step (`toJson $.fetch`): every output.
    WholeStep,
}

impl Read {
    /// The read as an edge shows it: the name, a root-form read with a leading `.`, a whole
    /// step as `*`.
    pub fn label(&self) -> String {
        match self.form {
            ReadForm::Param | ReadForm::Qualified => self.name.clone(),
            ReadForm::Root => format!(".{}", self.name),
            ReadForm::WholeStep => "*".to_owned(),
        }
    }
}

impl Edge {
    /// The edge's label: its reads, comma separated.
    pub fn label(&self) -> String {
        let labels: Vec<String> = self.reads.iter().map(Read::label).collect();
        labels.join(", ")
    }
}

/// How deeply steps are walked (the check and lowering refuse deeper nesting).
const MAX_DEPTH: usize = 64;

/// The data flow of every playbook of `file`, in document order (empty when the file holds
/// no playbook).
pub fn data_flow(db: &dyn salsa::Database, file: File) -> Vec<Flow> {
    let mut out = Vec::new();
    context::for_each_analysis(db, file, |playbook, analysis| {
        out.push(flow(db, file, playbook, analysis));
    });
    out
}

/// Whether `file` is a playbook file at all (a CI workflow or a Kubernetes manifest is not).
pub fn is_playbook_file(db: &dyn salsa::Database, file: File) -> bool {
    file_syntax(db, file).playbook
}

/// The syntax errors of `file` (YAML, scalar decoding and template syntax), sorted by
/// position: a graph of a file with syntax errors would be of what the parser guessed.
pub fn syntax_errors(
    db: &dyn salsa::Database,
    file: File,
) -> Vec<playbook_diagnostics::Diagnostic> {
    let mut errors: Vec<_> = file_syntax(db, file)
        .diagnostics
        .iter()
        .filter(|d| d.severity == playbook_diagnostics::Severity::Error)
        .cloned()
        .collect();
    errors.sort_by_key(|d| (d.range.start(), d.range.end()));
    errors
}

/// The kinds of the documents of `file` that are not playbooks (`Step`, `Trigger`), for an
/// error saying what the file holds instead.
pub fn other_documents(db: &dyn salsa::Database, file: File) -> Vec<&'static str> {
    let lowered = &lower(db, file).file;
    let mut kinds = Vec::new();
    if lowered.manifests().next().is_some() {
        kinds.push("Step");
    }
    if lowered.triggers().next().is_some() {
        kinds.push("Trigger");
    }
    kinds
}

fn flow(
    db: &dyn salsa::Database,
    file: File,
    playbook: &Playbook,
    analysis: &Analysis<'_>,
) -> Flow {
    let syntax = file_syntax(db, file);
    let never = |text: &Text| -> Option<NeverRuns> {
        let value = match syntax.templates.get(text) {
            Some(template) => constant_condition(text, template),
            None => constant_condition(text, &playbook_template::parse(&text.value)),
        }?;
        value
            .eq_ignore_ascii_case("false")
            .then_some(NeverRuns::When(value))
    };

    // Parameters: the declared ones, in order.
    let mut parameters: Vec<ParamNode> = playbook
        .parameters
        .iter()
        .map(|p| ParamNode {
            name: p.name.value.clone(),
            ty: p.ty.as_ref().map(|t| t.value.as_str()),
            declared: true,
            read: false,
            range: p.range,
        })
        .collect();

    // Groups: the check's scopes, in source order, with what the tree says of each.
    let mut items = Vec::new();
    collect_groups(&playbook.steps, &mut items, 0);
    let mut groups: Vec<Group> = Vec::with_capacity(analysis.scopes.len());
    for (index, scope) in analysis.scopes.iter().enumerate() {
        let parent = (0..index)
            .rev()
            .find(|&g| analysis.scopes[g].range.contains_range(scope.range));
        let item = items.iter().find(|i| i.range() == scope.range);
        let mut group = match item {
            Some(GroupItem::Block(block)) => Group {
                kind: GroupKind::Block,
                range: block.range,
                parent,
                when: block.when.as_ref().map(|w| w.value.to_string()),
                source: None,
                vars: None,
                break_when: None,
                never_runs: block.when.as_ref().and_then(never),
            },
            Some(GroupItem::Loop(lp)) => Group {
                kind: GroupKind::Loop,
                range: lp.range,
                parent,
                when: lp.when.as_ref().map(|w| w.value.to_string()),
                source: lp.source.as_ref().map(|s| match s {
                    LoopSource::Text(t) => t.value.to_string(),
                    LoopSource::Range { from, to } => {
                        format!("range: [{}, {}]", from.value, to.value)
                    }
                }),
                vars: Some((
                    lp.key.as_ref().map_or("key", |k| &k.value).to_owned(),
                    lp.value.as_ref().map_or("value", |v| &v.value).to_owned(),
                )),
                break_when: lp.break_when.as_ref().map(|b| b.value.to_string()),
                never_runs: lp.when.as_ref().and_then(never).or(match &lp.source {
                    Some(LoopSource::Range { from, to }) if to.value < from.value => {
                        Some(NeverRuns::EmptyRange)
                    }
                    _ => None,
                }),
            },
            None => Group {
                kind: if scope.loop_vars.is_empty() {
                    GroupKind::Block
                } else {
                    GroupKind::Loop
                },
                range: scope.range,
                parent,
                when: None,
                source: None,
                vars: None,
                break_when: None,
                never_runs: None,
            },
        };
        if group.never_runs.is_none()
            && let Some(p) = parent
            && groups
                .get(p)
                .is_some_and(|g: &Group| g.never_runs.is_some())
        {
            group.never_runs = Some(NeverRuns::Inside(p));
        }
        groups.push(group);
    }

    // Steps, in execution order.
    let mut steps: Vec<StepNode> = analysis
        .steps
        .iter()
        .map(|facts| {
            let group = facts.scopes.last().copied();
            let never_runs = facts.call.when.as_deref().and_then(never).or_else(|| {
                facts
                    .scopes
                    .iter()
                    .find(|&&g| groups.get(g).is_some_and(|g| g.never_runs.is_some()))
                    .map(|&g| NeverRuns::Inside(g))
            });
            let outputs = if facts.outputs.documented() {
                facts
                    .manifest
                    .map(|m| m.outputs.iter().map(|o| o.name.value.clone()).collect())
                    .unwrap_or_default()
            } else {
                Vec::new()
            };
            StepNode {
                id: facts.call.id.as_ref().map(|i| i.value.clone()),
                image: facts.call.image.value.clone(),
                range: facts.call.range,
                group,
                never_runs,
                outputs,
                unused_outputs: Vec::new(),
            }
        })
        .collect();

    // Edges, from the check's references.
    let mut sites: Vec<&SiteFacts<'_>> = analysis.sites.iter().collect();
    sites.sort_by_key(|s| (s.text.range.start(), std::cmp::Reverse(s.text.range.end())));
    let mut edges: Vec<Edge> = Vec::new();
    // Per step: the names read, and whether the whole step is.
    let mut read_names: Vec<BTreeSet<String>> = vec![BTreeSet::new(); steps.len()];
    let mut whole: Vec<bool> = vec![false; steps.len()];
    let references = &analysis.references;
    for (i, reference) in references.iter().enumerate() {
        let Some(site) = site_of(&sites, reference) else {
            continue;
        };
        let Some(reader) = reader_of(site, analysis) else {
            continue;
        };
        let (from, read) = match &reference.target {
            Target::Param(param) => {
                let Some(index) = parameters
                    .iter()
                    .position(|p| p.declared && p.name == param.name.value)
                else {
                    continue;
                };
                parameters[index].read = true;
                (
                    Node::Param(index),
                    Read {
                        name: param.name.value.clone(),
                        form: ReadForm::Param,
                    },
                )
            }
            Target::UndeclaredParam(name) => {
                let index = match parameters
                    .iter()
                    .position(|p| !p.declared && &p.name == name)
                {
                    Some(index) => index,
                    None => {
                        parameters.push(ParamNode {
                            name: name.clone(),
                            ty: None,
                            declared: false,
                            read: true,
                            range: reference.range,
                        });
                        parameters.len() - 1
                    }
                };
                (
                    Node::Param(index),
                    Read {
                        name: name.clone(),
                        form: ReadForm::Param,
                    },
                )
            }
            Target::Output { step, name, .. } => {
                // `$.fetch.items` is recorded as the step, then the output.
                let qualified = i
                    .checked_sub(1)
                    .and_then(|p| references.get(p))
                    .is_some_and(|prev| {
                        matches!(prev.target, Target::Step(s) if s == *step)
                            && prev.range.end() <= reference.range.start()
                    });
                if let Some(names) = read_names.get_mut(*step) {
                    names.insert(name.clone());
                }
                (
                    Node::Step(*step),
                    Read {
                        name: name.clone(),
                        form: if qualified {
                            ReadForm::Qualified
                        } else {
                            ReadForm::Root
                        },
                    },
                )
            }
            Target::Step(step) => {
                // Followed by one of its outputs, the step is named to reach it.
                let reaches_output = references.get(i + 1).is_some_and(
                    |next| matches!(next.target, Target::Output { step: s, .. } if s == *step),
                );
                if reaches_output {
                    continue;
                }
                if let Some(w) = whole.get_mut(*step) {
                    *w = true;
                }
                let name = steps
                    .get(*step)
                    .and_then(|s| s.id.clone())
                    .unwrap_or_default();
                (
                    Node::Step(*step),
                    Read {
                        name,
                        form: ReadForm::WholeStep,
                    },
                )
            }
            Target::LoopVar { .. } | Target::Context(_) => continue,
        };
        if from == reader {
            continue;
        }
        match edges.iter_mut().find(|e| e.from == from && e.to == reader) {
            Some(edge) => {
                if !edge.reads.contains(&read) {
                    edge.reads.push(read);
                }
            }
            None => edges.push(Edge {
                from,
                to: reader,
                reads: vec![read],
            }),
        }
    }

    // Outputs nobody reads. The json `output` documents the whole result: reading one of
    // its fields reads it.
    for (index, step) in steps.iter_mut().enumerate() {
        if whole.get(index).copied().unwrap_or(false) {
            continue;
        }
        let Some(names) = read_names.get(index) else {
            continue;
        };
        let field_read = names.iter().any(|n| !step.outputs.contains(n));
        step.unused_outputs = step
            .outputs
            .iter()
            .filter(|o| !(names.contains(*o) || (o.as_str() == "output" && field_read)))
            .cloned()
            .collect();
    }

    Flow {
        name: playbook.name.as_ref().map(|n| n.value.clone()),
        range: playbook.range,
        parameters,
        steps,
        groups,
        edges,
    }
}

/// A block or a loop of the tree.
enum GroupItem<'a> {
    Block(&'a StepBlock),
    Loop(&'a StepLoop),
}

impl GroupItem<'_> {
    fn range(&self) -> TextRange {
        match self {
            GroupItem::Block(b) => b.range,
            GroupItem::Loop(l) => l.range,
        }
    }
}

/// The blocks and loops of `steps`, in source order.
fn collect_groups<'a>(steps: &'a [Step], out: &mut Vec<GroupItem<'a>>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    for step in steps {
        match step {
            Step::Call(_) => {}
            Step::Block(block) => {
                out.push(GroupItem::Block(block));
                collect_groups(&block.steps, out, depth + 1);
            }
            Step::Loop(lp) => {
                out.push(GroupItem::Loop(lp));
                collect_groups(&lp.steps, out, depth + 1);
            }
        }
    }
}

/// The template site a reference is in: the innermost whose scalar holds it (`sites`
/// sorted by start, the longer first).
fn site_of<'x, 'a>(
    sites: &[&'x SiteFacts<'a>],
    reference: &Reference<'_>,
) -> Option<&'x SiteFacts<'a>> {
    let end = sites.partition_point(|s| s.text.range.start() <= reference.range.start());
    sites[..end]
        .iter()
        .rev()
        .find(|s| s.text.range.contains_range(reference.range))
        .copied()
}

/// Who reads at a site: its step, else the innermost group whose range holds it (a block's
/// `when`, a loop's `in`, `when` and `break`). Parameter defaults have no reader here.
fn reader_of(site: &SiteFacts<'_>, analysis: &Analysis<'_>) -> Option<Node> {
    if site.kind == SiteKind::Default {
        return None;
    }
    if let Some(step) = site.own {
        return Some(Node::Step(step));
    }
    analysis
        .scopes
        .iter()
        .enumerate()
        .filter(|(_, s)| s.range.contains_range(site.text.range))
        .min_by_key(|(_, s)| s.range.len())
        .map(|(index, _)| Node::Group(index))
}
