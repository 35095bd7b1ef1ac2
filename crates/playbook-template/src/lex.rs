//! The lexer: turns the content of one action into tokens with byte spans.
//!
//! Whitespace is a token ([`Token::Space`]) because it separates arguments while its absence
//! joins a path (`$x.y` is one operand, `$x .y` two). Literals are decoded here; lexical
//! errors (a stray character, an unterminated string, a bad escape, a malformed number) are
//! reported here and leave a [`Token::Bad`] or a best-effort literal behind, so the parser
//! carries on without reporting them twice.

use std::fmt;

use chumsky::span::SimpleSpan;
use playbook_diagnostics::{Diagnostic, TextRange};

use crate::codes;
use crate::scan::is_space;

/// A token of an action's content.
#[derive(Clone, PartialEq, Debug)]
pub(crate) enum Token<'s> {
    Space,
    Dot,
    /// `$` alone.
    Dollar,
    /// `$name`, without the `$`.
    Var(&'s str),
    /// An identifier or keyword.
    Word(&'s str),
    Str(String),
    Raw(String),
    Char(String),
    Number(&'s str),
    Pipe,
    LParen,
    RParen,
    LBracket,
    RBracket,
    Colon,
    Comma,
    Star,
    Declare,
    Assign,
    /// Something already reported by the lexer.
    Bad,
}

impl fmt::Display for Token<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Token::Space => f.write_str("whitespace"),
            Token::Dot => f.write_str("`.`"),
            Token::Dollar => f.write_str("`$`"),
            Token::Var(name) => write!(f, "`${name}`"),
            Token::Word(word) => write!(f, "`{word}`"),
            Token::Str(_) | Token::Raw(_) => f.write_str("a string"),
            Token::Char(_) => f.write_str("a quoted name"),
            Token::Number(n) => write!(f, "`{n}`"),
            Token::Pipe => f.write_str("`|`"),
            Token::LParen => f.write_str("`(`"),
            Token::RParen => f.write_str("`)`"),
            Token::LBracket => f.write_str("`[`"),
            Token::RBracket => f.write_str("`]`"),
            Token::Colon => f.write_str("`:`"),
            Token::Comma => f.write_str("`,`"),
            Token::Star => f.write_str("`*`"),
            Token::Declare => f.write_str("`:=`"),
            Token::Assign => f.write_str("`=`"),
            Token::Bad => f.write_str("an invalid token"),
        }
    }
}

pub(crate) type Spanned<'s> = (Token<'s>, SimpleSpan);

fn err(start: usize, end: usize, message: impl Into<String>) -> Diagnostic {
    let range = TextRange::new(
        u32::try_from(start).unwrap_or(u32::MAX),
        u32::try_from(end).unwrap_or(u32::MAX),
    );
    Diagnostic::new(&codes::TEMPLATE_SYNTAX, range, message)
}

fn is_word_start(c: char) -> bool {
    c == '_' || c.is_alphabetic()
}

fn is_word_char(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

/// Lexes `text[start..end]`, appending tokens (with absolute spans) and errors.
pub(crate) fn lex<'s>(
    text: &'s str,
    start: usize,
    end: usize,
    tokens: &mut Vec<Spanned<'s>>,
    errors: &mut Vec<Diagnostic>,
) {
    let Some(src) = text.get(start..end) else {
        return;
    };
    let bytes = src.as_bytes();
    let mut i = 0;
    while let Some(c) = src.get(i..).and_then(|s| s.chars().next()) {
        let at = |k: usize| bytes.get(k).copied();
        let begin = i;
        let token = match c {
            _ if c.is_ascii() && is_space(c as u8) => {
                while at(i).is_some_and(is_space) {
                    i += 1;
                }
                Token::Space
            }
            '.' => {
                i += 1;
                Token::Dot
            }
            '$' => {
                i += 1;
                let name_len = word_len(src, i, true);
                i += name_len;
                if name_len == 0 {
                    Token::Dollar
                } else {
                    Token::Var(src.get(begin + 1..i).unwrap_or_default())
                }
            }
            '"' | '\'' => {
                let before = errors.len();
                let (value, next) = lex_quoted(src, i + 1, c, start, errors);
                i = next;
                if c == '"' {
                    Token::Str(value)
                } else if errors.len() > before {
                    // Reported already: an unterminated or badly escaped quoted name.
                    Token::Bad
                } else {
                    Token::Char(value)
                }
            }
            '`' => match src.get(i + 1..).and_then(|s| s.find('`')) {
                Some(len) => {
                    let value = src.get(i + 1..i + 1 + len).unwrap_or_default().to_string();
                    i += len + 2;
                    Token::Raw(value)
                }
                None => {
                    errors.push(
                        err(start + i, start + src.len(), "unterminated raw string")
                            .with_label("this string is never closed")
                            .with_help("add the closing backquote"),
                    );
                    let value = src.get(i + 1..).unwrap_or_default().to_string();
                    i = src.len();
                    Token::Raw(value)
                }
            },
            '0'..='9' => lex_number(src, &mut i, start, errors),
            '-' | '+' if at(i + 1).is_some_and(|b| b.is_ascii_digit()) => {
                lex_number(src, &mut i, start, errors)
            }
            _ if is_word_start(c) => {
                i += word_len(src, i, false);
                Token::Word(src.get(begin..i).unwrap_or_default())
            }
            ':' if at(i + 1) == Some(b'=') => {
                i += 2;
                Token::Declare
            }
            _ => {
                i += c.len_utf8();
                match c {
                    '|' => Token::Pipe,
                    '(' => Token::LParen,
                    ')' => Token::RParen,
                    '[' => Token::LBracket,
                    ']' => Token::RBracket,
                    ':' => Token::Colon,
                    ',' => Token::Comma,
                    '*' => Token::Star,
                    '=' => Token::Assign,
                    _ => {
                        // One error for a run of characters that start nothing.
                        while let Some(d) = src.get(i..).and_then(|s| s.chars().next()) {
                            if starts_token(d) {
                                break;
                            }
                            i += d.len_utf8();
                        }
                        let bad = src.get(begin..i).unwrap_or_default();
                        let what = if bad.chars().count() == 1 {
                            "character"
                        } else {
                            "characters"
                        };
                        errors.push(
                            err(
                                start + begin,
                                start + i,
                                format!("unexpected {what} `{bad}`"),
                            )
                            .with_label("not valid in a template action"),
                        );
                        Token::Bad
                    }
                }
            }
        };
        let span = SimpleSpan::from(start + begin..start + i);
        tokens.push((token, span));
    }
}

/// Whether `c` can start a token (so a run of invalid characters stops before it).
fn starts_token(c: char) -> bool {
    c.is_ascii_whitespace()
        || is_word_start(c)
        || c.is_ascii_digit()
        || "._$\"'`|()[]:,*=".contains(c)
}

fn word_len(src: &str, from: usize, digits_first: bool) -> usize {
    let Some(rest) = src.get(from..) else {
        return 0;
    };
    let mut len = 0;
    for (n, c) in rest.chars().enumerate() {
        let ok = if n == 0 && !digits_first {
            is_word_start(c)
        } else {
            is_word_char(c)
        };
        if !ok {
            break;
        }
        len += c.len_utf8();
    }
    len
}

/// Lexes a `"` or `'` literal whose content starts at `from`; returns its decoded value and
/// the offset after it. Unterminated literals end at a newline or at the end.
fn lex_quoted(
    src: &str,
    from: usize,
    quote: char,
    base: usize,
    errors: &mut Vec<Diagnostic>,
) -> (String, usize) {
    let mut value = String::new();
    let mut i = from;
    loop {
        let Some(c) = src.get(i..).and_then(|s| s.chars().next()) else {
            unterminated(errors, base + from - 1, base + i, quote);
            return (value, i);
        };
        if c == quote {
            return (value, i + 1);
        }
        if c == '\n' {
            unterminated(errors, base + from - 1, base + i, quote);
            return (value, i);
        }
        if c == '\\' {
            i = lex_escape(src, i, quote, base, &mut value, errors);
        } else {
            value.push(c);
            i += c.len_utf8();
        }
    }
}

fn unterminated(errors: &mut Vec<Diagnostic>, start: usize, end: usize, quote: char) {
    let what = if quote == '"' {
        "string"
    } else {
        "quoted name"
    };
    errors.push(
        err(start, end, format!("unterminated {what}"))
            .with_label(format!("this {what} is never closed"))
            .with_help(format!("add the closing `{quote}`")),
    );
}

/// Decodes the escape at `src[i]` (a backslash) into `value`; returns the offset after it.
fn lex_escape(
    src: &str,
    i: usize,
    quote: char,
    base: usize,
    value: &mut String,
    errors: &mut Vec<Diagnostic>,
) -> usize {
    let Some(c) = src.get(i + 1..).and_then(|s| s.chars().next()) else {
        return i + 1;
    };
    let simple = match c {
        'a' => Some('\u{7}'),
        'b' => Some('\u{8}'),
        'f' => Some('\u{c}'),
        'n' => Some('\n'),
        'r' => Some('\r'),
        't' => Some('\t'),
        'v' => Some('\u{b}'),
        '\\' => Some('\\'),
        _ if c == quote => Some(c),
        _ => None,
    };
    if let Some(decoded) = simple {
        value.push(decoded);
        return i + 2;
    }
    let (digits, radix) = match c {
        'x' => (2, 16),
        'u' => (4, 16),
        'U' => (8, 16),
        '0'..='7' => (3, 8),
        _ => (0, 0),
    };
    let skip = if radix == 8 { 1 } else { 2 };
    let hex = src.get(i + skip..i + skip + digits).filter(|_| radix != 0);
    let code = hex
        .filter(|h| h.chars().all(|d| d.is_digit(radix)))
        .and_then(|h| u32::from_str_radix(h, radix).ok());
    let decoded = code.and_then(|n| {
        if radix == 16 && digits == 2 || radix == 8 {
            // `\x` and octal escapes are bytes; keep ASCII, replace the rest.
            (n <= 0xff).then(|| char::from_u32(n).unwrap_or('\u{fffd}'))
        } else {
            char::from_u32(n)
        }
    });
    match decoded {
        Some(d) => {
            value.push(d);
            i + skip + digits
        }
        None => {
            let end = i + 1 + c.len_utf8();
            errors.push(
                err(base + i, base + end, format!("invalid escape `\\{c}`"))
                    .with_label("unknown escape sequence")
                    .with_help("write `\\\\` for a backslash, or use a raw string in backquotes"),
            );
            value.push(c);
            end
        }
    }
}

/// Lexes a number starting at `src[*i]` (a digit or a sign).
fn lex_number<'s>(
    src: &'s str,
    i: &mut usize,
    base: usize,
    errors: &mut Vec<Diagnostic>,
) -> Token<'s> {
    let bytes = src.as_bytes();
    let begin = *i;
    let mut k = begin + 1;
    while let Some(&b) = bytes.get(k) {
        let exponent_sign =
            matches!(b, b'+' | b'-') && matches!(bytes.get(k - 1), Some(b'e' | b'E' | b'p' | b'P'));
        if b.is_ascii_alphanumeric() || b == b'_' || b == b'.' || exponent_sign {
            k += 1;
        } else {
            break;
        }
    }
    *i = k;
    let text = src.get(begin..k).unwrap_or_default();
    if valid_number(text) {
        Token::Number(text)
    } else {
        errors.push(
            err(base + begin, base + k, format!("malformed number `{text}`"))
                .with_label("not a valid number"),
        );
        Token::Bad
    }
}

/// Go's number syntax: decimal, hex, octal and binary integers, decimal and hex floats,
/// with `_` separators.
fn valid_number(text: &str) -> bool {
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    let digits: String = unsigned.chars().filter(|&c| c != '_').collect();
    let lower = digits.to_ascii_lowercase();
    if let Some(hex) = lower.strip_prefix("0x") {
        return !hex.is_empty()
            && (u64::from_str_radix(hex, 16).is_ok()
                || hex.split_once('p').is_some_and(|(mantissa, exp)| {
                    !mantissa.is_empty()
                        && mantissa.chars().all(|c| c.is_ascii_hexdigit() || c == '.')
                        && exp.trim_start_matches(['-', '+']).parse::<u32>().is_ok()
                }));
    }
    if let Some(oct) = lower.strip_prefix("0o") {
        return u64::from_str_radix(oct, 8).is_ok();
    }
    if let Some(bin) = lower.strip_prefix("0b") {
        return u64::from_str_radix(bin, 2).is_ok();
    }
    if lower.len() > 1 && lower.starts_with('0') && lower.chars().all(|c| c.is_ascii_digit()) {
        return u64::from_str_radix(&lower, 8).is_ok();
    }
    lower.parse::<u64>().is_ok()
        || (lower
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | '+' | '-'))
            && lower.parse::<f64>().is_ok())
}
