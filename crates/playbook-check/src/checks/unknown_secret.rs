//! PB306 unknown-secret: `secret "NAME"` names a secret missing from the configured catalogue.

use playbook_diagnostics::{Code, Diagnostic, Fix, Severity, TextRange};

pub static CODE: Code = Code {
    id: "PB306",
    name: "unknown-secret",
    severity: Severity::Error,
    summary: "A secret name that is not in the secret catalogue",
    doc: r#"## What it means
`playbook.toml` lists the known secrets (`[secrets] known = [...]`), and `secret "NAME"`
names one that is not in the list.

## Why it matters
The secret does not exist where the playbook runs, so the step gets nothing.

## Example
```yaml
TOKEN: '{{ secret "GITHUB_TOKEN" }}'
```
with `known = ["GITHUB_API_TOKEN"]`.

## How to fix
Use the name the label suggests, or add the secret to the catalogue.
"#,
};

/// `replace`: the fix that writes a known secret's name in place of `name`.
pub(crate) fn diagnostic(
    name: &str,
    range: TextRange,
    known: &[String],
    replace: impl FnOnce(&str) -> Option<Fix>,
) -> Diagnostic {
    let suggestion = playbook_hir::suggest::closest(name, known.iter().map(String::as_str));
    let d = Diagnostic::new(&CODE, range, format!("unknown secret `{name}`"))
        .with_label(super::did_you_mean(suggestion, "not in `[secrets] known`"))
        .with_help(match suggestion {
            Some(s) => format!("use `{s}`, or add `{name}` to `[secrets] known` in playbook.toml"),
            None => format!("add `{name}` to `[secrets] known` in playbook.toml"),
        });
    // The secret may be missing from the catalogue rather than misspelled: a person decides.
    super::with_replacement(d, suggestion, false, replace)
}
