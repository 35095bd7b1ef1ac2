//! sprig's string functions: case (`upper`, `title`, `swapcase`...), trimming, searching,
//! `replace`, `repeat`, `substr`, `trunc`, `abbrev`, `wrap`, `indent`, `quote`, `cat`...
//!
//! Several of the Go functions behind them work on bytes, not characters (`substr`,
//! `trunc`, `abbrev`, `wrap`, `initials`, `nospace`); they are reproduced byte for byte, and
//! where Go would produce invalid UTF-8 the result holds U+FFFD instead.

use super::convert::{
    arg, from_bytes, go_quote, int_arg, is_lower, is_space, is_upper, str_arg, strval, to_lower,
    to_upper,
};
use crate::Value;
use crate::functions::Context;

/// The longest text `repeat`, `indent` and friends may build: Go has no such limit, but an
/// offline run must not exhaust memory.
pub(crate) const MAX_OUTPUT: usize = 64 << 20;

fn too_long() -> String {
    format!("the result would be longer than {MAX_OUTPUT} bytes (a limit of the offline evaluator)")
}

fn text(s: impl Into<std::sync::Arc<str>>) -> Result<Value, String> {
    Ok(Value::String(s.into()))
}

pub(crate) fn trim(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    text(str_arg(args, 0).trim_matches(is_space))
}

pub(crate) fn upper(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    text(str_arg(args, 0).chars().map(to_upper).collect::<String>())
}

pub(crate) fn lower(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    text(str_arg(args, 0).chars().map(to_lower).collect::<String>())
}

/// Go's `strings.Title`'s word boundary.
fn is_separator(c: char) -> bool {
    if c.is_ascii() {
        return !(c.is_ascii_alphanumeric() || c == '_');
    }
    if c.is_alphabetic() || c.is_numeric() {
        return false;
    }
    is_space(c)
}

/// `strings.Title`: the first letter of each word upper-cased.
pub(crate) fn title(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let mut previous = ' ';
    let out: String = str_arg(args, 0)
        .chars()
        .map(|c| {
            let mapped = if is_separator(previous) {
                to_upper(c)
            } else {
                c
            };
            previous = c;
            mapped
        })
        .collect();
    text(out)
}

/// goutils' `Uncapitalize`: the first letter of each whitespace-separated word lower-cased.
pub(crate) fn untitle(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let mut next = true;
    let out: String = str_arg(args, 0)
        .chars()
        .map(|c| {
            if is_space(c) {
                next = true;
                c
            } else if next {
                next = false;
                to_lower(c)
            } else {
                c
            }
        })
        .collect();
    text(out)
}

/// goutils' `SwapCase`: upper to lower, lower to upper, but a lower-case letter that starts
/// a word becomes title case.
pub(crate) fn swapcase(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let mut whitespace = true;
    let out: String = str_arg(args, 0)
        .chars()
        .map(|c| {
            if is_upper(c) {
                whitespace = false;
                to_lower(c)
            } else if is_lower(c) {
                whitespace = false;
                to_upper(c)
            } else {
                whitespace = is_space(c);
                c
            }
        })
        .collect();
    text(out)
}

/// A Go slice expression `s[lo:hi]` on bytes, with the runtime's panic text when out of
/// range.
fn slice_bytes(s: &str, lo: i64, hi: Option<i64>) -> Result<String, String> {
    let len = s.len() as i64;
    let end = hi.unwrap_or(len);
    if let Some(hi) = hi {
        if hi < 0 {
            return Err(format!("runtime error: slice bounds out of range [:{hi}]"));
        }
        if hi > len {
            return Err(format!(
                "runtime error: slice bounds out of range [:{hi}] with length {len}"
            ));
        }
    }
    if lo < 0 || lo > end {
        return Err(format!(
            "runtime error: slice bounds out of range [{lo}:{end}]"
        ));
    }
    Ok(from_bytes(&s.as_bytes()[lo as usize..end as usize]))
}

/// `substr START END S`: `S[:END]` when START < 0, `S[START:]` when END < 0 or past the end,
/// else `S[START:END]` (bytes; Go panics when out of range).
pub(crate) fn substr(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let (start, end, s) = (int_arg(args, 0), int_arg(args, 1), str_arg(args, 2));
    let result = if start < 0 {
        slice_bytes(s, 0, Some(end))?
    } else if end < 0 || end > s.len() as i64 {
        slice_bytes(s, start, None)?
    } else {
        slice_bytes(s, start, Some(end))?
    };
    text(result)
}

/// `trunc N S`: the first N bytes, or the last -N bytes for a negative N.
pub(crate) fn trunc(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let (c, s) = (int_arg(args, 0), str_arg(args, 1));
    let len = s.len() as i64;
    if c < 0 && len + c > 0 {
        return text(from_bytes(&s.as_bytes()[(len + c) as usize..]));
    }
    if c >= 0 && len > c {
        return text(from_bytes(&s.as_bytes()[..c as usize]));
    }
    text(s)
}

/// goutils' `AbbreviateFull` on bytes; `None` stands for its errors (the result is then "").
fn abbreviate_full(s: &[u8], offset: i64, max_width: i64) -> Option<Vec<u8>> {
    if s.is_empty() {
        return Some(Vec::new());
    }
    if max_width < 4 {
        return None;
    }
    let len = s.len() as i64;
    if len <= max_width {
        return Some(s.to_vec());
    }
    let mut offset = offset.min(len);
    if len - offset < max_width - 3 {
        offset = len - (max_width - 3);
    }
    if offset <= 4 {
        let mut out = s[..(max_width - 3) as usize].to_vec();
        out.extend_from_slice(b"...");
        return Some(out);
    }
    if max_width < 7 {
        return None;
    }
    let mut out = b"...".to_vec();
    if offset + max_width - 3 < len {
        out.extend(abbreviate_full(&s[offset as usize..], 0, max_width - 3).unwrap_or_default());
    } else {
        out.extend_from_slice(&s[(len - (max_width - 3)) as usize..]);
    }
    Some(out)
}

/// `abbrev WIDTH S`: S cut to WIDTH bytes with `...`.
pub(crate) fn abbrev(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let (width, s) = (int_arg(args, 0), str_arg(args, 1));
    if width < 4 {
        return text(s);
    }
    text(from_bytes(
        &abbreviate_full(s.as_bytes(), 0, width).unwrap_or_default(),
    ))
}

/// `abbrevboth LEFT RIGHT S`.
pub(crate) fn abbrevboth(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let (left, right, s) = (int_arg(args, 0), int_arg(args, 1), str_arg(args, 2));
    if right < 4 || left > 0 && right < 7 {
        return text(s);
    }
    text(from_bytes(
        &abbreviate_full(s.as_bytes(), left, right).unwrap_or_default(),
    ))
}

/// `repeat COUNT S` (Go panics on a negative count).
pub(crate) fn repeat(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let (count, s) = (int_arg(args, 0), str_arg(args, 1));
    if count < 0 {
        return Err("strings: negative Repeat count".to_owned());
    }
    if (s.len() as u128) * (count as u128) > MAX_OUTPUT as u128 {
        return Err(too_long());
    }
    text(s.repeat(count as usize))
}

/// `strings.Trim(b, a)`: `trimAll CUTSET S`.
pub(crate) fn trim_all(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let (cutset, s) = (str_arg(args, 0), str_arg(args, 1));
    text(s.trim_matches(|c| cutset.contains(c)))
}

pub(crate) fn trim_suffix(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let (suffix, s) = (str_arg(args, 0), str_arg(args, 1));
    text(s.strip_suffix(suffix).unwrap_or(s))
}

pub(crate) fn trim_prefix(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let (prefix, s) = (str_arg(args, 0), str_arg(args, 1));
    text(s.strip_prefix(prefix).unwrap_or(s))
}

/// A byte read as a rune, as goutils does (`rune(str[i])`): bytes past ASCII become
/// U+0080..U+00FF.
fn byte_rune(b: u8) -> char {
    char::from(b)
}

/// goutils' `DeleteWhiteSpace`, which walks bytes: a string with any whitespace and non-ASCII
/// text comes out re-encoded byte by byte, as in Go.
pub(crate) fn nospace(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let s = str_arg(args, 0);
    let kept: Vec<char> = s.bytes().map(byte_rune).filter(|&c| !is_space(c)).collect();
    if kept.len() == s.len() {
        return text(s);
    }
    text(kept.into_iter().collect::<String>())
}

/// goutils' `Initials`: the first byte of each whitespace-separated word.
pub(crate) fn initials(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let mut gap = true;
    let mut out = String::new();
    for c in str_arg(args, 0).bytes().map(byte_rune) {
        if is_space(c) {
            gap = true;
        } else if gap {
            out.push(c);
            gap = false;
        }
    }
    text(out)
}

/// goutils' `WrapCustom` on bytes.
fn wrap_custom(s: &str, width: i64, newline: &str, wrap_long: bool) -> String {
    if s.is_empty() {
        return String::new();
    }
    let newline = if newline.is_empty() { "\n" } else { newline }.as_bytes();
    let width = width.max(1) as usize;
    let bytes = s.as_bytes();
    let len = bytes.len();
    let mut offset = 0;
    let mut out: Vec<u8> = Vec::new();
    while len - offset > width {
        if bytes[offset] == b' ' {
            offset += 1;
            continue;
        }
        let window = &bytes[offset..offset + width + 1];
        if let Some(space) = window.iter().rposition(|&b| b == b' ') {
            out.extend_from_slice(&bytes[offset..offset + space]);
            out.extend_from_slice(newline);
            offset += space + 1;
        } else if wrap_long {
            out.extend_from_slice(&bytes[offset..offset + width]);
            out.extend_from_slice(newline);
            offset += width;
        } else {
            let end = offset + width;
            match bytes[end..].iter().position(|&b| b == b' ') {
                None => {
                    out.extend_from_slice(&bytes[offset..]);
                    offset = len;
                }
                Some(index) => {
                    out.extend_from_slice(&bytes[offset..end + index]);
                    out.extend_from_slice(newline);
                    offset = end + index + 1;
                }
            }
        }
    }
    out.extend_from_slice(&bytes[offset..]);
    from_bytes(&out)
}

/// `wrap WIDTH S`: lines broken at spaces; long words are not broken.
pub(crate) fn wrap(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    text(wrap_custom(str_arg(args, 1), int_arg(args, 0), "", false))
}

/// `wrapWith WIDTH SEP S`: lines broken with SEP; long words are broken too.
pub(crate) fn wrap_with(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let (width, sep, s) = (int_arg(args, 0), str_arg(args, 1), str_arg(args, 2));
    if sep.len() as u128 * (s.len() as u128 + 1) > MAX_OUTPUT as u128 {
        return Err(too_long());
    }
    text(wrap_custom(s, width, sep, true))
}

pub(crate) fn contains(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    Ok(Value::Bool(str_arg(args, 1).contains(str_arg(args, 0))))
}

pub(crate) fn has_prefix(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    Ok(Value::Bool(str_arg(args, 1).starts_with(str_arg(args, 0))))
}

pub(crate) fn has_suffix(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    Ok(Value::Bool(str_arg(args, 1).ends_with(str_arg(args, 0))))
}

/// `quote`: each non-nil argument's text Go-quoted, space-separated.
pub(crate) fn quote(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let parts: Vec<String> = args
        .iter()
        .filter(|v| !super::convert::is_nil(v))
        .map(|v| go_quote(&strval(v)))
        .collect();
    text(parts.join(" "))
}

/// `squote`: each non-nil argument in single quotes (no escaping), space-separated.
pub(crate) fn squote(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let parts: Vec<String> = args
        .iter()
        .filter(|v| !super::convert::is_nil(v))
        .map(|v| format!("'{}'", strval(v)))
        .collect();
    text(parts.join(" "))
}

/// `cat`: the non-nil arguments' `%v` text, space-separated.
pub(crate) fn cat(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let parts: Vec<String> = args
        .iter()
        .filter(|v| !super::convert::is_nil(v))
        .map(strval)
        .collect();
    text(parts.join(" "))
}

fn indent_text(spaces: i64, s: &str) -> Result<String, String> {
    if spaces < 0 {
        return Err("strings: negative Repeat count".to_owned());
    }
    let spaces = spaces as usize;
    let lines = s.bytes().filter(|&b| b == b'\n').count() + 1;
    if (spaces as u128) * (lines as u128) + s.len() as u128 > MAX_OUTPUT as u128 {
        return Err(too_long());
    }
    let pad = " ".repeat(spaces);
    Ok(format!("{pad}{}", s.replace('\n', &format!("\n{pad}"))))
}

/// `indent N S`: every line of S indented by N spaces.
pub(crate) fn indent(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    text(indent_text(int_arg(args, 0), str_arg(args, 1))?)
}

/// `nindent N S`: a newline, then `indent N S`.
pub(crate) fn nindent(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    text(format!(
        "\n{}",
        indent_text(int_arg(args, 0), str_arg(args, 1))?
    ))
}

/// `replace OLD NEW S`: every OLD replaced (an empty OLD matches between characters).
pub(crate) fn replace(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let (old, new, s) = (str_arg(args, 0), str_arg(args, 1), str_arg(args, 2));
    let matches = if old.is_empty() {
        s.chars().count() + 1
    } else {
        s.matches(old).count()
    };
    if (matches as u128) * (new.len() as u128) + s.len() as u128 > MAX_OUTPUT as u128 {
        return Err(too_long());
    }
    text(s.replace(old, new))
}

/// `plural ONE MANY COUNT`.
pub(crate) fn plural(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let index = if int_arg(args, 2) == 1 { 0 } else { 1 };
    text(str_arg(args, index))
}

/// `fail MESSAGE`: always an error with that message.
pub(crate) fn fail(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    Err(str_arg(args, 0).to_owned())
}

/// `hello`: sprig's greeting.
pub(crate) fn hello(_: &Context<'_>, _: &[Value]) -> Result<Value, String> {
    text("Hello!")
}

/// `toString`: the value's `%v` text.
pub(crate) fn to_string(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    text(strval(arg(args, 0)))
}
