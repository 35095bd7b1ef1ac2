//! `PB501 unknown-image`: a step call whose image has no step manifest in the configured
//! libraries.
//!
//! Reported only when libraries are configured: without them no image is known, and every
//! call would be flagged.

use playbook_diagnostics::{Code, Diagnostic, Severity};

use super::StepCallContext;
use crate::db::Workspace;
use crate::images::{closest_image, library_manifest_path};

/// `PB501 unknown-image`, a warning.
pub static UNKNOWN_IMAGE: Code = Code {
    id: "PB501",
    name: "unknown-image",
    severity: Severity::Warning,
    summary: "A step image that is in no configured step library",
    doc: r#"## What it means
The image a step calls (`name:`) has no step manifest: no library folder holds a
`manifest.yaml` for it, and no manifest declares it as its `metadata.imageName`. A tag
(`:1.2`) or digest (`@sha256:...`) is ignored for the lookup.

## Why it matters
Without the manifest nothing is known of the step's inputs and outputs, so they cannot be
checked. Usually the image is misspelled, or the step was renamed or moved to another folder
of the library, and the playbook will fail when it reaches the step.

## Example
```yaml
steps:
  - name: registry.example.com/playbook-steps/redis/infos
    id: redis-info
```

## How to fix
Use the image the message suggests (`registry.example.com/playbook-steps/redis/info`), add
the missing manifest to the library, or, for an image from outside your libraries, configure
the library that describes it.
"#,
};

/// Reports the call when libraries are configured and its image resolves to no manifest.
pub fn check(db: &dyn salsa::Database, call: &StepCallContext<'_, '_>, out: &mut Vec<Diagnostic>) {
    if call.manifest.is_some() || crate::db::in_missing_library(db, call.image.name(db)) {
        return;
    }
    let libraries = Workspace::get(db).libraries(db);
    if libraries.is_empty() {
        return;
    }
    let image = call.image.name(db);
    let mut diagnostic = Diagnostic::new(
        &UNKNOWN_IMAGE,
        call.call.image.range,
        format!("image `{image}` is in no library"),
    );
    diagnostic = match closest_image(db, call.image) {
        Some(close) => diagnostic.with_label(format!("did you mean `{close}`?")),
        None => diagnostic.with_label("no step manifest for this image"),
    };
    let expected = libraries
        .iter()
        .find_map(|library| library_manifest_path(library, image));
    diagnostic = match expected {
        Some(path) => diagnostic.with_help(format!(
            "fix the image name, or add its manifest at `{path}`"
        )),
        None => diagnostic.with_help(
            "fix the image name, or configure the library that holds this image's manifest",
        ),
    };
    out.push(diagnostic);
}
