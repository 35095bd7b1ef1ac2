//! PB304 secret-on-plain-parameter: `secret` is applied to a parameter that is not a secret.

use playbook_diagnostics::{Code, Diagnostic, Severity, TextRange};

pub static CODE: Code = Code {
    id: "PB304",
    name: "secret-on-plain-parameter",
    severity: Severity::Warning,
    summary: "`secret` is applied to a parameter whose type is not `secret`",
    doc: r#"## What it means
`secret` reads the secret whose name it is given. Here it is given a parameter of another
type, so its value is taken as a secret's name.

## Why it matters
If the parameter holds the secret's value itself (a token pasted in), `secret` looks up a
secret of that name and the step gets nothing. A `var` parameter holding a secret's *name*
works, which is why this is a warning and not an error: declare the parameter `type:
secret` to say so, and whoever runs the playbook picks the secret from the store.

## Example
```yaml
parameters:
  - name: ApiToken
    type: var
steps:
  - name: registry.example.com/playbook-steps/http/request
    env:
      TOKEN: "{{ secret $.params.ApiToken }}"
```

## How to fix
Declare the parameter as `type: secret`, or drop the `secret` call.
"#,
};

pub(crate) fn diagnostic(name: &str, ty: &str, range: TextRange) -> Diagnostic {
    Diagnostic::new(
        &CODE,
        range,
        format!("`secret` applied to `{name}`, a `{ty}` parameter"),
    )
    .with_label(format!("`{name}` is not declared `type: secret`"))
    .with_help(format!(
        "declare `{name}` with `type: secret`, or remove the `secret` call"
    ))
}
