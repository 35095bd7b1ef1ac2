//! PB305 default-reads-context: a parameter default reads something other than the event or
//! the run metadata.

use playbook_diagnostics::{Code, Diagnostic, Severity, TextRange};

pub static CODE: Code = Code {
    id: "PB305",
    name: "default-reads-context",
    severity: Severity::Error,
    summary: "A parameter default reads something other than `event` or `metadata`",
    doc: r#"## What it means
Parameter defaults are computed before any step runs and before the other parameters have
values, so they can only read the triggering event (`$.event...`) and the run metadata
(`$.metadata...`).

## Why it matters
A default that reads another parameter or a step output is empty when the playbook starts.

## Example
```yaml
parameters:
  - name: Host
    type: var
    default: "{{ $.params.Cluster }}.internal"
```

## How to fix
Read the value from the event instead, or compute it in the step that needs it.
"#,
};

pub(crate) fn diagnostic(root: &str, range: TextRange) -> Diagnostic {
    Diagnostic::new(
        &CODE,
        range,
        format!("a parameter default cannot read `{root}`"),
    )
    .with_label("defaults are computed before parameters and steps")
    .with_help("read `$.event...` or `$.metadata...`, or move the computation into a step")
}
