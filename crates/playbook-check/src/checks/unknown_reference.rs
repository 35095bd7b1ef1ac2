//! PB401 unknown-reference: a template path names no parameter, step, output or context.

use playbook_diagnostics::{Code, Diagnostic, Severity, TextRange};

pub static CODE: Code = Code {
    id: "PB401",
    name: "unknown-reference",
    severity: Severity::Error,
    summary: "A template reads `$.x` where `x` is no step, output or context",
    doc: r#"## What it means
A path from the root (`$.x...` or `.x...`) must start with `params`, `event`, `metadata`,
`execution`, the id of a step, an output of the step just before (or `output`, its raw
output), or a loop variable. `x` is none of these.

## Why it matters
The value is empty at run time, usually because a step id was misspelled or renamed.

## Example
```yaml
- name: registry.example.com/playbook-steps/redis/info
  id: redis-info
- name: registry.example.com/playbook-steps/slack/post-message
  env:
    TEXT: "{{ $.'redis-inf'.info }}"
```

## How to fix
Use the id the label suggests, or give the step you mean that id.
"#,
};

pub(crate) fn diagnostic(name: &str, range: TextRange, suggestion: Option<&str>) -> Diagnostic {
    Diagnostic::new(&CODE, range, format!("`{name}` names no step, output or context"))
        .with_label(super::did_you_mean(suggestion, "unknown name"))
        .with_help("a path starts with `params`, `event`, `metadata`, `execution`, a step id, or an output of the previous step")
}
