//! PB404 unknown-output: a template reads an output the step's manifest does not declare.

use playbook_diagnostics::{Code, Diagnostic, Fix, Severity, TextRange};

pub static CODE: Code = Code {
    id: "PB404",
    name: "unknown-output",
    severity: Severity::Warning,
    summary: "A template reads an output that the step does not declare",
    doc: r#"## What it means
`$.<id>.<output>` names an output that the manifest of the step's image does not document.
A step's outputs are the top-level fields of the JSON result it prints; the manifest
documents them under `outputs`, and a json output named `output` documents the whole
result: the top-level keys of its example are outputs too. (`output`, the raw output,
always exists.)

Nothing is reported for a step whose outputs are not documented: no manifest, a manifest
without `outputs`, or a call with `output_parser:`, whose parser decides the outputs.

This is a warning: manifests' output lists are often incomplete, so the output may exist.
Most often, though, the step was changed after the playbook was written (an output
renamed) or the name is misspelled.

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

/// `documented`: the step's documented outputs (declared, and keys of its json `output`'s
/// example), each once, without `output`; `replace`: the fix that writes the suggestion in
/// place of the output's name.
pub(crate) fn diagnostic(
    step: &str,
    output: &str,
    image: &str,
    range: TextRange,
    documented: &[&str],
    replace: impl FnOnce(&str) -> Option<Fix>,
) -> Diagnostic {
    const SHOWN: usize = 8;
    let suggestion = playbook_hir::suggest::closest_suggestion(output, documented.iter().copied());
    let (suggestion, only) = (
        suggestion.map(|s| s.name),
        suggestion.is_some_and(|s| s.only),
    );
    let mut list = super::quoted_list(documented.iter().copied(), SHOWN);
    list.push("`output`".to_owned());
    let outputs = format!("`{image}` outputs {}", list.join(", "));
    let d = Diagnostic::new(
        &CODE,
        range,
        format!("step `{step}` has no output `{output}`"),
    )
    .with_label(super::did_you_mean(
        suggestion,
        "not documented by the step's manifest",
    ))
    .with_help(match suggestion {
        Some(s) => format!("did you mean `{s}`? {outputs}"),
        None => outputs,
    });
    super::with_replacement(d, suggestion, only, replace)
}
