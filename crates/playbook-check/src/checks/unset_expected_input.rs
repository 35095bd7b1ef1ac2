//! PB705 unset-expected-input: a test case expects an input that the step does not set.

use playbook_diagnostics::{Code, Severity};

pub static CODE: Code = Code {
    id: "PB705",
    name: "unset-expected-input",
    severity: Severity::Error,
    summary: "A test case expects an input that the step does not set",
    doc: r#"## What it means
A case's `inputs` expect a rendered value for an `env` variable, an argument or the runner
that the step call does not set.

## Why it matters
The expectation can never hold: the case fails whatever the playbook does.

## Example
```yaml
inputs:
  summary:
    env:
      MESSAGE: {contains: slow}   # the step sets TEXT
```

## How to fix
Use the input name the label suggests, or set the input in the playbook.
"#,
};
