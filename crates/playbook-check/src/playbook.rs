//! The checks of one playbook: every reference in its templates (parameters, secrets, steps,
//! outputs, loop variables), every function call, and every step call against the manifest
//! of its image.
//!
//! Two passes. The first flattens the steps in execution order, noting for each the blocks
//! and loops around it, and collects every template with where it is evaluated (a
//! [`Site`]). The second parses each template and resolves what it reads: a step's output
//! exists only if the step ran before the site (else a forward reference) and, when the step
//! sits under a condition the site is not under, it may not have run.

use foldhash::{HashMap, HashMapExt as _, HashSet, HashSetExt as _};

use playbook_diagnostics::{Diagnostic, TextRange};
use playbook_hir::ir::{
    InputType, LoopSource, OutputType, ParamType, Parameter, Playbook, Step, StepCall,
    StepManifest, Text,
};
use playbook_template::functions::{self, Ty};
use playbook_template::{Call, Expr, LiteralKind, Path, Pipeline, Root, Segment, SegmentKind};
use serde_json::Value;

use crate::Workspace;
use crate::checks::*;
use crate::json_shape;

/// Checks one playbook against the workspace.
pub fn check_playbook(playbook: &Playbook, workspace: &dyn Workspace) -> Vec<Diagnostic> {
    let mut checker = Checker {
        workspace,
        params: playbook
            .parameters
            .iter()
            .map(|p| (p.name.value.as_str(), p))
            .collect(),
        steps: Vec::new(),
        ids: HashMap::new(),
        scopes: Vec::new(),
        used: HashSet::new(),
        out: Vec::new(),
    };
    let mut sites = Vec::new();
    for param in &playbook.parameters {
        if let Some(default) = &param.default {
            sites.push(Site {
                text: default,
                at: 0,
                own: None,
                scopes: Vec::new(),
                default: true,
                bare_path: false,
            });
        }
    }
    checker.collect(&playbook.steps, &mut Vec::new(), &mut sites, 0);
    for site in &sites {
        checker.visit_site(site);
    }
    for index in 0..checker.steps.len() {
        checker.check_interface(index);
    }
    for param in &playbook.parameters {
        if !checker.used.contains(param.name.value.as_str()) {
            checker.out.push(unused_parameter::diagnostic(
                &param.name.value,
                param.name.range,
            ));
        }
    }
    let mut out = checker.out;
    out.sort_by_key(|d| (d.range.start(), d.range.end(), d.code.id));
    out.dedup();
    out
}

/// A step call, in execution order.
struct StepInfo<'a> {
    call: &'a StepCall,
    /// The blocks and loops around the step, outermost first (indexes into `scopes`).
    scopes: Vec<usize>,
    manifest: Option<&'a StepManifest>,
}

/// A conditional block or a loop.
struct Scope<'a> {
    /// What to point at when explaining that a step under this scope may not have run.
    condition: TextRange,
    /// The names of the loop's variables (empty for a block).
    loop_vars: Vec<&'a str>,
}

/// A template and where it is evaluated.
struct Site<'a> {
    text: &'a Text,
    /// Steps `0..at` (in execution order) have run when the template is evaluated.
    at: usize,
    /// The step the template belongs to (its `env`, `when`, ...), if any.
    own: Option<usize>,
    /// The blocks and loops around the site.
    scopes: Vec<usize>,
    /// A parameter default, which may only read `event` and `metadata`.
    default: bool,
    /// A loop's `in` written as a bare path (`pods.items`) rather than a template.
    bare_path: bool,
}

struct Checker<'a> {
    workspace: &'a dyn Workspace,
    params: HashMap<&'a str, &'a Parameter>,
    steps: Vec<StepInfo<'a>>,
    ids: HashMap<&'a str, usize>,
    scopes: Vec<Scope<'a>>,
    used: HashSet<&'a str>,
    out: Vec<Diagnostic>,
}

/// Steps nested deeper than this are not checked (lowering already refuses deeper nesting).
const MAX_DEPTH: usize = 64;
/// Template expressions nested deeper than this are not visited.
const MAX_EXPR_DEPTH: usize = 128;

/// The name a segment reads, for `.name` and `.'name'`.
fn segment_name(segment: &Segment) -> Option<&str> {
    match &segment.kind {
        SegmentKind::Field(name) => Some(name),
        SegmentKind::Quoted { name, .. } => Some(name),
        _ => None,
    }
}

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
                    self.steps.push(StepInfo {
                        call,
                        scopes: scopes.clone(),
                        manifest: crate::interface::call_interface(
                            self.workspace,
                            call,
                            &mut self.out,
                        ),
                    });
                    if let Some(id) = &call.id {
                        self.ids.entry(id.value.as_str()).or_insert(index);
                    }
                    let texts = call
                        .when
                        .as_deref()
                        .into_iter()
                        .chain(call.env.iter().filter_map(|e| e.value.as_ref()))
                        .chain(call.runner.iter())
                        .chain(call.integration_ref.as_deref())
                        .chain(call.args.iter());
                    for text in texts {
                        sites.push(Site {
                            text,
                            at: index,
                            own: Some(index),
                            scopes: scopes.clone(),
                            default: false,
                            bare_path: false,
                        });
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
                            default: false,
                            bare_path: false,
                        });
                    }
                    let condition = block.when.as_ref().map_or(block.range, |w| w.range);
                    self.scopes.push(Scope {
                        condition,
                        loop_vars: Vec::new(),
                    });
                    scopes.push(self.scopes.len() - 1);
                    self.collect(&block.steps, scopes, sites, depth + 1);
                    scopes.pop();
                }
                Step::Loop(lp) => {
                    let at = self.steps.len();
                    if let Some(LoopSource::Text(source)) = &lp.source {
                        let bare_path = !source.is_template();
                        sites.push(Site {
                            text: source,
                            at,
                            own: None,
                            scopes: scopes.clone(),
                            default: false,
                            bare_path,
                        });
                    }
                    let key = lp.key.as_ref().map_or("key", |k| k.value.as_str());
                    let value = lp.value.as_ref().map_or("value", |v| v.value.as_str());
                    let condition = lp.source.as_ref().map_or(lp.range, |s| match s {
                        LoopSource::Text(t) => t.range,
                        LoopSource::Range { from, to } => from.range.cover(to.range),
                    });
                    self.scopes.push(Scope {
                        condition,
                        loop_vars: vec![key, value],
                    });
                    scopes.push(self.scopes.len() - 1);
                    for text in lp.when.iter().chain(lp.break_when.iter()) {
                        sites.push(Site {
                            text,
                            at,
                            own: None,
                            scopes: scopes.clone(),
                            default: false,
                            bare_path: false,
                        });
                    }
                    self.collect(&lp.steps, scopes, sites, depth + 1);
                    scopes.pop();
                }
            }
        }
    }

    fn visit_site(&mut self, site: &Site<'a>) {
        if site.bare_path {
            // `in: pods.items` is the path `$.pods.items` written without braces; its
            // segments may hold dashes (`redis-info.items`), so it is split here rather
            // than parsed as a template.
            if let Some(path) = bare_path(&site.text.value) {
                self.resolve_path(&path, site, false, 0, false);
            }
            return;
        }
        if !site.text.is_template() {
            return;
        }
        let parsed;
        let template = match self.workspace.template(site.text) {
            Some(template) => template,
            None => {
                parsed = playbook_template::parse(&site.text.value);
                &parsed
            }
        };
        for action in template.actions() {
            if let Some(pipeline) = action.pipeline() {
                self.visit_pipeline(pipeline, site, action.dot_rebound, 0, false, 0);
            }
        }
    }

    /// The source range of a range in the site's decoded text, `shift` bytes off (for
    /// templates synthesised around a bare path).
    fn source_range(&self, site: &Site<'_>, range: TextRange, shift: i64) -> TextRange {
        let adjust =
            |offset: u32| (i64::from(offset) + shift).clamp(0, site.text.value.len() as i64) as u32;
        site.text
            .map
            .range_to_source(TextRange::new(adjust(range.start()), adjust(range.end())))
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
            self.visit_expr(command, site, rebound, shift, piped, into_secret, depth + 1);
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
        in_secret: bool,
        depth: usize,
    ) {
        if depth > MAX_EXPR_DEPTH {
            return;
        }
        match expr {
            Expr::Path(path) => {
                self.visit_segments(&path.segments, site, rebound, shift, depth);
                self.resolve_path(path, site, rebound, shift, in_secret);
            }
            Expr::Call(call) => {
                self.visit_call(call, site, rebound, shift, piped, in_secret, depth)
            }
            Expr::Paren(paren) => {
                // `secret (index $.params "Token")`: the parenthesized value itself, not a
                // field of it, goes into `secret`.
                let in_secret = in_secret && paren.segments.is_empty();
                self.visit_pipeline(&paren.pipeline, site, rebound, shift, in_secret, depth + 1);
                self.visit_segments(&paren.segments, site, rebound, shift, depth);
            }
            Expr::Error(error) => {
                for part in &error.parts {
                    self.visit_expr(part, site, rebound, shift, false, false, depth + 1);
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
                    self.visit_expr(e, site, rebound, shift, false, false, depth + 1)
                }
                SegmentKind::Slice(lo, hi) => {
                    for e in lo.iter().chain(hi.iter()) {
                        self.visit_expr(e, site, rebound, shift, false, false, depth + 1);
                    }
                }
                _ => {}
            }
        }
    }

    /// Visits a call; `in_secret`: its value is the argument of `secret`.
    #[allow(clippy::too_many_arguments)]
    fn visit_call(
        &mut self,
        call: &Call,
        site: &Site<'a>,
        rebound: bool,
        shift: i64,
        piped: bool,
        in_secret: bool,
        depth: usize,
    ) {
        match functions::lookup(&call.name) {
            None => {
                let range = self.source_range(site, call.name_range, shift);
                self.out
                    .push(unknown_function::diagnostic(&call.name, range));
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
            self.resolve_path(&path, site, false, shift + offset, false);
        }
        // `index $.params "Port"` reads parameter `Port`, as `$.params.Port` does (outside
        // a default, where reading `$.params` at all is already reported).
        if call.name == "index"
            && !site.default
            && let [Expr::Path(target), Expr::Literal(literal), ..] = call.args.as_slice()
            && matches!(target.root, Root::Dollar)
            && let [only] = target.segments.as_slice()
            && segment_name(only) == Some("params")
            && let LiteralKind::String(name) | LiteralKind::RawString(name) = &literal.kind
        {
            let range = self.source_range(site, literal.range, shift);
            let whole = self.source_range(site, call.range, shift);
            self.read_param(name, range, whole, in_secret);
        }
        let is_secret = call.name == "secret";
        if is_secret
            && let Some(Expr::Literal(literal)) = call.args.first()
            && let LiteralKind::String(name) | LiteralKind::RawString(name) = &literal.kind
            && let Some(known) = self.workspace.known_secrets()
            && !known.iter().any(|k| k == name)
        {
            let range = self.source_range(site, literal.range, shift);
            self.out
                .push(unknown_secret::diagnostic(name, range, known));
        }
        for arg in &call.args {
            let in_secret = is_secret && matches!(arg, Expr::Path(_) | Expr::Paren(_));
            self.visit_expr(arg, site, rebound, shift, false, in_secret, depth + 1);
        }
    }

    fn resolve_path(
        &mut self,
        path: &Path,
        site: &Site<'a>,
        rebound: bool,
        shift: i64,
        in_secret: bool,
    ) {
        match path.root {
            Root::Variable(_) => return,
            Root::Dot if rebound => return,
            _ => {}
        }
        let Some(first) = path.segments.first() else {
            return;
        };
        let Some(name) = segment_name(first) else {
            return;
        };
        let name_range = self.source_range(site, first.range, shift);
        if site.default {
            if !matches!(name, "event" | "metadata") {
                self.out
                    .push(default_reads_context::diagnostic(name, name_range));
            }
            // The parameter a default reads is not also unused: PB305 says what to fix.
            if name == "params"
                && let Some(param_name) = path.segments.get(1).and_then(segment_name)
                && let Some((&key, _)) = self.params.get_key_value(param_name)
            {
                self.used.insert(key);
            }
            return;
        }
        match name {
            "params" => {
                let Some(second) = path.segments.get(1) else {
                    return;
                };
                let Some(param_name) = segment_name(second) else {
                    return;
                };
                let range = self.source_range(site, second.range, shift);
                let path_range = self.source_range(site, path.range, shift);
                self.read_param(param_name, range, path_range, in_secret);
            }
            "event" | "metadata" | "execution" => {}
            _ => {
                if let Some(&index) = self.ids.get(name) {
                    self.step_reference(index, name, &path.segments[1..], site, shift, name_range);
                } else if !self.previous_step_has(site, name, &path.segments[1..], shift)
                    && !self.is_loop_var(site, name)
                {
                    let suggestion = self.closest_root(site, name);
                    self.out.push(unknown_reference::diagnostic(
                        name,
                        name_range,
                        suggestion.as_deref(),
                    ));
                }
            }
        }
    }

    /// A read of parameter `param_name` (at `range`; `path_range` covers the whole
    /// reference): it must be declared, counts as a use, and a secret parameter must be read
    /// through `secret` (and only a secret one); `in_secret`: it is.
    fn read_param(
        &mut self,
        param_name: &str,
        range: TextRange,
        path_range: TextRange,
        in_secret: bool,
    ) {
        let Some((&key, &param)) = self.params.get_key_value(param_name) else {
            let declared: Vec<&str> = self.params.keys().copied().collect();
            self.out
                .push(undefined_parameter::diagnostic(param_name, range, declared));
            return;
        };
        self.used.insert(key);
        match param.ty.as_ref().map(|t| t.value) {
            Some(ParamType::Secret) if !in_secret => {
                self.out.push(secret_parameter_without_secret::diagnostic(
                    param_name, path_range,
                ));
            }
            Some(ty) if in_secret && ty != ParamType::Secret => {
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

    /// Whether `name` is the raw output (`output`) or a declared output of the step just
    /// before the site (the bare root form, `.data`), checking the rest of the path against
    /// it. A previous step without a known interface accepts any name.
    fn previous_step_has(
        &mut self,
        site: &Site<'a>,
        name: &str,
        rest: &[Segment],
        shift: i64,
    ) -> bool {
        let Some(previous) = site.at.checked_sub(1).and_then(|i| self.steps.get(i)) else {
            return false;
        };
        if name == "output" {
            return true;
        }
        // A previous step whose interface is unknown (no manifest, or no declared outputs)
        // may have any output.
        let Some(manifest) = previous.manifest else {
            return true;
        };
        if manifest.outputs.is_empty() {
            return true;
        }
        match manifest.outputs.iter().find(|o| o.name.value == name) {
            Some(output) => {
                self.check_output_path(output, rest, site, shift, name.to_owned());
                true
            }
            None => false,
        }
    }

    fn closest_root(&self, site: &Site<'_>, name: &str) -> Option<String> {
        let mut candidates: Vec<&str> = vec!["params", "event", "metadata", "execution"];
        candidates.extend(self.ids.keys().copied());
        for &s in &site.scopes {
            if let Some(scope) = self.scopes.get(s) {
                candidates.extend(scope.loop_vars.iter().copied());
            }
        }
        if let Some(manifest) = site
            .at
            .checked_sub(1)
            .and_then(|i| self.steps.get(i))
            .and_then(|s| s.manifest)
        {
            candidates.extend(manifest.outputs.iter().map(|o| o.name.value.as_str()));
        }
        playbook_hir::suggest::closest(name, candidates).map(str::to_owned)
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
        let Some(output_name) = segment_name(output_segment) else {
            return;
        };
        if output_name == "output" {
            return;
        }
        let Some(manifest) = step.manifest else {
            return;
        };
        if manifest.outputs.is_empty() {
            return;
        }
        match manifest
            .outputs
            .iter()
            .find(|o| o.name.value == output_name)
        {
            None => {
                let range = self.source_range(site, output_segment.range, shift);
                let declared: Vec<&str> = manifest
                    .outputs
                    .iter()
                    .map(|o| o.name.value.as_str())
                    .collect();
                let image = step.call.image.value.clone();
                self.out.push(unknown_output::diagnostic(
                    id,
                    output_name,
                    &image,
                    range,
                    declared,
                ));
            }
            Some(output) => self.check_output_path(
                output,
                &rest[1..],
                site,
                shift,
                format!("{id}.{output_name}"),
            ),
        }
    }

    /// The condition under which step `index` runs that the site is not under, if any: the
    /// step's own `when`, or a block or loop around the step that is not around the site.
    fn unsure_condition(&self, site: &Site<'_>, index: usize) -> Option<TextRange> {
        let step = self.steps.get(index)?;
        if let Some(when) = &step.call.when {
            return Some(when.range);
        }
        step.scopes
            .iter()
            .find(|s| !site.scopes.contains(s))
            .and_then(|&s| self.scopes.get(s))
            .map(|scope| scope.condition)
    }

    fn check_output_path(
        &mut self,
        output: &playbook_hir::ir::Output,
        rest: &[Segment],
        site: &Site<'a>,
        shift: i64,
        mut path: String,
    ) {
        let Some(first) = rest.first() else { return };
        match output.ty.as_ref().map(|t| t.value) {
            Some(ty @ (OutputType::String | OutputType::Int | OutputType::Bool)) => {
                let ty = match ty {
                    OutputType::String => "string",
                    OutputType::Int => "int",
                    _ => "bool",
                };
                let range = self.source_range(site, first.range, shift);
                self.out.push(output_field_on_scalar::diagnostic(
                    &output.name.value,
                    ty,
                    range,
                ));
                return;
            }
            Some(OutputType::Json) => {}
            None => return,
        }
        let Some(value) = output
            .example
            .as_ref()
            .and_then(|e| json_shape::parse_example(&e.value))
        else {
            return;
        };
        let mut current = &value;
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
                            let range = self.source_range(site, segment.range, shift);
                            let keys: Vec<&str> = map.keys().map(String::as_str).collect();
                            self.out
                                .push(unknown_output_field::diagnostic(name, &path, range, keys));
                            return;
                        }
                    },
                    Value::Array(_) | Value::Null => return,
                    other => {
                        let range = self.source_range(site, segment.range, shift);
                        self.out.push(unknown_output_field::not_an_object(
                            name,
                            &path,
                            json_shape::describe(other),
                            range,
                        ));
                        return;
                    }
                },
                SegmentKind::Index(_) | SegmentKind::Wildcard | SegmentKind::AllSlice => {
                    match current {
                        Value::Array(items) => match items.first() {
                            Some(first) => {
                                current = first;
                                path.push_str("[]");
                            }
                            None => return,
                        },
                        _ => return,
                    }
                }
                SegmentKind::Slice(..) => {
                    if !current.is_array() {
                        return;
                    }
                }
            }
        }
    }

    /// The `$.params.NAME` a template reads first, if any.
    fn first_param(&self, text: &Text) -> Option<(&'a Parameter, TextRange)> {
        let parsed;
        let template = match self.workspace.template(text) {
            Some(template) => template,
            None => {
                parsed = playbook_template::parse(&text.value);
                &parsed
            }
        };
        for action in template.actions() {
            let Some(pipeline) = action.pipeline() else {
                continue;
            };
            for command in &pipeline.commands {
                if let Expr::Path(path) = command
                    && !matches!(path.root, Root::Variable(_))
                    && path.segments.first().and_then(segment_name) == Some("params")
                    && let Some(second) = path.segments.get(1)
                    && let Some(name) = segment_name(second)
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
                Some((param, _))
                    if param.ty.as_ref().is_some_and(|t| t.value == ParamType::Spd) => {}
                Some((param, range)) => {
                    let ty = param.ty.as_ref().map_or("untyped", |t| t.value.as_str());
                    self.out.push(runner_not_spd::diagnostic(
                        range,
                        &format!("a `{ty}` parameter"),
                    ));
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
                let declared: Vec<&str> = manifest
                    .envs
                    .iter()
                    .map(|i| i.name.value.as_str())
                    .collect();
                self.out.push(unknown_input::diagnostic(
                    &env.name.value,
                    image,
                    env.name.range,
                    declared,
                ));
                continue;
            };
            let Some(value) = &env.value else { continue };
            if value.is_template() {
                continue;
            }
            match input.ty.as_ref().map(|t| t.value) {
                Some(InputType::Bool)
                    if !matches!(value.value.to_ascii_lowercase().as_str(), "true" | "false") =>
                {
                    self.out.push(invalid_input_value::diagnostic(
                        &env.name.value,
                        "bool",
                        &value.value,
                        value.range,
                    ));
                }
                Some(InputType::Int) if value.value.trim().parse::<i64>().is_err() => {
                    self.out.push(invalid_input_value::diagnostic(
                        &env.name.value,
                        "int",
                        &value.value,
                        value.range,
                    ));
                }
                _ => {}
            }
        }
        for input in &manifest.envs {
            if input.is_required()
                && input.default.is_none()
                && !call.env.iter().any(|e| e.name.value == input.name.value)
            {
                self.out.push(missing_required_input::diagnostic(
                    &input.name.value,
                    image,
                    call.image.range,
                    None,
                ));
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
                            && !manifest.integrations.iter().any(|i| i.value == kind.value)
                        {
                            let accepted: Vec<String> = manifest
                                .integrations
                                .iter()
                                .map(|i| i.value.clone())
                                .collect();
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
        }
    }
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
