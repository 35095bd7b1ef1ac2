//! PB303 secret-parameter-without-secret: a `secret` parameter is read without `secret`.

use playbook_diagnostics::{Code, Diagnostic, Severity, TextRange};

pub static CODE: Code = Code {
    id: "PB303",
    name: "secret-parameter-without-secret",
    severity: Severity::Error,
    summary: "A secret parameter is read without the `secret` function",
    doc: r#"## What it means
A parameter of type `secret` holds the name of a secret, not its value. It must be read
through the `secret` function: `{{ secret $.params.NAME }}`.

## Why it matters
Without `secret`, the step receives the secret's name instead of its value, and the step
fails to authenticate.

## Example
```yaml
REDIS_PASSWORD: "{{ $.params.RedisPassword }}"
```

## How to fix
`REDIS_PASSWORD: "{{ secret $.params.RedisPassword }}"`
"#,
};

pub(crate) fn diagnostic(name: &str, range: TextRange) -> Diagnostic {
    Diagnostic::new(
        &CODE,
        range,
        format!("secret parameter `{name}` is read without `secret`"),
    )
    .with_label("this is the secret's name, not its value")
    .with_help(format!("write `{{{{ secret $.params.{name} }}}}`"))
}
