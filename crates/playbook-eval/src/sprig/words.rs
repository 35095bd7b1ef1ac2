//! Word-based case conversions from the xstrings library (`snakecase`, `kebabcase`,
//! `camelcase`), which split text into words of letters, numbers, punctuation and
//! connectors (`-`, `_`, spaces), and the `adler32sum` checksum.

use super::convert::{is_punct, is_space, is_upper, str_arg, to_lower, to_upper};
use crate::Value;
use crate::functions::Context;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Word {
    Number,
    Upper,
    Alphabet,
    Connector,
    Punct,
    Other,
}

fn is_connector(c: char) -> bool {
    c == '-' || c == '_' || is_space(c)
}

/// A letter, but not a CJK ideograph.
fn is_alphabet(c: char) -> bool {
    if !c.is_alphabetic() {
        return false;
    }
    let u = c as u32;
    !(matches!(u, 0x4E00..=0x9FCC | 0x3400..=0x4D85 | 0x20000..=0x2B81D))
}

/// The length in bytes of the leading run of `s` whose characters satisfy `keep`.
fn run(s: &str, keep: impl Fn(char) -> bool) -> usize {
    s.char_indices()
        .find(|&(_, c)| !keep(c))
        .map_or(s.len(), |(at, _)| at)
}

/// The next word of `s`: its kind, the word and the rest.
fn next_word(s: &str) -> Option<(Word, &str, &str)> {
    let first = s.chars().next()?;
    let after = &s[first.len_utf8()..];
    let (kind, len) = if is_connector(first) {
        (Word::Connector, run(after, is_connector))
    } else if is_punct(first) {
        (Word::Punct, run(after, is_punct))
    } else if is_upper(first) {
        match after.chars().next() {
            Some(second) if is_upper(second) => {
                let uppers = run(after, is_upper);
                let following = after[uppers..].chars().next();
                // "HTTPStatus": the last upper-case letter starts the next word.
                if following.is_some_and(is_alphabet) {
                    let last = after[..uppers]
                        .chars()
                        .next_back()
                        .map_or(0, char::len_utf8);
                    (Word::Upper, uppers - last)
                } else {
                    (Word::Upper, uppers)
                }
            }
            Some(second) if is_alphabet(second) => {
                (Word::Upper, run(after, |c| is_alphabet(c) && !is_upper(c)))
            }
            _ => (Word::Upper, 0),
        }
    } else if is_alphabet(first) {
        (
            Word::Alphabet,
            run(after, |c| is_alphabet(c) && !is_upper(c)),
        )
    } else if first.is_numeric() {
        (Word::Number, run(after, char::is_numeric))
    } else {
        (
            Word::Other,
            run(after, |c| {
                !(is_connector(c) || is_alphabet(c) || c.is_numeric() || is_punct(c))
            }),
        )
    };
    let end = first.len_utf8() + len;
    Some((kind, &s[..end], &s[end..]))
}

/// Writes a word lower-cased, its connectors replaced (other kinds are written as they are).
fn push_lower(out: &mut String, kind: Word, word: &str, connector: char) {
    if kind != Word::Upper && kind != Word::Connector {
        out.push_str(word);
        return;
    }
    for c in word.chars() {
        if is_connector(c) {
            out.push(connector);
        } else if is_upper(c) {
            out.push(to_lower(c));
        } else {
            out.push(c);
        }
    }
}

/// Moves to the word after `rest`: its kind, or `None` at the end, where the word and the
/// rest become empty.
fn advance<'s>(kind: &mut Word, word: &mut &'s str, rest: &mut &'s str) -> Option<Word> {
    match next_word(rest) {
        Some((k, w, r)) => {
            (*kind, *word, *rest) = (k, w, r);
            Some(k)
        }
        None => {
            (*word, *rest) = ("", "");
            None
        }
    }
}

/// xstrings' `camelCaseToLowerCase`: words lower-cased and joined by `connector`.
fn to_lower_case(s: &str, connector: char) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    let Some((mut kind, mut word, mut rest)) = next_word(s) else {
        return out;
    };
    while !rest.is_empty() {
        if kind != Word::Connector {
            push_lower(&mut out, kind, word, connector);
        }
        let (previous, last) = (kind, word);
        // `None` once the input is exhausted (Go's `invalidWord`).
        let mut current = advance(&mut kind, &mut word, &mut rest);
        match previous {
            Word::Number => {
                while matches!(current, Some(Word::Alphabet | Word::Number)) {
                    push_lower(&mut out, kind, word, connector);
                    current = advance(&mut kind, &mut word, &mut rest);
                }
                if !matches!(current, None | Some(Word::Punct | Word::Connector)) {
                    out.push(connector);
                }
            }
            Word::Connector => push_lower(&mut out, previous, last, connector),
            Word::Punct => {}
            _ => {
                if current != Some(Word::Number) {
                    if !matches!(current, Some(Word::Connector | Word::Punct)) {
                        out.push(connector);
                    }
                } else if !rest.is_empty() {
                    let number = word;
                    current = advance(&mut kind, &mut word, &mut rest);
                    if current != Some(Word::Alphabet) {
                        // "Bld4Floor": the number belongs to the word before it.
                        push_lower(&mut out, Word::Number, number, connector);
                        if !matches!(current, Some(Word::Connector | Word::Punct)) {
                            out.push(connector);
                        }
                    } else {
                        // "HTTP2xx": letters after the number start a word with it.
                        out.push(connector);
                        push_lower(&mut out, Word::Number, number, connector);
                        while matches!(current, Some(Word::Alphabet | Word::Number)) {
                            push_lower(&mut out, kind, word, connector);
                            current = advance(&mut kind, &mut word, &mut rest);
                        }
                        if !matches!(current, None | Some(Word::Connector | Word::Punct)) {
                            out.push(connector);
                        }
                    }
                }
            }
        }
        if current.is_none() {
            kind = Word::Other;
            word = "";
        }
    }
    push_lower(&mut out, kind, word, connector);
    out
}

pub(crate) fn snakecase(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    Ok(Value::string(to_lower_case(str_arg(args, 0), '_')))
}

pub(crate) fn kebabcase(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    Ok(Value::string(to_lower_case(str_arg(args, 0), '-')))
}

/// xstrings' `ToCamelCase`: connectors removed, the letter after one upper-cased, others
/// lower-cased (leading connectors are kept, and runs of connectors keep all but the last).
pub(crate) fn camelcase(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let s = str_arg(args, 0);
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    let mut current = None;
    for c in chars.by_ref() {
        if !is_connector(c) {
            current = Some(to_upper(c));
            break;
        }
        out.push(c);
    }
    let Some(mut r0) = current else {
        // Only connectors: Go writes the last one twice.
        if let Some(last) = s.chars().next_back() {
            out.push(last);
        }
        return Ok(Value::string(out));
    };
    for c in chars {
        let r1 = r0;
        r0 = c;
        if is_connector(r0) && is_connector(r1) {
            out.push(r1);
            continue;
        }
        if is_connector(r1) {
            r0 = to_upper(r0);
        } else {
            r0 = to_lower(r0);
            out.push(r1);
        }
    }
    out.push(r0);
    Ok(Value::string(out))
}

/// `adler32sum`: the Adler-32 checksum of the text, in decimal.
pub(crate) fn adler32sum(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    const MOD: u32 = 65521;
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in str_arg(args, 0).as_bytes() {
        a = (a + u32::from(byte)) % MOD;
        b = (b + a) % MOD;
    }
    Ok(Value::string(((b << 16) | a).to_string()))
}
