//! The diagnostic codes of template syntax errors (`PB1xx`), with their documentation.

use playbook_diagnostics::{Code, Severity};

/// Every code this crate reports.
pub const ALL: &[&Code] = &[
    &TEMPLATE_SYNTAX,
    &UNCLOSED_ACTION,
    &STRAY_CLOSE,
    &UNCLOSED_BLOCK,
    &UNMATCHED_END,
];

pub static TEMPLATE_SYNTAX: Code = Code {
    id: "PB101",
    name: "template-syntax",
    severity: Severity::Error,
    summary: "A template action contains a malformed expression",
    doc: r#"## What it means
The text between `{{` and `}}` does not follow the grammar of Go templates: a character that
cannot start anything (`@`, `#`), a path that ends with a dot, a string that is never closed,
an unknown escape in a string, a `|` with no command after it, a parenthesis that is not
closed, an expression nested more than 64 levels deep, or an `{{ else range ... }}`, which Go
does not have (write `{{ else }}{{ range ... }}...{{ end }}`).

## Why it matters
The platform parses every template before it runs a step. A malformed action makes the step
fail at run time, usually in the middle of an incident.

## Example
```yaml
when: '{{ eq $.params. "prod" }}'
```

## How to fix
Follow the label: complete the path (`$.params.environment`), close the string or the
parenthesis, or remove the stray character. Strings are written in double quotes
(`"prod"`); single quotes hold one character or name a key with dashes (`$.'redis-info'`).
"#,
};

pub static UNCLOSED_ACTION: Code = Code {
    id: "PB102",
    name: "unclosed-action",
    severity: Severity::Error,
    summary: "A `{{` is never closed by `}}`",
    doc: r#"## What it means
An action opens with `{{` but no `}}` follows before the end of the value or the next `{{`.

## Why it matters
The template engine rejects the whole value, so the step that uses it fails to run.

## Example
```yaml
env:
  REDIS_IP: "{{ $.params.RedisIp"
```

## How to fix
Add `}}` where the action should end: `"{{ $.params.RedisIp }}"`.
"#,
};

pub static STRAY_CLOSE: Code = Code {
    id: "PB103",
    name: "stray-close",
    severity: Severity::Error,
    summary: "A `}}` closes no action",
    doc: r#"## What it means
The value contains `}}` outside any action. Go templates print it as text, but in a playbook
it is always a slip: a `{{` was forgotten, or one `}` too many was typed.

## Why it matters
The value is not what was meant: the expression is printed literally instead of evaluated.

## Example
```yaml
message: "Redis at $.params.RedisIp }} is down"
```

## How to fix
Add the missing `{{` (`{{ $.params.RedisIp }}`), or remove the `}}`.
"#,
};

pub static UNCLOSED_BLOCK: Code = Code {
    id: "PB104",
    name: "unclosed-block",
    severity: Severity::Error,
    summary: "An `if`, `range`, `with`, `define` or `block` has no `end`",
    doc: r#"## What it means
A block action opens a block that must be closed with `{{ end }}`, and none closes it.

## Why it matters
The template engine rejects the whole value ("unexpected EOF"), so the step fails to run.

## Example
```yaml
when: '{{ if eq $.params.env "prod" }}true'
```

## How to fix
Add `{{ end }}` where the block should end:
`'{{ if eq $.params.env "prod" }}true{{ end }}'`.
"#,
};

pub static UNMATCHED_END: Code = Code {
    id: "PB105",
    name: "unmatched-end",
    severity: Severity::Error,
    summary: "An `end`, `else`, `break` or `continue` is outside the block it belongs to",
    doc: r#"## What it means
An `{{ end }}` closes no block, an `{{ else }}` is outside any `if`, `range` or `with` (or
follows another `else`), or a `break` or `continue` is outside any `range`.

It also reports the `else` forms that Go 1.19, which runs the templates, refuses:
`{{ else if ... }}` anywhere but in an `if` block (Go: "unexpected <if> in input"), and
`{{ else with ... }}` in any block (it came with Go 1.23; Go 1.19: "unexpected <with> in
else"). Write the inner block inside a plain `else`, with its own `{{ end }}`:
`{{ with .a }}A{{ else }}{{ if .b }}B{{ end }}{{ end }}`. In that `else` branch, `.` is
the `.` from outside the `with` or `range`, as it is in any of their `else` branches.

## Why it matters
The template engine rejects the whole value, so the step fails to run.

## Example
```yaml
message: '{{ $.params.name }}{{ end }}'
```

## How to fix
Remove the extra action, or add the block it belongs to (`{{ if ... }}`).
"#,
};
