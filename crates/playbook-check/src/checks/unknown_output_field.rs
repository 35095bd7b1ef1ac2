//! PB405 unknown-output-field: a path into a json output does not match the shape of the
//! output's example.

use playbook_diagnostics::{Code, Diagnostic, Fix, Severity, TextRange};

pub static CODE: Code = Code {
    id: "PB405",
    name: "unknown-output-field",
    severity: Severity::Warning,
    summary: "A path into a json output that its example does not have",
    doc: r#"## What it means
The manifest gives an `example` for the json output, and the path reads a field that the
example does not have, but whose name is a near spelling of one it has (`nmae` for `name`:
the same name in another case, or one edit away, two for long names).

An example is a sample, not a schema: production results carry fields the example lacks,
so a field near no field of the example is not reported.

## Why it matters
A missing field is empty at run time.

## Example
```yaml
TEXT: "{{ $.'redis-info'.info.Clients.connected }}"
```
where the example has `Clients.connected_clients`.

## How to fix
Use the field the message suggests. If the real output has both fields, suppress the
warning.
"#,
};

/// `near`: the field of the example that `field` is a near spelling of (only then is a
/// field missing from an example reported); `fix` writes it in place of `field`.
pub(crate) fn diagnostic(
    field: &str,
    path: &str,
    range: TextRange,
    near: &str,
    fix: Option<Fix>,
) -> Diagnostic {
    let d = Diagnostic::new(
        &CODE,
        range,
        format!("`{path}` has no field `{field}` in its example"),
    )
    .with_label(format!("did you mean `{near}`?"))
    .with_help(format!(
        "did you mean `{near}`? the manifest's example of the output has `{near}`"
    ));
    // An example is a sample: the real output may have the field, so a person decides.
    super::with_replacement(d, Some(near), false, |_| fix)
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
