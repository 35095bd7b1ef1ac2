//! PB401 unknown-reference: a template path names no parameter, step, output or context.

use playbook_diagnostics::{Code, Diagnostic, Fix, Severity, TextRange};
use playbook_hir::suggest::Suggestion;

pub static CODE: Code = Code {
    id: "PB401",
    name: "unknown-reference",
    severity: Severity::Error,
    summary: "A template reads `$.x` where `x` is no step, output or context",
    doc: r#"## What it means
A path from the root (`$.x...` or `.x...`) must start with `params`, `event`, `metadata`,
`execution`, the id of a step, a loop variable, or an output of a step that ran before.

The outputs of earlier steps are also at the root (the root form, `.data` or `$.data`): the
name is looked up in the steps that ran before, the most recent first. A step whose outputs
are not documented (no manifest, no `outputs`, or an `output_parser`) may have any output,
so a root-form name after such a step is not reported. `output` is the raw output of the
step just before. `x` is none of these.

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

/// `suggestion`: the closest name (its fix is safe when it is the only one that close); `outputs`: the outputs of earlier steps that a root-form
/// read could name, most recent first; `replace`: the fix that writes the suggestion in place
/// of the name.
pub(crate) fn diagnostic(
    name: &str,
    range: TextRange,
    suggestion: Option<Suggestion<'_>>,
    outputs: &[&str],
    replace: impl FnOnce(&str) -> Option<Fix>,
) -> Diagnostic {
    const SHOWN: usize = 6;
    let (suggestion, only) = (
        suggestion.map(|s| s.name),
        suggestion.is_some_and(|s| s.only),
    );
    let start = "a path starts with `params`, `event`, `metadata`, `execution`, a step id, a loop variable, or an output of an earlier step";
    if name == "output" && suggestion.is_none() {
        return Diagnostic::new(&CODE, range, "no step runs before this one")
            .with_label("`output` is the raw output of the step before")
            .with_help("read `output` in a later step, or read `$.<step id>.output` of a step that has run");
    }
    let help = match suggestion {
        Some(s) => format!("did you mean `{s}`? {start}"),
        None if outputs.is_empty() => format!("{start}; no earlier step has an output `{name}`"),
        None => {
            let list = super::quoted_list(outputs.iter().copied(), SHOWN);
            format!("{start}; earlier steps output {}", list.join(", "))
        }
    };
    let d = Diagnostic::new(
        &CODE,
        range,
        format!("`{name}` names no step, output or context"),
    )
    .with_label(super::did_you_mean(
        suggestion,
        "no earlier step has this output",
    ))
    .with_help(help);
    super::with_replacement(d, suggestion, only, replace)
}
