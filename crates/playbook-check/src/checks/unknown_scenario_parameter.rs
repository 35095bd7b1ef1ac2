//! PB602 unknown-scenario-parameter: a trigger scenario sets a parameter the playbook does
//! not declare.

use playbook_diagnostics::{Code, Diagnostic, Fix, Severity, TextRange};

pub static CODE: Code = Code {
    id: "PB602",
    name: "unknown-scenario-parameter",
    severity: Severity::Error,
    summary: "A trigger scenario sets a parameter that the playbook does not declare",
    doc: r#"## What it means
A scenario's `parameters` map parameter names of the bound playbook to values; this name is
not one of the playbook's parameters.

## Why it matters
The value is dropped, and the playbook runs with its default instead.

## Example
```yaml
playbook: redis-diagnostics
scenarios:
  - name: Alert
    parameters:
      RedisIP: "{{ .Host }}"
```

## How to fix
Use the parameter name the label suggests.
"#,
};

/// `replace`: the fix that writes a declared parameter's name in place of `name`.
pub(crate) fn diagnostic<'a>(
    name: &str,
    playbook: &str,
    range: TextRange,
    declared: impl IntoIterator<Item = &'a str>,
    replace: impl FnOnce(&str) -> Option<Fix>,
) -> Diagnostic {
    let suggestion = playbook_hir::suggest::closest_suggestion(name, declared);
    let (suggestion, only) = (
        suggestion.map(|s| s.name),
        suggestion.is_some_and(|s| s.only),
    );
    let d = Diagnostic::new(
        &CODE,
        range,
        format!("playbook `{playbook}` has no parameter `{name}`"),
    )
    .with_label(super::did_you_mean(
        suggestion,
        "not a parameter of the playbook",
    ))
    .with_help(match suggestion {
        Some(s) => {
            format!("did you mean `{s}`? use one of the parameters declared by `{playbook}`")
        }
        None => format!("use one of the parameters declared by `{playbook}`"),
    });
    super::with_replacement(d, suggestion, only, replace)
}
