//! The diagnostic codes of structural problems found while lowering (`PB2xx`), with their
//! documentation.

use playbook_diagnostics::{Code, Severity};

/// Every code this crate reports.
pub const ALL: &[&Code] = &[
    &UNKNOWN_KEY,
    &WRONG_NODE_KIND,
    &MISSING_KEY,
    &DUPLICATE_KEY,
    &INVALID_PARAMETER_NAME,
    &INVALID_STEP_ID,
    &DUPLICATE_PARAMETER,
    &DUPLICATE_STEP_ID,
    &UNKNOWN_PARAMETER_TYPE,
    &UNKNOWN_API_VERSION,
    &INVALID_VALUE,
    &UNKNOWN_KIND,
];

pub static UNKNOWN_KEY: Code = Code {
    id: "PB201",
    name: "unknown-key",
    severity: Severity::Error,
    summary: "A key that this part of the file does not have",
    doc: r#"## What it means
The mapping contains a key that the playbook format does not define at this place. Keys are
case-sensitive: `Description` is not `description`.

## Why it matters
The platform ignores or rejects unknown keys, so what the key was meant to say is lost: a
misspelled `when` makes a conditional step run every time.

## Example
```yaml
metadata:
  name: redis-diagnostics
  Description: Enrich Redis alerts
```

## How to fix
Use the key the message suggests (`description`), or remove the key.
"#,
};

pub static WRONG_NODE_KIND: Code = Code {
    id: "PB202",
    name: "wrong-node-kind",
    severity: Severity::Error,
    summary: "A mapping, sequence or scalar where another kind of node is expected",
    doc: r#"## What it means
The value has the wrong shape: a sequence where a mapping is expected (`env:` written as a
list), a mapping where a single value is expected, and so on.

## Why it matters
The platform cannot read the value, so the playbook fails to load or the setting is lost.

## Example
```yaml
env:
  - REDIS_IP: "{{ $.params.RedisIp }}"
```

## How to fix
Write the value in the expected shape; here, `env` is a mapping of input names to values:
```yaml
env:
  REDIS_IP: "{{ $.params.RedisIp }}"
```
"#,
};

pub static MISSING_KEY: Code = Code {
    id: "PB203",
    name: "missing-key",
    severity: Severity::Error,
    summary: "A required key is missing",
    doc: r#"## What it means
A key that must be present is absent: `metadata.name` of a playbook, `name` and `type` of a
parameter, `name` of a step call, `apiVersion` and `kind` of a document.

## Why it matters
Without it the platform cannot identify or run the element.

## Example
```yaml
parameters:
  - type: var
    description: Redis host
```

## How to fix
Add the key the message names.
"#,
};

pub static DUPLICATE_KEY: Code = Code {
    id: "PB204",
    name: "duplicate-key",
    severity: Severity::Error,
    summary: "The same key appears twice in one mapping",
    doc: r#"## What it means
A mapping has two entries with the same key.

## Why it matters
YAML forbids it; loaders that accept it keep only one of the values, silently.

## Example
```yaml
env:
  REDIS_IP: 10.0.0.1
  REDIS_IP: 10.0.0.2
```

## How to fix
Remove one of the entries, or rename it.
"#,
};

pub static INVALID_PARAMETER_NAME: Code = Code {
    id: "PB205",
    name: "invalid-parameter-name",
    severity: Severity::Error,
    summary: "A parameter name that is not an identifier",
    doc: r#"## What it means
Parameter names are read in templates as `$.params.NAME`, so they must be identifiers:
letters, digits and `_`, not starting with a digit.

## Why it matters
A parameter named `redis-ip` cannot be written as `$.params.redis-ip`, which the template
language does not read as one name. Only the quoted form `$.params.'redis-ip'` reaches it,
in every template that uses it, and one reference written the ordinary way breaks the
playbook.

## Example
```yaml
parameters:
  - name: redis-ip
    type: var
```

## How to fix
Rename the parameter, for example to `redis_ip` or `RedisIp`, and update its references.
"#,
};

pub static INVALID_STEP_ID: Code = Code {
    id: "PB206",
    name: "invalid-step-id",
    severity: Severity::Error,
    summary: "A step id with characters other than letters, digits, `_` and `-`",
    doc: r#"## What it means
Step ids name a step's outputs in templates (`$.<id>.<output>`), so they may only contain
letters, digits, `_` and `-`.

## Why it matters
The platform rejects such ids, and templates cannot refer to them.

## Example
```yaml
- name: registry.example.com/playbook-steps/redis/info
  id: redis info
```

## How to fix
Use letters, digits, `_` and `-` only: `redis-info`.
"#,
};

pub static DUPLICATE_PARAMETER: Code = Code {
    id: "PB207",
    name: "duplicate-parameter",
    severity: Severity::Error,
    summary: "Two parameters with the same name",
    doc: r#"## What it means
The playbook declares two parameters with the same name.

## Why it matters
References to the name are ambiguous, and one of the declarations is silently ignored.

## Example
```yaml
parameters:
  - name: RedisIp
    type: var
  - name: RedisIp
    type: secret
```

## How to fix
Remove one declaration or rename it.
"#,
};

pub static DUPLICATE_STEP_ID: Code = Code {
    id: "PB208",
    name: "duplicate-step-id",
    severity: Severity::Error,
    summary: "Two steps with the same id",
    doc: r#"## What it means
Two steps of the playbook have the same `id`. Ids are unique across the whole playbook,
including steps in different conditional blocks and loops.

## Why it matters
`$.<id>.<output>` then refers to whichever step ran last, which depends on the run: a common
mistake when a block is copied into a sibling `when` block.

## Example
```yaml
- when: "{{ ieq $.event.Type \"db\" }}"
  steps:
    - name: registry.example.com/playbook-steps/postgres/identify-server
      id: identify
- when: "{{ ieq $.event.Type \"cache\" }}"
  steps:
    - name: registry.example.com/playbook-steps/redis/info
      id: identify
```

## How to fix
Give each step its own id.
"#,
};

pub static UNKNOWN_PARAMETER_TYPE: Code = Code {
    id: "PB209",
    name: "unknown-parameter-type",
    severity: Severity::Error,
    summary: "A parameter `type` other than var, secret, integration or spd",
    doc: r#"## What it means
A parameter's `type` must be one of `var`, `secret`, `integration` or `spd`.

## Why it matters
The platform does not know how to provide a value of an unknown type.

## Example
```yaml
parameters:
  - name: RedisPassword
    type: password
```

## How to fix
Use one of the four types; a password is a `secret`.
"#,
};

pub static UNKNOWN_API_VERSION: Code = Code {
    id: "PB210",
    name: "unknown-api-version",
    severity: Severity::Error,
    summary: "An `apiVersion` other than `stackpulse.io/v1`",
    doc: r#"## What it means
The document's `apiVersion` is not one this tool knows. The one version in use is
`stackpulse.io/v1`.

## Why it matters
The platform refuses documents of unknown versions.

## Example
```yaml
apiVersion: stackpulse.io/v2
kind: Playbook
```

## How to fix
Use `apiVersion: stackpulse.io/v1`.
"#,
};

pub static INVALID_VALUE: Code = Code {
    id: "PB211",
    name: "invalid-value",
    severity: Severity::Error,
    summary: "A value that is not of the expected type, such as `yes` for a boolean",
    doc: r#"## What it means
A setting with a fixed set of values has another one: a boolean that is not `true` or
`false`, a number that is not an integer, an input `type` that does not exist.

## Why it matters
The platform cannot read the setting, or reads it differently than intended (YAML 1.2 reads
`yes` as a string, not as true).

## Example
```yaml
ignoreFailure: yes
```

## How to fix
Write one of the values the message lists: `ignoreFailure: true`.
"#,
};

pub static UNKNOWN_KIND: Code = Code {
    id: "PB212",
    name: "unknown-kind",
    severity: Severity::Error,
    summary: "A playbook document whose `kind` is not Playbook, Step or Trigger",
    doc: r#"## What it means
A document with a `stackpulse.io` `apiVersion` has a `kind` that is not `Playbook`, `Step`
or `Trigger`.

## Why it matters
The platform ignores or rejects the document; usually the kind is misspelled.

## Example
```yaml
apiVersion: stackpulse.io/v1
kind: PlayBook
```

## How to fix
Use the kind the message suggests.
"#,
};
