//! PB704 undeclared-mocked-output: a test case mocks an output that the step's manifest does not declare.

use playbook_diagnostics::{Code, Severity};

pub static CODE: Code = Code {
    id: "PB704",
    name: "undeclared-mocked-output",
    severity: Severity::Warning,
    summary: "A test case mocks an output that the step's manifest does not declare",
    doc: r#"## What it means
A case's `outputs` give a step a field that the `outputs` of the step's manifest do not list.

## Why it matters
The real step does not return it (or its manifest is incomplete: manifests often are, which
is why this is a warning). A playbook that passes its tests only thanks to such a mock may
fail in production.

## Example
```yaml
outputs:
  slow_queries: {total: 3}   # the manifest declares `count` and `queries`
```

## How to fix
Mock the outputs the manifest declares, or add the output to the manifest.
"#,
};
