//! Go's `text/template` builtin functions (`eq`, `len`, `index`, `printf`, ...), with Go's
//! results and error messages.
//!
//! `and` and `or` are here for the table's sake; the evaluator runs them itself, since they
//! stop at their deciding argument without evaluating the others.
//!
//! `slice` is sprig's, not Go's: `sprig.TxtFuncMap()` defines a `slice` of its own, which
//! replaces the builtin in every program that registers sprig, the platform included.

use crate::Value;
use crate::format;
use crate::functions::{Context, Function, Param};

/// Go's builtins.
pub(crate) static FUNCTIONS: &[Function] = &[
    Function {
        name: "and",
        params: &[Param::Value],
        variadic: Some(Param::Value),
        body: and,
    },
    Function {
        name: "or",
        params: &[Param::Value],
        variadic: Some(Param::Value),
        body: or,
    },
    Function {
        name: "not",
        params: &[Param::Value],
        variadic: None,
        body: not,
    },
    Function {
        name: "len",
        params: &[Param::Value],
        variadic: None,
        body: len,
    },
    Function {
        name: "index",
        params: &[Param::Value],
        variadic: Some(Param::Value),
        body: index,
    },
    Function {
        name: "slice",
        params: &[Param::Any],
        variadic: Some(Param::Any),
        body: slice,
    },
    Function {
        name: "eq",
        params: &[Param::Value],
        variadic: Some(Param::Value),
        body: eq,
    },
    Function {
        name: "ne",
        params: &[Param::Value, Param::Value],
        variadic: None,
        body: ne,
    },
    Function {
        name: "lt",
        params: &[Param::Value, Param::Value],
        variadic: None,
        body: lt,
    },
    Function {
        name: "le",
        params: &[Param::Value, Param::Value],
        variadic: None,
        body: le,
    },
    Function {
        name: "gt",
        params: &[Param::Value, Param::Value],
        variadic: None,
        body: gt,
    },
    Function {
        name: "ge",
        params: &[Param::Value, Param::Value],
        variadic: None,
        body: ge,
    },
    Function {
        name: "print",
        params: &[],
        variadic: Some(Param::Any),
        body: print,
    },
    Function {
        name: "printf",
        params: &[Param::String],
        variadic: Some(Param::Any),
        body: printf,
    },
    Function {
        name: "println",
        params: &[],
        variadic: Some(Param::Any),
        body: println,
    },
    Function {
        name: "html",
        params: &[],
        variadic: Some(Param::Any),
        body: html,
    },
    Function {
        name: "js",
        params: &[],
        variadic: Some(Param::Any),
        body: js,
    },
    Function {
        name: "urlquery",
        params: &[],
        variadic: Some(Param::Any),
        body: urlquery,
    },
    Function {
        name: "call",
        params: &[Param::Value],
        variadic: Some(Param::Value),
        body: call,
    },
];

fn and(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let last = args.last().cloned().unwrap_or(Value::Missing);
    Ok(args.iter().find(|v| !v.truth()).cloned().unwrap_or(last))
}

fn or(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let last = args.last().cloned().unwrap_or(Value::Missing);
    Ok(args.iter().find(|v| v.truth()).cloned().unwrap_or(last))
}

fn not(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    Ok(Value::Bool(!args.first().is_some_and(Value::truth)))
}

fn len(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    match args.first().unwrap_or(&Value::Missing) {
        Value::Nil => Err("len of nil pointer".to_owned()),
        Value::Missing => Err("reflect: call of reflect.Value.Type on zero Value".to_owned()),
        Value::String(s) => Ok(Value::Int(s.len() as i64)),
        Value::List(items) => Ok(Value::Int(items.len() as i64)),
        Value::Map(map) => Ok(Value::Int(map.len() as i64)),
        other => Err(format!("len of type {}", other.type_name())),
    }
}

/// An index into a list or string, as Go's `indexArg` takes it.
fn index_arg(index: &Value, cap: usize) -> Result<usize, String> {
    let x = match index {
        Value::Int(n) | Value::Int64(n) => *n,
        Value::Missing | Value::Nil => {
            return Err("cannot index slice/array with nil".to_owned());
        }
        other => {
            return Err(format!(
                "cannot index slice/array with type {}",
                other.type_name()
            ));
        }
    };
    match usize::try_from(x) {
        Ok(x) if x <= cap => Ok(x),
        _ => Err(format!("index out of range: {x}")),
    }
}

fn index(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let (first, indexes) = args.split_first().unwrap_or((&Value::Missing, &[]));
    if matches!(first, Value::Missing | Value::Nil) {
        return Err("index of untyped nil".to_owned());
    }
    let mut item = first.clone();
    for index in indexes {
        item = match &item {
            Value::Nil | Value::Missing => return Err("index of nil pointer".to_owned()),
            Value::List(items) => {
                let x = index_arg(index, items.len())?;
                items
                    .get(x)
                    .cloned()
                    .ok_or("reflect: slice index out of range")?
            }
            Value::String(s) => {
                let x = index_arg(index, s.len())?;
                Value::Int(i64::from(
                    *s.as_bytes()
                        .get(x)
                        .ok_or("reflect: string index out of range")?,
                ))
            }
            Value::Map(map) => match index {
                Value::String(key) => map.get(&**key).cloned().unwrap_or(Value::Nil),
                Value::Missing | Value::Nil => {
                    return Err("value is nil; should be of type string".to_owned());
                }
                other => {
                    return Err(format!(
                        "value has type {}; should be string",
                        other.type_name()
                    ));
                }
            },
            other => return Err(format!("can't index item of type {}", other.type_name())),
        };
    }
    Ok(item)
}

/// `cast.ToInt`, as sprig converts its integer arguments: numbers truncated, strings parsed
/// (0 when they do not parse), booleans as 0 or 1.
pub(crate) fn to_int(value: &Value) -> i64 {
    match value {
        Value::Int(n) | Value::Int64(n) => *n,
        Value::Float(f) => *f as i64,
        Value::Bool(b) => i64::from(*b),
        Value::String(s) => parse_go_int(s).unwrap_or(0),
        _ => 0,
    }
}

/// `strconv.ParseInt(s, 0, 64)`.
fn parse_go_int(s: &str) -> Option<i64> {
    let (negative, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let lower = digits.to_ascii_lowercase();
    let (radix, body) = if let Some(rest) = lower.strip_prefix("0x") {
        (16, rest.to_owned())
    } else if let Some(rest) = lower.strip_prefix("0b") {
        (2, rest.to_owned())
    } else if let Some(rest) = lower.strip_prefix("0o") {
        (8, rest.to_owned())
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, lower[1..].to_owned())
    } else {
        (10, lower)
    };
    if body.is_empty() || body.starts_with(['+', '-']) {
        return None;
    }
    let magnitude = i128::from_str_radix(&body, radix).ok()?;
    let value = if negative { -magnitude } else { magnitude };
    i64::try_from(value).ok()
}

/// sprig's `slice LIST [START [END]]`.
fn slice(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let (list, indexes) = args.split_first().unwrap_or((&Value::Nil, &[]));
    let items = match list {
        Value::List(items) => items,
        Value::Missing | Value::Nil => {
            return Err("runtime error: invalid memory address or nil pointer dereference".into());
        }
        other => {
            let kind = match other {
                Value::Map(_) => "map",
                other => other.type_name(),
            };
            return Err(format!("list should be type of slice or array but {kind}"));
        }
    };
    if items.is_empty() {
        return Ok(Value::Nil);
    }
    let start = indexes.first().map_or(0, to_int);
    let end = indexes.get(1).map_or(items.len() as i64, to_int);
    let in_bounds = 0 <= start && start <= end && end <= items.len() as i64;
    if !in_bounds {
        return Err("reflect.Value.Slice: slice index out of bounds".to_owned());
    }
    Ok(Value::list(
        items
            .get(start as usize..end as usize)
            .unwrap_or_default()
            .to_vec(),
    ))
}

/// The kinds Go's comparison functions know.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Invalid,
    Bool,
    Int,
    Float,
    String,
}

fn basic_kind(value: &Value) -> Kind {
    match value {
        Value::Bool(_) => Kind::Bool,
        Value::Int(_) | Value::Int64(_) => Kind::Int,
        Value::Float(_) => Kind::Float,
        Value::String(_) => Kind::String,
        _ => Kind::Invalid,
    }
}

const BAD_COMPARISON_TYPE: &str = "invalid type for comparison";
const BAD_COMPARISON: &str = "incompatible types for comparison";

fn is_nil(value: &Value) -> bool {
    matches!(value, Value::Missing | Value::Nil)
}

/// Whether `a == b` as Go's `eq` decides it for two arguments.
fn equal(a: &Value, b: &Value) -> Result<bool, String> {
    let (k1, k2) = (basic_kind(a), basic_kind(b));
    if k1 != k2 {
        if !is_nil(a) && !is_nil(b) {
            return Err(BAD_COMPARISON.to_owned());
        }
        return Ok(false);
    }
    Ok(match (a, b) {
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Int(x) | Value::Int64(x), Value::Int(y) | Value::Int64(y)) => x == y,
        (Value::Float(x), Value::Float(y)) => x == y,
        (Value::String(x), Value::String(y)) => x == y,
        _ => {
            let reflect_kind = |v: &Value| match v {
                Value::List(_) => 1,
                Value::Map(_) => 2,
                _ => 0,
            };
            let (r1, r2) = (reflect_kind(a), reflect_kind(b));
            if r1 != r2 && r1 != 0 && r2 != 0 {
                return Err(format!(
                    "non-comparable types {}: {}, {}: {}",
                    format::value_with_verb(a, 's'),
                    a.type_name(),
                    b.type_name(),
                    format::value_with_verb(b, 'v'),
                ));
            }
            if is_nil(a) || is_nil(b) {
                is_nil(a) == is_nil(b)
            } else {
                return Err(format!(
                    "non-comparable type {}: {}",
                    format::value_with_verb(b, 's'),
                    b.type_name()
                ));
            }
        }
    })
}

fn eq(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let (first, rest) = args.split_first().unwrap_or((&Value::Missing, &[]));
    if rest.is_empty() {
        return Err("missing argument for comparison".to_owned());
    }
    for other in rest {
        if equal(first, other)? {
            return Ok(Value::Bool(true));
        }
    }
    Ok(Value::Bool(false))
}

fn two(args: &[Value]) -> (&Value, &Value) {
    match args {
        [a, b, ..] => (a, b),
        [a] => (a, &Value::Missing),
        [] => (&Value::Missing, &Value::Missing),
    }
}

fn ne(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let (a, b) = two(args);
    Ok(Value::Bool(!equal(a, b)?))
}

fn less(a: &Value, b: &Value) -> Result<bool, String> {
    let (k1, k2) = (basic_kind(a), basic_kind(b));
    if k1 == Kind::Invalid || k2 == Kind::Invalid {
        return Err(BAD_COMPARISON_TYPE.to_owned());
    }
    if k1 != k2 {
        return Err(BAD_COMPARISON.to_owned());
    }
    match (a, b) {
        (Value::Int(x) | Value::Int64(x), Value::Int(y) | Value::Int64(y)) => Ok(x < y),
        (Value::Float(x), Value::Float(y)) => Ok(x < y),
        (Value::String(x), Value::String(y)) => Ok(x < y),
        _ => Err(BAD_COMPARISON_TYPE.to_owned()),
    }
}

fn lt(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let (a, b) = two(args);
    Ok(Value::Bool(less(a, b)?))
}

fn less_or_equal(a: &Value, b: &Value) -> Result<bool, String> {
    if less(a, b)? {
        return Ok(true);
    }
    equal(a, b)
}

fn le(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let (a, b) = two(args);
    Ok(Value::Bool(less_or_equal(a, b)?))
}

fn gt(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let (a, b) = two(args);
    Ok(Value::Bool(!less_or_equal(a, b)?))
}

fn ge(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let (a, b) = two(args);
    Ok(Value::Bool(!less(a, b)?))
}

fn print(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    Ok(Value::string(format::sprint(args)))
}

fn println(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    Ok(Value::string(format::sprintln(args)))
}

fn printf(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let (first, rest) = args.split_first().unwrap_or((&Value::Missing, &[]));
    let format = match first {
        Value::String(s) => s.as_ref(),
        _ => "",
    };
    Ok(Value::string(format::sprintf(format, rest)))
}

/// Go's `evalArgs`: a single string as is, else the arguments printed by `fmt.Sprint`, nil
/// ones as `<no value>`.
fn eval_args(args: &[Value]) -> String {
    if let [Value::String(s)] = args {
        return s.to_string();
    }
    let printable: Vec<Value> = args
        .iter()
        .map(|arg| match arg {
            Value::Missing | Value::Nil => Value::string("<no value>"),
            other => other.clone(),
        })
        .collect();
    format::sprint(&printable)
}

fn html(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let text = eval_args(args);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\0' => out.push('\u{FFFD}'),
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    Ok(Value::string(out))
}

fn js(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let text = eval_args(args);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '<' => out.push_str("\\u003C"),
            '>' => out.push_str("\\u003E"),
            '&' => out.push_str("\\u0026"),
            '=' => out.push_str("\\u003D"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u00{:02X}", c as u32)),
            c if c.is_ascii() => out.push(c),
            c if !(c.is_control() || c.is_whitespace() && c != ' ') => out.push(c),
            c => out.push_str(&format!("\\u{:04X}", c as u32)),
        }
    }
    Ok(Value::string(out))
}

fn urlquery(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let text = eval_args(args);
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(b));
            }
            b' ' => out.push('+'),
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    Ok(Value::string(out))
}

fn call(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    match args.first() {
        None | Some(Value::Missing | Value::Nil) => Err("call of nil".to_owned()),
        Some(other) => Err(format!("non-function of type {}", other.type_name())),
    }
}
