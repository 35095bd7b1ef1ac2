//! sprig's dictionary functions: `dict`, `set`, `unset`, `hasKey`, `pluck`, `keys`, `pick`,
//! `omit`, `merge`, `mergeOverwrite`, `values`, `dig`, `deepCopy`.
//!
//! Go's `set`, `unset` and `merge` change the map they are given (which the template sees
//! afterwards); values here are immutable, so they return a changed copy. Go's `keys` and
//! `values` follow Go's random map order; here the keys are sorted.

use std::collections::BTreeMap;

use super::convert::{arg, empty, is_nil, map, str_arg, string_list, strval};
use crate::Value;
use crate::functions::Context;

fn map_arg(args: &[Value], i: usize) -> BTreeMap<String, Value> {
    match arg(args, i) {
        Value::Map(entries) => (**entries).clone(),
        _ => BTreeMap::new(),
    }
}

pub(crate) fn dict(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let mut out = BTreeMap::new();
    for pair in args.chunks(2) {
        let value = pair.get(1).cloned().unwrap_or_else(|| Value::string(""));
        out.insert(strval(&pair[0]), value);
    }
    Ok(map(out))
}

pub(crate) fn set(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let mut out = map_arg(args, 0);
    out.insert(str_arg(args, 1).to_owned(), arg(args, 2).clone());
    Ok(map(out))
}

pub(crate) fn unset(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let mut out = map_arg(args, 0);
    out.remove(str_arg(args, 1));
    Ok(map(out))
}

pub(crate) fn has_key(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let found =
        matches!(arg(args, 0), Value::Map(entries) if entries.contains_key(str_arg(args, 1)));
    Ok(Value::Bool(found))
}

/// `pluck KEY MAPS...`: the KEY of each map that has it.
pub(crate) fn pluck(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let key = str_arg(args, 0);
    let values = args
        .iter()
        .skip(1)
        .filter_map(|d| match d {
            Value::Map(entries) => entries.get(key).cloned(),
            _ => None,
        })
        .collect();
    Ok(super::convert::list(values))
}

/// `keys MAPS...`: each map's keys (sorted per map; Go's order is random).
pub(crate) fn keys(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let mut out = Vec::new();
    for d in args {
        if let Value::Map(entries) = d {
            out.extend(entries.keys().cloned());
        }
    }
    Ok(string_list(out))
}

pub(crate) fn pick(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let source = map_arg(args, 0);
    let mut out = BTreeMap::new();
    for key in args.iter().skip(1) {
        if let Value::String(key) = key
            && let Some(value) = source.get(&**key)
        {
            out.insert(key.to_string(), value.clone());
        }
    }
    Ok(map(out))
}

pub(crate) fn omit(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let mut out = map_arg(args, 0);
    for key in args.iter().skip(1) {
        if let Value::String(key) = key {
            out.remove(&**key);
        }
    }
    Ok(map(out))
}

/// `values MAP`: the values, in key order (Go's is random).
pub(crate) fn values(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    Ok(super::convert::list(
        map_arg(args, 0).into_values().collect(),
    ))
}

/// mergo's deep merge of `src` into `dst` as sprig 3.2.3 links it. Without `overwrite`: a
/// nil source value is skipped, a key `dst` lacks or holds an empty value for takes the
/// source's value, and maps on both sides merge. With `overwrite`: maps on both sides merge,
/// a non-empty non-map `dst` value resists a map, and any other source value (even nil or
/// empty) wins.
fn merge_into(
    dst: &mut BTreeMap<String, Value>,
    src: &BTreeMap<String, Value>,
    overwrite: bool,
    depth: usize,
) {
    for (key, src_value) in src {
        if !overwrite && is_nil(src_value) {
            continue;
        }
        let Some(dst_value) = dst.get_mut(key) else {
            dst.insert(key.clone(), src_value.clone());
            continue;
        };
        match (&mut *dst_value, src_value) {
            (Value::Map(dst_map), Value::Map(src_map)) if !dst_map.is_empty() && depth < 64 => {
                let mut merged = (**dst_map).clone();
                merge_into(&mut merged, src_map, overwrite, depth + 1);
                *dst_map = std::sync::Arc::new(merged);
            }
            (current, _) if empty(current) => *current = src_value.clone(),
            (_, Value::Map(_)) => {}
            (current, _) if overwrite => *current = src_value.clone(),
            _ => {}
        }
    }
}

fn merge_all(args: &[Value], overwrite: bool) -> Value {
    let mut out = map_arg(args, 0);
    for src in args.iter().skip(1) {
        if let Value::Map(src) = src {
            merge_into(&mut out, src, overwrite, 0);
        }
    }
    map(out)
}

pub(crate) fn merge(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    Ok(merge_all(args, false))
}

pub(crate) fn merge_overwrite(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    Ok(merge_all(args, true))
}

/// Go's text for a failed `x.(T)` on an `interface{}`.
fn conversion_error(value: &Value, wanted: &str) -> String {
    let actual = if is_nil(value) {
        "nil"
    } else {
        value.type_name()
    };
    format!("interface conversion: interface {{}} is {actual}, not {wanted}")
}

/// `dig KEYS... DEFAULT MAP`: the value at the path of keys, or DEFAULT.
pub(crate) fn dig(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    if args.len() < 3 {
        return Err("dig needs at least three arguments".to_owned());
    }
    let map_name = "map[string]interface {}";
    let mut current = match &args[args.len() - 1] {
        Value::Map(entries) => entries.clone(),
        other => return Err(conversion_error(other, map_name)),
    };
    let default = &args[args.len() - 2];
    let keys = &args[..args.len() - 2];
    let mut names = Vec::with_capacity(keys.len());
    for key in keys {
        match key {
            Value::String(s) => names.push(s.clone()),
            other => return Err(conversion_error(other, "string")),
        }
    }
    for (i, name) in names.iter().enumerate() {
        let Some(step) = current.get(&**name) else {
            return Ok(default.clone());
        };
        if i + 1 == names.len() {
            return Ok(step.clone());
        }
        current = match step {
            Value::Map(entries) => entries.clone(),
            other => return Err(conversion_error(other, map_name)),
        };
    }
    Ok(default.clone())
}

/// `deepCopy`: values are immutable here, so a copy is the value itself.
pub(crate) fn deep_copy(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    match arg(args, 0) {
        v if is_nil(v) => Err("reflect: call of reflect.Value.Type on zero Value".to_owned()),
        other => Ok(other.clone()),
    }
}
