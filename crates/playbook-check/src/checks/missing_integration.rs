//! PB509 missing-integration: a step that accepts integrations is given none, and no input
//! supplies the credential either.

use playbook_diagnostics::{Code, Diagnostic, Severity, TextRange};

pub static CODE: Code = Code {
    id: "PB509",
    name: "missing-integration",
    severity: Severity::Warning,
    summary: "A step that authenticates through an integration is given none",
    doc: r#"## What it means
The step's manifest lists the `integrations` it takes its credentials from (`k8s`, `aws`,
`slack`, ...), and the call has no `envFrom.integrationRef`. Nor does it give an input that
could carry the credential instead: an input of type `secret`, a value read with `secret`,
or an input whose name or description says it is a credential (a token, key, password,
kubeconfig, or "could be provided by the integration").

A call that runs on a runner of your own (`runner:`) is not reported: a step may take its
credentials from the machine it runs on.

## Why it matters
Without credentials the step fails when it runs, usually with an authentication error
from the service it calls.

## Example
```yaml
- name: us-docker.pkg.dev/stackpulse/public/kubectl/get-pods
  id: pods
  env:
    NAMESPACE: prod
```

## How to fix
Pass an integration parameter of an accepted type:
```yaml
  envFrom:
    integrationRef: "{{ $.params.Cluster }}"
```
"#,
};

pub(crate) fn diagnostic(image: &str, accepted: &[String], range: TextRange) -> Diagnostic {
    let list: Vec<String> = accepted.iter().map(|a| format!("`{a}`")).collect();
    Diagnostic::new(&CODE, range, format!("`{image}` is given no integration"))
        .with_label(format!(
            "takes its credentials from an integration of type {}",
            list.join(" or ")
        ))
        .with_help(
            "add `envFrom: {integrationRef: \"{{ $.params.<integration parameter> }}\"}` with an integration parameter of an accepted type",
        )
}
