//! PB111 wrong-argument-count: a function is called with too many or too few arguments.

use playbook_diagnostics::{Code, Diagnostic, Severity, TextRange};
use playbook_template::functions::Function;

pub static CODE: Code = Code {
    id: "PB111",
    name: "wrong-argument-count",
    severity: Severity::Error,
    summary: "A function is called with the wrong number of arguments",
    doc: r#"## What it means
The function takes a fixed number of arguments (or a minimum), and the call gives another.
In a pipeline `x | f a`, the value of `x` is passed as the last argument of `f`.

## Why it matters
The template fails when the step runs.

## Example
```yaml
when: "{{ eq $.params.Env }}"
```

## How to fix
Give the function the arguments its signature lists (`eq ARG1 ARG2`).
"#,
};

pub(crate) fn diagnostic(function: &Function, given: usize, range: TextRange) -> Diagnostic {
    let given_text = if given == 1 {
        "1 argument".to_owned()
    } else {
        format!("{given} arguments")
    };
    Diagnostic::new(
        &CODE,
        range,
        format!(
            "`{}` takes {}, not {given}",
            function.name,
            function.arity_text()
        ),
    )
    .with_label(format!("called with {given_text}"))
    .with_help(format!("the signature is `{}`", function.signature))
}
