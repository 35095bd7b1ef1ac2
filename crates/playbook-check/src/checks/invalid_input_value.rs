//! PB504 invalid-input-value: a literal input value that does not fit the input's type.

use playbook_diagnostics::{Code, Diagnostic, Severity, TextRange};

pub static CODE: Code = Code {
    id: "PB504",
    name: "invalid-input-value",
    severity: Severity::Error,
    summary: "A literal value that does not fit the input's type (`bool`, `int`)",
    doc: r#"## What it means
The manifest declares the input as `bool` or `int`, and the value written (without a
template) is not `true`/`false`, or not an integer.

Where the manifest contradicts itself (the input's own `example` is not of its `type`, which
PB520 reports in the manifest), values are not held to the type.

## Why it matters
The step fails to read the input, or reads it as false or zero.

## Example
```yaml
env:
  ALL_CONTAINERS: "yes"
  TAIL_LINES: ten
```

## How to fix
Write `true` or `false` for a `bool`, a number for an `int`.
"#,
};

pub(crate) fn diagnostic(input: &str, ty: &str, value: &str, range: TextRange) -> Diagnostic {
    let (expected, article) = if ty == "bool" {
        ("`true` or `false`", "a")
    } else {
        ("an integer", "an")
    };
    Diagnostic::new(
        &CODE,
        range,
        format!("input `{input}` is {article} {ty}, not `{value}`"),
    )
    .with_label(format!("expected {expected}"))
    .with_help(format!("write {expected}"))
}
