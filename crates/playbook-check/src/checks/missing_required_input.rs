//! PB503 missing-required-input: a required input without a default is not given.

use playbook_diagnostics::{Code, Diagnostic, Severity, TextRange};

pub static CODE: Code = Code {
    id: "PB503",
    name: "missing-required-input",
    severity: Severity::Error,
    summary: "A required input of the step is not given",
    doc: r#"## What it means
The step's manifest marks an input `required: true` and gives it no `default`, and the
step's `env` does not set it.

## Why it matters
The step fails as soon as it starts.

## Example
```yaml
- name: registry.example.com/playbook-steps/redis/info
  id: redis-info
```
where `REDIS_IP` is required.

## How to fix
Add the input under `env`.
"#,
};

pub(crate) fn diagnostic(
    input: &str,
    image: &str,
    range: TextRange,
    declared: Option<TextRange>,
) -> Diagnostic {
    let mut d = Diagnostic::new(&CODE, range, format!("missing required input `{input}`"))
        .with_label(format!("`{image}` requires `{input}`"))
        .with_help(format!("add `{input}: <value>` under `env`"));
    if let Some(declared) = declared {
        d = d.with_related(declared, "declared here");
    }
    d
}
