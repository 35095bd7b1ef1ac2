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
