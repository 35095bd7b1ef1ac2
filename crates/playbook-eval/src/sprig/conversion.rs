//! sprig's conversions: `atoi`, `int`, `int64`, `float64`, `toDecimal`, `toStrings`, and the
//! splitting and joining of strings (`split`, `splitList`, `splitn`, `join`).

use std::collections::BTreeMap;

use super::convert::{
    arg, int_arg, map, str_arg, string_list, strslice, strval, to_float64, to_int64,
};
use crate::Value;
use crate::functions::Context;

/// `strconv.Atoi`, errors ignored: 0 for text that is not a number, the nearest bound for a
/// number out of range.
pub(crate) fn atoi(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let s = str_arg(args, 0);
    let (negative, digits) = match s.as_bytes().first() {
        Some(b'+') => (false, &s[1..]),
        Some(b'-') => (true, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(Value::Int(0));
    }
    let value = match digits.parse::<u64>() {
        Ok(magnitude) if negative => {
            if magnitude > 1 << 63 {
                i64::MIN
            } else {
                (magnitude as i64).wrapping_neg()
            }
        }
        Ok(magnitude) => i64::try_from(magnitude).unwrap_or(i64::MAX),
        Err(_) if negative => i64::MIN,
        Err(_) => i64::MAX,
    };
    Ok(Value::Int(value))
}

pub(crate) fn int(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    Ok(Value::Int(to_int64(arg(args, 0))))
}

pub(crate) fn int64(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    Ok(Value::Int64(to_int64(arg(args, 0))))
}

pub(crate) fn float64(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    Ok(Value::Float(to_float64(arg(args, 0))))
}

/// `toDecimal`: the value's text read as an octal number, 0 when it is not one.
pub(crate) fn to_decimal(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let text = strval(arg(args, 0));
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'+') => (false, &text[1..]),
        Some(b'-') => (true, &text[1..]),
        _ => (false, text.as_str()),
    };
    let magnitude = if digits.is_empty() || !digits.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
        None
    } else {
        u64::from_str_radix(digits, 8).ok()
    };
    let value = match magnitude {
        Some(m) if negative && m <= 1 << 63 => (m as i64).wrapping_neg(),
        Some(m) if !negative => i64::try_from(m).unwrap_or(0),
        _ => 0,
    };
    Ok(Value::Int64(value))
}

pub(crate) fn to_strings(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    Ok(string_list(strslice(arg(args, 0))))
}

/// Go's `strings.SplitN(s, sep, n)` (`n < 0`: all parts).
fn split_n(s: &str, sep: &str, n: i64) -> Vec<String> {
    if n == 0 {
        return Vec::new();
    }
    let limit = usize::try_from(n).unwrap_or(usize::MAX);
    if sep.is_empty() {
        // Go explodes into characters; the last part holds the rest.
        let chars: Vec<(usize, char)> = s.char_indices().collect();
        let mut parts = Vec::new();
        for (i, (at, c)) in chars.iter().enumerate() {
            if parts.len() + 1 == limit && i + 1 < chars.len() {
                parts.push(s[*at..].to_owned());
                return parts;
            }
            parts.push(c.to_string());
        }
        return parts;
    }
    s.splitn(limit, sep).map(str::to_owned).collect()
}

fn indexed_map(parts: Vec<String>) -> Value {
    let entries: BTreeMap<String, Value> = parts
        .into_iter()
        .enumerate()
        .map(|(i, part)| (format!("_{i}"), Value::string(part)))
        .collect();
    map(entries)
}

/// `split SEP S`: a map `_0`, `_1`, ... of the parts.
pub(crate) fn split(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    Ok(indexed_map(split_n(str_arg(args, 1), str_arg(args, 0), -1)))
}

/// `splitn SEP N S`.
pub(crate) fn splitn(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    Ok(indexed_map(split_n(
        str_arg(args, 2),
        str_arg(args, 0),
        int_arg(args, 1),
    )))
}

pub(crate) fn split_list(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    Ok(string_list(split_n(str_arg(args, 1), str_arg(args, 0), -1)))
}

/// `join SEP LIST`: the list's non-nil elements' text joined (a non-list is one element).
pub(crate) fn join(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    Ok(Value::string(strslice(arg(args, 1)).join(str_arg(args, 0))))
}
