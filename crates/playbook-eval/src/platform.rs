//! The platform's own functions: `secret NAME` (rendered as `<secret:NAME>`: a secret is
//! never read), `get "$.path"` (a path of the run's data), and `ieq` / `ine`
//! (case-insensitive equal / not equal of two strings).
//!
//! They are modelled as the typed Go functions a Go platform would register
//! (`func(name string) string`, `func(a, b string) bool`): an argument that is not a string
//! (a number, a missing value) is refused with Go's conversion error, as the differential
//! test's Go program does.

use crate::Value;
use crate::functions::{Context, Function, Param};
use crate::sprig::strval;

/// The platform's functions.
pub(crate) static FUNCTIONS: &[Function] = &[
    Function {
        name: "get",
        params: &[Param::String],
        variadic: Some(Param::Any),
        body: get,
    },
    Function {
        name: "ieq",
        params: &[Param::String, Param::String],
        variadic: None,
        body: ieq,
    },
    Function {
        name: "ine",
        params: &[Param::String, Param::String],
        variadic: None,
        body: ine,
    },
    Function {
        name: "secret",
        params: &[Param::String],
        variadic: None,
        body: secret,
    },
];

/// `secret NAME`: the placeholder `<secret:NAME>`.
fn secret(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let name = args.first().map(strval).unwrap_or_default();
    Ok(Value::string(format!("<secret:{name}>")))
}

/// One step of a path.
#[derive(Debug, PartialEq)]
enum Segment {
    Key(String),
    Index(usize),
}

/// The steps of a path `$.a.'b-c'[0].d` (the leading `$` and `.` are optional), or why it
/// is not one.
fn parse_path(path: &str) -> Result<Vec<Segment>, String> {
    let path = path.trim();
    let mut rest = path.strip_prefix('$').unwrap_or(path);
    let mut segments = Vec::new();
    let bad = || format!("invalid path {path:?}");
    let mut first = true;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('[') {
            let end = after.find(']').ok_or_else(bad)?;
            let index = after[..end].trim().parse().map_err(|_| bad())?;
            segments.push(Segment::Index(index));
            rest = &after[end + 1..];
        } else {
            let after = match rest.strip_prefix('.') {
                Some(after) => after,
                None if first => rest,
                None => return Err(bad()),
            };
            if let Some(quoted) = after.strip_prefix('\'') {
                let end = quoted.find('\'').ok_or_else(bad)?;
                segments.push(Segment::Key(quoted[..end].to_owned()));
                rest = &quoted[end + 1..];
            } else if let Some(quoted) = after.strip_prefix('"') {
                let end = quoted.find('"').ok_or_else(bad)?;
                segments.push(Segment::Key(quoted[..end].to_owned()));
                rest = &quoted[end + 1..];
            } else {
                let end = after.find(['.', '[']).unwrap_or(after.len());
                if end > 0 {
                    segments.push(Segment::Key(after[..end].to_owned()));
                } else if !after.is_empty() {
                    return Err(bad());
                }
                rest = &after[end..];
            }
        }
        first = false;
    }
    Ok(segments)
}

/// `get PATH`: the value at PATH of the run's data, Missing when there is none.
fn get(context: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let path = match args.first() {
        Some(Value::String(s)) => s,
        _ => "",
    };
    read_path(context.root, path)
}

/// The value at `path` (`$.a.b`, `.a.b`, `a.b`, `$.'x-y'.z`, `a[0]`) under `root`, as `get`
/// reads it: `Missing` when some part of it is absent.
pub(crate) fn read_path(root: &Value, path: &str) -> Result<Value, String> {
    let mut current = root;
    for segment in parse_path(path)? {
        let next = match (current, &segment) {
            (Value::Map(entries), Segment::Key(key)) => entries.get(key),
            (Value::List(items), Segment::Index(i)) => items.get(*i),
            _ => None,
        };
        match next {
            Some(value) => current = value,
            None => return Ok(Value::Missing),
        }
    }
    Ok(current.clone())
}

/// Go's `strings.EqualFold`, approximately: characters equal after simple case folding.
fn equal_fold(a: &str, b: &str) -> bool {
    let fold = |c: char| {
        let upper = crate::sprig::go_to_upper(c);
        crate::sprig::go_to_lower(upper)
    };
    a.chars().count() == b.chars().count()
        && a.chars()
            .zip(b.chars())
            .all(|(x, y)| x == y || fold(x) == fold(y))
}

fn text(value: &Value) -> String {
    strval(value)
}

/// `ieq A B`: whether the two strings are equal, ignoring case.
fn ieq(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let (a, b) = (
        args.first().unwrap_or(&Value::Nil),
        args.get(1).unwrap_or(&Value::Nil),
    );
    Ok(Value::Bool(equal_fold(&text(a), &text(b))))
}

/// `ine A B`: the negation of `ieq`.
fn ine(context: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let equal = matches!(ieq(context, args)?, Value::Bool(true));
    Ok(Value::Bool(!equal))
}

#[cfg(test)]
mod tests {
    use super::{Segment, parse_path};

    #[test]
    fn paths_parse_with_quotes_and_indexes() {
        let key = |k: &str| Segment::Key(k.to_owned());
        assert_eq!(parse_path("$.a.b").ok(), Some(vec![key("a"), key("b")]));
        assert_eq!(parse_path(".a").ok(), Some(vec![key("a")]));
        assert_eq!(parse_path("a.b").ok(), Some(vec![key("a"), key("b")]));
        assert_eq!(
            parse_path("$.'x-y'.z[0]").ok(),
            Some(vec![key("x-y"), key("z"), Segment::Index(0)])
        );
        assert_eq!(parse_path("$").ok(), Some(vec![]));
        assert!(parse_path("$.a[x]").is_err());
        assert!(parse_path("$.'open").is_err());
    }
}
