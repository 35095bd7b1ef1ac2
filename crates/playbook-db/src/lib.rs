//! The database of a playbook workspace: the texts of its files go in, diagnostics come out.
//! The command line (`playbook check`) and the language server (`playbook lsp`) both drive
//! an [`AnalysisHost`], so they run exactly the same checks.
//!
//! Files are named by a path string chosen by the caller (a relative path for the CLI, the
//! document URI's path for the server). All positions are byte offsets.
//!
//! PLACEHOLDER: the API below is the contract; the implementation is being moved onto salsa.

use std::collections::BTreeMap;

use playbook_diagnostics::Diagnostic;

/// The state of a workspace and the entry point of every query.
#[derive(Default)]
pub struct AnalysisHost {
    files: BTreeMap<String, String>,
}

impl AnalysisHost {
    pub fn new() -> AnalysisHost {
        AnalysisHost::default()
    }

    /// Adds a file or replaces its text.
    pub fn set_file_text(&mut self, path: &str, text: String) {
        self.files.insert(path.to_owned(), text);
    }

    /// Forgets a file.
    pub fn remove_file(&mut self, path: &str) {
        self.files.remove(path);
    }

    /// The current text of a file.
    pub fn file_text(&self, path: &str) -> Option<&str> {
        self.files.get(path).map(String::as_str)
    }

    /// Every known file, sorted by path.
    pub fn files(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// The diagnostics of one file, sorted by position. Empty for an unknown file.
    pub fn diagnostics(&self, path: &str) -> Vec<Diagnostic> {
        let Some(text) = self.files.get(path) else {
            return Vec::new();
        };
        let parse = playbook_syntax::parse(text);
        let mut out: Vec<Diagnostic> = parse.errors().to_vec();
        for node in parse.tree().root().descendants() {
            let Some(playbook_syntax::ast::Node::Scalar(scalar)) =
                playbook_syntax::ast::Node::cast(node)
            else {
                continue;
            };
            let decoded = scalar.decode();
            out.extend(decoded.errors.iter().cloned());
            if playbook_template::contains_actions(&decoded.value) {
                let template = playbook_template::parse(&decoded.value);
                for error in template.errors() {
                    let mut error = error.clone();
                    error.range = decoded.map.range_to_source(error.range);
                    out.push(error);
                }
            }
        }
        out.extend(playbook_hir::lower(parse.tree()).diagnostics);
        out.sort_by_key(|d| (d.range.start(), d.range.end()));
        out
    }

    /// The files whose diagnostics may change when `path` changes (itself excluded): the
    /// playbooks that call a manifest, the triggers bound to a playbook.
    pub fn dependents(&self, path: &str) -> Vec<String> {
        let _ = path;
        Vec::new()
    }
}
