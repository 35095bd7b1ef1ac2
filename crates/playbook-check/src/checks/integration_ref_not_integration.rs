//! PB506 integration-ref-not-integration: `envFrom.integrationRef` does not name an
//! integration parameter.

use playbook_diagnostics::{Code, Diagnostic, Severity, TextRange};

pub static CODE: Code = Code {
    id: "PB506",
    name: "integration-ref-not-integration",
    severity: Severity::Error,
    summary: "`integrationRef` does not name a parameter of type `integration`",
    doc: r#"## What it means
`envFrom.integrationRef` must be `{{ $.params.NAME }}` where `NAME` is a parameter declared
with `type: integration`.

## Why it matters
The step gets no credentials for the service it talks to.

## Example
```yaml
parameters:
  - name: Slack
    type: var
steps:
  - name: registry.example.com/playbook-steps/slack/post-message
    envFrom:
      integrationRef: "{{ $.params.Slack }}"
```

## How to fix
Declare the parameter with `type: integration` and `options.integration_type`.
"#,
};

pub(crate) fn not_integration(
    name: &str,
    ty: &str,
    range: TextRange,
    declared: TextRange,
) -> Diagnostic {
    Diagnostic::new(
        &CODE,
        range,
        format!("`{name}` is a `{ty}` parameter, not an integration"),
    )
    .with_label("expected an `integration` parameter")
    .with_related(declared, format!("`{name}` is declared here"))
    .with_help(format!("declare `{name}` with `type: integration`"))
}

pub(crate) fn not_a_parameter(range: TextRange) -> Diagnostic {
    Diagnostic::new(
        &CODE,
        range,
        "`integrationRef` must name an integration parameter",
    )
    .with_label("not a `$.params` reference")
    .with_help("write `integrationRef: \"{{ $.params.NAME }}\"` with an `integration` parameter")
}
