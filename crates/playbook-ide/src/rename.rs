//! Rename a parameter or a step id: its declaration and every read, in every scalar style,
//! in `get "$.params.x"` strings and in trigger files.
//!
//! The places to edit are the occurrences [`crate::references`] finds; each says how the
//! name is written there ([`Form`]), and the new name is written the same way: a template
//! path segment stays a segment (quoted, `$.'redis-ip'`, when the name is not an
//! identifier), a template string or a bare path gets the name as is, a declaration or a
//! trigger key is a YAML scalar (quoted when the name would not read back as the same
//! string). Whatever is written is then escaped for the YAML scalar it lands in (`''` in a
//! single-quoted scalar, `\"` in a double-quoted one).
//!
//! A new name is refused, with a message, when it is not a name (empty, whitespace, a
//! character other than letters, digits, `_` and `-`) or when it would change what some
//! read means: it is another parameter's or step's, a read of it exists already, or it is
//! a root of the run's context.

use playbook_check::analysis::{SiteKind, Target};
use playbook_db::File;
use playbook_db::queries::lower;
use playbook_diagnostics::{Edit, LineIndex, TextRange, TextSize};
use playbook_syntax::ast::ScalarStyle;
use playbook_template::{Expr, LiteralKind, Root, SegmentKind};

use crate::SourceChange;
use crate::context;
use crate::references::{self, Form, Referent, Role, SymbolAt};
use playbook_syntax::yaml_text;

/// What prepareRename answers: the range of the name and its current text.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct RenameTarget {
    pub range: TextRange,
    pub placeholder: String,
}

/// Whether the name at `offset` can be renamed; `Err` says why not.
pub fn prepare_rename(
    db: &dyn salsa::Database,
    file: File,
    offset: TextSize,
) -> Result<RenameTarget, String> {
    let at = renamable_at(db, file, offset)?;
    let placeholder = match &at.symbol {
        Referent::Param { name, .. } => name.clone(),
        Referent::Step { id, .. } => id.clone(),
        _ => return Err(ONLY.to_owned()),
    };
    Ok(RenameTarget {
        range: at.name,
        placeholder,
    })
}

/// The edits renaming the name at `offset` to `new_name`; `Err` with a message when the new
/// name is not valid or clashes.
pub fn rename(
    db: &dyn salsa::Database,
    file: File,
    offset: TextSize,
    new_name: &str,
) -> Result<SourceChange, String> {
    let at = renamable_at(db, file, offset)?;
    let (old, what) = match &at.symbol {
        Referent::Param { name, .. } => (name.as_str(), "parameter name"),
        Referent::Step { id, .. } => (id.as_str(), "step id"),
        _ => return Err(ONLY.to_owned()),
    };
    validate(new_name, what, matches!(at.symbol, Referent::Step { .. }))?;
    if new_name == old {
        return Ok(SourceChange::default());
    }
    check_clashes(db, &at.symbol, new_name)?;
    let occurrences = references::occurrences(db, &at.symbol, None);
    let mut change = SourceChange::default();
    for occurrence in &occurrences {
        if occurrence.role == Role::Write {
            check_trigger_key(db, occurrence.file, occurrence.range, new_name)?;
        }
        let text = written(occurrence.form, new_name).ok_or_else(|| {
            format!("`{old}` is written as a block scalar here: write it on one line to rename it")
        })?;
        change.insert(
            occurrence.file.path(db),
            Edit {
                range: occurrence.range,
                text,
            },
        );
    }
    for edits in change.edits.values() {
        if edits
            .windows(2)
            .any(|w| matches!(w, [a, b] if a.range.end() > b.range.start()))
        {
            return Err(format!(
                "cannot rename `{old}`: two of its occurrences overlap"
            ));
        }
    }
    Ok(change)
}

/// The refusal for a name that is not a parameter or a step id.
const ONLY: &str = "only parameters and step ids can be renamed";

/// The parameter or step id at `offset`, or why there is none.
fn renamable_at(
    db: &dyn salsa::Database,
    file: File,
    offset: TextSize,
) -> Result<SymbolAt, String> {
    let at = references::symbol_at(db, file, offset)
        .ok_or_else(|| "there is no parameter or step id here to rename".to_owned())?;
    match &at.symbol {
        Referent::Param { .. } | Referent::Step { .. } => Ok(at),
        Referent::UndeclaredParam { name, .. } => Err(format!(
            "parameter `{name}` is not declared: declare it before renaming it"
        )),
        Referent::Output { name, .. } => Err(format!(
            "{ONLY}: output `{name}` is named by the step's manifest"
        )),
        Referent::Input { name, .. } => Err(format!(
            "{ONLY}: input `{name}` is named by the step's manifest"
        )),
        Referent::Image { .. } => Err(format!("{ONLY}, not an image")),
        Referent::LoopVar { name, .. } => Err(format!("{ONLY}, not loop variable `{name}`")),
    }
}

/// Whether `new` can be a parameter name (letters, digits, `_` and `-`) or a step id (the
/// same, ASCII only: the platform's rule, PB206).
fn validate(new: &str, what: &str, step: bool) -> Result<(), String> {
    if new.is_empty() {
        return Err(format!("the new {what} is empty"));
    }
    let shown = new.escape_debug();
    if new.chars().any(char::is_whitespace) {
        return Err(format!(
            "`{shown}` is not a valid {what}: it contains whitespace"
        ));
    }
    let allowed = |c: char| {
        c == '_'
            || c == '-'
            || if step {
                c.is_ascii_alphanumeric()
            } else {
                c.is_alphanumeric()
            }
    };
    if let Some(bad) = new.chars().find(|c| !allowed(*c)) {
        let letters = if step { "ASCII letters" } else { "letters" };
        return Err(format!(
            "`{shown}` is not a valid {what}: `{}` is not allowed; use {letters}, digits, `_` and `-`",
            bad.escape_debug()
        ));
    }
    Ok(())
}

/// Refuses a new name that is already another parameter's or step's, or that some read of
/// the playbook already names: after the rename, that read would mean something else.
fn check_clashes(db: &dyn salsa::Database, symbol: &Referent, new: &str) -> Result<(), String> {
    match symbol {
        Referent::Param {
            file,
            playbook,
            parameter,
            ..
        } => references::with_playbook(db, *file, *playbook, |playbook, analysis, _| {
            let text = file.text(db);
            if let Some(other) = playbook
                .parameters
                .iter()
                .find(|p| p.range != *parameter && p.name.value == new)
            {
                return Err(format!(
                    "a parameter named `{new}` already exists (line {})",
                    line(text, other.name.range.start())
                ));
            }
            if let Some(read) = analysis
                .references
                .iter()
                .find(|r| matches!(&r.target, Target::UndeclaredParam(n) if n == new))
            {
                return Err(format!(
                    "`$.params.{new}` is read at line {} but not declared: renaming to `{new}` \
                     would make it read this parameter",
                    line(text, read.range.start())
                ));
            }
            Ok(())
        })
        .unwrap_or(Ok(())),
        Referent::Step {
            file,
            playbook,
            call,
            ..
        } => references::with_playbook(db, *file, *playbook, |_, analysis, _| {
            let text = file.text(db);
            if let Some(other) = analysis
                .steps
                .iter()
                .filter(|s| s.call.range != *call)
                .filter_map(|s| s.call.id.as_ref())
                .find(|id| id.value == new)
            {
                return Err(format!(
                    "step id `{new}` is already used by another step (line {})",
                    line(text, other.range.start())
                ));
            }
            if ["params", "event", "metadata", "execution", "output"].contains(&new) {
                return Err(format!(
                    "`$.{new}` is a root of the run's context: a step with id `{new}` could not be read"
                ));
            }
            if analysis
                .scopes
                .iter()
                .any(|s| s.loop_vars.iter().any(|(n, _)| *n == new))
            {
                return Err(format!(
                    "`{new}` is a loop variable of this playbook: a step with that id would be hidden by it"
                ));
            }
            for site in &analysis.sites {
                if let Some(at) = root_read(db, *file, site, new) {
                    return Err(format!(
                        "`$.{new}` is already read at line {}: a step with id `{new}` would change what it reads",
                        line(text, at)
                    ));
                }
            }
            Ok(())
        })
        .unwrap_or(Ok(())),
        _ => Ok(()),
    }
}

/// Where a template (or bare path) of `site` reads `$.<name>` (or `.<name>`, or
/// `get "$.<name>"`), as a source offset.
fn root_read(
    db: &dyn salsa::Database,
    file: File,
    site: &playbook_check::analysis::SiteFacts<'_>,
    name: &str,
) -> Option<TextSize> {
    let text = site.text;
    let first = |path: &str| path.trim().split('.').next().map(str::to_owned);
    if site.kind == SiteKind::BarePath {
        return (first(&text.value).as_deref() == Some(name)).then_some(text.range.start());
    }
    if !text.is_template() {
        return None;
    }
    let (template, _) = context::template_at(db, file, text, text.range.start());
    for (_, expr) in template.exprs() {
        let found = match expr {
            Expr::Path(path) if matches!(path.root, Root::Dollar | Root::Dot) => {
                match path.segments.first().map(|s| &s.kind) {
                    Some(SegmentKind::Field(n) | SegmentKind::Quoted { name: n, .. }) => {
                        (n == name).then_some(path.range)
                    }
                    _ => None,
                }
            }
            Expr::Call(call) if call.name == "get" => match call.args.first() {
                Some(Expr::Literal(literal)) => match &literal.kind {
                    LiteralKind::String(s) | LiteralKind::RawString(s) => s
                        .strip_prefix("$.")
                        .and_then(first)
                        .filter(|n| n == name)
                        .map(|_| literal.range),
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        };
        if let Some(range) = found {
            return Some(context::source_range(text, range).start());
        }
    }
    None
}

/// Refuses to rename a trigger's scenario key to a key the scenario already has.
fn check_trigger_key(
    db: &dyn salsa::Database,
    file: File,
    key: TextRange,
    new: &str,
) -> Result<(), String> {
    let clash = lower(db, file)
        .file
        .triggers()
        .flat_map(|t| t.scenarios.iter())
        .filter(|s| s.parameters.iter().any(|(k, _)| k.range == key))
        .flat_map(|s| s.parameters.iter())
        .find(|(k, _)| k.value == new);
    if let Some((other, _)) = clash {
        return Err(format!(
            "a scenario of {} already sets `{new}` (line {})",
            file.path(db),
            line(file.text(db), other.range.start())
        ));
    }
    Ok(())
}

/// The 1-based line of `offset`.
fn line(text: &str, offset: TextSize) -> u32 {
    LineIndex::new(text).line_col(offset).line + 1
}

/// The text replacing an occurrence written in `form`; `None` for a block scalar.
fn written(form: Form, name: &str) -> Option<String> {
    Some(match form {
        Form::Scalar(style) => yaml_scalar(name, style?),
        Form::Segment { style, quote } => {
            let segment = if is_template_word(name) {
                name.to_owned()
            } else {
                let q = quote.unwrap_or('\'');
                format!("{q}{}{q}", escape_go(name, q))
            };
            in_scalar(&segment, style)
        }
        Form::Raw { style, quote } => {
            let raw = match quote {
                Some(q @ '"') => escape_go(name, q),
                _ => name.to_owned(),
            };
            in_scalar(&raw, style)
        }
    })
}

/// Whether the template language reads `name` after a `.` as one field name: a letter or
/// `_`, then letters, digits and `_` (the lexer's words).
fn is_template_word(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c == '_' || c.is_alphabetic())
        && chars.all(|c| c == '_' || c.is_alphanumeric())
}

/// `name` inside a template string or quoted segment delimited by `quote`.
fn escape_go(name: &str, quote: char) -> String {
    if quote == '`' {
        return name.to_owned();
    }
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c == quote || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Template text as written inside a YAML scalar of `style`.
fn in_scalar(text: &str, style: ScalarStyle) -> String {
    match style {
        ScalarStyle::SingleQuoted => text.replace('\'', "''"),
        ScalarStyle::DoubleQuoted => yaml_text::escape_double(text),
        ScalarStyle::Plain | ScalarStyle::Literal | ScalarStyle::Folded => text.to_owned(),
    }
}

/// `name` as a whole YAML scalar, in the style it had: a plain scalar only where it reads
/// back as the same string (not `true`, `null`, `123` or `-x`), single-quoted otherwise.
fn yaml_scalar(name: &str, style: ScalarStyle) -> String {
    match style {
        ScalarStyle::DoubleQuoted => yaml_text::double_quoted(name),
        ScalarStyle::Plain if yaml_text::is_plain_name(name) => name.to_owned(),
        _ => format!("'{}'", name.replace('\'', "''")),
    }
}
