//! The diagnostic codes of YAML syntax errors (`PB0xx`), with their documentation.

use playbook_diagnostics::{Code, Severity};

/// Every code this crate reports.
pub const ALL: &[&Code] = &[
    &INVALID_YAML,
    &COLON_IN_PLAIN_SCALAR,
    &TAB_INDENTATION,
    &BAD_INDENTATION,
    &UNTERMINATED_SCALAR,
    &INVALID_ESCAPE,
    &UNCLOSED_FLOW_COLLECTION,
    &NESTING_TOO_DEEP,
];

pub static INVALID_YAML: Code = Code {
    id: "PB001",
    name: "invalid-yaml",
    severity: Severity::Error,
    summary: "The file is not valid YAML",
    doc: r#"## What it means
The text does not follow YAML's grammar at this point: a character that cannot start a node,
a missing `:` after a key, text after a closed quote, and similar slips.

## Why it matters
A playbook that is not valid YAML cannot be loaded at all: the platform rejects the whole
file, not just the broken line.

## Example
```yaml
steps:
  - name: us-docker.pkg.dev/stackpulse/public/redis/info
    env: { REDIS_IP: "10.0.0.1" ]
```

## How to fix
Follow the help line: close what was opened, remove the stray character, or quote the value.
"#,
};

pub static COLON_IN_PLAIN_SCALAR: Code = Code {
    id: "PB002",
    name: "colon-in-plain-scalar",
    severity: Severity::Error,
    summary: "An unquoted value contains `: `, which YAML reads as a nested key",
    doc: r#"## What it means
A plain (unquoted) value contains a colon followed by a space. YAML reads `: ` as the start of
a mapping value, and a mapping cannot start in the middle of a value.

## Why it matters
The whole file is rejected by YAML loaders, so the playbook cannot be deployed. This often
happens in descriptions that quote a setting, such as `allContainers: true`.

## Example
```yaml
description: consider using `allContainers: true`
```

## How to fix
Quote the value:
```yaml
description: "consider using `allContainers: true`"
```
"#,
};

pub static TAB_INDENTATION: Code = Code {
    id: "PB003",
    name: "tab-indentation",
    severity: Severity::Error,
    summary: "A tab is used for indentation",
    doc: r#"## What it means
YAML indentation must be made of spaces. A tab character was found where indentation counts.

## Why it matters
Loaders reject tabs in indentation, and editors display them at different widths, which hides
the real structure of the file.

## Example
```yaml
steps:
	- name: us-docker.pkg.dev/stackpulse/public/redis/info
```

## How to fix
Replace the tab with spaces.
"#,
};

pub static BAD_INDENTATION: Code = Code {
    id: "PB004",
    name: "bad-indentation",
    severity: Severity::Error,
    summary: "A line is indented in a way that does not fit the structure around it",
    doc: r#"## What it means
A line is indented more or less than the mapping or sequence it belongs to, so YAML cannot tell
where it goes.

## Why it matters
The file cannot be loaded; or, worse, a key ends up in a different mapping than intended.

## Example
```yaml
metadata:
  name: redis-diagnostics
   description: Enrich Redis alerts
```

## How to fix
Align the line with its siblings.
"#,
};

pub static UNTERMINATED_SCALAR: Code = Code {
    id: "PB005",
    name: "unterminated-scalar",
    severity: Severity::Error,
    summary: "A quoted string is never closed",
    doc: r#"## What it means
A single- or double-quoted scalar has no closing quote before the end of the document.

## Why it matters
Everything after the opening quote becomes part of the string, so the rest of the file is lost.

## Example
```yaml
env:
  REDIS_IP: "{{ $.params.RedisIp }}
```

## How to fix
Add the closing quote.
"#,
};

pub static INVALID_ESCAPE: Code = Code {
    id: "PB006",
    name: "invalid-escape",
    severity: Severity::Error,
    summary: "A double-quoted string contains an unknown escape sequence",
    doc: r#"## What it means
In a double-quoted YAML string, `\` starts an escape sequence such as `\n`, `\"` or `\u00e9`.
The character after this `\` does not form a valid escape.

## Why it matters
YAML loaders reject the file. Regular expressions and Windows paths are the usual cause.

## Example
```yaml
env:
  LOG_DIR: "C:\Program Files\agent\logs"
```

## How to fix
Double the backslash (`"C:\\Program Files"`), or use a single-quoted or block scalar, where
`\` is literal. Inside a template, a regular expression is best written as a raw string:
``{{ regexMatch `^db\d+$` .host }}``.
"#,
};

pub static UNCLOSED_FLOW_COLLECTION: Code = Code {
    id: "PB007",
    name: "unclosed-flow-collection",
    severity: Severity::Error,
    summary: "A `[` or `{` is never closed",
    doc: r#"## What it means
A flow sequence (`[...]`) or flow mapping (`{...}`) has no closing bracket.

## Why it matters
The file cannot be loaded.

## Example
```yaml
integrations: [slack, pagerduty
```

## How to fix
Add the closing `]` or `}`.
"#,
};

pub static NESTING_TOO_DEEP: Code = Code {
    id: "PB008",
    name: "nesting-too-deep",
    severity: Severity::Error,
    summary: "Collections are nested more than 256 levels deep",
    doc: r#"## What it means
Mappings and sequences are nested inside each other more than 256 levels deep. The parser
stops structuring the file at that depth and keeps the rest of the node as text.

## Why it matters
No real playbook comes near this depth: such a file is generated or malicious, and parsing it
without a limit could exhaust the stack. Everything below the limit is not checked.

## Example
```yaml
a: [[[[[[[[[[[[[[[[ ... 300 levels ... ]]]]]]]]]]]]]]]]
```

## How to fix
Flatten the structure: move deeply nested parts into their own keys or files.
"#,
};
