//! sprig's `default`, `empty`, `coalesce`, `all`, `any` and `ternary`, and the reflection
//! helpers `typeOf`, `typeIs`, `typeIsLike`, `kindOf`, `kindIs` and `deepEqual`.

use super::convert::{arg, deep_equal, empty, kind_name, str_arg};
use crate::Value;
use crate::functions::Context;

/// A value handed back by a function: a missing key passed as `interface{}` is nil.
fn returned(value: &Value) -> Value {
    match value {
        Value::Missing => Value::Nil,
        other => other.clone(),
    }
}

/// `default DEFAULT VALUE`: VALUE unless it is empty (or absent).
pub(crate) fn default(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    match args.get(1) {
        Some(given) if !empty(given) => Ok(returned(given)),
        _ => Ok(returned(arg(args, 0))),
    }
}

pub(crate) fn empty_fn(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    Ok(Value::Bool(empty(arg(args, 0))))
}

/// `coalesce VALUES...`: the first non-empty value, else nil.
pub(crate) fn coalesce(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    Ok(args
        .iter()
        .find(|v| !empty(v))
        .map(returned)
        .unwrap_or(Value::Nil))
}

pub(crate) fn all(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    Ok(Value::Bool(args.iter().all(|v| !empty(v))))
}

pub(crate) fn any(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    Ok(Value::Bool(args.iter().any(|v| !empty(v))))
}

/// `ternary TRUE FALSE CONDITION`.
pub(crate) fn ternary(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let condition = matches!(arg(args, 2), Value::Bool(true));
    Ok(returned(arg(args, if condition { 0 } else { 1 })))
}

pub(crate) fn type_of(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    Ok(Value::string(arg(args, 0).type_name()))
}

pub(crate) fn type_is(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    Ok(Value::Bool(str_arg(args, 0) == arg(args, 1).type_name()))
}

pub(crate) fn type_is_like(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let target = str_arg(args, 0);
    let actual = arg(args, 1).type_name();
    Ok(Value::Bool(
        target == actual || actual.strip_prefix('*') == Some(target),
    ))
}

pub(crate) fn kind_of(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    Ok(Value::string(kind_name(arg(args, 0))))
}

pub(crate) fn kind_is(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    Ok(Value::Bool(str_arg(args, 0) == kind_name(arg(args, 1))))
}

pub(crate) fn deep_equal_fn(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    Ok(Value::Bool(deep_equal(arg(args, 0), arg(args, 1))))
}
