//! PB113 constant-condition: a condition (`when`, `if`, `else if`, `with`) that is a literal,
//! so its branch always runs, or never does.

use playbook_diagnostics::{Code, Diagnostic, Severity, TextRange};

pub static CODE: Code = Code {
    id: "PB113",
    name: "constant-condition",
    severity: Severity::Error,
    summary: "A condition that is a constant, so its branch always runs or never does",
    doc: r#"## What it means
The condition of a `when` (of a step, block or loop), or of an `if`, `else if` or `with`
action inside a template, is a literal rather than a test: `{{ else if "high" }}`.

Inside a template's `if`, a string or a number is always true (only `""` and `0` are false),
so the branch always runs and the branches after it never do: the literal was meant to be
compared with something (`else if ieq $.params.severity "high"`). A `when` whose whole
template is a literal decides by the text it renders: `{{ "high" }}` renders `high`, which is
not `true`, so the step never runs. Either way this is an error.

A bare `true` or `false` is reported as a warning: sometimes a step is switched off (or on)
on purpose while a playbook is worked on, but it is easily left behind.

## Why it matters
The playbook does something else than it says: every alert takes the first branch, the
remediation meant for one severity runs for all of them.

## Example
```yaml
TEXT: '{{ if ieq $.params.severity "critical" }}page{{ else if "high" }}notify{{ else }}log{{ end }}'
```

## How to fix
Write the comparison that was meant (`else if ieq $.params.severity "high"`). To switch a
step off on purpose, remove it, or suppress the warning with
`# playbook: ignore[constant-condition]` on the line before.
"#,
};

/// `what` is the literal as written (`"high"`, `3`, `true`); `boolean`: it is `true` or
/// `false`, reported as a warning.
pub(crate) fn diagnostic(what: &str, always: bool, boolean: bool, range: TextRange) -> Diagnostic {
    let (label, help) = match (boolean, always) {
        (true, true) => (
            "always true",
            "remove the condition, or write the test that was meant",
        ),
        (true, false) => (
            "never true: what it guards never runs",
            "remove what it guards, or write the test that was meant",
        ),
        (false, true) => (
            "a literal is always true: the branches after it never run",
            "compare it with something, as in `ieq $.params.severity \"high\"`",
        ),
        (false, false) => (
            "a literal that is always false: what it guards never runs",
            "compare it with something, as in `eq $.params.count 0`",
        ),
    };
    let diagnostic = Diagnostic::new(
        &CODE,
        range,
        format!("the condition `{what}` is a constant"),
    )
    .with_label(label)
    .with_help(help);
    if boolean {
        diagnostic.with_severity(Severity::Warning)
    } else {
        diagnostic
    }
}
