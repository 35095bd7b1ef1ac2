//! PB404 unknown-output: a template reads an output the step's manifest does not declare.

use playbook_diagnostics::{Code, Diagnostic, Severity, TextRange};

pub static CODE: Code = Code {
    id: "PB404",
    name: "unknown-output",
    severity: Severity::Error,
    summary: "A template reads an output that the step does not declare",
    doc: r#"## What it means
`$.<id>.<output>` names an output that the manifest of the step's image does not list under
`outputs`. (`output`, the raw output, always exists.)

## Why it matters
The value is empty at run time.

## Example
```yaml
TEXT: "{{ $.'redis-info'.infos }}"
```

## How to fix
Use an output the manifest declares; the label suggests the closest one.
"#,
};

pub(crate) fn diagnostic<'a>(
    step: &str,
    output: &str,
    image: &str,
    range: TextRange,
    declared: impl IntoIterator<Item = &'a str> + Clone,
) -> Diagnostic {
    let suggestion = playbook_hir::suggest::closest(output, declared.clone());
    let list: Vec<String> = declared.into_iter().map(|d| format!("`{d}`")).collect();
    Diagnostic::new(
        &CODE,
        range,
        format!("step `{step}` has no output `{output}`"),
    )
    .with_label(super::did_you_mean(
        suggestion,
        "not declared by the step's manifest",
    ))
    .with_help(format!(
        "`{image}` declares {} and `output`",
        list.join(", ")
    ))
}
