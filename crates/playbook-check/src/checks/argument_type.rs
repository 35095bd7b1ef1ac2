//! PB112 argument-type: a function gets an argument of a type it cannot take.

use playbook_diagnostics::{Code, Diagnostic, Severity, TextRange};
use playbook_template::functions::{Function, Ty};

pub static CODE: Code = Code {
    id: "PB112",
    name: "argument-type",
    severity: Severity::Error,
    summary: "A function argument of a type the function cannot take",
    doc: r#"## What it means
The argument's type is known (a literal, the result of another function, or a step output of
a declared type) and the function expects another: a string where a number is wanted, a
list where a string is wanted.

## Why it matters
The template fails when the step runs.

## Example
```yaml
CONTENT: "{{ repeat \"3\" \"-\" }}"
```

## How to fix
Pass a value of the expected type: `{{ repeat 3 "-" }}`.
"#,
};

pub(crate) fn diagnostic(
    function: &Function,
    index: usize,
    expected: Ty,
    found: Ty,
    range: TextRange,
) -> Diagnostic {
    Diagnostic::new(
        &CODE,
        range,
        format!(
            "argument {} of `{}` must be {}, not {}",
            index + 1,
            function.name,
            expected.with_article(),
            found.with_article()
        ),
    )
    .with_label(format!("this is {}", found.with_article()))
    .with_help(format!("the signature is `{}`", function.signature))
}
