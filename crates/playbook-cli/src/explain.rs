//! `playbook explain`: the documentation of a diagnostic code, or the list of every code.

use playbook_diagnostics::Code;

/// Every code the tool can report: the core's catalogue and the configuration's own.
pub fn catalogue() -> Vec<&'static Code> {
    let mut codes = playbook_db::registry::all();
    codes.extend(playbook_workspace::codes::ALL.iter().copied());
    codes.sort_by_key(|c| c.id);
    codes
}

/// The table of every code: id, default severity, name and summary, one per line.
pub fn list(codes: &[&'static Code]) -> String {
    let width = codes.iter().map(|c| c.name.len()).max().unwrap_or(0);
    let mut out = String::new();
    for code in codes {
        out.push_str(&format!(
            "{}  {:<7}  {:<width$}  {}\n",
            code.id,
            code.severity.as_str(),
            code.name,
            code.summary
        ));
    }
    out.push('\n');
    out.push_str(playbook_diagnostics::SEVERITY_RULE);
    out.push_str(
        "\n\nRun `playbook explain CODE` (an id such as PB302, or a name) for its documentation.\n",
    );
    out
}

/// The documentation page of the code whose id (any case) or name is `key`, or an error
/// message with a suggestion.
pub fn page(key: &str, codes: &[&'static Code]) -> Result<String, String> {
    let Some(code) = codes
        .iter()
        .find(|c| c.id.eq_ignore_ascii_case(key) || c.name == key)
    else {
        let names = codes.iter().flat_map(|c| [c.id, c.name]);
        let hint = match playbook_hir::suggest::closest(key, names) {
            Some(s) => format!("; did you mean `{s}`?"),
            None => "; run `playbook explain` for the list".to_owned(),
        };
        return Err(format!("`{key}` is not a diagnostic code{hint}"));
    };
    Ok(format!(
        "{} {} ({} by default)\n{}\n\n{}\n\n{}\n",
        code.id,
        code.name,
        code.severity.as_str(),
        code.summary,
        code.doc.trim_end_matches('\n'),
        playbook_diagnostics::SEVERITY_RULE,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_by_id_and_by_name() {
        let codes = catalogue();
        let by_id = page("pb302", &codes).unwrap();
        assert!(by_id.starts_with("PB302 unused-parameter (hint by default)\n"));
        assert!(by_id.ends_with(&format!("{}\n", playbook_diagnostics::SEVERITY_RULE)));
        assert!(by_id.contains("## How to fix"));
        assert_eq!(page("unused-parameter", &codes), Ok(by_id));
    }

    #[test]
    fn unknown_codes_get_a_suggestion() {
        let codes = catalogue();
        assert_eq!(
            page("unused-parameters", &codes),
            Err(
                "`unused-parameters` is not a diagnostic code; did you mean `unused-parameter`?"
                    .to_owned()
            )
        );
    }

    #[test]
    fn the_list_has_every_code() {
        let codes = catalogue();
        let list = list(&codes);
        for code in &codes {
            assert!(list.contains(code.id) && list.contains(code.name));
        }
    }
}
