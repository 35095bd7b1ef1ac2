//! Conditions (`when` of steps and blocks, `if`/`with` inside templates) as the checks
//! compare and judge them.
//!
//! - [`normalised`] and [`conjuncts`] print a condition in a canonical form, so that two
//!   conditions written differently but meaning the same are found equal: spacing is
//!   ignored (the form is printed from the parsed tree), and paths are printed by the
//!   caller's resolver, which turns the root form into the step it reads (`.data` right
//!   after step `s` is `$.s.data`). A read guarded by the condition of the step it reads
//!   from is safe (rule 8 of the checker's semantics).
//! - [`constant`] finds a condition that is a literal, whose branch always (or never) runs.

use std::fmt::Write as _;

use playbook_template::{Expr, LiteralKind, Path, Pipeline, Root, SegmentKind, Template};

/// How deeply a condition is printed; deeper ones are not compared.
const MAX_DEPTH: usize = 32;

/// The one pipeline of a condition written as a single action (`{{ ... }}`, with nothing
/// but white space around it), which is how `when` is written.
pub(crate) fn sole_pipeline<'t>(text: &str, template: &'t Template) -> Option<&'t Pipeline> {
    let mut actions = template.actions();
    let action = actions.next()?;
    if actions.next().is_some() || !template.errors().is_empty() {
        return None;
    }
    let outside = text
        .get(..action.range.start() as usize)
        .into_iter()
        .chain(text.get(action.range.end() as usize..));
    if outside.flat_map(str::chars).any(|c| !c.is_whitespace()) {
        return None;
    }
    match &action.kind {
        playbook_template::ActionKind::Output(pipeline) => Some(pipeline),
        _ => None,
    }
}

/// The canonical form of a whole condition, with paths printed by `path`.
pub(crate) fn normalised(pipeline: &Pipeline, path: &dyn Fn(&Path) -> String) -> Option<String> {
    let mut out = String::new();
    print_pipeline(pipeline, path, &mut out, 0)?;
    Some(out)
}

/// The canonical forms of the parts of a condition that must all hold for it to hold: the
/// whole, and each argument of a top-level `and`.
pub(crate) fn conjuncts(pipeline: &Pipeline, path: &dyn Fn(&Path) -> String) -> Vec<String> {
    let mut out: Vec<String> = normalised(pipeline, path).into_iter().collect();
    if let [Expr::Call(call)] = pipeline.commands.as_slice()
        && call.name == "and"
        && pipeline.declaration.is_none()
    {
        for arg in &call.args {
            let mut form = String::new();
            if print_expr(unparen(arg), path, &mut form, 0).is_some() {
                out.push(form);
            }
        }
    }
    out
}

/// `(x)` is `x`.
fn unparen(expr: &Expr) -> &Expr {
    let mut expr = expr;
    for _ in 0..MAX_DEPTH {
        match expr {
            Expr::Paren(paren)
                if paren.segments.is_empty()
                    && paren.pipeline.declaration.is_none()
                    && paren.pipeline.commands.len() == 1 =>
            {
                match paren.pipeline.commands.first() {
                    Some(inner) => expr = inner,
                    None => break,
                }
            }
            _ => break,
        }
    }
    expr
}

fn print_pipeline(
    pipeline: &Pipeline,
    path: &dyn Fn(&Path) -> String,
    out: &mut String,
    depth: usize,
) -> Option<()> {
    if depth > MAX_DEPTH || pipeline.declaration.is_some() || pipeline.commands.is_empty() {
        return None;
    }
    for (i, command) in pipeline.commands.iter().enumerate() {
        if i > 0 {
            out.push_str(" | ");
        }
        print_expr(unparen(command), path, out, depth + 1)?;
    }
    Some(())
}

fn print_expr(
    expr: &Expr,
    path: &dyn Fn(&Path) -> String,
    out: &mut String,
    depth: usize,
) -> Option<()> {
    if depth > MAX_DEPTH {
        return None;
    }
    match expr {
        Expr::Path(p) => out.push_str(&path(p)),
        Expr::Literal(literal) => {
            let _ = write!(out, "{literal}");
        }
        Expr::Call(call) => {
            out.push('(');
            out.push_str(&call.name);
            for arg in &call.args {
                out.push(' ');
                print_expr(unparen(arg), path, out, depth + 1)?;
            }
            out.push(')');
        }
        Expr::Paren(paren) => {
            out.push('(');
            print_pipeline(&paren.pipeline, path, out, depth + 1)?;
            out.push(')');
            for segment in &paren.segments {
                print_segment(&segment.kind, path, out, depth + 1)?;
            }
        }
        Expr::Error(_) => return None,
    }
    Some(())
}

/// Prints a path whose root and first segments the caller has already printed: the rest of
/// its segments.
pub(crate) fn print_segments(
    segments: &[playbook_template::Segment],
    path: &dyn Fn(&Path) -> String,
    out: &mut String,
) {
    for segment in segments {
        if print_segment(&segment.kind, path, out, 0).is_none() {
            out.push_str("[?]");
        }
    }
}

fn print_segment(
    kind: &SegmentKind,
    path: &dyn Fn(&Path) -> String,
    out: &mut String,
    depth: usize,
) -> Option<()> {
    match kind {
        SegmentKind::Field(name) | SegmentKind::Quoted { name, .. } => {
            out.push('.');
            out.push_str(name);
        }
        SegmentKind::Index(e) => {
            out.push('[');
            print_expr(unparen(e), path, out, depth + 1)?;
            out.push(']');
        }
        SegmentKind::Slice(lo, hi) => {
            out.push('[');
            if let Some(lo) = lo {
                print_expr(unparen(lo), path, out, depth + 1)?;
            }
            out.push(':');
            if let Some(hi) = hi {
                print_expr(unparen(hi), path, out, depth + 1)?;
            }
            out.push(']');
        }
        SegmentKind::Wildcard => out.push_str(".*"),
        SegmentKind::AllSlice => out.push_str("[:]"),
    }
    Some(())
}

/// A path printed as written, `$` and `.` alike (the root, when `.` is not rebound).
pub(crate) fn plain_path(p: &Path, resolve: &dyn Fn(&Path) -> String) -> String {
    let mut out = match &p.root {
        Root::Dollar | Root::Dot => String::from("$"),
        Root::Variable(name) => format!("${name}"),
    };
    print_segments(&p.segments, resolve, &mut out);
    out
}

/// A condition that is a constant: the literal a condition's pipeline consists of, if it is
/// one (`"high"`, `3`, `true`).
pub(crate) fn constant(pipeline: &Pipeline) -> Option<&playbook_template::Literal> {
    if pipeline.declaration.is_some() {
        return None;
    }
    match pipeline.commands.as_slice() {
        [command] => match unparen(command) {
            Expr::Literal(literal) if !matches!(literal.kind, LiteralKind::Nil) => Some(literal),
            _ => None,
        },
        _ => None,
    }
}

/// What a condition renders to when that is certain without data: a literal `true`/`false`
/// or string, or `not`, `and` and `or` over such values (Go's `and`/`or` return their
/// deciding argument and stop early, so `and false .x` is `false` whatever `.x` is).
/// Numbers, characters and `nil` are left out: how the platform reads `0` or an empty text
/// is not certain.
pub(crate) fn constant_text(pipeline: &Pipeline) -> Option<String> {
    if pipeline.declaration.is_some() {
        return None;
    }
    match pipeline.commands.as_slice() {
        [command] => match fold(command, 0)? {
            Const::Bool(b) => Some(b.to_string()),
            Const::Text(s) => Some(s.to_owned()),
        },
        _ => None,
    }
}

/// A value known without data.
#[derive(Clone, Copy)]
enum Const<'t> {
    Bool(bool),
    Text(&'t str),
}

impl Const<'_> {
    /// Go's truth of the value.
    fn truth(self) -> bool {
        match self {
            Const::Bool(b) => b,
            Const::Text(s) => !s.is_empty(),
        }
    }
}

fn fold(expr: &Expr, depth: usize) -> Option<Const<'_>> {
    if depth > MAX_DEPTH {
        return None;
    }
    match unparen(expr) {
        Expr::Literal(literal) => match &literal.kind {
            LiteralKind::Bool(b) => Some(Const::Bool(*b)),
            LiteralKind::String(s) | LiteralKind::RawString(s) => Some(Const::Text(s)),
            _ => None,
        },
        Expr::Call(call) => match (call.name.as_str(), call.args.as_slice()) {
            ("not", [arg]) => Some(Const::Bool(!fold(arg, depth + 1)?.truth())),
            ("and" | "or", [first, rest @ ..]) => {
                // The first argument that decides, else the last one.
                let decides = |c: Const<'_>| c.truth() == (call.name == "or");
                let mut value = fold(first, depth + 1)?;
                for arg in rest {
                    if decides(value) {
                        return Some(value);
                    }
                    value = fold(arg, depth + 1)?;
                }
                Some(value)
            }
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forms(text: &str) -> Vec<String> {
        let template = playbook_template::parse(text);
        let Some(pipeline) = sole_pipeline(text, &template) else {
            return Vec::new();
        };
        let resolve = |p: &Path| plain_path(p, &|q: &Path| plain_path(q, &|_| String::new()));
        conjuncts(pipeline, &resolve)
    }

    #[test]
    fn spacing_parentheses_and_roots_do_not_matter() {
        assert_eq!(
            forms(r#"{{ eq $.params.env   "prod" }}"#),
            forms(r#" {{eq (.params.env) "prod"}} "#)
        );
        assert_eq!(
            forms(r#"{{ and (gt (len $.pods.items) 0) (eq $.params.x "a") }}"#),
            [
                r#"(and (gt (len $.pods.items) (number 0)) (eq $.params.x (string "a")))"#,
                "(gt (len $.pods.items) (number 0))",
                r#"(eq $.params.x (string "a"))"#,
            ]
        );
    }

    #[test]
    fn only_a_sole_action_is_a_condition() {
        assert!(forms("{{ .a }} and {{ .b }}").is_empty());
        assert!(forms("x {{ .a }}").is_empty());
        assert!(forms("{{ .a } }}").is_empty());
    }

    #[test]
    fn constant_texts() {
        let text_of = |text: &str| {
            let template = playbook_template::parse(text);
            sole_pipeline(text, &template).and_then(constant_text)
        };
        assert_eq!(text_of("{{ false }}").as_deref(), Some("false"));
        assert_eq!(text_of(r#"{{ "false" }}"#).as_deref(), Some("false"));
        assert_eq!(text_of("{{ not true }}").as_deref(), Some("false"));
        assert_eq!(
            text_of("{{ and true (not true) }}").as_deref(),
            Some("false")
        );
        // `and` stops at its first false argument, whatever follows.
        assert_eq!(text_of("{{ and false .x }}").as_deref(), Some("false"));
        assert_eq!(text_of(r#"{{ or false "yes" }}"#).as_deref(), Some("yes"));
        assert_eq!(text_of("{{ or .x true }}"), None);
        assert_eq!(text_of("{{ 0 }}"), None);
        assert_eq!(text_of("{{ nil }}"), None);
        assert_eq!(text_of("{{ $x := false }}"), None);
        assert_eq!(text_of("{{ false }} {{ false }}"), None);
    }

    #[test]
    fn constants() {
        let constant_of = |text: &str| {
            let template = playbook_template::parse(text);
            sole_pipeline(text, &template)
                .and_then(constant)
                .map(|l| l.to_string())
        };
        assert_eq!(
            constant_of(r#"{{ "high" }}"#).as_deref(),
            Some(r#"(string "high")"#)
        );
        assert_eq!(constant_of("{{ (true) }}").as_deref(), Some("(bool true)"));
        assert_eq!(constant_of("{{ 0 }}").as_deref(), Some("(number 0)"));
        assert_eq!(constant_of("{{ .x }}"), None);
        assert_eq!(constant_of("{{ nil }}"), None);
    }
}
