//! PB502 unknown-input: an `env` key that the step's manifest does not declare.

use playbook_diagnostics::{Code, Diagnostic, Fix, Severity, TextRange};

pub static CODE: Code = Code {
    id: "PB502",
    name: "unknown-input",
    severity: Severity::Error,
    summary: "An `env` key that is not an input of the step",
    doc: r#"## What it means
A step's `env` passes a value to an input that the manifest of its image does not declare
under `envs`.

Keys starting with `SP_` (`SP_FORMATTER`, `SP_REDIRECT_URL`) are settings read by the
platform and the step SDK, not inputs, and are not reported here (a near spelling of a
known one is PB510).

## Why it matters
The step ignores the value. Usually the input is misspelled, so the step runs without the
value it was meant to get.

## Example
```yaml
- name: registry.example.com/playbook-steps/redis/info
  env:
    REDIS_HOST: "{{ $.params.RedisIp }}"
```

## How to fix
Use the input name the label suggests (`REDIS_IP`).
"#,
};

/// `replace`: the fix that writes a declared input's name in place of `name`.
pub(crate) fn diagnostic<'a>(
    name: &str,
    image: &str,
    range: TextRange,
    declared: impl IntoIterator<Item = &'a str>,
    replace: impl FnOnce(&str) -> Option<Fix>,
) -> Diagnostic {
    let suggestion = playbook_hir::suggest::closest_suggestion(name, declared);
    let (suggestion, only) = (
        suggestion.map(|s| s.name),
        suggestion.is_some_and(|s| s.only),
    );
    let d = Diagnostic::new(
        &CODE,
        range,
        format!("`{name}` is not an input of `{image}`"),
    )
    .with_label(super::did_you_mean(
        suggestion,
        "not declared by the step's manifest",
    ))
    .with_help(match suggestion {
        Some(s) => format!("rename it to `{s}`"),
        None => "remove it, or check the step's manifest for the input's name".to_owned(),
    });
    super::with_replacement(d, suggestion, only, replace)
}
