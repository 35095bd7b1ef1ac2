//! PB904 unused-suppression: a `# playbook: ignore[...]` comment that suppresses nothing.

use playbook_diagnostics::{Code, Diagnostic, Severity, TextRange};

pub static CODE: Code = Code {
    id: "PB904",
    name: "unused-suppression",
    severity: Severity::Hint,
    summary: "A suppression comment that suppresses nothing",
    doc: r#"## What it means
`# playbook: ignore[CODE, ...]` hides diagnostics on its own line and on the line after it.
This one names a code that is not reported there, or that does not exist.

## Why it matters
Stale suppressions hide the next real problem on that line, and make readers think there
is something to hide.

## Example
```yaml
# playbook: ignore[unused-parameter]
- name: Namespace      # but Namespace is used
```

## How to fix
Remove the comment, or the code that no longer applies.
"#,
};

pub(crate) fn unused(code: &str, range: TextRange) -> Diagnostic {
    Diagnostic::new(&CODE, range, format!("`{code}` is not reported here"))
        .with_label("this suppression hides nothing")
        .with_help("remove it")
}

pub(crate) fn unknown(code: &str, range: TextRange, suggestion: Option<&str>) -> Diagnostic {
    Diagnostic::new(&CODE, range, format!("`{code}` is not a diagnostic code"))
        .with_label(super::did_you_mean(suggestion, "no such code or name"))
        .with_help(
            "name a code (`PB302`) or its name (`unused-parameter`); `playbook explain` lists them",
        )
}
