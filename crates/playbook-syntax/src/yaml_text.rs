//! Writing a string as YAML source: when a plain scalar reads back as the same string, and
//! the double-quoted form otherwise. Shared by everything that inserts YAML text (the
//! checks' fixes, completion, rename), so they agree on what needs quotes.

/// `text` escaped for the inside of a double-quoted YAML scalar.
pub fn escape_double(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// `text` as a double-quoted YAML scalar.
pub fn double_quoted(text: &str) -> String {
    format!("\"{}\"", escape_double(text))
}

/// Whether `text`, written as a plain scalar on the line of its key, is parsed back as
/// this text: no indicator first, no `: ` or ` #` inside, no line break, no surrounding
/// blanks. (It may still be resolved as a number or a boolean: see [`is_plain_name`].)
pub fn is_plain_safe(text: &str) -> bool {
    !text.is_empty()
        && text.trim() == text
        && !text.starts_with([
            '{', '}', '[', ']', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`', '#', ',', '?',
            '-', ':',
        ])
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.ends_with(':')
        && !text.contains(|c: char| c.is_control())
}

/// Whether a name written plain is read as this string by YAML 1.1 and 1.2 alike: it is
/// plain-safe, starts with a letter or `_`, and is not a boolean or null of either.
pub fn is_plain_name(name: &str) -> bool {
    const RESERVED: [&str; 11] = [
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "nan", "inf",
    ];
    is_plain_safe(name)
        && name
            .chars()
            .next()
            .is_some_and(|c| c == '_' || c.is_alphabetic())
        && !RESERVED.contains(&name.to_ascii_lowercase().as_str())
}

/// A name as a YAML scalar: plain when it reads back as itself ([`is_plain_name`]), else
/// double-quoted.
pub fn scalar(name: &str) -> String {
    if is_plain_name(name) {
        name.to_owned()
    } else {
        double_quoted(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_values() {
        assert!(is_plain_name("RedisIp") && is_plain_name("redis-ip"));
        assert!(!is_plain_name("true") && !is_plain_name("Yes") && !is_plain_name("1st"));
        assert!(!is_plain_name("a: b") && !is_plain_name("-x"));
        assert!(is_plain_safe("80") && !is_plain_safe("a #b") && !is_plain_safe(" a"));
        assert_eq!(double_quoted("a \"b\"\n"), r#""a \"b\"\n""#);
        assert_eq!(scalar("RedisIp"), "RedisIp");
        assert_eq!(scalar("redis-ip"), "redis-ip");
        assert_eq!(scalar("a: b"), "\"a: b\"");
        assert_eq!(scalar("true"), "\"true\"");
    }
}
