//! PB507 integration-not-accepted: the integration's type is not one the step accepts.

use playbook_diagnostics::{Code, Diagnostic, Severity, TextRange};

pub static CODE: Code = Code {
    id: "PB507",
    name: "integration-not-accepted",
    severity: Severity::Error,
    summary: "The step does not accept the integration's type",
    doc: r#"## What it means
The parameter named by `envFrom.integrationRef` has an `options.integration_type` that the
step's manifest does not accept.

A manifest accepts the types listed under `integrations`, and also the types its input
descriptions name ("specify a GCP or AWS integration" accepts `gcp` and `aws`; "could be
provided by kubernetes integration" accepts `k8s`). A manifest without an `integrations` key
says nothing about integrations, and accepts any type.

## Why it matters
The step receives credentials for the wrong service.

## Example
```yaml
parameters:
  - name: Chat
    type: integration
    options:
      integration_type: teams
steps:
  - name: registry.example.com/playbook-steps/slack/post-message
    envFrom:
      integrationRef: "{{ $.params.Chat }}"
```

## How to fix
Use a parameter whose `integration_type` the step accepts, or another step.
"#,
};

pub(crate) fn diagnostic(
    param: &str,
    integration: &str,
    image: &str,
    accepted: &[String],
    range: TextRange,
) -> Diagnostic {
    let accepted_text = if accepted.is_empty() {
        format!("`{image}` accepts no integration")
    } else {
        let list: Vec<String> = accepted.iter().map(|a| format!("`{a}`")).collect();
        format!("`{image}` accepts {}", list.join(", "))
    };
    Diagnostic::new(
        &CODE,
        range,
        format!("`{image}` does not accept a `{integration}` integration"),
    )
    .with_label(format!("`{param}` is a `{integration}` integration"))
    .with_help(accepted_text)
}
