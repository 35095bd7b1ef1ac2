//! PB405 unknown-output-field: a path into a json output does not match the shape of the
//! output's example.

use playbook_diagnostics::{Code, Diagnostic, Severity, TextRange};

pub static CODE: Code = Code {
    id: "PB405",
    name: "unknown-output-field",
    severity: Severity::Warning,
    summary: "A path into a json output that its example does not have",
    doc: r#"## What it means
The manifest gives an `example` for the json output, and the path reads a field that the
example does not have. The example documents the shape of the output, so the field is
probably misspelled.

## Why it matters
A missing field is empty at run time.

## Example
```yaml
TEXT: "{{ $.'redis-info'.info.Clients.connected }}"
```
where the example has `Clients.connected_clients`.

## How to fix
Use the field the label suggests. If the real output has fields the example lacks, fix the
example in the manifest, or suppress the warning.
"#,
};

pub(crate) fn diagnostic<'a>(
    field: &str,
    path: &str,
    range: TextRange,
    keys: impl IntoIterator<Item = &'a str>,
) -> Diagnostic {
    let suggestion = playbook_hir::suggest::closest(field, keys);
    Diagnostic::new(
        &CODE,
        range,
        format!("`{path}` has no field `{field}` in its example"),
    )
    .with_label(super::did_you_mean(
        suggestion,
        "not in the output's example",
    ))
    .with_help("the manifest's example shows the output's shape; check the field name")
}

pub(crate) fn not_an_object(field: &str, path: &str, found: &str, range: TextRange) -> Diagnostic {
    Diagnostic::new(
        &CODE,
        range,
        format!("`{path}` is {found} in its example, so it has no field `{field}`"),
    )
    .with_label("not an object in the example")
    .with_help("the manifest's example shows the output's shape; check the path")
}
