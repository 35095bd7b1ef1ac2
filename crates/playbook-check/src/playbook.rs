//! The checks of one playbook: every reference in its templates (parameters, secrets, steps,
//! outputs, loop variables, the run's context), every function call and condition, and
//! every step call against the manifest of its image.
//!
//! Two passes. The first flattens the steps in execution order, noting for each the blocks
//! and loops around it, and collects every template with where it is evaluated (a
//! [`Site`]). The second parses each template and resolves what it reads, as the platform
//! does (section 4 of the language specification):
//! - a step's output exists only if the step ran before the site (else a forward
//!   reference); when the step sits under a condition the site is not under, it may not
//!   have run, unless the reader repeats that condition, or the condition is a loop over a
//!   literal non-empty range (see [`crate::conditions`]);
//! - a step's outputs are documented by its manifest, a json `output` documents the whole
//!   result, and an `output_parser` makes them unknown (see [`crate::outputs`]);
//! - a name at the root that is not a context root nor a step id is an output of an
//!   earlier step, the most recent first;
//! - a loop's `break` is evaluated after each iteration, so it may read the loop's steps.

use foldhash::{HashMap, HashMapExt as _, HashSet, HashSetExt as _};

use playbook_diagnostics::{Diagnostic, Fix, TextRange};
use playbook_hir::ir::{
    InputType, LoopSource, Output, OutputType, ParamType, Parameter, Playbook, Step, StepCall,
    StepManifest, Text,
};
use playbook_template::functions::{self, Ty};
use playbook_template::{
    ActionKind, Call, Expr, Literal, LiteralKind, Path, Pipeline, Root, Segment, SegmentKind,
    Template,
};
use serde_json::Value;

use crate::Workspace;
use crate::analysis::{Analysis, Reference, ScopeFacts, SiteFacts, SiteKind, StepFacts, Target};
use crate::checks::*;
use crate::conditions;
use crate::fix::{self, NameAt, Wrap, Written};
use crate::json_shape;
use crate::layout;
use crate::outputs::{Lookup, StepOutputs, type_contradicted};
use crate::platform;

/// Checks one playbook against the workspace.
pub fn check_playbook(playbook: &Playbook, workspace: &dyn Workspace) -> Vec<Diagnostic> {
    run(playbook, workspace, Run::Check).diagnostics
}

/// How much of the check to run, and what to keep of it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Run {
    /// The whole check, keeping only its diagnostics (`playbook check`).
    Check,
    /// The whole check, keeping what it resolves (editor features).
    Record,
    /// Only the playbook's outline: the steps in execution order with the interface each
    /// call resolves to, the blocks and loops, and the template sites with what they can
    /// see; no template is visited and nothing is reported (completion).
    Outline,
}

/// Runs the check as `mode` says.
pub(crate) fn run<'a>(
    playbook: &'a Playbook,
    workspace: &'a dyn Workspace,
    mode: Run,
) -> Analysis<'a> {
    let record = mode != Run::Check;
    let mut checker = Checker {
        workspace,
        body: playbook.range,
        param_names: playbook
            .parameters
            .iter()
            .map(|p| p.name.value.as_str())
            .collect(),
        params: playbook
            .parameters
            .iter()
            .map(|p| (p.name.value.as_str(), p))
            .collect(),
        steps: Vec::new(),
        ids: HashMap::new(),
        scopes: Vec::new(),
        scope_facts: Vec::new(),
        used: HashSet::new(),
        undefined: Vec::new(),
        out: Vec::new(),
        record,
        references: Vec::new(),
    };
    let mut sites = Vec::new();
    for param in &playbook.parameters {
        if let Some(default) = &param.default {
            sites.push(Site {
                text: default,
                at: 0,
                own: None,
                scopes: Vec::new(),
                kind: SiteKind::Default,
            });
            checker.check_secret_default(param, default);
        }
    }
    checker.collect(&playbook.steps, &mut Vec::new(), &mut sites, 0);
    if mode == Run::Outline {
        sites.sort_by_cached_key(|s| s.text.range.start());
        return Analysis {
            diagnostics: Vec::new(),
            parameters: playbook.parameters.iter().collect(),
            steps: checker.steps,
            scopes: checker.scope_facts,
            sites,
            references: Vec::new(),
        };
    }
    for site in &sites {
        checker.visit_site(site);
    }
    for index in 0..checker.steps.len() {
        checker.check_interface(index);
    }
    checker.report_unused(playbook);
    let mut out = checker.out;
    out.sort_by_key(|d| (d.range.start(), d.range.end(), d.code.id));
    out.dedup();
    if record {
        sites.sort_by_cached_key(|s| s.text.range.start());
    }
    Analysis {
        diagnostics: out,
        parameters: if record {
            playbook.parameters.iter().collect()
        } else {
            Vec::new()
        },
        steps: checker.steps,
        scopes: checker.scope_facts,
        sites: if record { sites } else { Vec::new() },
        references: checker.references,
    }
}

/// A step call, in execution order.
type StepInfo<'a> = StepFacts<'a>;

/// A conditional block or a loop.
struct Scope<'a> {
    /// What to point at when explaining that a step under this scope may not have run.
    condition: TextRange,
    /// The names of the loop's variables (empty for a block).
    loop_vars: Vec<&'a str>,
    /// The condition under which the scope's steps run, when one `when` says it all: a
    /// block's `when`, or the `when` of a loop over a literal non-empty range. A reader that
    /// repeats it reads the scope's outputs safely.
    guard: Option<&'a Text>,
    /// The number of steps that have run when the scope's condition is evaluated (for the
    /// root-form reads in `guard`).
    at: usize,
    /// The scope's steps surely run: a loop over a literal non-empty `range` without a loop
    /// `when`.
    sure: bool,
}

/// A template and where it is evaluated.
type Site<'a> = SiteFacts<'a>;

impl Site<'_> {
    fn is_default(&self) -> bool {
        self.kind == SiteKind::Default
    }
}

struct Checker<'a> {
    workspace: &'a dyn Workspace,
    /// The playbook's document body, where an unknown parameter is declared by its fix.
    body: TextRange,
    params: HashMap<&'a str, &'a Parameter>,
    /// The parameters' names in the order they are declared: suggestions among equally
    /// close names are the same from run to run.
    param_names: Vec<&'a str>,
    steps: Vec<StepInfo<'a>>,
    ids: HashMap<&'a str, usize>,
    scopes: Vec<Scope<'a>>,
    /// What editor features see of `scopes`.
    scope_facts: Vec<ScopeFacts<'a>>,
    used: HashSet<&'a str>,
    /// The reads of undeclared parameters whose closest declared parameter is known: the
    /// index of their diagnostic in `out`, the name read, where, and the declared name.
    undefined: Vec<(usize, String, TextRange, &'a str)>,
    out: Vec<Diagnostic>,
    /// Whether to keep the references resolved (for editor features).
    record: bool,
    references: Vec<Reference<'a>>,
}

/// Steps nested deeper than this are not checked (lowering already refuses deeper nesting).
const MAX_DEPTH: usize = 64;
/// Template expressions nested deeper than this are not visited.
const MAX_EXPR_DEPTH: usize = 128;

/// The roots a path may start with besides step ids, outputs and loop variables.
const CONTEXT_ROOTS: [&str; 4] = ["params", "event", "metadata", "execution"];

impl<'a> Checker<'a> {
    fn collect(
        &mut self,
        steps: &'a [Step],
        scopes: &mut Vec<usize>,
        sites: &mut Vec<Site<'a>>,
        depth: usize,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        for step in steps {
            match step {
                Step::Call(call) => {
                    let index = self.steps.len();
                    let manifest =
                        crate::interface::call_interface(self.workspace, call, &mut self.out);
                    self.steps.push(StepInfo {
                        call,
                        scopes: scopes.clone(),
                        manifest,
                        outputs: StepOutputs::new(call, manifest),
                    });
                    if let Some(id) = &call.id {
                        self.ids.entry(id.value.as_str()).or_insert(index);
                    }
                    let site = |text, kind| Site {
                        text,
                        at: index,
                        own: Some(index),
                        scopes: scopes.clone(),
                        kind,
                    };
                    if let Some(when) = call.when.as_deref() {
                        sites.push(site(when, SiteKind::Condition));
                    }
                    let texts = call
                        .env
                        .iter()
                        .filter_map(|e| e.value.as_ref())
                        .chain(call.runner.iter())
                        .chain(call.integration_ref.as_deref())
                        .chain(call.args.iter());
                    for text in texts {
                        sites.push(site(text, SiteKind::Value));
                    }
                }
                Step::Block(block) => {
                    let at = self.steps.len();
                    if let Some(when) = &block.when {
                        sites.push(Site {
                            text: when,
                            at,
                            own: None,
                            scopes: scopes.clone(),
                            kind: SiteKind::Condition,
                        });
                    }
                    let condition = block.when.as_ref().map_or(block.range, |w| w.range);
                    self.scopes.push(Scope {
                        condition,
                        loop_vars: Vec::new(),
                        guard: block.when.as_ref(),
                        at,
                        sure: false,
                    });
                    self.scope_facts.push(ScopeFacts {
                        range: block.range,
                        loop_vars: Vec::new(),
                    });
                    scopes.push(self.scopes.len() - 1);
                    self.collect(&block.steps, scopes, sites, depth + 1);
                    scopes.pop();
                }
                Step::Loop(lp) => {
                    let at = self.steps.len();
                    if let Some(LoopSource::Text(source)) = &lp.source {
                        let kind = if source.is_template() {
                            SiteKind::Value
                        } else {
                            SiteKind::BarePath
                        };
                        sites.push(Site {
                            text: source,
                            at,
                            own: None,
                            scopes: scopes.clone(),
                            kind,
                        });
                    }
                    let key = lp.key.as_ref().map_or("key", |k| k.value.as_str());
                    let value = lp.value.as_ref().map_or("value", |v| v.value.as_str());
                    let condition = lp.source.as_ref().map_or(lp.range, |s| match s {
                        LoopSource::Text(t) => t.range,
                        LoopSource::Range { from, to } => from.range.cover(to.range),
                    });
                    // A loop over a literal range that is not empty runs its body at least
                    // once: surely, without a loop `when`; exactly when its `when` holds,
                    // with one.
                    let literal_range = matches!(
                        &lp.source,
                        Some(LoopSource::Range { from, to }) if to.value >= from.value
                    );
                    let (condition, guard) = match (&lp.when, literal_range) {
                        (Some(when), true) => (when.range, Some(when)),
                        _ => (condition, None),
                    };
                    self.scopes.push(Scope {
                        condition,
                        loop_vars: vec![key, value],
                        guard,
                        at,
                        sure: literal_range && lp.when.is_none(),
                    });
                    self.scope_facts.push(ScopeFacts {
                        range: lp.range,
                        loop_vars: vec![
                            (key, lp.key.as_ref().map(|k| k.range)),
                            (value, lp.value.as_ref().map(|v| v.range)),
                        ],
                    });
                    scopes.push(self.scopes.len() - 1);
                    if let Some(when) = &lp.when {
                        sites.push(Site {
                            text: when,
                            at,
                            own: None,
                            scopes: scopes.clone(),
                            kind: SiteKind::Condition,
                        });
                    }
                    self.collect(&lp.steps, scopes, sites, depth + 1);
                    // `break` is evaluated after each iteration: the body's steps have run.
                    if let Some(break_when) = &lp.break_when {
                        sites.push(Site {
                            text: break_when,
                            at: self.steps.len(),
                            own: None,
                            scopes: scopes.clone(),
                            kind: SiteKind::Condition,
                        });
                    }
                    scopes.pop();
                }
            }
        }
    }

    /// The parsed template of a text: the one the caller parsed, if any (a clone of a
    /// template is a reference count).
    fn template_of(&self, text: &Text) -> Template {
        match self.workspace.template(text) {
            Some(template) => template.clone(),
            None => playbook_template::parse(&text.value),
        }
    }

    fn visit_site(&mut self, site: &Site<'a>) {
        if site.kind == SiteKind::BarePath {
            // `in: pods.items` is the path `$.pods.items` written without braces; its
            // segments may hold dashes (`redis-info.items`), so it is split here rather
            // than parsed as a template.
            if let Some(path) = bare_path(&site.text.value) {
                self.resolve_path(&path, site, false, 0, Use::Elsewhere);
            }
            return;
        }
        if !site.text.is_template() {
            if site.kind == SiteKind::Condition {
                self.check_literal_condition(site.text);
            }
            return;
        }
        let template = self.template_of(site.text);
        let first = self.out.len();
        if site.kind == SiteKind::Condition
            && let Some(pipeline) = conditions::sole_pipeline(&site.text.value, &template)
        {
            self.check_constant_when(pipeline, site);
        }
        for action in template.actions() {
            if matches!(
                action.kind,
                ActionKind::If(_)
                    | ActionKind::ElseIf(_)
                    | ActionKind::With(_)
                    | ActionKind::ElseWith(_)
            ) && let Some(pipeline) = action.pipeline()
            {
                self.check_constant(pipeline, site);
            }
            if let Some(pipeline) = action.pipeline() {
                self.visit_pipeline(pipeline, site, action.dot_rebound, 0, false, 0);
            }
        }
        // In a template the parser could not read whole, a name may not be what it seems
        // (`$.redis-inf.info` reads `$.redis`): no edit of the template, where a wrong edit
        // is worse than none; a fix elsewhere (declaring the parameter) is for a person to
        // judge.
        if !template.errors().is_empty() {
            let scalar = site.text.range;
            for d in self.out.iter_mut().skip(first) {
                d.fixes
                    .retain(|f| !f.edits.iter().any(|e| scalar.contains_range(e.range)));
                for fix in &mut d.fixes {
                    fix.safe = false;
                }
            }
        }
    }

    /// PB113 for a condition that is a literal.
    fn check_constant(&mut self, pipeline: &Pipeline, site: &Site<'_>) {
        let Some(literal) = conditions::constant(pipeline) else {
            return;
        };
        let range = self.source_range(site, literal.range, 0);
        let written = site
            .text
            .value
            .get(literal.range.start() as usize..literal.range.end() as usize)
            .unwrap_or_default();
        let (always, boolean) = match &literal.kind {
            LiteralKind::Bool(b) => (*b, true),
            LiteralKind::String(s) | LiteralKind::RawString(s) => (!s.is_empty(), false),
            LiteralKind::Char(_) => (true, false),
            LiteralKind::Number(n) => (!is_zero(n), false),
            LiteralKind::Nil => return,
        };
        self.out.push(constant_condition::diagnostic(
            written, always, boolean, range,
        ));
    }

    /// PB113 for a `when` (or `break`) whose whole template is a literal: what decides is
    /// the text it renders, not Go's truthiness (`{{ "false" }}` renders `false`), so it is
    /// judged as [`Self::check_literal_condition`] judges a plain value; any other text
    /// (`{{ "high" }}`) is not `true`, and the step never runs.
    fn check_constant_when(&mut self, pipeline: &Pipeline, site: &Site<'_>) {
        let Some(literal) = conditions::constant(pipeline) else {
            return;
        };
        let range = self.source_range(site, literal.range, 0);
        let written = site
            .text
            .value
            .get(literal.range.start() as usize..literal.range.end() as usize)
            .unwrap_or_default();
        let rendered = match &literal.kind {
            LiteralKind::Bool(b) => b.to_string(),
            LiteralKind::String(s) | LiteralKind::RawString(s) => s.trim().to_owned(),
            LiteralKind::Number(n) => n.clone(),
            LiteralKind::Char(_) | LiteralKind::Nil => return,
        };
        let (always, boolean) = if rendered.eq_ignore_ascii_case("true") {
            (true, true)
        } else if rendered.eq_ignore_ascii_case("false") {
            (false, true)
        } else {
            (false, false)
        };
        self.out.push(constant_condition::diagnostic(
            written, always, boolean, range,
        ));
    }

    /// PB113 for a `when` written without a template: `when: false` switches a step off.
    fn check_literal_condition(&mut self, text: &Text) {
        let value = text.value.trim();
        let always = if value.eq_ignore_ascii_case("true") {
            true
        } else if value.eq_ignore_ascii_case("false") {
            false
        } else {
            return;
        };
        self.out.push(constant_condition::diagnostic(
            value, always, true, text.range,
        ));
    }

    /// PB306 for a `secret` parameter whose default names a secret outside the catalogue.
    fn check_secret_default(&mut self, param: &Parameter, default: &Text) {
        if param.ty.as_ref().map(|t| t.value) != Some(ParamType::Secret) || default.is_template() {
            return;
        }
        let name = default.value.trim();
        if let Some(known) = self.workspace.known_secrets()
            && !name.is_empty()
            && !known.iter().any(|k| k == name)
        {
            let whole = name == &*default.value;
            self.out.push(unknown_secret::diagnostic(
                name,
                default.range,
                known,
                |s| fix::rename_scalar(name, default.range, s).filter(|_| whole),
            ));
        }
    }

    /// The source range of a range in the site's decoded text (see [`source_range`]).
    fn source_range(&self, site: &Site<'_>, range: TextRange, shift: i64) -> TextRange {
        source_range(site, range, shift)
    }

    /// Visits a pipeline; `result_in_secret`: its value is the argument of `secret`.
    fn visit_pipeline(
        &mut self,
        pipeline: &Pipeline,
        site: &Site<'a>,
        rebound: bool,
        shift: i64,
        result_in_secret: bool,
        depth: usize,
    ) {
        if depth > MAX_EXPR_DEPTH {
            return;
        }
        let last = pipeline.commands.len().saturating_sub(1);
        for (i, command) in pipeline.commands.iter().enumerate() {
            let piped = i > 0;
            let into_secret = matches!(
                pipeline.commands.get(i + 1),
                Some(Expr::Call(c)) if c.name == "secret" && c.args.is_empty()
            ) || (i == last && result_in_secret);
            let used = match (into_secret, piped) {
                (true, _) => Use::Secret,
                (false, false) => Use::Head,
                // A piped command that is no call is an error of its own.
                (false, true) => Use::Elsewhere,
            };
            self.visit_expr(command, site, rebound, shift, piped, used, depth + 1);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn visit_expr(
        &mut self,
        expr: &Expr,
        site: &Site<'a>,
        rebound: bool,
        shift: i64,
        piped: bool,
        used: Use,
        depth: usize,
    ) {
        if depth > MAX_EXPR_DEPTH {
            return;
        }
        match expr {
            Expr::Path(path) => {
                self.visit_segments(&path.segments, site, rebound, shift, depth);
                self.resolve_path(path, site, rebound, shift, used);
            }
            Expr::Call(call) => self.visit_call(call, site, rebound, shift, piped, used, depth),
            Expr::Paren(paren) => {
                // `secret (index $.params "Token")`: the parenthesized value itself, not a
                // field of it, goes into `secret`.
                let in_secret = used == Use::Secret && paren.segments.is_empty();
                self.visit_pipeline(&paren.pipeline, site, rebound, shift, in_secret, depth + 1);
                self.visit_segments(&paren.segments, site, rebound, shift, depth);
            }
            // What could not be parsed is reported as a syntax error, and nothing else is
            // said of it (an `and` cut off from its arguments is not "called with 0
            // arguments"); the parameters it reads still count as used.
            Expr::Error(error) => {
                for part in &error.parts {
                    self.mark_used(part, rebound, depth + 1);
                }
            }
            Expr::Literal(_) => {}
        }
    }

    /// Visits the expressions inside index and slice segments.
    fn visit_segments(
        &mut self,
        segments: &[Segment],
        site: &Site<'a>,
        rebound: bool,
        shift: i64,
        depth: usize,
    ) {
        for segment in segments {
            match &segment.kind {
                SegmentKind::Index(e) => {
                    self.visit_expr(e, site, rebound, shift, false, Use::Argument, depth + 1)
                }
                SegmentKind::Slice(lo, hi) => {
                    for e in lo.iter().chain(hi.iter()) {
                        self.visit_expr(e, site, rebound, shift, false, Use::Argument, depth + 1);
                    }
                }
                _ => {}
            }
        }
    }

    /// Visits a call; `used`: how its value is used.
    #[allow(clippy::too_many_arguments)]
    fn visit_call(
        &mut self,
        call: &Call,
        site: &Site<'a>,
        rebound: bool,
        shift: i64,
        piped: bool,
        used: Use,
        depth: usize,
    ) {
        match functions::lookup(&call.name) {
            None => {
                let range = self.source_range(site, call.name_range, shift);
                let spot = name_at(site, call.name_range, shift, Written::Function);
                self.out
                    .push(unknown_function::diagnostic(&call.name, range, |s| {
                        spot?.replace(s)
                    }));
            }
            Some(function) => {
                let given = call.args.len() + usize::from(piped);
                if !function.accepts(given) {
                    let range = self.source_range(site, call.range, shift);
                    self.out
                        .push(wrong_argument_count::diagnostic(function, given, range));
                } else {
                    for (i, arg) in call.args.iter().enumerate() {
                        if let (Some(found), Some(expected)) = (type_of(arg), function.param(i))
                            && !found.fits(expected)
                        {
                            let range = self.source_range(site, arg.range(), shift);
                            self.out.push(argument_type::diagnostic(
                                function, i, expected, found, range,
                            ));
                        }
                    }
                }
            }
        }
        // `get "$.params.x"` reads a path written as a string: resolve it like any other.
        if call.name == "get"
            && let Some(Expr::Literal(literal)) = call.args.first()
            && let LiteralKind::String(text) | LiteralKind::RawString(text) = &literal.kind
            && let Some(rest) = text.strip_prefix("$.")
            && let Some(path) = bare_path(rest)
        {
            // The path's offsets count from after the opening quote and `$.`.
            let offset = i64::from(literal.range.start()) + 3;
            self.resolve_path(&path, site, false, shift + offset, Use::Elsewhere);
        }
        // `index $.params "Port"` reads parameter `Port`, as `$.params.Port` does (outside
        // a default, where reading `$.params` at all is already reported).
        if call.name == "index"
            && !site.is_default()
            && let [Expr::Path(target), Expr::Literal(literal), ..] = call.args.as_slice()
            && matches!(target.root, Root::Dollar)
            && let [only] = target.segments.as_slice()
            && only.name() == Some("params")
            && let LiteralKind::String(name) | LiteralKind::RawString(name) = &literal.kind
        {
            let range = self.source_range(site, literal.range, shift);
            let whole = self.source_range(site, call.range, shift);
            let (inner, spot) = if literal.range.len() >= 2 {
                let inner = TextRange::new(literal.range.start() + 1, literal.range.end() - 1);
                (
                    self.source_range(site, inner, shift),
                    literal_spot(site, literal, shift),
                )
            } else {
                (range, None)
            };
            let wrap = match used {
                Use::Head => Some(Wrap::HeadCall),
                Use::Argument => Some(Wrap::Argument),
                Use::Secret | Use::Elsewhere => None,
            };
            let read = Read {
                range,
                name_range: inner,
                path_range: whole,
                used,
                spot,
                wrap: wrap
                    .and_then(|w| Some((site.text, decoded_range(site, call.range, shift)?, w))),
            };
            self.read_param_at(name, read);
        }
        let is_secret = call.name == "secret";
        if is_secret
            && let Some(Expr::Literal(literal)) = call.args.first()
            && let LiteralKind::String(name) | LiteralKind::RawString(name) = &literal.kind
            && let Some(known) = self.workspace.known_secrets()
            && !known.iter().any(|k| k == name)
        {
            let range = self.source_range(site, literal.range, shift);
            let spot = literal_spot(site, literal, shift);
            self.out
                .push(unknown_secret::diagnostic(name, range, known, |s| {
                    spot?.replace(s)
                }));
        }
        for arg in &call.args {
            let used = if is_secret && matches!(arg, Expr::Path(_) | Expr::Paren(_)) {
                Use::Secret
            } else {
                Use::Argument
            };
            self.visit_expr(arg, site, rebound, shift, false, used, depth + 1);
        }
    }

    /// Counts the parameters an expression reads as used, reporting nothing: for the parts of
    /// an expression that could not be parsed.
    fn mark_used(&mut self, expr: &Expr, rebound: bool, depth: usize) {
        if depth > MAX_EXPR_DEPTH {
            return;
        }
        let segments: &[Segment] = match expr {
            Expr::Path(path) => {
                let from_root = match path.root {
                    Root::Dollar => true,
                    Root::Dot => !rebound,
                    Root::Variable(_) => false,
                };
                if from_root
                    && path.segments.first().and_then(Segment::name) == Some("params")
                    && let Some(name) = path.segments.get(1).and_then(Segment::name)
                {
                    self.use_param(name);
                }
                &path.segments
            }
            Expr::Call(call) => {
                if let [Expr::Path(_), Expr::Literal(literal), ..] = call.args.as_slice()
                    && call.name == "index"
                    && let LiteralKind::String(name) | LiteralKind::RawString(name) = &literal.kind
                {
                    self.use_param(name);
                }
                for arg in &call.args {
                    self.mark_used(arg, rebound, depth + 1);
                }
                return;
            }
            Expr::Paren(paren) => {
                for command in &paren.pipeline.commands {
                    self.mark_used(command, rebound, depth + 1);
                }
                &paren.segments
            }
            Expr::Error(error) => {
                for part in &error.parts {
                    self.mark_used(part, rebound, depth + 1);
                }
                return;
            }
            Expr::Literal(_) => return,
        };
        for segment in segments {
            match &segment.kind {
                SegmentKind::Index(e) => self.mark_used(e, rebound, depth + 1),
                SegmentKind::Slice(lo, hi) => {
                    for e in lo.iter().chain(hi.iter()) {
                        self.mark_used(e, rebound, depth + 1);
                    }
                }
                _ => {}
            }
        }
    }

    /// Keeps a resolved reference, when recording.
    fn record(&mut self, range: TextRange, target: Target<'a>) {
        if self.record {
            self.references.push(Reference { range, target });
        }
    }

    /// The loop around the site that names variable `name`, innermost first.
    fn loop_of(&self, site: &Site<'_>, name: &str) -> Option<usize> {
        site.scopes.iter().rev().copied().find(|&s| {
            self.scopes
                .get(s)
                .is_some_and(|scope| scope.loop_vars.contains(&name))
        })
    }

    /// Counts a declared parameter as used.
    fn use_param(&mut self, name: &str) {
        if let Some((&key, _)) = self.params.get_key_value(name) {
            self.used.insert(key);
        }
    }

    fn resolve_path(&mut self, path: &Path, site: &Site<'a>, rebound: bool, shift: i64, used: Use) {
        match path.root {
            Root::Variable(_) => return,
            Root::Dot if rebound => return,
            _ => {}
        }
        let Some(first) = path.segments.first() else {
            return;
        };
        let Some(name) = first.name() else {
            return;
        };
        let name_range = self.source_range(site, first.range, shift);
        if site.is_default() {
            if !matches!(name, "event" | "metadata") {
                self.out
                    .push(default_reads_context::diagnostic(name, name_range));
            }
            // The parameter a default reads is not also unused: PB305 says what to fix.
            if name == "params"
                && let Some(param_name) = path.segments.get(1).and_then(Segment::name)
            {
                self.use_param(param_name);
            }
            if name == "metadata" {
                self.check_context_field(name, &path.segments[1..], site, shift);
            }
            return;
        }
        let rest = &path.segments[1..];
        if let Some(&root) = CONTEXT_ROOTS.iter().find(|r| **r == name) {
            self.record(name_range, Target::Context(root));
        }
        match name {
            "params" => {
                let Some(second) = path.segments.get(1) else {
                    return;
                };
                let Some(param_name) = second.name() else {
                    return;
                };
                let range = self.source_range(site, second.range, shift);
                let path_range = self.source_range(site, path.range, shift);
                let wrap = match used {
                    _ if shift != 0 || site.kind == SiteKind::BarePath => None,
                    Use::Head => Some(Wrap::Head),
                    Use::Argument => Some(Wrap::Argument),
                    Use::Secret | Use::Elsewhere => None,
                };
                let read = Read {
                    range,
                    name_range: range,
                    path_range,
                    used,
                    spot: segment_spot(site, second, shift),
                    wrap: wrap.and_then(|w| {
                        Some((site.text, decoded_range(site, path.range, shift)?, w))
                    }),
                };
                self.read_param_at(param_name, read);
            }
            "event" => {}
            "metadata" | "execution" => self.check_context_field(name, rest, site, shift),
            _ if self.is_loop_var(site, name) => {
                if let Some(scope) = self.loop_of(site, name)
                    && let Some(&var) = self
                        .scopes
                        .get(scope)
                        .and_then(|s| s.loop_vars.iter().find(|v| **v == name))
                {
                    self.record(name_range, Target::LoopVar { scope, name: var });
                }
            }
            _ => match self.ids.get(name).copied() {
                Some(index) if index < site.at && site.own != Some(index) => {
                    self.step_reference(index, name, rest, site, shift, name_range);
                }
                // A step that runs later, unless an earlier step documents an output of
                // that name.
                Some(index) => {
                    if !self.resolve_root(name, name_range, rest, site, shift, true) {
                        self.step_reference(index, name, rest, site, shift, name_range);
                    }
                }
                None => {
                    // A near spelling of a step id is a misspelled id, even after a step
                    // whose undocumented outputs could have any name.
                    let misspelled_id =
                        playbook_hir::suggest::likely_typo_suggestion(name, self.ids_in_order());
                    let found = match misspelled_id {
                        Some(_) => self.resolve_root(name, name_range, rest, site, shift, true),
                        None => self.resolve_root(name, name_range, rest, site, shift, false),
                    };
                    if !found {
                        let outputs = self.earlier_outputs(site);
                        let suggestion = match misspelled_id {
                            Some(id) => Some((id.name.to_owned(), id.only)),
                            None => self.closest_root(site, name, &outputs),
                        };
                        let spot = segment_spot(site, first, shift);
                        self.out.push(unknown_reference::diagnostic(
                            name,
                            name_range,
                            suggestion.as_ref().map(|(name, only)| {
                                playbook_hir::suggest::Suggestion { name, only: *only }
                            }),
                            &outputs,
                            |s| spot?.replace(s),
                        ));
                    }
                }
            },
        }
    }

    /// PB407 for `$.metadata.<field>` or `$.execution.<field>` where the field is a near
    /// spelling of a known one.
    fn check_context_field(&mut self, root: &str, rest: &[Segment], site: &Site<'_>, shift: i64) {
        let Some(known) = platform::context_fields(root) else {
            return;
        };
        let Some(field) = rest.first() else { return };
        let Some(name) = field.name() else {
            return;
        };
        if known.contains(&name) {
            return;
        }
        if let Some(near) = playbook_hir::suggest::likely_typo(name, known.iter().copied()) {
            let range = self.source_range(site, field.range, shift);
            let spot = segment_spot(site, field, shift);
            self.out.push(unknown_context_field::diagnostic(
                root,
                name,
                near,
                range,
                |s| spot?.replace(s),
            ));
        }
    }

    /// A read of parameter `param_name` (see [`Read`]): it must be declared, counts as a
    /// use, and a secret parameter must be read through `secret` (and only a secret one).
    fn read_param_at(&mut self, param_name: &str, read: Read<'a>) {
        let Read {
            range,
            name_range,
            path_range,
            used,
            spot,
            wrap,
        } = read;
        let Some((&key, &param)) = self.params.get_key_value(param_name) else {
            self.record(name_range, Target::UndeclaredParam(param_name.to_owned()));
            let declared = self.param_names.clone();
            if let Some(close) =
                playbook_hir::suggest::closest(param_name, declared.iter().copied())
            {
                self.undefined
                    .push((self.out.len(), param_name.to_owned(), range, close));
            }
            let mut d =
                undefined_parameter::diagnostic(param_name, range, declared, |s| spot?.replace(s));
            if let Some((text, tree)) = self.workspace.source()
                && let Some(fix) = layout::declare_parameter(text, tree, self.body, param_name)
            {
                d = d.with_fix(fix);
            }
            self.out.push(d);
            return;
        };
        self.used.insert(key);
        self.record(name_range, Target::Param(param));
        match param.ty.as_ref().map(|t| t.value) {
            Some(ParamType::Secret) if used != Use::Secret => {
                let mut d = secret_parameter_without_secret::diagnostic(param_name, path_range);
                if let Some(fix) =
                    wrap.and_then(|(text, range, wrap)| fix::wrap_in_secret(text, range, wrap))
                {
                    d = d.with_fix(fix);
                }
                self.out.push(d);
            }
            Some(ty) if used == Use::Secret && ty != ParamType::Secret => {
                self.out.push(plain_secret_call::diagnostic(
                    param_name,
                    ty.as_str(),
                    path_range,
                ));
            }
            _ => {}
        }
    }

    fn is_loop_var(&self, site: &Site<'_>, name: &str) -> bool {
        site.scopes.iter().any(|&s| {
            self.scopes
                .get(s)
                .is_some_and(|scope| scope.loop_vars.contains(&name))
        })
    }

    /// Resolves a root-form read (`.data`, `$.data`): `output` is the raw output of the
    /// step just before; any other name is an output of an earlier step, the most recent
    /// first, and a step whose outputs are not documented may have it. Checks the rest of
    /// the path against the output found. Whether the name was found; with
    /// `documented_only`, only in the documented outputs of earlier steps.
    fn resolve_root(
        &mut self,
        name: &str,
        name_range: TextRange,
        rest: &[Segment],
        site: &Site<'a>,
        shift: i64,
        documented_only: bool,
    ) -> bool {
        if name == "output" {
            if site.at > 0 {
                let step = site.at - 1;
                let output = self.steps.get(step).and_then(|s| s.outputs.declared(name));
                self.record(
                    name_range,
                    Target::Output {
                        step,
                        name: name.to_owned(),
                        output,
                    },
                );
            }
            return site.at > 0;
        }
        for index in (0..site.at.min(self.steps.len())).rev() {
            if site.own == Some(index) {
                continue;
            }
            let Some(step) = self.steps.get(index) else {
                continue;
            };
            match step.outputs.lookup(name) {
                Lookup::Missing => continue,
                Lookup::Unknown | Lookup::Raw(_) if documented_only => continue,
                _ => {}
            }
            let declared = step.outputs.declared(name);
            self.record(
                name_range,
                Target::Output {
                    step: index,
                    name: name.to_owned(),
                    output: declared,
                },
            );
            let Some(step) = self.steps.get(index) else {
                continue;
            };
            let finding = match step.outputs.lookup(name) {
                Lookup::Missing => continue,
                Lookup::Unknown | Lookup::Raw(_) if documented_only => continue,
                Lookup::Unknown | Lookup::Raw(_) => None,
                Lookup::Declared(output) => output_path_finding(output, rest, site, shift, name),
                Lookup::Field(value) => value_path_finding(value, rest, site, shift, name),
            };
            self.out.extend(finding);
            return true;
        }
        false
    }

    /// The documented outputs of the steps before the site, most recent first, each once:
    /// the names a root-form read could mean.
    fn earlier_outputs(&self, site: &Site<'_>) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        for index in (0..site.at.min(self.steps.len())).rev() {
            let Some(step) = self.steps.get(index) else {
                continue;
            };
            for name in step.outputs.names() {
                if !names.contains(&name) {
                    names.push(name);
                }
            }
        }
        names
    }

    /// The step ids, in the order of the steps: suggestions among equally close names are
    /// the same from run to run.
    fn ids_in_order(&self) -> Vec<&'a str> {
        let mut ids: Vec<(&'a str, usize)> = self.ids.iter().map(|(k, v)| (*k, *v)).collect();
        ids.sort_by_key(|&(id, index)| (index, id));
        ids.into_iter().map(|(id, _)| id).collect()
    }

    /// The closest name a root-form path could start with, and whether it is the only one
    /// that close.
    fn closest_root(
        &self,
        site: &Site<'_>,
        name: &str,
        outputs: &[&str],
    ) -> Option<(String, bool)> {
        let mut candidates: Vec<&str> = CONTEXT_ROOTS.to_vec();
        candidates.extend(self.ids_in_order());
        for &s in &site.scopes {
            if let Some(scope) = self.scopes.get(s) {
                candidates.extend(scope.loop_vars.iter().copied());
            }
        }
        candidates.extend(outputs.iter().copied());
        playbook_hir::suggest::closest_suggestion(name, candidates)
            .map(|s| (s.name.to_owned(), s.only))
    }

    fn step_reference(
        &mut self,
        index: usize,
        id: &str,
        rest: &[Segment],
        site: &Site<'a>,
        shift: i64,
        id_range: TextRange,
    ) {
        self.record(id_range, Target::Step(index));
        let Some(step) = self.steps.get(index) else {
            return;
        };
        let defined = step
            .call
            .id
            .as_ref()
            .map_or(step.call.image.range, |i| i.range);
        if index >= site.at || site.own == Some(index) {
            self.out.push(forward_step_reference::diagnostic(
                id,
                id_range,
                defined,
                site.own == Some(index),
            ));
            return;
        }
        if let Some(condition) = self.unsure_condition(site, index) {
            self.out
                .push(conditional_step_output::diagnostic(id, id_range, condition));
        }
        let Some(output_segment) = rest.first() else {
            return;
        };
        let Some(output_name) = output_segment.name() else {
            return;
        };
        let Some(step) = self.steps.get(index) else {
            return;
        };
        let declared = step.outputs.declared(output_name);
        let missing = matches!(step.outputs.lookup(output_name), Lookup::Missing);
        if !missing {
            let range = source_range(site, output_segment.range, shift);
            self.record(
                range,
                Target::Output {
                    step: index,
                    name: output_name.to_owned(),
                    output: declared,
                },
            );
        }
        let Some(step) = self.steps.get(index) else {
            return;
        };
        let path = format!("{id}.{output_name}");
        let rest = &rest[1..];
        let finding = match step.outputs.lookup(output_name) {
            Lookup::Unknown | Lookup::Raw(None) => None,
            // The raw output's shape is known only from a json example.
            Lookup::Raw(Some(output))
                if output.ty.as_ref().map(|t| t.value) != Some(OutputType::Json) =>
            {
                None
            }
            Lookup::Raw(Some(output)) | Lookup::Declared(output) => {
                output_path_finding(output, rest, site, shift, &path)
            }
            Lookup::Field(value) => value_path_finding(value, rest, site, shift, &path),
            Lookup::Missing => {
                let range = source_range(site, output_segment.range, shift);
                let names = step.outputs.names();
                let image = step.call.image.value.as_str();
                let spot = segment_spot(site, output_segment, shift);
                Some(unknown_output::diagnostic(
                    id,
                    output_name,
                    image,
                    range,
                    &names,
                    |s| spot?.replace(s),
                ))
            }
        };
        self.out.extend(finding);
    }

    /// The condition under which step `index` runs that the site is not under and does not
    /// repeat, if any: the step's own `when`, or a block or loop around the step that is not
    /// around the site (a loop whose body surely runs excepted).
    fn unsure_condition(&self, site: &Site<'_>, index: usize) -> Option<TextRange> {
        let step = self.steps.get(index)?;
        if let Some(when) = step.call.when.as_deref()
            && !self.is_guarded(site, index, when, index)
        {
            return Some(when.range);
        }
        for &s in &step.scopes {
            if site.scopes.contains(&s) {
                continue;
            }
            let Some(scope) = self.scopes.get(s) else {
                continue;
            };
            if scope.sure {
                continue;
            }
            match scope.guard {
                Some(guard) if self.is_guarded(site, index, guard, scope.at) => {}
                _ => return Some(scope.condition),
            }
        }
        None
    }

    /// Whether the site repeats `condition` (evaluated after `at` steps), under which step
    /// `producer` runs: the site itself when it is a condition, the `when` of the site's
    /// step, or that of a block around the site but not around the producer, is that
    /// condition, or has it as an argument of a top-level `and`.
    fn is_guarded(&self, site: &Site<'_>, producer: usize, condition: &Text, at: usize) -> bool {
        let Some(wanted) = self.normalised_condition(condition, at) else {
            return false;
        };
        let producer_scopes = self
            .steps
            .get(producer)
            .map_or(&[][..], |s| s.scopes.as_slice());
        let own = site
            .own
            .and_then(|i| Some((self.steps.get(i)?.call.when.as_deref()?, i)));
        let enclosing = site
            .scopes
            .iter()
            .filter(|s| !producer_scopes.contains(s))
            .filter_map(|&s| {
                let scope = self.scopes.get(s)?;
                Some((scope.guard?, scope.at))
            });
        // A condition reading the producer's output guards that read itself
        // (`when: "{{ and C (gt (len $.s.items) 0) }}"` for a block).
        let itself = (site.kind == SiteKind::Condition).then_some((site.text, site.at));
        own.into_iter()
            .chain(itself)
            .chain(enclosing)
            .any(|(when, at)| {
                let template = self.template_of(when);
                conditions::sole_pipeline(&when.value, &template).is_some_and(|pipeline| {
                    let resolve = |p: &Path| self.canonical_path(p, at);
                    conditions::conjuncts(pipeline, &resolve).contains(&wanted)
                })
            })
    }

    /// The canonical form of a condition evaluated after `at` steps.
    fn normalised_condition(&self, condition: &Text, at: usize) -> Option<String> {
        let template = self.template_of(condition);
        let pipeline = conditions::sole_pipeline(&condition.value, &template)?;
        let resolve = |p: &Path| self.canonical_path(p, at);
        conditions::normalised(pipeline, &resolve)
    }

    /// A path as conditions are compared, evaluated after `at` steps: from `$`, with a
    /// root-form read written as the read of the step it resolves to (`.data` right after
    /// step `s` is `$.s.data`).
    fn canonical_path(&self, path: &Path, at: usize) -> String {
        let resolve = |p: &Path| self.canonical_path(p, at);
        let name = match path.root {
            Root::Variable(_) => None,
            Root::Dollar | Root::Dot => path.segments.first().and_then(Segment::name),
        };
        let Some(name) =
            name.filter(|n| !CONTEXT_ROOTS.contains(n) && self.ids.get(n).is_none_or(|&i| i >= at))
        else {
            return conditions::plain_path(path, &resolve);
        };
        let producer = (0..at.min(self.steps.len())).rev().find(|&i| {
            self.steps
                .get(i)
                .is_some_and(|s| !matches!(s.outputs.lookup(name), Lookup::Missing))
        });
        match producer.and_then(|i| self.steps.get(i).map(|s| (i, s))) {
            Some((i, step)) => {
                let mut out = match &step.call.id {
                    Some(id) => format!("$.{}", id.value),
                    None => format!("$.#{i}"),
                };
                conditions::print_segments(&path.segments, &resolve, &mut out);
                out
            }
            None => conditions::plain_path(path, &resolve),
        }
    }

    /// The `$.params.NAME` a template reads first, if any.
    fn first_param(&self, text: &Text) -> Option<(&'a Parameter, TextRange)> {
        let template = self.template_of(text);
        for action in template.actions() {
            let Some(pipeline) = action.pipeline() else {
                continue;
            };
            for command in &pipeline.commands {
                if let Expr::Path(path) = command
                    && !matches!(path.root, Root::Variable(_))
                    && path.segments.first().and_then(Segment::name) == Some("params")
                    && let Some(second) = path.segments.get(1)
                    && let Some(name) = second.name()
                {
                    let param = self.params.get(name)?;
                    return Some((param, text.map.range_to_source(path.range)));
                }
            }
        }
        None
    }

    /// The checks of a step call against the manifest of its image, and of its
    /// `integrationRef` and `runner` against the parameters.
    fn check_interface(&mut self, index: usize) {
        let Some(step) = self.steps.get(index) else {
            return;
        };
        let call = step.call;
        let manifest = step.manifest;
        let image = call.image.value.as_str();
        if let Some(runner) = &call.runner {
            match self.first_param(runner) {
                // An agent picked from the list (`spd`) or named (`var`).
                Some((param, _))
                    if param
                        .ty
                        .as_ref()
                        .is_none_or(|t| matches!(t.value, ParamType::Spd | ParamType::Var)) => {}
                Some((param, range)) => {
                    let what = match param.ty.as_ref().map(|t| t.value) {
                        Some(ParamType::Integration) => "an `integration` parameter",
                        _ => "a `secret` parameter",
                    };
                    self.out.push(runner_not_spd::diagnostic(range, what));
                }
                None if !runner.is_template() => {
                    self.out
                        .push(runner_not_spd::diagnostic(runner.range, "a fixed value"));
                }
                None => {}
            }
        }
        let Some(manifest) = manifest else { return };
        for env in &call.env {
            let input = manifest
                .envs
                .iter()
                .find(|i| i.name.value == env.name.value);
            let Some(input) = input else {
                let key = env.name.value.as_str();
                if key.starts_with(platform::SETTING_PREFIX) {
                    // A setting of the platform, not an input; only a near spelling of a
                    // known setting is reported.
                    if !platform::SETTINGS.contains(&key)
                        && let Some(near) = playbook_hir::suggest::likely_typo(
                            key,
                            platform::SETTINGS.iter().copied(),
                        )
                    {
                        self.out.push(unknown_platform_setting::diagnostic(
                            key,
                            near,
                            env.name.range,
                            |s| rename_key(call, key, env.name.range, s),
                        ));
                    }
                    continue;
                }
                let declared: Vec<&str> = manifest
                    .envs
                    .iter()
                    .map(|i| i.name.value.as_str())
                    .collect();
                // Another unknown key of the call near the same input: which of the two
                // was meant is for a person to say.
                let rival = |s: &str| {
                    call.env.iter().any(|e| {
                        let other = e.name.value.as_str();
                        other != key
                            && !other.starts_with(platform::SETTING_PREFIX)
                            && !declared.contains(&other)
                            && playbook_hir::suggest::closest(other, declared.iter().copied())
                                == Some(s)
                    })
                };
                self.out.push(unknown_input::diagnostic(
                    key,
                    image,
                    env.name.range,
                    declared.iter().copied(),
                    |s| {
                        let fix = rename_key(call, key, env.name.range, s)?;
                        Some(if rival(s) { fix.unsafe_() } else { fix })
                    },
                ));
                continue;
            };
            let Some(value) = &env.value else { continue };
            if value.is_template() || input.example_contradicts_type() {
                continue;
            }
            let Some(ty) = input.ty.as_ref().map(|t| t.value) else {
                continue;
            };
            if !ty.accepts_literal(&value.value) && matches!(ty, InputType::Bool | InputType::Int) {
                self.out.push(invalid_input_value::diagnostic(
                    &env.name.value,
                    ty.as_str(),
                    &value.value,
                    value.range,
                ));
            }
        }
        if !call.env_unreadable {
            let missing: Vec<&str> = manifest
                .envs
                .iter()
                .filter(|input| {
                    input.is_required()
                        && input.default.is_none()
                        && !call.env.iter().any(|e| e.name.value == input.name.value)
                })
                .map(|input| input.name.value.as_str())
                .collect();
            // One fix adds them all; each finding offers it.
            // (The file is parsed for the fix only when an input is missing.)
            let fix = if missing.is_empty() {
                None
            } else {
                self.workspace
                    .source()
                    .and_then(|(text, tree)| layout::add_inputs(text, tree, call.range, &missing))
            };
            for input in &missing {
                let mut d =
                    missing_required_input::diagnostic(input, image, call.image.range, None);
                if let Some(fix) = &fix {
                    d = d.with_fix(fix.clone());
                }
                self.out.push(d);
            }
        }
        unknown_arg::check(call, manifest, image, &mut self.out);
        if let Some(reference) = &call.integration_ref {
            match self.first_param(reference) {
                None => {
                    // An undeclared parameter is reported as such; anything else is no reference.
                    if !reference.value.contains("params.") {
                        self.out
                            .push(integration_ref_not_integration::not_a_parameter(
                                reference.range,
                            ));
                    }
                }
                Some((param, range)) => match param.ty.as_ref().map(|t| t.value) {
                    Some(ParamType::Integration) => {
                        if let Some(kind) = &param.integration_type
                            && !platform::accepts_integration(manifest, &kind.value)
                        {
                            let accepted = platform::accepted_integrations(manifest);
                            self.out.push(integration_not_accepted::diagnostic(
                                &param.name.value,
                                &kind.value,
                                image,
                                &accepted,
                                range,
                            ));
                        }
                    }
                    Some(ty) => {
                        self.out
                            .push(integration_ref_not_integration::not_integration(
                                &param.name.value,
                                ty.as_str(),
                                range,
                                param.name.range,
                            ));
                    }
                    None => {}
                },
            }
        } else if call.runner.is_none()
            && manifest
                .integrations
                .as_ref()
                .is_some_and(|i| !i.is_empty())
            && !gives_credential(call, manifest)
        {
            let accepted = platform::accepted_integrations(manifest);
            self.out.push(missing_integration::diagnostic(
                image,
                &accepted,
                call.image.range,
            ));
        }
    }

    /// PB302 for every parameter read nowhere. A parameter that an unknown read is the
    /// closest spelling of is the other side of a rename: the two findings are one, the
    /// unknown read with the declaration beside it.
    fn report_unused(&mut self, playbook: &'a Playbook) {
        for param in &playbook.parameters {
            let name = param.name.value.as_str();
            if self.used.contains(name) {
                continue;
            }
            let mut merged = false;
            for (index, read, range, declared) in &self.undefined {
                if *declared == name
                    && let Some(slot) = self.out.get_mut(*index)
                {
                    // The fix of the read (the declared name) stays the fix.
                    let fixes = std::mem::take(&mut slot.fixes);
                    *slot = undefined_parameter::renamed(read, *range, name, param.name.range);
                    slot.fixes = fixes;
                    merged = true;
                }
            }
            if !merged {
                self.out
                    .push(unused_parameter::diagnostic(name, param.name.range));
            }
        }
    }
}

/// The fix that renames `env` key `key` (at `range`) of `call` to `new`, unless the call
/// already gives `new` (the rename would make a duplicate key).
fn rename_key(call: &StepCall, key: &str, range: TextRange, new: &str) -> Option<Fix> {
    if call.env.iter().any(|e| e.name.value == new) {
        return None;
    }
    fix::rename_scalar(key, range, new)
}

/// Whether a call gives a credential itself, through an input rather than an integration:
/// a value read with `secret`, an input of type `secret`, or an input whose name or
/// description says it carries a credential (or that an integration could provide it).
fn gives_credential(call: &StepCall, manifest: &StepManifest) -> bool {
    const NAMES: &[&str] = &[
        "TOKEN",
        "PASSWORD",
        "SECRET",
        "KEY",
        "KUBECONFIG",
        "CREDENTIAL",
        "AUTH",
    ];
    const WORDS: &[&str] = &[
        "integration",
        "token",
        "password",
        "credential",
        "secret",
        "api key",
        "kubeconfig",
    ];
    call.env.iter().any(|env| {
        let input = manifest
            .envs
            .iter()
            .find(|i| i.name.value == env.name.value);
        let name = env.name.value.to_ascii_uppercase();
        let description = input
            .and_then(|i| i.description.as_ref())
            .map(|d| d.value.to_lowercase())
            .unwrap_or_default();
        env.value
            .as_ref()
            .is_some_and(|v| v.value.contains("secret"))
            || input.is_some_and(|i| i.ty.as_ref().is_some_and(|t| t.value == InputType::Secret))
            || NAMES.iter().any(|n| name.contains(n))
            || WORDS.iter().any(|w| description.contains(w))
    })
}

/// How a template uses a value, for the reads of secret parameters.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Use {
    /// Through `secret`: as its argument, or piped into it.
    Secret,
    /// As the first command of a pipeline, where `secret ` can be written before it.
    Head,
    /// As an argument, or inside an index, where `(secret ...)` can be written around it.
    Argument,
    /// Anywhere else (a piped command, a string, a path without braces).
    Elsewhere,
}

/// A read of a parameter: `range`, where findings point; `name_range`, the name itself
/// (inside the string of `index $.params "Name"`); `path_range`, the whole reference; how
/// the value is used; where the name is written in the template, for a fix, and the whole
/// expression with how `secret` would be written around it.
struct Read<'a> {
    range: TextRange,
    name_range: TextRange,
    path_range: TextRange,
    used: Use,
    spot: Option<NameAt<'a>>,
    wrap: Option<(&'a Text, TextRange, Wrap)>,
}

/// The decoded range, in the site's text, of a range `shift` bytes off; `None` when it falls
/// outside the text.
fn decoded_range(site: &Site<'_>, range: TextRange, shift: i64) -> Option<TextRange> {
    let len = i64::try_from(site.text.value.len()).ok()?;
    let adjust = |offset: u32| {
        let at = i64::from(offset) + shift;
        (0..=len).contains(&at).then_some(at as u32)
    };
    Some(TextRange::new(adjust(range.start())?, adjust(range.end())?))
}

/// Where a name of a template is, for a fix that replaces it.
fn name_at<'a>(
    site: &Site<'a>,
    range: TextRange,
    shift: i64,
    written: Written,
) -> Option<NameAt<'a>> {
    let written = match written {
        Written::Field | Written::Quoted(_) if shift != 0 || site.kind == SiteKind::BarePath => {
            Written::Bare
        }
        other => other,
    };
    Some(NameAt {
        text: site.text,
        range: decoded_range(site, range, shift)?,
        written,
    })
}

/// Where the name of a path segment is, for a fix that replaces it.
fn segment_spot<'a>(site: &Site<'a>, segment: &Segment, shift: i64) -> Option<NameAt<'a>> {
    let written = match &segment.kind {
        SegmentKind::Field(_) => Written::Field,
        SegmentKind::Quoted { quote, .. } => Written::Quoted(quote.as_char()),
        _ => return None,
    };
    name_at(site, segment.range, shift, written)
}

/// Where the content of a string literal is, for a fix that replaces it.
fn literal_spot<'a>(site: &Site<'a>, literal: &Literal, shift: i64) -> Option<NameAt<'a>> {
    let quote = match literal.kind {
        LiteralKind::String(_) => '"',
        LiteralKind::RawString(_) => '`',
        _ => return None,
    };
    if literal.range.len() < 2 || shift != 0 {
        return None;
    }
    let inner = TextRange::new(literal.range.start() + 1, literal.range.end() - 1);
    name_at(site, inner, shift, Written::StringContent(quote))
}

/// The source range of a range in the site's decoded text, `shift` bytes off (for
/// templates synthesised around a bare path).
fn source_range(site: &Site<'_>, range: TextRange, shift: i64) -> TextRange {
    let adjust =
        |offset: u32| (i64::from(offset) + shift).clamp(0, site.text.value.len() as i64) as u32;
    site.text
        .map
        .range_to_source(TextRange::new(adjust(range.start()), adjust(range.end())))
}

/// The finding, if any, for a path (`rest`, after `path`) into a declared output: a field of
/// a scalar output (unless its example contradicts its type), or a field of a json output
/// that its example judges.
fn output_path_finding(
    output: &Output,
    rest: &[Segment],
    site: &Site<'_>,
    shift: i64,
    path: &str,
) -> Option<Diagnostic> {
    let first = rest.first()?;
    match output.ty.as_ref()?.value {
        ty @ (OutputType::String | OutputType::Int | OutputType::Bool) => {
            if type_contradicted(output) {
                return None;
            }
            let range = source_range(site, first.range, shift);
            Some(output_field_on_scalar::diagnostic(
                &output.name.value,
                ty.as_str(),
                range,
            ))
        }
        OutputType::Json => {
            let value = output.example_json.as_ref()?;
            value_path_finding(value, rest, site, shift, path)
        }
    }
}

/// The finding, if any, for a path (`rest`, after `path`) into the value of an example. An
/// example is a sample: a field it lacks is reported only when it is a near spelling of one
/// it has.
fn value_path_finding(
    value: &Value,
    rest: &[Segment],
    site: &Site<'_>,
    shift: i64,
    path: &str,
) -> Option<Diagnostic> {
    let mut path = path.to_owned();
    let mut current = value;
    for segment in rest {
        match &segment.kind {
            SegmentKind::Field(name) | SegmentKind::Quoted { name, .. } => match current {
                Value::Object(map) => match map.get(name) {
                    Some(next) => {
                        current = next;
                        path.push('.');
                        path.push_str(name);
                    }
                    None => {
                        let keys = map.keys().map(String::as_str);
                        let near = playbook_hir::suggest::likely_typo(name, keys)?;
                        let range = source_range(site, segment.range, shift);
                        let fix = segment_spot(site, segment, shift).and_then(|s| s.replace(near));
                        return Some(unknown_output_field::diagnostic(
                            name, &path, range, near, fix,
                        ));
                    }
                },
                Value::Array(_) | Value::Null => return None,
                other => {
                    let range = source_range(site, segment.range, shift);
                    return Some(unknown_output_field::not_an_object(
                        name,
                        &path,
                        json_shape::describe(other),
                        range,
                    ));
                }
            },
            SegmentKind::Index(_) | SegmentKind::Wildcard | SegmentKind::AllSlice => {
                match current {
                    Value::Array(items) => {
                        current = items.first()?;
                        path.push_str("[]");
                    }
                    _ => return None,
                }
            }
            SegmentKind::Slice(..) => {
                if !current.is_array() {
                    return None;
                }
            }
        }
    }
    None
}

/// Whether a number literal is zero (`0`, `-0.0`, `0x0`, `0e5`), which is false as a
/// condition.
fn is_zero(number: &str) -> bool {
    let n = number.trim_start_matches(['-', '+']);
    let digits = match n.strip_prefix("0x").or_else(|| n.strip_prefix("0X")) {
        Some(hex) => hex,
        None => n.split(['e', 'E']).next().unwrap_or(n),
    };
    digits
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .all(|c| c == '0')
}

/// The path `$.a.b-c.d` for the text `a.b-c.d` of a loop's `in`, with each segment's range
/// in the text; `None` when the text is not a plain dotted path.
fn bare_path(text: &str) -> Option<Path> {
    let trimmed_start = text.len() - text.trim_start().len();
    let trimmed = text.trim();
    if trimmed.is_empty()
        || trimmed.contains(|c: char| c.is_whitespace() || "{}()|\"'`".contains(c))
    {
        return None;
    }
    let mut segments = Vec::new();
    let mut offset = trimmed_start;
    for part in trimmed.split('.') {
        if part.is_empty() {
            return None;
        }
        let range = TextRange::at(offset as u32, part.len() as u32);
        segments.push(Segment {
            kind: SegmentKind::Field(part.to_owned()),
            range,
        });
        offset += part.len() + 1;
    }
    let range = TextRange::at(trimmed_start as u32, trimmed.len() as u32);
    Some(Path {
        root: Root::Dollar,
        root_range: TextRange::empty(range.start()),
        segments,
        range,
    })
}

/// The type of an expression, where it is known without resolving paths.
fn type_of(expr: &Expr) -> Option<Ty> {
    match expr {
        Expr::Literal(literal) => Some(match &literal.kind {
            LiteralKind::String(_) | LiteralKind::RawString(_) | LiteralKind::Char(_) => Ty::String,
            LiteralKind::Number(n) => {
                let hex = n.trim_start_matches('-').starts_with("0x")
                    || n.trim_start_matches('-').starts_with("0X");
                if !hex && (n.contains('.') || n.contains(['e', 'E'])) {
                    Ty::Number
                } else {
                    Ty::Int
                }
            }
            LiteralKind::Bool(_) => Ty::Bool,
            LiteralKind::Nil => Ty::Any,
        }),
        Expr::Call(call) => functions::lookup(&call.name).map(|f| f.returns),
        Expr::Paren(paren) if paren.segments.is_empty() => {
            paren.pipeline.commands.last().and_then(type_of)
        }
        _ => None,
    }
}
