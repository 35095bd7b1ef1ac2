//! The check of the formatter's guarantees, shared by the corpus tests and the property
//! test.

#![allow(dead_code, clippy::unwrap_used)]

use playbook_fmt::{FormatError, FormatOptions, format, verify};
use playbook_syntax::events::to_events;

/// `Some(changed)` when `text` was formatted and both guarantees hold, `None` when it was
/// refused for its syntax errors, the broken guarantee otherwise.
pub fn guarantees(text: &str, options: &FormatOptions) -> Result<Option<bool>, String> {
    let parse = playbook_syntax::parse(text);
    let formatted = match format(text, options) {
        Ok(formatted) => formatted,
        Err(FormatError::Syntax(errors)) => {
            return if parse.errors().is_empty() || errors != parse.errors() {
                Err("refused with errors the parser does not report".into())
            } else {
                Ok(None)
            };
        }
        Err(FormatError::Unverified) => {
            return Err(format!(
                "refused as unverified (the safety net caught a broken layout)\n--- layout:\n{}",
                debug_layout(text, options)
            ));
        }
    };
    let reparsed = playbook_syntax::parse(&formatted);
    if !reparsed.errors().is_empty() {
        return Err(format!(
            "the formatted text has syntax errors: {:?}\n--- formatted:\n{formatted}",
            reparsed.errors()
        ));
    }
    let (before, after) = (to_events(parse.tree()), to_events(reparsed.tree()));
    if before != after {
        return Err(format!(
            "events differ\n--- formatted:\n{formatted}\n--- before:\n{before}--- after:\n{after}"
        ));
    }
    let comments: Vec<&str> = verify::comments(parse.tree()).collect();
    let kept: Vec<&str> = verify::comments(reparsed.tree()).collect();
    if comments != kept {
        return Err(format!(
            "comments differ: {comments:?} became {kept:?}\n--- formatted:\n{formatted}"
        ));
    }
    let again = format(&formatted, options).map_err(|e| format!("second format: {e}"))?;
    if again != formatted {
        return Err(format!(
            "not idempotent\n--- first:\n{formatted}\n--- second:\n{again}"
        ));
    }
    Ok(Some(formatted != text))
}

/// The raw layout of `text`, unchecked: what the formatter wrote before its safety net
/// refused it, for the failure message.
fn debug_layout(text: &str, options: &FormatOptions) -> String {
    playbook_fmt::layout_unchecked(text, options)
}

/// The option sets every guarantee is tested with: the defaults, and the other choice of
/// each setting.
pub const OPTIONS: [FormatOptions; 2] = [
    FormatOptions {
        indent: 2,
        indent_sequences: true,
    },
    FormatOptions {
        indent: 4,
        indent_sequences: false,
    },
];
