//! The diagnostic codes of `playbook.toml` problems (`PB9xx`), with their documentation.

use playbook_diagnostics::{Code, Severity};

/// Every code this crate reports.
pub const ALL: &[&Code] = &[&CONFIG_SYNTAX, &UNKNOWN_SETTING, &INVALID_SETTING];

pub static CONFIG_SYNTAX: Code = Code {
    id: "PB901",
    name: "config-syntax",
    severity: Severity::Error,
    summary: "`playbook.toml` is not valid TOML",
    doc: r#"## What it means
The configuration file `playbook.toml` does not follow TOML's grammar at this point: an
unquoted string, an unclosed `[table]` header, the same key written twice, and similar slips.

## Why it matters
A configuration that cannot be read cannot be trusted: a library folder or an excluded glob
may be missing from what playbook sees, so manifests are not found or vendored files are
checked.

## Example
```toml
exclude = [vendor/**]
```

## How to fix
Follow the label: quote strings (`exclude = ["vendor/**"]`), close brackets, remove the
duplicate key. The TOML grammar is described at <https://toml.io>.
"#,
};

pub static UNKNOWN_SETTING: Code = Code {
    id: "PB902",
    name: "unknown-setting",
    severity: Severity::Error,
    summary: "`playbook.toml` contains a setting that playbook does not know",
    doc: r#"## What it means
A key or table in `playbook.toml` is not one of the settings playbook reads. The known
settings are `exclude`, `[[library]]` (with `prefix` and `path`), `[secrets]` (with `known`),
`[severity]` and `[format]` (with `indent` and `indent-sequences`).

## Why it matters
A misspelled setting is silently without effect: `exlude = ["vendor/**"]` excludes nothing,
and `[[libraries]]` declares no library, so every step of it is reported as unknown.

## Example
```toml
exlude = ["vendor/**"]

[[libraries]]
prefix = "us-docker.pkg.dev/stackpulse/public/"
path = "steps"
```

## How to fix
Use the name the label suggests (`exclude`, `[[library]]`), or remove the setting.
"#,
};

pub static INVALID_SETTING: Code = Code {
    id: "PB903",
    name: "invalid-setting",
    severity: Severity::Error,
    summary: "A setting in `playbook.toml` has a value of the wrong type or an invalid value",
    doc: r#"## What it means
A known setting of `playbook.toml` has a value playbook cannot use: a string where a list is
expected, an empty library `prefix` or `path`, an invalid glob in `exclude`, a severity level
other than `off`, `hint`, `warning` and `error`, a `[severity]` key that names no check, or
a `[format]` indentation other than 2 or 4.

## Why it matters
The setting is ignored, so playbook does not behave as the file says: a check meant to be
silenced still reports, or a library's manifests are never found. A library folder that does
not exist is reported once, here, with the absolute folder playbook looked in (a relative
`path` is read from the folder of `playbook.toml`); the calls of steps under its prefix are
not reported one by one as unknown images (PB501), since nothing can be known of them.

## Example
```toml
exclude = "vendor/**"

[[library]]
prefix = ""
path = "steps"

[severity]
unused-parameter = "warn"
```

## How to fix
Follow the label and the help line: write lists with brackets (`exclude = ["vendor/**"]`),
give every library a non-empty `prefix` and `path`, and use one of the four levels with the
code (`PB123`) or name (`unused-parameter`) shown by `playbook explain`.
"#,
};
