//! Conversion of the core's diagnostics to protocol diagnostics.
//!
//! How a [`Diagnostic`] is shown (chosen for VS Code, which renders the message as plain text,
//! line breaks included, in the hover and in the Problems panel):
//! - the message is the diagnostic's message, followed by `: label` when the label says
//!   something the message does not ("unknown parameter `X`: did you mean `Y`?");
//! - the help line is appended after a line break, as `help: ...`. It is not a related
//!   information entry, because VS Code renders those as links to another place, and a help
//!   sentence has no place of its own;
//! - [`Diagnostic::related`] becomes related information, located in the diagnostic's own
//!   document or, for an entry naming another file, in that file when its text is known;
//! - the code is the stable `PB...` id, the source is `playbook`.

use playbook_diagnostics::{Diagnostic, LineIndex, Severity};
use tower_lsp_server::ls_types::{
    self as proto, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, Uri,
};

use crate::position::{self, Encoding};

/// The text of a file, as needed to convert byte ranges in it.
#[derive(Clone, Copy, Debug)]
pub struct FileText<'a> {
    /// The document's URI, used for related information in the same file.
    pub uri: &'a Uri,
    /// The text the diagnostics' byte ranges point into.
    pub text: &'a str,
    /// The line index of `text`.
    pub index: &'a LineIndex,
}

/// Converts the diagnostics of one file. `other_file` resolves the file named by a related
/// entry (a path or a URI, as the core chose) to its text; entries it cannot resolve are
/// dropped, since their ranges cannot be placed.
pub fn diagnostics(
    file: FileText<'_>,
    diagnostics: &[Diagnostic],
    encoding: Encoding,
    other_file: impl Fn(&str) -> Option<(Uri, String)>,
) -> Vec<proto::Diagnostic> {
    diagnostics
        .iter()
        .map(|diagnostic| convert(file, diagnostic, encoding, &other_file))
        .collect()
}

/// Converts one diagnostic; see [`diagnostics`].
pub fn convert(
    file: FileText<'_>,
    diagnostic: &Diagnostic,
    encoding: Encoding,
    other_file: &impl Fn(&str) -> Option<(Uri, String)>,
) -> proto::Diagnostic {
    let related: Vec<DiagnosticRelatedInformation> = diagnostic
        .related
        .iter()
        .filter_map(|related| {
            let location = match &related.file {
                None => Location {
                    uri: file.uri.clone(),
                    range: position::range(file.text, file.index, related.range, encoding),
                },
                Some(path) => {
                    let (uri, text) = other_file(path)?;
                    let index = LineIndex::new(&text);
                    Location {
                        uri,
                        range: position::range(&text, &index, related.range, encoding),
                    }
                }
            };
            Some(DiagnosticRelatedInformation {
                location,
                message: related.message.clone(),
            })
        })
        .collect();
    proto::Diagnostic {
        range: position::range(file.text, file.index, diagnostic.range, encoding),
        severity: Some(severity(diagnostic.severity)),
        code: Some(NumberOrString::String(diagnostic.code.id.to_owned())),
        code_description: None,
        source: Some("playbook".to_owned()),
        message: message(diagnostic),
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}

/// The protocol severity of a severity.
pub fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Hint => DiagnosticSeverity::HINT,
    }
}

/// The message shown for a diagnostic: message, label if it adds information, help line.
pub fn message(diagnostic: &Diagnostic) -> String {
    let mut message = diagnostic.message.clone();
    if let Some(label) = &diagnostic.label {
        let label = label.trim();
        if !label.is_empty() && !diagnostic.message.contains(label) {
            message.push_str(": ");
            message.push_str(label);
        }
    }
    if let Some(help) = &diagnostic.help {
        let help = help.trim();
        if !help.is_empty() {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
    }
    message
}

#[cfg(test)]
mod tests {
    use playbook_diagnostics::{Code, TextRange};

    use super::*;

    static TEST_CODE: Code = Code {
        id: "PB999",
        name: "test-code",
        severity: Severity::Warning,
        summary: "A code for tests.",
        doc: "",
    };

    fn uri(s: &str) -> Uri {
        s.parse().unwrap()
    }

    fn convert_in(text: &str, diagnostic: &Diagnostic) -> proto::Diagnostic {
        let uri = uri("file:///w/a.yaml");
        let index = LineIndex::new(text);
        let file = FileText {
            uri: &uri,
            text,
            index: &index,
        };
        let other = |path: &str| (path == "/w/b.yaml").then(|| (uri_b(), "x\n😀yz\n".to_owned()));
        convert(file, diagnostic, Encoding::Utf16, &other)
    }

    fn uri_b() -> Uri {
        uri("file:///w/b.yaml")
    }

    #[test]
    fn message_label_and_help() {
        let d = Diagnostic::new(&TEST_CODE, TextRange::new(0, 1), "unknown parameter `X`")
            .with_label("did you mean `Y`?")
            .with_help("Declare `X` under `parameters`.");
        assert_eq!(
            message(&d),
            "unknown parameter `X`: did you mean `Y`?\nhelp: Declare `X` under `parameters`."
        );
        // A label that repeats the message adds nothing.
        let d = Diagnostic::new(&TEST_CODE, TextRange::new(0, 1), "unclosed quote")
            .with_label("unclosed quote");
        assert_eq!(message(&d), "unclosed quote");
    }

    #[test]
    fn fields_ranges_and_related() {
        let text = "é: 1\nkey: 😀value\n";
        let start = text.find("value").unwrap() as u32;
        let d = Diagnostic::new(&TEST_CODE, TextRange::at(start, 5), "bad value")
            .with_severity(Severity::Hint)
            .with_related(TextRange::at(0, 2), "first here")
            .with_related_in("/w/b.yaml", TextRange::new(2, 7), "elsewhere")
            .with_related_in("/w/unknown.yaml", TextRange::new(0, 1), "dropped");
        let p = convert_in(text, &d);
        assert_eq!(p.severity, Some(DiagnosticSeverity::HINT));
        assert_eq!(p.code, Some(NumberOrString::String("PB999".to_owned())));
        assert_eq!(p.source.as_deref(), Some("playbook"));
        assert_eq!(p.code_description, None);
        let r = p.range;
        assert_eq!(
            (r.start.line, r.start.character, r.end.line, r.end.character),
            (1, 7, 1, 12)
        );
        let related = p.related_information.unwrap();
        assert_eq!(related.len(), 2);
        assert_eq!(related[0].location.uri, uri("file:///w/a.yaml"));
        assert_eq!(related[0].location.range.end.character, 1);
        assert_eq!(related[0].message, "first here");
        assert_eq!(related[1].location.uri, uri_b());
        let r = related[1].location.range;
        assert_eq!(
            (r.start.line, r.start.character, r.end.line, r.end.character),
            (1, 0, 1, 3)
        );
    }

    #[test]
    fn severities() {
        assert_eq!(severity(Severity::Error), DiagnosticSeverity::ERROR);
        assert_eq!(severity(Severity::Warning), DiagnosticSeverity::WARNING);
        assert_eq!(severity(Severity::Hint), DiagnosticSeverity::HINT);
    }
}
