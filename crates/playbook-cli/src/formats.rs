//! The machine-readable output formats of `playbook check`: `json` (a documented contract),
//! `sarif` (SARIF 2.1.0, for code-scanning dashboards) and `github` (workflow annotation
//! commands, which GitHub Actions turns into inline comments on a pull request).
//!
//! Every format takes the reports of all files at once, sorted by path then position, and
//! gives lines and columns 1-based, with columns counted in characters.

use playbook_diagnostics::{Code, Diagnostic, LineIndex, Severity, TextRange};
use serde::Serialize;
use serde_json::{Value, json};

use crate::render::{display_range, line_col};

/// The diagnostics of one checked file.
pub struct FileReport<'a> {
    /// The path as shown to the user (relative to the current directory where possible).
    pub path: &'a str,
    pub text: &'a str,
    pub diagnostics: &'a [Diagnostic],
}

/// The 1-based start line and column and end line and column of a range of `text`.
fn span(index: &LineIndex, text: &str, range: TextRange) -> (u32, u32, u32, u32) {
    let range = display_range(text, range);
    let (line, column) = line_col(index, text, range.start());
    let (end_line, end_column) = line_col(index, text, range.end());
    (line, column, end_line, end_column)
}

/// A related location of a diagnostic ("first declared here"), located for machine output.
#[derive(Serialize)]
struct RelatedLocation<'a> {
    /// The path as shown to the user: the report's own, or that of another file.
    path: &'a str,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    message: &'a str,
}

/// The related locations of `d`, a diagnostic of `report` (whose line index is `index`). One
/// in another file is located in that file's text, as `files` gives it; one whose file
/// cannot be read is left out.
fn related_locations<'a>(
    report: &FileReport<'a>,
    index: &LineIndex,
    d: &'a Diagnostic,
    files: &dyn Fn(&str) -> Option<String>,
) -> Vec<RelatedLocation<'a>> {
    d.related
        .iter()
        .filter_map(|r| {
            let (path, (line, column, end_line, end_column)) = match &r.file {
                None => (report.path, span(index, report.text, r.range)),
                Some(file) => {
                    let text = files(file)?;
                    (file.as_str(), span(&LineIndex::new(&text), &text, r.range))
                }
            };
            Some(RelatedLocation {
                path,
                line,
                column,
                end_line,
                end_column,
                message: &r.message,
            })
        })
        .collect()
}

/// The `json` format, version 1:
/// `{"version":1,"files_checked":N,"diagnostics":[{"path","line","column","end_line",
/// "end_column","severity","code","message","label","help","related"}]}`, where `related`
/// lists `{"path","line","column","end_line","end_column","message"}`. Related locations in
/// other files are located in their text, as `files` gives it.
pub fn render_json(
    reports: &[FileReport<'_>],
    files_checked: usize,
    files: &dyn Fn(&str) -> Option<String>,
) -> String {
    #[derive(Serialize)]
    struct Output<'a> {
        version: u32,
        files_checked: usize,
        diagnostics: Vec<Entry<'a>>,
    }
    #[derive(Serialize)]
    struct Entry<'a> {
        path: &'a str,
        line: u32,
        column: u32,
        end_line: u32,
        end_column: u32,
        severity: &'static str,
        code: &'static str,
        message: &'a str,
        label: Option<&'a str>,
        help: Option<&'a str>,
        related: Vec<RelatedLocation<'a>>,
    }
    let mut diagnostics = Vec::new();
    for report in sorted(reports) {
        let index = LineIndex::new(report.text);
        for d in report.diagnostics {
            let (line, column, end_line, end_column) = span(&index, report.text, d.range);
            diagnostics.push(Entry {
                path: report.path,
                line,
                column,
                end_line,
                end_column,
                severity: d.severity.as_str(),
                code: d.code.id,
                message: &d.message,
                label: d.label.as_deref(),
                help: d.help.as_deref(),
                related: related_locations(report, &index, d, files),
            });
        }
    }
    let output = Output {
        version: 1,
        files_checked,
        diagnostics,
    };
    let mut out = serde_json::to_string_pretty(&output).unwrap_or_default();
    out.push('\n');
    out
}

/// The `sarif` format: one SARIF 2.1.0 run whose rules are the catalogue entries `rules`
/// (with their documentation as help) and whose results are the diagnostics.
/// Related locations in other files are located in their text, as `files` gives it.
pub fn render_sarif(
    reports: &[FileReport<'_>],
    rules: &[&'static Code],
    files: &dyn Fn(&str) -> Option<String>,
) -> String {
    let rule_values: Vec<Value> = rules
        .iter()
        .map(|code| {
            json!({
                "id": code.id,
                "name": code.name,
                "shortDescription": { "text": code.summary },
                "fullDescription": { "text": code.summary },
                "help": { "text": code.doc, "markdown": code.doc },
                "defaultConfiguration": { "level": sarif_level(code.severity) },
                "properties": { "tags": [code.name] },
            })
        })
        .collect();
    let mut results = Vec::new();
    for report in sorted(reports) {
        let index = LineIndex::new(report.text);
        for d in report.diagnostics {
            let (line, column, end_line, end_column) = span(&index, report.text, d.range);
            let message = full_message(d);
            let related: Vec<Value> = related_locations(report, &index, d, files)
                .into_iter()
                .enumerate()
                .map(|(i, r)| {
                    json!({
                        "id": i,
                        "message": { "text": r.message },
                        "physicalLocation": {
                            "artifactLocation": { "uri": uri(r.path) },
                            "region": {
                                "startLine": r.line,
                                "startColumn": r.column,
                                "endLine": r.end_line,
                                "endColumn": r.end_column,
                            },
                        },
                    })
                })
                .collect();
            let mut result = json!({
                "ruleId": d.code.id,
                "level": sarif_level(d.severity),
                "message": { "text": message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri(report.path) },
                        "region": {
                            "startLine": line,
                            "startColumn": column,
                            "endLine": end_line,
                            "endColumn": end_column,
                        },
                    },
                }],
            });
            if let Some(i) = rules.iter().position(|r| r.id == d.code.id) {
                result["ruleIndex"] = json!(i);
            }
            if !related.is_empty() {
                result["relatedLocations"] = Value::Array(related);
            }
            results.push(result);
        }
    }
    let value = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "playbook",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": env!("CARGO_PKG_REPOSITORY"),
                    "rules": rule_values,
                },
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut out = serde_json::to_string_pretty(&value).unwrap_or_default();
    out.push('\n');
    out
}

fn sarif_level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Hint => "note",
    }
}

/// A relative path as a SARIF URI reference: forward slashes, spaces and `%` escaped.
fn uri(path: &str) -> String {
    path.replace('\\', "/")
        .replace('%', "%25")
        .replace(' ', "%20")
}

/// The `github` format: one workflow command per diagnostic,
/// `::error file=F,line=L,col=C,endLine=L,endColumn=C,title=CODE::message`.
pub fn render_github(reports: &[FileReport<'_>]) -> String {
    let mut out = String::new();
    for report in sorted(reports) {
        let index = LineIndex::new(report.text);
        for d in report.diagnostics {
            let (line, column, end_line, end_column) = span(&index, report.text, d.range);
            let command = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Hint => "notice",
            };
            let message = full_message(d);
            out.push_str(&format!(
                "::{command} file={},line={line},col={column},endLine={end_line},endColumn={end_column},title={}::{}\n",
                escape_property(report.path),
                escape_property(&format!("{} {}", d.code.id, d.code.name)),
                escape_data(&message),
            ));
        }
    }
    out
}

/// The message with its label and help, for formats that show one text per diagnostic:
/// `message (label)` and `help: ...` on a second line.
fn full_message(d: &Diagnostic) -> String {
    let mut message = d.message.clone();
    if let Some(label) = &d.label {
        message.push_str(&format!(" ({label})"));
    }
    if let Some(help) = &d.help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    message
}

/// Escapes the message of a workflow command.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value of a workflow command.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// The reports that have diagnostics, sorted by path (diagnostics are already sorted by
/// position).
fn sorted<'r, 'a>(reports: &'r [FileReport<'a>]) -> Vec<&'r FileReport<'a>> {
    let mut sorted: Vec<&FileReport<'_>> = reports
        .iter()
        .filter(|r| !r.diagnostics.is_empty())
        .collect();
    sorted.sort_by(|a, b| a.path.cmp(b.path));
    sorted
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;
    use playbook_diagnostics::TextRange;
    use playbook_syntax::codes;

    fn sample() -> (String, Vec<Diagnostic>) {
        let text = "a: é\nb: \"x\n".to_owned();
        let diagnostics = vec![
            Diagnostic::new(
                &codes::COLON_IN_PLAIN_SCALAR,
                TextRange::new(3, 5),
                "unquoted value, with: colon",
            )
            .with_label("here")
            .with_help("quote the value"),
            Diagnostic::new(
                &codes::UNTERMINATED_SCALAR,
                TextRange::new(9, 10),
                "unterminated string",
            )
            .with_severity(Severity::Warning)
            .with_related(TextRange::new(0, 1), "key here")
            .with_related_in("other/a.yaml", TextRange::new(5, 7), "also here")
            .with_related_in("gone.yaml", TextRange::new(0, 1), "not shown"),
        ];
        (text, diagnostics)
    }

    /// The other files of the workspace, for related locations outside the report's file.
    fn files(path: &str) -> Option<String> {
        (path == "other/a.yaml").then(|| {
            "x: 1
yé: 2
"
            .to_owned()
        })
    }

    #[test]
    fn json_contract() {
        let (text, diagnostics) = sample();
        let reports = [FileReport {
            path: "b.yaml",
            text: &text,
            diagnostics: &diagnostics,
        }];
        expect![[r#"
            {
              "version": 1,
              "files_checked": 1,
              "diagnostics": [
                {
                  "path": "b.yaml",
                  "line": 1,
                  "column": 4,
                  "end_line": 1,
                  "end_column": 5,
                  "severity": "error",
                  "code": "PB002",
                  "message": "unquoted value, with: colon",
                  "label": "here",
                  "help": "quote the value",
                  "related": []
                },
                {
                  "path": "b.yaml",
                  "line": 2,
                  "column": 4,
                  "end_line": 2,
                  "end_column": 5,
                  "severity": "warning",
                  "code": "PB005",
                  "message": "unterminated string",
                  "label": null,
                  "help": null,
                  "related": [
                    {
                      "path": "b.yaml",
                      "line": 1,
                      "column": 1,
                      "end_line": 1,
                      "end_column": 2,
                      "message": "key here"
                    },
                    {
                      "path": "other/a.yaml",
                      "line": 2,
                      "column": 1,
                      "end_line": 2,
                      "end_column": 3,
                      "message": "also here"
                    }
                  ]
                }
              ]
            }
        "#]]
        .assert_eq(&render_json(&reports, 1, &files));
    }

    #[test]
    fn github_annotations_are_escaped() {
        let (text, diagnostics) = sample();
        let reports = [FileReport {
            path: "dir,x/b.yaml",
            text: &text,
            diagnostics: &diagnostics,
        }];
        expect![[r#"
            ::error file=dir%2Cx/b.yaml,line=1,col=4,endLine=1,endColumn=5,title=PB002 colon-in-plain-scalar::unquoted value, with: colon (here)%0Ahelp: quote the value
            ::warning file=dir%2Cx/b.yaml,line=2,col=4,endLine=2,endColumn=5,title=PB005 unterminated-scalar::unterminated string
        "#]]
        .assert_eq(&render_github(&reports));
    }

    #[test]
    fn sarif_has_rules_results_and_related_locations() {
        let (text, diagnostics) = sample();
        let reports = [FileReport {
            path: "my dir/b.yaml",
            text: &text,
            diagnostics: &diagnostics,
        }];
        let sarif: Value =
            serde_json::from_str(&render_sarif(&reports, codes::ALL, &files)).unwrap();
        let run = &sarif["runs"][0];
        assert_eq!(sarif["version"], "2.1.0");
        assert_eq!(run["tool"]["driver"]["name"], "playbook");
        assert_eq!(
            run["tool"]["driver"]["rules"].as_array().unwrap().len(),
            codes::ALL.len()
        );
        assert_eq!(run["tool"]["driver"]["rules"][1]["id"], "PB002");
        assert!(
            run["tool"]["driver"]["rules"][1]["help"]["markdown"]
                .as_str()
                .unwrap()
                .contains("## How to fix")
        );
        let result = &run["results"][0];
        assert_eq!(result["ruleId"], "PB002");
        assert_eq!(result["ruleIndex"], 1);
        assert_eq!(result["level"], "error");
        assert_eq!(
            result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "my%20dir/b.yaml"
        );
        assert_eq!(
            result["locations"][0]["physicalLocation"]["region"]["startColumn"],
            4
        );
        assert_eq!(run["results"][1]["level"], "warning");
        assert_eq!(
            run["results"][1]["relatedLocations"][0]["message"]["text"],
            "key here"
        );
        let other = &run["results"][1]["relatedLocations"][1];
        assert_eq!(other["message"]["text"], "also here");
        assert_eq!(
            other["physicalLocation"]["artifactLocation"]["uri"],
            "other/a.yaml"
        );
        assert_eq!(other["physicalLocation"]["region"]["startLine"], 2);
        assert_eq!(
            run["results"][1]["relatedLocations"]
                .as_array()
                .map(Vec::len),
            Some(2)
        );
    }
}
