//! The conversions sprig leans on, with Go's exact behaviour: `fmt`'s `%v` text of a value
//! (sprig's `strval`), the `cast` library's lenient number conversions, `strslice`,
//! `empty`, `reflect.DeepEqual`, Go's float formatting and `strconv.Quote`.
//!
//! The evaluator has its own `%v` formatter; this one serves sprig and the platform's
//! functions so that they do not depend on it (the two are to be merged).

use crate::Value;

/// A list value.
pub(crate) fn list(items: Vec<Value>) -> Value {
    Value::List(std::sync::Arc::new(items))
}

/// A list of strings (what sprig returns as `[]string`).
pub(crate) fn string_list(items: impl IntoIterator<Item = String>) -> Value {
    list(items.into_iter().map(Value::string).collect())
}

/// A map value.
pub(crate) fn map(entries: std::collections::BTreeMap<String, Value>) -> Value {
    Value::Map(std::sync::Arc::new(entries))
}

/// Whether the value is Go's `nil` once passed as an `interface{}` (a missing key becomes nil).
pub(crate) fn is_nil(value: &Value) -> bool {
    matches!(value, Value::Missing | Value::Nil)
}

/// The string argument `i` (the evaluator converted it for a `Param::String`).
pub(crate) fn str_arg(args: &[Value], i: usize) -> &str {
    match args.get(i) {
        Some(Value::String(s)) => s,
        _ => "",
    }
}

/// The integer argument `i` (a `Param::Int` or `Param::Int64`).
pub(crate) fn int_arg(args: &[Value], i: usize) -> i64 {
    match args.get(i) {
        Some(Value::Int(n) | Value::Int64(n)) => *n,
        Some(other) => to_int64(other),
        None => 0,
    }
}

/// The value argument `i`, `nil` when absent.
pub(crate) fn arg(args: &[Value], i: usize) -> &Value {
    args.get(i).unwrap_or(&Value::Nil)
}

/// The text Go's `fmt` prints for a value with `%v` (for sprig's `strval`, `nil` is `<nil>`).
pub(crate) fn strval(value: &Value) -> String {
    match value {
        Value::Missing | Value::Nil => "<nil>".to_owned(),
        other => crate::format::value_to_string(other),
    }
}

/// The shortest decimal digits of a finite, non-zero `f` and its decimal exponent: the value
/// is `0.DIGITS × 10^point`.
fn shortest_digits(f: f64) -> (String, i32) {
    // Rust's `{:e}` prints the shortest representation that reads back the same, as Go does.
    let text = format!("{:e}", f.abs());
    let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let exponent: i32 = exponent.parse().unwrap_or(0);
    (digits, exponent + 1)
}

/// `strconv.FormatFloat(f, 'e', -1, 64)`: `1e+21`, `1.5e-07`.
fn format_e(f: f64) -> String {
    let (digits, point) = shortest_digits(f);
    let mut out = String::new();
    if f.is_sign_negative() {
        out.push('-');
    }
    out.push_str(&digits[..1]);
    if digits.len() > 1 {
        out.push('.');
        out.push_str(&digits[1..]);
    }
    let exp = point - 1;
    out.push('e');
    out.push(if exp < 0 { '-' } else { '+' });
    let abs = exp.unsigned_abs();
    if abs < 10 {
        out.push('0');
    }
    out.push_str(&abs.to_string());
    out
}

/// `strconv.FormatFloat(f, 'f', -1, 64)`.
fn format_f(f: f64) -> String {
    if f == 0.0 {
        return if f.is_sign_negative() { "-0" } else { "0" }.to_owned();
    }
    let (digits, point) = shortest_digits(f);
    let mut out = String::new();
    if f.is_sign_negative() {
        out.push('-');
    }
    let n = digits.len() as i32;
    if point <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', point.unsigned_abs() as usize));
        out.push_str(&digits);
    } else if point >= n {
        out.push_str(&digits);
        out.extend(std::iter::repeat_n('0', (point - n) as usize));
    } else {
        out.push_str(&digits[..point as usize]);
        out.push('.');
        out.push_str(&digits[point as usize..]);
    }
    out
}

/// Go's `%v` of a float64: `1.5`, `1e+06`, `+Inf`.
pub(crate) fn format_float_v(f: f64) -> String {
    crate::format::value_to_string(&Value::Float(f))
}

/// How `encoding/json` writes a float64, or its error for NaN and infinities.
pub(crate) fn format_float_json(f: f64) -> Result<String, String> {
    if !f.is_finite() {
        return Err(format!("json: unsupported value: {}", format_float_v(f)));
    }
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let text = format_e(f);
        // Go writes `1e-07` as `1e-7` (but keeps `1e+21`).
        Ok(match text.find("e-0") {
            Some(at) => format!("{}e-{}", &text[..at], &text[at + 3..]),
            None => text,
        })
    } else {
        Ok(format_f(f))
    }
}

/// Go's `int64(f)` on amd64: truncation, and the "integer indefinite" value for NaN and
/// numbers out of range.
pub(crate) fn f64_to_i64(f: f64) -> i64 {
    if f.is_nan() || !(-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&f) {
        i64::MIN
    } else {
        f as i64
    }
}

/// `cast`'s `trimZeroDecimal`: `"1.00"` → `"1"`, other text unchanged.
fn trim_zero_decimal(s: &str) -> &str {
    let mut found_zero = false;
    for (i, b) in s.bytes().enumerate().rev() {
        match b {
            b'.' if found_zero => return &s[..i],
            b'.' => {}
            b'0' => found_zero = true,
            _ => return s,
        }
    }
    s
}

/// Go's `strconv.ParseInt(s, 0, 64)`: an optional sign, a `0x`/`0o`/`0b`/`0` prefix, and
/// underscores between digits.
pub(crate) fn parse_int_base0(s: &str) -> Option<i64> {
    let (negative, magnitude) = crate::convert::parse_integer(s)?;
    if negative {
        if magnitude > 1 << 63 {
            None
        } else {
            Some((magnitude as i64).wrapping_neg())
        }
    } else {
        i64::try_from(magnitude).ok()
    }
}

/// Go's rule: underscores only between digits (or after a base prefix).
fn underscores_ok(digits: &str, prefixed: bool) -> bool {
    if !digits.contains('_') {
        return true;
    }
    let bytes = digits.as_bytes();
    // After a prefix, a leading underscore is allowed ("0x_1f").
    let mut previous_digit = prefixed;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'_' {
            if !previous_digit {
                return false;
            }
            previous_digit = false;
            if i + 1 == bytes.len() {
                return false;
            }
        } else {
            previous_digit = true;
        }
    }
    true
}

/// Go's `strconv.ParseFloat(s, 64)`, `None` for syntax and range errors: decimal and
/// hexadecimal (`0x1p-2`) forms, `inf`, `infinity`, `nan`, underscores between digits.
pub(crate) fn parse_float(s: &str) -> Option<f64> {
    let (negative, unsigned) = match s.as_bytes().first() {
        Some(b'+') => (false, &s[1..]),
        Some(b'-') => (true, &s[1..]),
        _ => (false, s),
    };
    let lower = unsigned.to_ascii_lowercase();
    let sign = if negative { -1.0 } else { 1.0 };
    match lower.as_str() {
        "inf" | "infinity" => return Some(sign * f64::INFINITY),
        "nan" => return Some(f64::NAN),
        _ => {}
    }
    if lower.contains('_')
        && !underscores_ok(lower.trim_start_matches("0x"), lower.starts_with("0x"))
    {
        return None;
    }
    let cleaned: String = lower.chars().filter(|&c| c != '_').collect();
    let value = if let Some(hex) = cleaned.strip_prefix("0x") {
        parse_hex_float(hex)?
    } else {
        if cleaned.is_empty()
            || !cleaned
                .bytes()
                .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'+' | b'-'))
        {
            return None;
        }
        cleaned.parse::<f64>().ok()?
    };
    if value.is_infinite() {
        return None; // out of range
    }
    Some(sign * value)
}

/// The digits of a hexadecimal float after `0x`: `1.8p3`.
fn parse_hex_float(hex: &str) -> Option<f64> {
    let (mantissa, exponent) = hex.split_once('p')?;
    let exponent: i32 = exponent.parse().ok()?;
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if whole.is_empty() && fraction.is_empty() {
        return None;
    }
    let mut value = 0f64;
    for c in whole.chars() {
        value = value * 16.0 + f64::from(c.to_digit(16)?);
    }
    let mut scale = 1.0 / 16.0;
    for c in fraction.chars() {
        value += f64::from(c.to_digit(16)?) * scale;
        scale /= 16.0;
    }
    Some(value * 2f64.powi(exponent))
}

/// `cast.ToInt64`, errors ignored (they give 0), as sprig's `toInt64` and arithmetic use it.
pub(crate) fn to_int64(value: &Value) -> i64 {
    match value {
        Value::Int(n) | Value::Int64(n) => *n,
        Value::Float(f) => f64_to_i64(*f),
        Value::String(s) => parse_int_base0(trim_zero_decimal(s)).unwrap_or(0),
        Value::Bool(b) => i64::from(*b),
        Value::Missing | Value::Nil | Value::List(_) | Value::Map(_) => 0,
    }
}

/// `cast.ToFloat64`, errors ignored.
pub(crate) fn to_float64(value: &Value) -> f64 {
    match value {
        Value::Int(n) | Value::Int64(n) => *n as f64,
        Value::Float(f) => *f,
        Value::String(s) => parse_float(s).unwrap_or(0.0),
        Value::Bool(b) => f64::from(u8::from(*b)),
        Value::Missing | Value::Nil | Value::List(_) | Value::Map(_) => 0.0,
    }
}

/// sprig's `strslice`: a list's non-nil elements as strings, `[]` for nil, else the value
/// alone.
pub(crate) fn strslice(value: &Value) -> Vec<String> {
    match value {
        Value::List(items) => items.iter().filter(|v| !is_nil(v)).map(strval).collect(),
        Value::Missing | Value::Nil => Vec::new(),
        other => vec![strval(other)],
    }
}

/// sprig's `empty`: the zero value of its type (nil, false, 0, or an empty string, list or
/// map).
pub(crate) fn empty(value: &Value) -> bool {
    match value {
        Value::Missing | Value::Nil => true,
        Value::Bool(b) => !b,
        Value::Int(n) | Value::Int64(n) => *n == 0,
        Value::Float(f) => *f == 0.0,
        Value::String(s) => s.is_empty(),
        Value::List(items) => items.is_empty(),
        Value::Map(entries) => entries.is_empty(),
    }
}

/// `reflect.DeepEqual` of two interface values: the same dynamic type and equal contents.
pub(crate) fn deep_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Missing | Value::Nil, Value::Missing | Value::Nil) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Int(x), Value::Int(y)) | (Value::Int64(x), Value::Int64(y)) => x == y,
        (Value::Float(x), Value::Float(y)) => x == y,
        (Value::String(x), Value::String(y)) => x == y,
        (Value::List(x), Value::List(y)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(a, b)| deep_equal(a, b))
        }
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y.iter())
                    .all(|((ka, va), (kb, vb))| ka == kb && deep_equal(va, vb))
        }
        _ => false,
    }
}

/// The `reflect.Kind` name of a value, as sprig's `kindOf` gives it.
pub(crate) fn kind_name(value: &Value) -> &'static str {
    match value {
        Value::Missing | Value::Nil => "invalid",
        Value::Bool(_) => "bool",
        Value::Int(_) => "int",
        Value::Int64(_) => "int64",
        Value::Float(_) => "float64",
        Value::String(_) => "string",
        Value::List(_) => "slice",
        Value::Map(_) => "map",
    }
}

/// Go's `strconv.Quote` (`%q` of a string).
pub(crate) fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    crate::format::quote_into(&mut out, s, false);
    out
}

/// Go's `unicode.ToUpper` (simple case mapping: one rune to one rune).
pub(crate) fn to_upper(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_uppercase();
    }
    let mut upper = c.to_uppercase();
    match (upper.next(), upper.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

/// Go's `unicode.ToLower`.
pub(crate) fn to_lower(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    if c == '\u{130}' {
        return 'i';
    }
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// Go's `unicode.IsUpper` (approximately: Rust's `Uppercase` property).
pub(crate) fn is_upper(c: char) -> bool {
    c.is_uppercase()
}

/// Go's `unicode.IsLower`.
pub(crate) fn is_lower(c: char) -> bool {
    c.is_lowercase()
}

/// Go's `unicode.IsPunct`: exact for ASCII, approximate beyond.
pub(crate) fn is_punct(c: char) -> bool {
    if c.is_ascii() {
        return matches!(
            c,
            '!' | '"'
                | '#'
                | '%'
                | '&'
                | '\''
                | '('
                | ')'
                | '*'
                | ','
                | '-'
                | '.'
                | '/'
                | ':'
                | ';'
                | '?'
                | '@'
                | '['
                | '\\'
                | ']'
                | '_'
                | '{'
                | '}'
        );
    }
    matches!(c as u32,
        0xA1 | 0xA7 | 0xAB | 0xB6 | 0xB7 | 0xBB | 0xBF | 0x2010..=0x2027 | 0x2030..=0x205E
        | 0x3001..=0x3003 | 0x3008..=0x3011 | 0x3014..=0x301F | 0xFF01..=0xFF03
        | 0xFF05..=0xFF0A | 0xFF0C..=0xFF0F | 0xFF1A | 0xFF1B | 0xFF1F | 0xFF20)
}

/// Go's `unicode.IsSpace` (the same set as Rust's `White_Space`).
pub(crate) fn is_space(c: char) -> bool {
    c.is_whitespace()
}

/// Text from bytes that Go would hold as a (possibly invalid) string: invalid UTF-8, which
/// a `Value` cannot hold, becomes U+FFFD.
pub(crate) fn from_bytes(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
