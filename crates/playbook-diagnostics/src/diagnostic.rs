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

    pub fn with_severity(mut self, severity: Severity) -> Diagnostic {
        self.severity = severity;
        self
    }
}
