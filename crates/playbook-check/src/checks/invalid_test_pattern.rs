//! PB706 invalid-test-pattern: a test's `matches` is not a valid regular expression.

use playbook_diagnostics::{Code, Severity};

pub static CODE: Code = Code {
    id: "PB706",
    name: "invalid-test-pattern",
    severity: Severity::Error,
    summary: "A test's `matches` is not a valid regular expression",
    doc: r#"## What it means
`matches` takes a regular expression in the syntax of Rust's `regex` crate (like RE2: no
look-around or back-references), found anywhere in the value unless anchored.

## Why it matters
The expectation cannot be checked: the case fails.

## Example
```yaml
TEXT: {matches: "slow (queries"}
```

## How to fix
Correct the expression, or escape the characters meant literally (`\\(`).
"#,
};
