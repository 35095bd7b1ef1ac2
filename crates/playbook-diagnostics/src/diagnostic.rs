//! A finding about one file's text.

use crate::{Code, Severity, TextRange};

/// One finding, located by byte ranges in one file.
///
/// `message` is a short phrase naming the thing ("unknown parameter `RedisIP`"); `label` is
/// the text put under the primary range and carries the suggestion where there is one
/// ("did you mean `RedisIp`?"); `help` is one sentence saying how to fix it.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct Diagnostic {
    pub code: &'static Code,
    pub severity: Severity,
    pub range: TextRange,
    pub message: String,
    pub label: Option<String>,
    pub help: Option<String>,
    pub related: Vec<Related>,
    /// The edits that would fix the finding, best first (a did-you-mean with one candidate
    /// has one). Editors offer them as quick fixes; `playbook check --fix` applies the safe
    /// ones.
    pub fixes: Vec<Fix>,
}

/// A fix for a diagnostic: a title and the edits of the file that make it.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct Fix {
    /// What the fix does, as a command: "Replace with `fetch_pods`".
    pub title: String,
    /// Edits of the diagnostic's file, with ranges in the original text; they do not overlap.
    pub edits: Vec<Edit>,
    /// Whether the fix surely keeps the playbook's meaning but for the mistake it corrects
    /// (a unique did-you-mean, quoting a value); unsafe fixes (declaring a parameter,
    /// placeholder inputs) need a person to finish them.
    pub safe: bool,
}

/// Replace `range` of a file's text with `text` (an insertion when the range is empty).
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct Edit {
    pub range: TextRange,
    pub text: String,
}

impl Fix {
    /// A fix that replaces one range.
    pub fn replace(title: impl Into<String>, range: TextRange, text: impl Into<String>) -> Fix {
        Fix {
            title: title.into(),
            edits: vec![Edit {
                range,
                text: text.into(),
            }],
            safe: true,
        }
    }

    /// The same fix, marked unsafe.
    pub fn unsafe_(mut self) -> Fix {
        self.safe = false;
        self
    }
}

/// A secondary location that explains a diagnostic ("first defined here").
///
/// `file` is `None` for the diagnostic's own file; otherwise it is a path or URI chosen by
/// the layer that reports across files.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct Related {
    pub file: Option<String>,
    pub range: TextRange,
    pub message: String,
}

impl Diagnostic {
    /// A diagnostic with the code's default severity and no label, help or related spans.
    pub fn new(code: &'static Code, range: TextRange, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            severity: code.severity,
            range,
            message: message.into(),
            label: None,
            help: None,
            related: Vec::new(),
            fixes: Vec::new(),
        }
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = Some(label.into());
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn with_related(mut self, range: TextRange, message: impl Into<String>) -> Diagnostic {
        self.related.push(Related {
            file: None,
            range,
            message: message.into(),
        });
        self
    }

    pub fn with_related_in(
        mut self,
        file: impl Into<String>,
        range: TextRange,
        message: impl Into<String>,
    ) -> Diagnostic {
        self.related.push(Related {
            file: Some(file.into()),
            range,
            message: message.into(),
        });
        self
    }

    pub fn with_fix(mut self, fix: Fix) -> Diagnostic {
        self.fixes.push(fix);
        self
    }

    pub fn with_severity(mut self, severity: Severity) -> Diagnostic {
        self.severity = severity;
        self
    }
}
