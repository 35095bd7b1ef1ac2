//! sprig's path functions on slash-separated paths (Go's `path` package): `base`, `dir`,
//! `clean`, `ext`, `isAbs`.

use super::convert::str_arg;
use crate::Value;
use crate::functions::Context;

/// Go's `path.Clean`.
pub(crate) fn clean_path(path: &str) -> String {
    if path.is_empty() {
        return ".".to_owned();
    }
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_owned(),
        (false, false) => joined,
    }
}

pub(crate) fn base(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let path = str_arg(args, 0);
    if path.is_empty() {
        return Ok(Value::string("."));
    }
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return Ok(Value::string("/"));
    }
    let last = trimmed.rsplit('/').next().unwrap_or(trimmed);
    Ok(Value::string(last))
}

pub(crate) fn dir(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let path = str_arg(args, 0);
    let head = match path.rfind('/') {
        Some(at) => &path[..=at],
        None => "",
    };
    Ok(Value::string(clean_path(head)))
}

pub(crate) fn clean(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    Ok(Value::string(clean_path(str_arg(args, 0))))
}

pub(crate) fn ext(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let path = str_arg(args, 0);
    for (at, c) in path.char_indices().rev() {
        match c {
            '/' => break,
            '.' => return Ok(Value::string(&path[at..])),
            _ => {}
        }
    }
    Ok(Value::string(""))
}

pub(crate) fn is_abs(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    Ok(Value::Bool(str_arg(args, 0).starts_with('/')))
}
