//! PB603 duplicate-playbook-name: two playbooks of the workspace have the same name.

use playbook_diagnostics::{Code, Diagnostic, Severity, TextRange};

pub static CODE: Code = Code {
    id: "PB603",
    name: "duplicate-playbook-name",
    severity: Severity::Error,
    summary: "Two playbooks of the workspace have the same `metadata.name`",
    doc: r#"## What it means
Playbook names identify playbooks on the platform and in triggers, so they must be unique
across the workspace.

## Why it matters
Deploying one playbook overwrites the other, and triggers run whichever was deployed last.

## Example
Two files that both say:
```yaml
metadata:
  name: redis-diagnostics
```

## How to fix
Rename one of them, and the triggers that name it.
"#,
};

/// The diagnostic for the second use of `name`; `first` is the other file and range.
pub fn diagnostic(name: &str, range: TextRange, first_file: &str, first: TextRange) -> Diagnostic {
    Diagnostic::new(&CODE, range, format!("another playbook is named `{name}`"))
        .with_label("name used twice")
        .with_related_in(first_file, first, "also named here")
        .with_help("give each playbook its own `metadata.name`")
}
