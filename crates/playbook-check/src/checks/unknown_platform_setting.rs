//! PB510 unknown-platform-setting: an `SP_` env key that is a near spelling of a setting
//! the platform reads.

use playbook_diagnostics::{Code, Diagnostic, Fix, Severity, TextRange};

pub static CODE: Code = Code {
    id: "PB510",
    name: "unknown-platform-setting",
    severity: Severity::Warning,
    summary: "A misspelled `SP_` setting of a step",
    doc: r#"## What it means
`env` keys that start with `SP_` are settings read by the platform and the step SDK
(`SP_FORMATTER: raw`, `SP_REDIRECT_URL`), not inputs of the step: they are not checked
against the step's manifest. This key is a near spelling of a known setting (`SP_FORMATER`
for `SP_FORMATTER`).

Only near spellings are reported: an `SP_` key near no known setting may be one this tool
does not know of.

## Why it matters
A misspelled setting is ignored: the step's output keeps its default format, the link back
to the run is missing.

## Example
```yaml
env:
  SP_FORMATER: raw
```

## How to fix
Use the setting the message suggests.
"#,
};

/// `replace`: the fix that writes `known` in place of `key`.
pub(crate) fn diagnostic(
    key: &str,
    known: &str,
    range: TextRange,
    replace: impl FnOnce(&str) -> Option<Fix>,
) -> Diagnostic {
    let d = Diagnostic::new(&CODE, range, format!("unknown platform setting `{key}`"))
        .with_label(format!("did you mean `{known}`?"))
        .with_help(format!("rename it to `{known}`"));
    // The known settings are not all there are: a person decides.
    super::with_replacement(d, Some(known), false, replace)
}
