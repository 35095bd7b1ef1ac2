//! PB407 unknown-context-field: `$.metadata.<field>` or `$.execution.<field>` is a near
//! spelling of a field the platform provides.

use playbook_diagnostics::{Code, Diagnostic, Fix, Severity, TextRange};

pub static CODE: Code = Code {
    id: "PB407",
    name: "unknown-context-field",
    severity: Severity::Error,
    summary: "A misspelled field of the run's `metadata` or `execution`",
    doc: r#"## What it means
The platform gives every run a `metadata` object (fields seen in production playbooks:
`executionUrl`, `playbookId`, `userEmail`) and an `execution` object (`id`). The path reads a
field whose name is a near spelling of one of these (`userEmial`, `idd`), in another case
(`playbookID`), or one edit away.

A field that is near no known one is not reported: the list is what production playbooks
are known to read, not everything the platform provides (`executionId` is read in real
playbooks).

## Why it matters
Field names are case-sensitive, and a misspelled field is empty at run time: the Slack
message says "started by" and nobody.

## Example
```yaml
TEXT: "Started by {{ $.metadata.userEmial }}"
```

## How to fix
Use the field the message suggests (`userEmail`).
"#,
};

/// `replace`: the fix that writes `known` in place of `field`.
pub(crate) fn diagnostic(
    root: &str,
    field: &str,
    known: &str,
    range: TextRange,
    replace: impl FnOnce(&str) -> Option<Fix>,
) -> Diagnostic {
    let d = Diagnostic::new(&CODE, range, format!("`{root}` has no field `{field}`"))
        .with_label(format!("did you mean `{known}`?"))
        .with_help(format!("use `$.{root}.{known}`"));
    // The known fields are those production playbooks read, not all there are: a person
    // decides.
    super::with_replacement(d, Some(known), false, replace)
}
