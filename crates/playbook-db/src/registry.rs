//! The catalogue: every diagnostic code the core reports, from every layer (YAML syntax,
//! templates, lowering and the checks), in code order. `playbook explain`, the SARIF rules,
//! the severity settings of `playbook.toml` and the suppression comments all look codes up
//! here.

use playbook_diagnostics::Code;

/// Every code of the core, sorted by id.
pub fn all() -> Vec<&'static Code> {
    let mut codes: Vec<&'static Code> = playbook_syntax::codes::ALL
        .iter()
        .chain(playbook_template::codes::ALL)
        .chain(playbook_hir::codes::ALL)
        .chain(playbook_check::checks::ALL)
        .copied()
        .collect();
    codes.sort_by_key(|c| c.id);
    codes
}

/// Which of a code's fixes `playbook check --fix` applies.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum FixSafety {
    /// Every fix of the code is safe: `--fix` applies it.
    Safe,
    /// Some are safe and some not (a did-you-mean is safe only when it is the one candidate
    /// that close).
    Mixed,
    /// Every fix of the code is unsafe: only `--fix --unsafe-fixes` applies it.
    Unsafe,
}

/// A code whose findings carry fixes: which ones `playbook check --fix` applies, and what
/// they do, for `playbook explain` and the README. The fix tests hold it to what the checks
/// do: every code with a fix is here, and its fixes are as safe as this says.
#[derive(Clone, Copy, Debug)]
pub struct Autofix {
    pub code: &'static Code,
    pub safety: FixSafety,
    /// What the fixes do and when they are applied, in a few sentences.
    pub doc: &'static str,
}

/// Every code whose findings carry fixes, sorted by id.
pub static AUTOFIXES: &[Autofix] = &[
    Autofix {
        code: &playbook_syntax::codes::COLON_IN_PLAIN_SCALAR,
        safety: FixSafety::Safe,
        doc: "`playbook check --fix` puts the value in quotes (double quotes, or single quotes when it holds `\"` or `\\`), which keeps its text.",
    },
    Autofix {
        code: &playbook_check::checks::unknown_function::CODE,
        safety: FixSafety::Mixed,
        doc: DID_YOU_MEAN,
    },
    Autofix {
        code: &playbook_hir::codes::UNKNOWN_KEY,
        safety: FixSafety::Unsafe,
        doc: "The editor offers the key suggested, and `playbook check --fix --unsafe-fixes` writes it: a key written in place of another changes what the document says (`ignoreFailur` becomes `ignoreFailure`), so `--fix` alone leaves it to you.",
    },
    Autofix {
        code: &playbook_hir::codes::UNKNOWN_PARAMETER_TYPE,
        safety: FixSafety::Unsafe,
        doc: "The editor offers the type suggested, and `playbook check --fix --unsafe-fixes` writes it: the type decides how the platform provides the value, so `--fix` alone leaves it to you.",
    },
    Autofix {
        code: &playbook_hir::codes::UNKNOWN_KIND,
        safety: FixSafety::Unsafe,
        doc: "The editor offers the kind suggested, and `playbook check --fix --unsafe-fixes` writes it; `--fix` alone leaves it to you.",
    },
    Autofix {
        code: &playbook_check::checks::undefined_parameter::CODE,
        safety: FixSafety::Mixed,
        doc: "`playbook check --fix` writes the declared parameter suggested when it is the only one that close. Otherwise `playbook check --fix --unsafe-fixes` writes the first of the equally close ones, or, when none is close, declares the parameter at the end of `parameters:` with `type: var` (check the type).",
    },
    Autofix {
        code: &playbook_check::checks::secret_parameter_without_secret::CODE,
        safety: FixSafety::Safe,
        doc: "`playbook check --fix` reads the parameter with `secret` (`{{ secret $.params.Token }}`).",
    },
    Autofix {
        code: &playbook_check::checks::unknown_secret::CODE,
        safety: FixSafety::Unsafe,
        doc: "The editor offers the secret of the catalogue suggested, and `playbook check --fix --unsafe-fixes` writes it: the secret may be missing from the catalogue rather than misspelled, so `--fix` alone leaves it to you.",
    },
    Autofix {
        code: &playbook_check::checks::unknown_reference::CODE,
        safety: FixSafety::Mixed,
        doc: DID_YOU_MEAN,
    },
    Autofix {
        code: &playbook_check::checks::unknown_output::CODE,
        safety: FixSafety::Mixed,
        doc: DID_YOU_MEAN,
    },
    Autofix {
        code: &playbook_check::checks::unknown_output_field::CODE,
        safety: FixSafety::Unsafe,
        doc: "The editor offers the field of the example suggested, and `playbook check --fix --unsafe-fixes` writes it: the example is a sample and the real output may have the field, so `--fix` alone leaves it to you.",
    },
    Autofix {
        code: &playbook_check::checks::unknown_context_field::CODE,
        safety: FixSafety::Unsafe,
        doc: "The editor offers the field suggested, and `playbook check --fix --unsafe-fixes` writes it: the known fields are those production playbooks read, not all there are, so `--fix` alone leaves it to you.",
    },
    Autofix {
        code: &playbook_check::checks::unknown_image::CODE,
        safety: FixSafety::Mixed,
        doc: "Where the image suggested is in the same library, `playbook check --fix` writes it (keeping the tag) when it is the only one that close and takes every input the call passes; otherwise the editor offers it and `playbook check --fix --unsafe-fixes` writes it. An image of another library is not written for you.",
    },
    Autofix {
        code: &playbook_check::checks::unknown_input::CODE,
        safety: FixSafety::Mixed,
        doc: DID_YOU_MEAN,
    },
    Autofix {
        code: &playbook_check::checks::missing_required_input::CODE,
        safety: FixSafety::Unsafe,
        doc: "`playbook check --fix --unsafe-fixes` adds every missing input of the call under its `env:` (created when absent) with an empty value, `KEY: \"\"`, for you to fill in; `--fix` alone leaves it to you.",
    },
    Autofix {
        code: &playbook_check::checks::unknown_platform_setting::CODE,
        safety: FixSafety::Unsafe,
        doc: "The editor offers the setting suggested, and `playbook check --fix --unsafe-fixes` writes it: the known settings are not all there are, so `--fix` alone leaves it to you.",
    },
    Autofix {
        code: &playbook_check::checks::manifest_defect::CODE,
        safety: FixSafety::Unsafe,
        doc: "Where the defect is a near spelling of a key or a word of the manifest format (`descripton`, an input `type: strng`), the editor offers the word suggested and `playbook check --fix --unsafe-fixes` writes it; `--fix` alone leaves the library to its authors and you.",
    },
    Autofix {
        code: &playbook_check::checks::unknown_playbook::CODE,
        safety: FixSafety::Unsafe,
        doc: "The editor offers the playbook suggested, and `playbook check --fix --unsafe-fixes` writes it: which playbook an alert runs is for you to decide, so `--fix` alone leaves it to you.",
    },
    Autofix {
        code: &playbook_check::checks::unknown_scenario_parameter::CODE,
        safety: FixSafety::Mixed,
        doc: DID_YOU_MEAN,
    },
    Autofix {
        code: &playbook_check::checks::unused_suppression::CODE,
        safety: FixSafety::Mixed,
        doc: "`playbook check --fix` removes a code that suppresses nothing (the whole comment when none of its codes stays). A code that does not exist but is a near spelling of one is corrected by `playbook check --fix --unsafe-fixes` only: the corrected code starts hiding findings.",
    },
];

/// The fix of a did-you-mean that is safe when it has one candidate.
const DID_YOU_MEAN: &str = "`playbook check --fix` writes the name suggested when it is the only one that close. Among several equally close names, the editor offers the first and `playbook check --fix --unsafe-fixes` writes it.";

/// The fixes of `code`, if its findings carry any.
pub fn autofix(code: &Code) -> Option<&'static Autofix> {
    AUTOFIXES.iter().find(|a| a.code == code)
}

/// The ids and names of every code, for suggestions.
pub fn names() -> Vec<&'static str> {
    all().into_iter().flat_map(|c| [c.id, c.name]).collect()
}

/// The code whose id (`PB302`, any case) or name (`unused-parameter`) is `key`.
pub fn lookup(key: &str) -> Option<&'static Code> {
    all()
        .into_iter()
        .find(|c| c.id.eq_ignore_ascii_case(key) || c.name == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_names_are_unique_and_well_formed() {
        let codes = all();
        for pair in codes.windows(2) {
            assert_ne!(pair[0].id, pair[1].id, "duplicate id");
        }
        let mut names: Vec<&str> = codes.iter().map(|c| c.name).collect();
        names.sort_unstable();
        let count = names.len();
        names.dedup();
        assert_eq!(count, names.len(), "duplicate name");
        for code in &codes {
            assert!(
                code.id.len() == 5 && code.id.starts_with("PB"),
                "{}",
                code.id
            );
            assert!(
                code.id[2..].chars().all(|c| c.is_ascii_digit()),
                "{}",
                code.id
            );
            assert!(
                code.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-'),
                "{} is not kebab-case",
                code.name
            );
            assert!(
                !code.summary.is_empty() && !code.summary.ends_with('.'),
                "{}: summary",
                code.id
            );
        }
    }

    #[test]
    fn the_fixable_codes_are_codes_of_the_catalogue_in_order() {
        let codes = all();
        for pair in AUTOFIXES.windows(2) {
            assert!(pair[0].code.id < pair[1].code.id, "{}", pair[1].code.id);
        }
        for fix in AUTOFIXES {
            assert!(codes.contains(&fix.code), "{}", fix.code.id);
            assert!(fix.doc.ends_with('.') && fix.doc.contains("playbook check --fix"));
        }
    }

    #[test]
    fn every_code_is_documented_with_the_four_sections() {
        for code in all() {
            for section in [
                "## What it means",
                "## Why it matters",
                "## Example",
                "## How to fix",
            ] {
                assert!(
                    code.doc.contains(section),
                    "{} ({}) lacks `{section}`",
                    code.id,
                    code.name
                );
            }
        }
    }

    #[test]
    fn lookup_by_id_or_name() {
        assert_eq!(lookup("pb302").map(|c| c.name), Some("unused-parameter"));
        assert_eq!(lookup("unused-parameter").map(|c| c.id), Some("PB302"));
        assert!(lookup("PB999").is_none());
    }
}
