//! PB110 unknown-function: a template calls a function that does not exist.

use playbook_diagnostics::{Code, Diagnostic, Fix, Severity, TextRange};

pub static CODE: Code = Code {
    id: "PB110",
    name: "unknown-function",
    severity: Severity::Error,
    summary: "A template calls a function that does not exist",
    doc: r#"## What it means
The template calls a function that is neither a Go template builtin, a sprig function, nor
one of the platform's own (`secret`, `get`, `ieq`, `ine`).

## Why it matters
The template fails when the step runs, at 3 a.m., instead of when the playbook is reviewed.

## Example
```yaml
env:
  PAYLOAD: "{{ toJSON $.params.Labels }}"
```

## How to fix
Use the function the label suggests (`toJson`); function names are case-sensitive.
"#,
};

/// `replace`: the fix that writes a function's name in place of `name`.
pub(crate) fn diagnostic(
    name: &str,
    range: TextRange,
    replace: impl FnOnce(&str) -> Option<Fix>,
) -> Diagnostic {
    let suggestion =
        playbook_hir::suggest::closest_suggestion(name, playbook_template::functions::names());
    let (suggestion, only) = (
        suggestion.map(|s| s.name),
        suggestion.is_some_and(|s| s.only),
    );
    let d = Diagnostic::new(&CODE, range, format!("unknown function `{name}`"))
        .with_label(super::did_you_mean(suggestion, "no such function"))
        .with_help(match suggestion {
            Some(s) => format!("replace `{name}` with `{s}`"),
            None => {
                "see the Go template builtins and the sprig functions for what exists".to_owned()
            }
        });
    super::with_replacement(d, suggestion, only, replace)
}
