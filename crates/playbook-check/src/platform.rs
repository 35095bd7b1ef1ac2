//! What the platform provides besides the playbook and its steps, as section 4 of the
//! language specification records it: the run's `metadata` and `execution` fields, the
//! `SP_` settings that steps read from their environment, and the names by which input
//! descriptions refer to integration types.
//!
//! These lists are what is known to exist, not everything that exists: a name on no list is
//! not reported, only a near spelling of a listed one (`userEmial`, `SP_FORMATER`).

use playbook_hir::ir::StepManifest;

/// The fields of `$.metadata` seen in production playbooks.
pub(crate) const METADATA_FIELDS: &[&str] = &["executionUrl", "playbookId", "userEmail"];

/// The fields of `$.execution` seen in production playbooks.
pub(crate) const EXECUTION_FIELDS: &[&str] = &["id"];

/// The fields of a context root (`metadata`, `execution`) known to exist; `None` for a root
/// whose fields are not known (`event`, the triggering event's payload).
pub fn context_fields(root: &str) -> Option<&'static [&'static str]> {
    match root {
        "metadata" => Some(METADATA_FIELDS),
        "execution" => Some(EXECUTION_FIELDS),
        _ => None,
    }
}

/// The prefix of the `env` keys that are settings of the platform and the step SDK, not
/// inputs of the step.
pub(crate) const SETTING_PREFIX: &str = "SP_";

/// The `SP_` settings known to exist.
pub(crate) const SETTINGS: &[&str] = &["SP_FORMATTER", "SP_REDIRECT_URL"];

/// The integration types a step accepts: those its manifest lists under `integrations`,
/// and those its input descriptions name ("specify a GCP or AWS integration"). `None` when
/// the manifest has no `integrations` key: it says nothing about integrations, so every
/// type is accepted.
pub fn accepts_integration(manifest: &StepManifest, kind: &str) -> bool {
    let Some(listed) = &manifest.integrations else {
        return true;
    };
    listed.iter().any(|i| same_type(&i.value, kind))
        || described_integrations(manifest)
            .iter()
            .any(|named| same_type(named, kind))
}

/// The integration types the manifest lists and its input descriptions name, for messages.
pub(crate) fn accepted_integrations(manifest: &StepManifest) -> Vec<String> {
    let mut accepted: Vec<String> = manifest
        .integrations
        .iter()
        .flatten()
        .map(|i| i.value.clone())
        .collect();
    for named in described_integrations(manifest) {
        if !accepted.iter().any(|a| same_type(a, &named)) {
            accepted.push(named);
        }
    }
    accepted
}

/// Words that may stand before "integration" in a description without naming a type.
const NOT_TYPES: &[&str] = &[
    "a",
    "an",
    "the",
    "or",
    "and",
    "specify",
    "use",
    "your",
    "by",
    "as",
    "well",
    "requires",
    "having",
    "with",
    "of",
    "any",
    "be",
    "can",
    "could",
    "provided",
    "appropriately",
    "cloud",
    "platform",
    "service",
];

/// How descriptions spell integration types that are named otherwise.
const ALIASES: &[(&str, &str)] = &[
    ("kubernetes", "k8s"),
    ("google", "gcp"),
    ("gcloud", "gcp"),
    ("amazon", "aws"),
    ("ms", "azure"),
    ("microsoft", "azure"),
];

/// The integration types named in the input descriptions of a manifest: the words before
/// each "integration" (up to four, skipping articles and conjunctions: "a GCP or AWS
/// integration" names `gcp` and `aws`), lower-cased, with the aliases above resolved.
pub(crate) fn described_integrations(manifest: &StepManifest) -> Vec<String> {
    let mut named: Vec<String> = Vec::new();
    let descriptions = manifest
        .envs
        .iter()
        .chain(&manifest.args)
        .filter_map(|input| input.description.as_ref());
    for description in descriptions {
        let words: Vec<String> = description
            .value
            .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        for (i, word) in words.iter().enumerate() {
            if !word.starts_with("integration") {
                continue;
            }
            for before in words[i.saturating_sub(4)..i].iter().rev() {
                if NOT_TYPES.contains(&before.as_str()) {
                    continue;
                }
                let kind = ALIASES
                    .iter()
                    .find(|(alias, _)| alias == before)
                    .map_or(before.as_str(), |(_, kind)| kind);
                if !named.iter().any(|n| n == kind) {
                    named.push(kind.to_owned());
                }
            }
        }
    }
    named
}

/// Whether two spellings name the same integration type: equal without case, or one is the
/// other's first `_` part (`pagerduty` and `pagerduty_token`).
fn same_type(a: &str, b: &str) -> bool {
    let (a, b) = (a.to_lowercase(), b.to_lowercase());
    a == b || a.split('_').next() == Some(b.as_str()) || b.split('_').next() == Some(a.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(integrations: Option<&[&str]>, descriptions: &[&str]) -> StepManifest {
        let mut yaml =
            String::from("apiVersion: stackpulse.io/v1\nkind: Step\nmetadata:\n  name: m\nenvs:\n");
        for (i, d) in descriptions.iter().enumerate() {
            yaml.push_str(&format!(
                "  - name: IN{i}\n    type: string\n    description: \"{d}\"\n"
            ));
        }
        if let Some(list) = integrations {
            yaml.push_str(&format!("integrations: [{}]\n", list.join(", ")));
        }
        let lowered = playbook_hir::lower(playbook_syntax::parse(&yaml).tree());
        match lowered.file.manifests().next() {
            Some(m) => m.clone(),
            None => panic!("no manifest in {yaml}"),
        }
    }

    #[test]
    fn a_manifest_without_integrations_accepts_any() {
        let m = manifest(None, &[]);
        assert!(accepts_integration(&m, "slack"));
        let m = manifest(Some(&[]), &[]);
        assert!(!accepts_integration(&m, "slack"));
    }

    #[test]
    fn descriptions_name_more_types() {
        let m = manifest(
            Some(&["k8s"]),
            &[
                "Object URL of the bucket. If using a GCS or S3 bucket please specify a GCP or AWS integration appropriately.",
            ],
        );
        assert!(accepts_integration(&m, "k8s"));
        assert!(accepts_integration(&m, "gcp"));
        assert!(accepts_integration(&m, "aws"));
        assert!(!accepts_integration(&m, "slack"));
        assert_eq!(accepted_integrations(&m), ["k8s", "aws", "gcp"]);

        let m = manifest(
            Some(&["aws"]),
            &["base64 kubeconfig. could be provided by kubernetes integration as well."],
        );
        assert!(accepts_integration(&m, "k8s"));
        let m = manifest(Some(&["pagerduty_token"]), &[]);
        assert!(accepts_integration(&m, "pagerduty"));
    }
}
