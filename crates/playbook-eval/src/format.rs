//! Go's `fmt` for the values templates meet: `%v` (what an action prints), `Sprint`,
//! `Sprintln` and `Sprintf` with Go's verbs, flags, width and precision, explicit argument
//! indexes (`%[2]d`, `%[1]*d`), and Go's error notes inside the output (`%!d(string=x)`,
//! `%!s(MISSING)`, `%!d(BADINDEX)`, `%!(EXTRA int=2)`, which an index turns off).
//!
//! Floats follow `strconv.FormatFloat`: `%v` is the shortest `%g`, which switches to an
//! exponent below 1e-4 and from 1e+06 on (`1e+06`, `100000`, `1.5e-05`).

use crate::Value;

/// `fmt.Sprint(args...)`: operands in `%v`, with a space between two operands when neither
/// is a string.
pub(crate) fn sprint(args: &[Value]) -> String {
    let mut out = String::new();
    let mut previous_string = true;
    for (i, arg) in args.iter().enumerate() {
        let is_string = matches!(arg, Value::String(_));
        if i > 0 && !is_string && !previous_string {
            out.push(' ');
        }
        print_arg(&mut out, arg, 'v', &Flags::default());
        previous_string = is_string;
    }
    out
}

/// `fmt.Sprintln(args...)`: operands in `%v` separated by spaces, then a newline.
pub(crate) fn sprintln(args: &[Value]) -> String {
    let mut out = String::new();
    for (i, arg) in args.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        print_arg(&mut out, arg, 'v', &Flags::default());
    }
    out.push('\n');
    out
}

/// `fmt.Sprint(value)` for one value: what an action prints (but for a missing value,
/// which the evaluator prints as `<no value>` itself).
pub(crate) fn value_to_string(value: &Value) -> String {
    let mut out = String::new();
    print_arg(&mut out, value, 'v', &Flags::default());
    out
}

/// `%s` of one value, as Go's error messages format a `reflect.Value`.
pub(crate) fn value_with_verb(value: &Value, verb: char) -> String {
    let mut out = String::new();
    print_arg(&mut out, value, verb, &Flags::default());
    out
}

#[derive(Clone, Default, PartialEq)]
struct Flags {
    plus: bool,
    minus: bool,
    sharp: bool,
    /// `%#v`: Go syntax.
    sharp_v: bool,
    space: bool,
    zero: bool,
    width: Option<usize>,
    precision: Option<usize>,
}

impl Flags {
    /// No flag, width or precision: `%v` as an action prints.
    fn is_plain(&self) -> bool {
        *self == Flags::default()
    }
}

/// Widths, precisions and argument indexes beyond this are refused by Go (`%!(BADWIDTH)`,
/// `%!(BADPREC)`, `%!d(BADINDEX)`).
const TOO_LARGE: usize = 1_000_000;

/// Where `sprintf` is in its arguments, as Go's `pp` keeps it.
struct Cursor {
    /// The next argument to use.
    arg_num: usize,
    /// An explicit index (`%[2]d`) was seen: unused arguments are then not reported.
    reordered: bool,
    /// The current verb's indexes are all good; else it prints `%!d(BADINDEX)`.
    good_arg_num: bool,
}

/// `fmt.Sprintf(format, args...)`, following Go 1.19's `doPrintf`: flags, then an optional
/// argument index, width (a number or `*`), precision (`.` then a number or `*`, each `*`
/// optionally preceded by an index), an optional index, and the verb.
pub(crate) fn sprintf(format: &str, args: &[Value]) -> String {
    let mut out = String::new();
    let bytes = format.as_bytes();
    let end = bytes.len();
    let mut i = 0;
    let mut cursor = Cursor {
        arg_num: 0,
        reordered: false,
        good_arg_num: true,
    };
    while i < end {
        cursor.good_arg_num = true;
        let start = i;
        while i < end && bytes[i] != b'%' {
            i += 1;
        }
        out.push_str(&format[start..i]);
        if i >= end {
            break;
        }
        i += 1;
        let mut flags = Flags::default();
        while i < end {
            match bytes[i] {
                b'#' => flags.sharp = true,
                b'0' => flags.zero = !flags.minus,
                b'+' => flags.plus = true,
                b'-' => {
                    flags.minus = true;
                    flags.zero = false;
                }
                b' ' => flags.space = true,
                _ => break,
            }
            i += 1;
        }
        // An explicit argument index: `%[2]d`.
        let mut after_index;
        (i, after_index) = arg_number(&mut cursor, bytes, i, args.len());
        // Width: a number or `*`.
        if i < end && bytes[i] == b'*' {
            i += 1;
            match int_from_arg(args, &mut cursor.arg_num) {
                Some(width) => {
                    if width < 0 {
                        flags.minus = true;
                        flags.zero = false;
                    }
                    flags.width = Some(width.unsigned_abs() as usize);
                }
                None => out.push_str("%!(BADWIDTH)"),
            }
            after_index = false;
        } else {
            let (number, next) = parse_number(bytes, i, end);
            flags.width = number;
            i = next;
            if after_index && number.is_some() {
                // `%[3]2d`: the index must come right before the verb or a `*`.
                cursor.good_arg_num = false;
            }
        }
        // Precision.
        if i + 1 < end && bytes[i] == b'.' {
            i += 1;
            if after_index {
                // `%[3].2d`
                cursor.good_arg_num = false;
            }
            (i, after_index) = arg_number(&mut cursor, bytes, i, args.len());
            if i < end && bytes[i] == b'*' {
                i += 1;
                match int_from_arg(args, &mut cursor.arg_num) {
                    Some(precision) if precision >= 0 => {
                        flags.precision = Some(precision as usize);
                    }
                    _ => out.push_str("%!(BADPREC)"),
                }
                after_index = false;
            } else {
                let (number, next) = parse_number(bytes, i, end);
                flags.precision = Some(number.unwrap_or(0));
                i = next;
            }
        }
        if !after_index {
            (i, _) = arg_number(&mut cursor, bytes, i, args.len());
        }
        if i >= end {
            out.push_str("%!(NOVERB)");
            break;
        }
        let Some(verb) = format[i..].chars().next() else {
            break;
        };
        i += verb.len_utf8();
        if verb == '%' {
            // A percent takes no operand and ignores width and precision.
            out.push('%');
            continue;
        }
        if !cursor.good_arg_num {
            out.push_str("%!");
            out.push(verb);
            out.push_str("(BADINDEX)");
            continue;
        }
        let Some(arg) = args.get(cursor.arg_num) else {
            out.push_str("%!");
            out.push(verb);
            out.push_str("(MISSING)");
            continue;
        };
        if verb == 'v' {
            flags.plus = false;
            flags.sharp_v = flags.sharp;
            flags.sharp = false;
        }
        print_arg(&mut out, arg, verb, &flags);
        cursor.arg_num += 1;
    }
    // Arguments left over are reported, unless an index was used anywhere: Go then does not
    // try to tell which were used.
    if !cursor.reordered && cursor.arg_num < args.len() {
        out.push_str("%!(EXTRA ");
        for (n, arg) in args.iter().skip(cursor.arg_num).enumerate() {
            if n > 0 {
                out.push_str(", ");
            }
            if is_nil(arg) {
                out.push_str("<nil>");
            } else {
                out.push_str(arg.type_name());
                out.push('=');
                print_arg(&mut out, arg, 'v', &Flags::default());
            }
        }
        out.push(')');
    }
    out
}

/// Go's `argNumber`: at `i`, an index `[n]` (one-based) moves the cursor to argument `n-1`.
/// Returns where the format goes on and whether a well-formed index was read. A malformed
/// or out-of-range index marks the verb as bad (`%!d(BADINDEX)`), and any `[` marks the
/// call as reordered.
fn arg_number(cursor: &mut Cursor, bytes: &[u8], i: usize, num_args: usize) -> (usize, bool) {
    if bytes.get(i) != Some(&b'[') {
        return (i, false);
    }
    cursor.reordered = true;
    let (index, width, ok) = parse_arg_number(bytes.get(i..).unwrap_or_default());
    match index {
        Some(index) if ok && index < num_args => {
            cursor.arg_num = index;
            (i + width, true)
        }
        _ => {
            cursor.good_arg_num = false;
            (i + width, ok)
        }
    }
}

/// Go's `parseArgNumber` on text starting with `[`: the zero-based index (`None` for
/// `[0]`), how many bytes the index takes (just the `[` when there is no `]`), and whether
/// it is a well-formed number in brackets.
fn parse_arg_number(bytes: &[u8]) -> (Option<usize>, usize, bool) {
    if bytes.len() < 3 {
        return (None, 1, false);
    }
    let Some(close) = bytes.iter().skip(1).position(|&b| b == b']').map(|p| p + 1) else {
        return (None, 1, false);
    };
    match parse_number(bytes, 1, close) {
        (Some(number), next) if next == close => (number.checked_sub(1), close + 1, true),
        _ => (None, close + 1, false),
    }
}

/// Go's `intFromArg`: the argument at the cursor as a width or precision, if it is an
/// integer of at most a million in size; the cursor moves past it if there is one.
fn int_from_arg(args: &[Value], arg_num: &mut usize) -> Option<i64> {
    let arg = args.get(*arg_num)?;
    *arg_num += 1;
    match arg {
        Value::Int(n) | Value::Int64(n) => (n.unsigned_abs() <= TOO_LARGE as u64).then_some(*n),
        _ => None,
    }
}

fn is_nil(value: &Value) -> bool {
    matches!(value, Value::Nil | Value::Missing)
}

/// Go's `parsenum`: the decimal number at `bytes[i..end]`, if there are digits, and where
/// it ends. A number past a million is not a number, and its end is `end` (Go's way of
/// giving up on a "crazy long number").
fn parse_number(bytes: &[u8], mut i: usize, end: usize) -> (Option<usize>, usize) {
    if i >= end {
        return (None, end);
    }
    let start = i;
    let mut number = 0usize;
    while i < end
        && let Some(digit) = bytes.get(i).filter(|b| b.is_ascii_digit())
    {
        if number > TOO_LARGE {
            return (None, end);
        }
        number = number * 10 + usize::from(digit - b'0');
        i += 1;
    }
    ((i > start).then_some(number), i)
}

/// `%!verb(type=value)`; the value printed with `%v` but the verb's width and precision.
fn bad_verb(out: &mut String, value: &Value, verb: char, flags: &Flags) {
    out.push_str("%!");
    out.push(verb);
    out.push('(');
    if is_nil(value) {
        out.push_str("<nil>");
    } else {
        out.push_str(value.type_name());
        out.push('=');
        print_arg(out, value, 'v', flags);
    }
    out.push(')');
}

/// Formats one operand with one verb, as `fmt`'s `printArg` does.
fn print_arg(out: &mut String, value: &Value, verb: char, flags: &Flags) {
    // `%v` without flags, width or precision of a string or an integer (every action that
    // prints a value, every key of a printed map): written as it is.
    if verb == 'v' && flags.is_plain() {
        match value {
            Value::String(s) => return out.push_str(s),
            Value::Int(n) | Value::Int64(n) => {
                use std::fmt::Write as _;
                let _ = write!(out, "{n}");
                return;
            }
            _ => {}
        }
    }
    if verb == 'T' {
        pad(out, value.type_name(), flags);
        return;
    }
    match value {
        Value::Missing | Value::Nil => match verb {
            'v' => pad(out, "<nil>", flags),
            _ => bad_verb(out, value, verb, flags),
        },
        Value::Bool(b) => match verb {
            't' | 'v' => pad(out, if *b { "true" } else { "false" }, flags),
            _ => bad_verb(out, value, verb, flags),
        },
        Value::Int(n) | Value::Int64(n) => format_integer(out, value, *n, verb, flags),
        Value::Float(f) => format_float(out, value, *f, verb, flags),
        Value::String(s) => format_string(out, s, verb, flags),
        Value::List(items) => {
            if flags.sharp_v && verb == 'v' {
                out.push_str("[]interface {}{");
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    print_element(out, item, verb, flags);
                }
                out.push('}');
                return;
            }
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                print_element(out, item, verb, flags);
            }
            out.push(']');
        }
        Value::Map(map) => {
            if flags.sharp_v && verb == 'v' {
                out.push_str("map[string]interface {}{");
                for (i, (key, item)) in map.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    quote_into(out, key, false);
                    out.push(':');
                    print_element(out, item, verb, flags);
                }
                out.push('}');
                return;
            }
            out.push_str("map[");
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                format_string(out, key, verb, flags);
                out.push(':');
                print_element(out, item, verb, flags);
            }
            out.push(']');
        }
    }
}

/// An element of a list or a value of a map: an `interface{}` that prints `<nil>` when nil
/// whatever the verb, or `interface {}(nil)` in Go syntax (`%#v`), never padded.
fn print_element(out: &mut String, value: &Value, verb: char, flags: &Flags) {
    match value {
        Value::Missing | Value::Nil if flags.sharp_v => out.push_str("interface {}(nil)"),
        Value::Missing | Value::Nil => out.push_str("<nil>"),
        _ => print_arg(out, value, verb, flags),
    }
}

/// Writes `text` padded to the width, with spaces (or zeros with the `0` flag) on the left,
/// or spaces on the right with the `-` flag.
fn pad(out: &mut String, text: &str, flags: &Flags) {
    let Some(width) = flags.width else {
        out.push_str(text);
        return;
    };
    let count = text.chars().count();
    if count >= width {
        out.push_str(text);
        return;
    }
    let fill = width - count;
    if flags.minus {
        out.push_str(text);
        out.extend(std::iter::repeat_n(' ', fill));
    } else {
        let c = if flags.zero { '0' } else { ' ' };
        out.extend(std::iter::repeat_n(c, fill));
        out.push_str(text);
    }
}

fn format_string(out: &mut String, s: &str, verb: char, flags: &Flags) {
    let truncated = |s: &str| -> String {
        match flags.precision {
            Some(p) => s.chars().take(p).collect(),
            None => s.to_owned(),
        }
    };
    match verb {
        'v' if flags.sharp_v => {
            let mut quoted = String::new();
            quote_into(&mut quoted, s, false);
            pad(out, &quoted, flags);
        }
        'v' | 's' if flags.precision.is_none() => pad(out, s, flags),
        'v' | 's' => pad(out, &truncated(s), flags),
        'q' => {
            let s = truncated(s);
            let mut quoted = String::new();
            if flags.sharp && can_backquote(&s) {
                quoted.push('`');
                quoted.push_str(&s);
                quoted.push('`');
            } else {
                quote_into(&mut quoted, &s, flags.plus);
            }
            pad(out, &quoted, flags);
        }
        'x' | 'X' => {
            let bytes = s.as_bytes();
            let bytes = match flags.precision {
                Some(p) => bytes.get(..p.min(bytes.len())).unwrap_or(bytes),
                None => bytes,
            };
            let mut hex = String::new();
            for (i, b) in bytes.iter().enumerate() {
                if flags.space && i > 0 {
                    hex.push(' ');
                }
                if flags.sharp && (flags.space || i == 0) {
                    hex.push_str(if verb == 'x' { "0x" } else { "0X" });
                }
                if verb == 'x' {
                    hex.push_str(&format!("{b:02x}"));
                } else {
                    hex.push_str(&format!("{b:02X}"));
                }
            }
            pad(out, &hex, flags);
        }
        _ => bad_verb(out, &Value::string(s), verb, flags),
    }
}

fn can_backquote(s: &str) -> bool {
    s.chars()
        .all(|c| c != '`' && c != '\u{FEFF}' && (c == '\t' || !c.is_control()))
}

/// Whether Go's `unicode.IsPrint` holds, approximately: no control characters, and no
/// spaces but the ASCII one.
fn is_print(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    !(c.is_control()
        || c.is_whitespace()
        || matches!(c, '\u{AD}' | '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}')
        || ('\u{E000}'..='\u{F8FF}').contains(&c)
        || ('\u{F0000}'..).contains(&c))
}

/// `strconv.Quote` (or `QuoteToASCII` when `ascii`).
pub(crate) fn quote_into(out: &mut String, s: &str, ascii: bool) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (!ascii || c.is_ascii()) && is_print(c) => out.push(c),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if (c as u32) > 0xFFFF => out.push_str(&format!("\\U{:08x}", c as u32)),
            c => out.push_str(&format!("\\u{:04x}", c as u32)),
        }
    }
    out.push('"');
}

fn format_integer(out: &mut String, value: &Value, n: i64, verb: char, flags: &Flags) {
    let (base, upper) = match verb {
        'v' | 'd' => (10, false),
        'b' => (2, false),
        'o' | 'O' => (8, false),
        'x' => (16, false),
        'X' => (16, true),
        'c' => {
            let c = u32::try_from(n)
                .ok()
                .and_then(char::from_u32)
                .unwrap_or('\u{FFFD}');
            pad(out, &c.to_string(), flags);
            return;
        }
        'q' => {
            let c = u32::try_from(n)
                .ok()
                .and_then(char::from_u32)
                .unwrap_or('\u{FFFD}');
            let mut quoted = String::new();
            if flags.sharp && c != '\'' && is_print(c) && c != '`' {
                quoted.push('\'');
                quoted.push(c);
                quoted.push('\'');
            } else {
                quoted.push('\'');
                match c {
                    '\'' => quoted.push_str("\\'"),
                    '\\' => quoted.push_str("\\\\"),
                    c if (!flags.plus || c.is_ascii()) && is_print(c) => quoted.push(c),
                    c => {
                        let mut tmp = String::new();
                        quote_into(&mut tmp, &c.to_string(), flags.plus);
                        quoted.push_str(tmp.trim_matches('"'));
                    }
                }
                quoted.push('\'');
            }
            pad(out, &quoted, flags);
            return;
        }
        'U' => {
            let mut text = if n < 0 {
                format!("U+{:04X}", n as u64)
            } else {
                format!("U+{n:04X}")
            };
            if flags.sharp
                && let Some(c) = u32::try_from(n).ok().and_then(char::from_u32)
                && is_print(c)
            {
                text.push_str(&format!(" '{c}'"));
            }
            pad(out, &text, flags);
            return;
        }
        _ => return bad_verb(out, value, verb, flags),
    };
    let negative = n < 0;
    let magnitude = n.unsigned_abs();
    let mut digits = match (base, upper) {
        (2, _) => format!("{magnitude:b}"),
        (8, _) => format!("{magnitude:o}"),
        (16, false) => format!("{magnitude:x}"),
        (16, true) => format!("{magnitude:X}"),
        _ => magnitude.to_string(),
    };
    // Precision is a minimum number of digits; `%.0d` of 0 is empty.
    let mut precision = flags.precision;
    if precision.is_none()
        && flags.zero
        && !flags.minus
        && let Some(width) = flags.width
    {
        let mut p = width;
        if negative || flags.plus || flags.space {
            p = p.saturating_sub(1);
        }
        precision = Some(p);
    }
    if let Some(p) = precision {
        if p == 0 && magnitude == 0 && flags.precision.is_some() {
            digits.clear();
        }
        while digits.len() < p {
            digits.insert(0, '0');
        }
    }
    let mut prefix = String::new();
    if flags.sharp {
        match verb {
            'b' => prefix.push_str("0b"),
            'o' if !digits.starts_with('0') => prefix.push('0'),
            'x' => prefix.push_str("0x"),
            'X' => prefix.push_str("0X"),
            _ => {}
        }
    }
    if verb == 'O' {
        prefix.insert_str(0, "0o");
    }
    let sign = if negative {
        "-"
    } else if flags.plus {
        "+"
    } else if flags.space {
        " "
    } else {
        ""
    };
    let text = format!("{sign}{prefix}{digits}");
    // Zero padding was turned into precision above.
    let mut plain = flags.clone();
    if flags.precision.is_some() || flags.zero {
        plain.zero = false;
    }
    pad(out, &text, &plain);
}

/// The digits and decimal exponent of `f` (positive, finite, non-zero): `digits` without
/// leading or trailing zeros and `point` such that `f = 0.digits × 10^point`. With
/// `significant`, rounded to that many digits; else the shortest that reads back as `f`.
fn decimal(f: f64, significant: Option<usize>) -> (String, i32) {
    let text = match significant {
        Some(n) => format!("{:.*e}", n.saturating_sub(1), f),
        None => format!("{f:e}"),
    };
    let (mantissa, exponent) = text.split_once('e').unwrap_or((text.as_str(), "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let digits = digits.trim_end_matches('0');
    let digits = if digits.is_empty() { "0" } else { digits };
    (digits.to_owned(), exponent + 1)
}

/// `%e` from decimal digits: `d.ddde±XX` with `precision` digits after the point.
fn fmt_e(digits: &str, point: i32, precision: usize, upper: bool) -> String {
    let mut out = String::new();
    let mut chars = digits.chars();
    out.push(chars.next().unwrap_or('0'));
    if precision > 0 {
        out.push('.');
        let rest: String = chars.collect();
        out.push_str(&rest);
        for _ in rest.len()..precision {
            out.push('0');
        }
    }
    let exp = if digits == "0" { 0 } else { point - 1 };
    out.push(if upper { 'E' } else { 'e' });
    out.push(if exp < 0 { '-' } else { '+' });
    let magnitude = exp.unsigned_abs();
    if magnitude < 10 {
        out.push('0');
    }
    out.push_str(&magnitude.to_string());
    out
}

/// `%f` from decimal digits with `precision` digits after the point.
fn fmt_f(digits: &str, point: i32, precision: usize) -> String {
    let mut out = String::new();
    let digit = |i: i32| -> char {
        usize::try_from(i)
            .ok()
            .and_then(|i| digits.as_bytes().get(i))
            .map_or('0', |b| char::from(*b))
    };
    if point > 0 {
        for i in 0..point {
            out.push(digit(i));
        }
    } else {
        out.push('0');
    }
    if precision > 0 {
        out.push('.');
        for i in 0..precision as i32 {
            out.push(digit(point + i));
        }
    }
    out
}

/// `strconv.FormatFloat(f, fmt, prec, 64)` for a finite non-negative `f`.
fn format_float_abs(f: f64, verb: char, precision: Option<usize>) -> String {
    match verb {
        'e' | 'E' => {
            let p = precision.unwrap_or(6);
            let (digits, point) = if f == 0.0 {
                ("0".to_owned(), 1)
            } else {
                decimal(f, Some(p + 1))
            };
            fmt_e(&digits, point, p, verb == 'E')
        }
        'f' | 'F' => format!("{:.*}", precision.unwrap_or(6), f),
        _ => {
            // 'g' / 'G' / 'v'
            let upper = verb == 'G';
            let (digits, point) = if f == 0.0 {
                ("0".to_owned(), 1)
            } else {
                match precision {
                    None => decimal(f, None),
                    Some(p) => decimal(f, Some(p.max(1))),
                }
            };
            let nd = digits.len() as i32;
            let shortest = precision.is_none();
            let mut prec = match precision {
                None => nd,
                Some(0) => 1,
                Some(p) => p as i32,
            };
            let mut eprec = prec;
            if eprec > nd && nd >= point {
                eprec = nd;
            }
            if shortest {
                eprec = 6;
            }
            let exp = point - 1;
            if exp < -4 || exp >= eprec {
                if prec > nd {
                    prec = nd;
                }
                return fmt_e(&digits, point, (prec - 1).max(0) as usize, upper);
            }
            if prec > point {
                prec = nd;
            }
            fmt_f(&digits, point, (prec - point).max(0) as usize)
        }
    }
}

fn format_float(out: &mut String, value: &Value, f: f64, verb: char, flags: &Flags) {
    let verb = match verb {
        'v' => 'g',
        'b' | 'x' | 'X' => return bad_verb_float(out, value, f, verb, flags),
        'e' | 'E' | 'f' | 'F' | 'g' | 'G' => verb,
        _ => return bad_verb(out, value, verb, flags),
    };
    let body = if f.is_nan() {
        "NaN".to_owned()
    } else if f.is_infinite() {
        "Inf".to_owned()
    } else {
        format_float_abs(f.abs(), verb, flags.precision)
    };
    let body = if flags.sharp && f.is_finite() {
        sharp_float(&body, verb, flags.precision)
    } else {
        body
    };
    let negative = f.is_sign_negative() && !f.is_nan();
    let sign = if negative {
        "-"
    } else if f.is_infinite() {
        // Go keeps the sign of an infinity (`+Inf`), but for the space flag without `+`.
        if flags.space && !flags.plus { " " } else { "+" }
    } else if flags.plus {
        "+"
    } else if flags.space {
        " "
    } else {
        ""
    };
    if flags.zero
        && !flags.minus
        && f.is_finite()
        && let Some(width) = flags.width
    {
        let len = sign.len() + body.chars().count();
        out.push_str(sign);
        for _ in len..width {
            out.push('0');
        }
        out.push_str(&body);
        return;
    }
    let mut plain = flags.clone();
    plain.zero = false;
    pad(out, &format!("{sign}{body}"), &plain);
}

/// The `#` flag on a float: always a decimal point, and for `%g` the trailing zeros kept up
/// to the precision (6 by default).
fn sharp_float(body: &str, verb: char, precision: Option<usize>) -> String {
    let mut digits: i64 = match verb {
        'g' | 'G' => precision.map_or(6, |p| p as i64),
        _ => 0,
    };
    let (number, tail) = match body.find(['e', 'E']) {
        Some(at) => body.split_at(at),
        None => (body, ""),
    };
    let mut has_point = false;
    let mut nonzero = false;
    for c in number.chars() {
        if c == '.' {
            has_point = true;
            continue;
        }
        if c != '0' {
            nonzero = true;
        }
        if nonzero {
            digits -= 1;
        }
    }
    let mut out = number.to_owned();
    if !has_point {
        if number == "0" {
            digits -= 1;
        }
        out.push('.');
    }
    while digits > 0 {
        out.push('0');
        digits -= 1;
    }
    out.push_str(tail);
    out
}

/// `%b`, `%x` and `%X` of floats (binary exponent forms) are not supported: they print as
/// Go prints a bad verb, a documented difference.
fn bad_verb_float(out: &mut String, value: &Value, _f: f64, verb: char, flags: &Flags) {
    bad_verb(out, value, verb, flags);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(f: f64) -> String {
        value_to_string(&Value::Float(f))
    }

    #[test]
    fn floats_print_as_go_does() {
        assert_eq!(g(1e6), "1e+06");
        assert_eq!(g(100000.0), "100000");
        assert_eq!(g(1.5), "1.5");
        assert_eq!(g(0.000001), "1e-06");
        assert_eq!(g(0.0001), "0.0001");
        assert_eq!(g(123456789.0), "1.23456789e+08");
        assert_eq!(g(-2.5), "-2.5");
        assert_eq!(g(0.0), "0");
        assert_eq!(g(1e21), "1e+21");
        assert_eq!(
            sprintf(
                "%.2f|%e|%g|%.3g",
                &[
                    Value::Float(1.23456),
                    Value::Float(1234.5678),
                    Value::Float(0.00001234),
                    Value::Float(1.0)
                ]
            ),
            "1.23|1.234568e+03|1.234e-05|1"
        );
    }
}
