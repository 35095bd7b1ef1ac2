//! How Go turns a template's arguments into a function's parameters: numeric constants
//! (`3`, `1.5`, `0x1F`, `'a'`) as Go's parser reads them, literals converted to the
//! parameter's type (`expected string; found 3`), and values checked against it (`wrong type
//! for value; expected string; got float64`, `invalid value; expected string`).

use playbook_template::{Literal, LiteralKind};

use crate::Value;
use crate::functions::Param;

/// A numeric constant as Go's `parse.NumberNode` holds it: which Go types can hold it.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Constant {
    pub int: Option<i64>,
    pub uint: Option<u64>,
    pub float: Option<f64>,
    /// Written as an integer: hex without a `p` exponent, a character, or no `.eEpP`.
    pub integer_text: bool,
    pub complex: bool,
}

/// The result of reading a number.
pub(crate) enum Number {
    Ok(Constant),
    /// Looks like an integer but does not fit 64 bits.
    Overflow,
    Illegal,
}

/// `strconv.ParseUint(text, 0, 64)`-like: the magnitude and sign of an integer written in Go
/// syntax (`0x1F`, `0o17`, `017`, `0b101`, `1_000`), or `None`.
pub(crate) fn parse_integer(text: &str) -> Option<(bool, u64)> {
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let lower = body.to_ascii_lowercase();
    let (radix, digits, prefixed) = if let Some(rest) = lower.strip_prefix("0x") {
        (16, rest, true)
    } else if let Some(rest) = lower.strip_prefix("0b") {
        (2, rest, true)
    } else if let Some(rest) = lower.strip_prefix("0o") {
        (8, rest, true)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, &lower[1..], true)
    } else {
        (10, lower.as_str(), false)
    };
    // Underscores only between digits, or after a base prefix.
    let mut previous_underscore = !prefixed;
    for c in digits.chars() {
        if c == '_' {
            if previous_underscore {
                return None;
            }
            previous_underscore = true;
        } else {
            previous_underscore = false;
        }
    }
    if previous_underscore && !digits.is_empty() {
        return None;
    }
    let clean: String = digits.chars().filter(|&c| c != '_').collect();
    if clean.is_empty() || clean.starts_with(['+', '-']) {
        return None;
    }
    u64::from_str_radix(&clean, radix)
        .ok()
        .map(|value| (negative, value))
}

/// Reads a number literal as Go's template parser does.
pub(crate) fn parse_number(text: &str) -> Number {
    if let Some(imaginary) = text.strip_suffix('i') {
        return match imaginary.parse::<f64>() {
            Ok(_) => Number::Ok(Constant {
                complex: true,
                ..Constant::default()
            }),
            Err(_) => Number::Illegal,
        };
    }
    let mut constant = Constant {
        integer_text: !text.contains(['.', 'e', 'E', 'p', 'P'])
            || (text.to_ascii_lowercase().starts_with("0x") && !text.contains(['p', 'P'])),
        ..Constant::default()
    };
    if let Some((negative, magnitude)) = parse_integer(text) {
        if !negative {
            constant.uint = Some(magnitude);
        }
        let signed = if negative {
            0i64.checked_sub_unsigned(magnitude)
        } else {
            i64::try_from(magnitude).ok()
        };
        if let Some(value) = signed {
            constant.int = Some(value);
            if value == 0 {
                constant.uint = Some(0);
            }
        }
    }
    if let Some(int) = constant.int {
        constant.float = Some(int as f64);
    } else if let Some(uint) = constant.uint {
        constant.float = Some(uint as f64);
    } else {
        let clean = text.strip_prefix('+').unwrap_or(text);
        let valid = !clean.contains('_')
            && !clean.to_ascii_lowercase().contains("0x")
            && !clean.to_ascii_lowercase().contains("inf")
            && !clean.to_ascii_lowercase().contains("nan");
        if let Some(f) = clean.parse::<f64>().ok().filter(|f| valid && f.is_finite()) {
            if constant.integer_text {
                return Number::Overflow;
            }
            constant.float = Some(f);
            if f.fract() == 0.0
                && (-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&f)
            {
                constant.int = Some(f as i64);
            }
            if f.fract() == 0.0 && (0.0..1.844_674_407_370_955_2e19).contains(&f) {
                constant.uint = Some(f as u64);
            }
        } else {
            return Number::Illegal;
        }
    }
    Number::Ok(constant)
}

/// The constant a character literal (`'a'`) stands for.
pub(crate) fn char_constant(c: char) -> Constant {
    let n = c as u32;
    Constant {
        int: Some(i64::from(n)),
        uint: Some(u64::from(n)),
        float: Some(f64::from(n)),
        integer_text: true,
        complex: false,
    }
}

/// A literal as an argument of type `param`. `text` is the literal as written (Go's error
/// messages quote it).
pub(crate) fn literal_arg(literal: &Literal, text: &str, param: Param) -> Result<Value, String> {
    let cant_handle = || format!("can't handle {text} for arg of type {}", param.go_type());
    match &literal.kind {
        LiteralKind::String(s) | LiteralKind::RawString(s) => match param {
            Param::String | Param::Any | Param::Value => Ok(Value::string(s.as_str())),
            Param::Int | Param::Int64 => Err(format!("expected integer; found {text}")),
            Param::Float64 => Err(format!("expected float; found {text}")),
            Param::Bool => Err(format!("expected bool; found {text}")),
            Param::List | Param::Map => Err(cant_handle()),
        },
        LiteralKind::Bool(b) => match param {
            Param::Bool | Param::Any | Param::Value => Ok(Value::Bool(*b)),
            Param::String => Err(format!("expected string; found {text}")),
            Param::Int | Param::Int64 => Err(format!("expected integer; found {text}")),
            Param::Float64 => Err(format!("expected float; found {text}")),
            Param::List | Param::Map => Err(cant_handle()),
        },
        LiteralKind::Nil => match param {
            Param::Any | Param::List | Param::Map => Ok(Value::Nil),
            Param::Value => Ok(Value::Missing),
            other => Err(format!("cannot assign nil to {}", other.go_type())),
        },
        LiteralKind::Number(number) => {
            let constant = match parse_number(number) {
                Number::Ok(constant) => constant,
                Number::Overflow => return Err(format!("integer overflow: {number:?}")),
                Number::Illegal => return Err(format!("illegal number syntax: {number:?}")),
            };
            constant_arg(&constant, text, param)
        }
        LiteralKind::Char(c) => {
            let constant = char_constant(c.chars().next().unwrap_or('\0'));
            constant_arg(&constant, text, param)
        }
    }
}

fn constant_arg(constant: &Constant, text: &str, param: Param) -> Result<Value, String> {
    match param {
        Param::Any | Param::Value => ideal_constant(constant, text),
        Param::Int => constant
            .int
            .filter(|_| !constant.complex)
            .map(Value::Int)
            .ok_or_else(|| format!("expected integer; found {text}")),
        Param::Int64 => constant
            .int
            .filter(|_| !constant.complex)
            .map(Value::Int64)
            .ok_or_else(|| format!("expected integer; found {text}")),
        Param::Float64 => constant
            .float
            .filter(|_| !constant.complex)
            .map(Value::Float)
            .ok_or_else(|| format!("expected float; found {text}")),
        Param::String => Err(format!("expected string; found {text}")),
        Param::Bool => Err(format!("expected bool; found {text}")),
        Param::List | Param::Map => Err(format!(
            "can't handle {text} for arg of type {}",
            param.go_type()
        )),
    }
}

/// Go's `idealConstant`: the value of a number where any type is accepted: a `float64` when
/// written with a point or an exponent, else an `int`.
pub(crate) fn ideal_constant(constant: &Constant, text: &str) -> Result<Value, String> {
    if constant.complex {
        return Err(format!(
            "complex constant {text} is not supported by this evaluator"
        ));
    }
    if let Some(f) = constant.float
        && !constant.integer_text
    {
        return Ok(Value::Float(f));
    }
    if let Some(n) = constant.int {
        return Ok(Value::Int(n));
    }
    if constant.uint.is_some() {
        return Err(format!("{text} overflows int"));
    }
    Ok(Value::Missing)
}

/// Go's `validateType`: a value computed from data (not a literal) passed where `param` is
/// wanted.
pub(crate) fn validate(value: Value, param: Param) -> Result<Value, String> {
    match (value, param) {
        (Value::Missing, Param::Value) => Ok(Value::Missing),
        (Value::Missing, Param::Any | Param::List | Param::Map) => Ok(Value::Nil),
        (Value::Missing, param) => Err(format!("invalid value; expected {}", param.go_type())),
        (Value::Nil, Param::Any | Param::Value) => Ok(Value::Nil),
        (Value::Nil, param) => Err(format!(
            "wrong type for value; expected {}; got interface {{}}",
            param.go_type()
        )),
        (value, Param::Any | Param::Value) => Ok(value),
        (value @ Value::String(_), Param::String)
        | (value @ Value::Bool(_), Param::Bool)
        | (value @ Value::Int(_), Param::Int)
        | (value @ Value::Int64(_), Param::Int64)
        | (value @ Value::Float(_), Param::Float64)
        | (value @ Value::List(_), Param::List)
        | (value @ Value::Map(_), Param::Map) => Ok(value),
        (value, param) => Err(format!(
            "wrong type for value; expected {}; got {}",
            param.go_type(),
            value.type_name()
        )),
    }
}
