//! The fixture harness of the editor features, shared by one test file per feature.
//!
//! A fixture is a list of files, each introduced by a header line `//- PATH` (a path of the
//! workspace, `steps/k8s/get-pods/manifest.yaml`); text before any header is the file
//! `playbook.yaml`. A line `//- library PREFIX DIR` configures a step library: image
//! `PREFIX<rest>` is described by `DIR/<rest>/manifest.yaml`. The cursor is `$0` (at most
//! one in the whole fixture); `$1`...`$9` mark more positions where a feature wants them.
//!
//! Answers are rendered with [`show_range`]: `line:col-line:col "text"` (1-based lines,
//! byte columns), so snapshots read like the file.

#![allow(dead_code)]

use playbook_db::{AnalysisHost, File, Library};
use playbook_diagnostics::{LineIndex, TextRange, TextSize};

pub struct Fixture {
    pub host: AnalysisHost,
    /// The file and offset of `$0`.
    pub cursor: Option<(String, TextSize)>,
    /// Other markers: (digit, file, offset).
    pub markers: Vec<(u8, String, TextSize)>,
}

impl Fixture {
    pub fn db(&self) -> &dyn salsa::Database {
        self.host.db()
    }

    /// The file and offset of `$0`.
    pub fn position(&self) -> (File, TextSize) {
        let (path, offset) = self.cursor.clone().expect("the fixture has no `$0`");
        (self.file(&path), offset)
    }

    pub fn file(&self, path: &str) -> File {
        self.host
            .file(path)
            .unwrap_or_else(|| panic!("no file {path} in the fixture"))
    }

    pub fn text(&self, path: &str) -> &str {
        self.host.file_text(path).unwrap_or("")
    }

    /// The offset of marker `$digit`.
    pub fn marker(&self, digit: u8) -> (File, TextSize) {
        let (_, path, offset) = self
            .markers
            .iter()
            .find(|(d, _, _)| *d == digit)
            .unwrap_or_else(|| panic!("no `${digit}` in the fixture"));
        (self.file(path), *offset)
    }

    /// `path:line:col-line:col "text"` for a range of a file.
    pub fn show(&self, path: &str, range: TextRange) -> String {
        format!("{path}:{}", show_range(self.text(path), range))
    }
}

/// Builds the workspace of a fixture.
pub fn fixture(text: &str) -> Fixture {
    let mut files: Vec<(String, String)> = Vec::new();
    let mut libraries = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in text.split_inclusive('\n') {
        if let Some(header) = line.trim_end().strip_prefix("//- ") {
            let words: Vec<&str> = header.split_whitespace().collect();
            if let ["library", prefix, dir] = words.as_slice() {
                libraries.push(Library {
                    prefix: (*prefix).to_owned(),
                    dir: (*dir).to_owned(),
                    missing: false,
                });
                continue;
            }
            files.extend(current.take());
            current = Some((header.trim().to_owned(), String::new()));
            continue;
        }
        match &mut current {
            Some((_, body)) => body.push_str(line),
            None if line.trim().is_empty() && files.is_empty() => {}
            None => current = Some(("playbook.yaml".to_owned(), line.to_owned())),
        }
    }
    files.extend(current);
    let mut cursor = None;
    let mut markers = Vec::new();
    let mut host = AnalysisHost::new();
    host.set_libraries(libraries);
    for (path, body) in files {
        let mut clean = String::with_capacity(body.len());
        let mut rest = body.as_str();
        while let Some(i) = rest.find('$') {
            let digit = rest.as_bytes().get(i + 1).copied();
            clean.push_str(&rest[..i]);
            match digit {
                Some(d @ b'0'..=b'9') => {
                    let offset = clean.len() as TextSize;
                    if d == b'0' {
                        assert!(cursor.is_none(), "two `$0` in the fixture");
                        cursor = Some((path.clone(), offset));
                    } else {
                        markers.push((d - b'0', path.clone(), offset));
                    }
                    rest = &rest[i + 2..];
                }
                _ => {
                    clean.push('$');
                    rest = &rest[i + 1..];
                }
            }
        }
        clean.push_str(rest);
        host.set_file_text(&path, clean);
    }
    Fixture {
        host,
        cursor,
        markers,
    }
}

/// `line:col-line:col "text"` for a range of `text` (1-based lines and columns, in bytes).
pub fn show_range(text: &str, range: TextRange) -> String {
    let index = LineIndex::new(text);
    let start = index.line_col(range.start());
    let end = index.line_col(range.end());
    let slice = text
        .get(range.start() as usize..range.end() as usize)
        .unwrap_or("<out of bounds>");
    format!(
        "{}:{}-{}:{} {:?}",
        start.line + 1,
        start.col + 1,
        end.line + 1,
        end.col + 1,
        slice
    )
}

/// `text` with `edits` applied (ranges in the original text, not overlapping).
pub fn apply(text: &str, edits: &[playbook_diagnostics::Edit]) -> String {
    let mut edits = edits.to_vec();
    edits.sort_by_key(|e| std::cmp::Reverse(e.range.start()));
    let mut out = text.to_owned();
    for edit in edits {
        out.replace_range(
            edit.range.start() as usize..edit.range.end() as usize,
            &edit.text,
        );
    }
    out
}

/// The real step library of `../shared` (153 manifests), as `library` files under
/// `stackpulse-steps/`, with prefix `us-docker.pkg.dev/stackpulse/public/`; `None` (the
/// test says it skips) when the shared data is missing.
pub fn with_real_library(fixture: &mut Fixture) -> Option<()> {
    let dir = playbook_test_support::shared_data("corpus/stackpulse-steps")?;
    let files = playbook_test_support::yaml_files(&dir);
    let mut libraries = fixture.host.libraries().to_vec();
    libraries.push(Library {
        prefix: "us-docker.pkg.dev/stackpulse/public/".to_owned(),
        dir: "stackpulse-steps".to_owned(),
        missing: false,
    });
    fixture.host.set_libraries(libraries);
    fixture.host.set_file_texts(
        files
            .into_iter()
            .map(|(path, text)| (format!("stackpulse-steps/{path}"), text)),
    );
    Some(())
}
