//! PB406 field-on-scalar-output: a path reads a field of a string, int or bool output.

use playbook_diagnostics::{Code, Diagnostic, Severity, TextRange};

pub static CODE: Code = Code {
    id: "PB406",
    name: "field-on-scalar-output",
    severity: Severity::Error,
    summary: "A path reads a field of an output that is a string, int or bool",
    doc: r#"## What it means
The manifest declares the output with type `string`, `int` or `bool`, which have no fields,
and the path goes on after it. (When the output's own example is a JSON object or list, the
manifest contradicts itself and nothing is reported.)

## Why it matters
The template fails, or gives nothing, at run time.

## Example
```yaml
TEXT: "{{ $.pods.count.value }}"
```
where `count` is an `int`.

## How to fix
Read the output itself (`$.pods.count`), or use a json output.
"#,
};

pub(crate) fn diagnostic(output: &str, ty: &str, range: TextRange) -> Diagnostic {
    let article = if ty.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    Diagnostic::new(
        &CODE,
        range,
        format!("output `{output}` is {article} {ty} and has no fields"),
    )
    .with_label("field access on a scalar")
    .with_help(format!("read `{output}` itself"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_takes_the_article_of_the_type() {
        let range = TextRange::new(0, 1);
        assert_eq!(
            diagnostic("uptime_days", "int", range).message,
            "output `uptime_days` is an int and has no fields"
        );
        assert_eq!(
            diagnostic("version", "string", range).message,
            "output `version` is a string and has no fields"
        );
    }
}
