//! sprig's regular-expression functions on Go's RE2 syntax, run with the `regex` crate.
//!
//! Go's `\d`, `\w`, `\s` and `\b` are ASCII-only where the `regex` crate's are Unicode, so
//! patterns are rewritten to their ASCII forms first. The plain forms panic on a bad pattern
//! (`regexp: Compile(...)`), `regexMatch` answers false, the `must` forms return the error;
//! the error's detail is the `regex` crate's, not Go's.

use super::convert::{go_quote, int_arg, str_arg, string_list};
use crate::Value;
use crate::functions::Context;

/// The pattern with Go's ASCII-only classes and word boundaries made explicit.
fn translate(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut chars = pattern.chars();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(next) = chars.next() else {
                    out.push('\\');
                    break;
                };
                match next {
                    'd' => out.push_str("[0-9]"),
                    'D' => out.push_str("[^0-9]"),
                    'w' => out.push_str("[0-9A-Za-z_]"),
                    'W' => out.push_str("[^0-9A-Za-z_]"),
                    's' => out.push_str("[\\t\\n\\f\\r ]"),
                    'S' => out.push_str("[^\\t\\n\\f\\r ]"),
                    'b' if !in_class => out.push_str("(?-u:\\b)"),
                    'B' if !in_class => out.push_str("(?-u:\\B)"),
                    other => {
                        out.push('\\');
                        out.push(other);
                    }
                }
            }
            '[' if !in_class => {
                in_class = true;
                out.push('[');
                // A `]` or `^]` right after the opening bracket is literal.
                let rest = chars.as_str();
                if let Some(after) = rest.strip_prefix("^]") {
                    out.push_str("^\\]");
                    chars = after.chars();
                } else if let Some(after) = rest.strip_prefix(']') {
                    out.push_str("\\]");
                    chars = after.chars();
                }
            }
            '[' if chars.as_str().starts_with(':') => {
                // A POSIX class `[:alpha:]` inside a class.
                out.push('[');
                if let Some(end) = chars.as_str().find(":]") {
                    out.push_str(&chars.as_str()[..end + 2]);
                    chars = chars.as_str()[end + 2..].chars();
                }
            }
            '[' => out.push_str("\\["),
            ']' if in_class => {
                in_class = false;
                out.push(']');
            }
            other => out.push(other),
        }
    }
    out
}

/// The compiled pattern, or the error: Go's text for the commonest mistakes, else the
/// `regex` crate's description.
fn compile(pattern: &str) -> Result<regex::Regex, String> {
    regex::Regex::new(&translate(pattern)).map_err(|error| {
        let detail = error.to_string();
        let last = detail.lines().last().unwrap_or_default().trim();
        let last = last.strip_prefix("error: ").unwrap_or(last);
        let go = match last {
            "unclosed group" => format!("missing closing ): `{pattern}`"),
            "unclosed character class" => {
                let from = pattern.rfind('[').unwrap_or(0);
                format!("missing closing ]: `{}`", &pattern[from..])
            }
            "repetition operator missing expression" => {
                let operator = pattern
                    .chars()
                    .find(|c| matches!(c, '*' | '+' | '?'))
                    .unwrap_or('*');
                format!("missing argument to repetition operator: `{operator}`")
            }
            other => other.to_owned(),
        };
        format!("error parsing regexp: {go}")
    })
}

/// Go's `quote` in `regexp.MustCompile`'s panic: backquoted when possible.
fn must_quote(pattern: &str) -> String {
    let backquotable = pattern
        .chars()
        .all(|c| c != '`' && c != '\u{FEFF}' && (c == '\t' || !c.is_control()));
    if backquotable {
        format!("`{pattern}`")
    } else {
        go_quote(pattern)
    }
}

/// `regexp.MustCompile`: the panic text on a bad pattern.
fn must_compile(pattern: &str) -> Result<regex::Regex, String> {
    compile(pattern).map_err(|error| format!("regexp: Compile({}): {error}", must_quote(pattern)))
}

pub(crate) fn regex_match(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let matched = compile(str_arg(args, 0)).is_ok_and(|re| re.is_match(str_arg(args, 1)));
    Ok(Value::Bool(matched))
}

pub(crate) fn must_regex_match(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    Ok(Value::Bool(
        compile(str_arg(args, 0))?.is_match(str_arg(args, 1)),
    ))
}

/// Go's `FindAllString(s, n)`: at most n matches (all for n < 0).
fn find_all(re: &regex::Regex, s: &str, n: i64) -> Value {
    let limit = usize::try_from(n).unwrap_or(usize::MAX);
    string_list(re.find_iter(s).take(limit).map(|m| m.as_str().to_owned()))
}

pub(crate) fn regex_find_all(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let re = must_compile(str_arg(args, 0))?;
    Ok(find_all(&re, str_arg(args, 1), int_arg(args, 2)))
}

pub(crate) fn must_regex_find_all(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let re = compile(str_arg(args, 0))?;
    Ok(find_all(&re, str_arg(args, 1), int_arg(args, 2)))
}

fn find(re: &regex::Regex, s: &str) -> Value {
    Value::string(re.find(s).map_or("", |m| m.as_str()))
}

pub(crate) fn regex_find(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    Ok(find(&must_compile(str_arg(args, 0))?, str_arg(args, 1)))
}

pub(crate) fn must_regex_find(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    Ok(find(&compile(str_arg(args, 0))?, str_arg(args, 1)))
}

/// Go's `ReplaceAllString`: `$1`, `${name}` expanded (the `regex` crate's syntax is Go's).
fn replace_all(re: &regex::Regex, s: &str, replacement: &str, literal: bool) -> Value {
    let out = if literal {
        re.replace_all(s, regex::NoExpand(replacement))
    } else {
        re.replace_all(s, replacement)
    };
    Value::string(out.into_owned())
}

pub(crate) fn regex_replace_all(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let re = must_compile(str_arg(args, 0))?;
    Ok(replace_all(&re, str_arg(args, 1), str_arg(args, 2), false))
}

pub(crate) fn must_regex_replace_all(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let re = compile(str_arg(args, 0))?;
    Ok(replace_all(&re, str_arg(args, 1), str_arg(args, 2), false))
}

pub(crate) fn regex_replace_all_literal(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let re = must_compile(str_arg(args, 0))?;
    Ok(replace_all(&re, str_arg(args, 1), str_arg(args, 2), true))
}

pub(crate) fn must_regex_replace_all_literal(
    _: &Context<'_>,
    args: &[Value],
) -> Result<Value, String> {
    let re = compile(str_arg(args, 0))?;
    Ok(replace_all(&re, str_arg(args, 1), str_arg(args, 2), true))
}

/// Go's `Regexp.Split(s, n)`.
fn split(re: &regex::Regex, pattern: &str, s: &str, n: i64) -> Value {
    if n == 0 {
        return string_list(Vec::new());
    }
    if !pattern.is_empty() && s.is_empty() {
        return string_list(vec![String::new()]);
    }
    let limit = usize::try_from(n).unwrap_or(usize::MAX);
    let mut parts = Vec::new();
    let (mut begin, mut end) = (0, 0);
    for m in re.find_iter(s).take(limit) {
        if n > 0 && parts.len() as i64 == n - 1 {
            break;
        }
        end = m.start();
        if m.end() != 0 {
            parts.push(s[begin..end].to_owned());
        }
        begin = m.end();
    }
    if end != s.len() {
        parts.push(s[begin..].to_owned());
    }
    string_list(parts)
}

pub(crate) fn regex_split(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let pattern = str_arg(args, 0);
    let re = must_compile(pattern)?;
    Ok(split(&re, pattern, str_arg(args, 1), int_arg(args, 2)))
}

pub(crate) fn must_regex_split(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let pattern = str_arg(args, 0);
    let re = compile(pattern)?;
    Ok(split(&re, pattern, str_arg(args, 1), int_arg(args, 2)))
}

/// Go's `regexp.QuoteMeta`.
pub(crate) fn regex_quote_meta(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let mut out = String::new();
    for c in str_arg(args, 0).chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    Ok(Value::string(out))
}
