//! PB301 undefined-parameter: a template reads a parameter the playbook does not declare.

use playbook_diagnostics::{Code, Diagnostic, Severity, TextRange};

pub static CODE: Code = Code {
    id: "PB301",
    name: "undefined-parameter",
    severity: Severity::Error,
    summary: "A template reads a parameter that is not declared",
    doc: r#"## What it means
`$.params.NAME` names no parameter of the playbook's `parameters` list. Parameter names are
case-sensitive.

## Why it matters
The reference is empty at run time: the step gets no value, or the template fails. This is
the most common defect in real playbooks, usually after a parameter was renamed.

## Example
```yaml
parameters:
  - name: RedisIp
    type: var
steps:
  - name: registry.example.com/playbook-steps/redis/info
    env:
      REDIS_IP: "{{ $.params.RedisIP }}"
```

## How to fix
Use the declared name (the label suggests the closest one), or declare the parameter.
"#,
};

pub(crate) fn diagnostic<'a>(
    name: &str,
    range: TextRange,
    declared: impl IntoIterator<Item = &'a str>,
) -> Diagnostic {
    let suggestion = playbook_hir::suggest::closest(name, declared);
    Diagnostic::new(&CODE, range, format!("unknown parameter `{name}`"))
        .with_label(super::did_you_mean(
            suggestion,
            "not declared in `parameters`",
        ))
        .with_help(match suggestion {
            Some(s) => format!("use `$.params.{s}`, or declare `{name}` under `parameters`"),
            None => format!("declare `{name}` under `parameters`"),
        })
}
