//! sprig's list functions: `list`, `append`, `prepend`, `first`, `rest`, `last`, `initial`,
//! `reverse`, `compact`, `uniq`, `without`, `has`, `slice`, `concat`, `chunk`, `sortAlpha`,
//! `until`, `untilStep`, `seq`, and their `must` forms.
//!
//! The plain forms panic where the `must` forms return an error; the template reports both
//! the same way, so each pair shares a body. A nil list makes Go dereference nil.

use super::convert::{arg, empty, f64_to_i64, int_arg, is_nil, kind_name, list, strslice, strval};
use crate::Value;
use crate::functions::Context;

/// The most elements `until`, `untilStep` and `seq` may build (Go has no limit).
const MAX_ELEMENTS: i64 = 1 << 22;

pub(crate) const NIL_DEREFERENCE: &str =
    "runtime error: invalid memory address or nil pointer dereference";

/// The list argument `i`, or the error sprig gives for another kind (`Cannot WHAT on type
/// KIND`).
fn list_arg<'a>(args: &'a [Value], i: usize, what: &str) -> Result<&'a [Value], String> {
    match arg(args, i) {
        Value::List(items) => Ok(items),
        v if is_nil(v) => Err(NIL_DEREFERENCE.to_owned()),
        // `chunk` says "Cannot chunk type", the others "Cannot push on type".
        v if what == "chunk" => Err(format!("Cannot chunk type {}", kind_name(v))),
        v => Err(format!("Cannot {what} on type {}", kind_name(v))),
    }
}

pub(crate) fn list_fn(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    Ok(list(args.to_vec()))
}

pub(crate) fn push(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let mut items = list_arg(args, 0, "push")?.to_vec();
    items.push(arg(args, 1).clone());
    Ok(list(items))
}

pub(crate) fn prepend(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let items = list_arg(args, 0, "prepend")?;
    let mut out = Vec::with_capacity(items.len() + 1);
    out.push(arg(args, 1).clone());
    out.extend_from_slice(items);
    Ok(list(out))
}

pub(crate) fn first(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let items = list_arg(args, 0, "find first")?;
    Ok(items.first().cloned().unwrap_or(Value::Nil))
}

pub(crate) fn last(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let items = list_arg(args, 0, "find last")?;
    Ok(items.last().cloned().unwrap_or(Value::Nil))
}

/// `rest`: all but the first (Go returns a nil list for an empty one; here an empty list).
pub(crate) fn rest(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let items = list_arg(args, 0, "find rest")?;
    Ok(list(items.get(1..).unwrap_or_default().to_vec()))
}

pub(crate) fn initial(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let items = list_arg(args, 0, "find initial")?;
    let end = items.len().saturating_sub(1);
    Ok(list(items[..end].to_vec()))
}

pub(crate) fn reverse(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let items = list_arg(args, 0, "find reverse")?;
    Ok(list(items.iter().rev().cloned().collect()))
}

pub(crate) fn compact(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let items = list_arg(args, 0, "compact")?;
    Ok(list(items.iter().filter(|v| !empty(v)).cloned().collect()))
}

fn contains(haystack: &[Value], needle: &Value) -> bool {
    haystack
        .iter()
        .any(|item| super::convert::deep_equal(item, needle))
}

pub(crate) fn uniq(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let items = list_arg(args, 0, "find uniq")?;
    let mut out: Vec<Value> = Vec::new();
    for item in items {
        if !contains(&out, item) {
            out.push(item.clone());
        }
    }
    Ok(list(out))
}

pub(crate) fn without(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let items = list_arg(args, 0, "find without")?;
    let omit = args.get(1..).unwrap_or_default();
    Ok(list(
        items
            .iter()
            .filter(|item| !contains(omit, item))
            .cloned()
            .collect(),
    ))
}

/// `has NEEDLE LIST`: false for a nil list.
pub(crate) fn has(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    if is_nil(arg(args, 1)) {
        return Ok(Value::Bool(false));
    }
    let items = list_arg(args, 1, "find has")?;
    Ok(Value::Bool(contains(items, arg(args, 0))))
}

/// sprig's `slice LIST [START [END]]` (Go's builtin `slice` is found first by this crate's
/// lookup).
pub(crate) fn slice(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let items = match arg(args, 0) {
        Value::List(items) => items,
        v if is_nil(v) => return Err(NIL_DEREFERENCE.to_owned()),
        v => {
            return Err(format!(
                "list should be type of slice or array but {}",
                kind_name(v)
            ));
        }
    };
    if items.is_empty() {
        return Ok(Value::Nil);
    }
    let len = items.len() as i64;
    let start = if args.len() > 1 {
        super::convert::to_int64(&args[1])
    } else {
        0
    };
    let end = if args.len() > 2 {
        super::convert::to_int64(&args[2])
    } else {
        len
    };
    if start < 0 || start > end || end > len {
        return Err("reflect.Value.Slice: slice index out of bounds".to_owned());
    }
    Ok(list(items[start as usize..end as usize].to_vec()))
}

/// `concat LISTS...`.
pub(crate) fn concat(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let mut out = Vec::new();
    for value in args {
        match value {
            Value::List(items) => out.extend_from_slice(items),
            v if is_nil(v) => return Err(NIL_DEREFERENCE.to_owned()),
            v => return Err(format!("Cannot concat type {} as list", kind_name(v))),
        }
    }
    Ok(list(out))
}

/// `chunk SIZE LIST`: lists of SIZE elements (the last may be shorter).
pub(crate) fn chunk(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let size = int_arg(args, 0);
    let items = list_arg(args, 1, "chunk")?;
    let len = items.len() as i64;
    let count = f64_to_i64(((len - 1) as f64 / size as f64).floor() + 1.0);
    if count < 0 || count > len.max(1) {
        return Err("runtime error: makeslice: len out of range".to_owned());
    }
    let mut out = Vec::with_capacity(count as usize);
    for i in 0..count {
        let mut chunk_len = size;
        if i == count - 1 {
            chunk_len = ((len as f64) % (size as f64)).floor() as i64;
            if chunk_len == 0 {
                chunk_len = size;
            }
        }
        if chunk_len < 0 {
            return Err("runtime error: makeslice: len out of range".to_owned());
        }
        let mut part = Vec::with_capacity(chunk_len as usize);
        for j in 0..chunk_len {
            let index = i * size + j;
            match usize::try_from(index).ok().and_then(|ix| items.get(ix)) {
                Some(item) => part.push(item.clone()),
                None => {
                    return Err("reflect: slice index out of range".to_owned());
                }
            }
        }
        out.push(list(part));
    }
    Ok(list(out))
}

/// `sortAlpha LIST`: the elements' text, sorted; a non-list gives a list of its text.
pub(crate) fn sort_alpha(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let value = arg(args, 0);
    let mut texts = match value {
        Value::List(_) => strslice(value),
        other => vec![strval(other)],
    };
    texts.sort();
    Ok(super::convert::string_list(texts))
}

/// sprig's `untilStep`.
fn until_step(start: i64, stop: i64, step: i64) -> Result<Vec<i64>, String> {
    let mut out = Vec::new();
    if stop < start {
        if step >= 0 {
            return Ok(out);
        }
        let mut i = start;
        while i > stop {
            out.push(i);
            if out.len() as i64 > MAX_ELEMENTS {
                return Err(too_many());
            }
            i = match i.checked_add(step) {
                Some(next) => next,
                None => break,
            };
        }
        return Ok(out);
    }
    if step <= 0 {
        return Ok(out);
    }
    let mut i = start;
    while i < stop {
        out.push(i);
        if out.len() as i64 > MAX_ELEMENTS {
            return Err(too_many());
        }
        i = match i.checked_add(step) {
            Some(next) => next,
            None => break,
        };
    }
    Ok(out)
}

fn too_many() -> String {
    format!(
        "the list would have more than {MAX_ELEMENTS} elements (a limit of the offline evaluator)"
    )
}

fn ints(values: Vec<i64>) -> Value {
    list(values.into_iter().map(Value::Int).collect())
}

pub(crate) fn until(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let count = int_arg(args, 0);
    let step = if count < 0 { -1 } else { 1 };
    Ok(ints(until_step(0, count, step)?))
}

pub(crate) fn until_step_fn(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    Ok(ints(until_step(
        int_arg(args, 0),
        int_arg(args, 1),
        int_arg(args, 2),
    )?))
}

/// `seq [START [STEP]] END`: the numbers as space-separated text, like the Unix `seq`.
pub(crate) fn seq(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let params: Vec<i64> = (0..args.len()).map(|i| int_arg(args, i)).collect();
    let joined = |values: Vec<i64>| {
        values
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(" ")
    };
    let result = match params.as_slice() {
        [end] => {
            let start = 1;
            let increment = if *end < start { -1 } else { 1 };
            joined(until_step(start, end.saturating_add(increment), increment)?)
        }
        [start, end] => {
            let step = if end < start { -1 } else { 1 };
            joined(until_step(*start, end.saturating_add(step), step)?)
        }
        [start, step, end] => {
            let mut increment = 1;
            if end < start {
                increment = -1;
                if *step > 0 {
                    return Ok(Value::string(""));
                }
            }
            joined(until_step(*start, end.saturating_add(increment), *step)?)
        }
        _ => String::new(),
    };
    Ok(Value::string(result))
}
