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
    // The codes whose findings carry fixes say which `playbook check --fix` applies.
    let autofix = playbook_db::registry::autofix(code)
        .map(|fix| format!("\n\n## Automatic fix\n{}", wrap(fix.doc, 90)))
        .unwrap_or_default();
    Ok(format!(
        "{} {} ({} by default)\n{}\n\n{}{autofix}\n\n{}\n",
        code.id,
        code.name,
        code.severity.as_str(),
        code.summary,
        code.doc.trim_end_matches('\n'),
        playbook_diagnostics::SEVERITY_RULE,
    ))
}

/// `text` broken into lines of at most `width` characters at spaces (a longer word stands on
/// its own line), as the documentation pages are written.
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = 0;
    for word in text.split_whitespace() {
        let len = word.chars().count();
        if line > 0 && line + 1 + len > width {
            out.push('\n');
            line = 0;
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += len;
    }
    out
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
        assert_eq!(page("unused-parameter", &codes), Ok(by_id.clone()));
        assert!(!by_id.contains("## Automatic fix"));
        let fixable = page("PB002", &codes).unwrap();
        assert!(fixable.contains("## How to fix"));
        assert!(fixable.contains("\n\n## Automatic fix\n`playbook check --fix` puts the value in"));
    }

    #[test]
    fn text_is_wrapped_at_spaces() {
        assert_eq!(wrap("aa bb cc", 5), "aa bb\ncc");
        assert_eq!(wrap("a verylongword b", 4), "a\nverylongword\nb");
        assert_eq!(wrap("", 4), "");
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
