//! PB302 unused-parameter: a declared parameter is never read.

use playbook_diagnostics::{Code, Diagnostic, Severity, TextRange};

pub static CODE: Code = Code {
    id: "PB302",
    name: "unused-parameter",
    severity: Severity::Hint,
    summary: "A parameter is declared but never used",
    doc: r#"## What it means
No template of the playbook reads `$.params.NAME` (or `index $.params "NAME"`, or
`get "$.params.NAME"`).

A parameter read by another parameter's default is not reported here: PB305 reports that
read. Nor is any parameter of a file in which a value was left out for being of the wrong
kind (PB202), since the parameter may be read there.

## Why it matters
Whoever runs the playbook is asked for a value that changes nothing, and a reference that
was meant to read it is probably misspelled.

## Example
```yaml
parameters:
  - name: Namespace
    type: var
steps:
  - name: registry.example.com/playbook-steps/kubectl/get-pods
    env:
      NAMESPACE: default
```

## How to fix
Use the parameter (`NAMESPACE: "{{ $.params.Namespace }}"`) or remove it. To keep it on
purpose, suppress the hint with `# playbook: ignore[unused-parameter]`, or turn the check
off in `playbook.toml` (`[severity] unused-parameter = "off"`).
"#,
};

pub(crate) fn diagnostic(name: &str, range: TextRange) -> Diagnostic {
    Diagnostic::new(&CODE, range, format!("parameter `{name}` is never used"))
        .with_label("declared here, read nowhere")
        .with_help(format!(
            "use it as `{{{{ $.params.{name} }}}}` or remove it"
        ))
}
