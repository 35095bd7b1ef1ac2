//! PB501 unknown-image: a step call whose image has no step manifest in the configured
//! libraries, with the library image the call most likely meant.
//!
//! Reported only when libraries are configured (without them no image is known, and every
//! call would be flagged), not for an image under a library whose folder is missing (the
//! configuration's one diagnostic says so, where one per call would repeat it), and not for
//! an image under no library's prefix unless it is a near spelling of a library image.
//!
//! The suggestion compares the part of each image after its library's prefix, so that the
//! long shared prefix does not make unrelated steps look alike: first a known image with the
//! same last path segment (a step moved to another folder), then a close spelling, else
//! nothing.

use playbook_diagnostics::{Code, Diagnostic, Fix, Severity};
use playbook_hir::ir::StepCall;
use playbook_hir::suggest::edit_distance;

use crate::interface::{library_manifest_path, library_rest, lookup_name, select};
use crate::{Library, Workspace};

pub static CODE: Code = Code {
    id: "PB501",
    name: "unknown-image",
    severity: Severity::Warning,
    summary: "A step image that is in no configured step library",
    doc: r#"## What it means
The image a step calls (`name:`) has no step manifest: no library folder holds a
`manifest.yaml` for it, and no manifest declares it as its `metadata.imageName`. A tag
(`:1.2`) or digest (`@sha256:...`) is ignored for the lookup.

Nothing is reported when no library is configured, nor for an image under a library whose
folder does not exist (the configuration's error says so once). An image under no
library's prefix (`alpine:3`, an image of your own registry) is reported only when it is a
near spelling of a library image: nothing says any other image should have a manifest.

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
Use the image the help suggests (`registry.example.com/playbook-steps/redis/info`), add
the missing manifest to the library where the help says, or, for an image from outside your
libraries, configure the library that describes it.

The suggestion compares the images after their library's prefix: a library image with the
same last path segment (`public/echo` -> `utils/echo`, a step moved to another folder), else
one with a close spelling (`redis/infos` -> `redis/info`), else none. When the suggested
step lacks an input the call passes, the help says so: check the call's inputs against it.

## Several manifests for one image
An image may be claimed by several manifests through `metadata.imageName` (five real
manifests claim `amazon/aws-cli`: the generic `aws/cmd`, and `aws/attach-volume`,
`aws/detach-volume`, `aws/describe-instances`, `aws/dynamo-db`). Such an image is known, and
each call is checked against the manifest its `args` choose:
1. a manifest whose leading arguments have fixed defaults (`command: ec2`,
   `subcommand: attach-volume`) is chosen when the call's leading `args` repeat them
   (`args: [ec2, attach-volume, ...]`); a default that is a template (`{{ .volumeID }}`) or
   belongs to an option (`--region`) is not fixed. The one repeating the most wins;
2. otherwise the generic manifest, the one without fixed leading arguments, applies;
3. if that leaves no single manifest (two match equally, or there are several generic
   ones), the call's interface is unknown and nothing of it is checked against a manifest.

The order of the files never decides.
"#,
};

/// Reports `call`, whose image no manifest describes, when libraries are configured.
pub(crate) fn check(workspace: &dyn Workspace, call: &StepCall, out: &mut Vec<Diagnostic>) {
    let Some(image) = lookup_name(&call.image.value) else {
        return;
    };
    let libraries = workspace.libraries();
    if libraries.is_empty()
        || libraries
            .iter()
            .any(|l| l.missing && library_rest(l, image).is_some())
    {
        return;
    }
    let known = workspace.image_names();
    let suggested = closest_image(image, &libraries, &known);
    let suggestion = suggested.map(|(close, _)| close);
    // An image under no library's prefix (`alpine:3`, an image of the team's own registry)
    // is somebody else's: nothing says it should have a manifest, unless it is a near
    // spelling of one that has.
    if suggestion.is_none() && libraries.iter().all(|l| library_rest(l, image).is_none()) {
        return;
    }
    let expected = libraries
        .iter()
        .find_map(|library| library_manifest_path(library, image));
    let mut diagnostic = Diagnostic::new(
        &CODE,
        call.image.range,
        format!("image `{image}` is in no library"),
    )
    .with_label(super::did_you_mean(
        suggestion,
        "no step manifest for this image",
    ));
    let otherwise = match &expected {
        Some(path) => format!("add this image's manifest at `{path}`"),
        None => "configure the library that holds this image's manifest".to_owned(),
    };
    let lacking = suggestion.map_or_else(Vec::new, |close| inputs_lacking(workspace, call, close));
    diagnostic = diagnostic.with_help(match suggestion {
        Some(close) => match lacking.split_last() {
            None => format!("use `{close}`, or {otherwise}"),
            Some((last, [])) => format!("use `{close}` (it has no input {last}), or {otherwise}"),
            Some((last, before)) => format!(
                "use `{close}` (it has no input {} or {last}), or {otherwise}",
                before.join(", ")
            ),
        },
        None => format!("fix the image name, or {otherwise}"),
    });
    if let Some((close, only)) = suggested
        && let Some(fix) = replacement(call, image, close, &libraries)
    {
        // Unattended only when the image is the one candidate and takes every input the
        // call passes.
        diagnostic = diagnostic.with_fix(if only && lacking.is_empty() {
            fix
        } else {
            fix.unsafe_()
        });
    }
    out.push(diagnostic);
}

/// The fix that writes image `close` in place of `image` in the call's `name`, keeping its
/// tag or digest, when the two images are in the same library (an image of another library,
/// or of none, is another registry: a person must decide).
fn replacement(
    call: &StepCall,
    image: &str,
    close: &str,
    libraries: &[Library<'_>],
) -> Option<Fix> {
    let same_library = libraries
        .iter()
        .any(|l| library_rest(l, image).is_some() && library_rest(l, close).is_some());
    if !same_library {
        return None;
    }
    let written = call.image.value.as_str();
    let suffix = written.strip_prefix(image)?;
    let new = format!("{close}{suffix}");
    crate::fix::rename_scalar(written, call.image.range, &new)
}

/// The inputs the call passes (`SP_` settings of the platform aside) that the manifest of
/// image `close` does not declare, quoted; none when that manifest is not known for the call.
fn inputs_lacking(workspace: &dyn Workspace, call: &StepCall, close: &str) -> Vec<String> {
    let candidates = workspace.manifests(close);
    let Some(manifest) = select(&candidates, call) else {
        return Vec::new();
    };
    call.env
        .iter()
        .map(|e| e.name.value.as_str())
        .filter(|name| !name.starts_with(crate::platform::SETTING_PREFIX))
        .filter(|name| !manifest.envs.iter().any(|i| i.name.value == *name))
        .map(|name| format!("`{name}`"))
        .collect()
}

/// The part of an image that is compared: after its library's prefix, else the whole name.
fn compared_part<'i>(image: &'i str, libraries: &[Library<'_>]) -> &'i str {
    libraries
        .iter()
        .find_map(|library| library_rest(library, image))
        .unwrap_or(image)
}

/// The known image an unknown one most likely meant, comparing the parts after the library
/// prefixes:
/// 1. the same last path segment: the only known image with it, or among several the
///    closest one that also shares a folder (`opsgenie/alert/resolve` ->
///    `opsgenie/incident/resolve`, not `pagerduty/incident/resolve`);
/// 2. a close spelling: at most a third of the compared part's characters differ;
/// 3. else none: a suggestion must be plausibly related (`k8s/deploy` gets none).
///
/// Ties go to the smaller edit distance, then to the first name. The flag says whether the
/// image is the only one that close (no other at the same distance).
fn closest_image<'k>(
    image: &str,
    libraries: &[Library<'_>],
    known: &[&'k str],
) -> Option<(&'k str, bool)> {
    let wanted = compared_part(image, libraries);
    let (folders, last) = wanted.rsplit_once('/').unwrap_or(("", wanted));
    let others: Vec<(&'k str, &'k str)> = known
        .iter()
        .filter(|k| **k != image)
        .map(|k| (*k, compared_part(k, libraries)))
        .collect();
    let same_last: Vec<(&'k str, &'k str)> = others
        .iter()
        .copied()
        .filter(|(_, part)| part.rsplit('/').next() == Some(last))
        .collect();
    if let [(only, _)] = same_last.as_slice() {
        return Some((only, true));
    }
    let shares_a_folder = |part: &str| {
        let theirs = part.rsplit_once('/').map_or("", |(f, _)| f);
        theirs
            .split('/')
            .any(|f| !f.is_empty() && folders.split('/').any(|w| w == f))
    };
    if let Some((_, moved, only)) = nearest(
        wanted,
        same_last
            .into_iter()
            .filter(|(_, part)| shares_a_folder(part)),
    ) {
        return Some((moved, only));
    }
    let length = wanted.chars().count();
    let limit = if length <= 2 { 0 } else { (length / 3).max(1) };
    nearest(
        wanted,
        others
            .into_iter()
            .filter(|(_, part)| part.chars().count().abs_diff(length) <= limit),
    )
    .filter(|(distance, _, _)| *distance <= limit)
    .map(|(_, name, only)| (name, only))
}

/// The candidate (name, compared part) whose part is nearest `wanted` (the first name in
/// order among the nearest), with its distance, and whether no other name is as near.
fn nearest<'k>(
    wanted: &str,
    candidates: impl Iterator<Item = (&'k str, &'k str)>,
) -> Option<(usize, &'k str, bool)> {
    let mut best: Option<(usize, &'k str, bool)> = None;
    for (distance, name) in candidates.map(|(name, part)| (edit_distance(wanted, part), name)) {
        match &mut best {
            Some((d, b, only)) if distance == *d => {
                *only &= *b == name;
                *b = (*b).min(name);
            }
            Some((d, _, _)) if distance > *d => {}
            _ => best = Some((distance, name, true)),
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIBRARY: [Library<'static>; 1] = [Library {
        prefix: "reg.io/steps/",
        dir: "steps",
        missing: false,
    }];

    fn closest(image: &str, known: &[&'static str]) -> Option<&'static str> {
        closest_image(image, &LIBRARY, known).map(|(name, _)| name)
    }

    #[test]
    fn an_image_is_the_only_suggestion_unless_another_is_as_close() {
        let known = ["reg.io/steps/redis/info", "reg.io/steps/redis/infa"];
        assert_eq!(
            closest_image("reg.io/steps/redis/infos", &LIBRARY, &known),
            Some(("reg.io/steps/redis/info", true))
        );
        assert_eq!(
            closest_image("reg.io/steps/redis/inf", &LIBRARY, &known),
            Some(("reg.io/steps/redis/infa", false))
        );
    }

    #[test]
    fn the_same_last_segment_is_a_step_moved_to_another_folder() {
        let known = [
            "reg.io/steps/utils/echo",
            "reg.io/steps/utils/tabulate",
            "reg.io/steps/parsers/data-transformer",
        ];
        assert_eq!(
            closest("reg.io/steps/public/echo", &known),
            Some("reg.io/steps/utils/echo")
        );
        assert_eq!(
            closest("reg.io/steps/parsers/tabulate", &known),
            Some("reg.io/steps/utils/tabulate")
        );
        assert_eq!(
            closest("reg.io/steps/echo", &known),
            Some("reg.io/steps/utils/echo")
        );
    }

    #[test]
    fn among_several_with_the_last_segment_one_must_share_a_folder() {
        let known = [
            "reg.io/steps/opsgenie/incident/resolve",
            "reg.io/steps/pagerduty/incident/resolve",
            "reg.io/steps/victorops/incident/resolve",
            "reg.io/steps/gcloud/cmd",
            "reg.io/steps/kubectl/cmd",
        ];
        assert_eq!(
            closest("reg.io/steps/opsgenie/alert/resolve", &known),
            Some("reg.io/steps/opsgenie/incident/resolve")
        );
        assert_eq!(closest("reg.io/steps/aws/cmd", &known), None);
    }

    #[test]
    fn a_close_spelling_after_the_prefix() {
        let known = ["reg.io/steps/redis/info", "reg.io/steps/aws/cmd"];
        assert_eq!(
            closest("reg.io/steps/redis/infos", &known),
            Some("reg.io/steps/redis/info")
        );
        assert_eq!(
            closest("reg.io/steps/redis/nfo", &known),
            Some("reg.io/steps/redis/info")
        );
    }

    #[test]
    fn nothing_unrelated_is_suggested() {
        let known = ["reg.io/steps/aws/cmd", "reg.io/steps/redis/info"];
        assert_eq!(closest("reg.io/steps/k8s/deploy", &known), None);
        assert_eq!(closest("amazon/aws-cli", &known), None);
        assert_eq!(closest("reg.io/steps/aws/cmd", &known), None);
    }
}
