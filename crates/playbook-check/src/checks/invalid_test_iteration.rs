//! PB707 invalid-test-iteration: a test's `iteration` does not fit the loops around the step.

use playbook_diagnostics::{Code, Severity};

pub static CODE: Code = Code {
    id: "PB707",
    name: "invalid-test-iteration",
    severity: Severity::Error,
    summary: "A test's `iteration` does not fit the loops around the step",
    doc: r#"## What it means
A case's expected inputs name a run of the step with `iteration`, but the step is not inside
a `foreach`, the `iteration` gives a different number of indices than there are loops
around the step (one per loop, outermost first), or an index is past the end of a
`range: [from, to]` loop.

## Why it matters
No run of the step has that iteration: the expectation can never hold, and the case fails
whatever the playbook does.

## Example
```yaml
inputs:
  queue-line:              # inside one foreach
    - iteration: [0, 1]    # two indices for one loop
      env: {TEXT: {contains: invoices}}
```

## How to fix
Give one index per loop around the step, counted from 0 (`iteration: 1` for the second
run of a single loop, `iteration: [1, 0]` in a loop inside a loop), or remove `iteration`
from a step that is not in a loop.
"#,
};
