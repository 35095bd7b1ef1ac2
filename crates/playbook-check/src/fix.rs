//! The edits that fix a finding, where the check knows them: a misspelled name replaced by
//! the one suggested, and `secret` written around the read of a secret parameter.
//!
//! A replacement is written the way the place it goes needs: a template field that is no
//! identifier becomes a quoted field (`.'redis-info'`), a `'` inside a single-quoted YAML
//! scalar is doubled, a `"` inside a double-quoted one escaped. Where the text cannot be
//! written there for sure (the old name is written with escapes or across lines, the new
//! one holds characters the place cannot take), there is no fix: a wrong edit is worse than
//! none.

use playbook_diagnostics::{Edit, Fix, TextRange};
use playbook_hir::ir::Text;
use playbook_syntax::ast::ScalarStyle;

/// How a name is written in a template.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Written {
    /// A field of a path, `.name`; a name that is not an identifier is written `.'name'`.
    Field,
    /// A quoted field, `.'name'`, with this quote; the range covers the quotes.
    Quoted(char),
    /// A field of a path written without braces (`in: pods.items`) or inside a string
    /// (`get "$.params.x"`), where no quote can go.
    Bare,
    /// A function name: an identifier.
    Function,
    /// The content of a string literal quoted with this character (the range excludes the
    /// quotes).
    StringContent(char),
}

/// Where a name is in a template: the scalar, the name's range in the scalar's decoded
/// value, and how it is written.
#[derive(Clone, Copy, Debug)]
pub(crate) struct NameAt<'t> {
    pub text: &'t Text,
    pub range: TextRange,
    pub written: Written,
}

impl NameAt<'_> {
    /// The fix that writes `new` in place of the name, if it can be written there.
    pub(crate) fn replace(&self, new: &str) -> Option<Fix> {
        rename_in_template(self.text, self.range, self.written, new)
    }
}

/// The title of a fix that replaces a name.
pub(crate) fn replace_title(new: &str) -> String {
    format!("Replace with `{new}`")
}

/// Whether a name may be written as a template field without quotes (as the template
/// lexer reads words: a letter or `_`, then letters, digits and `_`).
fn is_template_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c == '_' || c.is_alphabetic())
        && chars.all(|c| c == '_' || c.is_alphanumeric())
}

/// Whether `name` holds only characters that every place a name goes can take as they are,
/// but for quotes: no white space, control character, backslash or template delimiter.
fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && !name.contains("{{")
        && !name.contains("}}")
        && name
            .chars()
            .all(|c| !c.is_whitespace() && !c.is_control() && c != '\\' && c != '#')
}

/// A fix writing `new` over decoded range `range` of `text`'s value, where a name is
/// written as `written`.
pub(crate) fn rename_in_template(
    text: &Text,
    range: TextRange,
    written: Written,
    new: &str,
) -> Option<Fix> {
    if !is_plain_name(new) {
        return None;
    }
    let (range, template) = match written {
        Written::Field if is_template_identifier(new) => (range, new.to_owned()),
        Written::Field if !new.contains('\'') => (range, format!("'{new}'")),
        Written::Field => return None,
        Written::Quoted(quote) => {
            if new.contains(quote) || range.len() < 2 {
                return None;
            }
            (
                TextRange::new(range.start() + 1, range.end() - 1),
                new.to_owned(),
            )
        }
        Written::Bare => {
            let fits = new
                .chars()
                .next()
                .is_some_and(|c| c == '_' || c.is_alphanumeric())
                && !new.contains(|c: char| ".{}()|\"'`[]".contains(c));
            if !fits {
                return None;
            }
            (range, new.to_owned())
        }
        Written::Function if is_template_identifier(new) => (range, new.to_owned()),
        Written::Function => return None,
        Written::StringContent(quote) => {
            if new.contains(quote) {
                return None;
            }
            (range, new.to_owned())
        }
    };
    let source = copied_range(text, range)?;
    Some(Fix::replace(
        replace_title(new),
        source,
        encode(&template, text.style),
    ))
}

/// The source range of decoded range `range` of `text`'s value, when the decoded text there
/// is copied from the source byte for byte (no escape, no folded line), so that replacing
/// the source replaces exactly that text.
fn copied_range(text: &Text, range: TextRange) -> Option<TextRange> {
    let old = text
        .value
        .get(range.start() as usize..range.end() as usize)?;
    // Escapes and folded lines make the source longer than what they decode to, except
    // those that produce white space (`\N`, `\L`): a name without white space or backslash
    // decoded from a source range of its own length was copied.
    if old.is_empty() || old.chars().any(|c| c.is_whitespace() || c == '\\') {
        return None;
    }
    let source = text.map.range_to_source(range);
    (source.len() == range.len() && source.end() <= text.range.end()).then_some(source)
}

/// Template text as it is written inside a scalar of style `style`.
fn encode(template: &str, style: ScalarStyle) -> String {
    match style {
        ScalarStyle::SingleQuoted => template.replace('\'', "''"),
        ScalarStyle::DoubleQuoted => template.replace('\\', "\\\\").replace('"', "\\\""),
        ScalarStyle::Plain | ScalarStyle::Literal | ScalarStyle::Folded => template.to_owned(),
    }
}

/// A fix writing `new` over `old`, a YAML scalar at `range` (its quotes included) that
/// holds only a name: a key, a step's image, a trigger's playbook. Only the name is
/// replaced; the scalar keeps its quotes.
///
/// The check knows the scalar's value and range, not its text: a value of names (no white
/// space, quote or backslash) written in `old.len()` bytes is written plain, and in
/// `old.len() + 2` bytes is quoted without escapes (every escape that decodes to such a
/// character is longer than it). Anything else has no fix.
pub(crate) fn rename_scalar(old: &str, range: TextRange, new: &str) -> Option<Fix> {
    let name_like = |s: &str| is_plain_name(s) && !s.contains(['\'', '"', '`']);
    if !name_like(old) || !name_like(new) {
        return None;
    }
    let len = old.len() as u32;
    let target = if range.len() == len {
        // Plain: the new name must read as the same kind of plain scalar.
        let plain = new
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$' || c == '.')
            && !new.ends_with(':')
            && !new.contains(['{', '}', '[', ']', ',']);
        if !plain {
            return None;
        }
        range
    } else if range.len() == len + 2 {
        TextRange::new(range.start() + 1, range.end() - 1)
    } else {
        return None;
    };
    Some(Fix::replace(replace_title(new), target, new))
}

/// How `secret` is written around an expression that reads a secret parameter.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Wrap {
    /// The first command of a pipeline that is a path: `secret $.params.x`.
    Head,
    /// The first command of a pipeline that is a call: `secret (index $.params "x")`.
    HeadCall,
    /// Anywhere else: `(secret $.params.x)`.
    Argument,
}

/// A fix writing `secret` around decoded range `range` of `text`'s value.
pub(crate) fn wrap_in_secret(text: &Text, range: TextRange, wrap: Wrap) -> Option<Fix> {
    let start = text.map.to_source(range.start());
    let end = text.map.range_to_source(range).end();
    if range.is_empty() || start >= end || end > text.range.end() {
        return None;
    }
    let insert = |at: u32, s: &str| Edit {
        range: TextRange::empty(at),
        text: s.to_owned(),
    };
    let edits = match wrap {
        Wrap::Head => vec![insert(start, "secret ")],
        Wrap::HeadCall => vec![insert(start, "secret ("), insert(end, ")")],
        Wrap::Argument => vec![insert(start, "(secret "), insert(end, ")")],
    };
    Some(Fix {
        title: "Read it with `secret`".to_owned(),
        edits,
        safe: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use playbook_syntax::decode::SourceMap;

    fn text(source: &str, value: &str, style: ScalarStyle, start: u32) -> Text {
        Text::new(
            value.into(),
            TextRange::at(start, source.len() as u32),
            style,
            SourceMap::verbatim(start + 1, value.len() as u32),
        )
    }

    #[test]
    fn a_field_that_is_no_identifier_is_quoted_for_the_template_and_the_yaml() {
        let t = text("'{{ $.x }}'", "{{ $.x }}", ScalarStyle::SingleQuoted, 0);
        let fix = rename_in_template(&t, TextRange::at(5, 1), Written::Field, "redis-info");
        let edit = &fix.expect("a fix").edits[0];
        assert_eq!(edit.text, "''redis-info''");
        assert_eq!(edit.range, TextRange::at(6, 1));
        let fix = rename_in_template(&t, TextRange::at(5, 1), Written::Field, "it's");
        assert!(fix.is_none());
    }

    #[test]
    fn a_scalar_is_renamed_inside_its_quotes() {
        let fix = rename_scalar("envs", TextRange::at(10, 6), "env").expect("a fix");
        assert_eq!(fix.edits[0].range, TextRange::at(11, 4));
        assert!(rename_scalar("envs", TextRange::at(10, 7), "env").is_none());
        assert!(rename_scalar("a b", TextRange::at(10, 3), "ab").is_none());
        assert!(rename_scalar("ab", TextRange::at(10, 2), "-x y").is_none());
    }
}
