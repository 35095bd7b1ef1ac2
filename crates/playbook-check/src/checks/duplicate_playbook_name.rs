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

/// The diagnostic for a use of `name` that another playbook also uses: `other_file` and
/// `other` locate it, `other_line` is its 1-based line (for renderers that cannot show
/// the other file).
pub fn diagnostic(
    name: &str,
    range: TextRange,
    other_file: &str,
    other: TextRange,
    other_line: u32,
) -> Diagnostic {
    Diagnostic::new(&CODE, range, format!("another playbook is named `{name}`"))
        .with_label("name used twice")
        .with_related_in(
            other_file,
            other,
            format!("also named here, line {other_line}"),
        )
        .with_help("give each playbook its own `metadata.name`")
}
