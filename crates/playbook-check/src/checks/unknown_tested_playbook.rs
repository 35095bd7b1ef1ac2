//! PB701 unknown-tested-playbook: a test file names a playbook that is not in the workspace.

use playbook_diagnostics::{Code, Severity};

pub static CODE: Code = Code {
    id: "PB701",
    name: "unknown-tested-playbook",
    severity: Severity::Error,
    summary: "A test file names a playbook that is not in the workspace",
    doc: r#"## What it means
A test file's `playbook` must be the `metadata.name` of a playbook of the workspace.

## Why it matters
`playbook test` has nothing to run: every case of the file fails.

## Example
```yaml
kind: PlaybookTest
playbook: database-slownes
```

## How to fix
Use the name the label suggests, or add the playbook.
"#,
};
