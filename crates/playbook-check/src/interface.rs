//! The interface of a step call: from the image a call names to the manifest its inputs,
//! outputs and arguments are checked against, and what the manifest's `args` mean.
//!
//! - An image is looked up without its tag or digest ([`lookup_name`]); an image written as
//!   a template cannot be known.
//! - A library serves image `<prefix><rest>` from `<dir>/<rest>/manifest.yaml`
//!   ([`library_rest`], [`library_manifest_path`]).
//! - Several manifests may claim one image through `metadata.imageName` (five real ones
//!   claim `amazon/aws-cli`): the workspace gives them all, and [`select`] chooses the one a
//!   call uses from the call's leading `args`.
//! - A last argument documented as further options takes the rest of the command line
//!   ([`takes_the_rest`]).
//!
//! The checks of a playbook ask `call_interface` for the manifest of each call; it is also
//! where an image that no manifest claims is reported (PB501,
//! [`unknown_image`](crate::checks::unknown_image)).

use playbook_diagnostics::Diagnostic;
use playbook_hir::ir::{Input, StepCall, StepManifest};

use crate::{Library, Workspace};

/// The image without its tag (`:1.2`) or digest (`@sha256:...`). A `:` before the last `/`
/// is a registry port and is kept (`localhost:5000/redis/info`).
pub fn strip_tag_and_digest(image: &str) -> &str {
    let image = image.trim();
    let image = image.split_once('@').map_or(image, |(name, _)| name);
    let last_segment = image.rfind('/').map_or(0, |i| i + 1);
    match image.get(last_segment..).and_then(|s| s.find(':')) {
        Some(colon) => image.get(..last_segment + colon).unwrap_or(image),
        None => image,
    }
}

/// The name an image is looked up by: [`strip_tag_and_digest`], or `None` when the image
/// cannot be known statically (empty, or a template).
pub fn lookup_name(image: &str) -> Option<&str> {
    let name = strip_tag_and_digest(image);
    (!name.is_empty() && !name.contains("{{")).then_some(name)
}

/// The part of `image` after the prefix of `library` (`redis/info` for
/// `reg.io/steps/redis/info` in a library of prefix `reg.io/steps/`), if the image is in it.
/// A library without a prefix holds every image.
pub fn library_rest<'i>(library: &Library<'_>, image: &'i str) -> Option<&'i str> {
    let prefix = library.prefix.trim_end_matches('/');
    let rest = if prefix.is_empty() {
        image
    } else {
        image.strip_prefix(prefix)?.strip_prefix('/')?
    };
    (!rest.is_empty()).then_some(rest)
}

/// Where `library` would hold the manifest of `image`, if the image is in the library.
pub fn library_manifest_path(library: &Library<'_>, image: &str) -> Option<String> {
    let rest = library_rest(library, image)?;
    let dir = library.dir.replace('\\', "/");
    let dir = dir.trim_start_matches("./").trim_end_matches('/');
    Some(if dir.is_empty() {
        format!("{rest}/manifest.yaml")
    } else {
        format!("{dir}/{rest}/manifest.yaml")
    })
}

/// The manifest `call` is checked against: the one [`select`] chooses among the manifests
/// the workspace has for its image. When there is none, PB501 reports the image.
pub(crate) fn call_interface<'w>(
    workspace: &'w dyn Workspace,
    call: &StepCall,
    out: &mut Vec<Diagnostic>,
) -> Option<&'w StepManifest> {
    let candidates = workspace.manifests(&call.image.value);
    if candidates.is_empty() {
        crate::checks::unknown_image::check(workspace, call, out);
    }
    select(&candidates, call)
}

/// The manifest a call uses among the `candidates` that claim its image, or `None` when no
/// candidate, or no single one, fits (the interface is then unknown, and nothing of the call
/// is checked against a manifest):
/// 1. a single candidate is the interface;
/// 2. otherwise, the candidates whose leading arguments have fixed defaults (the command
///    words, [`command_words`]: `ec2 attach-volume`) are specialised: one applies when the
///    call's leading `args` repeat all of its command words. The one with the most command
///    words wins; two that match equally are ambiguous;
/// 3. when no specialised candidate matches, the generic one applies: the only candidate
///    without command words. With none, or several, the interface is unknown.
///
/// The order of the candidates never decides.
pub fn select<'m>(candidates: &[&'m StepManifest], call: &StepCall) -> Option<&'m StepManifest> {
    if let [only] = candidates {
        return Some(only);
    }
    let mut best: Option<(usize, &'m StepManifest)> = None;
    let mut ambiguous = false;
    let mut generic: Option<&'m StepManifest> = None;
    let mut generics = 0;
    for &candidate in candidates {
        let words = command_words(candidate).count();
        if words == 0 {
            generic = Some(candidate);
            generics += 1;
            continue;
        }
        let repeated = call.args.len() >= words
            && command_words(candidate)
                .zip(&call.args)
                .all(|(word, arg)| !arg.is_template() && arg.value.trim() == word);
        if !repeated {
            continue;
        }
        match best {
            Some((most, _)) if most > words => {}
            Some((most, _)) if most == words => ambiguous = true,
            _ => {
                best = Some((words, candidate));
                ambiguous = false;
            }
        }
    }
    match best {
        Some((_, chosen)) if !ambiguous => Some(chosen),
        Some(_) => None,
        None if generics == 1 => generic,
        None => None,
    }
}

/// The command words of a manifest: the values its leading arguments are fixed to, up to
/// the first argument that is not fixed. An argument is fixed when it has a default that is
/// not a template (`{{ .volumeID }}` is filled in per call) and its name is not an option
/// (`--region` with default `us-east-2` is a setting, not a command word).
pub fn command_words(manifest: &StepManifest) -> impl Iterator<Item = &str> {
    manifest.args.iter().map_while(|arg| {
        let default = arg.default.as_ref()?;
        let word = default.value.trim();
        (!arg.name.value.starts_with('-') && !default.is_template() && !word.is_empty())
            .then_some(word)
    })
}

/// Words that qualify further command-line items: "*more* command options".
const REST_QUALIFIERS: [&str; 5] = ["more", "additional", "extra", "further", "remaining"];
/// Words that name command-line items.
const REST_NOUNS: [&str; 5] = ["options", "opts", "arguments", "args", "flags"];

/// Whether `arg`, the last argument a manifest declares, takes the rest of the command line
/// (any number of items, none included), as the generic `cmd` steps' `OPTIONS` ("More
/// command options") does. Decided from the manifest's own words:
/// - its name is a noun for command-line items, alone or after qualifiers (`OPTIONS`,
///   `ARGS`, `FLAGS`, `EXTRA_ARGS`, `more-options`; any case, `_` or `-` between words). A
///   name written as an option (`--options`) is one option, not the rest;
/// - or its description has a qualifier followed, within two words, by such a noun ("More
///   command options", "additional arguments", "extra flags", "remaining args").
pub fn takes_the_rest(arg: &Input) -> bool {
    let name = arg.name.value.as_str();
    let by_name = !name.starts_with('-') && {
        let words: Vec<String> = name
            .split(['_', '-'])
            .map(str::to_ascii_lowercase)
            .collect();
        match words.split_last() {
            Some((last, before)) => {
                REST_NOUNS.contains(&last.as_str())
                    && before.iter().all(|w| REST_QUALIFIERS.contains(&w.as_str()))
            }
            None => false,
        }
    };
    by_name
        || arg
            .description
            .as_ref()
            .is_some_and(|d| describes_the_rest(&d.value))
}

/// Whether a description says "more options" (see [`takes_the_rest`]).
fn describes_the_rest(description: &str) -> bool {
    let lower = description.to_ascii_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    words.iter().enumerate().any(|(i, word)| {
        REST_QUALIFIERS.contains(word)
            && words
                .iter()
                .skip(i + 1)
                .take(2)
                .any(|next| REST_NOUNS.contains(next))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_and_digests_are_stripped() {
        assert_eq!(
            strip_tag_and_digest("a.io/x/redis/info:1.2"),
            "a.io/x/redis/info"
        );
        assert_eq!(
            strip_tag_and_digest("a.io/x/redis/info@sha256:0123abcd"),
            "a.io/x/redis/info"
        );
        assert_eq!(
            strip_tag_and_digest("a.io/x/redis/info:1.2@sha256:0123abcd"),
            "a.io/x/redis/info"
        );
        assert_eq!(
            strip_tag_and_digest("localhost:5000/redis/info"),
            "localhost:5000/redis/info"
        );
        assert_eq!(
            strip_tag_and_digest("localhost:5000/redis:7"),
            "localhost:5000/redis"
        );
        assert_eq!(strip_tag_and_digest(" redis "), "redis");
        assert_eq!(strip_tag_and_digest(""), "");
        assert_eq!(lookup_name("{{ $.params.image }}"), None);
        assert_eq!(lookup_name(":latest"), None);
    }

    #[test]
    fn images_of_a_library() {
        let library = Library {
            prefix: "reg.io/steps",
            dir: "./lib/steps/",
            missing: false,
        };
        assert_eq!(
            library_rest(&library, "reg.io/steps/redis/info"),
            Some("redis/info")
        );
        assert_eq!(library_rest(&library, "reg.io/stepsx/redis"), None);
        assert_eq!(library_rest(&library, "reg.io/steps/"), None);
        assert_eq!(
            library_manifest_path(&library, "reg.io/steps/redis/info").as_deref(),
            Some("lib/steps/redis/info/manifest.yaml")
        );
        let everything = Library {
            prefix: "",
            dir: "",
            missing: false,
        };
        assert_eq!(
            library_manifest_path(&everything, "redis").as_deref(),
            Some("redis/manifest.yaml")
        );
    }

    #[test]
    fn names_and_descriptions_of_the_rest() {
        for description in [
            "More command options.",
            "More command options (each argument should be separated in a different argument array item) ",
            "Any additional arguments",
            "extra flags for the tool",
            "The remaining args",
        ] {
            assert!(describes_the_rest(description), "{description}");
        }
        for description in [
            "AWS subcommand.",
            "A Coralogix query to un on archived logs",
            "Output redirection argument",
            "This option can lead to data loss. If you use this option, more is needed.",
            "More about the options of the command",
        ] {
            assert!(!describes_the_rest(description), "{description}");
        }
    }
}
