//! PB402 forward-step-reference: a template reads the output of a step that has not run yet.

use playbook_diagnostics::{Code, Diagnostic, Severity, TextRange};

pub static CODE: Code = Code {
    id: "PB402",
    name: "forward-step-reference",
    severity: Severity::Error,
    summary: "A template reads the output of a step that runs later",
    doc: r#"## What it means
Steps run in order, and the output of a step exists only after it ran. The template reads
`$.<id>...` of this step itself or of a step further down.

Where each template of a step is evaluated: `when`, `env`, `args`, `runner` and `envFrom`
before the step runs; a block's `when` before its steps; a loop's `in` and `when` before
its first iteration; a loop's `break` after each iteration, so it may read the steps of the
loop's body.

## Why it matters
The value is always empty when the template is evaluated.

## Example
```yaml
- name: registry.example.com/playbook-steps/slack/post-message
  env:
    TEXT: "{{ $.pods.output }}"
- name: registry.example.com/playbook-steps/kubectl/get-pods
  id: pods
```

## How to fix
Move the step that produces the output before the one that reads it. A step cannot read its
own output: read it in a later step.
"#,
};

pub(crate) fn diagnostic(
    id: &str,
    range: TextRange,
    defined: TextRange,
    itself: bool,
) -> Diagnostic {
    if itself {
        return Diagnostic::new(&CODE, range, format!("step `{id}` reads its own output"))
            .with_label("a step's outputs exist only once it has run")
            .with_related(defined, format!("`{id}` is defined here"))
            .with_help(format!(
                "read `{id}`'s output in a later step, or give this value without it"
            ));
    }
    Diagnostic::new(&CODE, range, format!("step `{id}` runs after this"))
        .with_label("this output does not exist yet")
        .with_related(defined, format!("`{id}` is defined here"))
        .with_help(format!("move step `{id}` before the step that reads it"))
}
