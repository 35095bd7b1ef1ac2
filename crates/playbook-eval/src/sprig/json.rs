//! sprig's JSON functions (`toJson`, `toPrettyJson`, `toRawJson`, `fromJson` and their
//! `must` forms), writing JSON exactly as Go's `encoding/json` does: map keys sorted, `<`,
//! `>` and `&` escaped as `\u003c`... (but in `toRawJson`), U+2028 and U+2029 always
//! escaped, floats as `1`, `1.5`, `1e+21`, `1e-7`, and an error for NaN and infinities.

use super::convert::{arg, format_float_json, str_arg};
use crate::Value;
use crate::functions::Context;

/// How deep values may nest before encoding gives up (Go would recurse; values built from
/// data and templates are never this deep).
const MAX_DEPTH: usize = 10_000;

/// The JSON text of `value`, or `encoding/json`'s error.
pub(crate) fn encode(value: &Value, escape_html: bool, indent: bool) -> Result<String, String> {
    let mut out = String::new();
    write(&mut out, value, escape_html, indent, 0)?;
    Ok(out)
}

fn newline(out: &mut String, depth: usize) {
    out.push('\n');
    for _ in 0..depth {
        out.push_str("  ");
    }
}

fn write(
    out: &mut String,
    value: &Value,
    escape_html: bool,
    indent: bool,
    depth: usize,
) -> Result<(), String> {
    if depth > MAX_DEPTH {
        return Err("json: value nested too deeply".to_owned());
    }
    match value {
        Value::Missing | Value::Nil => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(n) | Value::Int64(n) => out.push_str(&n.to_string()),
        Value::Float(f) => out.push_str(&format_float_json(*f)?),
        Value::String(s) => write_string(out, s, escape_html),
        Value::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                if indent {
                    newline(out, depth + 1);
                }
                write(out, item, escape_html, indent, depth + 1)?;
            }
            if indent && !items.is_empty() {
                newline(out, depth);
            }
            out.push(']');
        }
        Value::Map(entries) => {
            out.push('{');
            for (i, (key, item)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                if indent {
                    newline(out, depth + 1);
                }
                write_string(out, key, escape_html);
                out.push(':');
                if indent {
                    out.push(' ');
                }
                write(out, item, escape_html, indent, depth + 1)?;
            }
            if indent && !entries.is_empty() {
                newline(out, depth);
            }
            out.push('}');
        }
    }
    Ok(())
}

/// A JSON string as Go 1.19 writes it (`\u0008`, not `\b`).
fn write_string(out: &mut String, s: &str, escape_html: bool) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' if escape_html => out.push_str(&format!("\\u00{:02x}", c as u32)),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u00{:02x}", c as u32)),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The value `encoding/json` decodes from `text` into an `interface{}`.
pub(crate) fn decode(text: &str) -> Result<Value, String> {
    serde_json::from_str::<serde_json::Value>(text)
        .map(|json| Value::from_json(&json))
        .map_err(|error| {
            if error.is_eof() {
                "unexpected end of JSON input".to_owned()
            } else {
                error.to_string()
            }
        })
}

pub(crate) fn to_json(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    Ok(Value::string(
        encode(arg(args, 0), true, false).unwrap_or_default(),
    ))
}

pub(crate) fn must_to_json(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    encode(arg(args, 0), true, false).map(Value::string)
}

pub(crate) fn to_pretty_json(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    Ok(Value::string(
        encode(arg(args, 0), true, true).unwrap_or_default(),
    ))
}

pub(crate) fn must_to_pretty_json(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    encode(arg(args, 0), true, true).map(Value::string)
}

/// `toRawJson` panics on an encoding error, which the template reports.
pub(crate) fn to_raw_json(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    encode(arg(args, 0), false, false).map(Value::string)
}

pub(crate) fn must_to_raw_json(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    encode(arg(args, 0), false, false).map(Value::string)
}

/// `fromJson` gives nil for text that is not JSON.
pub(crate) fn from_json(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    Ok(decode(str_arg(args, 0)).unwrap_or(Value::Nil))
}

/// `mustFromJson`: the error text is serde_json's, not Go's.
pub(crate) fn must_from_json(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    decode(str_arg(args, 0))
}
