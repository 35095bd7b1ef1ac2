//! PB403 conditional-step-output: a template reads the output of a step that may not have run.

use playbook_diagnostics::{Code, Diagnostic, Severity, TextRange};

pub static CODE: Code = Code {
    id: "PB403",
    name: "conditional-step-output",
    severity: Severity::Warning,
    summary: "A template reads the output of a step that may not have run",
    doc: r#"## What it means
The step that produces the output has a `when`, or sits in a conditional block or a loop
that the reading step is not in. When its condition is false, or the loop is empty, the
output does not exist.

A read is safe, and not reported, when:
- the reading step's `when`, or that of a block around the reader but not around the
  producer, repeats the producer's condition: the same condition, or one argument of a
  top-level `and` (conditions are compared as parsed, so spacing does not matter, and a
  root-form read such as `.data` right after step `s` is the same as `$.s.data`);
- the producer is in a loop over a literal, non-empty `range` (`range: [0, 2]`) without a
  loop `when`: its body runs at least once;
- it is the loop's `break`, which is evaluated after each iteration.

## Why it matters
The reading step gets an empty value on some runs, which is easy to miss in review.

## Example
```yaml
- when: "{{ ieq $.event.Type \"db\" }}"
  steps:
    - name: registry.example.com/playbook-steps/postgres/identify-server
      id: server
- name: registry.example.com/playbook-steps/slack/post-message
  env:
    TEXT: "{{ $.server.name }}"
```

## How to fix
Move the reading step into the same block, give it the same condition, or handle the empty
value (`{{ default "unknown" $.server.name }}`) and suppress the warning.
"#,
};

pub(crate) fn diagnostic(id: &str, range: TextRange, condition: TextRange) -> Diagnostic {
    Diagnostic::new(&CODE, range, format!("step `{id}` may not have run"))
        .with_label("empty when the step was skipped")
        .with_related(condition, format!("`{id}` runs only under this condition"))
        .with_help("read it inside the same block, or give the reading step the same condition")
}
