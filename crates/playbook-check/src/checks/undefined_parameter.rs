//! PB301 undefined-parameter: a template reads a parameter the playbook does not declare.

use playbook_diagnostics::{Code, Diagnostic, Fix, Severity, TextRange};

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

When the closest declared parameter is read nowhere else, the two findings are one: the
parameter was renamed on one side only. The unknown name is reported, with the unused
declaration beside it, and the declaration is not also reported as unused (PB302).

## How to fix
Use the declared name (the message suggests the closest one), or declare the parameter.
"#,
};

/// `replace`: the fix that writes a declared name in place of the unknown one.
pub(crate) fn diagnostic<'a>(
    name: &str,
    range: TextRange,
    declared: impl IntoIterator<Item = &'a str>,
    replace: impl FnOnce(&str) -> Option<Fix>,
) -> Diagnostic {
    let suggestion = playbook_hir::suggest::closest_suggestion(name, declared);
    let (suggestion, only) = (
        suggestion.map(|s| s.name),
        suggestion.is_some_and(|s| s.only),
    );
    let d = Diagnostic::new(&CODE, range, format!("unknown parameter `{name}`"))
        .with_label(super::did_you_mean(
            suggestion,
            "not declared in `parameters`",
        ))
        .with_help(match suggestion {
            Some(s) => format!(
                "did you mean `{s}`? use `$.params.{s}`, or declare `{name}` under `parameters`"
            ),
            None => format!("declare `{name}` under `parameters`"),
        });
    super::with_replacement(d, suggestion, only, replace)
}

/// The finding for a read of an undeclared parameter whose closest declared one, `declared`
/// (at `declared_range`), is read nowhere: one finding for the two sides of a rename.
pub(crate) fn renamed(
    name: &str,
    range: TextRange,
    declared: &str,
    declared_range: TextRange,
) -> Diagnostic {
    Diagnostic::new(&CODE, range, format!("unknown parameter `{name}`"))
        .with_label(format!("did you mean `{declared}`?"))
        .with_related(declared_range, format!("`{declared}` is declared here, and read nowhere"))
        .with_help(format!(
            "did you mean `{declared}`? it is declared and never read: use `$.params.{declared}`, or rename the declaration to `{name}`"
        ))
}
