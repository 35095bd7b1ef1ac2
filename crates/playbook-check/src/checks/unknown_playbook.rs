//! PB601 unknown-playbook: a trigger names a playbook that is not in the workspace.

use playbook_diagnostics::{Code, Diagnostic, Fix, Severity, TextRange};

pub static CODE: Code = Code {
    id: "PB601",
    name: "unknown-playbook",
    severity: Severity::Error,
    summary: "A trigger names a playbook that is not in the workspace",
    doc: r#"## What it means
A trigger's `playbook` must be the `metadata.name` of a playbook of the workspace (or `""`
while the trigger is not bound yet).

## Why it matters
The trigger fires and nothing runs.

## Example
```yaml
kind: Trigger
playbook: redis-diagnostic
```

## How to fix
Use the name the label suggests, or add the playbook.
"#,
};

/// `replace`: the fix that writes a playbook's name in place of `name`.
pub(crate) fn diagnostic(
    name: &str,
    range: TextRange,
    known: &[String],
    replace: impl FnOnce(&str) -> Option<Fix>,
) -> Diagnostic {
    let suggestion = playbook_hir::suggest::closest(name, known.iter().map(String::as_str));
    let d = Diagnostic::new(&CODE, range, format!("no playbook is named `{name}`"))
        .with_label(super::did_you_mean(
            suggestion,
            "not a playbook of this workspace",
        ))
        .with_help(match suggestion {
            Some(s) => format!("did you mean `{s}`? use the `metadata.name` of a playbook, or `\"\"` to leave the trigger unbound"),
            None => "use the `metadata.name` of a playbook, or `\"\"` to leave the trigger unbound".to_owned(),
        });
    // Binding a trigger to another playbook decides what runs on an alert: a person decides.
    super::with_replacement(d, suggestion, false, replace)
}
