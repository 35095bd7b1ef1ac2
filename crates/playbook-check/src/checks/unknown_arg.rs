//! PB505 wrong-args: a step's `args` do not match the arguments its manifest declares.

use playbook_diagnostics::{Code, Diagnostic, Severity, TextRange};

pub static CODE: Code = Code {
    id: "PB505",
    name: "wrong-args",
    severity: Severity::Error,
    summary: "A step's `args` do not match the arguments its manifest declares",
    doc: r#"## What it means
The manifest declares the step's command-line arguments, in order, under `args`. The step
gives more arguments than declared, or leaves out a required one.

## Why it matters
The step's command line is wrong, so the step fails or does something else.

## Example
```yaml
- name: registry.example.com/playbook-steps/aws/cli
  args: [ec2, describe-instances, --region, eu-west-1]
```
where the manifest declares only `command` and `subcommand`.

## How to fix
Give the arguments the manifest lists, in order.
"#,
};

pub(crate) fn too_many(image: &str, declared: usize, range: TextRange) -> Diagnostic {
    Diagnostic::new(
        &CODE,
        range,
        format!(
            "`{image}` takes {declared} argument{}",
            if declared == 1 { "" } else { "s" }
        ),
    )
    .with_label("extra argument")
    .with_help("remove the extra arguments, or check the step's manifest")
}

pub(crate) fn missing(name: &str, range: TextRange) -> Diagnostic {
    Diagnostic::new(&CODE, range, format!("missing required argument `{name}`"))
        .with_label(format!("`{name}` is required"))
        .with_help(format!("add `{name}` to `args`"))
}
