//! PB520 manifest-defect: a structural problem inside a step manifest (an input declared
//! twice, a duplicate key, an unknown key, a value of the wrong type), reported as a warning.
//!
//! A step manifest describes a step somebody else built and runs: the platform's own library
//! has inputs declared twice and duplicate keys in steps that work in production. The
//! problem is real, but it is not the playbook author's to fix and it does not stop a
//! playbook from running, so it is not an error. Every finding of lowering inside a `Step`
//! document keeps its message, label, help and related locations and takes this one code,
//! which a repository can turn off in `[severity]` (`manifest-defect = "off"`).
//!
//! A manifest that is somebody else's code in the strict sense (loaded only from a library
//! folder, or excluded by `exclude` in `playbook.toml`) never reports it, wherever it is
//! shown: the database says which files those are. YAML syntax errors stay errors: a
//! manifest that cannot be read cannot describe its step.

use playbook_diagnostics::{Code, Diagnostic, Severity};
use playbook_hir::ir::File;

pub static CODE: Code = Code {
    id: "PB520",
    name: "manifest-defect",
    severity: Severity::Warning,
    summary: "A step manifest contradicts itself or breaks the manifest format",
    doc: r#"## What it means
A step manifest (`kind: Step`) has a structural problem: an input or output declared twice,
a key given twice in one mapping, a key the format does not have, a value of the wrong type.
The message is that of the structural check that found it (for example: duplicate key
`example`; input `DOCKER_USE_SUDO` is declared twice), and the help says what the manifest
should say instead.

Only the first of two declarations of an input or output is kept as the step's interface.

A manifest can also contradict itself: an input's `example` that is not a value of its
declared `type` (`HOSTNAME` declared `type: bool` with `example: "192.168.17.43"`). One of
the two is wrong, and the manifest does not say which, so calls giving that input are not
held to the declared type (no PB504). An example listing the allowed values
(`"true","false"`) fits its type.

## Why it matters
A manifest is the step's interface: the checks of every playbook that calls the step read
it. A duplicated input makes the manifest ambiguous about what the step accepts. But the
manifest usually belongs to a step library maintained by somebody else, and the step runs
all the same, so the problem is a warning, not an error. Manifests found only through a
`[[library]]` folder, and files excluded in `playbook.toml`, never report it. YAML syntax
errors in a manifest stay errors: a manifest that cannot be read describes nothing.

## Example
```yaml
apiVersion: stackpulse.io/v1
kind: Step
metadata:
  name: psql_query_cancel
envs:
  - name: DOCKER_USE_SUDO
    type: bool
  - name: DOCKER_USE_SUDO
    type: bool
```

## How to fix
Where the manifest is yours, follow the help line: remove the second declaration or the
duplicate key. Where it belongs to a library you vendor, report it upstream, and either
exclude the folder in `playbook.toml` (`exclude = ["vendor/**"]`), declare it as a
`[[library]]` outside the checked folders, or turn the check off:
```toml
[severity]
manifest-defect = "off"
```
"#,
};

/// The lowering findings of a file as reported: those inside a step manifest become
/// [`CODE`] findings (a warning, with the original message, label, help and related
/// locations), or are dropped when the file is somebody else's code (`foreign`); the others
/// are unchanged. `lowering` holds the findings of lowering `file`, and only those.
pub fn reclassify<'a>(
    file: &'a File,
    lowering: &'a [Diagnostic],
    foreign: bool,
) -> impl Iterator<Item = Diagnostic> + 'a {
    lowering.iter().filter_map(move |d| {
        let in_manifest = file.manifests().any(|m| m.range.contains_range(d.range));
        match (in_manifest, foreign) {
            (false, _) => Some(d.clone()),
            (true, true) => None,
            (true, false) => Some(Diagnostic {
                code: &CODE,
                severity: CODE.severity,
                ..d.clone()
            }),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lowered(text: &str) -> playbook_hir::Lowered {
        playbook_hir::lower(playbook_syntax::parse(text).tree())
    }

    const FILE: &str = "apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: p
  name: q
---
apiVersion: stackpulse.io/v1
kind: Step
metadata:
  name: s
envs:
  - name: A
    type: string
  - name: A
    type: string
";

    #[test]
    fn findings_inside_a_manifest_are_warnings_under_one_code() {
        let lowered = lowered(FILE);
        let out: Vec<(&str, Severity, String)> =
            reclassify(&lowered.file, &lowered.diagnostics, false)
                .map(|d| (d.code.id, d.severity, d.message))
                .collect();
        assert_eq!(
            out,
            [
                ("PB204", Severity::Error, "duplicate key `name`".to_owned()),
                (
                    "PB520",
                    Severity::Warning,
                    "input `A` is declared twice".to_owned()
                ),
            ]
        );
        let kept =
            reclassify(&lowered.file, &lowered.diagnostics, false).find(|d| d.code.id == "PB520");
        let original = lowered
            .diagnostics
            .iter()
            .find(|d| d.code.id == "PB204" && d.message.starts_with("input"));
        let (Some(kept), Some(original)) = (kept, original) else {
            panic!("{:?}", lowered.diagnostics)
        };
        assert_eq!(
            (&kept.label, &kept.help, &kept.related, kept.range),
            (
                &original.label,
                &original.help,
                &original.related,
                original.range
            )
        );
    }

    #[test]
    fn somebody_elses_manifest_reports_nothing_of_it() {
        let lowered = lowered(FILE);
        let out: Vec<&str> = reclassify(&lowered.file, &lowered.diagnostics, true)
            .map(|d| d.code.id)
            .collect();
        // The playbook of the file is not a manifest: its finding stays.
        assert_eq!(out, ["PB204"]);
    }
}
