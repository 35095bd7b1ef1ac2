//! PB508 runner-not-spd: `runner` does not name an `spd` parameter.

use playbook_diagnostics::{Code, Diagnostic, Severity, TextRange};

pub static CODE: Code = Code {
    id: "PB508",
    name: "runner-not-spd",
    severity: Severity::Hint,
    summary: "`runner` does not name a parameter of type `spd`",
    doc: r#"## What it means
A step's `runner` says which agent runs it. It is normally `{{ $.params.NAME }}` with a
parameter of type `spd` (whoever runs the playbook picks the agent from a list) or of type
`var` (the agent's name is given, or defaulted from the event); both are fine. This hint
is for a fixed runner, and for a runner read from a `secret` or `integration` parameter.

## Why it matters
A fixed or mistyped runner ties the playbook to one environment.

## Example
```yaml
runner: production-agent
```

## How to fix
Declare a parameter `- name: runner` with `type: spd` and write
`runner: "{{ $.params.runner }}"`.
"#,
};

pub(crate) fn diagnostic(range: TextRange, what: &str) -> Diagnostic {
    Diagnostic::new(
        &CODE,
        range,
        format!("`runner` should name an `spd` parameter, not {what}"),
    )
    .with_label("expected `{{ $.params.<spd parameter> }}`")
    .with_help("declare a parameter with `type: spd` and use it here")
}
