//! PB702 unknown-test-parameter: a test case gives a parameter that the playbook does not declare.

use playbook_diagnostics::{Code, Severity};

pub static CODE: Code = Code {
    id: "PB702",
    name: "unknown-test-parameter",
    severity: Severity::Error,
    summary: "A test case gives a parameter that the playbook does not declare",
    doc: r#"## What it means
A case's `params` map the tested playbook's parameter names to values; this name is not one
of its parameters.

## Why it matters
The value is dropped: the case runs with the parameter's default, not with what it says.

## Example
```yaml
playbook: database-slowness
cases:
  - name: slow
    params: {DBHost: db1}
```

## How to fix
Use the parameter name the label suggests.
"#,
};
