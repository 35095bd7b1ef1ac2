//! PB703 unknown-test-step: a test case mocks or expects a step id that the playbook does not have.

use playbook_diagnostics::{Code, Severity};

pub static CODE: Code = Code {
    id: "PB703",
    name: "unknown-test-step",
    severity: Severity::Error,
    summary: "A test case mocks or expects a step id that the playbook does not have",
    doc: r#"## What it means
The step ids of a case's `outputs`, `runs`, `skips` and `inputs` must be ids of steps of the
tested playbook (the `id` of a step call, in a block or loop or not).

## Why it matters
A mock for a step that does not exist is never read, and an expectation about it can never
hold: the case tests something else than it says.

## Example
```yaml
runs: [slow-queries]   # the step's id is slow_queries
```

## How to fix
Use the step id the label suggests.
"#,
};
